"""The dialogue's state and reply: frozen dataclasses shared by the dialogue modules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from allvoice.content.catalogue import Catalogue, load_catalogue
from allvoice.content.pack import Pack
from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.memory import Memory
from allvoice.conversation.notes import Notes as Notes  # re-exported: read by the app
from allvoice.ports import RATE_DEFAULT, VOLUME_DEFAULT
from allvoice.understanding.referring import LastAnswer
from allvoice.understanding.results import Understanding


@dataclass(frozen=True)
class DialogueContext:
    """What the dialogue needs besides its state; fixed for a conversation."""

    pack: Pack
    """The content pack."""
    emergency_number: str = ""
    """Number to call in an emergency; empty for the default wording."""
    aspects: Catalogue = field(default_factory=load_catalogue)
    """The catalogue of aspects, for the names of the topics a pack does not cover."""
    crisis_line: str = ""
    """Crisis line to call about thoughts of suicide or self-harm; empty for the default
    wording (988 in the United States, 116 123 in the UK and Ireland)."""


@dataclass(frozen=True)
class FollowUp:
    """A symptom report whose follow-up questions are under way."""

    symptoms: tuple[str, ...]
    """Symptom ids reported so far."""
    duration: str | None = None
    """How long, as the user said it."""
    days: float | None = None
    """How long in days, when it could be worked out (the least it can be, for "for ages")."""
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
    chunks: tuple[tuple[int, ...], ...] = ()
    """The chunks read so far, in order, for previous and repeat everything."""


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
    last_list: Reading | None = None
    """The last list read, kept after it ends, for "what was the second one"."""
    followup: FollowUp | None = None
    """The symptom follow-up under way, if any."""
    clarify: tuple[str, ...] = ()
    """Sections offered in a 'did you mean' question."""
    misses: int = 0
    """Utterances not understood in a row."""
    help_page: int | None = None
    """The help page just given, so that more gives the next one."""
    notes: Notes = field(default_factory=Notes)
    """What the user told about the signs, for the summary."""
    summary_offered: bool = False
    """True once the summary was offered; it is offered once a conversation."""
    offering_summary: bool = False
    """True while the offer of a summary waits for a yes or no."""
    not_covered_said: int = 0
    """How many times the content was said not to cover a question; after the first the
    reply is short."""
    ended: bool = False
    """True after goodbye."""
    memory: Memory = field(default_factory=Memory)
    """What the conversation remembers for safety and for whom it is about."""
    audience_asked: Understanding | None = None
    """A question whose answer differs for children and for adults, waiting for the
    answer to "a child or an adult?"."""
    last_source: str | None = None
    """The pack the last answer was read from: an answer from another one names its
    source."""
    last_answer: LastAnswer | None = None
    """Where the last answer was read from, for a question that points back at it ("how
    long does it take")."""


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
    other_signs: tuple[str, ...] = field(default=())
    """Everyday signs outside the pack's symptoms understood in this turn (signs.toml ids)."""


def topics(pack: Pack) -> list[str]:
    """The spoken names of what the content covers, in order (``Pack.topics``)."""
    return list(pack.topics)


def with_pending(state: DialogueState, reply: Reply) -> Reply:
    """During a symptom follow-up, end a reply by going back to the open question."""
    followup = state.followup
    if not followup or not followup.asking:
        return reply
    question = symptom_wording.open_question(followup.asking)
    return replace(reply, text=f"{reply.text} {phrasing.back_to_symptoms(question)}", asks=True)
