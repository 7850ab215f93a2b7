"""Triage on the red-flag set, ``tests/data/red_flags.tsv``: how many red flags escalate
to their level or a higher one, and how many of the look-alikes escalate (false alarms).

    python -m benchmarks.triage            prints the figures; saves out/results/triage.json

Each line goes through a ``Conversation``, as typed input does, in a fresh conversation
and in every dialogue state: reading a topic, waiting for the duration or the trend of a
symptom report, after a clarifying question, after an out-of-scope answer. Levels rank
urgent < crisis < emergency; a red flag passes at its level or above. A look-alike (level
``none``) is a false alarm when any of the three triage intents answers it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.common import ROOT, Config, Result, part_main

SETS = {
    "red flags": ROOT / "tests" / "data" / "red_flags.tsv",
    "fresh red flags": ROOT / "tests" / "data" / "red_flags_fresh.tsv",
    "probe red flags": ROOT / "tests" / "data" / "red_flags_probe.tsv",
}
"""The sets, by name: the development set and two written after the rules."""
RANK = {"none": 0, "urgent": 1, "crisis": 2, "emergency": 3}
"""How high each level is; a reply passes at its red flag's rank or above."""


def red_flags(path: Path) -> list[tuple[str, str]]:
    """(text, level) pairs; lines starting with # are comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#"):
            text, level = line.rsplit("\t", 1)
            rows.append((text, level.strip()))
    return rows


def states() -> dict[str, Callable[..., None]]:
    """How to bring a conversation into each dialogue state, by name. The symptom report
    that opens the follow-up states is of a cough, which no triage rule adds up with a
    look-alike: triage runs across turns, so after "my son has a fever" a look-alike such
    as "my son is on chemo" is rightly an emergency (the conversation sets check those)."""

    def say(*lines: str) -> Callable[..., None]:
        def setup(conversation: object) -> None:
            for line in lines:
                conversation.turn(line)  # type: ignore[attr-defined]

        return setup

    return {
        "fresh": say(),
        "reading": say("what are the symptoms"),
        "duration": say("my son has a cough"),
        "trend": say("my son has a cough", "ten days"),
        "summary_offer": say("my son has a cough", "a month"),
        "clarify": say("what symptoms does ALL cause in children"),
        "not_covered": say("how is it treated"),
        "out_of_scope": say("what is the weather like today"),
    }


def run(config: Config | None = None) -> Result:
    """Every set in every state: passes per level and the lines missed."""
    from allvoice.content.library import load_content
    from allvoice.conversation.session import Conversation
    from allvoice.understanding import build_model

    pack = load_content()
    model = build_model(pack)
    result: Result = {}
    for set_name, path in SETS.items():
        rows = red_flags(path)
        per_state: dict[str, Result] = {}
        for name, setup in states().items():
            passed = dict.fromkeys(RANK, 0)
            misses: list[tuple[str, str, str]] = []
            for text, level in rows:
                conversation = Conversation(pack, model)
                setup(conversation)
                got = conversation.turn(text).intent
                if passes(level, got):
                    passed[level] += 1
                else:
                    misses.append((text, level, got))
            per_state[name] = {"passed": passed, "misses": misses}
        counts = {level: sum(1 for _, lv in rows if lv == level) for level in RANK}
        result[set_name] = {"counts": counts, "states": per_state}
    return result


def passes(level: str, got: str) -> bool:
    """A red flag passes at its level or above; a look-alike when nothing escalates."""
    rank = RANK.get(got, 0)
    return rank == 0 if level == "none" else rank >= RANK[level]


def report(result: Result) -> list[str]:
    """The figures as lines of text."""
    lines = []
    flags = ("emergency", "urgent", "crisis")
    for set_name, found in result.items():
        counts = found["counts"]
        lines.append(
            f"{set_name}: {sum(counts.values())} lines, {counts['emergency']} emergency, "
            f"{counts['urgent']} urgent, {counts['crisis']} crisis, {counts['none']} look-alikes"
        )
        for name, state in found["states"].items():
            passed = state["passed"]
            good = sum(passed[level] for level in flags)
            total = sum(counts[level] for level in flags)
            alarms = counts["none"] - passed["none"]
            parts = ", ".join(f"{level} {passed[level]}/{counts[level]}" for level in flags)
            lines.append(
                f"  {name:>12}: escalated {good}/{total} ({100 * good / total:.1f}%: {parts}); "
                f"false alarms {alarms}/{counts['none']} ({100 * alarms / counts['none']:.1f}%)"
            )
            lines += [f"{'':>16}missed: {text!r} ({level}, got {got})"
                      for text, level, got in state["misses"]]  # fmt: skip
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    return part_main("triage", run, argv, show=report)


if __name__ == "__main__":
    sys.exit(main())
