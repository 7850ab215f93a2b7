"""What understanding gives back: ``Understanding`` (and its ``Duration``). Plain data.

``understand`` and ``understand_heard`` return an ``Understanding``, which the dialogue
step (``conversation``) acts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allvoice.understanding.cues import Cues
from allvoice.understanding.triage import Triage


@dataclass(frozen=True)
class Placement:
    """Where the answer is for one audience, when it depends on whom it is for."""

    audience: str
    """``children`` or ``adults``."""
    section: str
    """The section that answers for that audience."""
    fact: str | None = None
    """The one fact that answers, if one does."""


@dataclass(frozen=True)
class Duration:
    """How long symptoms have lasted, as said."""

    text: str
    """The words that gave it ("three weeks", "since monday")."""
    days: float | None
    """Length in days when it can be worked out without a calendar; else None."""


@dataclass(frozen=True)
class Told:
    """One clause of an utterance and what it tells (``clauses.told``): a report or an
    answer is cut at commas, full stops, and "and" or "but" before a person, so that each
    duration stays with the sign and the person it was said about."""

    words: str
    """The clause, as normalised words."""
    who: str | None = None
    """Whom the clause names, as ``Understanding.who``; None when it names no one."""
    signs: tuple[str, ...] = ()
    """Sign ids mentioned in the clause: the pack's symptoms, then everyday signs."""
    sign_words: tuple[str, ...] = ()
    """The words each of ``signs`` was said in."""
    duration: Duration | None = None
    """How long, when the clause says it."""
    trend: str | None = None
    """better, worse or same, when the clause says it (not when it doubts it)."""
    temperature: str | None = None
    """A temperature with its unit as said ("38.6 degrees", "101.5 degrees Fahrenheit")."""
    age: str | None = None
    """An age as said ("7 years old")."""
    chemo: str | None = None
    """Chemotherapy in the person's words ("on chemo")."""


@dataclass(frozen=True)
class Understanding:
    """What an utterance means to the assistant."""

    heard: str
    """The utterance after normalising, as the words that were understood."""
    intent: str
    """Intent id: a section id, a control, report_symptoms, a triage level (emergency,
    urgent, crisis), not_covered, out_of_scope, unknown; or, about the list just read,
    item (one item again), more_about (more on one item) and count (how many)."""
    section: str | None = None
    """The section asked about, for section intents."""
    fact: str | None = None
    """The fact that answers the question on its own, when one does."""
    symptoms: tuple[str, ...] = ()
    """Symptom ids mentioned, in the pack's order."""
    other_signs: tuple[str, ...] = ()
    """Everyday signs mentioned that are not the pack's symptoms (data/signs.toml ids)."""
    duration: Duration | None = None
    """How long, when said."""
    trend: str | None = None
    """better, worse or same, when said."""
    answer: str | None = None
    """yes, no or unsure, when the utterance is a short answer."""
    confidence: float = 1.0
    """0.0 to 1.0: how clearly the text pointed at the intent."""
    alternatives: tuple[str, ...] = ()
    """Close second choices when the text is ambiguous, best first (includes ``intent``)."""
    triage: Triage | None = None
    """What triage found, for the emergency, urgent and crisis intents."""
    spell: str | None = None
    """The word to spell, for the spell intent."""
    unsure_of: str | None = None
    """A section that speech the recognizer doubted seemed to ask about, to be confirmed
    (``under_doubt``); the intent is then unknown."""
    topic: str | None = None
    """The aspect of the disease asked about (``allvoice/data/aspects.toml``), for a
    section or not_covered intent; None when none is clear."""
    who: str | None = None
    """Whom a report is about: a relation as named ("son" in "my son has a fever"),
    "self", or only "he" or "she"; None when not said."""
    symptom_words: tuple[str, ...] = ()
    """The words each of ``symptoms``, then each of ``other_signs``, was said in ("gums keep
    bleeding", "lost weight"), in that order."""
    cues: Cues = field(default_factory=Cues)
    """What the sentence says about the conversation: a follow-up to a safety reply, a
    feeling, "do I have it", support, breathing trouble (``cues.read_cues``)."""
    age: float | None = None
    """The age of the person talked of, in years, when said ("he is 9", "I am 52", "my
    six week old")."""
    case_triage: Triage | None = None
    """Triage over what was told in the conversation so far, this sentence included, when
    it finds something (``understand.find_case_triage``); set by the session."""
    past: bool = False
    """The sentence tells of something over ("he had chemo back in 2012"): it does not add
    up with what is said later."""
    said: str = ""
    """The input as it was given (cleaned and cut to the longest input read), for what
    normalising drops: the comma between a question and a statement ("is that bad, she is
    on treatment")."""
    told: tuple[Told, ...] = ()
    """The utterance clause by clause, for the notes the summary for the doctor is read
    from (``clauses.told``)."""
    off_topic: bool = False
    """For out_of_scope: True when the question is not about health at all (the weather, a
    recipe), so that it is told what allvoice can help with rather than sent to a doctor."""
    ordinal: int | None = None
    """For the item intent: the place of the item asked for ("the second one" is 2), -1
    for the last; None when the item is named instead (``section`` and ``fact``)."""
    of_part: bool = False
    """True when ``ordinal`` counts in the part just read ("the first of those"), not in
    the whole list."""
    adjust: tuple[str, ...] = ()
    """For the repeat intent: the rate or volume controls said with it ("say that again
    slower" is ``("slower",)``), applied before the repeat."""
    for_audience: tuple[Placement, ...] = ()
    """When the answer differs for children and for adults (``section`` is one of them):
    where it is for each; the dialogue picks by whom the conversation is about."""
    audience: str | None = None
    """Whom the question is about, when it says (``children``, ``adults``): "my son",
    "I am 45", "in adults"."""
    term: str | None = None
    """A medical word whose meaning is asked ("what does intrathecal mean"); its
    explanation does not depend on whom it is for."""

    @property
    def temperature(self) -> str | None:
        """The first temperature said, with its unit as said ("101.5 degrees Fahrenheit")."""
        return next((told.temperature for told in self.told if told.temperature), None)
