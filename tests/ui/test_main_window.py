"""The window shell: the testing seam's object names, shortcuts, title and modified mark,
closing with unsaved work, sessions, settings that cannot be used, plain error messages,
and restoring work after the app was killed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QToolButton, QTreeView

from medscribe.core.notes import DocSection, SoapSection
from medscribe.core.steps import StepName
from medscribe.settings import Settings
from medscribe.settings.paths import autosave_dir, settings_file
from medscribe.ui.errors import ExceptHook
from medscribe.ui.session_controller import CloseAnswer

ACI = Path(__file__).parents[1] / "data" / "aci_bench" / "valid_D2N079-aci.txt"
PASTED = "[doctor] good morning, how is the knee?\n[patient] still swollen after the fall."
ACTIONS = [
    "actionOpen",
    "actionRunAll",
    "actionRunPhi",
    "actionRunEntities",
    "actionRunSoap",
    "actionRunStructure",
    "actionCancel",
    "actionExportDocx",
    "actionSettings",
]


def _keys(action: QAction) -> list[str]:
    return [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]


def _messages() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "plainMessage" and w.isVisible()
    ]


def test_object_names_and_shortcuts(main_window) -> None:
    window = main_window()
    for name in ACTIONS:
        action = window.findChild(QAction, name)
        assert action is not None, name
        assert action.statusTip(), name
    find = window.findChild
    assert set(_keys(find(QAction, "actionRunAll"))) == {"Ctrl+Return", "Ctrl+Enter"}
    assert _keys(find(QAction, "actionCancel")) == ["Esc"]
    assert _keys(find(QAction, "actionExportDocx")) == ["Ctrl+E"]
    assert "Ctrl+O" in _keys(find(QAction, "actionOpen"))
    assert "Ctrl+Return" in find(QAction, "actionRunAll").toolTip()
    for name in ("soapSubjective", "soapObjective", "soapAssessment", "soapPlan"):
        editor = find(QPlainTextEdit, name)
        assert editor is not None and editor.accessibleName(), name
    assert find(QPlainTextEdit, "transcriptView") is not None
    assert find(QTreeView, "entitiesView") is not None
    assert find(QToolButton, "serverStatus") is not None
    # Every action sits in a menu too (discoverable with the keyboard, shortcut shown).
    in_menus = {a.objectName() for m in window.menuBar().actions() for a in m.menu().actions()}
    assert set(ACTIONS) <= in_menus


def test_title_shows_file_and_unsaved_mark(main_window, qtbot) -> None:
    window = main_window()
    assert window.windowTitle() == "medscribe[*]"
    window.transcript_view.text_pasted.emit(PASTED)
    assert window.windowTitle() == "medscribe — Pasted transcript[*]"
    assert not window.isWindowModified()
    editor = window.findChild(QPlainTextEdit, "soapAssessment")
    editor.setFocus()
    qtbot.keyClicks(editor, "Knee sprain")
    assert window.document.result.soap.assessment == "Knee sprain"
    assert window.isWindowModified()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.result.soap.assessment == ""
    assert not window.isWindowModified()
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "Knee sprain"


def test_structured_sections_edit_through_the_undo_stack(main_window, qtbot) -> None:
    window = main_window()
    window.loader.load_text(PASTED)
    editor = window.structured_view.editors[DocSection.ALLERGIES]
    editor.setFocus()
    qtbot.keyClicks(editor, "Penicillin")
    assert window.document.result.structured.allergies == "Penicillin"
    window.actions.undo.trigger()
    assert editor.toPlainText() == ""


def test_close_asks_when_unsaved_and_can_save(main_window, qtbot, tmp_path) -> None:
    window = main_window()
    window.loader.load_text(PASTED)
    window.document.set_soap_section(SoapSection.PLAN, "Ice and rest.")
    answers: list[CloseAnswer] = [CloseAnswer.CANCEL]
    asked: list[bool] = []

    def ask_close(done):
        asked.append(True)
        done(answers.pop(0))

    window.session.ask_close = ask_close
    window.close()
    assert asked and window.isVisible()  # Cancel keeps the window and the work

    target = tmp_path / "knee"
    window.session.ask_path = lambda suggested, done: done(target)
    answers.append(CloseAnswer.SAVE)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    saved = json.loads((tmp_path / "knee.medscribe").read_text(encoding="utf-8"))
    assert saved["soap"]["plan"] == "Ice and rest."


def test_close_without_changes_does_not_ask(main_window) -> None:
    window = main_window()
    window.loader.load_text(PASTED)
    window.session.ask_close = lambda done: (_ for _ in ()).throw(AssertionError("asked"))
    window.close()
    assert not window.isVisible()


def test_save_and_reopen_session(main_window, qtbot, tmp_path) -> None:
    window = main_window(path=ACI)
    qtbot.waitUntil(lambda: not window.document.is_empty, timeout=10_000)
    window.document.set_soap_section(SoapSection.SUBJECTIVE, "Mild pain.")
    path = tmp_path / "visit.medscribe"
    window.session.ask_path = lambda suggested, done: done(path)
    window.actions.save_session.trigger()
    qtbot.waitUntil(lambda: not window.isWindowModified(), timeout=10_000)
    assert window.windowTitle() == "medscribe — visit.medscribe[*]"

    other = main_window(path=path)
    qtbot.waitUntil(lambda: not other.document.is_empty, timeout=10_000)
    assert other.document.result.soap.subjective == "Mild pain."
    assert other.document.path == path
    assert other.findChild(QPlainTextEdit, "soapSubjective").toPlainText() == "Mild pain."
    assert not other.isWindowModified()


def test_unusable_settings_open_with_defaults_and_say_why(main_window, qtbot) -> None:
    settings_file().parent.mkdir(parents=True, exist_ok=True)
    settings_file().write_text(json.dumps({"base_url": "ftp://clinic-server"}), "utf-8")
    window = main_window()
    assert window.settings == Settings()
    qtbot.waitUntil(lambda: bool(_messages()), timeout=5_000)
    text = _messages()[0].text()
    assert "http://" in text and "default settings" in text
    assert "Traceback" not in text


def test_settings_from_environment(main_window, monkeypatch, scripted_server, qtbot) -> None:
    monkeypatch.setenv("LM_STUDIO_BASE_URL", scripted_server.base_url)
    window = main_window()
    assert window.settings.base_url == scripted_server.base_url
    indicator = window.findChild(QToolButton, "serverStatus")
    qtbot.waitUntil(lambda: indicator.status is not None and indicator.status.ready, timeout=10_000)


def test_unreadable_file_gives_a_plain_message(main_window, qtbot, tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    window = main_window()
    window.open_path(empty)
    qtbot.waitUntil(lambda: bool(_messages()), timeout=5_000)
    text = _messages()[0].text()
    assert "empty.txt" in text and "Traceback" not in text
    assert window.document.is_empty


def test_running_without_transcript_explains(main_window, qtbot) -> None:
    window = main_window()
    window.findChild(QAction, "actionRunAll").trigger()
    assert _messages() and "transcript" in _messages()[0].text()
    assert not window.pipeline_controller.is_running()


def test_ctrl_return_runs_all(main_window, clinic_server, qtbot) -> None:
    window = main_window(settings=clinic_server.settings(max_retries=0))
    window.loader.load_text(PASTED)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def finished() -> bool:
        steps = window.document.result.steps
        return all(s in steps and steps[s].state.is_final for s in StepName)

    qtbot.waitUntil(finished, timeout=20_000)
    assert window.document.result.soap.plan


def test_unexpected_error_is_logged_and_shown_plainly(main_window, qtbot, caplog) -> None:
    window = main_window()
    hook = ExceptHook(lambda: window)
    try:
        raise ValueError("internal detail 0xdeadbeef")
    except ValueError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert _messages()
    text = _messages()[0].text()
    assert "0xdeadbeef" not in text and "Traceback" not in text and "log" in text
    assert "unexpected error" in caplog.text and "ValueError" in caplog.text
    assert "0xdeadbeef" not in caplog.text  # a message may quote patient text: never logged


def test_work_is_offered_back_after_the_app_was_killed(main_window, qtbot) -> None:
    """A process writes an autosave and is killed (SIGKILL): the next window offers it."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from medscribe.core.session import EncounterResult
        from medscribe.core.session_files import AutosaveStore
        from medscribe.core.readers import transcript_from_text
        result = EncounterResult(transcript=transcript_from_text({PASTED!r}))
        result.soap.plan = "Crutches for a week."
        AutosaveStore(Path({str(autosave_dir())!r})).write(result, session_path=None)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode != 0  # it really died
    window = main_window()

    def prompt() -> QMessageBox | None:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "recoveryPrompt"
        ]
        return found[0] if found and found[0].isVisible() else None

    qtbot.waitUntil(lambda: prompt() is not None, timeout=10_000)
    restore = next(b for b in prompt().buttons() if b.objectName() == "recoveryRestore")
    restore.click()
    qtbot.waitUntil(lambda: not window.document.is_empty, timeout=5_000)
    assert window.document.result.soap.plan == "Crutches for a week."
    assert window.isWindowModified()  # restored work is in no file yet


def test_status_light_opens_settings_and_new_settings_apply(
    main_window, clinic_server, qtbot
) -> None:
    window = main_window(settings=Settings(base_url="http://127.0.0.1:9/v1"))
    indicator = window.findChild(QToolButton, "serverStatus")
    qtbot.waitUntil(lambda: indicator.status is not None, timeout=10_000)
    assert not indicator.status.ready and window.help_panel.isVisible()
    indicator.click()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "settingsDialog"]
    assert dialogs and dialogs[0].isVisible()
    new = clinic_server.settings(max_retries=0)
    dialogs[0].settings_saved.emit(new)  # what OK does after validating and saving
    qtbot.waitUntil(lambda: indicator.status.ready, timeout=10_000)
    assert window.settings == new
    assert window.services.client.settings == new
    assert not window.help_panel.isVisible()
    # The next step uses the new server.
    window.loader.load_text(PASTED)
    window.actions.run_soap.trigger()
    qtbot.waitUntil(lambda: bool(window.document.result.soap.plan), timeout=15_000)
    assert clinic_server.chat_requests


def test_export_problem_is_a_plain_message(main_window, qtbot, tmp_path) -> None:
    window = main_window()
    window.loader.load_text(PASTED)
    failures: list[str] = []
    window.export.failed.connect(failures.append)
    window.export.ask_options = lambda d, i, pending, done: done(False, False)
    window.export.ask_path = lambda suggested, done: done(tmp_path / "gone" / "note.docx")
    window.export.start()
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert "note.docx" in failures[0] and "Traceback" not in failures[0]
    qtbot.waitUntil(lambda: bool(_messages()), timeout=5_000)
    assert _messages()[0].text() == failures[0]


def test_paste_and_drop_open_transcripts(main_window, qtbot) -> None:
    window = main_window()
    QApplication.clipboard().setText(PASTED)
    window.findChild(QAction, "actionPasteTranscript").trigger()
    assert window.document.result.transcript.text == PASTED
    assert window.document.result.transcript.source_format == "pasted"
    window.transcript_view.file_dropped.emit(ACI)
    qtbot.waitUntil(lambda: window.document.result.transcript.source_name == ACI.name)
    assert window.windowTitle() == f"medscribe — {ACI.name}[*]"
    assert ACI.name in window.statusBar().currentMessage()


def test_opening_another_visit_over_unsaved_work_asks_first(main_window, qtbot) -> None:
    window = main_window()
    window.paste_text(PASTED)
    window.document.set_soap_section(SoapSection.PLAN, "Ice and rest.")
    answers = [CloseAnswer.CANCEL, CloseAnswer.DISCARD]
    window.session.ask_replace = lambda done: done(answers.pop(0))
    window.open_path(ACI)  # Cancel: the unsaved visit stays
    assert window.document.result.soap.plan == "Ice and rest."
    window.open_path(ACI)  # Don't save: the new visit opens
    qtbot.waitUntil(lambda: window.document.result.transcript.source_name == ACI.name)
    assert answers == [] and window.document.result.soap.plan == ""


def test_entity_evidence_and_stored_outcomes_reach_the_views(main_window, qtbot, tmp_path) -> None:
    from medscribe.core.entities import TextSpan
    from medscribe.core.session import EncounterResult
    from medscribe.core.session_files import save_session
    from medscribe.core.steps import StepOutcome, StepState

    window = main_window()
    window.paste_text(PASTED)
    start = PASTED.index("knee")
    window.entities_view.evidence_requested.emit([TextSpan(start=start, end=start + 4)])
    assert window.transcript_view.evidence_ranges() == [(start, start + 4)]

    result = EncounterResult.model_validate(window.document.snapshot().model_dump())
    reason = "LM Studio is not reachable at http://127.0.0.1:1234."
    result.steps[StepName.SOAP] = StepOutcome(state=StepState.FAILED, message=reason)
    result.steps[StepName.PHI] = StepOutcome(state=StepState.DONE)
    path = tmp_path / "earlier.medscribe"
    save_session(result, path)
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document.path == path)
    rows = window.steps_panel.rows
    assert rows[StepName.PHI].status.text() == "Done"
    assert rows[StepName.SOAP].status.text() == "Failed"
    assert rows[StepName.SOAP].reason.text() == reason and rows[StepName.SOAP].run.text() == "Retry"
    assert rows[StepName.ENTITIES].status.text() == "Idle"


def test_start_loads_the_phi_word_lists_in_the_background(main_window, qtbot) -> None:
    """Marking an identifier by hand consults the lexicon on the GUI thread; the window loads
    it (and the word model) on a worker thread at start, so that first use does not freeze."""
    from medscribe.core.phi_rules.lexicon import load_lexicon
    from medscribe.core.phi_rules.word_model import load_word_model

    load_lexicon.cache_clear()
    load_word_model.cache_clear()
    main_window()
    qtbot.waitUntil(
        lambda: load_lexicon.cache_info().currsize and load_word_model.cache_info().currsize,
        timeout=15_000,
    )
