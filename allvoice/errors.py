"""The one error hierarchy of allvoice.

::

    AllvoiceError               anything allvoice reports to a user, in one sentence
    ├── ContentError            a content pack that cannot be loaded (file, line, problem)
    │   └── DataError           one of allvoice's own tables (allvoice/data) is malformed
    ├── SettingsError           a settings file that cannot be read (file, line, problem)
    ├── AudioError              an audio file or stream that cannot be used
    └── DeviceError             a microphone, speaker or speech engine that is missing or failed

Every message says what is wrong and, where it can, what to do. ``cli`` prints ``str(error)``
as one line; no traceback reaches a user.
"""

from __future__ import annotations


class AllvoiceError(Exception):
    """Base class: an error whose message is meant for the user."""


class ContentError(AllvoiceError):
    """A content pack is malformed; the message names the file, the line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class DataError(ContentError):
    """One of allvoice's own tables (``allvoice/data``) is malformed: file, line, problem."""


class SettingsError(AllvoiceError):
    """A settings file is damaged; the message names the file, the line and the problem."""


class AudioError(AllvoiceError):
    """An audio file or stream cannot be read or decoded."""


class DeviceError(AllvoiceError):
    """A device or engine (microphone, audio output, espeak-ng, a model) is missing or failed."""
