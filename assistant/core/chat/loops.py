"""Loop detection that knows scripts and formats: does a reasoning (or an answer) repeat itself?

The decode loop feeds every streamed piece to :meth:`LoopDetector.feed`; the detector answers as soon as
a loop can be told, from the text alone (so it works the same for every backend).

**Units.** Text is cut into units: a word for alphabetic scripts (Latin, Cyrillic, Greek, … — Unicode
letters, lowercased), one unit per CJK character (Han, kana), a run of digits, and a run of one symbol.
Words and CJK characters carry the weight (a "word" below); digits half; symbols none. For
near-repeats, digits are normalised (``1.1.1.2`` and ``1.1.1.3`` look alike) and a CJK sentence is
compared by its character bigrams, an alphabetic one by its words. Filler sentences ("Hmm.", "Wait.",
"嗯。", "好的。") are left out before anything is compared, so a cycle with "Hmm." between its copies is
a cycle.

**Formats.** Each line is classified before its units are compared: inside a code fence, a display
maths block (``$$``, ``\\[``, ``\\begin{…}``), a table row (``|``), a line that opens a JSON list or object
(``[``, ``{``), or a line with no word at all (a board of ". ", a matrix row of numbers, a rule) is
*structure*; everything else is prose. Only prose goes through the loop signals; structure repeats
legitimately (30 zeros in a listing, an 8×8 board, a matrix with equal rows, a table of equal rows).

**Signals on prose** (each a number below, all checked on every unit):
- *exact*: the same span at least three times in a row, at least :data:`MIN_LOOP_WORDS` words in all, or
  a short one :data:`SHORT_COPIES` times in a row holding a third of that ("Ladle." line after line).
  Any period: candidate periods come from the last occurrence of each :data:`GRAM`-unit window (a hash
  table over the whole text), then are extended unit by unit, so a 600-word period costs what a 6-word
  one does;
- *counter*: the same span at least :data:`COUNTER_COPIES` times once digits are normalised, with on
  average at most one number changing between copies (``特别性：1.1.1.1: 特别性：1.1.1.2: …``). A times
  table changes two numbers per line and is not a counter;
- *near*: the last sentences form a cycle (1–12 sentences) whose sentences match their earlier copies
  with a similarity of at least :data:`NEAR_SIMILARITY`, three times over, and the last two copies bring
  almost nothing new (≤ :data:`NEAR_NOVELTY` of their bigrams/words never seen before). Numbered steps
  that differ only in their numbers ("第一步…乘以二", "第二步…乘以三") bring new bigrams each time;
- *novelty*: paraphrase cycles (three wordings mixed at random) are not periodic, but they stop saying
  anything new: over the last :data:`NOVELTY_WINDOW` units, the share of word trigrams never seen
  before in the text falls under :data:`NOVELTY_FLOOR`.

**The rule that still stops a degenerate answer** (and reasoning) made of structure: every unit, prose
and structure, line ends included, also goes through the exact signal with a ceiling. A stretch of at
least :data:`CEILING_UNITS` units is a loop wherever it is when it is the same span repeated at least
:data:`CEILING_COPIES` times in a row (the same line written a hundred times), or when it lies within one
line and repeats its span at least three times ("1.1.1.1.1…", "0, 0, 0, …" 200 times, "123456789123…");
and one symbol written :data:`CEILING_SYMBOL_RUN` times in a row is one too ("；；；…", "!!!!…").

An answer (``answer=True``) goes through the same rules with twice the minimum (:data:`ANSWER_MIN_WORDS`):
a stopped answer loses what the user asked for. The thresholds were tuned on a corpus of loops and of
legitimate repetitive text (``tests/core/loop_corpus``), where no legitimate text trips them.

Cost: a few microseconds per streamed piece (measured by ``benchmarks/bench_loops.py``); memory grows
with the text (a hash table entry per unit).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

MIN_LOOP_WORDS = 48
ANSWER_MIN_WORDS = 96  # an answer cut short loses what was asked for; a reasoning cut short moves on
GRAM = 6  # units in the window whose recurrence proposes a period
MAX_CANDIDATES = 12
COUNTER_COPIES = 6
COUNTER_CHANGES = 1.25  # numbers that may change between two copies of a counter loop, on average
NEAR_SIMILARITY = 0.8
NEAR_NOVELTY = 0.1
NEAR_MAX_CYCLE = 12
NEAR_MIN_UNITS = 4  # shorter sentences ("Yes.", "So 5.") are not compared
NOVELTY_WINDOW = 200
NOVELTY_FLOOR = 0.08
CEILING_COPIES = 100
# a short span written this many times in a row is a loop once it holds a third of the minimum's words
# ("Ladle.\n\n" ×16: the bundled model's greedy reply to "Repeat after me: la la la")
SHORT_COPIES = 12
CEILING_UNITS = 400
CEILING_SYMBOL_RUN = 200  # one symbol this many times in a row ("；；；…"): longer than any ruled line

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = rf"(?![{_CJK}])[^\W\d_]"
# A word, a run of digits, a run of one symbol ("------", "..."; the lookbehind repeats the first symbol).
# Runs are bounded: a word of more than 24 letters or a number of more than 12 digits is read a character
# at a time until its last 24 or 12, so "hahahaha…" or "123456789123…" written without end is a run of
# units that repeats, not one unit that never ends.
_UNIT = re.compile(rf"([{_CJK}])|((?:{_LETTER}){{1,24}}(?!{_LETTER})|{_LETTER})|(\d{{1,12}}(?!\d)|\d)"
                   rf"|((?:[^\w\s]|_)(?:(?<=(.))\5){{0,15}})")
_SENTENCE_END = frozenset(".!?。！？…;；")
_FILLER_WORDS = frozenset({
    "hmm", "hm", "hmmm", "mm", "um", "uh", "uhm", "ah", "oh", "wait", "ok", "okay", "so", "well", "right",
    "alright", "yes", "yeah", "no", "now", "then", "hmmmm", "хм", "так", "ну", "ладно", "итак", "стоп",
    "подождите", "погоди", "да", "нет", "嗯", "哦", "啊", "唔", "呃", "等", "好", "对", "的", "吧", "呢", "嘛", "哈",
})
_CJK_NUMERALS = frozenset("〇零一二三四五六七八九十百千万两")
_FILLER_MAX = 3  # words in a filler sentence
_OPENERS = ("```", "~~~", "|", "[", "{", "$$", "\\[", "\\]", "\\begin", "\\end")

# Unit kinds.
_CJ, _WD, _DG, _SY = 0, 1, 2, 3
_EXACT_WEIGHT = (1.0, 1.0, 0.5, 0.0)
_CONTENT_WEIGHT = (1.0, 1.0, 0.0, 0.0)


@dataclass
class Loop:
    kind: str  # "exact" | "counter" | "near" | "novelty" | "ceiling"
    start: int  # offset in the text where the repetition began (the end of the first copy)
    period_words: int  # units in one period (sentences' units for "near"; the window for "novelty")
    copies: int


class _Periods:
    """Periodic stretches ending at the newest unit, for every period at once.

    ``keys`` are what must be equal (digits normalised or not) and ``raw`` the units themselves: a
    candidate period ``p`` keeps its ``run`` (units equal to those ``p`` back, keys), its ``exact``
    run (raw units equal) and how many raw units differed within the run (``changes``)."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, ...], int] = {}
        self.cands: dict[int, list[int]] = {}  # period -> [run, exact run, changes]

    def push(self, keys: list[str], raw: list[str]) -> None:
        i = len(keys) - 1
        key = keys[i]
        if self.cands:
            for p in list(self.cands):
                c = self.cands[p]
                if keys[i - p] != key:
                    del self.cands[p]
                    continue
                c[0] += 1
                if raw[i] == raw[i - p]:
                    c[1] += 1
                else:
                    c[1] = 0
                    c[2] += 1
        if i < GRAM - 1:
            return
        gram = tuple(keys[i - GRAM + 1:i + 1])
        j = self.last.get(gram)
        self.last[gram] = i
        if j is None or (i - j) in self.cands:
            return
        p = i - j
        exact = 0
        while exact < GRAM and raw[i - exact] == raw[i - p - exact]:
            exact += 1
        changes = sum(1 for t in range(GRAM) if raw[i - t] != raw[i - p - t])
        self.cands[p] = [GRAM, exact, changes]
        if len(self.cands) > MAX_CANDIDATES:
            del self.cands[min(self.cands, key=lambda q: self.cands[q][0])]


class _Stream:
    """Units of one kind of text (the prose, or everything) with their offsets and weights."""

    def __init__(self, weighed: bool = True) -> None:
        self.weighed = weighed
        self.raw: list[str] = []
        self.keys: list[str] = []
        self.offsets: list[int] = []
        self.kinds: list[int] = []
        self.starts: list[bool] = []  # a sentence starts at this unit
        self.exact_w: list[float] = [0.0]  # prefix sums
        self.content_w: list[float] = [0.0]
        self.periods = _Periods()

    def push(self, raw: str, key: str, kind: int, offset: int, starts: bool) -> None:
        self.raw.append(raw)
        self.keys.append(key)
        self.offsets.append(offset)
        if self.weighed:
            self.kinds.append(kind)
            self.starts.append(starts)
            self.exact_w.append(self.exact_w[-1] + _EXACT_WEIGHT[kind])
            self.content_w.append(self.content_w[-1] + _CONTENT_WEIGHT[kind])
        self.periods.push(self.keys, self.raw)

    def start_of(self, first: int, period: int) -> int:
        """The offset of the copy that starts at unit ``first``, moved to a sentence start within it."""
        for i in range(first, min(first + period, len(self.raw))):
            if self.starts[i]:
                return self.offsets[i]
        return self.offsets[first]


@dataclass
class _Sentence:
    offset: int
    shingles: frozenset[str]
    weight: float
    novel: int  # shingles never seen before in the text
    numbers: tuple[str, ...]  # the numbers in it, in order (digits and CJK numerals as written)
    similar: int  # bit q set: similar to the sentence q before it


class LoopDetector:
    """Finds a text that repeats itself, incrementally: :meth:`feed` every streamed piece."""

    def __init__(self, *, answer: bool = False) -> None:
        """``answer``: the text is an answer, stopped only for a repetition of :data:`ANSWER_MIN_WORDS`."""
        self.answer = answer
        self._min = ANSWER_MIN_WORDS if answer else MIN_LOOP_WORDS
        self.units_seen = 0  # prose units compared so far
        self._pending = ""
        self._text_len = 0
        self._prose = _Stream()
        self._all = _Stream(weighed=False)  # everything, line ends included: only for the ceiling
        # the current line
        self._line_units: list[tuple[str, int, int]] = []  # held until the line is known to be prose
        self._line_content = False  # a word (two letters or more) or a CJK character on this line
        self._line_kind = ""  # "" undecided, "prose", "structure"
        self._line_first = 0  # where the current line begins among all units
        self._line_head: list[str] = []
        self._line_marks = [0, 0, 0]  # "$$" runs, "\[" minus "\]", "\begin" minus "\end" on this line
        self._prev_unit = ""
        self._run_char, self._run_start, self._run_end = "", 0, 0  # the run of one symbol going on
        # blocks open at the start of the next line
        self._fence = False
        self._dollars = False
        self._brackets = 0
        self._begins = 0
        # the current sentence
        self._held: list[tuple[str, int, int]] = []  # filler words held back (the sentence may be all filler)
        self._sentence_first = 0  # prose unit index where the current sentence began
        self._sentence_start = True
        self._sentences: deque[_Sentence] = deque(maxlen=3 * NEAR_MAX_CYCLE)
        self._seen_shingles: set[str] = set()
        self._seen_trigrams: set[tuple[str, str, str]] = set()
        self._novel: deque[bool] = deque()
        self._novel_count = 0
        self._found: Loop | None = None

    # ---------------------------------------------------------------------------------------------
    def feed(self, text: str) -> Loop | None:
        """Add text; returns the loop once one can be told (and keeps returning it)."""
        if self._found is not None:
            return self._found
        buf = self._pending + text
        base = self._text_len - len(self._pending)
        self._text_len += len(text)
        end = len(buf)
        pos = 0
        for m in _UNIT.finditer(buf):
            if m.end() == end and m.lastindex != 1:
                end = m.start()  # the last unit may go on in the next piece: keep it back
                break
            self._gap(buf, base, pos, m.start())
            pos = m.end()
            self._unit(m, base + m.start())
            if self._found is not None:
                return self._found
        self._gap(buf, base, pos, end)
        self._pending = buf[end:]
        return self._found

    def _gap(self, buf: str, base: int, a: int, b: int) -> None:
        i = buf.find("\n", a, b)
        while i >= 0 and self._found is None:
            self._end_line(base + i)
            i = buf.find("\n", i + 1, b)

    # ---------------------------------------------------------------------------------------------
    # Lines: prose or structure

    def _unit(self, m: re.Match[str], offset: int) -> None:
        kind = m.lastindex - 1 if m.lastindex and m.lastindex < 5 else _SY
        raw = m.group()
        if kind == _WD:
            raw = raw.lower()
        self._line_marks_for(raw)
        if kind == _SY and raw[0] == self._run_char and offset == self._run_end:
            self._run_end += len(raw)
            if self._run_end - self._run_start >= CEILING_SYMBOL_RUN:
                self._found = Loop("ceiling", self._run_start + 1, 1, self._run_end - self._run_start)
                return
        elif kind == _SY:
            self._run_char, self._run_start, self._run_end = raw[0], offset, offset + len(raw)
        else:
            self._run_char = ""
        self._all.push(raw, raw, kind, offset, False)
        self._check_ceiling()
        if self._found is not None or self._line_kind == "structure":
            return
        if self._line_kind == "prose":
            self._prose_unit(raw, kind, offset)
            return
        self._line_units.append((raw, kind, offset))
        self._line_content = self._line_content or kind == _CJ or (kind == _WD and len(raw) > 1)
        if len(self._line_head) < 2:
            self._line_head.append(raw)
            if len(self._line_head) < 2:
                return
            if self._opens_structure():
                self._line_kind = "structure"
                self._line_units = []
                return
        if self._line_content:
            self._line_kind = "prose"
            units, self._line_units = self._line_units, []
            for u in units:
                self._prose_unit(*u)
                if self._found is not None:
                    return
        elif len(self._line_units) > 4096:  # a long line with no word at all: structure
            self._line_kind = "structure"
            self._line_units = []

    def _opens_structure(self) -> bool:
        if self._fence or self._dollars or self._brackets > 0 or self._begins > 0:
            return True
        head = "".join(self._line_head)
        return head.startswith(_OPENERS) or head[:3] in ("```", "~~~")

    def _line_marks_for(self, raw: str) -> None:
        marks, prev = self._line_marks, self._prev_unit
        if raw == "$$":
            marks[0] += 1
        elif prev == "\\":
            if raw == "[":
                marks[1] += 1
            elif raw == "]":
                marks[1] -= 1
            elif raw == "begin":
                marks[2] += 1
            elif raw == "end":
                marks[2] -= 1
        self._prev_unit = raw

    def _end_line(self, offset: int) -> None:
        head = "".join(self._line_head)
        if self._line_kind == "" and self._line_head:  # a line of one unit, or with no word
            self._line_kind = "structure" if self._opens_structure() or not self._line_content else "prose"
            if self._line_kind == "prose":
                for u in self._line_units:
                    self._prose_unit(*u)
        if self._line_kind == "prose":
            self._end_sentence()
        # blocks opened or closed by this line
        if head[:3] in ("```", "~~~"):
            self._fence = not self._fence
        elif not self._fence:
            if self._line_marks[0] % 2:
                self._dollars = not self._dollars
            self._brackets = max(0, self._brackets + self._line_marks[1])
            self._begins = max(0, self._begins + self._line_marks[2])
        self._all.push("\n", "\n", _SY, offset, False)
        self._check_ceiling()
        self._line_units, self._line_head, self._line_kind, self._line_content = [], [], "", False
        self._line_first = len(self._all.raw)
        self._line_marks = [0, 0, 0]
        self._prev_unit = ""

    # ---------------------------------------------------------------------------------------------
    # Prose: sentences, fillers, the signals

    def _prose_unit(self, raw: str, kind: int, offset: int) -> None:
        if kind == _SY and raw[0] in _SENTENCE_END:
            if self._held or self._sentence_start:  # all filler ("Hmm."), or a stray mark: left out
                self._held = []
                return
            self._compare(raw, kind, offset)
            self._end_sentence()
            return
        if self._sentence_start:
            filler = kind in (_WD, _CJ) and raw in _FILLER_WORDS
            if (filler or (kind == _SY and self._held)) and len(self._held) < 2 * _FILLER_MAX:
                self._held.append((raw, kind, offset))
                return
            held, self._held = self._held, []
            for u in held:
                self._compare(*u)
        self._compare(raw, kind, offset)

    def _compare(self, raw: str, kind: int, offset: int) -> None:
        s = self._prose
        key = "#" if kind == _DG or (kind == _CJ and raw in _CJK_NUMERALS) else raw
        s.push(raw, key, kind, offset, self._sentence_start)
        if self._sentence_start:
            self._sentence_first = len(s.raw) - 1
        self._sentence_start = False
        self.units_seen = len(s.raw)
        self._check_periods()
        if self._found is None:
            self._check_novelty()

    def _check_periods(self) -> None:
        s = self._prose
        n = len(s.raw)
        for p, (run, exact, changes) in s.periods.cands.items():
            words = s.exact_w[n] - s.exact_w[n - exact - p]
            if exact >= 2 * p and (words >= self._min
                                   or (exact >= (SHORT_COPIES - 1) * p and words >= self._min // 3)):
                self._found = Loop("exact", s.start_of(n - exact, p), p, (exact + p) // p)
                return
            if (run >= (COUNTER_COPIES - 1) * p and changes <= COUNTER_CHANGES * run / p
                    and s.content_w[n] - s.content_w[n - run - p] >= self._min):
                self._found = Loop("counter", s.start_of(n - run, p), p, (run + p) // p)
                return

    def _check_novelty(self) -> None:
        s = self._prose
        n = len(s.raw)
        if n < 3:
            return
        tri = (s.raw[n - 3], s.raw[n - 2], s.raw[n - 1])
        novel = tri not in self._seen_trigrams
        if novel:
            self._seen_trigrams.add(tri)
        self._novel.append(novel)
        self._novel_count += novel
        if len(self._novel) > NOVELTY_WINDOW:
            self._novel_count -= self._novel.popleft()
            if (self._novel_count < NOVELTY_FLOOR * NOVELTY_WINDOW
                    and s.content_w[n] - s.content_w[n - NOVELTY_WINDOW] >= self._min):
                first = n - NOVELTY_WINDOW
                self._found = Loop("novelty", s.start_of(first, NOVELTY_WINDOW), NOVELTY_WINDOW, 0)

    def _end_sentence(self) -> None:
        self._held = []
        if self._sentence_start:
            return
        self._sentence_start = True
        s = self._prose
        first, n = self._sentence_first, len(s.raw)
        shingles: set[str] = set()
        numbers: list[str] = []
        prev_cjk = ""
        for i in range(first, n):
            kind, key = s.kinds[i], s.keys[i]
            if key == "#":  # a number: its value apart, for the counter test
                if kind == _CJ and prev_cjk == "#" and numbers:
                    numbers[-1] += s.raw[i]  # 二十七 is one number
                else:
                    numbers.append(s.raw[i])
            if kind == _CJ:
                if prev_cjk:
                    shingles.discard(prev_cjk)  # a lone character counts only when it has no neighbour
                shingles.add(prev_cjk + key if prev_cjk else key)
                prev_cjk = key
                continue
            prev_cjk = ""
            if kind in (_WD, _DG):
                shingles.add(key)
        if len(shingles) < NEAR_MIN_UNITS:
            return
        novel = len(shingles - self._seen_shingles)
        self._seen_shingles |= shingles
        sents = self._sentences
        shingles_f = frozenset(shingles)
        similar = 0  # bit q: this sentence is similar to the one q back
        for q in range(1, min(NEAR_MAX_CYCLE, len(sents)) + 1):
            if _similar(shingles_f, sents[-q].shingles):
                similar |= 1 << q
        sents.append(_Sentence(s.offsets[first], shingles_f, s.content_w[n] - s.content_w[first], novel,
                               tuple(numbers), similar))
        if similar:
            self._check_near()

    def _check_near(self) -> None:
        sents = self._sentences
        m = len(sents)
        for q in range(1, min(NEAR_MAX_CYCLE, m // 3) + 1):
            bit = 1 << q
            if not all(sents[i].similar & bit for i in range(m - 1, m - 2 * q - 1, -1)):
                continue
            tail = [sents[i] for i in range(m - 3 * q, m)]
            if sum(t.weight for t in tail) < self._min:
                continue
            recent = tail[q:]
            if sum(t.novel for t in recent) > NEAR_NOVELTY * sum(len(t.shingles) for t in recent):
                continue
            # Steps that differ in their numbers ("step 2: multiply by 3") change two or more numbers
            # each time; a counter loop changes one.
            changes = sum(_number_changes(tail[i].numbers, tail[i + q].numbers) for i in range(2 * q))
            if changes > COUNTER_CHANGES * 2 * q:
                continue
            self._found = Loop("near", tail[q].offset, sum(len(t.shingles) for t in tail[:q]), 3)
            return

    def _check_ceiling(self) -> None:
        s = self._all
        n = len(s.raw)
        if n < CEILING_UNITS:
            return
        for p, (_, exact, _) in s.periods.cands.items():
            if exact + p >= CEILING_UNITS and (exact >= (CEILING_COPIES - 1) * p
                                               or (exact >= 2 * p and n - exact - p >= self._line_first)):
                self._found = Loop("ceiling", s.offsets[n - exact], p, (exact + p) // p)
                return


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return len(a & b) >= NEAR_SIMILARITY * len(a | b)


def _number_changes(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
