"""Space or Enter stops the speech at once, on a real terminal (a pseudo-terminal here)."""

from __future__ import annotations

import os
import pty
import sys
import termios
import time
from collections.abc import Iterator

import pytest

from allvoice.app import wiring
from allvoice.fakes import FakeSpeaker


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Standard input is the follower end of a pseudo-terminal; yields the leader's fd."""
    leader, follower = pty.openpty()
    stdin = os.fdopen(follower, "r")
    monkeypatch.setattr(sys, "stdin", stdin)
    yield leader
    stdin.close()
    os.close(leader)


@pytest.mark.parametrize("key", [b" ", b"\r"])
def test_space_or_enter_stops_the_speech(terminal: int, key: bytes) -> None:
    talker = FakeSpeaker()
    before = termios.tcgetattr(sys.stdin.fileno())
    with wiring.stop_on_key(talker):
        assert not termios.tcgetattr(sys.stdin.fileno())[3] & termios.ICANON, "cbreak mode"
        os.write(terminal, b"x")  # other keys do nothing
        assert not talker.stops.acquire(timeout=0.3)
        started = time.monotonic()
        os.write(terminal, key)
        assert talker.stops.acquire(timeout=2.0)
        assert time.monotonic() - started < 0.5
    assert termios.tcgetattr(sys.stdin.fileno()) == before, "the terminal is restored"


def test_the_terminal_is_restored_after_an_error(terminal: int) -> None:
    before = termios.tcgetattr(sys.stdin.fileno())
    with pytest.raises(RuntimeError), wiring.stop_on_key(FakeSpeaker()):
        raise RuntimeError("the microphone went away")
    assert termios.tcgetattr(sys.stdin.fileno()) == before


def test_no_terminal_no_watcher(monkeypatch: pytest.MonkeyPatch) -> None:
    read, write = os.pipe()
    with os.fdopen(read, "r") as piped:
        monkeypatch.setattr(sys, "stdin", piped)
        talker = FakeSpeaker()
        with wiring.stop_on_key(talker):
            os.write(write, b" \n")
            assert not talker.stops.acquire(timeout=0.3)
        os.close(write)
