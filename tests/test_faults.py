"""Faults while allvoice runs (issue 18, point 3): each gives one sentence and a fallback,
and nothing is lost. The model cache deleted or damaged between turns; the summary file's
disk full or folder read-only; the microphone gone in the middle of an utterance;
espeak-ng missing; a recording in a format or at a rate the recognizer cannot take."""

from __future__ import annotations

import argparse
import errno
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from clirun import espeak, heard_by, run_allvoice
from fakedevices import FakeMicrophone

from allvoice.app import commands, summary_file, wiring
from allvoice.app.settings import Settings
from allvoice.app.summary_file import SummaryKeeper
from allvoice.content.pack import Pack
from allvoice.conversation.session import Conversation
from allvoice.errors import AudioError, DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr.whisper import WhisperRecognizer
from allvoice.speech.asr.whisper_model import whisper_model_folder
from allvoice.speech.audio import microphone
from allvoice.speech.audio.endpointer import EndpointerSettings
from allvoice.speech.audio.microphone import MicrophoneListener
from allvoice.speech.audio.wavfile import read_wav
from allvoice.speech.tts import synthesizer
from allvoice.understanding import Model

RATE = 16_000
HAVE_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAVE_ESPEAK, reason="needs espeak-ng")
VISIT = ["my daughter has a fever", "about five weeks", "yes"]


# --- The model cache deleted or damaged between turns ----------------------------------


@pytest.mark.audio
@needs_espeak
def test_the_model_cache_deleted_or_damaged_between_turns(pack: Pack, tmp_path: Path) -> None:
    """The loaded model goes on answering; the next start assembles the model again."""
    question = read_wav(espeak(tmp_path / "q.wav", "what are the symptoms"))
    cache = tmp_path / "cache"
    folder = whisper_model_folder(cache)
    whisper = WhisperRecognizer(pack, cache_dir=cache)
    assert whisper.recognize(question).text == "what are the symptoms"
    shutil.rmtree(cache)  # deleted between turns
    assert whisper.recognize(question).text == "what are the symptoms"
    (folder.parent).mkdir(parents=True)
    shutil.copytree(whisper_model_folder(tmp_path / "other"), folder)
    with open(folder / "model.bin", "r+b") as model:
        model.truncate(1000)  # damaged between turns
    assert whisper.recognize(question).text == "what are the symptoms"
    whisper.close()
    again = WhisperRecognizer(pack, cache_dir=cache)  # the next start: assembled again
    assert again.recognize(question).text == "what are the symptoms"
    again.close()


@pytest.mark.audio
@needs_espeak
def test_a_damaged_model_at_start_falls_back_to_pocketsphinx_in_one_sentence(
    tmp_path: Path,
) -> None:
    """Damaged so that its sizes still match (the quick check passes): loading fails, one
    sentence says what to do, PocketSphinx answers, and the JSON says which engine heard."""
    cache = tmp_path / "cache"
    folder = whisper_model_folder(cache / "allvoice")
    config = folder / "config.json"
    config.write_bytes(b"{" + b"x" * (config.stat().st_size - 1))
    question = espeak(tmp_path / "q.wav", "what are the symptoms")
    done = run_allvoice(
        tmp_path, "ask", "--json", "--wav", str(question),
        env={"XDG_CACHE_HOME": str(cache)}, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [line] = done.stderr.splitlines()
    assert "could not be loaded" in line and line.endswith("Using PocketSphinx meanwhile.")
    assert "Traceback" not in done.stderr
    [turn] = heard_by(done, "pocketsphinx")
    assert turn["intent"] == "symptoms", turn


# --- The summary file's disk full or folder read-only ------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system")],
)
def test_a_summary_that_cannot_be_written_is_said_and_the_talk_goes_on(
    pack: Pack,
    model: Model,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    reason: str,
) -> None:
    def refuse(path: Path) -> None:
        raise OSError(code, reason)

    monkeypatch.setattr(summary_file, "open_private", refuse)
    chosen = tmp_path / "visit.txt"
    keeper = SummaryKeeper(chosen)
    talk = Conversation(pack, model)
    talk.keeper = keeper.save
    talk.observers.append(keeper)
    for said in VISIT:
        talk.turn(said)
    saved = talk.turn("save the summary")
    assert saved.reply.text.startswith(f"I could not save the summary: {reason}.")
    read = talk.turn("summary")  # --summary-to writes each summary read: it says so once
    assert "fever" in read.reply.text
    lines = capsys.readouterr().err.splitlines()  # one for each summary read ("yes" read one)
    assert lines == 2 * [
        f"allvoice: {chosen}: I could not save the summary: {reason}. "
        "Say summary, and I will read it to you."
    ]
    assert talk.turn("what are the symptoms").intent == "symptoms"  # nothing lost


# --- The microphone gone in the middle of an utterance -----------------------------------


class VanishingMicrophone(FakeMicrophone):
    """A microphone that is unplugged after ``seconds`` of the recording."""

    def __init__(self, audio: bytes, seconds: float) -> None:
        super().__init__(audio, RATE)
        self.limit = seconds

    def read(self, size: int) -> bytes:
        if self.seconds() >= self.limit:
            raise OSError(-9981, "Input overflowed / device unavailable")
        return super().read(size)


@pytest.mark.audio
@needs_espeak
def test_the_microphone_unplugged_mid_utterance_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    speech = read_wav(espeak(tmp_path / "q.wav", "what are the symptoms of leukemia")).audio
    audio = bytes(RATE) + speech  # half a second of silence, then the speech
    fake = VanishingMicrophone(audio, 0.5 + 0.6 * len(speech) / (2 * RATE))
    monkeypatch.setattr(microphone, "_open_microphone", lambda index: (fake, RATE))
    listener = MicrophoneListener(settings=EndpointerSettings())
    with listener, pytest.raises(DeviceError) as raised:
        list(listener.utterances())
    assert str(raised.value).startswith("The microphone stopped working (")
    assert str(raised.value).endswith("check it.") and "\n" not in str(raised.value)
    assert fake.exited


def test_voice_mode_goes_on_in_text_mode_when_the_microphone_goes(
    pack: Pack,
    model: Model,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Gone:
        def utterances(self) -> Iterator[AudioChunk]:
            yield AudioChunk(RATE, 2, 1, bytes(RATE))
            raise DeviceError("The microphone stopped working (unplugged); check it.")

        timed_utterances = utterances  # what voice mode reads, with the timing when known

    monkeypatch.setattr(wiring, "make_listener", lambda *args: Gone())
    monkeypatch.setattr(sys, "stdin", io.StringIO("what are the symptoms\n"))
    args = argparse.Namespace(listen_file=None, mic=None, json=True)
    talk = Conversation(pack, model)
    silent = type("Silent", (), {"recognize": lambda self, chunk: Transcript("", 0.0)})()
    commands._listen(talk, pack, args, Settings(), None, silent, None)  # type: ignore[arg-type]
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "allvoice: The microphone stopped working (unplugged); check it. Going on in text mode."
    ]
    turns = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert turns[-1]["intent"] == "symptoms"  # the typed question is answered


# --- espeak-ng missing --------------------------------------------------------------------


def test_without_espeak_the_replies_are_text_with_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing(*args: object) -> None:
        raise DeviceError(
            "espeak-ng is not installed; install it with `sudo apt-get install espeak-ng`."
        )

    monkeypatch.setattr(wiring, "Synthesizer", missing)
    assert wiring.make_speaker(tmp_path / "replies.wav", Settings()) is None
    assert wiring.make_speaker(None, Settings()) is None
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        "allvoice: espeak-ng is not installed; install it with `sudo apt-get install "
        "espeak-ng`. Replies are shown as text only."
    )
    assert len(lines) <= 2 and synthesizer.Synthesizer is not missing


# --- A recording the recognizer cannot take ------------------------------------------------


@pytest.mark.audio
def test_audio_at_another_rate_is_refused_in_one_sentence(pack: Pack) -> None:
    whisper = WhisperRecognizer(pack)
    eight_khz = AudioChunk(8000, 2, 1, np.zeros(8000, "<i2").tobytes())
    with pytest.raises(AudioError) as raised:
        whisper.recognize(eight_khz)
    assert "16 kHz 16-bit mono" in str(raised.value) and "\n" not in str(raised.value)
    whisper.close()


@pytest.mark.audio
@pytest.mark.skipif(not (HAVE_ESPEAK and shutil.which("sox")), reason="needs espeak-ng, sox")
@pytest.mark.parametrize(
    ("encoding", "bits"),
    [("mu-law", "8"), ("a-law", "8"), ("ima-adpcm", "4"), ("gsm-full-rate", "")],
)
def test_an_encoding_the_reader_cannot_take_is_one_line_and_the_next_file_is_answered(
    tmp_path: Path, encoding: str, bits: str
) -> None:
    good = espeak(tmp_path / "good.wav", "what are the symptoms")
    odd = tmp_path / f"{encoding}.wav"
    size = ["-b", bits] if bits else []
    subprocess.run(["sox", "-V1", str(good), "-e", encoding, *size, str(odd)], check=True)
    done = run_allvoice(tmp_path, "ask", "--json", "--wav", str(odd), str(good), timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"allvoice: {odd}: ") and "convert it" in line, line
    [turn] = heard_by(done)
    assert turn["intent"] == "symptoms"


def test_the_microphone_reader_survives_the_listener_emptying_a_full_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader drops the oldest frame when the queue is full; if the listener takes it
    first, the reader must go on (it once died there, and the microphone fell silent)."""
    import queue

    class Raced(queue.Queue[bytes | DeviceError]):
        full_once = True

        def put_nowait(self, item: bytes | DeviceError) -> None:
            if self.full_once:
                self.full_once = False
                raise queue.Full
            super().put_nowait(item)

    fake = FakeMicrophone(b"", RATE)
    monkeypatch.setattr(microphone, "_open_microphone", lambda index: (fake, RATE))
    listener = MicrophoneListener()
    listener._frames = Raced()  # empty: get_nowait raises Empty, as after the listener's get
    listener._put(b"frame")
    assert listener._frames.get_nowait() == b"frame"
    listener.close()
