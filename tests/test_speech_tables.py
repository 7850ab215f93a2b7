"""The recognizer's data tables (data/corpus.toml, data/lexicon.toml): errors name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from allvoice.data import CORPUS, LEXICON, read_table
from allvoice.errors import DataError
from allvoice.speech.asr.lexicon import DOMAIN, load_lexicon
from allvoice.speech.asr.templates import TABLE, load_corpus_table


def test_the_shipped_tables_are_read_by_the_one_loader() -> None:
    assert read_table(CORPUS) and read_table(LEXICON)
    assert load_corpus_table() == TABLE
    assert load_lexicon() == DOMAIN
    assert DOMAIN["lymphocytic"][0] == "L IH M F AH S IH T IH K"


def test_each_symptom_form_starts_with_the_shared_templates() -> None:
    shared = tuple(read_table(CORPUS)["symptom_templates"]["any_form"])
    assert set(TABLE.symptom_templates) == {"noun", "state", "action", "clause"}
    assert all(templates[: len(shared)] == shared for templates in TABLE.symptom_templates.values())
    assert "i" not in TABLE.third_person and "my son" in TABLE.third_person


def _corpus_with(tmp_path: Path, old: str, new: str) -> Path:
    text = CORPUS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "corpus.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_template_slot_that_nothing_fills_names_the_file_and_line(tmp_path: Path) -> None:
    path = _corpus_with(tmp_path, '"tell me more about {topic}"', '"tell me more about {topik}"')
    with pytest.raises(DataError, match=r"\{topik\}") as caught:
        load_corpus_table(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert caught.value.line is not None and "{topik}" in lines[caught.value.line - 1]
    assert str(path) in str(caught.value)


def test_a_missing_list_is_named(tmp_path: Path) -> None:
    path = _corpus_with(tmp_path, "possessives = [", "possessive = [")
    with pytest.raises(DataError, match="possessives"):
        load_corpus_table(path)


def test_a_list_of_something_else_names_its_line(tmp_path: Path) -> None:
    path = _corpus_with(tmp_path, "noun_ends = [", "noun_ends = 3\nnot_used = [")
    with pytest.raises(DataError, match="noun_ends must be a list of text") as caught:
        load_corpus_table(path)
    assert caught.value.line is not None


def test_a_phone_the_model_lacks_names_the_word_and_line(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('[pronunciations]\ncovid = ["K OW V IH D"]\ngp = ["JH IY P IY3"]\n', "utf-8")
    with pytest.raises(DataError, match="gp has IY3") as caught:
        load_lexicon(path)
    assert caught.value.line == 3


def test_a_pronunciation_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text('[pronunciations]\ncovid = "K OW V IH D"\n', "utf-8")
    with pytest.raises(DataError, match="covid needs a list of pronunciations"):
        load_lexicon(path)
