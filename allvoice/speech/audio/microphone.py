"""The two ``ports.Listener`` adapters: a live microphone, or a recording (``--listen-file``).

Both cut utterances with ``endpointer``. The microphone is opened through
SpeechRecognition's ``Microphone`` (PyAudio). Its ``__enter__`` swallows every exception
and leaves ``stream`` as None, so we check ``stream`` ourselves and raise DeviceError.
A reader thread keeps draining the device even while the assistant is busy, dropping
what it hears while ``muted()`` is true (and shortly after, for the echo), so that the
assistant never hears its own voice and never receives stale audio.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk
from allvoice.speech.audio.endpointer import (
    EndpointerSettings,
    SpeechSink,
    TurnWords,
    Utterance,
    frame_rms,
    utterances_from_frames,
)
from allvoice.speech.audio.format import RATE
from allvoice.speech.audio.quiet import quiet_pyaudio, silence_alsa, stderr_silenced
from allvoice.speech.audio.wavfile import (
    Resampler,
    float_to_pcm16,
    pcm16_to_float,
    read_blocks,
)

_NO_MICROPHONE = "No microphone was found; plug one in or use --text."
_FRAME_SECONDS = 0.03
_QUEUE_SECONDS = 30.0


@dataclass(frozen=True)
class InputDevice:
    """A sound device that can record."""

    index: int
    """PortAudio device index, for ``MicrophoneListener(device_index=...)``."""
    name: str
    """The name the system gives it."""
    default_rate: int
    """Its native sample rate."""


def list_devices() -> list[InputDevice]:
    """The input devices by index and name; empty when there are none (or no PyAudio)."""
    try:
        audio = quiet_pyaudio()
    except ImportError:
        return []
    try:
        infos = [audio.get_device_info_by_index(i) for i in range(audio.get_device_count())]
    finally:
        audio.terminate()
    return [
        InputDevice(int(info["index"]), str(info["name"]), int(info["defaultSampleRate"]))
        for info in infos
        if int(info.get("maxInputChannels", 0)) > 0
    ]


def noise_gate(frames: Iterable[bytes], factor: float = 2.0, ceiling: int = 1000) -> int:
    """An RMS level just above the room's noise, from frames heard before anyone speaks.

    The 20th percentile of the frame levels ignores a word spoken during calibration;
    ``ceiling`` (about -30 dBFS) keeps a bad calibration from deafening the listener.
    """
    levels = [frame_rms(frame) for frame in frames if frame]
    return min(ceiling, round(factor * float(np.percentile(levels, 20)))) if levels else 0


class EchoGate:
    """Decides which frames to keep: none while muted, nor for ``tail_seconds`` after."""

    def __init__(self, muted: Callable[[], bool], tail_seconds: float = 0.3) -> None:
        self._muted = muted
        self._tail = tail_seconds
        self._open_at = 0.0

    def admits(self, stream_seconds: float) -> bool:
        """True if the frame read at ``stream_seconds`` (time since opening) may be heard."""
        if self._muted():
            self._open_at = stream_seconds + self._tail
            return False
        return stream_seconds >= self._open_at


class FileListener:
    """Utterances from a WAV recording, cut by the same endpointer as the microphone. The
    recording is read block by block as the utterances are asked for, so a recording of
    any length takes the memory of one utterance (at most ``max_utterance_seconds``)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        settings: EndpointerSettings | None = None,
        sink: SpeechSink | None = None,
        words: TurnWords | None = None,
    ) -> None:
        """``sink`` gets each utterance's audio as it is reached, as from a microphone;
        ``words`` judges the words at each pause (``endpointer.TurnWords``)."""
        self._path = os.fspath(path)
        self._settings = settings or EndpointerSettings()
        self._sink = sink
        self._words = words

    def utterances(self) -> Iterator[AudioChunk]:
        """Each utterance of the recording, in order; AudioError if it can't be read."""
        for utterance in self.timed_utterances():
            yield utterance.audio

    def timed_utterances(self) -> Iterator[Utterance]:
        """The utterances with their positions in the recording."""
        frames = read_blocks(self._path)
        return utterances_from_frames(frames, self._settings, self._sink, self._words)


class MicrophoneListener:
    """Utterances from a live microphone; opening it raises DeviceError if there is none."""

    def __init__(
        self,
        device_index: int | None = None,
        settings: EndpointerSettings | None = None,
        muted: Callable[[], bool] = lambda: False,
        calibrate_seconds: float = 0.5,
        echo_tail_seconds: float = 0.3,
        sink: SpeechSink | None = None,
        while_muted: Callable[[bytes], None] | None = None,
        words: TurnWords | None = None,
    ) -> None:
        """``muted`` is asked before each frame, e.g. ``lambda: speaker.is_speaking``;
        ``sink`` (a streaming decoder) gets each utterance's audio while it is spoken;
        ``while_muted`` gets the frames held back while muted (``bargein.StopListener``);
        ``words`` judges the words at each pause (``endpointer.TurnWords``)."""
        self._settings = settings or EndpointerSettings()
        self._sink = sink
        self._words = words
        self._while_muted = while_muted
        self._gate = EchoGate(muted, echo_tail_seconds)
        self._calibrate_seconds = calibrate_seconds
        self._microphone, rate = _open_microphone(device_index)
        self._resampler = None if rate == RATE else Resampler(rate)
        self._frame_samples = round(rate * _FRAME_SECONDS)
        self._frames: queue.Queue[bytes | DeviceError] = queue.Queue(
            maxsize=round(_QUEUE_SECONDS / _FRAME_SECONDS)
        )
        self._closing = threading.Event()
        self._reader: threading.Thread | None = None

    def __enter__(self) -> MicrophoneListener:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def utterances(self) -> Iterator[AudioChunk]:
        """Each utterance as soon as its end is heard."""
        for utterance in self.timed_utterances():
            yield utterance.audio

    def timed_utterances(self) -> Iterator[Utterance]:
        """The utterances with their stream positions, after calibrating to the room noise."""
        self._start_reader()
        frames = self._live_frames()
        count = round(self._calibrate_seconds / _FRAME_SECONDS)
        gate = noise_gate(itertools.islice(frames, count))  # ends early if closed meanwhile
        settings = replace(self._settings, min_rms=max(self._settings.min_rms, gate))
        return utterances_from_frames(frames, settings, self._sink, self._words)

    def close(self) -> None:
        """Stop reading and release the device; iteration then ends."""
        if self._closing.is_set():
            return
        self._closing.set()
        if self._reader is not None:
            self._reader.join(timeout=1.0)
        with stderr_silenced():
            self._microphone.__exit__(None, None, None)

    def _start_reader(self) -> None:
        if self._reader is None:
            self._reader = threading.Thread(target=self._read, name="allvoice-mic", daemon=True)
            self._reader.start()

    def _live_frames(self) -> Iterator[bytes]:
        while not self._closing.is_set():
            try:
                item = self._frames.get(timeout=0.1)
            except queue.Empty:
                continue
            if isinstance(item, DeviceError):
                raise item
            yield item

    def _read(self) -> None:
        stream = self._microphone.stream
        frames_read = 0
        while not self._closing.is_set():
            try:
                data = stream.read(self._frame_samples)
            except OSError as error:
                self._put(DeviceError(f"The microphone stopped working ({error}); check it."))
                return
            frames_read += 1
            if self._gate.admits(frames_read * _FRAME_SECONDS):
                self._put(self._convert(data))
            elif self._while_muted is not None:
                self._while_muted(self._convert(data))

    def _convert(self, data: bytes) -> bytes:
        if self._resampler is None:
            return data
        return float_to_pcm16(self._resampler.process(pcm16_to_float(data)))

    def _put(self, item: bytes | DeviceError) -> None:
        """Queue ``item``; when the listener lags far behind, the oldest audio goes first.
        The listener may empty the queue between the two steps: that must not end the
        reader (the microphone would then fall silent for good)."""
        while True:
            try:
                self._frames.put_nowait(item)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._frames.get_nowait()


def _open_microphone(device_index: int | None) -> tuple[Any, int]:
    """An entered ``speech_recognition.Microphone`` and its sample rate."""
    devices = {device.index: device for device in list_devices()}
    if not devices:
        raise DeviceError(_NO_MICROPHONE)
    if device_index is not None and device_index not in devices:
        raise DeviceError(f"There is no microphone number {device_index}; pick one from the list.")
    import speech_recognition

    silence_alsa()
    native = devices[device_index].default_rate if device_index is not None else RATE
    for rate in dict.fromkeys((RATE, native, 44100, 48000)):
        try:
            with stderr_silenced():
                microphone = speech_recognition.Microphone(
                    device_index, sample_rate=rate, chunk_size=round(rate * _FRAME_SECONDS)
                )
                microphone.__enter__()
        except (AssertionError, OSError) as error:  # it validates the index with assert
            raise DeviceError(_NO_MICROPHONE) from error
        if microphone.stream is not None:  # __enter__ hides failures and leaves stream unset
            return microphone, rate
    raise DeviceError(_NO_MICROPHONE)
