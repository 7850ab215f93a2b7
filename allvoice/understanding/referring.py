"""A question that points back at the last answer: ``in_context``. Pure.

"How long does it take" after the treatment, "what affects that" after the chance of a
cure, "what are the options" after a relapse: on its own such a question names no topic,
or a wrong one ("how long" is how long signs last). Read where the last answer was read
from, and where the packs answer its topic, it finds the fact that answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from allvoice.understanding import search
from allvoice.understanding.aspects import answered_topic, match_aspect
from allvoice.understanding.language import stem
from allvoice.understanding.model import Model
from allvoice.understanding.results import Placement, Understanding
from allvoice.understanding.understand import specific

POINTING = frozenset(("it", "that", "this", "they", "them", "those", "these", "options"))
"""Words that point back at what was just answered ("the options": its options)."""
MAX_WORDS = 8
"""A longer question says what it is about."""
WEAK = 0.7
"""Below this confidence, a question placed on its own may be read in context."""
_UNPLACED = frozenset(("out_of_scope", "unknown"))
_ASKING = frozenset(("what", "whats", "how", "why", "when", "where", "which", "who"))
"""Question words that ask for information, not for a yes or a no."""


@dataclass(frozen=True)
class LastAnswer:
    """Where the last answer was read from."""

    section: str
    """The section read."""
    topic: str | None = None
    """The aspect it answered, if known ("treatment")."""
    heard: Understanding | None = None
    """The question it answered, to answer again for another audience ("an adult")."""


def in_context(
    heard: Understanding, last: LastAnswer | None, model: Model, audience: str | None = None
) -> Understanding | None:
    """``heard`` read where ``last`` was read from (``_scope``): the fact there that
    shares most with the question; None when the question does not point back, says
    what it is about, or no fact there says every word it asks with."""
    words = tuple(heard.heard.split())
    if last is None or not _points_back(heard, words):
        return None
    aspect = match_aspect(words, model.aspects, model.pack)
    if aspect is not None and aspect.aspect not in model.aspects.backdrops:
        return None  # it says what it asks of: "how long does chemo make her sick"
    scope = _scope(last, model, audience)
    own = search.best_facts(words, model.facts_only, model.unsaid, scope)
    asked = {stem(word) for word in words if word not in model.unsaid}
    if not own or search.shared(words, model.facts_only, model.unsaid, *own[0][1:]) != asked:
        return None  # no fact there says every word it asks with ("long", "take")
    ranked = search.best_facts(words, model.search, model.unsaid, scope)
    section = ranked[0][1]
    fact = specific(words, ranked, section, model)
    topic = answered_topic(section, fact, None, model.pack) or last.topic
    return replace(
        heard, intent=section, section=section, fact=fact, confidence=WEAK, topic=topic,
        alternatives=(), for_audience=_for_each(words, section, fact, model),
    )  # fmt: skip


def _for_each(
    words: tuple[str, ...], section: str, fact: str | None, model: Model
) -> tuple[Placement, ...]:
    """Where the answer is for each audience, when ``section`` has a twin for the other:
    so that "for an adult" after it reads the adults' answer."""
    twins = model.pack.twins(section)
    if not twins:
        return ()
    ranked = search.best_facts(words, model.search, model.unsaid, frozenset(t.id for t in twins))
    return tuple(
        Placement(
            model.audiences[twin.id],
            twin.id,
            fact if twin.id == section else specific(words, ranked, twin.id, model),
        )
        for twin in twins
    )


def _points_back(heard: Understanding, words: tuple[str, ...]) -> bool:
    """A short question that opens with a question word and has a word that points back,
    that nothing placed or that was placed weakly; not one to answer yes or no ("is that
    normal": the facts cannot judge), a medical word asked about, a sign, an answer or a
    safety matter."""
    weak = heard.intent in _UNPLACED or (heard.section is not None and heard.confidence < WEAK)
    return (
        weak
        and bool(words)
        and words[0] in _ASKING
        and len(words) <= MAX_WORDS
        and bool(POINTING & set(words))
        and heard.term is None
        and heard.triage is None
        and not heard.symptoms
        and not heard.other_signs
        and not heard.answer
    )


def _scope(last: LastAnswer, model: Model, audience: str | None) -> frozenset[str]:
    """The section read last; after one of the first pack's, which answers its topic in
    a fact (the chance of a cure), also the sections of the other packs that answer it
    (the outlook), for whom the conversation is about (``audience``) when known."""
    if model.families.get(last.section) != "first" or last.topic is None:
        return frozenset((last.section,))
    answers = [a for part in model.pack.parts for a in part.answers_to(last.topic)]
    sections = {last.section, *(s for a in answers for s in (a.section, *a.also))}
    return frozenset(
        s for s in sections if audience is None or model.audiences.get(s) in (None, audience)
    )
