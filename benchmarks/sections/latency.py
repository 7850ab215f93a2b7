"""The "2. Latency" section: stage by stage, voice mode as it runs, and saying stop."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import Result
from benchmarks.sections.format import LABELS, ms, table

STAGES = (
    ("recognize", "decode, whole utterance: `recognize()` after the end of speech"),
    ("finish", "decode, incremental: `finish()` after the last 30 ms block"),
    ("understand", "understanding: `understand()` on the transcript"),
    ("step", "dialogue step: `dialogue.step()`"),
    ("first_audio", "text to first audio sample: first chunk of `Synthesizer.synthesize()`"),
    (
        "total",
        "**end of speech to first sound, incremental** (finish + understand + step + first chunk)",
    ),
    ("total_whole", "end of speech to first sound, whole-utterance (recognize + ...)"),
)
"""The timed stages in table order, with their descriptions."""


def section(result: Result | None, plots: dict[str, Path]) -> list[str]:
    """Time per stage and per condition, the plot, then voice mode paced and saying stop."""
    lines = ["## 2. Latency", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    lines += [
        "PocketSphinx with the domain model (`--asr pocketsphinx`), stage by stage; Whisper "
        "(the default) as voice mode runs it, side by side with PocketSphinx, is in the "
        f"table after. {result['utterances']} spoken-set utterances, spread over the "
        "questions, voices and conditions, each padded with silence and cut by the real "
        "endpointer, then timed stage by stage in one process. The incremental decoder is "
        "fed the utterance in "
        f"{result['block_ms']:.0f} ms blocks first (feeding runs at "
        f"{result['feed_real_time_factor']['median']:.3f} x real time, median, so it keeps up "
        "with speech); only `finish()` is counted. Totals are per utterance, then summarised.",
        "",
        *_stages(result),
        f"![Latency per stage]({plots['latency'].name})",
        "",
    ]
    live = result.get("paced")
    if live:
        lines += _paced(live)
    stop = result.get("spoken_stop")
    if stop and stop["delay"]:
        lines += _spoken_stop(stop)
    return lines


def _stages(result: Result) -> list[str]:
    """The stage table, the endpointer's wait, and the total per condition."""
    stages = result["stages"]
    wait = stages["endpointer_wait"]
    return [
        *table(
            ["stage", "median", "p95", "max"],
            [
                [label, ms(stages[key]["median"]), ms(stages[key]["p95"]), ms(stages[key]["max"])]
                for key, label in STAGES
            ],
        ),
        "Before all of this the endpointer waits for the end-of-speech pause "
        f"(`EndpointerSettings.pause_seconds` = {result['pause_seconds']} s, a user setting): "
        f"measured from the detector's end of speech to the utterance being handed over, "
        f"{ms(wait['median'])} median, {ms(wait['p95'])} p95. The goal counts from the end "
        "of that pause; playing the first chunk through the sound card adds the device's "
        "own buffer, not measured here.",
        "",
        "End of speech to first sound (incremental) per condition:",
        "",
        *table(
            ["condition", "utterances", "median", "p95"],
            [
                [LABELS.get(c, c), v["n"], ms(v["median"]), ms(v["p95"])]
                for c, v in result["total_by_condition"].items()
            ],
        ),
    ]


def _paced(live: Result) -> list[str]:
    """Whisper and PocketSphinx side by side, fed at the pace of speech."""
    first, whole = live["end_of_pause_to_first_sound"], live["recognize_whole"]
    return [
        "Voice mode as it runs, Whisper (the default) and PocketSphinx side by side on the "
        f"same {live['utterances']} utterances (`latency.paced`): each is played to the "
        "real endpointer at the pace of speech; Whisper starts decoding when the speaker "
        "pauses, while the endpointer waits out its pause, and PocketSphinx decodes as the "
        "audio comes. Timed from the end of the pause to the first synthesized chunk of "
        "the reply. Whole-utterance decoding is what `ask --wav` does per question. "
        f"Decodings started at a pause: {live['speculations']}, used: "
        f"{live['speculations_used']}.",
        "",
        *table(
            [
                "recognizer",
                "end of pause to first sound, median",
                "p95",
                "decode whole, median",
                "p95",
            ],
            [
                [
                    name,
                    ms(first[name]["median"]),
                    ms(first[name]["p95"]),
                    ms(whole[name]["median"]),
                    ms(whole[name]["p95"]),
                ]
                for name in first
            ],
        ),
    ]


def _spoken_stop(stop: Result) -> list[str]:
    """Stop said over the speech: how often it is heard and how soon the speaker stops."""
    total = stop["heard"] + len(stop["missed"])
    return [
        "Saying stop over the speech (the `headphones` setting; `bargein.StopListener`): "
        f'"stop", "stop talking" and "be quiet" by each spoken-set voice, fed at the '
        f"pace of speech. Heard as stop in {stop['heard']} of {total}; from the end of the "
        f"word to `speaker.stop()`, {ms(stop['delay']['median'])} median, "
        f"{ms(stop['delay']['p95'])} p95 (the 0.3 s end-of-speech pause included). "
        + (f"Missed: {', '.join(stop['missed'])}." if stop["missed"] else ""),
        "",
    ]
