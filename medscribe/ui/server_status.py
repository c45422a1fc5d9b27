"""The LM Studio status light: a controller that checks in the background, a button that shows.

Why a poll: LM Studio gives no push notification when its server starts or a model is loaded,
and a physician fixes those in another window. Checking every few seconds lets the light (and
the first-run help) follow along without a click. A check that is still running when the next
tick comes is not doubled up: the tick is skipped, so a slow or hanging server never piles up
requests or freezes anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QToolButton, QWidget

from medscribe.core.errors import MedscribeError
from medscribe.core.llm_port import HealthState, ModelInfo, ServerKind, ServerStatus

log = logging.getLogger(__name__)


class ChatBackendLike(Protocol):
    """All the controller needs: something that can say how the server is."""

    async def health(self) -> ServerStatus: ...


class ServerStatusController(QObject):
    """Checks the server every ``interval_s`` seconds and reports each new status.

    ``client_provider`` is asked for the client on every check, so a client rebuilt after the
    settings changed is picked up without restarting the controller.
    """

    status_changed = Signal(object)  # ServerStatus

    def __init__(
        self,
        client_provider: Callable[[], ChatBackendLike],
        interval_s: float = 5.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client_provider = client_provider
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(interval_s * 1000)))
        self._timer.timeout.connect(self._on_timer_timeout)
        self._task: asyncio.Task[None] | None = None
        self.last_status: ServerStatus | None = None
        self.checks_started = 0  # for tests and logs: how many checks ran

    @property
    def checking(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._timer.start()
        self.refresh_now()

    def stop(self) -> None:
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def refresh_now(self) -> None:
        """Check at once (after a settings change or a click): a check in flight is replaced,
        because it may be talking to the old address."""
        if self._task is not None:
            self._task.cancel()
        self._start_check(always_emit=True)

    def _on_timer_timeout(self) -> None:
        if self.checking:
            log.debug("status check still running; tick skipped")
            return
        self._start_check(always_emit=False)

    def _start_check(self, *, always_emit: bool) -> None:
        self.checks_started += 1
        self._task = asyncio.ensure_future(self._check(always_emit))

    async def _check(self, always_emit: bool) -> None:
        try:
            status = await self._client_provider().health()
        except asyncio.CancelledError:
            raise
        except MedscribeError as exc:
            status = ServerStatus(state=HealthState.UNREACHABLE, message=exc.user_message)
        except Exception:  # a bug in the check must not stop the light from updating
            log.exception("server status check failed")
            status = ServerStatus(
                state=HealthState.UNREACHABLE,
                message="medscribe could not check the server. Open Settings and try again.",
            )
        changed = status != self.last_status
        self.last_status = status
        if changed or always_emit:
            log.info("server status: %s (%s)", status.state.value, status.kind.value)
            self.status_changed.emit(status)


# --- the indicator ----------------------------------------------------------------------

_LIGHT_COLOURS = {
    HealthState.READY: QColor(46, 160, 67),
    HealthState.NO_MODEL: QColor(219, 154, 4),
    HealthState.UNREACHABLE: QColor(207, 34, 46),
    None: QColor(140, 140, 140),
}


def _server_name(status: ServerStatus) -> str:
    return "Server" if status.kind is ServerKind.OPENAI_COMPATIBLE else "LM Studio"


def model_label(model: ModelInfo) -> str:
    """A model's id without LM Studio's ``publisher/`` prefix: what a person recognises."""
    return model.id.rsplit("/", 1)[-1]


def status_words(status: ServerStatus | None) -> str:
    """The few words beside the light."""
    if status is None:
        return "Checking LM Studio…"
    name = _server_name(status)
    if status.state is HealthState.READY:
        model = f" · {model_label(status.chat_model)}" if status.chat_model else ""
        return f"{name} ready{model}"
    if status.state is HealthState.NO_MODEL:
        return f"{name}: no model loaded"
    return "LM Studio not reachable"


class ServerStatusIndicator(QToolButton):
    """Light + words + model name in the status bar; a click opens Settings (H5 connects)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverStatus")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("LM Studio status")
        self._status: ServerStatus | None = None
        self._show(None)

    @property
    def status(self) -> ServerStatus | None:
        return self._status

    def set_status(self, status: ServerStatus) -> None:
        self._status = status
        self._show(status)

    def _show(self, status: ServerStatus | None) -> None:
        words = status_words(status)
        self.setText(words)
        self.setIcon(self._light(_LIGHT_COLOURS[status.state if status else None]))
        detail = status.message if status and status.message else words
        address = f"\nServer: {status.base_url}" if status and status.base_url else ""
        self.setToolTip(f"{detail}{address}\nClick to open Settings.")
        self.setAccessibleDescription(f"{words}. {detail}")

    def _light(self, colour: QColor) -> QIcon:
        """A filled circle, drawn at the screen's pixel ratio so it stays crisp on high DPI."""
        side = max(10, self.fontMetrics().height() - 4)
        ratio = self.devicePixelRatioF() or 1.0
        pixmap = QPixmap(QSize(int(side * ratio), int(side * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        with contextlib.ExitStack() as stack:
            stack.callback(painter.end)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(colour.darker(130))
            painter.setBrush(colour)
            painter.drawEllipse(1, 1, side - 2, side - 2)
        self.setIconSize(QSize(side, side))
        return QIcon(pixmap)
