"""allvoice's own tables, and the one loader that reads them.

Everything allvoice knows about language, as opposed to a condition (that is a content
pack), is data in this folder, written to be reviewed without reading code:

    intents.toml   controls, fillers, contractions, repairs, trends, numbers, units
    triage.toml    red-flag concepts and rules, with the guidance they follow
    signs.toml     everyday signs that are not the pack's symptoms
    aspects.toml   the catalogue of aspects people ask about a disease
    words.toml     word sets for a sentence's shape: question, request, report, duration
    corpus.toml    carrier sentences and word lists for the recognizer's language model
    lexicon.toml   hand-written pronunciations of words the CMU dictionary lacks
    talk.toml      cues about the conversation: safety follow-ups, feelings, "do I have it"
    safety.toml    what is said in a safety mode (after an emergency, urgent or crisis
                   reply), with the guidance it follows
    turns.toml     when a spoken sentence is finished: the words it cannot end on

The pronouncing dictionary that pocketsphinx ships (the CMU dictionary) is read by the
recognizer's lexicon and by the understanding's spelling repairs; its path is defined here
too, by ``pronouncing_dictionary()``.

Each path is defined here once. ``read_table(path)`` parses a table; a file that cannot be read
or is not valid TOML raises ``DataError`` naming the file and the line, and the modules
that check a table's meaning name the line with ``line_of``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from allvoice.errors import DataError

HERE = Path(__file__).resolve().parent
INTENTS = HERE / "intents.toml"
TRIAGE = HERE / "triage.toml"
SIGNS = HERE / "signs.toml"
ASPECTS = HERE / "aspects.toml"
WORDS = HERE / "words.toml"
CORPUS = HERE / "corpus.toml"
LEXICON = HERE / "lexicon.toml"
TALK = HERE / "talk.toml"
SAFETY = HERE / "safety.toml"
TURNS = HERE / "turns.toml"

_AT_LINE = re.compile(r"at line (\d+)")


def read_table(path: Path) -> dict[str, Any]:
    """The table in ``path``; ``DataError`` (file, line, problem) when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(str(path), None, f"cannot be read ({error})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _AT_LINE.search(str(error))
        line = int(found.group(1)) if found else None
        raise DataError(str(path), line, f"not valid TOML: {error}") from None


def require(data: dict[str, Any], key: str, path: Path) -> Any:
    """``data[key]``, or ``DataError`` naming the missing table or key."""
    if key not in data:
        raise DataError(str(path), None, f"needs a [{key}] table or a {key} key")
    return data[key]


def pronouncing_dictionary() -> Path:
    """The CMU pronouncing dictionary in pocketsphinx's model folder; ImportError without
    pocketsphinx (the file itself may still be missing from a broken install)."""
    import pocketsphinx  # here, so that importing this loader never needs the engine

    return Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))


def line_of(path: Path, needle: str) -> int | None:
    """The first line of ``path`` that holds ``needle``, for an error about it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, 1) if needle in line), None)
