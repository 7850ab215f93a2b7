"""A child or an adult: answers that differ for each. Pure.

Some answers differ for children and for adults (``Understanding.for_audience``):
treatment has three phases for children and two for adults. The answer is read for whom
the conversation is about, when the question or the conversation says so ("my son", "I
am 45", "in adults"); when nothing says, allvoice asks once, and remembers the answer.
What a medical word means is the same for both: it is never asked for.
"""

from __future__ import annotations

from dataclasses import replace

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing
from allvoice.conversation.state import DialogueState, Reply, with_pending
from allvoice.understanding.audience import ADULTS, CHILDREN
from allvoice.understanding.results import Understanding

_ME = frozenset(("me", "myself", "mine", "i", "self"))
"""A short answer that names the speakers ("it is for me"): an adult."""


_KINDS = frozenset(("child", "children", "kid", "kids", "adult", "adults", "grown", "grownup"))
"""Words that say whom the answers are for, not a person with signs ("a child", not "my
son", which may go on to tell of signs)."""
_AROUND = frozenset(
    "a an the for about its it is this i am im asking question we are talking up".split()
)
"""Words that may stand around whom is said, with nothing asked ("it is for a child")."""


def whom_only(heard: Understanding, pack: Pack) -> str | None:
    """Whom the answers are for, when ``heard`` says nothing else ("a child", "I am asking
    about an adult") and the content answers children and adults apart; else None."""
    words = heard.heard.split()
    said = [word for word in words if word not in _AROUND]
    if not pack.parts or not said or not set(said) <= _KINDS:
        return None
    return answered(heard)


def known(state: DialogueState, heard: Understanding) -> str | None:
    """Whom the answer is for: what ``heard`` says, else what the conversation said."""
    return heard.audience or state.memory.audience


def place(state: DialogueState, heard: Understanding) -> Understanding | Reply:
    """``heard`` with the section and fact for whom the conversation is about; or the
    question "a child or an adult?" when that is not known and the answer depends on it."""
    audience = known(state, heard)
    chosen = next((p for p in heard.for_audience if p.audience == audience), None)
    if chosen is None and heard.term is None:
        return with_pending(state, Reply(phrasing.ASK_AUDIENCE, "which_audience", asks=True))
    if chosen is None:
        return heard
    return replace(heard, section=chosen.section, intent=chosen.section, fact=chosen.fact)


def answered(heard: Understanding) -> str | None:
    """The answer to "a child or an adult?": "a child", "my son", "he is 8", "adult",
    "me"; None when ``heard`` is not an answer to it."""
    if heard.audience:
        return heard.audience
    words = set(heard.heard.split())
    if words & _ME and len(words) <= 4:
        return ADULTS
    return None


def answers_asked(heard: Understanding) -> str | None:
    """Whom ``heard`` says, when it answers "a child or an adult?" rather than asking
    something new: a short answer ("a child", "my husband"), or one that asks nothing
    of the content."""
    who = answered(heard)
    if who is not None and (heard.section is None or len(heard.heard.split()) <= 3):
        return who
    return None


def remembered(state: DialogueState, audience: str | None) -> DialogueState:
    """``state`` remembering whom the answers are for."""
    if audience not in (CHILDREN, ADULTS):
        return state
    return replace(state, memory=replace(state.memory, audience=audience))


def for_someone_else(state: DialogueState, heard: Understanding, pack: Pack) -> bool:
    """The answer found is written for the other audience, and none is for this one: a
    question on fertility about an adult, where only the summary for children speaks of
    it. What a medical word means is the same for both."""
    if heard.section is None or heard.term is not None:
        return False
    written_for = pack.origin(heard.section).audience
    whom = known(state, heard)
    return written_for is not None and whom is not None and written_for != whom


def only_for_others(state: DialogueState, heard: Understanding, pack: Pack) -> bool:
    """The packs answer the topic asked only for others than whom the conversation is
    about, whichever section was found: fertility about an adult is not read from the
    adults' late effects, the twin of the children's section that tells of it."""
    whom = known(state, heard)
    if whom is None or heard.topic is None or heard.term is not None:
        return False
    return pack.only_for_others(heard.topic, whom)
