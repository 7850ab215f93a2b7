"""The "Conversations" section of REPORT.md."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import pct

BEFORE = {"first": 28, "second": 49}
"""Conversations of each set that passed before the conversation rules were written."""


def section(result: Result | None) -> list[str]:
    """The conversation sets (``benchmarks/conversations.py``): multi-turn, typed."""
    if not result:
        return []
    lines = ["## Conversations", ""]
    for name, figures in result.items():
        if name.startswith("_"):
            continue
        n, passed = figures["conversations"], figures["passed"]
        before = BEFORE.get(name)
        then = f" ({before} before the conversation rules)" if before is not None else ""
        lines.append(
            f"- {name} set, `{figures['path']}`: {passed} of {n} conversations pass, "
            f"{pct(passed / max(n, 1))}{then}; {figures['turns']} turns (goal 95%)."
        )
    return [*lines, ""]
