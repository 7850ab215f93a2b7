"""The dialogue: ``step(state, understanding, context) -> (state, reply)``. Pure.

No I/O, no clock, no globals: the state goes in and comes out. Emergencies come first in
every state; a symptom report starts a follow-up that asks how long and whether the signs
are getting better, one question at a time, then gives see-a-doctor advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from allvoice import phrasing
from allvoice.content import Pack, Section
from allvoice.understand import Understanding

RATE_DEFAULT, RATE_MIN, RATE_MAX, RATE_STEP = 175, 80, 450, 25
VOLUME_DEFAULT, VOLUME_STEP = 0.8, 0.1
LIST_CHUNK = 3
PROSE_SENTENCES = 3


@dataclass(frozen=True)
class DialogueContext:
    """What the dialogue needs besides its state; fixed for a conversation."""

    pack: Pack
    """The content pack."""
    emergency_number: str = ""
    """Number to call in an emergency; empty for the default wording."""


@dataclass(frozen=True)
class FollowUp:
    """A symptom report whose follow-up questions are under way."""

    symptoms: tuple[str, ...]
    """Symptom ids reported so far."""
    duration: str | None = None
    """How long, as the user said it."""
    duration_settled: bool = False
    """True once the duration question was answered, even with "I'm not sure"."""
    trend: str | None = None
    """better, worse, same or unsure."""
    asking: str | None = None
    """The question waiting for an answer: duration or trend."""


@dataclass(frozen=True)
class Reading:
    """A section being read a chunk at a time."""

    section: str
    """Section id."""
    done: frozenset[int] = frozenset()
    """Indices of the facts already read."""


@dataclass(frozen=True)
class DialogueState:
    """Everything the dialogue remembers between turns."""

    rate: int = RATE_DEFAULT
    """Speech rate, words per minute."""
    volume: float = VOLUME_DEFAULT
    """Speech volume, 0.0 to 1.0."""
    last_reply: str = ""
    """The last reply that was not a repeat, for repeat."""
    reading: Reading | None = None
    """The section being read, if any."""
    followup: FollowUp | None = None
    """The symptom follow-up under way, if any."""
    clarify: tuple[str, ...] = ()
    """Sections offered in a 'did you mean' question."""
    misses: int = 0
    """Utterances not understood in a row."""
    ended: bool = False
    """True after goodbye."""


@dataclass(frozen=True)
class Reply:
    """What the assistant says after one turn."""

    text: str
    """Exactly what is spoken."""
    intent: str
    """The intent the reply answers."""
    section: str | None = None
    """The section the reply reads from, if any."""
    asks: bool = False
    """True when the reply waits for an answer."""
    end: bool = False
    """True when the conversation is over."""
    symptoms: tuple[str, ...] = field(default=())
    """Symptom ids understood in this turn."""


def step(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """One turn: the new state and the reply to ``heard``."""
    new_state, reply = _route(state, heard, context)
    reply = replace(reply, symptoms=heard.symptoms)
    misses = new_state.misses + 1 if reply.intent == "unknown" else 0
    remembered = state.last_reply if heard.intent == "repeat" else reply.text
    return replace(new_state, misses=misses, last_reply=remembered), reply


def _route(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    if heard.intent == "emergency":
        return state, Reply(phrasing.emergency(context.emergency_number), "emergency")
    if state.clarify and (resolved := _resolve_clarify(state, heard)) is not None:
        return _route(replace(state, clarify=()), resolved, context)
    state = replace(state, clarify=())
    if heard.intent == "report_symptoms":
        return _report(state, heard, context)
    if state.followup and state.followup.asking and _answers_followup(heard):
        return _followup_answer(state, state.followup, heard, context)
    handler = _HANDLERS.get(heard.intent)
    if handler:
        return handler(state, heard, context)
    if heard.section:
        return _topic(state, heard, context)
    if heard.intent == "out_of_scope":
        text = phrasing.out_of_scope(_topics(context.pack))
        return state, _with_pending(state, Reply(text, "out_of_scope"))
    text = phrasing.not_understood(state.misses + 1, heard.heard, _topics(context.pack))
    return state, _with_pending(state, Reply(text, "unknown", asks=bool(state.followup)))


def _topics(pack: Pack) -> list[str]:
    return [section.title for section in pack.sections]


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
        return replace(heard, intent=choice, section=choice, alternatives=())
    return None


# Topic answers, read a chunk at a time.


def _topic(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    pack = context.pack
    if len(heard.alternatives) > 1:
        first, second = (pack.section(s).title for s in heard.alternatives[:2])
        reply = Reply(phrasing.clarify(first, second), heard.intent, asks=True)
        return replace(state, clarify=heard.alternatives[:2]), reply
    section = pack.section(heard.section or heard.intent)
    if heard.fact:
        index = next(i for i, fact in enumerate(section.facts) if fact.id == heard.fact)
        reading = Reading(section.id, frozenset({index}))
        remaining = len(section.facts) - 1
        text = phrasing.prose_chunk([section.facts[index].text], remaining)
        return _read(state, reading, Reply(text, section.id, section.id))
    return _read_on(replace(state, reading=Reading(section.id)), section, heard.intent, pack)


def _read_on(
    state: DialogueState, section: Section, intent: str, pack: Pack
) -> tuple[DialogueState, Reply]:
    """Read the next chunk of the section being read."""
    reading = state.reading or Reading(section.id)
    todo = [i for i in range(len(section.facts)) if i not in reading.done]
    if not todo:
        following = _next_section(pack, section)
        text = phrasing.section_finished(section.title, following.title if following else None)
        return replace(state, reading=None), _with_pending(state, Reply(text, intent, section.id))
    chunk = _chunk(section, todo)
    remaining = len(todo) - len(chunk)
    texts = [section.facts[i].text for i in chunk]
    if section.is_list:
        intro = section.list_intro if not reading.done else None
        text = phrasing.list_chunk(intro, texts, remaining)
    else:
        text = phrasing.prose_chunk(texts, remaining)
    reading = replace(reading, done=reading.done | set(chunk))
    return _read(state, reading, Reply(text, intent, section.id))


def _chunk(section: Section, todo: list[int]) -> list[int]:
    if section.is_list:
        return todo[:LIST_CHUNK]
    chunk: list[int] = []
    sentences = 0
    for index in todo:
        count = max(1, section.facts[index].text.count(". ") + 1)
        if chunk and sentences + count > PROSE_SENTENCES:
            break
        chunk.append(index)
        sentences += count
    return chunk


def _read(state: DialogueState, reading: Reading, reply: Reply) -> tuple[DialogueState, Reply]:
    return replace(state, reading=reading), _with_pending(state, reply)


def _next_section(pack: Pack, section: Section) -> Section | None:
    ids = pack.section_ids
    position = ids.index(section.id)
    return pack.sections[position + 1] if position + 1 < len(ids) else None


def _with_pending(state: DialogueState, reply: Reply) -> Reply:
    """During a symptom follow-up, end a reply by going back to the open question."""
    followup = state.followup
    if not followup or not followup.asking:
        return reply
    question = phrasing.ASK_DURATION if followup.asking == "duration" else phrasing.ASK_TREND
    return replace(reply, text=f"{reply.text} {phrasing.back_to_symptoms(question)}", asks=True)


# The symptom follow-up.


def _report(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    previous = state.followup or FollowUp(symptoms=())
    symptoms = tuple(dict.fromkeys(previous.symptoms + heard.symptoms))
    followup = replace(previous, symptoms=symptoms)
    followup = _take_answer(followup, heard)
    names = [_symptom_name(context.pack, s) for s in heard.symptoms]
    opening = phrasing.symptoms_heard(names)
    return _next_question(state, followup, opening, context)


def _symptom_name(pack: Pack, symptom_id: str) -> str:
    return next((s.name for s in pack.symptoms if s.id == symptom_id), symptom_id)


def _answers_followup(heard: Understanding) -> bool:
    """A duration, a trend, or a yes, no or unsure that is not a new question."""
    if heard.duration or heard.trend:
        return True
    return bool(heard.answer) and heard.section is None


def _take_answer(followup: FollowUp, heard: Understanding) -> FollowUp:
    if heard.duration:
        followup = replace(followup, duration=heard.duration.text, duration_settled=True)
    if heard.trend:
        followup = replace(followup, trend=heard.trend)
    if followup.asking == "duration" and (heard.answer or heard.trend):
        followup = replace(followup, duration_settled=True)
    if followup.asking == "trend" and not heard.trend and heard.answer:
        trend = {"yes": "better", "no": "same", "unsure": "unsure"}[heard.answer]
        followup = replace(followup, trend=trend)
    return followup


def _followup_answer(
    state: DialogueState, followup: FollowUp, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return _next_question(state, _take_answer(followup, heard), "", context)


def _next_question(
    state: DialogueState, followup: FollowUp, opening: str, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    prefix = f"{opening} " if opening else ""
    if followup.duration is None and not followup.duration_settled:
        asking = replace(followup, asking="duration")
        reply = Reply(prefix + phrasing.ASK_DURATION, "report_symptoms", asks=True)
        return replace(state, followup=asking), reply
    if followup.trend is None:
        asking = replace(followup, asking="trend")
        reply = Reply(prefix + phrasing.ASK_TREND, "report_symptoms", asks=True)
        return replace(state, followup=asking), reply
    trend = followup.trend if followup.trend != "unsure" else None
    text = prefix + phrasing.advice(trend, followup.duration, context.emergency_number)
    return replace(state, followup=None), Reply(text, "report_symptoms")


# Controls.


def _repeat(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return state, Reply(state.last_reply or phrasing.NOTHING_TO_REPEAT, "repeat")


def _more(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    if state.reading is None:
        return state, _with_pending(state, Reply(phrasing.NOTHING_MORE, "more"))
    section = context.pack.section(state.reading.section)
    return _read_on(state, section, "more", context.pack)


def _stop(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    return replace(state, reading=None), Reply(phrasing.STOPPED, "stop")


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
        question = phrasing.ASK_DURATION if followup.asking == "duration" else phrasing.ASK_TREND
        return state, Reply(phrasing.help_followup(question), "help", asks=True)
    return state, Reply(phrasing.help_topics(_topics(context.pack)), "help")


def _yes_no(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    if heard.intent == "yes" and state.reading is not None:
        return _more(state, heard, context)
    return state, _with_pending(state, Reply(phrasing.OKAY_WHAT_ELSE, heard.intent))


_HANDLERS = {
    "repeat": _repeat,
    "more": _more,
    "stop": _stop,
    "faster": _rate,
    "slower": _rate,
    "louder": _volume,
    "softer": _volume,
    "goodbye": _goodbye,
    "help": _help,
    "yes": _yes_no,
    "no": _yes_no,
}
