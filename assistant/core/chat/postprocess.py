"""Shared post-processing of model output: reasoning/answer split, trimming, \\boxed{}, voting.

The splitter is incremental: pieces of a streamed reply go in, reasoning and answer deltas come out,
and the concatenated deltas always equal :func:`split_reasoning` applied to the whole reply, however
the reply was chunked (property-tested). Tags split across pieces are held back until decided.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.core.maths.compare import answer_key

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"

_LEADING_BLANK_LINES = re.compile(r"^\s*\n")


def trim(text: str) -> str:
    """Drop leading blank lines (keeping the first line's indentation) and trailing whitespace."""
    if not text.strip():
        return ""
    return _LEADING_BLANK_LINES.sub("", text, count=1).rstrip()


@dataclass
class Split:
    reasoning: str
    answer: str
    closed: bool  # a </think> was seen: the reasoning ended normally


def split_reasoning(text: str, starts_in_reasoning: bool = False) -> Split:
    """Whole-reply reference: what the incremental splitter must produce for any chunking."""
    stripped = text.lstrip()
    if stripped.startswith(OPEN_TAG):
        body, in_reasoning = stripped[len(OPEN_TAG):], True
    else:
        body, in_reasoning = text, starts_in_reasoning
    if not in_reasoning:
        return Split("", trim(body), False)
    if CLOSE_TAG in body:
        reasoning, answer = body.split(CLOSE_TAG, 1)
        return Split(trim(reasoning), trim(answer), True)
    return Split(trim(body), "", False)


class _TrimmedChannel:
    """Streams text while applying :func:`trim`: holds back leading blank lines and trailing space."""

    def __init__(self) -> None:
        self._started = False
        self._pending = ""
        self.text = ""

    def feed(self, piece: str) -> str:
        buf = self._pending + piece
        if not self._started:
            first = re.search(r"\S", buf)
            if first is None:
                self._pending = buf
                return ""
            buf = buf[buf.rfind("\n", 0, first.start()) + 1:]
            self._started = True
        body = buf.rstrip()
        self._pending = buf[len(body):]
        self.text += body
        return body

    def finish(self) -> str:
        self._pending = ""
        return ""


def _partial_suffix(buf: str, tag: str) -> int:
    """Length of the longest suffix of buf that is a proper prefix of tag (a tag cut mid-way)."""
    for n in range(min(len(tag) - 1, len(buf)), 0, -1):
        if buf.endswith(tag[:n]):
            return n
    return 0


@dataclass
class Delta:
    reasoning: str = ""
    answer: str = ""

    def __bool__(self) -> bool:
        return bool(self.reasoning or self.answer)


class ReasoningSplitter:
    """Incremental twin of :func:`split_reasoning`.

    ``starts_in_reasoning`` is True when the prompt itself opened ``<think>`` (R1 templates): then a
    reply with only ``</think>`` is split there, and a reply without it is all reasoning (cut short).
    Backends that get the reasoning separately (vLLM's reasoning parser) call :meth:`feed_reasoning`.
    """

    def __init__(self, starts_in_reasoning: bool = False) -> None:
        self._default_reasoning = starts_in_reasoning
        self._state = "start"
        self._buf = ""
        self._r = _TrimmedChannel()
        self._a = _TrimmedChannel()
        self.closed = False
        self._finished = False
        self._separate = False  # reasoning arrives through feed_reasoning (vLLM's reasoning parser)

    @property
    def reasoning(self) -> str:
        return self._r.text

    @property
    def answer(self) -> str:
        return self._a.text

    @property
    def in_reasoning(self) -> bool:
        return self._state == "reasoning" or (self._state == "start" and self._default_reasoning)

    @property
    def thinking(self) -> bool:
        """Still inside the reasoning: in its tags, or reasoning handed over separately and no answer yet."""
        return (self.in_reasoning or self._separate) and not self.closed

    def feed_reasoning(self, text: str) -> Delta:
        self._separate = True
        return Delta(reasoning=self._r.feed(text))

    def feed(self, text: str) -> Delta:
        if self._finished:
            raise RuntimeError("feed() after finish()")
        self._buf += text
        out = Delta()
        if self._separate and text.strip():
            self.closed = True  # answer text after separately delivered reasoning: thinking is over
        if self._state == "start":
            s = self._buf.lstrip()
            if not s or (len(s) < len(OPEN_TAG) and OPEN_TAG.startswith(s)):
                return out  # undecided: maybe the start of "<think>"
            if s.startswith(OPEN_TAG):
                self._buf = s[len(OPEN_TAG):]
                self._state = "reasoning"
            else:
                self._state = "reasoning" if self._default_reasoning else "answer"
        if self._state == "reasoning":
            i = self._buf.find(CLOSE_TAG)
            if i >= 0:
                out.reasoning = self._r.feed(self._buf[:i])
                self._buf = self._buf[i + len(CLOSE_TAG):]
                self._state = "answer"
                self.closed = True
            else:
                keep = _partial_suffix(self._buf, CLOSE_TAG)
                cut = len(self._buf) - keep
                out.reasoning = self._r.feed(self._buf[:cut])
                self._buf = self._buf[cut:]
                return out
        if self._state == "answer":
            out.answer = self._a.feed(self._buf)
            self._buf = ""
        return out

    def finish(self) -> Delta:
        """End of reply: flush what was held back for a tag that never completed."""
        out = Delta()
        if self._finished:
            return out
        self._finished = True
        rest, self._buf = self._buf, ""
        if self._state == "start":
            if self._default_reasoning:
                out.reasoning = self._r.feed(rest)
            else:
                out.answer = self._a.feed(rest)
        elif self._state == "reasoning":
            out.reasoning = self._r.feed(rest)
        else:
            out.answer = self._a.feed(rest)
        self._r.finish()
        self._a.finish()
        return out

    def result(self) -> Split:
        return Split(self.reasoning, self.answer, self.closed)


# ---------------------------------------------------------------------------------------------------
# \boxed{}

_BOX_START = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])\s*")
# "\boxed 54" and "\boxed54" (no braces): models write them meaning the whole number, so the box is the number
# and what sticks to it ("54cm"), up to a space, "$", a brace or the end, without a closing full stop or comma.
# Only a number: "\boxed to the answer" in prose is no box.
_BARE_BOX = re.compile(r"[-+]?\.?\d[^\s{}$\\]*")


def extract_boxed(text: str) -> list[str]:
    """Contents of every balanced ``\\boxed{...}`` (nested braces allowed) and every bare ``\\boxed 54``, in
    order."""
    found: list[str] = []
    pos = 0
    while True:
        m = _BOX_START.search(text, pos)
        if m is None:
            return found
        if not text.startswith("{", m.end()):
            bare = _BARE_BOX.match(text, m.end())
            token = bare.group(0).rstrip(".,;:。，；：") if bare else ""
            if bare and token:
                found.append(token)
                pos = bare.end()
            else:
                pos = m.end()
            continue
        depth, i, start = 1, m.end() + 1, m.end() + 1
        while i < len(text) and depth:
            ch = text[i]
            if ch == "\\":
                i += 2  # \{ and \} are literal braces in LaTeX
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            i += 1
        if depth == 0:
            found.append(text[start:i - 1].strip())
            pos = i
        else:
            pos = m.end()  # unbalanced: not a box; look for later ones


def final_boxed(text: str) -> str | None:
    """The last boxed answer, which by convention is the final one."""
    boxes = extract_boxed(text)
    return boxes[-1] if boxes else None


# ---------------------------------------------------------------------------------------------------
# Voting

_LATEX_NOISE = re.compile(r"\\[,!;: ]|\\left|\\right|\\displaystyle|\^\{?\\circ\}?|°")
_TEXT_WRAP = re.compile(r"\\(?:text|textbf|mathrm|mathbf|mbox)\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]+)\}\s*\{([^{}]+)\}|\\[dt]?frac(\d)(\d)")


def normalise_answer(answer: str) -> str:
    """Canonical form for voting: answers with one value give one key, compared as mathematics ("54", "54.0",
    "$54$", "54 cm²", "\\frac{108}{2}" → "54"; "\\frac{5}{2}", "2.5", "2\\frac12" → "5/2"; "\\sqrt{8}",
    "2\\sqrt{2}" → "2*sqrt(2)"); anything else votes with its text, without spaces, case or LaTeX wrappers."""
    key = answer_key(answer.strip())
    if key is not None:
        return key
    s = answer.strip()
    s = s.strip("$").strip()
    if s.startswith("\\(") and s.endswith("\\)"):
        s = s[2:-2]
    s = _TEXT_WRAP.sub(r"\1", s)
    s = _LATEX_NOISE.sub("", s)
    s = _FRAC.sub(lambda m: f"{m.group(1) or m.group(3)}/{m.group(2) or m.group(4)}", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(".。").strip()
    eq = re.match(r"^[A-Za-z]\s*=\s*(.+)$", s)
    if eq:
        s = eq.group(1).strip()
    return s.replace(" ", "").lower()


@dataclass
class Vote:
    """The outcome of a self-consistency vote, as facts: each front end words it in its user's language (the
    window in the UI's, the command line in the terminal's), so the core builds no sentence of it."""

    winner: str | None  # the winning answer as the first sample that gave it wrote it
    winner_index: int | None  # which sample that was
    counts: dict[str, int] = field(default_factory=dict)  # normalised answer -> votes
    total: int = 0
    decided_early: bool = False  # the samples still running were stopped once the winner could not change

    @property
    def votes(self) -> int:
        return max(self.counts.values(), default=0)

    @property
    def agreement(self) -> float:
        return self.votes / self.total if self.total else 0.0


def majority_vote(answers: Sequence[str | None]) -> Vote:
    """Self-consistency vote over normalised answers. Ties go to the answer seen first."""
    keys = [normalise_answer(a) if a and a.strip() else None for a in answers]
    counts = Counter(k for k in keys if k is not None)
    if not counts:
        return Vote(None, None, {}, len(answers))
    best = max(counts.values())
    for i, k in enumerate(keys):
        if k is not None and counts[k] == best:
            original = answers[i]
            assert original is not None
            return Vote(original.strip(), i, dict(counts), len(answers))
    raise AssertionError("unreachable")


def vote_key(answer_text: str) -> str | None:
    """What a sample votes with: its final boxed answer, else its whole (trimmed) answer."""
    boxed = final_boxed(answer_text)
    if boxed is not None:
        return boxed
    return answer_text.strip() or None
