"""Pipeline benchmark: overhead over the server's own time, and prompt reuse across steps.

One run of all four steps (PHI, entities, SOAP, structure) on one transcript against
llama-server with the small model (started here unless --base-url is given). Prints:

- overhead = pipeline wall time / sum of the server's prompt_ms + predicted_ms over the
  same requests (target <= 1.05): what the pipeline adds (HTTP, token counting, grounding,
  ICD-10-CM coding, orchestration) on top of the model's work;
- prompt reuse = prompt tokens the server evaluated over all four steps / the transcript's
  tokens (target <= 1.3; a layout that puts the transcript after step-specific text would
  make the server evaluate it once per step: >= 4).

Usage (from the repository root):
    .venv/bin/python bench/pipeline_bench.py [--transcript PATH] [--ctx 4096] [--max-tokens 256]
    .venv/bin/python bench/pipeline_bench.py --base-url http://127.0.0.1:1234/v1   # LM Studio
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shlex
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medscribe.core.pipeline import Pipeline  # noqa: E402
from medscribe.core.readers import read_transcript  # noqa: E402
from medscribe.core.session import EncounterResult  # noqa: E402
from medscribe.core.steps import StepEvent, StepName, StepState  # noqa: E402
from medscribe.llm import LMStudioClient  # noqa: E402
from medscribe.settings import Settings  # noqa: E402

DEFAULT_TRANSCRIPT = ROOT / "resources" / "sample" / "sample_visit.txt"


_TIMING = re.compile(r"\b(prompt eval|eval) time =\s*([\d.]+) ms /\s*(\d+) tokens")


def server_log_totals(text: str) -> tuple[float, int, int]:
    """(server ms, prompt tokens evaluated, requests) from llama-server's print_timing lines.

    The log covers every request, including ones whose answer the client rejected (cut by
    max_tokens), for which the pipeline's own stats have no server figures.
    """
    ms = 0.0
    evaluated = requests = 0
    for kind, millis, tokens in _TIMING.findall(text):
        ms += float(millis)
        if kind == "prompt eval":
            evaluated += int(tokens)
            requests += 1
    return ms, evaluated, requests


async def bench(
    base_url: str, transcript_path: Path, max_tokens: int, log_path: Path | None = None
) -> int:
    settings = Settings(base_url=base_url, max_tokens=max_tokens, temperature=0.0)
    transcript = read_transcript(transcript_path)
    async with LMStudioClient(settings) as client:
        status = await client.health()
        if not status.ready:
            print(f"server not ready: {status.message}")
            return 1
        transcript_tokens = await client.count_tokens(transcript.text)
        pipeline = Pipeline(client, settings)
        log_offset = log_path.stat().st_size if log_path else 0
        events: list[StepEvent] = []
        started = time.perf_counter()
        result = await pipeline.run_all(EncounterResult(transcript=transcript), events.append)
        wall = time.perf_counter() - started

    model = status.chat_model
    print(
        f"server: {base_url} ({status.kind.value}); model: {model.id if model else '?'}, "
        f"loaded context {model.context_length if model else '?'} tokens"
    )
    print(
        f"transcript: {transcript_path.name}, {len(transcript.text)} chars, "
        f"{transcript_tokens} tokens; max answer tokens {max_tokens}"
    )
    header = f"{'step':<11}{'state':<8}{'req':>4}{'evaluated':>10}{'cached':>8}{'generated':>10}"
    print(header + f"{'server s':>10}{'wall s':>8}")
    server_ms = evaluated = 0.0
    failed = []
    for step in StepName:
        outcome = result.steps[step]
        s = outcome.stats
        server_ms += s.server_ms
        evaluated += s.prompt_tokens
        if outcome.state is not StepState.DONE or outcome.message:
            failed.append(f"{step.value} ({outcome.state.value}): {outcome.message}")
        print(
            f"{step.value:<11}{outcome.state.value:<8}{s.requests:>4}{s.prompt_tokens:>10}"
            f"{s.cached_tokens:>8}{s.completion_tokens:>10}{s.server_ms / 1000:>10.2f}"
            f"{s.seconds:>8.2f}"
        )
    source = "pipeline stats (timings of the answers it accepted)"
    if log_path is not None:
        await asyncio.sleep(0.2)  # let the server flush its last timing lines
        with log_path.open("rb") as log:
            log.seek(log_offset)
            text = log.read().decode("utf-8", errors="replace")
        server_ms, log_evaluated, log_requests = server_log_totals(text)
        evaluated = log_evaluated
        source = f"llama-server log ({log_requests} requests, including rejected answers)"
    elif failed:
        print(
            "NOTE: steps not done have no server figures in the stats: overhead is an upper bound"
        )
    server_s = server_ms / 1000
    print(f"server figures from: {source}")
    print(
        f"pipeline wall time {wall:.2f} s; server time (prompt_ms + predicted_ms) {server_s:.2f} s"
    )
    if server_s > 0:
        print(
            f"OVERHEAD     = {wall:.2f} / {server_s:.2f} = {wall / server_s:.3f}   (target <= 1.05)"
        )
    if transcript_tokens:
        print(
            f"PROMPT REUSE = {evaluated:.0f} / {transcript_tokens} = "
            f"{evaluated / transcript_tokens:.3f}   (target <= 1.3)"
        )
    for line in failed:
        print(f"note - {line}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="use this server instead of starting llama-server")
    parser.add_argument("--transcript", type=Path, default=DEFAULT_TRANSCRIPT)
    parser.add_argument("--ctx", type=int, default=4096, help="llama-server context (-c)")
    parser.add_argument("--max-tokens", type=int, default=256)
    args = parser.parse_args()
    print("command:", shlex.join([".venv/bin/python", "bench/pipeline_bench.py", *sys.argv[1:]]))
    if args.base_url:
        return asyncio.run(bench(args.base_url, args.transcript, args.max_tokens))
    from tests.servers.llama import start_llama_server

    server = start_llama_server(ctx=args.ctx, parallel=1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on kill too
    try:
        print(f"started llama-server -c {args.ctx} -np 1 (Gemma 3 270M Q4_K_M)")
        return asyncio.run(
            bench(server.base_url, args.transcript, args.max_tokens, server.log_path)
        )
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
