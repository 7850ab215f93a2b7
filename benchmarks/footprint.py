"""Footprint: start-up time, peak memory, size of the built language model.

* Text mode: ``python -m allvoice --text`` with standard input a pipe, timed from the
  start of the process until the welcome line appears on standard output; then 20 questions
  are typed and standard input is closed, and the process's peak RSS is read from
  ``wait4`` (its own ``ru_maxrss``).
* Voice mode: ``python -m allvoice --listen-file conversation.wav --speak-to reply.wav``,
  timed until the welcome line, which voice mode prints once the recognizer and the
  synthesizer are ready to listen; with a warm model cache and with an empty
  ``XDG_CACHE_HOME`` (the language model is built first). Peak RSS after it has answered
  the whole recording.
* ``ask --wav``: ``python -m allvoice ask --json --wav question.wav`` on one spoken
  question, timed from start to exit (start-up and the answer), and its peak RSS.
* ``PocketSphinxRecognizer`` construction alone, in a fresh process each time: warm cache,
  empty cache, and the stock general model.
* The size of the built model (``allvoice.speech.asr.lm``'s cache folder).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import spoken_set
from benchmarks.common import OUT, ROOT, Config, Result, log, part_main

TEXT_QUESTIONS = (
    "what is a l l",
    "what are the symptoms",
    "more",
    "is it inherited",
    "repeat",
    "my son has a fever and bone pain",
    "about two weeks",
    "getting worse",
    "slower",
    "what are the risk factors",
    "louder",
    "who gets it",
    "when should i see a doctor",
    "where does this come from",
    "help",
    "spell lymphocytic",
    "previous",
    "stop",
    "what causes it",
    "goodbye",
)
VOICE_QUESTIONS = 12
"""Spoken questions in the recording used for voice-mode peak memory."""
TIMEOUT = 600.0

_CONSTRUCT = """
import json, sys, time
from pathlib import Path
from allvoice.content.library import load_content
from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
pack = load_content()
started = time.perf_counter()
if sys.argv[1] == "general":
    recognizer = PocketSphinxRecognizer(general=True)
else:
    recognizer = PocketSphinxRecognizer(pack, cache_dir=Path(sys.argv[1]))
seconds = time.perf_counter() - started
rebuilt = bool(recognizer.model and recognizer.model.rebuilt)
print(json.dumps({"seconds": seconds, "rebuilt": rebuilt}))
"""


def run(config: Config) -> Result:
    """Start-up times, peak RSS per mode, model size."""
    work = OUT / "footprint"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config_file = work / "settings.toml"  # absent: the default settings, never the user's
    warm_cache = work / "cache"
    recordings = _recordings(work)
    repeats = config.startup_repeats

    log(f"footprint: text mode start-up x{repeats}")
    text_runs = [
        _start(
            [sys.executable, "-m", "allvoice", "--text", "--config", str(config_file)],
            work,
            warm_cache,
            "\n".join(TEXT_QUESTIONS) + "\n",
        )
        for _ in range(repeats)
    ]

    voice_command = [
        sys.executable,
        "-m",
        "allvoice",
        "--listen-file",
        str(recordings["short"]),
        "--speak-to",
        str(work / "reply.wav"),
        "--config",
        str(config_file),
    ]
    _start(voice_command, work, warm_cache)  # builds the model: the cache is warm from here on
    log(f"footprint: voice mode start-up x{repeats}, warm and cold cache")
    voice_warm = [_start(voice_command, work, warm_cache) for _ in range(repeats)]
    voice_cold = []
    for number in range(repeats):
        cold = work / f"cold-{number}"
        voice_cold.append(_start(voice_command, work, cold))
        shutil.rmtree(cold, ignore_errors=True)
    long_command = [*voice_command]
    long_command[4] = str(recordings["long"])
    log(f"footprint: voice mode peak memory over {VOICE_QUESTIONS} spoken questions")
    voice_long = _start(long_command, work, warm_cache)
    log("footprint: the same with --asr pocketsphinx")
    voice_long_ps = _start([*long_command, "--asr", "pocketsphinx"], work, warm_cache)

    log(f"footprint: ask --wav on one spoken question x{repeats}")
    ask_command = [
        sys.executable, "-m", "allvoice", "ask", "--json", "--wav", str(recordings["one"]),
        "--config", str(config_file),
    ]  # fmt: skip
    ask_runs = [_start(ask_command, work, warm_cache) for _ in range(repeats)]

    log("footprint: recognizer construction, fresh process each time")
    construct = {
        "warm": [_construct(str(warm_cache)) for _ in range(repeats)],
        "cold": [],
        "general": [_construct("general") for _ in range(repeats)],
    }
    for number in range(repeats):
        cold = work / f"construct-cold-{number}"
        construct["cold"].append(_construct(str(cold)))
        shutil.rmtree(cold, ignore_errors=True)

    return {
        "text": _summary(text_runs),
        "voice_warm": _summary(voice_warm),
        "voice_cold": _summary(voice_cold),
        "ask_wav": {
            "median_s": statistics.median(r["seconds"] for r in ask_runs),
            "min_s": min(r["seconds"] for r in ask_runs),
            "max_s": max(r["seconds"] for r in ask_runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in ask_runs),
        },
        "voice_long": {
            "peak_rss_mb": voice_long["peak_rss_mb"],
            "seconds": voice_long["seconds"],
            "output_lines": voice_long["lines"],
            "questions": VOICE_QUESTIONS,
            "pocketsphinx_peak_rss_mb": voice_long_ps["peak_rss_mb"],
            "pocketsphinx_seconds": voice_long_ps["seconds"],
        },
        "whisper_model": _whisper_size(warm_cache),
        "construct": {
            name: {
                "median_s": statistics.median(runs),
                "min_s": min(runs),
                "max_s": max(runs),
                "runs": runs,
            }
            for name, runs in construct.items()
        },
        "model": _model_size(warm_cache),
        "repeats": repeats,
    }


def _start(command: list[str], work: Path, cache: Path, stdin_text: str = "") -> Result:
    """Run ``command``; seconds until its first line of output, its peak RSS, its output."""
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(cache),
        "XDG_CONFIG_HOME": str(work / "config"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    log_file = work / "stderr.txt"
    with log_file.open("w", encoding="utf-8") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert process.stdin is not None and process.stdout is not None
    first = process.stdout.readline()
    first_seconds = time.perf_counter() - started
    try:
        process.stdin.write(stdin_text)
        process.stdin.close()
    except BrokenPipeError:
        pass
    rest = process.stdout.read()
    errors = log_file.read_text(encoding="utf-8", errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0 or not first.strip():
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {errors[-2000:]}")
    return {
        "first_line_s": first_seconds,
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss * 1024 / 1e6,
        "first_line": first.strip()[:80],
        "lines": len([line for line in (first + rest).splitlines() if line.strip()]),
    }


def _summary(runs: list[Result]) -> Result:
    starts = [float(r["first_line_s"]) for r in runs]
    return {
        "median_s": statistics.median(starts),
        "min_s": min(starts),
        "max_s": max(starts),
        "runs_s": starts,
        "peak_rss_mb": max(float(r["peak_rss_mb"]) for r in runs),
        "first_line": runs[0]["first_line"],
    }


def _construct(cache: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CONSTRUCT, cache],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return float(data["seconds"])


def _recordings(work: Path) -> dict[str, Path]:
    """Two recordings of spoken questions, 1.5 s of silence apart: 3 and VOICE_QUESTIONS."""
    from allvoice.ports import AudioChunk
    from allvoice.speech.audio.wavfile import write_wav

    questions = [q for q in spoken_set.load_questions() if q.intent != "goodbye"]
    step = max(1, len(questions) // VOICE_QUESTIONS)
    chosen = questions[::step][:VOICE_QUESTIONS]
    gap = bytes(2 * 24_000)
    pieces = [
        spoken_set.render(q.text, spoken_set.VOICES[i % 5], "clean").audio
        for i, q in enumerate(chosen)
    ]
    paths = {}
    for name, count in (("one", 1), ("short", 3), ("long", VOICE_QUESTIONS)):
        audio = gap + b"".join(piece + gap for piece in pieces[:count])
        paths[name] = work / f"{name}.wav"
        write_wav(paths[name], AudioChunk(16_000, 2, 1, audio))
    return paths


def _whisper_size(cache: Path) -> Result:
    """The assembled Whisper model in the cache, in MB (10^6 bytes)."""
    folders = sorted((cache / "allvoice").glob("whisper-base-*"))
    if not folders:
        return {}
    files = {p.name: p.stat().st_size for p in sorted(folders[0].iterdir()) if p.is_file()}
    return {"folder": folders[0].name, "total_mb": sum(files.values()) / 1e6}


def _model_size(cache: Path) -> Result:
    """Files of the built domain model and the n-gram counts of its ARPA header."""
    models = sorted((cache / "allvoice").glob("domain-*"))
    if not models:
        return {}
    folder = models[0]
    files = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    grams: dict[str, int] = {}
    with (folder / "domain.lm").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("ngram "):
                order, count = line.split()[1].split("=")
                grams[f"{order}-grams"] = int(count)
            elif line.startswith("\\1-grams"):
                break
    words = sum(1 for line in (folder / "domain.dict").open(encoding="utf-8") if line.strip())
    return {
        "folder": f"$XDG_CACHE_HOME/allvoice/{folder.name}",
        "files": files,
        "total_bytes": sum(files.values()),
        "ngrams": grams,
        "dictionary_entries": words,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.footprint [--quick|--full]``."""
    return part_main("footprint", run, argv)


if __name__ == "__main__":
    sys.exit(main())
