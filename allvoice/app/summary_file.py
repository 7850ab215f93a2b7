"""Keeping the summary for the doctor in a file, only when asked: "save the summary", or
``--summary-to FILE`` (then each summary given is written there too).

The file is plain text headed by today's date, created readable and writable by the user
alone (mode 0600), and replaced by the newest summary each time. The clock is read here, at
the edge, never in the dialogue.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from allvoice.app.private import open_private
from allvoice.conversation import summary, symptom_wording
from allvoice.conversation.session import Turn
from allvoice.conversation.state import Notes


def default_path(day: date, home: Path | None = None) -> Path:
    """Where "save the summary" writes when no file was chosen: the user's home folder."""
    return (home or Path.home()) / f"allvoice-summary-{day.isoformat()}.txt"


class SummaryKeeper:
    """Writes the summary to a private file when asked; see the module docstring."""

    def __init__(self, path: Path | None, today: Callable[[], date] = date.today) -> None:
        self.path = path
        """The file chosen with ``--summary-to``, or None."""
        self._today = today

    def save(self, notes: Notes) -> str:
        """Write the summary; return the sentence that says where (or why not)."""
        day = self._today()
        try:
            write_private(self.path or default_path(day), summary.written(notes, day))
        except OSError as error:
            return symptom_wording.summary_not_saved(error.strerror or str(error))
        return symptom_wording.summary_saved(chosen_file=self.path is not None)

    def __call__(self, said: str, turn: Turn) -> None:
        """With a chosen file, each summary read aloud is written there too; when it cannot
        be (a full disk, a read-only folder) one line on standard error says so, and the
        conversation goes on: the summary was read aloud, and is kept to be read again."""
        if self.path is not None and turn.reply.intent == "summary" and turn.state.notes.symptoms:
            reply = self.save(turn.state.notes)
            if reply != symptom_wording.summary_saved(chosen_file=True):
                print(f"allvoice: {self.path}: {reply}", file=sys.stderr)


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, readable and writable by the user alone."""
    with open_private(path) as file:
        file.write(text)
