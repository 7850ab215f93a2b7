"""What allvoice says when something may be urgent: the emergency, urgent and crisis
replies, and the reason said for each triage rule of data/triage.toml.

Written for the ear, like phrasing.py; the guidance each rule follows is named beside the
rule in data/triage.toml. Temperatures are written in Celsius, "38 degrees", and said in
Fahrenheit to someone who gave theirs in Fahrenheit (``in_unit``).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from allvoice.data import SAFETY, read_table, require

DEFAULT_EMERGENCY = "your local emergency number"
EMERGENCY_EXAMPLES = "9 1 1 in the United States, or 1 1 2 in Europe"
NOT_A_DIAGNOSIS = "This is general information, not a diagnosis."


def emergency(
    number: str,
    reason: str = "",
    crisis_line: str | None = None,
    if_cannot: bool = False,
    unit: str | None = None,
) -> str:
    """Call the emergency number now; ``reason`` is a triage rule id (TRIAGE_REASONS);
    ``crisis_line`` is given when thoughts of suicide or self-harm were spoken of too;
    ``if_cannot`` when it was found by hearing "can" as "cannot" (``triage.assess_as_cannot``);
    ``unit`` is the one the person gave a temperature in ("C" or "F")."""
    who = _emergency_number(number)
    why = in_unit(TRIAGE_REASONS.get(reason, ""), unit)
    if reason == "fever_during_treatment":
        text = (
            f"This could be an emergency. {why} Call the treatment "
            f"team's 24-hour line now, or call {who} straight away. Do not wait to see if it "
            "goes down."
        )
    else:
        text = (
            f"This could be an emergency. {why}{' ' if why else ''}Call {who} now, or have "
            "someone call for you. Do not wait to see if it gets better."
        )
    if crisis_line is not None:
        text += f" {_crisis_line_too(crisis_line)}"
    if if_cannot:
        text = f"{IF_CANNOT} {text[0].lower()}{text[1:]}"
    return text


IF_CANNOT = "I heard can, but if you said cannot,"


def urgent(reason: str, number: str, unit: str | None = None) -> str:
    """Get medical help today, with the reason said, its temperatures in ``unit``."""
    who = number or DEFAULT_EMERGENCY
    why = in_unit(TRIAGE_REASONS.get(reason, URGENT_REASON), unit)
    return (
        f"{why.format(number=who)} Please call your doctor, or an out-of-hours service, now, "
        "and say what you told me. For someone in cancer treatment, call the treatment team. "
        f"If things get worse, or you are very worried, call {who}. {NOT_A_DIAGNOSIS}"
    )


_DEGREES = re.compile(r"\b(\d+(?:\.\d)?) degrees\b")


def in_unit(text: str, unit: str | None) -> str:
    """``text`` with each temperature, written in Celsius ("38 degrees"), said in
    Fahrenheit when ``unit`` is "F": "100.4 degrees Fahrenheit". Digits, because
    espeak-ng reads "100.4" as "one hundred point four"."""
    if unit != "F":
        return text
    return _DEGREES.sub(lambda said: f"{fahrenheit(float(said[1]))} degrees Fahrenheit", text)


def fahrenheit(celsius: float) -> str:
    """``celsius`` in Fahrenheit, to a tenth, as digits: 38 is "100.4", 40 is "104"."""
    return f"{celsius * 9 / 5 + 32:.1f}".removesuffix(".0")


DEFAULT_CRISIS_LINE = "a crisis line"
CRISIS_EXAMPLES = "9 8 8 in the United States, or 1 1 6, 1 2 3 in the UK and Ireland"


def _emergency_number(number: str) -> str:
    """The number set, or the default wording with examples, to say after "call"."""
    return number or f"{DEFAULT_EMERGENCY}, such as {EMERGENCY_EXAMPLES},"


def _crisis_line(line: str) -> str:
    """The crisis line set, or the default wording with examples."""
    return line or f"{DEFAULT_CRISIS_LINE}, such as {CRISIS_EXAMPLES},"


def crisis(line: str, number: str) -> str:
    """Thoughts of suicide or self-harm, one's own or someone else's: calm, and where help is."""
    helpline = _crisis_line(line)
    who = _emergency_number(number)
    return (
        "I am really sorry you are going through this. You are not alone, and help is there "
        "right now. "
        f"Please call {helpline} now. They are there to listen, any time, day or night. "
        f"If you, or someone else, might act on these thoughts, or is in danger now, call "
        f"{who} right away. Please do not stay alone with this: be with someone you trust, "
        "and if it is someone else who is at risk, stay with them."
    )


def _crisis_line_too(line: str) -> str:
    helpline = _crisis_line(line)
    return f"Please do not stay alone with this. After that, {helpline} is there to listen."


URGENT_REASON = "This should be checked by a doctor today."

TRIAGE_REASONS: dict[str, str] = {
    # emergency: said after "This could be an emergency."; empty for the plain wording
    "calls_for_help": "",
    "not_breathing": "",
    "heavy_bleeding": "",
    "bleeding_will_not_stop": "",
    "unconscious": "",
    "chest_pain": "",
    "blue_lips": "",
    "no_signs_of_life": "",
    "seizure": "",
    "coughing_blood": "Coughing up blood needs a doctor straight away.",
    "vomiting_blood": "Being sick with blood in it needs a doctor straight away.",
    "black_stool": "Black poo, like tar, can be a sign of bleeding inside.",
    "non_blanching_rash": (
        "Spots or a rash that do not fade when pressed can be a sign of a serious infection."
    ),
    "stroke": (
        "A face that droops, an arm that is weak, or speech that is slurred or muddled can be "
        "signs of a stroke. Note the time it started."
    ),
    "sudden_confusion": "Sudden confusion needs a doctor straight away.",
    "worst_headache": "A sudden, very bad headache needs a doctor straight away.",
    "meningitis_signs": (
        "A stiff neck, or light hurting the eyes, with a fever or a headache, can be a sign of "
        "a serious infection."
    ),
    "baby_danger_signs": "A baby with a bulging soft spot or an unusual cry needs help now.",
    "severe_pain": "Sudden, very severe pain needs a doctor straight away.",
    "poisoning": (
        "Something harmful swallowed, or too much medicine, needs help now, even if they seem "
        "well. Keep the packet to show."
    ),
    "serious_injury": "A serious injury needs help now.",
    "allergic_reaction": (
        "Swelling of the lips, tongue or throat can be a serious allergic reaction."
    ),
    "sepsis_signs": "These can be signs of sepsis, a serious reaction to an infection.",
    "fever_during_treatment": (
        "A fever during cancer treatment can be a sign of a serious infection, and needs help "
        "straight away, day or night."
    ),
    "suicidal_thoughts": "",  # the crisis reply says it all
    "self_harm_attempt": "Someone who has hurt themselves, or taken too much, needs help now.",
    # urgent: the reason, said first; {number} is the emergency number
    "baby_fever": (
        "A baby under three months with a temperature of 38 degrees or more needs to be seen "
        "by a doctor today, because infections are harder to spot and can get serious quickly "
        "at that age."
    ),
    "infant_high_fever": (
        "A baby of three to six months with a temperature of 39 degrees or more needs to be "
        "seen by a doctor today."
    ),
    "very_high_fever": "A temperature of 40 degrees or more needs to be checked by a doctor today.",
    "fever_with_rash": (
        "A fever with a rash needs to be checked by a doctor today. Press the side of a clear "
        "glass on the rash: if the spots do not fade, call {number} now."
    ),
    "petechiae": (
        "Tiny red or purple spots that come for no clear reason need to be checked by a doctor "
        "today. If they do not fade when pressed, and someone is unwell, call {number} now."
    ),
    "blood_in_urine": "Blood in the urine needs to be checked by a doctor today.",
    "blood_in_stool": (
        "Blood in the poo needs to be checked by a doctor today. If there is a lot of it, or it "
        "will not stop, call {number} now."
    ),
    "severe_pain_today": "Severe pain needs to be checked by a doctor today.",
    "head_injury": (
        "A knock to the head needs to be checked today, more so during cancer treatment. If "
        "they are very sleepy, confused, or being sick, call {number} now."
    ),
    "dehydration": (
        "Not drinking, or not passing urine, can mean they are getting dehydrated, and needs to "
        "be checked by a doctor today."
    ),
    "jaundice": "Yellow skin or eyes need to be checked by a doctor today.",
    "headache_with_fever": "A bad headache with a fever needs to be checked by a doctor today.",
    "fever_not_settling": (
        "A fever that will not come down needs to be checked by a doctor today."
    ),
    "fever_and_drowsy": (
        "A fever with someone very drowsy or not their usual self needs to be checked by a "
        "doctor today. If you cannot wake them, call {number} now."
    ),
    "cold_and_unwell": ("Cold hands and feet with a fever need to be checked by a doctor today."),
}
"""What is said for each triage rule id of data/triage.toml."""


# What is said in a safety mode, from data/safety.toml (the guidance it follows is named
# there): read once, checked when first used.


@functools.cache
def _modes() -> dict[str, Any]:
    data = read_table(SAFETY)
    for level in ("emergency", "crisis", "urgent", "checks"):
        require(data, level, SAFETY)
    return data


def _call(number: str, reason: str) -> str:
    """What to call now: the treatment team for a fever during treatment, else the number."""
    who = _emergency_number(number)
    if reason == "fever_during_treatment":
        return f"the treatment team's 24-hour line, or {who}"
    return who


def _fill(text: str, number: str, line: str, reason: str, **more: str) -> str:
    filled = text.format(
        number=_emergency_number(number), line=_crisis_line(line), call=_call(number, reason),
        **more,
    )  # fmt: skip
    return _DOUBLED.sub("", filled)  # "Europe,." after the default wording: "Europe."


_DOUBLED = re.compile(r",(?=[.,;:])")


def in_mode(level: str, key: str, number: str, line: str, reason: str = "") -> str | None:
    """The sentence for ``key`` (number, wait, meanwhile, serious, report, question, thanks,
    moved_on, hopeless, helping, self) in the ``level`` mode; None where there is none. The
    emergency steps for the reason follow the general ones."""
    text = _modes()[level].get(key)
    if not isinstance(text, str):
        return None
    if level == "emergency" and key == "meanwhile":
        extra = _modes()["emergency"].get("steps", {}).get(reason)
        text = f"{text} {extra}" if extra else text
    return _fill(text, number, line, reason)


def check_after(reason: str) -> str | None:
    """The safety question asked after the reply for ``reason``, if any (the glass test)."""
    checks: dict[str, Any] = _modes()["checks"]
    return next((name for name, check in checks.items() if reason in check.get("after", ())), None)


def check_field(name: str, key: str) -> str:
    """A field of the safety question ``name``: ask, ask_self, if_no, reassure."""
    value = _modes()["checks"][name].get(key, "")
    return value if isinstance(value, str) else ""


def check_question(name: str, whom: str) -> str:
    """The safety question, about ``whom`` ("you", "your son", "he")."""
    if whom == "you" and check_field(name, "ask_self"):
        return check_field(name, "ask_self")
    return check_field(name, "ask").format(whom=whom)


def check_reassured(name: str, number: str, whom: str) -> str:
    """What is said when the answer to the safety question is the reassuring one."""
    pronoun = whom if whom in ("you", "he", "she") else "they"
    return _fill(check_field(name, "reassure"), number, "", "", who=pronoun)
