"""Tiers: which level a score reaches under a classification."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from chiso.core.framework import Classification
from chiso.core.numbers import HUNDRED, round_half_up

__all__ = [
    "Classifier",
    "TierForm",
    "classifier",
    "classify",
    "display_value",
    "match_tier",
    "name_sort_key",
    "normalize_name",
    "tier_labels",
]


@lru_cache(maxsize=65536)  # a unit's name is matched in every year and in the statistics
def normalize_name(name: str) -> str:
    """How unit names are matched across tables and years: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def display_value(percent_value: Decimal, scale: str) -> Decimal:
    """A percentage (0–100) on the framework's display scale."""
    return percent_value / HUNDRED if scale == "ratio" else percent_value


_ONE = Decimal(1)
_HUNDREDTH = _ONE / HUNDRED


Classifier = Callable[[Decimal, Decimal | None], tuple[str | None, bool]]
"""(score, percentage) → (tier label, whether the value is below the lowest tier)."""


def classify(
    classification: Classification,
    score: Decimal,
    percent_value: Decimal | None,
    scale: str,
) -> tuple[str | None, bool]:
    """(tier label, whether the value is below the lowest tier)."""
    return classifier(classification, scale)(score, percent_value)


_CLASSIFIERS: dict[tuple[int, str], tuple[Classification, Classifier]] = {}


def classifier(classification: Classification, scale: str) -> Classifier:
    """:func:`classify` for one classification, its thresholds worked out once (a national
    cycle classifies some 50,000 scores)."""
    key = (id(classification), scale)
    known = _CLASSIFIERS.get(key)
    if known is not None and known[0] is classification:
        return known[1]
    by_points = classification.basis == "points"
    ratio = scale == "ratio"
    factor = _HUNDREDTH if ratio and not by_points else _ONE
    thresholds = [
        (None if tier.min is None else tier.min * factor, tier.label)
        for tier in classification.tiers
    ]
    precision = classification.precision
    lowest = classification.below_lowest

    def classify_one(score: Decimal, percent_value: Decimal | None) -> tuple[str | None, bool]:
        if by_points:
            value = score
        elif percent_value is None:
            return None, False
        else:
            value = percent_value / HUNDRED if ratio else percent_value  # display_value
        if precision is not None:
            value = round_half_up(value, precision)
        for least, label in thresholds:
            if least is None or value >= least:
                return label, False
        assert lowest is not None  # checked on load
        return lowest.label, True

    if len(_CLASSIFIERS) >= 1024:  # a long-running process loads many frameworks
        _CLASSIFIERS.clear()
    _CLASSIFIERS[key] = (classification, classify_one)
    return classify_one


TierForm = Literal["label", "heading"]


def match_tier(classification: Classification, text: str) -> tuple[str, TierForm] | None:
    """The tier that a printed tier text names: (its label, whether the text is the label or
    the section heading), case not counting; a label before a heading (the label of the value
    below the lowest tier is a label too). None when the text names no tier."""
    folded = text.casefold()
    for tier in classification.tiers:
        if folded == tier.label.casefold():
            return tier.label, "label"
    below = classification.below_lowest
    if below is not None and folded == below.label.casefold():
        return below.label, "label"
    for tier in classification.tiers:
        if folded == tier.section.casefold():
            return tier.label, "heading"
    return None


def tier_labels(classification: Classification) -> list[str]:
    """The labels that :func:`match_tier` knows, highest first."""
    labels = [tier.label for tier in classification.tiers]
    below = classification.below_lowest
    if below is not None and below.label not in labels:
        labels.append(below.label)
    return labels


_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MARKS = _LETTER_MARKS | set(_TONES)


@lru_cache(maxsize=65536)  # a unit's key is needed to rank it and again to list it
def name_sort_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Vietnamese alphabetical order: a < ă < â < b …, d < đ; tones decide only between
    otherwise equal names (so "Kế hoạch" comes before "Khoa học")."""
    # word by word: names share most of their words ("UBND", "xã", "phường" …)
    text = normalize_name(name)
    letters: list[int] = []
    tones: list[int] = []
    for position, word in enumerate(text.split(" ")):
        key = _word_key(word)
        if key is None:
            return (*_letters_and_tones(text), name)
        if position:
            letters.append(_SPACE)
            tones.append(0)
        letters += key[0]
        tones += key[1]
    return tuple(letters), tuple(tones), name


_SPACE = 100 + ord(" ")


@lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The letters and tones of one word; None when it starts with a mark, which the
    character before it (a space) takes."""
    if unicodedata.normalize("NFD", word)[:1] in _MARKS:
        return None
    return _letters_and_tones(word)


def _letters_and_tones(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The sort key of a normalized name (see :func:`normalize_name`), character by
    character."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text):
        if char in _TONES:
            tones[-1:] = [_TONES[char]]
            continue
        if char in _LETTER_MARKS and letters:
            base = _ALPHABET[letters[-1]] if 0 <= letters[-1] < len(_ALPHABET) else ""
            marked = {
                "a\u0306": "ă",
                "a\u0302": "â",
                "e\u0302": "ê",
                "o\u0302": "ô",
                "o\u031b": "ơ",
                "u\u031b": "ư",
            }.get(base + char)
            if marked:
                letters[-1] = _ALPHABET.index(marked)
            continue
        index = _ALPHABET.find(char)
        letters.append(index if index >= 0 else 100 + ord(char))
        tones.append(0)
    return tuple(letters), tuple(tones)
