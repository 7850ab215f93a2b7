"""Speech to text with Whisper base (faster-whisper's CTranslate2 model, int8): the default.

``WhisperRecognizer`` holds one model for the whole session and has the shape of the
other engines (``recognize``, or ``feed`` then ``finish``), so ``StreamingRecognizer``
and the listeners use it unchanged. Three things make it fit a voice assistant:

* **Domain bias without forcing.** The initial prompt names the pack's condition, its
  signs and its sections (``domain_prompt``), so "lymphocytic" and "nosebleeds" are heard;
  it is a prompt, not a grammar, so other speech is still written as said.
* **No words from non-speech.** Audio in which the voice activity detector finds too
  little speech, no voiced stretch as long as a syllable (clicks) or a steady level
  (hiss, hum) is not decoded;
  Whisper's own no-speech probability, the average log-probability and the compression
  ratio (a repeating hallucination) reject the rest, and so does a transcript that only
  echoes the prompt. A result that is kept but weak (``MIN_SURE_LOGPROB``) comes out as
  ``in_domain=False``, so that voice mode asks back ("Did you ask about ...?") as for
  any doubtful result (``understand.under_doubt``).
* **Speed.** The encoder is given the utterance plus a short margin instead of Whisper's
  fixed 30 seconds (CTranslate2 accepts the shorter input; the cost of the encoder falls
  with it), and ``pause()`` starts decoding in a worker thread as soon as the speaker
  pauses, while the endpointer waits out its end-of-speech pause: when the utterance
  then ends there, ``finish`` only collects the result; when the speaker goes on, it is
  thrown away.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from allvoice.content.pack import Pack
from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr.corpus import spoken_form
from allvoice.speech.asr.whisper_model import whisper_model_folder
from allvoice.speech.audio.format import RATE, check_format

_FRAMES_PER_SECOND = 100  # Whisper's log-mel frames
_FULL_CONTEXT = 3000  # 30 s: what Whisper was trained on


@dataclass(frozen=True)
class WhisperSettings:
    """How Whisper decodes; the defaults are the ones measured in benchmarks/REPORT.md."""

    beam_size: int = 5
    """Hypotheses kept while decoding; 1 is greedy."""
    margin_seconds: float = 5.0
    """Padding the encoder sees after the speech, instead of the rest of Whisper's 30 s."""
    full_context: bool = False
    """Encode a full 30 s window, as Whisper was trained (slower, for comparison)."""
    prompt: bool = True
    """Use the domain prompt."""
    vocabulary: bool = False
    """Add the later packs' medical words (``Pack.vocabulary``) to the prompt. Off: on 26
    spoken questions that use them they were heard 21 times of 27 with it and 11 without,
    but real people's word error rate rose from 0.077 to 0.089 and two spoken red flags of
    the triage rules were misheard (``python -m benchmarks.packs`` measures both)."""
    fallback_temperatures: tuple[float, ...] = (0.2, 0.4)
    """Sampling temperatures tried, in turn, when a greedy result looks like a hallucination."""
    lead_seconds: float = 0.4
    """Silence put before the audio: speech from the very first sample is often misheard
    (a recording trimmed to the voice, or ``ask --wav`` on a synthetic question)."""
    normalise_level: bool = False
    """Scale quiet recordings up to a fixed peak before decoding."""
    threads: int = 2
    """CPU threads of the model."""


MIN_SPEECH_SECONDS = 0.12
"""Audio with less voiced time than this (by the WebRTC detector) is not decoded."""
MIN_LEVEL_SPREAD_DB = 2.0
"""Audio whose loudest frames (the 99th percentile) are less than this many decibels above
its median frame is not decoded: steady noise (hiss, a fan, a stuck microphone) stays
within 0.6 dB, while speech, even in noise as loud as itself, spreads 5.8 dB or more (the
real voices of the benchmark: 5.9 dB and more)."""
MIN_VOICED_RUN_SECONDS = 0.2
"""Audio whose longest stretch of voiced frames in a row is shorter than this is not
decoded: a click or a knock is voiced for at most 0.12 s (the detector's hangover), the
shortest word said ("yes", "no") for 0.4 s, and the real voices of the benchmark for
0.27 s or more. Without it Whisper writes whole sentences for sparse clicks."""
NO_SPEECH_PROB = 0.6
"""With an average log-probability under ``MIN_LOGPROB``: Whisper's rule for no speech."""
MIN_LOGPROB = -1.0
"""Below this average log-probability per token a result is decoded again, sampling."""
MIN_KEPT_LOGPROB = -1.5
"""Below this the best result is dropped: noise, or speech too unclear to guess at."""
MAX_COMPRESSION = 2.4
"""A transcript whose text compresses better than this repeats itself: a hallucination."""
MIN_SURE_LOGPROB = -1.0
"""Below this average log-probability the result is kept but doubted (``in_domain=False``)."""
MIN_TOKENS = 12
TOKENS_PER_SECOND = 8
"""Tokens allowed: MIN_TOKENS plus this per second of audio (fast speech is under 7), so
that a decoding caught in a loop ends soon."""
_MAX_TOKENS = 200
ECHO_WORDS = 4
"""A transcript of this many words or more that is a stretch of the prompt is dropped."""
_PEAK = 0.5
"""Target peak level (of full scale) for quiet recordings."""


class WhisperRecognizer:
    """Whisper base with the domain prompt; one model, held for the session."""

    engine = "whisper"
    """The engine's name, as ``--asr`` and the spoken ``--json`` output give it."""

    def __init__(
        self,
        pack: Pack | None = None,
        *,
        model_dir: Path | None = None,
        cache_dir: Path | None = None,
        settings: WhisperSettings | None = None,
    ) -> None:
        """``model_dir``: a CTranslate2 Whisper model folder instead of the packaged base."""
        self.settings = settings or WhisperSettings()
        folder = model_dir or whisper_model_folder(cache_dir)
        self._model = _load(folder, self.settings.threads)
        self._tokenizer = _tokenizer(self._model)
        wanted = pack is not None and self.settings.prompt
        prompt = domain_prompt(pack, self.settings.vocabulary) if pack and wanted else ""
        self._prompt_text = f" {' '.join(_words(prompt))} "
        self._prefix = self._prompt_tokens(prompt)
        self._vad = _VoiceDetector()
        self._lock = threading.Lock()  # one decoding at a time: the model is not shared
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="allvoice-whisper")
        self._audio = bytearray()
        self._guess: tuple[int, Future[Transcript], object] | None = None
        self.speculations = 0
        """Decodings started at a pause (``pause``)."""
        self.speculations_used = 0
        """Of those, the ones whose result ``finish`` returned."""
        self.speculations_abandoned = 0
        """Of those, the ones stopped after encoding because the speaker went on (their
        text could no longer be used): the next decoding starts that much sooner."""
        self._wanted: object | None = None  # the speculation whose result may still be used
        self._claimed: object | None = None  # the one ``finish`` waits for: never stopped
        self._running: object | None = None  # the speculation being decoded, if any

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """Decode a whole utterance; it must be 16 kHz, 16-bit, mono."""
        check_format(utterance)
        self._drop()
        return self._decode(utterance.audio)

    def feed(self, frames: bytes) -> None:
        """The next block of the current utterance."""
        self._audio += frames

    def pause(self) -> None:
        """The speaker paused: start decoding what was said so far, in the background."""
        heard = bytes(self._audio)
        if self._guess is not None:
            self._guess[1].cancel()  # an earlier pause's decoding, if it has not started
        job = self._wanted = object()  # an earlier one that has started stops after encoding
        self._guess = (len(heard), self._worker.submit(self._decode, heard, job), job)
        self.speculations += 1

    def decoded(self, length: int, wait: bool = False) -> Transcript | None:
        """The transcript of the first ``length`` bytes fed, if the decoding started at the
        last pause covers exactly that and has finished (``wait``: wait for it); else None.
        The endpointer reads it to hear whether the words are finished."""
        guess = self._guess
        if guess is None or guess[0] != length or guess[1].cancelled():
            return None
        if not wait and not guess[1].done():
            return None
        return guess[1].result()

    def finish(self, length: int | None = None) -> Transcript:
        """End the utterance and return what was heard. ``length`` (bytes) is how much of
        the fed audio the utterance really is; the decoding started at the last pause is
        used when it covered all of that, and thrown away when the speaker went on."""
        audio = bytes(self._audio[: len(self._audio) if length is None else length])
        guess, self._guess = self._guess, None
        if guess is not None and audio and len(audio) <= guess[0]:
            self._claimed = guess[2]  # the next utterance's first pause must not stop it
            self._audio = bytearray()
            self.speculations_used += 1
            return guess[1].result()
        self._audio = bytearray()
        self._wanted = None  # the speaker went on: a decoding under way stops after encoding
        if guess is not None:
            guess[1].cancel()  # and one not started never will
        if not audio:
            return Transcript("", 0.0)
        return self._decode(audio)

    def close(self) -> None:
        """Stop the worker thread."""
        self._worker.shutdown(wait=True)

    def _drop(self) -> None:
        self._audio = bytearray()
        self._guess = None
        self._wanted = None

    def _decode(self, audio: bytes, job: object | None = None) -> Transcript:
        """``job``: the speculation this decoding is, None for one whose result is used."""
        with self._lock:
            self._running = job
            try:
                return self._decode_now(audio[: len(audio) // 2 * 2])
            except _Abandoned:
                self.speculations_abandoned += 1
                return Transcript("", 0.0)
            finally:
                self._running = None

    def _go_on(self) -> None:
        """Raises _Abandoned when the speculation being decoded can no longer be used."""
        running = self._running
        if running is not None and running is not self._wanted and running is not self._claimed:
            raise _Abandoned

    def _decode_now(self, audio: bytes) -> Transcript:
        """Audio longer than one window (25 s) is decoded window by window, each on its
        own features, so that memory stays that of one window whatever the length; a
        window without speech costs only the voice activity check."""
        margin = round(self.settings.margin_seconds * _FRAMES_PER_SECOND)
        seconds = (_FULL_CONTEXT - margin) / _FRAMES_PER_SECOND - self.settings.lead_seconds
        step = round(seconds * RATE) * 2  # bytes per window: with its lead, one window
        heard = [self._decode_window(audio[start : start + step], margin)
                 for start in range(0, len(audio), step)]  # fmt: skip
        kept = [transcript for transcript in heard if transcript.text]
        if not kept:
            return Transcript("", 0.0)
        return Transcript(
            " ".join(transcript.text for transcript in kept),
            min(transcript.confidence for transcript in kept),
            in_domain=all(transcript.in_domain for transcript in kept),
        )

    def _decode_window(self, audio: bytes, margin: int) -> Transcript:
        if not self._vad.may_hold_speech(audio):
            return Transcript("", 0.0)
        samples = np.frombuffer(audio, "<i2").astype(np.float32) / 32768
        lead = np.zeros(round(self.settings.lead_seconds * RATE), dtype=np.float32)
        samples = np.concatenate([lead, samples])
        if self.settings.normalise_level:
            samples = _level(samples)
        features = self._model.feature_extractor(samples)
        return self._transcribe(features[:, : _FULL_CONTEXT - margin], margin)

    def _transcribe(self, features: np.ndarray, margin: int) -> Transcript:
        """One window of at most 30 s, padded with ``margin`` frames (or to 30 s)."""
        import ctranslate2

        frames = features.shape[-1]
        width = _FULL_CONTEXT if self.settings.full_context else -(-(frames + margin) // 100) * 100
        padded = np.zeros((features.shape[0], min(_FULL_CONTEXT, width)), dtype=np.float32)
        padded[:, :frames] = features
        self._go_on()
        encoded = self._model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(padded[None])), to_cpu=False
        )
        budget = MIN_TOKENS + round(TOKENS_PER_SECOND * frames / _FRAMES_PER_SECOND)
        self._go_on()
        tries = [self._generate(encoded, 0.0, budget)]
        for temperature in self.settings.fallback_temperatures:
            if not _suspect(tries[-1]):
                break
            self._go_on()
            tries.append(self._generate(encoded, temperature, budget))
        fluent = [t for t in tries if t.compression <= MAX_COMPRESSION] or tries
        best = tries[-1] if not _suspect(tries[-1]) else max(fluent, key=lambda t: t.logprob)
        return self._transcript(best)

    def _generate(self, encoded: Any, temperature: float, budget: int) -> _Decoded:
        sampling = temperature > 0
        [result] = self._model.model.generate(
            encoded,
            [self._prefix],
            beam_size=1 if sampling else self.settings.beam_size,
            num_hypotheses=1,
            sampling_topk=0 if sampling else 1,
            sampling_temperature=temperature if sampling else 1.0,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
            max_length=min(budget, _MAX_TOKENS) + len(self._prefix),
            length_penalty=1.0,
        )
        tokens = [t for t in result.sequences_ids[0] if t < self._tokenizer.eot]
        text = self._tokenizer.decode(tokens).strip()
        length = len(tokens)
        logprob = result.scores[0] * length / (length + 1) if length else -10.0
        return _Decoded(text, logprob, float(result.no_speech_prob), _compression(text))

    def _transcript(self, result: _Decoded) -> Transcript:
        text = " ".join(collapse_repeats(transcript_text(result.text).split()))
        if not text or result.compression > MAX_COMPRESSION or result.logprob < MIN_KEPT_LOGPROB:
            return Transcript("", 0.0)
        if result.no_speech_prob > NO_SPEECH_PROB and result.logprob < MIN_LOGPROB:
            return Transcript("", 0.0)
        words = _words(text)
        if len(words) >= ECHO_WORDS and f" {' '.join(words)} " in self._prompt_text:
            return Transcript("", 0.0)  # a stretch of the prompt, as on noise: an echo
        confidence = float(np.exp(result.logprob))
        return Transcript(text, confidence, in_domain=result.logprob >= MIN_SURE_LOGPROB)

    def _prompt_tokens(self, prompt: str) -> list[int]:
        tokenizer = self._tokenizer
        start = [tokenizer.sot, tokenizer.language, tokenizer.transcribe, tokenizer.no_timestamps]
        if not prompt:
            return start
        return [tokenizer.sot_prev, *tokenizer.encode(" " + prompt)[-PROMPT_TOKENS:], *start]


class _Abandoned(Exception):
    """A speculative decoding whose result can no longer be used: stop it."""


@dataclass(frozen=True)
class _Decoded:
    """One decoding of one utterance, before it is judged."""

    text: str
    """Whisper's text, with its capitals and punctuation."""
    logprob: float
    """Average log-probability per token."""
    no_speech_prob: float
    """Whisper's probability that there was no speech."""
    compression: float
    """zlib compression ratio of the text; high when it repeats itself."""


def _suspect(result: _Decoded) -> bool:
    return result.compression > MAX_COMPRESSION or result.logprob < MIN_LOGPROB


def _compression(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


PROMPT_TOKENS = 180
"""At most this many tokens of the prompt, its end kept (Whisper takes up to 223): the
prompt of the first pack is 83, with the later packs' medical words 160."""


def domain_prompt(pack: Pack, vocabulary: bool = False) -> str:
    """The initial prompt: how people ask about the pack's condition, in plain words: the
    first pack's topics, its signs and the controls; with ``vocabulary``, the medical words
    of the later packs too (``Pack.vocabulary``)."""
    first = pack.parts[0] if pack.parts else pack
    signs = ", ".join(symptom.name for symptom in first.symptoms)
    topics = ", ".join(section.title for section in first.sections)
    later = pack.parts[1:] if vocabulary else ()
    words = ", ".join(dict.fromkeys(word for part in later for word in part.vocabulary))
    return (
        f"Questions about {pack.name} ({pack.short_name.replace(' ', '')}): {topics}. "
        + (f"Treatment: {words}. " if words else "")
        + f"Signs: {signs}. Stop, repeat, more, faster, slower, louder, softer, help."
    )


_NOT_WORD = re.compile(r"[^a-z0-9'\u2024 ]+")
_DECIMAL = re.compile(r"(\d)\.(\d)")
_GLUED_UNIT = re.compile(r"(\d)\s*°?([cf])\b")


def transcript_text(text: str) -> str:
    """Whisper's text as allvoice's transcripts are: lower case, words only."""
    lowered = _DECIMAL.sub("\\1\u2024\\2", text.lower().replace("\u2019", "'"))
    lowered = _GLUED_UNIT.sub("\\1 \\2", lowered)  # "100.4F": 100.4 f, a temperature
    words = _NOT_WORD.sub(" ", lowered).replace(" '", " ").replace("\u2024", ".")
    return " ".join(words.split())  # 38.2 keeps its point: a temperature


def collapse_repeats(words: list[str], shortest: int = 3) -> list[str]:
    """A phrase of ``shortest`` words or more said twice in a row, kept once: Whisper
    given less than its 30 s window sometimes writes an utterance again to fill it."""
    for size in range(len(words) // 2, shortest - 1, -1):
        for start in range(len(words) - 2 * size + 1):
            if words[start : start + size] == words[start + size : start + 2 * size]:
                kept = words[: start + size] + words[start + 2 * size :]
                return collapse_repeats(kept, shortest)
    return words


def _words(text: str) -> list[str]:
    return spoken_form(text).split()


def _level(samples: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if 0.0 < peak < _PEAK:
        return samples * (_PEAK / peak)
    return samples


class _VoiceDetector:
    """Voiced time in an utterance, by the WebRTC detector (pocketsphinx's ``Vad``)."""

    def __init__(self) -> None:
        from pocketsphinx import Vad

        self._new: Callable[[], Any] = lambda: Vad(2)
        self._frame: int = self._new().frame_bytes

    def voiced_seconds(self, audio: bytes) -> tuple[float, float]:
        """Voiced time in all, and the longest voiced stretch without a break, in seconds.
        A fresh detector each time: the WebRTC detector adapts to what it heard before,
        and an utterance is judged on its own."""
        vad = self._new()
        frames = range(0, len(audio) - self._frame + 1, self._frame)
        voiced = longest = run = 0
        for start in frames:
            if vad.is_speech(audio[start : start + self._frame]):
                voiced, run = voiced + 1, run + 1
                longest = max(longest, run)
            else:
                run = 0
        length: float = vad.frame_length
        return voiced * length, longest * length

    def may_hold_speech(self, audio: bytes) -> bool:
        """Enough voiced time, a stretch as long as a syllable, and a level that rises and
        falls as speech does: worth decoding."""
        if level_spread_db(audio) < MIN_LEVEL_SPREAD_DB:
            return False
        voiced, longest = self.voiced_seconds(audio)
        return voiced >= MIN_SPEECH_SECONDS and longest >= MIN_VOICED_RUN_SECONDS


def level_spread_db(audio: bytes, frame: int = 480) -> float:
    """How far the loudest 30 ms frames (99th percentile) lie above the median frame, in dB."""
    samples = np.frombuffer(audio[: len(audio) // 2 * 2], "<i2").astype(np.float64)
    count = len(samples) // frame
    if count < 2:
        return 0.0
    power = np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1)
    decibels = 10 * np.log10(power + 1.0)
    return float(np.percentile(decibels, 99) - np.percentile(decibels, 50))


_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_RETURN_ABOVE = 1 << 20


def return_freed_memory() -> None:
    """Have the C allocator give memory back to the system as soon as it is freed (every
    block of 1 MB or more has its own mapping, and the heap is trimmed past 1 MB free).

    By default glibc raises its mapping threshold after each large block is freed, so the
    encoder's tens of megabytes per utterance then come from the heap, and the heap keeps
    what it had: ``--listen-file`` on two minutes of speech peaked at 458 MB instead of
    349 MB. It costs a little time (pages mapped afresh per utterance); elsewhere than
    glibc this does nothing."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_TRIM_THRESHOLD, _RETURN_ABOVE)
        libc.mallopt(_M_MMAP_THRESHOLD, _RETURN_ABOVE)
    except (OSError, AttributeError):
        return


def _load(folder: Path, threads: int) -> Any:
    from faster_whisper import WhisperModel

    return_freed_memory()

    try:
        return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
    except (RuntimeError, ValueError, OSError) as error:
        raise DeviceError(
            f"The Whisper model in {folder} could not be loaded ({error}): delete that folder "
            "to have it assembled again, or choose --asr pocketsphinx."
        ) from None


def _tokenizer(model: Any) -> Any:
    from faster_whisper.tokenizer import Tokenizer

    return Tokenizer(model.hf_tokenizer, multilingual=True, task="transcribe", language="en")
