"""Running the allvoice command line as a user would, with its own config and cache folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_allvoice(
    home: Path,
    *args: str,
    input: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """``python -m allvoice ARGS`` in ``home``, with XDG config and cache folders inside it."""
    environment = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "allvoice", *args],
        input=input,
        capture_output=True,
        text=True,
        env=environment,
        cwd=home,
        timeout=timeout,
        check=False,
    )


def heard_by(
    result: subprocess.CompletedProcess[str], engine: str = "whisper"
) -> list[dict[str, Any]]:
    """The JSON lines of a spoken run, each checked to have been heard by ``engine``: a
    spoken test must fail when allvoice quietly fell back to another recognizer."""
    turns = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    engines = [turn.get("asr") for turn in turns]
    assert engines == [engine] * len(turns), (engines, result.stderr)
    assert "Using PocketSphinx meanwhile" not in result.stderr or engine != "whisper"
    return turns


def espeak(path: Path, text: str, words_per_minute: int | None = None) -> Path:
    """``text`` said by espeak-ng's US English voice into the WAV file ``path``."""
    rate = ["-s", str(words_per_minute)] if words_per_minute is not None else []
    subprocess.run(["espeak-ng", "-v", "en-us", *rate, "-w", str(path), text], check=True)
    return path


def spoken_conversation(folder: Path, lines: list[str], words_per_minute: int = 175) -> Path:
    """One WAV of ``lines`` said by espeak-ng, 1.5 s of silence after each, for
    ``--listen-file``: the conversation as someone would speak it."""
    silence = folder / "silence.wav"
    subprocess.run(
        ["sox", "-D", "-n", "-r", "22050", "-c", "1", "-b", "16", str(silence), "trim", "0", "1.5"],
        check=True,
    )
    parts: list[str] = []
    for number, line in enumerate(lines):
        part = folder / f"part{number}.wav"
        parts += [str(espeak(part, line, words_per_minute)), str(silence)]
    whole = folder / "conversation.wav"
    subprocess.run(["sox", *parts, str(whole)], check=True)
    return whole
