"""Real people: word error rate and intent accuracy of every recognizer on the same audio.

The recordings are the development set in ``../shared/realvoice/`` (81 FLAC files and
``utterances.tsv``; see its README): read from there, never copied into the repository.
Each is converted with sox to 16 kHz 16-bit mono and decoded by each recognizer in one
process, one after the other: Whisper base (the default), PocketSphinx with the domain
model, PocketSphinx's general model.

* word error rate: ``benchmarks.wer`` (its normaliser is stated there), over all words;
* intent accuracy: the intent voice mode acts on (``spoken_set.pack_understander``)
  against the one it would act on had it heard the transcript's words exactly
  (``understand_heard`` on the transcript);
* symptoms: the share of recordings whose heard symptoms equal the typed ones;
* not caught: recordings heard as nothing, or doubted and not taken up.

``python -m benchmarks.realvoice`` (or ``benchmarks.run --only realvoice``); without the
folder the part records that it was skipped.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from allvoice.content.pack import Pack
from allvoice.ports import Recognizer
from benchmarks.common import ROOT, Config, Result, log, ms, part_main, settings_given
from benchmarks.wer import word_error_rate

REALVOICE = ROOT.parent / "shared" / "realvoice"
"""Where the recordings are, beside the clone."""


def recordings(folder: Path = REALVOICE) -> list[tuple[Path, str]]:
    """(FLAC path, what was said) for each recording listed in utterances.tsv."""
    with (folder / "utterances.tsv").open(encoding="utf-8", newline="") as handle:
        return [
            (folder / row["file"], row["phrase"]) for row in csv.DictReader(handle, delimiter="\t")
        ]


def read_audio(path: Path) -> bytes:
    """The recording as 16 kHz 16-bit mono samples (sox)."""
    command = ["sox", str(path), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16",
               "-e", "signed-integer", "-"]  # fmt: skip
    return subprocess.run(command, capture_output=True, check=True).stdout


def recognizers(names: Sequence[str], pack: Pack) -> dict[str, Callable[[], Recognizer]]:
    """Constructors of the recognizers compared, by engine name."""
    from allvoice.speech.asr.recognizer import make_recognizer

    return {name: (lambda n=name: make_recognizer(n, None, pack)) for name in names}


ENGINES = ("whisper", "pocketsphinx", "pocketsphinx-general")


def run(config: Config, engines: Sequence[str] = ENGINES) -> Result:
    """Every recognizer on every recording; see the module docstring."""
    if not (REALVOICE / "utterances.tsv").is_file():
        log(f"realvoice: {REALVOICE} is absent; skipped")
        return {"skipped": f"{REALVOICE} is absent"}
    from allvoice.content.library import load_content

    pack = load_content()
    items = recordings()
    measure = _Measure(pack, items)
    figures: Result = {}
    rows: dict[str, list[str]] = {}
    for name, make in recognizers(engines, pack).items():
        log(f"realvoice: {name}, {len(items)} recordings")
        figures[name], rows[name] = measure(name, make())
    _write_transcripts(rows, [path.name for path, _ in items])
    return {"recordings": len(items), "folder": "../shared/realvoice", "engines": figures}


def compare_whisper(variants: Sequence[dict[str, Any]]) -> Result:
    """Whisper as shipped, then with each variant of its settings (``WhisperSettings``
    fields), on every recording, in one process: what a faster decoding costs in errors."""
    from dataclasses import replace

    from allvoice.content.library import load_content
    from allvoice.speech.asr.whisper import WhisperRecognizer, WhisperSettings

    pack = load_content()
    items = recordings()
    measure = _Measure(pack, items)
    figures: Result = {}
    for variant in ({}, *variants):
        name = ",".join(f"{key}={value}" for key, value in variant.items()) or "shipped"
        settings = replace(WhisperSettings(), **variant)
        figures[name], _ = measure(name, WhisperRecognizer(pack, settings=settings))
    return {"recordings": len(items), "folder": "../shared/realvoice", "whisper": figures}


class _Measure:
    """One recognizer over every recording: WER, intents, symptoms, decoding time."""

    def __init__(self, pack: Pack, items: list[tuple[Path, str]]) -> None:
        from allvoice.understanding import build_model, understand_heard
        from benchmarks.spoken_set import pack_understander

        self.items = items
        self.model = build_model(pack)
        self.intent_of = pack_understander(pack)
        self.audio = [read_audio(path) for path, _ in items]
        self.typed = [understand_heard(said, self.model) for _, said in items]

    def __call__(self, name: str, recognizer: Recognizer) -> tuple[Result, list[str]]:
        from allvoice.ports import AudioChunk
        from allvoice.understanding import understand_heard

        recognizer.recognize(AudioChunk(16000, 2, 1, bytes(32000)))  # warmed up, not timed
        heard, seconds, right, symptoms, missed = [], [], 0, 0, 0
        for samples, expected in zip(self.audio, self.typed, strict=True):
            started = time.perf_counter()
            transcript = recognizer.recognize(AudioChunk(16000, 2, 1, samples))
            seconds.append(time.perf_counter() - started)
            heard.append(transcript.text)
            intent = self.intent_of(transcript)
            right += intent == expected.intent
            missed += intent == "out_of_scope" and expected.intent != "out_of_scope"
            spoken = understand_heard(transcript.text, self.model) if transcript.text else None
            symptoms += set(spoken.symptoms if spoken else ()) == set(expected.symptoms)
        count = len(self.items)
        pairs = [(said, h) for (_, said), h in zip(self.items, heard, strict=True)]
        figures = {
            "wer": word_error_rate(pairs),
            "intent_accuracy": right / count,
            "symptoms_match": symptoms / count,
            "not_caught": missed / count,
            "decode": ms(seconds),
        }
        log(f"realvoice: {name}: WER {figures['wer']:.3f}, intent {right}/{count}, "
            f"median {statistics.median(seconds) * 1000:.0f} ms")  # fmt: skip
        return figures, heard


def _write_transcripts(rows: dict[str, list[str]], names: list[str]) -> None:
    """What each recognizer heard, for reading the errors (benchmarks/out, not committed)."""
    out = ROOT / "benchmarks" / "out" / "realvoice_heard.tsv"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ["file\t" + "\t".join(rows)]
    lines += [f"{name}\t" + "\t".join(r[i] for r in rows.values()) for i, name in enumerate(names)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.realvoice [--quick|--full]``; with ``--whisper
    KEY=VALUE[,KEY=VALUE]`` (repeatable), Whisper as shipped and with each variant of its
    settings instead, e.g. ``--whisper beam_size=1 --whisper margin_seconds=2``
    (saved as ``realvoice_whisper``)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--whisper", action="append", default=[], metavar="KEY=VALUE,...")
    args, rest = parser.parse_known_args(argv)
    if not args.whisper:
        return part_main("realvoice", run, rest)
    variants = [settings_given(spec) for spec in args.whisper]
    return part_main("realvoice_whisper", lambda _: compare_whisper(variants), rest)


if __name__ == "__main__":
    sys.exit(main())
