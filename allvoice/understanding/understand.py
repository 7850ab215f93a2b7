"""Text to intent: ``understand(text, model) -> Understanding``. Pure.

Order of checks, safest first: triage (``triage.assess``: an emergency, an urgent case,
a crisis); a report of symptoms (the pack's, and the everyday signs of ``signs``); a
short control command or answer; a question about an aspect the pack does not cover
(``aspects``, ``not_covered``); a question about one of the pack's sections, scored on
its keywords and example questions (``topics``); a question the content does not cover;
otherwise ``unknown``. Along the way ``details`` reads whom, how long and which way, and
``controls`` the short commands; ``listing`` a request about the list just read, before
a report ("tell me more about the lumps"). ``Model`` is compiled once per content pack by
``model.build_model``; ``spoken.understand_heard`` is the same for a recognizer's words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from allvoice.understanding import (
    audience,
    clauses,
    controls,
    cues,
    details,
    listing,
    readings,
    search,
    terms,
    topics,
    triage,
)
from allvoice.understanding.aspects import (
    AspectMatch,
    answered_topic,
    asks_beside,
    fact_for,
    match_aspect,
    names_other_condition,
)
from allvoice.understanding.language import (
    AGE_MARK,
    MAX_INPUT_CHARS,
    Words,
    clean,
    find,
    normalize,
    stem,
)
from allvoice.understanding.model import Model
from allvoice.understanding.results import Placement, Understanding
from allvoice.understanding.triage import Triage
from allvoice.understanding.wordsets import SETS


def understand(text: str, model: Model, typed: bool = True) -> Understanding:
    """What ``text`` means. Never raises. ``typed`` False: a recognizer's transcript,
    whose opening question word may be lost ("is his twin brother at risk" heard as "and
    can twin brother at risk"), so a remark with a weak cue is not turned away."""
    words = normalize(text, model.language)
    if not words:
        return Understanding(heard="", intent="unknown", confidence=0.0)
    heard = " ".join(words)
    said = _said(words, model) | {"said": clean(text)}
    found = triage.assess(words, model.triage_rules)
    if found:
        told = clauses.told(text, model)  # kept for the summary even in an emergency
        return Understanding(heard=heard, intent=found.level, triage=found, told=told, **said)
    spell = details.spelling(words)
    if spell is not None:
        return Understanding(heard=heard, intent="spell", spell=spell)
    spans, other_spans = details.sign_spans(words, model)
    others = {sign: start for sign, (start, _) in other_spans.items()}
    positions = {symptom: start for symptom, (start, _) in spans.items()}
    said_spans = [*spans.values(), *other_spans.values()]  # where each sign is said
    base = Understanding(
        heard=heard,
        intent="unknown",
        symptoms=tuple(positions),
        other_signs=tuple(others),
        duration=details.duration(words, model.language),
        trend=details.trend(words, model.language),
        answer=controls.answer(words, model),
        confidence=0.0,
        symptom_words=tuple(" ".join(words[a:b]) for a, b in said_spans),
        told=clauses.told(text, model),
        **said,
    )
    listed = listing.navigation(words, base, model)  # before a report: "go back to the fever"
    ageless = _without_age(words, model)
    signs_at = frozenset(i for a, b in said_spans for i in range(a, b))
    signs = {**others, **positions}
    found_intent = listed or _classify(words, ageless, base, signs, signs_at, model, typed)
    if not listed:
        placed = _last_resort(found_intent, words, model)
        found_intent = _searched(placed, ageless, model)
    if found_intent.intent == "out_of_scope" and not topics.about_health(words, base, model):
        return replace(found_intent, off_topic=True)
    return found_intent


_ASKS_OF_AGE = frozenset(("age", "ages", "older", "younger", "old"))
"""Words that make the age said a part of what is asked ("is he high risk because of his
age, he turned 10")."""


def _without_age(words: Words, model: Model) -> Words:
    """``words`` with an age said put out of reach of the search for the fact that
    answers ("my 16 year old, is his treatment the same" does not ask how many years
    it lasts), each word kept in its place; unless the question asks of the age."""
    rules = model.triage_rules
    found = readings.age_said(words, rules.ages, rules.temperature["numbers"])
    if found is None or _ASKS_OF_AGE & {w for i, w in enumerate(words) if i not in found[1]}:
        return words
    return tuple(AGE_MARK if index in found[1] else word for index, word in enumerate(words))


def _said(words: Words, model: Model) -> dict[str, Any]:
    """What the sentence tells besides its intent, read whatever the intent: the cues and
    an age."""
    rules = model.triage_rules
    age = readings.read_years(words, rules.ages, rules.temperature["numbers"])
    return {
        "who": details.who(words),
        "cues": cues.read_cues(words, model.cue_table),
        "age": age,
        "past": triage.is_past(words, rules),
        "audience": audience.audience(words, age),
    }


def find_case_triage(told: tuple[Words, ...], now: Words, model: Model) -> Triage | None:
    """Triage over what was told in the conversation so far (``told``, oldest first, each
    as ``understand`` normalised it) and ``now`` together, as one account: a fever said in
    one turn and chemotherapy in the next is the fever during treatment. None when
    nothing was told before."""
    if not told:
        return None
    words: Words = ()
    for part in (*told, now):
        words = (*words, *TURN_GAP, *part) if words and part else words or part
    return triage.assess(words, model.triage_rules)


TURN_GAP = ("·",) * 16
"""Put between the statements of different turns: no phrase matches across it, a negation
does not reach over it, and it is wider than any rule's ``near``, so that only rules about
the case add up across turns (a fever and chemotherapy), not those about one phrase
(blood, then urine in another turn, is not blood in the urine)."""


def _classify(
    words: Words,
    ageless: Words,
    base: Understanding,
    positions: dict[str, int],
    signs_at: frozenset[int],
    model: Model,
    typed: bool,
) -> Understanding:
    """The intent of ``words``; ``ageless`` is the same words with an age said marked
    (``_without_age``); ``signs_at`` the positions of the words of the signs said."""
    aspect = _for_whom(
        match_aspect(words, model.aspects, model.pack, signs_at), base.audience, model
    )
    if (
        positions
        and topics.is_report(words, positions)
        and not asks_beside(ageless, positions, aspect, model.aspects)
    ):
        return replace(base, intent="report_symptoms", confidence=1.0)
    uncovered = aspect is not None and not aspect.covered
    asks_aspect = aspect is not None and aspect.aspect not in model.aspects.backdrops
    control = controls.command(words, base.heard, model)
    signs_said = bool(base.symptoms or base.other_signs)
    topic = topics.score_sections(words, base.heard, model, signs_said, base.audience)
    exact = base.heard in model.control_phrases
    unsure_topic = (not topic or topic.confidence < 0.5) and not asks_aspect
    strong = control is not None and not uncovered and controls.covers(words, control, model)
    # "stop" inside a question is content ("how do i stop the bleeding"), not the command;
    # "could you please stop now" is the command, asked politely
    asked = (
        control == "stop"
        and words[0] in SETS.question_words
        and words[1:2] != ("you",)
        and len(words) > 3
    )
    weak_control_fits = (
        unsure_topic and not asked and not topics.out_of_scope(words, model.language)
    )
    if control and (exact or strong or weak_control_fits):
        if control == "unsure":
            return replace(base, answer="unsure")
        return replace(base, intent=control, confidence=1.0)
    term = terms.asked_term(ageless, model)  # "what is a tki, i am 50"
    if term is not None:
        return _term(base, term, model)
    # an aspect the page does not cover, or one it covers that the section scoring missed
    placed = (
        not topic
        or names_other_condition(words, model.aspects)
        or topics.by_name(topic, aspect, model)
    )
    asks = topics.asks(ageless, model)
    if aspect and ((uncovered and asks) or (not uncovered and placed)):
        return _aspect_only(words, base, aspect, model)
    if topic and aspect and asks_aspect and topics.first_answers(topic, aspect, model):
        return _aspect_only(words, base, aspect, model)  # the first pack answers first
    # treatment, the backdrop of other aspects, asked alone in a question ("what are
    # steroids for"): not read from a section that does not answer it
    asked_backdrop = aspect is not None and asks
    if (
        topic
        and aspect
        and (asks_aspect or asked_backdrop)
        and topics.elsewhere(topic, aspect, model)
    ):
        return _aspect_only(words, base, aspect, model)
    if topic and typed and topics.remark(ageless, topic, base, model):
        return replace(base, intent="out_of_scope", confidence=0.5)
    if topic:
        section = topic.section or topic.intent
        fact = (
            topic.fact if topic.alternatives else fact_for(section, topic.fact, aspect, model.pack)
        )
        answered = answered_topic(section, fact, aspect, model.pack)
        return replace(
            base, intent=section, section=section, fact=fact, confidence=topic.confidence,
            alternatives=topic.alternatives, topic=answered, for_audience=topic.for_audience,
        )  # fmt: skip
    if topics.out_of_scope(words, model.language):
        return replace(base, intent="out_of_scope", confidence=0.8)
    if base.symptoms:
        return replace(base, intent="report_symptoms", confidence=0.6)
    if topics.makes_sense(words, model):
        return replace(base, intent="out_of_scope", confidence=0.5)
    return base


def _for_whom(aspect: AspectMatch | None, whom: str | None, model: Model) -> AspectMatch | None:
    """``aspect``, not covered when the packs answer it only for others than whom the
    question is about ("will treatment make me infertile, I am 30": the summary for
    children tells of fertility, the one for adults does not)."""
    if aspect is None or whom is None or not model.pack.only_for_others(aspect.aspect, whom):
        return aspect
    return replace(aspect, covered=False)


def _aspect_only(
    words: Words, base: Understanding, aspect: AspectMatch, model: Model
) -> Understanding:
    """An aspect the section scoring did not place: out of scope when the question is
    about another condition ("how is asthma treated") or off the topic; else where the
    pack answers it, or not_covered when it does not."""
    if names_other_condition(words, model.aspects) or topics.off_topic(words, model):
        return replace(base, intent="out_of_scope", confidence=0.8)
    answer = model.pack.answer_to(aspect.aspect, base.audience) if aspect.covered else None
    if answer:
        answers = model.pack.answers_to(aspect.aspect)
        placements = tuple(
            Placement(a.audience, a.section, a.fact or topics.fact_by_words(words, a.section, model))  # noqa: E501
            for a in answers
            if a.audience
        )  # fmt: skip
        fact = answer.fact or topics.fact_by_words(words, answer.section, model)
        return replace(
            base, intent=answer.section, section=answer.section, fact=fact,
            confidence=0.6, topic=aspect.aspect,
            for_audience=placements if len(placements) > 1 else (),
        )  # fmt: skip
    return replace(base, intent="not_covered", confidence=0.8, topic=aspect.aspect)


def _last_resort(found: Understanding, words: Words, model: Model) -> Understanding:
    """A question that names the disease but that nothing placed (it would be "out of
    scope", or not understood): the other packs' fact that shares at least
    ``SHARED_WORDS`` of its words, if any ("is there anything to stop my leukemia from
    going into my brain"); else as it was."""
    unplaced = found.intent == "unknown" or (
        found.intent == "out_of_scope" and found.confidence <= REMARK_OR_SENSE
    )
    if not unplaced or found.symptoms or not topics.names_the_disease(words):
        return found
    others = _other_sections(model, found.audience)
    ranked = search.best_facts(words, model.search, model.unsaid, others)
    if not ranked or not _shares_enough(words, model.search, model.unsaid, ranked[0]):
        return found
    _, section, fact = ranked[0]
    return replace(found, intent=section, section=section, fact=fact, confidence=0.5)


def _other_sections(model: Model, audience: str | None = None) -> frozenset[str]:
    """The sections of the packs after the first; those for ``audience`` (or for
    everyone) when it is given."""
    return frozenset(
        s for s, family in model.families.items()
        if family == "others"
        and (audience is None or model.audiences.get(s) in (audience, None))
    )  # fmt: skip


def _shares_enough(
    words: Words, index: search.FactIndex, unsaid: frozenset[str], found: tuple[float, str, str]
) -> bool:
    """The fact ``found`` (score, section, fact) holds at least ``SHARED_WORDS`` different
    words of the question: one word alone, however rare, does not move a question."""
    return len(search.shared(words, index, unsaid, *found[1:])) >= SHARED_WORDS


REMARK_OR_SENSE = 0.5
"""The confidence of "out of scope" for a question nothing placed (``topics.makes_sense``)
or a remark (``topics.remark``), against 0.8 for what is plainly out of scope."""


SCOPE_BONUS = 1.3
"""How much more a fact counts in the search when its section answers the aspect asked."""


def _searched(found: Understanding, words: Words, model: Model) -> Understanding:
    """A question the other packs answer: the fact of theirs that answers it best
    (``search``), for whom it is about; for each audience when that is not said and the
    answer differs."""
    if found.section is None or found.term:
        return found
    if model.families.get(found.section) != "others" and not _more_specific(found, words, model):
        return found
    others = _other_sections(model, found.audience)
    aspect = match_aspect(words, model.aspects, model.pack)
    answers = model.pack.answers_to(aspect.aspect) if aspect else ()
    scope = frozenset(s for a in answers for s in (a.section, *a.also)) & others
    ranked = search.best_facts(words, model.search, model.unsaid, others, scope, SCOPE_BONUS)
    placed = {found.section, *(t.id for t in model.pack.twins(found.section))} | scope
    here = [item for item in ranked if item[1] in placed]
    if model.families.get(found.section) == "others" and not _jumps(words, ranked, here, model):
        ranked = here  # the placing holds: the search picks the fact within it
    if not ranked:
        return found
    best: dict[str | None, tuple[str, str]] = {}
    for _, section, fact in ranked:
        best.setdefault(model.audiences.get(section), (section, fact))
    section, _ = best.get(found.audience) or ranked[0][1:]
    twins = model.pack.twins(section)
    audiences = [model.audiences[t.id] for t in twins if model.audiences[t.id] in best]
    facts = {
        where: specific(words, ranked, where, model)
        for where in {section, *(best[audience][0] for audience in audiences)}
    }  # one search on the facts' own words for each section
    chosen = facts[section]
    placements = tuple(
        Placement(audience, best[audience][0], facts[best[audience][0]]) for audience in audiences
    )
    return replace(
        found, intent=section, section=section, fact=chosen,
        topic=answered_topic(section, chosen, aspect, model.pack) or found.topic,
        for_audience=placements if len(placements) > 1 else (), alternatives=(),
    )  # fmt: skip


def _jumps(
    words: Words,
    ranked: list[tuple[float, str, str]],
    here: list[tuple[float, str, str]],
    model: Model,
) -> bool:
    """Whether the search moves a question out of the section it was placed in (``here``:
    the facts of that section, its twins and the aspect's sections): when a fact
    elsewhere scores ``JUMP`` times the best one there, or when none there shares a word
    with the question, and that fact shares ``SHARED_WORDS`` with it ("is she going to
    die" stays with the outlook, whatever fact says "going"; "how is my baby's treatment
    different" with the treatment, whatever fact says "baby")."""
    if not ranked:
        return False
    shares = _shares_enough(words, model.search, model.unsaid, ranked[0])
    if here:
        return ranked[0][0] >= JUMP * here[0][0] and shares
    return shares


SPECIFIC_AGREED = 12.0
"""``SPECIFIC`` where the aspect asked is the one the first pack's section answers ("when
should we call the children's doctor" is when to see a doctor, whatever else it says)."""
SPECIFIC_FACT = 3.0
"""``SPECIFIC`` where the first pack answers the aspect with one fact (``_beyond_first``)."""
SPECIFIC_THEME = 6.0
"""``SPECIFIC`` within the other packs' sections on the theme of the first pack's section
(``_same_theme``): one rare word they say and it does not ("neurofibromatosis"), not the
everyday words around it ("being exposed to radiation at work" scores 5.1)."""
JUMP = 1.5
"""The search moves a question to another section than the one it was placed in (and the
aspect's) only when a fact there scores this many times the best fact of its own."""
SPECIFIC = 7.0
"""Search evidence, from words the first pack's section does not use, for which another
pack's fact answers better than the first pack's section ("why a chest x-ray": the test,
not the risk of x-rays)."""


def _more_specific(found: Understanding, words: Words, model: Model) -> bool:
    """The question is placed in the first pack's section, but another pack answers it
    better: on the whole question (``_better_elsewhere``), or on the words that section
    does not use (``_beyond_first``)."""
    return _better_elsewhere(words, model) or _beyond_first(found, words, model)


FIRST_PRIOR = 2.0
"""The first pack answers first: another pack's fact takes a question from it only when
it scores this many times the first pack's best fact on the whole question (one search
over every pack's facts, ``Model.everything``), plus ``FIRST_MARGIN``."""
FIRST_MARGIN = 2.0
"""Search evidence another pack's fact needs beyond ``FIRST_PRIOR`` times the first
pack's best: about one telling word."""
SHARED_WORDS = 2
"""Different words of the question another pack's fact must hold to take it from the
first pack ("is it mostly a childhood cancer" shares only "mostly" with any)."""


def _better_elsewhere(words: Words, model: Model) -> bool:
    """Another pack's fact answers the whole question better than any of the first
    pack's: ``FIRST_PRIOR``, ``FIRST_MARGIN`` and ``SHARED_WORDS`` ("does my age matter
    for my outlook" is the other packs' outlook by age, not the chance of a cure)."""
    unsaid = model.unsaid | SETS.he_pronouns | SETS.she_pronouns  # "she" is not a topic
    ranked = search.best_facts(words, model.everything, unsaid)
    first = next((score for score, s, _ in ranked if model.families[s] == "first"), 0.0)
    best = next(((score, s, f) for score, s, f in ranked if model.families[s] == "others"), None)
    if best is None or best[0] <= FIRST_PRIOR * first + FIRST_MARGIN:
        return False
    return _shares_enough(words, model.everything, unsaid, best)


def _beyond_first(found: Understanding, words: Words, model: Model) -> bool:
    """Another pack's fact shares telling words with the question that the first pack's
    section does not use. Where the first pack answers the aspect with one fact (the
    chance of a cure) and the others with sections (what affects the outlook), their
    sections need less: ``SPECIFIC_FACT``, within those sections. The others' sections on
    the theme of the first pack's section need ``SPECIFIC_THEME`` (``_same_theme``)."""
    assert found.section is not None
    own = model.section_stems[found.section]
    others = _other_sections(model)
    threshold = SPECIFIC
    asked = match_aspect(words, model.aspects, model.pack)
    first = model.pack.answer_to(asked.aspect) if asked else None
    if first is not None and first.section == found.section and first.fact is None:
        threshold = SPECIFIC_AGREED  # the question's aspect is this section's
    answers = model.pack.answers_to(found.topic) if found.topic else ()
    deeper = frozenset(s for a in answers if a.audience for s in (a.section, *a.also))
    if found.fact and deeper and any(a.fact == found.fact for a in answers if not a.audience):
        own = next(stems for fact, stems in model.fact_words[found.section] if fact == found.fact)
        others, threshold = deeper, SPECIFIC_FACT
    rest = tuple(word for word in words if stem(word) not in own)
    ranked = search.best_facts(rest, model.search, model.unsaid, others)
    if ranked and ranked[0][0] >= threshold:
        return True
    themed = _same_theme(found.section, model)
    ranked = search.best_facts(rest, model.search, model.unsaid, themed) if themed else []
    return bool(ranked) and ranked[0][0] >= SPECIFIC_THEME


def _same_theme(section: str, model: Model) -> frozenset[str]:
    """The other packs' sections on the theme of the first pack's ``section``, when it has
    one: the risk factors that the summaries list for children or for adults ("does
    neurofibromatosis raise his risk", "because i am a man"), beyond the page's four."""
    theme = model.pack.section(section).theme
    if theme is None:
        return frozenset()
    return frozenset(
        s.id for s in model.pack.sections if s.theme == theme and model.families[s.id] == "others"
    )


LEAD_MARGIN = 3.0
"""A fact other than its section's first is read on its own only when it scores this
much above the first: else the section is read from its start, the lead first. The
score is the sum of two (``specific``), so this is twice the 1.5 it was on one."""
NAMED_ONLY = 6.0
"""Taken from the lead's score when one other fact of its section explains a word the
question says: "what happens during maintenance" asks for the fact on maintenance, not
for the lead that names the three phases. Two words that two facts explain ask for the
lead that names both ("high risk versus standard risk")."""


def specific(
    words: Words, ranked: list[tuple[float, str, str]], section: str, model: Model
) -> str | None:
    """The fact of ``section`` the question asks for, when it asks for one more than for
    the section's lead fact; None (read the section from its start) when it does not.
    A fact scores its search score (``ranked``, which counts its section's words too)
    plus its score on its own words (``Model.facts_only``): a word that one fact says
    ("thyroid", "learning") tells more than the words its whole section shares."""
    own = search.best_facts(words, model.facts_only, model.unsaid, frozenset({section}))
    scores: dict[str, float] = {}
    for score, where, fact in (*ranked, *own):
        if where == section:
            scores[fact] = scores.get(fact, 0.0) + score
    lead = model.pack.section(section).facts[0].id
    if len(_explaining(words, section, model) - {lead}) == 1:
        scores[lead] = scores.get(lead, 0.0) - NAMED_ONLY
    fact = max(scores, key=lambda f: scores[f], default=lead)
    if fact == lead or scores[fact] >= scores.get(lead, 0.0) + LEAD_MARGIN:
        return fact
    return None


def _explaining(words: Words, section: str, model: Model) -> set[str]:
    """The facts of ``section`` that explain a word the question says ("maintenance"),
    but not a word of the section's title, which its facts all tell of ("relapse")."""
    stems = tuple(stem(word) for word in words)
    title = {stem(word) for word in normalize(model.pack.section(section).title, model.language)}
    return {
        fact
        for form, where, fact in model.terms
        if where == section and not set(form) <= title and find(stems, form) is not None
    }


def _term(base: Understanding, term: terms.Term, model: Model) -> Understanding:
    """The fact that explains ``term``: from the pack for whom the question is about when
    it says; each pack's explanation in ``for_audience``."""
    placements = tuple(
        Placement(model.audiences[section], section, fact)
        for section, fact in term.where
        if section in model.audiences
    )
    section, fact = next(
        ((p.section, p.fact) for p in placements if p.audience == base.audience), term.where[0]
    )
    return replace(
        base, intent=section, section=section, fact=fact, confidence=1.0, term=term.words,
        topic=answered_topic(section, fact, None, model.pack), for_audience=placements,
    )  # fmt: skip


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
