"""The command line's arguments: one ``argparse`` parser, nothing run here.

The conversation options come first; the subcommands ask, settings and devices follow.
The options shared with a subcommand are accepted before it as well as after it:
``allvoice --json ask hi`` and ``allvoice ask --json hi`` are the same.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from allvoice import __version__
from allvoice.content.pack import DEFAULT_CONTENT


def build_parser() -> argparse.ArgumentParser:
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


def _common(parser: argparse.ArgumentParser, after: bool = False) -> None:
    """Options taken before or after the subcommand. After it (``after``) they have no
    default of their own, so that one given before the subcommand is kept."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if after else value

    parser.add_argument(
        "--content",
        type=Path,
        default=default(DEFAULT_CONTENT),
        metavar="DIR",
        help="content: a pack folder, or a folder of packs with library.toml "
        "(default: the shipped packs)",
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
