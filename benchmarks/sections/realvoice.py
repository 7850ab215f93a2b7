"""The "Real voices" section: recordings of real people, decoded by every recognizer."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import ms, pct, table


def section(result: Result | None) -> list[str]:
    """Word error rate, intent and symptoms per recognizer, or why it was not measured."""
    lines = ["## Real voices", ""]
    if result is None or "engines" not in result:
        reason = result["skipped"] if result else "not run"
        return [*lines, f"Not measured: {reason}.", ""]
    lines += [
        f"{result['recordings']} recordings of real people describing how they feel "
        f"(`{result['folder']}`, the development set: read from there, never copied into the "
        "repository), each decoded by every recognizer in one process "
        "(`python -m benchmarks.run --only realvoice`). Word error rate over all words, "
        "with the normaliser of `benchmarks/wer.py` (lower case, punctuation dropped, "
        "contractions expanded, digits spelled out). Intent accuracy: the intent voice mode "
        "acts on, against the one it would act on had it heard the transcript's words "
        "exactly; symptoms: the symptoms heard equal those of the transcript; not caught: "
        "taken as not heard.",
        "",
    ]
    names = {
        "whisper": "Whisper base (default)",
        "pocketsphinx": "PocketSphinx, domain model",
        "pocketsphinx-general": "PocketSphinx, general",
    }
    rows = []
    for key, label in names.items():
        r = result["engines"].get(key)
        if r is None:
            continue
        rows.append(
            [
                label,
                f"{r['wer']:.3f}",
                pct(r["intent_accuracy"]),
                pct(r["symptoms_match"]),
                pct(r["not_caught"]),
                ms(r["decode"]["median"]),
                ms(r["decode"]["p95"]),
            ]
        )
    lines += table(
        ["recognizer", "WER", "intent", "symptoms", "not caught", "decode median", "p95"], rows
    )
    return lines
