"""Training sentences for the domain language model, from a content pack and intents.toml.

``corpus_sentences(pack)`` returns normalised sentences (lower case, words only, numbers as
words): the pack's own questions, its keywords and symptom phrases inside carrier templates,
the controls, out-of-scope topics, durations and trends of ``allvoice/data/intents.toml``,
and the red flags of ``allvoice/data/triage.toml``. The output depends only on its inputs
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
from allvoice.understanding.numbers import number_words

_SEED = 20240501
_NOT_A_WORD = re.compile(r"[^a-z0-9' ]+")
_NUMBER = re.compile(r"\d+")

# How often a pack question or a control phrase is repeated: it weighs the n-gram counts.
# No wrapper starts with a filler ("um", "so", "okay"): filler-led sentences made the
# decoder insert those words into other speech (development set WER 26.5% -> 23.7%).
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

# fmt: off
DISEASE_WORDS = (
    "all", "leukemia", "acute leukemia", "this leukemia", "the leukemia", "it", "this",
    "this cancer", "the cancer", "this disease", "the disease", "blood cancer",
    "childhood leukemia", "acute lymphoblastic leukemia", "lymphocytic leukemia",
)
PEOPLE = (
    "i", "my son", "my daughter", "my child", "my baby", "my kid", "my boy", "my girl",
    "my husband", "my wife", "my partner", "my mother", "my mom", "my mum", "my father", "my dad",
    "my brother", "my sister", "my friend", "he", "she", "they", "we", "my little one",
    "my toddler", "my teenager", "our son", "our daughter",
)
QUESTION_WRAPPERS = (
    "{q}", "please {q}", "{q} please", "can you tell me {q}", "i want to know {q}",
    "i would like to know {q}", "i was wondering {q}", "tell me {q}", "i need to know {q}",
    "quick question {q}", "one more question {q}", "excuse me {q}",
)
TOPIC_TEMPLATES = (
    "{topic}", "what about {topic}", "tell me about {topic}", "what is {topic}",
    "what are {topic}", "what are the {topic}", "what are the {topic} of {disease}",
    "what is the {topic} of {disease}", "can you tell me about {topic}",
    "i want to know about {topic}", "explain {topic}", "more about {topic}",
    "tell me more about {topic}", "what do you know about {topic}", "{topic} please",
    "i have a question about {topic}", "what can you tell me about {topic}", "how about {topic}",
    "i am asking about {topic}", "{topic} of {disease}", "{topic} for {disease}",
    "what does {topic} mean", "is {topic} related to {disease}", "does {topic} matter",
    "what about the {topic}", "tell me the {topic}", "i would like to hear about {topic}",
)
DISEASE_QUESTIONS = (
    "what is {disease}", "tell me about {disease}", "what are the symptoms of {disease}",
    "what are the signs of {disease}", "what causes {disease}", "how do you get {disease}",
    "who gets {disease}", "what are the risk factors for {disease}", "is {disease} inherited",
    "is {disease} genetic", "is {disease} serious", "is {disease} common",
    "when should i see a doctor about {disease}", "what does {disease} mean",
    "how do i know if i have {disease}", "how do i know if my child has {disease}",
    "what are the early signs of {disease}", "what raises the risk of {disease}",
    "who is at risk of {disease}", "where does the information about {disease} come from",
    "explain {disease}", "what kind of cancer is {disease}", "could it be {disease}",
    "how does {disease} start", "why do children get {disease}", "what is the cause of {disease}",
    "what should i look out for with {disease}", "can adults get {disease}",
)
# Symptom phrases come in four grammatical forms, each with its own templates, so that the
# model learns "my son has bone pain", "his bones hurt", "she is pale" and "he keeps
# getting sick", and not "my son has bones hurt". ``symptom_form`` tells them apart.
ANY_FORM_TEMPLATES = (
    "{symptom}", "{symptom} and {other}", "{symptom} {duration}", "also {symptom}",
    "and {symptom}", "and also {symptom}", "{symptom} too", "{symptom} is that a sign",
)
SYMPTOM_TEMPLATES = {
    "noun": (
        *ANY_FORM_TEMPLATES,
        "{person} has {symptom}", "{person} have {symptom}", "{person} had {symptom}",
        "{person} has had {symptom} {duration}", "{person} have had {symptom} {duration}",
        "{person} has been having {symptom}", "{person} keeps getting {symptom}",
        "{person} gets {symptom}", "{person} got {symptom}", "{person} complains of {symptom}",
        "is {symptom} a sign of {disease}", "is {symptom} a symptom of {disease}",
        "could {symptom} be {disease}", "does {symptom} mean {disease}",
        "is {symptom} serious", "what if {person} has {symptom}", "what does {symptom} mean",
        "should i worry about {symptom}", "i noticed {symptom}", "i am worried about {symptom}",
        "there is {symptom}", "{person} has {symptom} and {other}",
        "{person} has {symptom} should i see a doctor", "{person} has {symptom} is that a symptom",
        "{person} has had {symptom} since {since}", "{person} started having {symptom} {duration}",
        "{person} also has {symptom}",
    ),
    "state": (
        *ANY_FORM_TEMPLATES,
        "{person} is {symptom}", "{person} has been {symptom}", "{person} seems {symptom}",
        "{person} looks {symptom}", "{person} feels {symptom}", "{person} gets {symptom}",
        "{person} has been {symptom} {duration}", "{person} is {symptom} and {other}",
        "{person} is {symptom} should i see a doctor", "{person} has been {symptom} since {since}",
        "is being {symptom} a sign of {disease}", "what if {person} is {symptom}",
        "{person} is also {symptom}", "{person} is {symptom} is that a symptom",
    ),
    "action": (
        *ANY_FORM_TEMPLATES,
        "{one} {symptom}", "{one} {symptom} {duration}", "{one} {symptom} and {other}",
        "{one} {symptom} should i see a doctor", "{one} {symptom} is that a symptom",
        "{one} {symptom} since {since}", "{one} also {symptom}", "what if {one} {symptom}",
        "i noticed {one} {symptom}", "i am worried because {one} {symptom}",
    ),
    "clause": (
        *ANY_FORM_TEMPLATES,
        "{whose} {symptom}", "{whose} {symptom} {duration}", "{whose} {symptom} and {other}",
        "{whose} {symptom} should i see a doctor", "{whose} {symptom} is that a symptom",
        "{whose} {symptom} since {since}", "what if {whose} {symptom}",
        "i noticed {whose} {symptom}", "{whose} {symptom} all the time",
    ),
}
THIRD_PERSON = tuple(p for p in PEOPLE if p not in ("i", "they", "we"))
POSSESSIVES = (
    "my", "his", "her", "my son's", "my daughter's", "my child's", "our", "their", "my baby's",
)
_ACTION_STARTS = frozenset(
    "keeps gets catches picks never runs sleeps feels looks lost hurts always cannot".split()
)
_STATE_STARTS = frozenset(
    "pale very feverish hot breathless winded tired exhausted weak lethargic sluggish drained "
    "pasty washed worn wiped run short out sick ill burning running shivering panting "
    "breathing getting catching puffed white sleepy".split()
)
_NOUN_ENDS = frozenset("skin problems".split())
_CLAUSE_VERBS = frozenset("bleed bleeds ache aches hurt hurts are keeps".split())
CONTROL_WRAPPERS = (
    "please {x}", "{x} please", "can you {x}",
)
EMERGENCY_TEMPLATES = {  # by the form of the phrase, as for symptoms
    "raw": ("{x}", "help {x}", "please {x}", "{x} now", "{x} please", "{x} quickly"),
    "noun": (
        "{x}", "help {x}", "{x} what do i do", "{one} has {x}", "{one} is having {x}",
        "help {one} has {x}", "{one} has {x} what do i do", "{one} is having {x} right now",
        "it is an emergency {one} has {x}", "emergency {one} is having {x}",
    ),
    "state": (
        "{x}", "help {x}", "{person} is {x}", "{one} is {x} right now", "help {one} is {x}",
        "{one} is {x} what do i do", "emergency {one} is {x}", "{one} is {x} help",
    ),
    "action": (
        "{x}", "help {x}", "{one} {x}", "{one} just {x}", "help {one} {x}",
        "{one} {x} what do i do", "{one} {x} right now", "emergency {one} {x}", "i {x}",
    ),
    "clause": (
        "{x}", "help {x}", "{whose} {x}", "help {whose} {x}", "{whose} {x} what do i do",
        "{whose} {x} right now", "emergency {whose} {x}",
    ),
}
_EMERGENCY_ACTIONS = frozenset(
    "cannot can stopped passed fainted collapsed will would does blacked is keeps lost went "
    "turned gone just".split()
)
_EMERGENCY_STATES = frozenset(
    "unconscious unresponsive not unable barely out knocked struggling shaking".split()
)
_RAW_STARTS = frozenset("call dial need get send this it there have having emergency".split())
_EMERGENCY_CLAUSE_VERBS = _CLAUSE_VERBS | frozenset(
    "is will went look feels has that does would".split()
)
OUT_OF_SCOPE_TEMPLATES = (
    "{x}", "what about {x}", "tell me about {x}", "what is the {x}", "is there a {x}",
    "what {x} is there", "how does {x} work", "what is the {x} for {disease}",
    "can you tell me about {x}", "what about {x} for {disease}", "i want to know about {x}",
    "does {disease} need {x}", "what is {x}", "how is {disease} {x}", "what are the {x}",
    "can {disease} {x}", "do you know about {x}",
)
SINCE = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday",
    "last week", "last month", "last night", "this morning", "the weekend", "last weekend",
    "christmas", "the summer", "the start of the month", "he was born", "she was born",
    "a few days ago", "two weeks ago", "a week ago", "a month ago",
)
VAGUE_DURATIONS = (
    "for a while", "for ages", "for a long time", "for a few days", "for a couple of days",
    "for a couple of weeks", "for a few weeks", "for a few months", "about a week",
    "about two weeks", "more than a week", "more than a month", "less than a week", "only a day",
    "just a few days", "on and off", "a long time", "not long", "since yesterday",
    "since last week", "for over a week", "almost a month", "since last summer",
    "since last winter", "over a fortnight", "it has been ages", "for weeks", "for months",
    "more than two weeks", "about five weeks",
)
DURATION_TEMPLATES = (
    "{d}", "it has been {d}", "about {d}", "maybe {d}", "i think {d}", "it started {d}",
    "it has been going on {d}", "they have been there {d}", "it has lasted {d}",
)
TREND_TEMPLATES = (
    "{x}", "it is {x}", "they are {x}", "it is getting {x}", "it has been {x}",
    "i think it is {x}", "it seems {x}", "they seem {x}", "yes {x}", "no {x}",
)
# fmt: on


def spoken_form(text: str) -> str:
    """``text`` in the recognizer's words: lower case, digits spelled out, punctuation
    dropped, one space between words ("For 3 Weeks!" -> "for three weeks")."""
    text = text.lower().replace("\u2019", "'").replace("&", " and ").replace("-", " ")
    text = _NUMBER.sub(lambda match: f" {number_words(int(match.group()))} ", text)
    words = (word.strip("'") for word in _NOT_A_WORD.sub(" ", text).split())
    return " ".join(word for word in words if word)


def corpus_sentences(pack: Pack, intents_file: Path = INTENTS) -> list[str]:
    """All training sentences for ``pack``, normalised, deterministic, with repeats."""
    intents = read_table(intents_file)
    rng = random.Random(_SEED)
    parts: list[Iterable[str]] = [
        _pack_sentences(pack, rng),
        _symptom_sentences(pack, intents, rng),
        _control_sentences(intents),
        _triage_sentences(read_table(TRIAGE), rng),
        _out_of_scope_sentences(intents, pack, rng),
        _aspect_sentences(pack, rng),
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
    names = [pack.name, pack.short_name, pack.id, *DISEASE_WORDS]
    return sorted({spoken_form(name) for name in names if spoken_form(name)})


def _pack_sentences(pack: Pack, rng: random.Random) -> Iterator[str]:
    diseases = disease_names(pack)
    for section in pack.sections:
        questions = [*section.questions, *(q for fact in section.facts for q in fact.questions)]
        for question in questions:
            yield from [question] * QUESTION_WEIGHT
            for wrapper in _sample(rng, QUESTION_WRAPPERS, 2):
                yield _fill(wrapper, q=question)
        topics = [section.title, *section.keywords, *(k for f in section.facts for k in f.keywords)]
        for topic in topics:
            for template in _sample(rng, TOPIC_TEMPLATES, TOPIC_SAMPLES):
                yield _fill(template, topic=topic, disease=rng.choice(diseases))
    for template in DISEASE_QUESTIONS:
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
        for template in _sample(rng, SYMPTOM_TEMPLATES[form], SYMPTOM_SAMPLES):
            yield _fill(
                template,
                symptom=phrase,
                other=rng.choice(phrases),
                **_people(rng),
                duration=rng.choice(durations),
                since=rng.choice(SINCE),
                disease=rng.choice(diseases),
            )


def _people(rng: random.Random) -> dict[str, str]:
    """Who the templates speak of: {person} (anyone), {one} (he, she, my son: takes
    "keeps", "has"), {whose} (my, his, her)."""
    return {
        "person": rng.choice(PEOPLE),
        "one": rng.choice(THIRD_PERSON),
        "whose": rng.choice(POSSESSIVES),
    }


def symptom_form(phrase: str) -> str:
    """How a symptom phrase fits a sentence: "action" ("keeps getting sick": after a
    person), "clause" ("bones hurt": after my, his, her), "state" ("pale", "out of
    breath": after is, looks, seems) or "noun" ("bone pain": after has)."""
    words = phrase.split()
    if words[0] in _ACTION_STARTS and not (words[0] == "always" and len(words) == 2):
        return "action"
    if words[-1] in _NOUN_ENDS:
        return "noun"
    if words[0] in _STATE_STARTS or (words[0] == "always" and len(words) == 2):
        return "state"
    if len(words) > 1 and words[1] in _CLAUSE_VERBS:
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
    for since in SINCE:
        yield f"since {since}"
    yield from VAGUE_DURATIONS


def _control_sentences(intents: dict[str, Any]) -> Iterator[str]:
    for phrases in intents["controls"].values():
        for phrase in phrases:
            yield from [phrase] * CONTROL_WEIGHT
            for wrapper in CONTROL_WRAPPERS:
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
        samples = EMERGENCY_SAMPLES if name in _CLASSIC_SIGNS else TRIAGE_SAMPLES
        for phrase in phrases:
            yield phrase
            if name in _SAID_AS_IS:
                continue
            templates = EMERGENCY_TEMPLATES[emergency_form(phrase)]
            for template in _sample(rng, templates, samples):
                yield _fill(template, x=phrase, **_people(rng))
    for sentence in triage["speech"]["sentences"]:
        for _ in range(TRIAGE_SENTENCE_WEIGHT):
            yield _fill(sentence, **_people(rng))


_CLASSIC_SIGNS = frozenset(
    "calls_for_help not_breathing heavy_bleeding unconscious chest_pain blue_lips seizure".split()
)
"""The emergencies the language model has always had, sampled as before."""
_SAID_AS_IS = frozenset(["suicide", "attempt", "no_signs_of_life"])
"""Concepts whose phrases fit no carrier template or are whole sentences as they are
("he is dead", "there is no pulse"); their example sentences, if any, carry them."""


def emergency_form(phrase: str) -> str:
    """As ``symptom_form``, for an emergency phrase; "raw" for a whole request ("call
    an ambulance") that takes no person."""
    words = phrase.split()
    if words[0] in _RAW_STARTS:
        return "raw"
    if words[0] in _EMERGENCY_ACTIONS:
        return "action"
    if words[0] in _EMERGENCY_STATES or (words[0].endswith("ing") and len(words) <= 3):
        return "state"
    if len(words) > 1 and words[1] in _EMERGENCY_CLAUSE_VERBS:
        return "clause"
    return "noun"


def _out_of_scope_sentences(
    intents: dict[str, Any], pack: Pack, rng: random.Random
) -> Iterator[str]:
    diseases = disease_names(pack)
    for keyword in intents["out_of_scope"]["keywords"]:
        for template in _sample(rng, OUT_OF_SCOPE_TEMPLATES, OUT_OF_SCOPE_SAMPLES):
            yield _fill(template, x=keyword, disease=rng.choice(diseases))


def _aspect_sentences(pack: Pack, rng: random.Random) -> Iterator[str]:
    """Questions about the aspects of a disease that the pack does not cover
    (data/aspects.toml), so that "how is it diagnosed" or "is it contagious" can be heard;
    the pack's own keywords and questions already carry the aspects it covers."""
    diseases = disease_names(pack)
    for aspect in load_catalogue().aspects:
        if pack.answer_to(aspect.id):
            continue
        for cue in aspect.cues:
            for template in _sample(rng, OUT_OF_SCOPE_TEMPLATES, ASPECT_SAMPLES):
                yield _fill(template, x=cue, disease=rng.choice(diseases))


def _answer_sentences(intents: dict[str, Any], rng: random.Random) -> Iterator[str]:
    """Replies to the assistant's follow-up questions: durations, trends, yes / no."""
    for duration in duration_phrases(intents):
        yield duration
        yield _fill(rng.choice(DURATION_TEMPLATES), d=duration)
    for phrases in intents["trends"].values():
        for phrase in phrases:
            yield phrase
            for template in _sample(rng, TREND_TEMPLATES, 3):
                yield _fill(template, x=phrase)
