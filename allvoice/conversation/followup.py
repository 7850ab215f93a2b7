"""The symptom follow-up: after a report, ask how long and whether the signs are getting
better, one question at a time, then give see-a-doctor advice and offer, once, a summary
to tell the doctor. Signs that have gone on for about two weeks or more get the advice at
once: the trend question only helps for short or unknown durations. Never a diagnosis. Pure.
"""

from __future__ import annotations

from dataclasses import replace

from allvoice.content.pack import Pack
from allvoice.conversation import symptom_wording
from allvoice.conversation.notes import record, remove_last, with_trend
from allvoice.conversation.state import (
    DialogueContext,
    DialogueState,
    FollowUp,
    Notes,
    Reply,
    with_pending,
)
from allvoice.understanding.results import Understanding

PERSISTENT_DAYS = 14.0
"""Signs that have lasted this many days (about two weeks) or more need a doctor's visit,
whether or not they are getting better."""


def report(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    previous = state.followup or FollowUp(symptoms=())
    symptoms = tuple(dict.fromkeys(previous.symptoms + heard.symptoms))
    followup = replace(previous, symptoms=symptoms)
    followup = _take_answer(followup, heard)
    state = replace(state, notes=record(state.notes, heard))
    names = [_symptom_name(context.pack, s) for s in heard.symptoms]
    names += [symptom_wording.sign_name(sign) for sign in heard.other_signs]
    opening = symptom_wording.symptoms_heard(names, state.notes.who, flu_like=bool(heard.symptoms))
    reading = heard.temperature
    if reading:  # said back in the unit it was given in
        opening = f"{opening} {symptom_wording.temperature_noted(reading)}"
    return _next_question(state, followup, opening, context)


def _symptom_name(pack: Pack, symptom_id: str) -> str:
    return next((s.name for s in pack.symptoms if s.id == symptom_id), symptom_id)


_QUESTION_WORDS = frozenset("who what which where why how".split())


def answers_followup(heard: Understanding) -> bool:
    """A duration, a trend, or a yes, no or unsure that is not a new question ("who won the
    match last night" is off the topic, not "since last night")."""
    if heard.off_topic and heard.heard.split()[:1] and heard.heard.split()[0] in _QUESTION_WORDS:
        return False
    if heard.duration or heard.trend:
        return True
    return bool(heard.answer) and heard.section is None


def _take_answer(followup: FollowUp, heard: Understanding) -> FollowUp:
    if heard.duration:
        followup = replace(
            followup,
            duration=heard.duration.text,
            days=heard.duration.days,
            duration_settled=True,
        )
    if heard.trend:
        followup = replace(followup, trend=heard.trend)
    if followup.asking == "duration" and (heard.answer or heard.trend):
        followup = replace(followup, duration_settled=True)
    if followup.asking == "trend" and not heard.trend and heard.answer:
        trend = {"yes": "better", "no": "same", "unsure": "unsure"}[heard.answer]
        followup = replace(followup, trend=trend)
    return followup


def followup_answer(
    state: DialogueState, followup: FollowUp, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    asked_trend = followup.asking == "trend" and not heard.trend
    followup = _take_answer(followup, heard)
    notes = record(state.notes, heard)
    if asked_trend and followup.trend:  # "yes" to "are the signs getting better?"
        notes = with_trend(notes, followup.trend)
    return _next_question(replace(state, notes=notes), followup, "", context)


def _next_question(
    state: DialogueState, followup: FollowUp, opening: str, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    prefix = f"{opening} " if opening else ""
    lasting = followup.days is not None and followup.days >= PERSISTENT_DAYS
    if followup.duration is None and not followup.duration_settled:
        asking = replace(followup, asking="duration")
        reply = Reply(prefix + symptom_wording.ASK_DURATION, "report_symptoms", asks=True)
        return replace(state, followup=asking), reply
    if followup.trend is None and not lasting:
        asking = replace(followup, asking="trend")
        reply = Reply(prefix + symptom_wording.ASK_TREND, "report_symptoms", asks=True)
        return replace(state, followup=asking), reply
    trend = followup.trend if followup.trend != "unsure" else None
    number, who = context.emergency_number, state.notes.who
    text = prefix + symptom_wording.advice(trend, followup.duration, number, who, lasting)
    state = replace(state, followup=None)
    if state.summary_offered:
        return state, Reply(text, "report_symptoms")
    offered = replace(state, summary_offered=True, offering_summary=True)
    return offered, Reply(f"{text} {symptom_wording.OFFER_SUMMARY}", "report_symptoms", asks=True)


# --- Changing the notes: "no, it was three weeks", "remove that", "start the summary again"


def revise(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply] | None:
    """A duration or a trend told when no question waits ("no, it was three weeks",
    "change that to four days"): it replaces what the notes held. None when ``heard`` is
    not such a change."""
    changes = heard.duration or heard.trend
    if not state.notes.symptoms or heard.section or (state.followup and state.followup.asking):
        return None
    if not changes or heard.intent not in _CHANGE_INTENTS:
        return None
    said = heard.duration.text if heard.duration else symptom_wording.trend_said(heard.trend)
    state = replace(state, notes=record(state.notes, heard))
    return state, Reply(symptom_wording.summary_changed(said), "correct")


_CHANGE_INTENTS = ("no", "yes", "unsure", "unknown", "out_of_scope")
"""What a change of duration or trend is understood as ("no, it was three weeks")."""


def remove(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """ "Remove that": the sign told last comes out of the notes (and out of the
    follow-up, which ends when no sign is left to ask about)."""
    notes, words = remove_last(state.notes)
    if words is None:
        return state, with_pending(state, Reply(symptom_wording.NOTHING_TO_REMOVE, "remove_last"))
    state = replace(state, notes=notes)
    if state.followup:
        left = tuple(s for s in state.followup.symptoms if s in notes.symptoms)
        state = replace(state, followup=replace(state.followup, symptoms=left) if left else None)
    return state, with_pending(state, Reply(symptom_wording.removed(words), "remove_last"))


def clear(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """ "Start the summary again": the notes are emptied, and any follow-up ends."""
    state = replace(state, notes=Notes(), followup=None, offering_summary=False)
    return state, Reply(symptom_wording.SUMMARY_CLEARED, "clear_summary")


EDITS = {"remove_last": remove, "clear_summary": clear}
"""The handlers of the intents that change the notes, for the dialogue's table."""
