"""Privacy: no network, ever; nothing stored but the settings file, and only when a
setting changes, and the summary for the doctor, and only when it is asked to be saved; no
cloud recognizer can be chosen from the command line."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest

from allvoice.content.pack import load_pack
from allvoice.conversation.session import Conversation
from allvoice.understanding import build_model

HAVE_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAVE_ESPEAK, reason="needs espeak-ng (make setup)")
SECRET = "zanzibarquux"
"""A made-up word the user says; it must not be written anywhere."""
CONVERSATION = [
    "what is ALL",
    "more",
    f"my friend {SECRET} has a fever and bone pain",
    "about two weeks",
    f"{SECRET} is it inherited",
    "no",
    "repeat",
    f"tell me about {SECRET}",
    "I can't breathe",
    "goodbye",
]

# --- No network ------------------------------------------------------------------------

GUARD = textwrap.dedent(
    """
    import os
    import socket

    _RECORD = os.environ["NETGUARD_RECORD"]
    with open(os.environ["NETGUARD_LOADED"], "a", encoding="utf-8") as _out:
        _out.write(f"{os.getpid()}\\n")


    def _blocked(what):
        def block(*args, **kwargs):
            with open(_RECORD, "a", encoding="utf-8") as out:
                out.write(f"{what} {args!r}\\n")
            raise OSError(f"network use blocked by the test: {what}")

        return block


    socket.socket.connect = _blocked("socket.connect")
    socket.socket.connect_ex = _blocked("socket.connect_ex")
    socket.socket.sendto = _blocked("socket.sendto")
    socket.create_connection = _blocked("create_connection")
    socket.getaddrinfo = _blocked("getaddrinfo")
    """
)


@pytest.fixture
def guarded_env(tmp_path: Path) -> dict[str, str]:
    """Environment whose Python processes record and refuse every network attempt."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH", "")]))
    return {
        **os.environ,
        "PYTHONPATH": path,
        "NETGUARD_RECORD": str(tmp_path / "network-attempts.txt"),
        "NETGUARD_LOADED": str(tmp_path / "guard-loaded.txt"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def run(
    args: list[str], env: dict[str, str], cwd: Path, input: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        input=input,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def attempts(env: dict[str, str]) -> str:
    record = Path(env["NETGUARD_RECORD"])
    return record.read_text(encoding="utf-8") if record.exists() else ""


def loaded(env: dict[str, str]) -> int:
    marker = Path(env["NETGUARD_LOADED"])
    return len(marker.read_text(encoding="utf-8").splitlines()) if marker.exists() else 0


@pytest.fixture(scope="module")
def question_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken question, made outside the folders the tests inspect."""
    if not HAVE_ESPEAK:
        pytest.skip("needs espeak-ng")
    folder = tmp_path_factory.mktemp("speech")
    path = folder / "question.wav"
    subprocess.run(
        ["espeak-ng", "-w", str(path), "what are the symptoms"],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config")},
    )
    return path


def test_the_network_guard_itself_catches_a_connection(
    guarded_env: dict[str, str], tmp_path: Path
) -> None:
    """The hook works: a process that tries to connect is recorded (so the tests below
    would fail if allvoice did the same)."""
    code = textwrap.dedent(
        """
        import socket
        try:
            socket.create_connection(("example.org", 80), 1)
        except OSError:
            pass
        """
    )
    result = run(["-c", code], guarded_env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "create_connection" in attempts(guarded_env)
    assert loaded(guarded_env) == 1


def test_text_conversation_uses_no_network(guarded_env: dict[str, str], tmp_path: Path) -> None:
    lines = "\n".join(CONVERSATION) + "\n"
    text = run(["-m", "allvoice", "--text", "--json"], guarded_env, tmp_path, input=lines)
    assert text.returncode == 0, text.stderr
    assert len(text.stdout.splitlines()) == len(CONVERSATION)
    plain = run(["-m", "allvoice", "--text"], guarded_env, tmp_path, input=lines)
    assert plain.returncode == 0, plain.stderr
    ask = run(["-m", "allvoice", "ask", "--json", *CONVERSATION[:4]], guarded_env, tmp_path)
    assert ask.returncode == 0, ask.stderr
    assert loaded(guarded_env) == 3, "the guard was not loaded in every process"
    assert attempts(guarded_env) == ""


@pytest.mark.audio
@needs_espeak
def test_spoken_question_uses_no_network(
    guarded_env: dict[str, str], tmp_path: Path, question_wav: Path
) -> None:
    result = run(
        ["-m", "allvoice", "ask", "--json", "--wav", str(question_wav)], guarded_env, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["intent"] == "symptoms"
    assert loaded(guarded_env) >= 1
    assert attempts(guarded_env) == ""


def test_conversation_in_process_uses_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []

    def blocked(what: str) -> Any:
        def block(*args: Any, **kwargs: Any) -> Any:
            tried.append(what)
            raise OSError(f"network use blocked by the test: {what}")

        return block

    monkeypatch.setattr(socket.socket, "connect", blocked("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", blocked("connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", blocked("sendto"))
    monkeypatch.setattr(socket, "create_connection", blocked("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", blocked("getaddrinfo"))
    pack = load_pack()
    conversation = Conversation(pack, build_model(pack))
    for text in [*CONVERSATION[:-1], "my son has a fever", "not sure", "worse", "help"]:
        assert conversation.turn(text).reply.text
    with pytest.raises(OSError):  # the patch is in force
        socket.create_connection(("example.org", 80))
    assert tried == ["create_connection"]


# --- Nothing stored --------------------------------------------------------------------


def private_env(root: Path) -> dict[str, str]:
    """Every place a program might write, inside ``root``."""
    places = {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",
        "XDG_CACHE_HOME": "cache",
        "XDG_DATA_HOME": "data",
        "XDG_STATE_HOME": "state",
        "TMPDIR": "tmp",
    }
    env = {**os.environ}
    for name, folder in places.items():
        (root / folder).mkdir()
        env[name] = str(root / folder)
    (root / "work").mkdir()
    return env


def written_files(root: Path, keep: set[Path]) -> tuple[list[Path], list[Path]]:
    """(files anywhere under ``root`` except ``keep``, the recognizer's model cache)."""
    cache = root / "cache" / "allvoice"
    others, cached = [], []
    for path in sorted(root.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        if path in keep:
            continue
        (cached if cache in path.parents else others).append(path)
    return others, cached


def allvoice(env: dict[str, str], root: Path, *args: str, input: str = "") -> str:
    result = run(["-m", "allvoice", *args], env, root / "work", input=input)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


@pytest.mark.audio
@needs_espeak
def test_nothing_is_stored_by_default(tmp_path: Path, question_wav: Path) -> None:
    env = private_env(tmp_path)
    recording = tmp_path / "input" / "question.wav"
    recording.parent.mkdir()
    shutil.copyfile(question_wav, recording)
    lines = "\n".join(CONVERSATION) + "\n"
    allvoice(env, tmp_path, "--text", input=lines)
    allvoice(env, tmp_path, "--text", "--json", input=lines)
    allvoice(env, tmp_path, "ask", "--json", *CONVERSATION[:5])
    spoken = allvoice(env, tmp_path, "ask", "--json", "--wav", str(recording))
    assert json.loads(spoken)["intent"] == "symptoms"
    others, cached = written_files(tmp_path, keep={recording})
    assert others == [], f"files written: {[str(p.relative_to(tmp_path)) for p in others]}"
    assert not (tmp_path / "config" / "allvoice").exists(), "no settings file or folder"
    for path in cached:
        content = path.read_bytes().lower()
        assert SECRET.encode() not in content, f"{path} holds what the user said"


SUMMARY_TALK = [
    f"my friend {SECRET} has a fever and bone pain",
    "a month",
    "yes",
    f"{SECRET} has lost weight",
    "summary",
    "what should I tell the doctor",
]


def test_a_summary_read_aloud_writes_nothing(tmp_path: Path) -> None:
    env = private_env(tmp_path)
    lines = "\n".join(SUMMARY_TALK) + "\n"
    assert "Tell the doctor when each one started" in allvoice(env, tmp_path, "--text", input=lines)
    allvoice(env, tmp_path, "--text", "--json", input=lines)
    allvoice(env, tmp_path, "ask", "--json", "summary", "save the summary")
    others, _ = written_files(tmp_path, keep=set())
    assert others == [], [str(p.relative_to(tmp_path)) for p in others]


def test_save_the_summary_leaves_exactly_one_private_file(tmp_path: Path) -> None:
    env = private_env(tmp_path)
    allvoice(env, tmp_path, "--text", input="\n".join([*SUMMARY_TALK, "save the summary"]) + "\n")
    others, _ = written_files(tmp_path, keep=set())
    assert len(others) == 1, [str(p.relative_to(tmp_path)) for p in others]
    (saved,) = others
    assert saved.parent == tmp_path / "home" and saved.name.startswith("allvoice-summary-")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text(encoding="utf-8")
    assert "About: my friend" in text and "Signs: bone pain, fever, and lost weight" in text


def test_unchanged_settings_leave_no_file(tmp_path: Path) -> None:
    env = private_env(tmp_path)
    allvoice(env, tmp_path, "--text", input="faster\nslower\nlouder\nsofter\nwhat is ALL\n")
    others, _ = written_files(tmp_path, keep=set())
    assert others == [], [str(p.relative_to(tmp_path)) for p in others]


def test_a_setting_change_leaves_exactly_the_private_settings_file(tmp_path: Path) -> None:
    env = private_env(tmp_path)
    allvoice(env, tmp_path, "--text", input=f"what is ALL\n{SECRET}\nslower\nmore\n")
    others, _ = written_files(tmp_path, keep=set())
    settings = tmp_path / "config" / "allvoice" / "settings.toml"
    assert others == [settings], [str(p.relative_to(tmp_path)) for p in others]
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    assert tomllib.loads(settings.read_text(encoding="utf-8")) == {"rate": 150}
    assert SECRET not in settings.read_text(encoding="utf-8")


# --- No cloud recognizer ---------------------------------------------------------------


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["--asr", "google", "--listen-file", "{wav}"],
        ["--asr", "google", "--listen-file", "{wav}", "--json"],
        ["ask", "--asr", "whisper-api", "--wav", "{wav}"],
        ["ask", "--asr", "google", "--json", "--wav", "{wav}"],
        ["ask", "--asr", "azure", "--wav", "{wav}", "{wav}"],
    ],
    ids=" ".join,
)
def test_cloud_recognizers_cannot_be_chosen(tmp_path: Path, args: list[str]) -> None:
    wav = tmp_path / "f.wav"
    wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")  # never read: the engine is refused first
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    command = ["-m", "allvoice", *(a.replace("{wav}", str(wav)) for a in args)]
    message = one_line_error(run(command, env, tmp_path, input="what is ALL\n"))
    assert message.startswith("allvoice: ")
    assert args[args.index("--asr") + 1] in message
    assert "pocketsphinx" in message, "the message names what can be used"


@pytest.mark.parametrize(
    "args",
    [["--asr", "google", "--text"], ["ask", "--asr", "google", "what is ALL"]],
    ids=" ".join,
)
def test_unknown_engine_is_refused_in_text_modes_too(tmp_path: Path, args: list[str]) -> None:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    message = one_line_error(run(["-m", "allvoice", *args], env, tmp_path, input="what is ALL\n"))
    assert "google" in message
