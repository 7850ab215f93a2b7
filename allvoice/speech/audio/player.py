"""Play AudioChunks through PyAudio from a background thread, stoppable within one block.

The worker writes small blocks (30 ms by default) and checks for ``stop()`` between them.
On stop it closes the stream, because PortAudio's close discards the buffered audio
while its stop would play it out first.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk
from allvoice.speech.audio.format import CHANNELS, RATE, WIDTH
from allvoice.speech.audio.quiet import quiet_pyaudio, stderr_silenced

_NO_OUTPUT = "No audio output device was found; connect speakers or use --speak-to FILE.wav."


class OutputStream(Protocol):
    """An open output stream that accepts raw frames; ``write`` blocks while it is full."""

    def write(self, frames: bytes) -> None:
        """Queue ``frames`` for playing."""
        ...

    def close(self) -> None:
        """Stop at once, discarding anything not yet played."""
        ...


StreamOpener = Callable[[int, int, int], OutputStream]
"""Opens an output stream for (rate, width, channels)."""


class Player:
    """Plays chunks one after another on a background thread."""

    def __init__(self, opener: StreamOpener, block_seconds: float = 0.03) -> None:
        self._opener = opener
        self._block_seconds = block_seconds
        self._queue: deque[AudioChunk] = deque()
        self._changed = threading.Condition()
        self._current = False
        self._stopping = False
        self._closed = False
        self._error: DeviceError | None = None
        self._worker = threading.Thread(target=self._run, name="allvoice-player", daemon=True)
        self._worker.start()

    @classmethod
    def open(cls, device_index: int | None = None, block_seconds: float = 0.03) -> Player:
        """A player on the default (or given) output device; DeviceError if there is none."""
        return cls(_PyAudioOpener(device_index, block_seconds), block_seconds)

    @staticmethod
    def is_available() -> bool:
        """True when PyAudio is installed and an output device exists."""
        try:
            _PyAudioOpener(None, 0.03).terminate()
        except DeviceError:
            return False
        return True

    def play(self, chunk: AudioChunk) -> None:
        """Queue ``chunk``; it plays after whatever is playing now."""
        with self._changed:
            self._raise_error()
            self._queue.append(chunk)
            self._changed.notify_all()

    def stop(self) -> None:
        """Stop playing and drop the queue; takes effect within one block."""
        with self._changed:
            self._queue.clear()
            self._stopping = self._current
            self._changed.notify_all()

    @property
    def is_playing(self) -> bool:
        """True while a chunk is playing or queued."""
        with self._changed:
            return self._current or bool(self._queue)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playing ends; False if ``timeout`` passed first."""
        with self._changed:
            done = self._changed.wait_for(lambda: not (self._current or self._queue), timeout)
            self._raise_error()
            return done

    def close(self) -> None:
        """Stop playing and end the worker thread."""
        with self._changed:
            self._closed = True
            self._queue.clear()
            self._stopping = self._current
            self._changed.notify_all()
        self._worker.join(timeout=2.0)
        if isinstance(self._opener, _PyAudioOpener):
            self._opener.terminate()

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _next_chunk(self) -> AudioChunk | None:
        with self._changed:
            self._changed.wait_for(lambda: bool(self._queue) or self._closed)
            if self._closed:
                return None
            self._stopping = False
            self._current = True
            return self._queue.popleft()

    def _finish(self, error: DeviceError | None) -> None:
        with self._changed:
            self._error = error or self._error
            if error is not None:
                self._queue.clear()
            self._current = False
            self._changed.notify_all()

    def _run(self) -> None:
        stream: OutputStream | None = None
        shape: tuple[int, int, int] | None = None
        while (chunk := self._next_chunk()) is not None:
            error: DeviceError | None = None
            try:
                if stream is None or shape != (chunk.rate, chunk.width, chunk.channels):
                    stream = _reopen(stream, self._opener, chunk)
                    shape = (chunk.rate, chunk.width, chunk.channels)
                if not self._write_blocks(stream, chunk):
                    stream.close()
                    stream = None
            except DeviceError as failure:
                error, stream = failure, None
            self._finish(error)
        if stream is not None:
            try:
                stream.close()
            except DeviceError as failure:
                self._finish(failure)

    def _write_blocks(self, stream: OutputStream, chunk: AudioChunk) -> bool:
        """Write ``chunk`` block by block; False if stopped part-way."""
        frame = chunk.width * chunk.channels
        block = max(frame, round(chunk.rate * self._block_seconds) * frame)
        for start in range(0, len(chunk.audio), block):
            if self._stopping or self._closed:
                return False
            stream.write(chunk.audio[start : start + block])
        return True


def _reopen(stream: OutputStream | None, opener: StreamOpener, chunk: AudioChunk) -> OutputStream:
    if stream is not None:
        stream.close()
    return opener(chunk.rate, chunk.width, chunk.channels)


class _PyAudioStream:
    """A PyAudio output stream whose failures are DeviceErrors."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, frames: bytes) -> None:
        try:
            self._stream.write(frames)
        except OSError as error:
            raise DeviceError(f"Audio output failed ({error}); check the speakers.") from error

    def close(self) -> None:
        try:
            self._stream.close()
        except OSError as error:
            raise DeviceError(f"Audio output failed ({error}); check the speakers.") from error


class _PyAudioOpener:
    """Opens PyAudio output streams on one device; checks at once that the device exists."""

    def __init__(self, device_index: int | None, block_seconds: float) -> None:
        try:
            self._audio = quiet_pyaudio()
        except ImportError as error:
            raise DeviceError("PyAudio is not installed; run `pip install PyAudio`.") from error
        self._device_index = device_index
        self._block_seconds = block_seconds
        try:
            self(RATE, WIDTH, CHANNELS).close()  # the format it will mostly play
        except DeviceError:
            self.terminate()
            raise

    def __call__(self, rate: int, width: int, channels: int) -> OutputStream:
        try:
            with stderr_silenced():
                stream = self._audio.open(
                    rate=rate,
                    channels=channels,
                    format=self._audio.get_format_from_width(width),
                    output=True,
                    output_device_index=self._device_index,
                    frames_per_buffer=max(64, round(rate * self._block_seconds)),
                )
        except (OSError, ValueError) as error:
            raise DeviceError(_NO_OUTPUT) from error
        return _PyAudioStream(stream)

    def terminate(self) -> None:
        """Release PortAudio."""
        self._audio.terminate()
