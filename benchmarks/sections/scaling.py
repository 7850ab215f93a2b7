"""The "4. Scaling" section: generated packs of growing size, each measured in a fresh process."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import Result
from benchmarks.sections.format import mb, ms, s, table


def section(result: Result | None, plots: dict[str, Path]) -> list[str]:
    """Build, load, decode and understanding times and memory per pack size, and the plot."""
    lines = ["## 4. Scaling", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    lines += [
        "Generated packs: `content/all` plus renamed copies of its sections (distinct ids, "
        "about a third of the keywords and questions varied by one word), each size measured "
        "in a fresh process. Language model build into an empty cache; decode on clean "
        "spoken-set WAVs; understanding on the 400 typed held-out questions.",
        "",
    ]
    rows = []
    for size in result["sizes"]:
        rows.append(
            [
                f"{size['factor']}x",
                size["sections"],
                f"{size['corpus_sentences']:,}",
                f"{size['lm_bytes'] / 1e6:.1f} MB",
                s(size["lm_build_s"]),
                s(size["recognizer_load_s"]),
                f"{ms(size['decode_ms']['median'])} / {ms(size['decode_ms']['p95'])}",
                s(size["build_model_s"]),
                f"{ms(size['understand_ms']['median'])} / {ms(size['understand_ms']['p95'])}",
                mb(size["peak_rss_mb"]),
            ]
        )
    lines += table(
        [
            "pack",
            "sections",
            "corpus sentences",
            "LM file",
            "LM build",
            "recognizer load",
            "decode median / p95",
            "understanding model build",
            "understand median / p95",
            "peak RSS",
        ],
        rows,
    )
    lines += [f"![Scaling with pack size]({plots['scaling'].name})", ""]
    return lines
