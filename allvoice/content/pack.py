"""Load and validate a content pack: what the assistant knows.

A pack is a folder with ``pack.toml`` and one TOML file per section (``<id>.toml``);
docs/content-format.md describes every key. ``load_pack`` returns frozen dataclasses or
raises ``ContentError`` naming the file, the line and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from allvoice.content.catalogue import load_catalogue
from allvoice.content.tomldoc import ID, TomlDoc
from allvoice.errors import ContentError


def _shipped(name: str) -> Path:
    """Shipped content: package data of an installed wheel (``allvoice/packs/<name>``,
    mapped from the repository's ``content/<name>`` by pyproject.toml); in a checkout, or an
    editable install of one, the repository's ``content/<name>`` itself."""
    installed = resources.files("allvoice") / "packs" / name
    if installed.is_dir() or installed.is_file():
        return Path(str(installed))
    return Path(__file__).resolve().parents[2] / "content" / name


DEFAULT_PACK = _shipped("all")
"""The first pack, on acute lymphocytic leukemia, from the seed page."""
DEFAULT_CONTENT = DEFAULT_PACK.parent
"""The shipped library: ``library.toml`` names its packs, the first pack first."""


AUDIENCES = ("children", "adults")
"""Whom a pack can be written for; a pack without ``audience`` is for everyone."""


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
    part: str | None = None
    """The part of the source it comes from (its heading)."""
    defines: tuple[str, ...] = ()
    """Medical words the fact explains ("lumbar puncture"): "what does it mean" finds it."""


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
    theme: str | None = None
    """What it is about, shared with the section of a pack for another audience that
    answers the same question ("treatment" for children and for adults)."""
    part: str | None = None
    """The part of the source it comes from (its heading)."""
    pack: str = ""
    """Id of the pack it comes from."""

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
    audience: str | None = None
    """Set when the answer is for one audience only (``children`` or ``adults``)."""
    also: tuple[str, ...] = ()
    """Other sections whose facts answer some questions of the aspect ("treatment": the
    kinds of treatment, the treatment of the brain and spinal cord)."""


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
    audience: str | None = None
    """Whom the pack is written for (``children``, ``adults``); None: everyone."""
    attribution: str | None = None
    """How a reply names the source when it is not the first ("The National Cancer
    Institute's summary for children")."""
    source_file: str | None = None
    """The source document's file name, for the checks against it."""
    vocabulary: tuple[str, ...] = ()
    """Medical words and names people say in questions about this pack ("imatinib",
    "lumbar puncture"): the speech recognizer is told to expect them."""
    parts: tuple[Pack, ...] = ()
    """The packs a library was combined from, the first one first; empty for one pack."""
    topic_names: tuple[str, ...] = ()
    """The spoken names of the topics, when they are not the sections' titles: a library
    names the first pack's sections, then each theme of the others once."""

    @property
    def topics(self) -> tuple[str, ...]:
        """The spoken names of what the content covers, in order."""
        return self.topic_names or tuple(section.title for section in self.sections)

    def answer_to(self, aspect_id: str, audience: str | None = None) -> AspectAnswer | None:
        """Where the pack answers ``aspect_id`` (for ``audience`` when the answer depends on
        it); None when it does not cover it."""
        answers = self.answers_to(aspect_id)
        fitting = [a for a in answers if audience is None or a.audience in (None, audience)]
        return next(iter(fitting or answers), None)

    def only_for_others(self, aspect_id: str, audience: str) -> bool:
        """The pack answers ``aspect_id``, but only for others than ``audience``: the
        summary for children tells of fertility, the one for adults does not."""
        answers = self.answers_to(aspect_id)
        return bool(answers) and all(a.audience not in (None, audience) for a in answers)

    def answers_to(self, aspect_id: str) -> tuple[AspectAnswer, ...]:
        """Every answer to ``aspect_id``: one, or one for each audience."""
        return tuple(answer for answer in self.aspects if answer.aspect == aspect_id)

    def origin(self, section_id: str) -> Pack:
        """The pack the section comes from: this one, or one of the ``parts``."""
        pack = self.section(section_id).pack
        return next((part for part in self.parts if part.id == pack), self)

    def twins(self, section_id: str) -> tuple[Section, ...]:
        """The sections that answer the same question as ``section_id`` for each audience,
        itself included; empty when the answer does not depend on the audience."""
        section = self.section(section_id)
        if section.theme is None or self.origin(section_id).audience is None:
            return ()
        found = tuple(
            other for other in self.sections
            if other.theme == section.theme and self.origin(other.id).audience is not None
        )  # fmt: skip
        return found if len(found) > 1 else ()

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
    doc = TomlDoc(pack_file)
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
        audience=_audience(doc),
        attribution=doc.text("attribution", spoken=True) if "attribution" in doc.data else None,
        source_file=doc.text("source_file") if "source_file" in doc.data else None,
        vocabulary=tuple(doc.str_list("vocabulary")),
    )
    doc.reject_unknown(_PACK_KEYS)
    return replace(
        pack,
        sections=tuple(replace(section, pack=pack.id) for section in sections),
        aspects=tuple(replace(answer, audience=pack.audience) for answer in aspects),
    )


_PACK_KEYS = {
    "id", "name", "short_name", "source", "source_date", "sections", "aspects", "related",
    "other_conditions", "audience", "attribution", "source_file", "vocabulary",
}  # fmt: skip


def _audience(doc: TomlDoc) -> str | None:
    if "audience" not in doc.data:
        return None
    audience = doc.text("audience")
    if audience not in AUDIENCES:
        raise doc.error("audience", f"audience must be one of {', '.join(AUDIENCES)}")
    return audience


def _related(
    doc: TomlDoc, sections: tuple[Section, ...], covered: set[str]
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
    doc: TomlDoc, sections: tuple[Section, ...], name: str = "aspects"
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
        also: list[str] = []
        if name == "aspects" and isinstance(where, list) and where:
            where, *also = where
        if not isinstance(where, str) or not all(isinstance(a, str) for a in also):
            problem = f'{aspect!r} must be "section" or "section.fact" (or a list of sections)'
            raise doc.table_error(name, aspect, problem)
        for other in also:
            if other not in facts:
                problem = f"{aspect!r} lists {other!r}, which is not one of the sections"
                raise doc.table_error(name, aspect, problem)
        section, _, fact = where.partition(".")
        if section not in facts:
            problem = f"{aspect!r} points at {section!r}, which is not one of the sections"
            raise doc.table_error(name, aspect, problem)
        if fact and fact not in facts[section]:
            problem = (
                f"{aspect!r} points at {where!r}, but section {section!r} has no fact {fact!r}"
            )
            raise doc.table_error(name, aspect, problem)
        answers.append(AspectAnswer(aspect, section, fact or None, also=tuple(also)))
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


def _load_section(folder: Path, section_id: str, pack_doc: TomlDoc) -> Section:
    if not ID.match(section_id):
        raise pack_doc.error("sections", f"{section_id!r} is not a valid id (a-z, 0-9, _)")
    path = folder / f"{section_id}.toml"
    if not path.is_file():
        raise pack_doc.error("sections", f"section {section_id!r} has no file {path.name}")
    doc = TomlDoc(path)
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
        theme=doc.ident("theme") if "theme" in doc.data else None,
        part=doc.text("part") if "part" in doc.data else None,
    )
    doc.reject_unknown(_SECTION_KEYS)
    return section


_SECTION_KEYS = {"id", "title", "facts", "keywords", "questions", "list_intro", "theme", "part"}
_FACT_KEYS = {"id", "text", "keywords", "questions", "symptom", "synonyms", "part", "defines"}


def _load_fact(doc: TomlDoc, index: int, raw: object) -> Fact:
    if not isinstance(raw, dict):
        raise doc.error("facts", "each fact must be a [[facts]] table", table_index=index)
    fact_doc = doc.child(raw, index)
    symptom = fact_doc.text("symptom", default="") or None
    if symptom is not None and not ID.match(symptom):
        raise fact_doc.error("symptom", f"{symptom!r} is not a valid id (a-z, 0-9, _)")
    fact = Fact(
        id=fact_doc.ident("id"),
        text=fact_doc.text("text", spoken=True),
        keywords=tuple(fact_doc.str_list("keywords")),
        questions=tuple(fact_doc.str_list("questions")),
        symptom=symptom,
        synonyms=tuple(fact_doc.str_list("synonyms")),
        part=fact_doc.text("part") if "part" in raw else None,
        defines=tuple(fact_doc.str_list("defines")),
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
