"""Triage: ``assess(words, rules) -> Triage | None``. Pure.

Whether what was said needs help now (``emergency``), today (``urgent``), or a calm
answer about thoughts of suicide or self-harm (``crisis``). The rules are data, in
``data/triage.toml``, written for a clinician to review: concepts (a sign, where it is,
how bad, a context) combined by rules, with a baby's age and a temperature read from the
words (``readings``). ``understand`` calls this first, in every state of the conversation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from allvoice.data import TRIAGE, line_of, read_table, require
from allvoice.errors import DataError
from allvoice.understanding.language import Words, phrase_spans, stem
from allvoice.understanding.readings import read_age, read_temperatures

LEVELS = ("emergency", "crisis", "urgent")
"""The triage levels, highest first; each is also an intent."""

Span = tuple[int, int]


@dataclass(frozen=True)
class Concept:
    """One idea, in its everyday phrasings."""

    phrases: tuple[Words, ...]
    """The phrasings, stemmed."""
    exceptions: tuple[Words, ...]
    """Phrasings in which a match does not count ("blood test"), stemmed."""
    gap: int
    """How many other words may stand between two words of a phrase."""
    at_end: tuple[Words, ...] = ()
    """Phrasings that must end the utterance, their words side by side ("is cutting $")."""


@dataclass(frozen=True)
class Rule:
    """Concepts that together mean one triage level."""

    id: str
    """The reason, as safety_wording.TRIAGE_REASONS knows it."""
    level: str
    """emergency, crisis or urgent."""
    all: tuple[str, ...]
    """Concepts that must all be there."""
    any: tuple[str, ...] = ()
    """Concepts of which one must be there too (none needed when empty)."""
    unless: tuple[str, ...] = ()
    """Concepts that stop the rule when found close to what it matched."""
    near: int | None = None
    """Largest distance, in words, between the matched concepts."""
    who: str | None = None
    """An age band: infant_under_3_months or infant_3_to_6_months."""
    fever_at_least: float = 38.0
    """Degrees Celsius a temperature that is said must reach to count as fever."""
    measured: bool = False
    """True when a temperature must have been said."""
    always: bool = False
    """True when the guards (questions, negation, the past) do not apply."""


@dataclass(frozen=True)
class Rules:
    """Everything ``assess`` needs, compiled once from triage.toml."""

    concepts: dict[str, Concept]
    """Concept id to concept."""
    rules: tuple[Rule, ...]
    """The rules, in the file's order."""
    negators: frozenset[str]
    """Words that negate a sign right after them."""
    negation_reach: int
    """How many words after a negator it negates."""
    clause_breaks: frozenset[str]
    """Words that end what a negator negates ("not blood, just phlegm")."""
    reversers: frozenset[str]
    """Words that, right after a negator, say something goes on ("has not stopped")."""
    openers: tuple[Words, ...]
    """Openings of a request for information."""
    people: frozenset[str]
    """Words that put a person in what was said."""
    past: tuple[Words, ...]
    """Phrases that place what was said in the past."""
    present: tuple[Words, ...]
    """Phrases that place it now."""
    ages: dict[str, Any]
    """How ages are read: units, words after and before, bands."""
    temperature: dict[str, Any]
    """How temperatures are read: units, ranges, number words."""


@dataclass(frozen=True)
class Triage:
    """What triage found in one utterance."""

    level: str
    """emergency, crisis or urgent: the highest level of the rules that fired."""
    reason: str
    """The id of the first rule of that level that fired (for phrasing)."""
    reasons: tuple[str, ...] = ()
    """Every rule that fired, highest level first."""
    temperature: float | None = None
    """The highest temperature said, in degrees Celsius, when one was."""
    unit: str | None = None
    """The unit that temperature was said in, "C" or "F", so that the reply can use it."""
    age_months: float | None = None
    """A baby's age in months, when one was said."""
    if_cannot: bool = False
    """Found only by reading a recognizer's "can" as "cannot" (``assess_as_cannot``)."""


AT_END = " $"
"""Written after a concept phrase, it must end the utterance too, its words side by side
("is cutting $": "my teenager is cutting", not "he is cutting the grass" or "she is not
cutting")."""


def load_rules(normalize: Callable[[str], Words], path: Path = TRIAGE) -> Rules:
    """Compile ``path``; ``normalize`` turns each phrase into words as input is turned."""
    data = read_table(path)

    def phrases(values: list[str]) -> tuple[Words, ...]:
        stemmed = (tuple(stem(word) for word in normalize(value)) for value in values)
        return tuple(phrase for phrase in stemmed if phrase)

    concepts = {}
    for name, value in require(data, "concepts", path).items():
        table = value if isinstance(value, dict) else {"words": value}
        words = table["words"]
        concepts[name] = Concept(
            phrases([w for w in words if not w.endswith(AT_END)]),
            phrases(table.get("not", [])),
            int(table.get("gap", 1)),
            phrases([w.removesuffix(AT_END) for w in words if w.endswith(AT_END)]),
        )
    rules = tuple(_rule(entry, concepts, path) for entry in require(data, "rules", path))
    guards = require(data, "guards", path)
    return Rules(
        concepts=concepts,
        rules=rules,
        negators=frozenset(guards["negators"]),
        negation_reach=int(guards["negation_reach"]),
        clause_breaks=frozenset(guards["clause_breaks"]),
        reversers=frozenset(stem(w) for w in guards["reversers"]),
        openers=tuple(tuple(normalize(o)) for o in guards["information_openers"]),
        people=frozenset(w for p in guards["people"] for w in normalize(p)),
        past=phrases(guards["past"]),
        present=phrases(guards["present"]),
        ages=require(data, "ages", path),
        temperature=require(data, "temperature", path),
    )


def _rule(entry: dict[str, Any], concepts: dict[str, Concept], path: Path) -> Rule:
    rule = Rule(
        id=entry["id"],
        level=entry["level"],
        all=tuple(entry.get("all", ())),
        any=tuple(entry.get("any", ())),
        unless=tuple(entry.get("unless", ())),
        near=entry.get("near"),
        who=entry.get("who"),
        fever_at_least=float(entry.get("fever_at_least", 38.0)),
        measured=bool(entry.get("measured", False)),
        always=bool(entry.get("always", False)),
    )
    unknown = [c for c in (*rule.all, *rule.any, *rule.unless) if c not in concepts]
    if rule.level not in LEVELS or unknown or not (rule.all or rule.any):
        line = line_of(path, f'id = "{rule.id}"')
        problem = f"rule {rule.id}: bad level or unknown concepts {unknown}"
        raise DataError(str(path), line, problem)
    return rule


def assess(words: Words, rules: Rules) -> Triage | None:
    """The triage level of ``words`` (normalised input), or None when there is none."""
    if not words:
        return None
    found = _Finder(words, rules)
    guarded = found.is_information_question() or found.is_past()
    fired = [r for r in rules.rules if (r.always or not guarded) and found.fires(r)]
    if not fired:
        return None
    fired.sort(key=lambda rule: LEVELS.index(rule.level))
    return Triage(
        level=fired[0].level,
        reason=fired[0].id,
        reasons=tuple(dict.fromkeys(rule.id for rule in fired)),
        temperature=found.temperature,
        unit=found.unit,
        age_months=found.age,
    )


CAN_REASSURED = frozenset(
    "again fine okay ok normally normal properly better easily well alright".split()
)
"""Words after "he can breathe" that say it is so: that "can" is not read as "cannot"."""


def assess_as_cannot(words: Words, rules: Rules) -> Triage | None:
    """For a recognizer's transcript in which ``assess`` found nothing. "can" and "can't"
    sound nearly alike (the t is seldom heard), so "my son can breathe" may have been "my
    son can't breathe": a "can" after a person is read as "cannot", and when that reading
    is an emergency it is returned, marked ``if_cannot`` (the reply says "if you said
    cannot"). Not when the words after it say it is so ("he can breathe again", "fine")."""
    if "can" not in words:
        return None
    read = tuple(
        "cannot"
        if word == "can" and index > 0 and words[index - 1] in rules.people
        and not CAN_REASSURED & set(words[index + 1 :])
        else word
        for index, word in enumerate(words)
    )  # fmt: skip
    other = assess(read, rules) if read != words else None
    if other is None or other.level != "emergency":
        return None
    return replace(other, if_cannot=True)


def is_past(words: Words, rules: Rules) -> bool:
    """True when ``words`` tell of something over ("he had chemo back in 2012", "last
    winter"), with nothing said to go on now."""
    return bool(words) and _Finder(words, rules).is_past()


class _Finder:
    """The concepts, temperature and age in one utterance, each worked out once."""

    def __init__(self, words: Words, rules: Rules) -> None:
        self.words = words
        self.stems = tuple(stem(word) for word in words)
        self.present = frozenset(self.stems)
        self.rules = rules
        self._spans: dict[str, list[Span]] = {}
        self.negated = self._negated_words()
        self.age = read_age(words, rules.ages, rules.temperature["numbers"])
        if self.age is None and self.spans("newborn"):
            self.age = 0.0
        reading = read_temperatures(words, rules.temperature, bool(self.spans("fever")))
        highest = max(reading, key=lambda said: said.celsius, default=None)
        self.temperature = highest.celsius if highest else None
        self.unit = highest.unit if highest else None
        self.temperature_at = [said.at for said in reading]

    def spans(self, name: str) -> list[Span]:
        if name not in self._spans:
            concept = self.rules.concepts[name]
            skip = _all_spans(self.stems, concept.exceptions, 0)
            last = len(self.stems)
            found = [
                span
                for phrase in concept.phrases
                if self.present.issuperset(phrase)
                for span in phrase_spans(self.stems, phrase, concept.gap)
            ]
            found += [
                (last - len(phrase), last)
                for phrase in concept.at_end
                if self.stems[last - len(phrase) :] == phrase
            ]
            self._spans[name] = [
                span
                for span in found
                if not any(s <= span[0] and span[1] <= e for s, e in skip)
                and span[0] not in self.negated
            ]
        return self._spans[name]

    def _negated_words(self) -> frozenset[int]:
        """Positions a negator reaches: the next few words, up to a clause break or a
        person ("no, my son cannot breathe"), unless the word after it says something goes
        on ("has not stopped bleeding")."""
        rules, negated = self.rules, set()
        stops = rules.clause_breaks | rules.people
        for index, word in enumerate(self.words):
            following = self.stems[index + 1] if index + 1 < len(self.stems) else ""
            if word not in rules.negators or following in rules.reversers:
                continue
            for after in range(index + 1, min(index + 1 + rules.negation_reach, len(self.words))):
                if self.words[after] in stops:
                    break
                negated.add(after)
        return frozenset(negated)

    def is_information_question(self) -> bool:
        opens = any(self.words[: len(o)] == o for o in self.rules.openers)
        return opens and not set(self.words) & self.rules.people

    def is_past(self) -> bool:
        """Something said to be over ("last winter", "she is fine now") and nothing said to
        go on now; a "now" inside a past phrase ("fine now") does not count."""

        def spans(phrases: tuple[Words, ...]) -> list[Span]:
            return [span for phrase in phrases for span in phrase_spans(self.stems, phrase, 0)]

        past = spans(self.rules.past)
        present = [
            span for span in spans(self.rules.present)
            if not any(s <= span[0] and span[1] <= e for s, e in past)
        ]  # fmt: skip
        return bool(past) and not present

    def fires(self, rule: Rule) -> bool:
        if not self._age_fits(rule.who):
            return False
        groups = [self._concept(name, rule) for name in rule.all]
        if rule.any:
            groups.append([span for name in rule.any for span in self._concept(name, rule)])
        if not all(groups):
            return False
        chosen = self._closest(groups, rule.near)
        if chosen is None:
            return False
        blockers = [span for name in rule.unless for span in self.spans(name)]
        return not any(_close(b, c) for b in blockers for c in chosen)

    def _concept(self, name: str, rule: Rule) -> list[Span]:
        if name != "fever":
            return self.spans(name)
        if self.temperature is not None:
            if self.temperature < rule.fever_at_least:
                return []
            return [(p, p + 1) for p in self.temperature_at]
        return [] if rule.measured else self.spans("fever")

    @staticmethod
    def _closest(groups: list[list[Span]], near: int | None) -> tuple[Span, ...] | None:
        if near is None:
            return tuple(group[0] for group in groups)
        for combination in itertools.islice(itertools.product(*groups), 2000):
            starts = [span[0] for span in combination]
            if max(starts) - min(starts) <= near:
                return combination
        return None

    def _age_fits(self, who: str | None) -> bool:
        if who is None:
            return True
        if self.age is None:
            return False
        bands = self.rules.ages
        if who == "infant_under_3_months":
            return bool(self.age <= bands["under_3_months"])
        return bool(bands["under_3_months"] < self.age <= bands["to_6_months"])


def _close(one: Span, other: Span, words: int = 3) -> bool:
    """True when the spans overlap or at most ``words`` words lie between them."""
    return one[0] <= other[1] + words and other[0] <= one[1] + words


def _all_spans(stems: Words, phrases: tuple[Words, ...], gap: int) -> list[Span]:
    return [span for phrase in phrases for span in phrase_spans(stems, phrase, gap)]
