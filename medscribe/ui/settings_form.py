"""The fields of the settings pane: Settings in, plain dict out; no I/O, no coroutines.

Kept apart from the dialog so the dialog is only about behaviour (probe, confirm, validate,
save) and this module only about what the physician sees and types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.llm_port import HealthState, ModelInfo, ModelType, ServerKind, ServerStatus
from medscribe.settings.model import DEFAULT_BASE_URL, Settings

USE_LOADED = "Use the loaded model"
ERROR_COLOURS = (QColor(176, 40, 30), QColor(255, 128, 115))  # on light, on dark

# (field, label, tooltip, maximum) - limits mirror medscribe.settings.model.Timeouts
_TIMEOUTS = (
    ("connect", "Connection timeout", "How long to wait for the server to answer at all.", 120),
    (
        "first_token",
        "Wait for first word",
        "How long to wait for the first word of an answer. LM Studio may need a minute or "
        "more to load a model on first use.",
        3600,
    ),
    ("idle", "Longest pause while writing", "Give up when the answer stops for this long.", 600),
    ("total", "Total time limit", "The longest one step may take in all.", 7200),
)
_STEPS = (
    ("phi_detection", "PHI detection", "Find patient identifiers (names, dates, numbers)"),
    ("entity_extraction", "Medical entities", "Diagnoses, medications, allergies, vitals …"),
    ("soap_generation", "SOAP note", "Write the Subjective, Objective, Assessment, Plan note"),
    ("document_structuring", "Structured document", "Fill the nine sections of the document"),
)
_KIND_WORDS = {
    ServerKind.LMSTUDIO: "LM Studio",
    ServerKind.OPENAI_COMPATIBLE: "an OpenAI-compatible server that is not LM Studio",
    ServerKind.UNKNOWN: "a server",
}


def model_item_text(model: ModelInfo) -> str:
    """E.g. ``qwen2.5-7b-instruct — loaded, 8,192 tokens``."""
    parts = []
    if model.loaded is True:
        parts.append("loaded")
    elif model.loaded is False:
        parts.append("not loaded")
    if model.loaded and model.context_length:
        parts.append(f"{model.context_length:,} tokens")
    elif model.max_context_length:
        parts.append(f"up to {model.max_context_length:,} tokens")
    return f"{model.id} — {', '.join(parts)}" if parts else model.id


def describe_status(status: ServerStatus) -> str:
    """What a connection test found, in short lines of plain text."""
    url = status.base_url or "the address above"
    if status.state is HealthState.UNREACHABLE:
        return f"Not connected: nothing answered at {url}.\n{status.message}".strip()
    kind = _KIND_WORDS[status.kind]
    chat = [m for m in status.models if m.type is ModelType.CHAT]
    embed = [m for m in status.models if m.type is ModelType.EMBEDDING]
    counts = f"{len(chat)} chat"
    if any(m.loaded is not None for m in chat):
        counts += f" ({sum(1 for m in chat if m.loaded)} loaded)"
    counts += f", {len(embed)} embedding."
    if status.state is HealthState.NO_MODEL:
        head = f"Connected, but not ready: {kind} at {url}."
        models = f"\nModels: {counts}" if status.models else ""  # none: the list was refused
        return f"{head}{models}\n{status.message}".strip()
    lines = [f"Connected to {kind} at {url}.", f"Models: {counts}"]
    if status.chat_model is not None:
        lines.append(f"Notes will be written by {model_item_text(status.chat_model)}.")
    return "\n".join(lines)


def _group(title: str, layout: QFormLayout | QVBoxLayout) -> QGroupBox:
    box = QGroupBox(title)
    box.setLayout(layout)
    return box


class ModelCombo(QComboBox):
    """Editable model list: pick from the server's models or type an id; first item = auto."""

    def __init__(self, kind: ModelType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(36)
        self.lineEdit().setPlaceholderText(USE_LOADED)
        self.set_models([], None)

    def model_id(self) -> str | None:
        """The chosen id, or None for "use the loaded model"."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchExactly)
        if index >= 0:
            return self.itemData(index)
        return None if text in ("", USE_LOADED) else text

    def set_models(
        self, models: list[ModelInfo], selected: str | None, in_use: ModelInfo | None = None
    ) -> None:
        """Refill from the server, keeping ``selected`` even if the server does not list it.
        ``in_use`` is what the server would pick by itself: named on the first item."""
        self.clear()
        auto = f"{USE_LOADED} ({in_use.id})" if in_use is not None and not selected else USE_LOADED
        self.addItem(auto, None)
        ids = set()
        for model in models:
            if model.type is self._kind:
                self.addItem(model_item_text(model), model.id)
                ids.add(model.id)
        if selected and selected not in ids:
            self.addItem(f"{selected} — not found on the server", selected)
        index = self.findData(selected) if selected else 0
        self.setCurrentIndex(max(index, 0))


class SettingsForm(QWidget):
    """All the settings fields. ``values()`` returns the raw dict for ``Settings``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base: Settings = Settings()

        self.base_url = QLineEdit()
        self.base_url.setObjectName("settingsBaseUrl")
        self.base_url.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_url.setToolTip(
            "Where LM Studio's server listens. LM Studio shows it in its Developer tab."
        )
        self.test_button = QPushButton("&Test connection")
        self.test_button.setObjectName("settingsTestConnection")
        self.test_button.setToolTip("Ask the server which models it has (sends no patient data)")
        self.api_token = QLineEdit()
        self.api_token.setObjectName("settingsApiToken")
        self.api_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_token.setPlaceholderText("Only if LM Studio asks for one")
        self.connection_result = QLabel("Not tested yet.")
        self.connection_result.setObjectName("connectionResult")
        self.connection_result.setWordWrap(True)
        self.connection_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chat_model = ModelCombo(ModelType.CHAT)
        self.chat_model.setObjectName("settingsChatModel")
        self.chat_model.setToolTip(
            "The model that writes notes. Empty: the one loaded in LM Studio"
        )
        self.embedding_model = ModelCombo(ModelType.EMBEDDING)
        self.embedding_model.setObjectName("settingsEmbeddingModel")
        self.embedding_model.setToolTip("Used to match text. Empty: the loaded embedding model")

        url_row = QHBoxLayout()
        url_row.addWidget(self.base_url, 1)
        url_row.addWidget(self.test_button)
        url_label = QLabel("Server &address:")
        url_label.setBuddy(self.base_url)
        # Room for three lines, so the dialog does not jump when the test result arrives.
        self.connection_result.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 4)
        self.connection_result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        server = QFormLayout()
        server.addRow(url_label, url_row)
        server.addRow("API &token:", self.api_token)
        server.addRow("", self.connection_result)
        server.addRow("&Chat model:", self.chat_model)
        server.addRow("&Embedding model:", self.embedding_model)

        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setDecimals(2)
        self.temperature.setToolTip("Lower is more literal and repeatable; 0.1 suits notes")
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(16, 32768)
        self.max_tokens.setSingleStep(256)
        self.max_tokens.setGroupSeparatorShown(True)
        self.max_tokens.setToolTip("The longest answer one step may write, in tokens")
        self.max_retries = QSpinBox()
        self.max_retries.setRange(0, 10)
        self.max_retries.setToolTip("How often to try again when the server is busy or drops")
        writing = QFormLayout()
        writing.addRow("Te&mperature:", self.temperature)
        writing.addRow("Longest &answer (tokens):", self.max_tokens)
        writing.addRow("&Retries:", self.max_retries)

        self.timeouts: dict[str, QDoubleSpinBox] = {}
        limits = QFormLayout()
        for name, label, tip, maximum in _TIMEOUTS:
            spin = QDoubleSpinBox()
            spin.setRange(1.0, float(maximum))
            spin.setDecimals(0)
            spin.setSuffix(" s")
            spin.setToolTip(tip)
            spin.setAccessibleName(label)
            spin.setObjectName(f"settingsTimeout_{name}")
            self.timeouts[name] = spin
            limits.addRow(f"{label}:", spin)

        self.steps: dict[str, QCheckBox] = {}
        steps = QVBoxLayout()
        for name, label, tip in _STEPS:
            box = QCheckBox(label)
            box.setToolTip(tip)
            box.setObjectName(f"settingsStep_{name}")
            self.steps[name] = box
            steps.addWidget(box)
        steps.addStretch(1)

        for widget, name in (
            (self.base_url, "Server address"),
            (self.test_button, "Test connection"),
            (self.api_token, "API token"),
            (self.connection_result, "Connection test result"),
            (self.chat_model, "Chat model"),
            (self.embedding_model, "Embedding model"),
            (self.temperature, "Temperature"),
            (self.max_tokens, "Longest answer in tokens"),
            (self.max_retries, "Retries"),
        ):
            widget.setAccessibleName(name)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(_group("LM Studio server", server), 0, 0, 1, 3)
        grid.addWidget(_group("Writing", writing), 1, 0)
        grid.addWidget(_group("Time limits", limits), 1, 1)
        grid.addWidget(_group("Steps in Run all", steps), 1, 2)

    # --- in and out ---------------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        self._base = settings
        self.base_url.setText(settings.base_url)
        self.api_token.setText(settings.api_token or "")
        self.chat_model.set_models([], settings.chat_model)
        self.embedding_model.set_models([], settings.embedding_model)
        self.temperature.setValue(settings.temperature)
        self.max_tokens.setValue(settings.max_tokens)
        self.max_retries.setValue(settings.max_retries)
        for name, spin in self.timeouts.items():
            spin.setValue(getattr(settings.timeouts, name))
        for name, box in self.steps.items():
            box.setChecked(getattr(settings.steps, name))

    def values(self) -> dict[str, Any]:
        """What the form says, as input for ``Settings.model_validate``."""
        data = self._base.model_dump()
        data.update(
            base_url=self.base_url.text().strip() or DEFAULT_BASE_URL,
            api_token=self.api_token.text(),
            chat_model=self.chat_model.model_id(),
            embedding_model=self.embedding_model.model_id(),
            temperature=self.temperature.value(),
            max_tokens=self.max_tokens.value(),
            max_retries=self.max_retries.value(),
            timeouts={name: spin.value() for name, spin in self.timeouts.items()},
            steps={name: box.isChecked() for name, box in self.steps.items()},
        )
        return data

    def set_models(self, status: ServerStatus) -> None:
        """Fill both lists from what the server reported, keeping the current choices."""
        chat, embedding = self.chat_model.model_id(), self.embedding_model.model_id()
        self.chat_model.set_models(status.models, chat, status.chat_model)
        self.embedding_model.set_models(status.models, embedding, status.embedding_model)

    def show_connection(self, text: str, state: HealthState | None) -> None:
        self.connection_result.setText(text)
        palette = self.connection_result.palette()
        colour = self.palette().color(QPalette.ColorRole.WindowText)
        if state is HealthState.READY:
            colour = tone_colour(self, QColor(26, 127, 55), QColor(87, 200, 120))
        elif state is not None:
            colour = tone_colour(self, *ERROR_COLOURS)
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.connection_result.setPalette(palette)


def tone_colour(widget: QWidget, on_light: QColor, on_dark: QColor) -> QColor:
    """A status colour legible on the current palette (light or dark)."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return on_light if window.lightness() >= 128 else on_dark
