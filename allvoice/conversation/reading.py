"""Reading content aloud a chunk at a time: a topic, more, previous, repeat everything,
read everything, and help pages. Pure."""

from __future__ import annotations

from dataclasses import replace

from allvoice.content.pack import Pack, Section
from allvoice.conversation import phrasing
from allvoice.conversation.state import (
    DialogueContext,
    DialogueState,
    Reading,
    Reply,
    topics,
    with_pending,
)
from allvoice.understanding.results import Understanding

LIST_CHUNK = 3
PROSE_SENTENCES = 3


def topic(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    pack = context.pack
    if len(heard.alternatives) > 1:
        first, second = (pack.section(s).title for s in heard.alternatives[:2])
        reply = Reply(phrasing.clarify(first, second), heard.intent, asks=True)
        return replace(state, clarify=heard.alternatives[:2]), reply
    section = pack.section(heard.section or heard.intent)
    index = next((i for i, fact in enumerate(section.facts) if fact.id == heard.fact), None)
    if index is not None:
        chunk = _from_fact(section, index, pack)
        deeper = _deeper(state, heard, section, pack)
        if deeper is not None:
            return _with_deeper(state, section.facts[index].text, deeper, heard, pack)
        reading = Reading(section.id, frozenset(chunk), (tuple(chunk),))
        remaining = len(section.facts) - len(chunk)
        text = phrasing.prose_chunk([section.facts[i].text for i in chunk], remaining)
        read = _read(state, reading, Reply(text, section.id, section.id), section)
    else:
        read = _read_on(replace(state, reading=Reading(section.id)), section, heard.intent, pack)
    return _attributed(*read, section, pack)


def _from_fact(section: Section, index: int, pack: Pack) -> list[int]:
    """The fact asked for; in another pack than the first, with the facts after it in its
    section, up to a chunk (``PROSE_SENTENCES``), as a topic is read. The first pack
    reads the one fact, as it always did, and so does a section of medical words."""
    if not pack.parts or section.pack == pack.id or section.is_list or section.theme == "words":
        return [index]  # a word's meaning is read alone: the next fact is another word
    return _chunk(section, list(range(index, len(section.facts))))


def _deeper(
    state: DialogueState, heard: Understanding, section: Section, pack: Pack
) -> Reading | None:
    """Where "more" goes after a fact of the first pack that answers an aspect the other
    packs answer with a section of their own, for whom the conversation is about: "will
    my son get better" reads the chance of a cure, then "more" what affects the outlook,
    from the summary for children. None when whom it is about is not known, or the fact
    answers no such aspect: "more" reads on in its own section."""
    audience = heard.audience or state.memory.audience
    if not pack.parts or section.pack != pack.id or heard.topic is None or audience is None:
        return None
    deeper = (
        answer.section
        for part in pack.parts if part.audience == audience
        for answer in part.answers_to(heard.topic) if answer.fact is None
    )  # fmt: skip
    found = next(deeper, None)
    return None if found is None else Reading(found)


def _with_deeper(
    state: DialogueState, text: str, deeper: Reading, heard: Understanding, pack: Pack
) -> tuple[DialogueState, Reply]:
    """The first pack's fact, then the lead of the section that goes deeper for whom the
    conversation is about, naming its source: "is childhood leukemia curable, my son is
    4" hears the chance of a cure, then what the chance of recovery depends on and who
    can explain it, from the summary for children (issue 17: an outlook question gets
    what affects the outlook). "More" reads on in that section. A reply that quotes two
    sources leaves none as the last: the next answer names its own again."""
    section = pack.section(deeper.section)
    reading = replace(deeper, done=frozenset({0}), chunks=((0,),))
    lead = phrasing.prose_chunk([section.facts[0].text], len(section.facts) - 1)
    origin = pack.origin(section.id)
    said = f"{text} {phrasing.attributed(origin.attribution, lead) if origin.attribution else lead}"
    state, reply = _read(state, reading, Reply(said, heard.intent, section.id), section)
    return replace(state, last_source=None), reply


def _attributed(
    state: DialogueState, reply: Reply, section: Section, pack: Pack
) -> tuple[DialogueState, Reply]:
    """When the content has several sources: a reply from another source than the one
    before names it ("The National Cancer Institute's summary for children says: ...")."""
    if not pack.parts:
        return state, reply
    origin = pack.origin(section.id)
    if origin.attribution and state.last_source != origin.id:
        reply = replace(reply, text=phrasing.attributed(origin.attribution, reply.text))
    return replace(state, last_source=origin.id), reply


def _read_on(
    state: DialogueState, section: Section, intent: str, pack: Pack
) -> tuple[DialogueState, Reply]:
    """Read the next chunk of the section being read."""
    reading = state.reading or Reading(section.id)
    todo = [i for i in range(len(section.facts)) if i not in reading.done]
    if not todo:
        following = _next_section(pack, section)
        text = phrasing.section_finished(section.title, following.title if following else None)
        return replace(state, reading=None), with_pending(state, Reply(text, intent, section.id))
    chunk = _chunk(section, todo)
    remaining = len(todo) - len(chunk)
    texts = [section.facts[i].text for i in chunk]
    if section.is_list:
        intro = section.list_intro if not reading.done else None
        text = phrasing.list_chunk(intro, texts, remaining)
    else:
        text = phrasing.prose_chunk(texts, remaining)
    reading = replace(
        reading, done=reading.done | set(chunk), chunks=(*reading.chunks, tuple(chunk))
    )
    return _read(state, reading, Reply(text, intent, section.id), section)


def _chunk(section: Section, todo: list[int]) -> list[int]:
    if section.is_list:
        return todo[:LIST_CHUNK]
    chunk: list[int] = []
    sentences = 0
    for index in todo:
        count = max(1, section.facts[index].text.count(". ") + 1)
        if chunk and sentences + count > PROSE_SENTENCES:
            break
        chunk.append(index)
        sentences += count
    return chunk


def _read(
    state: DialogueState, reading: Reading, reply: Reply, section: Section
) -> tuple[DialogueState, Reply]:
    last_list = reading if section.is_list else state.last_list  # kept after the list ends
    return replace(state, reading=reading, last_list=last_list), with_pending(state, reply)


def _next_section(pack: Pack, section: Section) -> Section | None:
    """The section after ``section`` in its own pack, if any."""
    sections = [s for s in pack.sections if s.pack == section.pack]
    position = sections.index(section)
    return sections[position + 1] if position + 1 < len(sections) else None


def more(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """The next chunk of what is being read (or the next help page); naming its source
    when it is another than the last reply's (``_deeper``)."""
    if state.help_page is not None:
        return help_page(state, state.help_page + 1, context)
    if state.reading is None:
        return state, with_pending(state, Reply(phrasing.NOTHING_MORE, heard.intent))
    section = context.pack.section(state.reading.section)
    return _attributed(*_read_on(state, section, heard.intent, context.pack), section, context.pack)


def previous(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """The chunk before the one just read, again."""
    reading = state.reading
    if reading is None or not reading.chunks:
        return state, with_pending(state, Reply(phrasing.NOTHING_BEFORE, "previous"))
    section = context.pack.section(reading.section)
    first = len(reading.chunks) < 2
    chunk = reading.chunks[-1] if first else reading.chunks[-2]
    texts = [section.facts[i].text for i in chunk]
    lead = phrasing.FIRST_PART if first else phrasing.PREVIOUS_PART
    reply = Reply(f"{lead} {' '.join(texts)}", "previous", section.id)
    return state, with_pending(state, reply)


def repeat_all(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """Everything read so far from the current topic, in order; else the last reply."""
    reading = state.reading
    if reading is None or not reading.chunks:
        return state, Reply(state.last_reply or phrasing.NOTHING_TO_REPEAT, "repeat_all")
    section = context.pack.section(reading.section)
    texts = [section.facts[i].text for chunk in reading.chunks for i in chunk]
    return state, with_pending(state, Reply(" ".join(texts), "repeat_all", section.id))


def read_all(
    state: DialogueState, heard: Understanding, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """All sections in order, each introduced by its name; stop ends it. With several
    packs: the first pack's, and those of the pack for whom the conversation is about,
    when that is known."""
    parts = []
    for number, section in enumerate(_everything(state, context.pack), start=1):
        intro = f"{section.list_intro} " if section.list_intro else ""
        facts = " ".join(fact.text for fact in section.facts)
        parts.append(f"{phrasing.part_heading(number, section.title)} {intro}{facts}")
    text = " ".join([*parts, phrasing.END_OF_EVERYTHING])
    return replace(state, reading=None), with_pending(state, Reply(text, "read_all"))


def _everything(state: DialogueState, pack: Pack) -> list[Section]:
    if not pack.parts:
        return list(pack.sections)
    audience = state.memory.audience
    kept = {part.id for part in pack.parts if part is pack.parts[0] or part.audience == audience}
    return [section for section in pack.sections if section.pack in kept]


def help_page(
    state: DialogueState, page: int, context: DialogueContext
) -> tuple[DialogueState, Reply]:
    """Help a page at a time: the topics first, then the controls."""
    pages = phrasing.help_pages(topics(context.pack))
    if page >= len(pages):
        return replace(state, help_page=None), Reply(phrasing.HELP_DONE, "help")
    return replace(state, help_page=page), Reply(pages[page], "help")
