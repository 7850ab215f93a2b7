"""Is this transcript a finished thought? The pure judgement that ends a spoken turn
(``understanding.turn_end``), on fragments and on whole utterances, including what Whisper
made of real people's recordings cut at a pause inside their sentence."""

from __future__ import annotations

import pytest

from allvoice.understanding.turn_end import (
    FINISHED,
    OPEN,
    REPORT,
    UNFINISHED,
    clearly_said,
    ends_turn,
    verdict,
)

FINISHED_THOUGHTS = [
    # questions
    "what are the symptoms",
    "what causes it",
    "is it inherited",
    "what does it feel like",
    "who should i talk to",
    "when should i see a doctor",
    "what symptoms do adults get",
    "what can you do",
    "could you repeat that",
    "how long does it last",
    "what is it caused by",
    "how is it treated",
    "can adults get it",
    "tell me about the treatment",
    # answers and commands
    "yes",
    "no",
    "about two weeks",
    "three days",
    "yes it is",
    "no i don't",
    "yes he has",
    "i think so",
    "me too",
    "thank you",
    "goodbye",
    "it hurts",
    "stop",
    "say that again",
    "carry on",
    "go on",
]

REPORTS = [  # finished as they stand, but people describing how they feel often go on
    "my son has a fever and bone pain",
    "i can hardly breathe",
    "my head is spinning when i get up",
    "i get chills and aches all over",
    "my knee feels weak and it gave way the other day at the top of the stairs",
    "i can hardly move my neck",
    "my hair is falling out in bunches",
    "my knee feels weak",
    "when i move on my shoulder pain shoots down my arm",
    "after playing tennis i had a powerful sensation close to my neck",
    "my entire body",  # a short sentence that opens like a report
    "there are lots",
]

FRAGMENTS = [
    "i can hardly",
    "my son has",
    "and the",
    "it started when",
    "what are the symptoms of",
    "my stomach feels",  # Whisper on a real recording cut at its pause
    "i have a pain in my",
    "there is a sharp pain in the",
    "it is at its worst when i",
    "my heart hurts so badly to the point i",
    "i feel like",
    "it feels like",
    "what are the chances that",
    "the pain is very",
    "i am um",
    "because",
    "i'm",
    "what are the symptoms of the",
    "is it worse in the",
    "she's been",
    "my daughter and",
    "i get",  # Whisper on a real recording cut at a pause spliced in
    "when i move on my shoulder",
    "after playing tennis",
    "anytime i play tennis",
    "if my son has a fever",
]


@pytest.mark.parametrize("text", FINISHED_THOUGHTS)
def test_a_question_an_answer_or_a_command_ends_the_turn_soon(text: str) -> None:
    assert verdict(text) is FINISHED
    assert ends_turn(text) is FINISHED


@pytest.mark.parametrize("text", REPORTS)
def test_a_report_that_may_go_on_is_given_time(text: str) -> None:
    assert verdict(text) is REPORT


@pytest.mark.parametrize("text", FRAGMENTS)
def test_a_sentence_plainly_not_finished_waits_for_the_rest(text: str) -> None:
    assert verdict(text) is UNFINISHED


def test_nothing_heard_decides_nothing() -> None:
    assert verdict("") is OPEN
    assert verdict("   ") is OPEN


def test_a_doubted_question_is_not_ended_early_but_a_doubted_fragment_still_waits() -> None:
    assert ends_turn("what causes it", sure=False) is OPEN
    assert ends_turn("i can hardly", sure=False) is UNFINISHED
    assert ends_turn("my son has a fever and bone pain", sure=False) is REPORT


def test_whisper_punctuation_and_capitals_do_not_matter() -> None:
    assert verdict("I can hardly...") is UNFINISHED
    assert verdict("What causes it?") is FINISHED


def test_a_lone_yes_or_no_is_taken_only_when_clearly_said() -> None:
    assert clearly_said("no", 0.9)
    assert clearly_said("yes please", 0.7)
    assert not clearly_said("no", 0.3)  # a breath heard as "no"
    assert not clearly_said("no no no no", 0.9)  # Whisper filling a tail of breath
    assert not clearly_said("yes yes yes", 0.9)
    assert clearly_said("no no", 0.8)
    # anything that is not a lone yes or no is not judged here
    assert clearly_said("my son has a fever", 0.2)
    assert clearly_said("no he has a fever", 0.2)
