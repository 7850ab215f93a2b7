"""The opt-in transcript (``--transcript FILE``): nothing is written unless asked.

The file is created readable and writable by the user alone (mode 0600) and appended to,
one "You:" line and one "allvoice:" line a turn.
"""

from __future__ import annotations

from pathlib import Path

from allvoice.app.private import open_private
from allvoice.conversation.session import Turn
from allvoice.errors import AllvoiceError


class TranscriptWriter:
    """Appends each turn to a private file."""

    def __init__(self, path: Path) -> None:
        try:
            self._file = open_private(path, append=True)
        except OSError as error:
            raise AllvoiceError(
                f"{path}: cannot write the transcript ({error.strerror})."
            ) from None

    def __call__(self, said: str, turn: Turn) -> None:
        """Record one turn: what was said (or heard) and the reply."""
        self._file.write(f"You: {' '.join(said.split())}\nallvoice: {turn.reply.text}\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()
