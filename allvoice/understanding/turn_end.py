"""Is what was said so far a finished thought? The words' part of ending a spoken turn. Pure.

Voice mode decodes at each pause in the speech (``speech.asr.streaming``) and asks
``verdict`` of the transcript: a finished question, answer or command ("what causes it",
"about two weeks", "yes") ends the turn after a short pause; a report that reads as
finished ("my knee feels weak") is given time, since people describing how they feel
often go on after a pause ("... and it gave way on the stairs"); a sentence plainly not
finished ("i can hardly", "my son has", "and the", "it started when") waits longer still;
nothing heard decides nothing (the user's pause). How long each wait is belongs
to the audio side (``speech.audio.endpointer``); the words are ``data/turns.toml``.

``clearly_said`` guards the other way: a lone yes or no decides a question that was
asked, so one heard in a tail of breath or a click ("no no no no", or a "no" the
recognizer was unsure of) is not taken as an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import groupby

from allvoice.data import TURNS, read_table, require
from allvoice.errors import DataError


class Verdict(Enum):
    """What the words say about the end of the turn."""

    FINISHED = "finished"
    """A question, an answer or a command: answer once a short pause confirms it."""
    REPORT = "report"
    """A report finished as it stands, that people often go on with: give it time."""
    UNFINISHED = "unfinished"
    """Plainly not finished: wait longer for the rest."""
    OPEN = "open"
    """The words decide nothing (nothing heard): wait the user's pause."""


FINISHED, REPORT, UNFINISHED, OPEN = (
    Verdict.FINISHED, Verdict.REPORT, Verdict.UNFINISHED, Verdict.OPEN,
)  # fmt: skip

MAX_CLAUSE_WORDS = 6
"""A sentence of at most this many words that opens with a clause ("when i ...", "if my
...") is taken as the clause alone, waiting for its main clause; a longer one may hold
both ("when i move my shoulder pain shoots down my arm")."""
SHORT_ANSWER_WORDS = 3
"""A sentence of at most this many words, not plainly unfinished, is an answer or a
command ("about two weeks", "say that again"), finished, unless it opens like a report
("my entire body", "there are lots"): then it is a report."""

MIN_ANSWER_CONFIDENCE = 0.5
"""A lone yes or no heard with less confidence (Whisper: average log-probability under
-0.69 per token) is not taken as an answer."""
MAX_ANSWER_REPEATS = 2
"""A lone yes or no said more times in a row than this ("no no no no") is the recognizer
filling a tail of breath, not an answer."""

_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class TurnWords:
    """The sets of ``data/turns.toml``; the comments there say what each is for."""

    unfinished_endings: tuple[tuple[str, ...], ...]
    stranded_prepositions: frozenset[str]
    question_openers: frozenset[str]
    question_starts: frozenset[str]
    report_starts: frozenset[str]
    particles: frozenset[str]
    clause_openers: frozenset[str]
    clause_subjects: frozenset[str]
    question_finishers: tuple[tuple[str, ...], ...]
    short_answers: frozenset[tuple[str, ...]]
    answer_pronouns: frozenset[str]
    short_answer_openers: tuple[tuple[str, ...], ...]
    answering_auxiliaries: frozenset[str]
    answer_words: frozenset[str]


_SETS = (
    "unfinished_endings", "stranded_prepositions", "question_openers", "question_starts",
    "report_starts", "particles", "clause_openers", "clause_subjects", "question_finishers",
    "short_answers",
    "answer_pronouns", "short_answer_openers", "answering_auxiliaries", "answer_words",
)  # fmt: skip


@lru_cache(maxsize=1)
def turn_words() -> TurnWords:
    """The shipped table, read once; ``DataError`` naming the file when it is unusable."""
    table = read_table(TURNS)
    sets: dict[str, list[str]] = {}
    for name in _SETS:
        value = require(table, name, TURNS)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise DataError(str(TURNS), None, f"{name} must be a list of words")
        sets[name] = [w.lower() for w in value]

    def phrases(name: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(phrase.split()) for phrase in sets[name])

    return TurnWords(
        unfinished_endings=phrases("unfinished_endings"),
        stranded_prepositions=frozenset(sets["stranded_prepositions"]),
        question_openers=frozenset(sets["question_openers"]),
        question_starts=frozenset(sets["question_starts"]),
        report_starts=frozenset(sets["report_starts"]),
        particles=frozenset(sets["particles"]),
        clause_openers=frozenset(sets["clause_openers"]),
        clause_subjects=frozenset(sets["clause_subjects"]),
        question_finishers=phrases("question_finishers"),
        short_answers=frozenset(phrases("short_answers")),
        answer_pronouns=frozenset(sets["answer_pronouns"]),
        short_answer_openers=phrases("short_answer_openers"),
        answering_auxiliaries=frozenset(sets["answering_auxiliaries"]),
        answer_words=frozenset(sets["answer_words"]),
    )


def words_of(text: str) -> tuple[str, ...]:
    """The transcript's words, lower case, punctuation dropped, apostrophes kept."""
    return tuple(word.strip("'") for word in _WORD.findall(text.lower().replace("\u2019", "'")))


def verdict(text: str) -> Verdict:
    """Whether ``text`` (a transcript so far) is a finished thought; see the module doc."""
    words = tuple(word for word in words_of(text) if word)
    if not words:
        return OPEN
    table = turn_words()
    if all(word in table.answer_words for word in words):
        return FINISHED  # "yes", "no", "okay": a lone answer
    if _unfinished(words, table):
        return UNFINISHED
    if words[0] in table.question_starts and not _opens_a_clause(
        words, table
    ):  # "when i ..." is no question
        return FINISHED
    if len(words) > SHORT_ANSWER_WORDS:
        return REPORT
    answer = words[0] not in table.report_starts or words in table.short_answers
    return FINISHED if answer else REPORT


def _unfinished(words: tuple[str, ...], table: TurnWords) -> bool:
    if _only_a_clause(words, table):
        return True
    if not any(_ends_with(words, ending) for ending in table.unfinished_endings):
        return False
    if words[-1] in table.stranded_prepositions and words[0] in table.question_openers:
        return False  # "what is it caused by"
    asks = words[0] in table.question_starts and not _opens_a_clause(words, table)
    finisher = any(_ends_with(words, phrase) for phrase in table.question_finishers)
    if asks and len(words) >= 3 and finisher:
        return False  # "what can you do", "could you repeat that"
    if words[-1] in table.particles and len(words) <= SHORT_ANSWER_WORDS:
        return False  # "carry on", "come in"
    # "yes it is", "no i don't", "i do"
    return not (len(words) >= 2 and words[-2] in table.answer_pronouns and _answers(words, table))


def ends_turn(text: str, sure: bool = True) -> Verdict:
    """The verdict voice mode acts on: ``verdict``, except that a question the recognizer
    was not ``sure`` of is not ended early (OPEN: the user's pause), since its words may
    be wrong; a doubted fragment still waits for the rest (a cut word is often doubted)."""
    said = verdict(text)
    return OPEN if said is FINISHED and not sure else said


def _only_a_clause(words: tuple[str, ...], table: TurnWords) -> bool:
    """A short sentence that is only a subordinate clause ("when i move my shoulder")."""
    return len(words) <= MAX_CLAUSE_WORDS and _opens_a_clause(words, table)


def _opens_a_clause(words: tuple[str, ...], table: TurnWords) -> bool:
    return len(words) > 1 and words[0] in table.clause_openers and words[1] in table.clause_subjects


def _answers(words: tuple[str, ...], table: TurnWords) -> bool:
    """A pronoun and an auxiliary that end a short answer."""
    opened = any(words[: len(opener)] == opener for opener in table.short_answer_openers)
    if opened and len(words) <= 5:
        return True
    return len(words) == 2 and words[-1] in table.answering_auxiliaries


def _ends_with(words: tuple[str, ...], ending: tuple[str, ...]) -> bool:
    return len(words) >= len(ending) and words[-len(ending) :] == ending


def clearly_said(text: str, confidence: float) -> bool:
    """False for a lone yes or no that was not clearly said: heard with little confidence,
    or repeated like a recognizer filling a tail of breath. Anything else is True (this
    judges only a lone answer)."""
    words = words_of(text)
    table = turn_words()
    if not words or not all(word in table.answer_words for word in words):
        return True
    longest = max(len(list(group)) for _, group in groupby(words))
    return confidence >= MIN_ANSWER_CONFIDENCE and longest <= MAX_ANSWER_REPEATS
