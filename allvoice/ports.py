"""The narrow interfaces between the pure core and the outside world.

The concrete adapters are chosen in one place, ``allvoice.app.wiring``. Each port has a
fake in ``allvoice.fakes`` (``FakeRecognizer``, ``FakeListener``, ``FakeSpeaker``) that the
tests use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AudioChunk:
    """A piece of raw PCM audio."""

    rate: int
    """Samples per second."""
    width: int
    """Bytes per sample (2 for 16-bit)."""
    channels: int
    """Number of interleaved channels."""
    audio: bytes
    """The samples, little-endian signed integers."""


@dataclass(frozen=True)
class Transcript:
    """What the recognizer heard."""

    text: str
    """The words heard, lower case; empty when nothing was heard."""
    confidence: float
    """How sure the recognizer is, from 0.0 to 1.0."""
    in_domain: bool = True
    """False when the recognizer doubts what it heard: PocketSphinx when the speech did
    not fit the domain, Whisper when its own probability is low (``understand.under_doubt``)."""


@dataclass(frozen=True)
class Voice:
    """How replies are spoken."""

    rate: int
    """Words per minute."""
    volume: float
    """0.0 to 1.0."""
    voice: str = ""
    """Engine voice id; empty for the engine's default."""
    pitch: int = 50
    """0 to 99, espeak-ng's scale."""


RATE_DEFAULT, RATE_MIN, RATE_MAX, RATE_STEP = 175, 80, 450, 25
"""Speech rate in words per minute: the default, the limits (what espeak-ng can do) and
the step of "faster" and "slower"."""
VOLUME_DEFAULT, VOLUME_STEP = 0.8, 0.1
"""Speech volume (0.0 to 1.0): the default and the step of "louder" and "softer"."""

DEFAULT_VOICE = Voice(rate=RATE_DEFAULT, volume=VOLUME_DEFAULT)
"""The voice used when the user has set nothing."""


class Recognizer(Protocol):
    """Turns one utterance of audio into a transcript."""

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """Decode a whole utterance (16 kHz, 16-bit, mono)."""
        ...


class Listener(Protocol):
    """Yields utterances: a microphone with end-of-speech detection, or a recording."""

    def utterances(self) -> Iterator[AudioChunk]:
        """Each item is one utterance, from speech onset to end of speech."""
        ...


class Speaker(Protocol):
    """Says a reply aloud (or writes it somewhere) and can be stopped at once."""

    def say(self, text: str, voice: Voice) -> None:
        """Speak ``text``; returns when done or stopped."""
        ...

    def stop(self) -> None:
        """Stop speaking now."""
        ...
