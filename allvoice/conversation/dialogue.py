"""The dialogue: ``step(state, understanding, context) -> (state, reply)``. Pure.

No I/O, no clock, no globals: the state goes in and comes out. Triage (an emergency, an
urgent case, a crisis) comes first in every state, and leaves the state as it was but for
a pending offer of the summary; a symptom report starts the follow-up (``followup``),
whose notes make the summary for the doctor (``summary``); topics are read a chunk at a
time (``reading``); what was just read is talked about in ``listing``; the controls are
here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from allvoice.conversation import (
    audience,
    care,
    listing,
    phrasing,
    reading,
    safety,
    summary,
    symptom_wording,
)
from allvoice.conversation.followup import (  # changes to the notes
    EDITS,
    answers_followup,
    followup_answer,
    report,
    revise,
)
from allvoice.conversation.memory import adult_of, remember
from allvoice.conversation.notes import record
from allvoice.conversation.state import (
    DialogueContext,
    DialogueState,
    FollowUp,
    Reading,
    Reply,
    topics,
    with_pending,
)
from allvoice.ports import RATE_MAX, RATE_MIN, RATE_STEP, VOLUME_STEP
from allvoice.understanding.audience import ADULTS
from allvoice.understanding.referring import LastAnswer
from allvoice.understanding.results import Understanding
from allvoice.understanding.triage import LEVELS, Triage

__all__ = [
    "DialogueContext", "DialogueState", "FollowUp", "Reading", "Reply", "step",
]  # fmt: skip

Handler = Callable[[DialogueState, Understanding, DialogueContext], tuple[DialogueState, Reply]]


def step(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """One turn: the new state and the reply to ``heard``."""
    new_state, reply = _route(state, heard, context)
    notes = summary.take_aside(new_state.notes, heard, reply.intent)
    if notes != new_state.notes:  # "she has lost weight": kept for the summary, and said so
        new_state = replace(new_state, notes=notes)
        reading = heard.temperature
        text = (
            symptom_wording.temperature_noted(reading)
            if reading
            else symptom_wording.noted(heard.heard)
        )
        reply = with_pending(new_state, Reply(text, "report_symptoms"))
    reply = replace(reply, symptoms=heard.symptoms, other_signs=heard.other_signs)
    new_state = replace(new_state, memory=remember(new_state.memory, heard))
    reply = care.acknowledged(reply, heard, context.pack.short_name)
    misses = new_state.misses + 1 if reply.intent == "unknown" else 0
    remembered = state.last_reply if reply.intent in ("repeat", "stop") else reply.text
    new_state = replace(new_state, last_answer=_answered(state, reply, heard))
    return replace(new_state, misses=misses, last_reply=remembered), reply


def _answered(state: DialogueState, reply: Reply, heard: Understanding) -> LastAnswer | None:
    """Where the reply was read from, with the topic and the question it answered (one
    written for each audience: ``heard``, the question that waited for "a child or an
    adult?", or the last one answered again); as before when it read no section
    ("repeat", "louder")."""
    last = state.last_answer
    if reply.section is None:
        return last
    same = last is not None and last.section == reply.section
    topic = heard.topic or (last.topic if same and last else None)
    earlier = (state.audience_asked, last.heard if last else None)
    asked = next(
        (q for q in (heard, *earlier) if q is not None and reply.section in _placed(q)), None
    )
    return LastAnswer(reply.section, topic, asked)


def _placed(question: Understanding) -> set[str | None]:
    """The sections a question written for each audience is answered from."""
    if not question.for_audience:
        return set()
    return {question.section, *(placement.section for placement in question.for_audience)}


def _route(
    state: DialogueState, heard: Understanding, context: DialogueContext, said: bool = True
) -> tuple[DialogueState, Reply]:
    """The reply to ``heard``: what was said (``said``), or a question taken up again (the
    one that waited for "a child or an adult?", or the one offered to clarify)."""
    found = (
        heard.triage or Triage(level=heard.intent, reason="")
        if heard.intent in LEVELS
        else safety.new_finding(state.memory, heard)  # across turns
    )
    if found is not None:
        state = replace(state, notes=record(state.notes, heard))  # kept for the summary
        return safety.enter(state, heard, found, context)
    if (answered := safety.answer_check(state, heard, context)) is not None:
        return answered
    state = replace(state, memory=replace(state.memory, check=None))
    state, in_mode = safety.in_mode(state, heard, context)
    if in_mode is not None:
        return state, in_mode
    if (asked := safety.ask_breathing(state, heard, context)) is not None:
        return asked
    if (cared := care.reply(state, heard, context)) is not None:
        return cared
    if state.clarify and (resolved := _resolve_clarify(state, heard)) is not None:
        return _route(replace(state, clarify=()), resolved, context, said=False)
    state = replace(state, clarify=(), help_page=state.help_page if _keeps_help(heard) else None)
    waiting = state.audience_asked  # "Is this about a child or an adult?"
    if waiting is not None:
        state = replace(state, audience_asked=None)
        who = audience.answers_asked(heard)
        if who is not None:
            state = audience.remembered(state, who)
            return _route(state, replace(waiting, audience=who), context, said=False)
    if said and (again := _for_whom_said(state, heard)) is not None:  # "an adult", after
        return _route(audience.remembered(state, again.audience), again, context, said=False)
    if said and (whom := audience.whom_only(heard, context.pack)) is not None:  # "a child"
        reply = Reply(phrasing.answering_for(whom == ADULTS), "audience", asks=True)
        return audience.remembered(state, whom), with_pending(state, reply)
    if state.offering_summary:  # "Would you like a short summary?": yes gives it
        state = replace(state, offering_summary=False)
        if heard.intent == "yes":
            return _summary(state, heard, context)
    if heard.unsure_of:  # "Did you ask about causes?": yes answers it, as a clarification
        title = context.pack.section(heard.unsure_of).title
        reply = Reply(phrasing.confirm_topic(title), "unknown", asks=True)
        return replace(state, clarify=(heard.unsure_of,)), with_pending(state, reply)
    if heard.intent == "report_symptoms":
        return report(state, heard, context)
    if state.followup and state.followup.asking and answers_followup(heard):
        return followup_answer(state, state.followup, heard, context)
    if (revised := revise(state, heard, context)) is not None:  # "no, it was three weeks"
        return revised
    handler = _HANDLERS.get(heard.intent)
    if handler:
        return handler(state, heard, context)
    if heard.section and audience.only_for_others(state, heard, context.pack):
        heard = replace(heard, intent="not_covered", section=None)
    if heard.section and heard.for_audience:
        placed = audience.place(state, heard)
        if isinstance(placed, Reply):
            return replace(state, audience_asked=heard), placed
        heard = placed
    if heard.topic and audience.for_someone_else(state, heard, context.pack):
        heard = replace(heard, intent="not_covered", section=None)
    if heard.section:
        return reading.topic(state, heard, context)
    if heard.intent == "not_covered" and heard.topic:
        adult = adult_of(heard)
        if adult is None:  # else whom the conversation is about, as answered or remembered
            whom = audience.known(state, heard)
            adult = whom == ADULTS if whom else state.memory.adult
        reply = _not_covered(heard.topic, context, state.not_covered_said > 0, adult)
        times = state.not_covered_said + 1
        return replace(state, not_covered_said=times), with_pending(state, reply)
    if heard.intent == "out_of_scope":
        pack = context.pack
        text = phrasing.out_of_scope(topics(pack), pack.short_name, heard.off_topic)
        return state, with_pending(state, Reply(text, "out_of_scope"))
    text = phrasing.not_understood(state.misses + 1, heard.heard, topics(context.pack))
    return state, with_pending(state, Reply(text, "unknown", asks=bool(state.followup)))


def _for_whom_said(state: DialogueState, heard: Understanding) -> Understanding | None:
    """The last question again, for whom ``heard`` says alone ("an adult", "for a
    child"), when its answer was written for each audience; None otherwise."""
    who = audience.answers_asked(heard)
    last = state.last_answer
    if who is None or last is None or last.heard is None or len(heard.heard.split()) > 3:
        return None
    if who not in {placement.audience for placement in last.heard.for_audience}:
        return None
    return replace(last.heard, audience=who)


def _not_covered(
    topic: str, context: DialogueContext, again: bool = False, adult: bool | None = None
) -> Reply:
    pack = context.pack
    related = pack.related_fact(topic)
    name = context.aspects.aspect(topic).name
    fact = related.text if related else None
    if again:  # the long reply was heard once; its list of topics is not read again
        return Reply(phrasing.not_covered_again(name, fact, adult), "not_covered")
    text = phrasing.not_covered(name, pack.short_name, topics(pack), fact, adult)
    return Reply(text, "not_covered")


def _resolve_clarify(state: DialogueState, heard: Understanding) -> Understanding | None:
    words = heard.heard.split()
    choice: str | None = None
    if "first" in words or "former" in words:
        choice = state.clarify[0]
    elif {"second", "last", "other", "latter"} & set(words):
        choice = state.clarify[-1]
    elif heard.section in state.clarify:
        choice = heard.section
    elif heard.answer == "yes":
        choice = state.clarify[0]
    if choice:
        fact = heard.fact if choice == heard.section else None
        return replace(heard, intent=choice, section=choice, fact=fact, alternatives=())
    return None


def _stop(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return replace(state, help_page=None), Reply(phrasing.STOPPED, "stop")


def _rate(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    faster = heard.intent == "faster"
    wanted = state.rate + (RATE_STEP if faster else -RATE_STEP)
    rate = max(RATE_MIN, min(RATE_MAX, wanted))
    text = phrasing.rate_changed("fast" if faster else "slow", rate, rate != wanted)
    return replace(state, rate=rate), Reply(text, heard.intent)


def _volume(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    louder = heard.intent == "louder"
    wanted = round(state.volume + (VOLUME_STEP if louder else -VOLUME_STEP), 2)
    volume = max(VOLUME_STEP, min(1.0, wanted))
    text = phrasing.volume_changed(heard.intent, volume, volume != wanted)
    return replace(state, volume=volume), Reply(text, heard.intent)


def _goodbye(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return replace(state, ended=True, reading=None), Reply(phrasing.GOODBYE, "goodbye", end=True)


def _help(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    followup = state.followup
    if followup and followup.asking:
        question = symptom_wording.open_question(followup.asking)
        return state, Reply(phrasing.help_followup(question), "help", asks=True)
    page = 0 if state.help_page is None else state.help_page + 1  # help again goes on
    return reading.help_page(state, page, context)


def _topics(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    text = phrasing.topics_sentence(topics(context.pack))
    return state, with_pending(state, Reply(text, "topics"))


def _greeting(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    text = phrasing.greeting(context.pack.name, topics(context.pack))
    return state, with_pending(state, Reply(text, "greeting"))


def _thanks(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return state, with_pending(state, Reply(phrasing.THANKS, "thanks"))


def _summary(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """What the user told about the signs, read back for the doctor."""
    return state, with_pending(state, Reply(summary.spoken(state.notes), "summary"))


def _save_summary(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """Saving is done by the session's edge (``Conversation.keeper``), which says where;
    this is what is said where nothing can be saved."""
    text = symptom_wording.CANNOT_SAVE if state.notes.symptoms else symptom_wording.NO_SUMMARY_YET
    return state, with_pending(state, Reply(text, "save_summary"))


def _yes_no(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    if heard.intent == "yes" and state.reading is not None:
        return reading.more(state, heard, context)
    return state, with_pending(state, Reply(phrasing.OKAY_WHAT_ELSE, heard.intent))


def _resume(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    if state.reading is not None:
        return reading.more(state, heard, context)
    return state, Reply(state.last_reply or phrasing.NOTHING_TO_REPEAT, "resume")


def _spell(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return state, with_pending(state, Reply(phrasing.spelled(heard.spell or ""), "spell"))


def _start_over(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    fresh = DialogueState(rate=state.rate, volume=state.volume)
    return fresh, Reply(phrasing.STARTING_OVER, "start_over")


def _keeps_help(heard: Understanding) -> bool:
    """Help pages go on through more, yes and repeat; anything else ends them."""
    return heard.intent in ("more", "yes", "repeat", "help")


_HANDLERS: dict[str, Handler] = {
    "repeat": listing.repeat,  # with "say that again slower", the rate first
    "item": listing.item,
    "more_about": listing.more_about,
    "count": listing.count,
    "more": reading.more,
    "resume": _resume,
    "previous": reading.previous,
    "repeat_all": reading.repeat_all,
    "read_all": reading.read_all,
    "spell": _spell,
    "start_over": _start_over,
    "stop": _stop,
    "faster": _rate,
    "slower": _rate,
    "louder": _volume,
    "softer": _volume,
    "goodbye": _goodbye,
    "help": _help,
    "topics": _topics,
    "greeting": _greeting,
    "thanks": _thanks,
    "summary": _summary,
    "save_summary": _save_summary,
    "yes": _yes_no,
    "no": _yes_no,
    **EDITS,
}
