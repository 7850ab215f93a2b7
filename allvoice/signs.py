"""Everyday signs outside the pack's list: ``find(words, signs) -> dict[str, int]``. Pure.

A sign that is not one of the content pack's symptoms (bruising, weight loss, night
sweats, a lump somewhere other than the lymph nodes) is named back and gets the same
follow-up and see-a-doctor advice as the pack's own. The signs are data, in
``data/signs.toml``; ``understand`` calls this after triage, next to the pack's symptoms.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path

from allvoice.language import Words, find, span_end, stem

SIGNS_FILE = Path(__file__).resolve().parent / "data" / "signs.toml"
_NEGATORS = frozenset(["no", "not", "without", "never"])


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


def load_signs(normalize: Callable[[str], Words], path: Path = SIGNS_FILE) -> tuple[Sign, ...]:
    """Compile ``path``; ``normalize`` turns each phrase into words as input is turned."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["signs"]
    signs = []
    for name, value in data.items():
        table = value if isinstance(value, dict) else {"words": value}
        stemmed = {tuple(stem(w) for w in normalize(phrase)) for phrase in table["words"]}
        phrases = tuple(sorted((p for p in stemmed if p), key=lambda p: (-len(p), p)))
        signs.append(Sign(name, phrases, table.get("replaces")))
    return tuple(signs)


def find_signs(words: Words, signs: tuple[Sign, ...]) -> dict[str, tuple[int, int]]:
    """Sign id to where it is mentioned (start, end), in the file's order."""
    stems = tuple(stem(word) for word in words)
    found: dict[str, tuple[int, int]] = {}
    for sign in signs:
        for phrase in sign.phrases:
            position = find(stems, phrase, max_gap=1 if len(phrase) > 1 else 0)
            if position is not None and not (position and words[position - 1] in _NEGATORS):
                found[sign.id] = (position, span_end(stems, phrase, position))
                break
    return found


def replaced(found: Container[str], signs: tuple[Sign, ...]) -> frozenset[str]:
    """The pack symptoms that the signs found stand for more precisely."""
    return frozenset(s.replaces for s in signs if s.id in found and s.replaces)
