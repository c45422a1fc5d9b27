"""The word model: a last net for names and places said as ordinary words.

The hand-written rules find an identifier when a cue points at it (a title, "my daughter",
"lives in", a name list). What they miss on text nobody tuned them on is a long tail of
one-off wordings: a name that is also a word ("joy", "patch"), a place with no trigger word.
This model scores every word from the same evidence the rules use, but weighs it by
example: a logistic regression over the word itself, its shape (capitals, start of a turn),
which word lists know it and the two words on either side. It was trained on the annotated
evaluation transcripts (``bench/train_word_model.py``; the weights ship as a resource), and
its threshold was chosen on blind sets it was not trained on, recall first.

Inference is a sum of a dozen dictionary lookups per word, so it stays instant on a 2-hour
visit and needs no server and no numeric library. It only adds spans where no rule claimed
anything; every span it adds is a NAME, relabelled as a place by context afterwards.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from medscribe.core.phi import PhiCategory
from medscribe.core.phi_rules.lexicon import STOPWORDS, Lexicon
from medscribe.core.phi_rules.patterns import Found
from medscribe.core.phi_rules.tokens import NUMBER_WORDS, Token, is_blank_gap, opens_turn

RESOURCE = "word_model.json.gz"


@dataclass(frozen=True)
class WordModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # probability above which a word is flagged
    # An ordinary word with no name or place reading ("court", "will", "the") needs more:
    # in validation, flagging such words below 0.5 found one more identifier and cost
    # 0.008 of character precision, all of it in highlights a physician would find absurd.
    plain_threshold: float

    def score(self, features: list[str]) -> float:
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in features)


@lru_cache(maxsize=1)
def load_word_model() -> WordModel:
    path = resources.files("medscribe.resources").joinpath("names", RESOURCE)
    data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return WordModel(
        data["weights"],
        float(data["bias"]),
        float(data["threshold"]),
        float(data["plain_threshold"]),
    )


def _log_odds(probability: float) -> float:
    """A probability threshold as a score, so no exponential is taken per word."""
    return math.log(probability / (1 - probability))


def _ordinary(low: str, lex: Lexicon) -> bool:
    """An English, clinical or function word with no reading as a name or a US place."""
    return (
        lex.is_plain_word(low) and not lex.is_name_word(low) and low not in lex.cities.first_words
    )


def _list_tag(low: str, lex: Lexicon) -> str:
    """Which word lists know ``low`` ("fn+sn+en": a first name, a surname and a word)."""
    known = [
        ("fn", lex.first_names),
        ("sn", lex.surnames),
        ("csn", lex.common_surnames),
        ("en", lex.english),
        ("cl", lex.clinical),
        ("dict", lex.dictionary),
    ]
    tags = [tag for tag, words in known if low in words]
    if lex.is_unknown(low):
        tags.append("unk")
    return "+".join(tags) or "none"


def word_features(tokens: list[Token], i: int, lex: Lexicon, cased: bool) -> list[str]:
    """The features of the word at ``tokens[i]``; training and inference share this."""
    tok = tokens[i]
    n = len(tokens)
    starts = opens_turn(tokens, i) or tokens[i - 1].text in (".", "?", "!")
    shape = ("cap" if tok.text[0].isupper() else "low") + ("S" if starts else "")
    shape += "C" if cased else "U"  # capitals mean little in all-lower-case ASR text
    lists = _list_tag(tok.low, lex)
    feats = [f"w={tok.low}", f"lex={lists}", f"shape={shape}", f"lexshape={lists}|{shape}"]
    for d in (-2, -1, 1, 2):
        j = i + d
        feats.append(f"c{d}={tokens[j].low}" if 0 <= j < n else f"c{d}=<edge>")
    for d in (-1, 1):
        j = i + d
        if 0 <= j < n:
            near = tokens[j]
            feats.append(f"c{d}cap={near.is_word and near.text[0].isupper()}")
    if i > 0:
        feats.append(f"bg={tokens[i - 1].low}_{tokens[i + 1].low if i + 1 < n else ''}")
    return feats


def scored_words(tokens: list[Token]) -> Iterator[int]:
    """Indices of the tokens the model scores: every word, not numbers or punctuation. It is
    trained on all of them; which words it may flag is decided afterwards (``may_flag``)."""
    return (i for i, tok in enumerate(tokens) if tok.is_word)


def may_flag(low: str, lex: Lexicon) -> bool:
    """May the model flag ``low`` on its own? Never, whatever its context, for clinical words
    (the issue's allowlist), single letters, number words, function words with no name reading
    and medical or rare words that a dictionary knows but no name or place list does
    ("diaphoresis", "pronation"). In validation these guards cost no identifier; a guard on
    US states cost four ("Georgia" is a name) and was left out."""
    if len(low) < 2 or low in lex.clinical or low in NUMBER_WORDS:
        return False
    if low in STOPWORDS and not lex.is_name_word(low):
        return False  # "the", "and"; not "will" or "may"
    if low in lex.dictionary and low not in lex.english and not lex.is_name_word(low):
        return low in lex.cities.first_words or low in lex.world_cities.first_words
    return True


def find_model_words(
    tokens: list[Token], lex: Lexicon, cased: bool, model: WordModel | None = None
) -> Iterator[Found]:
    """Words the model scores above its threshold; neighbours with only blanks between them
    ("rosa  delgado") become one span."""
    model = model or load_word_model()
    cut, plain_cut = _log_odds(model.threshold), _log_odds(model.plain_threshold)
    span: list[int] | None = None
    last = -2
    for i in scored_words(tokens):
        if not may_flag(tokens[i].low, lex):
            continue
        needed = plain_cut if _ordinary(tokens[i].low, lex) else cut
        if model.score(word_features(tokens, i, lex, cased)) <= needed:
            continue
        tok = tokens[i]
        if span and last == i - 1 and is_blank_gap(tok):
            span[1] = tok.name_end
        else:
            if span:
                yield span[0], span[1], PhiCategory.NAME
            span = [tok.start, tok.name_end]
        last = i
    if span:
        yield span[0], span[1], PhiCategory.NAME
