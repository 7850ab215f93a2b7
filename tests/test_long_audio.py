"""Recordings of any length in bounded memory (issue 18): read block by block, cut at
silences, decoded window by window; ``ask --wav`` answers the first question of a file
that holds several and says so in one line. The long recordings themselves (10 and 60
minutes of noise, silence and speech) are measured by ``python -m benchmarks.longaudio``;
these tests use short ones, and check the pieces that keep memory and time bounded."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
from clirun import espeak, heard_by, run_allvoice

from allvoice.app import recorded
from allvoice.content.pack import Pack
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr.whisper import WhisperRecognizer
from allvoice.speech.audio import microphone, wavfile
from allvoice.speech.audio.microphone import FileListener
from allvoice.speech.audio.wavfile import read_blocks, read_wav

RATE = 16_000
HAVE_TOOLS = all(shutil.which(tool) for tool in ("espeak-ng", "sox"))
needs_tools = pytest.mark.skipif(not HAVE_TOOLS, reason="needs espeak-ng and sox")


def write(path: Path, samples: np.ndarray, rate: int = RATE, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def spoken(folder: Path, text: str) -> np.ndarray:
    path = espeak(folder / f"{'_'.join(text.split())}.wav", text)
    return np.frombuffer(read_wav(path).audio, "<i2") / 32768.0


def hiss(seconds: float, seed: int = 5) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.05, round(seconds * RATE))


class Counting:
    """A recognizer that counts what it is asked to decode and hears nothing."""

    engine = "counting"

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def recognize(self, utterance: AudioChunk) -> Transcript:
        self.seconds.append(len(utterance.audio) / (2 * RATE))
        return Transcript("", 0.0)


def test_a_recording_is_read_in_blocks_of_bounded_size(tmp_path: Path) -> None:
    samples = np.sin(np.arange(90 * 44_100) / 40.0) * 0.3
    stereo = write(tmp_path / "long.wav", np.repeat(samples, 2), rate=44_100, channels=2)
    blocks = list(read_blocks(stereo))
    assert len(blocks) > 10 and max(map(len, blocks)) <= 2 << 20
    assert b"".join(blocks) == read_wav(stereo).audio


def test_the_file_listener_never_holds_the_whole_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole(*args: object, **kwargs: object) -> None:
        raise AssertionError("read whole")

    monkeypatch.setattr(wavfile, "read_wav", whole)
    monkeypatch.setattr(microphone, "read_blocks", read_blocks)
    path = write(tmp_path / "beeps.wav", np.tile(np.r_[hiss(0.5) * 4, np.zeros(RATE)], 30))
    found = list(FileListener(path).utterances())
    assert len(found) == 30


def test_noise_and_silence_cost_no_decoding_and_the_search_is_capped(tmp_path: Path) -> None:
    """Steady noise still reaches the recognizer (the endpointer takes it for speech), so
    ``first_question`` stops after ``max_decoded_seconds`` of it, however long the file."""
    path = write(tmp_path / "hiss.wav", np.r_[np.zeros(60 * RATE), hiss(180)])
    counting = Counting()
    found = recorded.first_question(path, counting, max_decoded_seconds=45)
    assert found == recorded.Question(Transcript("", 0.0), None)
    assert 45 <= sum(counting.seconds) <= 45 + 21 and max(counting.seconds) <= 20.5


@pytest.fixture(scope="module")
def whisper(pack: Pack) -> WhisperRecognizer:
    return WhisperRecognizer(pack)


@pytest.mark.audio
def test_whisper_skips_steady_noise_without_decoding(
    whisper: WhisperRecognizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def decoded(*args: object) -> None:
        raise AssertionError("decoded")

    monkeypatch.setattr(whisper, "_transcribe", decoded)
    noise = (hiss(60) * 32767).astype("<i2").tobytes()
    assert whisper.recognize(AudioChunk(RATE, 2, 1, noise)).text == ""


@pytest.mark.audio
@needs_tools
def test_whisper_decodes_long_audio_one_window_at_a_time(
    whisper: WhisperRecognizer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    question = spoken(tmp_path, "what are the symptoms")
    samples = np.r_[np.zeros(40 * RATE), question, np.zeros(40 * RATE)]
    longest: list[int] = []
    extract = whisper._model.feature_extractor

    def measured(audio: np.ndarray) -> np.ndarray:
        longest.append(len(audio))
        return extract(audio)  # type: ignore[no-any-return]

    monkeypatch.setattr(whisper._model, "feature_extractor", measured)
    chunk = AudioChunk(RATE, 2, 1, (samples * 32767).astype("<i2").tobytes())
    assert whisper.recognize(chunk).text == "what are the symptoms"
    assert len(longest) == 1 and longest[0] <= 25 * RATE  # the silent windows: not decoded


@pytest.mark.audio
@needs_tools
def test_ask_wav_answers_the_first_question_and_says_there_are_more(tmp_path: Path) -> None:
    first = spoken(tmp_path, "what are the symptoms")
    second = spoken(tmp_path, "what causes leukemia")
    many = write(
        tmp_path / "memo.wav",
        np.r_[np.zeros(RATE), hiss(5) * 0.2, first, np.zeros(2 * RATE), second, hiss(20)],
    )
    one = write(tmp_path / "one.wav", np.r_[hiss(3) * 0.01, second, np.zeros(3 * RATE)])
    result = run_allvoice(tmp_path, "ask", "--json", "--wav", str(many), str(one), timeout=120)
    assert result.returncode == 0, result.stderr
    turns = heard_by(result)
    assert [turn["intent"] for turn in turns] == ["symptoms", "causes"]
    second_at = round(1 + 5 + len(first) / RATE + 2)
    [note] = result.stderr.splitlines()
    assert note in [
        f"allvoice: {many}: holds more than one question (more speech at 0:{at:02d}); "
        "answering the first (--listen-file answers all)."
        for at in (second_at - 1, second_at)
    ], (note, second_at)
    assert json.loads(result.stdout.splitlines()[0])["heard"] == "what are the symptoms"


def test_a_header_claiming_a_huge_format_block_is_not_read_into_memory(tmp_path: Path) -> None:
    """A damaged or hostile header (a 4 GB "fmt " block) costs no memory: the reader takes
    the first bytes of the block, skips the rest, and finds no audio."""
    import struct

    from allvoice.errors import AudioError

    fmt = struct.pack("<HHIIHH", 1, 1, RATE, 2 * RATE, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 0xFFFFFFF0) + fmt + bytes(1 << 20)
    path = tmp_path / "huge-format.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(AudioError, match="no audio data found"):
        list(read_blocks(path))
