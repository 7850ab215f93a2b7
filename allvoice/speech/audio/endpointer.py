"""Cut a stream of 16 kHz, 16-bit mono audio into utterances.

pocketsphinx's ``Endpointer`` (the WebRTC voice activity detector plus a 0.3 s decision
window) finds stretches of speech. Its window is symmetric: a 1 s window would also need
0.9 s of speech before noticing that someone spoke, and a short "yes" would be missed. So
the window stays short, and stretches of speech closer together than ``pause_seconds``
are joined into one utterance here. The audio itself is kept from the input, so an
utterance includes its short internal pauses exactly as spoken.

With a ``TurnWords`` (voice mode with Whisper), the end of a turn also listens to what was
said. About ``padding_seconds`` after each stretch of voiced frames the sink starts
decoding (``SpeechSink.pause``), and the words, once decoded, say how long a silence ends
the turn: short after a question, longer after a report, longer still after a sentence
plainly not finished (the core's judgement, ``understanding.turn_end``; the seconds are
the user's settings). Words that decide nothing, or none decoded yet, leave it to
``pause_seconds``, as without words. Only the timing is here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from allvoice.errors import AudioError
from allvoice.ports import AudioChunk
from allvoice.speech.audio.format import RATE, WIDTH, is_pipeline_format


@dataclass(frozen=True)
class EndpointerSettings:
    """How utterances are found."""

    pause_seconds: float = 0.8
    """A silence at least this long ends an utterance."""
    no_input_seconds: float | None = None
    """Stop looking when no speech starts within this time (None: never)."""
    keep_listening: bool = False
    """On no input, yield an empty utterance and keep listening, instead of stopping
    (the microphone loop uses it to reprompt)."""
    max_utterance_seconds: float = 20.0
    """An utterance longer than this is cut, and the rest starts a new one."""
    padding_seconds: float = 0.15
    """Audio kept after the end of speech, so that final consonants are not clipped."""
    lead_seconds: float = 0.0
    """Audio kept before the detected onset (at most 0.5 s): a little silence for the decoder."""
    vad_mode: int = 1
    """WebRTC aggressiveness, 0 (keeps most) to 3 (rejects most non-speech)."""
    window_seconds: float = 0.3
    """Decision window of the voice activity detector; onset needs 90% of it to be speech."""
    min_rms: int = 0
    """Frames quieter than this RMS (16-bit scale) count as silence, e.g. from calibration."""
    wait_for_words: bool = False
    """With ``TurnWords``: wait for the words at each pause instead of going on meanwhile
    (a recording read faster than real time: the turns are then the ones a microphone
    would give were decoding instant)."""


class SpeechSink(Protocol):
    """Takes an utterance's audio while it is still being spoken (a streaming decoder)."""

    def begin(self) -> None:
        """A new utterance starts; anything fed before and not finished is dropped."""
        ...

    def feed(self, frames: bytes) -> None:
        """The next audio of the open utterance (16 kHz, 16-bit, mono)."""
        ...

    def pause(self) -> None:
        """Speech has stopped: the utterance ends here unless it goes on within the pause."""
        ...


class TurnWords(Protocol):
    """How long a silence ends the turn, from the words of the open utterance (the core
    judges them, ``understanding.turn_end``; the recognizer supplies them)."""

    def pause_for(self, length: int, wait: bool) -> float | None:
        """Seconds of silence that end the turn, for the first ``length`` bytes of the open
        utterance (what the sink had at its last ``pause``); None when the words decide
        nothing or are not decoded yet (``wait``: wait for them)."""
        ...


@dataclass(frozen=True)
class Utterance:
    """One utterance found in a stream, with the timing a latency benchmark needs."""

    audio: AudioChunk
    """The utterance (16 kHz, 16-bit, mono), from speech onset to end of speech plus padding."""
    start_sample: int
    """Stream position of the first sample of ``audio``."""
    speech_end_sample: int
    """Stream position where the voice activity detector says speech ended."""
    detected_sample: int
    """Stream position when the utterance was declared over (samples read by then)."""


def utterances_from_chunk(
    chunk: AudioChunk,
    settings: EndpointerSettings | None = None,
    sink: SpeechSink | None = None,
    words: TurnWords | None = None,
) -> Iterator[Utterance]:
    """Find the utterances in a recording (already 16 kHz, 16-bit, mono); ``sink`` and
    ``words`` as in ``utterances_from_frames``."""
    if not is_pipeline_format(chunk):
        raise AudioError(
            f"Audio must be {RATE} Hz 16-bit mono for endpointing, "
            f"not {chunk.rate} Hz {8 * chunk.width}-bit with {chunk.channels} channels."
        )
    step = WIDTH * RATE // 10
    frames = (chunk.audio[start : start + step] for start in range(0, len(chunk.audio), step))
    return utterances_from_frames(frames, settings, sink, words)


def utterances_from_frames(
    frames: Iterable[bytes],
    settings: EndpointerSettings | None = None,
    sink: SpeechSink | None = None,
    words: TurnWords | None = None,
) -> Iterator[Utterance]:
    """Yield each utterance as soon as its end is detected; frames may be of any length.

    With a ``sink``, each utterance's audio also goes to it as it is heard, from the
    onset on (including the stretch before the detector was sure), so that a streaming
    decoder has little left to do when the utterance is yielded. With ``words`` as well
    (which must read what the sink decoded), the words decide how long a pause ends the
    turn (see the module docstring)."""
    segmenter = _Segmenter(settings or EndpointerSettings(), sink, words)
    for frame in _reframe(frames, segmenter.frame_bytes):
        if len(frame) < segmenter.frame_bytes:
            yield from segmenter.finish(frame)
            return
        yield from segmenter.feed(frame)
        if segmenter.timed_out:
            if not segmenter.settings.keep_listening:
                return
            yield segmenter.silence()
    yield from segmenter.finish(b"")


def _reframe(frames: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Regroup byte strings into pieces of exactly ``size`` bytes; the last may be shorter."""
    pending = b""
    for frame in frames:
        pending += frame
        whole = len(pending) - len(pending) % size
        for start in range(0, whole, size):
            yield pending[start : start + size]
        pending = pending[whole:]
    if pending:
        yield pending


def frame_rms(frame: bytes) -> float:
    """Root-mean-square level of 16-bit samples (0 to 32768)."""
    samples = np.frombuffer(frame, "<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples * samples))) if len(samples) else 0.0


class _Segmenter:
    """The endpointing state machine; positions are counted in samples from the stream start."""

    def __init__(
        self,
        settings: EndpointerSettings,
        sink: SpeechSink | None = None,
        words: TurnWords | None = None,
    ) -> None:
        from pocketsphinx import Endpointer, Vad  # imported here so text mode never loads it

        self._settings = settings
        self._sink = sink
        self._words = words if sink is not None else None  # the words come from the sink
        self._vad = Endpointer(
            window=settings.window_seconds, ratio=0.9, vad_mode=settings.vad_mode
        )
        self._frame_vad = Vad(settings.vad_mode)  # frame by frame, without the window
        self.frame_bytes: int = self._vad.frame_bytes
        self._kept = bytearray()  # audio from sample _kept_start up to _position
        self._kept_start = 0
        self._position = 0
        self._start: int | None = None  # onset of the open utterance
        self._speech_end: int | None = None  # end of its latest stretch, None while speaking
        self._idle_since = 0
        self._pause_pending = False  # the sink is told of a pause once it has the audio
        self.timed_out = False
        # the words' part: the end of the last voiced frame, where the sink was last asked
        # to decode (None once voice follows), and what the words said of that
        self._voiced_end = 0
        self._voiced_run = 0
        self._hint: int | None = None
        self._wanted: float | None = None
        self._asked = False
        self._early = False  # a turn ended before the detector's own end of speech
        self._peak = 0.0  # the loudest frame of the open utterance

    def feed(self, frame: bytes) -> Iterator[Utterance]:
        """Consume one frame of exactly ``frame_bytes``."""
        quiet = self._settings.min_rms > 0 and frame_rms(frame) < self._settings.min_rms
        was_speech = self._vad.in_speech
        self._vad.process(bytes(len(frame)) if quiet else frame)
        was_open = self._start is not None
        self._keep(frame)
        self._note_transitions(was_speech)
        if self._words is not None:
            self._note_voice(not quiet and self._voiced(frame), len(frame))
        self._stream(frame, was_open)
        yield from self._maybe_emit()

    def finish(self, tail: bytes) -> Iterator[Utterance]:
        """End of stream: flush the detector and yield the utterance still open, if any."""
        was_speech = self._vad.in_speech
        if was_speech and tail:  # pocketsphinx's end_stream raises IndexError on b""
            self._vad.end_stream(tail)
        was_open = self._start is not None
        self._keep(tail)
        self._note_transitions(was_speech)
        self._stream(tail, was_open)
        if self._start is not None:
            end = self._position if self._speech_end is None else self._speech_end
            yield self._emit(end, self._hint)

    @property
    def settings(self) -> EndpointerSettings:
        """The settings this segmenter runs with."""
        return self._settings

    def silence(self) -> Utterance:
        """An empty utterance marking a no-input timeout; the idle clock starts again."""
        self._idle_since, self.timed_out = self._position, False
        empty = AudioChunk(RATE, WIDTH, 1, b"")
        return Utterance(empty, self._position, self._position, self._position)

    def _keep(self, frame: bytes) -> None:
        self._kept += frame
        self._position += len(frame) // WIDTH
        if self._start is None:  # between utterances keep only what a new onset may reach back to
            horizon = self._position - self._seconds(self._settings.window_seconds + 0.5)
            self._trim_to(horizon)

    def _note_transitions(self, was_speech: bool) -> None:
        if not was_speech and self._vad.in_speech:
            lead = self._seconds(self._settings.lead_seconds)
            onset = max(self._kept_start, self._seconds(self._vad.speech_start) - lead)
            self._start = onset if self._start is None else self._start
            self._speech_end = None
            self._voiced_end = self._position
        elif was_speech and not self._vad.in_speech:
            self._speech_end = min(self._position, self._seconds(self._vad.speech_end))
            self._pause_pending = self._sink is not None and self._start is not None
            self._early = False
            stale = self._hint is not None and self._speech_end > self._hint + self._seconds(
                _STALE_SECONDS
            )
            if stale:  # speech too quiet for the level went on after the decoded audio
                self._voiced_end = self._speech_end
                self._hint, self._wanted, self._asked = self._position, None, False
            elif self._hint is not None:  # the sink is already decoding this pause
                self._pause_pending = False

    def _note_voice(self, voiced: bool, length: int) -> None:
        """Frame-level voice, for the words' part: a new pause is decoded at once."""
        self._voiced_run = self._voiced_run + 1 if voiced else 0
        if self._start is None:
            if self._early and self._voiced_run >= _RESUMING_FRAMES:
                # speaking again before the detector had even ended the last turn
                lead = self._seconds(self._settings.lead_seconds)
                back = self._voiced_run * length // WIDTH + lead
                self._start = max(self._kept_start, self._position - back)
                self._speech_end, self._early = None, False
                self._voiced_end = self._position
            return
        if voiced:
            self._voiced_end = self._position
            if self._vad.in_speech:  # not a click in the pause: what was decoded is stale
                self._hint, self._wanted, self._asked = None, None, False
        elif self._hint is None and self._quiet() >= self._seconds(self._settings.padding_seconds):
            self._hint = self._position
            self._pause_pending = True  # told in _stream, once it has this frame

    def _voiced(self, frame: bytes) -> bool:
        """A frame of the voice itself: speech to the WebRTC detector, and not the fading
        tail after a word (much quieter than the loudest frame of the utterance so far),
        which the detector still counts as speech for a tenth of a second or two."""
        if not self._frame_vad.is_speech(frame):
            return False
        level = frame_rms(frame)
        if self._start is None or level > self._peak:
            self._peak = level
        return level >= _TAIL_SHARE * self._peak

    def _quiet(self) -> int:
        return self._position - self._voiced_end

    def _stream(self, frame: bytes, was_open: bool) -> None:
        """Pass the open utterance's audio on to the sink: at onset all of it, then each frame."""
        if self._sink is None or self._start is None:
            return
        if was_open:
            self._sink.feed(frame)
        else:
            self._sink.begin()
            self._sink.feed(bytes(self._kept[(self._start - self._kept_start) * WIDTH :]))
        if self._pause_pending:
            self._pause_pending = False
            self._sink.pause()

    def _maybe_emit(self) -> Iterator[Utterance]:
        settings = self._settings
        if self._start is None:
            limit = settings.no_input_seconds
            self.timed_out = limit is not None and self._position - self._idle_since >= (
                self._seconds(limit)
            )
            return
        pause = self._seconds(settings.pause_seconds)
        if self._words is not None and self._hint is not None:
            wanted = self._ask()
            if wanted is not None:  # the words decide: the user's pause for them
                words_pause = self._seconds(wanted)
                if words_pause <= pause:  # a short wait: the voice's own end is enough
                    done, end = self._quiet() >= words_pause, self._voiced_end
                else:  # a long one: the detector must agree that speech ended
                    end = self._speech_end or 0
                    done = self._speech_end is not None and self._position - end >= words_pause
                if done:
                    self._early = self._vad.in_speech
                    yield self._emit(end, self._hint)
                return
        if self._speech_end is not None:
            if self._position - self._speech_end >= pause:
                yield self._emit(self._speech_end, self._hint)
        elif self._position - self._start >= self._seconds(settings.max_utterance_seconds):
            yield self._emit(self._position)
            self._start = self._position  # still speaking: the rest is a new utterance
            if self._sink is not None:
                self._sink.begin()

    def _ask(self) -> float | None:
        """The pause the words of the utterance up to the last hint call for; asked on
        each frame until they say (once, at the hint, when waiting for them)."""
        assert self._words is not None and self._hint is not None and self._start is not None
        if self._wanted is not None or self._asked:
            return self._wanted
        wait = self._settings.wait_for_words
        self._wanted = self._words.pause_for((self._hint - self._start) * WIDTH, wait)
        self._asked = wait
        return self._wanted

    def _emit(self, speech_end: int, decoded_to: int | None = None) -> Utterance:
        """The open utterance, up to ``speech_end`` plus padding, or exactly up to
        ``decoded_to`` (where the sink was last asked to decode) when that is given."""
        assert self._start is not None
        end = min(self._position, speech_end + self._seconds(self._settings.padding_seconds))
        if decoded_to is not None:
            end = decoded_to
        first, last = self._start - self._kept_start, end - self._kept_start
        audio = bytes(self._kept[first * WIDTH : last * WIDTH])
        utterance = Utterance(
            AudioChunk(RATE, WIDTH, 1, audio), self._start, speech_end, self._position
        )
        self._start, self._speech_end, self._idle_since = None, None, self._position
        self._hint, self._wanted, self._asked = None, None, False
        self._trim_to(end)
        return utterance

    def _trim_to(self, sample: int) -> None:
        if sample > self._kept_start:
            del self._kept[: (sample - self._kept_start) * WIDTH]
            self._kept_start = sample

    @staticmethod
    def _seconds(seconds: float) -> int:
        return round(seconds * RATE)


_TAIL_SHARE = 0.03
"""A voiced frame quieter than this share of the utterance's loudest (-30 dB) is the tail
of a word, not voice (with ``TurnWords``: the words are decoded that much sooner)."""
_STALE_SECONDS = 0.2
"""When the detector's end of speech comes this long after the audio decoded at the last
pause, speech went on that the level missed: what was decoded is stale, and the decoding
starts again with all of it."""
_RESUMING_FRAMES = 3
"""Voiced frames in a row that start a new utterance when a turn was ended on its words
before the detector's own end of speech (it has not seen an onset since)."""
