"""The public API (``allvoice.Assistant``): the same answers as the command line, without it."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import run_allvoice

import allvoice
from allvoice import Answer, Assistant
from allvoice.errors import ContentError


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant()


def test_ask_answers_a_topic_question(assistant: Assistant) -> None:
    answer = assistant.ask("what causes leukemia")
    assert (answer.intent, answer.section, answer.topic) == ("causes", "causes", "causes")
    assert "bone marrow" in answer.reply
    assert not answer.asks and not answer.end


def test_a_red_flag_is_an_emergency(assistant: Assistant) -> None:
    answer = assistant.ask("my son cannot breathe")
    assert answer.intent == "emergency"
    assert "emergency" in answer.reply.lower()


def test_the_emergency_number_is_said_when_given() -> None:
    answer = Assistant(emergency_number="112").ask("my son cannot breathe")
    assert "112" in answer.reply


def test_a_chat_keeps_the_symptom_follow_up_between_turns(assistant: Assistant) -> None:
    chat = assistant.chat()
    first = chat.say("my son has a fever and bone pain")
    assert first.intent == "report_symptoms" and first.asks
    assert set(first.symptoms) == {"fever", "bone_pain"} and "How long" in first.reply
    second = chat.say("about three weeks")
    assert second.intent == "report_symptoms" and "appointment" in second.reply
    # ask() starts afresh: the same answer out of context is not part of a report
    assert assistant.ask("about three weeks").reply != second.reply
    assert not chat.ended
    assert chat.say("goodbye").end and chat.ended


@pytest.mark.parametrize(
    "question", ["what causes leukemia", "my son cannot breathe", "my son has a fever", "louder"]
)
def test_answers_equal_the_json_of_allvoice_ask(
    assistant: Assistant, tmp_path: Path, question: str
) -> None:
    done = run_allvoice(tmp_path, "ask", "--json", question)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    answer = assistant.ask(question)
    assert answer.as_json() == printed
    assert [field.name for field in dataclasses.fields(Answer)] == list(printed)


def test_an_answer_is_frozen(assistant: Assistant) -> None:
    answer = assistant.ask("hello")
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.reply = "something else"  # type: ignore[misc]


def test_another_pack_or_a_broken_one(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no such content folder"):
        Assistant(tmp_path / "missing")


def test_import_allvoice_loads_no_engine_and_no_core() -> None:
    code = (
        "import sys, allvoice\n"
        "print(sorted(m for m in sys.modules if m.startswith('allvoice')))\n"
        "allvoice.Assistant\n"
        "engines = ('numpy', 'pocketsphinx', 'faster_whisper', 'vosk', 'allvoice.speech')\n"
        "print(sorted(m for m in sys.modules if m.startswith(engines)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["['allvoice']", "[]"]
    assert allvoice.__version__ and set(allvoice.__all__) >= {"Assistant", "Chat", "Answer"}
