"""``allvoice ask --wav``: the question in a recording of any length, in bounded memory.

A recording is one question. It is read block by block and cut at silences by the same
endpointer as the microphone, and its utterances are decoded in order until one holds
words: that is the question (silence, noise and clicks before it cost only the voice
activity check). The reading stops at the next utterance that holds words too: the file
then holds more than one question, which ``commands`` says in one sentence, answering the
first. A recording with no words in it is answered as nothing heard, after at most
``MAX_DECODED_SECONDS`` of decoding, however long it is. So memory is that of one
utterance (at most ``max_utterance_seconds``, 20 s) and time grows with the speech in the
file, not with its length; ``allvoice --listen-file`` answers every question of a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from allvoice.app.voice import MIN_SECONDS, recognize
from allvoice.ports import Recognizer, Transcript
from allvoice.speech.audio.endpointer import EndpointerSettings, utterances_from_frames
from allvoice.speech.audio.format import RATE
from allvoice.speech.audio.wavfile import duration_seconds, read_blocks

MAX_DECODED_SECONDS = 120.0
"""A recording whose first two minutes of sound (after the endpointer) hold no words is
taken as holding none: the rest is not decoded."""
ENDPOINTING = EndpointerSettings(pause_seconds=1.0, lead_seconds=0.3, padding_seconds=0.3)
"""How a recording is cut: a question's own short pauses do not split it, and a little of
the silence around it is kept for the decoder."""


@dataclass(frozen=True)
class Question:
    """What ``first_question`` found in a recording."""

    transcript: Transcript
    """The first utterance that holds words; empty when none does."""
    more_at: float | None
    """Where, in seconds, the next utterance with words starts; None when there is none."""


def first_question(
    path: str | os.PathLike[str],
    recognizer: Recognizer,
    settings: EndpointerSettings = ENDPOINTING,
    max_decoded_seconds: float = MAX_DECODED_SECONDS,
) -> Question:
    """The question in the recording at ``path``; AudioError if it cannot be read or decoded."""
    question: Transcript | None = None
    decoded = 0.0
    for utterance in utterances_from_frames(read_blocks(path), settings):
        seconds = duration_seconds(utterance.audio)
        if seconds < MIN_SECONDS:
            continue
        if decoded >= max_decoded_seconds:
            break
        decoded += seconds
        heard = recognize(recognizer, utterance.audio)
        if not heard.text:
            continue
        if question is not None:
            return Question(question, utterance.start_sample / RATE)
        question = heard
    return Question(question or Transcript("", 0.0), None)
