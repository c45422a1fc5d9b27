"""The whole flow in the real window against the scripted LM Studio over loopback HTTP:
open an ACI-Bench transcript, run all, watch progress and the SOAP note fill, edit and undo,
review PHI, export and read the DOCX back; cancel mid-stream; the server going down and up."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QToolButton

from medscribe.core.llm_port import HealthState
from medscribe.core.notes import SoapSection
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.core.steps import StepEvent, StepName, StepState
from tests.servers.scripted import ScriptedReply
from tests.ui.conftest import SOAP_TEXT, program_clinic

ACI = Path(__file__).parents[1] / "data" / "aci_bench" / "train_D2N001-virtassist.txt"
SOAP_NAMES = {
    SoapSection.SUBJECTIVE: "soapSubjective",
    SoapSection.OBJECTIVE: "soapObjective",
    SoapSection.ASSESSMENT: "soapAssessment",
    SoapSection.PLAN: "soapPlan",
}


def _settings(server, **extra):
    return server.settings(max_retries=0, **extra)


def _editor(window, section: SoapSection) -> QPlainTextEdit:
    editor = window.findChild(QPlainTextEdit, SOAP_NAMES[section])
    assert editor is not None
    return editor


def _action(window, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None, name
    return action


def _opened(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.document.is_empty, timeout=10_000)


def _all_final(window) -> bool:
    steps = window.document.result.steps
    return all(s in steps and steps[s].state.is_final for s in StepName)


def test_run_all_edit_undo_review_export(main_window, clinic_server, qtbot, tmp_path) -> None:
    window = main_window(settings=_settings(clinic_server), path=ACI)
    _opened(window, qtbot)
    assert window.windowTitle() == f"medscribe — {ACI.name}[*]"
    assert not window.isWindowModified()
    events: list[StepEvent] = []
    window.pipeline_controller.step_event.connect(events.append)

    _action(window, "actionRunAll").trigger()
    qtbot.waitUntil(lambda: _all_final(window), timeout=30_000)

    steps = window.document.result.steps
    assert {s: steps[s].state for s in StepName} == {s: StepState.DONE for s in StepName}
    soap_states = [e.state for e in events if e.step is StepName.SOAP]
    assert StepState.WAITING in soap_states and StepState.GENERATING in soap_states
    assert any(e.text_delta for e in events if e.step is StepName.SOAP)
    # The four sections filled, in the editors the physician sees.
    assert "lisinopril 20 mg" in _editor(window, SoapSection.PLAN).toPlainText()
    for section in SoapSection:
        text = _editor(window, section).toPlainText()
        assert text and text == window.document.result.soap.get(section)
        assert not _editor(window, section).isReadOnly()
    state_label = window.findChild(QLabel, "stepState_soap")
    assert state_label.text() == "Done"
    assert window.document.result.entities.medications[0].name == "lisinopril"
    assert window.isWindowModified()  # results are unsaved work

    # Edit by typing, then undo with the window's action (Ctrl+Z).
    plan = _editor(window, SoapSection.PLAN)
    before = plan.toPlainText()
    plan.setFocus()
    plan.moveCursor(plan.textCursor().MoveOperation.End)
    qtbot.keyClicks(plan, " Recheck labs.")
    assert window.document.result.soap.plan == before + " Recheck labs."
    qtbot.keyClick(plan, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.result.soap.plan == before
    assert plan.toPlainText() == before
    _action(window, "actionRedo").trigger()
    assert plan.toPlainText() == before + " Recheck labs."

    # PHI review: confirm one identifier, reject a false one.
    doc = window.document
    text = doc.result.transcript.text
    start = text.index("martha")
    doc.add_phi_span(
        PhiSpan(start=start, end=start + 6, category=PhiCategory.NAME, text="martha",
                source=PhiSource.USER)
    )  # fmt: skip
    index = next(i for i, s in enumerate(doc.result.phi_spans) if s.start == start)
    doc.set_phi_state(index, ReviewState.CONFIRMED)
    wash = text.index("washington")
    doc.add_phi_span(PhiSpan(start=wash, end=wash + 10, category=PhiCategory.LOCATION,
                             text="washington"))  # fmt: skip
    w_index = next(i for i, s in enumerate(doc.result.phi_spans) if s.start == wash)
    doc.set_phi_state(w_index, ReviewState.REJECTED)
    assert window.transcript_pane.counts.text()  # counts redraw without error

    # Export through the real flow (questions answered by the test), then overwrite.
    target = tmp_path / "note.docx"
    asked_overwrite: list[Path] = []
    window.export.ask_options = lambda d, i, pending, done: done(True, True)
    window.export.ask_path = lambda suggested, done: done(target)
    window.export.ask_overwrite = lambda p, done: (asked_overwrite.append(p), done(True))
    _action(window, "actionExportDocx").trigger()
    qtbot.waitUntil(lambda: window.export.task is not None and window.export.task.done())
    assert window.export.task.result() == target
    assert "note.docx" in window.statusBar().currentMessage()
    body = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Continue lisinopril 20 mg daily" in body
    assert "martha" not in body.lower()  # confirmed identifier replaced
    assert "[NAME]" in body
    assert "washington" in body.lower()  # rejected: left as said (transcript appendix)
    first_size = target.stat().st_size

    window.export.ask_options = lambda d, i, pending, done: done(False, False)
    _action(window, "actionExportDocx").trigger()
    qtbot.waitUntil(lambda: window.export.task.done())
    assert asked_overwrite == [target]
    assert window.export.task.result() == target
    body = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "[NAME]" not in body and target.stat().st_size != first_size


def test_export_never_overwrites_without_yes(main_window, clinic_server, qtbot, tmp_path):
    window = main_window(settings=_settings(clinic_server), path=ACI)
    _opened(window, qtbot)
    target = tmp_path / "kept.docx"
    target.write_bytes(b"the physician's own file")
    window.export.ask_options = lambda d, i, pending, done: done(False, False)
    window.export.ask_path = lambda suggested, done: done(target)
    window.export.ask_overwrite = lambda p, done: done(False)
    window.export.start()
    assert window.export.task is None  # nothing written
    assert target.read_bytes() == b"the physician's own file"


def test_cancel_mid_stream(main_window, scripted_server, qtbot) -> None:
    slow = ScriptedReply(content=SOAP_TEXT * 20, chunk_delay=0.03)
    program_clinic(scripted_server, soap_reply=slow)
    window = main_window(settings=_settings(scripted_server), path=ACI)
    _opened(window, qtbot)
    subjective = _editor(window, SoapSection.SUBJECTIVE)

    _action(window, "actionRunSoap").trigger()
    qtbot.waitUntil(lambda: bool(subjective.toPlainText()), timeout=15_000)
    assert subjective.isReadOnly()  # no typing into text the model is still writing
    assert _action(window, "actionCancel").isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Escape)

    qtbot.waitUntil(
        lambda: (
            window.document.result.steps.get(StepName.SOAP) is not None
            and window.document.result.steps[StepName.SOAP].state is StepState.CANCELLED
        ),
        timeout=5_000,
    )
    qtbot.waitUntil(lambda: scripted_server.disconnects >= 1, timeout=5_000)
    assert window.findChild(QLabel, "stepState_soap").text() == "Cancelled"
    assert not subjective.isReadOnly()
    assert window.document.result.soap.is_empty()  # nothing half-written was kept
    assert not _action(window, "actionCancel").isEnabled()


def test_new_transcript_while_streaming_discards_the_old_run(
    main_window, scripted_server, qtbot
) -> None:
    program_clinic(
        scripted_server, soap_reply=ScriptedReply(content=SOAP_TEXT * 20, chunk_delay=0.03)
    )
    window = main_window(settings=_settings(scripted_server), path=ACI)
    _opened(window, qtbot)
    subjective = _editor(window, SoapSection.SUBJECTIVE)
    _action(window, "actionRunSoap").trigger()
    qtbot.waitUntil(lambda: bool(subjective.toPlainText()), timeout=15_000)

    window.transcript_view.text_pasted.emit("[doctor] a different visit.\n[patient] yes.")
    qtbot.waitUntil(lambda: not window.pipeline_controller.is_running(), timeout=5_000)
    qtbot.waitUntil(lambda: scripted_server.disconnects >= 1, timeout=5_000)
    assert window.document.result.transcript.text.startswith("[doctor] a different visit.")
    assert window.document.result.soap.is_empty()  # nothing of the old visit's note
    assert StepName.SOAP not in window.document.result.steps  # the new visit never ran it
    assert window.findChild(QLabel, "stepState_soap").text() == "Idle"
    assert subjective.toPlainText() == "" and not subjective.isReadOnly()


def test_status_light_follows_server_down_and_up(main_window, clinic_server, qtbot) -> None:
    window = main_window(settings=_settings(clinic_server))
    indicator = window.findChild(QToolButton, "serverStatus")
    assert indicator is not None

    def state():
        return indicator.status.state if indicator.status else None

    qtbot.waitUntil(lambda: state() is HealthState.READY, timeout=10_000)
    assert not window.help_panel.isVisible()
    clinic_server.stop()
    window.status_controller.refresh_now()
    qtbot.waitUntil(lambda: state() is HealthState.UNREACHABLE, timeout=10_000)
    assert "not reachable" in indicator.text()
    assert window.help_panel.isVisible()
    clinic_server.start()
    window.status_controller.refresh_now()
    qtbot.waitUntil(lambda: state() is HealthState.READY, timeout=10_000)
    assert not window.help_panel.isVisible()


def test_run_all_without_server_still_finds_phi(main_window, scripted_server, qtbot) -> None:
    settings = _settings(scripted_server)
    scripted_server.stop()
    window = main_window(settings=settings, path=ACI)
    _opened(window, qtbot)
    _action(window, "actionRunAll").trigger()
    qtbot.waitUntil(lambda: _all_final(window), timeout=30_000)
    steps = window.document.result.steps
    assert steps[StepName.PHI].state is StepState.DONE
    for step in (StepName.ENTITIES, StepName.SOAP, StepName.STRUCTURE):
        assert steps[step].state is StepState.FAILED
        reason = window.findChild(QLabel, f"stepReason_{step.value}")
        assert reason.isVisible() and "LM Studio" in reason.text()
        assert window.findChild(QToolButton, f"stepRun_{step.value}").text() == "Retry"
    # Retry once the server is back: the step runs and its row says Done.
    program_clinic(scripted_server)
    scripted_server.start()
    window.findChild(QToolButton, "stepRun_soap").click()
    qtbot.waitUntil(
        lambda: window.document.result.steps[StepName.SOAP].state is StepState.DONE,
        timeout=15_000,
    )
    assert not window.findChild(QLabel, "stepReason_soap").isVisible()


@pytest.mark.parametrize("section", [SoapSection.ASSESSMENT])
def test_regenerate_one_section_keeps_the_others(
    main_window, clinic_server, qtbot, section
) -> None:
    window = main_window(settings=_settings(clinic_server), path=ACI)
    _opened(window, qtbot)
    _action(window, "actionRunSoap").trigger()
    qtbot.waitUntil(
        lambda: (
            window.document.result.steps.get(StepName.SOAP) is not None
            and window.document.result.steps[StepName.SOAP].state is StepState.DONE
        ),
        timeout=15_000,
    )
    window.document.set_soap_section(SoapSection.PLAN, "My own plan.")
    clinic_server.script_chat(ScriptedReply(content="Assessment:\nHeart failure, improving."))
    window.soap_editor.regenerate_buttons[section].click()
    qtbot.waitUntil(
        lambda: window.document.result.soap.assessment == "Heart failure, improving.",
        timeout=15_000,
    )
    assert window.document.result.soap.plan == "My own plan."
    window.document.undo_stack.undo()
    assert "stable" in window.document.result.soap.assessment


def test_regenerate_waits_while_run_all_has_not_written_the_note(
    main_window, scripted_server, qtbot
) -> None:
    from tests.ui.conftest import clinic_responder

    program_clinic(scripted_server)
    answer = clinic_responder()

    def slow_entities(body):
        reply = answer(body)
        if "Entities" in str((body.get("response_format") or {}).get("json_schema", {})):
            reply.first_token_delay = 1.5  # Run all is busy on entities, SOAP still to come
        return reply

    scripted_server.responder = slow_entities
    window = main_window(settings=_settings(scripted_server), path=ACI)
    _opened(window, qtbot)
    _action(window, "actionRunAll").trigger()
    controller = window.pipeline_controller
    qtbot.waitUntil(lambda: controller.is_running(StepName.ENTITIES), timeout=15_000)
    window.soap_editor.regenerate_buttons[SoapSection.PLAN].click()
    assert "regenerate after it" in window.statusBar().currentMessage()
    assert not controller.is_running(StepName.SOAP)
    qtbot.waitUntil(lambda: _all_final(window), timeout=30_000)
    soap_requests = [
        b for b in scripted_server.chat_requests if not b.get("response_format") and b.get("stream")
    ]
    assert len(soap_requests) == 1  # only Run all's own note, no extra section request
    assert window.document.result.steps[StepName.SOAP].state is StepState.DONE
