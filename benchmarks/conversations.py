"""Conversations: ``python -m benchmarks.conversations`` plays every conversation of the
conversation sets through a ``Conversation`` (typed, as text mode does) and checks each
reply, then prints and saves the share of conversations that pass.

The format of the sets (``tests/data/conversations*.txt``) is in their first lines and in
``docs/testing.md``: one block per conversation, ``> `` a user turn, ``? `` checks on the
reply to the turn above (``level=emergency; calls_now; no_content; summary=three weeks``).
The same checks run in ``tests/test_conversations.py``, one test per conversation.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import ROOT, Config, Result, part_main

if TYPE_CHECKING:
    from allvoice.content.pack import Pack
    from allvoice.conversation.session import Conversation, Turn
    from allvoice.understanding import Model

SETS = {
    "first": ROOT / "tests" / "data" / "conversations_blind.txt",
    "second": ROOT / "tests" / "data" / "conversations.txt",
}
"""The sets, by name: both written before the conversation rules, by people who had not
read them (129 and 123 conversations; 28 and 49 passed before the rules)."""
RANK = {"urgent": 1, "crisis": 2, "emergency": 3}
"""How high each safety level is; ``level=X`` passes at X or above."""
NUMBERS = ("9 1 1", "1 1 2", "9 8 8", "1 1 6", "treatment team")
"""What the default wording says when it names a number or a line to call."""
CALL_NOW = re.compile(r"\bcall\b[^.]*\b(now|straight away|right away|right now)\b", re.I)
SURVIVAL = ("chance of a cure", "survival", "per cent", "percent", "out of 100")
CHILD_WORDS = ("your child", "child's care team", "your child's")


@dataclass(frozen=True)
class Step:
    """One user turn and the checks on the reply to it."""

    text: str
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dialog:
    """One conversation of a set."""

    id: str
    why: str
    steps: tuple[Step, ...]
    line: int
    known: str = ""
    """Why it is known to fail, when it is (``## known: ...``)."""


@dataclass
class _Block:
    id: str = ""
    why: str = ""
    known: str = ""
    line: int = 0
    steps: list[Step] = field(default_factory=list)


def read_set(path: Path) -> list[Dialog]:
    """The conversations of a set, in file order."""
    dialogs: list[Dialog] = []
    block: _Block | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("## id:"):
            if block and block.steps:
                dialogs.append(_dialog(block))
            block = _Block(id=line[6:].strip(), line=number)
        elif block is None or not line or (line.startswith("#") and not line.startswith("##")):
            continue
        elif line.startswith("## why:"):
            block.why = line[7:].strip()
        elif line.startswith("## known:"):
            block.known = line[9:].strip()
        elif line.startswith(">"):
            block.steps.append(Step(line[1:].strip()))
        elif line.startswith("?") and block.steps:
            checks = tuple(c.strip() for c in line[1:].split(";") if c.strip())
            last = block.steps[-1]
            block.steps[-1] = Step(last.text, last.checks + checks)
    if block and block.steps:
        dialogs.append(_dialog(block))
    return dialogs


def _dialog(block: _Block) -> Dialog:
    return Dialog(block.id, block.why, tuple(block.steps), block.line, block.known)


def facts_of(pack: Pack) -> list[str]:
    """The sentences of the pack's facts (of four words or more), lower case: a reply that
    holds one reads content."""
    sentences = []
    for section in pack.sections:
        for fact in section.facts:
            for sentence in re.split(r"(?<=[.!?])\s+", fact.text):
                if len(sentence.split()) >= 4:
                    sentences.append(sentence.lower().rstrip("."))
    return sentences


def check(
    name: str, turn: Turn, previous: Turn | None, conversation: Conversation, facts: list[str]
) -> bool:
    """Whether the reply of ``turn`` passes one check (see the set format)."""
    key, _, value = name.partition("=")
    text = turn.reply.text.lower()
    options = [option.lower() for option in value.split("|")] if value else []
    intent = turn.as_json()["intent"]
    if key == "intent":
        return intent in options
    if key == "level":
        got = RANK.get(turn.reply.intent, 0)
        return got >= RANK[value] and (value != "crisis" or turn.reply.intent == "crisis")
    if key == "no_level":
        return turn.reply.intent not in RANK
    if key == "calls_now":
        return bool(CALL_NOW.search(text))
    if key == "gives_number":
        return any(number in text for number in NUMBERS)
    if key == "no_content":
        return (
            not any(fact in text for fact in facts)
            and "make an appointment" not in text
            and not any(word in text for word in SURVIVAL)
        )
    if key == "not_personal_child":
        return not any(word in text for word in CHILD_WORDS)
    if key == "says":
        return any(option in text for option in options)
    if key == "not":
        return not any(option in text for option in options)
    if key in ("asks", "no_asks"):
        return turn.reply.asks == (key == "asks")
    if key in ("summary", "no_summary"):
        held = conversation.summary().lower()
        return any(option in held for option in options) == (key == "summary")
    if key == "slower":
        return previous is not None and turn.state.rate < previous.state.rate
    if key == "same_as_previous":
        return previous is not None and previous.reply.text.lower() in text
    raise ValueError(f"unknown check {name!r}")


def play(dialog: Dialog, pack: Pack, model: Model, facts: list[str]) -> list[str]:
    """Play one conversation; the failed checks, as 'turn N "text": check -> reply'."""
    from allvoice.conversation.session import Conversation

    conversation = Conversation(pack, model=model)
    failures: list[str] = []
    previous: Turn | None = None
    for number, step in enumerate(dialog.steps, 1):
        turn = conversation.turn(step.text)
        for name in step.checks:
            if not check(name, turn, previous, conversation, facts):
                failures.append(f"turn {number} {step.text!r}: {name} -> {turn.reply.text!r}")
        previous = turn
    return failures


def run(config: Config) -> Result:
    """The pass rate of each set; ``config`` does not change them."""
    from allvoice.content.library import load_content
    from allvoice.understanding import build_model

    pack = load_content()
    model = build_model(pack)
    facts = facts_of(pack)
    result: Result = {}
    for name, path in SETS.items():
        if not path.exists():
            continue
        dialogs = read_set(path)
        failed = {d.id: play(d, pack, model, facts) for d in dialogs}
        failed = {key: value for key, value in failed.items() if value}
        result[name] = {
            "path": str(path.relative_to(ROOT)),
            "conversations": len(dialogs),
            "turns": sum(len(d.steps) for d in dialogs),
            "passed": len(dialogs) - len(failed),
            "failures": failed,
        }
    return result


def summary(result: Result) -> list[str]:
    """The figures as lines of plain text."""
    lines = []
    for name, figures in result.items():
        n, passed = figures["conversations"], figures["passed"]
        lines.append(
            f"{name} ({figures['path']}): {passed} of {n} conversations pass "
            f"({100 * passed / max(n, 1):.1f}%), {figures['turns']} turns"
        )
        for dialog_id, failures in figures["failures"].items():
            lines += [f"  {dialog_id}: {failure}" for failure in failures]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.conversations``: print, and save the result."""
    return part_main("conversations", run, argv, show=summary)


if __name__ == "__main__":
    sys.exit(main())
