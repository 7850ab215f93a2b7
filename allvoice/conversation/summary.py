"""The summary for the doctor: what the user told about the signs, read back. Pure.

The notes are kept turn by turn by ``notes.record`` (each person, each sign with its
duration and trend); ``take_aside`` keeps anything else told along the way; ``spoken``
and ``written`` give the summary to read aloud and to keep in a file. The date
of a written summary comes from the caller: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.notes import Notes, Person
from allvoice.understanding.results import Understanding
from allvoice.understanding.wordsets import RELATIONS, SETS

_NOT_TOLD = ("unknown", "out_of_scope")
_ABOUT_SOMEONE = RELATIONS | frozenset("i my me he his him she her they their them it its".split())


def take_aside(notes: Notes, heard: Understanding, intent: str) -> Notes:
    """Something else told while signs are talked of ("she has lost weight"): kept as heard.
    Questions, and anything the dialogue understood as something else, are not."""
    words = heard.heard.split()
    if not notes.symptoms or intent not in _NOT_TOLD or len(words) < 2:
        return notes
    if not _ABOUT_SOMEONE & set(words):  # "thank you", "blue banana": nothing told
        return notes
    if words[0] in SETS.question_words or heard.heard in notes.other:
        return notes
    return replace(notes, other=(*notes.other, heard.heard))


def _facts(notes: Notes) -> list[tuple[str, str]]:
    """The summary as (label, what was told) pairs, in the order a doctor asks: one block
    per person, then anything else told."""
    people = [p for p in notes.people if p.signs or p.other or p.temperature or p.chemo]
    facts = [fact for person in people for fact in _person(person, several=len(people) > 1)]
    facts.append((symptom_wording.SUMMARY_OTHER, phrasing.join_words(list(notes.other))))
    return [(label, told) for label, told in facts if told]


def _person(person: Person, several: bool) -> list[tuple[str, str]]:
    """One person's block. Signs that share a duration and a trend (or were told without
    one) are told once, as "How long" and "Better or worse"; else each sign with its own."""
    signs = person.signs
    who = symptom_wording.who_said(person.who)
    if person.age:
        who = f"{who}, {person.age}" if who else person.age
    facts = [(symptom_wording.SUMMARY_WHO, who)]
    durations = {s.duration for s in signs if s.duration}
    trends = {s.trend for s in signs if s.trend}
    if signs and len(durations) <= 1 and len(trends) <= 1 and not several:
        facts += [
            (symptom_wording.SUMMARY_SIGNS, phrasing.join_words([sign.words for sign in signs])),
            (symptom_wording.SUMMARY_SINCE, next(iter(durations), "")),
            (symptom_wording.SUMMARY_TREND, symptom_wording.trend_said(next(iter(trends), None))),
        ]
    else:
        courses = [symptom_wording.sign_course(s.words, s.duration, s.trend) for s in signs]
        facts.append((symptom_wording.SUMMARY_SIGNS, "; ".join(courses)))
    return [
        *facts,
        (symptom_wording.SUMMARY_TEMPERATURE, person.temperature or ""),
        (symptom_wording.SUMMARY_CHEMO, person.chemo or ""),
        (symptom_wording.SUMMARY_OTHER, phrasing.join_words(list(person.other))),
    ]


def spoken(notes: Notes) -> str:
    """The summary to read aloud, or how to get one when no signs were told."""
    if not notes.symptoms:
        return symptom_wording.NO_SUMMARY_YET
    told = " ".join(f"{label}: {value}." for label, value in _facts(notes))
    return f"{symptom_wording.SUMMARY_OPENING} {told} {symptom_wording.SUMMARY_CLOSING}"


def written(notes: Notes, day: date) -> str:
    """The summary as plain text for a file, one fact a line, headed by ``day``."""
    lines = [symptom_wording.summary_heading(day), ""]
    lines += [f"{label}: {value}" for label, value in _facts(notes)]
    return "\n".join([*lines, "", symptom_wording.SUMMARY_CLOSING, ""])
