"""Talking about what was just read: ``navigation(words, base, model)``. Pure.

A request about the list just read ("what was the second one", "read number 4", "the
first of those": the item intent with ``ordinal``), how many items it has ("how many
are there": count), one item by name ("go back to the fever": item; "tell me more about
the lumps": more_about; both with ``section`` and ``fact``), and a repeat said with a
rate or volume control ("say that again slower": repeat with ``adjust``). The words are
those of ``data/words.toml``; the dialogue side is ``conversation/listing.py``.
"""

from __future__ import annotations

from dataclasses import replace

from allvoice.understanding import topics
from allvoice.understanding.language import Words
from allvoice.understanding.model import Model
from allvoice.understanding.results import Understanding
from allvoice.understanding.wordsets import SETS

ADJUSTS = ("faster", "slower", "louder", "softer")
"""The controls that may be said with a repeat."""
_MAX_WORDS = 9
"""Longer sentences ask something else ("what is the first sign of A L L in children")."""
_LEAD = 3
"""How many words may come before "go back to" or "tell me more about" ("ok so can we")."""


def navigation(words: Words, base: Understanding, model: Model) -> Understanding | None:
    """The request about what was just read, if ``words`` is one; else None."""
    if len(words) > _MAX_WORDS:
        return None
    return (
        _repeat_adjusted(words, base, model)
        or _count(words, base, model)
        or _by_place(words, base, model)
        or _by_name(words, base, model)
    )


def _plain(base: Understanding) -> Understanding:
    """``base`` without the answers it might seem to give a follow-up question."""
    return replace(base, duration=None, trend=None, answer=None, confidence=1.0)


def _repeat_adjusted(words: Words, base: Understanding, model: Model) -> Understanding | None:
    """ "say that again slower", "slower please and again": every word is a repeat, a rate
    or volume control, or a joining word, and there are both."""
    table = {
        tuple(phrase.split()): intent
        for phrase, intent in model.control_phrases.items()
        if intent in ("repeat", *ADJUSTS)
    }
    longest = max(len(phrase) for phrase in table)
    said: list[str] = []
    index = 0
    while index < len(words):
        size = next(
            (n for n in range(longest, 0, -1) if tuple(words[index : index + n]) in table), 0
        )
        if size:
            said.append(table[tuple(words[index : index + size])])
        elif words[index] not in SETS.joining_words:
            return None
        index += size or 1
    adjust = tuple(dict.fromkeys(intent for intent in said if intent != "repeat"))
    if "repeat" not in said or not adjust:
        return None
    return replace(_plain(base), intent="repeat", adjust=adjust)


def _count(words: Words, base: Understanding, model: Model) -> Understanding | None:
    """ "how many are there", "how many signs": how many items the list has."""
    opening = next((o for o in SETS.count_opening if words[: len(o)] == o), None)
    if opening is None or not set(words[len(opening) :]) <= SETS.count_words:
        return None
    return replace(_plain(base), intent="count", section=_list_named(words, base, model))


def _by_place(words: Words, base: Understanding, model: Model) -> Understanding | None:
    """ "what was the second one", "the last one", "read number 4", "the first of those"."""
    found = _place(words, model)
    if found is None:
        return None
    place, start, end = found
    rest = (*words[:start], *words[end:])
    if not set(rest) <= SETS.item_words:
        return None
    tail = set(words[end:])
    of_part = "of" in tail and bool(tail & SETS.part_words)
    section = _list_named(words, base, model)
    return replace(_plain(base), intent="item", ordinal=place, of_part=of_part, section=section)


def _place(words: Words, model: Model) -> tuple[int, int, int] | None:
    """The place asked for, and where its words start and end (the noun after it too)."""
    for index, word in enumerate(words):
        if word in SETS.ordinals:
            after = words[index + 1 :]
            noun = next((n for n in SETS.item_nouns if after[: len(n)] == n), ())
            return SETS.ordinals[word], index, index + 1 + len(noun)
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in SETS.number_word and following:
            number = _number(following, model)
            if number:
                return number, index, index + 2
    return None


def _number(word: str, model: Model) -> int | None:
    if word.isdigit():
        return int(word)
    value = model.language.numbers.get(word)
    return value if value and word not in ("a", "an") else None


def _list_named(words: Words, base: Understanding, model: Model) -> str | None:
    """The list section the words name ("how many signs"), if one; else None."""
    topic = topics.score_sections(words, base.heard, model)
    if topic is None or topic.confidence < 0.5:
        return None
    section = model.pack.section(topic.section or topic.intent)
    return section.id if section.is_list else None


def _by_name(words: Words, base: Understanding, model: Model) -> Understanding | None:
    """ "tell me more about the lumps", "go back to the fever", "go back to the causes"."""
    for phrases, intent in ((SETS.more_about, "more_about"), (SETS.back_to, "item")):
        for phrase in phrases:
            start = _find(words, phrase)
            if start is not None:
                return _named(words[start + len(phrase) :], intent, base, model)
    return None


def _find(words: Words, phrase: Words) -> int | None:
    return next(
        (i for i in range(min(_LEAD, len(words)) + 1) if words[i : i + len(phrase)] == phrase),
        None,
    )


def _named(rest: Words, intent: str, base: Understanding, model: Model) -> Understanding | None:
    """The item or section that ``rest`` names, as the request ``intent`` about it."""
    if not rest:
        return None
    if base.symptoms:
        section, fact = _symptom_fact(base.symptoms[0], model)
        return replace(_plain(base), intent=intent, section=section, fact=fact)
    if base.other_signs:  # an everyday sign the pack does not list: nothing more on it
        return replace(_plain(base), intent="more_about")
    topic = topics.score_sections(rest, " ".join(rest), model)
    if topic is None or topic.confidence < 0.5:
        return None
    section = topic.section or topic.intent
    if topic.fact and model.pack.section(section).is_list:
        return replace(_plain(base), intent=intent, section=section, fact=topic.fact)
    return replace(_plain(base), intent=section, section=section, fact=topic.fact)


def _symptom_fact(symptom: str, model: Model) -> tuple[str, str]:
    """The section and fact that name ``symptom`` in the pack."""
    return next(
        (section.id, fact.id)
        for section in model.pack.sections
        for fact in section.facts
        if fact.symptom == symptom
    )
