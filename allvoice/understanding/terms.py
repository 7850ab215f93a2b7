"""What a medical word means: ``asked_term(words, model)``. Pure.

A fact can explain medical words (``defines`` in its pack: "lumbar puncture",
"intrathecal"). "What does intrathecal mean", "what is a lumbar puncture", "explain
remission" or the word alone ask for that fact, whoever it is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from allvoice.understanding.language import AGE_MARK, Words, phrase_spans, stem
from allvoice.understanding.model import Model
from allvoice.understanding.wordsets import SETS

_ASKING = frozenset(("what", "whats", "explain", "define", "describe", "mean", "meaning", "means"))
"""Words that ask what a word means; the other words around the term must be fillers,
unless one of ``_MEANING`` is said."""
_MEANING = frozenset(("mean", "meaning", "means", "meant", "stand", "stands", "definition"))
"""Words that ask for a meaning whatever else is said around the term."""


@dataclass(frozen=True)
class Term:
    """A medical word asked about, and the facts that explain it, packs in order."""

    words: str
    """The term as the pack writes it, stemmed and joined ("lumbar punctur")."""
    where: tuple[tuple[str, str], ...]
    """Section and fact of each explanation."""


_BACK = frozenset(("that", "it", "this", "they", "these", "those"))
"""Words that point back at what was just said: "... a spinal tap, what is that"."""
_BE = frozenset(("is", "was", "are", "s", "do", "does", "did"))
"""Verbs between "what" and the word pointing back ("what is that", "what does it")."""
_TAIL = frozenset(
    ("exactly", "even", "actually", "please", "again", "now", "then", "normally", "usually")
) | {AGE_MARK}
"""Words that may close a question that points back without changing what it asks, and
the mark of an age said after it ("what is a tki, i am 50")."""


def _points_back(after: Words) -> bool:
    """``after`` (the words after a term) ends in a question that points back at it:
    "what is that", "whats that exactly", "what is it", "how does it work", "what does it
    do", said last or before an age ("what is that, im 52"); not "what does that mean for
    his prognosis" or "what is that going to show", which ask about more."""
    for index, word in enumerate(after):
        if word not in _ASKS_BACK:
            continue
        ahead = after[index + 1 : index + 3]
        pointer = next((i for i, w in enumerate(ahead) if w in _BACK), None)
        if pointer is None or (pointer == 1 and ahead[0] not in _BE):
            continue
        tail = [w for w in after[index + 2 + pointer :] if w not in _TAIL | _AGE]
        if word == "how":  # "how does it work", not "how is it treated"
            return tail in (["work"], ["works"])
        return len(tail) <= 1 and not any(w.isdigit() for w in tail)
    return False


_CLAUSE = frozenset(("he", "she", "i", "we", "they", "you", "my", "his", "her", "our", "their"))
"""Words that open a clause after "mean": what follows from the term is asked, not what
it means ("does that mean he needs more chemo", "does it mean my son will")."""


def _means_that(words: Words, term: range, told: set[str]) -> bool:
    """A "mean" is followed by a clause of its own, not by who told of the term ("what
    does remission mean, my doctor said it")."""
    for index in range(len(words) - 1):
        if index not in term and words[index] in ("mean", "means", "meant"):
            after = words[index + 1]
            return after in _CLAUSE and after not in told
    return False


def _asked_last(words: Words, term: range) -> bool:
    """The term closes the sentence in a question of its own, after what the question
    tells first: "my husband has philadelphia positive a l l, what is imatinib"."""
    after = [word for word in words[term.stop :] if word not in _TAIL]
    if after not in ([], ["mean"], ["means"]):
        return False
    before = list(words[: term.start])
    while before and before[-1] in _ARTICLES | _BE:
        before.pop()
    return bool(before) and before[-1] in _OPENING


def _asked_first(words: Words, term: range) -> bool:
    """The sentence opens by asking what the term is, then tells something in a clause
    of its own: "what is a lumbar puncture, they want to do one tomorrow"."""
    before = words[: term.start]
    opens = bool(before) and before[0] in _OPENING and set(before[1:]) <= _ARTICLES | _BE
    return opens and term.stop < len(words) and words[term.stop] in _CLAUSE


_ARTICLES = frozenset(("a", "an", "the"))
_OPENING = frozenset(("what", "whats", "explain", "define"))
"""Words that open a question of a word's meaning when the word closes the sentence."""


_ASKS_BACK = frozenset(("what", "whats", "how"))
"""Question words that open a question about what was just named."""
_AGE = frozenset(("im", "i", "am", "he", "she", "is", "years", "year", "old"))
"""Words of an age said after the question ("im 52", "she is 9 years old")."""


def _for_whom(words: Words, term: range, model: Model) -> set[str]:
    """The words around a term that say whom or which disease the question is about, not
    what it asks: "for adults", "in kids", "with a l l" ("what is immunophenotyping for
    adults with a l l"); not after "the", where the term is a topic ("what is the outlook
    for adults"), nor the disease's name right after the term, where it names a kind of
    the disease ("what is b cell a l l")."""
    whom = SETS.children_words | SETS.adults_words
    names = model.ignored - SETS.stopwords
    found: set[str] = set()
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        if index in term:
            continue
        if (
            word in whom
            or (word in _JOINS and (after in whom or after in names))
            or (word in names and (before in _JOINS or before in whom) and index - 1 not in term)
        ):
            found.add(word)
    return found


def _told_by(words: Words, term: range) -> set[str]:
    """The words around a term that say who told of it ("my sons doctor mentioned it",
    "the oncologist said"): whose and which clinician, then a verb that tells, and what
    it points back at, or, after the question, all that was said ("what is induction, my
    doctor said my son needs it"); nothing when no clinician tells."""
    found: set[str] = set()
    for index, word in enumerate(words):
        if index in term or word not in SETS.term_reports:
            continue
        before = [i for i in range(max(0, index - 3), index) if i not in term]
        if not any(words[i] in SETS.term_sources for i in before):
            continue
        start = min(i for i in before if words[i] in SETS.term_sources)
        while start - 1 >= 0 and start - 1 not in term and words[start - 1] in _WHOSE:
            start -= 1
        found |= set(words[start : index + 1])
        found |= {w for w in words[index + 1 : index + 4] if w in _BACK | _TOLD}
        if start >= term.stop:  # "what is X, my doctor said my son needs it": what was
            found |= set(words[start:])  # said after the question is where it was heard
    return found


_RELATIONS = SETS.child_relations | SETS.adult_relations
_WHOSE = (
    frozenset(("my", "his", "her", "our", "their", "the", "a", "s"))
    | _RELATIONS
    | frozenset(word + "s" for word in _RELATIONS)
)
"""Words that may say whose clinician told of a term ("my sons", "her")."""
_TOLD = frozenset(("about", "us", "me", "s"))
"""Words after the verb that tells of a term, with what points back ("told us about it")."""


_JOINS = frozenset(("for", "with", "in"))
"""Words that join the audience or the disease to a term question."""


def asked_term(words: Words, model: Model) -> Term | None:
    """The defined term whose meaning ``words`` ask for; None when they ask something else
    ("how long does induction last" asks about induction, not what the word means): the
    term with nothing around it but a word that asks ("what", "mean") and fillers ("is",
    "a", "the doctor said"). Of two terms said, the one a question of its own asks at the
    end ("my son is in remission, what does maintenance mean"); else the longer."""
    stems = tuple(stem(word) for word in words)
    asked: Words | None = None
    for term, _, _ in model.terms:
        spans = [range(start, end) for start, end in phrase_spans(stems, term)]
        if not spans:
            continue
        if any(_asked_last(words, span) for span in spans):  # "blasts in the marrow, what
            asked = term  # are blasts": the second is asked
            break
        span = spans[0]
        start = span.start
        rest = set(words[:start] + words[span.stop :]) - {AGE_MARK}
        if words[start - 1 : start] != ("the",):
            rest -= _for_whom(words, span, model)
        told = _told_by(words, span)
        rest -= told
        # "the haematologist said tki, what does it stand for"; not "he is high risk,
        # does that mean he gets more chemo", which asks what follows from it
        meaning = bool(rest & _MEANING) and not _means_that(words, span, told)
        asking = rest & _ASKING and rest <= SETS.term_fillers | _ASKING
        back = _points_back(words[span.stop :])
        if asked is None and (not rest or meaning or asking or back or _asked_first(words, span)):
            asked = term
    if asked is None:
        return None
    where = tuple((section, fact) for other, section, fact in model.terms if other == asked)
    return Term(" ".join(asked), where)
