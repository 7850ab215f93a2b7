"""Safety across the conversation. Pure.

An emergency, an urgent case or a crisis is a mode, not one reply: ``enter`` gives the
reply and starts the mode; while it lasts, ``in_mode`` reads the next turns in its light
("what number", "can I wait till morning", "what do I do while we wait", "nobody would
notice") and never reads content or says "make an appointment"; it ends when help has
come or the person is safe ("the ambulance is here"), or when they ask about something
else a second time. Triage also runs over what was told across turns
(``Understanding.case_triage``): ``new_finding`` says when that found something not yet
advised on. A safety question (the glass test for a rash, "is he breathing normally?")
waits for its answer, which is read as that answer (``answer_check``).
"""

from __future__ import annotations

from dataclasses import replace

from allvoice.conversation import safety_wording
from allvoice.conversation.followup import answers_followup, followup_answer
from allvoice.conversation.memory import Memory, SafetyMode, is_statement
from allvoice.conversation.state import DialogueContext, DialogueState, Reply
from allvoice.understanding.results import Understanding
from allvoice.understanding.triage import Triage

PASS_THROUGH = frozenset(
    "repeat faster slower louder softer stop goodbye start_over resume spell summary "
    "save_summary help".split()
)
"""Controls that keep their meaning in a mode ("say that again", "slower")."""


def new_finding(memory: Memory, heard: Understanding) -> Triage | None:
    """What triage across turns found, when it is news: a reason not advised on yet, or
    one this turn gives a new reading for (an age, a temperature), and not lower than the
    mode under way."""
    found = heard.case_triage
    if found is None:
        return None
    reading = heard.age is not None or any(ch.isdigit() for ch in heard.said)
    if found.reason in memory.advised and not reading:
        return None
    if _kept_under(memory.mode, found):
        return None
    return found


def _kept_under(mode: SafetyMode | None, found: Triage) -> bool:
    """True when ``found`` is lower than the emergency under way: an urgent sign during an
    emergency is told to the helpers, not answered with "see a doctor today". A crisis is
    never kept under, and a physical sign during a crisis is answered."""
    return mode is not None and mode.level == "emergency" and found.level == "urgent"


def enter(
    state: DialogueState, heard: Understanding, found: Triage, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """The safety reply for ``found``, and its mode; a lower level than the mode under
    way keeps the mode and says to tell the helpers that too."""
    memory = state.memory
    mode = memory.mode
    if mode is not None and _kept_under(mode, found):
        return state, Reply(_say(mode, "report", context) or "", mode.level)
    who = heard.who or (mode.who if mode else None) or state.notes.who
    reply = triage_reply(found, context)
    check = safety_wording.check_after(found.reason)
    if check in memory.checked:
        check = None
    if check:
        question = safety_wording.check_question(check, "")
        reply = replace(reply, text=f"{reply.text} {question}", asks=True)
    memory = replace(
        memory,
        mode=SafetyMode(found.level, found.reason, who),
        advised=tuple(dict.fromkeys((*memory.advised, *found.reasons, found.reason))),
        check=check,
        checked=(*memory.checked, check) if check else memory.checked,
    )
    if found.level != "crisis":  # the safety advice replaces the routine follow-up's
        state = replace(state, followup=None)
    return replace(state, memory=memory, offering_summary=False), reply


def triage_reply(found: Triage, context: DialogueContext) -> Reply:
    """The emergency, urgent or crisis reply for ``found``."""
    number, line = context.emergency_number, context.crisis_line
    if found.level == "crisis":
        return Reply(safety_wording.crisis(line, number), "crisis")
    if found.level == "urgent":
        return Reply(safety_wording.urgent(found.reason, number, found.unit), "urgent")
    crisis_too = "suicidal_thoughts" in found.reasons
    return Reply(
        safety_wording.emergency(
            number, found.reason, line if crisis_too else None, found.if_cannot, found.unit
        ),
        "emergency",
    )


def ask_breathing(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply] | None:
    """Breathing trouble told without an emergency's words: ask whether the breathing is
    normal before anything else (once a conversation)."""
    memory = state.memory
    if not heard.cues.breathing or "breathing" in memory.checked or memory.mode is not None:
        return None
    text = safety_wording.check_question("breathing", _whom(heard.who or state.notes.who))
    memory = replace(memory, check="breathing", checked=(*memory.checked, "breathing"))
    return replace(state, memory=memory), Reply(text, "report_symptoms", asks=True)


def answer_check(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply] | None:
    """The answer to the safety question waiting, read as that answer: a "no" escalates to
    the question's emergency; a "yes" reassures; anything else lets the question go."""
    name = state.memory.check
    if name is None:
        return None
    state = replace(state, memory=replace(state.memory, check=None))
    answers = heard.cues.answers
    if f"{name}_no" in answers or (
        heard.answer in ("no", "unsure") and f"{name}_yes" not in answers
    ):
        reason = safety_wording.check_field(name, "if_no")
        found = Triage(level="emergency", reason=reason, reasons=(reason,))
        return enter(state, heard, found, context)
    if f"{name}_yes" in answers or heard.answer == "yes":
        whom = _whom(state.memory.mode.who if state.memory.mode else state.notes.who)
        text = safety_wording.check_reassured(name, context.emergency_number, whom)
        level = state.memory.mode.level if state.memory.mode else "report_symptoms"
        return state, Reply(text, level)
    return None


def in_mode(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply | None]:
    """A turn read in the light of the mode under way: the state, and the reply, or None
    when the turn is to be answered as usual (the state may have left the mode)."""
    mode = state.memory.mode
    cues = heard.cues.safety
    if mode is None or (heard.intent in PASS_THROUGH and not (heard.intent == "help" and cues)):
        return state, None
    if "moved_on" in cues:
        state = _leave(state)
        if heard.section or heard.intent == "not_covered":
            return state, None
        return state, Reply(_say(mode, "moved_on", context) or "", "thanks")
    if mode.level == "crisis" and "hopeless" in cues:
        return state, Reply(_say(mode, "hopeless", context) or "", "crisis")
    for cue in cues:
        text = _cue_text(mode, cue, context)
        if text:
            return state, Reply(text, mode.level)
    if mode.level == "urgent":
        if heard.intent in ("unknown", "out_of_scope", "report_symptoms") and is_statement(heard):
            return state, Reply(_say(mode, "report", context) or "", mode.level)
        return state, None
    if heard.cues.diagnosis:
        return state, Reply(_say(mode, "serious", context) or "", mode.level)
    if heard.intent in ("thanks", "yes", "no", "greeting"):
        key = "thanks" if heard.intent == "thanks" else "ok"
        return state, Reply(_say(mode, key, context) or "", mode.level)
    told = heard.symptoms or heard.other_signs or heard.intent in ("unknown", "out_of_scope")
    if mode.level == "emergency" and told and is_statement(heard):
        return state, Reply(_say(mode, "report", context) or "", mode.level)
    followup = state.followup
    if mode.level == "crisis" and followup and followup.asking and answers_followup(heard):
        state, reply = followup_answer(state, followup, heard, context)  # the signs go on
        reminder = _say(mode, "reminder", context) or ""
        return state, replace(reply, text=f"{reminder} {reply.text}")
    if mode.redirected:
        return _leave(state), None
    memory = replace(state.memory, mode=replace(mode, redirected=True))
    return replace(state, memory=memory), Reply(_say(mode, "question", context) or "", mode.level)


def _cue_text(mode: SafetyMode, cue: str, context: DialogueContext) -> str | None:
    if cue == "meanwhile" and mode.level == "crisis":
        return _say(mode, "self" if mode.who == "self" else "helping", context)
    if cue in ("worse", "number", "wait", "meanwhile", "serious"):
        return _say(mode, cue, context)
    return None


def _say(mode: SafetyMode, key: str, context: DialogueContext) -> str | None:
    return safety_wording.in_mode(
        mode.level, key, context.emergency_number, context.crisis_line, mode.reason
    )


def _leave(state: DialogueState) -> DialogueState:
    return replace(state, memory=replace(state.memory, mode=None, check=None))


def _whom(who: str | None) -> str:
    """How the person is named in a question: "you", "your son", "he", "the person"."""
    if who == "self":
        return "you"
    if who in ("he", "she"):
        return who
    return f"your {who}" if who else "the person"
