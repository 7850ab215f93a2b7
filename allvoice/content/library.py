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
    doc.reject_unknown({"packs"})
    if not names:
        raise doc.error("packs", "list at least one pack folder")
    if len(set(names)) != len(names):
        raise doc.error("packs", "a pack is listed twice")
    return combine([load_pack(folder / name) for name in names], doc)


def combine(packs: list[Pack], doc: TomlDoc | None = None) -> Pack:
    """The packs as one, ``packs[0]`` first: see the module's docstring."""
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
    sections = [_with_sources(s, others) if s.id == SOURCES else s for s in first.sections]
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
    )


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


def _with_sources(section: Section, others: list[Pack]) -> Section:
    """The first pack's sources, then each other pack's source, after its first fact."""
    added = tuple(Fact(id=f"source_{pack.id}", text=pack.source) for pack in others)
    facts = (*section.facts[:1], *added, *section.facts[1:])
    return replace(section, facts=facts)


def _error(doc: TomlDoc | None, problem: str) -> ContentError:
    return doc.error("packs", problem) if doc else ContentError("content", None, problem)
