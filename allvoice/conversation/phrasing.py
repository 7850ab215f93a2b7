"""Everything the assistant says that is not content, in one place.

Written for the ear: short sentences, no symbols, numbers as words where they are read.
Review, translate or read aloud this module to check the assistant's voice.
"""

from __future__ import annotations

from datetime import date

from allvoice.conversation.safety_wording import DEFAULT_EMERGENCY, NOT_A_DIAGNOSIS
from allvoice.understanding.numbers import number_words
from allvoice.understanding.wordsets import HE, SHE

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


def back_to_symptoms(question: str) -> str:
    return f"About the signs you told me of: {question}"


def clarify(first: str, second: str) -> str:
    return f"Did you mean {first}, or {second}?"


def confirm_topic(title: str) -> str:
    return f"I am not sure I heard you right. Did you ask about {title}? Say yes, or ask again."


CLARIFY_AGAIN = "Sorry, which one did you mean? You can say the first one or the second one."


def out_of_scope(topics: list[str], condition: str = "", off_topic: bool = False) -> str:
    """A question the content does not cover: a health question is sent to a doctor; one
    ``off_topic`` (the weather, a recipe) is told plainly what allvoice helps with."""
    if off_topic:
        return f"I can only help with questions about {condition}: {join_words(topics)}."
    return (
        "I am sorry, I do not have information about that, and I do not want to guess. "
        "A doctor is the best person to ask. "
        f"I can tell you about {join_words(topics, 'or')}."
    )


def not_covered(
    topic: str,
    condition: str,
    topics: list[str],
    related: str | None = None,
    adult: bool | None = None,
) -> str:
    """A question about an aspect the content does not cover: name it, say so, say who
    can help, and what allvoice can tell; with ``related``, the one fact it does have.
    ``adult``: the person talked of is an adult (True), a child (False), or not known."""
    said = f"What it does say is this: {related} " if related else ""
    return (
        f"You asked about {topic}. The information I have on {condition} does not cover "
        f"that, and I do not want to guess. {said}{_who_can_answer(adult)} can answer it. "
        f"I can tell you about {join_words(topics, 'or')}."
    )


def not_covered_again(topic: str, related: str | None = None, adult: bool | None = None) -> str:
    """``not_covered``, short, for the second and later times in a conversation."""
    said = f" What it does say is this: {related}" if related else ""
    team = "Your care team" if adult is None else _who_can_answer(adult)
    return f"I do not have information on {topic} either.{said} {team} can answer it."


def _who_can_answer(adult: bool | None) -> str:
    if adult is None:
        return "Your doctor, or your child's care team,"
    return "Your doctor, or your care team," if adult else "Your child's doctor, or care team,"


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


OFFER_SIGNS = "Would you like to go through the signs you have noticed?"
WHICH_SIGNS = (
    "Tell me the signs you have noticed, one or more, for example tiredness, bruises, or a fever."
)
WORRY = "It is natural to feel worried, and I am sorry you are going through this."
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


# --- Talking about the list just read (conversation/listing.py) ---------------------


def no_list_yet(list_title: str | None) -> str:
    """Asked for an item, or how many, before any list was read."""
    ask = f" Ask for the {list_title} to hear them." if list_title else ""
    return f"I have not read a list yet.{ask}"


def list_item(position: int, text: str) -> str:
    """One item of a list, said with its place in the list."""
    return f"Number {number_words(position)}: {text}"


def only_so_many(count: int, title: str, in_part: bool) -> str:
    """An item asked for by a place the list (or the part just read) does not have."""
    if in_part:
        words = number_words(count)
        return f"That part had {words}. Say which one, from one to {words}."
    return f"There are only {number_words(count)} {title} in the list."


def items_counted(total: int, title: str, read: int) -> str:
    """How many items the list has, and how many were read."""
    counted = f"There are {number_words(total)} {title} in the list."
    if read >= total:
        return f"{counted} I have read them all."
    return f"{counted} I have read {number_words(read)}." if read else counted


def all_on_item(text: str) -> str:
    """More asked about an item already read in full."""
    return f"That is all the information I have on it: {text}"


def nothing_more_on(name: str) -> str:
    """More asked about a sign the information does not name."""
    return f"The information I have says nothing more about {name}."
