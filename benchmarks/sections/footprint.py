"""The "3. Footprint" section: start-up time, peak memory and the models on disk."""

from __future__ import annotations

from benchmarks.common import Result
from benchmarks.sections.format import mb, s, table

STARTUPS = (
    ("text", "text mode (`--text`, stdin a pipe)"),
    ("voice_warm", "voice mode (Whisper, the default), warm model cache"),
    ("voice_cold", "voice mode, empty `XDG_CACHE_HOME` (assembles the Whisper model)"),
)
"""The start-up runs in table order, with their descriptions."""
CONSTRUCTIONS = (
    ("warm", "domain model, warm cache"),
    ("cold", "domain model, empty cache (builds the model)"),
    ("general", "stock general model"),
)
"""The PocketSphinx constructions timed, with their descriptions."""


def section(result: Result | None) -> list[str]:
    """Start-up and peak memory per mode, the Whisper model, PocketSphinx and its model."""
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
        *_startups(result),
    ]
    whisper = result.get("whisper_model")
    if whisper:
        lines += [
            f"Voice mode uses Whisper base by default: its model in the cache "
            f"(`$XDG_CACHE_HOME/allvoice/{whisper['folder']}`) is "
            f"{whisper['total_mb']:.0f} MB on disk (float16; quantized to int8 when loaded).",
            "",
        ]
    lines += _constructions(result["construct"])
    model = result["model"]
    if model:
        lines += _language_model(model)
    return lines


def _startups(result: Result) -> list[str]:
    rows = []
    for key, label in STARTUPS:
        r = result[key]
        rows.append([label, s(r["median_s"]), s(r["min_s"]), s(r["max_s"]), mb(r["peak_rss_mb"])])
    ask = result.get("ask_wav")
    if ask:
        rows.append(
            [
                "`ask --wav` on one spoken question, start to exit (answer included)",
                s(ask["median_s"]), s(ask["min_s"]), s(ask["max_s"]), mb(ask["peak_rss_mb"]),
            ]
        )  # fmt: skip
    long = result["voice_long"]
    rows.append(["voice mode, whole recording", "-", "-", "-", mb(long["peak_rss_mb"])])
    if "pocketsphinx_peak_rss_mb" in long:
        rows.append(
            [
                "voice mode, whole recording, `--asr pocketsphinx`",
                "-",
                "-",
                "-",
                mb(long["pocketsphinx_peak_rss_mb"]),
            ]
        )
    return table(["mode", "start-up median", "min", "max", "peak RSS"], rows)


def _constructions(construct: Result) -> list[str]:
    return [
        "`PocketSphinxRecognizer` construction alone (fresh process each time):",
        "",
        *table(
            ["recognizer", "median", "min", "max"],
            [
                [
                    label,
                    s(construct[key]["median_s"]),
                    s(construct[key]["min_s"]),
                    s(construct[key]["max_s"]),
                ]
                for key, label in CONSTRUCTIONS
            ],
        ),
    ]


def _language_model(model: Result) -> list[str]:
    """The domain language model built: n-gram counts and the size of each file."""
    grams = ", ".join(f"{count:,} {order}" for order, count in model["ngrams"].items())
    return [
        f"Built language model, `{model['folder']}`: {grams}; "
        f"{model['dictionary_entries']:,} dictionary lines.",
        "",
        *table(
            ["file", "size"],
            [
                *([name, f"{size / 1024:.0f} KiB"] for name, size in model["files"].items()),
                ["**total**", f"{model['total_bytes'] / 1024:.0f} KiB"],
            ],
        ),
    ]
