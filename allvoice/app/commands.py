"""What each command does, given its parsed arguments: a conversation (text or voice
mode), ask, settings, devices. Each returns the exit status.

Errors are left to ``cli.main``, which prints them in one line; only the fallbacks (no
microphone: text mode; Whisper missing: PocketSphinx) are handled here, with one sentence
on standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from allvoice.app import settings, textio, voice, wiring
from allvoice.app.recorded import first_question
from allvoice.app.summary_file import SummaryKeeper
from allvoice.app.transcript import TranscriptWriter
from allvoice.content.library import load_content
from allvoice.content.pack import Pack
from allvoice.conversation import phrasing
from allvoice.conversation.session import Conversation
from allvoice.errors import AudioError, DeviceError, SettingsError
from allvoice.ports import Speaker
from allvoice.speech.asr.recognizer import (
    DEFAULT_ENGINE,
    ENGINES,
    make_recognizer,
    stop_recognizer,
)
from allvoice.speech.asr.streaming import IncrementalRecognizer, StreamingRecognizer
from allvoice.speech.audio.bargein import StopListener
from allvoice.speech.audio.microphone import MicrophoneListener, list_devices
from allvoice.speech.tts.synthesizer import Synthesizer
from allvoice.understanding import Model, build_model

Command = Callable[[argparse.Namespace], int]
"""A command: the parsed arguments in, the exit status out."""

# --- What every command sets up ---------------------------------------------------------


def _load_settings(path: Path | None) -> settings.Settings:
    """The saved settings, or the defaults when the file is damaged."""
    try:
        return settings.load(path or settings.default_path())
    except SettingsError as error:
        print(f"allvoice: {error}", file=sys.stderr)
        return _DAMAGED


_DAMAGED = settings.Settings()
"""The defaults, used when the file is damaged: a change is then not saved over the file."""


def _conversation(
    pack: Pack,
    model: Model,
    user: settings.Settings,
    transcript: TranscriptWriter | None = None,
    summary_to: Path | None = None,
) -> Conversation:
    conversation = Conversation(
        pack, model, emergency_number=user.emergency_number, crisis_line=user.crisis_line
    )
    if transcript is not None:
        conversation.observers.append(transcript)
    keeper = SummaryKeeper(summary_to)
    conversation.keeper = keeper.save
    conversation.observers.append(keeper)
    conversation.state = replace(conversation.state, rate=user.rate, volume=user.volume)
    return conversation


def _check_engine(engine: str | None) -> None:
    """Only the offline engines can be named; a cloud recognizer is never reachable."""
    if engine is not None and engine not in ENGINES:
        raise DeviceError(f"Unknown speech engine {engine!r}: choose one of {', '.join(ENGINES)}.")


def choose_recognizer(args: argparse.Namespace, pack: Pack) -> IncrementalRecognizer:
    """The engine named by --asr; without it Whisper, or PocketSphinx if Whisper can't load.
    ``args.asr`` is set to the engine chosen (the stop listener follows it)."""
    if args.asr is not None:
        return make_recognizer(args.asr, args.asr_model, pack)
    try:
        args.asr = DEFAULT_ENGINE
        return make_recognizer(DEFAULT_ENGINE, args.asr_model, pack)
    except DeviceError as error:
        print(f"allvoice: {error} Using PocketSphinx meanwhile.", file=sys.stderr)
        args.asr = "pocketsphinx"
        return make_recognizer("pocketsphinx", None, pack)


# --- allvoice [--text]: one conversation, typed or spoken -------------------------------


def run_conversation(args: argparse.Namespace) -> int:
    """``allvoice``: voice mode, or text mode with ``--text`` or when there is no microphone."""
    _check_engine(args.asr)
    pack = load_content(args.content)
    user = _load_settings(args.config)
    transcript = TranscriptWriter(args.transcript) if args.transcript else None
    conversation = _conversation(pack, build_model(pack), user, transcript, args.summary_to)
    try:
        if args.text:
            speaker = wiring.make_speaker(None, user) if args.speak else None
            _converse_by_text(conversation, pack, args.json, speaker, user)
        else:
            _converse_by_voice(conversation, pack, args, user)
    finally:
        _keep_changes(args.config, user, conversation)
        if transcript is not None:
            transcript.close()
    return 0


def _converse_by_text(
    conversation: Conversation,
    pack: Pack,
    as_json: bool,
    speaker: Speaker | None,
    user: settings.Settings,
    welcome: bool = True,
) -> None:
    interactive = sys.stdin.isatty()
    if welcome and not as_json:
        print(phrasing.welcome(pack.name, brief=user.brief), flush=True)
    prompt = textio.PROMPT if interactive and not as_json else ""
    lines = textio.read_lines(sys.stdin, prompt, sys.stdout)
    textio.converse(conversation, lines, sys.stdout, as_json, speaker, wiring.base_voice(user))


def _converse_by_voice(
    conversation: Conversation, pack: Pack, args: argparse.Namespace, user: settings.Settings
) -> None:
    speaker = wiring.make_speaker(args.speak_to, user, quiet=args.json)
    recognizer = StreamingRecognizer(choose_recognizer(args, pack))
    stopper = None
    if args.listen_file is None:
        stopper = wiring.make_stop_listener(
            user,
            speaker,
            lambda: stop_recognizer(args.asr, args.asr_model, pack),
            conversation.model,
        )
    try:
        _listen(conversation, pack, args, user, speaker, recognizer, stopper)
    finally:  # also when there turns out to be no microphone: the stop decoder is let go
        if stopper is not None:
            stopper.close()


def _listen(
    conversation: Conversation,
    pack: Pack,
    args: argparse.Namespace,
    user: settings.Settings,
    speaker: Speaker | None,
    recognizer: StreamingRecognizer,
    stopper: StopListener | None,
) -> None:
    try:
        listener = wiring.make_listener(
            args.listen_file, args.mic, user, speaker, recognizer,
            stopper.feed if stopper else None,
            voice.HeardWords(recognizer, wiring.turn_pauses(user)),
        )  # fmt: skip
    except DeviceError as error:
        if args.listen_file:
            raise
        print(f"allvoice: {error} Using text mode.", file=sys.stderr)
        _converse_by_text(conversation, pack, args.json, speaker, user)
        return
    welcome = phrasing.welcome(pack.name, brief=user.brief)
    if not args.json:
        print(welcome, flush=True)
    if speaker is not None and not args.listen_file:
        speaker.say(welcome, wiring.base_voice(user))
    try:
        with wiring.stop_on_key(speaker, enabled=args.listen_file is None):
            voice.converse_by_voice(
                conversation, listener.timed_utterances(), recognizer, sys.stdout, args.json,
                speaker, wiring.base_voice(user), wiring.earcon(speaker, user),
            )  # fmt: skip
    except DeviceError as error:
        if args.listen_file:
            raise
        # A microphone unplugged or a sound card gone mid-conversation: say so, go on typing.
        print(f"allvoice: {error} Going on in text mode.", file=sys.stderr)
        _converse_by_text(conversation, pack, args.json, None, user, welcome=False)
    finally:
        if isinstance(listener, MicrophoneListener):
            listener.close()


def _keep_changes(path: Path | None, user: settings.Settings, conversation: Conversation) -> None:
    """A spoken change of rate or volume is kept for next time."""
    state = conversation.state
    if (state.rate, state.volume) == (user.rate, user.volume):
        return
    if user is _DAMAGED:
        print(
            "allvoice: the settings file has a problem, so the change was not saved.",
            file=sys.stderr,
        )
        return
    changed = replace(user, rate=state.rate, volume=state.volume)
    settings.save(changed, path or settings.default_path())


# --- allvoice ask: each question in a fresh conversation --------------------------------


def run_ask(args: argparse.Namespace) -> int:
    """``allvoice ask``: typed questions (arguments or standard input) or ``--wav`` files."""
    _check_engine(args.asr)
    pack = load_content(args.content)
    user = _load_settings(args.config)
    model = build_model(pack)
    transcript = TranscriptWriter(args.transcript) if args.transcript else None
    if args.wav:
        return _ask_recordings(args, pack, model, user, transcript)
    speaker = wiring.make_speaker(args.speak_to, user, quiet=True) if args.speak_to else None
    questions = args.questions or list(textio.read_lines(sys.stdin, "", sys.stdout))
    for question in questions:
        turn = _conversation(pack, model, user, transcript, args.summary_to).turn(question)
        textio.write_turn(turn, sys.stdout, args.json)
        if speaker is not None:
            speaker.say(turn.reply.text, wiring.base_voice(user))
    return 0


def _ask_recordings(
    args: argparse.Namespace,
    pack: Pack,
    model: Model,
    user: settings.Settings,
    transcript: TranscriptWriter | None,
) -> int:
    """Each recording is one question, answered in a fresh conversation; models load once.
    A recording of any length is read in pieces (``recorded.first_question``)."""
    recognizer = choose_recognizer(args, pack)
    speaker = wiring.make_speaker(args.speak_to, user, quiet=True) if args.speak_to else None
    failed = 0
    for path in args.wav:
        conversation = _conversation(pack, model, user, transcript, args.summary_to)
        try:
            question = first_question(path, recognizer)
        except AudioError as error:
            print(
                f"allvoice: {path}: {error}"
                if str(path) not in str(error)
                else f"allvoice: {error}",
                file=sys.stderr,
            )
            failed += 1
            continue
        if question.more_at is not None:
            print(
                f"allvoice: {path}: holds more than one question (more speech at "
                f"{_clock(question.more_at)}); answering the first (--listen-file answers all).",
                file=sys.stderr,
            )
        spoken = voice.answer(conversation, question.transcript, voice.engine_of(recognizer))
        voice.write(spoken, sys.stdout, args.json)
        if speaker is not None:
            speaker.say(
                spoken.turn.reply.text, voice.voice_of(spoken.turn, wiring.base_voice(user))
            )
    return 1 if failed else 0


def _clock(seconds: float) -> str:
    """0:42, or 1:02:03 past an hour."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


# --- allvoice settings, allvoice devices ------------------------------------------------


def run_settings(args: argparse.Namespace) -> int:
    """``allvoice settings [show]`` or ``allvoice settings set KEY VALUE``."""
    path = args.config or settings.default_path()
    current = settings.load(path)
    if args.action == "set":
        if args.key is None or args.value is None:
            raise SettingsError("usage: allvoice settings set KEY VALUE")
        current = settings.with_value(current, args.key, args.value)
        settings.save(current, path)
        print(f"{args.key} is now {settings.shown(getattr(current, args.key))}")
        return 0
    print(f"Settings file: {path}")
    for key, value in vars(current).items():
        print(f"{key} = {settings.shown(value)}")
    return 0


def run_devices(args: argparse.Namespace) -> int:
    """``allvoice devices``: the microphones and the synthesizer's voices."""
    print("Microphones:")
    for device in list_devices() or []:
        print(f"  {device.index}: {device.name}")
    if not list_devices():
        print("  none found")
    print("Voices:")
    for info in Synthesizer().list_voices():
        print(f"  {info.id}: {info.name}")
    return 0


COMMANDS: dict[str | None, Command] = {
    None: run_conversation,
    "ask": run_ask,
    "settings": run_settings,
    "devices": run_devices,
}
"""Each subcommand's function; None (no subcommand) is a conversation."""
