"""Scaling: content packs of 1x, 10x and 100x the ALL pack's sections.

A generated pack is ``content/all`` copied into a temporary folder, plus renamed copies of
its six sections (``causes_c7``: a distinct id, the title "causes part seven", and about a
third of the keywords and questions varied by one ordinary word), all listed in
``pack.toml``. Each size is measured in a fresh process: language model build time
(``allvoice.speech.asr.lm.domain_model`` into an empty cache, reference dictionary already
loaded), recognizer load time, decode time per utterance on clean WAVs of the spoken set,
``build_model`` time and understanding time per utterance on the typed held-out set.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from benchmarks import spoken_set
from benchmarks.common import ROOT, Config, Result, log, ms, part_main, peak_rss_mb, run_pass

SOURCE = ROOT / "content" / "all"
HELDOUT = ROOT / "benchmarks" / "data" / "typed_heldout.tsv"
VARIANTS = (
    "again",
    "today",
    "really",
    "please",
    "now",
    "still",
    "also",
    "exactly",
    "maybe",
    "actually",
    "usually",
    "often",
    "sometimes",
    "generally",
    "simply",
    "ever",
    "quickly",
    "there",
    "here",
    "then",
)
VARIED_SHARE = 1 / 3
TIMEOUT = 3600.0


def run(config: Config) -> Result:
    """Each size in its own process, smallest first."""
    sizes = []
    for factor in config.scaling_factors:
        log(f"scaling: {factor}x pack")
        command = [
            sys.executable, "-m", "benchmarks.scaling", "--one", str(factor),
            "--wavs", str(config.scaling_wavs), "--repeats", "3" if factor < 100 else "1",
        ]  # fmt: skip
        sizes.append(run_pass(command, f"scaling {factor}x", TIMEOUT))
    return {"sizes": sizes}


def make_pack(folder: Path, factor: int) -> Path:
    """Write a pack of ``factor`` times the ALL pack's sections into ``folder``."""
    shutil.copytree(SOURCE, folder)
    with (SOURCE / "pack.toml").open("rb") as handle:
        pack = tomllib.load(handle)
    originals: list[str] = list(pack["sections"])
    sections = list(originals)
    for copy in range(1, factor):
        for section_id in originals:
            with (SOURCE / f"{section_id}.toml").open("rb") as handle:
                section = tomllib.load(handle)
            new_id = f"{section_id}_c{copy}"
            rng = random.Random(f"{new_id}")
            section["id"] = new_id
            section["title"] = f"{section['title']} part {_words(copy)}"
            for key in ("keywords", "questions"):
                if key in section:
                    section[key] = [_vary(text, rng) for text in section[key]]
            for fact in section["facts"]:
                for key in ("keywords", "questions"):
                    if key in fact:
                        fact[key] = [_vary(text, rng) for text in fact[key]]
            (folder / f"{new_id}.toml").write_text(tomli_w.dumps(section), encoding="utf-8")
            sections.append(new_id)
    pack["sections"] = sections
    (folder / "pack.toml").write_text(tomli_w.dumps(pack), encoding="utf-8")
    return folder


def _vary(text: str, rng: random.Random) -> str:
    if rng.random() >= VARIED_SHARE:
        return text
    word = rng.choice(VARIANTS)
    return f"{text} {word}" if rng.random() < 0.5 else f"{word} {text}"


def _words(number: int) -> str:
    from allvoice.understanding.numbers import number_words

    return number_words(number)


def measure(factor: int, wavs: int, repeats: int) -> Result:
    """Every figure for one pack size (run in a fresh process)."""
    from allvoice.content.pack import load_pack
    from allvoice.speech.asr import lexicon, lm
    from allvoice.speech.asr.corpus import corpus_sentences
    from allvoice.speech.asr.pocketsphinx import PocketSphinxRecognizer
    from allvoice.understanding import build_model, understand

    lexicon.reference_dictionary()  # loaded once per process whatever the pack size
    with tempfile.TemporaryDirectory(prefix="allvoice-scaling-") as scratch:
        folder = make_pack(Path(scratch) / f"pack{factor}", factor)
        started = time.perf_counter()
        pack = load_pack(folder)
        load_s = time.perf_counter() - started
        sentences = corpus_sentences(pack)
        builds: list[float] = []
        cache = Path(scratch) / "cache"
        for number in range(repeats):
            shutil.rmtree(cache, ignore_errors=True)
            started = time.perf_counter()
            model = lm.domain_model(pack, cache)
            builds.append(time.perf_counter() - started)
            assert model.rebuilt, number
        lm_bytes = model.lm_path.stat().st_size
        started = time.perf_counter()
        recognizer = PocketSphinxRecognizer(pack, cache_dir=cache)
        recognizer_s = time.perf_counter() - started

        questions = [q for q in spoken_set.load_questions() if q.intent != "out_of_scope"]
        picks = [questions[i * len(questions) // wavs] for i in range(wavs)]
        chunks = [
            spoken_set.render(q.text, spoken_set.VOICES[i % 5], "clean")
            for i, q in enumerate(picks)
        ]
        recognizer.recognize(chunks[0])  # warm-up
        decode: list[float] = []
        for chunk in chunks:
            started = time.perf_counter()
            recognizer.recognize(chunk)
            decode.append(time.perf_counter() - started)

        started = time.perf_counter()
        understanding = build_model(pack)
        build_model_s = time.perf_counter() - started
        texts = [line.split("\t", 1)[0] for line in HELDOUT.read_text("utf-8").splitlines()[1:]]
        texts = [t for t in texts if t.strip()]
        understand(texts[0], understanding)  # warm-up
        understand_s: list[float] = []
        for text in texts:
            started = time.perf_counter()
            understand(text, understanding)
            understand_s.append(time.perf_counter() - started)
    return {
        "factor": factor,
        "sections": len(pack.sections),
        "corpus_sentences": len(sentences),
        "vocabulary": len(model.vocabulary),
        "lm_bytes": lm_bytes,
        "load_pack_s": load_s,
        "lm_build_s": statistics.median(builds),
        "lm_build_runs_s": builds,
        "recognizer_load_s": recognizer_s,
        "decode_ms": ms(decode),
        "build_model_s": build_model_s,
        "understand_ms": ms(understand_s),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.scaling [--quick|--full]``; ``--one N`` measures one size."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--one" not in args:
        return part_main("scaling", run, args)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling")
    parser.add_argument("--one", type=int, required=True)
    parser.add_argument("--wavs", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=1)
    one = parser.parse_args(args)
    result: dict[str, Any] = measure(one.one, one.wavs, one.repeats)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
