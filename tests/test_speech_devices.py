"""Player, speakers and microphone: the real device paths where this machine allows
(it has no sound card, so opening must fail cleanly), and the block loops over fakes."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from fakedevices import FakeMicrophone, FakeOutput

from allvoice.errors import AudioError, DeviceError
from allvoice.ports import AudioChunk, Transcript, Voice
from allvoice.speech.asr.streaming import StreamingRecognizer
from allvoice.speech.audio import microphone
from allvoice.speech.audio.endpointer import EndpointerSettings, utterances_from_chunk
from allvoice.speech.audio.microphone import (
    EchoGate,
    FileListener,
    InputDevice,
    MicrophoneListener,
    list_devices,
    noise_gate,
)
from allvoice.speech.audio.player import Player
from allvoice.speech.audio.wavfile import duration_seconds, read_wav
from allvoice.speech.tts.speaker import AudioSpeaker, WavFileSpeaker
from allvoice.speech.tts.synthesizer import Synthesizer, split_sentences

BLOCK = 0.02
REPLY = "Leukemia is a cancer of the blood. It starts in the bone marrow. Ask your doctor."


def tone(seconds: float, rate: int = 16000) -> AudioChunk:
    count = round(seconds * rate)
    wave_ = 8000 * np.sin(2 * np.pi * 440 * np.arange(count) / rate)
    return AudioChunk(rate, 2, 1, wave_.astype("<i2").tobytes())


@pytest.fixture
def output() -> FakeOutput:
    return FakeOutput()


@pytest.fixture
def player(output: FakeOutput) -> Iterator[Player]:
    playing = Player(output, block_seconds=BLOCK)
    yield playing
    playing.close()


# --- Player -------------------------------------------------------------------------------


def test_player_without_a_sound_card_raises_one_sentence() -> None:
    if Player.is_available():
        pytest.skip("this machine has an audio output device")
    with pytest.raises(DeviceError) as raised:
        Player.open()
    message = str(raised.value)
    assert "\n" not in message and message.endswith(".")
    assert "--speak-to" in message


def test_player_plays_queued_chunks_in_order(player: Player, output: FakeOutput) -> None:
    first, second = tone(0.1), tone(0.05, rate=8000)
    player.play(first)
    player.play(second)
    assert player.is_playing
    assert player.wait(timeout=2.0)
    assert not player.is_playing
    assert output.played() == first.audio + second.audio
    assert [stream.rate for stream in output.streams] == [16000, 8000]  # reopened per format
    assert all(len(frames) <= 2 * 16000 * BLOCK for _, frames in output.streams[0].writes)


def test_stop_takes_effect_within_one_block(player: Player, output: FakeOutput) -> None:
    player.play(tone(5.0))
    player.play(tone(5.0))
    time.sleep(0.2)
    stopped_at = time.monotonic()
    player.stop()
    assert player.wait(timeout=1.0)
    latency = time.monotonic() - stopped_at
    stream = output.streams[0]
    late_writes = [at for at, _ in stream.writes if at > stopped_at]
    assert latency < 2 * BLOCK + 0.02
    assert len(late_writes) == 0
    assert stream.closed_at is not None  # closing discards what PortAudio still buffers
    assert len(output.played()) < 2 * 16000 * 0.4


def test_stop_before_the_worker_starts_leaves_nothing_playing(player: Player) -> None:
    for _ in range(3):
        player.play(tone(1.0))
        player.stop()
        assert player.wait(timeout=1.0)


def test_player_reports_a_failing_device(output: FakeOutput) -> None:
    output.fail = True
    failing = Player(output, block_seconds=BLOCK)
    try:
        failing.play(tone(0.1))
        with pytest.raises(DeviceError, match="check the speakers"):
            failing.wait(timeout=1.0)
    finally:
        failing.close()


# --- speakers -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synth() -> Synthesizer:
    return Synthesizer()


class RecordingSynthesizer(Synthesizer):
    """The real synthesizer, remembering which voice each sentence used."""

    def __init__(self) -> None:
        super().__init__()
        self.renders: list[tuple[str, Voice, AudioChunk]] = []

    def render(self, text: str, voice: Voice) -> AudioChunk:
        self.renders.append((text, voice, super().render(text, voice)))
        return self.renders[-1][2]


@pytest.mark.audio
def test_wav_file_speaker_writes_and_appends(synth: Synthesizer, tmp_path: Path) -> None:
    path = tmp_path / "replies.wav"
    path.write_bytes(b"an old file from an earlier run")
    speaker = WavFileSpeaker(path, synth, gap_seconds=0.5)
    voice = Voice(175, 1.0)
    speaker.say("Hello.", voice)
    first = duration_seconds(read_wav(path))
    speaker.say(REPLY, voice)
    with wave.open(str(path)) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (16000, 2, 1)
        total = wav.getnframes() / 16000
    reply = sum(duration_seconds(chunk) for chunk in synth.synthesize(REPLY, voice))
    assert total == pytest.approx(first + 0.5 + reply, abs=0.01)


@pytest.mark.audio
def test_audio_speaker_speaks_every_sentence(output: FakeOutput, player: Player) -> None:
    synth = RecordingSynthesizer()
    speaker = AudioSpeaker(synth, player)
    started = time.monotonic()
    speaker.say("One. Two.", Voice(450, 1.0))
    assert not speaker.is_speaking
    chunks = [chunk for _, _, chunk in synth.renders]
    assert len(chunks) == 2
    assert output.played() == b"".join(chunk.audio for chunk in chunks)
    spoken = sum(duration_seconds(chunk) for chunk in chunks)
    assert time.monotonic() - started >= spoken * 0.9  # it waited for playback


@pytest.mark.audio
def test_audio_speaker_stops_at_once_and_applies_a_new_voice(
    player: Player, output: FakeOutput
) -> None:
    synth = RecordingSynthesizer()
    speaker = AudioSpeaker(synth, player)
    faster = Voice(300, 0.5)
    finished = threading.Event()

    def speak() -> None:
        speaker.say(REPLY, Voice(175, 1.0))
        finished.set()

    worker = threading.Thread(target=speak)
    worker.start()
    time.sleep(0.3)  # the first sentence is playing
    assert speaker.is_speaking
    speaker.set_voice(faster)
    time.sleep(2.5)  # into the second sentence
    stopped_at = time.monotonic()
    speaker.stop()
    assert finished.wait(timeout=1.0)
    assert time.monotonic() - stopped_at < 0.2
    worker.join()
    assert not speaker.is_speaking
    first, second = split_sentences(REPLY)[:2]
    assert [voice for text, voice, _ in synth.renders if text == first] == [Voice(175, 1.0)]
    # The second sentence was rendered while the first played, then again with the new voice.
    _, voice, chunk = [render for render in synth.renders if render[0] == second][-1]
    assert voice == faster
    played = output.played()
    start = len(synth.renders[0][2].audio)
    assert played[start : start + 3200] == chunk.audio[:3200]


# --- microphone ---------------------------------------------------------------------------


def test_no_microphone_gives_one_sentence() -> None:
    if list_devices():
        pytest.skip("this machine has an input device")
    expected = r"^No microphone was found; plug one in or use --text\.$"
    with pytest.raises(DeviceError, match=expected):
        MicrophoneListener()


def test_a_failed_open_inside_speech_recognition_is_not_swallowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """speech_recognition's Microphone.__enter__ hides the PortAudio error; we notice."""
    if list_devices():
        pytest.skip("this machine has an input device")
    fake = [InputDevice(0, "imaginary", 16000)]
    monkeypatch.setattr(microphone, "list_devices", lambda: fake)
    with pytest.raises(DeviceError, match="No microphone"):
        MicrophoneListener()  # PortAudio refuses to open it; Microphone.__enter__ hides that
    with pytest.raises(DeviceError, match="No microphone"):
        MicrophoneListener(device_index=0)  # Microphone() asserts the index is in range
    with pytest.raises(DeviceError, match="no microphone number 5"):
        MicrophoneListener(device_index=5)


def test_echo_gate_drops_frames_while_muted_and_just_after() -> None:
    muted = [False]
    gate = EchoGate(lambda: muted[0], tail_seconds=0.3)
    assert gate.admits(0.0)
    muted[0] = True
    assert not gate.admits(1.0)
    muted[0] = False
    assert not gate.admits(1.2)
    assert gate.admits(1.31)


def test_noise_gate_follows_the_quiet_part() -> None:
    rng = np.random.default_rng(3)
    quiet = [(rng.standard_normal(480) * 50).astype("<i2").tobytes() for _ in range(8)]
    loud = [(rng.standard_normal(480) * 5000).astype("<i2").tobytes() for _ in range(2)]
    assert 80 <= noise_gate(quiet + loud) <= 120
    assert noise_gate(loud) == 1000  # capped
    assert noise_gate([]) == 0


needs_tools = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox")), reason="needs espeak-ng and sox"
)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1 s of silence, then three sentences each followed by 1.5 s of silence."""
    folder = tmp_path_factory.mktemp("mic")
    parts = [folder / "lead.wav"]
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", parts[0], "trim", "0", "1"],
        check=True,
    )
    for index, text in enumerate(["What is leukemia?", "How is it treated?", "Thank you."]):
        raw = folder / f"raw{index}.wav"
        subprocess.run(["espeak-ng", "-w", raw, text], check=True)
        parts.append(folder / f"part{index}.wav")
        subprocess.run(
            ["sox", "-D", raw, "-r", "16000", "-c", "1", "-b", "16", parts[-1], "pad", "0", "1.5"],
            check=True,
        )
    subprocess.run(["sox", *parts, folder / "all.wav"], check=True)
    return folder / "all.wav"


@pytest.mark.audio
@needs_tools
def test_file_listener_yields_each_utterance(recording: Path, tmp_path: Path) -> None:
    assert len(list(FileListener(recording).utterances())) == 3
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"not audio")
    with pytest.raises(AudioError, match=r"broken\.wav"):
        list(FileListener(broken).utterances())


def _listen(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeMicrophone,
    muted: Callable[[], bool],
    count: int,
) -> list[AudioChunk]:
    monkeypatch.setattr(microphone, "_open_microphone", lambda index: (fake, fake.rate))
    listener = MicrophoneListener(muted=muted, settings=EndpointerSettings())
    with listener:
        heard = listener.utterances()
        found = [next(heard) for _ in range(count)]
    assert fake.exited
    return found


@pytest.mark.audio
@needs_tools
def test_microphone_listener_over_a_fake_device(
    recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audio = read_wav(recording).audio
    found = _listen(monkeypatch, FakeMicrophone(audio, 16000), lambda: False, 3)
    assert [round(duration_seconds(chunk)) for chunk in found] == [1, 1, 1]


@pytest.mark.audio
@needs_tools
def test_microphone_listener_resamples_and_mutes(
    recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 48 kHz device, muted while the second sentence plays: the first and third are heard."""
    expected = list(utterances_from_chunk(read_wav(recording)))
    high = recording.with_name("all48.wav")
    subprocess.run(["sox", "-D", recording, "-r", "48000", high], check=True)
    with wave.open(str(high)) as wav:
        fake = FakeMicrophone(wav.readframes(wav.getnframes()), 48000)
    second = expected[1]
    start, end = second.start_sample / 16000 - 0.2, second.speech_end_sample / 16000 + 0.2
    found = _listen(monkeypatch, fake, lambda: start <= fake.seconds() <= end, 2)
    assert all((chunk.rate, chunk.channels) == (16000, 1) for chunk in found)
    for heard, spoken in zip(found, (expected[0], expected[2]), strict=True):
        assert duration_seconds(heard) == pytest.approx(duration_seconds(spoken.audio), abs=0.1)


class SpySink:
    """Records what a streaming decoder would be given, utterance by utterance."""

    def __init__(self) -> None:
        self.fed: list[bytearray] = []

    def begin(self) -> None:
        self.fed.append(bytearray())

    def feed(self, frames: bytes) -> None:
        assert self.fed, "audio fed before any utterance began"
        self.fed[-1] += frames

    def pause(self) -> None:
        assert self.fed, "a pause before any utterance began"


@pytest.mark.audio
@needs_tools
def test_each_utterance_is_streamed_to_the_sink_while_it_is_heard(recording: Path) -> None:
    """The sink gets every utterance from its onset, before the endpointer yields it."""
    sink = SpySink()
    begun_before_yield = []
    utterances = []
    for utterance in FileListener(recording, sink=sink).timed_utterances():
        begun_before_yield.append(len(sink.fed))
        utterances.append(utterance)
    assert begun_before_yield == [1, 2, 3]
    for streamed, utterance in zip(sink.fed, utterances, strict=True):
        audio = utterance.audio.audio
        assert bytes(streamed[: len(audio)]) == audio  # same onset, same samples
        assert len(streamed) >= len(audio)  # and the end-of-speech pause after it


class CountingEngine:
    """An incremental recognizer that says how much it was fed."""

    def __init__(self) -> None:
        self.fed = 0
        self.whole = 0

    def recognize(self, utterance: AudioChunk) -> Transcript:
        self.whole += 1
        return Transcript(f"whole {len(utterance.audio)}", 1.0)

    def feed(self, frames: bytes) -> None:
        self.fed += len(frames)

    def finish(self) -> Transcript:
        fed, self.fed = self.fed, 0
        return Transcript(f"fed {fed}", 1.0) if fed else Transcript("", 0.0)


def test_streaming_recognizer_finishes_what_was_fed_and_drops_what_was_not_used() -> None:
    engine = CountingEngine()
    streaming = StreamingRecognizer(engine)
    chunk = AudioChunk(16000, 2, 1, bytes(3200))
    assert streaming.recognize(chunk).text == "whole 3200"  # nothing fed: decoded whole
    streaming.begin()
    streaming.feed(bytes(100))
    streaming.feed(bytes(60))
    assert streaming.recognize(chunk).text == "fed 160"
    streaming.begin()
    streaming.feed(bytes(40))  # an utterance too short to be recognized...
    streaming.begin()  # ...is dropped when the next one starts
    streaming.feed(bytes(20))
    assert streaming.recognize(chunk).text == "fed 20"
    assert engine.whole == 1


@pytest.mark.audio
@needs_tools
def test_microphone_listener_streams_to_the_sink(
    recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMicrophone(read_wav(recording).audio, 16000)
    monkeypatch.setattr(microphone, "_open_microphone", lambda index: (fake, fake.rate))
    sink = SpySink()
    with MicrophoneListener(settings=EndpointerSettings(), sink=sink) as listener:
        heard = listener.utterances()
        first = next(heard)
    assert len(sink.fed) == 1
    assert bytes(sink.fed[0][: len(first.audio)]) == first.audio


@pytest.mark.audio
@needs_tools
def test_a_recording_that_ends_mid_speech_on_a_frame_boundary(recording: Path) -> None:
    """pocketsphinx's Endpointer.end_stream fails on an empty tail; the last utterance is
    still yielded, whatever the length of the recording."""
    audio = read_wav(recording).audio
    cut = round(2.0 * 16000) * 2  # inside the first sentence
    for length in range(cut - 960, cut + 2, 2 * 80):  # whole frames and odd tails alike
        found = list(utterances_from_chunk(AudioChunk(16000, 2, 1, audio[:length])))
        assert len(found) == 1 and found[0].audio.audio
