"""Build and verify a BLIND PHI evaluation set from its marked-up sources (shared by the
``build_blind.py`` of every blind set: ``blind1/``, ``blind2/a/``, ``blind2/b/``).

A blind set exists to measure the PHI detector's recall on wording nobody tuned on, so its
gold must be trustworthy: every span is checked here rather than trusted. Sources live in the
set's ``src/*.txt``::

    # id: blind2a-hw-01
    # source: handwritten (typed dictation)
    This is Dr. [[NAME|...]] dictating ...

Header lines start with ``# `` and come first; the rest is the transcript, in which
``[[CATEGORY|text]]`` marks an identifier. The markup is stripped and each span's offsets are
recorded in ``<id>.json`` next to the sources' folder (format: ``README.md`` here). A set may
prescribe the form of its ids so that they never collide with another writer's.

``--lint`` prints digits, month names, ``@``/``dot com`` and similar outside any span so a
person can re-read them; it is a reviewing aid (most hits are vitals and doses), not a gate.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
from collections import Counter
from pathlib import Path

from medscribe.core.phi import PhiCategory

MARK = re.compile(r"\[\[([A-Z_]+)\|([^\[\]|]+)\]\]")
HEADER = re.compile(r"^# (id|source): (.+)$")
VALID = {c.value for c in PhiCategory}
LINT = re.compile(
    r"(?<!\w)\d[\d.,/:%-]*|@|\b(?:dot com|dot org|dot net|www|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|street|avenue|road|lane|drive|hospital|"
    r"clinic|center|pharmacy|school|college|university)\b",
    re.IGNORECASE,
)


class SourceError(ValueError):
    """A source file whose markup or header would produce a wrong gold span."""


def parse_source(path: Path, id_format: re.Pattern[str] | None = None) -> dict:
    """Turn one marked-up source into the JSON record, verifying every span (and the id's
    form, when the set prescribes one)."""
    raw = path.read_text(encoding="utf-8")
    lines = raw.split("\n")
    meta: dict[str, str] = {}
    while lines and lines[0].startswith("# "):
        match = HEADER.match(lines.pop(0))
        if not match:
            raise SourceError(f"{path.name}: malformed header line")
        meta[match.group(1)] = match.group(2).strip()
    if set(meta) != {"id", "source"}:
        raise SourceError(f"{path.name}: header needs '# id:' and '# source:'")
    if id_format is not None and not id_format.match(meta["id"]):
        raise SourceError(f"{path.name}: id {meta['id']!r} does not match {id_format.pattern}")
    body = "\n".join(lines).strip("\n") + "\n"

    text_parts: list[str] = []
    spans: list[dict] = []
    marked: list[str] = []
    pos = 0
    out_len = 0
    for match in MARK.finditer(body):
        before = body[pos : match.start()]
        text_parts.append(before)
        out_len += len(before)
        category, value = match.group(1), match.group(2)
        if category not in VALID:
            raise SourceError(f"{path.name}: unknown category {category!r}")
        if value != value.strip():
            raise SourceError(f"{path.name}: span {value!r} has outer whitespace")
        spans.append({"start": out_len, "end": out_len + len(value), "category": category})
        marked.append(value)
        text_parts.append(value)
        out_len += len(value)
        pos = match.end()
    text_parts.append(body[pos:])
    text = "".join(text_parts)
    if "[[" in text or "]]" in text:
        raise SourceError(f"{path.name}: unbalanced or malformed markup left in text")

    for span, value in zip(spans, marked, strict=True):
        start, end = span["start"], span["end"]
        if text[start:end] != value:
            raise SourceError(f"{path.name}: offsets of {value!r} do not match the text")
        # A span must cover whole words: a neighbour letter/digit means a cut-off token.
        if start > 0 and text[start - 1].isalnum():
            raise SourceError(f"{path.name}: {value!r} starts inside a word")
        if end < len(text) and text[end].isalnum():
            raise SourceError(f"{path.name}: {value!r} ends inside a word")
    for left, right in itertools.pairwise(spans):
        if right["start"] < left["end"]:
            raise SourceError(f"{path.name}: overlapping spans at {right['start']}")
    return {"id": meta["id"], "source": meta["source"], "text": text, "spans": spans}


def build_all(folder: Path, id_format: re.Pattern[str] | None = None) -> list[dict]:
    """Parse every source; ids must be unique because the evaluator keys on them."""
    records = [parse_source(p, id_format) for p in sorted((folder / "src").glob("*.txt"))]
    ids = Counter(r["id"] for r in records)
    dupes = [i for i, n in ids.items() if n > 1]
    if dupes:
        raise SourceError(f"duplicate ids: {dupes}")
    return records


def render(record: dict) -> str:
    """Stable serialisation so ``--check`` can compare byte for byte."""
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def lint(record: dict) -> list[str]:
    """Unmarked look-alikes of identifiers, with context, for a human re-read."""
    covered = [(s["start"], s["end"]) for s in record["spans"]]
    text = record["text"]
    hits = []
    for match in LINT.finditer(text):
        if any(a <= match.start() < b for a, b in covered):
            continue
        lo, hi = max(0, match.start() - 40), min(len(text), match.end() + 40)
        hits.append(f"{record['id']}: ...{text[lo:hi]!r}...".replace("\\n", " "))
    return hits


def run(folder: Path, id_format: str | None = None, argv: list[str] | None = None) -> int:
    """Build (or with ``--check`` verify) the JSON files of the blind set in ``folder``."""
    parser = argparse.ArgumentParser(description=f"Build and verify {folder.name}/src/*.txt")
    parser.add_argument("--check", action="store_true", help="fail if a JSON file is stale")
    parser.add_argument("--lint", action="store_true", help="list unmarked look-alikes")
    args = parser.parse_args(argv)

    records = build_all(folder, re.compile(id_format) if id_format else None)
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(s["category"] for s in record["spans"])
    stale = []
    for record in records:
        target = folder / f"{record['id']}.json"
        content = render(record)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != content:
                stale.append(target.name)
        else:
            target.write_text(content, encoding="utf-8")
    wanted = {f"{r['id']}.json" for r in records}
    orphans = sorted(p.name for p in folder.glob("*.json") if p.name not in wanted)

    print(f"{len(records)} transcripts, {sum(counts.values())} spans")
    for category in PhiCategory:
        print(f"  {category.value:12s} {counts.get(category.value, 0)}")
    missing = [c.value for c in PhiCategory if counts.get(c.value, 0) < 3]
    if missing:
        print(f"categories with fewer than 3 spans: {missing}")
    if args.lint:
        for record in records:
            for line in lint(record):
                print(line)
    if stale or orphans:
        print(f"stale: {stale} orphans: {orphans}")
        return 1
    return 1 if missing else 0
