"""Word error rate with a stated text normaliser, the same for reference and transcript.

The normaliser (``wer_words``): lower case; curly apostrophes straightened; contractions
expanded (``can't`` -> ``can not``, ``I'm`` -> ``i am``, ``it's`` -> ``it is``, ``'ve``,
``'re``, ``'ll``, ``'d``); digits spelled out (``3`` -> ``three``, as
``allvoice.speech.asr.corpus.spoken_form`` does); hyphens and every other punctuation mark
become spaces. Nothing else is changed: spelling mistakes in a reference stay errors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from allvoice.speech.asr.corpus import spoken_form

_SPECIAL = {"can't": "can not", "cannot": "can not", "won't": "will not", "shan't": "shall not"}
_IS = frozenset("it that there here what where who he she how".split())
_ENDINGS = (("n't", " not"), ("'m", " am"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"),
            ("'d", " would"))  # fmt: skip
_WORD = re.compile(r"[a-z0-9']+")


def wer_words(text: str) -> list[str]:
    """The words compared, after the normalisation in the module docstring."""
    words: list[str] = []
    for word in _WORD.findall(text.lower().replace("\u2019", "'").replace("-", " ")):
        words += _expand(word.strip("'")).split()
    return spoken_form(" ".join(words)).split()


def _expand(word: str) -> str:
    if word in _SPECIAL:
        return _SPECIAL[word]
    if word.endswith("'s"):
        return f"{word[:-2]} is" if word[:-2] in _IS else word[:-2] + "s"
    for ending, replacement in _ENDINGS:
        if word.endswith(ending):
            return word[: -len(ending)] + replacement
    return word


def word_errors(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two word sequences."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
            )
        previous = current
    return previous[-1]


def word_error_rate(pairs: Sequence[tuple[str, str]]) -> float:
    """Errors over reference words, summed over (reference, transcript) pairs."""
    errors = sum(word_errors(wer_words(ref), wer_words(hyp)) for ref, hyp in pairs)
    return errors / max(1, sum(len(wer_words(ref)) for ref, _ in pairs))
