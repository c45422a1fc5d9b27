"""Build the PHI evaluation set: real ACI-Bench conversations with identifiers inserted.

Run from the repository root: ``python tests/data/phi_eval/make_eval_set.py``. It rewrites
``tests/data/phi_eval/{dev,test}/*.json``, deterministically (fixed seeds).

How each transcript is made:
1. An ACI-Bench conversation (tests/data/aci_bench, CC BY 4.0): the patient's and doctor's
   names from its metadata are replaced by names from the split's pool, and the identifiers
   already in it (dates, pharmacies, places) are annotated from a reviewed list (ORIGINAL).
2. Turns built from the split's templates are inserted between random turns; each slot is
   filled by a value generator (values.py) in a written or spoken form, and its exact span
   and category are recorded.
3. Hand-written transcripts (handwritten/<split>/*.txt, markup ``[[CATEGORY|text]]``) are
   converted as they are.

DEV and TEST use different conversations, name pools, places, domains and templates. A TEST
round whose misses were read is retired and replaced (see README.md). Gold format: JSON with
``text`` and ``spans`` [{start, end, category}].
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import values as v  # noqa: E402
from templates import ORIGINAL, SPLITS  # noqa: E402

ROOT = HERE.parents[2]
ACI = HERE.parent / "aci_bench"
NAMES = ROOT / "resources" / "names"
RETIRED_SEEDS = (29, 47, 83)
_SLOT = re.compile(r"\{([A-Z_]+):([a-z0-9_]+)(?::([a-z_]+))?\}")
_MARK = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]", re.DOTALL)


def _name_pools(seed: int, exclude: set[str], k: int) -> tuple[list[str], list[str]]:
    """First names and surnames from the census lists, sampled by seed, minus ``exclude``."""
    rng = random.Random(seed)
    first = [w for w in (NAMES / "first_names.txt").read_text().split() if w not in exclude]
    last = (NAMES / "surnames.txt").read_text().split()[:20000]
    last = [w for w in last if w not in exclude]
    return rng.sample(first, k), rng.sample(last, k)


class Builder:
    """Accumulates text and gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.pos = 0

    def add(self, text: str, category: str | None = None) -> None:
        if category and text:
            self.spans.append(
                {"start": self.pos, "end": self.pos + len(text), "category": category}
            )
        self.parts.append(text)
        self.pos += len(text)

    def result(self) -> tuple[str, list[dict]]:
        return "".join(self.parts), self.spans


class Filler:
    """Fills template slots from one split's pools; a variant keeps one cast of people."""

    def __init__(self, rng: random.Random, pools: dict) -> None:
        self.rng = rng
        self.p = pools
        self.first = rng.choice(pools["first"])
        self.last = rng.choice(pools["last"])

    def value(self, cat: str, kind: str, style: str | None) -> str:
        r, p = self.rng, self.p
        style = style or ""
        simple = {
            "first": lambda: r.choice(p["first"]),
            "last": lambda: r.choice(p["last"]),
            "full": lambda: f"{r.choice(p['first'])} {r.choice(p['last'])}",
            "patient_first": lambda: self.first,
            "patient_full": lambda: f"{self.first} {self.last}",
            "city": lambda: r.choice(p["cities"]),
            "facility": lambda: r.choice(p["facilities"]),
            "employer": lambda: r.choice(p["employers"]),
            "street": lambda: (
                f"{v.street_number(r, style or 'digits')} {r.choice(p['streets'])} "
                f"{r.choice(p['suffixes'])}"
            ),
            "zip": lambda: v.zip_code(r, style or "digits"),
            "phone": lambda: v.phone(r, style),
            "ssn": lambda: v.ssn(r, style),
            "date": lambda: v.date(r, style),
            "age": lambda: v.age(r, style),
            "ip": lambda: v.ip(r, style),
            "url": lambda: v.url(r, r.choice(p["hosts"]), style),
            "email": lambda: v.email(
                r, self.first, self.last, r.choice(p["domains"]), style or "written"
            ),
        }
        if kind in simple:
            return simple[kind]()
        # code_<letters>_<digits>, e.g. code_2_7 with a style: written / spaced / spoken
        _, n_let, n_dig = kind.split("_")
        return v.code(r, style or "spoken", int(n_let), int(n_dig))


def render_turn(template: str, filler: Filler, builder: Builder) -> None:
    pos = 0
    for match in _SLOT.finditer(template):
        builder.add(template[pos : match.start()])
        cat, kind, style = match.groups()
        builder.add(filler.value(cat, kind, style), cat)
        pos = match.end()
    builder.add(template[pos:] + "\n")


def _original_line(line: str, replace: dict[str, tuple[str, str]], extra: list, b: Builder):
    """Copy one original line, swapping metadata names and annotating known identifiers."""
    marks: list[tuple[int, int, str, str]] = []
    for word, (new, cat) in replace.items():
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", line, re.IGNORECASE):
            marks.append((m.start(), m.end(), new, cat))
    for surface, cat in extra:
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", line, re.IGNORECASE):
            marks.append((m.start(), m.end(), m.group(), cat))
    marks.sort()
    pos = 0
    for start, end, text, cat in marks:
        if start < pos:
            continue
        b.add(line[pos:start])
        b.add(text, cat)
        pos = end
    b.add(line[pos:])


def build_variant(meta: dict, split: dict, pools: dict, seed: int) -> tuple[str, list[dict]]:
    rng = random.Random(seed)
    filler = Filler(rng, pools)
    replace: dict[str, tuple[str, str]] = {}
    if meta["patient_firstname"]:
        replace[meta["patient_firstname"].lower()] = (filler.first, "NAME")
    if meta["patient_familyname"]:
        replace[meta["patient_familyname"].lower()] = (filler.last, "NAME")
    if meta["doctor_name"]:
        replace[meta["doctor_name"].lower()] = (rng.choice(pools["last"]), "NAME")
    lines = (ACI / meta["file"]).read_text(encoding="utf-8").splitlines(keepends=True)
    templates = rng.sample(split["templates"], k=min(split["per_variant"], len(split["templates"])))
    slots = sorted(rng.sample(range(1, len(lines)), k=len(templates)))
    b = Builder()
    t = 0
    for i, line in enumerate(lines):
        while t < len(templates) and slots[t] == i:
            render_turn(templates[t], filler, b)
            t += 1
        _original_line(line, replace, ORIGINAL.get(meta["file"], []), b)
    return b.result()


def convert_handwritten(path: Path) -> tuple[str, list[dict]]:
    source = path.read_text(encoding="utf-8")
    b = Builder()
    pos = 0
    for m in _MARK.finditer(source):
        b.add(source[pos : m.start()])
        b.add(m.group(2), m.group(1))
        pos = m.end()
    b.add(source[pos:])
    return b.result()


def main() -> None:
    manifest = {m["file"]: m for m in json.loads((ACI / "manifest.json").read_text())}
    # Names of the earlier test rounds (seeds 29, 47, 83: retired once their results had been
    # inspected) stay out of both splits; DEV and TEST share no name.
    taken: set[str] = set()
    for retired_seed in RETIRED_SEEDS:
        retired_first, retired_last = _name_pools(retired_seed, set(), 80)
        taken |= set(retired_first) | set(retired_last)
    pools_by_split = {}
    for name in ("dev", "test"):
        first, last = _name_pools(SPLITS[name]["seed"], taken, 80)
        taken |= set(first) | set(last)
        pools_by_split[name] = (first, last)
    for name, split in SPLITS.items():
        first, last = pools_by_split[name]
        pools = {**split["pools"], "first": first + split["pools"].get("extra_first", []),
                 "last": last + split["pools"].get("extra_last", [])}  # fmt: skip
        out = HERE / name
        out.mkdir(exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        n = 0
        for file in split["conversations"]:
            for _ in range(split["variants"]):
                seed = split["seed"] * 1000 + n
                text, spans = build_variant(manifest[file], split, pools, seed)
                doc = {"id": f"{name}-{n:03d}", "source": f"aci-bench:{file}", "text": text,
                       "spans": spans}  # fmt: skip
                (out / f"{doc['id']}.json").write_text(json.dumps(doc, indent=1) + "\n")
                n += 1
        for path in sorted((HERE / "handwritten" / name).glob("*.txt")):
            text, spans = convert_handwritten(path)
            doc = {"id": f"{name}-{path.stem}", "source": "handwritten", "text": text,
                   "spans": spans}  # fmt: skip
            (out / f"{doc['id']}.json").write_text(json.dumps(doc, indent=1) + "\n")
            n += 1
        print(f"{name}: {n} transcripts")


if __name__ == "__main__":
    main()
