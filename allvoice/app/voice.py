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

MAX_SILENT_REPROMPTS = 3
"""No-input timeouts in a row that get a reprompt; after that allvoice waits quietly."""
MIN_SECONDS = 0.1
"""Shorter audio holds no words; it is not decoded."""


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


def hear(conversation: Conversation, recognizer: Recognizer, utterance: AudioChunk) -> VoiceTurn:
    """Recognize one utterance and take one conversation turn with it.

    Speech the recognizer judged out of its domain is not forced onto a question: see
    ``understand.under_doubt`` for what is made of it."""
    return answer(conversation, recognize(recognizer, utterance), _engine(recognizer))


def recognize(recognizer: Recognizer, utterance: AudioChunk) -> Transcript:
    """What ``recognizer`` heard in ``utterance``; nothing, without decoding, when it is
    too short to hold a word. AudioError when it cannot be decoded."""
    if len(utterance.audio) < utterance.rate * utterance.width * MIN_SECONDS:
        return Transcript("", 0.0)
    try:
        return recognizer.recognize(utterance)
    except RuntimeError as error:
        raise AudioError(f"the recognizer could not decode this audio ({error})") from None


def _engine(recognizer: Recognizer) -> str:
    return str(getattr(recognizer, "engine", ""))


def answer(conversation: Conversation, transcript: Transcript, engine: str = "") -> VoiceTurn:
    """One conversation turn with what ``engine`` heard."""
    doubted = bool(transcript.text) and not transcript.in_domain
    return VoiceTurn(transcript, conversation.turn(transcript.text, doubted, spoken=True), engine)


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
    utterances: Iterable[AudioChunk],
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
    row, so allvoice does not talk to an empty room, nor all day to a hissing microphone."""
    on_listening()
    silent = 0
    for utterance in utterances:
        transcript = recognize(recognizer, utterance)
        silent = silent + 1 if not transcript.text else 0
        if silent > MAX_SILENT_REPROMPTS:
            continue
        spoken = answer(conversation, transcript, _engine(recognizer))
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
