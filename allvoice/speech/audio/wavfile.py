"""Read and write WAV files; convert any PCM to the pipeline's 16 kHz, 16-bit mono.

``read_wav`` parses the RIFF chunks itself instead of using the ``wave`` module, because
``wave`` in Python 3.11 rejects 32-bit float (format 3) and WAVE_FORMAT_EXTENSIBLE files,
which audio editors write routinely. It reads in blocks and stops at ``max_seconds``, so a
huge file costs bounded memory; ``read_blocks`` gives a file of any length block by block,
for the listeners and ``ask --wav``, which never hold a whole recording. Resampling uses
numpy: ``audioop`` is deprecated and a pure-Python filter would take seconds per minute of
audio.

soundfile (libsndfile) and soxr were measured against this code (2026-12-03, the odd
files of the tests): the same results on every one of them, the same peak memory for a
ten-minute file. soxr resamples 14 to 25 times faster (3 s of espeak-ng speech: 22 ms
here, 1.6 ms) with a flat passband to 7 kHz (here -0.5 dB at 6 kHz, -4.5 dB at 7 kHz,
-44 dB at 9 kHz: above what the recognizers use); soundfile is 3 times slower on files
already at 16 kHz and would still need the header checks below (it accepts a 7 Hz rate).
They add 4.3 MB installed. This code stays because every resampled sample would change
(the speech of every spoken test and benchmark) for about 20 ms per spoken sentence.
"""

from __future__ import annotations

import logging
import math
import os
import struct
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from allvoice.errors import AudioError
from allvoice.ports import AudioChunk
from allvoice.speech.audio.format import RATE, is_pipeline_format

DEFAULT_MAX_SECONDS = 600.0
"""``read_wav`` keeps at most this much audio (10 minutes)."""

Samples = npt.NDArray[np.float32]
"""Mono samples as floats from -1.0 to 1.0."""

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE
_SUPPORTED = {(_PCM, 1), (_PCM, 2), (_PCM, 3), (_PCM, 4), (_FLOAT, 4), (_FLOAT, 8)}
_BLOCK_BYTES = 1 << 20
_FMT_MAX = 256  # a format header is 16 to 40 bytes; a larger size is not read into memory
_BATCH = 8192
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Layout:
    """Where a WAV file's samples are and how they are encoded."""

    encoding: int
    """1 for integer PCM, 3 for IEEE float."""
    channels: int
    """Interleaved channels."""
    rate: int
    """Samples per second."""
    width: int
    """Bytes per sample of one channel."""
    data_offset: int
    """Byte offset of the first sample."""
    data_size: int
    """Bytes of samples present in the file (the header's size, clamped to the file)."""


def read_wav(path: str | os.PathLike[str], max_seconds: float = DEFAULT_MAX_SECONDS) -> AudioChunk:
    """Read a WAV file as 16 kHz, 16-bit mono; AudioError names the file if it can't be used."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            layout = _read_layout(file, name)
            return _read_samples(file, layout, name, max_seconds)
    except OSError as error:
        raise AudioError(f"{name}: cannot be read ({error.strerror or error}).") from error


def read_blocks(path: str | os.PathLike[str], max_seconds: float | None = None) -> Iterator[bytes]:
    """A WAV file of any length as blocks of 16 kHz, 16-bit mono (about 2 MB each at most),
    read as they are asked for: memory does not grow with the file. The header is read at
    the first ``next``; AudioError names the file if it can't be used."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            layout = _read_layout(file, name)
            yield from _blocks(file, layout, name, max_seconds)
    except OSError as error:
        raise AudioError(f"{name}: cannot be read ({error.strerror or error}).") from error


def write_wav(path: str | os.PathLike[str], chunk: AudioChunk) -> None:
    """Write ``chunk`` as a PCM WAV file, replacing any file at ``path``."""
    name = os.fspath(path)
    _check_chunk(chunk, name)
    try:
        with wave.open(name, "wb") as out:
            out.setnchannels(chunk.channels)
            out.setsampwidth(chunk.width)
            out.setframerate(chunk.rate)
            out.writeframes(chunk.audio)
    except OSError as error:
        raise AudioError(f"{name}: cannot be written ({error.strerror or error}).") from error


def append_wav(path: str | os.PathLike[str], chunk: AudioChunk) -> None:
    """Add ``chunk`` to the end of a WAV file of the same format, or create the file."""
    name = os.fspath(path)
    if not os.path.exists(name) or os.path.getsize(name) == 0:
        write_wav(name, chunk)
        return
    _check_chunk(chunk, name)
    try:
        with open(name, "r+b") as file:
            _append(file, _read_layout(file, name), chunk, name)
    except OSError as error:
        raise AudioError(f"{name}: cannot be written ({error.strerror or error}).") from error


def to_pipeline_format(chunk: AudioChunk) -> AudioChunk:
    """``chunk`` (signed integer PCM of any rate and channels) as 16 kHz, 16-bit mono."""
    if is_pipeline_format(chunk):
        return chunk
    _check_chunk(chunk, "audio")
    audio = chunk.audio
    if chunk.width == 1:  # _decode reads 8-bit as unsigned, as WAV stores it
        audio = (np.frombuffer(audio, np.int8).astype(np.int16) + 128).astype(np.uint8).tobytes()
    resampler = Resampler(chunk.rate)
    samples = resampler.process(_decode(audio, _PCM, chunk.width, chunk.channels))
    tail = resampler.flush()
    return AudioChunk(RATE, 2, 1, float_to_pcm16(np.concatenate([samples, tail])))


def duration_seconds(chunk: AudioChunk) -> float:
    """How long ``chunk`` plays, in seconds."""
    return len(chunk.audio) / (chunk.rate * chunk.width * chunk.channels)


def silence(seconds: float, rate: int = RATE) -> AudioChunk:
    """A 16-bit mono chunk of digital silence."""
    return AudioChunk(rate, 2, 1, bytes(2 * round(seconds * rate)))


def pcm16_to_float(audio: bytes) -> Samples:
    """16-bit little-endian samples as floats from -1.0 to 1.0."""
    return np.frombuffer(audio, "<i2").astype(np.float32) / np.float32(32768.0)


def float_to_pcm16(samples: Samples) -> bytes:
    """Floats from -1.0 to 1.0 as 16-bit little-endian samples, clipped."""
    scaled = np.clip(np.rint(samples * np.float32(32768.0)), -32768, 32767)
    data: bytes = scaled.astype("<i2").tobytes()
    return data


def _read_layout(file: BinaryIO, name: str) -> _Layout:
    head = file.read(12)
    if not head:
        raise AudioError(f"{name}: the file is empty.")
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:] != b"WAVE":
        raise AudioError(f"{name}: not a WAV file; convert it with sox to 16-bit PCM WAV.")
    file_size = os.fstat(file.fileno()).st_size
    fmt: tuple[int, int, int, int] | None = None
    while True:
        header = file.read(8)
        if len(header) < 8:
            raise AudioError(f"{name}: no audio data found; the file may be truncated.")
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(file.read(min(size, _FMT_MAX)), name)
            file.seek(max(0, size - _FMT_MAX) + size % 2, os.SEEK_CUR)  # a huge size: skipped
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError(f"{name}: audio data comes before the format header.")
            offset = file.tell()
            return _Layout(*fmt, offset, min(size, max(0, file_size - offset)))
        else:
            file.seek(size + size % 2, os.SEEK_CUR)


def _parse_fmt(body: bytes, name: str) -> tuple[int, int, int, int]:
    if len(body) < 16:
        raise AudioError(f"{name}: the format header is truncated.")
    tag, channels, rate, _, block_align, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _EXTENSIBLE and len(body) >= 26:
        (tag,) = struct.unpack("<H", body[24:26])  # first two bytes of the SubFormat GUID
    if not 1 <= channels <= 64 or not 1000 <= rate <= 768000:
        raise AudioError(f"{name}: the format header is damaged ({channels} channels, {rate} Hz).")
    exact = block_align and block_align % channels == 0
    width = block_align // channels if exact else (bits + 7) // 8
    if (tag, width) not in _SUPPORTED:
        raise AudioError(
            f"{name}: unsupported encoding (format {tag}, {bits} bits); "
            "convert it to 16-bit PCM WAV with sox."
        )
    return tag, channels, rate, width


def _read_samples(file: BinaryIO, layout: _Layout, name: str, max_seconds: float) -> AudioChunk:
    out = bytearray()
    for block in _blocks(file, layout, name, max_seconds):
        out += block
    return AudioChunk(RATE, 2, 1, bytes(out))


def _blocks(
    file: BinaryIO, layout: _Layout, name: str, max_seconds: float | None
) -> Iterator[bytes]:
    """The samples from ``layout.data_offset`` on, converted block by block."""
    frame_bytes = layout.width * layout.channels
    frames = layout.data_size // frame_bytes
    limit = frames if max_seconds is None else min(frames, int(max_seconds * layout.rate))
    if limit < frames:
        _log.warning("%s: only the first %.0f seconds are used.", name, max_seconds)
    file.seek(layout.data_offset)
    resampler = Resampler(layout.rate, RATE)
    block = max(1, _BLOCK_BYTES // frame_bytes)
    while limit > 0:
        raw = file.read(min(block, limit) * frame_bytes)
        usable = len(raw) - len(raw) % frame_bytes
        if usable == 0:
            break
        samples = _decode(raw[:usable], layout.encoding, layout.width, layout.channels)
        yield float_to_pcm16(resampler.process(samples))
        limit -= usable // frame_bytes
    yield float_to_pcm16(resampler.flush())


def _decode(raw: bytes, encoding: int, width: int, channels: int) -> Samples:
    samples: Samples
    if encoding == _FLOAT:
        wide = np.frombuffer(raw, "<f4" if width == 4 else "<f8")
        values = np.clip(np.nan_to_num(wide, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
        samples = values.astype(np.float32)
    elif width == 1:
        samples = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / np.float32(128.0)
    elif width == 3:
        octets = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        unsigned = octets[:, 0] | (octets[:, 1] << 8) | (octets[:, 2] << 16)
        samples = ((unsigned ^ 0x800000) - 0x800000).astype(np.float32) / np.float32(1 << 23)
    else:
        integers = np.frombuffer(raw, f"<i{width}")
        samples = integers.astype(np.float32) / np.float32(1 << (8 * width - 1))
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return samples


def _append(file: BinaryIO, layout: _Layout, chunk: AudioChunk, name: str) -> None:
    same = (_PCM, chunk.channels, chunk.rate, chunk.width)
    if (layout.encoding, layout.channels, layout.rate, layout.width) != same:
        raise AudioError(f"{name}: holds audio in another format; choose a new file.")
    end = file.seek(0, os.SEEK_END)
    new_size = layout.data_size + len(chunk.audio)
    if end != layout.data_offset + layout.data_size or new_size > 0xFFFFFFFF - 64:
        raise AudioError(f"{name}: cannot be extended; choose a new file.")
    file.write(chunk.audio)
    file.seek(layout.data_offset - 4)
    file.write(struct.pack("<I", new_size))
    file.seek(4)
    file.write(struct.pack("<I", layout.data_offset + new_size - 8))


def _check_chunk(chunk: AudioChunk, name: str) -> None:
    frame = chunk.width * chunk.channels
    if not 1 <= chunk.width <= 4 or chunk.channels < 1 or chunk.rate < 1:
        raise AudioError(f"{name}: cannot write audio of {chunk.width}-byte samples.")
    if len(chunk.audio) % frame:
        raise AudioError(f"{name}: the audio to write ends in a partial sample.")


class Resampler:
    """Changes the sample rate of a stream of float samples with a windowed-sinc filter.

    Feed blocks to ``process`` and finish with ``flush``; the result is the same as
    resampling the whole signal at once, so long streams need little memory.
    """

    def __init__(self, in_rate: int, out_rate: int = RATE, zero_crossings: int = 8) -> None:
        common = math.gcd(in_rate, out_rate)
        self._up = out_rate // common
        self._down = in_rate // common
        cutoff = 0.45 * min(1.0, out_rate / in_rate)  # in cycles per input sample
        self._half = math.ceil(zero_crossings / (2 * cutoff))
        self._taps = np.arange(2 * self._half, dtype=np.int64)
        self._bank = _filter_bank(self._up, self._half, cutoff)
        self._buffer: Samples = np.zeros(self._half, np.float32)
        self._start = -self._half  # stream index of _buffer[0]; the zeros pad the beginning
        self._received = 0
        self._next = 0

    def process(self, samples: Samples) -> Samples:
        """Resample the next block; returns the output samples that are ready."""
        if self._up == self._down:
            return samples.astype(np.float32, copy=True)
        self._buffer = np.concatenate([self._buffer, samples.astype(np.float32)])
        self._received += len(samples)
        return self._emit(self._start + len(self._buffer) - self._half)

    def flush(self) -> Samples:
        """Return the output still held back at the end of the stream."""
        if self._up == self._down:
            return np.zeros(0, np.float32)
        self._buffer = np.concatenate([self._buffer, np.zeros(self._half, np.float32)])
        return self._emit(self._received)

    def _emit(self, limit: int) -> Samples:
        """Compute every output whose filter window lies before input index ``limit + half``."""
        end = max(self._next, -(-limit * self._up // self._down))
        positions = np.arange(self._next, end, dtype=np.int64) * self._down
        bases, phases = positions // self._up, positions % self._up
        out = np.empty(len(positions), np.float32)
        for first in range(0, len(positions), _BATCH):
            part = slice(first, first + _BATCH)
            index = (bases[part] - self._half + 1 - self._start)[:, None] + self._taps
            out[part] = np.einsum("ij,ij->i", self._buffer[index], self._bank[phases[part]])
        self._next = end
        drop = self._next * self._down // self._up - self._half + 1 - self._start
        if drop > 0:
            self._buffer = self._buffer[drop:]
            self._start += drop
        return out


def _filter_bank(up: int, half: int, cutoff: float) -> npt.NDArray[np.float32]:
    """One row of low-pass filter taps per fractional input position (Kaiser window)."""
    beta = 8.0
    fractions = np.arange(up, dtype=np.float64)[:, None] / up
    distance = fractions + (half - 1) - np.arange(2 * half, dtype=np.float64)[None, :]
    window = np.i0(beta * np.sqrt(np.clip(1.0 - (distance / half) ** 2, 0.0, None)))
    taps = 2 * cutoff * np.sinc(2 * cutoff * distance) * window / np.i0(beta)
    normalised: npt.NDArray[np.float64] = taps / taps.sum(axis=1, keepdims=True)
    return normalised.astype(np.float32)
