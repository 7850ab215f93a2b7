"""Stand-ins for the third-party audio devices, shared by the device tests: a sound card's
output streams (PyAudio) and a microphone (speech_recognition.Microphone).

They are not ports, so they are not in ``allvoice.fakes``: they replace what the adapters
in ``allvoice.speech.audio`` open, so that the adapters' own block loops are tested.
"""

from __future__ import annotations

import time

from allvoice.errors import DeviceError


class FakeStream:
    """An output stream that takes as long as real playback and records what it got."""

    def __init__(self, rate: int, fail: bool = False) -> None:
        self.rate = rate
        self.fail = fail
        self.writes: list[tuple[float, bytes]] = []
        self.closed_at: float | None = None

    def write(self, frames: bytes) -> None:
        if self.fail:
            raise DeviceError("Audio output failed (unplugged); check the speakers.")
        self.writes.append((time.monotonic(), frames))
        time.sleep(len(frames) / (2 * self.rate))

    def close(self) -> None:
        self.closed_at = time.monotonic()


class FakeOutput:
    """A stream opener that hands out FakeStreams and keeps them for inspection."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.streams: list[FakeStream] = []

    def __call__(self, rate: int, width: int, channels: int) -> FakeStream:
        self.streams.append(FakeStream(rate, self.fail))
        return self.streams[-1]

    def played(self) -> bytes:
        return b"".join(frames for stream in self.streams for _, frames in stream.writes)


class FakeMicrophone:
    """Stands in for speech_recognition.Microphone: ``stream.read`` plays a recording."""

    def __init__(self, audio: bytes, rate: int) -> None:
        self.stream = self
        self.audio = audio
        self.rate = rate
        self.position = 0  # bytes read so far
        self.exited = False

    def read(self, size: int) -> bytes:
        start, self.position = self.position, self.position + 2 * size
        if start >= len(self.audio):
            time.sleep(0.002)  # silence after the recording, a little paced
            return bytes(2 * size)
        return self.audio[start : self.position].ljust(2 * size, b"\0")

    def seconds(self) -> float:
        return self.position / (2 * self.rate)

    def __exit__(self, *exc_info: object) -> None:
        self.exited = True
