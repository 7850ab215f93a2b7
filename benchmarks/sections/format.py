"""Number formatters, the Markdown table and the names that several sections share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LABELS = {
    "clean": "clean",
    "noise15": "pink noise 15 dB",
    "noise5": "pink noise 5 dB",
    "fast25": "25% faster",
    "phone8k": "telephone band",
}
"""The spoken set's audio conditions, with the names the report gives them."""
MODELS = {"whisper": "Whisper", "domain": "PocketSphinx domain", "general": "PocketSphinx general"}
"""The recognizers of the accuracy part, in table order, with their headings."""
MET, NOT_MET, UNKNOWN = "**met**", "**not met**", "not measured"


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal, or "-" when missing."""
    return "-" if value is None else f"{100 * value:.1f}%"


def ms(value: float | None) -> str:
    """Milliseconds, with more decimals the smaller they are, or "-" when missing."""
    if value is None:
        return "-"
    if value < 1:
        return f"{value:.2f} ms"
    if value < 10:
        return f"{value:.1f} ms"
    return f"{value:.0f} ms"


def s(value: float | None) -> str:
    """Seconds with two decimals, or "-" when missing."""
    return "-" if value is None else f"{value:.2f} s"


def mb(value: float | None) -> str:
    """Megabytes, two decimals under 1 MB and one above, or "-" when missing."""
    if value is None:
        return "-"
    return f"{value:.2f} MB" if abs(value) < 1 else f"{value:.1f} MB"


def duration(seconds: float) -> str:
    """A run's length in whole minutes and seconds."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """A Markdown table, followed by a blank line."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def verdict(ok: bool | None) -> str:
    """A goal's verdict: met, not met, or not measured when ``ok`` is None."""
    return UNKNOWN if ok is None else MET if ok else NOT_MET
