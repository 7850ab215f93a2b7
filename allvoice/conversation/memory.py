"""What the conversation remembers beyond the last turn, for safety and for whom it is
about. Pure, plain data.

``Memory`` keeps what was told about the case (for triage across turns: a fever said in
one turn and chemotherapy in the next), the safety advice already given, the safety mode
under way (after an emergency, urgent or crisis reply, until the person moves on), a
safety question waiting for its answer (the glass test), and whether the person talked of
is an adult. ``remember`` adds one turn to it. The record of the signs for the summary is
``Notes`` (``state.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from allvoice.understanding import audience
from allvoice.understanding.language import Words
from allvoice.understanding.results import Understanding
from allvoice.understanding.wordsets import SETS

MAX_TOLD = 8
"""Statements kept for triage across turns: the memory stays bounded however long the
conversation goes on, and what was said long ago stops adding up with what is said now."""
_STATEMENTS = frozenset(
    ("report_symptoms", "unknown", "out_of_scope", "not_covered", "emergency", "urgent", "crisis")
)
"""Intents whose sentences tell about the case; a sentence of another intent does when
it speaks of someone ("my son had chemo last week" reads as a question of risk)."""
_NOT_TOLD = frozenset(
    "repeat more resume previous repeat_all read_all spell start_over stop faster slower "
    "louder softer goodbye help topics greeting thanks summary save_summary".split()
)
"""Controls: they tell nothing about the case."""
_PERSON = frozenset("i me my he him his she her they their we our".split())
_SOMEONE = (
    frozenset("he him his she her they their".split()) | SETS.he_relations | SETS.she_relations
)
"""Someone other than the speaker: a question that names them may tell about the case
("is that bad, she is on treatment")."""


@dataclass(frozen=True)
class Statement:
    """One statement about the case, and whom it is about."""

    words: Words
    """As understood (normalised once, when it was said)."""
    patient: str | None
    """Whom it is about (``patient_of``): a relation, "he", "she", "self", or None."""


@dataclass(frozen=True)
class SafetyMode:
    """An emergency, urgent or crisis reply being acted on."""

    level: str
    """emergency, urgent or crisis."""
    reason: str
    """The triage rule id it was given for (data/triage.toml)."""
    who: str | None = None
    """Whom it is about: "self", a relation, "he" or "she"; None when not said."""
    redirected: bool = False
    """True once a question about something else was set aside: a second one ends the
    mode (the person has moved on)."""


@dataclass(frozen=True)
class Memory:
    """What the conversation remembers for safety and for whom it is about."""

    told: tuple[Statement, ...] = ()
    """The last statements about the case, oldest first (``MAX_TOLD``)."""
    advised: tuple[str, ...] = ()
    """Triage reasons already advised on: found again across turns, they are not repeated."""
    mode: SafetyMode | None = None
    """The safety mode under way, if any."""
    check: str | None = None
    """A safety question waiting for its answer (data/safety.toml [checks]): glass,
    breathing."""
    checked: tuple[str, ...] = ()
    """Safety questions already asked, so that none is asked twice."""
    adult: bool | None = None
    """True when the person talked of is an adult, False for a child, None when unknown."""
    offered_signs: bool = False
    """True while an offer to go through the signs noticed waits for a yes."""
    audience: str | None = None
    """Whom the answers are for, once said (``children`` or ``adults``): "my son", "in
    adults", or the answer to "a child or an adult?"."""


def remember(memory: Memory, heard: Understanding) -> Memory:
    """``memory`` with what ``heard`` told: the statement (not one of the past: "he had
    chemo back in 2012" does not add up with a fever this week), and an adult or a child."""
    told = memory.told
    if is_statement(heard) and not heard.past:
        told = (*told, Statement(tuple(heard.heard.split()), patient_of(heard)))[-MAX_TOLD:]
    adult = adult_of(heard)
    return replace(
        memory,
        told=told,
        adult=memory.adult if adult is None else adult,
        audience=heard.audience or memory.audience,
    )


def is_statement(heard: Understanding) -> bool:
    """True when ``heard`` may tell about the case: not a question about a topic, not a
    control ("can chemo cause leukemia" is a question; "she had chemo on friday" tells)."""
    words = heard.heard.split()
    if not words or heard.intent in _NOT_TOLD:
        return False
    if words[0] in SETS.question_words | SETS.request_words:
        # a question tells only in a part said beside it ("is that bad, she is on
        # treatment"); "how do I know if my son has a fever" tells nothing
        return "," in heard.said and bool(_SOMEONE & set(words))
    return heard.intent in _STATEMENTS or bool(_PERSON & set(words))


def adult_of(heard: Understanding) -> bool | None:
    """Whether ``heard`` speaks of an adult: an age said, a relation ("my husband", "my
    son"), or the speaker telling of themselves ("I am 52", "I have bruises")."""
    found = audience.personal(tuple(heard.heard.split()), heard.age)
    return None if found is None else found == audience.ADULTS


def told_about(memory: Memory, heard: Understanding) -> tuple[Words, ...]:
    """What was told before about the person ``heard`` speaks of, oldest first: "my wife is
    on chemo" does not add up with "my son has a fever"."""
    patient = patient_of(heard)
    return tuple(told.words for told in memory.told if same_person(told.patient, patient))


def patient_of(heard: Understanding) -> str | None:
    """Whom a statement is about: a relation named ("my son"), else "he" or "she", else
    the speaker when they tell of themselves ("I am on chemo"), else None ("I just checked,
    it is 38.1" could be about anyone)."""
    words = heard.heard.split()
    relation = audience.named(words, SETS.adult_relations | _CHILDREN)
    if relation is not None:
        return relation
    present = set(words)
    if present & SETS.he_pronouns:
        return "he"
    if present & SETS.she_pronouns:
        return "she"
    if set(pairwise(words)) & audience.ABOUT_ME:
        return "self"
    return None


def same_person(one: str | None, other: str | None) -> bool:
    """Whether two statements can be about the same person: unless they name two
    different people ("son" and "wife"), a he and a she, or the speaker and someone else.
    A baby, a child or a little one can be a son or a daughter."""
    if one is None or other is None or one == other:
        return True
    if "self" in (one, other):
        return False
    kinds = {_kind(one), _kind(other)}
    if kinds == {"he", "she"}:
        return False
    if one in _GENERIC or other in _GENERIC:
        return True
    return one in ("he", "she") or other in ("he", "she")


def _kind(who: str) -> str:
    if who == "he" or who in SETS.he_relations:
        return "he"
    if who == "she" or who in SETS.she_relations:
        return "she"
    return "any"


_GENERIC = frozenset("baby child kid toddler teenager little infant newborn".split())
"""Words for a child that may be a son or a daughter spoken of otherwise."""
_CHILDREN = SETS.child_relations | SETS.other_relations
