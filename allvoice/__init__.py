"""allvoice: an offline, accessible voice assistant for health information.

Use it from another program::

    from allvoice import Assistant

    assistant = Assistant()
    print(assistant.ask("what causes leukemia").reply)
    chat = assistant.chat()
    print(chat.say("my son has a fever").reply)

``Assistant``, ``Chat`` and ``Answer`` are in ``allvoice.api``, imported on first use, so
``import allvoice`` stays cheap. The pipeline, one folder per stage::

    microphone or file -> speech/asr -> understanding -> conversation -> speech/tts
                         (ports.Recognizer)  (pure)         (pure)       (ports.Speaker)

The command line (``allvoice.app``) replaces the two ends with text in text mode; the
pure core in the middle is the same, and so is the ``Conversation`` the API drives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from allvoice.api import Answer, Assistant, Chat

__version__ = "0.1.0"

__all__ = ["Answer", "Assistant", "Chat", "__version__"]

_API = ("Answer", "Assistant", "Chat")


def __getattr__(name: str) -> Any:
    """The public API, imported from ``allvoice.api`` when first asked for."""
    if name in _API:
        from allvoice import api

        return getattr(api, name)
    raise AttributeError(f"module 'allvoice' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
