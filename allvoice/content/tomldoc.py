"""A TOML file that can say where a key is: the content loader's errors name the file and
the line (``ContentError``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from allvoice.errors import ContentError

ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Characters that a speech engine would read out or stumble on: markdown, bullets, URLs.
NOT_FOR_THE_EAR = re.compile(r"[*_#`<>\[\]{}|~^•●▪◦·]|https?://|www\.")
_FACTS_HEADER = re.compile(r"^\s*\[\[\s*facts\s*\]\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[\[?[^\[\]]+\]\]?\s*(#.*)?$")


class TomlDoc:
    """A parsed TOML file (or one table of an array in it) that can say where a key is."""

    def __init__(
        self,
        path: Path,
        data: dict[str, Any] | None = None,
        lines: list[str] | None = None,
        table_index: int | None = None,
    ) -> None:
        self.path = path
        if data is None or lines is None:
            raw = _read_text(path)
            lines = raw.splitlines()
            try:
                data = tomllib.loads(raw)
            except tomllib.TOMLDecodeError as error:
                match = re.search(r"line (\d+)", str(error))
                line = int(match.group(1)) if match else None
                problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
                raise ContentError(str(path), line, f"not valid TOML: {problem}") from None
        self.data = data
        self.lines = lines
        self.table_index = table_index

    def child(self, data: dict[str, Any], index: int) -> TomlDoc:
        return TomlDoc(self.path, data, self.lines, index)

    def error(self, key: str, problem: str, table_index: int | None = None) -> ContentError:
        index = self.table_index if table_index is None else table_index
        return ContentError(str(self.path), self._line_of(key, index), problem)

    def table_error(self, table: str, key: str, problem: str) -> ContentError:
        """An error at ``key`` of the top-level ``[table]``."""
        header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        start = next((n for n, line in enumerate(self.lines) if header.match(line)), None)
        line = None
        if start is not None:
            after = range(start + 1, len(self.lines))
            line = next((n + 1 for n in after if pattern.match(self.lines[n])), start + 1)
        return ContentError(str(self.path), line, problem)

    def _line_of(self, key: str, table_index: int | None) -> int | None:
        start, end = 0, len(self.lines)
        if table_index is None:
            # A top-level key sits before the first table; never report a fact's line for it.
            end = next((n for n, line in enumerate(self.lines) if _TABLE_HEADER.match(line)), end)
        else:
            headers = [n for n, line in enumerate(self.lines) if _FACTS_HEADER.match(line)]
            if table_index < len(headers):
                start = headers[table_index]
                end = headers[table_index + 1] if table_index + 1 < len(headers) else end
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for number in range(start, end):
            if pattern.match(self.lines[number]):
                return number + 1
        return start + 1 if table_index is not None else None

    def text(self, key: str, default: str | None = None, spoken: bool = False) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.error(key, f"missing required key {key!r}")
        if not isinstance(value, str):
            raise self.error(key, f"{key!r} must be text in quotes")
        value = " ".join(value.split())
        if spoken and not value:
            raise self.error(key, f"{key!r} must not be empty")
        if spoken and (found := NOT_FOR_THE_EAR.search(value)):
            raise self.error(key, f"{key!r} has {found.group(0)!r}, which should not be spoken")
        return value

    def ident(self, key: str) -> str:
        value = self.text(key)
        if not ID.match(value):
            raise self.error(key, f"{value!r} is not a valid id (a-z, 0-9, _)")
        return value

    def str_list(self, key: str, required: bool = False) -> list[str]:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, f"missing required key {key!r}")
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(key, f"{key!r} must be a list of texts in quotes")
        return [" ".join(item.split()) for item in value]

    def reject_unknown(self, known: set[str]) -> None:
        for key in self.data:
            if key not in known:
                raise self.error(key, f"unknown key {key!r} (known: {', '.join(sorted(known))})")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(path), None, "not UTF-8 text") from None
    except OSError as error:
        raise ContentError(str(path), None, f"cannot be read ({error.strerror})") from None
