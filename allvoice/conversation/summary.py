"""The summary for the doctor: what the user told about the signs, read back. Pure.

``take_notes`` keeps, turn by turn, who the signs are about, which signs (in the words
they were told in), since when, better or worse, and anything else told along the way;
``spoken`` and ``written`` give the summary to read aloud and to keep in a file. The date
of a written summary comes from the caller: nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from allvoice.conversation import phrasing
from allvoice.conversation.state import FollowUp, Notes
from allvoice.understanding.results import Understanding
from allvoice.understanding.wordsets import RELATIONS, SETS

_NOT_TOLD = ("unknown", "out_of_scope")
_ABOUT_SOMEONE = RELATIONS | frozenset("i my me he his him she her they their them it its".split())


def take_notes(notes: Notes, heard: Understanding, followup: FollowUp | None) -> Notes:
    """``notes`` with what a symptom report or a follow-up answer added. A report about
    someone else ("my wife ..." after "my son ...") starts the notes afresh: a summary is
    for one person's visit."""
    told = heard.symptoms + heard.other_signs
    if told and _someone_else(notes.who, heard.who):
        notes = Notes()
    named = heard.who if told else None  # "I think a month" names no one
    who = notes.who if notes.who not in (None, "he", "she") else named or notes.who
    new = [
        (symptom, words)
        for symptom, words in zip(told, heard.symptom_words, strict=False)
        if symptom not in notes.symptoms
    ]
    notes = replace(
        notes,
        who=who,
        symptoms=notes.symptoms + tuple(symptom for symptom, _ in new),
        signs=notes.signs + tuple(words for _, words in new),
    )
    if followup is not None:
        notes = replace(
            notes,
            since=followup.duration or notes.since,
            trend=followup.trend or notes.trend,
        )
    return notes


def _someone_else(known: str | None, named: str | None) -> bool:
    """A person named (a relation, or the user) who is not the one the notes are about."""
    vague = (None, "he", "she")
    return known not in vague and named not in vague and known != named


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
    """The summary as (label, what was told) pairs, in the order a doctor asks."""
    facts = [
        (phrasing.SUMMARY_WHO, phrasing.who_said(notes.who)),
        (phrasing.SUMMARY_SIGNS, phrasing.join_words(list(notes.signs))),
        (phrasing.SUMMARY_SINCE, notes.since or ""),
        (phrasing.SUMMARY_TREND, phrasing.trend_said(notes.trend)),
        (phrasing.SUMMARY_OTHER, phrasing.join_words(list(notes.other))),
    ]
    return [(label, told) for label, told in facts if told]


def spoken(notes: Notes) -> str:
    """The summary to read aloud, or how to get one when no signs were told."""
    if not notes.symptoms:
        return phrasing.NO_SUMMARY_YET
    told = " ".join(f"{label}: {value}." for label, value in _facts(notes))
    return f"{phrasing.SUMMARY_OPENING} {told} {phrasing.SUMMARY_CLOSING}"


def written(notes: Notes, day: date) -> str:
    """The summary as plain text for a file, one fact a line, headed by ``day``."""
    lines = [phrasing.summary_heading(day), ""]
    lines += [f"{label}: {value}" for label, value in _facts(notes)]
    return "\n".join([*lines, "", phrasing.SUMMARY_CLOSING, ""])
