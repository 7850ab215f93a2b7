"""The "Aspect questions" section of REPORT.md."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import pct


def section(result: Result | None) -> list[str]:
    """The aspect set (``benchmarks/aspects.py``): open-world questions about the disease."""
    if not result:
        return []
    return [
        "## Aspect questions",
        "",
        f"`{result['path']}`: {result['n']} questions over {result['aspects']} topics, typed. "
        f"Right intent and topic: {pct(result['accuracy'])} (goal 95%). Questions that name "
        f"the disease and ask something else: {result['name_questions']}, of which "
        f"{result['name_read_overview']} read the overview (goal: none).",
        "",
    ]
