"""Fakes for the ports in ``allvoice.ports``, for tests and for trying allvoice without
a microphone, a sound card or a speech engine.

Each fake keeps what it was given, so a test can check it afterwards::

    recognizer = FakeRecognizer("what are the symptoms")   # hears these, in turn
    listener = FakeListener(AudioChunk(16000, 2, 1, bytes(32000)))  # one 1 s utterance
    speaker = FakeSpeaker()                                # says nothing, remembers all

Stand-ins for a third-party library (an audio stream, a Vosk decoder) are not ports:
they stay in the tests that need them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from allvoice.ports import AudioChunk, Transcript, Voice

CONFIDENCE = 0.9
"""The confidence of a transcript given to ``FakeRecognizer`` as plain text."""


class FakeRecognizer:
    """A ``Recognizer`` that hears the given transcripts in turn, whatever the audio.

    Asked for more than it was given (with none: asked at all), it raises
    ``AssertionError``: the test meant the audio never to be decoded."""

    def __init__(self, *heard: str | Transcript) -> None:
        self.script: list[Transcript] = [
            Transcript(item, CONFIDENCE) if isinstance(item, str) else item for item in heard
        ]
        """What it will hear, in order; plain text is heard in the domain, with ``CONFIDENCE``."""
        self.utterances: list[AudioChunk] = []
        """The utterances it was asked to recognize, in order."""

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """The next transcript of the script."""
        self.utterances.append(utterance)
        count = len(self.utterances)
        if count > len(self.script):
            raise AssertionError(
                f"FakeRecognizer was asked to recognize utterance {count}, "
                f"but has only {len(self.script)} transcripts"
            )
        return self.script[count - 1]


class FakeListener:
    """A ``Listener`` that yields utterances built in memory, then raises ``then`` if given
    (a ``DeviceError``, say: the microphone unplugged mid-conversation)."""

    def __init__(self, *utterances: AudioChunk, then: Exception | None = None) -> None:
        self.script = list(utterances)
        """The utterances, in order; an empty one stands for a no-input timeout."""
        self.then = then
        """Raised after the last utterance; None to just stop."""

    def utterances(self) -> Iterator[AudioChunk]:
        """Each utterance of the script, then ``then``."""
        yield from self.script
        if self.then is not None:
            raise self.then

    def timed_utterances(self) -> Iterator[AudioChunk]:
        """As ``utterances``: the script has no timing (so nothing is joined)."""
        return self.utterances()


class FakeSpeaker:
    """A ``Speaker`` that says nothing and remembers what it was asked to say, and every
    time it was stopped. ``stop`` may come from another thread (a key, a spoken stop)."""

    def __init__(self) -> None:
        self.said: list[tuple[str, Voice]] = []
        """Each text it was asked to say, with the voice, in order."""
        self.stop_count = 0
        """How many times ``stop`` was called."""
        self.stops = threading.Semaphore(0)
        """Released once a stop: ``speaker.stops.acquire(timeout=1.0)`` waits for one."""

    def say(self, text: str, voice: Voice) -> None:
        """Remember ``text`` and ``voice``; returns at once."""
        self.said.append((text, voice))

    def stop(self) -> None:
        """Count the stop and release ``stops``."""
        self.stop_count += 1
        self.stops.release()

    @property
    def stopped(self) -> bool:
        """True once ``stop`` was called."""
        return self.stop_count > 0


if TYPE_CHECKING:  # mypy checks that each fake fits its port
    from allvoice.ports import Listener, Recognizer, Speaker

    _RECOGNIZER: Recognizer = FakeRecognizer()
    _LISTENER: Listener = FakeListener()
    _SPEAKER: Speaker = FakeSpeaker()
