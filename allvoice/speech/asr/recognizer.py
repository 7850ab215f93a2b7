"""Speech to text: the one place an engine is chosen.

``make_recognizer(engine, model_dir, pack)`` gives the recognizer for ``--asr ENGINE``:
Whisper (the default, ``whisper.py``), PocketSphinx with the pack's own language model or
its stock general model (``pocketsphinx.py``), or a Vosk model (``vosk.py``). Each engine
is an ``IncrementalRecognizer`` (``streaming.py``) and checks its input with
``allvoice.speech.audio.format.check_format``; none of them imports this module.
``stop_recognizer`` picks the engine of the headphones "stop" listener.
"""

from __future__ import annotations

from pathlib import Path

from allvoice.content.pack import Pack
from allvoice.errors import DeviceError
from allvoice.speech.asr.corpus import corpus_sentences
from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
from allvoice.speech.asr.streaming import IncrementalRecognizer
from allvoice.speech.asr.vosk import VoskRecognizer

__all__ = ["DEFAULT_ENGINE", "ENGINES", "make_recognizer", "stop_recognizer"]

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
