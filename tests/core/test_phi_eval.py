"""Quality gate: the rules layer on the held-out TEST split of the PHI evaluation set.

Targets from the issue: entity recall >= 0.99 and character precision >= 0.85, with the same
scoring as ``bench/phi_eval.py`` (imported from it, so the bench and the gate cannot drift).
Not a timing test: speed is measured by the bench script only.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "data" / "phi_eval"
CATEGORIES = {
    "NAME", "LOCATION", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN", "HEALTH_PLAN",
    "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "ID",
}  # fmt: skip


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("phi_eval_bench", ROOT / "bench" / "phi_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "split", ["dev", "test", "blind1", "blind2", "blind3", "blind4", "blind5", "blind6"]
)
def test_eval_set_is_well_formed(split: str) -> None:
    docs = [json.loads(p.read_text("utf-8")) for p in sorted((EVAL / split).rglob("*.json"))]
    assert len(docs) >= 15
    seen = set()
    for doc in docs:
        text = doc["text"]
        last_end = 0
        for span in doc["spans"]:
            assert 0 <= last_end <= span["start"] < span["end"] <= len(text)
            assert text[span["start"] : span["end"]].strip() == text[span["start"] : span["end"]]
            seen.add(span["category"])
            last_end = span["end"]
    assert seen == CATEGORIES  # every category, in both splits


def test_dev_and_test_share_no_inserted_name() -> None:
    def names(split: str) -> set[str]:
        out = set()
        for p in (EVAL / split).glob("*.json"):
            doc = json.loads(p.read_text("utf-8"))
            out |= {
                doc["text"][s["start"] : s["end"]].lower()
                for s in doc["spans"]
                if s["category"] == "NAME"
            }
        return out

    assert names("dev") & names("test") == set()


def test_rules_meet_the_targets_on_the_test_split(bench) -> None:
    scores = bench.score(bench.load_split("test"), bench.rules_predictor())
    assert sum(scores.total.values()) >= 250
    misses = [f"{cat}: {text!r}" for _, cat, text in scores.misses]
    assert scores.entity_recall >= 0.99, misses
    assert scores.char_precision >= 0.85, scores.false_alarms[:20]


def test_scoring_counts_a_gold_span_found_by_any_of_its_characters(bench) -> None:
    docs = [
        {"id": "a", "text": "call john smith now", "spans": [
            {"start": 5, "end": 15, "category": "NAME"}]},
        {"id": "b", "text": "ssn 123-45-6789", "spans": [
            {"start": 4, "end": 15, "category": "SSN"}]},
    ]  # fmt: skip
    scores = bench.score(docs, lambda text: [(5, 9)] if text.startswith("call") else [(0, 3)])
    assert scores.found == {"NAME": 1} and scores.total == {"NAME": 1, "SSN": 1}
    assert scores.leaking == ["b"]
    assert scores.char_recall == pytest.approx(4 / (9 + 11))
    assert scores.char_precision == pytest.approx(4 / (4 + 3))


# Every folder with its own builder (one per writer); at least the six sets known today.
BLIND_FOLDERS = sorted(p.parent.relative_to(EVAL).as_posix() for p in EVAL.rglob("build_blind.py"))


def test_every_blind_writer_folder_has_a_builder() -> None:
    assert len(BLIND_FOLDERS) >= 11
    assert {f.split("/")[0] for f in BLIND_FOLDERS} >= {f"blind{n}" for n in range(1, 7)}


@pytest.mark.parametrize("folder", BLIND_FOLDERS)
def test_blind_sets_are_built_from_their_sources(folder: str) -> None:
    """The JSON of each blind set is what its marked-up sources give (offsets re-checked)."""
    script = EVAL / folder / "build_blind.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
