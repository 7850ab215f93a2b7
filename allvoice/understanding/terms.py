"""What a medical word means: ``asked_term(words, model)``. Pure.

A fact can explain medical words (``defines`` in its pack: "lumbar puncture",
"intrathecal"). "What does intrathecal mean", "what is a lumbar puncture", "explain
remission" or the word alone ask for that fact, whoever it is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from allvoice.understanding.language import Words, find, stem
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


def asked_term(words: Words, model: Model) -> Term | None:
    """The defined term whose meaning ``words`` ask for; None when they ask something else
    ("how long does induction last" asks about induction, not what the word means): the
    term with nothing around it but a word that asks ("what", "mean") and fillers ("is",
    "a", "the doctor said")."""
    stems = tuple(stem(word) for word in words)
    for term, _, _ in model.terms:
        start = find(stems, term)
        if start is None:
            continue
        rest = set(words[:start] + words[start + len(term) :])
        meaning = bool(rest & _MEANING)  # "the haematologist said tki, what does it stand for"
        if rest and not meaning and not (rest & _ASKING and rest <= SETS.term_fillers | _ASKING):
            return None
        where = tuple((section, fact) for other, section, fact in model.terms if other == term)
        return Term(" ".join(term), where)
    return None
