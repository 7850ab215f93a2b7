"""WAV reading, speech synthesis, endpointing and earcons, on audio made in the test.

Speech comes from espeak-ng and flite run as subprocesses; odd WAV formats come from sox
or are written byte by byte. Nothing here needs a sound card.
"""

from __future__ import annotations

import ctypes
import shutil
import struct
import subprocess
import sys
import tracemalloc
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allvoice.errors import AudioError, DeviceError
from allvoice.ports import AudioChunk, Voice
from allvoice.speech.audio import earcons
from allvoice.speech.audio.endpointer import (
    EndpointerSettings,
    utterances_from_chunk,
    utterances_from_frames,
)
from allvoice.speech.audio.wavfile import (
    append_wav,
    duration_seconds,
    read_wav,
    silence,
    to_pipeline_format,
    write_wav,
)
from allvoice.speech.tts import synthesizer as synthesizer_module
from allvoice.speech.tts.synthesizer import Synthesizer, clamp_rate, split_sentences

needs = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("espeak-ng", "flite", "sox")),
    reason="needs espeak-ng, flite and sox (make setup installs them)",
)
pytestmark = needs

SENTENCES = (
    "What is acute lymphocytic leukemia?",
    "How is it treated?",
    "Tell me about the symptoms.",
)


def run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True)


def espeak(path: Path, text: str) -> Path:
    run("espeak-ng", "-w", path, text)
    return path


def flite(path: Path, text: str) -> Path:
    run("flite", "-t", text, "-o", path)
    return path


def samples(chunk: AudioChunk) -> np.ndarray:
    return np.frombuffer(chunk.audio, "<i2").astype(np.float64)


def similarity(a: AudioChunk, b: AudioChunk) -> float:
    """Normalised correlation of two 16-bit mono chunks, over their common length."""
    x, y = samples(a), samples(b)
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    return float(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y)))


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One espeak-ng sentence at its native 22050 Hz."""
    return espeak(tmp_path_factory.mktemp("speech") / "speech.wav", SENTENCES[0])


@pytest.fixture(scope="module")
def reference(speech: Path, tmp_path_factory: pytest.TempPathFactory) -> AudioChunk:
    """The same sentence converted by sox to 16 kHz 16-bit mono, read back."""
    path = tmp_path_factory.mktemp("ref") / "ref.wav"
    run("sox", "-D", speech, "-r", "16000", "-c", "1", "-b", "16", path)
    with wave.open(str(path)) as wav:
        return AudioChunk(16000, 2, 1, wav.readframes(wav.getnframes()))


@pytest.fixture(scope="module")
def three_sentences(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two espeak-ng sentences and a flite one, 1.5 s of silence after each."""
    folder = tmp_path_factory.mktemp("three")
    parts = []
    for index, text in enumerate(SENTENCES):
        make = flite if index == 2 else espeak
        raw = make(folder / f"raw{index}.wav", text)
        parts.append(folder / f"part{index}.wav")
        run("sox", "-D", raw, "-r", "16000", "-c", "1", "-b", "16", parts[-1], "pad", "0", "1.5")
    run("sox", *parts, folder / "three.wav")
    return folder / "three.wav"


# --- read_wav: odd formats ---------------------------------------------------------------

SOX_VARIANTS = {
    "stereo": ["-c", "2"],
    "8-bit": ["-b", "8", "-e", "unsigned-integer"],
    "8 kHz": ["-r", "8000"],
    "48 kHz": ["-r", "48000"],
    "44.1 kHz stereo 24-bit": ["-r", "44100", "-c", "2", "-b", "24"],
    "32-bit float": ["-e", "floating-point", "-b", "32"],
    "64-bit float": ["-e", "floating-point", "-b", "64"],
    "32-bit integer": ["-b", "32"],
    "3 channels (extensible header)": ["-c", "3"],
}


@pytest.mark.audio
@pytest.mark.parametrize("name", SOX_VARIANTS)
def test_read_wav_normalises_odd_formats(
    name: str, speech: Path, reference: AudioChunk, tmp_path: Path
) -> None:
    variant = tmp_path / "variant.wav"
    run("sox", "-D", speech, *SOX_VARIANTS[name], variant)
    chunk = read_wav(variant)
    assert (chunk.rate, chunk.width, chunk.channels) == (16000, 2, 1)
    assert duration_seconds(chunk) == pytest.approx(duration_seconds(reference), abs=0.01)
    floor = 0.9 if name.startswith("8") else 0.99  # 8-bit and 8 kHz lose detail
    assert similarity(chunk, reference) > floor


def test_float_wav_without_wave_module(tmp_path: Path) -> None:
    """A minimal format-3 file written byte by byte (the stdlib wave module rejects it)."""
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)).astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, 8000, 32000, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
    body += b"data" + struct.pack("<I", len(tone)) + tone
    path = tmp_path / "float.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(wave.Error):
        wave.open(str(path)).close()
    chunk = read_wav(path)
    assert duration_seconds(chunk) == pytest.approx(1.0, abs=0.001)
    assert np.abs(samples(chunk)).max() == pytest.approx(0.5 * 32768, rel=0.02)


def test_stereo_is_mixed_down_not_just_the_left_channel(tmp_path: Path) -> None:
    left = (10000 * np.sin(2 * np.pi * 300 * np.arange(16000) / 16000)).astype("<i2")
    frames = np.stack([left, np.zeros_like(left)], axis=1).tobytes()
    path = tmp_path / "left-only.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(frames)
    assert np.abs(samples(read_wav(path))).max() == pytest.approx(5000, abs=2)


def test_odd_sized_chunks_are_padded_as_riff_requires(tmp_path: Path) -> None:
    fmt_body = PCM16 + b"\0\0\0"  # 19 bytes: a pad byte follows
    tone = bytes(range(1, 201))
    body = b"WAVE" + b"junk" + struct.pack("<I", 3) + b"abc\0"
    body += b"fmt " + struct.pack("<I", len(fmt_body)) + fmt_body + b"\0"
    body += b"data" + struct.pack("<I", len(tone)) + tone
    path = tmp_path / "padded.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    assert read_wav(path).audio == tone


# --- read_wav: broken files -------------------------------------------------------------


def _header(fmt_body: bytes, data: bytes = b"", data_first: bool = False) -> bytes:
    fmt = b"fmt " + struct.pack("<I", len(fmt_body)) + fmt_body
    chunk = b"data" + struct.pack("<I", len(data)) + data
    body = b"WAVE" + (chunk + fmt if data_first else fmt + chunk)
    return b"RIFF" + struct.pack("<I", len(body)) + body


PCM16 = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
BROKEN = {
    "empty": b"",
    "text": b"hello, this is not audio\n",
    "random bytes": bytes(range(256)) * 4,
    "truncated RIFF header": b"RIFF\x10\x00",
    "header only": b"RIFF\x04\x00\x00\x00WAVE",
    "truncated fmt": _header(PCM16)[:30],
    "no data chunk": _header(PCM16)[:36],
    "data before fmt": _header(PCM16, b"\0\0" * 10, data_first=True),
    "mu-law": _header(struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8), b"\0" * 100),
    "zero channels": _header(struct.pack("<HHIIHH", 1, 0, 16000, 32000, 2, 16), b"\0" * 4),
    "absurd rate": _header(struct.pack("<HHIIHH", 1, 1, 7, 14, 2, 16), b"\0" * 4),
    "ADPCM": _header(struct.pack("<HHIIHH", 2, 1, 16000, 8000, 256, 4), b"\0" * 512),
    "40-bit": _header(struct.pack("<HHIIHH", 1, 1, 16000, 80000, 5, 40), b"\0" * 10),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_files_raise_audio_error_naming_the_file(name: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(BROKEN[name])
    with pytest.raises(AudioError) as raised:
        read_wav(path)
    message = str(raised.value)
    assert str(path) in message
    assert "\n" not in message


@pytest.mark.parametrize("target", ["missing.wav", "."])
def test_unreadable_paths_raise_audio_error(target: str, tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="cannot be read"):
        read_wav(tmp_path / target)


def test_truncated_data_keeps_what_is_there(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    whole = _header(PCM16, b"\x01\x02" * 16000)
    path.write_bytes(whole[: 44 + 8001])  # half a second and one odd byte
    assert duration_seconds(read_wav(path)) == pytest.approx(0.25, abs=0.001)


def test_valid_wav_without_samples_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "nothing.wav"
    path.write_bytes(_header(PCM16))
    assert read_wav(path).audio == b""


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=2**32 - 1))
def test_garbage_after_a_riff_header_never_escapes_as_another_error(junk: bytes, size: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.wav"
        path.write_bytes(b"RIFF" + struct.pack("<I", size) + b"WAVE" + junk)
        try:
            chunk = read_wav(path)
        except AudioError:
            return
        assert (chunk.rate, chunk.width, chunk.channels) == (16000, 2, 1)


def test_huge_file_is_capped_in_bounded_memory(tmp_path: Path) -> None:
    """11 minutes declared and present; 10 are read, without holding the input."""
    path = tmp_path / "long.wav"
    minutes = 11
    frames = 16000 * 60 * minutes
    with path.open("wb") as out:
        out.write(_header(PCM16)[:40] + struct.pack("<I", 2 * frames))
        block = bytes(2 * 16000 * 60)
        for _ in range(minutes):
            out.write(block)
    tracemalloc.start()
    try:
        chunk = read_wav(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert duration_seconds(chunk) == pytest.approx(600.0)
    assert peak < 3 * len(chunk.audio)  # the result, its bytes copy and one block
    assert duration_seconds(read_wav(path, max_seconds=2.5)) == pytest.approx(2.5)


# --- write_wav and append_wav -------------------------------------------------------------


def test_write_append_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    tone = earcons.listening()
    write_wav(path, tone)
    append_wav(path, silence(0.5))
    append_wav(path, tone)
    with wave.open(str(path)) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (16000, 2, 1)
        assert wav.getnframes() == len(tone.audio) + 8000  # two tones of 2-byte samples
    assert read_wav(path).audio == tone.audio + silence(0.5).audio + tone.audio


def test_append_refuses_a_different_format(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    write_wav(path, AudioChunk(8000, 2, 1, bytes(100)))
    with pytest.raises(AudioError, match="another format"):
        append_wav(path, silence(0.1))


def test_to_pipeline_format_resamples_chunks() -> None:
    chunk = to_pipeline_format(AudioChunk(48000, 2, 2, bytes(4 * 48000)))
    assert (chunk.rate, chunk.channels, duration_seconds(chunk)) == (16000, 1, 1.0)


# --- synthesizer --------------------------------------------------------------------------

REPLY = "Leukemia is a cancer of the blood. It starts in the bone marrow. Ask your doctor."


@pytest.fixture(scope="module")
def synth() -> Synthesizer:
    return Synthesizer()


@pytest.mark.audio
def test_synthesizer_renders_16_bit_speech(synth: Synthesizer) -> None:
    chunk = synth.render(REPLY, Voice(175, 1.0))
    assert (chunk.rate, chunk.width, chunk.channels) == (16000, 2, 1)
    assert duration_seconds(chunk) > 2.0
    assert np.sqrt(np.mean(samples(chunk) ** 2)) > 300


@pytest.mark.audio
def test_faster_rate_gives_shorter_audio(synth: Synthesizer) -> None:
    lengths = [duration_seconds(synth.render(REPLY, Voice(rate, 1.0))) for rate in (120, 175, 300)]
    assert lengths[0] > lengths[1] * 1.2 > lengths[2] * 1.2
    assert clamp_rate(1000) == 450 and clamp_rate(10) == 80
    too_fast = synth.render(REPLY, Voice(1000, 1.0))
    assert duration_seconds(too_fast) == pytest.approx(
        duration_seconds(synth.render(REPLY, Voice(450, 1.0))), abs=0.05
    )


@pytest.mark.audio
def test_every_rate_change_applies(synth: Synthesizer) -> None:
    """pyttsx3's espeak driver lost 17 of 40 alternating rate changes; none may be lost."""
    sentence = "It starts in the bone marrow."
    expected = {rate: len(synth.render(sentence, Voice(rate, 1.0)).audio) for rate in (120, 300)}
    assert expected[120] > 1.5 * expected[300]
    rates = [(120, 300)[index % 2] for index in range(40)]
    lengths = [len(synth.render(sentence, Voice(rate, 1.0)).audio) for rate in rates]
    # espeak's output may differ by a few samples from one render to the next.
    assert lengths == pytest.approx([expected[rate] for rate in rates], rel=0.03)


@pytest.mark.audio
def test_volume_and_voice_apply(synth: Synthesizer) -> None:
    loud = samples(synth.render(REPLY, Voice(175, 1.0)))
    soft = samples(synth.render(REPLY, Voice(175, 0.2)))
    assert np.abs(soft).max() < 0.4 * np.abs(loud).max()
    ids = {voice.id.lower() for voice in synth.list_voices()}
    assert "gmw/en-us" in ids  # espeak-ng spells it gmw/en-US; either spelling works
    american = synth.render(REPLY, Voice(175, 1.0, voice="gmw/en-us"))
    assert american.audio != synth.render(REPLY, Voice(175, 1.0)).audio
    with pytest.raises(DeviceError, match="not installed"):
        synth.render(REPLY, Voice(175, 1.0, voice="no-such-voice"))


@pytest.mark.audio
def test_synthesize_yields_one_chunk_per_sentence(synth: Synthesizer) -> None:
    chunks = list(synth.synthesize(REPLY, Voice(175, 1.0)))
    assert len(chunks) == 3
    assert all(duration_seconds(chunk) > 0.5 for chunk in chunks)
    assert list(synth.synthesize(" ... ", Voice(175, 1.0))) == [silence(0.0)]


def test_split_sentences() -> None:
    assert split_sentences("One. Two! Three?") == ["One.", "Two!", "Three?"]
    assert split_sentences('Take e.g. rest. "Quoted." Next') == [
        "Take e.g. rest.",
        '"Quoted."',
        "Next",
    ]
    assert split_sentences("Line one\n\nLine two") == ["Line one", "Line two"]
    assert split_sentences("  ") == []


def test_missing_espeak_gives_one_sentence_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyttsx3's binding loads libespeak-ng when imported; make that load fail afresh."""
    espeak_class = synthesizer_module._Espeak
    monkeypatch.setattr(espeak_class, "_shared", None)
    monkeypatch.delitem(sys.modules, "pyttsx3.drivers._espeak", raising=False)
    monkeypatch.setattr(ctypes.cdll, "LoadLibrary", _refuse_library)
    assert not espeak_class.installed()
    with pytest.raises(DeviceError) as raised:
        Synthesizer("espeak")
    assert str(raised.value) == (
        "espeak-ng is not installed; install it with `sudo apt-get install espeak-ng`."
    )


def _refuse_library(name: str) -> None:
    raise OSError(f"{name}: cannot open shared object file")


@pytest.mark.audio
def test_pyttsx3_engine_renders_quietly() -> None:
    """The pyttsx3 path, in its own process (espeak is one per process)."""
    script = (
        "from allvoice.speech.tts.synthesizer import Synthesizer\n"
        "from allvoice.ports import Voice\n"
        "chunk = Synthesizer('pyttsx3').render('Hello there.', Voice(175, 1.0))\n"
        "import sys; sys.stderr.write(str(len(chunk.audio)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == ""  # the driver's "Audio saved to ..." is silenced
    assert int(done.stderr.strip().splitlines()[-1]) > 16000


# --- endpointer ---------------------------------------------------------------------------


@pytest.mark.audio
def test_three_sentences_give_three_utterances(three_sentences: Path) -> None:
    recording = read_wav(three_sentences)
    found = list(utterances_from_chunk(recording))
    assert len(found) == 3
    for utterance in found:
        latency = utterance.detected_sample - utterance.speech_end_sample
        assert 0.7 * 16000 <= latency <= 1.0 * 16000  # the 0.8 s pause, and no more
        assert 0.8 < duration_seconds(utterance.audio) < 3.5
    starts = [utterance.start_sample / 16000 for utterance in found]
    assert starts == sorted(starts) and starts[1] - starts[0] > 2.0


@pytest.mark.audio
def test_live_frames_of_any_size_give_the_same_utterances(three_sentences: Path) -> None:
    audio = read_wav(three_sentences).audio
    frames = (audio[start : start + 1002] for start in range(0, len(audio), 1002))
    live = [u.audio for u in utterances_from_frames(frames)]
    assert live == [u.audio for u in utterances_from_chunk(read_wav(three_sentences))]


@pytest.mark.audio
def test_a_long_pause_setting_joins_sentences(three_sentences: Path) -> None:
    recording = read_wav(three_sentences)
    assert len(list(utterances_from_chunk(recording, EndpointerSettings(pause_seconds=2.5)))) == 1


@pytest.mark.parametrize("level", [0.0, 30.0, 100.0])
def test_silence_and_low_noise_give_no_utterance(level: float) -> None:
    noise = np.random.default_rng(7).standard_normal(16000 * 8) * level
    chunk = AudioChunk(16000, 2, 1, noise.astype("<i2").tobytes())
    assert list(utterances_from_chunk(chunk)) == []


def test_no_input_timeout_stops_reading() -> None:
    consumed = []

    def frames() -> Iterator[bytes]:
        for index in range(1000):  # 30 s of silence
            consumed.append(index)
            yield bytes(960)

    found = list(utterances_from_frames(frames(), EndpointerSettings(no_input_seconds=2.0)))
    assert found == []
    assert len(consumed) * 0.03 == pytest.approx(2.0, abs=0.1)


@pytest.mark.audio
def test_long_speech_is_cut_and_quiet_speech_gated(three_sentences: Path) -> None:
    recording = read_wav(three_sentences)
    cut = list(utterances_from_chunk(recording, EndpointerSettings(max_utterance_seconds=1.0)))
    assert len(cut) > 3
    assert all(duration_seconds(u.audio) <= 1.0 + 0.2 for u in cut)
    gated = EndpointerSettings(min_rms=30000)
    assert list(utterances_from_chunk(recording, gated)) == []


def test_endpointer_wants_16_khz_mono() -> None:
    with pytest.raises(AudioError, match="16000 Hz"):
        list(utterances_from_chunk(AudioChunk(8000, 2, 1, bytes(1600))))


# --- earcons ------------------------------------------------------------------------------


def _rising(chunk: AudioChunk) -> bool:
    """Compare zero crossings in the first and last third: more crossings, higher pitch."""
    x = samples(chunk)
    third = len(x) // 3

    def crossings(part: np.ndarray) -> int:
        return int(np.count_nonzero(np.diff(np.signbit(part))))

    return crossings(x[-third:]) > crossings(x[:third])


@pytest.mark.parametrize("make", [earcons.listening, earcons.not_understood])
def test_earcons_are_short_and_soft_edged(make: Callable[[], AudioChunk]) -> None:
    chunk = make()
    assert 0.075 <= duration_seconds(chunk) <= 0.150
    x = samples(chunk)
    assert abs(x[0]) < 200 and abs(x[-1]) < 200
    assert np.abs(x[:16]).max() < np.abs(x).max() / 4  # fades in rather than clicks


def test_earcons_differ_in_direction() -> None:
    assert _rising(earcons.listening())
    assert not _rising(earcons.not_understood())
    assert earcons.listening().audio != earcons.not_understood().audio
