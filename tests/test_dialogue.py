"""The dialogue core, driven directly: ``understand`` + ``step`` through ``Conversation``.

Symptom follow-up, emergencies in every state, topic switches, controls, clarification,
out of scope, reprompts, and the rule that no reply ever reads as a diagnosis.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from allvoice.content.pack import Pack
from allvoice.conversation import phrasing, symptom_wording
from allvoice.conversation.dialogue import DialogueState, step
from allvoice.conversation.followup import PERSISTENT_DAYS
from allvoice.conversation.session import Conversation, Turn
from allvoice.ports import RATE_DEFAULT, RATE_MAX, RATE_MIN, RATE_STEP, VOLUME_DEFAULT
from allvoice.understanding import Duration, Model, Understanding, understand
from allvoice.understanding.numbers import number_words

DATA = Path(__file__).parent / "data"
EMERGENCY_START = "This could be an emergency"
NOT_A_DIAGNOSIS = "general information, not a diagnosis"


def _tsv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["text"].strip()]


EMERGENCIES = [
    line.strip()
    for line in (DATA / "emergencies.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
PARAPHRASES = _tsv("paraphrases.tsv")
FOLLOWUP_ANSWERS = _tsv("followup_answers.tsv")
SYMPTOM_REPORTS = _tsv("symptom_reports.tsv")


# --- Diagnostic wording --------------------------------------------------------------

_ILLNESS = r"(?:leukemia|leukaemia|a l l|cancer)"
DIAGNOSTIC = [
    re.compile(p)
    for p in (
        rf"\b(?:you|he|she|they|your \w+) (?:have|has|have got|has got|'ve got|'s got)"
        rf" {_ILLNESS}\b",
        r"\b(?:you|he|she|they) (?:do not|don't|dont|does not|doesn't) have\b",
        rf"\b(?:do not|don't|does not|doesn't) have {_ILLNESS}\b",
        r"\bprobably\b",
        rf"\b(?:it's|it is|this is|that is|that's|this isn't|it isn't) not {_ILLNESS}\b",
        rf"\b(?:isn't|is not|not) {_ILLNESS}\b",
        r"\bnothing (?:to worry|serious)\b",
        rf"\b(?:sounds|looks) like {_ILLNESS}\b",
        rf"\byou (?:may|might|could) have {_ILLNESS}\b",
        r"\byou are fine\b|\byou're fine\b",
    )
]


def diagnostic_wording(text: str) -> list[str]:
    """The diagnostic phrases in ``text`` (lower-cased, curly quotes straightened)."""
    lowered = text.lower().replace("\u2019", "'")
    return [match.group(0) for pattern in DIAGNOSTIC if (match := pattern.search(lowered))]


@pytest.mark.parametrize(
    "text",
    [
        "You have leukemia.",
        "I think you don't have anything serious.",
        "It is probably nothing.",
        "You probably have the flu.",
        "Don't worry, it's not cancer.",
        "Your son has A L L.",
    ],
)
def test_diagnosis_checker_catches_the_forbidden_phrases(text: str) -> None:
    assert diagnostic_wording(text)


def test_diagnosis_checker_lets_the_pack_content_through(pack: Pack) -> None:
    for section in pack.sections:
        for fact in section.facts:
            assert diagnostic_wording(fact.text) == [], (section.id, fact.id)


# --- Fixtures and helpers ------------------------------------------------------------


class Chat:
    """A conversation that checks every reply for diagnostic wording."""

    def __init__(self, pack: Pack, model: Model, emergency_number: str = "") -> None:
        self.conversation = Conversation(pack, model, emergency_number=emergency_number)
        self.turns: list[Turn] = []

    def say(self, text: str) -> Turn:
        turn = self.conversation.turn(text)
        found = diagnostic_wording(turn.reply.text)
        assert not found, f"{text!r} -> {turn.reply.text!r} has diagnostic wording {found}"
        self.turns.append(turn)
        return turn

    def says(self, *lines: str) -> list[Turn]:
        return [self.say(line) for line in lines]

    def apply(self, heard: Understanding) -> Turn:
        """Step the dialogue with a hand-made understanding."""
        conversation = self.conversation
        conversation.state, reply = step(conversation.state, heard, conversation.context)
        assert not diagnostic_wording(reply.text), reply.text
        turn = Turn(heard, reply, conversation.state)
        self.turns.append(turn)
        return turn

    @property
    def state(self) -> DialogueState:
        return self.conversation.state


@pytest.fixture
def chat(pack: Pack, model: Model) -> Callable[..., Chat]:
    def make(emergency_number: str = "") -> Chat:
        return Chat(pack, model, emergency_number)

    return make


def offers_summary(turn: Turn) -> bool:
    """The advice ends with the offer of a summary, and waits for the answer."""
    return turn.reply.asks and turn.reply.text.endswith(symptom_wording.OFFER_SUMMARY)


def asks_duration(text: str) -> bool:
    return symptom_wording.ASK_DURATION in text


def asks_trend(text: str) -> bool:
    return symptom_wording.ASK_TREND in text


def is_appointment_advice(text: str) -> bool:
    lowered = text.lower()
    return (
        "make an appointment" in lowered
        and "doctor" in lowered
        and NOT_A_DIAGNOSIS in lowered
        and "usually get better" not in lowered
    )


def is_improving_advice(text: str) -> bool:
    lowered = text.lower()
    return (
        "flu" in lowered
        and "usually get better" in lowered
        and "do not get better" in lowered
        and "doctor" in lowered
        and NOT_A_DIAGNOSIS in lowered
    )


def assert_acknowledged(text: str) -> None:
    lowered = text.lower()
    assert "sorry to hear" in lowered, text
    assert "many possible causes" in lowered, text
    assert "flu" in lowered, text
    assert NOT_A_DIAGNOSIS in lowered, text


def fact_text(pack: Pack, section_id: str, fact_id: str) -> str:
    return next(f.text for f in pack.section(section_id).facts if f.id == fact_id)


# --- The questions themselves --------------------------------------------------------


def test_the_follow_up_questions_ask_how_long_and_whether_better() -> None:
    assert "how long" in symptom_wording.ASK_DURATION.lower()
    assert "better" in symptom_wording.ASK_TREND.lower()
    assert "how long" not in symptom_wording.ASK_TREND.lower()


def test_welcome_says_general_information_not_a_diagnosis(pack: Pack) -> None:
    assert NOT_A_DIAGNOSIS in phrasing.welcome(pack.name).lower()


# --- The symptom follow-up -----------------------------------------------------------


def test_report_is_acknowledged_then_one_question_how_long(chat: Callable[..., Chat]) -> None:
    turn = chat().say("my son has a fever")
    assert turn.intent == "report_symptoms"
    assert turn.reply.symptoms == ("fever",)
    assert_acknowledged(turn.reply.text)
    assert asks_duration(turn.reply.text)
    assert not asks_trend(turn.reply.text), "one question at a time"
    assert turn.reply.asks
    assert turn.state.followup is not None and turn.state.followup.asking == "duration"


def test_short_duration_then_no_gives_appointment(chat: Callable[..., Chat]) -> None:
    c = chat()
    c.say("my son has a fever")
    second = c.say("ten days")
    assert asks_trend(second.reply.text)
    assert not asks_duration(second.reply.text)
    assert second.reply.asks
    assert second.intent == "report_symptoms"
    advice = c.say("no")
    assert is_appointment_advice(advice.reply.text), advice.reply.text
    assert "ten days" in advice.reply.text
    assert offers_summary(advice)
    assert advice.state.followup is None


@pytest.mark.parametrize("answer", ["yes they're getting better", "yes", "they're getting better"])
def test_improving_gives_flu_like_advice(chat: Callable[..., Chat], answer: str) -> None:
    c = chat()
    c.says("I have a fever", "a week")
    advice = c.say(answer)
    assert is_improving_advice(advice.reply.text), advice.reply.text
    assert "because they are" not in advice.reply.text.lower()
    assert offers_summary(advice)
    assert advice.state.followup is None


@pytest.mark.parametrize("answer", ["they're getting worse", "worse", "getting worse every day"])
def test_worse_gives_appointment(chat: Callable[..., Chat], answer: str) -> None:
    c = chat()
    c.says("I have a fever", "a week")
    advice = c.say(answer)
    assert is_appointment_advice(advice.reply.text), advice.reply.text
    assert "worse" in advice.reply.text.lower()


@pytest.mark.parametrize(
    ("duration_answer", "trend_answer"),
    [
        ("I'm not sure", "I'm not sure"),
        ("I can't remember", "hard to say"),
        ("I don't know", "no idea"),
        ("ten days", "I'm not sure"),
        ("I'm not sure", "no"),
    ],
)
def test_unsure_to_each_question_gives_the_safe_advice(
    chat: Callable[..., Chat], duration_answer: str, trend_answer: str
) -> None:
    c = chat()
    c.say("my daughter has bleeding gums")
    second = c.say(duration_answer)
    assert asks_trend(second.reply.text), "an unsure duration moves on, it is not asked again"
    assert not asks_duration(second.reply.text)
    advice = c.say(trend_answer)
    assert is_appointment_advice(advice.reply.text), advice.reply.text
    assert offers_summary(advice)


@pytest.mark.parametrize(
    "report",
    [
        "I've had a fever for two weeks",
        "my son has had a fever since yesterday",
        "she's been really pale for a month",
        "the fever started yesterday and it's a bit better today",
    ],
)
def test_duration_given_up_front_is_not_asked_again(chat: Callable[..., Chat], report: str) -> None:
    c = chat()
    first = c.say(report)
    assert_acknowledged(first.reply.text)
    assert not asks_duration(first.reply.text)
    advice = c.say("no") if asks_trend(first.reply.text) else first
    assert not asks_duration(advice.reply.text)
    assert "make an appointment" in advice.reply.text


def test_trend_given_up_front_is_not_asked_again(chat: Callable[..., Chat]) -> None:
    c = chat()
    first = c.say("my son has a fever and it's getting worse")
    assert asks_duration(first.reply.text)
    assert not asks_trend(first.reply.text)
    advice = c.say("three days")
    assert not asks_trend(advice.reply.text)
    assert is_appointment_advice(advice.reply.text), advice.reply.text
    assert "worse" in advice.reply.text


@pytest.mark.parametrize(
    ("report", "improving"),
    [
        ("I've had a fever for two weeks and it's getting worse", False),
        ("she's been tired all the time for a month and it's getting worse", False),
        ("he's had a fever and bone pain for a week and it's getting better", True),
        ("he's had a fever and bone pain for a month and it's getting better", False),
        ("she's pale and tired and it's been the same for two weeks", False),
    ],
)
def test_duration_and_trend_up_front_give_advice_at_once(
    chat: Callable[..., Chat], report: str, improving: bool
) -> None:
    turn = chat().say(report)
    text = turn.reply.text
    assert_acknowledged(text)
    assert offers_summary(turn)
    assert not asks_duration(text) and not asks_trend(text)
    assert (is_improving_advice if improving else is_appointment_advice)(text), text
    assert turn.state.followup is None


@pytest.mark.parametrize(
    "row",
    [r for r in FOLLOWUP_ANSWERS if r["duration_days"]],
    ids=lambda r: r["text"],
)
def test_duration_answers_move_on(chat: Callable[..., Chat], row: dict[str, str]) -> None:
    c = chat()
    c.say("my son has a fever")
    turn = c.say(row["text"])
    assert not asks_duration(turn.reply.text), turn.reply.text
    if row["trend"] or float(row["duration_days"]) >= PERSISTENT_DAYS:
        assert offers_summary(turn)
        assert "make an appointment" in turn.reply.text
    else:
        assert asks_trend(turn.reply.text), turn.reply.text


@pytest.mark.parametrize(
    "row",
    [r for r in FOLLOWUP_ANSWERS if not r["duration_days"]],
    ids=lambda r: r["text"],
)
def test_trend_answers_give_the_right_advice(
    chat: Callable[..., Chat], row: dict[str, str]
) -> None:
    c = chat()
    c.says("my son has a fever", "ten days")
    turn = c.say(row["text"])
    improving = row["trend"] == "better" or (not row["trend"] and row["answer"] == "yes")
    check = is_improving_advice if improving else is_appointment_advice
    assert check(turn.reply.text), turn.reply.text
    assert offers_summary(turn)


@pytest.mark.parametrize("row", SYMPTOM_REPORTS, ids=lambda r: r["text"])
def test_each_report_row_gets_the_right_next_question(
    chat: Callable[..., Chat], row: dict[str, str]
) -> None:
    """The dialogue side of every report, from the understanding the row expects."""
    days = float(row["duration_days"]) if row["duration_days"] else None
    heard = Understanding(
        heard=row["text"].lower(),
        intent="report_symptoms",
        symptoms=tuple(row["symptoms"].split(",")),
        duration=Duration(f"{row['duration_days']} days", days) if days else None,
        trend=row["trend"] or None,
    )
    turn = chat().apply(heard)
    text = turn.reply.text
    assert_acknowledged(text)
    lasting = days is not None and days >= PERSISTENT_DAYS
    assert asks_duration(text) == (days is None)
    assert asks_trend(text) == (days is not None and not row["trend"] and not lasting)
    if days is not None and (row["trend"] or lasting):
        assert offers_summary(turn)
        improving = row["trend"] == "better" and not lasting
        check = is_improving_advice if improving else is_appointment_advice
        assert check(text), text


@pytest.mark.parametrize("duration_answer", ["ten days", "I'm not sure", "a few days", "yes"])
@pytest.mark.parametrize(
    "trend_answer",
    ["no", "they're getting worse", "about the same", "I'm not sure", "not really", "nope"],
)
def test_every_path_not_improving_ends_with_an_appointment(
    chat: Callable[..., Chat], duration_answer: str, trend_answer: str
) -> None:
    c = chat()
    turns = c.says("my daughter has a lump in her neck", duration_answer, trend_answer)
    assert [t.reply.asks for t in turns] == [True, True, True]
    assert offers_summary(turns[-1])
    last = turns[-1].reply.text
    assert is_appointment_advice(last), last
    assert "appointment" in last


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("two weeks", "two weeks"),
        ("ten days", "ten days"),
        ("since yesterday", "going on since yesterday"),
        ("for ages", "going on for ages"),
        pytest.param("a few days", "a few days"),
        pytest.param("a couple of weeks", "a couple of weeks"),
    ],
)
def test_advice_repeats_the_duration_as_said(
    chat: Callable[..., Chat], answer: str, said: str
) -> None:
    c = chat()
    advice = c.says("my son has a fever", answer)[-1]
    if asks_trend(advice.reply.text):
        advice = c.say("no")
    assert f"it has been {said}." in advice.reply.text


def test_how_often_is_not_taken_for_how_long(chat: Callable[..., Chat]) -> None:
    turn = chat().say("my daughter gets a bloody nose nearly every day and it's getting worse")
    assert "it has been day" not in turn.reply.text
    assert asks_duration(turn.reply.text)


def test_a_second_report_during_the_follow_up_keeps_the_question_order(
    chat: Callable[..., Chat],
) -> None:
    c = chat()
    c.say("my son has a fever")
    turn = c.say("he also has bone pain")
    assert turn.intent == "report_symptoms"
    assert asks_duration(turn.reply.text)
    assert turn.state.followup is not None
    assert set(turn.state.followup.symptoms) == {"fever", "bone_pain"}
    advice = c.says("a week", "no")[-1]
    assert is_appointment_advice(advice.reply.text)


# --- A topic question in the middle of the follow-up ---------------------------------


def test_topic_during_duration_question_then_back(pack: Pack, chat: Callable[..., Chat]) -> None:
    c = chat()
    c.say("my son has a fever")
    topic = c.say("is it inherited")
    assert topic.reply.section == "causes"
    assert fact_text(pack, "causes", "not_inherited") in topic.reply.text
    assert topic.reply.text.rstrip().endswith(symptom_wording.ASK_DURATION), "re-asks the question"
    assert topic.reply.asks
    back = c.say("three days")
    assert asks_trend(back.reply.text)
    assert not asks_duration(back.reply.text)
    advice = c.say("no")
    assert is_appointment_advice(advice.reply.text)
    assert "three days" in advice.reply.text


def test_topic_during_trend_question_then_back(chat: Callable[..., Chat]) -> None:
    c = chat()
    c.says("my son has a fever", "ten days")
    topic = c.say("what are the risk factors")
    assert topic.reply.section == "risk_factors"
    assert topic.reply.text.rstrip().endswith(symptom_wording.ASK_TREND)
    assert topic.reply.asks
    more = c.say("more")
    assert more.reply.section == "risk_factors"
    assert more.reply.text.rstrip().endswith(symptom_wording.ASK_TREND)
    advice = c.say("yes")
    assert is_improving_advice(advice.reply.text), advice.reply.text
    assert "ten days" in advice.reply.text


def test_out_of_scope_during_follow_up_goes_back_too(chat: Callable[..., Chat]) -> None:
    c = chat()
    c.say("my son has a fever")
    turn = c.say("what is the weather like today")
    assert turn.intent == "out_of_scope"
    assert turn.reply.text.rstrip().endswith(symptom_wording.ASK_DURATION)
    assert asks_trend(c.say("four days").reply.text)


# --- Emergencies come first, in every state ------------------------------------------


def _into_clarification(c: Chat) -> None:
    c.apply(
        Understanding(
            heard="it",
            intent="causes",
            section="causes",
            alternatives=("causes", "symptoms"),
            confidence=0.5,
        )
    )
    assert c.state.clarify == ("causes", "symptoms")


def _check(condition: Callable[[DialogueState], bool]) -> Callable[[Chat], None]:
    def check(c: Chat) -> None:
        assert condition(c.state), c.state

    return check


STATES: dict[str, tuple[tuple[str, ...], Callable[[Chat], None]]] = {
    "idle": ((), _check(lambda s: s == DialogueState())),
    "reading": (("what are the symptoms",), _check(lambda s: s.reading is not None)),
    "waiting_for_duration": (
        ("my son has a fever",),
        _check(lambda s: s.followup is not None and s.followup.asking == "duration"),
    ),
    "waiting_for_trend": (
        ("my son has a fever", "ten days"),
        _check(lambda s: s.followup is not None and s.followup.asking == "trend"),
    ),
    "topic_during_follow_up": (
        ("my son has a fever", "is it inherited"),
        _check(lambda s: s.reading is not None and s.followup is not None),
    ),
    "after_misses": (("blorp", "zzzk"), _check(lambda s: s.misses == 2)),
    "clarification": ((), _into_clarification),
}


@pytest.mark.parametrize("line", EMERGENCIES)
@pytest.mark.parametrize("state_name", list(STATES))
def test_emergency_comes_first_in_every_state(
    chat: Callable[..., Chat], state_name: str, line: str
) -> None:
    c = chat()
    setup, enter = STATES[state_name]
    c.says(*setup)
    enter(c)
    turn = c.say(line)
    assert turn.reply.text.startswith(EMERGENCY_START), turn.reply.text
    assert "call" in turn.reply.text.lower()
    assert turn.intent == "emergency"


def test_every_emergency_line_is_tested() -> None:
    assert len(EMERGENCIES) >= 70


@pytest.mark.parametrize("state_name", list(STATES))
def test_emergency_number_is_configurable(chat: Callable[..., Chat], state_name: str) -> None:
    c = chat(emergency_number="112")
    setup, enter = STATES[state_name]
    c.says(*setup)
    enter(c)
    text = c.say("my son can't breathe").reply.text
    assert text.startswith(EMERGENCY_START)
    assert "Call 112" in text
    assert "9 1 1" not in text


def test_emergency_number_is_in_the_symptom_advice(chat: Callable[..., Chat]) -> None:
    c = chat(emergency_number="112")
    advice = c.says("my son has a fever", "ten days", "no")[-1].reply.text
    assert "112" in advice


def test_default_emergency_wording_names_a_number(chat: Callable[..., Chat]) -> None:
    text = chat().say("I can't breathe").reply.text
    assert "emergency number" in text


# --- Controls ------------------------------------------------------------------------


def test_repeat_gives_the_last_reply_word_for_word(chat: Callable[..., Chat]) -> None:
    c = chat()
    first = c.say("what is ALL")
    again = c.say("repeat")
    assert again.reply.text == first.reply.text
    assert again.intent == "repeat"
    assert c.say("repeat").reply.text == first.reply.text, "repeat of a repeat"


def test_repeat_after_a_rate_change_repeats_it_without_changing_the_rate(
    chat: Callable[..., Chat],
) -> None:
    c = chat()
    c.say("what is ALL")
    faster = c.say("faster")
    assert faster.state.rate == RATE_DEFAULT + RATE_STEP
    for _ in range(2):
        again = c.say("repeat")
        assert again.reply.text == faster.reply.text
        assert again.state.rate == RATE_DEFAULT + RATE_STEP


def test_repeat_during_the_follow_up_repeats_the_question(chat: Callable[..., Chat]) -> None:
    c = chat()
    question = c.say("my son has a fever")
    again = c.say("repeat")
    assert again.reply.text == question.reply.text
    assert asks_trend(c.say("five days").reply.text), "the follow-up goes on after repeat"


def test_repeat_after_an_emergency_repeats_the_emergency(chat: Callable[..., Chat]) -> None:
    c = chat()
    emergency = c.say("he's not breathing")
    assert c.say("repeat").reply.text == emergency.reply.text


def test_repeat_with_nothing_said_says_so(chat: Callable[..., Chat]) -> None:
    turn = chat().say("repeat")
    assert turn.reply.text == phrasing.NOTHING_TO_REPEAT


def test_more_reads_the_symptom_list_three_at_a_time(pack: Pack, chat: Callable[..., Chat]) -> None:
    items = [fact.text for fact in pack.section("symptoms").facts]
    assert len(items) == 9
    c = chat()
    chunks = [c.say("what are the symptoms"), c.say("more"), c.say("more")]
    for number, turn in enumerate(chunks):
        text = turn.reply.text
        assert turn.reply.section == "symptoms"
        inside = [item for item in items if item in text]
        assert inside == items[3 * number : 3 * number + 3], text
    assert pack.section("symptoms").list_intro in chunks[0].reply.text
    assert "more" in chunks[0].reply.text.lower() and "more" in chunks[1].reply.text.lower()
    finished = c.say("more")
    assert finished.reply.text.startswith("That is all"), finished.reply.text
    assert not any(item in finished.reply.text for item in items)
    assert finished.state.reading is None
    assert c.say("more").reply.text == phrasing.NOTHING_MORE


def test_more_reads_a_prose_section_to_the_end(pack: Pack, chat: Callable[..., Chat]) -> None:
    facts = [fact.text for fact in pack.section("overview").facts]
    c = chat()
    heard = [c.say("what is acute lymphocytic leukemia").reply.text]
    for _ in range(len(facts)):
        text = c.say("more").reply.text
        heard.append(text)
        if text.startswith("That is all"):
            break
    assert heard[-1].startswith("That is all")
    spoken = " ".join(heard)
    for fact in facts:
        assert spoken.count(fact) == 1, fact


@pytest.mark.parametrize(
    ("question", "section_id", "fact_id"),
    [
        ("is it inherited", "causes", "not_inherited"),
        ("is it genetic", "causes", "not_inherited"),
        ("can ALL be cured", "overview", "chance_of_cure"),
        ("what is a lymphocyte", "overview", "lymphocytic_meaning"),
        pytest.param("what does lymphocytic mean", "overview", "lymphocytic_meaning"),
        ("does it run in families", "causes", "not_inherited"),
    ],
)
def test_a_fact_question_is_answered_with_just_that_fact(
    pack: Pack, chat: Callable[..., Chat], question: str, section_id: str, fact_id: str
) -> None:
    turn = chat().say(question)
    text = turn.reply.text
    assert turn.reply.section == section_id
    assert fact_text(pack, section_id, fact_id) in text
    others = [f.id for f in pack.section(section_id).facts if f.id != fact_id and f.text in text]
    assert others == [], f"other facts read too: {others}"


def test_stop_ends_the_reading_and_resume_goes_on(chat: Callable[..., Chat], pack: Pack) -> None:
    c = chat()
    c.say("what are the symptoms")
    stopped = c.say("stop")
    assert stopped.intent == "stop"
    assert stopped.reply.text == phrasing.STOPPED
    after = c.say("resume")
    fourth = pack.section("symptoms").facts[3].text
    assert after.reply.text.startswith("Here are three more:")
    assert fourth in after.reply.text
    assert after.reply.section == "symptoms"


def test_faster_up_to_the_limit(chat: Callable[..., Chat]) -> None:
    c = chat()
    rate = RATE_DEFAULT
    while rate + RATE_STEP <= RATE_MAX:
        turn = c.say("faster")
        rate += RATE_STEP
        assert turn.state.rate == rate
        assert "faster" in turn.reply.text.lower()
        assert number_words(rate) in turn.reply.text
        assert "as fast as" not in turn.reply.text
    assert rate == RATE_MAX
    for _ in range(2):
        turn = c.say("faster")
        assert turn.state.rate == RATE_MAX
        assert "as fast as I can" in turn.reply.text
        assert number_words(RATE_MAX) in turn.reply.text


def test_slower_down_to_the_limit(chat: Callable[..., Chat]) -> None:
    c = chat()
    rates = []
    for _ in range(8):
        turn = c.say("slower")
        rates.append(turn.state.rate)
        assert RATE_MIN <= turn.state.rate <= RATE_MAX
    assert rates[:3] == [150, 125, 100]
    assert rates[-1] == RATE_MIN
    last = c.say("slower")
    assert last.state.rate == RATE_MIN
    assert "as slow as I can" in last.reply.text
    assert number_words(RATE_MIN) in last.reply.text


def test_louder_and_softer_within_limits(chat: Callable[..., Chat]) -> None:
    c = chat()
    louder = c.say("louder")
    assert louder.state.volume == pytest.approx(VOLUME_DEFAULT + 0.1)
    assert "louder" in louder.reply.text and "ninety percent" in louder.reply.text
    for _ in range(3):
        turn = c.say("louder")
    assert turn.state.volume == pytest.approx(1.0)
    assert "as loud as I can" in turn.reply.text
    volumes = []
    for _ in range(15):
        turn = c.say("softer")
        volumes.append(turn.state.volume)
        assert 0.0 <= turn.state.volume <= 1.0
    assert volumes[0] == pytest.approx(0.9)
    assert "softer" in c.turns[-15].reply.text
    assert volumes[-1] == min(volumes)
    assert "as soft as I can" in turn.reply.text


def test_goodbye_ends(chat: Callable[..., Chat]) -> None:
    c = chat()
    c.say("what is ALL")
    turn = c.say("goodbye")
    assert turn.reply.end
    assert turn.intent == "goodbye"
    assert turn.as_json()["end"] is True
    assert c.conversation.ended
    assert turn.state.reading is None


def test_only_goodbye_ends(chat: Callable[..., Chat]) -> None:
    c = chat()
    turns = c.says("what is ALL", "more", "stop", "faster", "my son has a fever", "blorp")
    assert not any(t.reply.end for t in turns)
    assert not c.conversation.ended


# --- Clarification -------------------------------------------------------------------


# Questions that fall between two sections; the understanding is tuned over time, so the
# test takes the first of these that it finds ambiguous (and fails if none is).
AMBIGUOUS = (
    "can leukemia cause nosebleeds",
    "what causes nosebleeds",
    "what symptoms does ALL cause in children",
    "how do I know when to call the doctor",
    "how many days of fever before I see a doctor",
    "where can I read the original source",
)


def _ambiguous(pack: Pack, c: Chat) -> tuple[str, str]:
    """Ask an ambiguous question; the two sections offered."""
    model = c.conversation.model
    text = next((q for q in AMBIGUOUS if len(understand(q, model).alternatives) > 1), None)
    assert text is not None, "no input triggers the clarification question any more"
    turn = c.say(text)
    first, second = turn.understanding.alternatives[:2]
    assert turn.reply.asks
    assert turn.state.clarify == (first, second)
    titles = pack.section(first).title, pack.section(second).title
    assert turn.reply.text == phrasing.clarify(*titles)
    return first, second


@pytest.mark.parametrize("answer", ["first title", "second title", "the second one", "yes"])
def test_clarification_from_real_input_is_resolved(
    pack: Pack, chat: Callable[..., Chat], answer: str
) -> None:
    c = chat()
    first, second = _ambiguous(pack, c)
    said = {
        "first title": pack.section(first).title,
        "second title": pack.section(second).title,
    }.get(answer, answer)
    expected = second if answer in ("second title", "the second one") else first
    turn = c.say(said)
    assert turn.reply.section == expected, turn.reply.text
    assert pack.section(expected).facts[0].text in turn.reply.text
    assert not turn.state.clarify


@pytest.mark.parametrize(
    ("offered", "answer", "section_id"),
    [
        (("risk_factors", "sources"), "sources", "sources"),
        (("risk_factors", "sources"), "risk factors", "risk_factors"),
        (("risk_factors", "sources"), "the first one", "risk_factors"),
        (("risk_factors", "sources"), "the second one", "sources"),
        (("risk_factors", "sources"), "the other one", "sources"),
        (("causes", "symptoms"), "the second one", "symptoms"),
        pytest.param(
            ("causes", "symptoms"),
            "the first one",
            "causes",
        ),
    ],
)
def test_clarification_built_by_hand_is_resolved(
    pack: Pack,
    chat: Callable[..., Chat],
    offered: tuple[str, str],
    answer: str,
    section_id: str,
) -> None:
    c = chat()
    asked = c.apply(
        Understanding(
            heard="a question between two sections",
            intent=offered[0],
            section=offered[0],
            confidence=0.4,
            alternatives=offered,
        )
    )
    titles = [pack.section(s).title for s in offered]
    assert asked.reply.text == phrasing.clarify(*titles)
    assert asked.reply.asks
    turn = c.say(answer)
    assert turn.reply.section == section_id, turn.reply.text
    first_fact = pack.section(section_id).facts[0].text
    assert first_fact in turn.reply.text


def test_clarification_then_something_else_is_answered(
    pack: Pack, chat: Callable[..., Chat]
) -> None:
    c = chat()
    _ambiguous(pack, c)
    turn = c.say("goodbye")
    assert turn.reply.end
    assert not turn.state.clarify


# --- Out of scope and not understood -------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what is the weather like today",
        "how do I fix my car",
        "how is breast cancer treated",
    ],
)
def test_out_of_scope(pack: Pack, chat: Callable[..., Chat], question: str) -> None:
    turn = chat().say(question)
    text = turn.reply.text.lower()
    assert turn.intent == "out_of_scope"
    if "cancer" in question:  # a health question: a doctor can help
        assert "do not have information" in text
        assert "best person to ask" in text
    else:  # the weather, a car: no doctor can help, only what allvoice can (issue 16)
        assert text.startswith("i can only help with questions about a l l:")
        assert "best person to ask" not in text
    for section in pack.sections:
        assert section.title.lower() in text


@pytest.mark.parametrize(
    "question", ["how is leukemia treated", "what medicine should I take", "is it contagious"]
)
def test_a_topic_the_page_does_not_cover(
    pack: Pack, chat: Callable[..., Chat], question: str
) -> None:
    """Named back, said plainly that the page does not cover it, who can help, the topics."""
    turn = chat().say(question)
    text = turn.reply.text.lower()
    assert turn.intent == "not_covered"
    assert text.startswith("you asked about") and "does not cover" in text
    assert "doctor" in text
    for section in pack.sections:
        assert section.title.lower() in text


def test_out_of_scope_built_by_hand(pack: Pack, chat: Callable[..., Chat]) -> None:
    turn = chat().apply(Understanding(heard="anything", intent="out_of_scope"))
    assert turn.reply.text == phrasing.out_of_scope([s.title for s in pack.sections])


def test_reprompts_get_longer_for_three_misses(pack: Pack, chat: Callable[..., Chat]) -> None:
    c = chat()
    misses = c.says("blorp", "zzzk", "flibber")
    assert [t.intent for t in misses] == ["unknown"] * 3
    lengths = [len(t.reply.text) for t in misses]
    assert lengths[0] < lengths[1] < lengths[2], lengths
    assert misses[2].state.misses == 3
    third = misses[2].reply.text.lower()
    assert "help" in third
    assert all(section.title.lower() in third for section in pack.sections)


def test_a_success_resets_the_reprompts(chat: Callable[..., Chat]) -> None:
    c = chat()
    first = c.say("blorp")
    c.say("zzzk")
    c.say("what is ALL")
    again = c.say("blorp")
    assert again.state.misses == 1
    assert again.reply.text == first.reply.text


# --- No diagnosis, ever --------------------------------------------------------------


def test_no_diagnostic_wording_for_any_paraphrase(pack: Pack, model: Model) -> None:
    found = []
    for row in PARAPHRASES:
        text = Conversation(pack, model).turn(row["text"]).reply.text
        if bad := diagnostic_wording(text):
            found.append((row["text"], bad))
    assert found == []


def test_no_diagnostic_wording_in_one_long_conversation(pack: Pack, model: Model) -> None:
    conversation = Conversation(pack, model, emergency_number="112")
    found = []
    lines = [r["text"] for r in PARAPHRASES + SYMPTOM_REPORTS + FOLLOWUP_ANSWERS]
    for line in lines:
        text = conversation.turn(line).reply.text
        if bad := diagnostic_wording(text):
            found.append((line, bad))
        if conversation.ended:
            conversation = Conversation(pack, model)
    assert found == []


def test_symptom_advice_always_says_not_a_diagnosis(chat: Callable[..., Chat]) -> None:
    for answers in (("a week", "yes"), ("a week", "no"), ("I'm not sure", "worse")):
        c = chat()
        turns = c.says("my son has a fever", *answers)
        assert all(NOT_A_DIAGNOSIS in t.reply.text.lower() for t in (turns[0], turns[-1]))


# --- About two weeks or more: the advice at once; the person named ----------------------


@pytest.mark.parametrize(
    "answer",
    [
        "about five weeks now",
        "a month",
        "five weeks",
        "for ages",
        "it's been ages",
        "since last summer",
        "over a fortnight",
        "about two weeks",
        "a couple of weeks",
        "for weeks",
        "more than a month",
        "for a long time",
    ],
)
def test_two_weeks_or_more_gives_the_advice_at_once(chat: Callable[..., Chat], answer: str) -> None:
    c = chat()
    c.say("my daughter's gums keep bleeding")
    advice = c.say(answer)
    text = advice.reply.text
    assert not asks_trend(text), "the trend question only helps for short durations"
    assert is_appointment_advice(text), text
    assert "two weeks or more" in text
    assert advice.intent == "report_symptoms"
    assert offers_summary(advice)
    assert advice.state.followup is None


@pytest.mark.parametrize(
    "answer", ["ten days", "a week", "a few days", "since yesterday", "since monday", "not sure"]
)
def test_short_or_unknown_durations_keep_the_trend_question(
    chat: Callable[..., Chat], answer: str
) -> None:
    c = chat()
    c.say("my daughter's gums keep bleeding")
    assert asks_trend(c.say(answer).reply.text)


def test_long_and_getting_better_still_gets_an_appointment(chat: Callable[..., Chat]) -> None:
    text = chat().say("my son has had a fever for a month but it's getting better").reply.text
    assert is_appointment_advice(text), text
    assert "good that they are getting better" in text


@pytest.mark.parametrize(
    ("report", "named", "doctor"),
    [
        ("my son has a fever", "your son's fever", "for your son with his doctor"),
        ("my daughter has bone pain", "your daughter's bone pain", "your daughter with her doctor"),
        ("my husband is pale", "your husband's pale skin", "your husband with his doctor"),
        ("our little girl has nosebleeds", "your girl's nosebleeds", "with her doctor"),
        ("I have a fever", "your fever", "make an appointment with your doctor."),
        ("he has a fever", "his fever", "make an appointment with his doctor."),
    ],
)
def test_the_replies_speak_of_the_person_named(
    chat: Callable[..., Chat], report: str, named: str, doctor: str
) -> None:
    c = chat()
    first = c.say(report).reply.text
    assert named in first, first
    advice = c.says("a month")[-1].reply.text
    assert doctor in advice, advice
    assert "your child" not in advice, "the person is known"


def test_when_no_one_is_named_the_advice_says_you_or_your_child(
    chat: Callable[..., Chat],
) -> None:
    advice = chat().says("fever and bone pain", "a month")[-1].reply.text
    assert "your doctor, or your child's doctor" in advice
    assert "If someone cannot breathe" in advice


def test_the_first_person_named_is_kept(chat: Callable[..., Chat]) -> None:
    c = chat()
    c.says("my son has a fever", "he also has bone pain")
    advice = c.say("a month").reply.text
    assert "your son with his doctor" in advice
