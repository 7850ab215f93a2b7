"""The spoken loop end to end, without hardware: a whole symptom follow-up from one
recording (generated here with flite) through --listen-file, the same endpointing as
the microphone, the domain recognizer, the core, and spoken replies written to a WAV."""

from __future__ import annotations

import json
import re
import subprocess
import wave
from pathlib import Path

import pytest
from clirun import heard_by, run_allvoice

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.session import Conversation
from allvoice.understanding import Model, Understanding, understand
from allvoice.understanding.spoken import under_doubt

SAID = ["my son has a fever and bone pain", "about three weeks", "no", "goodbye"]


def speak(text: str, path: Path) -> Path:
    subprocess.run(["flite", "-t", text, "-o", str(path)], check=True)
    return path


def recording(tmp_path: Path, lines: list[str], gap: float = 1.5) -> Path:
    parts: list[str] = []
    silence = tmp_path / "silence.wav"
    subprocess.run(
        [
            "sox",
            "-D",
            "-n",
            "-r",
            "8000",
            "-c",
            "1",
            "-b",
            "16",
            str(silence),
            "trim",
            "0",
            str(gap),
        ],
        check=True,
    )
    for number, line in enumerate(lines):
        parts += [str(speak(line, tmp_path / f"part{number}.wav")), str(silence)]
    whole = tmp_path / "conversation.wav"
    subprocess.run(["sox", *parts, str(whole)], check=True)
    return whole


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_allvoice(tmp_path, *args, timeout=120)


@pytest.mark.audio
def test_a_whole_symptom_follow_up_from_one_recording(tmp_path: Path) -> None:
    conversation = recording(tmp_path, SAID)
    spoken = tmp_path / "replies.wav"
    done = run(tmp_path, "--listen-file", str(conversation), "--json", "--speak-to", str(spoken))
    assert done.returncode == 0, done.stderr
    turns = heard_by(done)
    assert len(turns) == 4, done.stdout
    assert turns[0]["intent"] == "report_symptoms"
    assert set(turns[0]["symptoms"]) == {"fever", "bone_pain"}
    assert turns[0]["asks"] and "How long" in turns[0]["reply"]
    # three weeks is long enough for the advice at once, and the offer of a summary
    # Whisper writes the number as a word or in digits, depending on its version
    assert re.search(r"\b(three|3) weeks\b", turns[1]["heard"]), turns[1]["heard"]
    assert "getting better" not in turns[1]["reply"]
    assert "appointment" in turns[1]["reply"] and "not a diagnosis" in turns[1]["reply"]
    assert turns[1]["reply"].endswith(symptom_wording.OFFER_SUMMARY) and turns[1]["asks"]
    assert turns[2]["intent"] == "no" and turns[2]["reply"] == phrasing.OKAY_WHAT_ELSE
    assert turns[3]["end"] is True
    assert all(0.0 <= turn["confidence"] <= 1.0 for turn in turns)
    with wave.open(str(spoken)) as replies:
        assert replies.getnframes() / replies.getframerate() > 10.0


@pytest.mark.audio
def test_ask_wav_answers_each_recording_in_a_fresh_conversation(tmp_path: Path) -> None:
    first = speak("what are the symptoms", tmp_path / "q1.wav")
    second = speak("is it inherited", tmp_path / "q2.wav")
    done = run(tmp_path, "ask", "--wav", str(first), str(second), "--json")
    assert done.returncode == 0, done.stderr
    turns = heard_by(done)
    assert [turn["intent"] for turn in turns] == ["symptoms", "causes"]
    assert "not inherited" in turns[1]["reply"]


def test_no_input_gives_a_reprompt_and_listening_goes_on() -> None:
    from allvoice.speech.audio.endpointer import EndpointerSettings, utterances_from_frames

    silence = [bytes(960)] * 200  # 6 s of 16 kHz silence in 30 ms frames
    settings = EndpointerSettings(no_input_seconds=1.0, keep_listening=True)
    found = list(utterances_from_frames(silence, settings))
    assert 4 <= len(found) <= 6
    assert all(not utterance.audio.audio for utterance in found)
    stopping = EndpointerSettings(no_input_seconds=1.0)
    assert list(utterances_from_frames(silence, stopping)) == []


def test_silence_is_reprompted_three_times_then_allvoice_waits(pack: Pack) -> None:
    import io

    from allvoice.app.voice import MAX_SILENT_REPROMPTS, converse_by_voice
    from allvoice.conversation.session import Conversation
    from allvoice.fakes import FakeRecognizer
    from allvoice.ports import AudioChunk

    deaf = FakeRecognizer()  # silence is never decoded

    empty = AudioChunk(16000, 2, 1, b"")
    out = io.StringIO()
    converse_by_voice(Conversation(pack), [empty] * 6, deaf, out, as_json=True)
    replies = [json.loads(line)["reply"] for line in out.getvalue().splitlines()]
    assert len(replies) == MAX_SILENT_REPROMPTS == 3
    assert "did not catch" in replies[0]
    assert len(replies[2]) > len(replies[1]) > len(replies[0])


def test_noise_heard_as_nothing_is_reprompted_three_times_then_allvoice_waits(
    pack: Pack,
) -> None:
    """A hissing or stuck microphone gives an utterance of noise every 20 s, all day: it
    is heard as nothing, reprompted three times in a row, then left unanswered until
    someone speaks."""
    import io

    from allvoice.app.voice import MAX_SILENT_REPROMPTS, converse_by_voice
    from allvoice.conversation.session import Conversation
    from allvoice.fakes import FakeRecognizer
    from allvoice.ports import AudioChunk

    noise = AudioChunk(16000, 2, 1, bytes(2 * 16000 * 20))
    heard = FakeRecognizer(*[""] * 10, "what are the symptoms", "", "")
    out = io.StringIO()
    converse_by_voice(Conversation(pack), [noise] * 13, heard, out, as_json=True)
    turns = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [t["intent"] for t in turns][MAX_SILENT_REPROMPTS:] == ["symptoms", "unknown", "unknown"]
    assert len(turns) == MAX_SILENT_REPROMPTS + 3 and len(heard.utterances) == 13


def test_a_microphone_lost_mid_conversation_goes_on_in_text_mode(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import io

    from allvoice.app import cli, commands, wiring
    from allvoice.errors import DeviceError
    from allvoice.fakes import FakeListener, FakeRecognizer
    from allvoice.ports import AudioChunk

    unplugged = FakeListener(
        AudioChunk(16000, 2, 1, bytes(16000)),
        then=DeviceError("The microphone stopped working; check it."),
    )
    hears = FakeRecognizer("what are the symptoms")

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setattr(wiring, "make_listener", lambda *args: unplugged)
    monkeypatch.setattr(wiring, "make_speaker", lambda *args, **kwargs: None)
    monkeypatch.setattr(commands, "make_recognizer", lambda *args: hears)
    monkeypatch.setattr("sys.stdin", io.StringIO("is it inherited\n"))
    assert cli.main(["--json"]) == 0
    out, err = capsys.readouterr()
    turns = [json.loads(line) for line in out.splitlines()]
    assert [turn["intent"] for turn in turns] == ["symptoms", "causes"]
    assert err.strip() == (
        "allvoice: The microphone stopped working; check it. Going on in text mode."
    )


def test_doubted_speech_is_dropped_unless_it_is_an_emergency_or_a_full_report(
    model: Model,
) -> None:
    """The recognizer's doubt drops what was heard, but never an emergency, and not a
    report that names two symptoms; a question about one section is offered back."""
    for text in ("the stock market fell this morning", "my son has a fever", "louder"):
        assert under_doubt(understand(text, model)) == Understanding("", "unknown", confidence=0)
    for text in ("my son cannot breathe", "my son has a fever and bone pain"):
        assert under_doubt(understand(text, model)) == understand(text, model)
    offered = under_doubt(understand("what causes leukemia", model))
    assert (offered.intent, offered.unsure_of) == ("unknown", "causes")


def test_a_doubted_question_is_offered_back_and_yes_answers_it(pack: Pack) -> None:
    conversation = Conversation(pack)
    asked = conversation.turn("what causes leukemia", doubted=True)
    assert asked.reply.asks and "Did you ask about causes?" in asked.reply.text
    assert asked.intent == "unknown"
    answered = conversation.turn("yes")
    assert answered.reply.section == "causes"
    conversation.turn("what causes leukemia", doubted=True)
    declined = conversation.turn("no")
    assert declined.reply.section is None and "causes" not in declined.reply.text.lower()
    again = conversation.turn("what are the risk factors", doubted=True)
    asked_again = conversation.turn("what are the risk factors")  # said again, heard well
    assert "Did you ask" in again.reply.text and asked_again.reply.section == "risk_factors"
