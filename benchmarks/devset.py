"""The development set: where recognizer and understanding changes are tried before the
spoken question set of ``spoken_set`` (which must stay unseen) measures them.

150 questions drawn from ``tests/data/paraphrases.tsv`` (no reading controls or short
answers; seed 5) and the 40 unrelated sentences of ``data/general_sentences.txt``, spoken
by six voices that the spoken question set does not use (the test voices and espeak-ng
``en-us+m7``), in four conditions: clean, pink noise at 15 dB, 25% faster, telephone band.

For each utterance it keeps what voice mode would do with it, and the parts needed to try
other rules without decoding again: the transcript, the recognizer's in-domain verdict,
the posterior and the intent understood with no rejection at all. It prints intent
accuracy per condition (an unrelated sentence counts as right when it is not taken up),
in-scope accuracy and the share of unrelated sentences turned away.

    python -m benchmarks.devset                       # PocketSphinx as shipped
    python -m benchmarks.devset --set lw=9 --set cmn=live --name lw9_live
    python -m benchmarks.devset --asr whisper --conditions clean,noise5 --set lead_seconds=1.0

``--set KEY=VALUE`` changes a PocketSphinx decoder setting, or with ``--asr whisper`` a
field of ``WhisperSettings`` (numbers are read as numbers); ``--conditions`` picks from
``spoken_set.CONDITIONS`` (noise5 too). The results go to ``benchmarks/out/dev/NAME.json``.
Two processes decode side by side (Whisper with one thread each).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from benchmarks import spoken_set
from benchmarks.common import OUT, ROOT, setting_value

VOICES = (
    "espeak:en-us", "flite:slt", "espeak:en-us+f3", "flite:kal16", "espeak:en+m3",
    "espeak:en-us+m7",
)  # fmt: skip
CONDITIONS = ("clean", "noise15", "fast25", "phone8k")
GENERAL = ROOT / "benchmarks" / "data" / "general_sentences.txt"
_SKIPPED = frozenset(
    "yes no more repeat stop faster slower louder softer goodbye help".split()
)  # short controls and answers: their spoken forms are too alike to say much here
_worker: dict[str, Any] = {}


def questions(count: int = 150) -> list[tuple[str, str]]:
    """(text, intent) pairs; unrelated sentences have the intent ``general``."""
    path = ROOT / "tests" / "data" / "paraphrases.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["intent"] not in _SKIPPED]
    random.Random(5).shuffle(rows)
    chosen = [(r["text"].strip().lower(), r["intent"].strip()) for r in rows[:count]]
    lines = GENERAL.read_text(encoding="utf-8").splitlines()
    return chosen + [(line.strip(), "general") for line in lines if line.strip()]


def _start(asr: str, settings: dict[str, Any]) -> None:
    from allvoice.content.library import load_content
    from allvoice.understanding import build_model

    pack = load_content()
    recognizer: Any
    if asr == "whisper":
        from allvoice.speech.asr.whisper import WhisperRecognizer, WhisperSettings

        recognizer = WhisperRecognizer(pack, settings=WhisperSettings(threads=1, **settings))
    else:
        from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer

        recognizer = PocketSphinxRecognizer(pack, settings=settings)
    _worker.update(recognizer=recognizer, model=build_model(pack))


def _decode(item: tuple[int, str, str, str]) -> dict[str, Any]:
    from allvoice.understanding import understand, understand_heard

    index, text, intent, condition = item
    voice = VOICES[index % len(VOICES)]
    chunk = spoken_set.render(text, voice, condition)
    started = time.perf_counter()
    transcript = _worker["recognizer"].recognize(chunk)
    seconds = time.perf_counter() - started
    model = _worker["model"]
    heard = understand(transcript.text, model)
    acted = understand_heard(transcript.text, model, not transcript.in_domain)
    return {
        "text": text, "intent": intent, "condition": condition, "voice": voice,
        "heard": transcript.text, "in_domain": transcript.in_domain,
        "confidence": transcript.confidence, "raw": str(heard.intent),
        "acted": str(acted.intent) if transcript.text else "unknown", "ms": 1000 * seconds,
    }  # fmt: skip


def _right(intent: str, got: str) -> bool:
    if intent == "general":
        return got in ("out_of_scope", "unknown")
    return got == intent


def summary(results: Sequence[dict[str, Any]], key: str = "acted") -> str:
    """Accuracy per condition, in scope, and unrelated sentences turned away."""
    parts = []
    for condition in dict.fromkeys(r["condition"] for r in results):
        rows = [r for r in results if r["condition"] == condition]
        if rows:
            share = sum(_right(r["intent"], r[key]) for r in rows) / len(rows)
            parts.append(f"{condition} {share:.1%}")
    in_scope = [r for r in results if r["intent"] != "general"]
    general = [r for r in results if r["intent"] == "general"]
    right = sum(_right(r["intent"], r[key]) for r in in_scope)
    parts.append(f"in scope {right / len(in_scope):.1%}")
    if general:
        turned = sum(_right("general", r[key]) for r in general) / len(general)
        parts.append(f"unrelated turned away {turned:.1%}")
    parts.append(f"decode median {statistics.median(r['ms'] for r in results):.0f} ms")
    return ", ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Decode the development set once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asr", choices=("pocketsphinx", "whisper"), default="pocketsphinx")
    parser.add_argument("--conditions", default=",".join(CONDITIONS))
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--name", default="shipped")
    args = parser.parse_args(argv)
    settings = {key: setting_value(value) for key, value in (s.split("=", 1) for s in args.set)}
    items = [
        (index, text, intent, condition)
        for condition in args.conditions.split(",")
        for index, (text, intent) in enumerate(questions())
    ]
    with Pool(2, initializer=_start, initargs=(args.asr, settings)) as pool:
        results = pool.map(_decode, items, chunksize=10)
    folder = OUT / "dev"
    folder.mkdir(parents=True, exist_ok=True)
    Path(folder / f"{args.name}.json").write_text(json.dumps(results), encoding="utf-8")
    print(f"{args.name}: {summary(results)}")
    print(f"{args.name}, no rejection: {summary(results, 'raw')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
