"""Screen-reader habits: help pages, previous, repeat everything, read everything, spell,
start over, pause and resume."""

from __future__ import annotations

import pytest

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing
from allvoice.conversation.session import Conversation


def say_all(conversation: Conversation, *lines: str) -> list[str]:
    return [conversation.turn(line).reply.text for line in lines]


def test_help_names_all_six_topics_in_one_sentence_then_how_to_get_the_controls(
    pack: Pack,
) -> None:
    first = Conversation(pack).turn("help").reply.text
    titles = [section.title for section in pack.sections]
    assert len(titles) == 6
    topics, rest = first.split(". ", 1)
    assert all(title in topics for title in titles), first
    assert rest == phrasing.HELP_AGAIN
    assert "goodbye" not in first and "faster" not in first


@pytest.mark.parametrize("again", ["help", "more"])
def test_a_second_help_goes_on_to_the_controls(pack: Pack, again: str) -> None:
    first, second, third = say_all(Conversation(pack), "help", again, again)
    assert second == phrasing.CONTROLS
    assert second != first
    for control in ("repeat", "stop", "previous", "faster", "louder", "spell", "goodbye"):
        assert control in second
    assert "summary" in second
    assert third == phrasing.HELP_DONE


@pytest.mark.parametrize("said", ["topics", "what are the topics", "list the topics"])
def test_topics_lists_the_topics(pack: Pack, said: str) -> None:
    turn = Conversation(pack).turn(said)
    assert turn.intent == "topics"
    assert all(section.title in turn.reply.text for section in pack.sections)
    assert "help again" not in turn.reply.text


@pytest.mark.parametrize("said", ["hi", "Hello!", "good morning", "hello allvoice"])
def test_a_greeting_is_answered_with_what_can_be_asked(pack: Pack, said: str) -> None:
    turn = Conversation(pack).turn(said)
    assert turn.intent == "greeting"
    assert turn.reply.text.startswith("Hello.") and pack.name in turn.reply.text
    assert all(section.title in turn.reply.text for section in pack.sections)


@pytest.mark.parametrize("said", ["thanks", "thank you", "Thank you very much.", "that helps"])
def test_thanks_is_answered_and_the_conversation_goes_on(pack: Pack, said: str) -> None:
    conversation = Conversation(pack)
    turn = conversation.turn(said)
    assert (turn.intent, turn.reply.text) == ("thanks", phrasing.THANKS)
    assert not conversation.ended


def test_greeting_or_thanks_inside_a_sentence_is_not_taken_for_one(pack: Pack) -> None:
    assert Conversation(pack).turn("hello, my son has a fever").intent == "report_symptoms"
    assert Conversation(pack).turn("hi, what causes leukemia").intent == "causes"
    assert Conversation(pack).turn("thank you, goodbye").intent == "goodbye"
    assert Conversation(pack).turn("no thank you").intent == "no"
    assert Conversation(pack).turn("I think there's fluid in my ears").intent != "greeting"


def test_thanks_during_the_follow_up_goes_back_to_the_question(pack: Pack) -> None:
    conversation = Conversation(pack)
    conversation.turn("my son has a fever")
    reply = conversation.turn("thank you").reply
    assert reply.text.startswith(phrasing.THANKS) and reply.asks
    assert "How long" in reply.text


def test_topics_then_help_still_starts_with_the_topics(pack: Pack) -> None:
    topics, first_help = say_all(Conversation(pack), "topics", "help")
    assert first_help.startswith(topics)


def test_help_during_the_follow_up_explains_what_to_answer(pack: Pack) -> None:
    conversation = Conversation(pack)
    conversation.turn("my son has a fever")
    reply = conversation.turn("help").reply
    assert reply.asks
    assert "How long" in reply.text and "three days" in reply.text


def test_previous_reads_the_chunk_before(pack: Pack) -> None:
    facts = pack.section("symptoms").facts
    conversation = Conversation(pack)
    first, second, before = say_all(conversation, "what are the symptoms", "more", "go back")
    assert facts[0].text in first and facts[3].text in second
    assert before.startswith(phrasing.PREVIOUS_PART)
    assert facts[0].text in before and facts[3].text not in before


def test_previous_at_the_start_says_so(pack: Pack) -> None:
    conversation = Conversation(pack)
    conversation.turn("what are the risk factors")
    assert conversation.turn("previous").reply.text.startswith(phrasing.FIRST_PART)
    assert Conversation(pack).turn("previous").reply.text == phrasing.NOTHING_BEFORE


def test_repeat_everything_reads_the_whole_topic_so_far(pack: Pack) -> None:
    facts = pack.section("symptoms").facts
    conversation = Conversation(pack)
    say_all(conversation, "what are the symptoms", "more")
    everything = conversation.turn("repeat everything").reply.text
    assert all(fact.text in everything for fact in facts[:6])
    assert facts[6].text not in everything


def test_read_everything_reads_every_fact_in_order(pack: Pack) -> None:
    text = Conversation(pack).turn("read everything").reply.text
    positions = [text.index(fact.text) for s in pack.sections for fact in s.facts]
    assert positions == sorted(positions)
    assert text.endswith(phrasing.END_OF_EVERYTHING)
    assert "Part six: sources." in text


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("spell lymphocytic", "Lymphocytic is spelled: L, Y, M, P, H, O, C, Y, T, I, C."),
        ("how do you spell leukemia", "Leukemia is spelled: L, E, U, K, E, M, I, A."),
        ("spell the word marrow", "Marrow is spelled: M, A, R, R, O, W."),
        ("spell", "Which word should I spell? Say spell, and then the word."),
    ],
)
def test_spell_a_word(pack: Pack, said: str, expected: str) -> None:
    turn = Conversation(pack).turn(said)
    assert turn.intent == "spell"
    assert turn.reply.text == expected


def test_start_over_forgets_everything_but_the_voice(pack: Pack) -> None:
    conversation = Conversation(pack)
    say_all(conversation, "slower", "my son has a fever", "what are the symptoms")
    turn = conversation.turn("start over")
    assert turn.reply.text == phrasing.STARTING_OVER
    assert turn.state.followup is None and turn.state.reading is None
    assert turn.state.rate == 150
    assert conversation.turn("more").reply.text == phrasing.NOTHING_MORE


def test_pause_then_resume_goes_on_where_it_stopped(pack: Pack) -> None:
    facts = pack.section("causes").facts
    conversation = Conversation(pack)
    first, paused, resumed = say_all(conversation, "what causes it", "pause", "resume")
    assert paused == phrasing.STOPPED
    assert facts[0].text in first and facts[0].text not in resumed
    assert any(fact.text in resumed for fact in facts[1:])


def test_resume_with_nothing_being_read_repeats_the_last_reply(pack: Pack) -> None:
    conversation = Conversation(pack)
    say_all(conversation, "is it inherited", "more", "more", "more")
    finished = conversation.turn("more").reply.text
    assert finished.startswith("That is all I have on causes")
    assert conversation.turn("stop").reply.text == phrasing.STOPPED
    assert conversation.turn("resume").reply.text == finished


@pytest.mark.parametrize(
    "said", ["where is this from", "where did you get this", "how old is this"]
)
def test_where_is_this_from_gives_the_source_and_its_date(pack: Pack, said: str) -> None:
    reply = Conversation(pack).turn(said).reply
    assert reply.section == "sources"
    assert "August 10, 2018" in reply.text
