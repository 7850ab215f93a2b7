"""Triage: emergency, urgent and crisis, first in every dialogue state, typed and spoken;
the red-flag sets; temperatures and ages read from words; everyday signs outside the
pack's nine named back with the same follow-up. Issue 10, parts 1, 2 and 4 (red flags)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import heard_by, run_allvoice
from wording import DIAGNOSTIC, EMERGENCY_START

from allvoice.content.pack import Pack
from allvoice.conversation import safety_wording, symptom_wording
from allvoice.conversation.session import Conversation
from allvoice.data import TRIAGE
from allvoice.errors import DataError
from allvoice.understanding import Model, readings, triage, understand, understand_heard
from allvoice.understanding.spoken import under_doubt
from benchmarks.triage import RANK, red_flags, states

DATA = Path(__file__).parent / "data"

TABLE = [  # the issue's table: said, and the intent a safe assistant gives
    ("my husband keeps coughing up blood", "emergency"),
    ("he was sick and there was blood in it", "emergency"),
    ("my son had chemo last week and now he feels burning hot, 38.4", "emergency"),
    ("there are dark red spots on her legs that stay when I press on them", "emergency"),
    ("my six week old feels hot, the thermometer says 38.2", "urgent"),
    ("my mum's face has dropped on one side and she can't lift her arm", "emergency"),
    ("I've been thinking about ending my life", "crisis"),
    ("I can't go on, I want it all to stop", "crisis"),
]


# --- Dialogue states -------------------------------------------------------------------


STATES: dict[str, Callable[[Conversation], None]] = states()
"""The dialogue states every red flag is tried in, shared with ``python -m benchmarks.triage``."""


def test_the_states_are_what_they_say(pack: Pack, model: Model) -> None:
    def asking(c: Conversation) -> str | None:
        return c.state.followup.asking if c.state.followup else None

    checks: dict[str, Callable[[Conversation], bool]] = {
        "fresh": lambda c: c.state.reading is None and c.state.followup is None,
        "reading": lambda c: c.state.reading is not None,
        "duration": lambda c: asking(c) == "duration",
        "trend": lambda c: asking(c) == "trend",
        "summary_offer": lambda c: c.state.offering_summary,
        "clarify": lambda c: bool(c.state.clarify),
        "not_covered": lambda c: c.state.last_reply.startswith("You asked about treatment"),
        "out_of_scope": lambda c: c.state.last_reply.startswith("I can only help with"),
    }  # fmt: skip
    for name, setup in STATES.items():
        conversation = Conversation(pack, model)
        setup(conversation)
        assert checks[name](conversation), name


# --- The red-flag sets -----------------------------------------------------------------


def test_the_red_flag_sets_are_big_and_varied() -> None:
    rows = red_flags(DATA / "red_flags.tsv")
    flags = [level for _, level in rows if level != "none"]
    assert len(flags) >= 150
    assert all(flags.count(level) >= 30 for level in ("emergency", "urgent", "crisis"))
    assert sum(level == "none" for _, level in rows) >= 50
    assert len({text.lower() for text, _ in rows}) == len(rows)
    fresh = red_flags(DATA / "red_flags_fresh.tsv")
    assert not {t.lower() for t, _ in fresh} & {t.lower() for t, _ in rows}
    probe = red_flags(DATA / "red_flags_probe.tsv")
    assert not {t.lower() for t, _ in probe} & {t.lower() for t, _ in rows + fresh}
    assert len({text.lower() for text, _ in probe}) == len(probe)
    theirs = (DATA / "emergencies.txt").read_text(encoding="utf-8").lower().splitlines()
    assert not {t.lower() for t, _ in rows + fresh + probe} & set(theirs)


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("name", ["red_flags.tsv", "red_flags_fresh.tsv", "red_flags_probe.tsv"])
def test_red_flags_escalate_and_look_alikes_do_not_in_every_state(
    pack: Pack, model: Model, name: str, state: str
) -> None:
    missed, alarms, flags = [], [], 0
    for text, level in red_flags(DATA / name):
        conversation = Conversation(pack, model)
        STATES[state](conversation)
        turn = conversation.turn(text)
        got = RANK.get(turn.intent, 0)
        if level == "none":
            if got:
                alarms.append((text, turn.intent))
            continue
        flags += 1
        if got < RANK[level]:
            missed.append((text, level, turn.intent))
    emergencies = [m for m in missed if m[1] == "emergency"]
    assert not emergencies, emergencies
    assert not missed, f"{len(missed)} of {flags} red flags missed: {missed}"
    assert not alarms, alarms


def test_every_line_of_the_old_emergency_list_still_escalates(model: Model) -> None:
    lines = (DATA / "emergencies.txt").read_text(encoding="utf-8").splitlines()
    missed = [line for line in lines if line and understand(line, model).intent != "emergency"]
    assert not missed


# --- Every rule of the triage data, on a phrase of its own ------------------------------


def rule_rows() -> list[tuple[str, str, str, str]]:
    """(rule, level, voice, said) from tests/data/triage_rules.tsv; rule is "id.N", the
    Nth rule of that id in triage.toml."""
    lines = (DATA / "triage_rules.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert rows[0] == ["rule", "level", "voice", "said"]
    return [(rule, level, voice, said) for rule, level, voice, said in rows[1:]]


def rule_keys(model: Model) -> dict[str, triage.Rule]:
    """Each rule of triage.toml by "id.N", in the file's order."""
    keys: dict[str, triage.Rule] = {}
    for rule in model.triage_rules.rules:
        number = 1 + sum(key.rsplit(".", 1)[0] == rule.id for key in keys)
        keys[f"{rule.id}.{number}"] = rule
    return keys


def test_every_rule_fires_on_a_test_phrase_of_its_own(model: Model) -> None:
    """One row at least for every rule, in the file's order: a rule deleted, added or
    moved without its row fails here, and each row's phrase fires its own rule and gets
    its level (Fahrenheit temperatures included: "104 F")."""
    keys, rows = rule_keys(model), rule_rows()
    assert list(dict.fromkeys(rule for rule, _, _, _ in rows)) == list(keys)
    for rule, level, _, said in rows:
        found = understand(said, model)
        assert found.triage is not None and found.intent == level, (rule, said, found.intent)
        assert keys[rule].level == level, rule
        words = tuple(found.heard.split())
        assert triage._Finder(words, model.triage_rules).fires(keys[rule]), (rule, said)
        assert keys[rule].id in found.triage.reasons, (rule, said, found.triage.reasons)
    fahrenheit = [said for _, _, _, said in rows if said.endswith(" F")]
    assert any("104 F" in said for said in fahrenheit) and len(fahrenheit) >= 4


def test_every_rule_typed_through_the_command_line(tmp_path: Path) -> None:
    rows = rule_rows()
    result = run_allvoice(tmp_path, "ask", "--json", *(said for _, _, _, said in rows))
    assert result.returncode == 0, result.stderr
    got = [json.loads(line)["intent"] for line in result.stdout.splitlines()]
    assert [(said, intent) for (_, _, _, said), intent in zip(rows, got, strict=True)] == [
        (said, level) for _, level, _, said in rows
    ]


@pytest.mark.audio
@pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("flite")), reason="needs espeak-ng and flite"
)
def test_every_rule_spoken_through_ask_wav(tmp_path: Path) -> None:
    """Each rule's phrase said by espeak-ng's American voice or flite's slt, and heard by
    Whisper (the default recognizer, checked: no quiet fallback). Every phrase heard word
    for word gets its level; a phrase misheard may miss it, at most ``MISHEARD`` of them:
    Whisper's int8 arithmetic differs from one processor to another (on an AMD EPYC with
    AVX-512, CTranslate2's default AVX2 kernels heard "his ears" as "the mirror")."""
    rows = rule_rows()
    paths = []
    for index, (_, _, voice, said) in enumerate(rows):
        path = tmp_path / f"rule{index}.wav"
        if voice == "flite":
            subprocess.run(["flite", "-voice", "slt", "-t", said, "-o", str(path)], check=True)
        else:
            espeak = ["espeak-ng", "-v", "en-us", "-s", "130", "-w", str(path), said]
            subprocess.run(espeak, check=True)
        paths.append(str(path))
    result = run_allvoice(tmp_path, "ask", "--json", "--wav", *paths, timeout=600)
    assert result.returncode == 0, result.stderr
    turns = heard_by(result)
    wrong = [
        (rule, said, turn["heard"], turn["intent"])
        for (rule, level, _, said), turn in zip(rows, turns, strict=True)
        if turn["intent"] != level
    ]
    heard_right = [miss for miss in wrong if _words(miss[1]) == _words(miss[2])]
    assert not heard_right, heard_right  # triage's own misses: never allowed
    assert len(wrong) <= MISHEARD, wrong


MISHEARD = 3
"""Rule phrases (of 90) that Whisper may mishear in ``test_every_rule_spoken_through_ask_wav``:
none on the machines where it was written, two on another processor."""


def _words(text: str) -> list[str]:
    """Lower-case words, apostrophes and other signs dropped: "son's" is "sons"."""
    return re.sub(r"[^a-z0-9 ]+", "", text.lower().replace("-", " ")).split()


# --- The issue's table, typed ----------------------------------------------------------


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize(("text", "level"), TABLE)
def test_the_issue_table_typed_in_every_state(
    pack: Pack, model: Model, text: str, level: str, state: str
) -> None:
    conversation = Conversation(pack, model)
    STATES[state](conversation)
    before = conversation.state
    turn = conversation.turn(text)
    assert turn.intent == level, (turn.intent, turn.understanding.heard)
    if level == "crisis":
        assert turn.state.followup == before.followup, "a crisis leaves the follow-up as it was"
    else:  # issue 16: the safety advice replaces the routine follow-up's questions
        assert turn.state.followup is None, "an emergency or urgent reply ends the follow-up"
    reply = turn.reply.text
    assert not any(phrase in reply.lower() for phrase in DIAGNOSTIC), reply
    if level == "emergency":
        assert reply.startswith(EMERGENCY_START) and "Call " in reply, reply
    if level == "urgent":
        assert "today" in reply and "A baby under three months" in reply, reply
    if level == "crisis":
        assert "9 8 8" in reply and "do not stay alone with this" in reply, reply
        assert "emergency number" in reply, reply


def test_fever_during_treatment_names_the_treatment_team(pack: Pack, model: Model) -> None:
    reply = Conversation(pack, model).turn(TABLE[2][0]).reply.text
    assert "treatment team's 24-hour line" in reply and "serious infection" in reply, reply


def test_stroke_and_rash_replies_say_why(pack: Pack, model: Model) -> None:
    assert "stroke" in Conversation(pack, model).turn(TABLE[5][0]).reply.text
    assert "do not fade" in Conversation(pack, model).turn(TABLE[3][0]).reply.text


def test_triage_wins_over_a_symptom_report_in_the_same_sentence(pack: Pack, model: Model) -> None:
    for text in ("purple spots and a fever", "my son has bone pain and he is coughing up blood"):
        turn = Conversation(pack, model).turn(text)
        assert turn.intent == "emergency", (text, turn.intent)


def test_after_triage_the_symptom_follow_up_goes_on(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model)
    conversation.turn("my son has a fever")
    assert conversation.turn("I want to kill myself").intent == "crisis"
    assert conversation.turn("ten days").reply.text.endswith(symptom_wording.ASK_TREND)


def test_the_settings_numbers_are_said(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model, emergency_number="000", crisis_line="13 11 14")
    crisis = conversation.turn("my daughter has been self harming").reply.text
    assert "Please call 13 11 14 now" in crisis and "call 000 right away" in crisis, crisis
    urgent = conversation.turn("there's blood in my wee").reply.text
    assert "call 000" in urgent and "today" in urgent, urgent
    overdose = conversation.turn("she took an overdose").reply.text
    assert overdose.startswith(EMERGENCY_START) and "Call 000 now" in overdose, overdose


def test_an_attempt_under_way_is_an_emergency_that_names_the_crisis_line_too(
    pack: Pack, model: Model
) -> None:
    turn = Conversation(pack, model).turn("I want to die and I took all my pills")
    assert turn.intent == "emergency"
    assert "crisis line" in turn.reply.text and "do not stay alone" in turn.reply.text


def test_a_crisis_at_the_end_of_a_long_message_is_heard(pack: Pack, model: Model) -> None:
    text = "we have been at the hospital all week and I am so tired " * 10 + "I want to die"
    turn = Conversation(pack, model).turn(text)
    assert turn.intent == "crisis", turn.reply.text


def test_doubted_speech_keeps_every_triage_level(model: Model) -> None:
    for text, level in TABLE:
        assert under_doubt(understand(text, model)).intent == level, text


# --- Speech: "can" heard for "cannot" ----------------------------------------------------

CAN_OR_CANNOT = [
    "my son can breathe",
    "my son can breathe now",
    "i can wake him up",
    "she can stop the bleeding",
]


def test_a_heard_can_that_may_be_cannot_is_an_emergency_said_as_such(
    pack: Pack, model: Model
) -> None:
    for text in CAN_OR_CANNOT:
        heard = understand_heard(text, model)
        assert heard.intent == "emergency" and heard.triage and heard.triage.if_cannot, text
        assert understand(text, model).intent != "emergency", text  # typed, it is not read so
        turn = Conversation(pack, model).turn(text, spoken=True)
        assert turn.reply.text.startswith(safety_wording.IF_CANNOT), turn.reply.text
        assert under_doubt(heard).intent == "emergency"
    typed = Conversation(pack, model).turn("my son cannot breathe", spoken=True)
    assert typed.reply.text.startswith(EMERGENCY_START)  # said plainly: no "if you said"


def test_can_is_not_read_as_cannot_when_it_is_said_to_be_so(model: Model) -> None:
    for text in (
        "he can breathe again",
        "she can breathe fine now",
        "can he breathe through the mask",
        "i can wake up early tomorrow okay",
        "my daughter can see the nurse",
    ):
        assert understand_heard(text, model).triage is None, text


def test_voice_mode_reads_a_heard_can_as_maybe_cannot(pack: Pack) -> None:
    from allvoice.app.voice import hear
    from allvoice.fakes import FakeRecognizer
    from allvoice.ports import AudioChunk

    audio = AudioChunk(16000, 2, 1, bytes(16000 * 2))
    turn = hear(Conversation(pack), FakeRecognizer("my son can breathe"), audio)
    assert turn.turn.intent == "emergency"
    assert turn.turn.reply.text.startswith(safety_wording.IF_CANNOT)


# --- Temperatures and ages ------------------------------------------------------------

TEMPERATURES = [
    ("he is 38.5", 38.5),
    ("a hundred and two fever", 38.9),
    ("her temperature is 102 F", 38.9),
    ("39 degrees", 39.0),
    ("burning hot 38.4", 38.4),
    ("fever of thirty eight point four", 38.4),
    ("temp 100.4F", 38.0),
    ("the thermometer says 38.2C", 38.2),
    ("a fever of one oh three", 39.4),
    ("thirty nine point five degrees", 39.5),
    ("he has a temperature of 37.2", 37.2),
]


@pytest.mark.parametrize(("text", "celsius"), TEMPERATURES)
def test_temperatures_are_read_in_either_unit(model: Model, text: str, celsius: float) -> None:
    words = understand(text, model).heard.split()
    found = readings.read_temperatures(
        tuple(words), model.triage_rules.temperature, fever_said="fever" in text
    )
    assert found and max(t.celsius for t in found) == celsius, (words, found)


@pytest.mark.parametrize(
    "text", ["my 38 year old husband has a fever", "she has had a fever for 39 days", "my son"]
)
def test_ages_and_durations_are_not_temperatures(model: Model, text: str) -> None:
    words = tuple(understand(text, model).heard.split())
    assert not readings.read_temperatures(words, model.triage_rules.temperature, True)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("my six week old", 1.38),
        ("my 2 month old baby", 2.0),
        ("my baby is 10 weeks old", 2.3),
        ("a month old", 1.0),
        ("my two and a half month old", 2.5),
    ],
)
def test_a_babys_age_is_read(model: Model, text: str, months: float) -> None:
    words = tuple(understand(text, model).heard.split())
    rules = model.triage_rules
    age = readings.read_age(words, rules.ages, rules.temperature["numbers"])
    assert age is not None and abs(age - months) < 0.01, (words, age)


def test_a_baby_under_three_months_needs_38_degrees_or_a_fever_said(model: Model) -> None:
    assert understand("my 6 week old has a fever", model).intent == "urgent"
    assert understand("my 6 week old has a temperature of 37.4", model).intent != "urgent"
    assert understand("my 5 month old has a temperature of 38.5", model).intent != "urgent"
    assert understand("my 5 month old has a temperature of 39.2", model).intent == "urgent"


# --- The rules file --------------------------------------------------------------------


def test_every_rule_has_wording_and_every_concept_is_known() -> None:
    data = tomllib.loads(TRIAGE.read_text(encoding="utf-8"))
    ids = {rule["id"] for rule in data["rules"]}
    assert ids <= set(safety_wording.TRIAGE_REASONS), ids - set(safety_wording.TRIAGE_REASONS)
    levels = {rule["level"] for rule in data["rules"]}
    assert levels == set(triage.LEVELS)
    for reason in safety_wording.TRIAGE_REASONS.values():
        assert not any(symbol in reason for symbol in "%°/&"), reason


def test_the_rules_file_cites_its_sources() -> None:
    text = TRIAGE.read_text(encoding="utf-8")
    for source in ("When to call 999", "NG143", "FAST", "neutropenic sepsis", "988"):
        assert source in text, source


def test_a_rule_with_an_unknown_concept_is_refused(tmp_path: Path, model: Model) -> None:
    text = TRIAGE.read_text(encoding="utf-8")
    broken = tmp_path / "triage.toml"
    broken.write_text(text + '\n[[rules]]\nid = "x"\nlevel = "urgent"\nall = ["nope"]\n')
    with pytest.raises(DataError, match="nope"):
        triage.load_rules(lambda t: tuple(t.split()), broken)


# --- Everyday signs outside the nine ----------------------------------------------------

OTHER_SIGNS = [
    ("my son has bruises on his legs", "bruising"),
    ("she has been losing weight", "weight_loss"),
    ("I keep waking up with night sweats", "night_sweats"),
    ("my daughter has had headaches", "headaches"),
    ("there's a lump on his leg", "lump"),
    ("my son has a rash on his arm", "rash"),
    ("he keeps throwing up", "vomiting"),
    ("my son has a pain in his shoulder", "pain"),
    ("it hurts when she bends her knee", "pain"),
]


@pytest.mark.parametrize(("text", "sign"), OTHER_SIGNS)
def test_a_sign_outside_the_nine_is_named_and_followed_up(
    pack: Pack, model: Model, text: str, sign: str
) -> None:
    conversation = Conversation(pack, model)
    first = conversation.turn(text)
    assert first.intent == "report_symptoms", (first.intent, first.reply.text)
    assert sign in first.understanding.other_signs
    assert symptom_wording.sign_name(sign) in first.reply.text
    assert "flu" not in first.reply.text
    assert first.reply.asks and first.as_json()["other_signs"] == [sign]
    last = conversation.turn("about a month").reply.text  # two weeks or more: advice at once
    assert "appointment" in last and "not a diagnosis" in last, last


def test_a_lump_elsewhere_is_not_a_swollen_lymph_node(model: Model) -> None:
    heard = understand("my daughter has a lump on her knee", model)
    assert heard.symptoms == () and heard.other_signs == ("lump",)
    assert understand("my daughter has a lump in her neck", model).symptoms == (
        "swollen_lymph_nodes",
    )


def test_pain_somewhere_else_counts_only_when_nothing_more_precise_is_said(
    model: Model,
) -> None:
    """A pain word near a part of the body is the sign "pain"; bone pain, a headache or
    another named sign says more, and then "pain" is not counted beside it."""
    assert understand("there is so much pain when I move my arm", model).other_signs == ("pain",)
    assert understand("his legs hurt", model).symptoms == ("bone_pain",)
    assert understand("his legs hurt and his shoulder aches", model).other_signs == ()
    assert understand("my neck hurts and I have a headache", model).other_signs == ("headaches",)
    assert understand("he has no pain in his arm", model).other_signs == ()
    assert understand("does leukemia cause pain in the joints", model).intent != ("report_symptoms")


def test_pack_symptoms_and_other_signs_together(pack: Pack, model: Model) -> None:
    turn = Conversation(pack, model).turn("my son has a fever and night sweats")
    assert turn.as_json()["symptoms"] == ["fever"]
    assert turn.as_json()["other_signs"] == ["night_sweats"]
    assert "fever and night sweats" in turn.reply.text


# --- Typed and spoken, through the command line ------------------------------------------


def test_ask_json_gives_the_new_intents(tmp_path: Path) -> None:
    result = run_allvoice(tmp_path, "ask", "--json", *(text for text, _ in TABLE))
    assert result.returncode == 0, result.stderr
    got = [json.loads(line)["intent"] for line in result.stdout.splitlines()]
    assert got == [level for _, level in TABLE]


def test_crisis_line_setting_from_the_command_line(tmp_path: Path) -> None:
    assert run_allvoice(tmp_path, "settings", "set", "crisis_line", "116 123").returncode == 0
    result = run_allvoice(tmp_path, "ask", "I want to end my life")
    assert "Please call 116 123 now" in result.stdout, result.stdout


SPOKEN = [text for text, _ in TABLE]


@pytest.mark.audio
@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng (make setup)")
def test_the_issue_table_spoken_through_ask_wav(tmp_path: Path) -> None:
    """Clearly spoken (espeak-ng's American voice at 130 words a minute; its default voice
    is hard for the default recognizer to make out): every row gets its intent."""
    paths = []
    for index, text in enumerate(SPOKEN):
        path = tmp_path / f"q{index}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "130", "-w", str(path), text], check=True)
        paths.append(str(path))
    result = run_allvoice(tmp_path, "ask", "--json", "--wav", *paths, timeout=300)
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    wanted = [level for _, level in TABLE]
    assert [t["intent"] for t in turns] == wanted, [(t["heard"], t["intent"]) for t in turns]


@pytest.mark.skipif(shutil.which("flite") is None, reason="flite is not installed")
def test_a_spoken_cannot_heard_as_can_still_gets_the_emergency_reply(tmp_path: Path) -> None:
    """flite's "can't" is often written "can" by the recognizer: either way, the reply is
    the emergency one, and it says "if you said cannot" only when "can" was heard."""
    path = tmp_path / "cannot.wav"
    subprocess.run(["flite", "-voice", "slt", "-t", "my son can't breathe", "-o", str(path)],
                   check=True)  # fmt: skip
    result = run_allvoice(tmp_path, "ask", "--json", "--wav", str(path), timeout=300)
    assert result.returncode == 0, result.stderr
    turn = json.loads(result.stdout)
    assert turn["intent"] == "emergency", turn["heard"]
    heard_can = "can " in f"{turn['heard']} " and "cannot" not in turn["heard"]
    assert turn["reply"].startswith(safety_wording.IF_CANNOT) == heard_can, turn
