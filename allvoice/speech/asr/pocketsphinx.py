"""PocketSphinx with the pack's own language model: for small machines, and the "stop" listener.

``PocketSphinxRecognizer`` keeps one decoder for the whole session, built on the domain
model of ``allvoice.speech.asr.lm``; ``general=True`` loads the stock US English model
instead, for comparison. Audio can be decoded whole (``recognize``) or as it arrives
(``feed`` each block, then ``finish``).

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

(This module shares its name with the engine's package; ``import pocketsphinx`` below is
absolute, so it is the engine's.)
"""

from __future__ import annotations

import array
import math
import os
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pocketsphinx

from allvoice.content.pack import Pack
from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.asr.lexicon import REFERENCE_DICTIONARY
from allvoice.speech.asr.lm import DomainModel, domain_model
from allvoice.speech.audio.format import RATE, check_format

MIN_POSTERIOR = 3e-5
"""Below this posterior probability the speech is taken to be outside the domain."""
MIN_POSTERIOR_IN_NOISE = 1e-6
"""The same for noisy speech, whose posteriors are lower however well it fits."""
NOISY_BELOW_DB = 30.0
"""Speech with a signal-to-noise ratio under this is taken as noisy."""
_CONFIDENCE_FLOOR = MIN_POSTERIOR**2
"""Posterior mapped to confidence 0.0; 1.0 maps to 1.0 and MIN_POSTERIOR to 0.5, log-linearly."""

_ACOUSTIC_MODEL = Path(pocketsphinx.get_model_path("en-us/en-us"))
_GENERAL_LM = Path(pocketsphinx.get_model_path("en-us/en-us.lm.bin"))


class PocketSphinxRecognizer:
    """PocketSphinx with the domain model (or the stock general one); one decoder."""

    engine = "pocketsphinx"
    """The engine's name, as ``--asr`` and the spoken ``--json`` output give it."""

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
            lm_path, dict_path = _GENERAL_LM, REFERENCE_DICTIONARY
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
