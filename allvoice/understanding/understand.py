"""Text to intent: ``understand(text, model) -> Understanding``. Pure.

Order of checks, safest first: triage (``triage.assess``: an emergency, an urgent case,
a crisis); a report of symptoms (the pack's, and the everyday signs of ``signs``); a
short control command or answer; a question about an aspect the pack does not cover
(``aspects``, ``not_covered``); a question about one of the pack's sections, scored on
its keywords and example questions; a question the content does not cover; otherwise
``unknown``.
``Model`` is compiled once per content pack by ``build_model``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from allvoice.content.catalogue import load_catalogue
from allvoice.content.pack import Pack
from allvoice.understanding import signs, triage
from allvoice.understanding.aspects import (
    AspectCues,
    AspectMatch,
    answered_topic,
    asks_beside,
    compile_cues,
    fact_for,
    match_aspect,
    names_other_condition,
)
from allvoice.understanding.language import (
    MAX_INPUT_CHARS,
    Language,
    Words,
    contains,
    find,
    load_language,
    normalize,
    span_end,
    stem,
)
from allvoice.understanding.triage import Triage

SECTION_INTENTS = (
    "overview",
    "symptoms",
    "when_to_see_doctor",
    "causes",
    "risk_factors",
    "sources",
)
CONTROL_INTENTS = (
    "help", "repeat", "more", "stop", "faster", "slower", "louder", "softer", "goodbye",
    "yes", "no", "greeting", "thanks",
)  # fmt: skip

_QUESTION_WORDS = frozenset(
    "what is are does do can could how why which when where who should would will".split()
)  # fmt: skip
_PERSONAL = frozenset(
    "i my me we our us he she his her him they their them son daughter child kid baby boy "
    "girl husband wife mother father mom dad".split()
)  # fmt: skip
_SYMPTOM_SECTION = "symptoms"
_POSSESSIVE = frozenset("my his her our their".split())
_EXPERIENCE = frozenset(
    "has have had got gets keeps keep is am are was been feel feels felt look looks looked "
    "seems seem noticed notice bleeds bleed bruises gets getting having".split()
)
_GENERAL_WORDS = frozenset(
    ["leukemia", "all", "sign", "signs", "symptoms", "symptom", "lymphocytic", "cancer"]
)
_ALL_IDIOMS = frozenset((word,) for word in "the day night over week morning along".split())
_STOPWORDS = frozenset(
    "a an the is are was were be been it its of to in on for at by with and or do does did "
    "can could would should will what how why who which when where that this these those "
    "there me you your i my about any some get got have has had".split()
)  # fmt: skip
_FUNCTION_WORDS = frozenset(
    "a an the my his her their our your its is are am was be been has have had keeps keep "
    "in on of at to".split()
)  # fmt: skip
_REQUEST_WORDS = frozenset(
    ["tell", "explain", "give", "show", "describe", "say", "teach", "read", "find"]
)
_ANSWERS = frozenset({"yes", "no", "unsure"})
_AUXILIARIES = frozenset("did has have had was were am".split())  # "did you ...": a question
_ASKING = frozenset("what how why when where which who whether if any".split())
_DIGITS = re.compile(r"^\d+$")
_WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_SEASONS = frozenset(["spring", "summer", "autumn", "fall", "winter"])
LONG_AGO_DAYS = 30.0
"""The least "for ages", "a long time" or "since last summer" can mean, in days."""
_LONG_AGO = {
    ("for", "ages"): "for ages",
    ("been", "ages"): "ages",
    ("a", "long", "time"): "a long time",
    ("a", "long", "while"): "a long while",
}
"""Durations without a number that mean weeks at the least ("what ages" is not one)."""
_MORE_THAN = (("over",), ("more", "than"), ("longer", "than"), ("at", "least"))
HE = frozenset(
    "son boy husband father dad daddy brother grandson grandfather grandpa nephew uncle "
    "boyfriend stepson".split()
)
SHE = frozenset(
    "daughter girl wife mother mom mum mommy mummy sister granddaughter grandmother grandma "
    "niece aunt girlfriend stepdaughter".split()
)
RELATIONS = HE | SHE | frozenset("child kid baby toddler teenager partner friend".split())
"""Whom "my ..." can name, for ``Understanding.who``."""


@dataclass(frozen=True)
class Duration:
    """How long symptoms have lasted, as said."""

    text: str
    """The words that gave it ("three weeks", "since monday")."""
    days: float | None
    """Length in days when it can be worked out without a calendar; else None."""


@dataclass(frozen=True)
class Understanding:
    """What an utterance means to the assistant."""

    heard: str
    """The utterance after normalising, as the words that were understood."""
    intent: str
    """Intent id: a section id, a control, report_symptoms, a triage level (emergency,
    urgent, crisis), not_covered, out_of_scope, unknown."""
    section: str | None = None
    """The section asked about, for section intents."""
    fact: str | None = None
    """The fact that answers the question on its own, when one does."""
    symptoms: tuple[str, ...] = ()
    """Symptom ids mentioned, in the pack's order."""
    other_signs: tuple[str, ...] = ()
    """Everyday signs mentioned that are not the pack's symptoms (data/signs.toml ids)."""
    duration: Duration | None = None
    """How long, when said."""
    trend: str | None = None
    """better, worse or same, when said."""
    answer: str | None = None
    """yes, no or unsure, when the utterance is a short answer."""
    confidence: float = 1.0
    """0.0 to 1.0: how clearly the text pointed at the intent."""
    alternatives: tuple[str, ...] = ()
    """Close second choices when the text is ambiguous, best first (includes ``intent``)."""
    triage: Triage | None = None
    """What triage found, for the emergency, urgent and crisis intents."""
    spell: str | None = None
    """The word to spell, for the spell intent."""
    unsure_of: str | None = None
    """A section that speech the recognizer doubted seemed to ask about, to be confirmed
    (``under_doubt``); the intent is then unknown."""
    topic: str | None = None
    """The aspect of the disease asked about (``allvoice/data/aspects.toml``), for a
    section or not_covered intent; None when none is clear."""
    who: str | None = None
    """Whom a report is about: a relation as named ("son" in "my son has a fever"),
    "self", or only "he" or "she"; None when not said."""
    symptom_words: tuple[str, ...] = ()
    """The words each of ``symptoms``, then each of ``other_signs``, was said in ("gums keep
    bleeding", "lost weight"), in that order."""


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
    signs: tuple[signs.Sign, ...]
    """Everyday signs outside the pack's symptoms (data/signs.toml)."""


def build_model(pack: Pack, language: Language | None = None) -> Model:
    """Compile ``pack`` (and the shipped language) into a model for ``understand``."""
    catalogue = load_catalogue()
    cue_texts = tuple(cue for aspect in catalogue.aspects for cue in aspect.cues)
    language = language or load_language(pack, extra=cue_texts)
    name_words = normalize(
        f"{pack.name} {pack.short_name} leukemia lymphoblastic cancer disease illness", language
    )
    ignored = _STOPWORDS | frozenset(name_words)
    raw_cues: list[tuple[Words, str, str | None]] = []
    examples: list[tuple[str, str, str | None]] = []
    section_words: dict[str, set[str]] = {}
    for section in pack.sections:
        texts = [*section.keywords, section.title]
        raw_cues += [(normalize(k, language), section.id, None) for k in section.keywords]
        raw_cues.append((normalize(section.title, language), section.id, None))
        examples += [(q, section.id, None) for q in section.questions]
        for fact in section.facts:
            texts += [*fact.keywords, *fact.synonyms]
            raw_cues += [(normalize(k, language), section.id, fact.id) for k in fact.keywords]
            raw_cues += [(normalize(k, language), section.id, None) for k in fact.synonyms]
            examples += [(q, section.id, fact.id) for q in fact.questions]
        section_words[section.id] = {w for text in texts for w in normalize(text, language)}
    normal_examples = [
        (_content_words(normalize(q, language), ignored), s, f) for q, s, f in examples
    ]
    normal_examples = [example for example in normal_examples if example[0]]
    aspects = compile_cues(catalogue, pack, functools.partial(normalize, language=language))
    return Model(
        pack=pack,
        language=language,
        cues=_weigh(raw_cues, section_words, ignored),
        examples=tuple(text for text, _, _ in normal_examples),
        example_targets=tuple((s, f) for _, s, f in normal_examples),
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
    )  # fmt: skip


def _content_words(words: Words, ignored: frozenset[str]) -> str:
    return " ".join(word for word in words if word not in ignored)


def _weigh(
    raw: list[tuple[Words, str, str | None]],
    section_words: dict[str, set[str]],
    ignored: frozenset[str],
) -> tuple[_Cue, ...]:
    """Weigh each cue by its length and by how few sections use all of its words."""
    cues: dict[tuple[Words, str], _Cue] = {}
    for words, section, fact in raw:
        content = tuple(word for word in words if word not in _STOPWORDS)
        if not content and len(words) >= 3:
            content, ignored_here = words, frozenset(words)
        elif not content:
            continue
        else:
            ignored_here = ignored
        spread = sum(1 for vocab in section_words.values() if set(content) <= vocab)
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
            core = tuple(word for word in words if word not in _FUNCTION_WORDS) or words
            phrases.add((tuple(stem(word) for word in core), symptom.id))
    return tuple(sorted(phrases, key=lambda item: (-len(item[0]), item)))


def _control_phrases(language: Language) -> dict[str, str]:
    table: dict[str, str] = {}
    for intent, phrases in language.controls.items():
        for phrase in phrases:
            table.setdefault(" ".join(normalize(" ".join(phrase), language)), intent)
    return table


def understand(text: str, model: Model, typed: bool = True) -> Understanding:
    """What ``text`` means. Never raises. ``typed`` False: a recognizer's transcript,
    whose opening question word may be lost ("is his twin brother at risk" heard as "and
    can twin brother at risk"), so a remark with a weak cue is not turned away."""
    words = normalize(text, model.language)
    if not words:
        return Understanding(heard="", intent="unknown", confidence=0.0)
    heard = " ".join(words)
    found = triage.assess(words, model.triage_rules)
    if found:
        return Understanding(heard=heard, intent=found.level, triage=found)
    spell = _spelling(words)
    if spell is not None:
        return Understanding(heard=heard, intent="spell", spell=spell)
    other_spans = signs.find_signs(words, model.signs)
    gone = signs.replaced(other_spans, model.signs)
    spans = {s: span for s, span in _symptom_spans(words, model).items() if s not in gone}
    other_spans = signs.without_fallbacks(other_spans, model.signs, bool(spans))
    others = {sign: start for sign, (start, _) in other_spans.items()}
    positions = {symptom: start for symptom, (start, _) in spans.items()}
    base = Understanding(
        heard=heard,
        intent="unknown",
        symptoms=tuple(positions),
        other_signs=tuple(others),
        duration=_duration(words, model.language),
        trend=_trend(words, model.language),
        answer=_answer(words, model),
        confidence=0.0,
        who=_who(words),
        symptom_words=tuple(
            " ".join(words[a:b]) for a, b in [*spans.values(), *other_spans.values()]
        ),
    )
    return _classify(words, base, {**others, **positions}, model, typed)


def _classify(
    words: Words, base: Understanding, positions: dict[str, int], model: Model, typed: bool
) -> Understanding:
    aspect = match_aspect(words, model.aspects, model.pack)
    if positions and _is_report(words, positions) and not asks_beside(words, positions, aspect):
        return replace(base, intent="report_symptoms", confidence=1.0)
    uncovered = aspect is not None and not aspect.covered
    asks_aspect = aspect is not None and aspect.aspect not in model.aspects.backdrops
    control = _control(words, base.heard, model)
    topic = _topic(words, base.heard, model, bool(base.symptoms or base.other_signs))
    exact = base.heard in model.control_phrases
    unsure_topic = (not topic or topic.confidence < 0.5) and not asks_aspect
    strong = control is not None and not uncovered and _control_covers(words, control, model)
    # "stop" inside a question is content ("how do i stop the bleeding"), not the command;
    # "could you please stop now" is the command, asked politely
    asked = (
        control == "stop"
        and words[0] in _QUESTION_WORDS
        and words[1:2] != ("you",)
        and len(words) > 3
    )
    weak_control_fits = unsure_topic and not asked and not _out_of_scope(words, model.language)
    if control and (exact or strong or weak_control_fits):
        if control == "unsure":
            return replace(base, answer="unsure")
        return replace(base, intent=control, confidence=1.0)
    # an aspect the page does not cover, or one it covers that the section scoring missed
    placed = (
        not topic or names_other_condition(words, model.aspects) or _by_name(topic, aspect, model)
    )
    if aspect and ((uncovered and _asks(words, model)) or (not uncovered and placed)):
        return _aspect_only(words, base, aspect, model)
    if topic and typed and _remark(words, topic, base, model):
        return replace(base, intent="out_of_scope", confidence=0.5)
    if topic:
        section = topic.section or topic.intent
        fact = (
            topic.fact if topic.alternatives else fact_for(section, topic.fact, aspect, model.pack)
        )
        answered = answered_topic(section, fact, aspect, model.pack)
        return replace(
            base, intent=section, section=section, fact=fact, confidence=topic.confidence,
            alternatives=topic.alternatives, topic=answered,
        )  # fmt: skip
    if _out_of_scope(words, model.language):
        return replace(base, intent="out_of_scope", confidence=0.8)
    if base.symptoms:
        return replace(base, intent="report_symptoms", confidence=0.6)
    if _makes_sense(words, model):
        return replace(base, intent="out_of_scope", confidence=0.5)
    return base


def _aspect_only(
    words: Words, base: Understanding, aspect: AspectMatch, model: Model
) -> Understanding:
    """An aspect the section scoring did not place: out of scope when the question is
    about another condition ("how is asthma treated") or off the topic; else where the
    pack answers it, or not_covered when it does not."""
    if names_other_condition(words, model.aspects) or _off_topic(words, model):
        return replace(base, intent="out_of_scope", confidence=0.8)
    answer = model.pack.answer_to(aspect.aspect)
    if answer:
        return replace(
            base, intent=answer.section, section=answer.section, fact=answer.fact,
            confidence=0.6, topic=aspect.aspect,
        )  # fmt: skip
    return replace(base, intent="not_covered", confidence=0.8, topic=aspect.aspect)


def _by_name(topic: Understanding, aspect: AspectMatch | None, model: Model) -> bool:
    """Another section answers the aspect; the scoring fell back on the first or weighs less."""
    answer = model.pack.answer_to(aspect.aspect) if aspect else None
    strong = aspect is not None and aspect.score >= 3 * topic.confidence + 1
    first = topic.section == model.pack.sections[0].id
    return bool(answer and answer.section != topic.section and (first or strong))


def _remark(words: Words, topic: Understanding, base: Understanding, model: Model) -> bool:
    """A remark that happens to hold a weak cue ("the concert was cancelled because of the
    storm"): no question, request or sign, the condition not named, and little evidence."""
    return (
        topic.confidence < REMARK_CONFIDENCE
        and len(words) >= 5
        and not (base.symptoms or base.other_signs)
        and not _asks(words, model)
        and words[0] not in _AUXILIARIES
    )


REMARK_CONFIDENCE = 0.5
"""Topic evidence under this, in a typed remark rather than a question, is not taken up.
Not in speech: on the spoken question set it turned 19 of 1,715 misheard questions away
(their question word lost), more than the unrelated remarks it caught there."""


def _asks(words: Words, model: Model) -> bool:
    """A question, a request or a short topic ("vaccines"), or about the pack's condition:
    not a remark that happens to hold an aspect's word ("the cat is asleep")."""
    return (
        words[0] in _QUESTION_WORDS | _REQUEST_WORDS
        or bool(set(words) & _ASKING)
        or len(words) <= 4
        or bool(model.aspects.own_names & {stem(word) for word in words})
    )


def _off_topic(words: Words, model: Model) -> bool:
    """An out-of-scope phrase that is not an aspect's cue ("what time is it")."""
    return any(contains(words, phrase) for phrase in model.off_topic)


def _spelling(words: Words) -> str | None:
    """The word in "spell lymphocytic", "how do you spell X", "how is X spelled"; "" when
    the word is missing; None when this is not a request to spell."""
    if words[0] == "spell" or (len(words) > 2 and words[:2] == ("how", "do") and "spell" in words):
        rest = words[words.index("spell") + 1 :]
        rest = tuple(word for word in rest if word not in ("the", "word", "it", "out", "for", "me"))
        return " ".join(rest[:1])
    if words[-1] in ("spelled", "spelt") and len(words) >= 3 and words[0] == "how":
        return words[-2]
    return None


def _answer(words: Words, model: Model) -> str | None:
    """yes, no or unsure when the utterance opens with (or is) such an answer."""
    table = model.control_phrases
    for size in (4, 3, 2, 1):
        head = " ".join(words[:size])
        if len(words) >= size and table.get(head) in _ANSWERS and head not in model.whole_only:
            return table[head]
    return None


def find_triage(text: str, model: Model) -> Triage | None:
    """Triage anywhere in ``text``, however long: checked in overlapping windows, so that
    cutting long input never hides an emergency. The highest level found wins."""
    step = MAX_INPUT_CHARS - 100
    found = []
    for start in range(0, min(len(text), 200_000), step):
        words = normalize(text[start : start + MAX_INPUT_CHARS], model.language)
        result = triage.assess(words, model.triage_rules) if words else None
        if result:
            found.append(result)
    return min(found, key=lambda t: triage.LEVELS.index(t.level), default=None)


def _symptom_spans(words: Words, model: Model) -> dict[str, tuple[int, int]]:
    """Symptom id to where it is mentioned (start, end), in the pack's order."""
    found: dict[str, tuple[int, int]] = {}
    stems = tuple(stem(word) for word in words)
    for phrase, symptom in model.symptom_phrases:
        if symptom not in found:
            span = _find_symptom(stems, phrase)
            if span is not None:
                found[symptom] = span
    order = [symptom.id for symptom in model.pack.symptoms]
    return {symptom: found[symptom] for symptom in sorted(found, key=order.index)}


def _find_symptom(stems: Words, phrase: Words) -> tuple[int, int] | None:
    """Where a symptom phrase is: in order with small gaps, or a two-word phrase in
    either order close together ("aching legs", "legs that ache")."""
    for wanted in (phrase, phrase[::-1]) if len(phrase) == 2 else (phrase,):
        position = find(stems, wanted, max_gap=3 if len(wanted) > 1 else 0)
        if position is not None:
            return position, span_end(stems, wanted, position)
    return None


def _who(words: Words) -> str | None:
    """Whom the words are about: "my son" (or "our little boy") gives the relation; else
    I or me is "self", and he or she stands alone."""
    for index, word in enumerate(words):
        if word in ("my", "our"):
            named = [w for w in words[index + 1 : index + 3] if w in RELATIONS]
            if named:
                return named[0]
    present = set(words)
    if present & {"i", "me", "my", "myself"}:
        return "self"
    if present & {"he", "him", "his"}:
        return "he"
    if present & {"she", "her"}:
        return "she"
    return None


def _is_report(words: Words, positions: dict[str, int]) -> bool:
    """Someone says they (or someone they care for) have symptoms, not a general question:
    "my son has a fever", "her gums bleed", or symptoms said with no question around them."""
    first = min(positions.values())
    if any(word in _POSSESSIVE for word in words[max(0, first - 4) : first]):
        return True
    for index, word in enumerate(words[: first + 1]):
        if word in _PERSONAL and set(words[index + 1 : index + 3]) & _EXPERIENCE:
            return True
    return words[0] not in _QUESTION_WORDS and not _names_the_disease(words)


def _names_the_disease(words: Words) -> bool:
    """Leukemia, symptoms or A L L named; not "all" in "tired all the time", "all day"."""
    return any(
        word in _GENERAL_WORDS
        and not (word == "all" and words[index + 1 : index + 2] in _ALL_IDIOMS)
        for index, word in enumerate(words)
    )


def _control(words: Words, heard: str, model: Model) -> str | None:
    """A short command or answer: the longest control phrase found in a short utterance."""
    table = model.control_phrases
    if heard in table:
        return table[heard]
    if len(words) > 8:
        return None
    best: tuple[int, int, str] | None = None
    for phrase, intent in table.items():
        if phrase in model.whole_only:
            continue
        phrase_words = tuple(phrase.split())
        if contains(words, phrase_words):
            rank = (len(phrase_words), 0 if intent in _ANSWERS else 1, intent)
            best = max(best, rank) if best else rank
    if best and best[2] not in _ANSWERS:
        return best[2]
    first = words[0]
    if table.get(first) in _ANSWERS and first not in model.whole_only and len(words) <= 8:
        return table[first]
    if best is None:
        if len(words) > 2:
            return None
        found = process.extractOne(heard, list(table), scorer=fuzz.ratio, score_cutoff=85)
        return table[found[0]] if found else None
    covered = best[0] / len(words)
    return best[2] if covered >= 0.25 or len(words) <= 3 else None


def _control_covers(words: Words, control: str, model: Model) -> bool:
    """A phrase of ``control`` of two or more words makes up half the utterance or more."""
    return any(
        intent == control and len(phrase.split()) >= 2
        and contains(words, tuple(phrase.split())) and 2 * len(phrase.split()) >= len(words)
        for phrase, intent in model.control_phrases.items()
    )  # fmt: skip


def _topic(
    words: Words, heard: str, model: Model, symptoms_mentioned: bool = False
) -> Understanding | None:
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
        if len(ranked_facts) == 1 or ranked_facts[0][1] > ranked_facts[1][1] + 0.2:
            facts[section] = (ranked_facts[0][1], ranked_facts[0][0])
    content = _content_words(words, model.ignored)
    best_example = process.extractOne(content, model.examples, scorer=fuzz.token_sort_ratio)
    if best_example and best_example[1] >= 60:
        section, fact = model.example_targets[best_example[2]]
        bonus = (best_example[1] - 60) / 10.0
        scores[section] = scores.get(section, 0.0) + bonus
        if fact and best_example[1] >= 80:
            facts[section] = (99.0, fact)
    if symptoms_mentioned:
        scores[_SYMPTOM_SECTION] = scores.get(_SYMPTOM_SECTION, 0.0) + 1.5
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    top_section, top_score = ranked[0] if ranked else ("", 0.0)
    if top_score < 0.9:
        if not content and set(words) & model.ignored - _STOPWORDS:
            first = model.pack.sections[0].id
            return Understanding(heard=heard, intent=first, section=first, confidence=0.6)
        return None
    strength = _out_of_scope_strength(words, model.language)
    if strength and top_score < 2.0 + strength:
        return None
    close = tuple(s for s, score in ranked[:2] if score >= top_score * 0.85 and top_score < 3.0)
    return Understanding(
        heard=heard,
        intent=top_section,
        section=top_section,
        fact=facts.get(top_section, (0.0, None))[1],
        confidence=min(1.0, top_score / 3.0),
        alternatives=close if len(close) > 1 else (),
    )


def _makes_sense(words: Words, model: Model) -> bool:
    """An ordinary question or request, just not one the content covers."""
    content = [word for word in words if word not in _STOPWORDS]
    known = [word for word in content if word in model.language.english]
    if len(words) >= 3 and content and words[0] in _QUESTION_WORDS | _REQUEST_WORDS:
        return True
    if not known or len(words) < 3:
        return False
    return len(set(known)) >= 2 and len(words) >= 4 and len(known) >= 0.75 * len(content)


def _out_of_scope(words: Words, language: Language) -> bool:
    return _out_of_scope_strength(words, language) > 0


def _out_of_scope_strength(words: Words, language: Language) -> int:
    """Length of the longest out-of-scope phrase in ``words`` (0 when there is none)."""
    return max((len(p) for p in language.out_of_scope if contains(words, p)), default=0)


def _duration(words: Words, language: Language) -> Duration | None:
    for index, word in enumerate(words):
        long_ago = next((p for p in _LONG_AGO if words[index : index + len(p)] == p), None)
        if long_ago:
            return Duration(_LONG_AGO[long_ago], LONG_AGO_DAYS)
        if word in language.units and not _is_frequency(words, index):
            return _amount_before(words, index, language)
        if word == "since" and index + 1 < len(words):
            return _since(words[index + 1 :], language)
        if word == "yesterday":
            return Duration("since yesterday", 1.0)
    return None


def _is_frequency(words: Words, index: int) -> bool:
    """ "every day", "twice a week", "each night": how often, not how long."""
    before = words[max(0, index - 2) : index]
    return bool(set(before) & {"every", "each", "per", "once", "twice", "times"})


def _amount_before(words: Words, index: int, language: Language) -> Duration:
    unit = words[index]
    start = index
    amount: float = 2.0 if unit.endswith("s") else 1.0  # "for weeks": two at the least
    for back in (1, 2, 3):
        if index - back < 0:
            break
        word = words[index - back]
        if _DIGITS.match(word):
            amount, start = min(float(word), 1e6), index - back
            break
        if word in language.numbers:
            amount, start = float(language.numbers[word]), index - back
            break
        if word not in ("of", "a", "an", "the", "past", "last"):
            break
    if start > 0 and words[start - 1] in ("a", "an", "the", "past", "last"):
        start -= 1
    for more in _MORE_THAN:  # "over a fortnight", "more than a month": kept, as said
        if words[max(0, start - len(more)) : start] == more:
            start -= len(more)
    days = min(amount * language.units[unit], 36500.0)
    return Duration(text=" ".join(words[start : index + 1]), days=days)


def _since(rest: Words, language: Language) -> Duration:
    first = rest[0]
    if first in ("yesterday", "last") and rest[1:2] == ("night",):
        return Duration("since last night", 1.0)
    if first == "yesterday":
        return Duration("since yesterday", 1.0)
    if first == "last" and len(rest) > 1 and rest[1] in language.units:
        return Duration(f"since last {rest[1]}", language.units[rest[1]])
    if first == "last" and len(rest) > 1 and rest[1] in _SEASONS:
        return Duration(f"since last {rest[1]}", LONG_AGO_DAYS)
    if first in _WEEKDAYS or first == "last":
        return Duration(" ".join(("since", *rest[:2])), None)
    return Duration(" ".join(("since", *rest[:3])), None)


def _trend(words: Words, language: Language) -> str | None:
    for trend in ("worse", "same", "better"):
        if any(contains(words, phrase) for phrase in language.trends[trend]):
            return trend
    return None


MIN_SYMPTOMS_WHEN_UNSURE = 2
"""A report naming this many symptoms is acted on even when the recognizer doubts it."""


def under_doubt(heard: Understanding) -> Understanding:
    """What to make of speech the recognizer doubted (``Transcript.in_domain`` false).

    Triage (an emergency, an urgent case, a crisis) is never dropped for doubt. A report
    naming two or more symptoms is taken: unrelated speech rarely decodes into one, and
    the follow-up questions show what was heard. A question that points at one section
    is not answered but offered back for a yes or no (``unsure_of``). Anything else is
    taken as not heard. On ``benchmarks.devset`` (760 utterances) the first two rules
    recovered 16 utterances the recognizer doubted (15 reports, 1 emergency), against 5
    unrelated sentences taken up, 4 of them as emergencies."""
    if heard.triage is not None:
        return heard
    if heard.intent == "report_symptoms" and len(set(heard.symptoms)) >= MIN_SYMPTOMS_WHEN_UNSURE:
        return heard
    if heard.section and heard.intent == heard.section and len(heard.alternatives) < 2:
        return Understanding(heard="", intent="unknown", confidence=0.0, unsure_of=heard.section)
    return Understanding(heard="", intent="unknown", confidence=0.0)


def understand_heard(text: str, model: Model, doubted: bool = False) -> Understanding:
    """What a recognizer's transcript means, as voice mode acts on it: ``understand``, then
    an emergency that a "can" heard for "cannot" would hide (``triage.assess_as_cannot``),
    then ``under_doubt`` when the recognizer ``doubted`` the words."""
    heard = understand(text, model, typed=False)
    if heard.triage is None:
        found = triage.assess_as_cannot(tuple(heard.heard.split()), model.triage_rules)
        if found is not None:
            heard = Understanding(heard=heard.heard, intent=found.level, triage=found)
    return under_doubt(heard) if doubted else heard
