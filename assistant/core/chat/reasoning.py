"""Reasoning under control: a thinking budget, an answer reserve and loop detection.

R1-style models think before they answer, often for thousands of tokens, sometimes in loops. The turn
(:mod:`assistant.core.chat.turn`) asks :class:`ThinkingControl` after every streamed piece whether the
reasoning should end now; when it says so, the turn stops the stream and continues the *same* reply
with the reasoning closed the way the model would close it (a short wrap-up sentence in the question's
language, ``</think>`` and a blank line), so the model writes its answer with what it has thought.

The numbers are in tokens. ``max_tokens`` is the whole reply; the answer keeps its own reserve that the
reasoning can never consume, so a long think never leaves an empty answer.

Loop detection looks at the reasoning text, not at token ids, so it works the same for every backend:
- an exact repeat: the last stretch of words is periodic (the same span again and again), at least
  three copies and :data:`MIN_LOOP_WORDS` words in all;
- a near-verbatim repeat: the last sentences form a cycle whose sentences match their earlier copies
  with a word-overlap of at least :data:`NEAR_SIMILARITY`, three times over.
Normal text (lists, code, tables) does not repeat whole spans three times in a row; the thresholds are
checked by a property-based test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.core.chat.prompting import question_language

CLOSE_TAG = "</think>"

# Budgets the "auto" setting gives a reasoning model, by task kind (tokens of reasoning).
AUTO_BUDGET = {"maths": 3072, "general": 1536}
DEFAULT_ANSWER_RESERVE = 512
# After the budget is reached, the reasoning may go on this many tokens to end its line or sentence.
GRACE_TOKENS = 48
MIN_LOOP_WORDS = 48
NEAR_SIMILARITY = 0.85
LOOP_ACTIONS = ("answer", "resample", "off")
MAX_RESAMPLES = 2

WRAP_UP = {
    "en": "\n\nI have thought about this enough; now I will write the answer.\n",
    "zh": "\n\n我已经思考得足够多了，现在给出答案。\n",
}
CLOSE_WITH = CLOSE_TAG + "\n\n"  # what R1 writes after its reasoning before the answer
OPEN_WITH = "<think>\n"  # a reply forced to start inside its reasoning (R1's template ends with this)

_SENTENCE_END = re.compile(r"(?:[.!?:;。！？；：]|\n)\s*$")
# Words, and runs of one symbol (a "------" rule is one word, not a loop of "-").
_WORD = re.compile(r"[A-Za-z0-9_]+|([^\sA-Za-z0-9_])\1*")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]")


def wrap_up(question: str) -> str:
    """The sentence that closes a reasoning cut short, in the question's language, and the close tag."""
    return WRAP_UP["zh" if question_language(question) == "zh" else "en"] + CLOSE_WITH


def at_line_end(text: str) -> bool:
    return bool(_SENTENCE_END.search(text[-8:]))


@dataclass(frozen=True)
class ThinkingPlan:
    """What one reply may spend: ``budget`` tokens of reasoning (None: no limit but the reserve),
    ``reserve`` tokens kept for the answer, ``max_tokens`` in all."""

    budget: int | None
    reserve: int
    max_tokens: int
    loop_action: str = "answer"

    @property
    def reasoning_cap(self) -> int:
        """The most reasoning tokens before the reasoning is closed (budget, or what the reserve leaves)."""
        room = max(1, self.max_tokens - self.reserve)
        return room if self.budget is None else max(1, min(self.budget, room))

    @property
    def hard_cap(self) -> int:
        """Past the cap, the grace window to end a sentence, still inside what the reserve leaves."""
        return max(self.reasoning_cap, min(self.reasoning_cap + GRACE_TOKENS, self.max_tokens - self.reserve))


def plan_thinking(setting: int, *, max_tokens: int, reserve: int, maths: bool, reasoning_model: bool,
                  loop_action: str = "answer") -> ThinkingPlan:
    """``setting``: -1 auto, 0 no limit, N tokens. Auto gives a reasoning model a budget by task kind and
    no budget to a model that does not reason (if it thinks anyway, only the reserve bounds it)."""
    if setting < 0:
        budget: int | None = AUTO_BUDGET["maths" if maths else "general"] if reasoning_model else None
    else:
        budget = setting or None
    reserve = max(0, min(reserve, max_tokens // 2))  # a tiny max_tokens still leaves room to think
    return ThinkingPlan(budget, reserve, max_tokens, loop_action)


# ---------------------------------------------------------------------------------------------------
# Loop detection


@dataclass
class Loop:
    kind: str  # "exact" | "near"
    start: int  # offset in the text where the repetition began (the end of the first copy)
    period_words: int
    copies: int


class LoopDetector:
    """Finds a reasoning that repeats itself, from its text, incrementally (cheap per call)."""

    def __init__(self, max_period_words: int = 400, check_every: int = 8) -> None:
        self._words: list[str] = []
        self._offsets: list[int] = []  # text offset where each word starts
        self._text_len = 0
        self._pending = ""
        self._since_check = 0
        self._max_p = max_period_words
        self._every = check_every

    def feed(self, text: str) -> Loop | None:
        """Add text; returns the loop once one can be told."""
        buf = self._pending + text
        base = self._text_len - len(self._pending)
        # The last word may continue in the next piece: keep it back.
        m = re.search(r"[A-Za-z0-9_]+$", buf)
        keep = len(buf) - m.start() if m else 0
        done, self._pending = buf[: len(buf) - keep], buf[len(buf) - keep:]
        self._text_len += len(text)
        new = 0
        for w in _WORD.finditer(done):
            self._words.append(w.group().lower())
            self._offsets.append(base + w.start())
            new += 1
        self._since_check += new
        if self._since_check < self._every and not (new and at_line_end(done)):
            return None
        self._since_check = 0
        return self._exact() or (self._near(done) if at_line_end(done) else None)

    def _exact(self) -> Loop | None:
        w = self._words
        n = len(w)
        for p in range(1, min(self._max_p, n // 3) + 1):
            k = 0
            while k < n - p and w[n - 1 - k] == w[n - 1 - k - p]:
                k += 1
            span = k + p  # words covered by the repetition, first copy included
            if span >= 3 * p and span >= MIN_LOOP_WORDS:
                start = n - span + p  # the second copy, at the phase the repetition began...
                for i in range(start, min(start + p, n)):  # ...moved to a sentence start where it has one
                    if w[i - 1][-1] in ".!?。！？":
                        start = i
                        break
                return Loop("exact", self._offsets[start], p, span // p)
        return None

    def _near(self, _: str) -> Loop | None:
        sentences = self._sentences()
        m = len(sentences)
        for q in range(1, min(12, m // 3) + 1):
            tail = sentences[m - 3 * q:]
            if sum(len(s[1]) for s in tail) < MIN_LOOP_WORDS:
                continue
            if all(len(s[1]) >= 4 for s in tail) and all(
                    _similar(tail[i][1], tail[i + q][1]) for i in range(2 * q)):
                return Loop("near", tail[q][0], sum(len(s[1]) for s in tail[:q]), 3)
        return None

    def _sentences(self, limit: int = 40) -> list[tuple[int, list[str]]]:
        """The last sentences as (offset, words), from the words seen so far."""
        out: list[tuple[int, list[str]]] = []
        cur: list[str] = []
        start = 0
        for i in range(len(self._words) - 1, -1, -1):
            w = self._words[i]
            if w in ".!?。！？\n" and cur:
                out.append((start, cur[::-1]))
                cur = []
                if len(out) >= limit:
                    break
            if w not in ".!?。！？\n":
                cur.append(w)
                start = self._offsets[i]
        if cur:
            out.append((start, cur[::-1]))
        return out[::-1]


def _similar(a: list[str], b: list[str]) -> bool:
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, len(sa | sb)) >= NEAR_SIMILARITY


# ---------------------------------------------------------------------------------------------------
# The per-reply controller


@dataclass
class ThinkingControl:
    """Counts one reply's reasoning tokens and says when the reasoning must end and why."""

    plan: ThinkingPlan
    tokens: int = 0  # reasoning tokens so far
    # "" while thinking; then "model" (closed it), "budget", "loop", "unclosed" (the model ended its reply
    # inside the reasoning: closed for it), "stopped" (by the user), "length" (max_tokens), "none" (no reasoning)
    end: str = ""
    over_since: int | None = None  # token count when the cap was reached
    loops: list[Loop] = field(default_factory=list)
    resamples: int = 0
    closed_at: float | None = None  # monotonic time the reasoning was closed by the controller
    answer_latency: float | None = None  # from that close to the first answer text
    evaluated: list[int] = field(default_factory=list)  # tokens each continuation had to evaluate
    _detector: LoopDetector = field(default_factory=LoopDetector)
    _answer_detector: LoopDetector | None = None

    def count(self, tokens: int) -> None:
        self.tokens += tokens

    def check(self, new_reasoning: str, reasoning: str) -> str | None:
        """After each piece of reasoning: "budget" or "loop" when it must end now, else None."""
        if self.plan.loop_action != "off" and new_reasoning:
            loop = self._detector.feed(new_reasoning)
            if loop is not None:
                self.loops.append(loop)
                return "loop"
        if self.tokens >= self.plan.reasoning_cap:
            if self.over_since is None:
                self.over_since = self.tokens
            if at_line_end(reasoning) or self.tokens >= self.plan.hard_cap:
                return "budget"
        return None

    def check_answer(self, new_answer: str) -> bool:
        """An answer that repeats itself (greedy decoding of a small model) is stopped as well."""
        if self.plan.loop_action == "off":
            return False
        if self._answer_detector is None:
            self._answer_detector = LoopDetector()
        return self._answer_detector.feed(new_answer) is not None

    def restart_detector(self, kept_reasoning: str) -> None:
        self._detector = LoopDetector()
        self._detector.feed(kept_reasoning)

    def to_dict(self) -> dict[str, object]:
        return {"budget": self.plan.budget, "cap": self.plan.reasoning_cap, "reserve": self.plan.reserve,
                "tokens": self.tokens, "end": self.end, "loops": len(self.loops), "resamples": self.resamples}


def raw_reply(reasoning: str, answer: str, *, starts_in_reasoning: bool, closed: bool) -> str:
    """A stored reply (reasoning and answer kept apart) as the model wrote it, for Continue: the text
    the continued reply starts from. A reasoning cut off before its end stays open."""
    if not reasoning:
        return answer
    head = "" if starts_in_reasoning else OPEN_WITH
    if not closed and not answer:
        return head + reasoning
    return head + reasoning + "\n" + CLOSE_WITH + answer
