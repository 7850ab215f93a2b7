"""One conversation: text in, understanding, dialogue step, reply out.

``Conversation`` holds the only mutable thing, the dialogue state, and drives the pure
core; text mode, voice mode and the tests all go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing, summary
from allvoice.conversation.audience import answers_asked
from allvoice.conversation.dialogue import DialogueContext, DialogueState, Reply, step
from allvoice.conversation.memory import is_statement, told_about
from allvoice.conversation.state import Notes
from allvoice.understanding.language import MAX_INPUT_CHARS, is_cut
from allvoice.understanding.model import Model, build_model
from allvoice.understanding.referring import in_context
from allvoice.understanding.results import Understanding
from allvoice.understanding.spoken import understand_heard
from allvoice.understanding.triage import LEVELS
from allvoice.understanding.understand import find_case_triage, find_triage, understand


@dataclass(frozen=True)
class Turn:
    """One exchange: what was understood and what was replied."""

    understanding: Understanding
    """The understood input."""
    reply: Reply
    """The reply."""
    state: DialogueState
    """The dialogue state after the turn."""

    @property
    def intent(self) -> str:
        """The understood intent; a safety reply (emergency, urgent, crisis, also when found
        across turns or in a safety mode) is its level; a follow-up answer, or anything else
        told about the signs, counts as part of the symptom report, a yes to the offer of a
        summary as a request for it, a topic not covered for whom the conversation is
        about as not covered, and whom said alone ("a child") as ``audience``."""
        heard, replied = self.understanding, self.reply.intent
        answer = heard.intent in ("yes", "no", "thanks", "greeting")
        if replied in ("summary", "not_covered", "audience") or (
            replied in ("diagnosis", "diagnosed", "feeling", "support", *LEVELS) and not answer
        ):
            return replied  # a safety reply however the words read; "do I have it"; a topic
            # the packs answer only for others than whom the conversation is about
        if replied == "report_symptoms" and (heard.duration or heard.trend):
            return replied  # "for ages" is not the overview, nor "more than a month" more
        if heard.intent in ("unknown", "out_of_scope") and replied != "unknown":
            return replied
        return heard.intent

    def as_json(self, **extra: Any) -> dict[str, Any]:
        """The stable JSON contract of ``--json``: one object per input."""
        return {
            "heard": self.understanding.heard,
            "intent": self.intent,
            "topic": self.understanding.topic,
            "section": self.reply.section,
            "symptoms": list(self.reply.symptoms),
            "other_signs": list(self.reply.other_signs),
            "reply": self.reply.text,
            "asks": self.reply.asks,
            "rate": self.state.rate,
            "volume": self.state.volume,
            "end": self.reply.end,
            **extra,
        }


class Conversation:
    """A conversation over one content pack; feed it text, get turns back."""

    def __init__(
        self,
        pack: Pack,
        model: Model | None = None,
        state: DialogueState | None = None,
        emergency_number: str = "",
        crisis_line: str = "",
    ) -> None:
        self.model = model or build_model(pack)
        self.context = DialogueContext(
            pack=pack, emergency_number=emergency_number, crisis_line=crisis_line
        )
        self.state = state or DialogueState()
        self.observers: list[Callable[[str, Turn], None]] = []
        """Called after every turn with the input and the turn (the opt-in transcript)."""
        self.keeper: Callable[[Notes], str] | None = None
        """Saves the summary for the doctor when the user asks ("save the summary") and
        returns the sentence that says where; None where nothing can be saved."""

    def turn(self, text: str, doubted: bool = False, spoken: bool = False) -> Turn:
        """Understand ``text``, take one dialogue step, and return the turn. ``spoken``:
        ``text`` is a recognizer's transcript; ``doubted``: the recognizer was unsure of the
        words (see ``understand.understand_heard``)."""
        if spoken or doubted:
            heard = understand_heard(text, self.model, doubted)
        else:
            heard = understand(text, self.model)
        heard = self._in_context(heard)
        if heard.triage is None and is_statement(heard):
            told = told_about(self.state.memory, heard)
            found = find_case_triage(told, tuple(heard.heard.split()), self.model)
            heard = replace(heard, case_triage=found)
        cut = is_cut(text)
        if cut and (found := find_triage(text, self.model)):
            heard = Understanding(heard=heard.heard, intent=found.level, triage=found)
        waiting = self.state.audience_asked
        self.state, reply = step(self.state, heard, self.context)
        last = self.state.last_answer
        again = last.heard if last and reply.section else None  # "an adult", after an answer
        question = waiting or again
        if question is not None and answers_asked(heard) is not None:
            # "a child" answered "a child or an adult?", or "an adult" after an answer
            # written for each: the turn is the question answered
            topic = question.topic
            heard = replace(heard, intent=reply.intent, section=reply.section, topic=topic)
        if reply.intent == "save_summary" and self.keeper and self.state.notes.symptoms:
            reply = replace(reply, text=self.keeper(self.state.notes))
            self.state = replace(self.state, last_reply=reply.text)
        if cut and heard.triage is None:
            reply = replace(reply, text=f"{phrasing.CUT_INPUT} {reply.text}")
        turn = Turn(heard, reply, self.state)
        for observer in self.observers:
            observer(text[:MAX_INPUT_CHARS], turn)
        return turn

    def _in_context(self, heard: Understanding) -> Understanding:
        """``heard``, or read where the last answer was when it points back at it ("how
        long does it take"); not while a question of the dialogue waits for its answer."""
        state = self.state
        if state.audience_asked or state.clarify or (state.followup and state.followup.asking):
            return heard
        again = in_context(heard, state.last_answer, self.model, state.memory.audience)
        return again or heard

    def summary(self) -> str:
        """The summary for the doctor as it stands, as "summary" would read it; no turn
        is taken."""
        return summary.spoken(self.state.notes)

    @property
    def ended(self) -> bool:
        """True after goodbye."""
        return self.state.ended
