"""The "1. Accuracy" section: the spoken set under every condition, and the typed sets."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import Result
from benchmarks.sections.format import LABELS, MODELS, ms, pct, table

TYPED_NAMES = {"paraphrases": "paraphrases", "heldout": "held-out", "fresh": "fresh"}
"""Typed sets in table order, with their column headings."""


def section(result: Result | None, plots: dict[str, Path]) -> list[str]:
    """Intent accuracy, WER, doubt and decode time per condition and voice, then typed."""
    lines = ["## 1. Accuracy", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    spoken = result["spoken"]
    stride = spoken["stride"]
    lines += [
        f"Spoken question set: {spoken['questions']} questions"
        + (f" (every {stride}th)" if stride > 1 else "")
        + f" x {len(spoken['conditions'])} conditions, spoken by {len(spoken['voices'])} voices "
        "no test uses, decoded by Whisper base (the default), by the domain-tuned PocketSphinx "
        "and by PocketSphinx's stock general model on the same audio in the same run "
        "(`benchmarks/spoken_set.py`). Intent accuracy counts "
        "every utterance, as voice mode acts on it: speech the recognizer doubts counts as "
        "`out_of_scope`, unless it is an emergency or a report of two or more symptoms "
        "(`understand.under_doubt`); a doubted question offered back for a yes is not "
        "counted as answered. WER uses the normaliser of `benchmarks/wer.py`.",
        "",
        *_by_condition(spoken),
        f"![Spoken intent accuracy per condition]({plots['accuracy'].name})",
        "",
        *_by_voice(spoken),
        *_typed(result["typed"]),
        *_confusions(spoken, result["typed"]),
        "Every misunderstood utterance, with what was heard: `benchmarks/out/accuracy_errors.tsv`.",
        "",
    ]
    return lines


def _by_condition(spoken: Result) -> list[str]:
    models = spoken["models"]
    rows = []
    for condition in spoken["conditions"]:
        figures = [models[name]["by_condition"][condition] for name in MODELS]
        rows.append(
            [
                LABELS.get(condition, condition),
                figures[0]["n"],
                " / ".join(pct(f["accuracy"]) for f in figures),
                " / ".join(pct(f["wer"]) for f in figures),
                " / ".join(pct(f["false_rejections"]) for f in figures),
                " / ".join(ms(f["decode_median_ms"]) for f in figures),
            ]
        )
    heading = " / ".join(MODELS.values())
    return table(
        [
            "condition",
            "utterances",
            f"intent: {heading}",
            f"WER: {heading}",
            f"doubted: {heading}",
            f"decode median: {heading}",
        ],
        rows,
    )


def _by_voice(spoken: Result) -> list[str]:
    models = spoken["models"]
    rows = []
    for voice in spoken["voices"]:
        row = [f"`{voice}`"]
        for condition in spoken["conditions"]:
            row.append(
                " / ".join(
                    pct(models[name]["by_voice"].get(voice, {}).get(condition)) for name in MODELS
                )
            )
        rows.append(row)
    return [
        "Intent accuracy per voice (" + " / ".join(MODELS.values()) + "):",
        "",
        *table(["voice", *(LABELS.get(c, c) for c in spoken["conditions"])], rows),
    ]


def _typed(typed: Result) -> list[str]:
    return [
        "Typed questions, `allvoice.understanding.understand.understand`:",
        "",
        *table(
            ["set", "questions", "intent accuracy", "median", "p95"],
            [
                [
                    f"`{typed[name]['path']}`",
                    typed[name]["n"],
                    pct(typed[name]["accuracy"]),
                    ms(typed[name]["median_ms"]),
                    ms(typed[name]["p95_ms"]),
                ]
                for name in TYPED_NAMES
                if name in typed
            ],
        ),
    ]


def _confusions(spoken: Result, typed: Result) -> list[str]:
    """The intents most often mixed up, spoken (per recognizer) and typed (per set)."""
    sets = [name for name in TYPED_NAMES if name in typed]
    return [
        "Intents most often mixed up, spoken (all conditions; count of utterances):",
        "",
        *table(
            ["expected", "understood as", *MODELS.values()],
            [
                [c["expected"], c["understood"], *(c[n] for n in MODELS)]
                for c in spoken["confusions"]
            ],
        ),
        "Intents most often mixed up, typed:",
        "",
        *table(
            ["expected", "understood as", *(TYPED_NAMES[n] for n in sets)],
            [[c["expected"], c["understood"], *(c[n] for n in sets)] for c in typed["confusions"]],
        ),
    ]
