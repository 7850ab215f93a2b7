"""Issue 16, point 6: a temperature given in Fahrenheit is answered in Fahrenheit;
off-topic questions are told plainly what allvoice can help with, not sent to a doctor;
the not-covered reply is short after the first time. Typed through a Conversation, in
the middle of the other dialogue states, and once through ``allvoice ask``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from clirun import run_allvoice as run

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing, safety_wording, symptom_wording
from allvoice.conversation.session import Conversation
from allvoice.understanding import Model
from benchmarks.triage import states

CELSIUS_THRESHOLD = re.compile(r"\b(37\.5|38|39|40) degrees\b(?! Fahrenheit)")
REFERRAL = "best person to ask"
OFF_TOPIC_START = "I can only help with questions about A L L:"


def say(pack: Pack, model: Model, *lines: str) -> Conversation:
    conversation = Conversation(pack, model)
    for line in lines:
        conversation.turn(line)
    return conversation


def last_reply(pack: Pack, model: Model, *lines: str) -> str:
    return say(pack, model, *lines).state.last_reply


# --- Fahrenheit ----------------------------------------------------------------------

FAHRENHEIT = [
    ("my 6 week old has a temperature of 101.5", "100.4 degrees Fahrenheit"),
    ("my 6 week old has a fever of 102 degrees f", "100.4 degrees Fahrenheit"),
    ("my 6 week old has a fever of a hundred and one", "100.4 degrees Fahrenheit"),
    ("my 2 month old has a fever of 101", "100.4 degrees Fahrenheit"),
    ("temp 100.9F in my 7 week old", "100.4 degrees Fahrenheit"),
    ("my 5 month old has a temperature of 103", "102.2 degrees Fahrenheit"),
    ("his temperature is 104.5", "104 degrees Fahrenheit"),
]


@pytest.mark.parametrize(("text", "said"), FAHRENHEIT)
def test_a_fahrenheit_temperature_is_answered_in_fahrenheit(
    pack: Pack, model: Model, text: str, said: str
) -> None:
    turn = Conversation(pack, model).turn(text)
    assert turn.intent == "urgent"
    assert turn.understanding.triage is not None and turn.understanding.triage.unit == "F"
    assert said in turn.reply.text
    assert not CELSIUS_THRESHOLD.search(turn.reply.text), turn.reply.text


CELSIUS = [
    ("my 6 week old has a temperature of 38.5", "38 degrees or more"),
    ("my 5 month old has a temperature of 39.5", "39 degrees or more"),
    ("his temperature is 40.3", "40 degrees or more"),
    ("my 6 week old has a fever", "38 degrees or more"),  # no number: as before
]


@pytest.mark.parametrize(("text", "said"), CELSIUS)
def test_celsius_and_no_temperature_stay_as_they_were(
    pack: Pack, model: Model, text: str, said: str
) -> None:
    turn = Conversation(pack, model).turn(text)
    assert turn.intent == "urgent"
    assert said in turn.reply.text
    assert "Fahrenheit" not in turn.reply.text


@pytest.mark.parametrize("state", list(states()))
def test_fahrenheit_is_kept_in_every_dialogue_state(pack: Pack, model: Model, state: str) -> None:
    conversation = Conversation(pack, model)
    states()[state](conversation)
    reply = conversation.turn("my 5 month old has a temperature of 103").reply.text
    assert "102.2 degrees Fahrenheit or more" in reply, (state, reply)


def test_the_chemotherapy_fever_emergency_says_no_celsius_threshold(
    pack: Pack, model: Model
) -> None:
    turn = Conversation(pack, model).turn("hes on chemo and his temp is 100.8")
    assert turn.intent == "emergency"
    assert not CELSIUS_THRESHOLD.search(turn.reply.text)


@pytest.mark.parametrize(
    ("celsius", "fahrenheit"), [(38.0, "100.4"), (39.0, "102.2"), (40.0, "104"), (37.5, "99.5")]
)
def test_thresholds_convert_to_a_tenth(celsius: float, fahrenheit: str) -> None:
    assert safety_wording.fahrenheit(celsius) == fahrenheit


def test_every_celsius_threshold_in_the_wording_is_converted() -> None:
    for reason in safety_wording.TRIAGE_REASONS.values():
        assert not CELSIUS_THRESHOLD.search(safety_wording.in_unit(reason, "F")), reason


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng (make setup)")
def test_espeak_reads_the_fahrenheit_threshold_as_a_number_with_a_point() -> None:
    """ "100.4" in digits is read "one hundred point four", not "one hundred dot four" or
    digit by digit: the phonemes espeak-ng would speak."""
    text = safety_wording.in_unit(safety_wording.TRIAGE_REASONS["baby_fever"], "F")
    phonemes = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us", text], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"h'VndrI2d p'?OInt f'o@ dI#gr'i:z f'ar@nh,aIt", phonemes), phonemes


# --- Off-topic questions -------------------------------------------------------------

OFF_TOPIC = [
    "whats the weather tomorrow",
    "give me a recipe for pancakes",
    "what are the football scores",
    "what time is it",
    "what is the capital of france",
    "set a timer for twenty minutes",
]


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_an_off_topic_question_is_told_what_allvoice_can_help_with(
    pack: Pack, model: Model, question: str
) -> None:
    turn = Conversation(pack, model).turn(question)
    assert turn.intent == "out_of_scope"
    assert turn.reply.text.startswith(OFF_TOPIC_START), turn.reply.text
    assert REFERRAL not in turn.reply.text
    for section in pack.sections:
        assert section.title in turn.reply.text


@pytest.mark.parametrize(
    "question",
    [
        "how is diabetes treated",
        "is lung cancer curable",
        "what is sepsis",
        "how much paracetamol can a child have",
        "can a grandparent get a l l",  # the condition named, as "a l l"
    ],
)
def test_a_health_question_outside_the_pack_keeps_the_doctor(
    pack: Pack, model: Model, question: str
) -> None:
    turn = Conversation(pack, model).turn(question)
    assert turn.intent == "out_of_scope"
    assert REFERRAL in turn.reply.text
    assert not turn.understanding.off_topic


def test_off_topic_in_the_follow_up_goes_back_to_the_question(pack: Pack, model: Model) -> None:
    conversation = say(pack, model, "my son has been tired and pale")
    turn = conversation.turn("what are the football scores")
    assert turn.reply.text.startswith(OFF_TOPIC_START)
    assert turn.reply.text.endswith(phrasing.back_to_symptoms(symptom_wording.ASK_DURATION))
    assert turn.reply.asks


# --- Not covered, short after the first time -----------------------------------------

SHORT_CONTAGIOUS = (
    "I do not have information on whether it is contagious either. Your care team can answer it."
)


def test_the_second_not_covered_reply_is_short(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model)
    first = conversation.turn("how is it treated")
    assert first.intent == "not_covered"
    assert first.reply.text.startswith("You asked about treatment.")
    assert "risk factors" in first.reply.text
    second = conversation.turn("is it contagious")
    assert second.intent == "not_covered"
    assert second.reply.text == SHORT_CONTAGIOUS


def test_it_stays_short_and_counts(pack: Pack, model: Model) -> None:
    conversation = say(pack, model, "how is it treated", "what are the symptoms")
    replies = [
        conversation.turn(q).reply.text for q in ("is it contagious", "can she go to school")
    ]
    assert replies[0] == SHORT_CONTAGIOUS
    assert replies[1].startswith("I do not have information on school")
    assert all("risk factors" not in reply for reply in replies)
    assert conversation.state.not_covered_said == 3


def test_the_short_reply_keeps_the_one_fact_the_pack_has(pack: Pack, model: Model) -> None:
    reply = last_reply(pack, model, "is it contagious", "what is the survival rate")
    assert reply.startswith("I do not have information on survival")
    assert pack.related_fact("survival") is not None
    assert pack.related_fact("survival").text in reply  # type: ignore[union-attr]


def test_start_over_makes_it_long_again(pack: Pack, model: Model) -> None:
    reply = last_reply(pack, model, "how is it treated", "start over", "is it contagious")
    assert reply.startswith("You asked about whether it is contagious.")


def test_an_emergency_between_them_does_not_count(pack: Pack, model: Model) -> None:
    conversation = say(pack, model, "my son is not breathing")
    set_aside = conversation.turn("is it contagious").reply.text  # the emergency mode
    assert "answer that later" in set_aside, set_aside
    assert conversation.turn("is it contagious").reply.text.startswith("You asked about")
    assert conversation.turn("how is it treated").reply.text.startswith("I do not have")


# --- The command line ----------------------------------------------------------------


def test_ask_answers_off_topic_and_fahrenheit(tmp_path: Path) -> None:
    result = run(
        tmp_path, "ask", "--json", "whats the weather tomorrow",
        "my 6 week old has a temperature of 101.5",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    weather, fever = (json.loads(line) for line in result.stdout.splitlines())
    assert weather["intent"] == "out_of_scope"
    assert weather["reply"].startswith(OFF_TOPIC_START)
    assert REFERRAL not in weather["reply"]
    assert fever["intent"] == "urgent"
    assert "100.4 degrees Fahrenheit or more" in fever["reply"]
