"""Everything the assistant says that is not content, in one place.

Written for the ear: short sentences, no symbols, numbers as words where they are read.
Review, translate or read aloud this module to check the assistant's voice.
"""

from __future__ import annotations

from datetime import date

from allvoice.understanding.numbers import number_words
from allvoice.understanding.wordsets import HE, SHE

DEFAULT_EMERGENCY = "your local emergency number"
EMERGENCY_EXAMPLES = "9 1 1 in the United States, or 1 1 2 in Europe"
NOT_A_DIAGNOSIS = "This is general information, not a diagnosis."
CUE_MORE = "Say more to go on, or ask something else."


def join_words(items: list[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b, and c'."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {last} {items[1]}"
    return ", ".join(items[:-1]) + f", {last} {items[-1]}"


def welcome(condition: str, brief: bool = False) -> str:
    if brief:
        return "allvoice is ready. Say help at any time."
    return (
        f"Hello, this is allvoice. I answer questions about {condition}. "
        f"{NOT_A_DIAGNOSIS} Say help at any time."
    )


def emergency(
    number: str, reason: str = "", crisis_line: str | None = None, if_cannot: bool = False
) -> str:
    """Call the emergency number now; ``reason`` is a triage rule id (TRIAGE_REASONS);
    ``crisis_line`` is given when thoughts of suicide or self-harm were spoken of too;
    ``if_cannot`` when it was found by hearing "can" as "cannot" (``triage.assess_as_cannot``)."""
    who = _emergency_number(number)
    if reason == "fever_during_treatment":
        text = (
            f"This could be an emergency. {TRIAGE_REASONS[reason]} Call the treatment "
            f"team's 24-hour line now, or call {who} straight away. Do not wait to see if it "
            "goes down."
        )
    else:
        why = TRIAGE_REASONS.get(reason, "")
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


def urgent(reason: str, number: str) -> str:
    """Get medical help today, with the reason said."""
    who = number or DEFAULT_EMERGENCY
    return (
        f"{TRIAGE_REASONS.get(reason, URGENT_REASON).format(number=who)} Please call your "
        "doctor, or an out-of-hours service, now, and say what you told me. For someone in "
        "cancer treatment, call the treatment team. If things get worse, or you are very "
        f"worried, call {who}. {NOT_A_DIAGNOSIS}"
    )


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


def symptoms_heard(names: list[str], who: str | None = None, flu_like: bool = True) -> str:
    """``who``: whom the signs are about; ``flu_like`` is false when only everyday signs
    outside the pack's list were named (bruising, weight loss), for which the flu is no
    likely cause to mention."""
    causes = ", and the flu is a common one" if flu_like else ""
    return (
        f"I am sorry to hear about {_whose(who)} {join_words(names)}. "
        f"Signs like these have many possible causes{causes}. {NOT_A_DIAGNOSIS}"
    )


def sign_name(sign_id: str) -> str:
    """How an everyday sign of data/signs.toml is said: its id with spaces ("a lump")."""
    return sign_id.replace("_", " ")


ASK_DURATION = "How long has this been going on?"
ASK_TREND = "Are the signs getting better? Please say yes or no."
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


def back_to_symptoms(question: str) -> str:
    return f"About the signs you told me of: {question}"


def clarify(first: str, second: str) -> str:
    return f"Did you mean {first}, or {second}?"


def confirm_topic(title: str) -> str:
    return f"I am not sure I heard you right. Did you ask about {title}? Say yes, or ask again."


CLARIFY_AGAIN = "Sorry, which one did you mean? You can say the first one or the second one."


def out_of_scope(topics: list[str]) -> str:
    return (
        "I am sorry, I do not have information about that, and I do not want to guess. "
        "A doctor is the best person to ask. "
        f"I can tell you about {join_words(topics, 'or')}."
    )


def not_covered(topic: str, condition: str, topics: list[str], related: str | None = None) -> str:
    """A question about an aspect the content does not cover: name it, say so, say who
    can help, and what allvoice can tell; with ``related``, the one fact it does have."""
    said = f"What it does say is this: {related} " if related else ""
    return (
        f"You asked about {topic}. The information I have on {condition} does not cover "
        f"that, and I do not want to guess. {said}Your doctor, or your child's care team, "
        f"can answer it. I can tell you about {join_words(topics, 'or')}."
    )


_NO_ECHO = ("you", "probably", "nothing", "not cancer", "leukemia", "cancer", "diagnos")


def not_understood(misses: int, heard: str, topics: list[str]) -> str:
    """Tapered reprompts: each miss in a row gives more help. What was heard is said back,
    short, unless it has words that would sound like a verdict in the assistant's voice."""
    words = heard.split()
    safe = heard and not any(marker in heard for marker in _NO_ECHO)
    echo = f"I heard: {' '.join(words[:8])}. " if safe else ""
    if misses <= 1:
        return f"{echo}Sorry, I did not catch that. Could you say it another way?"
    if misses == 2:
        return (
            f"{echo}Sorry, I still did not get that. You could ask, for example, "
            "what are the symptoms, or, is it inherited."
        )
    return (
        f"{echo}I am having trouble understanding. I can tell you about "
        f"{join_words(topics, 'or')}. You can also type your question instead. "
        "Say help to hear what you can say."
    )


def greeting(condition: str, topics: list[str]) -> str:
    """The answer to hello: what allvoice knows about, and how to ask."""
    return f"Hello. I answer questions about {condition}. {topics_sentence(topics)}"


THANKS = "You are welcome. Ask me something else, or say goodbye when you are done."


def topics_sentence(topics: list[str]) -> str:
    """All the topics in one short sentence."""
    return f"You can ask about {join_words(topics, 'or')}."


HELP_AGAIN = "Say help again to hear what else you can say."
CONTROLS = (
    "While I read, you can say more, repeat, stop, previous, repeat everything, or read "
    "everything. You can also say faster, slower, louder, softer, spell and then a word, "
    "start over, or goodbye. After you tell me about signs, say summary for a short summary "
    "to tell the doctor."
)


def help_pages(topics: list[str]) -> list[str]:
    """Help: all the topics, and how to hear the controls; then the controls."""
    return [f"{topics_sentence(topics)} {HELP_AGAIN}", CONTROLS]


HELP_DONE = "That is all the help. Ask me a question whenever you are ready."
NOTHING_BEFORE = "There is nothing before this. Ask me a question, or say help."
PREVIOUS_PART = "The part before:"
FIRST_PART = "That was the first part:"
END_OF_EVERYTHING = "That is everything I have."
STARTING_OVER = "Starting over. What would you like to know? Say help to hear the topics."


def part_heading(number: int, title: str) -> str:
    return f"Part {number_words(number)}: {title}."


def spelled(word: str) -> str:
    """ "lymphocytic" -> "Lymphocytic is spelled: L, Y, M, ..." """
    letters = [char.upper() for char in word if char.isalnum()]
    if not letters:
        return "Which word should I spell? Say spell, and then the word."
    return f"{word.capitalize()} is spelled: {', '.join(letters)}."


def help_followup(question: str) -> str:
    return (
        f"I asked: {question} You can answer with a time, like three days, "
        "or say whether the signs are getting better. You can also ask me something else."
    )


def list_chunk(intro: str | None, items: list[str], remaining: int) -> str:
    head = f"{intro} " if intro else ""
    more = "" if intro else " more"
    number = "is one" if len(items) == 1 else f"are {number_words(len(items))}"
    count = f"Here {number}{more}"
    body = f"{head}{count}: {' '.join(items)}"
    return f"{body} {CUE_MORE}" if remaining else body


def prose_chunk(texts: list[str], remaining: int) -> str:
    body = " ".join(texts)
    return f"{body} {CUE_MORE}" if remaining else body


def section_finished(title: str, next_title: str | None) -> str:
    suggestion = f" You could ask about {next_title} next." if next_title else ""
    return f"That is all I have on {title}.{suggestion}"


NOTHING_TO_REPEAT = "I have not said anything yet. Ask me a question, or say help."
NOTHING_MORE = "There is nothing more to read right now. Ask me a question, or say help."
STOPPED = "Stopped."
OKAY_WHAT_ELSE = "Okay. What else would you like to know?"
GOODBYE = "Goodbye. Take care."
CUT_INPUT = "That was very long, so I only read the start of it."


def rate_changed(direction: str, rate: int, at_limit: bool) -> str:
    words = number_words(rate)
    if at_limit:
        return f"That is as {direction} as I can speak: {words} words a minute."
    return f"Speaking {direction}er: {words} words a minute."


def volume_changed(direction: str, volume: float, at_limit: bool) -> str:
    percent = number_words(round(volume * 100))
    if at_limit:
        word = "loud" if direction == "louder" else "soft"
        return f"That is as {word} as I can go: volume {percent} percent."
    return f"Speaking {direction}: volume {percent} percent."
