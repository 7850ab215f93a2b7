"""Speech to text: Whisper (the default, ``allvoice.speech.asr.whisper``), PocketSphinx with
the pack's own language model, or a Vosk model.

``make_recognizer(engine, model_dir, pack)`` is the one place an engine is chosen.
``PocketSphinxRecognizer`` (for small machines, and the "stop" listener) keeps one
decoder for the whole session, built on the domain model of ``allvoice.speech.asr.lm``;
``general=True`` loads the stock US English model instead, for comparison. Audio can be
decoded whole (``recognize``) or as it arrives (``feed`` each block, then ``finish``).

Speech that does not fit the domain comes out as ``Transcript(in_domain=False)`` rather
than as the nearest question. The test is the posterior probability of the best
hypothesis (``hyp().prob``): below 3e-5 (1e-6 for noisy speech, under 30 dB SNR from
frame energies, whose posteriors are lower however well it fits) the speech is doubted.
On ``benchmarks.devset`` (2026-11-25) that flags 59% of unrelated sentences and 18% of
correctly understood questions; what voice mode then makes of doubted speech is
``understand.under_doubt`` (a question is offered back for a yes, not dropped). Lower
bars traded one for the other on that set: at 1e-7 in-scope accuracy rose 5 points and
unrelated sentences turned away fell 16. Alternatives did no better on an earlier
development set: the acoustic score per frame against a phone-loop pass, and general
English "garbage" words in the model (1.6 points of intent accuracy lost).

Audio gets faint fixed dither before decoding: the digital silence of synthetic or
trimmed recordings otherwise upsets the feature normalisation (key words heard in 29
questions by 5 voices: 78% without, 90% with).
"""

from __future__ import annotations

import array
import json
import math
import os
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pocketsphinx

from allvoice.content.pack import Pack
from allvoice.errors import AudioError, DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr.corpus import corpus_sentences
from allvoice.speech.asr.lm import DomainModel, domain_model

RATE = 16_000
MIN_POSTERIOR = 3e-5
"""Below this posterior probability the speech is taken to be outside the domain."""
MIN_POSTERIOR_IN_NOISE = 1e-6
"""The same for noisy speech, whose posteriors are lower however well it fits."""
NOISY_BELOW_DB = 30.0
"""Speech with a signal-to-noise ratio under this is taken as noisy."""
_CONFIDENCE_FLOOR = MIN_POSTERIOR**2
"""Posterior mapped to confidence 0.0; 1.0 maps to 1.0 and MIN_POSTERIOR to 0.5, log-linearly."""
MIN_COVERAGE = 0.6
"""For large-vocabulary engines: share of heard words that must be domain words."""

_ACOUSTIC_MODEL = Path(pocketsphinx.get_model_path("en-us/en-us"))
_GENERAL_LM = Path(pocketsphinx.get_model_path("en-us/en-us.lm.bin"))
_GENERAL_DICT = Path(pocketsphinx.get_model_path("en-us/cmudict-en-us.dict"))


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


class PocketSphinxRecognizer:
    """PocketSphinx with the domain model (or the stock general one); one decoder."""

    def __init__(
        self,
        pack: Pack | None = None,
        *,
        general: bool = False,
        cache_dir: Path | None = None,
        acoustic_model: Path | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """``settings``: PocketSphinx decoder settings to change, for trying them out
        (``benchmarks.devset``); those of the acoustic model's feat.params too."""
        self.model: DomainModel | None = None
        """The domain model in use; None for the general model."""
        if general:
            lm_path, dict_path = _GENERAL_LM, _GENERAL_DICT
        elif pack is None:
            raise ValueError("the domain model needs a content pack (or pass general=True)")
        else:
            self.model = domain_model(pack, cache_dir)
            lm_path, dict_path = self.model.lm_path, self.model.dict_path
        self._decoder = _open_decoder(acoustic_model or _ACOUSTIC_MODEL, lm_path, dict_path)
        if settings:
            config = self._decoder.config
            for key, value in settings.items():
                config[key] = value
            self._decoder.reinit_feat(config)  # feat.params would otherwise win
        self._dither = _Dither()
        self._level = _LevelMeter()
        self._in_utterance = False

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """Decode a whole utterance; it must be 16 kHz, 16-bit, mono."""
        check_format(utterance)
        if self._in_utterance:  # a fed utterance left unfinished is dropped
            self._decoder.end_utt()
            self._in_utterance = False
        self._start()
        self._decoder.process_raw(self._listen(utterance.audio), full_utt=True)
        return self.finish()

    def feed(self, frames: bytes) -> None:
        """Decode the next block of the current utterance (starts one if needed)."""
        self._start()
        self._decoder.process_raw(self._listen(frames))

    def finish(self) -> Transcript:
        """End the utterance; an utterance with no words gives an empty transcript."""
        if not self._in_utterance:
            return Transcript("", 0.0)
        self._decoder.end_utt()
        self._in_utterance = False
        hypothesis = self._decoder.hyp()
        text = " ".join(hypothesis.hypstr.split()) if hypothesis else ""
        if not text:
            return Transcript("", 0.0)
        posterior = float(hypothesis.prob)
        noisy = self._level.snr_db() < NOISY_BELOW_DB
        threshold = MIN_POSTERIOR_IN_NOISE if noisy else MIN_POSTERIOR
        return Transcript(text, _confidence(posterior), in_domain=posterior >= threshold)

    def _start(self) -> None:
        if not self._in_utterance:
            self._dither.reset()
            self._level = _LevelMeter()
            self._decoder.start_utt()
            self._in_utterance = True

    def _listen(self, frames: bytes) -> bytes:
        samples = self._dither(frames)
        self._level.add(samples)
        return samples


def _open_decoder(hmm: Path, lm: Path, dictionary: Path) -> Any:
    for path in (hmm, lm, dictionary):
        if not path.exists():
            raise DeviceError(f"PocketSphinx model file {path} is missing: reinstall pocketsphinx.")
    try:
        return pocketsphinx.Decoder(
            hmm=str(hmm), lm=str(lm), dict=str(dictionary), loglevel="FATAL", logfn=os.devnull
        )
    except (RuntimeError, ValueError) as error:
        raise DeviceError(f"PocketSphinx could not load its model from {hmm}: {error}.") from None


def _confidence(posterior: float) -> float:
    if posterior <= _CONFIDENCE_FLOOR:
        return 0.0
    return min(1.0, math.log(posterior / _CONFIDENCE_FLOOR) / -math.log(_CONFIDENCE_FLOOR))


def check_format(chunk: AudioChunk) -> None:
    """AudioError unless ``chunk`` is 16 kHz, 16-bit, mono, as every engine needs."""
    if (chunk.rate, chunk.width, chunk.channels) != (RATE, 2, 1):
        raise AudioError(
            f"The recognizer needs 16 kHz 16-bit mono audio, not {chunk.rate} Hz, "
            f"{chunk.width * 8}-bit, {chunk.channels} channel(s): convert it first "
            "(allvoice.speech.audio.wavfile.read_wav does)."
        )


class _Dither:
    """Adds faint fixed noise (about -60 dBFS) to the samples, repeating every second."""

    def __init__(self, level: float = 30.0, seed: int = 7) -> None:
        rng = random.Random(seed)
        self._noise = array.array(
            "h", (max(-90, min(90, round(rng.gauss(0, level)))) for _ in range(RATE))
        )
        self._position = 0

    def reset(self) -> None:
        self._position = 0

    def __call__(self, frames: bytes) -> bytes:
        samples = array.array("h", frames[: len(frames) // 2 * 2])
        count, start = len(samples), self._position
        repeats = (start + count) // len(self._noise) + 1
        noise = (self._noise * repeats)[start : start + count]
        self._position = (start + count) % len(self._noise)
        mixed = array.array(
            "h", (s + n if -32600 < s < 32600 else s for s, n in zip(samples, noise, strict=True))
        )
        return mixed.tobytes()


class _LevelMeter:
    """Frame energies of an utterance, for a rough signal-to-noise ratio."""

    FRAME = 320  # 20 ms

    def __init__(self) -> None:
        self._energies: list[float] = []

    def add(self, frames: bytes) -> None:
        samples = array.array("h", frames)
        for start in range(0, len(samples) - self.FRAME // 2, self.FRAME):
            window = samples[start : start + self.FRAME : 4]  # every 4th sample is plenty
            self._energies.append(sum(s * s for s in window) / len(window) + 1.0)

    def snr_db(self) -> float:
        """Loud frames (90th percentile) against quiet ones (10th): speech against noise."""
        if len(self._energies) < 10:
            return 99.0
        ranked = sorted(self._energies)
        return 10 * math.log10(ranked[len(ranked) * 9 // 10] / ranked[len(ranked) // 10])


class VoskRecognizer:
    """A local Vosk (Kaldi) model, for users who have one: ``--asr vosk --asr-model DIR``."""

    def __init__(self, model_dir: Path, vocabulary: frozenset[str] = frozenset()) -> None:
        try:
            import vosk
        except ImportError:
            raise DeviceError(
                "The Vosk engine is not installed: run pip install 'allvoice[vosk]', "
                "or use the default engine (--asr pocketsphinx)."
            ) from None
        if not (model_dir / "am").is_dir() and not (model_dir / "conf").is_dir():
            raise DeviceError(
                f"{model_dir} is not a Vosk model folder (it has no am/ or conf/): "
                "unpack a model from the Vosk models page and pass its folder to --asr-model."
            )
        vosk.SetLogLevel(-1)
        try:
            model = vosk.Model(str(model_dir))
        except Exception as error:  # vosk raises a bare Exception for a bad model
            raise DeviceError(f"Vosk could not load the model in {model_dir}: {error}.") from None
        self._recognizer = vosk.KaldiRecognizer(model, RATE)
        self._recognizer.SetWords(True)
        self._vocabulary = vocabulary
        self._in_utterance = False

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """Decode a whole utterance; it must be 16 kHz, 16-bit, mono."""
        check_format(utterance)
        self.feed(utterance.audio)
        return self.finish()

    def feed(self, frames: bytes) -> None:
        """Decode the next block of the current utterance."""
        self._recognizer.AcceptWaveform(frames)
        self._in_utterance = True

    def finish(self) -> Transcript:
        """End the utterance; the in-domain test is the share of words the pack uses."""
        if not self._in_utterance:
            return Transcript("", 0.0)
        self._in_utterance = False
        result = json.loads(self._recognizer.FinalResult())
        words = [str(item.get("word", "")) for item in result.get("result", [])]
        text = " ".join(str(result.get("text", "")).split())
        if not text:
            return Transcript("", 0.0)
        scores = [float(item.get("conf", 0.0)) for item in result.get("result", [])]
        confidence = sum(scores) / len(scores) if scores else 0.0
        return Transcript(text, confidence, in_domain=self._covered(words or text.split()))

    def _covered(self, words: list[str]) -> bool:
        if not self._vocabulary:
            return True
        return sum(word in self._vocabulary for word in words) >= MIN_COVERAGE * len(words)


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

    def recognize(self, utterance: AudioChunk) -> Transcript:
        """The transcript of the utterance just fed, or of ``utterance`` decoded whole."""
        if self._fed:
            self._fed = False
            if self._speculative is not None:
                return self._speculative.finish(len(utterance.audio))
            return self._engine.finish()
        return self._engine.recognize(utterance)


ENGINES = ("whisper", "pocketsphinx", "pocketsphinx-general", "vosk")
DEFAULT_ENGINE = "whisper"


def make_recognizer(engine: str, model_dir: Path | None, pack: Pack) -> IncrementalRecognizer:
    """The recognizer for ``--asr ENGINE [--asr-model DIR]``; DeviceError if unusable."""
    if engine == "whisper":
        from allvoice.speech.asr.whisper import WhisperRecognizer  # its libraries load only here

        return WhisperRecognizer(pack, model_dir=model_dir)
    if engine == "pocketsphinx":
        return PocketSphinxRecognizer(pack, acoustic_model=model_dir)
    if engine == "pocketsphinx-general":
        return PocketSphinxRecognizer(general=True, acoustic_model=model_dir)
    if engine == "vosk":
        if model_dir is None:
            raise DeviceError("--asr vosk needs the model folder too: --asr-model DIR.")
        vocabulary = frozenset(w for sentence in corpus_sentences(pack) for w in sentence.split())
        return VoskRecognizer(model_dir, vocabulary)
    raise DeviceError(f"Unknown speech engine {engine!r}: choose one of {', '.join(ENGINES)}.")


def stop_recognizer(engine: str, model_dir: Path | None, pack: Pack) -> IncrementalRecognizer:
    """The recognizer of the headphones "stop" listener: PocketSphinx with the domain model
    when the main one is Whisper (small, quick on one word, and no second Whisper model in
    memory); the main engine otherwise."""
    if engine == "whisper":
        return PocketSphinxRecognizer(pack)
    return make_recognizer(engine, model_dir, pack)


def chunk_from_audio_data(audio: Any) -> AudioChunk:
    """A SpeechRecognition ``AudioData`` (microphone or ``sr.AudioFile``) as an AudioChunk."""
    raw = audio.get_raw_data(convert_rate=RATE, convert_width=2)
    return AudioChunk(rate=RATE, width=2, channels=1, audio=bytes(raw))
