"""The interactive text mode as a person uses it: typed into a real terminal (tmux)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="make setup installs tmux")


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[str]:
    name = f"allvoice-{uuid.uuid4().hex[:8]}"
    env = f"XDG_CONFIG_HOME={tmp_path}/config XDG_CACHE_HOME={tmp_path}/cache"
    command = f"env {env} {shlex.quote(sys.executable)} -m allvoice --text; sleep 30"
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "40", command)
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def screen(name: str) -> str:
    return tmux("capture-pane", "-p", "-J", "-t", name)


def wait_for(name: str, text: str, seconds: float = 15.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = screen(name)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen shows:\n{screen(name)}")


def type_line(name: str, line: str) -> None:
    tmux("send-keys", "-t", name, "-l", line)
    tmux("send-keys", "-t", name, "Enter")


def test_typing_a_conversation_in_a_terminal(terminal: str) -> None:
    shown = wait_for(terminal, "Say help at any time.")
    assert shown.rstrip().endswith(">")
    type_line(terminal, "what are the simptoms")
    wait_for(terminal, "Here are three: Bleeding from the gums.")
    type_line(terminal, "my son has a fever and bone pain")
    wait_for(terminal, "How long has this been going on?")
    type_line(terminal, "about ten days")
    wait_for(terminal, "Are the signs getting better?")
    type_line(terminal, "no")
    shown = wait_for(terminal, "make an appointment")
    type_line(terminal, "goodbye")
    shown = wait_for(terminal, "Goodbye. Take care.")
    with_attributes = tmux("capture-pane", "-p", "-e", "-t", terminal)
    assert "\x1b[" not in with_attributes, "no colours or cursor tricks"
    lines = [line for line in shown.splitlines() if line.strip()]
    assert lines[-1] == "Goodbye. Take care."
