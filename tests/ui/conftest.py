"""Shared fixtures for the desktop-app tests.

``qloop`` wraps pytest-qt's ``qapp`` in one qasync event loop per test, so controllers can
start asyncio tasks exactly as they do in the app. Two ways to drive it:

* pytest-qt style: start work (e.g. trigger an action), then ``qtbot.waitUntil(...)`` or
  ``qtbot.waitSignal(...)``; asyncio tasks run while Qt spins.
* coroutine style: ``qloop.run_until_complete(scenario())``. Inside the coroutine wait with
  the async helpers below (``wait_until``, ``wait_signal``), never with ``qtbot.waitUntil``:
  spinning Qt's loop from inside a running task would re-enter asyncio.

``main_window`` builds the real object graph through ``medscribe.app.build_main_window`` and
closes it (and the HTTP client) at teardown.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


async def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> None:
    """Yield to the loop until ``predicate()`` is true; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        await asyncio.sleep(0.01)


async def wait_signal(signal: Any, timeout: float = 10.0) -> tuple[Any, ...]:
    """Wait for the next emission of a Qt signal; return its arguments."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def on_emit(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(on_emit)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(on_emit)


def _make_test_loop(qapp: Any) -> asyncio.AbstractEventLoop:
    import qasync

    class TestQEventLoop(qasync.QEventLoop):
        """A qasync loop that also counts as running between ``run_until_complete`` calls.

        qasync runs asyncio callbacks from Qt timers, so they also run while pytest-qt spins
        Qt (``waitUntil``, ``waitSignal``, ``waitExposed``). Marking the loop as the running
        one for the whole test lets those callbacks call ``get_running_loop()`` (httpx,
        ``asyncio.to_thread``, ``asyncio.sleep`` do), so both styles work.
        """

        def run_forever(self) -> Any:
            try:
                return super().run_forever()
            finally:
                # qasync clears the running loop here, then still processes pending events.
                asyncio.events._set_running_loop(self)

    return TestQEventLoop(qapp)


@pytest.fixture
def qloop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    """The test's asyncio loop, inside Qt's. See TestQEventLoop for how it may be driven:
    ``qloop.run_until_complete(coro)`` or plain pytest-qt waiting (``qtbot.waitUntil``)."""
    # Collect the previous test's windows and loop here, in the GUI thread. Left to chance,
    # Python's GC may free them from a worker thread (asyncio.to_thread), and a QObject
    # destroyed there leaves its timers registered in the GUI thread: a crash later on. The
    # app's own guard (medscribe.ui.gc_guard) keeps collection on the GUI thread during the test.
    from medscribe.ui.gc_guard import install_gc_guard

    gc.collect()
    install_gc_guard()
    loop = _make_test_loop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        # Cancel whatever a test left running, so tasks never leak into the next test.
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        loop.close()
        gc.collect()
        gc.enable()  # tests without a Qt loop after this one get ordinary collection back


@pytest.fixture
def main_window(qloop, qtbot) -> Iterator[Callable[..., Any]]:
    """Factory: ``main_window(settings=None, path=None)`` -> a shown MainWindow.

    The window is shown and, at teardown, closed without the "unsaved changes" question; its
    controllers and HTTP client are shut down on the loop. (Not registered with
    ``qtbot.addWidget``: pytest-qt would close it before this fixture can shut it down.)
    """
    from medscribe.app import build_main_window

    windows: list[Any] = []

    def make(settings: Any = None, path: Path | str | None = None, show: bool = True) -> Any:
        window = build_main_window(settings=settings, path=path)
        windows.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
            # Window shortcuts (Ctrl+Z, Esc, Ctrl+Return) only fire in the active window.
            window.activateWindow()
            # (A message shown at start, e.g. about unusable settings, takes the focus instead.)
            from PySide6.QtWidgets import QApplication

            qtbot.waitUntil(lambda: QApplication.activeWindow() is not None, timeout=5_000)
        return window

    yield make
    from PySide6.QtWidgets import QApplication, QDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()  # messages and questions a test left open
    for window in windows:
        window.discard_changes_on_close = True
        window.close()
        qloop.run_until_complete(window.shutdown())
        window.deleteLater()
    windows.clear()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def owner(qloop) -> Iterator[Any]:
    """Parent for a test's controllers, deleted on the GUI thread at teardown (a QObject
    must never be destroyed on another thread)."""
    import shiboken6
    from PySide6.QtCore import QObject

    parent = QObject()
    yield parent
    shiboken6.delete(parent)


# --- a scripted LM Studio that answers like a (very consistent) model -------------------

SOAP_TEXT = (
    "Subjective:\nShe reports feeling well and exercising more; no chest pain.\n\n"
    "Objective:\nBlood pressure 128/78. Lungs clear. No leg swelling.\n\n"
    "Assessment:\nCongestive heart failure, stable. Hypertension, controlled.\n\n"
    "Plan:\nContinue lisinopril 20 mg daily. Follow up in three months.\n"
)
ENTITIES_JSON: dict[str, Any] = {
    "diagnoses": [{"name": "congestive heart failure", "icd10_code": "I50.9"}],
    "medications": [{"name": "lisinopril", "dose": "20 mg", "route": "oral", "frequency": "daily"}],
    "procedures": [],
    "symptoms": [{"name": "chest pains"}],
    "vitals": [],
    "allergies": [],
}
STRUCTURED_JSON: dict[str, str] = {
    "chief_complaint": "Annual exam.",
    "history_of_present_illness": "Feeling well, more active.",
    "past_medical_history": "Congestive heart failure, depression, hypertension.",
    "medications": "Lisinopril 20 mg daily.",
    "allergies": "None reported.",
    "physical_examination": "Lungs clear.",
    "assessment": "Stable heart failure.",
    "plan": "Continue current medications.",
    "follow_up_instructions": "Return in three months.",
}


def minimal_instance(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """The smallest JSON value a schema accepts (for answers the test does not care about)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        options = schema["anyOf"]
        if any(o.get("type") == "null" for o in options):
            return None
        return minimal_instance(options[0], defs)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: minimal_instance(sub, defs) for name, sub in props.items()}
    return {"array": [], "string": "", "integer": 0, "number": 0, "boolean": False}.get(kind)


def clinic_responder(soap_reply: Any = None) -> Callable[[dict[str, Any]], Any]:
    """Chooses the answer from the request: schema name for JSON steps, else the SOAP text."""
    import json

    from tests.servers.scripted import ScriptedReply

    def respond(body: dict[str, Any]) -> Any:
        fmt = body.get("response_format") or {}
        spec = fmt.get("json_schema") or {}
        name = str(spec.get("name", ""))
        if "Entities" in name:
            return ScriptedReply(content=json.dumps(ENTITIES_JSON))
        if "Document" in name:
            return ScriptedReply(content=json.dumps(STRUCTURED_JSON))
        if spec:
            return ScriptedReply(content=json.dumps(minimal_instance(spec.get("schema", {}))))
        return soap_reply or ScriptedReply(content=SOAP_TEXT, chunk_delay=0.002)

    return respond


def program_clinic(server: Any, soap_reply: Any = None) -> Any:
    """Answer every step plausibly, with a loaded context that fits a whole ACI-Bench visit
    (so the SOAP note streams live instead of being written in parts)."""
    from tests.servers.replies import ScriptedModel, default_models

    server.models = [ScriptedModel("qwen/qwen3-8b", context_length=16384), *default_models()[1:]]
    server.responder = clinic_responder(soap_reply)
    return server


@pytest.fixture
def clinic_server(scripted_server) -> Any:
    """The scripted server answering every step of the pipeline plausibly."""
    return program_clinic(scripted_server)
