"""What allvoice says about someone's signs: the follow-up questions, the see-a-doctor
advice, the summary for the doctor, and the honest and kind replies ("do I have it?",
worry, guilt, support). Written for the ear, like ``phrasing.py``, which has the rest.
"""

from __future__ import annotations

from datetime import date

from allvoice.conversation.phrasing import join_words
from allvoice.conversation.safety_wording import DEFAULT_EMERGENCY, NOT_A_DIAGNOSIS
from allvoice.understanding.wordsets import HE, SHE


def _his(who: str) -> str:
    """The possessive for someone named: "his" for a son, "her" for a daughter."""
    return "his" if who in HE or who == "he" else "her" if who in SHE or who == "she" else "their"


def _whose(who: str | None) -> str:
    """ "the", "your", "your son's", "his": whose signs they are."""
    if who is None:
        return "the"
    if who == "self":
        return "your"
    return _his(who) if who in ("he", "she") else f"your {who}'s"


def _see_a_doctor(who: str | None) -> str:
    if who is None:
        return "make an appointment with your doctor, or your child's doctor"
    if who == "self":
        return "make an appointment with your doctor"
    if who in ("he", "she"):
        return f"make an appointment with {_his(who)} doctor"
    return f"make an appointment for your {who} with {_his(who)} doctor"


def _someone(who: str | None) -> str:
    if who in (None, "self"):
        return "someone"
    return who if who in ("he", "she") else f"your {who}"


def symptoms_heard(names: list[str], who: str | None = None, flu_like: bool = True) -> str:
    """``who``: whom the signs are about; ``flu_like`` is false when only everyday signs
    outside the pack's list were named (bruising, weight loss), for which the flu is no
    likely cause to mention."""
    causes = ", and the flu is a common one" if flu_like else ""
    return (
        f"I am sorry to hear about {_whose(who)} {join_words(names)}. "
        f"Signs like these have many possible causes{causes}. {NOT_A_DIAGNOSIS}"
    )


def temperature_noted(reading: str) -> str:
    """A temperature said back as it was given ("101.5 degrees Fahrenheit")."""
    return f"I have noted the temperature: {reading}."


def sign_name(sign_id: str) -> str:
    """How an everyday sign of data/signs.toml is said: its id with spaces ("a lump")."""
    return sign_id.replace("_", " ")


ASK_DURATION = "How long has this been going on?"
ASK_TREND = "Are the signs getting better? Please say yes or no."


def open_question(asking: str) -> str:
    """The follow-up question waiting: "duration" or "trend"."""
    return ASK_DURATION if asking == "duration" else ASK_TREND


REASK_DURATION = "Roughly how long has it been? For example, two days, or three weeks."
REASK_TREND = "Are they getting better, getting worse, or staying the same?"


def advice(
    trend: str | None,
    duration: str | None,
    number: str,
    who: str | None = None,
    lasting: bool = False,
) -> str:
    """See-a-doctor advice after the follow-up questions; never a diagnosis. ``lasting``:
    the signs have gone on for about two weeks or more; ``who``: whom they are about."""
    going = "going on " if duration and duration.split()[0] in ("for", "since") else ""
    said = f"You said it has been {going}{duration}. " if duration else ""
    see = _see_a_doctor(who)
    if trend == "better" and not lasting:
        body = (
            "Signs like the flu usually get better with time, and it is good that these are. "
            "If they do not get better the way you would expect, or they keep coming back, "
            f"{see}."
        )
    elif trend == "better":
        body = (
            "It is good that they are getting better, but signs that go on for two weeks or "
            f"more should be checked. Please {see}. A doctor can check what is causing them."
        )
    else:
        reason = {
            "worse": "Because they are getting worse",
            "same": "Because they are not getting better",
            None: "Because you are not sure how they are going",
        }[trend if trend in ("worse", "same") else None]
        if lasting and trend != "worse":
            reason = "Because they have gone on for two weeks or more"
        body = f"{reason}, please {see}. A doctor can check what is causing them."
    urgent = (
        f"If {_someone(who)} cannot breathe, will not wake up, or is bleeding and it will not "
        f"stop, call {number or DEFAULT_EMERGENCY} right away."
    )
    return f"{said}{body} {NOT_A_DIAGNOSIS} {urgent}"


OFFER_SUMMARY = "Would you like a short summary to tell the doctor?"
SUMMARY_OPENING = "Here is a short summary to tell the doctor, in your words."
SUMMARY_CLOSING = "Tell the doctor when each one started."
SUMMARY_WHO = "About"
SUMMARY_SIGNS = "Signs"
SUMMARY_SINCE = "How long"
SUMMARY_TREND = "Better or worse"
SUMMARY_OTHER = "You also said"
NO_SUMMARY_YET = (
    "You have not told me about any signs yet. Tell me what you have noticed, "
    "and I can give you a short summary to tell the doctor."
)
CANNOT_SAVE = "I cannot save a file here. Say summary, and I will read it to you."
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def summary_changed(said: str) -> str:
    return f"I have changed that in the summary for the doctor: {said}."


def removed(words: str) -> str:
    return f"I have taken {words} out of the summary for the doctor."


SUMMARY_CLEARED = (
    "I have cleared the summary for the doctor. Tell me about the signs again whenever you "
    "are ready."
)
NOTHING_TO_REMOVE = "There is nothing in the summary for the doctor to take out yet."
SUMMARY_FOR = "For"
SUMMARY_AGE = "Age"
SUMMARY_TEMPERATURE = "Temperature"
SUMMARY_CHEMO = "Chemotherapy"


def sign_course(words: str, duration: str | None, trend: str | None) -> str:
    """One sign for the ear: "gums keep bleeding, for a month, getting worse"."""
    parts = [words]
    if duration:
        parts.append(duration if duration.split()[0] in ("since", "for") else f"for {duration}")
    if trend:
        parts.append(trend_said(trend))
    return ", ".join(parts)


def noted(heard: str) -> str:
    return f"I have added that to the summary for the doctor: {heard}."


def who_said(who: str | None) -> str:
    """Whom the summary is about, as the user would tell the doctor: "my son", "me"."""
    if who is None:
        return ""
    return {"self": "me", "he": "him", "she": "her"}.get(who, f"my {who}")


def trend_said(trend: str | None) -> str:
    return {
        "better": "getting better",
        "worse": "getting worse",
        "same": "not getting better",
        "unsure": "not sure",
    }.get(trend or "", "")


def summary_heading(day: date) -> str:
    return f"Summary for the doctor, from allvoice, {day.day} {_MONTHS[day.month - 1]} {day.year}"


def summary_saved(chosen_file: bool) -> str:
    where = (
        "in the file you chose"
        if chosen_file
        else "in your home folder, in a file named allvoice summary and today's date"
    )
    return f"I saved the summary {where}. Only you can read it."


def summary_not_saved(reason: str) -> str:
    return f"I could not save the summary: {reason}. Say summary, and I will read it to you."


def cannot_diagnose(condition: str, who: str | None) -> str:
    """ "Do I have it?": allvoice cannot tell, and who can."""
    whom = {None: "someone", "self": "you", "he": "he", "she": "she"}.get(who, f"your {who}")
    has = "have" if whom == "you" else "has"
    return (
        f"I cannot tell whether {whom} {has} {condition}, and no one can from signs alone. "
        "Only a doctor, with blood tests, can find out."
    )


def tell_me_signs(who: str | None) -> str:
    """Something told about someone that names no sign ("my baby has been grizzly")."""
    whom = f"your {who}" if who else "them"
    return (
        f"I am sorry {whom} is not themselves. Tell me the signs you have noticed, for "
        "example a fever, tiredness, bruises, or pain, and how long they have gone on."
    )


def diagnosed(who: str | None, topics: list[str], condition: str) -> str:
    """A diagnosis told ("my son was just diagnosed"): sorry, what allvoice can go
    through (``topics``, what the content answers), and what they would like to know."""
    whose = {None: "the", "self": "your", "he": "his", "she": "her"}.get(who, f"your {who}'s")
    return (
        f"I am sorry to hear about {whose} diagnosis. I can go through {condition} with you, "
        f"one thing at a time: {join_words(topics, 'and')}. What would you like to know first?"
    )


OFFER_SIGNS = "Would you like to go through the signs you have noticed?"
WHICH_SIGNS = (
    "Tell me the signs you have noticed, one or more, for example tiredness, bruises, or a fever."
)
WORRY = "It is natural to feel worried, and I am sorry you are going through this."
WORRY_SHORT = "It is natural to feel worried."
WORRY_INVITE = (
    "You can ask me anything about {condition}, or tell me the signs you have noticed, and "
    "we will go through them together."
)
NOT_YOUR_FAULT = (
    "It is not your fault. Doctors do not know what causes the changes in the D N A that "
    "lead to {condition}, and nothing a parent did, or fed a child, is known to cause it."
)


def support(adult: bool | None) -> str:
    """Where to find support: the care team, which includes a social worker and a
    psychologist (the National Cancer Institute's summary of childhood A L L names them)."""
    team = "the care team"
    if adult is not None:
        team = "your care team" if adult else "your child's care team"
    return (
        f"You do not have to face this alone. Start with {team}: besides the doctors and "
        "nurses, it has people who help with everything else, such as a social worker and "
        "a psychologist. Ask any of the team to put you in touch with them."
    )
