"""Screenshots of the main states of the window, for the README and for looking at.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_screenshots.py [--out docs]

Writes screenshot-empty.png (first launch, LM Studio not running), screenshot-running.png (an
ACI-Bench visit, the SOAP note streaming in), screenshot-reviewed.png (all steps done, PHI
reviewed, note edited), screenshot-entities.png and screenshot-structured.png (the other
tabs of that visit) and screenshot-settings.png (the settings pane). The model is the
project's scripted LM Studio on loopback, so the pictures are the same on every run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ACI = ROOT / "tests" / "data" / "aci_bench" / "train_D2N001-virtassist.txt"
SIZE = (1360, 860)

SOAP = (
    "Subjective:\nMartha is a 50-year-old woman with congestive heart failure, depression and "
    "hypertension seen for her annual exam. She has been travelling and hiking; she admits to "
    "salty foods (tater tots, soft pretzels). Depression is stable with weekly therapy; no "
    "thoughts of self-harm. No chest pain, shortness of breath or leg swelling.\n\n"
    "Objective:\nBlood pressure 128/78, heart rate 72. Lungs clear. Grade 2/6 systolic murmur, "
    "unchanged. Trace bilateral ankle oedema.\n\n"
    "Assessment:\n1. Congestive heart failure, compensated.\n2. Hypertension, controlled.\n"
    "3. Depression, stable on therapy.\n\n"
    "Plan:\n- Continue lisinopril 20 mg daily and carvedilol 25 mg twice daily.\n"
    "- Low-sodium diet; daily weights.\n- Echocardiogram before next visit.\n"
    "- Follow up in 3 months.\n"
)
ENTITIES = {
    "diagnoses": [
        {"name": "congestive heart failure", "icd10_code": "I50.9"},
        {"name": "hypertension", "icd10_code": "I10"},
        {"name": "depression", "icd10_code": "F32.A"},
    ],
    "medications": [
        {"name": "lisinopril", "dose": "20 mg", "route": "oral", "frequency": "daily"},
    ],
    "procedures": [{"name": "echocardiogram"}],
    "symptoms": [{"name": "chest pains"}, {"name": "shortness of breath"}],
    "vitals": [],
    "allergies": [],
}
STRUCTURED = {
    "chief_complaint": "Annual exam.",
    "history_of_present_illness": "Feels well, more active, some dietary indiscretion.",
    "past_medical_history": "Congestive heart failure, depression, hypertension.",
    "medications": "Lisinopril 20 mg daily.",
    "allergies": "None reported.",
    "physical_examination": "Lungs clear; 2/6 systolic murmur; trace ankle oedema.",
    "assessment": "Compensated heart failure; controlled hypertension; stable depression.",
    "plan": "Continue medications, low-sodium diet, echocardiogram.",
    "follow_up_instructions": "Return in 3 months.",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="ui_shots_"))
    os.environ["MEDSCRIBE_CONFIG_DIR"] = str(work / "config")
    os.environ["MEDSCRIBE_DATA_DIR"] = str(work / "data")

    import qasync
    from PySide6.QtWidgets import QApplication

    from medscribe.app import build_main_window
    from medscribe.core.llm_port import HealthState
    from medscribe.core.notes import SoapSection
    from medscribe.core.phi import ReviewState
    from medscribe.core.steps import StepName, StepState
    from medscribe.settings import Settings
    from tests.servers.replies import ScriptedModel, default_models
    from tests.servers.scripted import ScriptedReply, ScriptedServer

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    server = ScriptedServer().start()
    server.models = [
        ScriptedModel("lmstudio-community/qwen3-8b", context_length=16384),
        *default_models()[1:],
    ]
    soap_reply = [ScriptedReply(content=SOAP, chunk_delay=0.002)]

    def respond(body: dict) -> ScriptedReply:
        name = str(((body.get("response_format") or {}).get("json_schema") or {}).get("name", ""))
        if "Entities" in name:
            return ScriptedReply(content=json.dumps(ENTITIES))
        if "Document" in name:
            return ScriptedReply(content=json.dumps(STRUCTURED))
        if "Phi" in name:  # the model layer of PHI detection: the names it heard
            found = [{"text": "martha", "category": "NAME"}, {"text": "dax", "category": "NAME"}]
            return ScriptedReply(content=json.dumps({"identifiers": found}))
        return soap_reply[0]

    server.responder = respond

    async def until(predicate, timeout: float = 20.0) -> None:
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise TimeoutError("state not reached")
            await asyncio.sleep(0.02)

    async def close(window) -> None:
        window.discard_changes_on_close = True
        window.close()
        await window.shutdown()

    def save(window, name: str) -> None:
        path = out / name
        window.grab().save(str(path))
        print(f"wrote {path}")

    async def shots() -> None:
        # Empty: the first launch, LM Studio not running.
        down = Settings(base_url="http://127.0.0.1:9/v1")
        window = build_main_window(settings=down)
        window.resize(*SIZE)
        window.show()
        await until(
            lambda: (
                window.server_indicator.status is not None
                and window.server_indicator.status.state is HealthState.UNREACHABLE
            )
        )
        await asyncio.sleep(0.2)
        save(window, "screenshot-empty.png")
        await close(window)

        # Running: PHI and entities done, the SOAP note streaming in.
        soap_reply[0] = ScriptedReply(content=SOAP, chunk_delay=0.05)
        window = build_main_window(settings=server.settings(max_retries=0), path=ACI)
        window.resize(*SIZE)
        window.show()
        await until(lambda: not window.document.is_empty)
        window.actions.run_all.trigger()
        subjective = window.soap_editor.editors[SoapSection.SUBJECTIVE]
        await until(lambda: len(subjective.toPlainText()) > 150)
        await asyncio.sleep(0.6)
        save(window, "screenshot-running.png")
        window.pipeline_controller.cancel()
        await close(window)

        # Reviewed: everything done, identifiers reviewed, the note edited.
        soap_reply[0] = ScriptedReply(content=SOAP, chunk_delay=0.0)
        window = build_main_window(settings=server.settings(max_retries=0), path=ACI)
        window.resize(*SIZE)
        window.show()
        await until(lambda: not window.document.is_empty)
        window.actions.run_all.trigger()

        def done() -> bool:
            steps = window.document.result.steps
            return all(s in steps and steps[s].state is StepState.DONE for s in StepName)

        await until(done, 60)
        doc = window.document
        for i, span in enumerate(doc.result.phi_spans[:6]):
            state = ReviewState.REJECTED if span.category.value == "DATE" else ReviewState.CONFIRMED
            doc.set_phi_state(i, state)
        window.transcript_view.next_phi()
        doc.set_soap_section(SoapSection.PLAN, doc.result.soap.plan + "\n- Recheck potassium.")
        await asyncio.sleep(0.3)
        save(window, "screenshot-reviewed.png")

        # The other two tabs of the reviewed visit; an entity selected shows its evidence.
        window.tabs.setCurrentIndex(1)
        tree = window.entities_view.tree
        tree.expandAll()
        first_entry = tree.model().index(0, 0, tree.model().index(0, 0))
        if first_entry.isValid():
            tree.setCurrentIndex(first_entry)
        await asyncio.sleep(0.3)
        save(window, "screenshot-entities.png")
        window.tabs.setCurrentIndex(2)
        await asyncio.sleep(0.2)
        save(window, "screenshot-structured.png")
        window.tabs.setCurrentIndex(0)

        # Settings, over the reviewed window.
        window.open_settings()
        await asyncio.sleep(0.2)
        dialogs = [w for w in app.topLevelWidgets() if w.objectName() == "settingsDialog"]
        if dialogs:
            dialog = dialogs[0]
            dialog.test_connection()
            await until(lambda: dialog.last_status is not None, 10)
            await asyncio.sleep(0.3)
            save(dialog, "screenshot-settings.png")
            dialog.reject()
        else:
            print("settings dialog not found; screenshot-settings.png not written")
        await close(window)

    try:
        with loop:
            loop.run_until_complete(shots())
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
