"""Talking about what was just read (issue 16, point 5): "what was the second one", "how
many are there", "tell me more about the lumps", "go back to the fever", "say that again
slower"; typed through ``Conversation``, in the middle of a symptom follow-up, and spoken
through ``allvoice --listen-file`` on a recording generated with espeak-ng."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import heard_by, run_allvoice, spoken_conversation

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.session import Conversation
from allvoice.ports import RATE_DEFAULT, RATE_MIN, RATE_STEP, VOLUME_DEFAULT, VOLUME_STEP
from allvoice.understanding import Model, understand

NOT_UNDERSTOOD = "I do not have information about that"


def talk(pack: Pack, model: Model, *lines: str) -> Conversation:
    conversation = Conversation(pack, model=model)
    for line in lines:
        conversation.turn(line)
    return conversation


# --- Understanding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "of_part"),
    [
        ("what was the second one", 2, False),
        ("whats the third one again", 3, False),
        ("the third one again", 3, False),
        ("read number 4", 4, False),
        ("read number four", 4, False),
        ("and the last one", -1, False),
        ("what was the first of those", 1, True),
    ],
)
def test_an_item_asked_for_by_its_place(model: Model, text: str, place: int, of_part: bool) -> None:
    heard = understand(text, model)
    assert (heard.intent, heard.ordinal, heard.of_part) == ("item", place, of_part)


@pytest.mark.parametrize(
    ("text", "intent", "fact"),
    [
        ("tell me more about the lumps", "more_about", "swollen_lymph_nodes"),
        ("go back to the fever", "item", "fever"),
        ("ok can we go back to the bleeding gums", "item", "bleeding_gums"),
        ("tell me more about the down syndrome one", "more_about", "genetic_disorders"),
    ],
)
def test_an_item_asked_for_by_name(model: Model, text: str, intent: str, fact: str) -> None:
    heard = understand(text, model)
    assert (heard.intent, heard.fact) == (intent, fact)
    assert heard.duration is None and heard.answer is None  # never a follow-up answer


@pytest.mark.parametrize("text", ["how many are there", "how many signs", "how many of them"])
def test_how_many(model: Model, text: str) -> None:
    assert understand(text, model).intent == "count"


@pytest.mark.parametrize(
    ("text", "adjust"),
    [
        ("say that again slower", ("slower",)),
        ("say that again but more slowly", ("slower",)),
        ("can you repeat that more slowly please", ("slower",)),
        ("say it again slowly", ("slower",)),
        ("slower please and again", ("slower",)),
        ("repeat that louder", ("louder",)),
    ],
)
def test_a_repeat_said_with_a_rate_or_volume_change(
    model: Model, text: str, adjust: tuple[str, ...]
) -> None:
    heard = understand(text, model)
    assert (heard.intent, heard.adjust) == ("repeat", adjust)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what are the first signs of leukemia", "symptoms"),
        ("how many people get all", "overview"),
        ("what was the last thing", "repeat"),
        ("last part again", "previous"),
        ("say that again", "repeat"),
        ("slower", "slower"),
        ("tell me more about that", "more"),
        ("go back to the causes", "causes"),
        ("tell me more about the causes", "causes"),
    ],
)
def test_what_is_not_about_the_list_is_understood_as_before(
    model: Model, text: str, intent: str
) -> None:
    heard = understand(text, model)
    assert heard.intent == intent
    assert heard.adjust == () and heard.ordinal is None


def test_triage_still_comes_first(model: Model) -> None:
    heard = understand("go back to the fever, he is not breathing", model)
    assert heard.intent == "emergency"


# --- The dialogue, typed ---------------------------------------------------------------


def test_the_second_one_says_that_item_and_only_it(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms")
    reply = conversation.turn("what was the second one").reply
    assert reply.intent == "item" and reply.section == "symptoms"
    assert reply.text == phrasing.list_item(2, "Pain in the bones.")
    assert "gums" not in reply.text and "fever" not in reply.text.lower()


def test_places_count_in_the_items_spoken(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms", "more")
    assert "Infections" in conversation.turn("what was the first of those").reply.text
    assert "gums" in conversation.turn("what was the first one").reply.text
    assert "lymph nodes" in conversation.turn("and the last one").reply.text
    assert "Pale skin" in conversation.turn("read number 7").reply.text  # not read yet
    too_far = conversation.turn("read number 12").reply.text
    assert too_far == phrasing.only_so_many(9, "signs and symptoms", False)


def test_the_list_is_kept_after_it_ends_and_after_another_topic(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the risk factors", "more", "what causes it")
    assert conversation.state.reading is not None
    assert conversation.state.reading.section == "causes"
    reply = conversation.turn("what was the second one").reply
    assert reply.section == "risk_factors" and "radiation" in reply.text.lower()


def test_how_many_says_the_count_and_how_many_were_read(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms")
    reply = conversation.turn("how many are there").reply
    assert reply.intent == "count"
    assert reply.text == "There are nine signs and symptoms in the list. I have read three."
    conversation.turn("more")
    assert "I have read six." in conversation.turn("how many signs").reply.text
    conversation.turn("more")
    assert "I have read them all." in conversation.turn("how many are there").reply.text


def test_more_about_an_item_reads_its_fact(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms")
    reply = conversation.turn("tell me more about the lumps").reply
    assert reply.intent == "more_about" and "neck" in reply.text and "groin" in reply.text
    assert not conversation.state.followup  # asked about, not reported


def test_more_about_an_item_read_already_says_that_is_all(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms")
    reply = conversation.turn("tell me more about the fever").reply
    assert reply.text == phrasing.all_on_item("A fever.")


def test_more_about_a_sign_the_list_does_not_name_says_so(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms")
    reply = conversation.turn("tell me more about the bruising").reply
    assert reply.text == phrasing.nothing_more_on("bruising")
    assert NOT_UNDERSTOOD not in reply.text


def test_go_back_to_the_fever_says_it_again(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms", "more")
    reply = conversation.turn("go back to the fever").reply
    assert reply.intent == "item" and reply.text == phrasing.list_item(3, "A fever.")
    assert "Pale skin" in conversation.turn("more").reply.text  # the reading goes on


def test_say_that_again_slower_lowers_the_rate_and_repeats(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what are the symptoms")
    listed = conversation.state.last_reply
    turn = conversation.turn("say that again slower")
    assert turn.reply.intent == "repeat" and turn.reply.text == listed
    assert turn.state.rate == RATE_DEFAULT - RATE_STEP
    turn = conversation.turn("repeat that louder")
    assert turn.reply.text == listed
    assert turn.state.volume == pytest.approx(VOLUME_DEFAULT + VOLUME_STEP)
    assert turn.state.rate == RATE_DEFAULT - RATE_STEP


def test_a_slower_repeat_at_the_slowest_rate_says_so_and_repeats(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "what causes it")
    conversation.state = replace(conversation.state, rate=RATE_MIN)
    turn = conversation.turn("say it again more slowly")
    assert turn.state.rate == RATE_MIN
    assert turn.reply.text.startswith("That is as slow as I can speak")
    assert "D N A" in turn.reply.text


def test_with_no_list_read_the_reply_is_short_and_honest(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model=model)
    for text in ("what was the third one", "how many are there"):
        reply = conversation.turn(text).reply
        assert reply.text == phrasing.no_list_yet("signs and symptoms")
        assert NOT_UNDERSTOOD not in reply.text


def test_in_the_follow_up_the_pending_question_is_returned_to(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "my son has a fever", "what are the symptoms")
    assert conversation.state.followup and conversation.state.followup.asking == "duration"
    reply = conversation.turn("what was the second one").reply
    assert reply.text.startswith(phrasing.list_item(2, "Pain in the bones."))
    assert (
        reply.text.endswith(phrasing.back_to_symptoms(symptom_wording.ASK_DURATION)) and reply.asks
    )
    assert conversation.turn("how many are there").reply.asks
    assert conversation.turn("three weeks").reply.intent == "report_symptoms"  # still open


def test_go_back_to_the_fever_in_its_follow_up_is_its_question(pack: Pack, model: Model) -> None:
    conversation = talk(pack, model, "my son has a fever", "what causes all anyway")
    reply = conversation.turn("ok go back to the fever").reply
    assert reply.text == phrasing.back_to_symptoms(symptom_wording.ASK_DURATION) and reply.asks
    assert "three weeks" in conversation.turn("about three weeks").reply.text


# --- Spoken ----------------------------------------------------------------------------

SAID = ["what are the symptoms", "what was the second one", "say that again more slowly"]


@pytest.mark.audio
@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("espeak-ng", "sox")), reason="needs espeak-ng and sox"
)
def test_spoken_the_second_one_then_again_more_slowly(tmp_path: Path) -> None:
    recording = spoken_conversation(tmp_path, SAID)
    done = run_allvoice(tmp_path, "--listen-file", str(recording), "--json", timeout=180)
    assert done.returncode == 0, done.stderr
    turns = heard_by(done)
    assert [turn["intent"] for turn in turns] == ["symptoms", "item", "repeat"], done.stdout
    assert turns[1]["reply"] == phrasing.list_item(2, "Pain in the bones.")
    assert turns[2]["reply"] == turns[1]["reply"]
    assert turns[2]["rate"] == turns[1]["rate"] - RATE_STEP
