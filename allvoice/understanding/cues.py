"""What a sentence says about the conversation itself, beside its intent. Pure.

``read_cues(words, table)`` finds the cues of ``data/talk.toml`` in normalised words: a
follow-up to a safety reply ("what number", "can I wait till morning", "what do I do
while we wait"), help having come ("the ambulance is here"), hopelessness, a feeling
(worry, guilt), a question allvoice cannot answer ("do I have it"), a diagnosis told
("my son was just diagnosed"), a request for support, and breathing trouble. None of them
decides the intent: the dialogue uses each only where it makes sense (``conversation/safety.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from allvoice.data import TALK, line_of, read_table, require
from allvoice.errors import DataError
from allvoice.understanding.language import Words, contains, stem

SAFETY_CUES = ("worse", "number", "meanwhile", "wait", "serious", "moved_on", "hopeless")
"""The safety cues, in the order the dialogue weighs them."""
ANSWERS = ("glass_no", "glass_yes", "breathing_no", "breathing_yes")
"""Answers to the safety questions of data/safety.toml [checks], no before yes."""
FEELINGS = ("guilt", "worry")
"""The feelings, guilt first: "I am worried it was my fault" is guilt."""
_PERSON = frozenset("i me my he him his she her they we our".split())
_DIAGNOSIS = re.compile(
    r"\b(do|does|could|might|may|can|has|have|is)\b(?: (?!and\b)\w+){1,3}? (have|has|got)"
    r" (it|leukemia|leukaemia|a l l|all|cancer|this|that)\b(?! the| of| these| those| day| night)"
)
"""Asking whether someone has the disease: "could my little girl have leukemia"; not a
statement joined by "and" ("my grandma is 78 and has all")."""


_DIAGNOSED = re.compile(
    r"\b(?:(?:was|were|been|got|is|and|just|recently) diagnosed\b"
    r"(?! with (?!it\b|a l l\b|all\b|leukemia\b|leukaemia\b|acute\b|cancer\b))"
    r"|(?:has|have|got) (?:a l l|all|leukemia|leukaemia|acute lymphoblastic|acute lymphocytic)\b"
    r"(?! the\b| of\b| these\b| those\b| day\b| night\b| over\b| his\b| her\b| my\b| kinds\b"
    r"| sorts\b| types\b| right\b))"
    r"|(?:\d+|old) with (?:a l l|all|leukemia|leukaemia)\b(?! the\b| of\b| these\b| those\b)"
)
"""Telling that someone has the disease: "my son was just diagnosed", "my husband has
A L L", "my dad is 70 with all"; not another illness ("diagnosed with asthma") nor "he
has all the signs"."""


@dataclass(frozen=True)
class Cues:
    """The cues found in one sentence."""

    safety: tuple[str, ...] = ()
    """Follow-ups to a safety reply said: worse, number, meanwhile, wait, serious,
    moved_on, hopeless (``SAFETY_CUES``, in that order)."""
    feeling: str | None = None
    """guilt or worry, when said."""
    diagnosis: bool = False
    """Asks whether someone has the disease, which allvoice cannot tell."""
    diagnosed: bool = False
    """Tells that someone has the disease: diagnosed, or has it ("my son was just
    diagnosed with A L L"); whether it also asks something is the dialogue's to see."""
    support: bool = False
    """Asks where to find support."""
    breathing: bool = False
    """Tells of breathing trouble."""
    answers: tuple[str, ...] = ()
    """Answers to a safety question said ("glass_no", "breathing_yes"; ``ANSWERS``)."""


@dataclass(frozen=True)
class CueTable:
    """The phrases of ``data/talk.toml``, normalised, by cue."""

    phrases: dict[str, tuple[Words, ...]]


def load_cues(normalize: Callable[[str], Words], path: Path = TALK) -> CueTable:
    """Read and normalise the cue phrases; ``DataError`` for a missing or malformed list."""
    data = read_table(path)
    wanted = {
        **{cue: "safety" for cue in SAFETY_CUES},
        **{feeling: "feelings" for feeling in FEELINGS},
        "diagnosis": "questions",
        "support": "questions",
        "breathing": "checks",
        **{answer: "answers" for answer in ANSWERS},
    }
    phrases: dict[str, tuple[Words, ...]] = {}
    for cue, table in wanted.items():
        values = require(require(data, table, path), cue, path)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(str(path), line_of(path, f"{cue} ="), f"{cue} is not a list of phrases")
        phrases[cue] = tuple(_phrase(value, normalize) for value in values if value.strip())
    return CueTable(phrases)


def _phrase(value: str, normalize: Callable[[str], Words]) -> Words:
    """The phrase's stems; a phrase written "=words" keeps its "=" first: it must be the
    whole sentence."""
    stems = tuple(stem(word) for word in normalize(value.lstrip("=")))
    return ("=", *stems) if value.startswith("=") else stems


def read_cues(words: Words, table: CueTable) -> Cues:
    """The cues in ``words`` (normalised)."""
    if not words:
        return Cues()
    stems = tuple(stem(word) for word in words)

    def matches(phrase: Words) -> bool:
        if phrase[:1] == ("=",):
            return stems == phrase[1:]
        return bool(phrase) and contains(stems, phrase, max_gap=1)

    def said(cue: str) -> bool:
        return any(matches(phrase) for phrase in table.phrases[cue])

    text = " ".join(words)
    return Cues(
        safety=tuple(cue for cue in SAFETY_CUES if said(cue)),
        feeling=next((feeling for feeling in FEELINGS if said(feeling)), None),
        diagnosis=said("diagnosis")
        or (bool(_PERSON & set(words)) and _DIAGNOSIS.search(text) is not None),
        diagnosed=_DIAGNOSED.search(text) is not None,
        support=said("support"),
        breathing=said("breathing"),
        answers=tuple(answer for answer in ANSWERS if said(answer)),
    )
