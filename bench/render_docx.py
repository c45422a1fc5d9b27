"""Render the exported DOCX the way a physician will see it, through LibreOffice.

Writes a filled sample note (the bundled ACI-Bench demo visit, with a hand-written note of the
kind the pipeline produces), normal and de-identified with the transcript appendix, converts both
with ``libreoffice --headless --convert-to pdf``, renders every page with ``pdftoppm -png -r 80``
and saves the PNGs under docs/ (export-sample-page1.png ..., export-deidentified-page1.png ...).
Look at them: python-docx tests cannot see a list that starts at 4 or a footer that wraps.

Needs Debian's libreoffice-writer-nogui (or libreoffice-writer) and poppler-utils; Carlito
(fonts-crosextra-carlito) makes Calibri render with Word's metrics. Not part of CI.

    .venv/bin/python bench/render_docx.py [--out docs]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from medscribe.core.entities import (
    Allergy,
    CodeStatus,
    Diagnosis,
    MedicalEntities,
    Medication,
    Procedure,
)
from medscribe.core.notes import SoapNote, StructuredDocument
from medscribe.core.phi import PhiCategory, PhiSpan
from medscribe.core.readers import transcript_from_text
from medscribe.core.session import EncounterInfo, EncounterResult
from medscribe.export import write_docx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample" / "sample_visit.txt"

SOAP = SoapNote(
    subjective=(
        "**Chief complaint:** right ankle pain after a fall yesterday.\n"
        "Carolyn slipped on ice while taking out the trash yesterday and heard a pop. She could "
        "not bear weight at first; today she bears some weight but limps.\n"
        "- Iced and elevated the ankle overnight\n"
        "- Ibuprofen last night and this morning: pain 6/10 without, 1-4/10 with ibuprofen\n"
        "- No numbness or tingling in the right foot\n"
        "- No previous injury to this ankle; played soccer in college, intramural now"
    ),
    objective=(
        "Vitals within normal limits.\n"
        "**Right ankle:**\n"
        "- Ecchymosis and edema over the lateral malleolus\n"
        "- Tenderness to palpation of the anterolateral soft tissue\n"
        "- No laxity on anterior drawer or inversion stress; no bony tenderness\n"
        "- Capillary refill < 3 s, strong dorsalis pedis pulse, sensation intact; symmetric\n"
        "X-ray right ankle: no fracture."
    ),
    assessment=(
        "1. Sprain of the right ankle, lateral ligament complex (anterior talofibular "
        "ligament), after a fall on ice. No fracture on X-ray."
    ),
    plan=(
        "1. Elevate the leg when seated; continue ice.\n"
        "2. Air cast to stabilise the ankle.\n"
        "3. Crutches; non-weight-bearing for a few days, then weight-bearing as tolerated.\n"
        "4. Ibuprofen (NSAID) as needed for pain and swelling.\n"
        "5. Follow-up in 14 days; Carolyn to call sooner if symptoms worsen."
    ),
)

STRUCTURED = StructuredDocument(
    chief_complaint="Right ankle pain after a fall on ice.",
    history_of_present_illness=(
        "Carolyn slipped on ice yesterday, heard a pop and could not bear weight at first. "
        "Ice, elevation and ibuprofen help (pain 6/10 without, 1/10 with)."
    ),
    medications="Ibuprofen as needed.",
    allergies="",
    physical_examination="Right ankle: lateral ecchymosis and edema, anterolateral tenderness, "
    "stable ligaments, neurovascularly intact.",
    assessment="Right lateral ankle sprain (ATFL).",
    plan="Air cast, crutches, ice, elevation, NSAIDs; follow-up in two weeks.",
    follow_up_instructions="Return in 14 days, sooner if pain or swelling increase.",
)

ENTITIES = MedicalEntities(
    diagnoses=[
        Diagnosis(
            name="Sprain of right ankle (ATFL)",
            icd10_code="S93.491A",
            icd10_title="Sprain of other ligament of right ankle, initial encounter",
            code_status=CodeStatus.VERIFIED,
        ),
        Diagnosis(
            name="Fall on ice",
            icd10_code="W00.0XXA",
            icd10_title="Fall on same level due to ice and snow, initial encounter",
            code_status=CodeStatus.VERIFIED,
        ),
        # A code the model made up: what a physician sees for a code not in the table.
        Diagnosis(name="Ankle effusion", icd10_code="M25.479", code_status=CodeStatus.INVALID),
    ],
    medications=[Medication(name="Ibuprofen", route="oral", frequency="as needed")],
    allergies=[Allergy(substance="Latex", reaction="hives", supported=False)],
    procedures=[Procedure(name="X-ray right ankle")],
)


def _name_spans(text: str) -> list[PhiSpan]:
    """The detector's spans when it exists; else every "carolyn", by hand."""
    try:
        from medscribe.core.phi_detect import detect_phi_rules
    except ImportError:
        spans, start = [], text.find("carolyn")
        while start >= 0:
            spans.append(
                PhiSpan(start=start, end=start + 7, category=PhiCategory.NAME, text="carolyn")
            )
            start = text.find("carolyn", start + 1)
        return spans
    return detect_phi_rules(text)


def sample_result() -> EncounterResult:
    transcript = transcript_from_text(
        SAMPLE.read_text(encoding="utf-8"), source_name="sample_visit.txt", source_format="text"
    )
    return EncounterResult(
        transcript=transcript,
        encounter=EncounterInfo(
            date="2026-03-05", clinician="Dr. Maria Alvarez", patient_name="Carolyn Price"
        ),
        phi_spans=_name_spans(transcript.text),
        entities=ENTITIES,
        soap=SOAP,
        structured=STRUCTURED,
    )


def _render(docx: Path, out_dir: Path, stem: str) -> list[Path]:
    work = docx.parent
    started = time.perf_counter()
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = docx.with_suffix(".pdf")
    convert_s = time.perf_counter() - started
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(pdf), str(work / stem)], check=True, timeout=120
    )
    pages = sorted(work.glob(f"{stem}-*.png"))
    saved = []
    for i, page in enumerate(pages, start=1):
        target = out_dir / f"{stem}-page{i}.png"
        shutil.copyfile(page, target)
        saved.append(target)
    print(f"{stem}: {docx.stat().st_size} bytes, {len(pages)} pages, PDF in {convert_s:.1f} s")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    args = parser.parse_args(argv)
    for tool in ("libreoffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(
                f"{tool} is missing: apt-get install -y libreoffice-writer-nogui poppler-utils",
                file=sys.stderr,
            )
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    result = sample_result()
    with tempfile.TemporaryDirectory() as tmp:
        for stem, deid in (("export-sample", False), ("export-deidentified", True)):
            started = time.perf_counter()
            path = write_docx(
                result, Path(tmp) / f"{stem}.docx", deidentify=deid, include_transcript=deid
            )
            print(f"{stem}: write_docx {1000 * (time.perf_counter() - started):.0f} ms")
            for png in _render(path, args.out, stem):
                print(f"  {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
