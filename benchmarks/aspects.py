"""Aspect questions: ``python -m benchmarks.aspects`` prints the figures, then saves them.

``tests/data/aspects.tsv`` (questions written for issue 10, in many voices, with typos:
aspects the ALL pack answers and aspects it does not, and questions about other
conditions) through ``allvoice.understanding.understand.understand``: the share with the
right intent and the right ``topic``; and, among the questions that name the disease but ask about
something else than what it is, how many read the overview (the disease's name alone
must never decide: the goal is none). The same for ``tests/data/aspects_probe.tsv``,
questions written blind to the catalogue's cues, reported on their own.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.common import ROOT, Config, Result, part_main, read_tsv

if TYPE_CHECKING:
    from allvoice.understanding import Model, Understanding

ASPECT_SET = ROOT / "tests" / "data" / "aspects.tsv"
PROBE_SET = ROOT / "tests" / "data" / "aspects_probe.tsv"
"""Questions written before the catalogue's cues were read, as worried people say them
(spoken style, typos, no question marks): measured on its own; 82.7% when first run."""
NAMES_THE_DISEASE = re.compile(
    r"\bALL\b|\ba l l\b|\bleuka?emia\b|\blukemia\b|\blymphocytic\b|\blymphoblastic\b", re.I
)
"""The disease named in a question ("ALL" is told from "all" by its capitals)."""


def names_the_disease(text: str) -> bool:
    """True when ``text`` names acute lymphocytic leukemia, by any of its names."""
    return any(
        match.group(0) != "all" and match.group(0) != "All"
        for match in NAMES_THE_DISEASE.finditer(text)
    )


def run(config: Config) -> Result:
    """The figures for the aspect set and the probe set, with the first pack alone (what
    the sets were written for) and with the shipped library, where a question the first
    pack did not cover is right when a section that answers its aspect reads it (issue
    17); ``config`` does not change them."""
    from allvoice.content.library import load_content
    from allvoice.content.pack import load_pack
    from allvoice.understanding import build_model

    model = build_model(load_pack())
    result = _measure(ASPECT_SET, model)
    result["probe"] = _measure(PROBE_SET, model)
    library = build_model(load_content())
    result["library"] = _measure(ASPECT_SET, library)
    result["library_probe"] = _measure(PROBE_SET, library)
    return result


def _measure(path: Path, model: Model) -> Result:
    """The figures for one set of questions."""
    from allvoice.understanding import understand

    rows = read_tsv(path)
    misses: list[Result] = []
    name_rows = name_misses = 0
    for row in rows:
        heard = understand(row["text"], model)
        got = (heard.intent, heard.topic or "")
        if got != (row["intent"], row["topic"]) and not _answered_now(row, heard, model):
            expected = [row["intent"], row["topic"]]
            misses.append({"text": row["text"], "expected": expected, "understood": list(got)})
        if row["intent"] != "overview" and names_the_disease(row["text"]):
            name_rows += 1
            name_misses += heard.intent == "overview"
    topics = Counter(row["topic"] or "(none)" for row in rows)
    return {
        "path": str(path.relative_to(ROOT)),
        "n": len(rows),
        "aspects": len(topics),
        "accuracy": 1 - len(misses) / max(len(rows), 1),
        "name_questions": name_rows,
        "name_read_overview": name_misses,
        "misses": misses,
    }


def _answered_now(row: dict[str, str], heard: Understanding, model: Model) -> bool:
    """A question the first pack does not cover ("not_covered"), read from a section of
    another pack that answers its aspect: right, once several packs answer together."""
    pack = model.pack
    sections = {s for a in pack.answers_to(row["topic"]) for s in (a.section, *a.also)}
    twins = {t.id for s in sections for t in pack.twins(s)}
    return row["intent"] == "not_covered" and bool(pack.parts) and heard.section in sections | twins


def summary(result: Result) -> list[str]:
    """The figures as lines of plain text: the aspect set, then the probe set; the first
    pack alone, then the shipped library."""
    lines = ["with the first pack alone:", *_set_summary(result)]
    if "probe" in result:
        lines += _set_summary(result["probe"])
    for name in ("library", "library_probe"):
        if name in result:
            lines += [f"with the shipped library ({name}):", *_set_summary(result[name])]
    return lines


def _set_summary(result: Result) -> list[str]:
    lines = [
        f"aspect set {result['path']}: {result['n']} questions, {result['aspects']} topics",
        f"right intent and topic: {100 * result['accuracy']:.1f}%",
        f"questions naming the disease and asking something else: {result['name_questions']}, "
        f"of which read the overview: {result['name_read_overview']}",
    ]
    for miss in result["misses"]:
        expected = " ".join(filter(None, miss["expected"]))
        understood = " ".join(filter(None, miss["understood"]))
        lines.append(f"  miss: {miss['text']!r}: expected {expected}, understood {understood}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.aspects [--quick|--full]``: print, and save the result."""
    return part_main("aspects", run, argv, show=summary)


if __name__ == "__main__":
    sys.exit(main())
