"""The steps panel and the SOAP editor on their own: what each state looks like in words,
the live note while it is written, and the editors' undo going to the document."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from medscribe.core.notes import SoapNote, SoapSection
from medscribe.core.readers import transcript_from_text
from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepEvent, StepName, StepOutcome, StepState, StepStats
from medscribe.ui.actions import Actions
from medscribe.ui.document import SessionDocument
from medscribe.ui.soap_editor import SoapEditor
from medscribe.ui.steps_panel import StepsPanel, format_elapsed, progress_words


@pytest.fixture
def panel(qtbot) -> StepsPanel:
    owner = QObject()
    panel = StepsPanel(Actions(owner))
    panel._owner = owner  # keep the actions alive with the panel
    qtbot.addWidget(panel)
    panel.show()
    return panel


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(0.04, "< 0.1 s"), (0.42, "0.4 s"), (9.96, "10.0 s"), (42.4, "42 s"), (187, "3:07")],
)
def test_elapsed_words(seconds: float, words: str) -> None:
    assert format_elapsed(seconds) == words


def test_progress_words_only_while_generating() -> None:
    gen = StepEvent(step=StepName.SOAP, state=StepState.GENERATING, completion_tokens=412,
                    tokens_per_second=68.4)  # fmt: skip
    assert progress_words(gen) == "412 tokens · 68/s"
    assert progress_words(gen.model_copy(update={"tokens_per_second": None})) == "412 tokens"
    assert progress_words(gen.model_copy(update={"state": StepState.PROMPT})) == ""


def test_a_step_from_waiting_to_failed_and_back(panel: StepsPanel) -> None:
    row = panel.rows[StepName.SOAP]
    panel.show_event(StepEvent(step=StepName.SOAP, state=StepState.WAITING))
    assert row.status.text() == "Waiting for LM Studio"
    assert row.progress.isVisible() and row.progress.maximum() == 0  # busy indicator
    assert row.cancel.isVisible() and row.cancel.isEnabled()
    panel.show_event(StepEvent(step=StepName.SOAP, state=StepState.PROMPT))
    assert row.status.text() == "Reading the transcript"
    panel.show_event(StepEvent(step=StepName.SOAP, state=StepState.GENERATING,
                               completion_tokens=40, tokens_per_second=21.0))  # fmt: skip
    assert row.status.text() == "Writing · 40 tokens · 21/s"
    reason = "LM Studio is not reachable at http://127.0.0.1:1234."
    panel.show_event(StepEvent(step=StepName.SOAP, state=StepState.FAILED, elapsed=3.2,
                               message=reason))  # fmt: skip
    assert row.status.text() == "Failed"
    assert row.reason.isVisible() and row.reason.text() == reason
    assert row.run.text() == "Retry"
    assert not row.progress.isVisible() and not row.cancel.isVisible()
    assert row.elapsed.text() == "3.2 s"
    # A stored outcome (undo, session opened) replaces the live state.
    panel.show_outcomes({StepName.SOAP: StepOutcome(state=StepState.DONE,
                                                    stats=StepStats(seconds=75))})  # fmt: skip
    assert row.status.text() == "Done" and row.run.text() == "Run"
    assert not row.reason.isVisible() and row.elapsed.text() == "1:15"
    panel.show_event(StepEvent(step=StepName.SOAP, state=StepState.IDLE))
    assert row.status.text() == "Idle" and row.elapsed.text() == ""


def test_done_with_a_notice_shows_it(panel: StepsPanel) -> None:
    note = "Checked with the rules only: LM Studio is not reachable."
    panel.show_event(StepEvent(step=StepName.PHI, state=StepState.DONE, message=note))
    row = panel.rows[StepName.PHI]
    assert row.status.text() == "Done" and row.reason.isVisible() and row.reason.text() == note


def test_run_and_cancel_buttons_ask_for_their_step(panel: StepsPanel, qtbot) -> None:
    with qtbot.waitSignal(panel.run_requested) as run:
        panel.rows[StepName.ENTITIES].run.click()
    assert run.args == [StepName.ENTITIES]
    panel.show_event(StepEvent(step=StepName.ENTITIES, state=StepState.WAITING))
    with qtbot.waitSignal(panel.cancel_requested) as cancel:
        panel.rows[StepName.ENTITIES].cancel.click()
    assert cancel.args == [StepName.ENTITIES]


def _loaded_document() -> SessionDocument:
    doc = SessionDocument()
    doc.load(EncounterResult(transcript=transcript_from_text("[doctor] hello.\n[patient] hi.")))
    return doc


def test_soap_editor_live_preview_is_read_only_and_then_shows_the_note(qtbot) -> None:
    doc = _loaded_document()
    editor = SoapEditor(doc)
    qtbot.addWidget(editor)
    editor.show_preview(SoapNote(subjective="Cough for 3 da"))
    subjective = editor.editors[SoapSection.SUBJECTIVE]
    assert subjective.toPlainText() == "Cough for 3 da" and subjective.isReadOnly()
    assert not editor.regenerate_buttons[SoapSection.PLAN].isEnabled()
    assert doc.result.soap.subjective == ""  # the preview is not an edit
    doc.undo_stack.clear()
    editor.show_preview(None)
    assert subjective.toPlainText() == "" and not subjective.isReadOnly()
    assert doc.undo_stack.count() == 0


def test_document_changes_keep_the_cursor_where_it_was(qtbot) -> None:
    doc = _loaded_document()
    editor = SoapEditor(doc)
    qtbot.addWidget(editor)
    doc.set_soap_section(SoapSection.PLAN, "Rest. Fluids.")
    plan = editor.editors[SoapSection.PLAN]
    cursor = plan.textCursor()
    cursor.setPosition(5)
    plan.setTextCursor(cursor)
    doc.set_soap_section(SoapSection.PLAN, "Rest. Fluids. Paracetamol.")
    assert plan.toPlainText() == "Rest. Fluids. Paracetamol."
    assert plan.textCursor().position() == 5


def test_copy_gives_ehr_text(qtbot) -> None:
    doc = _loaded_document()
    editor = SoapEditor(doc)
    qtbot.addWidget(editor)
    doc.set_soap_section(SoapSection.ASSESSMENT, "**Viral** URI")
    copied: list[str] = []
    editor.copied.connect(copied.append)
    next(b for b in editor.findChildren(type(editor.regenerate_buttons[SoapSection.PLAN]))
         if b.objectName() == "copyAssessment").click()  # fmt: skip
    assert QGuiApplication.clipboard().text() == "ASSESSMENT\nViral URI"
    assert copied == ["Assessment copied to the clipboard."]
    editor.copy_note_button.click()
    assert QGuiApplication.clipboard().text().startswith("SUBJECTIVE\n")
