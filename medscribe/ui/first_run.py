"""What a physician sees when LM Studio is not ready: what to do, and what still works.

Shown above the transcript instead of an error dialog: the most common first run is "LM Studio
is installed but its server is off" or "no model is loaded", both fixed in LM Studio itself.
The panel follows the status light, so it disappears on its own once the server is ready.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from medscribe.core.llm_port import HealthState, ServerStatus

_STEPS_UNREACHABLE = (
    "Open <b>LM Studio</b> on this computer.",
    "Go to the <b>Developer</b> tab and switch the server on "
    "(<b>Start Server</b>, status <i>Running</i>).",
    "Load a model with <b>Select a model to load</b> at the top "
    "(an instruct model of 7 to 8 billion parameters works well).",
)
_STEPS_NO_MODEL = (
    "In <b>LM Studio</b>, click <b>Select a model to load</b> at the top of the window.",
    "Choose a chat (instruct) model and wait until it shows as loaded.",
)
_STILL_WORKS = "You can still paste or open a transcript and run PHI detection."
_RECHECK = "medscribe checks again every few seconds; this message goes away by itself."


def _steps_html(steps: tuple[str, ...]) -> str:
    items = "".join(f"<li style='margin-bottom:3px'>{s}</li>" for s in steps)
    return f"<ol style='margin-left:-20px'>{items}</ol>"


class ServerHelpPanel(QFrame):
    """Plain steps to get the model server running, an Open Settings button, and reassurance.

    Hidden while the status is unknown (before the first check: no flash of help on a
    working setup) and when the server is ready.
    """

    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverHelpPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAccessibleName("How to start LM Studio")

        self._title = QLabel(self)
        self._title.setObjectName("serverHelpTitle")
        font = self._title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._title.setFont(font)
        self._title.setWordWrap(True)

        self._steps = QLabel(self)
        self._steps.setObjectName("serverHelpSteps")
        self._steps.setTextFormat(Qt.TextFormat.RichText)
        self._steps.setWordWrap(True)
        self._steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._detail = QLabel(self)
        self._detail.setObjectName("serverHelpDetail")
        self._detail.setWordWrap(True)

        self._still = QLabel(f"{_STILL_WORKS} {_RECHECK}", self)
        self._still.setWordWrap(True)

        self.settings_button = QPushButton("Open Settings…", self)
        self.settings_button.setObjectName("serverHelpOpenSettings")
        self.settings_button.setAccessibleName("Open Settings")
        self.settings_button.setToolTip(
            "Change the server address, for example when LM Studio runs on another port"
        )
        self.settings_button.clicked.connect(self._on_settings_button_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self._title)
        layout.addWidget(self._steps)
        layout.addWidget(self._still)
        layout.addWidget(self._detail)
        layout.addLayout(buttons)
        self.setVisible(False)

    def set_status(self, status: ServerStatus | None) -> None:
        if status is None or status.state is HealthState.READY:
            self.setVisible(False)
            return
        if status.state is HealthState.NO_MODEL:
            self._title.setText("LM Studio is running, but no model is loaded")
            steps = _STEPS_NO_MODEL
        else:
            self._title.setText("medscribe cannot reach LM Studio")
            steps = _STEPS_UNREACHABLE
        self._steps.setText(_steps_html(steps))
        # The client's message usually names the address already; say it only when it doesn't.
        root = status.base_url.removesuffix("/v1")
        named = bool(root) and root in status.message
        where = f" (address: {status.base_url})" if status.base_url and not named else ""
        self._detail.setText(f"{status.message}{where}".strip())
        self._detail.setVisible(bool(status.message or status.base_url))
        self.setAccessibleDescription(f"{self._title.text()}. {_STILL_WORKS}")
        self.setVisible(True)

    @property
    def title_text(self) -> str:
        return self._title.text()

    def _on_settings_button_clicked(self) -> None:
        self.settings_requested.emit()
