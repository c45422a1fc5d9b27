"""The settings pane against the scripted LM Studio over loopback HTTP: model lists, the
connection test in plain words, validation that keeps the dialog open, the confirmation for
another computer, and saving."""

from __future__ import annotations

import functools
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton

from medscribe.core.llm_port import ServerStatus
from medscribe.llm import LMStudioClient
from medscribe.settings import Settings, load_settings
from medscribe.settings.paths import settings_file
from medscribe.ui.settings_dialog import SettingsDialog
from medscribe.ui.settings_form import USE_LOADED
from tests.servers.scripted import ScriptedModel, ScriptedServer
from tests.ui.conftest import wait_until as _wait_until

# Generous limits: the test machine is shared and can be slow; a pass never waits them out.
wait_until = functools.partial(_wait_until, timeout=60.0)

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def probe(qloop) -> Iterator[Callable[[Settings], object]]:
    """As the app builds it: one shared httpx client, a client per probe."""
    http = httpx.AsyncClient(trust_env=False)

    async def run(settings: Settings) -> ServerStatus:
        return await LMStudioClient(settings, http=http).health()

    yield run
    qloop.run_until_complete(http.aclose())


@pytest.fixture
def open_dialog(qapp, qloop, qtbot, probe) -> Iterator[Callable[[Settings], SettingsDialog]]:
    # Closing the only window must not quit the app (and stop the test's event loop).
    quit_on_close = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)

    def make(settings: Settings) -> SettingsDialog:
        dialog = SettingsDialog(settings, probe)
        qtbot.addWidget(dialog)
        dialog.show()
        qloop.run_until_complete(wait_until(lambda: not dialog.busy, what="first probe"))
        return dialog

    yield make
    qapp.setQuitOnLastWindowClosed(quit_on_close)


def _items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_lists_are_filled_from_the_server(open_dialog, scripted_server: ScriptedServer) -> None:
    scripted_server.models = [
        ScriptedModel("qwen/qwen2.5-7b-instruct", context_length=8192),
        ScriptedModel("google/gemma-3-12b", loaded=False, max_context_length=131072),
        ScriptedModel("text-embedding-nomic-embed-text-v1.5", type="embedding"),
    ]
    dialog = open_dialog(scripted_server.settings())
    form = dialog.form
    assert _items(form.chat_model) == [
        f"{USE_LOADED} (qwen/qwen2.5-7b-instruct)",
        "qwen/qwen2.5-7b-instruct — loaded, 8,192 tokens",
        "google/gemma-3-12b — not loaded, up to 131,072 tokens",
    ]
    assert any("nomic" in t for t in _items(form.embedding_model))
    assert not any("nomic" in t for t in _items(form.chat_model))
    result = form.connection_result.text()
    assert result.startswith("Connected to LM Studio")
    assert "Models: 2 chat (1 loaded), 1 embedding." in result
    assert "written by qwen/qwen2.5-7b-instruct — loaded, 8,192 tokens" in result
    assert form.chat_model.model_id() is None  # still "use the loaded model"
    assert form.api_token.echoMode() is QLineEdit.EchoMode.Password


def test_ok_validates_saves_and_emits(qloop, qtbot, open_dialog, scripted_server) -> None:
    dialog = open_dialog(scripted_server.settings())
    form = dialog.form
    form.chat_model.setCurrentIndex(1)  # the loaded qwen3-8b
    form.temperature.setValue(0.4)
    form.timeouts["first_token"].setValue(240)
    form.steps["document_structuring"].setChecked(False)
    form.api_token.setText("  secret-token ")
    with qtbot.waitSignal(dialog.settings_saved) as blocker:
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    saved: Settings = blocker.args[0]
    assert saved.chat_model == "qwen/qwen3-8b"
    assert saved.temperature == pytest.approx(0.4)
    assert saved.timeouts.first_token == 240
    assert saved.steps.document_structuring is False and saved.steps.soap_generation is True
    assert saved.api_token == "secret-token"
    assert load_settings() == saved  # written to the config folder
    assert not dialog.isVisible()


def test_typed_model_and_use_loaded(qloop, qtbot, open_dialog, scripted_server) -> None:
    dialog = open_dialog(scripted_server.settings(chat_model="my/custom-model"))
    combo = dialog.form.chat_model
    assert "my/custom-model — not found on the server" in _items(combo)
    assert combo.model_id() == "my/custom-model"
    combo.setEditText("another/typed-model")
    assert combo.model_id() == "another/typed-model"
    combo.setCurrentIndex(0)
    assert combo.model_id() is None


def test_invalid_address_keeps_dialog_open(qloop, open_dialog, scripted_server) -> None:
    dialog = open_dialog(scripted_server.settings())
    dialog.form.base_url.setText("ftp://127.0.0.1:1234/v1")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert not dialog.error_label.isHidden()
    assert "http://" in dialog.error_label.text()
    assert not settings_file().exists()
    dialog.form.base_url.setText("http://127.0.0.1:99999/v1")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert "port" in dialog.error_label.text() and dialog.isVisible()


def _prompt(dialog: SettingsDialog) -> QMessageBox:
    boxes = [b for b in dialog.findChildren(QMessageBox, "allowHostPrompt") if b.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def test_another_computer_needs_confirmation(qloop, qtbot, open_dialog, scripted_server) -> None:
    dialog = open_dialog(scripted_server.settings())
    dialog.form.base_url.setText("http://192.168.1.50:1234/v1")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()
    box = _prompt(dialog)
    assert "patient information" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert dialog.isVisible() and "not allowed" in dialog.error_label.text()
    assert not settings_file().exists()

    ok.click()
    with qtbot.waitSignal(dialog.settings_saved) as blocker:
        _prompt(dialog).findChild(QPushButton, "allowHostYes").click()
        qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    saved: Settings = blocker.args[0]
    assert saved.base_url == "http://192.168.1.50:1234/v1"
    assert saved.allowed_hosts == ["192.168.1.50"]
    assert load_settings().allowed_hosts == ["192.168.1.50"]


def test_loopback_needs_no_confirmation(qloop, qtbot, open_dialog, scripted_server) -> None:
    dialog = open_dialog(scripted_server.settings())
    dialog.form.base_url.setText("http://localhost:1234/v1/")
    with qtbot.waitSignal(dialog.settings_saved) as blocker:
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    assert dialog.findChild(QMessageBox, "allowHostPrompt") is None
    assert blocker.args[0].base_url == "http://localhost:1234/v1"


def test_connection_test_reports_down_and_other_servers(
    qloop, qtbot, open_dialog, scripted_server
) -> None:
    dialog = open_dialog(scripted_server.settings())
    scripted_server.stop()
    qtbot.mouseClick(dialog.form.test_button, Qt.MouseButton.LeftButton)
    qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    down = dialog.form.connection_result.text()
    assert down.startswith("Not connected:") and scripted_server.base_url in down
    assert dialog.form.test_button.isEnabled()

    scripted_server.start()
    scripted_server.lmstudio = False  # e.g. llama-server or Ollama
    dialog.test_connection()
    qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    assert "not LM Studio" in dialog.form.connection_result.text()

    scripted_server.lmstudio = True
    scripted_server.models = [ScriptedModel("qwen/qwen3-8b", loaded=False)]
    dialog.test_connection()
    qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    assert dialog.form.connection_result.text().startswith("Connected, but not ready:")


def test_api_token_is_sent(qloop, open_dialog, scripted_server) -> None:
    scripted_server.api_token = "s3cret"
    dialog = open_dialog(scripted_server.settings())
    refused = dialog.form.connection_result.text()
    assert refused.startswith("Connected, but not ready") and "API token" in refused
    assert "Models:" not in refused  # the model list was refused, so no counts are shown
    dialog.form.api_token.setText("s3cret")
    dialog.test_connection()
    qloop.run_until_complete(wait_until(lambda: not dialog.busy))
    assert dialog.form.connection_result.text().startswith("Connected to LM Studio")


def test_closing_mid_probe_cancels_it(qapp, qloop, qtbot, probe) -> None:
    """A server that accepts the connection and never answers: the dialog stays usable."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        dialog = SettingsDialog(Settings(base_url=f"http://127.0.0.1:{port}/v1"), probe)
        qtbot.addWidget(dialog)
        qapp.setQuitOnLastWindowClosed(False)
        dialog.show()
        task = dialog._probe_task
        assert task is not None and dialog.busy
        assert "Checking" in dialog.form.connection_result.text()
        dialog.form.temperature.setValue(0.7)  # still editable while the check waits
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
        assert not dialog.isVisible()
        qloop.run_until_complete(wait_until(task.done, what="probe cancelled"))
        assert task.cancelled()
    qapp.setQuitOnLastWindowClosed(True)


def test_cancel_saves_nothing(qloop, qtbot, open_dialog, scripted_server) -> None:
    dialog = open_dialog(scripted_server.settings())
    dialog.form.temperature.setValue(1.5)
    with qtbot.assertNotEmitted(dialog.settings_saved):
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not settings_file().exists() and not dialog.isVisible()


def test_screenshot(qloop, open_dialog, scripted_server, tmp_path: Path) -> None:
    """Renders; with UPDATE_SCREENSHOTS=1 it refreshes docs/screenshot-settings.png."""
    scripted_server.models = [
        ScriptedModel("qwen/qwen2.5-7b-instruct", context_length=8192),
        ScriptedModel("google/gemma-3-12b", loaded=False, max_context_length=131072),
        ScriptedModel("text-embedding-nomic-embed-text-v1.5", type="embedding"),
    ]
    dialog = open_dialog(scripted_server.settings())
    QApplication.processEvents()
    target = DOCS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(exist_ok=True)
    image = dialog.grab().toImage()
    assert image.width() > 400 and image.height() > 300
    assert image.save(str(target / "screenshot-settings.png"))


# Qt objects must die on the GUI thread. Left to Python's garbage collector, a closed qasync
# loop's timer object can be collected on an asyncio.to_thread worker, leaving Qt with a
# dangling timer: a segfault in a later test. So the loops are kept until the end.
_CLOSED_LOOPS: list[object] = []


@pytest.fixture(autouse=True)
def _keep_closed_loops_alive(qloop) -> None:
    _CLOSED_LOOPS.append(qloop)
