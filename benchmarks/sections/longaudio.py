"""The "Long recordings" section: peak memory and time on 10 and 60 minutes of audio."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import duration, mb, table


def section(result: Result | None) -> list[str]:
    """One row per recording and command."""
    lines = ["## Long recordings", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    rows = [
        [
            f"{r['minutes']} min of {r['kind']}",
            f"`{r['command']}`",
            duration(r["seconds"]),
            mb(r["peak_rss_mb"]),
            f"{r['answers']} ({r['heard_words']} with words)",
            "yes" if r["exit"] == 0 and not r["traceback"] else f"exit {r['exit']}",
        ]
        for r in result["runs"]
    ]
    return [
        *lines,
        "`allvoice ask --json --wav FILE` and `allvoice --listen-file FILE --json` on "
        "recordings made for the run: steady hiss (white noise at -26 dBFS), digital "
        "silence, and continuous speech (the spoken-set questions one after another, 0.3 s "
        "apart, five synthetic voices). One fresh process per row, the default recognizer "
        "(Whisper); peak memory is the process's own maximum resident set size (`ru_maxrss` "
        "from `wait4`, what `/usr/bin/time -v` reports), time is wall time from start to "
        "exit, start-up included. `ask --wav` answers the first question of a recording "
        "and says in one line when more follow; `--listen-file` answers every utterance "
        "(continuous speech is cut every 20 s).",
        "",
        *table(["recording", "command", "time", "peak memory", "answers", "clean exit"], rows),
        f"Largest peak: {mb(result['peak_rss_mb'])} (the bound: {mb(result['limit_mb'])}).",
        "",
    ]


def goal(result: Result | None) -> list[list[str]]:
    """The Goals row: the largest peak over every long recording."""
    from benchmarks.sections.format import UNKNOWN, verdict

    target = "<= 450 MB, 10 and 60 min of noise, silence, speech"
    if not result:
        return [["peak memory, long recordings", target, "-", UNKNOWN]]
    runs = result["runs"]
    clean = all(r["exit"] == 0 and not r["traceback"] for r in runs)
    return [
        [
            "peak memory, long recordings",
            target,
            f"{mb(result['peak_rss_mb'])} at most over {len(runs)} runs"
            + ("" if clean else " (a run failed)"),
            verdict(result["peak_rss_mb"] <= result["limit_mb"] and clean),
        ]
    ]
