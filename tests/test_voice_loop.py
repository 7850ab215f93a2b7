"""The spoken loop end to end, without hardware: a whole symptom follow-up from one
recording (generated here with flite) through --listen-file, the same endpointing as
the microphone, the domain recognizer, the core, and spoken replies written to a WAV."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

pytestmark = pytest.mark.audio

SAID = ["my son has a fever and bone pain", "about three weeks", "no", "goodbye"]


def speak(text: str, path: Path) -> Path:
    subprocess.run(["flite", "-t", text, "-o", str(path)], check=True)
    return path


def recording(tmp_path: Path, lines: list[str], gap: float = 1.5) -> Path:
    parts: list[str] = []
    silence = tmp_path / "silence.wav"
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(silence), "trim", "0", str(gap)],
        check=True,
    )
    for number, line in enumerate(lines):
        parts += [str(speak(line, tmp_path / f"part{number}.wav")), str(silence)]
    whole = tmp_path / "conversation.wav"
    subprocess.run(["sox", *parts, str(whole)], check=True)
    return whole


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-m", "allvoice", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_a_whole_symptom_follow_up_from_one_recording(tmp_path: Path) -> None:
    conversation = recording(tmp_path, SAID)
    spoken = tmp_path / "replies.wav"
    done = run(tmp_path, "--listen-file", str(conversation), "--json", "--speak-to", str(spoken))
    assert done.returncode == 0, done.stderr
    turns = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(turns) == 4, done.stdout
    assert turns[0]["intent"] == "report_symptoms"
    assert set(turns[0]["symptoms"]) == {"fever", "bone_pain"}
    assert turns[0]["asks"] and "How long" in turns[0]["reply"]
    assert "three weeks" in turns[1]["heard"] and "getting better" in turns[1]["reply"]
    assert "appointment" in turns[2]["reply"] and "not a diagnosis" in turns[2]["reply"]
    assert turns[3]["end"] is True
    assert all(0.0 <= turn["confidence"] <= 1.0 for turn in turns)
    with wave.open(str(spoken)) as replies:
        assert replies.getnframes() / replies.getframerate() > 10.0


def test_ask_wav_answers_each_recording_in_a_fresh_conversation(tmp_path: Path) -> None:
    first = speak("what are the symptoms", tmp_path / "q1.wav")
    second = speak("is it inherited", tmp_path / "q2.wav")
    done = run(tmp_path, "ask", "--wav", str(first), str(second), "--json")
    assert done.returncode == 0, done.stderr
    turns = [json.loads(line) for line in done.stdout.splitlines()]
    assert [turn["intent"] for turn in turns] == ["symptoms", "causes"]
    assert "not inherited" in turns[1]["reply"]
