"""Other mentions of words the physician marked as PHI."""

from __future__ import annotations

from medscribe.core.phi_mentions import other_mentions


def _texts(text: str, word: str) -> list[str]:
    start = text.index(word)
    return [text[s:e] for s, e in other_mentions(text, start, start + len(word))]


def test_same_words_anywhere_in_any_case_are_other_mentions() -> None:
    text = "me and tavi drove up. Tavi drives. ask TAVI, not tavitha."
    start = text.index("tavi")
    found = other_mentions(text, start, start + 4)
    assert [text[s:e] for s, e in found] == ["Tavi", "TAVI"]
    assert all(s != start for s, _ in found)


def test_several_words_are_matched_whole() -> None:
    text = "the sugar moon bakery ... we stopped at sugar moon again, not sugar mooney"
    assert _texts(text, "sugar moon") == ["sugar moon"]


def test_an_ordinary_word_marked_as_a_name_is_not_spread() -> None:
    text = "will said he will call, and will you ask will?"
    assert _texts(text, "will") == []


def test_numbers_are_spread_exactly() -> None:
    text = "mrn 448812, yes 448812, not 4488120"
    assert _texts(text, "448812") == ["448812"]


def test_one_character_is_not_spread() -> None:
    assert _texts("a b a b", "b") == []
