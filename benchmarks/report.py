"""REPORT.md and its plots, from the result files in ``benchmarks/out/results/``.

``python -m benchmarks.report`` rebuilds them from whatever results are there, so a part
run alone (``python -m benchmarks.run --only soak``) updates its section and keeps the
others; each part's date and size are shown in the "Runs" table.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import HERE, PARTS, Result, load, machine, now

REPORT = HERE / "REPORT.md"
PLOTS = {
    "accuracy": HERE / "accuracy.png",
    "latency": HERE / "latency.png",
    "scaling": HERE / "scaling.png",
    "soak": HERE / "soak.png",
}
COMMAND = "`.venv/bin/python -m benchmarks.run` (what `make bench` runs)"
LABELS = {
    "clean": "clean",
    "noise15": "pink noise 15 dB",
    "noise5": "pink noise 5 dB",
    "fast25": "25% faster",
    "phone8k": "telephone band",
}
MODELS = {"whisper": "Whisper", "domain": "PocketSphinx domain", "general": "PocketSphinx general"}
"""The recognizers of the accuracy part, in table order, with their headings."""
TYPED_NAMES = {"paraphrases": "paraphrases", "heldout": "held-out", "fresh": "fresh"}
"""Typed sets in table order, with their column headings."""
RUN = "_run"
"""The result file that records the last run of every part: command, end, duration."""
MET, NOT_MET, UNKNOWN = "**met**", "**not met**", "not measured"


def write() -> Path:
    """Write REPORT.md and the plots from the saved results; returns the report's path."""
    results = {part: load(part) for part in PARTS}
    plots = _plots(results)
    run = load(RUN)
    if run:
        origin = (
            f"Measured by {run['command']}, finished {run['finished']}; the whole run took "
            f"{_duration(run['seconds'])}."
        )
        if run["finished"] < max(r["_meta"]["started"] for r in results.values() if r):
            origin += " Some parts were run again since: see their dates under Runs."
    else:
        origin = f"Written {now()} from the saved results of each part."
    lines = [
        "# allvoice benchmarks",
        "",
        origin,
        "Medians and 95th percentiles (p95) throughout; ratios are measured side by side in",
        "one run. Intermediate files are in `benchmarks/out/` (not committed).",
        "",
        *_machine(results),
        *_runs(results),
        *_goals(results),
        *_realvoice(results["realvoice"]),
        *_accuracy(results["accuracy"], plots),
        *_aspects(results["aspects"]),
        *_latency(results["latency"], plots),
        *_footprint(results["footprint"]),
        *_scaling(results["scaling"], plots),
        *_soak(results["soak"], plots),
        *_triage(results["triage"]),
    ]
    REPORT.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return REPORT


# --- formatting ---------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1:
        return f"{value:.2f} ms"
    if value < 10:
        return f"{value:.1f} ms"
    return f"{value:.0f} ms"


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _mb(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f} MB" if abs(value) < 1 else f"{value:.1f} MB"


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _verdict(ok: bool | None) -> str:
    return UNKNOWN if ok is None else MET if ok else NOT_MET


# --- sections -------------------------------------------------------------------------------


def _machine(results: dict[str, Result | None]) -> list[str]:
    info = next((r["_meta"]["machine"] for r in results.values() if r), None) or machine()
    return [
        "## Machine",
        "",
        *_table(
            ["CPUs (nproc)", "CPU", "memory", "Python", "system", "commit"],
            [
                [
                    info["nproc"],
                    info["cpu"],
                    f"{info['memory_gib']} GiB",
                    info["python"],
                    info["system"],
                    f"`{info['commit']}`",
                ]
            ],
        ),
    ]


def _runs(results: dict[str, Result | None]) -> list[str]:
    rows = []
    for part, result in results.items():
        if result is None:
            rows.append([part, "not run", "-", "-"])
            continue
        meta = result["_meta"]
        load = " / ".join("-" if v is None else f"{v:.1f}" for v in meta.get("load_average", []))
        rows.append(
            [part, meta["started"], meta["config"]["mode"], _duration(meta["seconds"]), load]
        )
    return [
        "## Runs",
        "",
        *_table(["part", "started (UTC)", "size", "took", "load average, start / end"], rows),
        "Each part runs alone in a fresh process; the load average shows any other work on "
        "the machine at the time, which slows the timings.",
        "",
    ]


def _goals(results: dict[str, Result | None]) -> list[str]:
    rows: list[list[str]] = []
    accuracy, latency = results["accuracy"], results["latency"]
    footprint, soak = results["footprint"], results["soak"]
    if accuracy:
        spoken = accuracy["spoken"]
        default = spoken["models"]["whisper"]["by_condition"]
        domain = spoken["models"]["domain"]["by_condition"]
        for condition in spoken["conditions"]:
            acc = default[condition]["accuracy"]
            rows.append(
                [
                    f"spoken intent accuracy, {LABELS.get(condition, condition)}",
                    ">= 95% (issue 12: every condition)",
                    f"{_pct(acc)} Whisper; PocketSphinx domain "
                    f"{_pct(domain[condition]['accuracy'])}",
                    _verdict(acc >= 0.95),
                ]
            )
    else:
        rows.append(["spoken intent accuracy", ">= 95% in every condition", "-", UNKNOWN])
    real = results["realvoice"]
    if real and "engines" in real:
        wer = real["engines"]["whisper"]["wer"]
        rows.append(
            [
                f"word error rate on real voices ({real['recordings']} recordings, dev set)",
                "<= 0.10 (held-out set: the lead's)",
                f"{wer:.3f} Whisper; PocketSphinx domain "
                f"{real['engines']['pocketsphinx']['wer']:.3f}, general "
                f"{real['engines']['pocketsphinx-general']['wer']:.3f}",
                _verdict(wer <= 0.10),
            ]
        )
    if latency and "paced" in latency:
        live = latency["paced"]
        first = live["end_of_pause_to_first_sound"]
        whole = live["recognize_whole"]
        rows.append(
            [
                "end of the end-of-speech pause to first sound, voice mode, paced",
                "<= 150 ms median",
                f"{_ms(first['whisper']['median'])} Whisper (p95 {_ms(first['whisper']['p95'])}); "
                f"PocketSphinx {_ms(first['pocketsphinx']['median'])}",
                _verdict(first["whisper"]["median"] <= 150),
            ]
        )
        rows.append(
            [
                "decoding one recorded question (`ask --wav`), whole utterance",
                "<= 600 ms median",
                f"{_ms(whole['whisper']['median'])} Whisper (p95 {_ms(whole['whisper']['p95'])}); "
                f"PocketSphinx {_ms(whole['pocketsphinx']['median'])}",
                _verdict(whole["whisper"]["median"] <= 600),
            ]
        )
    if latency:
        understood = latency["stages"]["understand"]
        typed = accuracy["typed"]["heldout"] if accuracy else None
        rows.append(
            [
                "understanding per utterance",
                "< 1 ms",
                f"{_ms(understood['median'])} median on transcripts (p95 {_ms(understood['p95'])})"
                + (f"; {_ms(typed['median_ms'])} on typed questions" if typed else ""),
                _verdict(understood["median"] < 1),
            ]
        )
    else:
        rows.append(["end of speech to first sound", "< 150 ms median", "-", UNKNOWN])
        rows.append(["understanding per utterance", "< 1 ms", "-", UNKNOWN])
    if footprint:
        text, warm = footprint["text"], footprint["voice_warm"]
        peak = max(
            footprint["text"]["peak_rss_mb"],
            footprint["voice_warm"]["peak_rss_mb"],
            footprint["voice_cold"]["peak_rss_mb"],
            footprint["voice_long"]["peak_rss_mb"],
        )
        rows.append(
            [
                "start-up, text mode",
                "< 1 s",
                f"{_s(text['median_s'])} median",
                _verdict(text["median_s"] < 1),
            ]
        )
        rows.append(
            [
                "start-up, voice mode, warm cache",
                "< 2 s",
                f"{_s(warm['median_s'])} median"
                f" (cold cache {_s(footprint['voice_cold']['median_s'])})",
                _verdict(warm["median_s"] < 2),
            ]
        )
        rows.append(
            [
                "peak memory",
                "< 150 MB text; <= 450 MB voice with Whisper (issue 12)",
                f"{_mb(footprint['text']['peak_rss_mb'])} text, "
                f"{_mb(footprint['voice_long']['peak_rss_mb'])} voice",
                _verdict(footprint["text"]["peak_rss_mb"] < 150 and peak <= 450),
            ]
        )
    else:
        rows.append(["start-up", "< 1 s text, < 2 s voice", "-", UNKNOWN])
        rows.append(["peak memory", "< 150 MB", "-", UNKNOWN])
    if soak:
        for mode in ("text", "audio"):
            plain, traced = soak[mode]["plain"], soak[mode]["traced"]
            growth = plain["rss_growth_mb"]
            rows.append(
                [
                    f"soak memory growth, {mode} ({plain['turns']:,} turns)",
                    "< 10 MB",
                    f"{_mb(growth)} RSS; Python heap {_mb(traced['heap_growth_mb'])}"
                    f" ({traced['turns']:,} turns)",
                    _verdict(growth < 10 and traced["heap_growth_mb"] < 10),
                ]
            )
            window = plain["window"]
            rows.append(
                [
                    f"soak speed, {mode}: last {window:,} turns vs first {window:,}",
                    "<= 1.0 (met up to 1.1: noise)",
                    f"{plain['ratio']:.2f} ({_ms(plain['last_ms']['median'])} vs "
                    f"{_ms(plain['first_ms']['median'])} median)",
                    _verdict(plain["ratio"] <= 1.1),
                ]
            )
    else:
        rows.append(["soak", "< 10 MB growth, ratio <= 1.0", "-", UNKNOWN])
    return ["## Goals", "", *_table(["goal", "target", "measured", "verdict"], rows)]


def _realvoice(result: Result | None) -> list[str]:
    lines = ["## Real voices", ""]
    if result is None or "engines" not in result:
        reason = result["skipped"] if result else "not run"
        return [*lines, f"Not measured: {reason}.", ""]
    lines += [
        f"{result['recordings']} recordings of real people describing how they feel "
        f"(`{result['folder']}`, the development set: read from there, never copied into the "
        "repository), each decoded by every recognizer in one process "
        "(`python -m benchmarks.run --only realvoice`). Word error rate over all words, "
        "with the normaliser of `benchmarks/wer.py` (lower case, punctuation dropped, "
        "contractions expanded, digits spelled out). Intent accuracy: the intent voice mode "
        "acts on, against the one it would act on had it heard the transcript's words "
        "exactly; symptoms: the symptoms heard equal those of the transcript; not caught: "
        "taken as not heard.",
        "",
    ]
    names = {
        "whisper": "Whisper base (default)",
        "pocketsphinx": "PocketSphinx, domain model",
        "pocketsphinx-general": "PocketSphinx, general",
    }
    rows = []
    for key, label in names.items():
        r = result["engines"].get(key)
        if r is None:
            continue
        rows.append(
            [
                label,
                f"{r['wer']:.3f}",
                _pct(r["intent_accuracy"]),
                _pct(r["symptoms_match"]),
                _pct(r["not_caught"]),
                _ms(r["decode"]["median"]),
                _ms(r["decode"]["p95"]),
            ]
        )
    lines += _table(
        ["recognizer", "WER", "intent", "symptoms", "not caught", "decode median", "p95"], rows
    )
    return lines


def _aspects(result: Result | None) -> list[str]:
    """The aspect set (``benchmarks/aspects.py``): open-world questions about the disease."""
    if not result:
        return []
    return [
        "## Aspect questions",
        "",
        f"`{result['path']}`: {result['n']} questions over {result['aspects']} topics, typed. "
        f"Right intent and topic: {_pct(result['accuracy'])} (goal 95%). Questions that name "
        f"the disease and ask something else: {result['name_questions']}, of which "
        f"{result['name_read_overview']} read the overview (goal: none).",
        "",
    ]


def _accuracy(result: Result | None, plots: dict[str, Path]) -> list[str]:
    lines = ["## 1. Accuracy", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    spoken = result["spoken"]
    models = spoken["models"]
    stride = spoken["stride"]
    lines += [
        f"Spoken question set: {spoken['questions']} questions"
        + (f" (every {stride}th)" if stride > 1 else "")
        + f" x {len(spoken['conditions'])} conditions, spoken by {len(spoken['voices'])} voices "
        "no test uses, decoded by Whisper base (the default), by the domain-tuned PocketSphinx "
        "and by PocketSphinx's stock general model on the same audio in the same run "
        "(`benchmarks/spoken_set.py`). Intent accuracy counts "
        "every utterance, as voice mode acts on it: speech the recognizer doubts counts as "
        "`out_of_scope`, unless it is an emergency or a report of two or more symptoms "
        "(`understand.under_doubt`); a doubted question offered back for a yes is not "
        "counted as answered. WER uses the normaliser of `benchmarks/wer.py`.",
        "",
    ]
    rows = []
    for condition in spoken["conditions"]:
        figures = [models[name]["by_condition"][condition] for name in MODELS]
        rows.append(
            [
                LABELS.get(condition, condition),
                figures[0]["n"],
                " / ".join(_pct(f["accuracy"]) for f in figures),
                " / ".join(_pct(f["wer"]) for f in figures),
                " / ".join(_pct(f["false_rejections"]) for f in figures),
                " / ".join(_ms(f["decode_median_ms"]) for f in figures),
            ]
        )
    heading = " / ".join(MODELS.values())
    lines += _table(
        [
            "condition",
            "utterances",
            f"intent: {heading}",
            f"WER: {heading}",
            f"doubted: {heading}",
            f"decode median: {heading}",
        ],
        rows,
    )
    lines += [f"![Spoken intent accuracy per condition]({plots['accuracy'].name})", ""]
    lines += [
        "Intent accuracy per voice (" + heading + "):",
        "",
    ]
    rows = []
    for voice in spoken["voices"]:
        row = [f"`{voice}`"]
        for condition in spoken["conditions"]:
            row.append(
                " / ".join(
                    _pct(models[name]["by_voice"].get(voice, {}).get(condition)) for name in MODELS
                )
            )
        rows.append(row)
    lines += _table(["voice", *(LABELS.get(c, c) for c in spoken["conditions"])], rows)
    typed = result["typed"]
    lines += ["Typed questions, `allvoice.understanding.understand.understand`:", ""]
    lines += _table(
        ["set", "questions", "intent accuracy", "median", "p95"],
        [
            [
                f"`{typed[name]['path']}`",
                typed[name]["n"],
                _pct(typed[name]["accuracy"]),
                _ms(typed[name]["median_ms"]),
                _ms(typed[name]["p95_ms"]),
            ]
            for name in TYPED_NAMES
            if name in typed
        ],
    )
    lines += ["Intents most often mixed up, spoken (all conditions; count of utterances):", ""]
    lines += _table(
        ["expected", "understood as", *MODELS.values()],
        [[c["expected"], c["understood"], *(c[n] for n in MODELS)] for c in spoken["confusions"]],
    )
    lines += ["Intents most often mixed up, typed:", ""]
    lines += _table(
        ["expected", "understood as", *(TYPED_NAMES[n] for n in TYPED_NAMES if n in typed)],
        [
            [c["expected"], c["understood"], *(c[n] for n in TYPED_NAMES if n in typed)]
            for c in typed["confusions"]
        ],
    )
    lines += [
        "Every misunderstood utterance, with what was heard: `benchmarks/out/accuracy_errors.tsv`.",
        "",
    ]
    return lines


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


def _latency(result: Result | None, plots: dict[str, Path]) -> list[str]:
    lines = ["## 2. Latency", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    stages = result["stages"]
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
    ]
    lines += _table(
        ["stage", "median", "p95", "max"],
        [
            [label, _ms(stages[key]["median"]), _ms(stages[key]["p95"]), _ms(stages[key]["max"])]
            for key, label in STAGES
        ],
    )
    wait = stages["endpointer_wait"]
    lines += [
        "Before all of this the endpointer waits for the end-of-speech pause "
        f"(`EndpointerSettings.pause_seconds` = {result['pause_seconds']} s, a user setting): "
        f"measured from the detector's end of speech to the utterance being handed over, "
        f"{_ms(wait['median'])} median, {_ms(wait['p95'])} p95. The goal counts from the end "
        "of that pause; playing the first chunk through the sound card adds the device's "
        "own buffer, not measured here.",
        "",
        "End of speech to first sound (incremental) per condition:",
        "",
    ]
    lines += _table(
        ["condition", "utterances", "median", "p95"],
        [
            [LABELS.get(c, c), v["n"], _ms(v["median"]), _ms(v["p95"])]
            for c, v in result["total_by_condition"].items()
        ],
    )
    lines += [f"![Latency per stage]({plots['latency'].name})", ""]
    live = result.get("paced")
    if live:
        first, whole = live["end_of_pause_to_first_sound"], live["recognize_whole"]
        lines += [
            "Voice mode as it runs, Whisper (the default) and PocketSphinx side by side on the "
            f"same {live['utterances']} utterances (`latency.paced`): each is played to the "
            "real endpointer at the pace of speech; Whisper starts decoding when the speaker "
            "pauses, while the endpointer waits out its pause, and PocketSphinx decodes as the "
            "audio comes. Timed from the end of the pause to the first synthesized chunk of "
            "the reply. Whole-utterance decoding is what `ask --wav` does per question. "
            f"Decodings started at a pause: {live['speculations']}, used: "
            f"{live['speculations_used']}.",
            "",
        ]
        lines += _table(
            ["recognizer", "end of pause to first sound, median", "p95", "decode whole, median",
             "p95"],
            [
                [name, _ms(first[name]["median"]), _ms(first[name]["p95"]),
                 _ms(whole[name]["median"]), _ms(whole[name]["p95"])]
                for name in first
            ],
        )  # fmt: skip
    stop = result.get("spoken_stop")
    if stop and stop["delay"]:
        total = stop["heard"] + len(stop["missed"])
        lines += [
            "Saying stop over the speech (the `headphones` setting; `bargein.StopListener`): "
            f'"stop", "stop talking" and "be quiet" by each spoken-set voice, fed at the '
            f"pace of speech. Heard as stop in {stop['heard']} of {total}; from the end of the "
            f"word to `speaker.stop()`, {_ms(stop['delay']['median'])} median, "
            f"{_ms(stop['delay']['p95'])} p95 (the 0.3 s end-of-speech pause included). "
            + (f"Missed: {', '.join(stop['missed'])}." if stop["missed"] else ""),
            "",
        ]
    return lines


def _footprint(result: Result | None) -> list[str]:
    lines = ["## 3. Footprint", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    repeats = result["repeats"]
    lines += [
        f"Start-up, {repeats} runs each, a fresh process each time, until the welcome line "
        "appears on standard output (voice mode prints it once the recognizer and the "
        "synthesizer are ready to listen). Peak RSS is the process's own `ru_maxrss` "
        "(from `wait4`): text mode after answering 20 typed questions, voice mode "
        f"(`--listen-file`, replies to a WAV file) after answering "
        f"{result['voice_long']['questions']} spoken questions.",
        "",
    ]
    rows = []
    for key, label in (
        ("text", "text mode (`--text`, stdin a pipe)"),
        ("voice_warm", "voice mode (Whisper, the default), warm model cache"),
        ("voice_cold", "voice mode, empty `XDG_CACHE_HOME` (assembles the Whisper model)"),
    ):
        r = result[key]
        rows.append(
            [label, _s(r["median_s"]), _s(r["min_s"]), _s(r["max_s"]), _mb(r["peak_rss_mb"])]
        )
    long = result["voice_long"]
    rows.append(["voice mode, whole recording", "-", "-", "-", _mb(long["peak_rss_mb"])])
    if "pocketsphinx_peak_rss_mb" in long:
        rows.append(
            [
                "voice mode, whole recording, `--asr pocketsphinx`",
                "-",
                "-",
                "-",
                _mb(long["pocketsphinx_peak_rss_mb"]),
            ]
        )
    lines += _table(["mode", "start-up median", "min", "max", "peak RSS"], rows)
    whisper = result.get("whisper_model")
    if whisper:
        lines += [
            f"Voice mode uses Whisper base by default: its model in the cache "
            f"(`$XDG_CACHE_HOME/allvoice/{whisper['folder']}`) is "
            f"{whisper['total_mb']:.0f} MB on disk (float16; quantized to int8 when loaded).",
            "",
        ]
    construct = result["construct"]
    lines += ["`PocketSphinxRecognizer` construction alone (fresh process each time):", ""]
    lines += _table(
        ["recognizer", "median", "min", "max"],
        [
            [
                label,
                _s(construct[key]["median_s"]),
                _s(construct[key]["min_s"]),
                _s(construct[key]["max_s"]),
            ]
            for key, label in (
                ("warm", "domain model, warm cache"),
                ("cold", "domain model, empty cache (builds the model)"),
                ("general", "stock general model"),
            )
        ],
    )
    model = result["model"]
    if model:
        grams = ", ".join(f"{count:,} {order}" for order, count in model["ngrams"].items())
        lines += [
            f"Built language model, `{model['folder']}`: {grams}; "
            f"{model['dictionary_entries']:,} dictionary lines.",
            "",
        ]
        lines += _table(
            ["file", "size"],
            [
                *([name, f"{size / 1024:.0f} KiB"] for name, size in model["files"].items()),
                ["**total**", f"{model['total_bytes'] / 1024:.0f} KiB"],
            ],
        )
    return lines


def _scaling(result: Result | None, plots: dict[str, Path]) -> list[str]:
    lines = ["## 4. Scaling", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    lines += [
        "Generated packs: `content/all` plus renamed copies of its sections (distinct ids, "
        "about a third of the keywords and questions varied by one word), each size measured "
        "in a fresh process. Language model build into an empty cache; decode on clean "
        "spoken-set WAVs; understanding on the 400 typed held-out questions.",
        "",
    ]
    rows = []
    for size in result["sizes"]:
        rows.append(
            [
                f"{size['factor']}x",
                size["sections"],
                f"{size['corpus_sentences']:,}",
                f"{size['lm_bytes'] / 1e6:.1f} MB",
                _s(size["lm_build_s"]),
                _s(size["recognizer_load_s"]),
                f"{_ms(size['decode_ms']['median'])} / {_ms(size['decode_ms']['p95'])}",
                _s(size["build_model_s"]),
                f"{_ms(size['understand_ms']['median'])} / {_ms(size['understand_ms']['p95'])}",
                _mb(size["peak_rss_mb"]),
            ]
        )
    lines += _table(
        [
            "pack",
            "sections",
            "corpus sentences",
            "LM file",
            "LM build",
            "recognizer load",
            "decode median / p95",
            "understanding model build",
            "understand median / p95",
            "peak RSS",
        ],
        rows,
    )
    lines += [f"![Scaling with pack size]({plots['scaling'].name})", ""]
    return lines


def _soak(result: Result | None, plots: dict[str, Path]) -> list[str]:
    lines = ["## 5. Soak", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    lines += [
        "Scripted conversation in one process: text mode through `Conversation.turn` (a "
        "38-line script of questions, a symptom report and its answers, controls, "
        "out-of-scope and garbled input, an emergency and goodbye, then a new conversation), "
        "and the audio-file loop through `voice.hear` on a cycle of spoken-set WAVs (clean, "
        "noisy and fast), each loaded once. Each mode runs twice in fresh processes: plain "
        "(turn times and RSS) and under `tracemalloc` (Python heap). Growth is counted from "
        "the end of the first script cycle (warm-up) to the last turn, after `gc.collect()`.",
        "",
    ]
    rows = []
    for mode in ("text", "audio"):
        p, t = result[mode]["plain"], result[mode]["traced"]
        rows.append(
            [
                mode,
                f"{p['turns']:,}",
                _duration(p["seconds"]),
                f"{_ms(p['turn_ms']['median'])} / {_ms(p['turn_ms']['p95'])}",
                f"{_ms(p['first_ms']['median'])} / {_ms(p['last_ms']['median'])} "
                f"({p['window']:,} turns each)",
                f"{p['ratio']:.3f}",
                " / ".join(
                    _mb(p[key]) for key in ("rss_start_mb", "rss_after_warm_up_mb", "rss_end_mb")
                ),
                _mb(p["rss_growth_mb"]),
                f"{_mb(t['heap_growth_mb'])} ({t['turns']:,} turns)",
            ]
        )
    lines += _table(
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
    audio = result["audio"]["plain"]
    per_turn = audio["seconds"] / audio["turns"]
    lines += [
        f"Audio turns cost {per_turn:.3f} s each: 200 take {200 * per_turn:.0f} s and the "
        f"issue's 10,000 would take {10_000 * per_turn / 60:.0f} min (and the traced pass more), "
        f"so this run used {audio['turns']:,} audio turns (default 2,000; `--full` "
        "10,000, traced pass at most 2,000; `--quick` 200). The heap growth includes the "
        "harness's own few bytes per sample.",
        "",
        f"![Soak: memory and turn time]({plots['soak'].name})",
        "",
    ]
    return lines


def _triage(result: Result | None) -> list[str]:
    lines = ["## 6. Triage", ""]
    if result is None:
        return [*lines, "Not run.", ""]
    sets = [found for name, found in result.items() if not name.startswith("_")]
    others = max((len(found["states"]) - 1 for found in sets), default=0)
    lines += [
        "`python -m benchmarks.triage`: each line of the red-flag sets typed into a "
        f"conversation, fresh and in {others} other dialogue states. A red flag passes at its "
        "level or higher (urgent < crisis < emergency); a look-alike is a false alarm when "
        "any triage intent answers it.",
        "",
    ]
    flags = ("emergency", "urgent", "crisis")
    rows = []
    for set_name, found in result.items():
        if set_name.startswith("_"):
            continue
        counts = found["counts"]
        for state, got in found["states"].items():
            passed = got["passed"]
            cells = [f"{passed[level]}/{counts[level]}" for level in flags]
            alarms = counts["none"] - passed["none"]
            rows.append([set_name, state, *cells, f"{alarms}/{counts['none']}"])
    lines += _table(["set", "state", *flags, "false alarms"], rows)
    return lines


# --- plots ----------------------------------------------------------------------------------


def _plots(results: dict[str, Result | None]) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    if results["accuracy"]:
        _plot_accuracy(results["accuracy"], PLOTS["accuracy"])
    if results["latency"]:
        _plot_latency(results["latency"], PLOTS["latency"])
    if results["scaling"]:
        _plot_scaling(results["scaling"], PLOTS["scaling"])
    if results["soak"]:
        _plot_soak(results["soak"], PLOTS["soak"])
    return PLOTS


def _num(value: float) -> str:
    """A number with about three significant figures, never in e-notation."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}" if value >= 0.01 else f"{value:.4f}"


def _save(figure: Any, path: Path) -> None:
    """Lay the plot out, write it as a PNG and free it."""
    import matplotlib.pyplot as plt

    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _plot_accuracy(result: Result, path: Path) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    spoken = result["spoken"]
    conditions = spoken["conditions"]
    names = [LABELS.get(c, c) for c in conditions]
    x = np.arange(len(conditions))
    figure, axes = plt.subplots(figsize=(10, 4.8))
    width = 0.27
    colours = ("#1f77b4", "#ff7f0e", "#bbbbbb")
    for offset, (name, label), colour in zip((-1, 0, 1), MODELS.items(), colours, strict=True):
        values = [100 * spoken["models"][name]["by_condition"][c]["accuracy"] for c in conditions]
        bars = axes.bar(x + offset * width, values, width, label=label, color=colour)
        axes.bar_label(bars, fmt="%.0f", fontsize=8)
    axes.axhline(95, color="green", linestyle="--", label="goal: 95%")
    axes.set_xticks(x, names)
    axes.set_ylim(0, 122)
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel("intent accuracy (%)")
    axes.set_title(f"Spoken intent accuracy ({spoken['questions']} questions per condition)")
    axes.legend(loc="upper center", fontsize=8, ncol=4)
    _save(figure, path)


def _plot_latency(result: Result, path: Path) -> None:
    import matplotlib.pyplot as plt
    import numpy as np

    stages = result["stages"]
    keys = ["recognize", "finish", "understand", "step", "first_audio", "total", "total_whole"]
    names = [
        "recognize()\nwhole",
        "finish()\nincremental",
        "understand",
        "dialogue\nstep",
        "first audio\nchunk",
        "TOTAL\nincremental",
        "total\nwhole",
    ]
    medians = [stages[k]["median"] for k in keys]
    p95 = [stages[k]["p95"] for k in keys]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    y = np.arange(len(keys))[::-1]
    left.barh(y, p95, color="#c6dbef", label="p95")
    left.barh(y, medians, color="#1f77b4", label="median")
    for position, median, high in zip(y, medians, p95, strict=True):
        left.text(
            high + 4,
            position,
            f"{_num(median)} / {_num(high)} ms",
            va="center",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.8},
        )
    left.axvline(150, color="red", linestyle="--", label="goal: 150 ms")
    left.set_yticks(y, names, fontsize=8)
    left.set_xlabel("ms after the end-of-speech pause")
    left.set_xlim(0, max(max(p95) * 1.35, 170))
    left.set_title(f"Latency per stage: median / p95 ({result['utterances']} utterances)")
    left.legend(fontsize=8, loc="center right")
    for key, label, colour in (
        ("total", "incremental (finish)", "#1f77b4"),
        ("total_whole", "whole utterance (recognize)", "#ff7f0e"),
    ):
        values = np.sort(np.array(result["samples_ms"][key]))
        right.plot(values, np.arange(1, len(values) + 1) / len(values), label=label, color=colour)
    right.axvline(150, color="red", linestyle="--", label="goal: 150 ms")
    right.set_xlabel("end of speech to first sound (ms)")
    right.set_ylabel("share of utterances")
    right.set_title("Distribution of the total")
    right.grid(alpha=0.3)
    right.legend(fontsize=8, loc="lower right")
    _save(figure, path)


def _plot_scaling(result: Result, path: Path) -> None:
    import matplotlib.pyplot as plt

    sizes = result["sizes"]
    sections = [s["sections"] for s in sizes]
    figure, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    panels: list[tuple[Any, str, list[tuple[str, list[float]]]]] = [
        (
            axes[0],
            "language model build (s)",
            [
                ("build", [s["lm_build_s"] for s in sizes]),
                ("recognizer load", [s["recognizer_load_s"] for s in sizes]),
            ],
        ),
        (
            axes[1],
            "decode per utterance (ms)",
            [
                ("median", [s["decode_ms"]["median"] for s in sizes]),
                ("p95", [s["decode_ms"]["p95"] for s in sizes]),
            ],
        ),
        (
            axes[2],
            "understanding per utterance (ms)",
            [
                ("median", [s["understand_ms"]["median"] for s in sizes]),
                ("p95", [s["understand_ms"]["p95"] for s in sizes]),
            ],
        ),
    ]
    for axis, title, series in panels:
        for number, (label, values) in enumerate(series):
            axis.plot(sections, values, marker="o", label=label)
            other = series[1 - number][1]
            for x, value, beside in zip(sections, values, other, strict=True):
                axis.annotate(
                    _num(value),
                    (x, value),
                    textcoords="offset points",
                    xytext=(0, 6 if value >= beside else -13),
                    ha="center",
                    fontsize=8,
                )
        axis.set_xscale("log")
        axis.set_xticks(sections, [f"{s}\n({s // sections[0]}x)" for s in sections])
        axis.minorticks_off()
        axis.set_xlabel("sections in the pack")
        axis.set_title(title)
        highest = max(value for _, values in series for value in values)
        axis.set_ylim(-0.1 * highest, 1.15 * highest)
        axis.axhline(0, color="black", linewidth=0.6)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8, loc="best")
    _save(figure, path)


def _plot_soak(result: Result, path: Path) -> None:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(12, 7))
    for column, mode in enumerate(("text", "audio")):
        plain = result[mode]["plain"]
        turns, rss = zip(*plain["rss_samples"], strict=True)
        memory = axes[0][column]
        memory.plot(turns, rss, color="#1f77b4", label="RSS")
        memory.axhline(
            plain["rss_after_warm_up_mb"] + 10,
            color="red",
            linestyle="--",
            label="warm-up + 10 MB (goal)",
        )
        memory.set_ylim(
            bottom=max(0.0, min(rss) - 10), top=max(max(rss), plain["rss_after_warm_up_mb"]) + 15
        )
        memory.set_title(f"{mode}: RSS over {plain['turns']:,} turns")
        memory.set_ylabel("MB")
        memory.grid(alpha=0.3)
        memory.legend(fontsize=8, loc="lower right")
        at, times = zip(*plain["rolling_ms"], strict=True)
        speed = axes[1][column]
        block = at[0]
        speed.plot(at, times, marker=".", color="#ff7f0e", label=f"median of each {block} turns")
        window = plain["window"]
        speed.hlines(
            plain["first_ms"]["median"],
            0,
            window,
            colors="green",
            label=f"first {window:,}: {plain['first_ms']['median']:.2f} ms",
        )
        speed.hlines(
            plain["last_ms"]["median"],
            plain["turns"] - window,
            plain["turns"],
            colors="purple",
            label=f"last {window:,}: {plain['last_ms']['median']:.2f} ms",
        )
        speed.set_ylim(bottom=0, top=max(times) * 1.3)
        speed.set_title(f"{mode}: turn time (ratio last/first {plain['ratio']:.2f})")
        speed.set_xlabel("turn")
        speed.set_ylabel("ms")
        speed.grid(alpha=0.3)
        speed.legend(fontsize=8, loc="lower right")
    _save(figure, path)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.report``: rebuild REPORT.md from the saved results."""
    path = write()
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
