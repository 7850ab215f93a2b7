"""Short tones that tell a listener what the assistant is doing without words.

``listening`` rises and ``not_understood`` falls, so they can be told apart by pitch
movement alone. Each fades in and out over a few milliseconds, because a tone that
starts or stops at full level clicks.
"""

from __future__ import annotations

import numpy as np

from allvoice.ports import AudioChunk
from allvoice.speech.audio.format import RATE
from allvoice.speech.audio.wavfile import float_to_pcm16

_FADE_SECONDS = 0.012
_LEVEL = 0.25  # about -12 dBFS: audible over a quiet room, well below speech


def listening() -> AudioChunk:
    """A rising glide (660 to 990 Hz, 120 ms): "I am listening"."""
    return tone(660.0, 990.0, 0.12)


def not_understood() -> AudioChunk:
    """A falling glide (520 to 330 Hz, 150 ms): "I did not catch that"."""
    return tone(520.0, 330.0, 0.15)


def tone(start_hz: float, end_hz: float, seconds: float, level: float = _LEVEL) -> AudioChunk:
    """A sine glide from ``start_hz`` to ``end_hz`` with raised-cosine fades at both ends."""
    count = round(seconds * RATE)
    times = np.arange(count, dtype=np.float64) / RATE
    frequency = start_hz + (end_hz - start_hz) * times / seconds
    phase = 2.0 * np.pi * np.cumsum(frequency) / RATE
    envelope = np.ones(count)
    fade = min(count // 2, round(_FADE_SECONDS * RATE))
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        envelope[:fade] = ramp
        envelope[count - fade :] = ramp[::-1]
    samples = (level * envelope * np.sin(phase)).astype(np.float32)
    return AudioChunk(RATE, 2, 1, float_to_pcm16(samples))
