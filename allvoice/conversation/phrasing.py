"""Everything the assistant says that is not content, in one place.

Written for the ear: short sentences, no symbols, numbers as words where they are read.
Review, translate or read aloud this module to check the assistant's voice.
"""

from __future__ import annotations

from allvoice.conversation.safety_wording import NOT_A_DIAGNOSIS
from allvoice.understanding.numbers import number_words

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


ASK_AUDIENCE = (
    "The answer is different for children and for adults. Is this about a child, or an adult?"
)


def answering_for(adult: bool) -> str:
    """Whom the answers are for, said with nothing asked: taken, and the question invited."""
    whom = "an adult" if adult else "a child"
    return f"Thank you. I will answer for {whom}. What would you like to know?"


def attributed(attribution: str, text: str) -> str:
    """An answer from another source than the first, naming it once."""
    return f"{attribution} says: {text}"
