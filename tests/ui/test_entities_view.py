"""The entities table: rows per category, in-place edits, add/remove, evidence requests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QToolButton

from medscribe.core.entities import (
    Allergy,
    CodeStatus,
    Diagnosis,
    EntityCategory,
    MedicalEntities,
    Medication,
    Procedure,
    Symptom,
    TextSpan,
    VitalSign,
)
from medscribe.core.session import EncounterResult
from medscribe.core.transcript import Transcript
from medscribe.ui.document import SessionDocument
from medscribe.ui.entities_view import EntitiesView

TEXT = "[doctor] your hypertension is fine, keep lisinopril 20 mg daily. bp 128/72.\n"


def _ev(word: str) -> list[TextSpan]:
    start = TEXT.index(word)
    return [TextSpan(start=start, end=start + len(word))]


def _entities() -> MedicalEntities:
    return MedicalEntities(
        diagnoses=[
            Diagnosis(
                name="hypertension",
                icd10_code="I10",
                icd10_title="Essential (primary) hypertension",
                code_status=CodeStatus.VERIFIED,
                evidence=_ev("hypertension"),
            ),
            Diagnosis(
                name="tiredness",
                code_candidates=[("R53.83", "Other fatigue")],
                supported=False,
            ),
        ],
        medications=[
            Medication(
                name="lisinopril",
                dose="20 mg",
                route="oral",
                frequency="daily",
                evidence=_ev("lisinopril 20 mg daily"),
            )
        ],
        allergies=[Allergy(substance="penicillin", reaction="rash")],
        vitals=[VitalSign(type="blood pressure", value="128/72", unit="mmHg")],
        procedures=[Procedure(name="ECG")],
        symptoms=[Symptom(name="fatigue"), Symptom(name="cough")],
    )


@pytest.fixture
def doc(qapp) -> SessionDocument:
    document = SessionDocument()
    document.load(EncounterResult(transcript=Transcript(text=TEXT), entities=_entities()))
    return document


@pytest.fixture
def view(qtbot, doc) -> EntitiesView:
    widget = EntitiesView(doc)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _row(view: EntitiesView, category: EntityCategory, row: int) -> list[str]:
    model = view.model
    parent = model.category_index(category)
    return [model.index(row, c, parent).data() for c in range(model.columnCount())]


def test_rows_and_headings_per_category(view) -> None:
    model = view.model
    counts = {c: model.rowCount(model.category_index(c)) for c in EntityCategory}
    assert counts == {
        EntityCategory.DIAGNOSES: 2,
        EntityCategory.MEDICATIONS: 1,
        EntityCategory.ALLERGIES: 1,
        EntityCategory.VITALS: 1,
        EntityCategory.PROCEDURES: 1,
        EntityCategory.SYMPTOMS: 2,
    }
    assert view.tree.objectName() == "entitiesView"
    heading = [model.index(1, c).data() for c in range(4)]
    assert heading == ["Medications (1)", "Dose", "Route", "Frequency"]


def test_cells_show_what_each_category_needs(view) -> None:
    assert _row(view, EntityCategory.DIAGNOSES, 0) == [
        "hypertension",
        "I10",
        "Essential (primary) hypertension",
        "Verified",
        "",
    ]
    no_code = _row(view, EntityCategory.DIAGNOSES, 1)
    assert no_code[1:] == [
        "",
        "Suggested: R53.83 Other fatigue",
        "No code",
        "Not found in transcript",
    ]
    assert _row(view, EntityCategory.MEDICATIONS, 0)[:4] == ["lisinopril", "20 mg", "oral", "daily"]
    assert _row(view, EntityCategory.ALLERGIES, 0)[:2] == ["penicillin", "rash"]
    assert _row(view, EntityCategory.VITALS, 0)[:3] == ["blood pressure", "128/72", "mmHg"]
    tip = view.model.index(0, 3, view.model.category_index(EntityCategory.DIAGNOSES)).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "official title matches" in tip


def test_edit_in_place_through_the_editor_is_undoable(view, doc, qtbot) -> None:
    index = view.model.index(0, 1, view.model.category_index(EntityCategory.MEDICATIONS))
    view.tree.setCurrentIndex(index)
    view.tree.edit(index)
    editor = view.tree.findChild(QLineEdit)
    assert editor is not None
    editor.setText("40 mg")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: doc.result.entities.medications[0].dose == "40 mg")
    assert view.tree.currentIndex().data() == "40 mg"  # selection kept through the redraw
    doc.undo_stack.undo()
    assert doc.result.entities.medications[0].dose == "20 mg"
    assert _row(view, EntityCategory.MEDICATIONS, 0)[1] == "20 mg"


def test_typed_code_is_normalised_and_marked_not_checked(view, doc) -> None:
    index = view.model.index(1, 1, view.model.category_index(EntityCategory.DIAGNOSES))
    assert view.model.setData(index, " r5383 ")
    dx = doc.result.entities.diagnoses[1]
    assert (dx.icd10_code, dx.code_status) == ("R53.83", CodeStatus.NONE)
    assert _row(view, EntityCategory.DIAGNOSES, 1)[3] == "Not checked"


def test_code_checker_is_used_when_given(qtbot, doc) -> None:
    calls = []

    def checker(name, code):
        calls.append((name, code))
        return CodeStatus.INVALID, code, None

    view = EntitiesView(doc, code_checker=checker)
    qtbot.addWidget(view)
    index = view.model.index(0, 1, view.model.category_index(EntityCategory.DIAGNOSES))
    view.model.setData(index, "i10.9")
    assert calls == [("hypertension", "I10.9")]
    assert doc.result.entities.diagnoses[0].code_status is CodeStatus.INVALID


def test_renaming_a_verified_diagnosis_drops_the_verification(view, doc) -> None:
    index = view.model.index(0, 0, view.model.category_index(EntityCategory.DIAGNOSES))
    view.model.setData(index, "diabetes")
    dx = doc.result.entities.diagnoses[0]
    assert (dx.name, dx.code_status, dx.icd10_code) == ("diabetes", CodeStatus.NONE, "I10")


def test_add_button_adds_a_user_row_in_edit_mode(view, doc, qtbot) -> None:
    button = view.findChild(QToolButton, "entityAdd_allergies")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(doc.result.entities.allergies) == 2
    added = doc.result.entities.allergies[1]
    assert added.source == "user" and added.substance == ""
    assert view.tree.state() == QAbstractItemView.State.EditingState
    editor = view.tree.findChild(QLineEdit)
    editor.setText("latex")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.result.entities.allergies[1].substance == "latex")
    assert _row(view, EntityCategory.ALLERGIES, 1)[4] == "Added by you"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert [a.substance for a in doc.result.entities.allergies] == ["penicillin"]


def test_delete_key_and_button_remove_rows_undoably(view, doc, qtbot) -> None:
    parent = view.model.category_index(EntityCategory.SYMPTOMS)
    view.tree.setCurrentIndex(view.model.index(0, 0, parent))
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert [s.name for s in doc.result.entities.symptoms] == ["cough"]
    assert view.tree.currentIndex().data() == "cough"  # the next entry takes the place
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert doc.result.entities.symptoms == []
    assert not view.remove_button.isEnabled()
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert [s.name for s in doc.result.entities.symptoms] == ["fatigue", "cough"]


def test_selecting_a_row_requests_its_evidence(view, qtbot) -> None:
    med = view.model.index(0, 2, view.model.category_index(EntityCategory.MEDICATIONS))
    with qtbot.waitSignal(view.evidence_requested) as requested:
        view.tree.setCurrentIndex(med)
    assert requested.args == [_ev("lisinopril 20 mg daily")]
    with qtbot.waitSignal(view.evidence_requested) as requested:
        view.tree.setCurrentIndex(view.model.category_index(EntityCategory.VITALS))
    assert requested.args == [[]]


def test_redraw_keeps_the_selection_without_a_new_request(view, doc, qtbot) -> None:
    dx = view.model.index(0, 0, view.model.category_index(EntityCategory.DIAGNOSES))
    view.tree.setCurrentIndex(dx)
    with qtbot.assertNotEmitted(view.evidence_requested):
        doc.add_entity(EntityCategory.SYMPTOMS, Symptom(name="nausea"))  # rows rebuilt
        doc.update_entity(EntityCategory.PROCEDURES, 0, Procedure(name="EKG"))  # values only
    assert view.tree.currentIndex().data() == "hypertension"
    assert _row(view, EntityCategory.PROCEDURES, 0)[0] == "EKG"


def test_new_result_replaces_the_rows(view, doc) -> None:
    doc.load(EncounterResult(transcript=Transcript(text=TEXT)))
    model = view.model
    assert all(model.rowCount(model.category_index(c)) == 0 for c in EntityCategory)
    assert "No entities yet" in view.hint.text()
    assert model.index(0, 0, QModelIndex()).data() == "Diagnoses (0)"
