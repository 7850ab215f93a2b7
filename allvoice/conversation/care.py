"""Honest about what allvoice cannot know, kind about how people feel. Pure.

"Do I have it?" is answered with who can tell (a doctor, with blood tests) and an offer
to go through the signs noticed; guilt ("is it my fault", "was it something he ate") with
what is known: nobody knows what causes the D N A changes, and nothing a parent did is
known to; "where can I get support" with the care team. A feeling of worry is
acknowledged in a sentence before the rest of the reply (``acknowledged``).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from allvoice.content.pack import Pack
from allvoice.conversation import symptom_wording
from allvoice.conversation.followup import report
from allvoice.conversation.memory import adult_of
from allvoice.conversation.state import (
    DialogueContext,
    DialogueState,
    Reply,
    topics,
    with_pending,
)
from allvoice.understanding.results import Understanding
from allvoice.understanding.triage import LEVELS
from allvoice.understanding.wordsets import RELATIONS, SETS


def reply(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply] | None:
    """The reply when the turn asks what allvoice cannot know, carries guilt, asks for
    support, or says yes to going through the signs; None otherwise."""
    memory = state.memory
    condition = context.pack.short_name
    if memory.offered_signs:
        state = replace(state, memory=replace(memory, offered_signs=False))
        if heard.intent == "yes" and not heard.symptoms:
            return state, Reply(symptom_wording.WHICH_SIGNS, "yes", asks=True)
    cues = heard.cues
    if cues.diagnosis:
        who = heard.who or state.notes.who
        honest = symptom_wording.cannot_diagnose(condition, who)
        if heard.symptoms or heard.other_signs:
            state, told = report(state, heard, context)
            return state, replace(told, text=f"{honest} {told.text}")
        offered = replace(state, memory=replace(state.memory, offered_signs=True))
        return offered, Reply(f"{honest} {symptom_wording.OFFER_SIGNS}", "diagnosis", asks=True)
    if cues.feeling == "guilt":
        text = symptom_wording.NOT_YOUR_FAULT.format(condition=condition)
        return state, with_pending(state, Reply(text, "feeling"))
    if cues.support:
        adult = adult_of(heard)
        adult = memory.adult if adult is None else adult
        return state, with_pending(state, Reply(symptom_wording.support(adult), "support"))
    if cues.diagnosed and _only_tells(heard):  # "my son was just diagnosed with A L L"
        text = symptom_wording.diagnosed(heard.who, _go_through(context.pack), condition)
        return state, with_pending(state, Reply(text, "diagnosed", asks=True))
    if _tells_of_someone(state, heard):  # "my baby has been grizzly all day"
        return state, Reply(symptom_wording.tell_me_signs(heard.who), "report_symptoms", asks=True)
    return None


def acknowledged(reply: Reply, heard: Understanding, condition: str = "") -> Reply:
    """``reply`` opened with a word for the worry said, when one was; a turn that said
    nothing else gets an invitation instead of "I did not catch that"."""
    if heard.cues.feeling != "worry" or reply.intent in LEVELS or reply.intent == "crisis":
        return reply
    if reply.intent in ("unknown", "out_of_scope"):
        invite = symptom_wording.WORRY_INVITE.format(condition=condition or "it")
        return replace(reply, text=f"{symptom_wording.WORRY} {invite}", intent="feeling")
    if reply.intent == "diagnosed":  # already sorry to hear of the diagnosis
        return replace(reply, text=f"{symptom_wording.WORRY_SHORT} {reply.text}")
    return replace(reply, text=f"{symptom_wording.WORRY} {reply.text}")


_GO_THROUGH = (
    ("treatment", "how it is treated"),
    ("diagnosis", "the tests"),
    ("outlook", "the outlook"),
    ("side_effects", "side effects"),
)
"""What a newly diagnosed family asks first, with how to name it, where the content
answers it (issue 17: diagnosis, treatment and outlook)."""


def _go_through(pack: Pack) -> list[str]:
    """What allvoice can go through after a diagnosis told: the topics of ``_GO_THROUGH``
    the content answers, and the medical words; with a content that answers none of
    them (the first pack alone), every topic it has."""
    found = [name for aspect, name in _GO_THROUGH if pack.answer_to(aspect) is not None]
    if "how it is treated" not in found:
        return topics(pack)
    defines = any(fact.defines for section in pack.sections for fact in section.facts)
    return [*found, "what the medical words mean"] if defines else found


def _only_tells(heard: Understanding) -> bool:
    """The sentence tells something and asks nothing, nor tells of a sign: no clause opens
    as a question, no question word or mark, and no verb that asks before its subject
    where a recognizer wrote no comma ("my son has all is his treatment the same")."""
    opening = SETS.question_words | SETS.auxiliaries
    words = heard.heard.split()
    clauses = [told.words.split() for told in heard.told] or [words]
    return (
        all(clause and clause[0] not in opening for clause in clauses)
        and not any(a in opening and b in _SUBJECTS for a, b in pairwise(words))
        and not set(words) & SETS.asking_words
        and "?" not in heard.said
        and not (heard.symptoms or heard.other_signs)
    )


_SUBJECTS = (
    SETS.possessives
    | SETS.self_pronouns
    | SETS.he_pronouns
    | SETS.she_pronouns
    | frozenset(("it", "they", "we", "you", "that", "this", "there", "the"))
)
"""Words that may follow a verb that opens a question ("is his", "will she", "can we")."""


def _tells_of_someone(state: DialogueState, heard: Understanding) -> bool:
    """A statement about someone named that says no sign allvoice knows, outside the
    follow-up and not answering "a child or an adult?": worth asking what was noticed
    rather than saying it was not understood."""
    words = heard.heard.split()
    return (
        heard.intent in ("unknown", "out_of_scope")
        and not heard.off_topic
        and heard.who in RELATIONS
        and bool(words)
        and words[0] not in SETS.question_words
        and not (state.followup or state.notes.symptoms)
        and state.audience_asked is None  # "my husband" answers "a child or an adult?"
    )
