"""Picking the concrete audio adapters for the command line, with fallbacks.

A missing device or engine gives one sentence on standard error and a fallback (text
instead of sound), never a traceback. Only ``commands`` uses this module.
"""

from __future__ import annotations

import os
import select
import sys
import termios
import threading
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from allvoice.app.settings import Settings
from allvoice.app.voice import TurnPauses
from allvoice.errors import DeviceError
from allvoice.ports import Recognizer, Speaker, Voice
from allvoice.speech.audio import earcons
from allvoice.speech.audio.bargein import StopListener
from allvoice.speech.audio.endpointer import EndpointerSettings, SpeechSink, TurnWords
from allvoice.speech.audio.microphone import FileListener, MicrophoneListener
from allvoice.speech.audio.player import Player
from allvoice.speech.tts.speaker import AudioSpeaker, WavFileSpeaker
from allvoice.speech.tts.synthesizer import Synthesizer
from allvoice.understanding import Model, understand

Listener = FileListener | MicrophoneListener


def base_voice(user: Settings) -> Voice:
    """The user's voice settings as a ``Voice``."""
    return Voice(rate=user.rate, volume=user.volume, voice=user.voice, pitch=user.pitch)


def make_speaker(speak_to: Path | None, user: Settings, quiet: bool = False) -> Speaker | None:
    """A WAV-file speaker, the sound card, or None (text only) when neither can be used.
    Without a synthesizer (espeak-ng missing) replies are text, with one sentence that
    says so, even with ``--speak-to``: the answers are not lost."""
    try:
        if speak_to is not None:
            try:
                synthesizer = Synthesizer()
            except DeviceError as error:
                print(f"allvoice: {error} Replies are shown as text only.", file=sys.stderr)
                return None
            return WavFileSpeaker(speak_to, synthesizer)
        if not Player.is_available():
            raise DeviceError("No audio output was found; replies are shown as text.")
        return AudioSpeaker(Synthesizer(), Player.open())
    except DeviceError as error:
        if speak_to is not None:
            raise
        if not quiet:
            print(f"allvoice: {error}", file=sys.stderr)
        return None


def make_listener(
    listen_file: Path | None,
    mic: int | None,
    user: Settings,
    speaker: Speaker | None = None,
    sink: SpeechSink | None = None,
    while_muted: Callable[[bytes], None] | None = None,
    words: TurnWords | None = None,
) -> Listener:
    """A recording (``--listen-file``) or the microphone; DeviceError when there is none.
    The microphone is muted while the speaker talks, so allvoice never answers itself.
    ``sink`` (a ``StreamingRecognizer``) decodes each utterance while it is spoken;
    ``while_muted`` (a ``StopListener``'s feed) gets what is heard while allvoice speaks;
    ``words`` (``voice.HeardWords``) lets the words heard at a pause decide how long it is."""
    pauses = EndpointerSettings(pause_seconds=user.pause)
    if listen_file is not None:
        if not listen_file.is_file():
            raise DeviceError(f"{listen_file}: no such recording.")
        return FileListener(listen_file, replace(pauses, wait_for_words=True), sink, words)
    endpointing = replace(pauses, no_input_seconds=user.timeout, keep_listening=True)
    if isinstance(speaker, AudioSpeaker):
        talking = speaker
        return MicrophoneListener(
            mic, endpointing, muted=lambda: talking.is_speaking, sink=sink,
            while_muted=while_muted, words=words,
        )  # fmt: skip
    return MicrophoneListener(mic, endpointing, sink=sink, words=words)


def turn_pauses(user: Settings) -> TurnPauses:
    """The user's pauses for a turn's words, kept in order around their ``pause``."""
    pauses = TurnPauses(user.pause_finished, user.pause_report, user.pause_unfinished)
    return pauses.bounded(user.pause)


def make_stop_listener(
    user: Settings, speaker: Speaker | None, recognizer: Callable[[], Recognizer], model: Model
) -> StopListener | None:
    """With ``headphones`` on and a speaker that talks aloud, a ``StopListener`` that stops
    the speech when the user says stop over it; None otherwise (the microphone is muted)."""
    if not user.headphones or not isinstance(speaker, AudioSpeaker):
        return None
    return StopListener(
        recognizer(), lambda text: understand(text, model).intent == "stop", speaker.stop
    )


def earcon(speaker: Speaker | None, user: Settings) -> Callable[[], None]:
    """What to do when listening starts: a short rising tone, if there is a sound card."""
    if not user.earcons or not isinstance(speaker, AudioSpeaker):
        return lambda: None
    return lambda: speaker.play_chunk(earcons.listening())


STOP_KEYS = (b" ", b"\n", b"\r")
"""Keys that stop the speech: Space or Enter."""


@contextmanager
def stop_on_key(speaker: Speaker | None, enabled: bool = True) -> Iterator[None]:
    """While allvoice speaks, Space or Enter on the keyboard stops the speech at once.

    The terminal is put in cbreak mode (keys arrive one by one and are not echoed) and
    restored on the way out, whatever happens; where that is not possible (not a
    terminal that supports it) Enter still works, a line at a time."""
    if speaker is None or not enabled or not sys.stdin.isatty():
        yield
        return
    fd = sys.stdin.fileno()
    try:
        saved: list[Any] | None = termios.tcgetattr(fd)
        tty.setcbreak(fd)
    except termios.error:
        saved = None
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            key = os.read(fd, 1)
            if not key:
                return  # end of input
            if key in STOP_KEYS:
                speaker.stop()

    watcher = threading.Thread(target=watch, daemon=True, name="stop-on-key")
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join(timeout=0.5)
        if saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
