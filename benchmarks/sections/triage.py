"""The "6. Triage" section: the red-flag sets typed in every dialogue state."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import table


def section(result: Result | None) -> list[str]:
    """Red flags passed and false alarms, per set and dialogue state."""
    lines = ["## 6. Triage", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    sets = [found for name, found in result.items() if not name.startswith("_")]
    others = max((len(found["states"]) - 1 for found in sets), default=0)
    lines += [
        "`python -m benchmarks.triage`: each line of the red-flag sets typed into a "
        f"conversation, fresh and in {others} other dialogue states. A red flag passes at its "
        "level or higher (urgent < crisis < emergency); a look-alike is a false alarm when "
        "any triage intent answers it.",
        "",
    ]
    flags = ("emergency", "urgent", "crisis")
    rows = []
    for set_name, found in result.items():
        if set_name.startswith("_"):
            continue
        counts = found["counts"]
        for state, got in found["states"].items():
            passed = got["passed"]
            cells = [f"{passed[level]}/{counts[level]}" for level in flags]
            alarms = counts["none"] - passed["none"]
            rows.append([set_name, state, *cells, f"{alarms}/{counts['none']}"])
    lines += table(["set", "state", *flags, "false alarms"], rows)
    return lines
