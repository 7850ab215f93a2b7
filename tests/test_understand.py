"""Understanding: the paraphrase set, symptoms, durations, trends, emergencies; the word
sets and negators it reads from allvoice/data."""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from allvoice.content.pack import load_pack
from allvoice.data import SIGNS, WORDS
from allvoice.errors import DataError
from allvoice.understanding import Model, build_model, understand, understand_heard
from allvoice.understanding.signs import load_signs
from allvoice.understanding.wordsets import RELATIONS, SETS, load_words

DATA = Path(__file__).parent / "data"
INTENTS = {
    "overview", "symptoms", "when_to_see_doctor", "causes", "risk_factors", "sources",
    "report_symptoms", "emergency", "urgent", "crisis", "help", "repeat", "more", "stop",
    "faster", "slower", "louder", "softer", "goodbye", "yes", "no", "not_covered",
    "out_of_scope", "unknown",
    "resume", "previous", "repeat_all", "read_all", "spell", "start_over",
    "topics", "summary", "save_summary",
    "item", "more_about", "count",
}  # fmt: skip


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def model() -> Model:
    return build_model(load_pack())


def test_paraphrase_set_reaches_the_target_accuracy(model: Model) -> None:
    rows = _rows("paraphrases.tsv")
    assert len(rows) >= 500
    wrong = [(r["text"], r["intent"], understand(r["text"], model).intent) for r in rows]
    wrong = [w for w in wrong if w[1] != w[2]]
    accuracy = 1 - len(wrong) / len(rows)
    confusions = Counter((expected, got) for _, expected, got in wrong).most_common(5)
    assert accuracy >= 0.95, f"accuracy {accuracy:.3f}; most confused: {confusions}"


def test_every_intent_is_a_known_id(model: Model) -> None:
    for row in _rows("paraphrases.tsv"):
        assert understand(row["text"], model).intent in INTENTS


def test_every_emergency_phrasing_is_an_emergency(model: Model) -> None:
    lines = [line for line in (DATA / "emergencies.txt").read_text().splitlines() if line]
    missed = [line for line in lines if understand(line, model).intent != "emergency"]
    assert len(lines) >= 50
    assert not missed


def test_symptoms_are_extracted_with_everyday_words(model: Model) -> None:
    rows = _rows("symptom_reports.tsv")
    wrong = []
    for row in rows:
        got = set(understand(row["text"], model).symptoms)
        if got != set(row["symptoms"].split(",")):
            wrong.append((row["text"], row["symptoms"], sorted(got)))
    assert len(wrong) <= len(rows) * 0.05, wrong


def test_durations_and_trends_are_read(model: Model) -> None:
    rows = _rows("symptom_reports.tsv") + _rows("followup_answers.tsv")
    wrong = []
    for row in rows:
        heard = understand(row["text"], model)
        days = heard.duration.days if heard.duration else None
        if row["duration_days"] and (days is None or abs(days - float(row["duration_days"])) > 1):
            wrong.append((row["text"], "days", row["duration_days"], days))
        if row["trend"] and heard.trend != row["trend"]:
            wrong.append((row["text"], "trend", row["trend"], heard.trend))
    assert len(wrong) <= len(rows) * 0.05, wrong


def test_followup_answers_yes_no_unsure(model: Model) -> None:
    rows = [row for row in _rows("followup_answers.tsv") if row["answer"]]
    wrong = [(r["text"], r["answer"], understand(r["text"], model).answer) for r in rows]
    assert [w for w in wrong if w[1] != w[2]] == []


@pytest.mark.parametrize(
    ("text", "intent", "fact"),
    [
        ("is it inherited", "causes", "not_inherited"),
        ("what does acute mean", "overview", None),
        ("what are the simptoms", "symptoms", None),
        ("what are the symptoms of a cute lymph a sitic leukemia", "symptoms", None),
        ("um so like when should i see a docter", "when_to_see_doctor", None),
        ("does down syndrome raise the risk", "risk_factors", None),
        ("where is this information from", "sources", None),
    ],
)
def test_questions_reach_their_section(
    model: Model, text: str, intent: str, fact: str | None
) -> None:
    heard = understand(text, model)
    assert heard.intent == intent
    if fact:
        assert heard.fact == fact


def test_a_report_with_duration_up_front(model: Model) -> None:
    heard = understand("I've had a fever for two weeks and it's getting worse", model)
    assert heard.intent == "report_symptoms"
    assert heard.symptoms == ("fever",)
    assert heard.duration is not None and heard.duration.days == 14
    assert heard.trend == "worse"


def test_absurd_durations_are_bounded(model: Model) -> None:
    for text in ("a fever for -5 weeks", "a fever for 99999999999 years"):
        heard = understand(text, model)
        assert heard.duration is not None and heard.duration.days is not None
        assert 0 <= heard.duration.days <= 36500


def test_since_a_weekday_is_a_duration_without_days(model: Model) -> None:
    heard = understand("my son has had a fever since monday", model)
    assert heard.duration is not None and heard.duration.text == "since monday"
    assert heard.duration.days is None


def test_nothing_and_nonsense_are_unknown(model: Model) -> None:
    for text in ("", "   ", "asdf qwer", "\x1b[31m", "🙂🙂"):
        assert understand(text, model).intent == "unknown"


def test_off_topic_questions_are_out_of_scope(model: Model) -> None:
    for text in ("tell me a joke", "what is the weather like", "how is diabetes treated"):
        assert understand(text, model).intent == "out_of_scope"


def test_a_remark_with_a_weak_cue_is_not_taken_for_a_question(model: Model) -> None:
    """Overheard speech ("because" is a cue of causes, "learning" of sources) is not
    answered; the same cue in a question still is, and so is a remark about the condition."""
    for text in (
        "the match was called off because of the rain",
        "my cousin is learning to speak french",
        "the train starts at nine so we must leave soon",
        "the shop closed early because the owner was away",
    ):
        assert understand(text, model).intent == "out_of_scope", text
    assert understand("why does leukemia start", model).intent == "causes"
    assert understand("did you get this from the internet", model).intent == "sources"
    assert understand("my aunt said leukemia starts in the bone marrow", model).intent != (
        "out_of_scope"
    )


def test_in_speech_a_remark_may_be_a_question_that_lost_its_first_word(model: Model) -> None:
    """A recognizer often drops or mishears the opening word ("did i do something to cause
    it" heard as "let i do something to cause it"): spoken, the cue is taken up."""
    heard = "let i do something to cause it"
    assert understand(heard, model).intent == "out_of_scope"
    assert understand_heard(heard, model).intent == "causes"


def test_questions_the_page_does_not_cover_are_not_covered(model: Model) -> None:
    for text in ("what is the survival rate", "what chemotherapy will she get"):
        assert understand(text, model).intent == "not_covered"


def test_asking_whether_it_is_an_emergency_is_not_treated_as_one(model: Model) -> None:
    """Only a statement that it is one: a question goes on to the follow-up or advice."""
    assert understand("is it an emergency if my son has a fever", model).intent == (
        "report_symptoms"
    )
    assert understand("when is it an emergency", model).intent != "emergency"


def test_all_in_everyday_phrases_does_not_make_a_report_a_question(model: Model) -> None:
    """ "tired all the time" is not A L L: a bare list of symptoms is still a report."""
    heard = understand("and tired all the time pale and catching every bug", model)
    assert heard.intent == "report_symptoms"
    assert understand("is all inherited", model).intent == "causes"


def test_a_question_starting_what_do_i_is_not_a_call_for_help(model: Model) -> None:
    assert understand("what do i call the pediatrician", model).intent == "when_to_see_doctor"
    assert understand("what do you know", model).intent == "help"


def test_stop_inside_a_question_is_not_the_stop_command(model: Model) -> None:
    for text in ("how do i stop the bleeding", "will the bleeding stop", "when will it stop"):
        assert understand(text, model).intent != "stop", text
    for text in ("stop", "can you stop", "could you please stop now", "stop talking please"):
        assert understand(text, model).intent == "stop", text


@pytest.mark.parametrize(
    ("text", "said", "at_least"),
    [
        ("about five weeks now", "five weeks", 35),
        ("for ages", "for ages", 30),
        ("it's been ages", "ages", 30),
        ("since last summer", "since last summer", 30),
        ("over a fortnight", "over a fortnight", 14),
        ("more than a month", "more than a month", 30),
        ("for weeks", "weeks", 14),
        ("a long time", "a long time", 30),
    ],
)
def test_long_durations_without_a_calendar(
    model: Model, text: str, said: str, at_least: float
) -> None:
    duration = understand(text, model).duration
    assert duration is not None and duration.text == said
    assert duration.days is not None and duration.days >= at_least


def test_ages_in_a_question_is_not_a_duration(model: Model) -> None:
    assert understand("what ages are most at risk", model).duration is None


@pytest.mark.parametrize(
    ("text", "who", "words"),
    [
        ("my daughter's gums keep bleeding", "daughter", ("gums keep bleeding",)),
        ("my little boy has aching legs", "boy", ("aching legs",)),
        ("I've had a fever", "self", ("fever",)),
        ("she is tired all the time", "she", ("tired all the time",)),
        ("fever and bone pain", None, ("bone pain", "fever")),
    ],
)
def test_who_and_the_words_each_sign_was_said_in(
    model: Model, text: str, who: str | None, words: tuple[str, ...]
) -> None:
    heard = understand(text, model)
    assert heard.who == who
    assert heard.symptom_words == words


# --- The word sets and the negators are data, behind the one loader ---------------------

WORD_SETS = tuple(tomllib.loads(WORDS.read_text(encoding="utf-8")))


def test_the_shipped_word_sets_load_as_the_ones_in_use() -> None:
    assert load_words(WORDS) == SETS
    assert {"son", "daughter", "child"} <= RELATIONS


@pytest.mark.parametrize("key", WORD_SETS)
def test_a_words_table_missing_a_set_names_the_file_and_the_set(tmp_path: Path, key: str) -> None:
    text = WORDS.read_text(encoding="utf-8")
    header = f"[{key}]" if f"\n[{key}]\n" in text else f"\n{key} ="
    assert text.count(header) == 1
    broken = tmp_path / "words.toml"
    broken.write_text(text.replace(header, header.replace(key, f"{key}_gone")), encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(str(broken))) as raised:
        load_words(broken)
    assert key in raised.value.problem


@pytest.mark.parametrize(
    ("line", "problem"),
    [('weekdays = "monday"', "list of words"), ('weekdays = ["Monday"]', "lower case")],
)
def test_a_word_set_that_is_not_lower_case_words_names_the_file_and_line(
    tmp_path: Path, line: str, problem: str
) -> None:
    text = WORDS.read_text(encoding="utf-8")
    start = text.index("\nweekdays = [") + 1
    end = text.index("]\n", start) + 1
    broken = tmp_path / "words.toml"
    broken.write_text(text[:start] + line + text[end:], encoding="utf-8")
    with pytest.raises(DataError, match=problem) as raised:
        load_words(broken)
    assert raised.value.path == str(broken)
    assert raised.value.line == text[:start].count("\n") + 1


def test_a_signs_table_without_its_negators_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "signs.toml"
    broken.write_text(SIGNS.read_text(encoding="utf-8").replace("\nnegators =", "\nnope ="))
    with pytest.raises(DataError, match=re.escape(str(broken))) as raised:
        load_signs(lambda text: tuple(text.split()), broken)
    assert "negators" in raised.value.problem


def test_a_sign_after_a_negator_does_not_count(model: Model) -> None:
    assert "without" in model.signs.negators
    assert understand("he has no bruises", model).other_signs == ()
    assert understand("he has bruises", model).other_signs == ("bruising",)


def test_normalized_words_are_kept_up_to_a_bound_and_are_the_same_words(
    model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the model normalizes the same phrases many times (the NCI packs made
    start-up take 2.9 s); the words are kept per language, at most ``NORMALIZED_KEPT``
    of them, so that a day of questions cannot grow it."""
    from dataclasses import replace

    from allvoice.understanding import language

    fresh = replace(model.language, normalized={})
    monkeypatch.setattr(language, "NORMALIZED_KEPT", 3)
    said = ["What's A.L.L.?", "uhm my son has a fever", "lymph a sitic leukemia", "is it bad"]
    first = [language.normalize(text, fresh) for text in said]
    assert len(fresh.normalized) == 3
    assert [language.normalize(text, fresh) for text in said] == first
    assert first == [language._normalized(text, fresh, language.MAX_INPUT_CHARS) for text in said]
    assert first[2] == ("lymphocytic", "leukemia")
