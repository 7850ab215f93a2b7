"""The PNG plots that REPORT.md shows: accuracy, latency, scaling and soak.

matplotlib is imported inside the functions, so that importing the report costs nothing
until a plot is drawn (it is in the ``bench`` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.common import HERE, Result
from benchmarks.sections.format import LABELS, MODELS

PLOTS = {
    "accuracy": HERE / "accuracy.png",
    "latency": HERE / "latency.png",
    "scaling": HERE / "scaling.png",
    "soak": HERE / "soak.png",
}
"""Each plotted part's PNG, next to REPORT.md."""


def write(results: dict[str, Result | None]) -> dict[str, Path]:
    """Draw the plot of each part that has a result; returns every plot's path."""
    import matplotlib

    matplotlib.use("Agg")
    if results["accuracy"]:
        _accuracy(results["accuracy"], PLOTS["accuracy"])
    if results["latency"]:
        _latency(results["latency"], PLOTS["latency"])
    if results["scaling"]:
        _scaling(results["scaling"], PLOTS["scaling"])
    if results["soak"]:
        _soak(results["soak"], PLOTS["soak"])
    return PLOTS


def _num(value: float) -> str:
    """A number with about three significant figures, never in e-notation."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}" if value >= 0.01 else f"{value:.4f}"


def _save(figure: Any, path: Path) -> None:
    """Lay the plot out, write it as a PNG and free it."""
    import matplotlib.pyplot as plt

    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _accuracy(result: Result, path: Path) -> None:
    """Intent accuracy per condition, one bar per recognizer, against the 95% goal."""
    import matplotlib.pyplot as plt
    import numpy as np

    spoken = result["spoken"]
    conditions = spoken["conditions"]
    names = [LABELS.get(c, c) for c in conditions]
    x = np.arange(len(conditions))
    figure, axes = plt.subplots(figsize=(10, 4.8))
    width = 0.27
    colours = ("#1f77b4", "#ff7f0e", "#bbbbbb")
    for offset, (name, label), colour in zip((-1, 0, 1), MODELS.items(), colours, strict=True):
        values = [100 * spoken["models"][name]["by_condition"][c]["accuracy"] for c in conditions]
        bars = axes.bar(x + offset * width, values, width, label=label, color=colour)
        axes.bar_label(bars, fmt="%.0f", fontsize=8)
    axes.axhline(95, color="green", linestyle="--", label="goal: 95%")
    axes.set_xticks(x, names)
    axes.set_ylim(0, 122)
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel("intent accuracy (%)")
    axes.set_title(f"Spoken intent accuracy ({spoken['questions']} questions per condition)")
    axes.legend(loc="upper center", fontsize=8, ncol=4)
    _save(figure, path)


def _latency(result: Result, path: Path) -> None:
    """Median and p95 per stage, beside the distribution of the total."""
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    _latency_stages(left, result)
    _latency_spread(right, result)
    _save(figure, path)


def _latency_stages(left: Any, result: Result) -> None:
    import numpy as np

    stages = result["stages"]
    keys = ["recognize", "finish", "understand", "step", "first_audio", "total", "total_whole"]
    names = [
        "recognize()\nwhole",
        "finish()\nincremental",
        "understand",
        "dialogue\nstep",
        "first audio\nchunk",
        "TOTAL\nincremental",
        "total\nwhole",
    ]
    medians = [stages[k]["median"] for k in keys]
    p95 = [stages[k]["p95"] for k in keys]
    y = np.arange(len(keys))[::-1]
    left.barh(y, p95, color="#c6dbef", label="p95")
    left.barh(y, medians, color="#1f77b4", label="median")
    for position, median, high in zip(y, medians, p95, strict=True):
        left.text(
            high + 4,
            position,
            f"{_num(median)} / {_num(high)} ms",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.8},
        )
    left.axvline(150, color="red", linestyle="--", label="goal: 150 ms")
    left.set_yticks(y, names, fontsize=8)
    left.set_xlabel("ms after the end-of-speech pause")
    left.set_xlim(0, max(max(p95) * 1.35, 170))
    left.set_title(f"Latency per stage: median / p95 ({result['utterances']} utterances)")
    left.legend(fontsize=8, loc="center right")


def _latency_spread(right: Any, result: Result) -> None:
    import numpy as np

    for key, label, colour in (
        ("total", "incremental (finish)", "#1f77b4"),
        ("total_whole", "whole utterance (recognize)", "#ff7f0e"),
    ):
        values = np.sort(np.array(result["samples_ms"][key]))
        right.plot(values, np.arange(1, len(values) + 1) / len(values), label=label, color=colour)
    right.axvline(150, color="red", linestyle="--", label="goal: 150 ms")
    right.set_xlabel("end of speech to first sound (ms)")
    right.set_ylabel("share of utterances")
    right.set_title("Distribution of the total")
    right.grid(alpha=0.3)
    right.legend(fontsize=8, loc="lower right")


def _scaling(result: Result, path: Path) -> None:
    """Build, decode and understanding times against the number of sections, log scale."""
    import matplotlib.pyplot as plt

    sizes = result["sizes"]
    sections = [s["sections"] for s in sizes]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    panels: list[tuple[Any, str, list[tuple[str, list[float]]]]] = [
        (
            axes[0],
            "language model build (s)",
            [
                ("build", [s["lm_build_s"] for s in sizes]),
                ("recognizer load", [s["recognizer_load_s"] for s in sizes]),
            ],
        ),
        (
            axes[1],
            "decode per utterance (ms)",
            [
                ("median", [s["decode_ms"]["median"] for s in sizes]),
                ("p95", [s["decode_ms"]["p95"] for s in sizes]),
            ],
        ),
        (
            axes[2],
            "understanding per utterance (ms)",
            [
                ("median", [s["understand_ms"]["median"] for s in sizes]),
                ("p95", [s["understand_ms"]["p95"] for s in sizes]),
            ],
        ),
    ]
    for axis, title, series in panels:
        _scaling_panel(axis, title, series, sections)
    _save(figure, path)


def _scaling_panel(
    axis: Any, title: str, series: list[tuple[str, list[float]]], sections: list[int]
) -> None:
    """Two series on one panel, each point labelled above or below its partner's."""
    for number, (label, values) in enumerate(series):
        axis.plot(sections, values, marker="o", label=label)
        other = series[1 - number][1]
        for x, value, beside in zip(sections, values, other, strict=True):
            axis.annotate(
                _num(value),
                (x, value),
                textcoords="offset points",
                xytext=(0, 6 if value >= beside else -13),
                ha="center",
                fontsize=8,
            )
    axis.set_xscale("log")
    axis.set_xticks(sections, [f"{s}\n({s // sections[0]}x)" for s in sections])
    axis.minorticks_off()
    axis.set_xlabel("sections in the pack")
    axis.set_title(title)
    highest = max(value for _, values in series for value in values)
    axis.set_ylim(-0.1 * highest, 1.15 * highest)
    axis.axhline(0, color="black", linewidth=0.6)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8, loc="best")


def _soak(result: Result, path: Path) -> None:
    """Per mode, RSS over the turns above the turn time over the turns."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(12, 7))
    for column, mode in enumerate(("text", "audio")):
        plain = result[mode]["plain"]
        _soak_memory(axes[0][column], mode, plain)
        _soak_speed(axes[1][column], mode, plain)
    _save(figure, path)


def _soak_memory(memory: Any, mode: str, plain: Result) -> None:
    turns, rss = zip(*plain["rss_samples"], strict=True)
    memory.plot(turns, rss, color="#1f77b4", label="RSS")
    memory.axhline(
        plain["rss_after_warm_up_mb"] + 10,
        color="red",
        linestyle="--",
        label="warm-up + 10 MB (goal)",
    )
    memory.set_ylim(
        bottom=max(0.0, min(rss) - 10), top=max(max(rss), plain["rss_after_warm_up_mb"]) + 15
    )
    memory.set_title(f"{mode}: RSS over {plain['turns']:,} turns")
    memory.set_ylabel("MB")
    memory.grid(alpha=0.3)
    memory.legend(fontsize=8, loc="lower right")


def _soak_speed(speed: Any, mode: str, plain: Result) -> None:
    at, times = zip(*plain["rolling_ms"], strict=True)
    block = at[0]
    speed.plot(at, times, marker=".", color="#ff7f0e", label=f"median of each {block} turns")
    window = plain["window"]
    speed.hlines(
        plain["first_ms"]["median"],
        0,
        window,
        colors="green",
        label=f"first {window:,}: {plain['first_ms']['median']:.2f} ms",
    )
    speed.hlines(
        plain["last_ms"]["median"],
        plain["turns"] - window,
        plain["turns"],
        colors="purple",
        label=f"last {window:,}: {plain['last_ms']['median']:.2f} ms",
    )
    speed.set_ylim(bottom=0, top=max(times) * 1.3)
    speed.set_title(f"{mode}: turn time (ratio last/first {plain['ratio']:.2f})")
    speed.set_xlabel("turn")
    speed.set_ylabel("ms")
    speed.grid(alpha=0.3)
    speed.legend(fontsize=8, loc="lower right")
