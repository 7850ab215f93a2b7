"""The notes the summary for the doctor is read from: each person told of, each sign with
its own words, duration and trend, a temperature with its unit, an age and chemotherapy
as said. Pure.

``record(notes, heard)`` adds what an utterance told, clause by clause
(``Understanding.told``): a clause that names a person is about them ("my daughter",
or "her", the last woman or girl told of); a clause that names no one and no sign is
about the noted sign it shares a word with ("gums for two months"), else about the
person of the clause before it, else about the person talked about now. A duration or
a trend goes to the signs its clause is about, replacing what was said before ("no, it
was three weeks"). "I don't know" is not a trend, and is not noted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from allvoice.understanding.language import stem
from allvoice.understanding.results import Told, Understanding
from allvoice.understanding.wordsets import HE, SETS, SHE

_VAGUE = (None, "he", "she")
_TREND_SAID = ("better", "worse", "same")
_NOT_CONTENT = SETS.stopwords | SETS.function_words | SETS.personal_words | SETS.experience_words


@dataclass(frozen=True)
class Sign:
    """One sign told of, about one person."""

    id: str
    """The symptom or everyday sign id ("bleeding_gums")."""
    words: str
    """The words it was first told in ("gums keep bleeding")."""
    duration: str | None = None
    """How long, as said ("three weeks", "since saturday")."""
    days: float | None = None
    """How long in days, when it could be worked out."""
    trend: str | None = None
    """better, worse or same, when said."""


@dataclass(frozen=True)
class Person:
    """Whom signs were told of, and what was told about them."""

    who: str | None = None
    """A relation ("son"), "self", "he" or "she"; None when not said."""
    age: str | None = None
    """The age as said ("7 years old")."""
    signs: tuple[Sign, ...] = ()
    """The signs, in the order told."""
    temperature: str | None = None
    """The temperature with its unit as said ("38.6 degrees")."""
    chemo: str | None = None
    """Chemotherapy in the person's words ("on chemo")."""
    other: tuple[str, ...] = ()
    """Anything else told about them that is not a sign ("my wife has been breathless")."""


@dataclass(frozen=True)
class Notes:
    """What the user told about the signs in this conversation, in their words where
    possible: the summary for the doctor is read from it."""

    people: tuple[Person, ...] = ()
    """Everyone signs were told of, in the order first told."""
    now: int = 0
    """The index in ``people`` of the person talked about now."""
    last: tuple[int, str] | None = None
    """The person index and sign id of the sign told last, for "remove that"."""
    other: tuple[str, ...] = ()
    """Anything else told while the signs were talked of, as heard."""

    @classmethod
    def one(
        cls,
        who: str | None = None,
        symptoms: tuple[str, ...] = (),
        signs: tuple[str, ...] = (),
        since: str | None = None,
        trend: str | None = None,
    ) -> Notes:
        """Notes about one person whose signs share a duration and a trend."""
        told = tuple(Sign(i, w, since, None, trend) for i, w in zip(symptoms, signs, strict=True))
        return cls(people=(Person(who=who, signs=told),))

    @property
    def who(self) -> str | None:
        """Whom the signs talked about now are about (see ``Person.who``)."""
        return self.people[self.now].who if self.people else None

    @property
    def symptoms(self) -> tuple[str, ...]:
        """Every sign id told of, in the order first told; empty: nothing to summarise."""
        return tuple(dict.fromkeys(sign.id for person in self.people for sign in person.signs))


def record(notes: Notes, heard: Understanding) -> Notes:
    """``notes`` with what ``heard`` told, clause by clause; signs ``understand`` found
    that no clause holds go to the person talked about now."""
    before: int | None = None
    for clause in heard.told:
        notes, before = _record_clause(notes, clause, before)
    placed = {sign for clause in heard.told for sign in clause.signs}
    told = zip(heard.symptoms + heard.other_signs, heard.symptom_words, strict=False)
    for sign, words in told:
        if sign not in placed:
            notes = _add_signs(notes, _whom(notes, heard.who, None), ((sign, words),))
    return notes


def with_trend(notes: Notes, trend: str) -> Notes:
    """A trend answered to "are the signs getting better?", for the person talked about
    now; "unsure" is not noted."""
    if trend not in _TREND_SAID or not notes.people:
        return notes
    person = notes.people[notes.now]
    signs = tuple(replace(sign, trend=trend) for sign in person.signs)
    return _set(notes, notes.now, replace(person, signs=signs))


def remove_last(notes: Notes) -> tuple[Notes, str | None]:
    """``notes`` without the sign told last, and its words; None when there is none."""
    if notes.last is None:
        return notes, None
    index, sign_id = notes.last
    person = notes.people[index]
    gone = next(sign for sign in person.signs if sign.id == sign_id)
    person = replace(person, signs=tuple(s for s in person.signs if s.id != sign_id))
    return replace(_set(notes, index, person), last=None), gone.words


def _record_clause(notes: Notes, clause: Told, before: int | None) -> tuple[Notes, int | None]:
    """Note one clause; return the notes and the index of the person it was about."""
    matched = _matching_signs(notes, clause)
    if not _tells(clause) and not matched:
        return notes, before
    index = _whom(notes, clause.who, before, clause)
    if matched and (clause.who is None or (clause.who in _VAGUE and not clause.signs)):
        index = matched[0][0]  # "gums for two months", "the bruises": whoever has them
    notes, index = _ensure_person(notes, len(notes.people) if index is None else index, clause)
    notes = _add_signs(notes, index, tuple(zip(clause.signs, clause.sign_words, strict=False)))
    targets = set(clause.signs) | {sign for i, sign in matched if i == index}
    notes = _set_course(notes, index, clause, targets)
    person = notes.people[index]
    person = replace(
        person,
        age=clause.age or person.age,
        temperature=clause.temperature or person.temperature,
        chemo=clause.chemo or person.chemo,
    )
    if not clause.signs and not matched and _names_new(clause) and not person.signs:
        person = replace(person, other=(*person.other, clause.words))
    return replace(_set(notes, index, person), now=index), index


def _tells(clause: Told) -> bool:
    """A clause that tells something for the notes, not "i think" or "no sorry"."""
    return bool(
        clause.signs or clause.duration or clause.trend or clause.temperature
        or clause.age or clause.chemo or _names_new(clause)
    )  # fmt: skip


def _names_new(clause: Told) -> bool:
    return clause.who not in (*_VAGUE, "self") and len(clause.words.split()) >= 3


def _whom(
    notes: Notes, who: str | None, before: int | None, clause: Told | None = None
) -> int | None:
    """The index of the person ``who`` names; ``len(notes.people)`` for someone new;
    None when the clause names no one and there is no one yet."""
    said = who if clause is None or who != "self" or clause.signs or clause.chemo else None
    people = notes.people
    if said in ("he", "she"):
        gender = HE if said == "he" else SHE
        order = [notes.now, *reversed(range(len(people)))] if people else []
        fits = [i for i in order if people[i].who == said or people[i].who in gender]
        return fits[0] if fits else (notes.now if people else len(people))
    if said is not None:
        same = [i for i, p in enumerate(people) if p.who == said]
        if same:
            return same[0]
        vague = [i for i, p in enumerate(people) if _could_be(p.who, said)]
        return vague[0] if vague else len(people)
    if before is not None:
        return before
    return notes.now if people else None


def _could_be(known: str | None, named: str) -> bool:
    """A person told of only as "he", "she" or no one, who may be the one now named."""
    if known is None:
        return True
    return (known == "he" and named in HE) or (known == "she" and named in SHE)


def _ensure_person(notes: Notes, index: int, clause: Told) -> tuple[Notes, int]:
    """Add the person at ``index`` when new; name a vague one when the clause names them."""
    if index >= len(notes.people):
        who = clause.who if clause.who != "self" or clause.signs or clause.chemo else None
        return replace(notes, people=(*notes.people, Person(who=who))), len(notes.people)
    person = notes.people[index]
    named = clause.who
    if named not in _VAGUE and person.who in _VAGUE and (named != "self" or clause.signs):
        notes = _set(notes, index, replace(person, who=named))
    return notes, index


def _add_signs(notes: Notes, index: int | None, told: tuple[tuple[str, str], ...]) -> Notes:
    if not told:
        return notes
    if index is None or index >= len(notes.people):
        notes = replace(notes, people=(*notes.people, Person()))
        index = len(notes.people) - 1
    person = notes.people[index]
    known = {sign.id for sign in person.signs}
    new = tuple(Sign(sign, words) for sign, words in told if sign not in known)
    if not new:
        return notes
    notes = _set(notes, index, replace(person, signs=person.signs + new))
    return replace(notes, last=(index, new[-1].id), now=index)


def _set_course(notes: Notes, index: int, clause: Told, targets: set[str]) -> Notes:
    """The clause's duration and trend on the signs it is about, or on all the person's
    signs when it names none of them ("ten days", "her for a week")."""
    if not clause.duration and not clause.trend:
        return notes
    if clause.chemo and not targets:  # "he had chemo last week": when the chemo was
        return notes
    person = notes.people[index]
    chosen = targets or {sign.id for sign in person.signs}
    signs = []
    for sign in person.signs:
        if sign.id in chosen:
            if clause.duration:
                sign = replace(sign, duration=clause.duration.text, days=clause.duration.days)
            if clause.trend:
                sign = replace(sign, trend=clause.trend)
        signs.append(sign)
    return _set(notes, index, replace(person, signs=tuple(signs)))


def _matching_signs(notes: Notes, clause: Told) -> list[tuple[int, str]]:
    """Noted signs (person index, id) the clause is about: the same sign named again, or a
    content word shared with the words it was told in ("gums", "sweats", "bones")."""
    said = {stem(w) for w in clause.words.split() if len(w) > 2 and w not in _NOT_CONTENT}
    if clause.duration:
        said -= {stem(w) for w in clause.duration.text.split()}
    found = []
    for index, person in enumerate(notes.people):
        for sign in person.signs:
            words = {stem(w) for w in sign.words.split() + sign.id.split("_")}
            if sign.id in clause.signs or said & words:
                found.append((index, sign.id))
    return found


def _set(notes: Notes, index: int, person: Person) -> Notes:
    people = list(notes.people)
    people[index] = person
    return replace(notes, people=tuple(people))
