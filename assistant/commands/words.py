"""The command line's words for what the core hands over as facts, in the terminal's language.

The core says nothing to the user about a vote but its facts (:class:`~assistant.core.chat.postprocess.Vote`:
the counts, the winner, whether it was decided early); the window words them in the UI's language, and the
command line here, in the language the terminal's locale asks for (Chinese for any ``zh`` locale, else
English), looked up as the C library does: ``LANGUAGE`` (a list, GNU gettext), then ``LC_ALL``,
``LC_MESSAGES``, ``LANG``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from assistant.core.chat.postprocess import Vote


def terminal_language(environ: Mapping[str, str] | None = None) -> str:
    """"zh_CN" or "en": the language of the terminal's messages."""
    env = os.environ if environ is None else environ
    # LC_ALL overrides everything; LANGUAGE (gettext's list) applies only when a locale is set at all.
    locale = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    candidates = [locale]
    if locale not in ("", "C", "POSIX") and env.get("LANGUAGE") and not env.get("LC_ALL"):
        candidates = env["LANGUAGE"].split(":") + candidates
    elif env.get("LANGUAGE") and not locale:
        candidates = []  # gettext ignores LANGUAGE under the C locale
    for name in candidates:
        name = name.strip().lower()
        if name.startswith("zh"):
            return "zh_CN"
        if name and name not in ("c", "posix"):
            return "en"
    return "en"


def vote_line(vote: Vote, language: str | None = None) -> str:
    """The vote in one line: "Vote: 2 of 3 samples agree on 54" / "投票：3 个样本中 2 个的答案是 54"."""
    zh = (language or terminal_language()).startswith("zh")
    winner = (vote.winner or "").strip()
    first = winner.splitlines()[0] if winner else ""
    if len(first) > 80:
        first = first[:79] + "…"
    if not winner:
        text = f"投票：{vote.total} 个样本都没有给出答案" if zh else \
            f"Vote: none of the {vote.total} samples gave an answer"
    else:
        text = f"投票：{vote.total} 个样本中 {vote.votes} 个的答案是 {first}" if zh else \
            f"Vote: {vote.votes} of {vote.total} samples agree on {first}"
    if vote.decided_early:
        text += "（已提前决出，其余样本已停止）" if zh else " (decided early: the others were stopped)"
    return text
