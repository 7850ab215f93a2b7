"""One conversation: text in, understanding, dialogue step, reply out.

``Conversation`` holds the only mutable thing, the dialogue state, and drives the pure
core; text mode, voice mode and the tests all go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from allvoice import phrasing
from allvoice.content import Pack
from allvoice.dialogue import DialogueContext, DialogueState, Reply, step
from allvoice.language import MAX_INPUT_CHARS, is_cut
from allvoice.understand import (
    Model,
    Understanding,
    build_model,
    find_triage,
    under_doubt,
    understand,
)


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
        """The understood intent; a follow-up answer counts as part of the symptom report."""
        if self.understanding.intent == "unknown" and self.reply.intent != "unknown":
            return self.reply.intent
        return self.understanding.intent

    def as_json(self, **extra: Any) -> dict[str, Any]:
        """The stable JSON contract of ``--json``: one object per input."""
        return {
            "heard": self.understanding.heard,
            "intent": self.intent,
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

    def turn(self, text: str, doubted: bool = False) -> Turn:
        """Understand ``text``, take one dialogue step, and return the turn. ``doubted``:
        the recognizer was unsure of the words (see ``understand.under_doubt``)."""
        heard = understand(text, self.model)
        if doubted:
            heard = under_doubt(heard)
        cut = is_cut(text)
        if cut and (found := find_triage(text, self.model)):
            heard = Understanding(heard=heard.heard, intent=found.level, triage=found)
        self.state, reply = step(self.state, heard, self.context)
        if cut and heard.triage is None:
            reply = replace(reply, text=f"{phrasing.CUT_INPUT} {reply.text}")
        turn = Turn(heard, reply, self.state)
        for observer in self.observers:
            observer(text[:MAX_INPUT_CHARS], turn)
        return turn

    @property
    def ended(self) -> bool:
        """True after goodbye."""
        return self.state.ended
