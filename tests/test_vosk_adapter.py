"""The Vosk adapter against a stand-in ``vosk`` module: no Vosk model is installed here
(none may be downloaded), so this checks what the adapter itself does with the results
Vosk gives: transcript, confidence, the in-domain share of words, streaming, bad models."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import ClassVar

import pytest

from allvoice.content.pack import Pack
from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr.recognizer import make_recognizer
from allvoice.speech.asr.vosk import VoskRecognizer


class FakeKaldiRecognizer:
    """Says back the words queued in ``FakeKaldiRecognizer.next_words`` once fed audio."""

    next_words: ClassVar[list[tuple[str, float]]] = []

    def __init__(self, model: object, rate: int) -> None:
        assert rate == 16000
        self.fed = 0

    def SetWords(self, on: bool) -> None:  # Vosk's own method names
        assert on

    def AcceptWaveform(self, frames: bytes) -> bool:
        self.fed += len(frames)
        return False

    def FinalResult(self) -> str:
        if not self.fed:
            return json.dumps({"text": ""})
        self.fed = 0
        words = FakeKaldiRecognizer.next_words
        result = [{"word": w, "conf": c} for w, c in words]
        return json.dumps({"text": " ".join(w for w, _ in words), "result": result})


@pytest.fixture
def fake_vosk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    module = types.ModuleType("vosk")
    module.SetLogLevel = lambda level: None  # type: ignore[attr-defined]

    def model(path: str) -> object:
        if not (Path(path) / "am" / "final.mdl").exists():
            raise Exception("Failed to create a model")  # what vosk raises
        return object()

    module.Model = model  # type: ignore[attr-defined]
    module.KaldiRecognizer = FakeKaldiRecognizer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "vosk", module)
    folder = tmp_path / "vosk-model"
    (folder / "am").mkdir(parents=True)
    (folder / "am" / "final.mdl").write_bytes(b"model")
    return folder


def said(words: str, confidence: float = 0.9) -> None:
    FakeKaldiRecognizer.next_words = [(w, confidence) for w in words.split()]


AUDIO = AudioChunk(16000, 2, 1, bytes(16000))


def test_vosk_transcripts_in_and_out_of_the_domain(fake_vosk: Path, pack: Pack) -> None:
    recognizer = make_recognizer("vosk", fake_vosk, pack)
    said("what are the symptoms of leukemia", 0.8)
    heard = recognizer.recognize(AUDIO)
    assert heard == Transcript("what are the symptoms of leukemia", pytest.approx(0.8))
    said("preheat the oven and add two cups of flour")
    assert not recognizer.recognize(AUDIO).in_domain, "general speech is flagged"


def test_vosk_streams_and_finishes(fake_vosk: Path, pack: Pack) -> None:
    recognizer = make_recognizer("vosk", fake_vosk, pack)
    assert recognizer.finish() == Transcript("", 0.0), "nothing fed, nothing heard"
    said("when should i see a doctor")
    for start in range(0, len(AUDIO.audio), 960):
        recognizer.feed(AUDIO.audio[start : start + 960])
    assert recognizer.finish().text == "when should i see a doctor"
    assert recognizer.finish() == Transcript("", 0.0)


def test_vosk_problems_are_one_sentence(fake_vosk: Path, tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match="not a Vosk model folder"):
        VoskRecognizer(tmp_path / "empty")
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    with pytest.raises(DeviceError, match="could not load the model"):
        VoskRecognizer(broken)
    with pytest.raises(Exception, match="16 kHz"):
        VoskRecognizer(fake_vosk).recognize(AudioChunk(8000, 2, 1, bytes(800)))
