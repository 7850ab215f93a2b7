"""Which fact of the other packs answers a question: ``best_facts(words, model)``. Pure.

The packs after the first (the National Cancer Institute's summaries) hold many short
facts on many close topics: which test, which phase, which drug. Once a question is known
to be theirs, each of their facts is scored against it like a document (Okapi BM25, on
crude stems: the fact's text, its keywords, its example questions and the words it
explains, and its section's title and keywords), and the best one answers: one thing at
a time, "more" for the rest of its section.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from allvoice.content.pack import Pack
from allvoice.understanding.language import Language, Words, normalize, stem

K1 = 1.2
"""How fast a word's weight saturates as it repeats in a fact (BM25's k1)."""
B = 0.75
"""How much a long fact is discounted (BM25's b)."""


@dataclass(frozen=True)
class FactIndex:
    """The facts of the packs after the first, ready to be scored."""

    facts: tuple[tuple[str, str, Counter[str]], ...]
    """Section, fact, and how often each stem occurs in the fact's words."""
    lengths: tuple[int, ...]
    """Number of stems of each fact."""
    rarity: dict[str, float]
    """BM25's inverse document frequency of each stem."""
    average: float
    """Average number of stems of a fact."""


def build_index(
    pack: Pack,
    language: Language,
    ignored: frozenset[str],
    first: bool = False,
    around: bool = True,
) -> FactIndex:
    """The index of the facts of every pack but the first of ``pack``; with ``first``, of
    every pack's, the first pack's facts with their section's example questions too (its
    facts have few of their own); without ``around``, of each fact's own words alone, not
    its section's title and keywords."""
    facts = []
    for section in pack.sections:
        of_first = section.pack in ("", pack.id)
        if of_first and not first:
            continue
        shared = (section.title, *section.keywords, *(section.questions if of_first else ()))
        for fact in section.facts:
            texts = (fact.text, *fact.keywords, *fact.questions, *fact.defines)
            texts += shared if around else ()
            stems = [
                stem(word)
                for text in texts
                for word in normalize(text, language)
                if word not in ignored
            ]
            facts.append((section.id, fact.id, Counter(stems)))
    count = len(facts)
    used = Counter(word for _, _, stems in facts for word in stems)
    rarity = {w: math.log(1 + (count - n + 0.5) / (n + 0.5)) for w, n in used.items()}
    lengths = tuple(sum(stems.values()) for _, _, stems in facts)
    return FactIndex(tuple(facts), lengths, rarity, sum(lengths) / max(1, count))


def best_facts(
    words: Words,
    index: FactIndex,
    ignored: frozenset[str],
    sections: frozenset[str] | None = None,
    favoured: frozenset[str] = frozenset(),
    bonus: float = 1.0,
) -> list[tuple[float, str, str]]:
    """The facts of ``sections`` (all when None) by score against ``words``, best first:
    (score, section, fact), only those that share a word with the question; the score of
    a fact of the ``favoured`` sections is multiplied by ``bonus``."""
    asked = {stem(word) for word in words if word not in ignored} & index.rarity.keys()
    asked -= {stem(word) for word in ignored}  # "childrens" says for whom, as "children"
    scored = []
    for (section, fact, stems), length in zip(index.facts, index.lengths, strict=True):
        if sections is not None and section not in sections:
            continue
        score = 0.0
        for word in asked & stems.keys():
            often = stems[word]
            norm = often + K1 * (1 - B + B * length / index.average)
            score += index.rarity[word] * often * (K1 + 1) / norm
        if score > 0:
            scored.append((score * (bonus if section in favoured else 1.0), section, fact))
    return sorted(scored, reverse=True)


def shared(
    words: Words, index: FactIndex, ignored: frozenset[str], section: str, fact: str
) -> set[str]:
    """The stems of ``words`` (but ``ignored``) that the fact's words hold."""
    asked = {stem(word) for word in words if word not in ignored}
    stems = next(c for s, f, c in index.facts if (s, f) == (section, fact))
    return asked & stems.keys()
