"""REPORT.md and its plots, from the result files in ``benchmarks/out/results/``.

``python -m benchmarks.report`` rebuilds them from whatever results are there, so a part
run alone (``python -m benchmarks.run --only soak``) updates its section and keeps the
others; each part's date and size are shown in the "Runs" table. Each section is written
by its module in ``benchmarks/sections/``, the plots by ``benchmarks/plots.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import plots
from benchmarks.common import HERE, PARTS, Result, load, machine, now
from benchmarks.sections import (
    accuracy,
    aspects,
    conversations,
    endofturn,
    footprint,
    goals,
    latency,
    longaudio,
    packs,
    realvoice,
    scaling,
    soak,
    triage,
)
from benchmarks.sections.format import duration, table

REPORT = HERE / "REPORT.md"
COMMAND = "`.venv/bin/python -m benchmarks.run` (what `make bench` runs)"
RUN = "_run"
"""The result file that records the last run of every part: command, end, duration."""


def write() -> Path:
    """Write REPORT.md and the plots from the saved results; returns the report's path."""
    results = {part: load(part) for part in PARTS}
    drawn = plots.write(results)
    lines = [
        "# allvoice benchmarks",
        "",
        _origin(results),
        "Medians and 95th percentiles (p95) throughout; ratios are measured side by side in",
        "one run. Intermediate files are in `benchmarks/out/` (not committed).",
        "",
        *_machine(results),
        *_runs(results),
        *goals.section(results),
        *realvoice.section(results["realvoice"]),
        *accuracy.section(results["accuracy"], drawn),
        *aspects.section(results["aspects"]),
        *latency.section(results["latency"], drawn),
        *endofturn.section(results["endofturn"]),
        *footprint.section(results["footprint"]),
        *longaudio.section(results["longaudio"]),
        *scaling.section(results["scaling"], drawn),
        *soak.section(results["soak"], drawn),
        *triage.section(results["triage"]),
        *conversations.section(results["conversations"]),
        *packs.section(results.get("packs")),
    ]
    REPORT.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return REPORT


def _origin(results: dict[str, Result | None]) -> str:
    """Which run measured the figures, or when the report was put together from the parts."""
    run = load(RUN)
    if not run:
        return f"Written {now()} from the saved results of each part."
    origin = (
        f"Measured by {run['command']}, finished {run['finished']}; the whole run took "
        f"{duration(run['seconds'])}."
    )
    if run["finished"] < max(r["_meta"]["started"] for r in results.values() if r):
        origin += " Some parts were run again since: see their dates under Runs."
    return origin


def _machine(results: dict[str, Result | None]) -> list[str]:
    info = next((r["_meta"]["machine"] for r in results.values() if r), None) or machine()
    return [
        "## Machine",
        "",
        *table(
            ["CPUs (nproc)", "CPU", "memory", "Python", "system", "commit"],
            [
                [
                    info["nproc"],
                    info["cpu"],
                    f"{info['memory_gib']} GiB",
                    info["python"],
                    info["system"],
                    f"`{info['commit']}`",
                ]
            ],
        ),
    ]


def _runs(results: dict[str, Result | None]) -> list[str]:
    rows = []
    for part, result in results.items():
        if result is None:
            rows.append([part, "not run", "-", "-"])
            continue
        meta = result["_meta"]
        load = " / ".join("-" if v is None else f"{v:.1f}" for v in meta.get("load_average", []))
        rows.append(
            [part, meta["started"], meta["config"]["mode"], duration(meta["seconds"]), load]
        )
    return [
        "## Runs",
        "",
        *table(["part", "started (UTC)", "size", "took", "load average, start / end"], rows),
        "Each part runs alone in a fresh process; the load average shows any other work on "
        "the machine at the time, which slows the timings.",
        "",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.report``: rebuild REPORT.md from the saved results."""
    path = write()
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
