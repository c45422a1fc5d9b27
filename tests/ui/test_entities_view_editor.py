"""The Qt-free edit rules behind the entities table."""

from __future__ import annotations

from medscribe.core.entities import CodeStatus, Diagnosis, EntityCategory, Medication, VitalSign
from medscribe.ui.entity_editor import display, edited, is_editable, new_entity


def test_optional_fields_become_none_and_required_stay_text() -> None:
    med = Medication(name="aspirin", dose="81 mg")
    cleared = edited(EntityCategory.MEDICATIONS, med, 1, "   ")
    assert cleared is not None and cleared.dose is None
    renamed = edited(EntityCategory.MEDICATIONS, med, 0, "")
    assert renamed is not None and renamed.name == ""
    vital = edited(EntityCategory.VITALS, VitalSign(type="bp", value="1"), 1, " 120 /  80 ")
    assert vital is not None and vital.value == "120 / 80"


def test_unchanged_or_read_only_cells_give_no_edit() -> None:
    med = Medication(name="aspirin", dose="81 mg")
    assert edited(EntityCategory.MEDICATIONS, med, 1, "81 mg") is None
    dx = Diagnosis(name="htn", icd10_code="I10", icd10_title="Essential (primary) hypertension")
    assert not is_editable(EntityCategory.DIAGNOSES, 2)
    assert edited(EntityCategory.DIAGNOSES, dx, 2, "anything") is None
    assert edited(EntityCategory.DIAGNOSES, dx, 4, "anything") is None


def test_invalid_code_stays_invalid_when_the_name_changes() -> None:
    dx = Diagnosis(name="gout", icd10_code="Z99.99", code_status=CodeStatus.INVALID)
    renamed = edited(EntityCategory.DIAGNOSES, dx, 0, "podagra")
    assert renamed is not None and renamed.code_status is CodeStatus.INVALID
    assert display(EntityCategory.DIAGNOSES, renamed, 3) == "Not a valid code"


def test_clearing_a_code_shows_no_code() -> None:
    dx = Diagnosis(name="htn", icd10_code="I10", code_status=CodeStatus.VERIFIED)
    cleared = edited(EntityCategory.DIAGNOSES, dx, 1, "")
    assert cleared is not None and cleared.icd10_code is None
    assert display(EntityCategory.DIAGNOSES, cleared, 3) == "No code"


def test_new_entries_are_empty_and_from_the_user() -> None:
    for category in EntityCategory:
        entity = new_entity(category)
        assert entity.source == "user" and entity.evidence == []
        assert display(category, entity, 0) == ""


def test_typed_codes_are_normalised() -> None:
    from medscribe.core.entities import normalise_code

    cases = ["e119", " E11.9 ", "i10", "I10.", "r5383", "", "  "]
    expected = ["E11.9", "E11.9", "I10", "I10", "R53.83", None, None]
    assert [normalise_code(c) for c in cases] == expected
