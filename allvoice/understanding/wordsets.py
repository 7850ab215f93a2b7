"""The word sets that understanding reads a sentence's shape with, from ``data/words.toml``.

``load_words(path)`` reads and checks the table: a missing set, or one that is not a list
of words, raises ``DataError`` naming the file (and the line, where there is one). The
shipped table is read once, when this module is first imported, into ``SETS``; ``HE``,
``SHE`` and ``RELATIONS`` are also what ``conversation`` uses for whom a report is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allvoice.data import WORDS, line_of, read_table, require
from allvoice.errors import DataError
from allvoice.understanding.language import Words


@dataclass(frozen=True)
class WordSets:
    """The sets of ``data/words.toml``; the comments there say what each is for."""

    question_words: frozenset[str]
    """Words that open a question ("what", "can")."""
    request_words: frozenset[str]
    """Words that open a request ("tell", "explain")."""
    asking_words: frozenset[str]
    """Question words anywhere in a sentence ("what", "whether")."""
    auxiliaries: frozenset[str]
    """Auxiliaries that open a question without a question word ("did", "has")."""
    personal_words: frozenset[str]
    """Words that name a person ("my", "son")."""
    possessives: frozenset[str]
    """Possessives that make a symptom just after them a report ("her")."""
    experience_words: frozenset[str]
    """Verbs of having or noticing something ("has", "keeps")."""
    general_words: frozenset[str]
    """Words that name the condition or its symptoms in general ("leukemia", "symptoms")."""
    all_idioms: frozenset[Words]
    """One-word phrases after "all" that make it the everyday word ("day")."""
    condition_names: tuple[str, ...]
    """Names of the condition in general, besides the pack's own ("cancer")."""
    stopwords: frozenset[str]
    """Words that say nothing about which section is meant."""
    function_words: frozenset[str]
    """Words left out of a symptom's phrases."""
    he_relations: frozenset[str]
    """Relations spoken of as "he" ("son")."""
    she_relations: frozenset[str]
    """Relations spoken of as "she" ("daughter")."""
    other_relations: frozenset[str]
    """Other relations "my ..." can name ("child")."""
    adult_relations: frozenset[str]
    """Relations that are grown up unless an age says otherwise ("husband")."""
    child_relations: frozenset[str]
    """Relations that are children unless an age says otherwise ("son")."""
    term_fillers: frozenset[str]
    """Words that may stand around a medical word whose meaning is asked ("is", "a")."""
    baby_words: frozenset[str]
    """Words for babies, a group the summary for children treats apart ("infants")."""
    term_sources: frozenset[str]
    """Who may have told of a medical word ("doctor", "oncologist")."""
    term_reports: frozenset[str]
    """Verbs that tell it ("mentioned", "said")."""
    children_words: frozenset[str]
    """Words that name children as the group asked about ("kids")."""
    adults_words: frozenset[str]
    """Words that name adults as the group asked about ("adults")."""
    self_pronouns: frozenset[str]
    """Pronouns of the speaker ("i", "me")."""
    he_pronouns: frozenset[str]
    """Pronouns of a he ("him")."""
    she_pronouns: frozenset[str]
    """Pronouns of a she ("her")."""
    spell_fillers: frozenset[str]
    """Words dropped around the word to spell ("the", "word")."""
    how_often: frozenset[str]
    """Words before a unit of time that make it a frequency ("every", "twice")."""
    weekdays: frozenset[str]
    """Days of the week."""
    seasons: frozenset[str]
    """Seasons of the year."""
    more_than: tuple[Words, ...]
    """Phrases kept before an amount of time ("more than"), in the order looked for."""
    long_ago: dict[Words, str]
    """Durations without a number that mean weeks at the least, to how each is said back."""
    doubts: tuple[Words, ...]
    """Phrases that take back a trend said after them ("i do not know")."""
    clause_joins: frozenset[str]
    """Words that join two clauses ("and", "but")."""
    chemo_words: frozenset[str]
    """Words of chemotherapy ("chemo")."""
    age_units: frozenset[str]
    """Units of an age said with "old" ("year")."""
    item_nouns: tuple[Words, ...]
    """Nouns after an ordinal that make it ask for an item ("one", "sign")."""
    item_words: frozenset[str]
    """The only other words a request for an item by its place may have ("what", "again")."""
    part_words: frozenset[str]
    """After an ordinal, words that make it count in the part just read ("those")."""
    number_word: frozenset[str]
    """The word before a numeral that asks for an item by number ("number")."""
    count_opening: tuple[Words, ...]
    """How a question of how many items opens ("how many")."""
    count_words: frozenset[str]
    """The only other words a question of how many items may have ("are", "there")."""
    more_about: tuple[Words, ...]
    """Phrases that ask for more about an item named next ("tell me more about")."""
    back_to: tuple[Words, ...]
    """Phrases that go back to an item or section named next ("go back to")."""
    joining_words: frozenset[str]
    """Words that may join a repeat and a rate or volume control ("but", "and")."""
    ordinals: dict[str, int]
    """Ordinal words to the place they name in a list; -1 for the last."""


def load_words(path: Path = WORDS) -> WordSets:
    """The word sets in ``path``; ``DataError`` naming the file when one is missing or
    is not a list of words."""
    data = read_table(path)

    def words(key: str) -> frozenset[str]:
        return frozenset(_strings(data, key, path))

    def phrases(key: str) -> tuple[Words, ...]:
        return tuple(tuple(text.split()) for text in _strings(data, key, path))

    return WordSets(
        question_words=words("question_words"),
        request_words=words("request_words"),
        asking_words=words("asking_words"),
        auxiliaries=words("auxiliaries"),
        personal_words=words("personal_words"),
        possessives=words("possessives"),
        experience_words=words("experience_words"),
        general_words=words("general_words"),
        all_idioms=frozenset(phrases("all_idioms")),
        condition_names=_strings(data, "condition_names", path),
        stopwords=words("stopwords"),
        function_words=words("function_words"),
        he_relations=words("he_relations"),
        she_relations=words("she_relations"),
        other_relations=words("other_relations"),
        adult_relations=words("adult_relations"),
        child_relations=words("child_relations"),
        term_fillers=words("term_fillers"),
        baby_words=words("baby_words"),
        term_sources=words("term_sources"),
        term_reports=words("term_reports"),
        children_words=words("children_words"),
        adults_words=words("adults_words"),
        self_pronouns=words("self_pronouns"),
        he_pronouns=words("he_pronouns"),
        she_pronouns=words("she_pronouns"),
        spell_fillers=words("spell_fillers"),
        how_often=words("how_often"),
        weekdays=words("weekdays"),
        seasons=words("seasons"),
        more_than=phrases("more_than"),
        long_ago=_said_back(data, "long_ago", path),
        doubts=phrases("doubts"),
        clause_joins=words("clause_joins"),
        chemo_words=words("chemo_words"),
        age_units=words("age_units"),
        item_nouns=phrases("item_nouns"),
        item_words=words("item_words"),
        part_words=words("part_words"),
        number_word=words("number_word"),
        count_opening=phrases("count_opening"),
        count_words=words("count_words"),
        more_about=phrases("more_about"),
        back_to=phrases("back_to"),
        joining_words=words("joining_words"),
        ordinals=_places(data, "ordinals", path),
    )


def _strings(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    """``data[key]`` as a tuple of lower-case strings, or ``DataError``."""
    value = require(data, key, path)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DataError(str(path), line_of(path, f"{key} ="), f"{key} must be a list of words")
    if any(item != item.lower() or not item.split() for item in value):
        raise DataError(str(path), line_of(path, f"{key} ="), f"{key} must be lower case words")
    return tuple(value)


def _said_back(data: dict[str, Any], key: str, path: Path) -> dict[Words, str]:
    """The ``[key]`` table of phrase to how it is said back, or ``DataError``."""
    table = require(data, key, path)
    if not isinstance(table, dict) or not all(isinstance(said, str) for said in table.values()):
        problem = f"[{key}] must map each phrase to how it is said back"
        raise DataError(str(path), line_of(path, f"[{key}]"), problem)
    return {tuple(phrase.split()): said for phrase, said in table.items()}


def _places(data: dict[str, Any], key: str, path: Path) -> dict[str, int]:
    """The ``[key]`` table of word to a whole number, or ``DataError``."""
    table = require(data, key, path)
    if not isinstance(table, dict) or not all(type(place) is int for place in table.values()):
        problem = f"[{key}] must map each word to a whole number"
        raise DataError(str(path), line_of(path, f"[{key}]"), problem)
    return dict(table)


SETS = load_words()
"""The shipped table, read once."""

HE = SETS.he_relations
"""Relations spoken of as "he", for "his" in replies."""
SHE = SETS.she_relations
"""Relations spoken of as "she", for "her" in replies."""
RELATIONS = HE | SHE | SETS.other_relations
"""Whom "my ..." can name, for ``Understanding.who``."""
