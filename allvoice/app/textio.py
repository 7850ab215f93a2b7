"""Text-mode adapters: lines in, plain lines or JSON lines out.

Plain output has no colours, spinners or redraws, one reply per line, so any screen
reader reads it as it comes. JSON output is exactly one object per line of input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TextIO

from allvoice.conversation.session import Conversation, Turn
from allvoice.ports import DEFAULT_VOICE, Speaker, Voice

PROMPT = "> "


def read_lines(stream: TextIO, prompt: str, out: TextIO) -> Iterator[str]:
    """Lines of ``stream`` without their line ends; shows ``prompt`` before each read."""
    while True:
        if prompt:
            out.write(prompt)
            out.flush()
        line = stream.readline()
        if not line:
            return
        yield line.rstrip("\r\n")


def write_turn(turn: Turn, out: TextIO, as_json: bool) -> None:
    """One reply: a JSON object on one line, or the plain reply text."""
    if as_json:
        out.write(json.dumps(turn.as_json(), ensure_ascii=False) + "\n")
    else:
        out.write(turn.reply.text + "\n")
    out.flush()


def converse(
    conversation: Conversation,
    lines: Iterable[str],
    out: TextIO,
    as_json: bool,
    speaker: Speaker | None = None,
    voice: Voice = DEFAULT_VOICE,
) -> None:
    """A whole conversation over ``lines``; stops after goodbye. With a speaker, each
    reply is also spoken (``--text --speak``)."""
    for line in lines:
        turn = conversation.turn(line)
        write_turn(turn, out, as_json)
        if speaker is not None:
            speaker.say(
                turn.reply.text, replace(voice, rate=turn.state.rate, volume=turn.state.volume)
            )
        if conversation.ended:
            return
