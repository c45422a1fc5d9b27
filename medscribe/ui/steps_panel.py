"""The steps panel: one row per step with its state in words, progress, time and buttons.

Widgets only show state: rows are fed StepEvents and StepOutcomes by the window and emit what
the physician asked for (run, retry, cancel). The controller does the work.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from medscribe.core.steps import StepEvent, StepName, StepOutcome, StepState
from medscribe.ui.actions import Actions
from medscribe.ui.style import set_text_colour, state_colour

STATE_WORDS = {
    StepState.IDLE: "Idle",
    StepState.WAITING: "Waiting for LM Studio",
    StepState.PROMPT: "Reading the transcript",
    StepState.GENERATING: "Writing",
    StepState.DONE: "Done",
    StepState.FAILED: "Failed",
    StepState.SKIPPED: "Skipped",
    StepState.CANCELLED: "Cancelled",
}
_ACTIVE = {StepState.WAITING, StepState.PROMPT, StepState.GENERATING}


def format_elapsed(seconds: float) -> str:
    """'0.4 s', '42 s', '3:07': short steps keep a meaningful figure."""
    seconds = max(0.0, seconds)
    if seconds < 0.1:
        return "< 0.1 s"
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def progress_words(event: StepEvent) -> str:
    """'412 tokens · 68/s' while generating; empty otherwise."""
    if event.state is not StepState.GENERATING or not event.completion_tokens:
        return ""
    rate = f" · {event.tokens_per_second:.0f}/s" if event.tokens_per_second else ""
    return f"{event.completion_tokens} tokens{rate}"


def _retain_size(widget: QWidget) -> None:
    """Keep the column width when hidden, so the row does not jump as steps start and end."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


class StepRow:
    """The widgets of one step in the panel's grid."""

    def __init__(self, step: StepName, panel: StepsPanel) -> None:
        self.step = step
        self.state = StepState.IDLE
        self._started: float | None = None
        self.name = QLabel(step.title)
        self.name.setObjectName(f"stepName_{step.value}")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.status = QLabel(STATE_WORDS[StepState.IDLE])
        self.status.setObjectName(f"stepState_{step.value}")
        self.status.setAccessibleName(f"{step.title} state")
        self.progress = QProgressBar()
        self.progress.setObjectName(f"stepProgress_{step.value}")
        self.progress.setAccessibleName(f"{step.title} progress")
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(110)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        # Only shown while the step runs: an empty bar at rest reads as "0 % done".
        _retain_size(self.progress)
        self.progress.setVisible(False)
        self.elapsed = QLabel("")
        self.elapsed.setObjectName(f"stepElapsed_{step.value}")
        self.elapsed.setMinimumWidth(36)
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.run = QToolButton()
        self.run.setObjectName(f"stepRun_{step.value}")
        self.run.setText("Run")
        self.run.setAccessibleName(f"Run {step.title}")
        self.run.setToolTip(panel.run_tooltip(step))
        self.run.clicked.connect(lambda: panel.run_requested.emit(step))
        self.cancel = QToolButton()
        self.cancel.setObjectName(f"stepCancel_{step.value}")
        self.cancel.setText("Cancel")
        self.cancel.setAccessibleName(f"Cancel {step.title}")
        self.cancel.setToolTip(f"Stop {step.title} at once (Esc)")
        self.cancel.setEnabled(False)
        _retain_size(self.cancel)
        self.cancel.setVisible(False)  # shown only while the step runs: less grey clutter
        self.cancel.clicked.connect(lambda: panel.cancel_requested.emit(step))
        self.reason = QLabel("")
        self.reason.setObjectName(f"stepReason_{step.value}")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setVisible(False)

    def show_event(self, event: StepEvent) -> None:
        if event.state is StepState.IDLE:
            self.show_outcome(StepOutcome())
            return
        if event.state in _ACTIVE and self._started is None:
            self._started = time.monotonic() - event.elapsed
        self._set_state(event.state, event.message)
        words = progress_words(event)
        if words:
            self.status.setText(f"{STATE_WORDS[event.state]} · {words}")
        if event.state.is_final:
            self._finish(event.elapsed or None)

    def show_outcome(self, outcome: StepOutcome) -> None:
        """A stored outcome (session opened, undo): state and reason, no live timer."""
        self._started = None
        self._set_state(outcome.state, outcome.message)
        if outcome.state.is_final:
            self._finish(outcome.stats.seconds or None)
        else:
            self.elapsed.setText("")

    def _set_state(self, state: StepState, message: str) -> None:
        self.state = state
        active = state in _ACTIVE
        self.status.setText(STATE_WORDS[state])
        set_text_colour(self.status, state_colour(state, self.status.palette()))
        self.cancel.setEnabled(active)
        self.cancel.setVisible(active)
        self.run.setText("Retry" if state is StepState.FAILED else "Run")
        # Busy while it runs: the server reports no fraction done (tokens/s go in the words).
        self.progress.setRange(0, 0 if active else 1)
        self.progress.setVisible(active)
        # Failed/skipped: why. Done: what the physician should know (e.g. "checked with the
        # rules only: LM Studio is not reachable"). Cancelled says it all already.
        show_reason = state in (StepState.FAILED, StepState.SKIPPED, StepState.DONE) and bool(
            message
        )
        self.reason.setText(message if show_reason else "")
        self.reason.setVisible(show_reason)
        failed = state is StepState.FAILED
        set_text_colour(self.reason, state_colour(state, self.reason.palette()) if failed else None)
        self.name.setToolTip(message)

    def _finish(self, seconds: float | None) -> None:
        if seconds is None and self._started is not None:
            seconds = time.monotonic() - self._started
        self._started = None
        self.elapsed.setText(format_elapsed(seconds) if seconds else "")

    def tick(self) -> None:
        if self._started is not None:
            self.elapsed.setText(format_elapsed(time.monotonic() - self._started))


class StepsPanel(QWidget):
    """Run all / Cancel on top, then one row per step."""

    run_requested = Signal(object)  # StepName (Run or Retry)
    cancel_requested = Signal(object)  # StepName

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepsPanel")
        self._actions = actions
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        top = QHBoxLayout()
        self.run_all_button = self._action_button(actions.run_all, "Run all")
        self.run_all_button.setObjectName("runAllButton")
        self.run_all_button.setDefault(True)
        self.cancel_button = self._action_button(actions.cancel, "Cancel")
        self.cancel_button.setObjectName("cancelButton")
        top.addWidget(self.run_all_button)
        top.addWidget(self.cancel_button)
        top.addStretch(1)
        outer.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.rows: dict[StepName, StepRow] = {}
        for i, step in enumerate(StepName):
            row = StepRow(step, self)
            self.rows[step] = row
            r = i * 2
            grid.addWidget(row.name, r, 0)
            grid.addWidget(row.status, r, 1)
            grid.addWidget(row.progress, r, 2)
            grid.addWidget(row.elapsed, r, 3)
            grid.addWidget(row.run, r, 4)
            grid.addWidget(row.cancel, r, 5)
            grid.addWidget(row.reason, r + 1, 0, 1, 6)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._on_timer_timeout)

    def _action_button(self, action, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(action.toolTip())
        button.setAccessibleName(text)
        button.setEnabled(action.isEnabled())
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    def run_tooltip(self, step: StepName) -> str:
        return self._actions.run_step[step].toolTip()

    # --- fed by the window ------------------------------------------------------------

    def show_event(self, event: StepEvent) -> None:
        self.rows[event.step].show_event(event)
        self._update_timer()

    def show_outcomes(self, outcomes: dict[StepName, StepOutcome]) -> None:
        for step, row in self.rows.items():
            if row.state in _ACTIVE:
                continue  # a live run owns this row
            row.show_outcome(outcomes.get(step, StepOutcome()))
        self._update_timer()

    def _update_timer(self) -> None:
        active = any(r.state in _ACTIVE for r in self.rows.values())
        if active and not self._timer.isActive():
            self._timer.start()
        elif not active:
            self._timer.stop()

    def _on_timer_timeout(self) -> None:
        for row in self.rows.values():
            row.tick()
