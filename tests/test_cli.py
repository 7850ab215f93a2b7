"""The command line, run as a subprocess: JSON contract, ask, text mode, errors, settings."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from clirun import run_allvoice as run

import allvoice
from allvoice.content.pack import DEFAULT_PACK, load_pack
from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.session import Conversation

FIELDS = {
    "heard", "intent", "topic", "section", "symptoms", "other_signs", "reply", "asks", "rate",
    "volume", "end",
}  # fmt: skip
EMERGENCY_START = "This could be an emergency"


def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "allvoice" / "settings.toml"


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    objects = [json.loads(line) for line in lines]
    assert all(isinstance(obj, dict) for obj in objects)
    return objects


def assert_contract(obj: dict[str, object]) -> None:
    assert set(obj) == FIELDS
    assert isinstance(obj["heard"], str)
    assert isinstance(obj["intent"], str) and obj["intent"]
    assert obj["topic"] is None or isinstance(obj["topic"], str)
    assert obj["section"] is None or isinstance(obj["section"], str)
    assert isinstance(obj["symptoms"], list)
    assert all(isinstance(s, str) for s in obj["symptoms"])
    assert isinstance(obj["reply"], str) and obj["reply"]
    assert isinstance(obj["asks"], bool)
    assert isinstance(obj["rate"], int) and not isinstance(obj["rate"], bool)
    assert isinstance(obj["volume"], int | float) and not isinstance(obj["volume"], bool)
    assert isinstance(obj["end"], bool)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- The JSON contract ---------------------------------------------------------------


def test_text_json_one_object_per_line_and_nothing_else(tmp_path: Path) -> None:
    lines = [
        "what is ALL",
        "",
        "my son has a fever",
        "ten days",
        "faster",
        "is it inherited",
        "no",
        "louder",
    ]
    result = run(tmp_path, "--text", "--json", input="\n".join(lines) + "\n")
    objects = json_lines(result)
    assert len(objects) == len(lines)
    assert result.stderr == ""
    for obj in objects:
        assert_contract(obj)
    what, blank, report, duration, faster, fact, advice, louder = objects
    assert what["intent"] == "overview" and what["section"] == "overview"
    assert blank["intent"] == "unknown" and blank["section"] is None
    assert report["intent"] == "report_symptoms"
    assert report["symptoms"] == ["fever"]
    assert report["asks"] is True
    assert duration["intent"] == "report_symptoms" and duration["asks"] is True
    assert faster["rate"] == 200 and what["rate"] == 175
    assert fact["section"] == "causes" and fact["asks"] is True
    assert "appointment" in str(advice["reply"]) and advice["asks"] is True
    assert str(advice["reply"]).endswith(symptom_wording.OFFER_SUMMARY)
    assert louder["volume"] == pytest.approx(0.9)
    assert not any(obj["end"] for obj in objects)


def test_text_json_replies_match_the_core(tmp_path: Path) -> None:
    lines = ["what are the symptoms", "more", "repeat", "blorp", "I can't breathe"]
    objects = json_lines(run(tmp_path, "--text", "--json", input="\n".join(lines) + "\n"))
    conversation = Conversation(load_pack())
    assert [obj["reply"] for obj in objects] == [conversation.turn(x).reply.text for x in lines]


def test_text_json_without_trailing_newline(tmp_path: Path) -> None:
    objects = json_lines(run(tmp_path, "--text", "--json", input="what is ALL\nmore"))
    assert len(objects) == 2


def test_text_json_goodbye_sets_end(tmp_path: Path) -> None:
    objects = json_lines(run(tmp_path, "--text", "--json", input="what is ALL\ngoodbye\n"))
    assert [obj["end"] for obj in objects] == [False, True]
    assert objects[1]["intent"] == "goodbye"


def test_text_json_emergency_first(tmp_path: Path) -> None:
    lines = "my son has a fever\nmy son can't breathe\n"
    objects = json_lines(run(tmp_path, "--text", "--json", input=lines))
    assert objects[1]["intent"] == "emergency"
    assert str(objects[1]["reply"]).startswith(EMERGENCY_START)


def test_text_json_with_no_input_prints_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, "--text", "--json", input="")
    assert result.returncode == 0
    assert result.stdout == ""


# --- ask -----------------------------------------------------------------------------


def test_ask_questions_each_in_a_fresh_conversation(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "my son has a fever", "no", "faster", "faster", "--json")
    objects = json_lines(result)
    assert len(objects) == 4
    for obj in objects:
        assert_contract(obj)
    report, answer, faster1, faster2 = objects
    assert report["intent"] == "report_symptoms" and report["asks"] is True
    assert "appointment" not in str(answer["reply"]), "no follow-up carried over"
    assert answer["intent"] != "report_symptoms"
    assert faster1["rate"] == faster2["rate"] == 200


def test_ask_reads_one_question_per_stdin_line(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "--json", input="what is ALL\nis it inherited\nfaster\n")
    objects = json_lines(result)
    assert [obj["section"] for obj in objects] == ["overview", "causes", None]
    assert objects[2]["rate"] == 200


def test_ask_plain_prints_just_the_replies(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "what is ALL", "is it inherited")
    assert result.returncode == 0
    pack = load_pack()
    expected = [Conversation(pack).turn(q).reply.text for q in ("what is ALL", "is it inherited")]
    assert result.stdout.splitlines() == expected


# --- Plain text mode -----------------------------------------------------------------


def test_text_mode_welcome_then_one_reply_per_line(tmp_path: Path) -> None:
    lines = ["what is ALL", "more", "my son has a fever", "three days", "no"]
    result = run(tmp_path, "--text", input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == 1 + len(lines)
    assert out[0] == phrasing.welcome(load_pack().name)
    assert "general information, not a diagnosis" in out[0].lower()
    conversation = Conversation(load_pack())
    assert out[1:] == [conversation.turn(line).reply.text for line in lines]
    assert "\x1b" not in result.stdout, "no colours or cursor moves"


def test_text_mode_stops_after_goodbye(tmp_path: Path) -> None:
    result = run(tmp_path, "--text", input="goodbye\nwhat is ALL\n")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1:] == [phrasing.GOODBYE]


# --- Malformed content pack ----------------------------------------------------------


@pytest.fixture
def broken_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, folder)
    with open(folder / "causes.toml", "a", encoding="utf-8") as handle:
        handle.write("\nid = [\n")
    return folder


@pytest.mark.parametrize(
    "args",
    [["--text", "--json"], ["--text"], ["ask", "what is ALL"], ["ask", "--json", "hello"]],
    ids=" ".join,
)
def test_malformed_pack_exits_2_naming_the_file(
    tmp_path: Path, broken_pack: Path, args: list[str]
) -> None:
    result = run(tmp_path, *args, "--content", str(broken_pack), input="what is ALL\n")
    message = one_line_error(result)
    assert "causes.toml" in message
    assert result.stdout == ""


def test_pack_with_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, folder)
    text = (folder / "sources.toml").read_text(encoding="utf-8")
    (folder / "sources.toml").write_text('colour = "red"\n' + text, encoding="utf-8")
    message = one_line_error(run(tmp_path, "ask", "hi", "--content", str(folder)))
    assert "sources.toml" in message
    assert "line 1" in message
    assert "colour" in message


def test_missing_pack_folder(tmp_path: Path) -> None:
    message = one_line_error(run(tmp_path, "--text", "--content", str(tmp_path / "nope")))
    assert "nope" in message


# --- Version and help ----------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"allvoice {allvoice.__version__}"


@pytest.mark.parametrize(
    "args", [["--help"], ["ask", "--help"], ["settings", "--help"]], ids=" ".join
)
def test_help(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, *args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: allvoice")
    assert result.stderr == ""


def test_main_help_mentions_the_modes(tmp_path: Path) -> None:
    out = run(tmp_path, "--help").stdout
    for word in ("--text", "--json", "--content", "--config", "ask", "settings"):
        assert word in out


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- Settings ------------------------------------------------------------------------


def test_settings_show_defaults_without_creating_a_file(tmp_path: Path) -> None:
    result = run(tmp_path, "settings")
    assert result.returncode == 0, result.stderr
    assert str(settings_file(tmp_path)) in result.stdout
    assert "rate = 175" in result.stdout
    assert "volume = 0.8" in result.stdout
    assert not (tmp_path / "config").exists()


def test_settings_set_saves_shows_and_is_used(tmp_path: Path) -> None:
    result = run(tmp_path, "settings", "set", "rate", "200")
    assert result.returncode == 0, result.stderr
    assert "rate" in result.stdout and "200" in result.stdout
    path = settings_file(tmp_path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"rate": 200}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob("*.tmp")), "no temporary file left behind"
    assert "rate = 200" in run(tmp_path, "settings").stdout
    first = json_lines(run(tmp_path, "--text", "--json", input="what is ALL\n"))[0]
    assert first["rate"] == 200
    assert json_lines(run(tmp_path, "ask", "faster", "--json"))[0]["rate"] == 225


def test_on_off_settings_read_and_show_as_true_or_false(tmp_path: Path) -> None:
    result = run(tmp_path, "settings", "set", "headphones", "yes")
    assert result.returncode == 0, result.stderr
    assert "headphones is now true" in result.stdout
    assert "headphones = true" in run(tmp_path, "settings").stdout
    assert tomllib.loads(settings_file(tmp_path).read_text(encoding="utf-8")) == {
        "headphones": True
    }
    refused = run(tmp_path, "settings", "set", "headphones", "maybe")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "allvoice: headphones must be true or false, not 'maybe'"


def test_settings_set_keeps_the_others(tmp_path: Path) -> None:
    assert run(tmp_path, "settings", "set", "rate", "200").returncode == 0
    assert run(tmp_path, "settings", "set", "volume", "0.5").returncode == 0
    data = tomllib.loads(settings_file(tmp_path).read_text(encoding="utf-8"))
    assert data == {"rate": 200, "volume": 0.5}


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["rate", "1000"], "rate"),
        (["rate", "79"], "rate"),
        (["rate", "fast"], "rate"),
        (["volume", "2"], "volume"),
        (["volume", "-0.1"], "volume"),
        (["earcons", "maybe"], "earcons"),
        (["colour", "red"], "colour"),
        (["rate"], "usage"),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else "",
)
def test_settings_set_invalid_is_a_one_line_error(
    tmp_path: Path, args: list[str], said: str
) -> None:
    message = one_line_error(run(tmp_path, "settings", "set", *args))
    assert said in message
    assert not settings_file(tmp_path).exists()


def test_settings_set_invalid_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    assert run(tmp_path, "settings", "set", "rate", "200").returncode == 0
    before = settings_file(tmp_path).read_bytes()
    one_line_error(run(tmp_path, "settings", "set", "rate", "9999"))
    assert settings_file(tmp_path).read_bytes() == before


def test_settings_with_config_option(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "my.toml"
    result = run(tmp_path, "settings", "set", "volume", "0.5", "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"volume": 0.5}
    assert not settings_file(tmp_path).exists()
    first = json_lines(run(tmp_path, "--text", "--json", "--config", str(path), input="hi\n"))[0]
    assert first["volume"] == 0.5
    default = json_lines(run(tmp_path, "--text", "--json", input="hi\n"))[0]
    assert default["volume"] == 0.8


def test_settings_emergency_number_is_used(tmp_path: Path) -> None:
    assert run(tmp_path, "settings", "set", "emergency_number", "112").returncode == 0
    reply = json_lines(run(tmp_path, "--text", "--json", input="I can't breathe\n"))[0]["reply"]
    assert str(reply).startswith(EMERGENCY_START)
    assert "Call 112" in str(reply)


@pytest.mark.parametrize(
    ("content", "line", "key"),
    [
        ('rate = 200\nvolume = "loud"\n', 2, "volume"),
        ('# mine\nrate = 200\n\ncolour = "red"\n', 4, "colour"),
        ("rate = 200\nrate = \n", 2, ""),
        ("pitch = 500\n", 1, "pitch"),
        pytest.param("rate = 200\nvolume = [1]\n", 2, "volume"),
    ],
    ids=["wrong-type", "unknown-key", "not-toml", "out-of-range", "list-value"],
)
def test_damaged_settings_message_and_defaults(
    tmp_path: Path, content: str, line: int, key: str
) -> None:
    path = settings_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    result = run(tmp_path, "--text", "--json", input="what is ALL\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert str(path) in message
    assert f"line {line}" in message
    assert key in message
    objects = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(objects) == 1
    assert objects[0]["rate"] == 175, "defaults are used, not the part that could be read"
    assert objects[0]["volume"] == 0.8
    assert path.read_text(encoding="utf-8") == content, "an unchanged session keeps the file"


def test_spoken_change_is_kept_for_the_next_run(tmp_path: Path) -> None:
    result = run(tmp_path, "--text", input="slower\nlouder\nwhat is ALL\n")
    assert result.returncode == 0, result.stderr
    path = settings_file(tmp_path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"rate": 150, "volume": 0.9}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = json_lines(run(tmp_path, "--text", "--json", input="what is ALL\n"))[0]
    assert (first["rate"], first["volume"]) == (150, pytest.approx(0.9))
    shown = run(tmp_path, "settings").stdout
    assert "rate = 150" in shown and "volume = 0.9" in shown


def test_spoken_change_in_json_mode_is_kept_too(tmp_path: Path) -> None:
    json_lines(run(tmp_path, "--text", "--json", input="faster\n"))
    assert tomllib.loads(settings_file(tmp_path).read_text(encoding="utf-8")) == {"rate": 200}


def test_spoken_change_keeps_other_saved_settings(tmp_path: Path) -> None:
    assert run(tmp_path, "settings", "set", "emergency_number", "112").returncode == 0
    assert run(tmp_path, "--text", input="faster\n").returncode == 0
    data = tomllib.loads(settings_file(tmp_path).read_text(encoding="utf-8"))
    assert data == {"rate": 200, "emergency_number": "112"}


@pytest.mark.parametrize(
    "lines",
    ["what is ALL\nrepeat\nmy son has a fever\n", "faster\nslower\n", "louder\nsofter\n", ""],
    ids=["questions", "faster-slower", "louder-softer", "no-input"],
)
def test_a_session_that_changes_nothing_leaves_no_file(tmp_path: Path, lines: str) -> None:
    result = run(tmp_path, "--text", input=lines)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "config").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing written anywhere"


# --- Options before or after the subcommand --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--content", str(DEFAULT_PACK), "ask", "what causes it"],
        ["ask", "--content", str(DEFAULT_PACK), "what causes it"],
        ["--json", "ask", "what causes it"],
        ["ask", "--json", "what causes it"],
        ["ask", "what causes it", "--json"],
    ],
    ids=" ".join,
)
def test_options_are_taken_before_or_after_the_subcommand(tmp_path: Path, args: list[str]) -> None:
    result = run(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    reply = result.stdout.strip()
    if "--json" in args:
        assert json.loads(reply)["intent"] == "causes"
    else:
        assert "bone marrow" in reply


def test_an_option_after_the_subcommand_wins_over_the_same_one_before(tmp_path: Path) -> None:
    result = run(tmp_path, "--content", str(tmp_path / "nope"), "ask", "--content",
                 str(DEFAULT_PACK), "--json", "hi")  # fmt: skip
    assert result.returncode == 0, result.stderr
    broken = one_line_error(run(tmp_path, "--content", str(tmp_path / "nope"), "ask", "hi"))
    assert "nope" in broken


def test_settings_file_before_the_settings_subcommand(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    result = run(tmp_path, "--config", str(path), "settings", "set", "rate", "200")
    assert result.returncode == 0, result.stderr
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"rate": 200}
