"""The "End of turn" section: turns cut in two, words invented, and end of speech to first
sound, with the end of a turn decided by the words (voice mode) and by the fixed 0.8 s
pause side by side."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import ms, table, verdict

MODE_NAMES = {"fixed": "fixed 0.8 s pause (before)", "words": "the words decide (now)"}


def section(result: Result | None) -> list[str]:
    """Both modes on real recordings and on complete questions, or why not measured."""
    lines = ["## End of turn", ""]
    if result is None:
        return [*lines, "Not measured: not run.", ""]
    lines += [
        "How voice mode decides that someone has finished (`python -m benchmarks.endofturn`, "
        "or `benchmarks.run --only endofturn`): the words heard at each pause "
        "(`understanding.turn_end`; a question, an answer or a command ends the turn after "
        "`pause_finished`, a report that may go on after `pause_report`, a sentence plainly "
        "not finished after `pause_unfinished`), against the fixed 0.8 s pause of before, "
        "in one run with Whisper.",
        "",
    ]
    real = result.get("real") or {}
    if "figures" in real:
        lines += [
            f"Real people: the {real['recordings']} recordings of `{real['folder']}` (read "
            "in place), played through the endpointer and recognizer as `allvoice "
            "--listen-file` does and each turn through the voice loop, as recorded and "
            "with a pause of their own room tone spliced in at a word gap mid-sentence "
            f"({', '.join(f'{p:g}' for p in real['pauses_spliced'])} s in turn; made in "
            "memory, never written). Cut: recordings heard as more than one turn; invented "
            "yes/no: turns taken as a yes or a no (nobody says one here); WER of the turns "
            "joined; triage missed: recordings whose words are an emergency, urgent case "
            "or crisis where no turn was.",
            "",
        ]
        rows = []
        for key, figures in real["figures"].items():
            mode, variant = key.split("_")
            rows.append(
                [
                    MODE_NAMES.get(mode, mode),
                    variant,
                    f"{figures['cut']} of {figures['recordings']} "
                    f"({100 * figures['cut'] / figures['recordings']:.1f}%)",
                    str(figures["invented_yes_no"]),
                    f"{figures['wer']:.3f}",
                    f"{figures['triage_missed']} of {figures['triage_cases']}",
                ]
            )
        lines += table(
            ["end of turn", "recordings", "cut", "invented yes/no", "WER", "triage missed"], rows
        )
        for key, figures in real["figures"].items():
            pauses = figures.get("cut_by_pause")
            if pauses:
                mode = MODE_NAMES.get(key.split("_")[0], key)
                shown = ", ".join(
                    f"{p} s: {v['cut']} of {v['recordings']}" for p, v in pauses.items()
                )
                lines += [f"Cut by the pause spliced in, {mode}: {shown}.", ""]
        for key, cuts in real.get("cut_examples", {}).items():
            if cuts:
                mode, variant = key.split("_")
                shown = "; ".join(f'"{cut}"' for cut in cuts[:6])
                lines += [f"Cut, {variant}, {MODE_NAMES.get(mode, mode)}: {shown}.", ""]
    elif real:
        lines += [f"Real people not measured: {real.get('skipped', 'not run')}.", ""]
    questions = result.get("questions") or {}
    delay = questions.get("delay", {})
    paced = real.get("paced", {}).get("delay", {}) if isinstance(real, dict) else {}
    if delay:
        lines += [
            f"End of speech to first sound: {questions['utterances']} complete questions of "
            "the spoken set (questions about a topic that open with a question word; clean "
            "and pink noise 15 dB), and some real recordings "
            "(reports), each played at the pace of speech with 0.5 s of silence before and "
            "1.5 s after; the clock runs from the real end of the speech in the audio (its "
            "last 10 ms above 2% of the loudest) to the first synthesized chunk of the "
            "reply, so the detector's own lag is inside. The machine is shared: these are "
            "wall-clock times.",
            "",
        ]
        rows = []
        for mode, figures in delay.items():
            real_figures = paced.get(mode, {})
            rows.append(
                [
                    MODE_NAMES.get(mode, mode),
                    ms(figures["median"]),
                    ms(figures["p95"]),
                    ms(real_figures.get("median")),
                    ms(real_figures.get("p95")),
                ]
            )
        lines += table(
            ["end of turn", "questions: median", "p95", "real reports: median", "p95"], rows
        )
        if questions.get("ratio_median") is not None:
            lines += [
                f"Median for questions, words against fixed: {questions['ratio_median']:.2f}.",
                "",
            ]
    return lines


def goals(result: Result | None) -> list[list[str]]:
    """The issue-19 rows of the Goals table."""
    if not result:
        return []
    rows: list[list[str]] = []
    figures = (result.get("real") or {}).get("figures", {})
    recorded = figures.get("words_recorded")
    if recorded:
        share = recorded["cut"] / recorded["recordings"]
        rows.append(
            [
                "recordings cut into more than one turn (real voices, as recorded)",
                "<= 1% (issue 19)",
                f"{recorded['cut']} of {recorded['recordings']} ({100 * share:.1f}%)",
                verdict(share <= 0.01),
            ]
        )
        invented = sum(f["invented_yes_no"] for k, f in figures.items() if k.startswith("words"))
        rows.append(["invented yes or no (real voices)", "0 (issue 19)", str(invented),
                     verdict(invented == 0)])  # fmt: skip
    delay = (result.get("questions") or {}).get("delay", {}).get("words")
    if delay:
        rows.append(
            [
                "end of speech to first sound, complete questions, paced",
                "<= 450 ms median (issue 19)",
                f"{ms(delay['median'])} (p95 {ms(delay['p95'])})",
                verdict(delay["median"] <= 450),
            ]
        )
    return rows
