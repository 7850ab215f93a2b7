"""What a question is about, and whether it is a question at all. Pure.

``score_sections`` weighs the pack's keyword cues and example questions into a section
(and maybe one of its facts). The predicates around it tell a report of symptoms, a
question or request, a remark that happens to hold a cue, what is out of scope, and
whether that is still about health.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise

from rapidfuzz import fuzz, process

from allvoice.understanding.aspects import AspectMatch, names_other_condition, openings
from allvoice.understanding.language import AGE_MARK, Language, Words, contains, stem
from allvoice.understanding.model import Model, content_words
from allvoice.understanding.results import Placement, Understanding
from allvoice.understanding.wordsets import RELATIONS, SETS

_SYMPTOM_SECTION = "symptoms"


def score_sections(
    words: Words,
    heard: str,
    model: Model,
    symptoms_mentioned: bool = False,
    audience: str | None = None,
) -> Understanding | None:
    """The section (and fact) the words point at, with close second choices; None when
    the evidence is too weak or the words are more out of scope than on the topic. When
    the answer differs for children and for adults, the section is the one for
    ``audience`` if it is given, and ``for_audience`` says where it is for each."""
    scores: dict[str, float] = {}
    facts: dict[str, tuple[float, str]] = {}
    stems = tuple(stem(word) for word in words)
    fact_cues: dict[str, dict[str, float]] = {}
    for cue in model.cues:
        if contains(stems, cue.words, max_gap=1 if len(cue.words) > 1 else 0):
            scores[cue.section] = scores.get(cue.section, 0.0) + cue.weight
            if cue.fact:
                per_fact = fact_cues.setdefault(cue.section, {})
                per_fact[cue.fact] = per_fact.get(cue.fact, 0.0) + cue.weight
    for section, per_fact in fact_cues.items():
        ranked_facts = sorted(per_fact.items(), key=lambda item: item[1], reverse=True)
        if len(ranked_facts) == 1 or (
            ranked_facts and ranked_facts[0][1] > ranked_facts[1][1] + 0.2
        ):
            facts[section] = (ranked_facts[0][1], ranked_facts[0][0])
    content = content_words(words, model.ignored)
    for best_example in _best_examples(content, model):
        section, example_fact = model.example_targets[best_example[2]]
        bonus = (best_example[1] - 60) / 10.0
        scores[section] = scores.get(section, 0.0) + bonus
        if example_fact and best_example[1] >= 80:
            facts[section] = (99.0, example_fact)
    if symptoms_mentioned:
        scores[_SYMPTOM_SECTION] = scores.get(_SYMPTOM_SECTION, 0.0) + 1.5
    ranked = _first_pack_first(_by_group(scores, model, audience), model)
    top_section, top_score = ranked[0] if ranked else ("", 0.0)
    if top_score < 0.9:
        if not content and set(words) & model.ignored - SETS.stopwords:
            first = model.pack.sections[0].id
            return Understanding(heard=heard, intent=first, section=first, confidence=0.6)
        return None
    strength = _out_of_scope_strength(words, model.language)
    if strength and top_score < 2.0 + strength:
        return None
    family = model.families.get(top_section)
    close = tuple(
        s for s, score in ranked[:2]
        if score >= top_score * 0.85 and top_score < 3.0 and model.families.get(s) == family
    )  # fmt: skip
    fact = facts.get(top_section, (0.0, None))[1] or fact_by_words(words, top_section, model)
    return Understanding(
        heard=heard,
        intent=top_section,
        section=top_section,
        fact=fact,
        confidence=min(1.0, top_score / 3.0),
        alternatives=close if len(close) > 1 else (),
        for_audience=_placements(top_section, fact, facts, words, model),
    )


def _best_examples(content: str, model: Model) -> list[tuple[str, float, int]]:
    """The example question closest to ``content`` (at least 60 alike); and, when that is
    another pack's, the first pack's closest too: each family's best counts."""
    best = process.extractOne(content, model.examples, scorer=fuzz.token_sort_ratio)
    if not best or best[1] < 60:
        return []
    if model.families.get(model.example_targets[best[2]][0]) == "first":
        return [best]
    first = _best_of_first(content, model)
    return [best, first] if first else [best]


def _best_of_first(content: str, model: Model) -> tuple[str, float, int] | None:
    indices = model.first_examples
    found = process.extractOne(
        content, [model.examples[i] for i in indices], scorer=fuzz.token_sort_ratio
    )
    if not found or found[1] < 60:
        return None
    return (found[0], found[1], indices[found[2]])


def _by_group(
    scores: dict[str, float], model: Model, audience: str | None
) -> list[tuple[str, float]]:
    """The sections by score, best first, one for each group: sections that answer the same
    question for children and for adults count as one topic, the one for ``audience`` (or
    else the better scored) standing for it."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for section, score in scores.items():
        groups.setdefault(model.groups.get(section, section), []).append((section, score))
    ranked = []
    for members in groups.values():
        fits = max(members, key=lambda m: (model.audiences.get(m[0]) == audience, m[1]))[0]
        if audience and model.audiences.get(fits, audience) != audience:
            fits = next(
                (t.id for t in model.pack.twins(fits) if model.audiences[t.id] == audience), fits
            )
        ranked.append((fits, max(score for _, score in members)))
    return sorted(ranked, key=lambda item: item[1], reverse=True)


FIRST_PACK_SHARE = 0.75
"""The first pack answers first: its best section is taken when it has at least this
share of the evidence of another pack's best, and enough to be taken on its own."""


def _first_pack_first(ranked: list[tuple[str, float]], model: Model) -> list[tuple[str, float]]:
    """``ranked`` with the first pack's best section first when it holds its own
    (``FIRST_PACK_SHARE``)."""
    first = next((item for item in ranked if model.families.get(item[0]) == "first"), None)
    if not ranked or first is None or first is ranked[0]:
        return ranked
    if first[1] >= 0.9 and first[1] >= FIRST_PACK_SHARE * ranked[0][1]:
        return [first, *(item for item in ranked if item is not first)]
    return ranked


def _placements(
    section: str,
    fact: str | None,
    facts: dict[str, tuple[float, str]],
    words: Words,
    model: Model,
) -> tuple[Placement, ...]:
    """Where the answer is for each audience, when ``section`` has twins (``Pack.twins``):
    the fact each twin's own cues point at, or its own example question, if any."""
    placements = []
    content = content_words(words, model.ignored)
    for twin in model.pack.twins(section):
        found = fact if twin.id == section else facts.get(twin.id, (0.0, None))[1]
        if found is None:
            found = _example_fact(content, twin.id, model) or fact_by_words(words, twin.id, model)
        placements.append(Placement(model.audiences[twin.id], twin.id, found))
    return tuple(placements)


FACT_EVIDENCE = 2.5
"""The least evidence for ``fact_by_words`` to choose a fact: about two words that few
of the section's facts use."""


def fact_by_words(words: Words, section: str, model: Model) -> str | None:
    """The fact of ``section`` that shares the most telling words with the question ("can
    chemo damage the heart" and the fact on the heart), when one stands out; None when
    the question is about the section as a whole. A word weighs more the fewer of the
    section's facts use it."""
    facts = model.fact_words.get(section, ())
    asked = {stem(word) for word in words if word not in model.ignored}
    if len(facts) < 2 or not asked or model.families.get(section) != "others":
        return None  # the first pack reads as it always did
    used = Counter(word for _, stems in facts for word in stems & asked)
    weight = {word: math.log(len(facts) / count) for word, count in used.items()}
    scores = sorted(
        ((sum(weight[word] for word in stems & asked), fact) for fact, stems in facts),
        reverse=True,
    )
    (best, fact), (second, _) = scores[0], scores[1]
    return fact if best >= FACT_EVIDENCE and best > second * 1.25 else None


def _example_fact(content: str, section: str, model: Model) -> str | None:
    """The fact of ``section`` whose example question is close to ``content``, if any."""
    indices = [i for i, (s, f) in enumerate(model.example_targets) if s == section and f]
    found = process.extractOne(
        content, [model.examples[i] for i in indices], scorer=fuzz.token_sort_ratio
    )
    return model.example_targets[indices[found[2]]][1] if found and found[1] >= 80 else None


def is_report(words: Words, positions: dict[str, int]) -> bool:
    """Someone says they (or someone they care for) have symptoms, not a general question:
    "my son has a fever", "her gums bleed", or symptoms said with no question around them;
    not a question why the disease, named first, brings them ("why does leukemia make my
    son bruise so easily" asks how it does)."""
    first = min(positions.values())
    if words[0] == "why" and names_the_disease(words[:first]):
        return False
    if any(word in SETS.possessives for word in words[max(0, first - 4) : first]):
        return True
    for index, word in enumerate(words[: first + 1]):
        if (
            word in SETS.personal_words
            and set(words[index + 1 : index + 3]) & SETS.experience_words
        ):
            return True
    return words[0] not in SETS.question_words and not names_the_disease(words)


def names_the_disease(words: Words) -> bool:
    """Leukemia, symptoms or A L L named; not "all" in "tired all the time", "all day"."""
    return any(
        word in SETS.general_words
        and not (word == "all" and words[index + 1 : index + 2] in SETS.all_idioms)
        for index, word in enumerate(words)
    )


def makes_sense(words: Words, model: Model) -> bool:
    """An ordinary question or request, just not one the content covers."""
    content = [word for word in words if word not in SETS.stopwords]
    known = [word for word in content if word in model.language.english]
    if len(words) >= 3 and content and words[0] in SETS.question_words | SETS.request_words:
        return True
    if not known or len(words) < 3:
        return False
    return len(set(known)) >= 2 and len(words) >= 4 and len(known) >= 0.75 * len(content)


def out_of_scope(words: Words, language: Language) -> bool:
    """The words hold one of the language's out-of-scope phrases ("weather")."""
    return _out_of_scope_strength(words, language) > 0


def _out_of_scope_strength(words: Words, language: Language) -> int:
    """Length of the longest out-of-scope phrase in ``words`` (0 when there is none)."""
    return max((len(p) for p in language.out_of_scope if contains(words, p)), default=0)


def about_health(words: Words, heard: Understanding, model: Model) -> bool:
    """A question the content does not cover that is still about health: a sign, another
    condition, the condition itself ("can a baby get leukemia"), or one of the language's
    health words ("is ibuprofen safe")."""
    return bool(
        heard.symptoms
        or names_the_disease(words)
        or heard.other_signs
        or heard.who in RELATIONS  # "my baby has been grizzly all day"
        or {stem(word) for word in words} & model.language.health
        or names_other_condition(words, model.aspects)
    )


def remark(words: Words, topic: Understanding, base: Understanding, model: Model) -> bool:
    """A remark that happens to hold a weak cue ("the concert was cancelled because of the
    storm"): no question, request or sign, the condition not named, and little evidence."""
    return (
        topic.confidence < REMARK_CONFIDENCE
        and len(words) >= 5
        and not (base.symptoms or base.other_signs)
        and not asks(words, model)
        and words[0] not in SETS.auxiliaries
    )


REMARK_CONFIDENCE = 0.5
"""Topic evidence under this, in a typed remark rather than a question, is not taken up.
Not in speech: on the spoken question set it turned 19 of 1,715 misheard questions away
(their question word lost), more than the unrelated remarks it caught there."""


def asks(words: Words, model: Model) -> bool:
    """A question, a request or a short topic ("vaccines"), or about the pack's condition:
    not a remark that happens to hold an aspect's word ("the cat is asleep"). ``words``
    may hold an age said marked, not a word (``aspects.openings``)."""
    said = tuple(word for word in words if word != AGE_MARK) or words
    return (
        bool(openings(words) & (SETS.question_words | SETS.request_words))
        or bool(set(said) & SETS.asking_words)
        or _inverted(said)
        or len(said) <= 4
        or bool(model.aspects.own_names & {stem(word) for word in words})
    )


_SUBJECTS = frozenset(("i", "you", "he", "she", "it", "we", "they", "there"))
"""Subjects that, after a verb, make a question anywhere in a sentence ("will it")."""


def _inverted(words: Words) -> bool:
    """A verb before its subject later in the sentence, which makes a question of what
    comes after a statement: "i want to take turmeric instead of chemo, will it work";
    or a statement ended by "is that ...", "is this ..." ("he wants to play soccer, is
    that safe")."""
    verbs = (SETS.question_words - SETS.asking_words) | SETS.auxiliaries
    ends_pointing = len(words) > 3 and words[-3] in verbs and words[-2] in _POINTING
    return ends_pointing or any(
        word in verbs and after in _SUBJECTS for word, after in pairwise(words[1:])
    )


_POINTING = frozenset(("that", "this"))
"""Subjects that make a question only at a sentence's end ("..., is that safe")."""


def off_topic(words: Words, model: Model) -> bool:
    """An out-of-scope phrase that is not an aspect's cue ("what time is it")."""
    return any(contains(words, phrase) for phrase in model.off_topic)


def by_name(topic: Understanding, aspect: AspectMatch | None, model: Model) -> bool:
    """Another section answers the aspect; the scoring fell back on the first or weighs less."""
    answer = model.pack.answer_to(aspect.aspect) if aspect else None
    strong = aspect is not None and aspect.score >= 3 * topic.confidence + 1
    first = topic.section == model.pack.sections[0].id
    return bool(answer and answer.section != topic.section and (first or strong))


def first_answers(topic: Understanding, aspect: AspectMatch, model: Model) -> bool:
    """The section scoring chose another pack's section for a question whose aspect the
    first pack answers with a whole section ("when should I take my kid to the doctor"):
    the first pack's answer comes first. Where it answers with one fact (the chance of a
    cure), the scoring decides ("what affects the prognosis" is the other pack's)."""
    answer = model.pack.answer_to(aspect.aspect)
    return bool(
        answer
        and answer.fact is None
        and topic.section
        and model.families.get(answer.section) == "first"
        and model.families.get(topic.section) == "others"
    )


def elsewhere(topic: Understanding, aspect: AspectMatch, model: Model) -> bool:
    """The section scoring chose a section that does not answer the aspect asked, which
    the packs answer elsewhere: another pack's ("will treatment affect whether I can have
    kids": fertility, not the outlook), or the first pack's when the first pack does not
    answer the aspect at all ("what happens if my daughter's leukemia comes back": the
    relapse, not the causes)."""
    if not aspect.covered:
        return False
    answers = model.pack.answers_to(aspect.aspect)
    if model.families.get(topic.section or "") != "others" and any(
        model.families.get(answer.section) == "first" for answer in answers
    ):
        return False
    sections = {s for answer in answers for s in (answer.section, *answer.also)}
    twins = {t.id for t in model.pack.twins(topic.section or "")} | {topic.section}
    return bool(answers) and not sections & twins
