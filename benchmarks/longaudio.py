"""Long recordings: peak memory and time of ``ask --wav`` and ``--listen-file`` on 10 and
60 minutes of noise, of silence and of continuous speech (issue 18).

The recordings are made here, in ``benchmarks/out/longaudio/``, a minute at a time (never
whole in memory): steady hiss (white noise at -26 dBFS RMS), digital silence, and the
spoken-set questions said one after another by the five synthetic voices with 0.3 s
between them. Each command runs in a fresh process with the default recognizer (Whisper);
its peak memory is its own maximum resident set size (``ru_maxrss`` from ``wait4``, as
``/usr/bin/time -v`` reports it), its time the wall time from start to exit.

Sizes: default 10 and 60 minutes (``--listen-file`` on 60 minutes of speech only with
``--full``: it answers every question in it, about 700); ``--quick`` 1 and 3 minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks import spoken_set
from benchmarks.common import OUT, ROOT, Config, Result, log, part_main

RATE = 16_000
KINDS = ("noise", "silence", "speech")
LIMIT_MB = 450.0
"""The issue's bound on peak memory."""


def run(config: Config) -> Result:
    """Each kind and length through ``ask --wav``, and through ``--listen-file``."""
    work = OUT / "longaudio"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    minutes = (1, 3) if config.mode == "quick" else (10, 60)
    speech = _speech_pieces()
    runs: list[Result] = []
    for length in minutes:
        for kind in KINDS:
            path = _write(work / f"{kind}-{length}min.wav", kind, length, speech)
            commands = [("ask --wav", ["ask", "--json", "--wav", str(path)])]
            if kind != "speech" or length == minutes[0] or config.mode == "full":
                commands.append(("--listen-file", ["--listen-file", str(path), "--json"]))
            for name, args in commands:
                log(f"longaudio: {name} on {length} min of {kind}")
                runs.append({"kind": kind, "minutes": length, "command": name,
                             **_measure(args, work)})  # fmt: skip
            path.unlink()
    return {"runs": runs, "limit_mb": LIMIT_MB,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}  # fmt: skip


def _speech_pieces() -> list[bytes]:
    """The spoken-set questions, each rendered once by one of the five voices."""
    questions = [q for q in spoken_set.load_questions() if q.intent != "goodbye"][:60]
    gap = bytes(2 * round(0.3 * RATE))
    return [
        spoken_set.render(q.text, spoken_set.VOICES[i % 5], "clean").audio + gap
        for i, q in enumerate(questions)
    ]


def _write(path: Path, kind: str, minutes: int, speech: list[bytes]) -> Path:
    """``minutes`` of ``kind``, written a minute at a time."""
    rng = np.random.default_rng(18)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        if kind == "speech":
            written, index = 0, 0
            while written < minutes * 60 * RATE * 2:
                piece = speech[index % len(speech)]
                out.writeframes(piece)
                written, index = written + len(piece), index + 1
            return path
        for _ in range(minutes):
            if kind == "noise":
                block = rng.normal(0.0, 0.05 * 32768, 60 * RATE).clip(-32768, 32767)
                out.writeframes(block.astype("<i2").tobytes())
            else:
                out.writeframes(bytes(2 * 60 * RATE))
    return path


def _measure(args: list[str], work: Path) -> Result:
    """One allvoice run: wall time, peak RSS, answers, and the messages on standard error."""
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(work / "config"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    started = time.perf_counter()
    with open(work / "out.jsonl", "w") as out, open(work / "err.txt", "w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "allvoice", *args], cwd=ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=out, stderr=err,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    lines = (work / "out.jsonl").read_text(encoding="utf-8").splitlines()
    errors = (work / "err.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    turns = [json.loads(line) for line in lines if line.startswith("{")]
    return {
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss * 1024 / 1e6,
        "exit": os.waitstatus_to_exitcode(status),
        "answers": len(turns),
        "heard_words": sum(1 for t in turns if t.get("heard")),
        "engines": sorted({str(t.get("asr")) for t in turns}),
        "stderr": errors[:3],
        "traceback": any("Traceback" in line for line in errors),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.longaudio [--quick|--full]``."""
    return part_main("longaudio", run, argv, _show)


def _show(result: Result) -> list[str]:
    return [
        f"{r['command']:>14} {r['minutes']:>3} min {r['kind']:<8} {r['seconds']:7.1f} s "
        f"{r['peak_rss_mb']:6.0f} MB  answers {r['answers']} (with words {r['heard_words']}) "
        f"exit {r['exit']} {r['stderr'][:1]}"
        for r in result["runs"]
    ]


if __name__ == "__main__":
    sys.exit(main())
