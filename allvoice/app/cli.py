"""The command line: parse arguments and wire adapters to the core. Nothing else.

allvoice                      voice mode (text mode when no audio device is usable)
allvoice --text [--json]      type questions, read answers
allvoice ask [QUESTION ...]   answer each question in a fresh conversation
allvoice settings [set K V]   show or change the saved settings
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from allvoice import __version__
from allvoice.app import settings, textio, voice, wiring
from allvoice.app.summary_file import SummaryKeeper
from allvoice.app.transcript import TranscriptWriter
from allvoice.content.pack import DEFAULT_PACK, Pack, load_pack
from allvoice.conversation import phrasing
from allvoice.conversation.session import Conversation
from allvoice.errors import AllvoiceError, AudioError, DeviceError, SettingsError
from allvoice.ports import Speaker
from allvoice.speech.asr.recognizer import (
    DEFAULT_ENGINE,
    ENGINES,
    IncrementalRecognizer,
    StreamingRecognizer,
    make_recognizer,
    stop_recognizer,
)
from allvoice.speech.audio.bargein import StopListener
from allvoice.speech.audio.microphone import MicrophoneListener, list_devices
from allvoice.speech.audio.wavfile import read_wav
from allvoice.speech.tts.synthesizer import Synthesizer
from allvoice.understanding.understand import Model, build_model


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``allvoice`` command; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # bad bytes become a replacement character
    try:
        options = _parser().parse_args(args)
        if options.command == "ask":
            return _ask(options)
        if options.command == "settings":
            return _settings(options)
        if options.command == "devices":
            return _devices()
        return _converse(options)
    except AllvoiceError as error:
        print(f"allvoice: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(phrasing.GOODBYE)
        return 130
    except BrokenPipeError:
        return 0


def _common(parser: argparse.ArgumentParser, after: bool = False) -> None:
    """Options taken before or after the subcommand. After it (``after``) they have no
    default of their own, so that one given before the subcommand is kept."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if after else value

    parser.add_argument(
        "--content",
        type=Path,
        default=default(DEFAULT_PACK),
        metavar="DIR",
        help="content pack folder (default: the ALL pack)",
    )
    _config_option(parser, after)
    parser.add_argument(
        "--transcript",
        type=Path,
        default=default(None),
        metavar="FILE",
        help="also write the conversation to FILE (readable by you alone); off by default",
    )
    parser.add_argument(
        "--summary-to",
        type=Path,
        default=default(None),
        metavar="FILE",
        help="write the summary for the doctor to FILE (readable by you alone) when one is "
        "given or asked to be saved; off by default",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="one JSON object per input, nothing else on standard output",
    )
    _voice_options(parser, default)


def _config_option(parser: argparse.ArgumentParser, after: bool) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS if after else None,
        metavar="FILE",
        help="settings file (default: the user's config folder)",
    )


def _voice_options(parser: argparse.ArgumentParser, default: Callable[[object], object]) -> None:
    parser.add_argument(
        "--asr",
        default=default(None),
        metavar="ENGINE",
        help="speech recognizer: whisper (the default; PocketSphinx if it cannot load), "
        "pocketsphinx (domain-tuned, small and fast), pocketsphinx-general, "
        "or vosk (needs the vosk extra and --asr-model)",
    )
    parser.add_argument(
        "--asr-model",
        type=Path,
        default=default(None),
        metavar="DIR",
        help="model folder for the recognizer",
    )
    parser.add_argument(
        "--speak-to",
        type=Path,
        default=default(None),
        metavar="OUT.wav",
        help="write the spoken replies to a WAV file instead of playing them",
    )


def _parser() -> argparse.ArgumentParser:
    """One parser: the conversation options, and the subcommands ask, settings, devices.
    The shared options are accepted before the subcommand as well as after it."""
    parser = argparse.ArgumentParser(
        prog="allvoice",
        description="Offline, accessible answers about acute lymphocytic leukemia. "
        "Subcommands: ask, settings, devices.",
    )
    parser.add_argument("--version", action="version", version=f"allvoice {__version__}")
    parser.add_argument("--text", action="store_true", help="type questions, read answers")
    parser.add_argument("--speak", action="store_true", help="in text mode, also speak the replies")
    parser.add_argument(
        "--listen-file",
        type=Path,
        default=None,
        metavar="FILE.wav",
        help="a whole conversation from one recording, utterances separated by silence",
    )
    parser.add_argument(
        "--mic",
        type=int,
        default=None,
        metavar="N",
        help="microphone device index (see: allvoice devices)",
    )
    _common(parser)
    commands = parser.add_subparsers(dest="command", metavar="{ask,settings,devices}")
    _ask_parser(commands)
    _settings_parser(commands)
    commands.add_parser("devices", help="list the microphones and voices")
    return parser


def _ask_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "ask",
        prog="allvoice ask",
        help="answer each question in a fresh conversation",
        description="Answer each question in a fresh conversation.",
    )
    parser.add_argument(
        "questions",
        nargs="*",
        metavar="QUESTION",
        help="questions; with none, one question per line of standard input",
    )
    parser.add_argument(
        "--wav",
        nargs="+",
        type=Path,
        default=None,
        metavar="FILE",
        help="recorded questions: WAV files, one question each",
    )
    _common(parser, after=True)


def _settings_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "settings",
        prog="allvoice settings",
        help="show the settings, or change one",
        description="Show the settings, or change one.",
    )
    parser.add_argument("action", nargs="?", choices=["show", "set"], default="show")
    parser.add_argument("key", nargs="?")
    parser.add_argument("value", nargs="?")
    _config_option(parser, after=True)


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


def _recognizer(args: argparse.Namespace, pack: Pack) -> IncrementalRecognizer:
    """The engine named by --asr; without it Whisper, or PocketSphinx if Whisper can't load."""
    if args.asr is not None:
        return make_recognizer(args.asr, args.asr_model, pack)
    try:
        args.asr = DEFAULT_ENGINE
        return make_recognizer(DEFAULT_ENGINE, args.asr_model, pack)
    except DeviceError as error:
        print(f"allvoice: {error} Using PocketSphinx meanwhile.", file=sys.stderr)
        args.asr = "pocketsphinx"
        return make_recognizer("pocketsphinx", None, pack)


def _converse(args: argparse.Namespace) -> int:
    _check_engine(args.asr)
    pack = load_pack(args.content)
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
    recognizer = StreamingRecognizer(_recognizer(args, pack))
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
            args.listen_file, args.mic, user, speaker, recognizer, stopper.feed if stopper else None
        )
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
                conversation, listener.utterances(), recognizer, sys.stdout, args.json,
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


def _ask(args: argparse.Namespace) -> int:
    _check_engine(args.asr)
    pack = load_pack(args.content)
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
    """Each recording is one question, answered in a fresh conversation; models load once."""
    recognizer = _recognizer(args, pack)
    speaker = wiring.make_speaker(args.speak_to, user, quiet=True) if args.speak_to else None
    failed = 0
    for path in args.wav:
        conversation = _conversation(pack, model, user, transcript, args.summary_to)
        try:
            spoken = voice.hear(conversation, recognizer, read_wav(path))
        except AudioError as error:
            print(
                f"allvoice: {path}: {error}"
                if str(path) not in str(error)
                else f"allvoice: {error}",
                file=sys.stderr,
            )
            failed += 1
            continue
        voice.write(spoken, sys.stdout, args.json)
        if speaker is not None:
            speaker.say(
                spoken.turn.reply.text, voice.voice_of(spoken.turn, wiring.base_voice(user))
            )
    return 1 if failed else 0


def _devices() -> int:
    print("Microphones:")
    for device in list_devices() or []:
        print(f"  {device.index}: {device.name}")
    if not list_devices():
        print("  none found")
    print("Voices:")
    for info in Synthesizer().list_voices():
        print(f"  {info.id}: {info.name}")
    return 0


def _settings(args: argparse.Namespace) -> int:
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
