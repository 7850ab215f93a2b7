"""Everyday signs outside the pack's list: ``find_signs(words, table)``. Pure.

A sign that is not one of the content pack's symptoms (bruising, weight loss, night
sweats, a lump somewhere other than the lymph nodes) is named back and gets the same
follow-up and see-a-doctor advice as the pack's own. The signs, and the words that
deny one ("no bruising"), are data, in ``data/signs.toml``; ``understand`` calls this
after triage, next to the pack's symptoms.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allvoice.data import SIGNS, line_of, read_table, require
from allvoice.errors import DataError
from allvoice.understanding.language import Words, find, phrase_spans, span_end, stem


@dataclass(frozen=True)
class Sign:
    """One everyday sign."""

    id: str
    """Its id; said with spaces for underscores ("weight loss")."""
    phrases: tuple[Words, ...]
    """How people say it, stemmed, longest first."""
    replaces: str | None = None
    """A pack symptom it stands for more precisely ("a lump on the leg" is not a swollen
    lymph node), which is then not counted."""
    parts: tuple[tuple[Words, ...], ...] = ()
    """Instead of whole phrases: one phrase of each part, starting within ``near`` words
    of each other, in any order ("pain" and "shoulder": "my shoulder hurts")."""
    near: int = 3
    """How far apart the parts may start."""
    fallback: bool = False
    """Counted only when nothing more precise, a pack symptom or another sign, was said."""


@dataclass(frozen=True)
class SignTable:
    """The everyday signs, and the words that deny one said just after them."""

    signs: tuple[Sign, ...]
    """The signs, in the file's order."""
    negators: frozenset[str]
    """Words that make a sign right after them not count ("no", "without")."""


def load_signs(normalize: Callable[[str], Words], path: Path = SIGNS) -> SignTable:
    """Compile ``path``; ``normalize`` turns each phrase into words as input is turned."""
    whole = read_table(path)
    data = require(whole, "signs", path)
    negators = _negators(whole, path)
    signs = []

    def compiled(texts: list[str]) -> tuple[Words, ...]:
        stemmed = {tuple(stem(w) for w in normalize(text)) for text in texts}
        return tuple(sorted((p for p in stemmed if p), key=lambda p: (-len(p), p)))

    for name, value in data.items():
        table = value if isinstance(value, dict) else {"words": value}
        signs.append(
            Sign(
                name,
                compiled(table.get("words", [])),
                table.get("replaces"),
                tuple(compiled(part) for part in table.get("parts", [])),
                int(table.get("near", 3)),
                bool(table.get("fallback", False)),
            )
        )
    return SignTable(tuple(signs), negators)


def _negators(whole: dict[str, Any], path: Path) -> frozenset[str]:
    """The ``negators`` list of ``path``, or ``DataError`` naming the file."""
    negators = require(whole, "negators", path)
    if not isinstance(negators, list) or not all(isinstance(word, str) for word in negators):
        raise DataError(str(path), line_of(path, "negators ="), "negators must be a list of words")
    return frozenset(negators)


def find_signs(words: Words, table: SignTable) -> dict[str, tuple[int, int]]:
    """Sign id to where it is mentioned (start, end), in the file's order."""
    stems = tuple(stem(word) for word in words)
    found: dict[str, tuple[int, int]] = {}
    for sign in table.signs:
        if sign.parts:
            span = _parts_span(words, stems, sign, table.negators)
        else:
            span = _phrase_span(words, stems, sign, table.negators)
        if span is not None:
            found[sign.id] = span
    return found


def without_fallbacks(
    found: dict[str, tuple[int, int]], table: SignTable, more_said: bool
) -> dict[str, tuple[int, int]]:
    """``found`` less the fallback signs, when something more precise was said too
    (``more_said``: a pack symptom) or found here."""
    fallbacks = {sign.id for sign in table.signs if sign.fallback}
    if more_said or any(sign not in fallbacks for sign in found):
        return {sign: span for sign, span in found.items() if sign not in fallbacks}
    return found


def _phrase_span(
    words: Words, stems: Words, sign: Sign, negators: frozenset[str]
) -> tuple[int, int] | None:
    for phrase in sign.phrases:
        position = find(stems, phrase, max_gap=1 if len(phrase) > 1 else 0)
        if position is not None and not (position and words[position - 1] in negators):
            return position, span_end(stems, phrase, position)
    return None


def _parts_span(
    words: Words, stems: Words, sign: Sign, negators: frozenset[str]
) -> tuple[int, int] | None:
    """Where one phrase of every part is said, all starting within ``sign.near`` words."""
    places = [
        [
            span
            for phrase in part
            for span in phrase_spans(stems, phrase)
            if not (span[0] and words[span[0] - 1] in negators)
        ]
        for part in sign.parts
    ]
    if not all(places):
        return None
    for combination in itertools.product(*places):
        starts = [start for start, _ in combination]
        if max(starts) - min(starts) <= sign.near:
            return min(starts), max(end for _, end in combination)
    return None


def replaced(found: Container[str], table: SignTable) -> frozenset[str]:
    """The pack symptoms that the signs found stand for more precisely."""
    return frozenset(s.replaces for s in table.signs if s.id in found and s.replaces)
