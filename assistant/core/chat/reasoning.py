"""Reasoning under control: a thinking budget, an answer reserve and loop detection.

R1-style models think before they answer, often for thousands of tokens, sometimes in loops. The turn
(:mod:`assistant.core.chat.turn`) asks :class:`ThinkingControl` after every streamed piece whether the
reasoning should end now; when it says so, the turn stops the stream and continues the *same* reply
with the reasoning closed the way the model would close it (a short wrap-up sentence in the question's
language, ``</think>`` and a blank line), so the model writes its answer with what it has thought.

The numbers are in tokens. ``max_tokens`` is the whole reply; the answer keeps its own reserve that the
reasoning can never consume, so a long think never leaves an empty answer.

Loops are told from the text (:mod:`assistant.core.chat.loops`): the reasoning's, and the answer's,
where only a degenerate repetition counts (code, tables, boards and matrices repeat legitimately).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.core.chat.loops import Loop, LoopDetector
from assistant.core.chat.prompting import question_language

CLOSE_TAG = "</think>"

# Budgets the "auto" setting gives a reasoning model, by task kind (tokens of reasoning).
AUTO_BUDGET = {"maths": 3072, "general": 1536}
DEFAULT_ANSWER_RESERVE = 512
# After the budget is reached, the reasoning may go on this many tokens to end its line or sentence.
GRACE_TOKENS = 48
LOOP_ACTIONS = ("answer", "resample", "off")
MAX_RESAMPLES = 2

WRAP_UP = {
    "en": "\n\nI have thought about this enough; now I will write the answer.\n",
    "zh": "\n\n我已经思考得足够多了，现在给出答案。\n",
}
CLOSE_WITH = CLOSE_TAG + "\n\n"  # what R1 writes after its reasoning before the answer
OPEN_WITH = "<think>\n"  # a reply forced to start inside its reasoning (R1's template ends with this)

_SENTENCE_END = re.compile(r"(?:[.!?:;。！？；：]|\n)\s*$")


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
    active: bool = True  # False: no budget, no loop detection (TurnOptions.reasoning_control, for benchmarks)
    _detector: LoopDetector = field(default_factory=LoopDetector)
    _answer_detector: LoopDetector | None = None

    def count(self, tokens: int) -> None:
        self.tokens += tokens

    def check(self, new_reasoning: str, reasoning: str) -> str | None:
        """After each piece of reasoning: "budget" or "loop" when it must end now, else None."""
        if not self.active:
            return None
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
        if not self.active or self.plan.loop_action == "off":
            return False
        if self._answer_detector is None:
            self._answer_detector = LoopDetector(answer=True)
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
