"""The conversation sets (tests/data/conversations*.txt), one test per conversation.

Both sets were written before the conversation rules, by people who had not read them;
``benchmarks/conversations.py`` reads and checks them, and prints the pass rates. A
conversation known to fail says why on a ``## known:`` line, and is an expected failure
that must keep failing (strict), so that fixing it shows up."""

from __future__ import annotations

from pathlib import Path

import pytest

from allvoice.content.pack import Pack
from allvoice.understanding import Model
from benchmarks.conversations import SETS, Dialog, check, facts_of, play, read_set

DIALOGS = [dialog for path in SETS.values() for dialog in read_set(path)]


def _param(dialog: Dialog) -> object:
    marks = [pytest.mark.xfail(reason=dialog.known, strict=True)] if dialog.known else []
    return pytest.param(dialog, id=dialog.id, marks=marks)


@pytest.mark.parametrize("dialog", [_param(dialog) for dialog in DIALOGS])
def test_conversation(dialog: Dialog, library: Pack, library_model: Model) -> None:
    failures = play(dialog, library, library_model, facts_of(library))
    assert not failures, "\n".join(failures)


def test_the_sets_are_big_enough_and_mostly_pass() -> None:
    """At least 200 conversations; no more than one in twenty known to fail."""
    assert len(DIALOGS) >= 200
    assert len({dialog.id for dialog in DIALOGS}) == len(DIALOGS), "ids are unique"
    known = [dialog.id for dialog in DIALOGS if dialog.known]
    assert len(known) <= len(DIALOGS) // 20, known


def test_an_unknown_check_is_refused(tmp_path: Path, pack: Pack, model: Model) -> None:
    broken = tmp_path / "set.txt"
    broken.write_text("## id: x\n> hello\n? sounds_nice\n", encoding="utf-8")
    (dialog,) = read_set(broken)
    with pytest.raises(ValueError, match="sounds_nice"):
        play(dialog, pack, model, facts_of(pack))


def test_the_checks_can_fail(pack: Pack, model: Model) -> None:
    """A check that can fail: the emergency reply has no content, but a topic does."""
    from allvoice.conversation.session import Conversation

    conversation = Conversation(pack, model=model)
    topic = conversation.turn("what are the symptoms")
    assert not check("no_content", topic, None, conversation, facts_of(pack))
    assert not check("level=emergency", topic, None, conversation, facts_of(pack))
    alarm = conversation.turn("my son is not breathing")
    assert check("no_content", alarm, topic, conversation, facts_of(pack))
    assert check("calls_now", alarm, topic, conversation, facts_of(pack))
