"""Other spellings of a date."""

from __future__ import annotations

import pytest

from medscribe.export.dates import date_variants


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("november 24th 2020", {"11/24/2020", "2020-11-24", "24 November 2020", "Nov 24 2020"}),
        ("3/17/46", {"March 17 1946", "1946-03-17", "03/17/1946"}),
        ("2026-03-05", {"3/5/2026", "March 5 2026"}),
        ("march twenty first 1961", {"March 21 1961", "3/21/1961"}),
        ("the fourteenth of may", {"May 14", "14 May"}),
        ("april of 2022", {"April 2022", "04/2022"}),
    ],
)
def test_variants(text, expected):
    assert expected <= set(date_variants(text))


@pytest.mark.parametrize("text", ["the 28th", "march", "2019", "13/45/2020", "yesterday"])
def test_no_variants_without_a_usable_month(text):
    assert date_variants(text) == []


def test_no_numeric_form_without_a_year():
    # "3/10" is more often a pain score than March 10.
    assert not any("/" in v for v in date_variants("march 10th"))
