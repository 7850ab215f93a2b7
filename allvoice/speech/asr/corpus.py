"""Training sentences for the domain language model, from a content pack and allvoice's tables.

``corpus_sentences(pack)`` returns sentences in the recognizer's words (``spoken_form``:
lower case, words only, numbers as words): the pack's own questions, its keywords and
symptom phrases inside the carrier templates of ``allvoice/data/corpus.toml``, the controls,
out-of-scope topics, durations and trends of ``allvoice/data/intents.toml``, and the red
flags of ``allvoice/data/triage.toml``. The output depends only on its inputs
(seeded sampling), so the language model cache can be keyed by it. Repeated sentences are
kept on purpose: they weigh the n-gram counts towards the pack's own questions. Phrases with
a word that neither a dictionary nor the pack's own text and questions know are left out:
keyword lists carry misspellings for typed input ("simptoms", "kozes") that must not be
heard.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from allvoice.content.catalogue import load_catalogue
from allvoice.content.pack import Pack
from allvoice.data import INTENTS, TRIAGE, read_table
from allvoice.speech.asr.lexicon import is_known
from allvoice.speech.asr.templates import TABLE
from allvoice.understanding.numbers import number_words

_SEED = 20240501
_NOT_A_WORD = re.compile(r"[^a-z0-9' ]+")
_NUMBER = re.compile(r"\d+")

# How often a pack question or a control phrase is repeated: it weighs the n-gram counts.
QUESTION_WEIGHT = 4
CONTROL_WEIGHT = 4
TOPIC_SAMPLES = 6
SYMPTOM_SAMPLES = 10
EMERGENCY_SAMPLES = 4
TRIAGE_SAMPLES = 2  # triage has about 1,500 phrases: two carriers each keeps the corpus small
TRIAGE_SENTENCE_WEIGHT = 3
OUT_OF_SCOPE_SAMPLES = 4
ASPECT_SAMPLES = 1
"""Sentences per aspect cue: there are many cues, and the questions about the page come first."""


def spoken_form(text: str) -> str:
    """``text`` in the recognizer's words: lower case, digits spelled out, punctuation
    dropped, one space between words ("For 3 Weeks!" -> "for three weeks")."""
    text = text.lower().replace("\u2019", "'").replace("&", " and ").replace("-", " ")
    text = _NUMBER.sub(lambda match: f" {number_words(int(match.group()))} ", text)
    words = (word.strip("'") for word in _NOT_A_WORD.sub(" ", text).split())
    return " ".join(word for word in words if word)


def corpus_sentences(pack: Pack, intents_file: Path = INTENTS) -> list[str]:
    """All training sentences for ``pack``, in spoken form, deterministic, with repeats."""
    intents = read_table(intents_file)
    rng = random.Random(_SEED)
    parts: list[Iterable[str]] = [
        _pack_sentences(pack, rng),
        _symptom_sentences(pack, intents, rng),
        _control_sentences(intents),
        _triage_sentences(read_table(TRIAGE), rng),
        _out_of_scope_sentences(intents, pack, rng),
        _aspect_sentences(pack),
        _answer_sentences(intents, rng),
    ]
    spoken = _spoken_words(pack)
    sentences = (spoken_form(sentence) for part in parts for sentence in part)
    return [s for s in sentences if s and all(_real(word, spoken) for word in s.split())]


def _spoken_words(pack: Pack) -> frozenset[str]:
    """Words the pack itself says or asks: real words even when no dictionary has them."""
    texts = [pack.name, *(section.title for section in pack.sections)]
    for section in pack.sections:
        texts += section.questions
        for fact in section.facts:
            texts += [fact.text, *fact.questions]
    return frozenset(word for text in texts for word in spoken_form(text).split())


def _real(word: str, spoken: frozenset[str]) -> bool:
    """False for the misspellings that keyword lists carry for typed input ("simptoms")."""
    return word in spoken or is_known(word)


def _fill(template: str, **slots: str) -> str:
    return template.format(**slots)


def _sample(rng: random.Random, items: Sequence[str], count: int) -> list[str]:
    """``count`` items drawn with replacement (all of them when there are few)."""
    if len(items) <= count:
        return list(items)
    return [rng.choice(items) for _ in range(count)]


def disease_names(pack: Pack) -> list[str]:
    """How people name the pack's condition: its names, "leukemia", "it", "this cancer"."""
    names = [pack.name, pack.short_name, pack.id, *TABLE.disease_words]
    return sorted({spoken_form(name) for name in names if spoken_form(name)})


def _pack_sentences(pack: Pack, rng: random.Random) -> Iterator[str]:
    diseases = disease_names(pack)
    for section in pack.sections:
        questions = [*section.questions, *(q for fact in section.facts for q in fact.questions)]
        for question in questions:
            yield from [question] * QUESTION_WEIGHT
            for wrapper in _sample(rng, TABLE.question_wrappers, 2):
                yield _fill(wrapper, q=question)
        topics = [section.title, *section.keywords, *(k for f in section.facts for k in f.keywords)]
        for topic in topics:
            for template in _sample(rng, TABLE.topic_templates, TOPIC_SAMPLES):
                yield _fill(template, topic=topic, disease=rng.choice(diseases))
    for template in TABLE.disease_questions:
        for disease in diseases:
            yield _fill(template, disease=disease)


def _symptom_sentences(pack: Pack, intents: dict[str, Any], rng: random.Random) -> Iterator[str]:
    phrases = sorted({s for symptom in pack.symptoms for s in (symptom.name, *symptom.synonyms)})
    if not phrases:
        return
    durations = list(duration_phrases(intents))
    diseases = disease_names(pack)
    for phrase in phrases:
        form = symptom_form(phrase)
        for template in _sample(rng, TABLE.symptom_templates[form], SYMPTOM_SAMPLES):
            yield _fill(
                template,
                symptom=phrase,
                other=rng.choice(phrases),
                **_people(rng),
                duration=rng.choice(durations),
                since=rng.choice(TABLE.since),
                disease=rng.choice(diseases),
            )


def _people(rng: random.Random) -> dict[str, str]:
    """Who the templates speak of: {person} (anyone), {one} (he, she, my son: takes
    "keeps", "has"), {whose} (my, his, her)."""
    return {
        "person": rng.choice(TABLE.people),
        "one": rng.choice(TABLE.third_person),
        "whose": rng.choice(TABLE.possessives),
    }


def symptom_form(phrase: str) -> str:
    """How a symptom phrase fits a sentence: "action" ("keeps getting sick": after a
    person), "clause" ("bones hurt": after my, his, her), "state" ("pale", "out of
    breath": after is, looks, seems) or "noun" ("bone pain": after has)."""
    words = phrase.split()
    if words[0] in TABLE.action_starts and not (words[0] == "always" and len(words) == 2):
        return "action"
    if words[-1] in TABLE.noun_ends:
        return "noun"
    if words[0] in TABLE.state_starts or (words[0] == "always" and len(words) == 2):
        return "state"
    if len(words) > 1 and words[1] in TABLE.clause_verbs:
        return "clause"
    return "noun"


def duration_phrases(intents: dict[str, Any]) -> Iterator[str]:
    """ "for three weeks", "since monday", "a couple of days" and the like."""
    units = [unit for unit in intents["units"] if not unit.endswith("s") and unit != "fortnight"]
    for number, value in intents["numbers"].items():
        for unit in units:
            plural = unit if value == 1 else f"{unit}s"
            if number in {"a", "an"}:
                yield f"for {'an' if unit == 'hour' else 'a'} {unit}"
            elif number in {"couple", "few"}:
                yield f"for a {number} of {plural}" if number == "couple" else f"a few {plural}"
            else:
                yield f"for {number} {plural}"
                yield f"{number} {plural}"
    yield "for a fortnight"
    for since in TABLE.since:
        yield f"since {since}"
    yield from TABLE.vague_durations


def _control_sentences(intents: dict[str, Any]) -> Iterator[str]:
    for phrases in intents["controls"].values():
        for phrase in phrases:
            yield from [phrase] * CONTROL_WEIGHT
            for wrapper in TABLE.control_wrappers:
                yield _fill(wrapper, x=phrase)


def _triage_sentences(triage: dict[str, Any], rng: random.Random) -> Iterator[str]:
    """The phrases of each concept that makes a triage rule on its own, in carrier
    sentences, and the example sentences of combined red flags."""
    alone = sorted(
        {rule["all"][0] for rule in triage["rules"] if len(rule.get("all", ())) == 1}
        | {name for rule in triage["rules"] for name in rule.get("any", ()) if not rule.get("all")}
    )
    for name in alone:
        concept = triage["concepts"][name]
        phrases = concept["words"] if isinstance(concept, dict) else concept
        samples = EMERGENCY_SAMPLES if name in TABLE.classic_signs else TRIAGE_SAMPLES
        for phrase in phrases:
            yield phrase
            if name in TABLE.said_as_is:
                continue
            templates = TABLE.emergency_templates[emergency_form(phrase)]
            for template in _sample(rng, templates, samples):
                yield _fill(template, x=phrase, **_people(rng))
    for sentence in triage["speech"]["sentences"]:
        for _ in range(TRIAGE_SENTENCE_WEIGHT):
            yield _fill(sentence, **_people(rng))


def emergency_form(phrase: str) -> str:
    """As ``symptom_form``, for an emergency phrase; "raw" for a whole request ("call
    an ambulance") that takes no person."""
    words = phrase.split()
    if words[0] in TABLE.emergency_raw_starts:
        return "raw"
    if words[0] in TABLE.emergency_actions:
        return "action"
    if words[0] in TABLE.emergency_states or (words[0].endswith("ing") and len(words) <= 3):
        return "state"
    if len(words) > 1 and words[1] in TABLE.emergency_clause_verbs:
        return "clause"
    return "noun"


def _out_of_scope_sentences(
    intents: dict[str, Any], pack: Pack, rng: random.Random
) -> Iterator[str]:
    diseases = disease_names(pack)
    for keyword in intents["out_of_scope"]["keywords"]:
        for template in _sample(rng, TABLE.out_of_scope_templates, OUT_OF_SCOPE_SAMPLES):
            yield _fill(template, x=keyword, disease=rng.choice(diseases))


def _aspect_sentences(pack: Pack) -> Iterator[str]:
    """Questions about the aspects of a disease that the pack does not cover
    (data/aspects.toml), so that "how is it diagnosed" or "is it contagious" can be heard;
    the pack's own keywords and questions already carry the aspects it covers. Each cue
    draws its own templates, so that a cue added to the catalogue changes no other's."""
    diseases = disease_names(pack)
    for aspect in load_catalogue().aspects:
        if pack.answer_to(aspect.id):
            continue
        for cue in aspect.cues:  # each cue its own draws: another cue moves no other
            draws = random.Random(f"{_SEED} {aspect.id} {cue}")
            for template in _sample(draws, TABLE.out_of_scope_templates, ASPECT_SAMPLES):
                yield _fill(template, x=cue, disease=draws.choice(diseases))


def _answer_sentences(intents: dict[str, Any], rng: random.Random) -> Iterator[str]:
    """Replies to the assistant's follow-up questions: durations, trends, yes / no."""
    for duration in duration_phrases(intents):
        yield duration
        yield _fill(rng.choice(TABLE.duration_templates), d=duration)
    for phrases in intents["trends"].values():
        for phrase in phrases:
            yield phrase
            for template in _sample(rng, TABLE.trend_templates, 3):
                yield _fill(template, x=phrase)
