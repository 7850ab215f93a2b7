"""The carrier templates and word lists of the recognizer's corpus, from ``data/corpus.toml``.

``load_corpus_table(path)`` reads and checks the table: a missing list, a value that is not
a list of text, or a template with a slot that ``corpus.corpus_sentences`` does not fill
raises ``DataError`` naming the file (and the line, where there is one). The shipped table
is read once, when this module is first imported, into ``TABLE``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allvoice.data import CORPUS, line_of, read_table, require
from allvoice.errors import DataError


@dataclass(frozen=True)
class CorpusTable:
    """The templates and word lists of ``data/corpus.toml``; its comments say what each is for."""

    disease_words: tuple[str, ...]
    """How people name the condition, besides the pack's own names."""
    people: tuple[str, ...]
    """Who a report is about: ``{person}``."""
    third_person: tuple[str, ...]
    """The people who take "has": ``{one}``."""
    possessives: tuple[str, ...]
    """Whose: ``{whose}``."""
    since: tuple[str, ...]
    """Since when: ``{since}``."""
    vague_durations: tuple[str, ...]
    """Durations that are not a number and a unit."""
    question_wrappers: tuple[str, ...]
    """Around each pack question: ``{q}``."""
    topic_templates: tuple[str, ...]
    """Around each section title and keyword: ``{topic}``."""
    disease_questions: tuple[str, ...]
    """Asked of every name of the condition: ``{disease}``."""
    control_wrappers: tuple[str, ...]
    """Around each control phrase: ``{x}``."""
    out_of_scope_templates: tuple[str, ...]
    """Around each out-of-scope keyword and missing aspect cue: ``{x}``."""
    duration_templates: tuple[str, ...]
    """Replies about how long: ``{d}``."""
    trend_templates: tuple[str, ...]
    """Replies about better or worse: ``{x}``."""
    symptom_templates: Mapping[str, tuple[str, ...]]
    """By form (noun, state, action, clause): the shared templates, then the form's own."""
    emergency_templates: Mapping[str, tuple[str, ...]]
    """By form (raw, noun, state, action, clause)."""
    action_starts: frozenset[str]
    """First words of a symptom action ("keeps getting sick")."""
    state_starts: frozenset[str]
    """First words of a symptom state ("pale")."""
    noun_ends: frozenset[str]
    """Last words that make a symptom phrase a noun ("pale skin")."""
    clause_verbs: frozenset[str]
    """Second words that make a symptom phrase a clause ("bones hurt")."""
    emergency_raw_starts: frozenset[str]
    """First words of a whole emergency request ("call an ambulance")."""
    emergency_actions: frozenset[str]
    """First words of an emergency action ("stopped breathing")."""
    emergency_states: frozenset[str]
    """First words of an emergency state ("unconscious")."""
    emergency_clause_verbs: frozenset[str]
    """Second words that make an emergency phrase a clause (``clause_verbs`` among them)."""
    classic_signs: frozenset[str]
    """Triage concepts sampled in more carriers than the rest."""
    said_as_is: frozenset[str]
    """Triage concepts whose phrases are used without a carrier."""


_SYMPTOM_FORMS = ("noun", "state", "action", "clause")
_EMERGENCY_FORMS = ("raw", *_SYMPTOM_FORMS)
_PEOPLE_SLOTS = frozenset({"person", "one", "whose"})
_SLOTS = {
    "question_wrappers": frozenset({"q"}),
    "topic": frozenset({"topic", "disease"}),
    "disease_questions": frozenset({"disease"}),
    "control_wrappers": frozenset({"x"}),
    "out_of_scope": frozenset({"x", "disease"}),
    "duration": frozenset({"d"}),
    "trend": frozenset({"x"}),
    "symptom": _PEOPLE_SLOTS | {"symptom", "other", "duration", "since", "disease"},
    "emergency": _PEOPLE_SLOTS | {"x"},
}
"""The slots each kind of template may use: what ``corpus_sentences`` fills in."""


def load_corpus_table(path: Path = CORPUS) -> CorpusTable:
    """The table in ``path``; ``DataError`` (file, line) for a missing list, a value that is
    not a list of text, or a template slot that nothing fills."""
    data = read_table(path)
    words, templates = _section(data, "words", path), _section(data, "templates", path)
    symptoms = _section(data, "symptom_templates", path)
    emergencies = _section(data, "emergency_templates", path)
    symptom_forms = _section(data, "symptom_forms", path)
    emergency_forms = _section(data, "emergency_forms", path)
    triage = _section(data, "triage", path)
    people = _texts(words, "people", path)
    shared = _templates(symptoms, "any_form", "symptom", path)
    not_one = frozenset(_texts(words, "plural_or_first_person", path))
    clause_verbs = frozenset(_texts(symptom_forms, "clause_verbs", path))
    return CorpusTable(
        disease_words=_texts(words, "disease", path),
        people=people,
        third_person=tuple(person for person in people if person not in not_one),
        possessives=_texts(words, "possessives", path),
        since=_texts(words, "since", path),
        vague_durations=_texts(words, "vague_durations", path),
        question_wrappers=_templates(templates, "question_wrappers", "question_wrappers", path),
        topic_templates=_templates(templates, "topic", "topic", path),
        disease_questions=_templates(templates, "disease_questions", "disease_questions", path),
        control_wrappers=_templates(templates, "control_wrappers", "control_wrappers", path),
        out_of_scope_templates=_templates(templates, "out_of_scope", "out_of_scope", path),
        duration_templates=_templates(templates, "duration", "duration", path),
        trend_templates=_templates(templates, "trend", "trend", path),
        symptom_templates={
            form: shared + _templates(symptoms, form, "symptom", path) for form in _SYMPTOM_FORMS
        },
        emergency_templates={
            form: _templates(emergencies, form, "emergency", path) for form in _EMERGENCY_FORMS
        },
        action_starts=frozenset(_texts(symptom_forms, "action_starts", path)),
        state_starts=frozenset(_texts(symptom_forms, "state_starts", path)),
        noun_ends=frozenset(_texts(symptom_forms, "noun_ends", path)),
        clause_verbs=clause_verbs,
        emergency_raw_starts=frozenset(_texts(emergency_forms, "raw_starts", path)),
        emergency_actions=frozenset(_texts(emergency_forms, "actions", path)),
        emergency_states=frozenset(_texts(emergency_forms, "states", path)),
        emergency_clause_verbs=clause_verbs
        | frozenset(_texts(emergency_forms, "clause_verbs", path)),
        classic_signs=frozenset(_texts(triage, "classic_signs", path)),
        said_as_is=frozenset(_texts(triage, "said_as_is", path)),
    )


def _section(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    section = require(data, name, path)
    if not isinstance(section, dict):
        raise DataError(str(path), line_of(path, f"[{name}]"), f"[{name}] must be a table")
    return section


def _texts(section: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    values = require(section, key, path)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise DataError(str(path), line_of(path, f"{key} ="), f"{key} must be a list of text")
    return tuple(values)


def _templates(section: dict[str, Any], key: str, kind: str, path: Path) -> tuple[str, ...]:
    templates = _texts(section, key, path)
    for template in templates:
        slots = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        unknown = sorted(slots - _SLOTS[kind])
        if unknown:
            raise DataError(
                str(path),
                line_of(path, template),
                f"the template {template!r} has a slot {{{unknown[0]}}} that nothing fills "
                f"(it may use {', '.join(sorted(_SLOTS[kind]))})",
            )
    return templates


TABLE = load_corpus_table()
"""The shipped table, read once when this module is first imported."""
