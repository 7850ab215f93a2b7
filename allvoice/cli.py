"""The command line: parse arguments and wire adapters to the core. Nothing else.

allvoice                      voice mode (text mode when no audio device is usable)
allvoice --text [--json]      type questions, read answers
allvoice ask [QUESTION ...]   answer each question in a fresh conversation
allvoice settings [set K V]   show or change the saved settings
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from allvoice import __version__, phrasing, settings, textio
from allvoice.content import DEFAULT_PACK, Pack, load_pack
from allvoice.errors import AllvoiceError, SettingsError
from allvoice.session import Conversation
from allvoice.understand import Model, build_model


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``allvoice`` command; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        if args[:1] == ["ask"]:
            return _ask(_ask_parser().parse_args(args[1:]))
        if args[:1] == ["settings"]:
            return _settings(_settings_parser().parse_args(args[1:]))
        return _converse(_main_parser().parse_args(args))
    except AllvoiceError as error:
        print(f"allvoice: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(phrasing.GOODBYE)
        return 130
    except BrokenPipeError:
        return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        type=Path,
        default=DEFAULT_PACK,
        metavar="DIR",
        help="content pack folder (default: the ALL pack)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="settings file (default: the user's config folder)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per input, nothing else on standard output",
    )


def _main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allvoice",
        description="Offline, accessible answers about acute lymphocytic leukemia. "
        "Subcommands: ask, settings.",
    )
    parser.add_argument("--version", action="version", version=f"allvoice {__version__}")
    parser.add_argument("--text", action="store_true", help="type questions, read answers")
    _common(parser)
    return parser


def _ask_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allvoice ask", description="Answer each question in a fresh conversation."
    )
    parser.add_argument(
        "questions",
        nargs="*",
        metavar="QUESTION",
        help="questions; with none, one question per line of standard input",
    )
    _common(parser)
    return parser


def _settings_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="allvoice settings", description="Show the settings, or change one."
    )
    parser.add_argument("action", nargs="?", choices=["show", "set"], default="show")
    parser.add_argument("key", nargs="?")
    parser.add_argument("value", nargs="?")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE")
    return parser


def _load_settings(path: Path | None) -> settings.Settings:
    try:
        return settings.load(path or settings.default_path())
    except SettingsError as error:
        print(f"allvoice: {error}", file=sys.stderr)
        return settings.Settings()


def _conversation(pack: Pack, model: Model, user: settings.Settings) -> Conversation:
    conversation = Conversation(pack, model, emergency_number=user.emergency_number)
    from dataclasses import replace

    conversation.state = replace(conversation.state, rate=user.rate, volume=user.volume)
    return conversation


def _converse(args: argparse.Namespace) -> int:
    pack = load_pack(args.content)
    user = _load_settings(args.config)
    conversation = _conversation(pack, build_model(pack), user)
    interactive = sys.stdin.isatty()
    if not args.json:
        print(phrasing.welcome(pack.name), flush=True)
    prompt = textio.PROMPT if interactive and not args.json else ""
    textio.converse(
        conversation, textio.read_lines(sys.stdin, prompt, sys.stdout), sys.stdout, args.json
    )
    _keep_changes(args.config, user, conversation)
    return 0


def _keep_changes(path: Path | None, user: settings.Settings, conversation: Conversation) -> None:
    """A spoken change of rate or volume is kept for next time."""
    from dataclasses import replace

    state = conversation.state
    if (state.rate, state.volume) != (user.rate, user.volume):
        changed = replace(user, rate=state.rate, volume=state.volume)
        settings.save(changed, path or settings.default_path())


def _ask(args: argparse.Namespace) -> int:
    pack = load_pack(args.content)
    user = _load_settings(args.config)
    model = build_model(pack)
    questions = args.questions or list(textio.read_lines(sys.stdin, "", sys.stdout))
    for question in questions:
        turn = _conversation(pack, model, user).turn(question)
        textio.write_turn(turn, sys.stdout, args.json)
    return 0


def _settings(args: argparse.Namespace) -> int:
    path = args.config or settings.default_path()
    current = settings.load(path)
    if args.action == "set":
        if args.key is None or args.value is None:
            raise SettingsError("usage: allvoice settings set KEY VALUE")
        current = settings.with_value(current, args.key, args.value)
        settings.save(current, path)
        print(f"{args.key} is now {getattr(current, args.key)}")
        return 0
    print(f"Settings file: {path}")
    for key, value in vars(current).items():
        print(f"{key} = {value!r}")
    return 0
