"""Soak: thousands of scripted turns in one process, in text mode and through audio files.

Text mode drives ``allvoice.conversation.session.Conversation`` with ``SCRIPT`` over and over:
questions, a symptom report and its follow-up answers, reading controls, rate and volume,
out-of-scope and garbled input, an emergency, and goodbye (after which a new conversation
starts, as a new session would). The audio-file loop drives ``allvoice.app.voice.hear`` with
one recognizer on a cycle of spoken-set WAVs, each loaded once.

The voice loop (``benchmarks.voicesoak``) runs once more, in its own process: spoken turns
through the microphone listener, Whisper with speculative decoding and barge-in.

Each of the first two modes runs twice, each time in a fresh process: once plain, for the
time of every turn and the process's RSS (sampled at regular turns, after
``gc.collect()``), and once under ``tracemalloc``, started after the warm-up, for the
growth of the Python heap (the plain pass is the one timed: tracing slows each turn by
about a quarter). Growth is counted from the end of the warm-up (the first script cycle)
to the last turn.
"""

from __future__ import annotations

import argparse
import array
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks import spoken_set
from benchmarks.common import Config, Result, log, ms, part_main, rss_mb, run_pass

SCRIPT = (
    "what is a l l",
    "more",
    "more",
    "repeat",
    "what are the symptoms",
    "more",
    "previous",
    "my son has a fever and bone pain",
    "about two weeks",
    "getting worse",
    "is it inherited",
    "what causes it",
    "faster",
    "slower",
    "louder",
    "softer",
    "stop",
    "resume",
    "help",
    "what are the risk factors",
    "when should i see a doctor",
    "where does this information come from",
    "my daughter is pale and tired all the time",
    "since last monday",
    "about the same",
    "spell lymphocytic",
    "is it contagious",
    "what is the weather like today",
    "blorp flim",
    "yes",
    "no",
    "start over",
    "she cannot breathe",
    "who gets a l l",
    "can adults get it",
    "repeat everything",
    "read everything",
    "goodbye",
)
AUDIO_CYCLE = 60
"""Distinct recordings in the audio cycle."""
AUDIO_CONDITIONS = ("clean", "noise15", "fast25")
WINDOW = 1000
"""Turns in the first and the last window compared."""
TRACE_AUDIO_MAX = 2000
"""The traced audio pass is at most this long (the plain pass sets the timing)."""
TIMEOUT = 6 * 3600.0


def run(config: Config) -> Result:
    """Both modes, plain and traced, each in a fresh process."""
    result: Result = {}
    for mode, turns in (("text", config.soak_text_turns), ("audio", config.soak_audio_turns)):
        log(f"soak: {mode}, {turns} turns")
        plain = _child(mode, turns, trace=False)
        traced_turns = turns if mode == "text" else min(turns, TRACE_AUDIO_MAX)
        log(f"soak: {mode}, {traced_turns} turns under tracemalloc")
        traced = _child(mode, traced_turns, trace=True)
        result[mode] = {"plain": plain, "traced": traced}
    log(f"soak: voice loop with Whisper, {config.soak_voice_turns} spoken turns")
    result["voice"] = _child("voice", config.soak_voice_turns, trace=False)
    return result


def _child(mode: str, turns: int, trace: bool) -> Result:
    command = [sys.executable, "-m", "benchmarks.soak", "--pass", mode, "--turns", str(turns)]
    return run_pass([*command, *(["--trace"] if trace else [])], f"soak {mode}", TIMEOUT)


def soak(mode: str, turns: int, trace: bool) -> Result:
    """One pass in this process; see the module docstring."""
    from allvoice.content.library import load_content
    from allvoice.conversation.session import Conversation
    from allvoice.understanding import build_model

    pack = load_content()
    model = build_model(pack)
    conversation = Conversation(pack, model)
    take_turn: Callable[[int], None]
    if mode == "text":
        warm_up = len(SCRIPT)

        def take_turn(number: int) -> None:
            conversation.turn(SCRIPT[number % len(SCRIPT)])

        sample_every = 100
    else:
        from allvoice.app.voice import hear
        from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer

        recognizer = PocketSphinxRecognizer(pack)
        cycle = _recordings()
        warm_up = len(cycle)

        def take_turn(number: int) -> None:
            hear(conversation, recognizer, cycle[number % len(cycle)])

        sample_every = 20
    warm_up = min(warm_up, max(1, turns // 10))
    gc.collect()
    rss_start = rss_mb()
    seconds = array.array("d", [0.0]) * turns  # allocated up front: no growth while soaking
    samples: list[tuple[int, float]] = [(0, rss_start)]
    heap: list[tuple[int, float]] = []
    conversations = 1
    rss_warm = heap_warm = 0.0
    started_all = time.perf_counter()
    for number in range(turns):
        started = time.perf_counter()
        take_turn(number)
        seconds[number] = time.perf_counter() - started
        if conversation.ended:
            conversation = Conversation(pack, model)
            conversations += 1
        done = number + 1
        if done == warm_up:
            gc.collect()
            rss_warm = rss_mb()
            if trace:
                tracemalloc.start()
                heap_warm = tracemalloc.get_traced_memory()[0] / 1e6
        if done % sample_every == 0 or done == turns:
            if trace and tracemalloc.is_tracing():
                heap.append((done, tracemalloc.get_traced_memory()[0] / 1e6))
            else:
                samples.append((done, rss_mb()))
    elapsed = time.perf_counter() - started_all
    gc.collect()
    rss_end = rss_mb()
    result: dict[str, Any] = {
        "mode": mode,
        "turns": turns,
        "traced": trace,
        "warm_up_turns": warm_up,
        "conversations": conversations,
        "seconds": elapsed,
        "turn_ms": ms(seconds),
        "rss_start_mb": rss_start,
        "rss_after_warm_up_mb": rss_warm,
        "rss_end_mb": rss_end,
        "rss_growth_mb": rss_end - rss_warm,
        "rss_growth_from_start_mb": rss_end - rss_start,
        "rss_samples": samples,
    }
    if trace:
        heap_end = tracemalloc.get_traced_memory()[0] / 1e6
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        top = tracemalloc.take_snapshot().statistics("lineno")[:5]
        tracemalloc.stop()
        result.update(
            heap_growth_mb=heap_end - heap_warm,
            heap_peak_mb=peak,
            heap_samples=heap,
            heap_top=[str(stat) for stat in top],
        )
    else:
        window = min(WINDOW, turns // 2)
        first, last = seconds[:window], seconds[-window:]
        result.update(
            window=window,
            first_ms=ms(first),
            last_ms=ms(last),
            ratio=statistics.median(last) / statistics.median(first),
            rolling_ms=_rolling(seconds, 5 * sample_every),
        )
    return result


def _recordings() -> list[Any]:
    """AUDIO_CYCLE spoken-set utterances over the intents, voices and some conditions."""
    questions = spoken_set.load_questions()
    chosen = [questions[i * len(questions) // AUDIO_CYCLE] for i in range(AUDIO_CYCLE)]
    chosen = [q for q in chosen if q.intent != "goodbye"] + [
        q for q in questions if q.intent == "goodbye"
    ][:1]
    return [
        spoken_set.render(q.text, spoken_set.VOICES[i % 5], AUDIO_CONDITIONS[i % 3])
        for i, q in enumerate(chosen)
    ]


def _rolling(seconds: Sequence[float], size: int) -> list[tuple[int, float]]:
    """Median turn time of consecutive blocks of ``size`` turns, ms, at each block's end."""
    return [
        (start + size, 1000 * statistics.median(seconds[start : start + size]))
        for start in range(0, len(seconds) - size + 1, size)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.soak [--quick|--full]``; ``--pass MODE`` runs one pass."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--pass" not in args:
        return part_main("soak", run, args)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--pass", dest="mode", choices=["text", "audio", "voice"], required=True)
    parser.add_argument("--turns", type=int, required=True)
    parser.add_argument("--trace", action="store_true")
    one = parser.parse_args(args)
    if one.mode == "voice":
        from benchmarks.voicesoak import voice_soak

        print(json.dumps(voice_soak(one.turns)))
        return 0
    print(json.dumps(soak(one.mode, one.turns, one.trace)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
