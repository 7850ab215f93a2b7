"""The two ``ports.Speaker`` adapters: aloud through a ``Player``, or into a WAV file."""

from __future__ import annotations

import os
import threading

from allvoice.ports import AudioChunk, Voice
from allvoice.speech.audio.player import Player
from allvoice.speech.audio.wavfile import append_wav, silence, write_wav
from allvoice.speech.tts.synthesizer import Synthesizer, split_sentences


class AudioSpeaker:
    """Speaks replies aloud, sentence by sentence: the next renders while one plays."""

    def __init__(self, synthesizer: Synthesizer, player: Player) -> None:
        self._synthesizer = synthesizer
        self._player = player
        self._stopped = threading.Event()
        self._speaking = threading.Event()
        self._lock = threading.Lock()
        self._override: Voice | None = None

    @property
    def is_speaking(self) -> bool:
        """True from the start of ``say`` until it returns (for muting the microphone)."""
        return self._speaking.is_set()

    def set_voice(self, voice: Voice) -> None:
        """Use ``voice`` from the next sentence of the reply being spoken."""
        with self._lock:
            self._override = voice

    def say(self, text: str, voice: Voice) -> None:
        """Speak ``text``; returns when done or stopped."""
        with self._lock:
            self._override = None
        self._stopped.clear()
        self._speaking.set()
        try:
            for sentence in split_sentences(text):
                if not self._say_sentence(sentence, voice):
                    break
            self._player.wait()
        finally:
            self._speaking.clear()

    def stop(self) -> None:
        """Stop speaking now (within one playback block)."""
        self._stopped.set()
        self._player.stop()

    def play_chunk(self, chunk: AudioChunk) -> None:
        """Play a short sound (an earcon) and wait for it to end."""
        self._player.play(chunk)
        self._player.wait()

    def _say_sentence(self, sentence: str, voice: Voice) -> bool:
        """Render while the previous sentence plays, then queue it; False once stopped."""
        used = self._voice(voice)
        chunk = self._synthesizer.render(sentence, used)
        self._player.wait()
        if self._voice(voice) != used:  # changed while the previous sentence played
            chunk = self._synthesizer.render(sentence, self._voice(voice))
        if self._stopped.is_set():
            return False
        self._player.play(chunk)
        return True

    def _voice(self, voice: Voice) -> Voice:
        with self._lock:
            return self._override or voice


class WavFileSpeaker:
    """Writes every reply into one WAV file (``--speak-to OUT.wav``), with a pause between."""

    def __init__(
        self, path: str | os.PathLike[str], synthesizer: Synthesizer, gap_seconds: float = 0.6
    ) -> None:
        self._path = os.fspath(path)
        self._synthesizer = synthesizer
        self._gap = silence(gap_seconds)
        self._started = False
        self._stopped = threading.Event()

    def say(self, text: str, voice: Voice) -> None:
        """Append the spoken reply to the file; the first reply replaces an older file."""
        self._stopped.clear()
        if self._started:
            append_wav(self._path, self._gap)
        for chunk in self._synthesizer.synthesize(text, voice):
            if self._stopped.is_set():
                return
            if self._started:
                append_wav(self._path, chunk)
            else:
                write_wav(self._path, chunk)
                self._started = True

    def stop(self) -> None:
        """Stop after the sentence being rendered."""
        self._stopped.set()
