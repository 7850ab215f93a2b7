"""Listening for "stop" while allvoice speaks: only with headphones (``headphones = true``).

Through loudspeakers the microphone hears allvoice's own voice, so it is muted while
allvoice speaks (``microphone.EchoGate``). With headphones it is not needed: the frames
the gate holds back are handed to a ``StopListener`` instead, which cuts them into
utterances with a short end-of-speech pause, decodes each with its own recognizer (in
its own thread, so the microphone is never held up) and stops the speech when one is
understood as the stop command. Anything else said meanwhile is ignored: the question
can be asked again when allvoice has finished or been stopped.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator

from allvoice.ports import Recognizer
from allvoice.speech.audio.endpointer import EndpointerSettings, utterances_from_frames

BARGE_IN = EndpointerSettings(pause_seconds=0.3, lead_seconds=0.2)
"""A short end-of-speech pause, so that "stop" acts soon after it is said, and a little
audio kept from before the onset. Measured on 7 ways of saying stop ("stop", "stop
talking", "be quiet", "quiet", "pause", "enough", "stop please") by 8 espeak-ng and flite
voices: recognised as stop in 45 of 56 recordings with the lead, 38 without."""
_QUEUE_FRAMES = 1000  # 30 s of 30 ms frames; when it is full, new audio is dropped


class StopListener:
    """Decodes what is said while allvoice speaks and calls ``on_stop`` for "stop"."""

    def __init__(
        self,
        recognizer: Recognizer,
        is_stop: Callable[[str], bool],
        on_stop: Callable[[], None],
        settings: EndpointerSettings | None = None,
    ) -> None:
        """``recognizer`` must not be shared with the main loop (this runs in a thread);
        ``is_stop`` says whether a transcript is the stop command."""
        self._recognizer = recognizer
        self._is_stop = is_stop
        self._on_stop = on_stop
        self._settings = settings or BARGE_IN
        self._frames: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUE_FRAMES)
        self._worker = threading.Thread(target=self._run, name="allvoice-stop", daemon=True)
        self._worker.start()
        self.heard: list[str] = []
        """Transcripts heard while speaking, newest last (kept in memory only)."""

    def feed(self, frames: bytes) -> None:
        """Audio heard while allvoice speaks (16 kHz, 16-bit, mono); never blocks."""
        # When the worker is behind, this audio is lost rather than the microphone stalled.
        with contextlib.suppress(queue.Full):
            self._frames.put_nowait(frames)

    def close(self, timeout: float = 2.0) -> None:
        """Finish what was fed and stop the worker."""
        self._frames.put(None)
        self._worker.join(timeout)

    def _incoming(self) -> Iterator[bytes]:
        while (frames := self._frames.get()) is not None:
            yield frames

    def _run(self) -> None:
        for utterance in utterances_from_frames(self._incoming(), self._settings):
            try:
                transcript = self._recognizer.recognize(utterance.audio)
            except (RuntimeError, ValueError):
                continue  # a decoding failure here must not end the conversation
            if not transcript.text:
                continue
            self.heard = [*self.heard[-9:], transcript.text]
            if transcript.in_domain and self._is_stop(transcript.text):
                self._on_stop()
