"""A spoken question set: how well the recognizer (and understanding) do on held-out speech.

The questions are ``benchmarks/data/spoken_questions.tsv`` (``text<TAB>intent``), written
for this benchmark and used by no test or training step. Each is spoken by one of five
voices that no test uses (espeak-ng and flite, taken in turn), and played in the
conditions of ``CONDITIONS``: clean, pink noise at 15 and 5 dB SNR, 25% faster, and
telephone band (8 kHz, 300-3400 Hz). WAVs are cached in ``benchmarks/out/spoken/``.

``evaluate(recognizer, understand_fn, conditions)`` decodes every utterance and returns
per-utterance results and per-condition figures: word error rate and key-word recall on
the in-scope questions, intent accuracy on all (as voice mode acts on the transcript:
see ``pack_understander``), the share of in-scope questions the recognizer marked out of
domain, and the median decode time. Run ``python -m benchmarks.spoken_set`` for the
domain model and the stock general model side by side.
"""

from __future__ import annotations

import argparse
import array
import csv
import hashlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from allvoice.content.pack import Pack, load_pack
from allvoice.ports import AudioChunk, Recognizer, Transcript
from benchmarks.wer import wer_words, word_errors

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "data" / "spoken_questions.tsv"
OUT = HERE / "out"
CONDITIONS = ("clean", "noise15", "noise5", "fast25", "phone8k")
VOICES = ("espeak:en-us+m5", "flite:rms", "espeak:en-gb-x-rp", "flite:awb", "espeak:en-us+f4")
"""Engine and voice; the tests use other ones (en-us, en-us+f3, en+m3, slt, kal16)."""
UnderstandFn = Callable[[Transcript], str]
"""A transcript to the intent voice mode acts on (``out_of_scope`` for rejected speech)."""
_STOP_WORDS = frozenset(
    "a an the i me my we our you your he she it its they them his her is are am was were be "
    "been do does did to of in on at for and or but so if that this there what how why when "
    "who which can could should would will have has had not no yes please".split()
)


@dataclass(frozen=True)
class SpokenQuestion:
    """One line of the question set."""

    text: str
    """What is said, lower case."""
    intent: str
    """The intent it should be understood as."""


@dataclass(frozen=True)
class UtteranceResult:
    """How one spoken question fared."""

    question: SpokenQuestion
    """The question."""
    voice: str
    """engine:voice that spoke it."""
    condition: str
    """One of CONDITIONS."""
    heard: str
    """The recognizer's transcript."""
    in_domain: bool
    """The recognizer's in-domain verdict."""
    intent: str | None
    """Intent understood from the transcript; None without an understand function."""
    word_errors: int
    """Substitutions, deletions and insertions against the question's words."""
    keywords: int
    """Content words of the question."""
    keywords_heard: int
    """How many of them are in the transcript."""
    seconds: float
    """Time spent decoding."""


@dataclass(frozen=True)
class ConditionSummary:
    """Figures for one condition."""

    condition: str
    """One of CONDITIONS."""
    utterances: int
    """Utterances decoded."""
    word_error_rate: float
    """Over the in-scope questions (not out_of_scope)."""
    keyword_recall: float
    """Share of the in-scope questions' content words that were heard."""
    intent_accuracy: float | None
    """Share of all utterances understood as their intent; None without understanding."""
    false_rejections: float
    """Share of in-scope questions the recognizer marked out of domain."""
    median_ms: float
    """Median decode time per utterance, milliseconds."""


@dataclass(frozen=True)
class Evaluation:
    """Everything ``evaluate`` measured."""

    utterances: tuple[UtteranceResult, ...]
    """Per utterance, in order."""
    by_condition: tuple[ConditionSummary, ...]
    """Per condition, in the order asked for."""


def load_questions(path: Path = QUESTIONS) -> list[SpokenQuestion]:
    """The question set."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [SpokenQuestion(row["text"].strip(), row["intent"].strip()) for row in rows]


def evaluate(
    recognizer: Recognizer,
    understand_fn: UnderstandFn | None,
    conditions: Sequence[str] = CONDITIONS,
    questions: Sequence[SpokenQuestion] | None = None,
) -> Evaluation:
    """Decode every question in every condition; see the module docstring."""
    questions = load_questions() if questions is None else questions
    results: list[UtteranceResult] = []
    for condition in conditions:
        for index, question in enumerate(questions):
            voice = VOICES[index % len(VOICES)]
            chunk = render(question.text, voice, condition)
            started = time.perf_counter()
            transcript = recognizer.recognize(chunk)
            seconds = time.perf_counter() - started
            intent = None
            if understand_fn is not None:
                intent = understand_fn(transcript)
            errors = word_errors(wer_words(question.text), wer_words(transcript.text))
            keywords = [w for w in question.text.split() if w not in _STOP_WORDS]
            heard = set(transcript.text.split()) | {transcript.text.replace(" ", "")}
            results.append(
                UtteranceResult(
                    question, voice, condition, transcript.text, transcript.in_domain, intent,
                    errors, len(keywords), sum(w in heard for w in keywords), seconds,
                )
            )  # fmt: skip
    summaries = tuple(_summarise(condition, results) for condition in conditions)
    return Evaluation(tuple(results), summaries)


def _summarise(condition: str, all_results: list[UtteranceResult]) -> ConditionSummary:
    results = [r for r in all_results if r.condition == condition]
    in_scope = [r for r in results if r.question.intent != "out_of_scope"]
    words = sum(len(r.question.text.split()) for r in in_scope)
    keywords = sum(r.keywords for r in in_scope)
    understood = [r for r in results if r.intent is not None]
    return ConditionSummary(
        condition=condition,
        utterances=len(results),
        word_error_rate=sum(r.word_errors for r in in_scope) / max(words, 1),
        keyword_recall=sum(r.keywords_heard for r in in_scope) / max(keywords, 1),
        intent_accuracy=(
            sum(r.intent == r.question.intent for r in understood) / len(understood)
            if understood
            else None
        ),
        false_rejections=sum(not r.in_domain for r in in_scope) / max(len(in_scope), 1),
        median_ms=1000 * statistics.median(r.seconds for r in results) if results else 0.0,
    )


# --- rendering -------------------------------------------------------------------------


def render(text: str, voice: str, condition: str) -> AudioChunk:
    """The utterance as 16 kHz 16-bit mono audio, from the WAV cache when there."""
    key = hashlib.sha1(f"{text}|{voice}|{condition}".encode()).hexdigest()[:16]
    path = OUT / "spoken" / condition / f"{key}.wav"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        samples = _synthesise(text, voice, condition)
        if condition.startswith("noise"):
            samples = add_noise(samples, float(condition.removeprefix("noise")), seed=key)
        _write_wav(path, samples)
    with wave.open(str(path), "rb") as wav:
        return AudioChunk(
            wav.getframerate(), wav.getsampwidth(), 1, wav.readframes(wav.getnframes())
        )


def _synthesise(text: str, voice: str, condition: str) -> bytes:
    engine, name = voice.split(":", 1)
    effects = {
        "fast25": ["tempo", "-s", "1.25"],
        "phone8k": ["rate", "8000", "sinc", "300-3400", "rate", "16000"],
    }.get(condition, [])
    with tempfile.TemporaryDirectory() as folder:
        raw, out = Path(folder) / "raw.wav", Path(folder) / "out.wav"
        if engine == "espeak":
            command = ["espeak-ng", "-v", name, "-w", str(raw), text]
        else:
            command = ["flite", "-voice", name, "-t", text, "-o", str(raw)]
        subprocess.run(command, check=True, capture_output=True)
        # -D: no dither, so that the same text and voice give the same samples every time
        sox = ["sox", "-D", str(raw), "-r", "16000", "-b", "16", "-c", "1", str(out), *effects]
        subprocess.run(sox, check=True, capture_output=True)
        with wave.open(str(out), "rb") as wav:
            return wav.readframes(wav.getnframes())


def add_noise(samples: bytes, snr_db: float, seed: str) -> bytes:
    """Mix in pink noise (Kellet's filter on white noise) at ``snr_db`` below the speech."""
    speech = array.array("h", samples)
    rng = random.Random(seed)
    pink: list[float] = []
    b0 = b1 = b2 = 0.0
    for _ in speech:
        white = rng.gauss(0.0, 1.0)
        b0 = 0.99765 * b0 + white * 0.0990460
        b1 = 0.96300 * b1 + white * 0.2965164
        b2 = 0.57000 * b2 + white * 1.0526913
        pink.append(b0 + b1 + b2 + white * 0.1848)
    speech_power = sum(s * s for s in speech) / max(len(speech), 1)
    noise_power = sum(n * n for n in pink) / max(len(pink), 1)
    gain = (speech_power / (noise_power * 10 ** (snr_db / 10))) ** 0.5
    mixed = (
        max(-32768, min(32767, round(s + n * gain))) for s, n in zip(speech, pink, strict=True)
    )
    return array.array("h", mixed).tobytes()


def _write_wav(path: Path, samples: bytes) -> None:
    partial = path.with_suffix(".part")
    with wave.open(str(partial), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(samples)
    partial.replace(path)


# --- command line ----------------------------------------------------------------------


def pack_understander(pack: Pack) -> UnderstandFn:
    """What voice mode makes of a transcript (``allvoice.understanding.spoken.understand_heard``,
    and ``under_doubt`` when the recognizer doubted it), as transcript -> intent. Speech that
    is then not taken up counts as ``out_of_scope``, and so does a doubted question that
    voice mode offers back for a yes or no: it is not answered in that turn."""
    from allvoice.understanding import build_model, understand_heard

    model = build_model(pack)

    def intent_of(transcript: Transcript) -> str:
        if not transcript.text:
            return "out_of_scope"
        taken = understand_heard(transcript.text, model, not transcript.in_domain)
        if not transcript.in_domain and taken.intent == "unknown":
            return "out_of_scope"
        return str(taken.intent)

    return intent_of


def report(named: dict[str, Evaluation]) -> str:
    """A Markdown table, one row per condition and model."""
    lines = [
        "| condition | model | WER | key words | intent | false reject | median ms |",
        "|---|---|---|---|---|---|---|",
    ]
    conditions = next(iter(named.values())).by_condition if named else ()
    for position, first in enumerate(conditions):
        for name, evaluation in named.items():
            s = evaluation.by_condition[position]
            intent = f"{s.intent_accuracy:.1%}" if s.intent_accuracy is not None else "-"
            lines.append(
                f"| {first.condition} | {name} | {s.word_error_rate:.1%} | {s.keyword_recall:.1%}"
                f" | {intent} | {s.false_rejections:.1%} | {s.median_ms:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Domain model and general model side by side on the spoken set."""
    from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conditions", default=",".join(CONDITIONS))
    parser.add_argument("--limit", type=int, default=0, help="use every n-th question only")
    parser.add_argument("--no-general", action="store_true", help="skip the slow general model")
    args = parser.parse_args(argv)
    pack = load_pack()
    questions = load_questions()
    if args.limit:
        questions = questions[:: args.limit]
    conditions = args.conditions.split(",")
    understand_fn = pack_understander(pack)
    models: dict[str, Recognizer] = {"domain": PocketSphinxRecognizer(pack)}
    if not args.no_general:
        models["general"] = PocketSphinxRecognizer(general=True)
    named = {name: evaluate(r, understand_fn, conditions, questions) for name, r in models.items()}
    table = report(named)
    OUT.mkdir(exist_ok=True)
    (OUT / "spoken_report.md").write_text(table, encoding="utf-8")
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
