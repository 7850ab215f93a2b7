"""The "5. Soak" section: a long scripted conversation, text and audio, watched for growth."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import Result
from benchmarks.sections.format import duration, mb, ms, table


def section(result: Result | None, plots: dict[str, Path]) -> list[str]:
    """Turn times and memory growth per mode, what the audio turns cost, and the plot."""
    lines = ["## 5. Soak", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    audio = result["audio"]["plain"]
    per_turn = audio["seconds"] / audio["turns"]
    return [
        *lines,
        "Scripted conversation in one process: text mode through `Conversation.turn` (a "
        "38-line script of questions, a symptom report and its answers, controls, "
        "out-of-scope and garbled input, an emergency and goodbye, then a new conversation), "
        "and the audio-file loop through `voice.hear` on a cycle of spoken-set WAVs (clean, "
        "noisy and fast), each loaded once. Each mode runs twice in fresh processes: plain "
        "(turn times and RSS) and under `tracemalloc` (Python heap). Growth is counted from "
        "the end of the first script cycle (warm-up) to the last turn, after `gc.collect()`.",
        "",
        *_modes(result),
        f"Audio turns cost {per_turn:.3f} s each: 200 take {200 * per_turn:.0f} s and the "
        f"issue's 10,000 would take {10_000 * per_turn / 60:.0f} min (and the traced pass more), "
        f"so this run used {audio['turns']:,} audio turns (default 2,000; `--full` "
        "10,000, traced pass at most 2,000; `--quick` 200). The heap growth includes the "
        "harness's own few bytes per sample.",
        "",
        f"![Soak: memory and turn time]({plots['soak'].name})",
        "",
        *_voice(result.get("voice")),
    ]


def _voice(voice: Result | None) -> list[str]:
    """The voice loop with Whisper: turns, lost turns, barge-in, memory."""
    if not voice:
        return []
    return [
        "The voice loop with the default recognizer (`benchmarks/voicesoak.py`): the "
        "microphone replaced by generated audio (a cycle of "
        f"{voice['warm_up_turns']} spoken-set questions; after each the microphone gives "
        "quiet room, at the pace of a real one, until the reply comes, so a slow turn loses "
        "no audio and a missing one shows as lost), `MicrophoneListener`, the endpointer "
        "with the end of each turn decided by the words heard (voice mode's pauses), "
        "Whisper with speculative decoding (a decoding started at a pause the speaker "
        "went on from is stopped after encoding), and barge-in on (while a reply is spoken "
        "the microphone is muted and a `StopListener` hears it; every fifth reply is "
        "interrupted by a spoken stop).",
        "",
        *table(
            [
                "turns",
                "answered",
                "lost",
                "with words",
                "stops heard",
                "decoded at a pause",
                "wall time",
                "turn median",
                "RSS after warm-up / end",
                "RSS growth",
            ],
            [
                [
                    f"{voice['turns']:,}",
                    f"{voice['answered']:,}",
                    voice["lost"],
                    f"{voice['with_words']:,}",
                    f"{voice['stops_heard']} of {voice['stops_said']}",
                    f"{voice['speculations_used']:,} of {voice['speculations']:,}",
                    duration(voice["seconds"]),
                    ms(voice["turn_ms_median"]),
                    f"{mb(voice['rss_after_warm_up_mb'])} / {mb(voice['rss_end_mb'])}",
                    mb(voice["rss_growth_mb"]),
                ]
            ],
        ),
    ]


def _modes(result: Result) -> list[str]:
    """One row per mode: the plain pass's turns and RSS, the traced pass's heap."""
    rows = []
    for mode in ("text", "audio"):
        p, t = result[mode]["plain"], result[mode]["traced"]
        rows.append(
            [
                mode,
                f"{p['turns']:,}",
                duration(p["seconds"]),
                f"{ms(p['turn_ms']['median'])} / {ms(p['turn_ms']['p95'])}",
                f"{ms(p['first_ms']['median'])} / {ms(p['last_ms']['median'])} "
                f"({p['window']:,} turns each)",
                f"{p['ratio']:.3f}",
                " / ".join(
                    mb(p[key]) for key in ("rss_start_mb", "rss_after_warm_up_mb", "rss_end_mb")
                ),
                mb(p["rss_growth_mb"]),
                f"{mb(t['heap_growth_mb'])} ({t['turns']:,} turns)",
            ]
        )
    return table(
        [
            "mode",
            "turns",
            "wall time",
            "turn median / p95",
            "first / last window median",
            "last/first",
            "RSS start / after warm-up / end",
            "RSS growth",
            "heap growth",
        ],
        rows,
    )
