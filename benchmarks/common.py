"""What the benchmark parts share: sizes, statistics, result files, memory readings.

Each part (``accuracy``, ``latency``, ``footprint``, ``scaling``, ``soak``) is a module with
``run(config) -> Result`` and a ``main`` that writes ``benchmarks/out/results/NAME.json``;
``benchmarks.run`` starts each in a fresh process and ``benchmarks.report`` turns the
result files into ``benchmarks/REPORT.md`` and its plots.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = OUT / "results"
PARTS = (
    "realvoice", "accuracy", "aspects", "latency", "endofturn", "footprint", "longaudio",
    "scaling", "soak", "triage", "conversations", "packs",
)  # fmt: skip

Result = dict[str, Any]
"""A part's findings, JSON-compatible."""


@dataclass(frozen=True)
class Config:
    """How big each part is; ``quick`` for a smoke run, ``full`` for the issue's sizes."""

    mode: str
    """quick, default or full."""
    spoken_stride: int
    """Accuracy: use every n-th question of the spoken set."""
    latency_utterances: int
    """Latency: utterances timed (spread over the conditions)."""
    startup_repeats: int
    """Footprint: start-ups timed per mode."""
    scaling_factors: tuple[int, ...]
    """Scaling: pack sizes, as multiples of the ALL pack's sections."""
    scaling_wavs: int
    """Scaling: utterances decoded per pack size."""
    soak_text_turns: int
    """Soak: scripted text turns."""
    soak_audio_turns: int
    """Soak: turns through the audio-file loop."""
    soak_voice_turns: int = 1000
    """Soak: spoken turns through the voice loop with Whisper (``benchmarks.voicesoak``)."""

    @staticmethod
    def of(mode: str) -> Config:
        """The sizes for ``quick``, ``default`` or ``full``."""
        if mode == "quick":
            return Config(mode, 20, 24, 3, (1, 10), 4, 1000, 200, 100)
        if mode == "full":
            return Config(mode, 1, 240, 5, (1, 10, 100), 12, 10_000, 10_000)
        return Config("default", 1, 120, 5, (1, 10, 100), 8, 10_000, 2_000)


def silence(seconds: float, rate: int = 16_000) -> bytes:
    """``seconds`` of digital silence, 16-bit mono (none for a negative length)."""
    return bytes(2 * round(max(0.0, seconds) * rate))


def setting_value(text: str) -> Any:
    """A setting given on the command line (``KEY=VALUE``): a number, true or false, or
    the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def settings_given(spec: str) -> dict[str, Any]:
    """Settings given on the command line as ``KEY=VALUE[,KEY=VALUE]`` (``setting_value``
    reads each value)."""
    return {key: setting_value(value) for key, value in (p.split("=", 1) for p in spec.split(","))}


def ms(seconds: Sequence[float]) -> Result:
    """Median, 95th percentile, mean, min and max of timings, in milliseconds."""
    if not seconds:
        return {"n": 0, "median": None, "p95": None, "mean": None, "min": None, "max": None}
    values = [1000.0 * s for s in seconds]
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 95.0),
        "mean": statistics.fmean(values),
        "min": min(values),
        "max": max(values),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile, linear between the nearest ranks (numpy's default)."""
    ranked = sorted(values)
    if not ranked:
        raise ValueError("no values")
    position = (len(ranked) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ranked) - 1)
    return ranked[low] + (ranked[high] - ranked[low]) * (position - low)


def rss_mb() -> float:
    """Resident set size of this process now, MB (10^6 bytes)."""
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 1e6
    except ImportError:  # Linux fallback
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def has_psutil() -> bool:
    """True when psutil (the bench extra) is installed."""
    try:
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


def machine() -> Result:
    """CPU count and model, Python version, operating system."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gib": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "commit": _git_commit(),
    }


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def run_pass(command: Sequence[str], what: str, timeout: float) -> Result:
    """Run one measuring pass in a fresh process; its last line of output is the JSON result."""
    done = subprocess.run(
        list(command), cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr[-3000:]}")
    result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated file with a header line, quotes taken as text."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def save(name: str, result: Result) -> Path:
    """Write a part's result to ``out/results/NAME.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def load(name: str) -> Result | None:
    """A part's latest result, or None when it has not run."""
    path = RESULTS / f"{name}.json"
    if not path.is_file():
        return None
    data: Result = json.loads(path.read_text(encoding="utf-8"))
    return data


def now() -> str:
    """The time now, ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def log(message: str) -> None:
    """Progress on standard error, so that a long run shows it is alive."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _load_average() -> float | None:
    """The 1-minute load average: other work on the machine skews the timings."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def part_main(
    name: str,
    run: Callable[[Config], Result],
    argv: Sequence[str] | None,
    show: Callable[[Result], list[str]] | None = None,
) -> int:
    """Command line of one part: ``python -m benchmarks.NAME [--quick|--full]``; ``show``,
    when given, turns the result into lines printed before it is saved."""
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{name}")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    size.add_argument("--full", action="store_true", help="the issue's full sizes")
    args = parser.parse_args(argv)
    config = Config.of("quick" if args.quick else "full" if args.full else "default")
    started, began, load_before = time.perf_counter(), now(), _load_average()
    result = run(config)
    if show is not None:
        print("\n".join(show(result)))
    result["_meta"] = {
        "part": name,
        "started": began,
        "seconds": round(time.perf_counter() - started, 1),
        "load_average": [load_before, _load_average()],
        "config": asdict(config),
        "machine": machine(),
    }
    path = save(name, result)
    log(f"{name}: done in {result['_meta']['seconds']} s, {path.relative_to(ROOT)}")
    return 0
