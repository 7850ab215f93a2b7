"""Text to speech audio, one sentence at a time, as AudioChunks that ``Player`` can stop.

Speech comes from pyttsx3, in one of two ways behind ``Synthesizer``:

* ``espeak``: pyttsx3's own ctypes binding of libespeak-ng (``pyttsx3.drivers._espeak``),
  with espeak started in its synchronous mode (``AUDIO_OUTPUT_SYNCHRONOUS``): ``Synth``
  renders in the calling thread and returns when the audio is complete, settings apply at
  once, and no temporary files are written. Chosen whenever that binding can load
  libespeak-ng, which is the Linux case.
* ``pyttsx3``: the pyttsx3 ``Engine`` with its platform driver, for Windows (SAPI5) and
  macOS (NSSpeechSynthesizer), rendering with ``save_to_file`` into a private temporary
  directory that is removed at once.

Why not the pyttsx3 ``Engine`` on Linux: its 2.99 espeak driver (``drivers/espeak.py``)
starts espeak asynchronously and (1) lets ``runAndWait()`` return before ``save_to_file``
has written the file, (2) loses rate and volume changes, because ``runAndWait`` calls
``espeak_Cancel`` while the new settings still wait in espeak's queue (17 of 40
alternating-rate renders came out at the wrong rate), and (3) prints "Audio saved to ..."
on stdout. ``say()`` plays through ``aplay`` and cannot be stopped. The binding underneath
the driver has none of these problems when espeak runs synchronously.

libespeak-ng is one engine per process: do not use both engines in one process on Linux,
as the pyttsx3 espeak driver would start espeak again in its own mode.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from allvoice.errors import AudioError, DeviceError
from allvoice.ports import RATE_MAX, RATE_MIN, AudioChunk, Voice
from allvoice.speech.audio.wavfile import read_wav, silence, to_pipeline_format

_MISSING = "espeak-ng is not installed; install it with `sudo apt-get install espeak-ng`."
_NO_PYTTSX3 = "pyttsx3 is not installed; run `pip install pyttsx3`."
# A sentence ends at . ! ? (maybe followed by a closing quote or bracket) and white space,
# unless the next word starts in lower case, as after "e.g."; a line break always ends one.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[^a-z\s])|\s*\n\s*")


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the speech engine offers."""

    id: str
    """What to put in ``Voice.voice``, e.g. "gmw/en-us"."""
    name: str
    """A readable name, e.g. "English_(America)"."""
    languages: tuple[str, ...]
    """Language codes the voice speaks, e.g. ("en-us",)."""


class _Engine(Protocol):
    """What ``Synthesizer`` needs from a speech engine."""

    def render(self, text: str, voice: Voice) -> AudioChunk:
        """Speech for ``text`` in the engine's own format."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The installed voices."""
        ...


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, without empty ones."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def clamp_rate(rate: int) -> int:
    """A speaking rate within what espeak-ng can do (80 to 450 words per minute)."""
    return max(RATE_MIN, min(RATE_MAX, rate))


class Synthesizer:
    """Renders text to 16 kHz, 16-bit mono speech."""

    def __init__(self, engine: str = "auto") -> None:
        """``engine`` is "auto", "espeak" or "pyttsx3"; DeviceError if it cannot start."""
        if engine == "pyttsx3" or (engine == "auto" and not _Espeak.installed()):
            self._engine: _Engine = _Pyttsx3()
        else:
            self._engine = _Espeak.shared()

    def list_voices(self) -> list[VoiceInfo]:
        """The installed voices, in the engine's order."""
        return self._engine.voices()

    def synthesize(self, text: str, voice: Voice) -> Iterator[AudioChunk]:
        """Yield one chunk per sentence; each is rendered only when asked for."""
        for sentence in split_sentences(text):
            yield self.render(sentence, voice)

    def render(self, text: str, voice: Voice) -> AudioChunk:
        """Render ``text`` in one piece; empty audio if there is nothing to say."""
        if not any(char.isalnum() for char in text):
            return silence(0.0)
        return to_pipeline_format(self._engine.render(text, voice))


class _Espeak:
    """libespeak-ng through pyttsx3's binding, in synchronous mode; one per process."""

    _shared: ClassVar[_Espeak | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()
    _DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: report errors, never exit(); not in pyttsx3

    @staticmethod
    def installed() -> bool:
        """True when pyttsx3's binding can load the espeak-ng library."""
        try:
            _binding()
        except DeviceError:
            return False
        return True

    @classmethod
    def shared(cls) -> _Espeak:
        """The process's engine, started on first use."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def __init__(self) -> None:
        self._espeak = _binding()
        espeak = self._espeak
        self.rate = int(
            espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, 200, None, self._DONT_EXIT)
        )
        if self.rate <= 0:
            raise DeviceError(
                "espeak-ng cannot find its voice data; reinstall it with "
                "`sudo apt-get install --reinstall espeak-ng-data`."
            )
        self._pieces: list[bytes] = []
        espeak.SetSynthCallback(self._collect)  # the binding keeps the ctypes callback alive

    def render(self, text: str, voice: Voice) -> AudioChunk:
        espeak = self._espeak
        with self._lock:
            self._apply(voice)
            self._pieces = []
            # Synchronous mode: Synth returns once the callback has had all the audio.
            status = espeak.Synth(text.encode("utf-8"), flags=espeak.CHARS_UTF8 | espeak.ENDPAUSE)
            audio = b"".join(self._pieces)
        if status != espeak.EE_OK:
            raise DeviceError(f"espeak-ng failed to speak (error {status}); try --text.")
        return AudioChunk(self.rate, 2, 1, audio)

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            # The structures point into espeak's own list, valid until the next listing.
            return [_voice_info(voice) for voice in self._espeak.ListVoices(None)]

    def _apply(self, voice: Voice) -> None:
        espeak = self._espeak
        name = (voice.voice or "en").encode("utf-8")
        if espeak.SetVoiceByName(name) != espeak.EE_OK:
            raise DeviceError(f"The voice {voice.voice!r} is not installed; choose another voice.")
        espeak.SetParameter(espeak.RATE, clamp_rate(voice.rate), 0)
        volume = round(100 * max(0.0, min(1.0, voice.volume)))
        espeak.SetParameter(espeak.VOLUME, volume, 0)
        espeak.SetParameter(espeak.PITCH, max(0, min(99, voice.pitch)), 0)

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if wav and count > 0:
            self._pieces.append(ctypes.string_at(wav, 2 * count))
        return 0  # 0 = go on


def _binding() -> Any:
    """pyttsx3's ctypes binding of libespeak-ng, which loads the library on first import."""
    try:
        # Looked up in sys.modules each time, so a failed load is retried, not remembered.
        return importlib.import_module("pyttsx3.drivers._espeak")
    except ImportError as error:
        raise DeviceError(_NO_PYTTSX3) from error
    except (OSError, RuntimeError) as error:  # RuntimeError: no libespeak-ng on its paths
        raise DeviceError(_MISSING) from error


def _voice_info(voice: Any) -> VoiceInfo:
    """espeak lists languages as (priority byte, name, NUL) repeated, ended by a zero byte."""
    # pyttsx3 declares the field as char*, which stops at the first NUL; read its address.
    field = type(voice).languages
    address = ctypes.c_void_p.from_address(ctypes.addressof(voice) + field.offset).value
    languages: list[str] = []
    while address and ctypes.string_at(address, 1) != b"\0":
        language = ctypes.string_at(address + 1)
        languages.append(language.decode("utf-8", "replace"))
        address += len(language) + 2
    name = (voice.name or b"").decode("utf-8", "replace")
    identifier = (voice.identifier or b"").decode("utf-8", "replace")
    return VoiceInfo(identifier, name, tuple(languages))


class _Pyttsx3:
    """pyttsx3 with its platform driver (SAPI5, NSSpeechSynthesizer), via ``save_to_file``."""

    def __init__(self) -> None:
        try:
            import pyttsx3

            self._engine: Any = pyttsx3.init()
        except ImportError as error:
            raise DeviceError(_NO_PYTTSX3) from error
        except (OSError, RuntimeError) as error:  # no driver library, e.g. no libespeak-ng
            raise DeviceError(_MISSING) from error
        module = sys.modules.get(f"pyttsx3.drivers.{self._engine}")
        if module is not None:
            vars(module)["print"] = _discard  # the espeak driver prints each saved file
        self._default_voice = str(self._engine.getProperty("voice") or "")
        self._finished = threading.Event()
        self._engine.connect("finished-utterance", lambda **_: self._finished.set())
        self._lock = threading.Lock()

    def render(self, text: str, voice: Voice) -> AudioChunk:
        with self._lock, tempfile.TemporaryDirectory(prefix="allvoice-tts-") as folder:
            path = os.path.join(folder, "speech.wav")
            self._finished.clear()
            self._engine.setProperty("voice", voice.voice or self._default_voice)
            self._engine.setProperty("rate", clamp_rate(voice.rate))
            self._engine.setProperty("volume", max(0.0, min(1.0, voice.volume)))
            self._engine.save_to_file(text, path)
            self._engine.runAndWait()
            # Drivers that write from another thread notify when done; others finish inside.
            self._finished.wait(20.0 if str(self._engine) == "espeak" else 0.0)
            try:
                return read_wav(path)
            except AudioError as error:
                raise DeviceError(f"The speech engine wrote no usable audio ({error}).") from error

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            voices = self._engine.getProperty("voices") or []
        return [
            VoiceInfo(str(v.id), str(v.name), tuple(str(lang) for lang in v.languages or ()))
            for v in voices
        ]


def _discard(*args: object, **kwargs: object) -> None:
    """Accept and drop what a library meant to print."""
