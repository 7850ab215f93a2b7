"""The ``allvoice`` command: parse the arguments, run the command, report errors in one line.

allvoice                      voice mode (text mode when no audio device is usable)
allvoice --text [--json]      type questions, read answers
allvoice ask [QUESTION ...]   answer each question in a fresh conversation
allvoice settings [set K V]   show or change the saved settings
allvoice devices              list the microphones and voices

The arguments are defined in ``parser``, the commands in ``commands``, the concrete
devices and engines chosen in ``wiring``.
"""

from __future__ import annotations

import sys

from allvoice.app.commands import COMMANDS
from allvoice.app.parser import build_parser
from allvoice.conversation import phrasing
from allvoice.errors import AllvoiceError


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``allvoice`` command; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # bad bytes become a replacement character
    try:
        options = build_parser().parse_args(args)
        return COMMANDS[options.command](options)
    except AllvoiceError as error:
        print(f"allvoice: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(phrasing.GOODBYE)
        return 130
    except BrokenPipeError:
        return 0
