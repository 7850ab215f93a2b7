"""The opt-in transcript (``--transcript FILE``): nothing is written unless asked.

The file is created readable and writable by the user alone (mode 0600) and appended to,
one "You:" line and one "allvoice:" line a turn.
"""

from __future__ import annotations

import os
from pathlib import Path

from allvoice.errors import AllvoiceError
from allvoice.session import Turn


class TranscriptWriter:
    """Appends each turn to a private file."""

    def __init__(self, path: Path) -> None:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as error:
            raise AllvoiceError(
                f"{path}: cannot write the transcript ({error.strerror})."
            ) from None
        os.fchmod(descriptor, 0o600)
        self._file = os.fdopen(descriptor, "a", encoding="utf-8")

    def __call__(self, said: str, turn: Turn) -> None:
        """Record one turn: what was said (or heard) and the reply."""
        self._file.write(f"You: {' '.join(said.split())}\nallvoice: {turn.reply.text}\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
