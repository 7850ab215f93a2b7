"""Saying "stop" over allvoice's own speech, with headphones on: spoken audio generated
here with flite and espeak-ng, a fake microphone and a fake sound card."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import wave
from pathlib import Path

import pytest
from fakedevices import FakeMicrophone, FakeOutput

from allvoice.app import wiring
from allvoice.app.settings import Settings
from allvoice.content.pack import Pack
from allvoice.ports import Voice
from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
from allvoice.speech.audio import microphone
from allvoice.speech.audio.bargein import StopListener
from allvoice.speech.audio.endpointer import EndpointerSettings
from allvoice.speech.audio.microphone import MicrophoneListener
from allvoice.speech.audio.player import Player
from allvoice.speech.tts.speaker import AudioSpeaker
from allvoice.speech.tts.synthesizer import Synthesizer
from allvoice.understanding import Model, understand

pytestmark = [
    pytest.mark.audio,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("espeak-ng", "flite", "sox")),
        reason="needs espeak-ng, flite and sox",
    ),
]
RATE = 16000
LONG_REPLY = " ".join(["Leukemia is a cancer of the blood and the bone marrow."] * 8)


def spoken(text: str, voice: str, folder: Path, lead: float = 0.5, tail: float = 1.0) -> bytes:
    """``text`` said by ``engine:voice``, 16 kHz 16-bit mono, with silence around it."""
    engine, name = voice.split(":")
    raw, out = folder / "raw.wav", folder / "out.wav"
    if engine == "flite":
        subprocess.run(["flite", "-voice", name, "-t", text, "-o", str(raw)], check=True)
    else:
        subprocess.run(["espeak-ng", "-v", name, "-w", str(raw), text], check=True)
    subprocess.run(
        ["sox", "-D", str(raw), "-r", str(RATE), "-b", "16", "-c", "1", str(out),
         "pad", str(lead), str(tail)],
        check=True,
    )  # fmt: skip
    with wave.open(str(out)) as wav:
        return wav.readframes(wav.getnframes())


@pytest.fixture(scope="module")
def recognizer(pack: Pack) -> PocketSphinxRecognizer:
    return PocketSphinxRecognizer(pack)


def listen(recognizer: PocketSphinxRecognizer, model: Model, audio: bytes) -> int:
    """Feed ``audio`` to a StopListener in 30 ms frames; how often it called stop."""
    stops: list[float] = []
    stopper = StopListener(
        recognizer,
        lambda text: understand(text, model).intent == "stop",
        lambda: stops.append(time.monotonic()),
    )
    for start in range(0, len(audio), 960):
        stopper.feed(audio[start : start + 960])
    stopper.close(timeout=10.0)
    return len(stops)


@pytest.mark.parametrize(
    "said", ["flite:slt|stop", "espeak-ng:en-us|stop", "flite:kal16|stop talking"]
)
def test_stop_said_while_speaking_is_heard(
    said: str, recognizer: PocketSphinxRecognizer, model: Model, tmp_path: Path
) -> None:
    voice, text = said.split("|")
    assert listen(recognizer, model, spoken(text, voice, tmp_path)) == 1


@pytest.mark.parametrize(
    "said",
    [
        "flite:slt|what are the symptoms of leukemia",
        "espeak-ng:en-us|the stock market fell sharply this morning",
        "flite:kal16|my son has a fever and bone pain",
    ],
)
def test_anything_else_said_while_speaking_is_ignored(
    said: str, recognizer: PocketSphinxRecognizer, model: Model, tmp_path: Path
) -> None:
    voice, text = said.split("|")
    assert listen(recognizer, model, spoken(text, voice, tmp_path)) == 0


def test_stop_over_the_reply_stops_the_speech_at_once(
    pack: Pack, model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: allvoice speaks a long reply on headphones (a fake sound card that
    takes real time); the microphone (a fake one) hears "stop"; the reply ends at once."""
    audio = spoken("stop", "flite:slt", tmp_path, lead=0.5, tail=3.0)
    fake = FakeMicrophone(audio, RATE)
    monkeypatch.setattr(microphone, "_open_microphone", lambda index: (fake, fake.rate))
    player = Player(FakeOutput(), block_seconds=0.02)
    speaker = AudioSpeaker(Synthesizer(), player)
    user = Settings(headphones=True)
    stopper = wiring.make_stop_listener(user, speaker, lambda: PocketSphinxRecognizer(pack), model)
    assert stopper is not None
    listener = MicrophoneListener(
        settings=EndpointerSettings(),
        muted=lambda: speaker.is_speaking,
        while_muted=stopper.feed,
        calibrate_seconds=0.03,
    )
    speaking = threading.Thread(target=speaker.say, args=(LONG_REPLY, Voice(175, 1.0)))
    started = time.monotonic()
    try:
        speaking.start()
        while not speaker.is_speaking:
            time.sleep(0.01)
        with listener:
            threading.Thread(target=lambda: next(listener.utterances(), None), daemon=True).start()
            speaking.join(timeout=30.0)
            took = time.monotonic() - started
    finally:
        speaker.stop()
        player.close()
        stopper.close()
    assert not speaking.is_alive()
    assert took < 8.0, "the reply (over 20 s long) played on"
    assert stopper.heard[-1:] == ["stop"]


def test_without_headphones_nothing_listens_while_allvoice_speaks(pack: Pack, model: Model) -> None:
    speaker = AudioSpeaker(Synthesizer(), Player(FakeOutput()))
    engine = lambda: PocketSphinxRecognizer(pack)  # noqa: E731
    assert wiring.make_stop_listener(Settings(), speaker, engine, model) is None
    assert wiring.make_stop_listener(Settings(headphones=True), None, engine, model) is None
