"""Accuracy: spoken intent accuracy (Whisper, domain and general PocketSphinx on the same
audio) and typed accuracy.

Spoken: every question of ``benchmarks/data/spoken_questions.tsv`` in every condition of
``spoken_set.CONDITIONS``, decoded by Whisper (the default recognizer), by the
domain-tuned PocketSphinx and by its stock general model on the same cached WAV,
condition by condition, and understood by
``allvoice.understanding.understand_heard`` (speech marked out of domain counts as
``out_of_scope``, as in ``spoken_set.evaluate``). Typed: ``tests/data/paraphrases.tsv`` (tuned on),
``benchmarks/data/typed_heldout.tsv`` (written blind, then its errors were read and fixed)
and ``benchmarks/data/typed_fresh.tsv`` (written blind on 2026-11-25; 90.8% on first
measurement, then its errors were read too) through
``allvoice.understanding.understand.understand``.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from allvoice.ports import Recognizer
from benchmarks import spoken_set
from benchmarks.common import OUT, ROOT, Config, Result, log, part_main, percentile, read_tsv

TYPED_SETS = {
    "paraphrases": ROOT / "tests" / "data" / "paraphrases.tsv",
    "heldout": ROOT / "benchmarks" / "data" / "typed_heldout.tsv",
    "fresh": ROOT / "benchmarks" / "data" / "typed_fresh.tsv",
}
TOP_CONFUSIONS = 12


def run(config: Config) -> Result:
    """Spoken and typed accuracy; see the module docstring."""
    return {"spoken": spoken(config), "typed": typed()}


def spoken(config: Config) -> Result:
    """Both recognizers on the spoken set, condition by condition, on the same audio."""
    from allvoice.content.library import load_content
    from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
    from allvoice.speech.asr.whisper import WhisperRecognizer

    pack = load_content()
    questions = spoken_set.load_questions()[:: config.spoken_stride]
    understand_fn = spoken_set.pack_understander(pack)
    models: dict[str, Recognizer] = {
        "whisper": WhisperRecognizer(pack),
        "domain": PocketSphinxRecognizer(pack),
        "general": PocketSphinxRecognizer(general=True),
    }
    results: dict[str, list[spoken_set.UtteranceResult]] = {name: [] for name in models}
    summaries: dict[str, dict[str, spoken_set.ConditionSummary]] = {n: {} for n in models}
    for condition in spoken_set.CONDITIONS:
        for name, recognizer in models.items():
            log(f"accuracy: {name} model, {condition}, {len(questions)} utterances")
            evaluation = spoken_set.evaluate(recognizer, understand_fn, [condition], questions)
            results[name] += evaluation.utterances
            summaries[name][condition] = evaluation.by_condition[0]
    _write_errors(OUT / "accuracy_errors.tsv", results)
    by_model = {name: _model_figures(results[name], summaries[name]) for name in models}
    return {
        "questions": len(questions),
        "stride": config.spoken_stride,
        "conditions": list(spoken_set.CONDITIONS),
        "voices": list(spoken_set.VOICES),
        "models": by_model,
        "confusions": _confusion_rows(
            {name: ((r.question.intent, str(r.intent)) for r in results[name]) for name in models}
        ),
    }


def _model_figures(
    results: Sequence[spoken_set.UtteranceResult],
    summaries: dict[str, spoken_set.ConditionSummary],
) -> Result:
    by_condition: Result = {}
    for condition, summary in summaries.items():
        seconds = [r.seconds for r in results if r.condition == condition]
        by_condition[condition] = {
            "n": summary.utterances,
            "accuracy": summary.intent_accuracy,
            "wer": summary.word_error_rate,
            "keyword_recall": summary.keyword_recall,
            "false_rejections": summary.false_rejections,
            "decode_median_ms": 1000 * statistics.median(seconds),
            "decode_p95_ms": 1000 * percentile(seconds, 95),
        }
    by_voice: dict[str, dict[str, float]] = defaultdict(dict)
    groups: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for r in results:
        groups[(r.voice, r.condition)].append(r.intent == r.question.intent)
    for (voice, condition), hits in groups.items():
        by_voice[voice][condition] = sum(hits) / len(hits)
    in_scope = [r for r in results if r.question.intent != "out_of_scope"]
    return {
        "by_condition": by_condition,
        "by_voice": dict(by_voice),
        "overall": sum(r.intent == r.question.intent for r in results) / max(len(results), 1),
        "in_scope_accuracy": sum(r.intent == r.question.intent for r in in_scope)
        / max(len(in_scope), 1),
    }


def typed() -> Result:
    """``understand`` on the typed sets: accuracy, time, the intents mixed up."""
    import time

    from allvoice.content.library import load_content
    from allvoice.understanding import build_model, understand

    model = build_model(load_content())
    figures: Result = {}
    pairs: dict[str, list[tuple[str, str]]] = {}
    for name, path in TYPED_SETS.items():
        rows = read_tsv(path)
        got: list[tuple[str, str]] = []
        seconds: list[float] = []
        for row in rows:
            started = time.perf_counter()
            intent = understand(row["text"], model).intent
            seconds.append(time.perf_counter() - started)
            got.append((row["intent"], intent))
        pairs[name] = got
        figures[name] = {
            "path": str(path.relative_to(ROOT)),
            "n": len(rows),
            "accuracy": sum(e == g for e, g in got) / max(len(got), 1),
            "median_ms": 1000 * statistics.median(seconds),
            "p95_ms": 1000 * percentile(seconds, 95),
        }
    figures["confusions"] = _confusion_rows(pairs)
    return figures


def _confusion_rows(pairs: Mapping[str, Iterable[tuple[str, str]]]) -> list[Result]:
    """The (expected, understood) pairs most often wrong, with a count per source."""
    counts = {name: Counter(p for p in got if p[0] != p[1]) for name, got in pairs.items()}
    total: Counter[tuple[str, str]] = Counter()
    for counter in counts.values():
        total.update(counter)
    return [
        {"expected": e, "understood": g, **{name: counts[name][(e, g)] for name in counts}}
        for (e, g), _ in total.most_common(TOP_CONFUSIONS)
    ]


def _write_errors(path: Path, results: dict[str, list[spoken_set.UtteranceResult]]) -> None:
    """Every misunderstood utterance, for reading (intermediate, not committed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(["model", "condition", "voice", "text", "expected", "heard", "understood"])
        for name, rows in results.items():
            for r in rows:
                if r.intent != r.question.intent:
                    out.writerow(
                        [
                            name,
                            r.condition,
                            r.voice,
                            r.question.text,
                            r.question.intent,
                            r.heard,
                            r.intent,
                        ]
                    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.accuracy [--quick|--full]``."""
    return part_main("accuracy", run, argv)


if __name__ == "__main__":
    sys.exit(main())
