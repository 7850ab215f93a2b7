"""The voice-loop soak of ``make bench`` (benchmarks/voicesoak.py), at a reduced count: a
dozen spoken turns through the microphone listener, Whisper with speculative decoding and
barge-in. The 1,000-turn run and its memory figures are the benchmark's, not a test's."""

from __future__ import annotations

import shutil

import pytest

from benchmarks.voicesoak import STOP_EVERY, voice_soak

pytestmark = [
    pytest.mark.audio,
    pytest.mark.skipif(
        not (shutil.which("espeak-ng") and shutil.which("flite")), reason="needs espeak-ng, flite"
    ),
]


def test_a_dozen_spoken_turns_lose_none_and_each_stop_is_heard() -> None:
    result = voice_soak(12, cycle=6)
    assert result["answered"] == 12 and result["lost"] == 0, result
    assert result["with_words"] == 12, result
    assert result["stops_heard"] == result["stops_said"] == 12 // STOP_EVERY, result
    assert result["speculations_used"] >= 10, result  # decoded during the end-of-speech pause
