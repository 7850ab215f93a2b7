"""Voice mode: utterances in, transcripts, the same conversation core, speech out.

``converse_by_voice`` drives a ``Conversation`` from a ``Listener`` (microphone or a
recording) through a ``Recognizer``; ``answer_recording`` answers one recorded question
in a fresh conversation (``allvoice ask --wav``). Output goes to a ``Speaker`` when there
is one, and to text lines or JSON lines in any case.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from allvoice.conversation.session import Conversation, Turn
from allvoice.errors import AudioError
from allvoice.ports import DEFAULT_VOICE, AudioChunk, Recognizer, Speaker, Transcript, Voice
from allvoice.speech.asr.streaming import StreamingRecognizer
from allvoice.speech.audio.endpointer import Utterance
from allvoice.understanding import turn_end

MAX_SILENT_REPROMPTS = 3
"""No-input timeouts in a row that get a reprompt; after that allvoice waits quietly."""
MIN_SECONDS = 0.1
"""Shorter audio holds no words; it is not decoded."""
JOIN_SECONDS = 2.0
"""Speech that starts within this many seconds of the end of a turn that was not taken up
(a fragment, or words the recognizer doubted: "Sorry, I did not catch that") goes with it:
the two are decoded joined, and the whole sentence is acted on."""
MAX_JOIN_GAP_SECONDS = 1.0
"""The silence kept between the two parts of a joined sentence, at most."""


@dataclass(frozen=True)
class VoiceTurn:
    """One spoken exchange."""

    transcript: Transcript
    """What the recognizer heard."""
    turn: Turn
    """What was understood and replied."""
    asr: str = ""
    """The recognizer that heard it ("whisper", or "pocketsphinx" when Whisper could not
    load); "" when it does not say."""

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` contract plus the transcript, its confidence and the recognizer."""
        engine = {"asr": self.asr} if self.asr else {}
        return self.turn.as_json(
            heard=self.transcript.text, confidence=round(self.transcript.confidence, 3), **engine
        )


@dataclass(frozen=True)
class TurnPauses:
    """Seconds of silence that end a turn, by what the words are (the user's settings)."""

    finished: float = 0.25
    """After a question, an answer or a command."""
    report: float = 1.6
    """After a report that reads as finished but may go on."""
    unfinished: float = 3.0
    """After a sentence plainly not finished."""

    def bounded(self, pause: float) -> TurnPauses:
        """Kept in order around the user's ``pause`` (the wait when words decide nothing):
        finished <= pause <= report <= unfinished."""
        report = max(self.report, pause)
        return TurnPauses(min(self.finished, pause), report, max(self.unfinished, report))


class HeardWords:
    """The endpointer's ``TurnWords``: what the streaming recognizer decoded at the last
    pause, judged by the core (``turn_end.ends_turn``). An emergency is judged like any
    report: "my heart hurts so badly ... to the point i can't eat or sleep" is heard to
    its end (1.6 s), and then answered, triage first."""

    def __init__(self, recognizer: StreamingRecognizer, pauses: TurnPauses) -> None:
        self._recognizer = recognizer
        self._pauses = pauses

    def pause_for(self, length: int, wait: bool) -> float | None:
        """Seconds of silence that end the turn; None: the words decide nothing (yet)."""
        transcript = self._recognizer.heard(length, wait)
        if transcript is None:
            return None
        said = turn_end.ends_turn(transcript.text, transcript.in_domain)
        return {
            turn_end.FINISHED: self._pauses.finished,
            turn_end.REPORT: self._pauses.report,
            turn_end.UNFINISHED: self._pauses.unfinished,
        }.get(said)


def hear(conversation: Conversation, recognizer: Recognizer, utterance: AudioChunk) -> VoiceTurn:
    """Recognize one utterance and take one conversation turn with it.

    Speech the recognizer judged out of its domain is not forced onto a question: see
    ``understand.under_doubt`` for what is made of it. Nor is a sentence plainly not
    finished (the speaker stopped for longer than the endpointer waits) read as an answer,
    nor a lone yes or no that was not clearly said (``turn_end.clearly_said``): they are
    taken as doubted too, so that only an emergency or a full report is acted on."""
    return answer(conversation, recognize(recognizer, utterance), engine_of(recognizer))


def recognize(recognizer: Recognizer, utterance: AudioChunk) -> Transcript:
    """What ``recognizer`` heard in ``utterance``; nothing, without decoding, when it is
    too short to hold a word. AudioError when it cannot be decoded."""
    if len(utterance.audio) < utterance.rate * utterance.width * MIN_SECONDS:
        return Transcript("", 0.0)
    try:
        return recognizer.recognize(utterance)
    except RuntimeError as error:
        raise AudioError(f"the recognizer could not decode this audio ({error})") from None


def engine_of(recognizer: Recognizer) -> str:
    """The name of the engine behind ``recognizer`` ("whisper", ...); "" when it does not say."""
    return str(getattr(recognizer, "engine", ""))


def answer(conversation: Conversation, transcript: Transcript, engine: str = "") -> VoiceTurn:
    """One conversation turn with what ``engine`` heard: doubted when out of the domain,
    plainly not finished, or a lone yes or no not clearly said."""
    text = transcript.text
    doubted = bool(text) and (
        not transcript.in_domain
        or turn_end.verdict(text) is turn_end.UNFINISHED
        or not turn_end.clearly_said(text, transcript.confidence)
    )
    return VoiceTurn(transcript, conversation.turn(text, doubted, spoken=True), engine)


def hear_joined(
    conversation: Conversation, recognizer: Recognizer, earlier: Utterance, later: Utterance
) -> VoiceTurn:
    """``later`` as the rest of ``earlier``: the two decoded joined, as one sentence (its
    triage first, as any turn's). What was fed for ``later`` alone is let go first."""
    recognizer.recognize(later.audio)  # a streaming recognizer ends what it was fed
    earlier_end = earlier.start_sample + len(earlier.audio.audio) // earlier.audio.width
    rate, width = later.audio.rate, later.audio.width
    gap = min(max(0, later.start_sample - earlier_end), round(MAX_JOIN_GAP_SECONDS * rate))
    joined = earlier.audio.audio + bytes(gap * width) + later.audio.audio
    return hear(conversation, recognizer, AudioChunk(rate, width, 1, joined))


def _goes_with(earlier: tuple[Utterance, VoiceTurn] | None, later: Utterance) -> bool:
    """``later`` is the rest of a sentence whose start was not taken up."""
    if earlier is None or not later.audio.audio:
        return False
    utterance, spoken = earlier
    taken_up = spoken.turn.reply.intent != "unknown" or not spoken.transcript.text
    gap = later.start_sample - utterance.speech_end_sample
    return not taken_up and gap <= JOIN_SECONDS * later.audio.rate


def voice_of(turn: Turn, settings_voice: Voice) -> Voice:
    """The voice for a reply: the conversation's rate and volume, the user's voice and pitch."""
    return Voice(
        rate=turn.state.rate,
        volume=turn.state.volume,
        voice=settings_voice.voice,
        pitch=settings_voice.pitch,
    )


def converse_by_voice(
    conversation: Conversation,
    utterances: Iterable[AudioChunk | Utterance],
    recognizer: Recognizer,
    out: TextIO,
    as_json: bool,
    speaker: Speaker | None = None,
    base_voice: Voice = DEFAULT_VOICE,
    on_listening: Callable[[], None] = lambda: None,
) -> None:
    """A whole spoken conversation; ends after goodbye or when the utterances run out.

    An utterance with no words in it (an empty one is a no-input timeout; noise is heard
    as nothing) is answered with a reprompt, but only ``MAX_SILENT_REPROMPTS`` times in a
    row, so allvoice does not talk to an empty room, nor all day to a hissing microphone.
    Utterances with their timing (``endpointer.Utterance``) can also be joined: speech
    that follows at once a turn that was not taken up is its rest (``JOIN_SECONDS``)."""
    on_listening()
    silent = 0
    earlier: tuple[Utterance, VoiceTurn] | None = None
    for item in utterances:
        utterance = item.audio if isinstance(item, Utterance) else item
        if isinstance(item, Utterance) and _goes_with(earlier, item):
            assert earlier is not None
            spoken = hear_joined(conversation, recognizer, earlier[0], item)
            silent = 0
        else:
            transcript = recognize(recognizer, utterance)
            silent = silent + 1 if not transcript.text else 0
            if silent > MAX_SILENT_REPROMPTS:
                continue
            spoken = answer(conversation, transcript, engine_of(recognizer))
        earlier = (item, spoken) if isinstance(item, Utterance) else None
        write(spoken, out, as_json)
        if speaker is not None:
            speaker.say(spoken.turn.reply.text, voice_of(spoken.turn, base_voice))
        if conversation.ended:
            return
        on_listening()


def write(spoken: VoiceTurn, out: TextIO, as_json: bool) -> None:
    """One line: the JSON object, or what was heard and the reply."""
    if as_json:
        out.write(json.dumps(spoken.as_json(), ensure_ascii=False) + "\n")
    else:
        heard = spoken.transcript.text or "(nothing)"
        out.write(f"You said: {heard}\n{spoken.turn.reply.text}\n")
    out.flush()
