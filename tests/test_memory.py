"""The conversation memory (issue 16): safety across turns, safety modes, honest and kind
replies. Typed through a Conversation, in the middle of every other dialogue state, and
spoken through --listen-file on recordings made here with espeak-ng."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import heard_by, run_allvoice, spoken_conversation

from allvoice.content.pack import Pack
from allvoice.conversation.memory import MAX_TOLD, same_person
from allvoice.conversation.session import Conversation, Turn
from allvoice.understanding import Model
from benchmarks.triage import states

NUMBERS = ("9 1 1", "1 1 2")
"""The default wording of the emergency number names these."""
CONTENT = ("bone marrow", "chance of a cure", "make an appointment", "Here are three")


def talk(pack: Pack, model: Model, *lines: str) -> list[Turn]:
    conversation = Conversation(pack, model=model)
    return [conversation.turn(line) for line in lines]


def no_content(turn: Turn) -> bool:
    return not any(words in turn.reply.text for words in CONTENT)


# --- Safety follows the conversation ----------------------------------------------------


@pytest.mark.parametrize("state", list(states()))
def test_a_fever_then_chemotherapy_is_an_emergency_in_every_state(
    state: str, pack: Pack, model: Model
) -> None:
    conversation = Conversation(pack, model=model)
    states()[state](conversation)
    first = conversation.turn("my son has had a temperature since this afternoon")
    assert first.reply.intent not in ("emergency", "crisis"), first.reply.text
    second = conversation.turn("he had chemo last week")
    assert second.reply.intent == "emergency", (state, second.reply.text)
    assert "treatment team" in second.reply.text and no_content(second)


def test_an_age_given_later_re_assesses(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, "my baby has a temperature of 38.2", "she is only 6 weeks old")
    assert turns[0].reply.intent != "urgent"
    assert turns[1].reply.intent == "urgent", turns[1].reply.text


def test_a_temperature_given_later_re_assesses(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, "my 8 week old son feels warm to touch", "i just checked its 38.1")
    assert turns[1].reply.intent == "urgent", turns[1].reply.text


def test_two_people_do_not_add_up(pack: Pack, model: Model) -> None:
    """A son's fever and a wife's chemotherapy are not the fever during treatment."""
    turns = talk(pack, model, "my son has a fever", "my wife is on chemo")
    assert turns[1].reply.intent not in ("emergency", "urgent"), turns[1].reply.text
    assert same_person("son", "he") and same_person("baby", "daughter")
    assert not same_person("son", "wife") and not same_person("self", "son")
    assert not same_person("son", "she")


def test_a_question_does_not_add_up_with_what_was_told(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, "my son has had a fever for two days", "can chemo cause leukemia")
    assert turns[1].reply.intent not in ("emergency", "urgent"), turns[1].reply.text


def test_the_glass_test_is_read_as_its_answer(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, "my daughter has a fever and a rash", "no they dont go")
    assert turns[0].reply.intent == "urgent" and turns[0].reply.asks
    assert "glass" in turns[0].reply.text
    assert turns[1].reply.intent == "emergency", turns[1].reply.text
    fade = talk(pack, model, "my daughter has a fever and a rash", "yes they fade")
    assert fade[1].reply.intent == "urgent" and "today" in fade[1].reply.text


def test_what_was_told_is_bounded(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model=model)
    for number in range(MAX_TOLD * 3):
        conversation.turn(f"my son said something else {number} times")
    assert len(conversation.state.memory.told) == MAX_TOLD


# --- An emergency or a crisis is a mode -------------------------------------------------


EMERGENCY = "my son is on chemo and his temp is 38.2"
CRISIS = "my 15 year old just told me he wants to kill himself"


@pytest.mark.parametrize(
    ("follow_up", "wanted"),
    [
        ("what number", NUMBERS),
        ("should i just give him tylenol and wait till morning", ("do not wait",)),
        ("can i wait until his clinic appointment tomorrow", ("do not wait",)),
        ("what do i do while we wait", ("Stay with them",)),
        ("is it serious", ("cannot tell",)),
        ("what are the symptoms of leukemia", ("answer that later",)),
    ],
)
def test_after_an_emergency_the_next_turns_are_read_in_its_light(
    follow_up: str, wanted: tuple[str, ...], pack: Pack, model: Model
) -> None:
    first, then = talk(pack, model, EMERGENCY, follow_up)
    assert first.reply.intent == "emergency"
    assert then.reply.intent == "emergency", then.reply.text
    assert any(words in then.reply.text for words in wanted), then.reply.text
    assert no_content(then), then.reply.text


@pytest.mark.parametrize(
    ("follow_up", "wanted"),
    [
        ("what number", ("9 8 8",)),
        ("what should i do", ("Stay with them", "listen")),
        ("should i just wait and see if he calms down", ("do not wait",)),
        ("what are his chances anyway", ("what matters most",)),
    ],
)
def test_after_a_crisis_the_next_turns_get_crisis_care(
    follow_up: str, wanted: tuple[str, ...], pack: Pack, model: Model
) -> None:
    first, then = talk(pack, model, CRISIS, follow_up)
    assert first.reply.intent == "crisis"
    assert all(words in then.reply.text for words in wanted), then.reply.text
    assert no_content(then) and "survival" not in then.reply.text


def test_hopelessness_stays_in_crisis_care(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, "i keep thinking everyone would be better off without me",
                 "nobody would even notice if i was gone")  # fmt: skip
    assert turns[1].reply.intent == "crisis" and "9 8 8" in turns[1].reply.text


def test_the_mode_ends_when_help_has_come(pack: Pack, model: Model) -> None:
    turns = talk(
        pack, model, EMERGENCY, "thank you the ambulance is here now", "what are the symptoms"
    )
    assert turns[1].reply.intent == "thanks" and no_content(turns[1])
    assert turns[2].reply.intent == "symptoms", turns[2].reply.text
    moved = talk(pack, model, EMERGENCY, "ok the paramedics took him in. what causes all")
    assert moved[1].reply.intent == "causes", moved[1].reply.text


def test_the_mode_ends_when_asked_about_something_else_twice(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, EMERGENCY, "what causes it", "what causes it")
    assert turns[1].reply.intent == "emergency"
    assert turns[2].reply.intent == "causes"


def test_controls_keep_their_meaning_in_a_mode(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, EMERGENCY, "say that again", "slower")
    assert turns[1].reply.text == turns[0].reply.text
    assert turns[2].state.rate < turns[1].state.rate


def test_the_settings_numbers_are_said_in_the_mode(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model=model, emergency_number="000", crisis_line="13 11 14")
    conversation.turn(CRISIS)
    assert "13 11 14" in conversation.turn("which number was it").reply.text


# --- Honest and kind --------------------------------------------------------------------


def test_do_i_have_it_is_answered_honestly(pack: Pack, model: Model) -> None:
    turns = talk(pack, model, "do i have leukaemia", "yes please")
    assert "blood tests" in turns[0].reply.text and turns[0].reply.asks
    assert "Bone marrow is" not in turns[0].reply.text
    assert turns[1].reply.asks and "signs you have noticed" in turns[1].reply.text
    signs = talk(pack, model, "my son is pale and tired all the time does he have leukemia")
    assert "blood tests" in signs[0].reply.text and "How long" in signs[0].reply.text


@pytest.mark.parametrize(
    "said", ["is it my fault", "did i do something wrong, maybe it was something i fed him"]
)
def test_guilt_is_answered_first(said: str, pack: Pack, model: Model) -> None:
    (turn,) = talk(pack, model, said)
    assert turn.reply.text.startswith("It is not your fault"), turn.reply.text
    assert "do not know what causes" in turn.reply.text


def test_worry_is_acknowledged(pack: Pack, model: Model) -> None:
    (alone,) = talk(pack, model, "sorry im just really scared")
    assert alone.reply.text.startswith("It is natural to feel worried")
    assert "I do not have information" not in alone.reply.text
    (turn,) = talk(pack, model, "im so worried, what are the signs of leukemia")
    assert turn.reply.text.startswith("It is natural") and "nine signs" in turn.reply.text


def test_support_names_the_care_team(pack: Pack, model: Model) -> None:
    (adult,) = talk(pack, model, "im 38 and just diagnosed, is there anyone i can talk to")
    assert "your care team" in adult.reply.text and "social worker" in adult.reply.text
    (parent,) = talk(pack, model, "where can parents get support, my son has all")
    assert "your child's care team" in parent.reply.text


def test_an_adult_is_not_sent_to_a_childs_care_team(pack: Pack, model: Model) -> None:
    (turn,) = talk(pack, model, "im 61, how do they treat all in someone my age")
    assert turn.reply.intent == "not_covered" and "child" not in turn.reply.text


# --- Spoken -----------------------------------------------------------------------------


@pytest.mark.audio
def test_spoken_a_fever_then_chemo_then_what_number(tmp_path: Path) -> None:
    said = ["my son has a fever", "he had chemo last week", "what number do I call"]
    done = run_allvoice(
        tmp_path, "--listen-file", str(spoken_conversation(tmp_path, said)), "--json", timeout=180
    )
    assert done.returncode == 0, done.stderr
    turns = heard_by(done)
    assert [turn["intent"] for turn in turns][1] == "emergency", done.stdout
    assert any(number in turns[2]["reply"] for number in NUMBERS), turns[2]
    assert "bone marrow" not in turns[2]["reply"]


def test_an_emergency_ends_the_routine_follow_up_and_the_summary_keeps_both(
    pack: Pack, model: Model
) -> None:
    conversation = Conversation(pack, model=model)
    for line in ("my son has had a temperature since this afternoon", "he had chemo last week",
                 "the ambulance is here now"):  # fmt: skip
        turn = conversation.turn(line)
    assert "getting better" not in turn.reply.text, "no routine question once help has come"
    summary = conversation.summary()
    assert "since this afternoon" in summary and "had chemo last week" in summary, summary
