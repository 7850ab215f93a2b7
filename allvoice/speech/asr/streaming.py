"""Decoding while the user speaks: the engines' incremental shape, and ``StreamingRecognizer``.

Every engine (``pocketsphinx``, ``whisper``, ``vosk``) is an ``IncrementalRecognizer``: it
decodes a whole utterance, or takes it block by block as it is recorded. An engine that
decodes whole utterances (Whisper) is also a ``SpeculativeRecognizer``: told of a pause,
it starts decoding what it has. ``StreamingRecognizer`` drives either from the endpointer.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from allvoice.ports import AudioChunk, Transcript


class IncrementalRecognizer(Protocol):
    """A recognizer that can also take an utterance block by block as it is recorded."""

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """Decode a whole utterance (16 kHz, 16-bit, mono)."""
        ...

    def feed(self, frames: bytes) -> None:
        """Decode one more block of 16 kHz 16-bit mono samples of the current utterance."""
        ...

    def finish(self) -> Transcript:
        """End the current utterance and return what was heard."""
        ...


@runtime_checkable
class SpeculativeRecognizer(Protocol):
    """An engine that can start decoding at a pause in the speech (``WhisperRecognizer``)."""

    def pause(self) -> None:
        """The speaker paused: start decoding what was fed so far."""
        ...

    def finish(self, length: int | None = None) -> Transcript:
        """End the utterance, which is the first ``length`` bytes fed (None: all)."""
        ...

    def decoded(self, length: int, wait: bool = False) -> Transcript | None:
        """What the decoding started at the last pause heard, if it covers the first
        ``length`` bytes and is done (``wait``: wait for it); else None."""
        ...


class StreamingRecognizer:
    """Decodes each utterance while it is spoken: the endpointer's ``SpeechSink``, and a
    ``Recognizer`` whose ``recognize`` then only finishes what was fed.

    The listener feeds it from speech onset on; when the utterance comes out of the
    listener, ``recognize(utterance)`` ends the decoding instead of starting it, so little
    is left to do after the end-of-speech pause. An engine that decodes whole utterances
    (Whisper) is told of each pause in the speech, and starts decoding then. An utterance
    that was not fed (a recording split some other way) is decoded whole, as before."""

    def __init__(self, engine: IncrementalRecognizer) -> None:
        self._engine = engine
        self._speculative = engine if isinstance(engine, SpeculativeRecognizer) else None
        self._fed = False

    @property
    def engine(self) -> str:
        """The name of the engine it drives ("whisper", "pocketsphinx", ...)."""
        return str(getattr(self._engine, "engine", ""))

    def begin(self) -> None:
        """A new utterance starts; one fed but never recognized is dropped."""
        if self._fed and self._speculative is not None:
            self._speculative.finish(0)  # nothing to decode
        elif self._fed:
            self._engine.finish()
        self._fed = False

    def feed(self, frames: bytes) -> None:
        """More of the open utterance."""
        self._engine.feed(frames)
        self._fed = True

    def pause(self) -> None:
        """The speaker paused; the utterance may be over."""
        if self._fed and self._speculative is not None:
            self._speculative.pause()

    def heard(self, length: int, wait: bool = False) -> Transcript | None:
        """The words of the first ``length`` bytes of the open utterance, decoded at its
        last pause; None when not decoded (yet), or for an engine that does not decode at
        pauses (PocketSphinx: voice mode then ends turns on silence alone)."""
        if not self._fed or self._speculative is None:
            return None
        return self._speculative.decoded(length, wait)

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """The transcript of the utterance just fed, or of ``utterance`` decoded whole."""
        if self._fed:
            self._fed = False
            if self._speculative is not None:
                return self._speculative.finish(len(utterance.audio))
            return self._engine.finish()
        return self._engine.recognize(utterance)
