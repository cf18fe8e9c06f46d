"""The command line's own words (assistant/commands/words.py): the terminal's language, and the vote said in it."""

from __future__ import annotations

import pytest

from assistant.commands.words import terminal_language, vote_line
from assistant.core.chat.postprocess import majority_vote


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"), ({"LANG": "zh_TW.UTF-8"}, "zh_CN"), ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"), ({}, "en"), ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"), ({"LANGUAGE": "zh_CN:en", "LANG": "en_US"}, "zh_CN"),
])
def test_terminal_language(env: dict[str, str], lang: str) -> None:
    assert terminal_language(env) == lang


def test_the_vote_in_english_and_chinese() -> None:
    vote = majority_vote(["391", None, "391.0"])  # what the samples vote with (vote_key: the boxed answer)
    assert vote_line(vote, "en") == "Vote: 2 of 3 samples agree on 391"
    assert vote_line(vote, "zh_CN") == "投票：3 个样本中 2 个的答案是 391"
    none = majority_vote([None, None])
    assert vote_line(none, "en") == "Vote: none of the 2 samples gave an answer"
    assert vote_line(none, "zh_CN") == "投票：2 个样本都没有给出答案"
    early = majority_vote(["5", "5", None])
    early.decided_early = True
    assert vote_line(early, "en") == "Vote: 2 of 3 samples agree on 5 (decided early: the others were stopped)"
    assert vote_line(early, "zh_CN") == "投票：3 个样本中 2 个的答案是 5（已提前决出，其余样本已停止）"
