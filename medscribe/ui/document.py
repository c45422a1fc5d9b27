"""The open consultation as the window edits it: one EncounterResult behind a QUndoStack.

Every user edit (note text, PHI decisions, entities, structured sections) and every applied
step result is a QUndoCommand, so Ctrl+Z works everywhere and ``cleanChanged`` drives the
window's modified mark. Views never mutate the result directly; they call these methods and
redraw on the change signals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from medscribe.core.entities import EntityCategory, GroundedEntity, MedicalEntities
from medscribe.core.notes import DocSection, SoapNote, SoapSection, StructuredDocument
from medscribe.core.phi import PhiCategory, PhiSpan, ReviewState, carry_over_reviews
from medscribe.core.session import EncounterInfo, EncounterResult
from medscribe.core.steps import StepName, StepOutcome
from medscribe.core.transcript import Transcript

# Consecutive typing in one editor merges into one undo step (QUndoCommand.id()).
_MERGE_SOAP = 1000
_MERGE_STRUCTURED = 2000
_MERGE_ENCOUNTER = 3000


class _ValueCommand(QUndoCommand):
    """Sets a value through a setter; undo restores the old one. Optionally mergeable."""

    def __init__(
        self,
        text: str,
        setter: Callable[[Any], None],
        old: Any,
        new: Any,
        merge_id: int = -1,
    ) -> None:
        super().__init__(text)
        self._setter, self._old, self._new, self._merge_id = setter, old, new, merge_id

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _ValueCommand) or other.id() != self.id() or self.id() < 0:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._setter(self._new)

    def undo(self) -> None:
        self._setter(self._old)


class SessionDocument(QObject):
    """One consultation: transcript, PHI review, entities, notes, step outcomes."""

    result_replaced = Signal(object)  # EncounterResult: a new transcript or session was opened
    phi_changed = Signal()
    entities_changed = Signal()
    soap_changed = Signal(object)  # SoapSection, or None for all sections
    structured_changed = Signal(object)  # DocSection, or None for all sections
    encounter_changed = Signal()
    steps_changed = Signal()
    path_changed = Signal(object)  # Path | None of the session file

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._result = EncounterResult(transcript=Transcript(text=""))
        self._path: Path | None = None

    # --- whole document ---------------------------------------------------------------

    @property
    def result(self) -> EncounterResult:
        """The live result. Treat as read-only; change it through the methods below."""
        return self._result

    @property
    def path(self) -> Path | None:
        return self._path

    def snapshot(self) -> EncounterResult:
        """A deep copy, safe to hand to a worker thread (save, export, autosave)."""
        return self._result.model_copy(deep=True)

    def load(self, result: EncounterResult, path: Path | None = None) -> None:
        """Replace everything (open a transcript or session). Not undoable; history resets."""
        self._result = result
        self.undo_stack.clear()
        self.set_path(path)
        self.result_replaced.emit(result)

    def set_path(self, path: Path | None) -> None:
        self._path = path
        self.path_changed.emit(path)

    def mark_saved(self, path: Path | None = None) -> None:
        if path is not None:
            self.set_path(path)
        self.undo_stack.setClean()

    @property
    def is_empty(self) -> bool:
        return not self._result.transcript.text.strip()

    def _push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    # --- PHI review ---------------------------------------------------------------------

    def _set_spans(self, spans: list[PhiSpan]) -> None:
        self._result.phi_spans = spans
        self.phi_changed.emit()

    def _replace_span(self, index: int, span: PhiSpan, text: str) -> None:
        spans = list(self._result.phi_spans)
        old = list(spans)
        spans[index] = span
        self._push(_ValueCommand(text, self._set_spans, old, spans))

    def set_phi_state(self, index: int, state: ReviewState) -> None:
        span = self._result.phi_spans[index]
        if span.state is state:
            return
        verbs = {ReviewState.CONFIRMED: "Confirm", ReviewState.REJECTED: "Reject"}
        verb = verbs.get(state, "Reset")
        self._replace_span(index, span.model_copy(update={"state": state}), f"{verb} PHI")

    def set_phi_category(self, index: int, category: PhiCategory) -> None:
        span = self._result.phi_spans[index]
        if span.category is category:
            return
        # Choosing a category is a review decision: the span is confirmed as that category.
        update = {"category": category, "state": ReviewState.CONFIRMED}
        self._replace_span(index, span.model_copy(update=update), "Change PHI category")

    def add_phi_span(self, span: PhiSpan) -> None:
        self.add_phi_spans([span])

    def add_phi_spans(self, spans: list[PhiSpan]) -> None:
        """Add spans as one undo step; spans already there that they overlap are replaced."""
        old = list(self._result.phi_spans)
        kept = [s for s in old if all(s.end <= n.start or s.start >= n.end for n in spans)]
        new = sorted([*kept, *spans], key=lambda s: (s.start, s.end))
        self._push(_ValueCommand("Mark as PHI", self._set_spans, old, new))

    # --- notes --------------------------------------------------------------------------

    def _soap_setter(self, section: SoapSection) -> Callable[[str], None]:
        def set_text(text: str) -> None:
            setattr(self._result.soap, section.value, text)
            self.soap_changed.emit(section)

        return set_text

    def set_soap_section(self, section: SoapSection, text: str) -> None:
        old = self._result.soap.get(section)
        if old == text:
            return
        merge = _MERGE_SOAP + list(SoapSection).index(section)
        cmd = _ValueCommand(f"Edit {section.title}", self._soap_setter(section), old, text, merge)
        self._push(cmd)

    def _structured_setter(self, section: DocSection) -> Callable[[str], None]:
        def set_text(text: str) -> None:
            setattr(self._result.structured, section.value, text)
            self.structured_changed.emit(section)

        return set_text

    def set_structured_section(self, section: DocSection, text: str) -> None:
        old = self._result.structured.get(section)
        if old == text:
            return
        merge = _MERGE_STRUCTURED + list(DocSection).index(section)
        setter = self._structured_setter(section)
        self._push(_ValueCommand(f"Edit {section.title}", setter, old, text, merge))

    def _set_encounter(self, info: EncounterInfo) -> None:
        self._result.encounter = info
        self.encounter_changed.emit()

    def set_encounter(self, info: EncounterInfo) -> None:
        if info == self._result.encounter:
            return
        old = self._result.encounter
        cmd = _ValueCommand("Edit encounter", self._set_encounter, old, info, _MERGE_ENCOUNTER)
        self._push(cmd)

    # --- entities -----------------------------------------------------------------------

    def _set_entities(self, entities: MedicalEntities) -> None:
        self._result.entities = entities
        self.entities_changed.emit()

    def _edit_entities(self, text: str, change: Callable[[MedicalEntities], None]) -> None:
        old = self._result.entities
        new = old.model_copy(deep=True)
        change(new)
        self._push(_ValueCommand(text, self._set_entities, old, new))

    def add_entity(self, category: EntityCategory, entity: GroundedEntity) -> None:
        self._edit_entities("Add entry", lambda e: e.of(category).append(entity))

    def update_entity(self, category: EntityCategory, index: int, entity: GroundedEntity) -> None:
        def change(e: MedicalEntities) -> None:
            e.of(category)[index] = entity

        self._edit_entities("Edit entry", change)

    def remove_entity(self, category: EntityCategory, index: int) -> None:
        self._edit_entities("Remove entry", lambda e: e.of(category).pop(index))

    # --- step results -------------------------------------------------------------------

    def _restore_parts(self, parts: dict[str, Any]) -> None:
        for name, value in parts.items():
            setattr(self._result, name, value)
        self.phi_changed.emit()
        self.entities_changed.emit()
        self.soap_changed.emit(None)
        self.structured_changed.emit(None)
        self.steps_changed.emit()

    def apply_step_result(self, step: StepName, new: EncounterResult) -> None:
        """Take one step's output from the pipeline as an undoable change.

        Only that step's part is taken, so edits made while it ran elsewhere are kept; PHI
        review decisions survive a re-run of detection.
        """
        cur = self._result
        steps = dict(cur.steps)
        steps[step] = new.steps.get(step, StepOutcome())
        notices = list(dict.fromkeys([*cur.notices, *new.notices]))
        old_parts: dict[str, Any] = {"steps": dict(cur.steps), "notices": list(cur.notices)}
        new_parts: dict[str, Any] = {"steps": steps, "notices": notices}
        if step is StepName.PHI:
            old_parts["phi_spans"] = cur.phi_spans
            new_parts["phi_spans"] = carry_over_reviews(cur.phi_spans, new.phi_spans)
        elif step is StepName.ENTITIES:
            old_parts["entities"], new_parts["entities"] = cur.entities, new.entities
        elif step is StepName.SOAP:
            old_parts["soap"], new_parts["soap"] = cur.soap, new.soap
        elif step is StepName.STRUCTURE:
            old_parts["structured"], new_parts["structured"] = cur.structured, new.structured
        outcome = steps[step].state.value
        cmd = _ValueCommand(f"{step.title} ({outcome})", self._restore_parts, old_parts, new_parts)
        self._push(cmd)

    def record_step_outcome(self, step: StepName, outcome: StepOutcome) -> None:
        """Failed/cancelled/skipped runs change no content: recorded without an undo step."""
        self._result.steps[step] = outcome
        self.steps_changed.emit()

    # convenience for views
    def soap(self) -> SoapNote:
        return self._result.soap

    def structured(self) -> StructuredDocument:
        return self._result.structured
