"""The status light follows the real server (scripted LM Studio over loopback HTTP) going down
and up; checks never pile up; the first-run help shows exactly when the server isn't ready."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from medscribe.core.llm_port import HealthState, ModelInfo, ServerKind, ServerStatus
from medscribe.llm import LMStudioClient
from medscribe.ui.first_run import ServerHelpPanel
from medscribe.ui.server_status import ServerStatusController, ServerStatusIndicator
from tests.servers.scripted import ScriptedModel, ScriptedServer
from tests.ui.conftest import wait_signal as _wait_signal
from tests.ui.conftest import wait_until as _wait_until

# Generous limits: the test machine is shared and can be slow; a pass never waits them out.
wait_signal = functools.partial(_wait_signal, timeout=60.0)
wait_until = functools.partial(_wait_until, timeout=60.0)


@pytest.fixture
def client(qloop, scripted_server: ScriptedServer) -> AsyncIterator[LMStudioClient]:
    http = httpx.AsyncClient(trust_env=False)
    client = LMStudioClient(scripted_server.settings(), http=http)
    yield client
    qloop.run_until_complete(http.aclose())


def test_light_follows_server_down_and_up(
    owner, qloop, qtbot, scripted_server: ScriptedServer, client: LMStudioClient
) -> None:
    controller = ServerStatusController(lambda: client, interval_s=0.1, parent=owner)
    indicator = ServerStatusIndicator()
    qtbot.addWidget(indicator)
    controller.status_changed.connect(indicator.set_status)

    async def scenario() -> list[HealthState]:
        seen: list[HealthState] = []
        controller.status_changed.connect(lambda s: seen.append(s.state))
        controller.start()
        await wait_until(lambda: seen[-1:] == [HealthState.READY], what="ready")
        assert "qwen3-8b" in indicator.text() and "ready" in indicator.text()
        scripted_server.stop()
        await wait_until(lambda: seen[-1] is HealthState.UNREACHABLE, what="down")
        assert indicator.text() == "LM Studio not reachable"
        scripted_server.start()
        await wait_until(lambda: seen[-1] is HealthState.READY, what="up again")
        controller.stop()
        return seen

    seen = qloop.run_until_complete(scenario())
    # each change reported once per transition, not once per poll
    assert seen == [HealthState.READY, HealthState.UNREACHABLE, HealthState.READY]
    assert controller.last_status is not None and controller.last_status.ready


def test_no_model_loaded_is_its_own_state(
    owner, qloop, scripted_server: ScriptedServer, client: LMStudioClient
) -> None:
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", loaded=False)]
    controller = ServerStatusController(lambda: client, interval_s=60, parent=owner)

    async def scenario() -> ServerStatus:
        controller.refresh_now()
        (status,) = await wait_signal(controller.status_changed)
        return status

    status = qloop.run_until_complete(scenario())
    assert status.state is HealthState.NO_MODEL
    assert status.message  # a sentence the physician can act on
    indicator = ServerStatusIndicator()
    indicator.set_status(status)
    assert indicator.text() == "LM Studio: no model loaded"
    assert status.message in indicator.toolTip()


class _SlowBackend:
    """A check that hangs until released: stands in for a server that does not answer."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = asyncio.Event()

    async def health(self) -> ServerStatus:
        self.calls += 1
        await self.release.wait()
        return ServerStatus(state=HealthState.READY)


def test_ticks_are_skipped_while_a_check_is_in_flight(owner, qloop) -> None:
    backend = _SlowBackend()
    controller = ServerStatusController(lambda: backend, interval_s=0.02, parent=owner)
    ticks: list[int] = []
    controller._timer.timeout.connect(lambda: ticks.append(1))

    async def scenario() -> None:
        controller.start()
        await wait_until(lambda: len(ticks) >= 5, what="five ticks")
        assert backend.calls == 1 and controller.checking
        backend.release.set()
        await wait_until(lambda: backend.calls >= 2, what="next check after release")
        controller.stop()

    qloop.run_until_complete(scenario())
    assert not controller.checking


def test_refresh_now_replaces_a_hanging_check(owner, qloop) -> None:
    backend = _SlowBackend()
    controller = ServerStatusController(lambda: backend, interval_s=60, parent=owner)

    async def scenario() -> None:
        controller.refresh_now()
        await wait_until(lambda: backend.calls == 1)
        first = controller._task
        controller.refresh_now()
        await wait_until(lambda: backend.calls == 2)
        assert first is not None and first.cancelled()
        backend.release.set()
        await wait_signal(controller.status_changed)
        controller.stop()

    qloop.run_until_complete(scenario())
    assert controller.last_status is not None and controller.last_status.ready


class _BrokenBackend:
    async def health(self) -> ServerStatus:
        raise RuntimeError("bug")


def test_a_failing_check_still_reports_plainly(owner, qloop) -> None:
    controller = ServerStatusController(lambda: _BrokenBackend(), interval_s=60, parent=owner)

    async def scenario() -> ServerStatus:
        controller.refresh_now()
        (status,) = await wait_signal(controller.status_changed)
        return status

    status = qloop.run_until_complete(scenario())
    assert status.state is HealthState.UNREACHABLE
    assert "Settings" in status.message and "bug" not in status.message


def _light_colour(indicator: ServerStatusIndicator) -> QColor:
    size = indicator.iconSize()
    image = indicator.icon().pixmap(size).toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def test_indicator_words_and_light(qtbot) -> None:
    indicator = ServerStatusIndicator()
    qtbot.addWidget(indicator)
    assert indicator.objectName() == "serverStatus"
    assert indicator.text().startswith("Checking")
    model = ModelInfo(id="lmstudio-community/qwen2.5-7b-instruct", loaded=True)
    ready = ServerStatus(state=HealthState.READY, kind=ServerKind.LMSTUDIO, chat_model=model)
    indicator.set_status(ready)
    assert indicator.text() == "LM Studio ready · qwen2.5-7b-instruct"
    green = _light_colour(indicator)
    indicator.set_status(ServerStatus(state=HealthState.UNREACHABLE, message="Is it running?"))
    red = _light_colour(indicator)
    assert green.green() > green.red() and red.red() > red.green()
    assert "Is it running?" in indicator.toolTip() and "Settings" in indicator.toolTip()
    other = ready.model_copy(update={"kind": ServerKind.OPENAI_COMPATIBLE})
    indicator.set_status(other)
    assert indicator.text().startswith("Server ready")
    assert indicator.accessibleName()


def test_indicator_click_is_a_click(qtbot) -> None:
    indicator = ServerStatusIndicator()
    qtbot.addWidget(indicator)
    with qtbot.waitSignal(indicator.clicked):
        qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)


def test_help_panel_follows_status(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    panel = ServerHelpPanel(window)
    window.show()
    assert panel.isHidden()  # status unknown: no flash of help on a working set-up
    panel.set_status(ServerStatus(state=HealthState.UNREACHABLE, base_url="http://127.0.0.1:1/v1"))
    assert not panel.isHidden()
    assert "cannot reach" in panel.title_text
    texts = " ".join(label.text() for label in panel.findChildren(type(panel._title)))
    assert "Developer" in texts and "Start Server" in texts and "load" in texts.lower()
    assert "paste" in texts and "PHI detection" in texts
    assert "http://127.0.0.1:1/v1" in texts
    panel.set_status(ServerStatus(state=HealthState.NO_MODEL, message="No models loaded."))
    assert "no model is loaded" in panel.title_text
    with qtbot.waitSignal(panel.settings_requested):
        qtbot.mouseClick(panel.settings_button, Qt.MouseButton.LeftButton)
    panel.set_status(ServerStatus(state=HealthState.READY))
    assert panel.isHidden()
