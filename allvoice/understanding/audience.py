"""Whom a sentence is about, a child or an adult: ``audience(words, age)``. Pure.

The answer to some questions differs for children and for adults (treatment has three
phases for children and two for adults). A sentence says whom it is about by an age ("she
is 7", "I am 45"), a relation ("my son", "my husband"), the speakers telling of
themselves ("I was diagnosed", "my treatment"), or the group it asks about ("in adults",
"for kids").
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from allvoice.understanding.language import Words
from allvoice.understanding.wordsets import SETS

ADULT_YEARS = 18.0
"""From this age on, the person is spoken to as an adult."""
CHILDREN, ADULTS = "children", "adults"

ABOUT_ME = frozenset(
    tuple(pair.split())
    for pair in (
        "i am", "i have", "i had", "i was", "i feel", "i keep", "i get", "i got", "i need",
        "my chances", "will i", "can i still", "my treatment", "my diagnosis", "my doctor",
        "my oncologist", "my hematologist", "my haematologist", "my specialist",
        "my consultant", "my leukemia", "my leukaemia", "my all", "my cancer", "my outlook",
        "my prognosis", "my remission", "my relapse", "my chemo", "my bone", "my marrow",
        "my spinal", "my blood", "my own",
    )
)  # fmt: skip
"""Word pairs in which the speakers tell of themselves: of their own illness, body or care
("my leukemia", "my bone marrow"), not of another's ("my son's leukemia" names him)."""


def personal(words: Words, age: float | None) -> str | None:
    """Whether the sentence speaks of a child or an adult in particular: an age said, a
    relation ("my husband", "my son"), or the speakers telling of themselves ("I am 52",
    "I have bruises"); None when it does not say."""
    if age is not None:
        return ADULTS if age >= ADULT_YEARS else CHILDREN
    relation = named(words, SETS.adult_relations | SETS.child_relations)
    if relation is not None:
        return ADULTS if relation in SETS.adult_relations else CHILDREN
    pairs = set(pairwise(words))
    if pairs & ABOUT_ME and not set(words) & (SETS.he_pronouns | SETS.she_pronouns):
        return ADULTS
    return None


def audience(words: Words, age: float | None) -> str | None:
    """Whom the sentence is about (``personal``), or else the group it names ("how is it
    treated in adults", "for kids", "a child"); None when it does not say."""
    found = personal(words, age)
    if found is not None or set(words) & SETS.self_pronouns:
        return found  # "can I have kids after treatment" is not about children
    for word in words:
        if word in SETS.children_words:
            return CHILDREN
        if word in SETS.adults_words:
            return ADULTS
    return None


def named(words: Sequence[str], relations: frozenset[str]) -> str | None:
    """The first of ``relations`` said right after "my" or "our" ("my husband"), also as
    one who owns what follows, its apostrophe lost ("my sons leukemia")."""
    return next(
        (
            relation
            for word, after in pairwise(words)
            if word in ("my", "our")
            for relation in (after, after.removesuffix("s"))
            if relation in relations
        ),
        None,
    )
