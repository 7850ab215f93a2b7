"""Talking about what was just read: one item again, more on one item, how many, and a
repeat said with a rate or volume change. Pure.

The state keeps the last list read (``DialogueState.last_list``: its section and the
items read, in the order spoken), kept after the list ends; "what was the second one"
is the second item spoken, "the first of those" the first of the part just read, "read
number 7" the seventh of the list when it was not read yet. During a symptom follow-up
every reply goes back to the open question, and "go back to the fever" to that question
itself when the fever is one of the signs it is about.
"""

from __future__ import annotations

from dataclasses import replace

from allvoice.content.pack import Section
from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.state import DialogueContext, DialogueState, Reading, Reply, with_pending
from allvoice.ports import RATE_MAX, RATE_MIN, RATE_STEP, VOLUME_STEP
from allvoice.understanding.results import Understanding

Turn = tuple[DialogueState, Reply]


def item(state: DialogueState, heard: Understanding, context: DialogueContext) -> Turn:
    """One item again: by its place ("the second one") or by name ("go back to the fever")."""
    if heard.ordinal is None and heard.section and heard.fact:
        return _named_item(state, heard.section, heard.fact, context)
    listed = state.last_list
    section_id = heard.section or (listed.section if listed else None)
    if section_id is None or heard.ordinal is None:
        return state, with_pending(state, Reply(_no_list(context), "item"))
    section = context.pack.section(section_id)
    read = listed if listed and listed.section == section_id else Reading(section_id)
    pool = list(read.chunks[-1]) if heard.of_part and read.chunks else _spoken(read)
    index = _pick(pool, len(section.facts), heard.ordinal, heard.of_part)
    if index is None:
        size = len(pool) if heard.of_part else len(section.facts)
        text = phrasing.only_so_many(size, section.title, heard.of_part)
    else:
        text = phrasing.list_item(index + 1, section.facts[index].text)
    return state, with_pending(state, Reply(text, "item", section.id))


def more_about(state: DialogueState, heard: Understanding, context: DialogueContext) -> Turn:
    """More on one item by name ("tell me more about the lumps"): its fact, said to be all
    there is when it was read already; an everyday sign the pack does not name, plainly so."""
    if heard.section is None or heard.fact is None:
        name = symptom_wording.sign_name(heard.other_signs[0]) if heard.other_signs else "that"
        return state, with_pending(state, Reply(phrasing.nothing_more_on(name), "more_about"))
    section = context.pack.section(heard.section)
    index = _index(section, heard.fact)
    text = section.facts[index].text
    if _was_read(state, section.id, index):
        text = phrasing.all_on_item(text)
    return state, with_pending(state, Reply(text, "more_about", section.id))


def count(state: DialogueState, heard: Understanding, context: DialogueContext) -> Turn:
    """How many items the list has ("There are nine ... in the list. I have read four.")."""
    listed = state.last_list
    section_id = heard.section or (listed.section if listed else None)
    if section_id is None:
        return state, with_pending(state, Reply(_no_list(context), "count"))
    section = context.pack.section(section_id)
    read = len(listed.done) if listed and listed.section == section_id else 0
    text = phrasing.items_counted(len(section.facts), section.title, read)
    return state, with_pending(state, Reply(text, "count", section.id))


def repeat(state: DialogueState, heard: Understanding, context: DialogueContext) -> Turn:
    """The last reply again; "say that again slower" changes the rate first (a step, as
    "slower" does), so that the repeat is spoken at the new rate."""
    notes: list[str] = []
    for control in heard.adjust:
        state, note = _adjusted(state, control)
        notes += [note] if note else []
    text = state.last_reply or phrasing.NOTHING_TO_REPEAT
    return state, Reply(" ".join([*notes, text]), "repeat")


def _named_item(
    state: DialogueState, section_id: str, fact_id: str, context: DialogueContext
) -> Turn:
    section = context.pack.section(section_id)
    index = _index(section, fact_id)
    fact = section.facts[index]
    followup = state.followup
    if followup and followup.asking and fact.symptom in followup.symptoms:
        # "go back to the fever" in the middle of its follow-up: to the open question
        question = symptom_wording.open_question(followup.asking)
        return state, Reply(phrasing.back_to_symptoms(question), "item", section.id, asks=True)
    text = phrasing.list_item(index + 1, fact.text) if section.is_list else fact.text
    return state, with_pending(state, Reply(text, "item", section.id))


def _spoken(read: Reading) -> list[int]:
    """The items read, in the order spoken, each once."""
    return list(dict.fromkeys(index for chunk in read.chunks for index in chunk))


def _pick(pool: list[int], size: int, ordinal: int, of_part: bool) -> int | None:
    """The index of the item at place ``ordinal`` (-1: the last) of those spoken; past
    them, of the whole list, unless the place counts in the part just read."""
    if ordinal == -1:
        return pool[-1] if pool else size - 1
    if 1 <= ordinal <= len(pool):
        return pool[ordinal - 1]
    return ordinal - 1 if not of_part and 1 <= ordinal <= size else None


def _index(section: Section, fact_id: str) -> int:
    return next(i for i, fact in enumerate(section.facts) if fact.id == fact_id)


def _was_read(state: DialogueState, section_id: str, index: int) -> bool:
    readings = (state.reading, state.last_list)
    return any(read and read.section == section_id and index in read.done for read in readings)


def _no_list(context: DialogueContext) -> str:
    lists = [section.title for section in context.pack.sections if section.is_list]
    return phrasing.no_list_yet(lists[0] if lists else None)


def _adjusted(state: DialogueState, control: str) -> tuple[DialogueState, str]:
    """``state`` after one rate or volume control; a note when it is at its limit."""
    if control in ("faster", "slower"):
        faster = control == "faster"
        wanted = state.rate + (RATE_STEP if faster else -RATE_STEP)
        rate = max(RATE_MIN, min(RATE_MAX, wanted))
        note = phrasing.rate_changed("fast" if faster else "slow", rate, True)
        return replace(state, rate=rate), note if rate != wanted else ""
    louder = control == "louder"
    wanted_volume = round(state.volume + (VOLUME_STEP if louder else -VOLUME_STEP), 2)
    volume = max(VOLUME_STEP, min(1.0, wanted_volume))
    note = phrasing.volume_changed(control, volume, True)
    return replace(state, volume=volume), note if volume != wanted_volume else ""
