"""User settings: a TOML file in the user's config folder, read and written here only.

Nothing is written unless a setting changes. A damaged file gives a ``SettingsError``
naming the file and the line; the caller then uses the defaults for that run.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from allvoice.errors import SettingsError
from allvoice.ports import RATE_DEFAULT, RATE_MAX, RATE_MIN, VOLUME_DEFAULT


@dataclass(frozen=True)
class Settings:
    """Everything a user can set; the defaults are used for anything not in the file."""

    rate: int = RATE_DEFAULT
    """Speech rate in words per minute, 80 to 450."""
    volume: float = VOLUME_DEFAULT
    """Speech volume, 0.0 to 1.0."""
    voice: str = ""
    """Speech engine voice id; empty for the default."""
    pitch: int = 50
    """Voice pitch, 0 to 99."""
    pause: float = 0.8
    """Seconds of silence that end an utterance whose words decide nothing (0.3 to 10)."""
    pause_finished: float = 0.25
    """Seconds of silence that end a question, an answer or a command ("what causes it",
    "yes"): at most ``pause`` (0.1 to 10)."""
    pause_report: float = 1.6
    """Seconds of silence that end a report that may go on ("my knee feels weak"): at
    least ``pause`` (0.3 to 20)."""
    pause_unfinished: float = 3.0
    """Seconds waited for the rest of a sentence plainly not finished ("i can hardly"):
    at least ``pause`` (0.3 to 20)."""
    timeout: float = 8.0
    """Seconds to wait for speech before reprompting (1 to 120)."""
    earcons: bool = True
    """Short tones when listening starts and when speech was not understood."""
    headphones: bool = False
    """With headphones allvoice cannot hear itself, so it listens for "stop" while speaking."""
    emergency_number: str = ""
    """The number to call in an emergency; empty for the default wording."""
    crisis_line: str = ""
    """The crisis line to call about thoughts of suicide or self-harm; empty for the
    default wording (988 in the United States, 116 123 in the UK and Ireland)."""
    brief: bool = False
    """Skip the welcome after the first run."""


_LIMITS: dict[str, tuple[float, float]] = {
    "rate": (RATE_MIN, RATE_MAX),
    "volume": (0.0, 1.0),
    "pitch": (0, 99),
    "pause": (0.3, 10.0),
    "pause_finished": (0.1, 10.0),
    "pause_report": (0.3, 20.0),
    "pause_unfinished": (0.3, 20.0),
    "timeout": (1.0, 120.0),
}


def default_path() -> Path:
    """$XDG_CONFIG_HOME/allvoice/settings.toml (or ~/.config/allvoice/settings.toml)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "allvoice" / "settings.toml"


def load(path: Path) -> Settings:
    """Read ``path``; a missing file gives the defaults."""
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML ({error}); using the defaults") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read ({error}); using the defaults") from None
    settings = Settings()
    for key, value in data.items():
        settings = with_value(settings, key, value, where=f"{path}, line {_line_of(text, key)}")
    return settings


def with_value(settings: Settings, key: str, value: Any, where: str = "") -> Settings:
    """``settings`` with ``key`` set to ``value`` (text is converted), checked against limits."""
    prefix = f"{where}: " if where else ""
    kinds = {f.name: f.type for f in fields(Settings)}
    if key not in kinds:
        raise SettingsError(f"{prefix}unknown setting {key!r}; known: {', '.join(kinds)}")
    kind = type(getattr(Settings(), key))
    try:
        converted = _convert(value, kind)
    except (ValueError, TypeError):
        wanted = "true or false" if kind is bool else f"a {_KIND_NAMES.get(kind, kind.__name__)}"
        raise SettingsError(f"{prefix}{key} must be {wanted}, not {value!r}") from None
    low, high = _LIMITS.get(key, (None, None))
    if low is not None and high is not None and not low <= float(converted) <= high:
        raise SettingsError(f"{prefix}{key} must be between {low:g} and {high:g}")
    return replace(settings, **{key: converted})


def shown(value: object) -> str:
    """A setting's value as the settings file writes it: true, 0.8, 'text'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


_KIND_NAMES = {int: "whole number", float: "number", str: "text"}


def _convert(value: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "yes", "on", "1"):
            return True
        if str(value).lower() in ("false", "no", "off", "0"):
            return False
        raise ValueError(value)
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    if isinstance(value, bool | list | dict):
        raise ValueError(value)
    return kind(value)


def save(settings: Settings, path: Path) -> None:
    """Write the settings that differ from the defaults, readable by the user alone."""
    changed = {k: v for k, v in asdict(settings).items() if v != getattr(Settings(), k)}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        tomli_w.dump(changed, out)
    temporary.replace(path)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1
