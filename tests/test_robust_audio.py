"""Robustness of recorded questions: ``allvoice ask --wav FILE ... --json`` over broken,
odd and huge WAV files made here with espeak-ng, sox and numpy.

Every file gets either one JSON line on standard output or one line on standard error
naming the file; never a traceback; good files before and after a bad one still get
answers; the process exits with 0 (all answered) or 1 (some could not be read).

The ten-minute recording is started in the background when this module is imported and
only collected by its test, so that it overlaps the rest of the session (it is read in
pieces and its quiet noise is not decoded, so it takes seconds; longer and louder
recordings are measured by ``python -m benchmarks.longaudio``).
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from clirun import run_allvoice

KNOWN_INTENTS = frozenset(
    "overview symptoms when_to_see_doctor causes risk_factors sources report_symptoms "
    "emergency help repeat more stop faster slower louder softer goodbye yes no "
    "out_of_scope unknown previous read_all repeat_all resume spell start_over "
    "item more_about count urgent crisis not_covered greeting thanks topics summary "
    "save_summary diagnosis feeling support correct remove_last clear_summary".split()
)
"""The README's --json intents and the newer screen-reader controls."""
HAVE_TOOLS = all(shutil.which(tool) for tool in ("espeak-ng", "sox"))
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
MEMORY_LIMIT_KB = 400 * 1024
LONG_SECONDS = 600
QUESTIONS = {"symptoms": "what are the symptoms", "causes": "what causes leukemia"}
"""espeak-ng's default voice; its "is it inherited" is unintelligible to Whisper base."""

pytestmark = [
    pytest.mark.audio,
    pytest.mark.skipif(not HAVE_TOOLS, reason="needs espeak-ng and sox (make setup)"),
]


# --- Making audio ----------------------------------------------------------------------


def quiet_env(folder: Path) -> dict[str, str]:
    """espeak-ng touches ~/.config/pulse; keep that inside ``folder``."""
    return {**os.environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "gen-config")}


def espeak(path: Path, text: str) -> Path:
    subprocess.run(
        ["espeak-ng", "-w", str(path), text],
        check=True,
        capture_output=True,
        env=quiet_env(path.parent),
    )
    return path


def sox(source: Path, target: Path, *effects: str, before: tuple[str, ...] = ()) -> Path:
    subprocess.run(
        ["sox", "-V1", "-D", str(source), *before, str(target), *effects],
        check=True,
        capture_output=True,
    )
    return target


def write_pcm16(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
    return path


def read_pcm16(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as source:
        assert source.getsampwidth() == 2 and source.getnchannels() == 1
        return np.frombuffer(source.readframes(source.getnframes()), "<i2") / 32768.0


def wav_header(data_size: int, rate: int = 16000) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", data_size)
    return b"RIFF" + struct.pack("<I", len(body) + data_size) + body


def low_noise(path: Path, seconds: int) -> Path:
    """White noise about 80 dB below full scale (the floor of a quiet recording), written
    a minute at a time. Louder noise is answered the same way but takes PocketSphinx two
    to four times longer (Decoder.hyp on a long utterance), too long for the test run."""
    rng = np.random.default_rng(600)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        for _ in range(seconds // 60):
            block = rng.normal(0.0, 3.0, 16000 * 60).clip(-32768, 32767)
            out.writeframes(block.astype("<i2").tobytes())
    return path


# --- The ten-minute run, started at import ---------------------------------------------


@dataclass
class LongRun:
    """``ask --wav good long good`` under /usr/bin/time, running in the background."""

    folder: Path
    files: list[Path]
    stats: Path
    process: subprocess.Popen[bytes] | None = None
    error: str = ""

    def result(self, timeout: float) -> tuple[int, bytes, bytes]:
        assert self.process is not None, self.error
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err


def _start_long_run() -> LongRun | None:
    if not HAVE_TOOLS:
        return None
    folder = Path(tempfile.mkdtemp(prefix="allvoice-long-"))
    run = LongRun(folder, [], folder / "time.txt")
    atexit.register(_stop_long_run, run)
    try:
        good = espeak(folder / "good.wav", QUESTIONS["symptoms"])
        run.files = [good, low_noise(folder / "ten-minutes.wav", LONG_SECONDS), good]
        command = [sys.executable, "-m", "allvoice", "ask", "--json", "--wav"]
        command += [str(path) for path in run.files]
        if TIME:
            command = [TIME, "-v", "-o", str(run.stats), *command]
        env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_CACHE_HOME": str(folder / "cache"),
        }
        run.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=folder,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        run.error = f"could not start the ten-minute run: {error}"
    return run


def _stop_long_run(run: LongRun) -> None:
    process = run.process
    if process is not None:
        if process.poll() is None:
            process.kill()
            process.communicate()
        for stream in (process.stdout, process.stderr):
            if stream is not None and not stream.closed:
                stream.close()
    shutil.rmtree(run.folder, ignore_errors=True)


def _started_early() -> bool:
    """Start at import unless the command line plainly leaves audio tests out."""
    collect_only = {"--co", "--collect-only"} & set(sys.argv)
    return "not audio" not in " ".join(sys.argv) and not collect_only


LONG_RUN = _start_long_run() if _started_early() else None


# --- Reading the output ----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    must_answer: bool | None
    """True: a JSON line is required; False: a message is required; None: either."""
    intent: str | None = None
    """The intent the answer must have, when the audio is a clear question."""


def attribute(
    files: list[Path], stdout: str, stderr: str
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """JSON lines and stderr messages, matched to the files in order (the note that a file
    holds more than one question goes with its answer, and is left out here)."""
    objects = [json.loads(line) for line in stdout.splitlines()]
    messages = [line for line in stderr.splitlines() if MORE_THAN_ONE not in line]
    answers: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    queue = list(objects)
    for index, path in enumerate(files):
        key = f"{index}:{path.name}"
        named = [line for line in messages if str(path) in line]
        if named:
            assert len(named) == 1, named
            errors[key] = named[0]
        else:
            assert queue, f"no answer and no message for {path.name}"
            answers[key] = queue.pop(0)
    assert not queue, "more answers than files"
    named_anything = {line for line in messages if any(str(p) in line for p in files)}
    assert set(messages) == named_anything, f"messages that name no file: {messages}"
    return answers, errors


MORE_THAN_ONE = "holds more than one question"
"""The note on a recording that holds more questions: it is answered too."""


def check_answer(obj: dict[str, Any]) -> None:
    assert obj["intent"] in KNOWN_INTENTS
    assert isinstance(obj["reply"], str) and obj["reply"].strip()
    assert 80 <= obj["rate"] <= 450 and 0.0 <= obj["volume"] <= 1.0


# --- Many odd files in one call --------------------------------------------------------

CASES = [
    Case("empty", must_answer=False),
    Case("text-file", must_answer=False),
    Case("truncated-header", must_answer=False),
    Case("damaged-format", must_answer=False),
    Case("data-before-format", must_answer=False),
    Case("stereo", must_answer=True, intent="symptoms"),
    Case("unsigned-8-bit", must_answer=True, intent="symptoms"),
    Case("8-khz", must_answer=True),
    Case("48-khz", must_answer=True, intent="symptoms"),
    Case("float-32", must_answer=True, intent="symptoms"),
    Case("header-claims-more-data", must_answer=True, intent="symptoms"),
    Case("silence", must_answer=True),
    Case("white-noise", must_answer=True),
    Case("clipped-speech", must_answer=True, intent="symptoms"),
]


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("odd wav files")  # a space in the path, too
    good = espeak(folder / "good-symptoms.wav", QUESTIONS["symptoms"])
    files = {
        "good-symptoms": good,
        "good-causes": espeak(folder / "good-causes.wav", QUESTIONS["causes"]),
    }
    (folder / "empty.wav").write_bytes(b"")
    files["empty"] = folder / "empty.wav"
    (folder / "text-file.wav").write_text("What are the symptoms?\n", encoding="utf-8")
    files["text-file"] = folder / "text-file.wav"
    files["truncated-header"] = folder / "truncated-header.wav"
    files["truncated-header"].write_bytes(good.read_bytes()[:30])
    damaged = bytearray(wav_header(32000) + bytes(32000))
    damaged[22:24] = struct.pack("<H", 0)  # zero channels
    files["damaged-format"] = folder / "damaged-format.wav"
    files["damaged-format"].write_bytes(bytes(damaged))
    files["data-before-format"] = folder / "data-before-format.wav"
    files["data-before-format"].write_bytes(
        b"RIFF" + struct.pack("<I", 4 + 8 + 4) + b"WAVE" + b"data" + struct.pack("<I", 4) + bytes(4)
    )
    files["stereo"] = sox(good, folder / "stereo.wav", "channels", "2")
    files["unsigned-8-bit"] = sox(good, folder / "u8.wav", before=("-e", "unsigned", "-b", "8"))
    files["8-khz"] = sox(good, folder / "8k.wav", "rate", "8000")
    files["48-khz"] = sox(good, folder / "48k.wav", "rate", "48000")
    files["float-32"] = sox(good, folder / "f32.wav", before=("-e", "floating-point", "-b", "32"))
    speech = read_pcm16(sox(good, folder / "16k.wav", "rate", "16000"))
    claims = wav_header(len(speech) * 2 + 10_000_000)
    files["header-claims-more-data"] = folder / "claims-more.wav"
    files["header-claims-more-data"].write_bytes(claims + (speech * 32767).astype("<i2").tobytes())
    files["silence"] = write_pcm16(folder / "silence.wav", np.zeros(16000 * 3))
    rng = np.random.default_rng(7)
    files["white-noise"] = write_pcm16(folder / "noise.wav", rng.uniform(-0.6, 0.6, 16000 * 3))
    peak = np.abs(speech).max()
    files["clipped-speech"] = write_pcm16(folder / "clipped.wav", speech / peak * 8.0)
    return files


@pytest.fixture(scope="module")
def odd_run(odd_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One call over every case, each between two good questions."""
    order: list[Path] = [odd_files["good-symptoms"]]
    expected: list[str | None] = ["symptoms"]
    for number, case in enumerate(CASES):
        good = "good-causes" if number % 2 == 0 else "good-symptoms"
        order += [odd_files[case.name], odd_files[good]]
        expected += [None, good.removeprefix("good-")]
    home = tmp_path_factory.mktemp("odd-home")
    result = run_allvoice(home, "ask", "--json", "--wav", *map(str, order), timeout=300)
    return {"result": result, "order": order, "expected": expected}


def test_the_odd_files_call_ends_without_a_traceback(odd_run: dict[str, Any]) -> None:
    result: subprocess.CompletedProcess[str] = odd_run["result"]
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout
    _, errors = attribute(odd_run["order"], result.stdout, result.stderr)
    assert result.returncode == (1 if errors else 0), (result.returncode, errors)
    for line in errors.values():
        assert line.startswith("allvoice: "), line


def test_good_files_around_every_bad_one_are_answered(odd_run: dict[str, Any]) -> None:
    result: subprocess.CompletedProcess[str] = odd_run["result"]
    assert "Traceback" not in result.stderr, result.stderr
    answers, _ = attribute(odd_run["order"], result.stdout, result.stderr)
    for index, (path, intent) in enumerate(zip(odd_run["order"], odd_run["expected"], strict=True)):
        if intent is None:
            continue
        key = f"{index}:{path.name}"
        assert key in answers, f"good file {path.name} at position {index} was not answered"
        assert answers[key]["intent"] == intent, answers[key]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_odd_file_gets_an_answer_or_a_message(odd_run: dict[str, Any], case: Case) -> None:
    result: subprocess.CompletedProcess[str] = odd_run["result"]
    assert "Traceback" not in result.stderr, result.stderr
    answers, errors = attribute(odd_run["order"], result.stdout, result.stderr)
    index = 1 + 2 * CASES.index(case)
    key = f"{index}:{odd_run['order'][index].name}"
    if case.must_answer is True:
        assert key in answers, errors.get(key)
        check_answer(answers[key])
        if case.intent:
            assert answers[key]["intent"] == case.intent, answers[key]
        if case.name in ("silence", "white-noise"):
            assert answers[key]["intent"] in ("unknown", "out_of_scope"), answers[key]
    elif case.must_answer is False:
        assert key in errors, answers.get(key)
        assert len(errors[key].splitlines()) == 1


@pytest.mark.parametrize("data", [b"", b"\x01"], ids=["no-data", "one-odd-byte"])
def test_header_without_samples(odd_files: dict[str, Path], tmp_path: Path, data: bytes) -> None:
    bad = tmp_path / "header-only.wav"
    bad.write_bytes(wav_header(len(data)) + data)
    order = [odd_files["good-symptoms"], bad, odd_files["good-causes"]]
    result = run_allvoice(tmp_path, "ask", "--json", "--wav", *map(str, order), timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1)
    answers, _ = attribute(order, result.stdout, result.stderr)
    assert answers[f"0:{order[0].name}"]["intent"] == "symptoms"
    assert answers[f"2:{order[2].name}"]["intent"] == "causes"


# --- The ten-minute recording ----------------------------------------------------------


def test_ten_minute_recording_in_bounded_memory() -> None:
    global LONG_RUN
    if LONG_RUN is None:
        LONG_RUN = _start_long_run()
    assert LONG_RUN is not None
    returncode, out, err = LONG_RUN.result(timeout=600)
    stderr = err.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert returncode == 0, stderr
    answers, errors = attribute(LONG_RUN.files, out.decode("utf-8"), stderr)
    assert not errors
    intents = [answers[f"{i}:{path.name}"]["intent"] for i, path in enumerate(LONG_RUN.files)]
    assert intents[0] == intents[2] == "symptoms", intents
    check_answer(answers[f"1:{LONG_RUN.files[1].name}"])
    assert intents[1] in ("unknown", "out_of_scope"), intents
    if TIME:
        stats = LONG_RUN.stats.read_text(encoding="utf-8")
        line = next(x for x in stats.splitlines() if "Maximum resident set size" in x)
        peak_kb = int(line.rsplit(":", 1)[1])
    else:
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert 0 < peak_kb < MEMORY_LIMIT_KB, f"peak memory {peak_kb / 1024:.0f} MB"
