"""The voice loop soaked with the default recognizer: 1,000 spoken turns in one process.

The microphone is replaced by generated audio (``ScriptedMicrophone``): a cycle of
spoken-set questions, each followed by silence. Everything else is what ``allvoice`` runs
in voice mode: ``MicrophoneListener`` (its reader thread, calibration and echo gate), the
endpointer, Whisper driven by ``StreamingRecognizer`` (speculative decoding: decoding
starts at each pause), the conversation, and barge-in: while the reply is "spoken" the
microphone is muted and what it hears goes to a ``StopListener`` with PocketSphinx, as
with headphones on; every fifth reply is interrupted by a spoken "stop".

The end of each turn is decided by the words heard, as in voice mode (``HeardWords`` with
the default pauses). After each question the microphone goes on giving quiet room, at the
pace of a real microphone, until the reply comes (as a person would wait), so no audio is
dropped however slow a turn is and the endpointer gets all the silence it asks for; a turn
that never comes shows as lost (the microphone plays on after ``WAIT_SECONDS``, and the
loop is stopped five seconds after the last question has been played); the lost
questions are named in the result. RSS is
sampled every ``SAMPLE_EVERY`` turns after ``gc.collect()``; growth is counted from the
end of the warm-up (the first cycle of questions) to the last turn.
"""

from __future__ import annotations

import gc
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from benchmarks import spoken_set
from benchmarks.common import Config, Result, part_main, rss_mb, silence

RATE = 16_000
CYCLE = 40
"""Distinct questions in the cycle (the warm-up is one cycle)."""
SAMPLE_EVERY = 50
BEFORE_REPLY = 0.3
"""Seconds of silence after a question before the microphone waits for the reply (and
gives quiet room, paced, until it comes)."""
QUIET_BLOCK = 0.03
"""Seconds of quiet room given at a time while a reply is awaited."""
WHILE_REPLYING = 1.5
"""Seconds the microphone is muted while the reply is spoken; barge-in hears them."""
AFTER_REPLY = 0.6
"""Seconds of silence after the reply (the echo gate's tail is in it)."""
STOP_EVERY = 5
WAIT_SECONDS = 120.0
"""A reply that has not come by then counts as a lost turn."""


class ScriptedMicrophone:
    """Stands in for ``speech_recognition.Microphone``: plays questions, waits for replies."""

    def __init__(self, questions: list[bytes], stop: bytes, turns: int) -> None:
        self.stream = self
        self.replying = False
        """True while the reply is being "spoken": the listener's ``muted``."""
        self._replied = threading.Semaphore(0)
        self.finished = threading.Event()
        """Set once every question has been played."""
        self._closed = threading.Event()
        self.lost: list[int] = []
        """The numbers of the questions whose reply never came."""
        self._pieces = self._script(questions, stop, turns)
        self._pending = b""
        self._awaiting: int | None = None
        self._waited = 0.0

    def _script(self, questions: list[bytes], stop: bytes, turns: int) -> Iterator[bytes | int]:
        """The audio in order; a question's number marks where its reply is awaited."""
        yield bytes(2 * RATE)  # calibration: a second of quiet room
        for number in range(turns):
            yield questions[number % len(questions)] + silence(BEFORE_REPLY)
            yield number
            said = stop if number % STOP_EVERY == STOP_EVERY - 1 else b""
            yield b"replying" + said + silence(WHILE_REPLYING - len(said) / (2 * RATE))
            yield b"listening" + silence(AFTER_REPLY)
        self.finished.set()  # the script is over: the loop is stopped a little later
        while True:  # quiet, at the pace of a real microphone
            time.sleep(0.5)
            yield silence(0.5)

    def replied(self) -> None:
        """The loop answered a turn (the speaker was asked to say the reply)."""
        self._replied.release()

    def read(self, size: int) -> bytes:
        wanted = 2 * size
        while len(self._pending) < wanted:
            if self._closed.is_set():
                return bytes(wanted)
            if self._awaiting is not None:
                self._await()
                continue
            piece = next(self._pieces)
            if isinstance(piece, int):
                self._awaiting, self._waited = piece, 0.0
                continue
            for flag, replying in ((b"replying", True), (b"listening", False)):
                if piece.startswith(flag):
                    piece = piece[len(flag) :]
                    self.replying = replying  # from here on (the frame in hand is kept)
            self._pending += piece
        data, self._pending = self._pending[:wanted], self._pending[wanted:]
        return data

    def _await(self) -> None:
        """Quiet room, at the pace of a microphone, until the awaited reply comes (or
        ``WAIT_SECONDS`` have passed: a lost turn)."""
        if self._replied.acquire(timeout=QUIET_BLOCK):
            self._awaiting = None
            return
        self._waited += QUIET_BLOCK
        if self._waited >= WAIT_SECONDS and self._awaiting is not None:
            self.lost.append(self._awaiting)
            self._awaiting = None
        self._pending += silence(QUIET_BLOCK)

    def __exit__(self, *exc_info: object) -> None:
        self._closed.set()


class SoakSpeaker:
    """Says nothing, tells the microphone a reply came, and counts the stops."""

    def __init__(self, microphone: ScriptedMicrophone) -> None:
        self._microphone = microphone
        self.replies = 0
        self.stops = 0

    @property
    def is_speaking(self) -> bool:
        return self._microphone.replying

    def say(self, text: str, voice: Any) -> None:
        self.replies += 1
        self._microphone.replied()

    def stop(self) -> None:
        self.stops += 1


class Output:
    """The loop's JSON lines: counts turns, times them, samples memory, stops at the end."""

    def __init__(self, turns: int, warm_up: int) -> None:
        self.turns, self.warm_up = turns, warm_up
        self.answered = 0
        self.heard: list[str] = []
        self.seconds: list[float] = []
        self.samples: list[tuple[int, float]] = [(0, rss_mb())]
        self.rss_warm = 0.0
        self._last = time.perf_counter()

    def write(self, line: str) -> int:
        import json

        if not line.startswith("{"):
            return len(line)
        now = time.perf_counter()
        self.seconds.append(now - self._last)
        self._last = now
        self.heard.append(str(json.loads(line)["heard"]))
        self.answered += 1
        if self.answered == self.warm_up:
            gc.collect()
            self.rss_warm = rss_mb()
        if self.answered % SAMPLE_EVERY == 0 or self.answered == self.turns:
            gc.collect()
            self.samples.append((self.answered, rss_mb()))
            if self.answered % (4 * SAMPLE_EVERY) == 0:
                print(f"voicesoak: {self.answered} turns, {rss_mb():.1f} MB", file=sys.stderr)
        return len(line)

    def flush(self) -> None:
        """Nothing is buffered. The loop runs to the end of the script (the last reply's
        spoken "stop" is heard too)."""


def listener_closed(listener: Any) -> bool:
    """True once the listener has been closed (its utterances have run out)."""
    return bool(listener._closing.is_set())


def questions() -> tuple[list[str], list[bytes], bytes]:
    """The cycle of questions (no goodbye), each spoken, and a spoken "stop"."""
    chosen = [q for q in spoken_set.load_questions() if q.intent not in ("goodbye", "stop")]
    step = max(1, len(chosen) // CYCLE)
    texts = [q.text for q in chosen[::step][:CYCLE]]
    cycle = [
        spoken_set.render(text, spoken_set.VOICES[i % 5], "clean").audio
        for i, text in enumerate(texts)
    ]
    return texts, cycle, spoken_set.render("stop", spoken_set.VOICES[0], "clean").audio


def voice_soak(turns: int, cycle: int = CYCLE) -> Result:
    """``turns`` spoken turns through the voice loop; see the module docstring."""
    from allvoice.app import voice
    from allvoice.app.settings import Settings
    from allvoice.app.wiring import turn_pauses
    from allvoice.content.pack import load_pack
    from allvoice.conversation.session import Conversation
    from allvoice.ports import DEFAULT_VOICE
    from allvoice.speech.asr.recognizer import make_recognizer, stop_recognizer
    from allvoice.speech.asr.streaming import StreamingRecognizer
    from allvoice.speech.audio import microphone
    from allvoice.speech.audio.bargein import StopListener
    from allvoice.speech.audio.endpointer import EndpointerSettings
    from allvoice.understanding import build_model, understand

    pack = load_pack()
    model = build_model(pack)
    texts, spoken, stop = questions()
    spoken = spoken[:cycle]
    fake = ScriptedMicrophone(spoken, stop, turns)
    speaker = SoakSpeaker(fake)
    whisper = make_recognizer("whisper", None, pack)
    streaming = StreamingRecognizer(whisper)
    stopper = StopListener(
        stop_recognizer("whisper", None, pack),
        lambda text: understand(text, model).intent == "stop",
        speaker.stop,
    )
    real_open = microphone._open_microphone
    microphone._open_microphone = lambda index: (fake, RATE)  # type: ignore[assignment]
    try:
        listener = microphone.MicrophoneListener(
            None,
            EndpointerSettings(keep_listening=True),
            muted=lambda: speaker.is_speaking,
            sink=streaming,
            while_muted=stopper.feed,
            words=voice.HeardWords(streaming, turn_pauses(Settings())),
        )
    finally:
        microphone._open_microphone = real_open  # type: ignore[assignment]
    out = Output(turns, min(len(spoken), max(1, turns // 10)))
    utterances = listener.utterances()

    def stop_when_played() -> None:  # the last question's turn has 5 s to come
        fake.finished.wait()
        time.sleep(5.0)
        listener.close()

    threading.Thread(target=stop_when_played, daemon=True).start()
    conversations = 0
    started = time.perf_counter()
    while not (fake.finished.is_set() and listener_closed(listener)):
        conversations += 1
        conversation = Conversation(pack, model)
        voice.converse_by_voice(
            conversation,
            utterances,
            streaming,
            out,
            True,
            speaker,
            DEFAULT_VOICE,  # type: ignore[arg-type]
        )
    elapsed = time.perf_counter() - started
    fake.finished.set()
    listener.close()
    stopper.close()
    gc.collect()
    rss_end = rss_mb()
    repeated = [
        out.heard[i] == out.heard[i - len(spoken)] for i in range(len(spoken), len(out.heard))
    ]
    return {
        "turns": turns,
        "answered": out.answered,
        "lost": max(0, turns - out.answered),
        "replies_waited_out": len(fake.lost),
        "lost_questions": [texts[number % len(spoken)] for number in fake.lost],
        "with_words": sum(1 for text in out.heard if text),
        "same_as_first_cycle": sum(repeated),
        "compared": len(repeated),
        "conversations": conversations,
        "stops_said": turns // STOP_EVERY,
        "stops_heard": speaker.stops,
        "speculations": getattr(whisper, "speculations", 0),
        "speculations_used": getattr(whisper, "speculations_used", 0),
        "speculations_abandoned": getattr(whisper, "speculations_abandoned", 0),
        "seconds": elapsed,
        "turn_ms_median": 1000 * statistics.median(out.seconds) if out.seconds else None,
        "warm_up_turns": out.warm_up,
        "rss_after_warm_up_mb": out.rss_warm,
        "rss_end_mb": rss_end,
        "rss_growth_mb": rss_end - out.rss_warm,
        "rss_samples": out.samples,
    }


def _run(config: Config) -> Result:
    return voice_soak(config.soak_voice_turns)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.voicesoak [--quick|--full]``: this pass alone (``python -m
    benchmarks.soak`` runs it with the text and audio soaks)."""
    return part_main("voicesoak", _run, argv)


if __name__ == "__main__":
    sys.exit(main())
