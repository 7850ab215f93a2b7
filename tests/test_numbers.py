"""The one number speller: the recognizer's corpus and the spoken replies share it."""

from __future__ import annotations

import pytest

from allvoice.speech.asr.corpus import spoken_form
from allvoice.understanding.numbers import number_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (20, "twenty"),
        (21, "twenty one"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (175, "one hundred seventy five"),
        (1000, "one thousand"),
        (2005, "two thousand five"),
        (999_999, "nine hundred ninety nine thousand nine hundred ninety nine"),
    ],
)
def test_numbers_are_spelled_without_and_or_hyphens(number: int, words: str) -> None:
    assert number_words(number) == words


@pytest.mark.parametrize("number", [-1, 1_000_000, 2_500_000])
def test_numbers_out_of_range_stay_digits(number: int) -> None:
    assert number_words(number) == str(number)


def test_the_corpus_spells_digits_with_the_same_speller() -> None:
    assert spoken_form("Speaking at 175 words, 3 Weeks!") == (
        f"speaking at {number_words(175)} words {number_words(3)} weeks"
    )
