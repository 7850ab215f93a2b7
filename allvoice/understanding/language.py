"""The words allvoice understands, and how raw text is normalised before matching.

``Language`` is built once from ``data/intents.toml`` and a content pack; ``normalize``
turns what was typed or heard into a tuple of plain lower-case words, with contractions
expanded, fillers dropped, and typos and speech-recognizer errors repaired. Pure: no I/O
after loading, no clock, no globals that change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from allvoice.content.pack import Pack
from allvoice.data import INTENTS, SIGNS, TALK, TRIAGE, pronouncing_dictionary, read_table, require

MAX_INPUT_CHARS = 500
"""Longer input is cut to this many characters before it is understood."""
AGE_MARK = "·"
"""Stands, in normalised words, for each word of an age said that the search for a fact
should not see (``understand._without_age``): no fact has it, and a question may open
after it (``aspects.openings``)."""

Words = tuple[str, ...]

_NON_WORD = re.compile(r"[^a-z0-9']+")
_ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


@dataclass(frozen=True)
class Language:
    """Everything needed to understand text, compiled from intents.toml and a pack."""

    fillers: tuple[Words, ...]
    """Filler phrases dropped before matching, longest first."""
    rewrites: dict[Words, Words]
    """Contractions and known misspellings or mishearings, phrase to phrase."""
    controls: dict[str, tuple[Words, ...]]
    """Control intent id (and ``unsure``) to its phrases."""
    whole_only: frozenset[Words]
    """Control phrases that count only as the whole utterance ("right", "not")."""
    out_of_scope: tuple[Words, ...]
    """Phrases of questions the content does not cover."""
    health: frozenset[str]
    """Stems of words that make a question outside the content a health question."""
    numbers: dict[str, int]
    """Number words ("three", "couple") to values."""
    units: dict[str, float]
    """Time units to days."""
    trends: dict[str, tuple[Words, ...]]
    """Trend (better, worse, same) to its phrases."""
    vocabulary: frozenset[str]
    """Every word the assistant knows; other words may be spelling-corrected."""
    long_words: tuple[str, ...] = field(default=())
    """Known words of five letters or more: what split words may be joined into."""
    candidates: tuple[str, ...] = field(default=())
    """Known words of three letters or more: what a misspelt word may be repaired to."""
    english: frozenset[str] = field(default=frozenset())
    """Ordinary English words (from the recognizer's dictionary), to tell a question
    that is off the topic from words that make no sense."""
    normalized: dict[tuple[str, int], Words] = field(
        default_factory=dict, compare=False, repr=False
    )
    """``normalize``'s results so far, up to ``NORMALIZED_KEPT`` of them: building the
    model normalizes the same cue or question many times over."""


NORMALIZED_KEPT = 20_000


def load_language(pack: Pack, path: Path = INTENTS, extra: tuple[str, ...] = ()) -> Language:
    """Compile the language for ``pack`` from ``path`` (the shipped intents.toml); the
    words of ``extra`` (the aspect cues) are known too, so typos of them are repaired."""
    data = read_table(path)
    rewrites = {
        _split(key): _split(value)
        for table in ("contractions", "corrections")
        for key, value in data[table].items()
    }
    controls = {
        name: _phrases([value.lstrip("=") for value in values])
        for name, values in data["controls"].items()
    }
    whole_only = frozenset(
        _split(value[1:]) for values in data["controls"].values() for value in values
        if value.startswith("=")
    )  # fmt: skip
    trends = {name: _phrases(values) for name, values in data["trends"].items()}
    out_of_scope = _phrases(data["out_of_scope"]["keywords"])
    vocabulary = _vocabulary(pack, data, rewrites, extra)
    return Language(
        fillers=tuple(sorted(_phrases(data["fillers"]), key=len, reverse=True)),
        rewrites=rewrites,
        controls=controls,
        whole_only=whole_only,
        out_of_scope=out_of_scope,
        health=frozenset(stem(word) for word in data["out_of_scope"]["health"]),
        numbers={key: int(value) for key, value in data["numbers"].items()},
        units={key: float(value) for key, value in data["units"].items()},
        trends=trends,
        vocabulary=vocabulary,
        long_words=tuple(sorted(word for word in vocabulary if len(word) >= 5)),
        candidates=tuple(sorted(word for word in vocabulary if len(word) >= 3)),
        english=english_words() | vocabulary,
    )


def english_words() -> frozenset[str]:
    """The words of the pronouncing dictionary that pocketsphinx ships (empty if absent)."""
    try:
        with pronouncing_dictionary().open(encoding="utf-8") as lines:
            return frozenset(line.split(" ", 1)[0].split("(")[0] for line in lines)
    except (ImportError, OSError):
        return frozenset()


def _split(text: str) -> Words:
    return tuple(text.lower().split())


def _phrases(values: list[str]) -> tuple[Words, ...]:
    return tuple(_split(value) for value in values)


def _vocabulary(
    pack: Pack, data: dict[str, Any], rewrites: dict[Words, Words], extra: tuple[str, ...]
) -> frozenset[str]:
    texts: list[str] = [pack.name, pack.short_name, *extra]
    for section in pack.sections:
        texts += [section.title, *section.keywords, *section.questions]
        for fact in section.facts:
            texts += [fact.text, *fact.keywords, *fact.questions, *fact.synonyms]
    for table in ("controls", "trends"):
        for values in data[table].values():
            texts += values
    texts += _triage_texts()
    texts += data["out_of_scope"]["keywords"] + list(data["numbers"]) + list(data["units"])
    texts += data["words"]["extra"]
    words = {word for text in texts for word in _NON_WORD.split(text.lower()) if word}
    words |= {word for phrase in rewrites.values() for word in phrase}
    return frozenset(words)


def _triage_texts() -> list[str]:
    """The phrases of the triage concepts, of the everyday signs and of the cues, so that
    misspellings of them are repaired."""
    texts = []
    for path, table in ((TRIAGE, "concepts"), (SIGNS, "signs")):
        entries = require(read_table(path), table, path).values()
        for entry in entries:
            if isinstance(entry, dict):
                texts += entry.get("words", [])
                texts += [text for part in entry.get("parts", []) for text in part]
            else:
                texts += entry
    for table in read_table(TALK).values():  # the cues of data/talk.toml
        for values in table.values():
            texts += values
    return texts


def clean(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """Fold width, drop terminal escapes and control characters, cut very long input."""
    if text.isascii() and text.isprintable():  # nothing to fold or drop
        return " ".join(text[: limit * 4].replace("`", "'").split())[:limit]
    text = _ESCAPES.sub(" ", text[: limit * 4])
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    text = text.replace("\u2019", "'").replace("`", "'")
    return " ".join(text.split())[:limit]


def is_cut(text: str) -> bool:
    """True when ``clean`` cuts ``text`` (it may grow when folded, so check after folding)."""
    return len(clean(text, MAX_INPUT_CHARS + 1)) > MAX_INPUT_CHARS


def normalize(text: str, language: Language, limit: int = MAX_INPUT_CHARS) -> Words:
    """Plain lower-case words, contractions expanded, repaired, fillers dropped."""
    kept = language.normalized.get((text, limit))
    if kept is not None:
        return kept
    words = _normalized(text, language, limit)
    if len(language.normalized) < NORMALIZED_KEPT:
        language.normalized[(text, limit)] = words
    return words


def _normalized(text: str, language: Language, limit: int) -> Words:
    words = tuple(word.strip("'") for word in _NON_WORD.split(clean(text, limit).lower()))
    words = tuple(_possessive(word) for word in words if word)
    words = _rewrite(words, language.rewrites)
    words = tuple(_correct(word, language) for word in words)
    words = _join_split_words(words, language)
    words = _rewrite(words, language.rewrites)
    return _drop_fillers(words, language.fillers) or words


def _possessive(word: str) -> str:
    if word.endswith("'s") and word not in ("it's", "that's", "what's", "he's", "she's"):
        return word[:-2]
    return word


def _rewrite(words: Words, rewrites: dict[Words, Words]) -> Words:
    out: list[str] = []
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            key = words[index : index + size]
            if len(key) == size and key in rewrites:
                out += rewrites[key]
                index += size
                break
        else:
            out.append(words[index])
            index += 1
    return tuple(out)


def _drop_fillers(words: Words, fillers: tuple[Words, ...]) -> Words:
    by_first = _by_first_word(fillers)
    out: list[str] = []
    index = 0
    while index < len(words):
        for filler in by_first.get(words[index], ()):
            if words[index : index + len(filler)] == filler:
                index += len(filler)
                break
        else:
            out.append(words[index])
            index += 1
    return tuple(out)


@lru_cache(maxsize=8)
def _by_first_word(fillers: tuple[Words, ...]) -> dict[str, tuple[Words, ...]]:
    """The fillers by their first word, each word's in their order in ``fillers``."""
    found: dict[str, list[Words]] = {}
    for filler in fillers:
        if filler:
            found.setdefault(filler[0], []).append(filler)
    return {word: tuple(group) for word, group in found.items()}


def _correct(word: str, language: Language) -> str:
    """Repair a misspelt word; ordinary English words are left as they are."""
    if len(word) < 5 or word in language.english or word.isdigit():
        return word
    return _closest(word, language.candidates, 1 if len(word) < 8 else 2) or word


@lru_cache(maxsize=4096)
def _closest(word: str, candidates: tuple[str, ...], max_edits: int) -> str | None:
    """The nearest candidate within ``max_edits``; between equally near ones, the one most
    alike letter for letter (``fuzz.ratio``), which favours a letter left out over one
    typed too many ("sorces" is "sources" rather than "sores")."""
    found = process.extract(
        word, candidates, scorer=OSA.distance, score_cutoff=max_edits, limit=None
    )
    if not found:
        return None
    nearest = min(distance for _, distance, _ in found)
    tied = [choice for choice, distance, _ in found if distance == nearest]
    return max(tied, key=lambda choice: (fuzz.ratio(word, choice), -candidates.index(choice)))


def _join_split_words(words: Words, language: Language) -> Words:
    """Merge words a recognizer split apart ("lymph a sitic" -> "lymphocytic")."""
    out: list[str] = []
    index = 0
    while index < len(words):
        merged = _merge_at(words, index, language)
        if merged:
            out.append(merged[0])
            index += merged[1]
        else:
            out.append(words[index])
            index += 1
    return tuple(out)


def _merge_at(words: Words, index: int, language: Language) -> tuple[str, int] | None:
    for size in (3, 2):
        part = words[index : index + size]
        if len(part) < size:
            continue
        joined = "".join(part)
        if joined in language.vocabulary and len(joined) >= 6:
            return joined, size
        if all(word in language.english for word in part):
            continue
        if len(joined) >= 8:
            match = _closest(joined, language.long_words, 2 if len(joined) < 10 else 3)
            if match and len(match) >= 8:
                return match, size
    return None


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A crude stem, enough to match "aching", "aches" and "ache" to one another."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def contains(words: Words, phrase: Words, max_gap: int = 0) -> bool:
    """True when ``phrase`` occurs in ``words`` in order, with at most ``max_gap``
    other words between consecutive phrase words."""
    return find(words, phrase, max_gap) is not None


def find(words: Words, phrase: Words, max_gap: int = 0) -> int | None:
    """Where ``phrase`` starts in ``words`` (as for ``contains``), or None."""
    if not phrase or len(phrase) > len(words):
        return None
    for start, word in enumerate(words):
        if word == phrase[0] and _rest_end(words, start + 1, phrase[1:], max_gap) is not None:
            return start
    return None


def join_letters(words: Words) -> Words:
    """``words`` with each run of two or more single letters made one word: "c n s" is
    "cns", as people type what the packs spell out for speech."""
    out: list[str] = []
    run: list[str] = []
    for word in (*words, ""):
        if len(word) == 1:
            run.append(word)
            continue
        out += ["".join(run)] if len(run) > 1 else run
        run = []
        if word:
            out.append(word)
    return tuple(out)


def phrase_spans(words: Words, phrase: Words, max_gap: int = 0) -> list[tuple[int, int]]:
    """Every place ``phrase`` occurs in ``words`` (as for ``find``), as (start, end)."""
    spans = []
    for start, word in enumerate(words):
        if word == phrase[0]:
            end = _rest_end(words, start + 1, phrase[1:], max_gap)
            if end is not None:
                spans.append((start, end))
    return spans


def span_end(words: Words, phrase: Words, start: int) -> int:
    """The end of ``phrase`` found at ``start`` (by ``find``, with its small gaps)."""
    index = start
    for word in phrase:
        while index < len(words) and words[index] != word:
            index += 1
        index += 1
    return min(index, len(words))


def _rest_end(words: Words, start: int, rest: Words, max_gap: int) -> int | None:
    """Where ``rest`` ends when it follows from ``start`` with small gaps, or None."""
    if not rest:
        return start
    for position in range(start, min(start + max_gap + 1, len(words))):
        if words[position] == rest[0]:
            end = _rest_end(words, position + 1, rest[1:], max_gap)
            if end is not None:
                return end
    return None
