"""Several packs answering together: ``load_content(folder) -> Pack``.

A folder with ``pack.toml`` is one pack; a folder with ``library.toml`` holds several,
listed in ``packs``, the first pack first. The combined pack keeps the first pack's names,
sections and answers, and adds what the others answer that it does not: their sections,
and the aspects it does not cover (one answer for each audience when a pack is written for
children or for adults). Its ``sources`` section names every pack, with its date.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from allvoice.content.pack import (
    DEFAULT_CONTENT,
    AspectAnswer,
    Fact,
    Pack,
    Section,
    Symptom,
    load_pack,
)
from allvoice.content.tomldoc import TomlDoc
from allvoice.errors import ContentError

LIBRARY_FILE = "library.toml"
SOURCES = "sources"
"""The section that says where the content comes from; the other packs' sources join it."""


def load_content(folder: Path | str = DEFAULT_CONTENT) -> Pack:
    """One pack (a folder with ``pack.toml``) or the packs of a library, combined; raises
    ``ContentError`` naming the file, the line and the problem."""
    folder = Path(folder)
    if (folder / "pack.toml").is_file() or not (folder / LIBRARY_FILE).is_file():
        return load_pack(folder)
    doc = TomlDoc(folder / LIBRARY_FILE)
    names = doc.str_list("packs", required=True)
    doc.reject_unknown({"packs", "themes", "sources_note"})
    note = doc.text("sources_note", default="", spoken=False)
    themes = doc.data.get("themes", {})
    if not isinstance(themes, dict) or not all(isinstance(v, str) for v in themes.values()):
        raise doc.error("themes", 'themes must be a table: [themes], then theme = "spoken name"')
    if not names:
        raise doc.error("packs", "list at least one pack folder")
    if len(set(names)) != len(names):
        raise doc.error("packs", "a pack is listed twice")
    return combine([load_pack(folder / name) for name in names], doc, themes, note)


def combine(
    packs: list[Pack],
    doc: TomlDoc | None = None,
    themes: dict[str, str] | None = None,
    note: str = "",
) -> Pack:
    """The packs as one, ``packs[0]`` first: see the module's docstring. ``themes`` names
    the other packs' themes in the list of topics; a section with no theme, or one not
    named, is listed by its title."""
    first, others = packs[0], packs[1:]
    if not others:
        return first
    seen: dict[str, str] = {}
    for pack in packs:
        if pack.id in seen.values():
            raise _error(doc, f"two packs have the id {pack.id!r}")
        for section in pack.sections:
            if section.id in seen:
                problem = f"section {section.id!r} is in packs {seen[section.id]!r} and {pack.id!r}"
                raise _error(doc, problem)
            seen[section.id] = pack.id
        if pack is not first and pack.attribution is None:
            raise _error(doc, f"pack {pack.id!r} needs an attribution: it is not the first")
    aspects = _aspects(packs)
    covered = {answer.aspect for answer in aspects}
    sections = [_with_sources(s, others, note) if s.id == SOURCES else s for s in first.sections]
    sections += [section for pack in others for section in pack.sections]
    symptoms: dict[str, Symptom] = {}
    for pack in packs:
        for symptom in pack.symptoms:
            symptoms.setdefault(symptom.id, symptom)
    return replace(
        first,
        sections=tuple(sections),
        symptoms=tuple(symptoms.values()),
        aspects=aspects,
        related=tuple(answer for answer in first.related if answer.aspect not in covered),
        other_conditions=tuple(dict.fromkeys(c for pack in packs for c in pack.other_conditions)),
        parts=tuple(packs),
        topic_names=_topic_names(first, others, themes or {}),
    )


def _topic_names(first: Pack, others: list[Pack], themes: dict[str, str]) -> tuple[str, ...]:
    names = [section.title for section in first.sections]
    for pack in others:
        for section in pack.sections:
            name = themes.get(section.theme or "", section.title)
            if name not in names:
                names.append(name)
    return tuple(names)


def _aspects(packs: list[Pack]) -> tuple[AspectAnswer, ...]:
    """The first pack's answers; then, for each aspect it does not cover, the first answer
    of the others for each audience."""
    answers: list[AspectAnswer] = list(packs[0].aspects)
    taken = {answer.aspect for answer in answers}
    given: set[tuple[str, str | None]] = set()
    for pack in packs[1:]:
        for answer in pack.aspects:
            key = (answer.aspect, answer.audience)
            if answer.aspect in taken or key in given or (answer.aspect, None) in given:
                continue
            given.add(key)
            answers.append(answer)
    return tuple(answers)


def _with_sources(section: Section, others: list[Pack], note: str) -> Section:
    """The first pack's sources, its first fact naming every other pack with its date (and
    ``note``), then each other pack's own source sentence after it."""
    named = [f"{_lower(pack.attribution or pack.name)}, from {_year(pack)}" for pack in others]
    lead = section.facts[0]
    said = f"{lead.text} Other answers come from {', and '.join(named)}. {note}".strip()
    added = tuple(Fact(id=f"source_{pack.id}", text=pack.source) for pack in others)
    return replace(section, facts=(replace(lead, text=said), *added, *section.facts[1:]))


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if name.startswith("The ") else name


def _year(pack: Pack) -> str:
    return pack.source_date[:4]


def _error(doc: TomlDoc | None, problem: str) -> ContentError:
    return doc.error("packs", problem) if doc else ContentError("content", None, problem)
