"""The catalogue of aspects: what people ask about a disease, whatever the disease.

``load_catalogue()`` reads ``allvoice/data/aspects.toml`` (its comments give the anchors:
NIH MedQuAD's question types and consumer health questions) into frozen dataclasses. A
content pack maps some aspects to the content that answers them (``content.py``); the
scoring of a question against the cues is in ``aspects.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from allvoice.data import ASPECTS, read_table
from allvoice.errors import ContentError

CATALOGUE_NAME = "allvoice/data/aspects.toml"
_ASPECT_KEYS = {"id", "name", "anchor", "cues", "unless", "sections", "backdrop", "of_treatment"}


@dataclass(frozen=True)
class Aspect:
    """One kind of question about a disease ("how is it diagnosed", "is it contagious")."""

    id: str
    """Aspect id, also the ``topic`` of the JSON output (``diagnosis``)."""
    name: str
    """Neutral spoken name that fits "You asked about ..." ("how it is diagnosed")."""
    anchor: str
    """Where the aspect comes from: a MedQuAD question type or a consumer question."""
    cues: tuple[str, ...]
    """Everyday words and short phrases that point at the aspect."""
    unless: tuple[str, ...] = ()
    """Phrases in which a cue's word does not ask about the aspect ("diagnosed with")."""
    sections: tuple[str, ...] = ()
    """Section ids that answer it in a pack that has one and does not map the aspect;
    a section with the aspect's own id always does."""
    backdrop: bool = False
    """Often only the setting of a question about another aspect ("during chemo"): it is
    the answer only when no other aspect is found."""
    of_treatment: bool = False
    """Its signs are brought by treatment (side effects): a question that names a sign and
    asks of it is a question, not a report of signs, even where a pack answers it."""


@dataclass(frozen=True)
class Catalogue:
    """Every aspect, and the words the scoring needs."""

    aspects: tuple[Aspect, ...]
    """The aspects, in catalogue order."""
    weak_words: frozenset[str]
    """Words that carry little meaning; a cue word among them weighs less."""
    other_conditions: tuple[str, ...]
    """Conditions that are no pack's own: a question about one of them is out of scope."""

    @property
    def ids(self) -> tuple[str, ...]:
        """The aspect ids, in catalogue order."""
        return tuple(aspect.id for aspect in self.aspects)

    def aspect(self, aspect_id: str) -> Aspect:
        """The aspect with this id (KeyError when there is none)."""
        for aspect in self.aspects:
            if aspect.id == aspect_id:
                return aspect
        raise KeyError(aspect_id)


@functools.cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue; raises ``ContentError`` when the file is malformed."""
    data = read_table(ASPECTS)
    aspects = tuple(_aspect(table) for table in data.get("aspects", []))
    ids = [aspect.id for aspect in aspects]
    if not aspects or len(set(ids)) != len(ids):
        raise ContentError(CATALOGUE_NAME, None, "needs aspects with different ids")
    return Catalogue(
        aspects=aspects,
        weak_words=frozenset(_texts(data, "weak_words")),
        other_conditions=tuple(_texts(data, "other_conditions")),
    )


def _aspect(table: dict[str, Any]) -> Aspect:
    unknown = set(table) - _ASPECT_KEYS
    if unknown or not all(isinstance(table.get(key), str) for key in ("id", "name", "anchor")):
        problem = f"unknown key {sorted(unknown)[0]!r}" if unknown else "id, name and anchor"
        raise ContentError(CATALOGUE_NAME, None, f"aspect {table.get('id')!r}: {problem}")
    return Aspect(
        id=table["id"],
        name=table["name"],
        anchor=table["anchor"],
        cues=tuple(_texts(table, "cues")),
        unless=tuple(_texts(table, "unless")),
        sections=(table["id"], *_texts(table, "sections")),
        backdrop=table.get("backdrop") is True,
        of_treatment=table.get("of_treatment") is True,
    )


def _texts(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ContentError(CATALOGUE_NAME, None, f"{key!r} must be a list of texts")
    return value
