"""The pipeline's one audio format: 16 kHz, 16-bit, mono, defined here once.

Every chunk that reaches a recognizer, the endpointer or the earcons is in this format;
``wavfile.to_pipeline_format`` and the microphone convert what they get into it. The
recognizers and the WAV code both import it from here, so neither imports the other.
"""

from __future__ import annotations

from allvoice.errors import AudioError
from allvoice.ports import AudioChunk

RATE = 16_000
"""Samples per second of every chunk inside the pipeline."""
WIDTH = 2
"""Bytes per sample (16-bit signed little-endian)."""
CHANNELS = 1
"""Mono."""


def is_pipeline_format(chunk: AudioChunk) -> bool:
    """True when ``chunk`` is already 16 kHz, 16-bit, mono."""
    return (chunk.rate, chunk.width, chunk.channels) == (RATE, WIDTH, CHANNELS)


def check_format(chunk: AudioChunk) -> None:
    """AudioError unless ``chunk`` is 16 kHz, 16-bit, mono, as every engine needs."""
    if not is_pipeline_format(chunk):
        raise AudioError(
            f"The recognizer needs 16 kHz 16-bit mono audio, not {chunk.rate} Hz, "
            f"{chunk.width * 8}-bit, {chunk.channels} channel(s): convert it first "
            "(allvoice.speech.audio.wavfile.read_wav does)."
        )
