"""The follow-up records what was said, no more (issue 16 point 4): "I don't know" is not
a trend, each duration stays with its sign, people are kept apart, the notes can be
corrected, and the summary for the doctor says each person, sign, duration and trend,
the temperature with its unit and chemotherapy; typed, and spoken through --listen-file."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import heard_by, run_allvoice, spoken_conversation

from allvoice.content.pack import Pack
from allvoice.conversation import symptom_wording
from allvoice.conversation.session import Conversation
from allvoice.understanding import Model


@pytest.fixture
def talk(pack: Pack, model: Model) -> Conversation:
    return Conversation(pack, model)


def told(talk: Conversation, *lines: str) -> str:
    """The summary after ``lines``; the last reply is in ``talk.last``."""
    for line in lines:
        talk.last = talk.turn(line).reply.text  # type: ignore[attr-defined]
    return talk.summary()


@pytest.mark.parametrize("unsure", ["i dont know if theyre worse or not", "no idea honestly"])
def test_i_dont_know_is_not_a_trend(talk: Conversation, unsure: str) -> None:
    text = told(talk, "my son keeps getting nosebleeds", "about a week", unsure)
    assert "nosebleeds" in text and "a week" in text
    assert "worse" not in text and "better" not in text, text
    assert "because they are getting worse" not in talk.last.lower()  # type: ignore[attr-defined]


def test_each_sign_keeps_its_own_duration(talk: Conversation) -> None:
    text = told(
        talk,
        "my daughter has bone pain and loads of bruises",
        "the bruises about three weeks, the bone pain only since saturday",
    )
    assert "About: my daughter." in text
    assert "bruises, for three weeks" in text and "bone pain, since saturday" in text, text


def test_an_adult_gives_two_durations(talk: Conversation) -> None:
    text = told(
        talk,
        "ive had night sweats and my gums bleed when i brush",
        "gums for two months, sweats just the last four days",
    )
    assert "About: me." in text
    assert "gums bleed when i brush, for two months" in text, text
    assert "night sweats, for last four days" in text, text


def test_two_people_each_with_their_sign_and_duration(talk: Conversation) -> None:
    text = told(
        talk,
        "my husbands gums keep bleeding and my daughter has pain in her bones",
        "his gums about a month, her bones maybe a week",
    )
    expected = (
        "About: my husband. Signs: gums keep bleeding, for a month. "
        "About: my daughter. Signs: pain in her bones, for a week."
    )
    assert expected in text, text


def test_her_and_him_go_to_the_granddaughter_and_the_grandson(talk: Conversation) -> None:
    text = told(
        talk,
        "my granddaughter is pale and my grandson has had nosebleeds",
        "her for a week, him for three weeks",
    )
    assert "About: my granddaughter. Signs: pale, for a week." in text, text
    assert "About: my grandson. Signs: nosebleeds, for three weeks." in text, text


def test_a_second_person_is_added_not_started_afresh(talk: Conversation) -> None:
    text = told(
        talk,
        "my son has swollen glands",
        "ten days",
        "getting bigger i think. and my wife has been really breathless",
    )
    son, wife = text.find("About: my son."), text.find("About: my wife.")
    assert -1 < son < wife, text
    assert "ten days, getting worse" in text[son:wife] and "breathless" in text[wife:]


@pytest.mark.parametrize(
    ("lines", "now", "gone"),
    [
        (("my daughter keeps getting bruises", "two weeks", "no sorry, it was three weeks"),
         "three weeks", "two weeks"),
        (("my son has had headaches", "a month", "sorry change that to four days"),
         "four days", "month"),
    ],
)  # fmt: skip
def test_a_duration_can_be_corrected(
    talk: Conversation, lines: tuple[str, ...], now: str, gone: str
) -> None:
    text = told(talk, *lines)
    assert f"How long: {now}." in text and gone not in text, text
    assert talk.last == symptom_wording.summary_changed(now)  # type: ignore[attr-defined]


def test_remove_that_takes_out_the_last_sign(talk: Conversation) -> None:
    told(talk, "my wife is exhausted all the time", "three weeks", "she also gets headaches")
    assert "headaches" in talk.summary()
    turn = talk.turn("actually remove that")
    assert turn.intent == "remove_last" and turn.reply.text == symptom_wording.removed("headaches")
    text = talk.summary()
    assert "headaches" not in text and "Signs: exhausted." in text, text
    assert talk.state.followup is None, "nothing is left to ask about"


@pytest.mark.parametrize(
    "clear", ["start the summary again", "clear the summary", "forget what i said"]
)
def test_the_summary_can_be_started_again(talk: Conversation, clear: str) -> None:
    told(talk, "my son has bone pain", "a week", "its getting worse")
    turn = talk.turn(clear)
    assert turn.intent == "clear_summary" and turn.reply.text == symptom_wording.SUMMARY_CLEARED
    assert talk.summary() == symptom_wording.NO_SUMMARY_YET
    text = told(talk, "my daughter looks really pale")
    assert "About: my daughter." in text and "son" not in text and "bone" not in text


def test_since_tuesday_i_think_is_since_tuesday(talk: Conversation) -> None:
    text = told(talk, "my husband is really pale", "since tuesday i think")
    assert "How long: since tuesday." in text, text


@pytest.mark.parametrize(
    ("said", "temperature"),
    [
        ("my 7 year old has had a temperature of 38.6 since yesterday", "38.6 degrees"),
        ("my 10 year old daughter has been running a fever, 101.5 fahrenheit",
         "101.5 degrees Fahrenheit"),
    ],
)  # fmt: skip
def test_temperature_with_its_unit_and_the_age_as_given(
    talk: Conversation, said: str, temperature: str
) -> None:
    text = told(talk, said)
    assert f"Temperature: {temperature}." in text, text
    assert "years old" in text and "year old has" not in text, text


@pytest.mark.parametrize(
    ("lines", "chemo"),
    [
        (("my son is on chemo and hes been really pale and tired", "about a week"), "on chemo"),
        (("my dad has aching bones", "two weeks, and hes having chemotherapy at the moment"),
         "having chemotherapy at the moment"),
    ],
)  # fmt: skip
def test_chemotherapy_is_in_the_summary_in_their_words(
    talk: Conversation, lines: tuple[str, ...], chemo: str
) -> None:
    text = told(talk, *lines)
    assert f"Chemotherapy: {chemo}." in text, text


def test_one_person_one_duration_keeps_the_old_shape(talk: Conversation) -> None:
    text = told(talk, "my daughter has a fever and has lost weight", "five weeks")
    assert "About: my daughter. Signs: fever and lost weight. How long: five weeks." in text


def test_the_written_summary_has_a_block_per_person(talk: Conversation) -> None:
    from datetime import date

    from allvoice.conversation.summary import written

    told(talk, "my granddaughter is pale and my grandson has had nosebleeds",
         "her for a week, him for three weeks")  # fmt: skip
    lines = written(talk.state.notes, date(2026, 12, 1)).splitlines()
    assert "About: my granddaughter" in lines and "About: my grandson" in lines
    assert "Signs: nosebleeds, for three weeks" in lines


@pytest.mark.audio
def test_spoken_two_durations_through_listen_file(tmp_path: Path) -> None:
    lines = [
        "my husband has bleeding gums and my daughter has bruises",
        "his gums about a month, and her bruises about a week",
        "summary",
    ]
    whole = spoken_conversation(tmp_path, lines, words_per_minute=140)
    done = run_allvoice(tmp_path, "--listen-file", str(whole), "--json", timeout=180)
    assert done.returncode == 0, done.stderr
    turns = heard_by(done)
    summary = turns[-1]["reply"]
    assert turns[-1]["intent"] == "summary", done.stdout
    husband, daughter = summary.find("About: my husband."), summary.find("About: my daughter.")
    assert -1 < husband < daughter, done.stdout
    assert "month" in summary[husband:daughter] and "week" in summary[daughter:], done.stdout
