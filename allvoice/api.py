"""allvoice without the command line: an ``Assistant`` that answers, a ``Chat`` that remembers.

::

    from allvoice import Assistant

    assistant = Assistant()                      # the shipped ALL pack, or Assistant("my/pack")
    print(assistant.ask("what causes leukemia").reply)
    chat = assistant.chat()                      # one conversation, like allvoice --text
    print(chat.say("my son has a fever").reply)  # asks how long
    print(chat.say("about three weeks").reply)

``ask`` is ``allvoice ask``: each question in a fresh conversation. ``Chat.say`` is one line
of text mode. Both return an ``Answer``, the fields of ``--json``.

Nothing here reads the settings file, writes a file or touches a device: the speech
settings start at their defaults, and "save the summary" is answered with how to hear it
instead ("Say summary, and I will read it to you.").

The result is called ``Answer`` (not ``Reply``) because ``allvoice.conversation.state.Reply``
is already the dialogue's own reply, with other fields; ``Chat`` is not ``Conversation`` for
the same reason (``allvoice.conversation.session.Conversation`` is what it drives).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allvoice.content.library import load_content
from allvoice.content.pack import DEFAULT_CONTENT, Pack
from allvoice.conversation.session import Conversation, Turn
from allvoice.understanding import Model, build_model


@dataclass(frozen=True)
class Answer:
    """What allvoice made of one input and what it replied: the fields of ``--json``."""

    heard: str
    """The text as understood (lower case, repaired)."""
    intent: str
    """What was asked: a section id, ``report_symptoms``, a triage level (``emergency``,
    ``urgent``, ``crisis``), a control (``repeat``, ``slower``, ``goodbye``, ...),
    ``not_covered``, ``out_of_scope`` or ``unknown``; the README lists them all."""
    topic: str | None
    """The aspect of the condition asked about (``allvoice/data/aspects.toml``); None when
    none."""
    section: str | None
    """The content pack's section the reply reads from; None when none."""
    symptoms: tuple[str, ...]
    """The pack's symptom ids mentioned ("fever", "bone_pain")."""
    other_signs: tuple[str, ...]
    """Everyday signs mentioned that are not the pack's symptoms (``data/signs.toml`` ids)."""
    reply: str
    """Exactly what allvoice says."""
    asks: bool
    """True when the reply waits for an answer (a follow-up question)."""
    rate: int
    """Speech rate in words per minute, after this input ("slower" changes it)."""
    volume: float
    """Speech volume, 0.0 to 1.0, after this input."""
    end: bool
    """True when the conversation is over (after goodbye)."""

    @classmethod
    def of(cls, turn: Turn) -> Answer:
        """The answer of one conversation turn, read from its ``--json`` object."""
        fields = turn.as_json()
        fields["symptoms"] = tuple(fields["symptoms"])
        fields["other_signs"] = tuple(fields["other_signs"])
        return cls(**fields)

    def as_json(self) -> dict[str, Any]:
        """The object ``--json`` prints for the same input (lists for the tuples)."""
        return {
            "heard": self.heard,
            "intent": self.intent,
            "topic": self.topic,
            "section": self.section,
            "symptoms": list(self.symptoms),
            "other_signs": list(self.other_signs),
            "reply": self.reply,
            "asks": self.asks,
            "rate": self.rate,
            "volume": self.volume,
            "end": self.end,
        }


class Chat:
    """One conversation: each ``say`` is a turn, and what was said before counts (a
    follow-up question, "tell me more", "say that again"). Made by ``Assistant.chat``."""

    def __init__(self, conversation: Conversation) -> None:
        self._conversation = conversation

    def say(self, text: str) -> Answer:
        """Take one turn with ``text``, as a line typed in text mode."""
        return Answer.of(self._conversation.turn(text))

    @property
    def ended(self) -> bool:
        """True after goodbye; text mode reads no further line."""
        return self._conversation.ended


class Assistant:
    """allvoice over one content pack, loaded once; answers questions and starts chats.

    ``content``: a content pack folder; the shipped ALL pack when None. A malformed pack
    raises ``ContentError`` naming the file, the line and the problem.
    ``emergency_number``, ``crisis_line``: said in an emergency or a crisis instead of the
    default wording, as the settings of the same names."""

    def __init__(
        self,
        content: Path | str | None = None,
        *,
        emergency_number: str = "",
        crisis_line: str = "",
    ) -> None:
        self.pack: Pack = load_content(DEFAULT_CONTENT if content is None else content)
        """The content pack."""
        self._model: Model = build_model(self.pack)
        self._emergency_number = emergency_number
        self._crisis_line = crisis_line

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in a fresh conversation, as ``allvoice ask`` does."""
        return self.chat().say(question)

    def chat(self) -> Chat:
        """A new conversation that keeps what was said between turns."""
        return Chat(
            Conversation(
                self.pack,
                self._model,
                emergency_number=self._emergency_number,
                crisis_line=self._crisis_line,
            )
        )
