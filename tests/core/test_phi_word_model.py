"""The word model: the shipped weights fit the feature code, it only ever adds spans, and
its guards hold whatever the weights say. How much it finds is measured, not tested:
``bench/phi_eval.py`` (entity recall, character precision) and ``bench/train_word_model.py``
(how its thresholds were chosen)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules import find_phi, looks_cased
from medscribe.core.phi_rules.lexicon import load_lexicon
from medscribe.core.phi_rules.tokens import tokenize
from medscribe.core.phi_rules.word_model import (
    WordModel,
    find_model_words,
    load_word_model,
    scored_words,
    word_features,
)

ACI = Path(__file__).resolve().parents[1] / "data" / "aci_bench"
FEATURE_KIND = re.compile(r"^(w|lex|shape|lexshape|c-2|c-1|c1|c2|c-1cap|c1cap|bg)=")


def test_shipped_weights_are_features_the_code_makes() -> None:
    """A weight whose feature the code never makes is dead; it means the weights were trained
    on other feature code than the one that runs."""
    model = load_word_model()
    assert len(model.weights) > 10_000
    assert all(FEATURE_KIND.match(name) for name in model.weights)
    assert 0 < model.threshold <= model.plain_threshold < 1
    lex = load_lexicon()
    text = "[doctor] and who came with you today ?\n[patient] my neighbour dusty , she drove"
    tokens = tokenize(text)
    made = {f for i in scored_words(tokens) for f in word_features(tokens, i, lex, False)}
    assert all(FEATURE_KIND.match(f) for f in made)
    assert len(made & model.weights.keys()) > len(made) // 2  # most are known words/contexts


def _aci_texts() -> list[str]:
    paths = sorted(ACI.rglob("*.txt"))[:6]
    assert paths, f"no ACI-Bench transcripts in {ACI}"
    return [p.read_text("utf-8") for p in paths]


def test_the_model_only_adds_to_what_the_rules_flag() -> None:
    added = 0
    for text in _aci_texts():
        without = find_phi(text, word_model=False)
        with_model = find_phi(text)
        flagged = bytearray(len(text))
        for start, end, _ in with_model:
            flagged[start:end] = b"\x01" * (end - start)
        for start, end, _ in without:
            assert all(flagged[start:end]), text[start:end]
        added += len(with_model) - len(without)
    assert added >= 0


def _model(**weights: float) -> WordModel:
    """A hand-made model: a word scores its weights minus 5 (probability ~0.007)."""
    return WordModel(weights, bias=-5.0, threshold=0.1, plain_threshold=0.5)


def _flagged(text: str, model: WordModel) -> list[str]:
    tokens = tokenize(text)
    found = find_model_words(tokens, load_lexicon(), looks_cased(text), model)
    return [text[s:e] for s, e, _ in found]


def test_a_strong_context_flags_the_word_after_it() -> None:
    model = _model(**{"c-1=neighbour": 10.0})
    assert _flagged("my neighbour zorvath came by", model) == ["zorvath"]
    assert _flagged("my cousin zorvath came by", model) == []


@pytest.mark.parametrize(
    "word",
    ["lisinopril", "metformin", "seven", "a", "the", "and", "diaphoresis"],
)
def test_guarded_words_are_never_flagged(word: str) -> None:
    """Clinical, number and function words, single letters and rare dictionary words: no
    weight can make the model flag them alone."""
    model = _model(**{"c-1=neighbour": 50.0})
    assert _flagged(f"my neighbour {word} came by", model) == []


def test_an_ordinary_word_needs_the_higher_threshold() -> None:
    # score -5 + 4 = -1: probability 0.27, above 0.1 but below the 0.5 asked of plain words
    model = _model(**{"c-1=neighbour": 4.0})
    assert _flagged("my neighbour zorvath came by", model) == ["zorvath"]
    assert _flagged("my neighbour window came by", model) == []  # a plain English word
    assert _flagged("my neighbour will came by", model) == ["will"]  # also a first name


def test_neighbouring_words_become_one_span() -> None:
    model = _model(**{"c-1=neighbour": 10.0, "c-2=neighbour": 10.0})
    text = "my neighbour zorvath marsh came"
    spans = list(find_model_words(tokenize(text), load_lexicon(), False, model))
    assert [text[s:e] for s, e, _ in spans] == ["zorvath marsh"]
    assert {c for _, _, c in spans} == {PhiCategory.NAME}


def test_the_model_adds_only_where_no_rule_claimed_the_text() -> None:
    """A phone number the rules found is not cut into pieces by the model's spans."""
    text = "my neighbour's number is five five five , two one two three"
    spans = find_phi(text)
    phones = [text[s:e] for s, e, c in spans if c is PhiCategory.PHONE]
    assert phones == ["five five five , two one two three"]
