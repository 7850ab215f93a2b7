"""The understanding model of one content pack: ``build_model(pack) -> Model``. Pure.

Compiled once per pack and handed to ``understand`` with every utterance: the pack's
sections weighed into keyword cues, its example questions and symptom phrases, the
controls of ``data/intents.toml``, the aspect catalogue, the triage rules and the
everyday signs, all normalised as input will be.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from allvoice.content.catalogue import load_catalogue
from allvoice.content.pack import Pack, Section
from allvoice.understanding import signs, triage
from allvoice.understanding.aspects import AspectCues, compile_cues
from allvoice.understanding.cues import CueTable, load_cues
from allvoice.understanding.language import (
    Language,
    Words,
    join_letters,
    load_language,
    normalize,
    stem,
)
from allvoice.understanding.search import FactIndex, build_index
from allvoice.understanding.wordsets import SETS


@dataclass(frozen=True)
class _Cue:
    """A phrase that points at a section (and maybe one of its facts)."""

    words: Words
    """The phrase, normalised and stemmed."""
    section: str
    """Section it points at."""
    fact: str | None
    """Fact it points at, if it is the fact's own keyword or question."""
    weight: float
    """Evidence it carries: longer and rarer phrases weigh more."""


@dataclass(frozen=True)
class Model:
    """The compiled understanding model for one content pack."""

    pack: Pack
    """The content pack."""
    language: Language
    """Vocabulary, controls and repairs."""
    cues: tuple[_Cue, ...]
    """Keyword cues of every section and fact."""
    examples: tuple[str, ...]
    """Example questions, normalised, joined by spaces."""
    example_targets: tuple[tuple[str, str | None], ...]
    """Section and fact of each example."""
    first_examples: tuple[int, ...]
    """The indices of the first pack's examples."""
    symptom_phrases: tuple[tuple[Words, str], ...]
    """Symptom phrases, longest first, with their symptom id."""
    control_phrases: dict[str, str]
    """Normalised control phrase to its intent (or ``unsure``)."""
    whole_only: frozenset[str]
    """Normalised control phrases that count only as the whole utterance."""
    ignored: frozenset[str]
    """Words that say nothing about which section is meant: stopwords and the condition's name."""
    aspects: AspectCues
    """The catalogue's aspect cues, compiled."""
    off_topic: tuple[Words, ...]
    """The language's out-of-scope phrases with no word of an aspect's cue ("weather")."""
    triage_rules: triage.Rules
    """The triage rules (data/triage.toml), compiled for this language."""
    signs: signs.SignTable
    """Everyday signs outside the pack's symptoms (data/signs.toml)."""
    cue_table: CueTable
    """The conversation cues (data/talk.toml)."""
    groups: dict[str, str]
    """Each section's group: sections that answer the same question for children and for
    adults (``Pack.twins``) share one, and count as one topic; any other is its own."""
    audiences: dict[str, str]
    """The audience of each section written for children or for adults."""
    families: dict[str, str]
    """Each section's family (``first`` or ``others``): whether it comes from the first
    pack, which answers first what it covers."""
    terms: tuple[tuple[Words, str, str], ...]
    """Each medical word a fact explains (stemmed, longest first), with its section and
    fact, packs in order."""
    search: FactIndex
    """The facts of the packs after the first, indexed to find the one that answers."""
    everything: FactIndex
    """Every pack's facts, indexed: whether another pack answers better than the first."""
    facts_only: FactIndex
    """The facts of ``search`` on their own words, without their section's: which fact of
    a section a question asks for."""
    unsaid: frozenset[str]
    """Words left out of that search: ``ignored``, and the words that say for whom."""
    section_stems: dict[str, frozenset[str]]
    """The stems of every word of each section: title, keywords, questions and facts."""
    fact_words: dict[str, tuple[tuple[str, frozenset[str]], ...]]
    """For each section, each fact's id and the stems of its content words (its text,
    keywords, questions and the words it explains): which of its facts a question is
    about, when no cue says."""


def build_model(pack: Pack, language: Language | None = None) -> Model:
    """Compile ``pack`` (and the shipped language) into a model for ``understand``."""
    catalogue = load_catalogue()
    cue_texts = tuple(cue for aspect in catalogue.aspects for cue in aspect.cues)
    language = language or load_language(pack, extra=cue_texts)
    names = " ".join((pack.name, pack.short_name, *SETS.condition_names))
    ignored = SETS.stopwords | frozenset(normalize(names, language))
    raw_cues: list[tuple[Words, str, str | None]] = []
    examples: list[tuple[str, str, str | None]] = []
    section_words: dict[str, set[str]] = {}
    groups, families = _groups(pack), _families(pack)
    for section in pack.sections:
        # in a pack written for children (or adults), "children" tells for whom, not what
        said = functools.partial(_cue_words, language=language, drop=_whom(pack, section))
        texts = [*section.keywords, section.title]
        raw_cues += [(said(k), section.id, None) for k in section.keywords]
        raw_cues.append((said(section.title), section.id, None))
        examples += [(q, section.id, None) for q in section.questions]
        for fact in section.facts:
            texts += [*fact.keywords, *fact.synonyms]
            raw_cues += [(said(k), section.id, fact.id) for k in fact.keywords]
            raw_cues += [(said(k), section.id, None) for k in fact.synonyms]
            examples += [(q, section.id, fact.id) for q in fact.questions]
            for term in fact.defines:
                raw_cues.append((normalize(term, language), section.id, fact.id))
                examples += [(q.format(term), section.id, fact.id) for q in _TERM_QUESTIONS]
                texts.append(term)
        words = section_words.setdefault(groups[section.id], set())
        words |= {w for text in texts for w in normalize(text, language)}
    normal_examples = [
        (content_words(_cue_words(q, language, _whom(pack, pack.section(s))), ignored), s, f)
        for q, s, f in examples
    ]
    normal_examples = [example for example in normal_examples if example[0]]
    aspects = compile_cues(catalogue, pack, functools.partial(normalize, language=language))
    return Model(
        pack=pack,
        language=language,
        cues=_weigh(raw_cues, section_words, ignored, groups, families),
        examples=tuple(text for text, _, _ in normal_examples),
        example_targets=tuple((s, f) for _, s, f in normal_examples),
        first_examples=tuple(
            i for i, (_, s, _) in enumerate(normal_examples) if families[s] == "first"
        ),
        symptom_phrases=_symptom_phrases(pack, language),
        control_phrases=_control_phrases(language),
        whole_only=frozenset(
            " ".join(normalize(" ".join(p), language)) for p in language.whole_only
        ),
        ignored=ignored,
        aspects=aspects,
        off_topic=tuple(
            phrase for phrase in language.out_of_scope
            if not {stem(word) for word in phrase} & aspects.strong_stems
        ),
        triage_rules=triage.load_rules(lambda text: normalize(text, language)),
        signs=signs.load_signs(lambda text: normalize(text, language)),
        cue_table=load_cues(lambda text: normalize(text, language)),
        groups=groups,
        audiences={
            section.id: audience for section in pack.sections
            if (audience := pack.origin(section.id).audience)
        },
        terms=_terms(pack, language),
        families=families,
        search=build_index(pack, language, unsaid := _unsaid(ignored)),
        everything=build_index(pack, language, unsaid, first=True),
        facts_only=build_index(pack, language, unsaid, around=False),
        unsaid=unsaid,
        section_stems={
            section.id: _stems(
                (section.title, *section.keywords, *section.questions, *(
                    text for f in section.facts
                    for text in (f.text, *f.keywords, *f.questions, *f.synonyms)
                )), language, frozenset(),
            )
            for section in pack.sections
        },
        fact_words={
            section.id: tuple(
                (fact.id, _stems((fact.text, *fact.keywords, *fact.questions, *fact.defines),
                                 language, ignored))
                for fact in section.facts
            )
            for section in pack.sections
        },
    )  # fmt: skip


def _unsaid(ignored: frozenset[str]) -> frozenset[str]:
    """Words that say whom a question is about, or how it asks or joins, not what: left
    out of the search (``Model.unsaid``); but for babies, a group the summary for children treats
    apart ("how are babies with all treated")."""
    return (
        ignored | SETS.children_words | SETS.adults_words | SETS.child_relations
        | SETS.adult_relations | SETS.function_words | SETS.question_words
        | SETS.request_words | SETS.auxiliaries | _JOINING
    ) - SETS.baby_words  # fmt: skip


_JOINING = frozenset(("if", "as", "so", "than", "but", "also", "just", "really", "during"))
"""Words that join or soften a question, left out of the search only: "if" is not why
"can dasatinib be used if his leukemia returns" reads the fact that says "what if it
returns" (as stopwords, they changed the first pack's cues)."""


def _stems(texts: Iterable[str], language: Language, ignored: frozenset[str]) -> frozenset[str]:
    """The stems of the words of ``texts`` (each normalised on its own), but ``ignored``."""
    return frozenset(
        stem(word) for text in texts for word in normalize(text, language) if word not in ignored
    )


_TERM_QUESTIONS = ("what does {} mean", "what is {}", "what is a {}", "what are {}")
"""How people ask what a medical word means: example questions for each defined term."""


def _families(pack: Pack) -> dict[str, str]:
    """Each section's family: the first pack's sections, or the other packs' ones. A cue is
    weighed among its own family only, so that the first pack's cues weigh what they
    weighed alone, and the others' among the other packs."""
    return {
        section.id: "first" if section.pack in ("", pack.id) else "others"
        for section in pack.sections
    }


def _whom(pack: Pack, section: Section) -> frozenset[str]:
    """The words that name the audience of the section's pack, if it has one."""
    audience = pack.origin(section.id).audience
    if audience is None:
        return frozenset()
    return SETS.children_words | SETS.adults_words | SETS.child_relations | SETS.adult_relations


def _cue_words(text: str, language: Language, drop: frozenset[str]) -> Words:
    """``text`` normalised, without the words in ``drop``."""
    return tuple(word for word in normalize(text, language) if word not in drop)


def _groups(pack: Pack) -> dict[str, str]:
    """Each section's group (``Model.groups``): its theme when it has twins, else its id."""
    return {
        section.id: f"theme {section.theme}" if pack.twins(section.id) else section.id
        for section in pack.sections
    }


def _terms(pack: Pack, language: Language) -> tuple[tuple[Words, str, str], ...]:
    """The terms the facts explain, but those that name one of the first pack's topics
    ("risk factors" is the title of its section, not a word to explain)."""
    said = functools.partial(normalize, language=language)
    first = {
        tuple(stem(word) for word in said(text))
        for section in pack.sections
        if section.pack in ("", pack.id)
        for text in (section.title,)
    }
    terms = [
        (form, section.id, fact.id)
        for section in pack.sections
        for fact in section.facts
        for term in (*fact.defines, *_misspelt(fact.keywords, fact.defines))
        if (stems := tuple(stem(word) for word in said(term))) not in first
        and tuple(stem(word) for word in said(term + "s")) not in first
        for form in _short_forms(stems)
    ]
    return tuple(sorted((t for t in terms if t[0]), key=lambda t: -len(t[0])))


MISSPELT = 2
"""Edits (letters added, dropped, changed or swapped) at most between a fact's keyword
and a word it explains for the keyword to be a misspelling of that word."""


def _misspelt(keywords: Iterable[str], defines: Iterable[str]) -> list[str]:
    """The keywords of one word that misspell a word the fact explains ("blinatumamab" for
    "blinatumomab", so written for the spelling repair): they ask for its meaning too."""
    return [
        keyword
        for keyword in keywords
        if " " not in keyword
        and keyword not in defines
        and any(
            " " not in term and OSA.distance(keyword, term) <= MISSPELT
            for term in defines
            if len(term) > 2 * MISSPELT + 2
        )
    ]


def _short_forms(stems: Words) -> list[Words]:
    """A term's stems, and the same with each other word for chemotherapy in place of
    the one it says: "combination chemo" is "combination chemotherapy"; and each with its
    spelled letters joined, as people type them: "c n s prophylaxis" is "cns prophylaxis"."""
    chemo = sorted({stem(word) for word in SETS.chemo_words})
    forms = [stems]
    for index, word in enumerate(stems):
        if word in chemo:
            forms += [
                (*stems[:index], other, *stems[index + 1 :]) for other in chemo if other != word
            ]
    joined = [join_letters(form) for form in forms]
    return forms + [form for form in joined if form not in forms]


def content_words(words: Words, ignored: frozenset[str]) -> str:
    """``words`` without the ``ignored`` ones, joined by spaces."""
    return " ".join(word for word in words if word not in ignored)


def _weigh(
    raw: list[tuple[Words, str, str | None]],
    section_words: dict[str, set[str]],
    ignored: frozenset[str],
    groups: dict[str, str],
    families: dict[str, str],
) -> tuple[_Cue, ...]:
    """Weigh each cue by its length and by how few sections use all of its words: the
    sections of its own family (``_families``), twin sections for children and for adults
    counting as one."""
    cues: dict[tuple[Words, str], _Cue] = {}
    family_of_group = {groups[section]: family for section, family in families.items()}
    for words, section, fact in raw:
        content = tuple(word for word in words if word not in SETS.stopwords)
        if not content and len(words) >= 3:
            content, ignored_here = words, frozenset(words)
        elif not content:
            continue
        else:
            ignored_here = ignored
        spread = sum(
            1 for group, vocab in section_words.items()
            if family_of_group[group] == families[section] and set(content) <= vocab
        )  # fmt: skip
        evidence = sum(0.4 if word in ignored_here else 1.0 for word in content)
        evidence += 0.3 * (len(words) - len(content))
        weight = (evidence + 0.6 * (len(content) - 1)) / max(1, spread)
        stems = tuple(stem(word) for word in words)
        key = (stems, section)
        if key not in cues or (fact and not cues[key].fact):
            cues[key] = _Cue(stems, section, fact, weight)
    return tuple(cues.values())


def _symptom_phrases(pack: Pack, language: Language) -> tuple[tuple[Words, str], ...]:
    """Each synonym without its function words ("a lump in her neck" -> "lump neck")."""
    phrases: set[tuple[Words, str]] = set()
    for symptom in pack.symptoms:
        for text in (symptom.id.replace("_", " "), symptom.name, *symptom.synonyms):
            words = normalize(text, language)
            core = tuple(word for word in words if word not in SETS.function_words) or words
            phrases.add((tuple(stem(word) for word in core), symptom.id))
    return tuple(sorted(phrases, key=lambda item: (-len(item[0]), item)))


def _control_phrases(language: Language) -> dict[str, str]:
    """Each control phrase, normalised, to its intent; the first intent to use one keeps it."""
    table: dict[str, str] = {}
    for intent, phrases in language.controls.items():
        for phrase in phrases:
            table.setdefault(" ".join(normalize(" ".join(phrase), language)), intent)
    return table
