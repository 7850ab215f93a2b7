"""Files only the user can read: the opt-in transcript and the saved summary for the doctor.

A file is created, or opened, with mode 0600, and set to 0600 again in case it existed
with wider permissions. Nothing calls this unless the user asked for a file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO


def open_private(path: Path, append: bool = False) -> TextIO:
    """``path`` for writing text, readable and writable by the user alone: appended to when
    ``append``, else replaced. Raises OSError as ``open`` does."""
    how = os.O_APPEND if append else os.O_TRUNC
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | how, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    except OSError:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "a" if append else "w", encoding="utf-8")
