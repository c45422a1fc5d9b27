"""Kill the real app mid-session; the next launch offers the work back and restores it.

The first app runs in a child process (offscreen, its own qasync loop, the real object graph
from ``medscribe.app.build_main_window``), opens an ACI-Bench transcript, takes an edit and is
SIGKILLed once the autosave holds that edit. The window built here, on the same data folder,
must then offer the work, and Restore must bring the edit back as unsaved work.
"""

from __future__ import annotations

import functools
import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from medscribe.core.notes import SoapSection
from medscribe.settings.paths import autosave_dir
from medscribe.ui.autosave import _RecoveryOffer
from tests.servers.scripted import ScriptedServer
from tests.ui.conftest import wait_until as _wait_until

# Generous limits: the test machine is shared and can be slow; a pass never waits them out.
wait_until = functools.partial(_wait_until, timeout=60.0)

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

TRANSCRIPT = Path(__file__).resolve().parents[1] / "data" / "aci_bench"
MARKER = "Plan typed just before the crash: recheck potassium in 1 week."

_CHILD = textwrap.dedent(
    """
    import asyncio, sys
    import qasync
    from PySide6.QtWidgets import QApplication
    from medscribe.app import build_main_window
    from medscribe.core.notes import SoapSection

    app = QApplication([])
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop this script
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = build_main_window(path=sys.argv[1])
    window.show()

    async def drive():
        while window.document.is_empty:
            await asyncio.sleep(0.02)
        window.document.set_soap_section(SoapSection.PLAN, sys.argv[2])
        while sys.argv[2] not in _autosave_text():
            await asyncio.sleep(0.02)
        print("autosaved", flush=True)
        if sys.argv[3] == "close":
            window.discard_changes_on_close = True
            window.close()
            await window.shutdown()
            print("closed", flush=True)
            return
        await asyncio.sleep(600)  # the test kills us here

    def _autosave_text():
        try:
            return window.autosave.store.file.read_text(encoding="utf-8")
        except OSError:
            return ""

    with loop:
        loop.run_until_complete(drive())
    """
)


def _read_line(proc: subprocess.Popen[str], timeout: float = 120.0) -> str:
    """One line from the child, failing (not hanging) if it never comes."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                return proc.stdout.readline().strip()
            if proc.poll() is not None:
                break
    proc.kill()
    _, err = proc.communicate(timeout=30)
    raise AssertionError(f"the app process did not report (exit {proc.returncode}): {err[-2000:]}")


def _run_app(server: ScriptedServer, mode: str) -> subprocess.Popen[str]:
    transcript = sorted(TRANSCRIPT.glob("*.txt"))[0]
    env = dict(os.environ)  # MEDSCRIBE_DATA_DIR / CONFIG_DIR: this test's folders (conftest)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        MEDSCRIBE_AUTOSAVE_MS="100",
        LM_STUDIO_BASE_URL=server.base_url,
    )
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(transcript), MARKER, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _prompt(window) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox, "recoveryPrompt") if b.isVisible()]
    return boxes[0] if boxes else None


def test_killed_app_is_restored_on_next_launch(
    qloop, main_window, scripted_server: ScriptedServer
) -> None:
    proc = _run_app(scripted_server, "kill")
    try:
        assert _read_line(proc) == "autosaved"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    window = main_window(settings=scripted_server.settings())

    async def restore() -> None:
        await wait_until(lambda: _prompt(window) is not None, what="recovery prompt")
        box = _prompt(window)
        assert box is not None
        assert "closed unexpectedly" in box.text()
        box.findChild(QPushButton, "recoveryRestore").click()
        await wait_until(lambda: not window.document.is_empty, what="restored document")

    qloop.run_until_complete(restore())
    assert window.document.result.soap.get(SoapSection.PLAN) == MARKER
    assert window.isWindowModified()  # restored work is not in any file yet
    # the crashed window's backup became this window's: exactly one autosave remains
    assert [p.name for p in autosave_dir().glob("*.json")] == [window.autosave.store.file.name]


def test_clean_close_offers_nothing(qloop, main_window, scripted_server: ScriptedServer) -> None:
    proc = _run_app(scripted_server, "close")
    assert _read_line(proc) == "autosaved"
    assert _read_line(proc) == "closed"
    assert proc.wait(timeout=60) == 0
    assert list(autosave_dir().glob("*.json")) == []

    window = main_window(settings=scripted_server.settings())

    async def settle() -> None:
        # start() has run once the first status arrived; the recovery check it began runs on
        # a worker thread and its helper object goes away when it found nothing
        await wait_until(lambda: window.status_controller.last_status is not None)
        await wait_until(lambda: not window.findChildren(_RecoveryOffer), what="check done")

    qloop.run_until_complete(settle())
    assert _prompt(window) is None and window.document.is_empty


# Qt objects must die on the GUI thread (see test_settings_dialog.py): keep closed loops.
_CLOSED_LOOPS: list[object] = []


@pytest.fixture(autouse=True)
def _keep_closed_loops_alive(qloop) -> None:
    _CLOSED_LOOPS.append(qloop)
