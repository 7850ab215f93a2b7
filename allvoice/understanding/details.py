"""What an utterance tells besides its intent: where symptoms are said, whom they are
about, how long and which way they have gone, the word to spell. Pure.

``understand`` fills these into every ``Understanding``; none of them decides the intent
(``topics`` and ``controls`` do), except that a request to spell is the spell intent.
"""

from __future__ import annotations

import re

from allvoice.understanding import signs
from allvoice.understanding.language import Language, Words, contains, find, span_end, stem
from allvoice.understanding.model import Model
from allvoice.understanding.results import Duration
from allvoice.understanding.wordsets import RELATIONS, SETS

_DIGITS = re.compile(r"^\d+$")
LONG_AGO_DAYS = 30.0
"""The least "for ages", "a long time" or "since last summer" can mean, in days."""


def symptom_spans(words: Words, model: Model) -> dict[str, tuple[int, int]]:
    """Symptom id to where it is mentioned (start, end), in the pack's order."""
    found: dict[str, tuple[int, int]] = {}
    stems = tuple(stem(word) for word in words)
    for phrase, symptom in model.symptom_phrases:
        if symptom not in found:
            span = _find_symptom(stems, phrase)
            if span is not None:
                found[symptom] = span
    order = [symptom.id for symptom in model.pack.symptoms]
    return {symptom: found[symptom] for symptom in sorted(found, key=order.index)}


def sign_spans(
    words: Words, model: Model
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Where the pack's symptoms and the everyday signs are said: a sign that stands for a
    symptom more precisely replaces it, and a fallback sign goes when more was said."""
    others = signs.find_signs(words, model.signs)
    gone = signs.replaced(others, model.signs)
    found = {s: span for s, span in symptom_spans(words, model).items() if s not in gone}
    return found, signs.without_fallbacks(others, model.signs, bool(found))


def _find_symptom(stems: Words, phrase: Words) -> tuple[int, int] | None:
    """Where a symptom phrase is: in order with small gaps, or a two-word phrase in
    either order close together ("aching legs", "legs that ache")."""
    for wanted in (phrase, phrase[::-1]) if len(phrase) == 2 else (phrase,):
        position = find(stems, wanted, max_gap=3 if len(wanted) > 1 else 0)
        if position is not None:
            return position, span_end(stems, wanted, position)
    return None


def who(words: Words) -> str | None:
    """Whom the words are about: "my son" (or "our little boy") gives the relation; else
    I or me is "self", and he or she stands alone."""
    for index, word in enumerate(words):
        if word in ("my", "our"):
            after = index + 1 + _age_length(words, index + 1)  # "my 7 year old (son)"
            named = [_relation(w) for w in words[after : after + 2] if _relation(w)]
            if named:
                return named[0]
            if after > index + 1:
                return "child"
    present = set(words)
    if present & SETS.self_pronouns:
        return "self"
    if present & SETS.he_pronouns:
        return "he"
    if present & SETS.she_pronouns:
        return "she"
    return None


def _relation(word: str) -> str:
    """The relation a word names, also when typed as a possessive without its apostrophe
    ("my husbands gums"); "" when none."""
    if word in RELATIONS:
        return word
    return word[:-1] if word.endswith("s") and word[:-1] in RELATIONS else ""


def _age_length(words: Words, index: int) -> int:
    """How many words an age said with "old" takes at ``index`` ("7 year old": 3); 0."""
    unit, old = words[index + 1 : index + 2], words[index + 2 : index + 3]
    if old == ("old",) and unit and unit[0] in SETS.age_units:
        return 3
    return 0


def duration(words: Words, language: Language) -> Duration | None:
    """How long, when said: "three weeks", "for ages", "since monday"."""
    for index, word in enumerate(words):
        long_ago = next((p for p in SETS.long_ago if words[index : index + len(p)] == p), None)
        if long_ago:
            return Duration(SETS.long_ago[long_ago], LONG_AGO_DAYS)
        if word in language.units and not _is_frequency(words, index):
            if _is_age(words, index) or not _has_amount(words, index, language):
                continue  # "my 7 year old", "night sweats": not how long
            return _amount_before(words, index, language)
        if word == "since" and index + 1 < len(words):
            return _since(words[index + 1 :], language)
        if word == "yesterday":
            return Duration("since yesterday", 1.0)
    return None


def _is_age(words: Words, index: int) -> bool:
    """ "7 year old", "six weeks old": an age."""
    return words[index + 1 : index + 2] == ("old",)


def _has_amount(words: Words, index: int, language: Language) -> bool:
    """A unit in the plural ("for weeks"), or with an amount or an article before it ("a
    week", "3 days"); a bare singular ("night sweats", "day time") is not a duration."""
    if words[index].endswith("s"):
        return True
    before = words[index - 1] if index else ""
    return bool(_DIGITS.match(before)) or before in language.numbers or before in _ARTICLES


_ARTICLES = frozenset({"a", "an", "the", "past", "last", "of", "this", "one", "all", "whole"})


def _is_frequency(words: Words, index: int) -> bool:
    """ "every day", "twice a week", "each night": how often, not how long."""
    before = words[max(0, index - 2) : index]
    return bool(set(before) & SETS.how_often)


def _amount_before(words: Words, index: int, language: Language) -> Duration:
    """The amount said before the unit at ``index`` ("three weeks", "over a month")."""
    unit = words[index]
    start = index
    amount: float = 2.0 if unit.endswith("s") else 1.0  # "for weeks": two at the least
    for back in (1, 2, 3):
        if index - back < 0:
            break
        word = words[index - back]
        if _DIGITS.match(word):
            amount, start = min(float(word), 1e6), index - back
            break
        if word in language.numbers:
            amount, start = float(language.numbers[word]), index - back
            break
        if word not in ("of", "a", "an", "the", "past", "last"):
            break
    if start > 0 and words[start - 1] in ("a", "an", "the", "past", "last"):
        start -= 1
    for more in SETS.more_than:  # "over a fortnight", "more than a month": kept, as said
        if words[max(0, start - len(more)) : start] == more:
            start -= len(more)
    days = min(amount * language.units[unit], 36500.0)
    return Duration(text=" ".join(words[start : index + 1]), days=days)


def _since(rest: Words, language: Language) -> Duration:
    """What follows "since": yesterday, last night, last week or summer, a weekday."""
    first = rest[0]
    if first in ("yesterday", "last") and rest[1:2] == ("night",):
        return Duration("since last night", 1.0)
    if first == "yesterday":
        return Duration("since yesterday", 1.0)
    if first == "last" and len(rest) > 1 and rest[1] in language.units:
        return Duration(f"since last {rest[1]}", language.units[rest[1]])
    if first == "last" and len(rest) > 1 and rest[1] in SETS.seasons:
        return Duration(f"since last {rest[1]}", LONG_AGO_DAYS)
    if first in SETS.weekdays:
        return Duration(f"since {first}", None)  # "since tuesday i think": since tuesday
    if first == "last":
        return Duration(" ".join(("since", *rest[:2])), None)
    said = []
    for word in rest[:3]:  # "since the weekend", not "since the weekend she"
        if word in SETS.personal_words or word in SETS.clause_joins:
            break
        said.append(word)
    return Duration(" ".join(("since", *said)), None)


def trend(words: Words, language: Language) -> str | None:
    """better, worse or same, when said (``data/intents.toml``'s trends)."""
    for trend in ("worse", "same", "better"):
        for phrase in language.trends[trend]:
            at = find(words, phrase)
            if at is not None and not _doubted(words, at, at + len(phrase)):
                return trend
    return None


def _doubted(words: Words, start: int, end: int) -> bool:
    """A trend doubted: "i do not know if it is worse", "worse or not"; "not sure, but i
    think it is worse" is not, the "but" says it after all."""
    if words[end : end + 1] == ("or",):
        return True
    since_but = max((i + 1 for i, w in enumerate(words[:start]) if w == "but"), default=0)
    before = words[since_but:start]
    return any(contains(before, doubt) for doubt in SETS.doubts)


def spelling(words: Words) -> str | None:
    """The word in "spell lymphocytic", "how do you spell X", "how is X spelled"; "" when
    the word is missing; None when this is not a request to spell."""
    if words[0] == "spell" or (len(words) > 2 and words[:2] == ("how", "do") and "spell" in words):
        rest = words[words.index("spell") + 1 :]
        rest = tuple(word for word in rest if word not in SETS.spell_fillers)
        return " ".join(rest[:1])
    if words[-1] in ("spelled", "spelt") and len(words) >= 3 and words[0] == "how":
        return words[-2]
    return None
