"""The samples of a voted reply (self-consistency): one chip per sample with its live state, and the vote
as it forms.

Samples decoded together arrive interleaved (each event tagged with its sample), so the strip keeps every
sample's text apart; the message shows one sample at a time (the first while they run, the winner once
the vote is done; a click on a chip shows that one). A stored reply with its samples gets the strip back.

The vote is worded here, in the UI's language, from the samples' own facts (the core hands over no sentence):
while they run, the answers so far with their counts; once the turn is over, how many samples gave the chosen
answer (the answer itself is in the reply's body, once). A sample that did not vote says why in its chip.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from assistant.core.chat.postprocess import normalise_answer, vote_key
from assistant.core.chat.sample_stream import TurnEvent
from assistant.ui.worker.events import SampleMark, ThinkingMeter, VoteEvent

ANSWER_CHARS = 24  # a chip shows this much of a sample's answer; the tooltip has it whole
# How a sample ended (its finish_reason) -> the chip's state.
ENDED = {"decided": "decided", "cancelled": "stopped", "length": "cut", "context": "cut"}


@dataclass
class SampleLive:
    """One sample as the UI knows it: the text so far and where it stands."""

    index: int
    state: str = "waiting"  # waiting | thinking | writing | done | cut | decided | stopped
    reasoning: str = ""
    answer: str = ""
    tokens: int = 0  # streamed pieces (about a token each) until it ends, then its completion tokens
    meter: tuple[int, int | None] = (0, None)  # reasoning tokens and their limit (the thinking meter)
    end: str = ""  # why its reasoning ended (thinking_end)
    finish: str = ""  # why the sample ended (its finish_reason), once it has
    think_t0: float | None = None
    think_seconds: float = 0.0
    thinking: dict[str, Any] | None = field(default=None)  # the stored thinking facts, when restored

    @property
    def ended(self) -> bool:
        return self.state in ("done", "cut", "decided", "stopped")

    @property
    def vote(self) -> str | None:
        return vote_key(self.answer) if self.answer else None

    def short_answer(self) -> str:
        text = (self.vote or "").strip().splitlines()
        first = text[0] if text else ""
        return first if len(first) <= ANSWER_CHARS else first[:ANSWER_CHARS - 1] + "…"

    def record(self, ev: TurnEvent) -> None:
        if ev.kind in ("reasoning", "answer") and ev.text:
            self.tokens += 1
            if ev.kind == "reasoning":
                self.reasoning += ev.text
                if self.think_t0 is None:
                    self.think_t0 = time.monotonic()
                if not self.ended and not self.answer:
                    self.state = "thinking"
            else:
                if self.state == "thinking" and self.think_t0 is not None:
                    self.think_seconds = time.monotonic() - self.think_t0
                self.answer += ev.text
                if not self.ended:
                    self.state = "writing"
        elif ev.kind == "rewind":
            self.reasoning = ev.text
        elif ev.kind == "thinking_end":
            self.end = ev.text
        elif isinstance(ev, ThinkingMeter):
            self.meter = (ev.tokens, ev.limit)
        elif ev.kind == "sample_end":
            if self.state == "thinking" and self.think_t0 is not None:
                self.think_seconds = time.monotonic() - self.think_t0
            finish = ev.finish_reason if isinstance(ev, SampleMark) else ""
            self.state, self.finish = ENDED.get(finish, "done"), finish
            if isinstance(ev, SampleMark) and ev.tokens:
                self.tokens = ev.tokens

    def no_vote(self) -> str:
        """Why an ended sample has no answer to vote with: "stopped" (by the user), "loop" (its reasoning went
        round in a loop and it never answered), "cut_reasoning" / "cut" (the token limit or a full context
        cut it off while it reasoned / before it answered), "none" (it ended without an answer); "" when it
        has an answer, has not ended, or was stopped by the vote (its state says so)."""
        if not self.ended or self.vote or self.state == "decided":
            return ""
        if self.state == "stopped":
            return "stopped"
        if self.end == "loop":
            return "loop"
        if self.state == "cut":
            return "cut_reasoning" if self.reasoning.strip() and self.end in ("", "length") else "cut"
        return "none"

    @classmethod
    def stored(cls, index: int, facts: dict[str, Any]) -> SampleLive:
        """A sample from a stored reply's ``extra["samples"]`` (what the worker saves)."""
        thinking = facts.get("thinking") if isinstance(facts.get("thinking"), dict) else None
        finish = str(facts.get("finish_reason") or "")
        s = cls(index, ENDED.get(finish, "done"), reasoning=str(facts.get("reasoning") or ""),
                answer=str(facts.get("answer") or ""), tokens=int(facts.get("completion_tokens") or 0),
                thinking=thinking, finish=finish)
        if thinking is not None:
            s.think_seconds = float(thinking.get("seconds") or 0.0)
            s.end = str(thinking.get("end") or "")
        return s


class SamplesStrip(QFrame):
    """A header (how many samples, the vote so far) over one chip per sample; collapsible."""

    selected = Signal(int)  # a chip was clicked: show that sample

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("samplesStrip")
        self.samples: list[SampleLive] = []
        self.shown = 0  # the sample the message shows
        self.chosen: int | None = None  # the vote's winner, once the turn is over
        self.over = False
        self._dirty = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 2)
        lay.setSpacing(0)
        head = QHBoxLayout()
        lay.addLayout(head)
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.toggled.connect(self._set_open)
        head.addWidget(self.toggle)
        self.vote_label = QLabel(self)
        self.vote_label.setObjectName("messageMeta")
        self.vote_label.setWordWrap(True)
        head.addWidget(self.vote_label, 1)
        self.chips_box = QWidget(self)
        self.chips_layout = QVBoxLayout(self.chips_box)
        self.chips_layout.setContentsMargins(12, 0, 0, 0)
        self.chips_layout.setSpacing(0)
        lay.addWidget(self.chips_box)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(self._clicked)
        self.chips: list[QToolButton] = []
        self._set_open(True)
        self.retranslate()

    # ---- state -----------------------------------------------------------------------------------
    def ensure(self, n: int) -> None:
        """At least ``n`` samples (the count comes with each sample's start; plain events grow it)."""
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.9))
        while len(self.samples) < n:
            k = len(self.samples)
            self.samples.append(SampleLive(k))
            chip = QToolButton(self.chips_box)
            chip.setObjectName("sampleChip")
            chip.setCheckable(True)
            chip.setAutoRaise(True)
            chip.setFont(small)
            chip.setChecked(k == self.shown)
            self.group.addButton(chip, k)
            self.chips_layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignLeft)
            self.chips.append(chip)
            self._dirty = True

    def record(self, ev: TurnEvent) -> None:
        total = ev.total if isinstance(ev, SampleMark) else 0
        self.ensure(max(total, ev.sample + 1))
        self.samples[ev.sample].record(ev)
        self._dirty = True

    def finish(self, vote: VoteEvent | None) -> None:
        """The turn is over: the final facts (when it got that far) and the winner."""
        if vote is not None and vote.samples:
            self._load(vote.samples, vote.chosen, keep_live=True)
        for s in self.samples:
            if not s.ended:
                s.state = "stopped"
        self.over = True
        self.set_shown(self.chosen if self.chosen is not None else self.shown)
        self.refresh(force=True)

    def set_stored(self, samples: Sequence[Any], chosen: int | None) -> None:
        """A stored reply's samples: the strip comes back as a summary, folded."""
        self._load(samples, chosen, keep_live=False)
        self.over = True
        self.set_shown(self.chosen if self.chosen is not None else 0)
        self.toggle.setChecked(False)
        self.refresh(force=True)

    def _load(self, samples: Sequence[Any], chosen: int | None, keep_live: bool) -> None:
        facts = [f if isinstance(f, dict) else {} for f in samples]
        self.ensure(len(facts))
        for k, f in enumerate(facts):
            new = SampleLive.stored(k, f)
            old = self.samples[k]
            if keep_live and old.state == "decided":
                new.state = "decided"  # its stats say so too; kept in case the backend reports "stop"
            if keep_live and not new.thinking:
                new.meter, new.end, new.think_seconds = old.meter, old.end or new.end, old.think_seconds
            self.samples[k] = new
        self.chosen = chosen if chosen is not None and 0 <= chosen < len(self.samples) else None

    def update_chosen(self, answer: str, reasoning: str) -> None:
        """The winner was continued (Continue): its sample is the whole reply now."""
        if self.chosen is not None:
            s = self.samples[self.chosen]
            s.answer, s.reasoning = answer, reasoning
            self.refresh(force=True)

    def set_shown(self, k: int) -> None:
        self.shown = k
        if 0 <= k < len(self.chips):
            self.chips[k].setChecked(True)
        self._dirty = True

    def _clicked(self, k: int) -> None:
        if k != self.shown:
            self.set_shown(k)
            self.selected.emit(k)
        self.refresh(force=True)

    def _set_open(self, open_: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.chips_box.setVisible(open_)

    # ---- texts -----------------------------------------------------------------------------------
    def vote_counts(self) -> list[tuple[str, int]]:
        """The ended samples' answers, normalised as the vote counts them, most votes first."""
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for s in self.samples:
            key = s.vote if s.ended else None
            if key and key.strip():
                norm = normalise_answer(key)
                counts[norm] += 1
                shown.setdefault(norm, s.short_answer() or norm)
        return [(shown[k], n) for k, n in counts.most_common()]

    def vote_text(self) -> str:
        """While the samples run: the answers so far and their counts. Once the turn is over: how many samples
        gave the chosen answer (shown in the reply's body, and marked ✓ in the strip), not the answer again."""
        if self.over:
            return self.final_vote_text()
        counts = ", ".join(f"{answer} ×{n}" for answer, n in self.vote_counts())
        return self.tr("Vote so far: %1").replace("%1", counts or self.tr("no answer yet"))

    def final_vote_text(self) -> str:
        n = len(self.samples)
        winner = self.samples[self.chosen].vote if self.chosen is not None else None
        if not winner or not winner.strip():
            text = self.tr("Vote: none of the %1 samples gave an answer").replace("%1", str(n))
        else:
            key = normalise_answer(winner)
            votes = sum(1 for s in self.samples if s.ended and s.vote and normalise_answer(s.vote) == key)
            text = (self.tr("Vote: %1 of %2 samples gave the answer marked ✓").replace("%1", str(votes))
                    .replace("%2", str(n)))
        if any(s.state == "decided" for s in self.samples):
            text += self.tr(" (decided early: the others were stopped)")
        return text

    def no_vote_text(self, s: SampleLive) -> str:
        """Why ``s`` did not vote, in a few words ("" when it did)."""
        limit = self.tr("context full") if s.finish == "context" else self.tr("token limit")
        return {
            "": "", "stopped": self.tr("no vote: stopped before it answered"),
            "loop": self.tr("no vote: its reasoning went round in a loop"),
            "cut_reasoning": self.tr("no vote: cut off while reasoning (%1)").replace("%1", limit),
            "cut": self.tr("no vote: cut off before it answered (%1)").replace("%1", limit),
            "none": self.tr("no vote: no answer found"),
        }[s.no_vote()]

    def state_text(self, s: SampleLive) -> str:
        return {
            "waiting": self.tr("waiting"), "thinking": self.tr("thinking"), "writing": self.tr("writing"),
            "done": self.tr("done"), "cut": self.tr("cut off"), "decided": self.tr("stopped by the vote"),
            "stopped": self.tr("stopped"),
        }[s.state]

    def chip_text(self, s: SampleLive) -> str:
        parts = [str(s.index + 1), self.state_text(s), self.tr("%1 tok").replace("%1", f"{s.tokens:,}")]
        if s.ended and s.short_answer():
            parts.append(s.short_answer())
        elif why := self.no_vote_text(s):
            parts.append(why)
        mark = "✓ " if self.over and s.index == self.chosen else ""
        return mark + " · ".join(parts)

    def chip_name(self, s: SampleLive) -> str:
        """What a screen reader says for a chip (also its tooltip)."""
        name = (self.tr("Sample %1: %2, %3 tokens").replace("%1", str(s.index + 1))
                .replace("%2", self.state_text(s)).replace("%3", f"{s.tokens:,}"))
        if s.ended and s.vote:
            name += ", " + self.tr("answer: %1").replace("%1", s.vote.strip())
        elif why := self.no_vote_text(s):
            name += ", " + why
        if self.over and s.index == self.chosen:
            name += " " + self.tr("(chosen by the vote)")
        return name

    def refresh(self, force: bool = False) -> bool:
        """Update the chips and the vote line if anything changed (called with each repaint)."""
        if not (self._dirty or force):
            return False
        self._dirty = False
        n = len(self.samples)
        self.toggle.setText(self.tr("%1 samples").replace("%1", str(n)))
        self.toggle.setToolTip(self.tr("Show or hide the samples"))
        self.vote_label.setText(self.vote_text())
        for s, chip in zip(self.samples, self.chips):
            chip.setText(self.chip_text(s))
            name = self.chip_name(s)
            chip.setAccessibleName(name)
            chip.setToolTip(name + "\n" + self.tr("Click to show this sample."))
        return True

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Samples of this reply"))
        self.refresh(force=True)
