"""The built package, installed as a new user would: ``python -m build`` makes the sdist and,
from it, the wheel; the wheel goes with its dependencies into a fresh virtual environment in
a folder outside the checkout, which then answers a typed and a recorded question.

This runs on the Python running the tests and again on every other Python 3.12 or newer
the machine has (on PATH, or under pyenv), so that ``requires-python`` is kept honest."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACK_FILES = sorted(path.name for path in (ROOT / "content" / "all").glob("*.toml"))
INSTALL_SECONDS = 1800
"""Generous: a first install on a new interpreter may build PyAudio from source."""


def _version_of(python: Path) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [str(python), "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    except OSError:
        return None
    parts = done.stdout.split()
    return (int(parts[0]), int(parts[1])) if done.returncode == 0 and len(parts) == 2 else None


def other_interpreters() -> dict[str, Path]:
    """Python 3.12 and newer, one per version: ``python3.N`` on PATH (pyenv shims that
    refuse to run a version not selected are tried and dropped) and pyenv's versions."""
    candidates = [Path(found) for n in range(12, 20) if (found := shutil.which(f"python3.{n}"))]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        candidates += sorted(pyenv.glob("3.*/bin/python3"))
    found: dict[str, Path] = {}
    for python in candidates:
        version = _version_of(python)
        if version and version >= (3, 12) and version != sys.version_info[:2]:
            found.setdefault(f"{version[0]}.{version[1]}", python)
    return dict(sorted(found.items()))


def _interpreters() -> list[object]:
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    params: list[object] = [pytest.param(Path(sys.executable), id=here)]
    others = other_interpreters()
    params += [pytest.param(python, id=version) for version, python in others.items()]
    if not others:
        params.append(
            pytest.param(
                None,
                id="3.12+",
                marks=pytest.mark.skip(reason="no Python 3.12 or newer on this machine"),
            )
        )
    return params


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, as ``make dist`` builds them (the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def wheel_of(dist: Path) -> Path:
    (wheel,) = dist.glob("allvoice-*.whl")
    return wheel


def test_the_wheel_carries_the_pack_and_the_sdist_what_a_build_needs(dist: Path) -> None:
    with zipfile.ZipFile(wheel_of(dist)) as wheel:
        names = set(wheel.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = re.search(r"^Requires-Python: (.+)$", wheel.read(metadata).decode(), re.M)
    assert {f"allvoice/packs/all/{name}" for name in PACK_FILES} <= names
    assert {"allvoice/packs/library.toml", "allvoice/packs/nci_child/pack.toml",
            "allvoice/packs/nci_adult/adult_treatment.toml"} <= names  # fmt: skip
    assert {"allvoice/data/intents.toml", "allvoice/py.typed", "allvoice/app/cli.py"} <= names
    assert any(name.startswith("allvoice/speech/") for name in names)
    assert requires is not None and requires.group(1).strip() == ">=3.11"
    (sdist,) = dist.glob("allvoice-*.tar.gz")
    with tarfile.open(sdist) as archive:
        inside = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = {"pyproject.toml", "README.md", "allvoice/app/cli.py", "allvoice/data/intents.toml"}
    assert needed | {f"content/all/{name}" for name in PACK_FILES} <= inside


def test_every_package_folder_is_listed_in_pyproject() -> None:
    """pyproject.toml lists the packages by name (the pack's folder is mapped in from
    content/all), so a new subpackage must be added there or the wheel leaves it out."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in [ROOT / "allvoice", *(ROOT / "allvoice").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.iterdir())
    }
    assert folders <= listed, sorted(folders - listed)
    assert "allvoice.packs.all" in listed


def _clean_env(home: Path) -> dict[str, str]:
    """No trace of the checkout or of the test's own virtual environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")
    }
    env["PATH"] = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep) if str(ROOT) not in part
    )
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        (home / name.lower()).mkdir(exist_ok=True)
        env[name] = str(home / name.lower())
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    return env


def _run(command: list[str], env: dict[str, str], cwd: Path, timeout: float = 300) -> str:
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-4000:]}"
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.mark.install
@pytest.mark.audio
@pytest.mark.parametrize("python", _interpreters())
def test_the_wheel_installs_and_answers_outside_the_checkout(
    python: Path, dist: Path, tmp_path: Path
) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng (make setup)")
    assert ROOT not in tmp_path.parents, "the environment must be outside the checkout"
    env = _clean_env(tmp_path)
    venv = tmp_path / "venv"
    started = time.monotonic()
    _run([str(python), "-m", "venv", str(venv)], env, tmp_path)
    bin_dir = venv / "bin"
    _run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel_of(dist))],
        env, tmp_path, timeout=INSTALL_SECONDS,
    )  # fmt: skip
    installed = time.monotonic() - started
    where = _run(
        [str(bin_dir / "python"), "-c",
         "import allvoice, allvoice.content.pack as c; "
         "print(allvoice.__file__); print(c.DEFAULT_PACK)"],
        env, tmp_path,
    ).split()  # fmt: skip
    assert all(Path(path).is_relative_to(venv) for path in where), where
    allvoice = str(bin_dir / "allvoice")
    typed = json.loads(_run([allvoice, "ask", "--json", "what causes it"], env, tmp_path))
    assert typed["intent"] == "causes"
    before = json.loads(_run([allvoice, "--json", "ask", "is it inherited"], env, tmp_path))
    assert before["intent"] == "causes" and "not inherited" in before["reply"]
    asked = [allvoice, "ask", "--json", "what does intrathecal mean"]
    term = json.loads(_run(asked, env, tmp_path))
    assert "National Cancer Institute" in term["reply"], term
    question = tmp_path / "question.wav"
    _run(["espeak-ng", "-w", str(question), "what are the symptoms"], env, tmp_path)
    spoken = json.loads(_run([allvoice, "ask", "--wav", str(question), "--json"], env, tmp_path))
    assert spoken["intent"] == "symptoms", spoken
    print(f"{python}: installed in {installed:.0f} s, answered in "
          f"{time.monotonic() - started - installed:.0f} s")  # fmt: skip
