"""Pronunciations for the recognizer: the shipped CMU dictionary, our domain words, a guesser.

The CMU dictionary that ships with pocketsphinx lacks words such as "lymphocytic" and
"nosebleeds"; ``allvoice/data/lexicon.toml`` spells them out by hand in the same ARPAbet
phones (no stress marks), read into ``DOMAIN`` by ``load_lexicon``. Any other word (a
clinic's own pack may bring new ones) is guessed: espeak-ng's IPA mapped onto CMU phones,
or plain letter-to-sound rules when espeak-ng is missing.
``build_dictionary(words)`` writes a pocketsphinx dictionary holding only ``words``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from allvoice.data import LEXICON, line_of, pronouncing_dictionary, read_table, require
from allvoice.errors import DataError

REFERENCE_DICTIONARY = pronouncing_dictionary()

_PHONES = frozenset(
    "AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH "
    "UH UW V W Y Z ZH".split()
)
"""The phones of pocketsphinx's US English acoustic model."""


def load_lexicon(path: Path = LEXICON) -> dict[str, tuple[str, ...]]:
    """Word to its hand-written pronunciations, most likely first; ``DataError`` (file,
    line) for an entry that is not a list of pronunciations in the model's phones."""
    table = require(read_table(path), "pronunciations", path)
    return {word: _variants(word, variants, path) for word, variants in table.items()}


def _variants(word: str, variants: Any, path: Path) -> tuple[str, ...]:
    texts = isinstance(variants, list) and all(isinstance(v, str) for v in variants)
    if not texts or not variants or not all(v.split() for v in variants):
        problem = 'needs a list of pronunciations, such as ["K OW V IH D"]'
    else:
        unknown = sorted({phone for v in variants for phone in v.split()} - _PHONES)
        if not unknown:
            return tuple(variants)
        problem = f"has {', '.join(unknown)}, which the acoustic model has no phone for"
    raise DataError(str(path), line_of(path, f"{word} ="), f"{word} {problem}")


DOMAIN = load_lexicon()
"""The shipped hand-written pronunciations; they come before the reference ones."""


@lru_cache(maxsize=1)
def reference_dictionary() -> dict[str, tuple[str, ...]]:
    """The shipped CMU dictionary: word to its pronunciations, in file order."""
    entries: dict[str, list[str]] = {}
    with REFERENCE_DICTIONARY.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, phones = line.strip().partition(" ")
            entries.setdefault(word.split("(", 1)[0], []).append(phones.strip())
    return {word: tuple(phones) for word, phones in entries.items()}


def is_known(word: str) -> bool:
    """True when the word has a written pronunciation (reference or domain), not a guess."""
    return word in DOMAIN or word in reference_dictionary()


def pronunciations(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Pronunciations of each word: domain, then reference, then one guess per unknown word."""
    found: dict[str, tuple[str, ...]] = {}
    unknown: list[str] = []
    reference = reference_dictionary()
    for word in dict.fromkeys(words):
        known = DOMAIN.get(word, ()) + tuple(p for p in reference.get(word, ()) if p)
        if known:
            found[word] = tuple(dict.fromkeys(known))
        else:
            unknown.append(word)
    found.update((word, (phones,)) for word, phones in guess_pronunciations(unknown).items())
    return found


def build_dictionary(words: Iterable[str]) -> str:
    """A pocketsphinx dictionary (``word PH ON ES``, ``word(2) ...``) for exactly ``words``."""
    lines: list[str] = []
    for word, variants in sorted(pronunciations(words).items()):
        for number, phones in enumerate(variants, start=1):
            lines.append(f"{word if number == 1 else f'{word}({number})'} {phones}")
    return "\n".join(lines) + "\n"


def guess_pronunciations(words: list[str]) -> dict[str, str]:
    """One guessed pronunciation per word: espeak-ng when installed, else letter rules."""
    if not words:
        return {}
    ipa = _espeak_ipa(words)
    guesses: dict[str, str] = {}
    for word in words:
        phones = ipa_to_arpabet(ipa[word]) if word in ipa else ""
        guesses[word] = phones or letters_to_arpabet(word)
    return guesses


def _espeak_ipa(words: list[str]) -> dict[str, str]:
    binary = shutil.which("espeak-ng")
    if binary is None:
        return {}
    text = "".join(f"{word}.\n" for word in words)
    try:
        result = subprocess.run(
            [binary, "-q", "--ipa", "-v", "en-us"],
            input=text,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return {}  # the letter rules below still give every word a pronunciation
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    return dict(zip(words, lines, strict=False)) if len(lines) == len(words) else {}


# IPA symbols (as espeak-ng writes them) to CMU phones, tried longest first.
# fmt: off
_IPA = {
    "eɪ": "EY", "aɪ": "AY", "ɔɪ": "OY", "aʊ": "AW", "oʊ": "OW", "əʊ": "OW", "tʃ": "CH", "dʒ": "JH",
    "ɜ": "ER", "ɚ": "ER", "ɝ": "ER", "ə": "AH", "ɐ": "AH", "ʌ": "AH", "ɪ": "IH", "ᵻ": "IH",
    "i": "IY", "ɛ": "EH", "e": "EH", "æ": "AE", "a": "AE", "ɑ": "AA", "ɒ": "AA", "ɔ": "AO",
    "ʊ": "UH", "u": "UW", "o": "OW", "θ": "TH", "ð": "DH", "ʃ": "SH", "ʒ": "ZH", "ŋ": "NG",
    "ɹ": "R", "r": "R", "j": "Y", "w": "W", "h": "HH", "ɾ": "T", "ʔ": "T", "l": "L", "ɫ": "L",
    "m": "M", "n": "N", "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "ɡ": "G", "g": "G",
    "f": "F", "v": "V", "s": "S", "z": "Z", "x": "K", "ç": "HH",
}
# fmt: on
_IPA_IGNORED = "ˈˌː.\u200d\u0329\u0361- "


def ipa_to_arpabet(ipa: str) -> str:
    """Map espeak-ng IPA ("lˌɪmfəsˈɪɾɪk") to CMU phones ("L IH M F AH S IH T IH K")."""
    text = "".join(char for char in ipa if char not in _IPA_IGNORED)
    return _tidy(_longest_matches(text, _IPA, longest=2))


# Spelling to CMU phones for when espeak-ng is missing: rough, but every word gets one.
# fmt: off
_LETTERS = {
    "tch": "CH", "sch": "S K", "igh": "AY", "ch": "CH", "sh": "SH", "th": "TH", "ph": "F",
    "ck": "K", "ng": "NG", "qu": "K W", "wh": "W", "kn": "N", "wr": "R", "gh": "G", "ee": "IY",
    "ea": "IY", "oo": "UW", "ou": "AW", "ow": "OW", "oa": "OW", "ai": "EY", "ay": "EY", "ei": "EY",
    "ey": "IY", "ie": "IY", "oi": "OY", "oy": "OY", "au": "AO", "aw": "AO", "ue": "UW", "ew": "UW",
    "er": "ER", "ir": "ER", "ur": "ER", "ar": "AA R", "or": "AO R", "a": "AE", "b": "B", "c": "K",
    "d": "D", "e": "EH", "f": "F", "g": "G", "h": "HH", "i": "IH", "j": "JH", "k": "K", "l": "L",
    "m": "M", "n": "N", "o": "AA", "p": "P", "q": "K", "r": "R", "s": "S", "t": "T", "u": "AH",
    "v": "V", "w": "W", "x": "K S", "y": "IY", "z": "Z",
}
# fmt: on


def letters_to_arpabet(word: str) -> str:
    """Rough letter-to-sound rules; a final silent "e" is dropped."""
    text = word.lower().replace("'", "")
    if len(text) > 3 and text.endswith("e") and not text.endswith("ee"):
        text = text[:-1]
    return _tidy(_longest_matches(text, _LETTERS, longest=3)) or "AH"


def _longest_matches(text: str, table: dict[str, str], longest: int) -> list[str]:
    """The phones of ``text``, left to right, taking the longest key of ``table`` that
    matches at each place; a symbol no key starts with is skipped."""
    phones: list[str] = []
    position = 0
    while position < len(text):
        for size in range(longest, 0, -1):
            phone = table.get(text[position : position + size])
            if phone:
                phones.extend(phone.split())
                position += size
                break
        else:
            position += 1
    return phones


def _tidy(phones: list[str]) -> str:
    """Drop doubled consonants and an R after ER, keep only phones the model has."""
    tidy: list[str] = []
    for phone in phones:
        if phone not in _PHONES:
            continue
        if tidy and (phone == tidy[-1] and phone not in {"AH", "IH"}):
            continue
        if tidy and phone == "R" and tidy[-1] == "ER":
            continue
        tidy.append(phone)
    return " ".join(tidy)
