"""An utterance clause by clause: ``told(text, model) -> tuple[Told, ...]``. Pure.

"His gums about a month, her bones maybe a week" tells two durations about two signs of
two people; read as one sentence it would give one duration to everyone. So a report or
an answer is cut into clauses, at commas, full stops and the like, and at "and" or "but"
when a person is named after it ("... and my daughter has ..."), or at a person named
after a duration when nothing marks the cut (a recognizer's words have no commas). Each
clause says whom it names, its signs, how long, which way, and a temperature, an age or
chemotherapy as said. Which noted sign or person a clause without a sign is about is for
the conversation to work out (``conversation/notes.py``): only it knows what was noted.
"""

from __future__ import annotations

import re

from allvoice.understanding import details
from allvoice.understanding.language import Words, normalize
from allvoice.understanding.model import Model
from allvoice.understanding.readings import temperature_said
from allvoice.understanding.results import Told
from allvoice.understanding.wordsets import RELATIONS, SETS

_BREAK = re.compile(r"[,;:!?]+|(?<!\d)\.|\.(?!\d)|\s-+\s")
"""Where typed text is cut: punctuation, but not the point of "38.6"."""
_PERSON_AFTER = SETS.possessives | SETS.self_pronouns | SETS.he_pronouns | SETS.she_pronouns


def told(text: str, model: Model) -> tuple[Told, ...]:
    """What each clause of ``text`` tells, in order; clauses with no words are left out."""
    found: list[Told] = []
    for piece in _BREAK.split(text):
        words = normalize(piece, model.language) if piece.strip() else ()
        found += [_clause(clause, model) for clause in _cut(words, model)]
    return tuple(found)


def _cut(words: Words, model: Model) -> list[Words]:
    """``words`` cut before a joining word followed by a person ("and my", "but he") or
    after a duration ("a month and the bruises a week"), and before a person named after a
    duration ("a month her bones a week")."""
    clauses: list[Words] = []
    start = 0
    for index in range(1, len(words)):
        word, after = words[index], words[index + 1 : index + 2]
        lasted = index - start >= 2 and details.duration(words[start:index], model.language)
        joined = word in SETS.clause_joins and bool(after) and (after[0] in _PERSON_AFTER or lasted)
        unmarked = word in _PERSON_AFTER and word not in ("i", "my") and bool(lasted)
        if joined or unmarked:
            clauses.append(words[start:index])
            start = index + 1 if joined else index
    clauses.append(words[start:])
    clauses = [c[1:] if c and c[0] in SETS.clause_joins else c for c in clauses]
    return [clause for clause in clauses if clause]


_THERMOMETER = frozenset(("thermometer", "temperature", "temp", "reading", "reads"))
"""Words that say a number is a temperature even with no fever named."""


def _clause(words: Words, model: Model) -> Told:
    named = _signs(words, model)
    fever = "fever" in named or bool(_THERMOMETER & set(words))  # "102 on the thermometer"
    return Told(
        words=" ".join(words),
        who=details.who(words),
        signs=tuple(named),
        sign_words=tuple(named.values()),
        duration=details.duration(words, model.language),
        trend=details.trend(words, model.language),
        temperature=temperature_said(words, model.triage_rules.temperature, fever),
        age=_age(words, model),
        chemo=_chemo(words),
    )


def _signs(words: Words, model: Model) -> dict[str, str]:
    """Sign id to the words it was said in, as ``understand`` finds them: the pack's
    symptoms first, then the everyday signs that no symptom stands for."""
    spans, other_spans = details.sign_spans(words, model)
    return {sign: " ".join(words[a:b]) for sign, (a, b) in [*spans.items(), *other_spans.items()]}


def _age(words: Words, model: Model) -> str | None:
    """An age said with "old": "7 year old" and "seven years old" are "7 years old"."""
    numbers = model.language.numbers
    for index in range(len(words) - 2):
        unit, old = words[index + 1], words[index + 2]
        if old != "old" or unit not in SETS.age_units:
            continue
        word = words[index]
        amount = int(word) if word.isdigit() else numbers.get(word)
        if amount is not None:
            plural = unit if unit.endswith("s") or amount == 1 else f"{unit}s"
            return f"{amount} {plural} old"
    return None


def _chemo(words: Words) -> str | None:
    """Chemotherapy in the person's words: the clause from after whom it names ("my son
    is on chemo": "on chemo")."""
    if not set(words) & SETS.chemo_words:
        return None
    skip = SETS.personal_words | SETS.clause_joins | RELATIONS | {"is", "are", "am", "was", "has"}
    start = 0
    while start < len(words) and words[start] in skip:
        start += 1
    return " ".join(words[start:]) or None
