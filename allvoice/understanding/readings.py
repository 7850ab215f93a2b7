"""Numbers, temperatures and ages read from normalised words. Pure.

"38.4" typed arrives as the words "38" and "4"; spoken, as "thirty eight point four".
``read_temperatures`` gives degrees Celsius from either, with or without a unit ("102 F",
"39 degrees"), and the unit the person used; ``read_age`` a baby's age in months ("my six
week old"). The number words, units and ranges come from the ``[temperature]`` and
``[ages]`` tables of ``data/triage.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from allvoice.understanding.language import Words

_DIGITS = re.compile(r"^(\d+)([cf]?)$")


def read_number(words: Words, index: int, numbers: dict[str, int]) -> tuple[float, int] | None:
    """The number that starts at ``words[index]`` and the index after it: digits ("38",
    "38 4" for a typed 38.4), or words ("thirty eight point four", "a hundred and two",
    "one oh two"). None when no number starts there."""
    word = words[index]
    digits = _DIGITS.match(word)
    if digits:
        value, end = float(digits.group(1)), index + 1
        if not digits.group(2) and end < len(words) and re.fullmatch(r"\d[cf]?", words[end]):
            value += float(words[end][0]) / 10  # "38.4" was split into "38" and "4"
            end += 1
        return _decimal(words, end, value, numbers)
    if word in ("a", "an") and words[index + 1 : index + 2] != ("hundred",):
        return None
    run: list[str] = []
    end = index
    while end < len(words) and (
        (words[end] in numbers and (words[end] not in ("a", "an") or not run))
        or (words[end] == "and" and "hundred" in run)
    ):
        run.append(words[end])
        end += 1
    while run and run[-1] == "and":
        run.pop()
        end -= 1
    if not run:
        return None
    return _decimal(words, end, _words_value(run, numbers), numbers)


def _words_value(run: list[str], numbers: dict[str, int]) -> float:
    values = [numbers[word] for word in run if word != "and"]
    if "hundred" in run:
        at = run.index("hundred")
        before = [numbers[w] for w in run[:at] if w != "and"] or [1]
        after = [numbers[w] for w in run[at + 1 :] if w != "and"]
        return float(before[-1] * 100 + sum(after))
    if len(values) >= 2 and all(v < 10 for v in values):
        return float("".join(str(v) for v in values))  # "one oh two", "three eight"
    return float(sum(values))


def _decimal(words: Words, end: int, value: float, numbers: dict[str, int]) -> tuple[float, int]:
    """Add "point five" after a number."""
    if words[end : end + 1] == ("point",) and end + 1 < len(words):
        nxt = words[end + 1]
        digit = int(nxt[0]) if nxt[:1].isdigit() else numbers.get(nxt)
        if digit is not None and digit < 10:
            return value + digit / 10, end + 2
    return value, end


@dataclass(frozen=True)
class Temperature:
    """A temperature said."""

    celsius: float
    """Its value in degrees Celsius, to a tenth."""
    at: int
    """The index of the word it starts at."""
    unit: str
    """The unit the person used: "C", or "F" for Fahrenheit, said ("102 F") or read from
    the number ("101", "a hundred and one": no temperature in Celsius is that high)."""


def read_temperatures(words: Words, table: dict[str, Any], fever_said: bool) -> list[Temperature]:
    """Temperatures said, each in degrees Celsius, where it is and in which unit: a number
    with a unit or a decimal point ("38.6"), or any plausible number when fever is spoken
    of ("burning hot, 39")."""
    found = []
    index = 0
    while index < len(words):
        number = read_number(words, index, table["numbers"])
        if number is None:
            index += 1
            continue
        value, end = number
        unit = _unit(words, index, end, table)
        after = words[end] if end < len(words) else ""
        decimal = not value.is_integer()
        cue = bool(set(words[max(0, index - 3) : index]) & set(table["before"]))
        if after not in table["not_after"] and (unit or fever_said or decimal or cue):
            said = _as_celsius(value, unit, table)
            if said is not None:
                found.append(Temperature(said[0], index, said[1]))
        index = max(end, index + 1)
    return found


def _unit(words: Words, start: int, end: int, table: dict[str, Any]) -> str:
    """c, f, or "" (a unit word that does not say which, such as degrees, or none)."""
    glued = _DIGITS.match(words[end - 1])
    if glued and glued.group(2):
        return glued.group(2)
    following = " ".join(words[end : end + 2])
    for unit, key in (("f", "units_fahrenheit"), ("c", "units_celsius")):
        if any(following == u or following.startswith(f"{u} ") for u in table[key]):
            return unit
    return "degrees" if words[end : end + 1] and words[end] in table["unit_words"] else ""


def _as_celsius(value: float, unit: str, table: dict[str, Any]) -> tuple[float, str] | None:
    """Degrees Celsius and the unit ``value`` was in, or None when it is no body
    temperature in either unit."""
    low_c, high_c = table["celsius"]
    low_f, high_f = table["fahrenheit"]
    if unit != "f" and low_c <= value <= high_c:
        return round(value, 1), "C"
    if unit != "c" and low_f <= value <= high_f:
        return round((value - 32) * 5 / 9, 1), "F"
    return None


def read_age(words: Words, ages: dict[str, Any], numbers: dict[str, int]) -> float | None:
    """A baby's age in months: "six week old", "my 2 month old baby", "baby is 7 weeks"."""
    found = _age_in_months(words, ages, numbers)
    return found[0] if found else None


def _age_in_months(
    words: Words, ages: dict[str, Any], numbers: dict[str, int]
) -> tuple[float, range] | None:
    """``read_age``, with the words that say it."""
    units: dict[str, float] = ages["units"]
    for index in range(len(words)):
        number = read_number(words, index, numbers)
        if number is None and words[index] in ("a", "an"):
            number = (1.0, index + 1)  # "a month old", "a week old"
        if number is None:
            continue
        value, end = number
        if words[end : end + 3] == ("and", "a", "half"):
            value, end = value + 0.5, end + 3
        unit = words[end] if end < len(words) else ""
        if unit not in units:
            continue
        after = words[end + 1] if end + 1 < len(words) else ""
        before = " ".join(words[max(0, index - 3) : index])
        if after in ages["after"] or any(before.endswith(b) for b in ages["before"]):
            return value * units[unit], range(index, end + 1 + (after == "old"))
    return None


_YEARS_AFTER = frozenset(("year", "years", "yr", "yrs"))
_BE = frozenset(("am", "is", "was", "turned", "aged", "age"))
_NOT_AN_AGE = frozenset(
    "degrees degree c f celsius fahrenheit point minutes hours days weeks months times "
    "percent kilos kg pounds".split()
)


def read_years(words: Words, ages: dict[str, Any], numbers: dict[str, int]) -> float | None:
    """The age of the person talked of, in years: "he is 9", "I am 52", "my 5 year old",
    "aged 61", or a baby's age in weeks or months (``read_age``) as a part of a year."""
    found = age_said(words, ages, numbers)
    return found[0] if found else None


def age_said(
    words: Words, ages: dict[str, Any], numbers: dict[str, int]
) -> tuple[float, range] | None:
    """``read_years``, with the words that say it ("she is 70", "5 year old", "8 months
    old"): they say whom a question is about, not what it asks."""
    months = _age_in_months(words, ages, numbers)
    if months is not None:
        return round(months[0] / 12, 2), months[1]
    for index in range(len(words)):
        number = read_number(words, index, numbers)
        if number is None:
            continue
        value, end = number
        after = words[end] if end < len(words) else ""
        before = words[index - 1] if index else ""
        if not value.is_integer() or not 0 < value < 111 or after in _NOT_AN_AGE:
            continue
        if after in _YEARS_AFTER and not _a_duration(before, words[end + 1 : end + 2]):
            return value, range(index, end + 1 + (words[end + 1 : end + 2] == ("old",)))
        if before in _BE:
            start = index - 1 - (index > 1 and words[index - 2] in _WHO_IS)
            return value, range(start, end + 2 * (words[end : end + 2] in _OLD))
    return None


_WHO_IS = frozenset(("i", "he", "she", "they", "we"))
"""Who is of the age said, before the verb ("she is 70")."""
_OLD = frozenset((("years", "old"), ("year", "old")))


_FOR_A_TIME = frozenset(("for", "after", "in", "over", "within", "past", "last", "since"))
"""Words before a number of years that make it a time, not an age ("after two years")."""
_TIME_AFTER = frozenset(("ago", "later", "before", "after", "since", "of"))
"""Words after "years" that make it a time ("two years ago", "two years of treatment")."""


def _a_duration(before: str, then: Words) -> bool:
    """The years said are a stretch of time, not an age: "for two years", "after two
    years", "two years ago", "three years of chemo"."""
    return before in _FOR_A_TIME or bool(set(then) & _TIME_AFTER)


def temperature_said(words: Words, table: dict[str, Any], fever_said: bool) -> str | None:
    """The first temperature said, as a doctor would read it back: the number as given
    and its unit ("38.6 degrees", "101.5 degrees Fahrenheit"); None when none is said."""
    found = read_temperatures(words, table, fever_said)
    if not found:
        return None
    first = found[0]
    number = read_number(words, first.at, table["numbers"])
    if number is None:  # read_temperatures found one there
        return None
    value, end = number
    said = f"{value:g}" if value < 1000 else str(int(value))
    unit = "f" if first.unit == "F" else _unit(words, first.at, end, table)
    return f"{said} {_UNIT_SAID.get(unit, 'degrees')}"


_UNIT_SAID = {"f": "degrees Fahrenheit", "c": "degrees Celsius"}
