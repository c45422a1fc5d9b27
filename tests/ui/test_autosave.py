"""The autosave controller writes unsaved work off the GUI thread, never races a clean close,
and the recovery prompt restores, discards or postpones a crashed window's work."""

from __future__ import annotations

import functools
import json
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from medscribe.core.notes import SoapSection
from medscribe.core.session import EncounterResult
from medscribe.core.session_files import AutosaveStore, RecoverableSession
from medscribe.core.transcript import Transcript
from medscribe.ui.autosave import (
    AutosaveController,
    _RecoveryOffer,
    autosave_interval_ms,
    offer_recovery,
)
from medscribe.ui.document import SessionDocument
from tests.ui.conftest import wait_signal as _wait_signal
from tests.ui.conftest import wait_until as _wait_until

# Generous limits: the test machine is shared and can be slow; a pass never waits them out.
wait_signal = functools.partial(_wait_signal, timeout=60.0)
wait_until = functools.partial(_wait_until, timeout=60.0)

TEXT = "[doctor] What brings you in today?\n[patient] A cough for two weeks."


def _opened(fmt: str = "text") -> EncounterResult:
    return EncounterResult(
        transcript=Transcript(text=TEXT, source_name="visit.txt", source_format=fmt)
    )


def _autosaved(store: AutosaveStore) -> EncounterResult:
    data = json.loads(store.file.read_text(encoding="utf-8"))
    return EncounterResult.model_validate(data["result"])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AutosaveStore]:
    store = AutosaveStore(tmp_path / "autosave")
    yield store
    store.clear()


@pytest.fixture
def doc(owner: QObject) -> SessionDocument:
    return SessionDocument(owner)


def test_interval_from_environment() -> None:
    assert autosave_interval_ms({}) == 3000
    assert autosave_interval_ms({"MEDSCRIBE_AUTOSAVE_MS": "250"}) == 250
    assert autosave_interval_ms({"MEDSCRIBE_AUTOSAVE_MS": "soon"}) == 3000
    assert autosave_interval_ms({"MEDSCRIBE_AUTOSAVE_MS": "-5"}) == 3000


def test_edit_is_autosaved_but_an_untouched_file_is_not(qloop, doc, store) -> None:
    doc.load(_opened())
    controller = AutosaveController(doc, store, interval_ms=20, parent=doc)
    ticks: list[int] = []
    controller._timer.timeout.connect(lambda: ticks.append(1))

    async def scenario() -> None:
        controller.start()
        await wait_until(lambda: len(ticks) >= 3, what="three ticks")
        assert not store.file.exists()  # opened from a file, nothing changed yet
        doc.set_soap_section(SoapSection.PLAN, "Chest X-ray.")
        (when,) = await wait_signal(controller.saved)
        assert when == controller.last_saved

    qloop.run_until_complete(scenario())
    assert _autosaved(store).soap.plan == "Chest X-ray."
    controller.stop()


def test_pasted_transcript_is_work(qloop, doc, store) -> None:
    doc.load(_opened("pasted"))
    controller = AutosaveController(doc, store, interval_ms=20, parent=doc)

    async def scenario() -> None:
        controller.start()
        await wait_signal(controller.saved)

    qloop.run_until_complete(scenario())
    assert _autosaved(store).transcript.text == TEXT


def test_saved_session_needs_no_backup(qloop, doc, store, tmp_path: Path) -> None:
    doc.load(_opened())
    controller = AutosaveController(doc, store, interval_ms=20, parent=doc)

    async def scenario() -> None:
        controller.start()
        doc.set_soap_section(SoapSection.SUBJECTIVE, "Cough.")
        await wait_signal(controller.saved)
        assert store.file.exists()
        doc.mark_saved(tmp_path / "visit.medscribe")  # everything is in the session file now
        await wait_until(lambda: not store.file.exists(), what="backup removed")
        doc.set_soap_section(SoapSection.SUBJECTIVE, "Cough, worse at night.")
        await wait_signal(controller.saved)

    qloop.run_until_complete(scenario())
    saved = json.loads(store.file.read_text(encoding="utf-8"))
    assert saved["session_path"] == str(tmp_path / "visit.medscribe")
    assert saved["result"]["soap"]["subjective"] == "Cough, worse at night."


def test_changes_during_a_write_are_written_next(qloop, doc, store) -> None:
    doc.load(_opened())
    # only save_now writes
    controller = AutosaveController(doc, store, interval_ms=60_000, parent=doc)
    saves: list[object] = []
    controller.saved.connect(saves.append)

    async def scenario() -> None:
        doc.set_soap_section(SoapSection.PLAN, "first")
        controller.save_now()
        assert controller.writing
        doc.set_soap_section(SoapSection.PLAN, "second")
        controller.save_now()  # a write is running: queued, not run in parallel
        await wait_until(lambda: len(saves) == 2 and not controller.writing, what="two saves")

    qloop.run_until_complete(scenario())
    assert _autosaved(store).soap.plan == "second"


def test_discard_wins_over_a_write_in_flight(qloop, doc, store) -> None:
    doc.load(_opened())
    controller = AutosaveController(doc, store, interval_ms=60_000, parent=doc)

    async def scenario() -> None:
        doc.set_soap_section(SoapSection.PLAN, "x")
        controller.save_now()
        task = controller._task
        controller.discard()  # clean close while the worker thread may still be writing
        assert task is not None
        await task

    qloop.run_until_complete(scenario())
    assert not store.file.exists()
    assert not store.directory.exists() or list(store.directory.iterdir()) == []


def test_write_failure_is_reported_plainly(qloop, doc, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    controller = AutosaveController(doc, AutosaveStore(blocked), interval_ms=60_000, parent=doc)
    doc.load(_opened("pasted"))

    async def scenario() -> str:
        controller.save_now()
        (message,) = await wait_signal(controller.save_failed)
        return message

    message = qloop.run_until_complete(scenario())
    assert "automatic backup" in message and "Save the session" in message
    assert "Errno" not in message


# --- recovery prompt --------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from medscribe.core.session import EncounterResult
    from medscribe.core.session_files import AutosaveStore
    from medscribe.core.transcript import Transcript
    store = AutosaveStore(Path(sys.argv[1]))
    result = EncounterResult(transcript=Transcript(text="a cough", source_name="cough.txt"))
    result.soap.assessment = "Post-viral cough."
    store.write(result, session_path=None)
    print("written", flush=True)
    time.sleep(120)
    """
)


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """An autosave folder holding the backup of a window that was killed."""
    directory = tmp_path / "autosave"
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(directory)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return directory


def _prompt(parent: QWidget) -> QMessageBox | None:
    boxes = [b for b in parent.findChildren(QMessageBox, "recoveryPrompt") if b.isVisible()]
    return boxes[0] if boxes else None


def _answer(qloop, qtbot, crashed: Path, button: str) -> tuple[AutosaveStore, list]:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    store = AutosaveStore(crashed)
    restored: list[RecoverableSession] = []

    async def scenario() -> None:
        offer_recovery(parent, store, restored.append)
        await wait_until(lambda: _prompt(parent) is not None, what="recovery prompt")
        box = _prompt(parent)
        assert box is not None
        assert box.text().startswith("medscribe closed unexpectedly. Restore the work from ")
        assert "cough.txt" in box.informativeText()
        box.findChild(QPushButton, button).click()

    qloop.run_until_complete(scenario())
    return store, restored


def test_restore(qloop, qtbot, crashed: Path) -> None:
    store, restored = _answer(qloop, qtbot, crashed, "recoveryRestore")
    assert [r.result.soap.assessment for r in restored] == ["Post-viral cough."]
    # the work now lives in this window's autosave; the crashed one's file is gone
    assert [p.name for p in crashed.glob("*.json")] == [store.file.name]
    assert _autosaved(store).soap.assessment == "Post-viral cough."
    store.clear()


def test_discard(qloop, qtbot, crashed: Path) -> None:
    _, restored = _answer(qloop, qtbot, crashed, "recoveryDiscard")
    assert restored == []
    assert list(crashed.glob("*.json")) == []
    assert AutosaveStore(crashed).recoverable() is None


def test_not_now_asks_again_next_time(qloop, qtbot, crashed: Path) -> None:
    _, restored = _answer(qloop, qtbot, crashed, "recoveryLater")
    assert restored == []
    again = AutosaveStore(crashed).recoverable()
    assert again is not None and again.result.soap.assessment == "Post-viral cough."


def test_closing_with_the_question_open_keeps_the_backup(qloop, qtbot, crashed: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    store = AutosaveStore(crashed)

    async def scenario() -> None:
        offer_recovery(parent, store, lambda _session: None)
        await wait_until(lambda: _prompt(parent) is not None, what="recovery prompt")

    qloop.run_until_complete(scenario())
    store.clear()  # the window closes cleanly before the physician answered
    again = AutosaveStore(crashed).recoverable()
    assert again is not None and again.result.soap.assessment == "Post-viral cough."


def test_nothing_to_recover_shows_nothing(qloop, qtbot, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    store = AutosaveStore(tmp_path)
    calls: list[object] = []

    async def scenario() -> None:
        offer_recovery(parent, store, calls.append)
        await wait_until(lambda: not parent.findChildren(_RecoveryOffer), what="check done")

    qloop.run_until_complete(scenario())
    assert _prompt(parent) is None and calls == []
