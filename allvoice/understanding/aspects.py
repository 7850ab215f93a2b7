"""Which aspect of the disease a question asks about: ``match_aspect(words, cues)``. Pure.

The aspects and their cues are data (``allvoice/data/aspects.toml``, loaded by
``catalogue.py``). Each cue found in the question adds its weight to its aspect: a
meaningful word weighs 1, a weak word ("how", "the") 0.3, and a cue of several
meaningful words a little more than its words. A cue inside a longer cue of the same
aspect that was found too is not counted twice; a cue inside one of its aspect's
``unless`` phrases is not counted at all ("she was diagnosed with it" does not ask how
it is diagnosed). The aspect with the most weight wins, if it has enough; a *backdrop*
aspect ("during chemo", "what does ... mean") only when no other aspect is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from allvoice.content.catalogue import CATALOGUE_NAME, Catalogue
from allvoice.content.pack import Pack
from allvoice.errors import DataError
from allvoice.understanding.language import AGE_MARK, Words, stem
from allvoice.understanding.wordsets import SETS

MIN_SCORE = 1.0
"""Below this, no aspect is recognised: one meaningful word is enough, weak words not."""
_WEAK, _EXTRA_WORD = 0.3, 0.2
_MAX_GAP = 1


@dataclass(frozen=True)
class AspectCue:
    """One cue of the catalogue, compiled."""

    aspect: str
    """The aspect it points at."""
    stems: Words
    """The cue's words, normalised and stemmed."""
    weight: float
    """Evidence it carries: its words' weights, a little more for each extra word."""


@dataclass(frozen=True)
class AspectCues:
    """The compiled catalogue: what ``match_aspect`` scores against."""

    cues: tuple[AspectCue, ...]
    """Every cue of every aspect."""
    by_first_stem: dict[str, tuple[AspectCue, ...]]
    """The cues by the stem of their first word, so that only those that may match are tried."""
    unless: tuple[tuple[str, Words], ...]
    """Aspect id and the stems of a phrase in which its cues do not count."""
    backdrops: frozenset[str]
    """The aspects that win only when no other aspect is found."""
    of_treatment: frozenset[str]
    """The aspects whose signs treatment brings (``Aspect.of_treatment``)."""
    strong_stems: frozenset[str]
    """The stems of the cues' meaningful words ("treatment", not "the")."""
    other_conditions: tuple[Words, ...]
    """Stems of conditions that are no pack's own (the catalogue's list)."""
    confusables: tuple[Words, ...]
    """Stems of conditions easily confused with the pack's own (the pack's list)."""
    own_names: frozenset[str]
    """Stems of the words of the pack's condition's names ("leukemia", "all")."""


@dataclass(frozen=True)
class AspectMatch:
    """The aspect a question asks about."""

    aspect: str
    """Aspect id."""
    score: float
    """The weight of its cues found in the question."""
    covered: bool
    """True when the pack answers this aspect."""


def compile_cues(catalogue: Catalogue, pack: Pack, normalise: Callable[[str], Words]) -> AspectCues:
    """Normalise and weigh every cue once; ``normalise`` is the understanding's own."""
    cues: dict[tuple[str, Words], AspectCue] = {}
    for aspect in catalogue.aspects:
        for text in aspect.cues:
            words = _whose_once(normalise(text))
            strong = sum(1 for word in words if word not in catalogue.weak_words)
            weight = strong + _WEAK * (len(words) - strong) + _EXTRA_WORD * max(0, strong - 1)
            if words:
                key = (aspect.id, _stemmed(words))
                cues[key] = AspectCue(aspect.id, key[1], weight)
    unless: list[tuple[str, Words]] = []
    for aspect in catalogue.aspects:
        for text in aspect.unless:
            phrase = _stemmed(_whose_once(normalise(text)))
            if (aspect.id, phrase) in cues:  # "just diagnosed" is "diagnosed": no cue counts
                problem = f"aspect {aspect.id}: unless {text!r} leaves only a cue of its own"
                raise DataError(CATALOGUE_NAME, None, problem)
            unless.append((aspect.id, phrase))
    by_first: dict[str, list[AspectCue]] = {}
    for cue in cues.values():
        by_first.setdefault(cue.stems[0], []).append(cue)
    return AspectCues(
        cues=tuple(cues.values()),
        by_first_stem={first: tuple(group) for first, group in by_first.items()},
        unless=tuple(unless),
        backdrops=frozenset(aspect.id for aspect in catalogue.aspects if aspect.backdrop),
        of_treatment=frozenset(a.id for a in catalogue.aspects if a.of_treatment),
        strong_stems=frozenset(
            stem(word)
            for aspect in catalogue.aspects
            for text in aspect.cues
            for word in normalise(text)
            if word not in catalogue.weak_words
        ),
        other_conditions=tuple(_stemmed(normalise(text)) for text in catalogue.other_conditions),
        confusables=tuple(_stemmed(normalise(text)) for text in pack.other_conditions),
        own_names=frozenset(_stemmed(normalise(f"{pack.name} {pack.short_name}"))),
    )


def match_aspect(
    words: Words, cues: AspectCues, pack: Pack, signs: frozenset[int] = frozenset()
) -> AspectMatch | None:
    """The aspect ``words`` (normalised) ask about, or None when no aspect is clear.
    ``signs``: the positions of the words of the signs said, which do not ask of an
    aspect ("she is tired and not eating" tells a sign, it does not ask about food),
    unless treatment brings its signs ("will chemo make her hair fall out")."""
    kept = _whose_once_at(words)
    stems = _stemmed(tuple(words[index] for index in kept))
    told = frozenset(at for at, index in enumerate(kept) if index in signs)
    found: dict[str, list[tuple[frozenset[int], float]]] = {}
    firsts = dict.fromkeys(stems)  # in the order of the question: the same result every run
    candidates = (cue for first in firsts for cue in cues.by_first_stem.get(first, ()))
    for cue in candidates:
        sign = told if cue.aspect not in cues.of_treatment else frozenset()
        where = next(
            (
                at
                for at in _all_positions(stems, cue.stems)
                if not _excused(cue.aspect, at, stems, cues) and not at <= sign
            ),
            None,
        )  # "i was diagnosed, how is it diagnosed": the second is asked
        if where is not None:
            found.setdefault(cue.aspect, []).append((where, cue.weight))
    scores = {aspect: _score(hits) for aspect, hits in found.items()}
    foreground = {a: s for a, s in scores.items() if a not in cues.backdrops and s >= MIN_SCORE}
    scores = foreground or scores
    if not scores:
        return None
    # on a tie, the aspect the pack does not cover: the question asks something it cannot
    # answer ("the prognosis in numbers"); then the one named first
    best = max(scores, key=lambda aspect: (scores[aspect], pack.answer_to(aspect) is None))
    if scores[best] < MIN_SCORE:
        return None
    return AspectMatch(best, scores[best], pack.answer_to(best) is not None)


_ASKING_FIRST = frozenset("will can could would does do should".split())
_ASKING_AFTER = _ASKING_FIRST | frozenset("what how which why".split())


def asks_beside(
    words: Words, signs: dict[str, int], aspect: AspectMatch | None, cues: AspectCues
) -> bool:
    """A question that names a sign about an aspect the pack does not cover, or one whose
    signs treatment brings: it opens with "will", "can", "does"... ("will my son lose his
    hair") or asks after the sign ("he has no appetite, what can he eat"); not a report
    ("is it normal that he has a fever"). The question may open after an age said ("im
    45, will i lose my hair", "my son is 6 will he lose his hair"): ``words`` may hold
    marks, not words, in its place."""
    if aspect is None or not signs:
        return False
    first = min(signs.values())
    just_before = words[max(0, first - _BEFORE_SIGN) : first]  # "could that hurt his bones"
    if aspect.aspect in cues.backdrops:  # "he is on chemo, could that hurt his bones later"
        return any(word in _ASKING_FIRST for word in just_before)
    if aspect.covered and aspect.aspect not in cues.of_treatment:
        return False
    after = words[first + 1 :]
    return (
        bool(openings(words) & _ASKING_FIRST)
        or any(word in _ASKING_AFTER for word in after)
        or any(word in _ASKING_FIRST for word in just_before)
    )


_BEFORE_SIGN = 3
"""Words before a sign in which "could", "will"... open a question about it, whatever the
sentence told first: of an aspect whose signs treatment brings, or of treatment itself
("he is on chemo, could that hurt his bones later")."""


def openings(words: Words) -> frozenset[str]:
    """The words a question may open with: its first, and the first after an age said,
    which ``words`` may hold marked (not a word) in its place: "im 45, will i lose my
    hair", "my son is 6 will he lose his hair"."""
    marks = [index for index, word in enumerate(words) if word == AGE_MARK]
    first = next((word for word in words if word != AGE_MARK), "")
    after = words[marks[-1] + 1 : marks[-1] + 2] if marks else ()
    return frozenset((first, *after))


def names_other_condition(words: Words, cues: AspectCues) -> bool:
    """True when ``words`` ask about a condition that is not the pack's ("how is asthma
    treated"): one easily confused with it, or another one when the pack's is not named
    ("I had radiation for breast cancer, am I at risk of A L L" is about the pack's)."""
    stems = _stemmed(words)
    if any(_positions(stems, condition) is not None for condition in cues.confusables):
        return True
    if cues.own_names & set(stems):
        return False
    return any(_positions(stems, condition) is not None for condition in cues.other_conditions)


def fact_for(section: str, fact: str | None, aspect: AspectMatch | None, pack: Pack) -> str | None:
    """The fact to read from ``section``: ``fact``, the section scoring's; or, when it found
    none, the fact that the pack says answers the aspect asked about, if in this section."""
    answers = pack.answers_to(aspect.aspect) if aspect else ()
    answer = next((answer for answer in answers if answer.section == section), None)
    if fact is None and answer:
        return answer.fact
    return fact


def answered_topic(
    section: str, fact: str | None, aspect: AspectMatch | None, pack: Pack
) -> str | None:
    """The topic of an answer read from ``section``: the aspect asked about when the pack
    answers it there; else the aspect that the fact (or else the section) answers."""
    answers = pack.answers_to(aspect.aspect) if aspect else ()
    if aspect and any(answer.section == section for answer in answers):
        return aspect.aspect
    for mapped in pack.aspects:
        if mapped.section == section and fact is not None and mapped.fact == fact:
            return mapped.aspect
    return next((a.aspect for a in pack.aspects if a.section == section and not a.fact), None)


_RELATIONS = SETS.child_relations | SETS.adult_relations | SETS.other_relations
_RELATED = _RELATIONS | frozenset(word + "s" for word in _RELATIONS)
"""Relations, also with the apostrophe lost ("my sons chances")."""


def _whose_once_at(words: Words) -> list[int]:
    """The positions of the words ``_whose_once`` keeps."""
    return [
        index for index, word in enumerate(words)
        if not (index and word in _RELATED and words[index - 1] in SETS.possessives)
    ]  # fmt: skip


def _whose_once(words: Words) -> Words:
    """``words`` with a relation after a possessive left out, so that "my son's" is one
    word between a cue's words, as "his" is: "what affects my sons chances" has the cue
    "affects chances" as "what affects his chances" has. Cues are read the same way
    ("will my son live")."""
    return tuple(words[index] for index in _whose_once_at(words))


def _stemmed(words: Words) -> Words:
    return tuple(stem(word) for word in words)


def _score(hits: list[tuple[frozenset[int], float]]) -> float:
    """Sum of the cues found, leaving out a cue that lies inside a longer one found."""
    return sum(
        weight for where, weight in hits
        if not any(where < other for other, _ in hits)
    )  # fmt: skip


def _excused(aspect: str, where: frozenset[int], stems: Words, cues: AspectCues) -> bool:
    """The cue lies inside one of its aspect's ``unless`` phrases."""
    for owner, phrase in cues.unless:
        span = _positions(stems, phrase, max_gap=0) if owner == aspect else None
        if span is not None and where & span:
            return True
    return False


def _positions(stems: Words, phrase: Words, max_gap: int = _MAX_GAP) -> frozenset[int] | None:
    """The positions of ``phrase``'s words in ``stems``, in order, with small gaps: the
    first place it is found."""
    return next(_all_positions(stems, phrase, max_gap), None)


def _all_positions(
    stems: Words, phrase: Words, max_gap: int = _MAX_GAP
) -> Iterator[frozenset[int]]:
    """Each place ``phrase``'s words are found in ``stems`` (``_positions``)."""
    for start, word in enumerate(stems):
        if word != phrase[0]:
            continue
        taken = [start]
        for part in phrase[1:]:
            window = range(taken[-1] + 1, min(taken[-1] + 2 + max_gap, len(stems)))
            step = next((i for i in window if stems[i] == part), None)
            if step is None:
                break
            taken.append(step)
        else:
            yield frozenset(taken)
