"""The one loader of allvoice's own tables: a malformed table names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from allvoice.data import ASPECTS, INTENTS, SIGNS, TRIAGE, line_of, read_table, require
from allvoice.errors import ContentError, DataError
from allvoice.understanding.signs import load_signs
from allvoice.understanding.triage import load_rules


def test_every_shipped_table_is_read_by_the_one_loader() -> None:
    for path in (INTENTS, TRIAGE, SIGNS, ASPECTS):
        assert read_table(path), path


def test_a_table_that_is_not_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "triage.toml"
    broken.write_text('[guards]\nnegators = ["no"]\n\nrules = [ oops\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_table(broken)
    assert str(broken) in str(caught.value)
    assert caught.value.line == 4
    assert isinstance(caught.value, ContentError)


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot be read"):
        read_table(tmp_path / "absent.toml")


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"\[signs\]"):
        require({}, "signs", tmp_path / "signs.toml")


def test_signs_without_their_table_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "signs.toml"
    path.write_text("[other]\nx = 1\n", encoding="utf-8")
    with pytest.raises(DataError, match="signs"):
        load_signs(lambda text: tuple(text.split()), path)


def test_a_triage_rule_with_an_unknown_concept_names_its_line(tmp_path: Path) -> None:
    text = TRIAGE.read_text(encoding="utf-8")
    first_rule = text.index("\n[[rules]]") + 1
    bad = '[[rules]]\nid = "made_up_rule"\nlevel = "emergency"\nall = ["no_such_concept"]\n\n'
    path = tmp_path / "triage.toml"
    path.write_text(text[:first_rule] + bad + text[first_rule:], encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_rules(lambda text: tuple(normalize_plain(text)), path)
    assert caught.value.line == line_of(path, 'id = "made_up_rule"')
    assert caught.value.line is not None
    assert "no_such_concept" in str(caught.value)


def normalize_plain(text: str) -> list[str]:
    """Lower-case words, enough to compile the rules without a content pack."""
    return text.lower().split()
