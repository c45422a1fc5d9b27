"""``medscribe process``: run the medical steps on a transcript without the window.

For batch work and scripts. Progress goes to stderr; the result (transcript, PHI spans,
entities, SOAP note, structured document, per-step stats) is written as JSON to ``--json``
or, without ``--json`` and ``--out``, to stdout. Without a reachable server the PHI rules still
run, everything found is written, the skipped work is named with the reason, and the exit
status is 1.

Exit status: 0 every requested step done (or turned off in Settings); 1 a step failed or ran
without the model; 2 bad arguments, settings, transcript or output file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from medscribe.core.errors import ExportError, MedscribeError
from medscribe.core.llm_port import ServerStatus
from medscribe.core.pipeline import Pipeline
from medscribe.core.readers import read_transcript
from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepEvent, StepName, StepState
from medscribe.llm import LMStudioClient
from medscribe.settings import Settings, load_settings
from medscribe.settings.store import with_overrides

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE = 0, 1, 2
PROGRESS_EVERY = 1.0  # seconds between "tokens so far" lines


class UsageError(MedscribeError):
    """Arguments, settings or files that stop the command before it starts."""


def parse_steps(value: str) -> list[StepName]:
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    known = {s.value: s for s in StepName}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise UsageError(
            f"Unknown step {', '.join(unknown) or '(none given)'}. "
            f"Choose from: {', '.join(known)} (comma-separated)."
        )
    return [known[n] for n in dict.fromkeys(names)]


def _settings(args: argparse.Namespace) -> Settings:
    return with_overrides(load_settings(), base_url=args.base_url, chat_model=args.model)


def _check_output(path: str | None, force: bool) -> Path | None:
    if not path:
        return None
    target = Path(path)
    if target.exists() and not force:
        raise UsageError(f"{target} already exists. Choose another name, or add --force.")
    if not target.parent.exists():
        raise UsageError(f"The folder {target.parent} does not exist.")
    return target


class Progress:
    """Readable progress lines on stderr; token counts at most once a second."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._last: dict[StepName, float] = {}

    def __call__(self, event: StepEvent) -> None:
        label = f"[{event.step.title}]"
        if event.state is StepState.GENERATING:
            now = time.monotonic()
            if now - self._last.get(event.step, 0.0) < PROGRESS_EVERY:
                return
            self._last[event.step] = now
            rate = f", {event.tokens_per_second:.1f} tokens/s" if event.tokens_per_second else ""
            line = f"{label} writing: {event.completion_tokens} tokens{rate}"
        elif event.state is StepState.WAITING:
            line = f"{label} started"
        elif event.state is StepState.PROMPT:
            line = f"{label} the model is reading the transcript"
        elif event.state is StepState.DONE:
            line = f"{label} done{_stats_text(event)}"
            if event.message:
                line += f"\n{label} note: {event.message}"
        elif event.state is StepState.FAILED:
            line = f"{label} FAILED: {event.message}"
        elif event.state is StepState.SKIPPED:
            line = f"{label} skipped: {event.message}"
        else:
            line = f"{label} {event.state.value}"
        print(line, file=self._out, flush=True)


def _stats_text(event: StepEvent) -> str:
    s = event.stats
    if s is None:
        return ""
    if s.from_cache:
        return " (reused the earlier result)"
    parts = [f"in {s.seconds:.1f} s"]
    if s.requests:
        parts.append(
            f"prompt {s.prompt_tokens} tokens evaluated, {s.cached_tokens} from cache, "
            f"{s.completion_tokens} generated"
        )
    if s.chunks > 1:
        parts.append(f"{s.chunks} parts")
    return " " + "; ".join(parts)


def _write_json(result: EncounterResult, target: Path | None, force: bool) -> None:
    data = json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False)
    if target is None:
        print(data)
        return
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(data + "\n", encoding="utf-8")
        if target.exists() and not force:
            raise UsageError(f"{target} already exists. Choose another name, or add --force.")
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"The result could not be written to {target}: {exc.strerror}.") from exc
    finally:
        tmp.unlink(missing_ok=True)


async def _process(
    args: argparse.Namespace, settings: Settings, steps: list[StepName], result: EncounterResult
) -> tuple[EncounterResult, ServerStatus]:
    async with LMStudioClient(settings) as client:
        status = await client.health()
        if not status.ready:
            print(f"Server: {status.message}", file=sys.stderr, flush=True)
        pipeline = Pipeline(client, settings)
        return await pipeline.run_all(result, Progress(sys.stderr), steps), status


def _summary(result: EncounterResult, steps: list[StepName], status: ServerStatus) -> int:
    code = EXIT_OK
    for step in steps:
        outcome = result.steps.get(step)
        if outcome is None:
            continue
        if outcome.state is StepState.FAILED:
            code = EXIT_INCOMPLETE
            print(f"Not done - {step.title}: {outcome.message}", file=sys.stderr)
        elif outcome.state is StepState.SKIPPED:
            print(f"Skipped - {step.title}: {outcome.message}", file=sys.stderr)
    if not status.ready and StepName.PHI in steps:
        code = EXIT_INCOMPLETE  # PHI ran on the rules alone, without the model's layer
    return code


def run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        steps = parse_steps(args.steps)
        json_target = _check_output(args.json_out, args.force)
        docx_target = _check_output(args.out, args.force)
        transcript = read_transcript(Path(args.transcript))
    except MedscribeError as exc:
        print(exc.user_message, file=sys.stderr)
        return EXIT_USAGE
    result = EncounterResult(transcript=transcript)
    result, status = asyncio.run(_process(args, settings, steps, result))
    code = _summary(result, steps, status)
    try:
        if json_target is not None or docx_target is None:
            _write_json(result, json_target, args.force)
            if json_target is not None:
                print(f"Wrote {json_target}", file=sys.stderr)
        if docx_target is not None:
            from medscribe.export import write_docx

            write_docx(
                result,
                docx_target,
                deidentify=args.deidentify,
                include_transcript=args.include_transcript,
                overwrite=args.force,
            )
            print(f"Wrote {docx_target}", file=sys.stderr)
    except MedscribeError as exc:
        print(exc.user_message, file=sys.stderr)
        return EXIT_INCOMPLETE
    return code
