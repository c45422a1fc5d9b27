"""The settings pane: test the server, pick models, validate, confirm, save.

Why the confirmation: transcripts contain patient information. A server address that is not
this computer must be a deliberate choice, never a typo, so OK on such an address asks first
and then records the host in ``allowed_hosts`` (which the settings model insists on).

All waiting happens in tracked asyncio tasks (the probe, the save): the dialog stays
responsive, a second Test replaces the first, and closing the dialog cancels what is left.
The confirmation uses ``QMessageBox.open()``, never ``exec()``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.errors import MedscribeError
from medscribe.core.llm_port import HealthState, ServerStatus
from medscribe.settings import save_settings
from medscribe.settings.model import Settings, is_loopback_host, plain_validation_message
from medscribe.ui.settings_form import ERROR_COLOURS, SettingsForm, describe_status, tone_colour

log = logging.getLogger(__name__)

Probe = Callable[[Settings], Awaitable[ServerStatus]]


class SettingsDialog(QDialog):
    """Modal-less settings pane; emits ``settings_saved`` after a validated save on OK."""

    settings_saved = Signal(object)  # Settings

    def __init__(self, settings: Settings, probe: Probe, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self._settings = settings
        self._probe = probe
        self._probe_task: asyncio.Task[None] | None = None
        self._save_task: asyncio.Task[None] | None = None
        self._probed_once = False
        self._confirm: QMessageBox | None = None
        self.last_status: ServerStatus | None = None  # what the last connection test found

        self.form = SettingsForm(self)
        self.form.load(settings)
        self.form.test_button.clicked.connect(self._on_test_button_clicked)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem with the settings")
        palette = self.error_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, tone_colour(self, *ERROR_COLOURS))
        self.error_label.setPalette(palette)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        # Grow when a long test result or error wraps onto more lines; never clip it.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # --- probing ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A probe or a save is running (tests wait on this)."""
        return any(t is not None and not t.done() for t in (self._probe_task, self._save_task))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._probed_once:
            self._probed_once = True
            self.test_connection()  # fill the model lists without a click

    def test_connection(self) -> None:
        """Start a probe of what the form says now (replaces one still running)."""
        try:
            settings = self._settings_for_probe()
        except ValidationError as exc:
            self.form.show_connection(plain_validation_message(exc), HealthState.UNREACHABLE)
            return
        if self._probe_task is not None:
            self._probe_task.cancel()
        self.form.test_button.setEnabled(False)
        self.form.show_connection(f"Checking {settings.base_url} …", None)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            log.warning("no event loop: connection test skipped")
            self.form.test_button.setEnabled(True)
            return
        self._probe_task = asyncio.ensure_future(self._run_probe(settings))

    def _settings_for_probe(self) -> Settings:
        # A test sends no patient data, so another computer may be asked before it is allowed.
        data = self.form.values()
        host = urlsplit(str(data["base_url"]).strip()).hostname
        if host and not is_loopback_host(host):
            data["allowed_hosts"] = [*data.get("allowed_hosts", []), host]
        return Settings.model_validate(data)

    async def _run_probe(self, settings: Settings) -> None:
        try:
            status = await self._probe(settings)
        except asyncio.CancelledError:
            raise  # replaced by a newer test, or the dialog closed: touch no widget
        except MedscribeError as exc:
            status = ServerStatus(
                state=HealthState.UNREACHABLE, base_url=settings.base_url, message=exc.user_message
            )
        except Exception:
            log.exception("connection test failed")
            status = ServerStatus(
                state=HealthState.UNREACHABLE,
                base_url=settings.base_url,
                message="The check could not be completed. Check the address and try again.",
            )
        self.form.test_button.setEnabled(True)
        if not status.base_url:
            status = status.model_copy(update={"base_url": settings.base_url})
        self.last_status = status
        self.form.set_models(status)
        self.form.show_connection(describe_status(status), status.state)

    def _on_test_button_clicked(self) -> None:
        self.test_connection()

    # --- OK: validate, confirm another computer, save ---------------------------------------------

    def _on_buttons_accepted(self) -> None:
        data = self.form.values()
        host = urlsplit(str(data["base_url"]).strip()).hostname or ""
        allowed = {h.lower() for h in data.get("allowed_hosts", [])}
        if host and not is_loopback_host(host) and host.lower() not in allowed:
            self._ask_allow_host(data, host)
            return
        self._validate_and_save(data)

    def _ask_allow_host(self, data: dict[str, Any], host: str) -> None:
        box = QMessageBox(self)
        box.setObjectName("allowHostPrompt")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Send transcripts to another computer?")
        box.setText(f"The server “{host}” is not this computer.")
        box.setInformativeText(
            "Transcripts contain patient information. medscribe will send them to "
            f"{host} to write notes. Allow this only for a computer your practice controls."
        )
        allow = box.addButton(f"Allow {host}", QMessageBox.ButtonRole.AcceptRole)
        allow.setObjectName("allowHostYes")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def on_finished(_: int) -> None:
            self._confirm = None
            box.deleteLater()
            if box.clickedButton() is allow:
                data["allowed_hosts"] = [*data.get("allowed_hosts", []), host]
                self._validate_and_save(data)
            else:
                self._show_error(
                    f"Not saved: {host} was not allowed. Use an address on this computer "
                    "(for example 127.0.0.1) or allow it."
                )

        box.finished.connect(on_finished)
        self._confirm = box
        box.open()

    def _validate_and_save(self, data: dict[str, Any]) -> None:
        try:
            settings = Settings.model_validate(data)
        except ValidationError as exc:
            self._show_error(plain_validation_message(exc))
            return
        self.error_label.hide()
        self.buttons.setEnabled(False)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._finish_save(settings, self._write(settings))
            return
        self._save_task = asyncio.ensure_future(self._save(settings))

    async def _save(self, settings: Settings) -> None:
        error = await asyncio.to_thread(self._write, settings)
        self._finish_save(settings, error)

    @staticmethod
    def _write(settings: Settings) -> str | None:
        try:
            save_settings(settings)
        except OSError as exc:
            log.warning("settings not saved: %s", type(exc).__name__)
            return (
                "The settings could not be saved "
                f"({exc.strerror or 'write error'}). Check that the disk is not full."
            )
        return None

    def _finish_save(self, settings: Settings, error: str | None) -> None:
        self._save_task = None  # the write is over: closing is allowed again
        self.buttons.setEnabled(True)
        if error:
            self._show_error(error)
            return
        self._settings = settings
        log.info("settings saved")
        self.settings_saved.emit(settings)
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- closing ----------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        if self._save_task is not None and not self._save_task.done():
            return  # the file is being written (milliseconds): close when it is done
        if self._probe_task is not None:
            self._probe_task.cancel()
        super().done(result)
