"""A local Vosk (Kaldi) model, for users who have one: ``--asr vosk --asr-model DIR``.

Vosk is an optional extra (``pip install 'allvoice[vosk]'``), imported when the adapter
is made. Its vocabulary is general English, so whether speech fits the domain is judged
by the share of heard words that the pack's corpus uses (``MIN_COVERAGE``).
"""

from __future__ import annotations

import json
from pathlib import Path

from allvoice.errors import DeviceError
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.audio.format import RATE, check_format

MIN_COVERAGE = 0.6
"""Share of heard words that must be the corpus's words for speech to count as in the domain."""


class VoskRecognizer:
    """A local Vosk (Kaldi) model, for users who have one: ``--asr vosk --asr-model DIR``."""

    engine = "vosk"
    """The engine's name, as ``--asr`` and the spoken ``--json`` output give it."""

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
