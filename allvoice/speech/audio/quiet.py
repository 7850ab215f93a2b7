"""Keep PortAudio, ALSA and JACK from printing to the console.

Creating ``pyaudio.PyAudio()`` probes every ALSA device and the JACK server and prints
dozens of lines to stderr from C code, which would bury the assistant's own messages (and
confuse a screen reader). ALSA's messages go through a handler that we replace with a
no-op; JACK's go straight to file descriptor 2, so that descriptor is pointed at
/dev/null for the moment it takes to probe.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# void handler(const char *file, int line, const char *function, int err, const char *fmt, ...)
_AlsaHandler = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)


def _ignore_alsa(file: bytes, line: int, function: bytes, err: int, fmt: bytes) -> None:
    """Drop one ALSA message."""


_handler = _AlsaHandler(_ignore_alsa)  # kept alive for as long as ALSA may call it
_alsa_silenced = False


def silence_alsa() -> None:
    """Install a no-op ALSA error handler once per process; nothing to do without ALSA."""
    global _alsa_silenced
    if _alsa_silenced:
        return
    name = ctypes.util.find_library("asound")
    if name is None:
        _alsa_silenced = True
        return
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return  # libasound is listed but cannot load; PortAudio will not use it either
    library.snd_lib_error_set_handler(_handler)
    _alsa_silenced = True


@contextmanager
def stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration of the block."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def quiet_pyaudio() -> Any:
    """A ``pyaudio.PyAudio`` instance, created without console noise.

    Raises ImportError when PyAudio is not installed; the callers turn that into a
    DeviceError with their own advice.
    """
    import pyaudio  # imported here so that text mode never loads PortAudio

    silence_alsa()
    with stderr_silenced():
        return pyaudio.PyAudio()
