"""Plain messages and the one place unexpected errors end up.

A ``MedscribeError`` carries words meant for a physician; they are shown as they are. Anything
else is a bug: it is logged with its traceback (to the log file only) and the user sees a short
plain message with where the log is, never the traceback itself.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from medscribe.core.errors import MedscribeError, loggable_traceback

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Something went wrong inside medscribe. Your work is kept: save the session, then restart "
    "medscribe if things look wrong. Details were written to the log file in {log_dir}."
)


def plain_message(exc: BaseException) -> str:
    if isinstance(exc, MedscribeError):
        return exc.user_message
    from medscribe.settings.paths import log_dir

    return UNEXPECTED.format(log_dir=log_dir())


def show_message(
    parent: QWidget | None,
    text: str,
    *,
    title: str = "medscribe",
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A window-modal message that does not block the event loop (``open()``, not ``exec()``)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("plainMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    return show_message(parent, plain_message(exc))


class ExceptHook:
    """sys.excepthook and the asyncio loop's exception handler, both to one dialog."""

    def __init__(self, parent_provider: Callable[[], QWidget | None]) -> None:
        self._parent_provider = parent_provider
        self._showing = False

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if not isinstance(exc, MedscribeError):
            # Type and frames only: an exception's message may quote patient text.
            log.critical("unexpected error: %s", loggable_traceback(exc))
        else:
            log.warning("error shown to the user: %s", type(exc).__name__)
        self._show(exc)

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is None:
            log.error("asyncio: %s", context.get("message", "unknown problem"))
            return
        self(type(exc), exc, exc.__traceback__)

    def _show(self, exc: BaseException) -> None:
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time: a burst of the same error must not stack up boxes
        self._showing = True
        box = show_error(self._parent_provider(), exc)
        box.finished.connect(self._on_box_finished)

    def _on_box_finished(self, _result: int) -> None:
        self._showing = False


def install_excepthook(
    parent_provider: Callable[[], QWidget | None],
    loop: asyncio.AbstractEventLoop | None = None,
) -> ExceptHook:
    hook = ExceptHook(parent_provider)
    sys.excepthook = hook
    if loop is not None:
        loop.set_exception_handler(hook.loop_handler)
    return hook
