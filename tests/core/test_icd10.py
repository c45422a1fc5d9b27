"""ICD-10-CM checks and suggestions against the table shipped by simple_icd_10_cm."""

from __future__ import annotations

import pytest

from medscribe.core.entities import CodeStatus
from medscribe.core.pipeline.icd10 import Icd10Table, normalise_code, rerank_by_similarity


@pytest.fixture(scope="module")
def table() -> Icd10Table:
    table = Icd10Table.shared()
    table.load()
    return table


def test_code_formats_are_normalised() -> None:
    assert normalise_code("e119") == "E11.9"
    assert normalise_code(" E11.9 ") == "E11.9"
    assert normalise_code("I10") == "I10"
    assert normalise_code("") is None and normalise_code(None) is None


@pytest.mark.parametrize(
    ("name", "code", "status"),
    [
        ("Type 2 diabetes", "E11.9", CodeStatus.VERIFIED),
        ("type II diabetes mellitus", "e119", CodeStatus.VERIFIED),
        ("hypertension", "I10", CodeStatus.VERIFIED),
        ("HTN", "I10", CodeStatus.VERIFIED),
        ("high blood pressure", "I10", CodeStatus.VERIFIED),
        ("right knee osteoarthritis", "M17.11", CodeStatus.VERIFIED),
        ("asthma", "I10", CodeStatus.TITLE_MISMATCH),
        ("migraine", "E11.9", CodeStatus.TITLE_MISMATCH),
        ("gout", "Q99.999", CodeStatus.INVALID),
        ("gout", "A00-A09", CodeStatus.INVALID),  # a block of codes, not a code
        ("gout", None, CodeStatus.NONE),
    ],
)
def test_check(table: Icd10Table, name: str, code: str | None, status: CodeStatus) -> None:
    got, normalised, title = table.check(name, code)
    assert got is status
    if status in (CodeStatus.VERIFIED, CodeStatus.TITLE_MISMATCH):
        assert title and normalised == normalise_code(code)
    else:
        assert title is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("acute bronchitis", "J20"),
        ("low back pain", "M54.5"),
        ("type 2 diabetes", "E11"),
        ("COPD exacerbation", "J44.1"),
        ("urinary tract infection", "N39.0"),
        ("atrial fibrillation", "I48"),
        ("left knee pain", "M25.562"),
    ],
)
def test_search_suggests_fitting_codes(table: Icd10Table, name: str, expected: str) -> None:
    codes = [code for code, _ in table.search(name, limit=5)]
    assert any(code.startswith(expected) for code in codes), codes


def test_search_finds_nothing_for_non_medical_words(table: Icd10Table) -> None:
    assert table.search("the quarterly sales report", limit=5) == []


def test_rerank_orders_by_cosine_similarity() -> None:
    cands = [("A", "first"), ("B", "second"), ("C", "third")]
    vectors = [[0.0, 1.0], [1.0, 0.1], [-1.0, 0.0]]
    assert rerank_by_similarity([1.0, 0.0], cands, vectors) == [cands[1], cands[0], cands[2]]


def test_loaded_table_is_kept_out_of_full_collections(table: Icd10Table) -> None:
    import gc

    # Frozen objects are never walked by gc: a full collection over the table froze the window.
    assert table.loaded and gc.get_freeze_count() > 100_000
