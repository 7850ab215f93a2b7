"""Load and validate a content pack: what the assistant knows.

A pack is a folder with ``pack.toml`` and one TOML file per section (``<id>.toml``);
docs/content-format.md describes every key. ``load_pack`` returns frozen dataclasses or
raises ``ContentError`` naming the file, the line and the problem.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from allvoice.content.catalogue import load_catalogue
from allvoice.errors import ContentError


def _shipped_pack() -> Path:
    """The ALL pack: package data of an installed wheel (``allvoice/packs/all``, mapped from
    the repository's ``content/all`` by pyproject.toml); in a checkout, or an editable
    install of one, the repository's ``content/all`` itself."""
    installed = resources.files("allvoice") / "packs" / "all"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "content" / "all"


DEFAULT_PACK = _shipped_pack()

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Characters that a speech engine would read out or stumble on: markdown, bullets, URLs.
_NOT_FOR_THE_EAR = re.compile(r"[*_#`<>\[\]{}|~^•●▪◦·]|https?://|www\.")
_FACTS_HEADER = re.compile(r"^\s*\[\[\s*facts\s*\]\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[\[?[^\[\]]+\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class Fact:
    """One short piece of content that can be spoken on its own."""

    id: str
    """Unique within its section."""
    text: str
    """What is spoken: plain sentences written for the ear."""
    keywords: tuple[str, ...] = ()
    """Words or phrases that point at this fact in particular ("inherited")."""
    questions: tuple[str, ...] = ()
    """Example questions that this fact alone answers."""
    symptom: str | None = None
    """For a list of symptoms: the symptom id this fact names."""
    synonyms: tuple[str, ...] = ()
    """Everyday ways people describe that symptom ("tired all the time")."""


@dataclass(frozen=True)
class Section:
    """A topic of the pack: a list of facts read in order."""

    id: str
    """Section id, also the intent id of a question about it."""
    title: str
    """Spoken name of the topic ("risk factors")."""
    facts: tuple[Fact, ...]
    """The facts, in reading order."""
    keywords: tuple[str, ...] = ()
    """Words or phrases that point at this section."""
    questions: tuple[str, ...] = ()
    """Example questions about the section as a whole."""
    list_intro: str | None = None
    """Set for a section that is a list: said before its items ("There are nine signs.")."""

    @property
    def is_list(self) -> bool:
        """True when the section is read as a list, a few items at a time."""
        return self.list_intro is not None


@dataclass(frozen=True)
class Symptom:
    """A symptom the user may report, taken from the facts that name one."""

    id: str
    """Symptom id, e.g. ``bone_pain``."""
    name: str
    """Short spoken name, e.g. "bone pain"."""
    synonyms: tuple[str, ...]
    """Phrases that mean this symptom."""


@dataclass(frozen=True)
class AspectAnswer:
    """Where a pack answers one aspect of the catalogue (``allvoice/data/aspects.toml``)."""

    aspect: str
    """Aspect id (``inheritance``)."""
    section: str
    """The section that answers it."""
    fact: str | None = None
    """The one fact that answers it, when one does (``not_inherited``)."""


@dataclass(frozen=True)
class Pack:
    """A whole content pack."""

    id: str
    """Pack id, e.g. ``all``."""
    name: str
    """The condition's full spoken name."""
    short_name: str
    """How the condition is called in short replies."""
    source: str
    """Where the facts come from, said when the user asks."""
    source_date: str
    """Date of the source, ISO format."""
    sections: tuple[Section, ...]
    """Sections in reading order."""
    symptoms: tuple[Symptom, ...]
    """Symptoms a user may report, from the facts with a ``symptom`` key."""
    aspects: tuple[AspectAnswer, ...] = ()
    """The aspects the pack answers, and where; every other aspect is not covered."""
    other_conditions: tuple[str, ...] = ()
    """Conditions easily confused with this one, whose questions are out of scope."""
    related: tuple[AspectAnswer, ...] = ()
    """For aspects it does not cover, the one fact the pack does say about each."""

    def answer_to(self, aspect_id: str) -> AspectAnswer | None:
        """Where the pack answers ``aspect_id``; None when it does not cover it."""
        return next((answer for answer in self.aspects if answer.aspect == aspect_id), None)

    def related_fact(self, aspect_id: str) -> Fact | None:
        """The fact the pack says about an aspect it does not cover, if any."""
        for answer in self.related:
            if answer.aspect == aspect_id:
                section = self.section(answer.section)
                return next(fact for fact in section.facts if fact.id == answer.fact)
        return None

    def section(self, section_id: str) -> Section:
        """The section with this id (KeyError when there is none)."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    @property
    def section_ids(self) -> tuple[str, ...]:
        """Ids of the sections, in reading order."""
        return tuple(section.id for section in self.sections)


def load_pack(folder: Path | str = DEFAULT_PACK) -> Pack:
    """Load the pack in ``folder``; raise ``ContentError`` if anything is wrong with it."""
    folder = Path(folder)
    pack_file = folder / "pack.toml"
    if not folder.is_dir():
        raise ContentError(str(folder), None, "no such content folder")
    if not pack_file.is_file():
        raise ContentError(str(pack_file), None, "missing: every content pack needs a pack.toml")
    doc = _TomlDoc(pack_file)
    section_ids = doc.str_list("sections", required=True)
    if not section_ids:
        raise doc.error("sections", "list at least one section")
    sections = tuple(_load_section(folder, section_id, doc) for section_id in section_ids)
    aspects = _aspect_answers(doc, sections)
    pack = Pack(
        id=doc.ident("id"),
        name=doc.text("name", spoken=True),
        short_name=doc.text("short_name", default=doc.text("name"), spoken=True),
        source=doc.text("source", spoken=True),
        source_date=doc.text("source_date"),
        sections=sections,
        symptoms=_symptoms(sections),
        aspects=aspects,
        related=_related(doc, sections, {answer.aspect for answer in aspects}),
        other_conditions=tuple(doc.str_list("other_conditions")),
    )
    doc.reject_unknown(_PACK_KEYS)
    return pack


_PACK_KEYS = {
    "id", "name", "short_name", "source", "source_date", "sections", "aspects", "related",
    "other_conditions",
}  # fmt: skip


def _related(
    doc: _TomlDoc, sections: tuple[Section, ...], covered: set[str]
) -> tuple[AspectAnswer, ...]:
    """The ``[related]`` table: for an aspect the page does not cover (not in ``covered``),
    the one fact it does say about it (survival = "overview.chance_of_cure")."""
    related = _aspect_answers(doc, sections, "related")
    for answer in related:
        if answer.aspect in covered:
            problem = f"{answer.aspect!r} is in [aspects] already: related is for the others"
            raise doc.table_error("related", answer.aspect, problem)
        if answer.fact is None:
            problem = f'{answer.aspect!r} must point at one fact: "section.fact"'
            raise doc.table_error("related", answer.aspect, problem)
    return related


def _aspect_answers(
    doc: _TomlDoc, sections: tuple[Section, ...], name: str = "aspects"
) -> tuple[AspectAnswer, ...]:
    """The ``[aspects]`` table (or ``[related]``): aspect = "section" or "section.fact"."""
    table = doc.data.get(name, {})
    if not isinstance(table, dict):
        raise doc.error(name, f'{name!r} must be a table: [{name}], then aspect = "section"')
    known = load_catalogue().ids
    facts = {section.id: {fact.id for fact in section.facts} for section in sections}
    answers = []
    for aspect, where in table.items():
        if aspect not in known:
            problem = f"unknown aspect {aspect!r} (known: {', '.join(known)})"
            raise doc.table_error(name, aspect, problem)
        if not isinstance(where, str):
            raise doc.table_error(name, aspect, f'{aspect!r} must be "section" or "section.fact"')
        section, _, fact = where.partition(".")
        if section not in facts:
            problem = f"{aspect!r} points at {section!r}, which is not one of the sections"
            raise doc.table_error(name, aspect, problem)
        if fact and fact not in facts[section]:
            problem = (
                f"{aspect!r} points at {where!r}, but section {section!r} has no fact {fact!r}"
            )
            raise doc.table_error(name, aspect, problem)
        answers.append(AspectAnswer(aspect, section, fact or None))
    if name == "aspects":
        answers += _by_section_name({answer.aspect for answer in answers}, sections)
    return tuple(answers)


def _by_section_name(mapped: set[str], sections: tuple[Section, ...]) -> list[AspectAnswer]:
    """Aspects the pack does not map, answered by a section named for them ("symptoms")."""
    ids = {section.id for section in sections}
    return [
        AspectAnswer(aspect.id, section, None)
        for aspect in load_catalogue().aspects
        if aspect.id not in mapped
        for section in [next((s for s in aspect.sections if s in ids), None)]
        if section
    ]


def _load_section(folder: Path, section_id: str, pack_doc: _TomlDoc) -> Section:
    if not _ID.match(section_id):
        raise pack_doc.error("sections", f"{section_id!r} is not a valid id (a-z, 0-9, _)")
    path = folder / f"{section_id}.toml"
    if not path.is_file():
        raise pack_doc.error("sections", f"section {section_id!r} has no file {path.name}")
    doc = _TomlDoc(path)
    if doc.ident("id") != section_id:
        raise doc.error("id", f"id must be {section_id!r}, the file's name")
    raw_facts = doc.data.get("facts")
    if not isinstance(raw_facts, list) or not raw_facts:
        problem = "missing required key 'facts': " if "facts" not in doc.data else ""
        raise doc.error("facts", f"{problem}a section needs at least one [[facts]] table")
    facts = tuple(_load_fact(doc, index, raw) for index, raw in enumerate(raw_facts))
    seen: set[str] = set()
    for index, fact in enumerate(facts):
        if fact.id in seen:
            raise doc.error("id", f"fact id {fact.id!r} is used twice", table_index=index)
        seen.add(fact.id)
    section = Section(
        id=section_id,
        title=doc.text("title", spoken=True),
        facts=facts,
        keywords=tuple(doc.str_list("keywords")),
        questions=tuple(doc.str_list("questions")),
        list_intro=doc.text("list_intro", spoken=True) if "list_intro" in doc.data else None,
    )
    doc.reject_unknown({"id", "title", "facts", "keywords", "questions", "list_intro"})
    return section


_FACT_KEYS = {"id", "text", "keywords", "questions", "symptom", "synonyms"}


def _load_fact(doc: _TomlDoc, index: int, raw: object) -> Fact:
    if not isinstance(raw, dict):
        raise doc.error("facts", "each fact must be a [[facts]] table", table_index=index)
    fact_doc = doc.child(raw, index)
    symptom = fact_doc.text("symptom", default="") or None
    if symptom is not None and not _ID.match(symptom):
        raise fact_doc.error("symptom", f"{symptom!r} is not a valid id (a-z, 0-9, _)")
    fact = Fact(
        id=fact_doc.ident("id"),
        text=fact_doc.text("text", spoken=True),
        keywords=tuple(fact_doc.str_list("keywords")),
        questions=tuple(fact_doc.str_list("questions")),
        symptom=symptom,
        synonyms=tuple(fact_doc.str_list("synonyms")),
    )
    fact_doc.reject_unknown(_FACT_KEYS)
    return fact


def _symptoms(sections: tuple[Section, ...]) -> tuple[Symptom, ...]:
    symptoms: dict[str, Symptom] = {}
    for section in sections:
        for fact in section.facts:
            if fact.symptom and fact.symptom not in symptoms:
                name = fact.synonyms[0] if fact.synonyms else fact.symptom.replace("_", " ")
                symptoms[fact.symptom] = Symptom(fact.symptom, name, fact.synonyms)
    return tuple(symptoms.values())


class _TomlDoc:
    """A parsed TOML file (or one table of an array in it) that can say where a key is."""

    def __init__(
        self,
        path: Path,
        data: dict[str, Any] | None = None,
        lines: list[str] | None = None,
        table_index: int | None = None,
    ) -> None:
        self.path = path
        if data is None or lines is None:
            raw = _read_text(path)
            lines = raw.splitlines()
            try:
                data = tomllib.loads(raw)
            except tomllib.TOMLDecodeError as error:
                match = re.search(r"line (\d+)", str(error))
                line = int(match.group(1)) if match else None
                problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
                raise ContentError(str(path), line, f"not valid TOML: {problem}") from None
        self.data = data
        self.lines = lines
        self.table_index = table_index

    def child(self, data: dict[str, Any], index: int) -> _TomlDoc:
        return _TomlDoc(self.path, data, self.lines, index)

    def error(self, key: str, problem: str, table_index: int | None = None) -> ContentError:
        index = self.table_index if table_index is None else table_index
        return ContentError(str(self.path), self._line_of(key, index), problem)

    def table_error(self, table: str, key: str, problem: str) -> ContentError:
        """An error at ``key`` of the top-level ``[table]``."""
        header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        start = next((n for n, line in enumerate(self.lines) if header.match(line)), None)
        line = None
        if start is not None:
            after = range(start + 1, len(self.lines))
            line = next((n + 1 for n in after if pattern.match(self.lines[n])), start + 1)
        return ContentError(str(self.path), line, problem)

    def _line_of(self, key: str, table_index: int | None) -> int | None:
        start, end = 0, len(self.lines)
        if table_index is None:
            # A top-level key sits before the first table; never report a fact's line for it.
            end = next((n for n, line in enumerate(self.lines) if _TABLE_HEADER.match(line)), end)
        else:
            headers = [n for n, line in enumerate(self.lines) if _FACTS_HEADER.match(line)]
            if table_index < len(headers):
                start = headers[table_index]
                end = headers[table_index + 1] if table_index + 1 < len(headers) else end
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for number in range(start, end):
            if pattern.match(self.lines[number]):
                return number + 1
        return start + 1 if table_index is not None else None

    def text(self, key: str, default: str | None = None, spoken: bool = False) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.error(key, f"missing required key {key!r}")
        if not isinstance(value, str):
            raise self.error(key, f"{key!r} must be text in quotes")
        value = " ".join(value.split())
        if spoken and not value:
            raise self.error(key, f"{key!r} must not be empty")
        if spoken and (found := _NOT_FOR_THE_EAR.search(value)):
            raise self.error(key, f"{key!r} has {found.group(0)!r}, which should not be spoken")
        return value

    def ident(self, key: str) -> str:
        value = self.text(key)
        if not _ID.match(value):
            raise self.error(key, f"{value!r} is not a valid id (a-z, 0-9, _)")
        return value

    def str_list(self, key: str, required: bool = False) -> list[str]:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, f"missing required key {key!r}")
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(key, f"{key!r} must be a list of texts in quotes")
        return [" ".join(item.split()) for item in value]

    def reject_unknown(self, known: set[str]) -> None:
        for key in self.data:
            if key not in known:
                raise self.error(key, f"unknown key {key!r} (known: {', '.join(sorted(known))})")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(path), None, "not UTF-8 text") from None
    except OSError as error:
        raise ContentError(str(path), None, f"cannot be read ({error.strerror})") from None
