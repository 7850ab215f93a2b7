"""When a spoken turn ends: the endpointer's timing once the words have a say
(``endpointer.TurnWords``), the voice loop on sentences with a pause inside them, and
what is never taken from a fragment or a tail of breath (issue 19).

The words here come from a stand-in that answers as the core would, so that the timing is
tested without a recognizer; the whole loop with Whisper is in the tests marked audio."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from clirun import espeak, run_allvoice

from allvoice.app.voice import TurnPauses, hear
from allvoice.content.pack import Pack
from allvoice.conversation.session import Conversation
from allvoice.fakes import FakeRecognizer
from allvoice.ports import AudioChunk, Transcript
from allvoice.speech.audio.endpointer import EndpointerSettings, Utterance, utterances_from_chunk
from allvoice.speech.audio.wavfile import read_wav

RATE = 16_000
needs_espeak = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("espeak-ng", "sox")), reason="needs espeak-ng and sox"
)


class Sink:
    """A ``SpeechSink`` that remembers how much it had at each pause."""

    def __init__(self) -> None:
        self.fed = 0
        self.pauses: list[int] = []

    def begin(self) -> None:
        self.fed = 0

    def feed(self, frames: bytes) -> None:
        self.fed += len(frames)

    def pause(self) -> None:
        self.pauses.append(self.fed)


class Words:
    """``TurnWords`` that always call for the same pause."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.asked: list[int] = []

    def pause_for(self, length: int, wait: bool) -> float | None:
        self.asked.append(length)
        return self.seconds


FINISHED, UNFINISHED = 0.25, 3.0


def said(folder: Path, *parts: str | float) -> AudioChunk:
    """espeak-ng saying each text part, with digital silence for each number (seconds),
    as 16 kHz mono."""
    files: list[str] = []
    for number, part in enumerate(parts):
        path = folder / f"part{number}.wav"
        if isinstance(part, str):
            espeak(path, part)
        else:
            command = ["sox", "-D", "-n", "-r", "22050", "-c", "1", "-b", "16", str(path)]
            subprocess.run([*command, "trim", "0", str(part)], check=True)
        files.append(str(path))
    whole = folder / "said.wav"
    subprocess.run(["sox", "-D", *files, "-r", "16000", str(whole)], check=True)
    return read_wav(whole)


def turns(audio: AudioChunk, seconds: float | None, pause: float = 0.8) -> list[Utterance]:
    chosen = EndpointerSettings(pause_seconds=pause, wait_for_words=True)
    return list(utterances_from_chunk(audio, chosen, Sink(), Words(seconds)))


@needs_espeak
def test_a_finished_thought_ends_the_turn_after_a_short_pause(tmp_path: Path) -> None:
    audio = said(tmp_path, 0.5, "what causes it", 2.0)
    [finished] = turns(audio, FINISHED)
    [undecided] = turns(audio, None)
    [plain] = utterances_from_chunk(audio, EndpointerSettings())  # no words: as before
    waited = (finished.detected_sample - finished.speech_end_sample) / RATE
    assert 0.2 <= waited <= 0.35
    assert (undecided.detected_sample - undecided.speech_end_sample) / RATE >= 0.8
    assert (plain.detected_sample - plain.speech_end_sample) / RATE >= 0.8
    assert plain.detected_sample - finished.detected_sample >= 0.4 * RATE


@needs_espeak
def test_an_unfinished_sentence_waits_for_the_rest(tmp_path: Path) -> None:
    audio = said(tmp_path, 0.5, "i can hardly", 1.4, "breathe", 2.0)
    assert len(turns(audio, UNFINISHED)) == 1
    assert len(turns(audio, None)) == 2  # the user's pause alone cuts it, as before
    [whole] = turns(audio, UNFINISHED)
    assert len(whole.audio.audio) / 2 / RATE > 1.8  # both parts, the pause between


@needs_espeak
def test_the_words_pause_is_what_ends_the_turn(tmp_path: Path) -> None:
    audio = said(tmp_path, 0.5, "i can hardly", 2.5, "breathe", 2.0)
    assert len(turns(audio, 2.0)) == 2
    assert len(turns(audio, 3.0)) == 1
    assert len(turns(audio, 3.0, pause=0.3)) == 1  # the user's own pause is for no words


def test_the_users_pauses_stay_in_order_around_their_pause() -> None:
    from allvoice.app.settings import Settings
    from allvoice.app.wiring import turn_pauses

    assert turn_pauses(Settings()) == TurnPauses(0.25, 1.6, 3.0)
    slow = turn_pauses(Settings(pause=2.0))
    assert (slow.finished, slow.report, slow.unfinished) == (0.25, 2.0, 3.0)
    patient = turn_pauses(Settings(pause=4.0, pause_finished=0.5))
    assert (patient.finished, patient.report, patient.unfinished) == (0.5, 4.0, 4.0)
    hasty = turn_pauses(Settings(pause=0.3, pause_finished=0.5))
    assert hasty.finished == 0.3


@needs_espeak
def test_the_turn_ends_on_the_audio_that_was_decoded(tmp_path: Path) -> None:
    """The words were judged on what the sink had at its pause; the utterance handed over
    is exactly that, so the decoding started at the pause is the one used."""
    audio = said(tmp_path, 0.5, "what causes it", 2.0)
    sink, words = Sink(), Words(FINISHED)
    settings = EndpointerSettings(wait_for_words=True)
    [utterance] = utterances_from_chunk(audio, settings, sink, words)
    assert words.asked == [sink.pauses[-1]] == [len(utterance.audio.audio)]


def test_a_fragment_is_never_read_as_the_answer_to_a_question(pack: Pack) -> None:
    conversation = Conversation(pack)
    asked = conversation.turn("my knee feels weak and i have bone pain")
    assert asked.reply.asks and "How long" in asked.reply.text
    silence = AudioChunk(RATE, 2, 1, bytes(RATE * 2))
    fragment = hear(conversation, FakeRecognizer("for about three weeks but the"), silence)
    assert fragment.turn.intent == "unknown"
    assert "How long" in fragment.turn.reply.text  # the question still waits for its answer
    assert conversation.state.notes == asked.state.notes  # nothing was recorded


def test_a_lone_no_in_a_tail_of_breath_is_not_taken(pack: Pack) -> None:
    conversation = Conversation(pack)
    conversation.turn("what causes it", doubted=True)  # "Did you ask about causes?"
    silence = AudioChunk(RATE, 2, 1, bytes(RATE))
    tail = hear(conversation, FakeRecognizer("no no no no"), silence)
    assert tail.turn.intent == "unknown"
    unsure = hear(conversation, FakeRecognizer(Transcript("no", 0.3)), silence)
    assert unsure.turn.intent == "unknown"
    conversation.turn("what causes it", doubted=True)
    clear = hear(conversation, FakeRecognizer(Transcript("no", 0.9)), silence)
    assert clear.turn.intent == "no"


def test_an_emergency_in_a_fragment_is_still_acted_on(pack: Pack) -> None:
    silence = AudioChunk(RATE, 2, 1, bytes(RATE))
    heard = hear(Conversation(pack), FakeRecognizer("my son cannot breathe and his"), silence)
    assert heard.turn.intent == "emergency"


@pytest.mark.audio
@needs_espeak
def test_i_can_hardly_breathe_with_its_pause_gets_the_emergency_reply(tmp_path: Path) -> None:
    audio = tmp_path / "said.wav"
    said(tmp_path, 0.5, "i can hardly", 1.2, "breathe", 2.0, "what causes it", 2.0)
    done = run_allvoice(tmp_path, "--listen-file", str(audio), "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert replies[0]["heard"] == "i can hardly breathe"
    assert replies[0]["intent"] == "emergency"
    assert len(replies) == 2


def timed(start: float, seconds: float) -> Utterance:
    audio = AudioChunk(RATE, 2, 1, bytes(2 * round(seconds * RATE)))
    end = round((start + seconds) * RATE)
    return Utterance(audio, round(start * RATE), end, end)


def test_the_rest_of_a_sentence_not_taken_up_is_heard_with_its_start(pack: Pack) -> None:
    import io

    from allvoice.app.voice import converse_by_voice

    script = FakeRecognizer(
        Transcript("i can hardly", 0.8), "breathe", "i can hardly breathe", "what causes it"
    )
    out = io.StringIO()
    parts = [timed(0.5, 1.0), timed(2.8, 0.6), timed(8.0, 1.0)]
    converse_by_voice(Conversation(pack), parts, script, out, as_json=True)
    turns = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [turn["heard"] for turn in turns] == [
        "i can hardly", "i can hardly breathe", "what causes it",
    ]  # fmt: skip
    assert [turn["intent"] for turn in turns][:2] == ["unknown", "emergency"]
    joined = script.utterances[2]
    assert len(joined.audio) == 2 * round((1.0 + 1.0 + 0.6) * RATE)  # the gap kept, at most 1 s


def test_speech_long_after_a_turn_not_taken_up_is_a_turn_of_its_own(pack: Pack) -> None:
    import io

    from allvoice.app.voice import converse_by_voice

    script = FakeRecognizer(Transcript("i can hardly", 0.8), "what causes it")
    out = io.StringIO()
    converse_by_voice(Conversation(pack), [timed(0.5, 1.0), timed(5.0, 1.0)], script, out, True)
    assert [json.loads(line)["intent"] for line in out.getvalue().splitlines()] == [
        "unknown",
        "causes",
    ]
