"""The undo stack behind every edit."""

from __future__ import annotations

from medscribe.core.entities import EntityCategory, Medication
from medscribe.core.notes import SoapNote, SoapSection
from medscribe.core.phi import PhiCategory, PhiSource, PhiSpan, ReviewState
from medscribe.core.session import EncounterResult
from medscribe.core.steps import StepName, StepOutcome, StepState
from medscribe.core.transcript import Transcript
from medscribe.ui.document import SessionDocument

TEXT = "[doctor] hi martha, how is the lisinopril?\n[patient] fine."


def _doc(qapp) -> SessionDocument:
    doc = SessionDocument()
    spans = [PhiSpan(start=12, end=18, category=PhiCategory.NAME, text="martha")]
    doc.load(EncounterResult(transcript=Transcript(text=TEXT), phi_spans=spans))
    return doc


def test_typing_merges_into_one_undo_step(qapp) -> None:
    doc = _doc(qapp)
    for text in ("P", "Pa", "Pat"):
        doc.set_soap_section(SoapSection.SUBJECTIVE, text)
    assert doc.undo_stack.count() == 1 and not doc.undo_stack.isClean()
    doc.undo_stack.undo()
    assert doc.result.soap.subjective == ""
    doc.undo_stack.redo()
    assert doc.result.soap.subjective == "Pat"


def test_phi_decisions_undo(qapp) -> None:
    doc = _doc(qapp)
    doc.set_phi_state(0, ReviewState.REJECTED)
    doc.set_phi_category(0, PhiCategory.LOCATION)
    assert doc.result.phi_spans[0].category is PhiCategory.LOCATION
    assert doc.result.phi_spans[0].state is ReviewState.CONFIRMED
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.result.phi_spans[0].state is ReviewState.PENDING
    assert doc.result.phi_spans[0].category is PhiCategory.NAME


def test_user_span_replaces_overlaps(qapp) -> None:
    doc = _doc(qapp)
    doc.add_phi_span(
        PhiSpan(start=9, end=18, category=PhiCategory.NAME, text="hi martha", source=PhiSource.USER)
    )
    assert [(s.start, s.source) for s in doc.result.phi_spans] == [(9, PhiSource.USER)]


def test_entity_edits_undo(qapp) -> None:
    doc = _doc(qapp)
    doc.add_entity(EntityCategory.MEDICATIONS, Medication(name="lisinopril", source="user"))
    doc.remove_entity(EntityCategory.MEDICATIONS, 0)
    assert doc.result.entities.medications == []
    doc.undo_stack.undo()
    assert doc.result.entities.medications[0].name == "lisinopril"


def test_rerun_of_phi_keeps_review_decisions(qapp) -> None:
    doc = _doc(qapp)
    doc.set_phi_state(0, ReviewState.REJECTED)
    fresh = doc.snapshot()
    fresh.phi_spans = [PhiSpan(start=12, end=18, category=PhiCategory.NAME, text="martha")]
    fresh.steps[StepName.PHI] = StepOutcome(state=StepState.DONE)
    doc.apply_step_result(StepName.PHI, fresh)
    assert doc.result.phi_spans[0].state is ReviewState.REJECTED
    assert doc.result.steps[StepName.PHI].state is StepState.DONE


def test_step_result_takes_only_its_part(qapp) -> None:
    doc = _doc(qapp)
    doc.set_soap_section(SoapSection.PLAN, "my own plan")
    new = doc.snapshot()
    new.soap = SoapNote(subjective="S", objective="O", assessment="A", plan="P")
    new.phi_spans = []
    doc.apply_step_result(StepName.SOAP, new)
    assert doc.result.soap.plan == "P" and len(doc.result.phi_spans) == 1
    doc.undo_stack.undo()
    assert doc.result.soap.plan == "my own plan"
