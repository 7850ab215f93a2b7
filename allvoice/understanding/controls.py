"""Short commands and answers: which control, if any, an utterance is. Pure.

The control phrases are those of ``data/intents.toml``, compiled into ``Model``; a
control counts in a short utterance, or when it makes up most of a longer one.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from allvoice.understanding.language import Words, contains
from allvoice.understanding.model import Model

ANSWERS = frozenset({"yes", "no", "unsure"})
"""The controls that are answers to a yes-or-no question."""


def command(words: Words, heard: str, model: Model) -> str | None:
    """A short command or answer: the longest control phrase found in a short utterance."""
    table = model.control_phrases
    if heard in table:
        return table[heard]
    if len(words) > 8:
        return None
    best: tuple[int, int, str] | None = None
    for phrase, intent in table.items():
        if phrase in model.whole_only:
            continue
        phrase_words = tuple(phrase.split())
        if contains(words, phrase_words):
            rank = (len(phrase_words), 0 if intent in ANSWERS else 1, intent)
            best = max(best, rank) if best else rank
    if best and best[2] not in ANSWERS:
        return best[2]
    first = words[0]
    if table.get(first) in ANSWERS and first not in model.whole_only and len(words) <= 8:
        return table[first]
    if best is None:
        if len(words) > 2:
            return None
        found = process.extractOne(heard, list(table), scorer=fuzz.ratio, score_cutoff=85)
        return table[found[0]] if found else None
    covered = best[0] / len(words)
    return best[2] if covered >= 0.25 or len(words) <= 3 else None


def covers(words: Words, control: str, model: Model) -> bool:
    """A phrase of ``control`` of two or more words makes up half the utterance or more."""
    return any(
        intent == control and len(phrase.split()) >= 2
        and contains(words, tuple(phrase.split())) and 2 * len(phrase.split()) >= len(words)
        for phrase, intent in model.control_phrases.items()
    )  # fmt: skip


def answer(words: Words, model: Model) -> str | None:
    """yes, no or unsure when the utterance opens with (or is) such an answer."""
    table = model.control_phrases
    for size in (4, 3, 2, 1):
        head = " ".join(words[:size])
        if len(words) >= size and table.get(head) in ANSWERS and head not in model.whole_only:
            return table[head]
    return None
