"""Loop detection that knows scripts and formats (assistant.core.chat.loops).

The corpus (tests/core/loop_corpus) holds loops — written ones for every kind the detector must catch,
and the bundled model's own greedy loops in English and Chinese — and legitimate repetitive texts that
must never trip it. Property tests generate more of both.
"""

from __future__ import annotations

import string
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.chat.loops import CEILING_COPIES, MIN_LOOP_WORDS, LoopDetector
from tests.core.loop_corpus import corpus


def make(answer: bool) -> LoopDetector:
    return LoopDetector(answer=answer)


def feed_pieces(det: LoopDetector, text: str, size: int = 5) -> tuple[Any, int]:
    """Feed ``text`` in pieces of ``size`` characters; the loop and the units compared when it was found."""
    for i in range(0, len(text), size):
        loop = det.feed(text[i:i + size])
        if loop is not None:
            return loop, det.units_seen
    return None, det.units_seen


# ---------------------------------------------------------------------------------------------------
# The corpus


def test_corpus_is_big_enough_and_has_the_issues_cases() -> None:
    loops, legit = corpus.loops(), corpus.legit()
    assert len(loops) >= 40 and len(legit) >= 40
    cats = Counter(e["category"] for e in loops)
    for needed in ("counter", "filler_cycle", "long_period", "paraphrase_mix", "model_en", "model_zh"):
        assert cats[needed] >= 2, (needed, cats)
    texts = " ".join(e["text"] for e in loops)
    assert "特别性：1.1.1.1" in texts and "Hmm." in texts
    assert any(len(e["text"].split()) > 1200 for e in loops if e["category"] == "long_period")
    legit_cats = Counter(e["category"] for e in legit)
    for needed in ("zh_steps", "ru_el_sentences", "poem", "code", "board", "matrix", "table", "json", "self_check"):
        assert legit_cats[needed] >= 1, (needed, legit_cats)
    assert any(e["id"] == "code-30-zeros" for e in legit)


def report(rows: dict[str, list[int]]) -> str:
    return ", ".join(f"{cat} {hit}/{n}" for cat, (n, hit) in sorted(rows.items()))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_loops_in_the_corpus_are_caught_where_they_began(seed: int) -> None:
    rows: dict[str, list[int]] = {}
    missed, early = [], []
    entries = corpus.loops()
    for e in entries:
        loop, _ = corpus.detect(make, e, seed)
        row = rows.setdefault(e["category"], [0, 0])
        row[0] += 1
        if loop is None:
            missed.append(e["id"])
            continue
        row[1] += 1
        # the rewind keeps everything written before the loop began
        if "loop_from" in e and loop.start < e["loop_from"]:
            early.append((e["id"], loop))
    print(f"\nloops caught (seed {seed}): {report(rows)}")
    caught = sum(hit for _, hit in rows.values())
    assert caught >= 0.95 * len(entries), (missed, report(rows))
    assert not early, early


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_legitimate_repetition_is_never_a_loop(seed: int) -> None:
    rows: dict[str, list[int]] = {}
    alarms = []
    for e in corpus.legit():
        loop, at = corpus.detect(make, e, seed)
        row = rows.setdefault(e["category"], [0, 0])
        row[0] += 1
        if loop is not None:
            row[1] += 1
            alarms.append((e["id"], loop, e["text"][max(0, loop.start - 60):at]))
    print(f"\nfalse alarms (seed {seed}): {report(rows)}")
    assert not alarms, alarms


# ---------------------------------------------------------------------------------------------------
# The signals one by one


def test_exact_repeat_is_found_soon_and_where_it_began() -> None:
    intro = "We need the sum of the first ten odd numbers. "
    looped = "Let me check the sum again: 1 + 3 + 5 gives 9, and so on. "
    loop, seen = feed_pieces(LoopDetector(), intro + looped * 30)
    assert loop is not None and loop.kind == "exact"
    # found within the minimum span plus one period
    intro_units = 11
    assert seen <= intro_units + 2 * MIN_LOOP_WORDS + loop.period_words
    assert (intro + looped * 30)[loop.start:].startswith("Let me check") and loop.start > len(intro)


def test_near_verbatim_repeat_is_found() -> None:
    variants = ["Wait, maybe I should recompute the total of all these numbers once more.",
                "Wait, maybe I should recompute the total of all the numbers once more.",
                "Wait, maybe I should just recompute the total of all these numbers once more."]
    text = "First, list the numbers. " + " ".join(variants[i % 3] + " Then I compare it with the target value now."
                                                for i in range(8))
    loop, _ = feed_pieces(LoopDetector(), text)
    assert loop is not None


def test_words_of_every_script_are_words_and_cjk_has_its_own_unit() -> None:
    det = LoopDetector()
    det.feed("Это первое предложение. Αυτή είναι μια πρόταση. 这是第一句。\n")
    units = det._prose.raw
    assert "предложение" in units and "πρόταση" in units and "这" in units and "第" in units
    assert "п" not in units  # Cyrillic is not read letter by letter


def test_a_counter_loop_is_caught_and_a_times_table_is_not() -> None:
    counter = "特别性：" + "".join(f"1.1.1.{i}: 特别性：" for i in range(1, 80))
    loop, _ = feed_pieces(LoopDetector(), counter, 3)
    assert loop is not None and loop.kind == "counter"
    table = "Let me write the table.\n" + "\n".join(f"So 7 times {i} makes {7 * i} in all." for i in range(1, 40))
    assert feed_pieces(LoopDetector(), table, 3)[0] is None


def test_filler_sentences_between_copies_do_not_hide_a_cycle() -> None:
    copy = ("I think the total is the sum of the two parts, so I should add them again. "
            "Then the remainder is divided by three. ")
    fillers = ["Hmm. ", "Wait. ", "嗯。", "Okay. "]
    text = "Start. " + "".join(copy + fillers[i % 4] for i in range(10))
    loop, _ = feed_pieces(LoopDetector(), text, 4)
    assert loop is not None


def test_a_period_longer_than_400_words_is_caught_in_its_second_copy() -> None:
    words = [f"{w}{i}" for i, w in enumerate(string.ascii_lowercase * 20)]  # 520 distinct words
    period = " ".join(f"{' '.join(words[i:i + 13])}." for i in range(0, len(words), 13)) + " "
    text = "Intro. " + period * 3
    loop, _ = feed_pieces(LoopDetector(), text, 6)
    assert loop is not None and len(period) + 7 <= loop.start < 2 * len(period) + 7


def test_structure_is_left_alone_but_the_same_line_a_hundred_times_is_not() -> None:
    fence = "```\n" + "print(0)\n" * (CEILING_COPIES - 10) + "```\n"
    assert feed_pieces(LoopDetector(answer=True), fence)[0] is None
    loop, _ = feed_pieces(LoopDetector(answer=True), "```\n" + "print(0)\n" * (CEILING_COPIES + 10))
    assert loop is not None and loop.kind == "ceiling"
    board = "\n".join(". " * 8 for _ in range(8))
    assert feed_pieces(LoopDetector(answer=True), board + "\n\n" + board)[0] is None


def test_the_answer_detector_still_stops_a_prose_loop() -> None:
    loop, _ = feed_pieces(LoopDetector(answer=True), "The answer is 5. " * 40)
    assert loop is not None


# ---------------------------------------------------------------------------------------------------
# Properties: generated legitimate repetitive text never trips it; generated loops always do

words = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=9)
ru_words = st.text(alphabet="абвгдежзиклмнопрстуфхцчшыэюя", min_size=2, max_size=9)
cn = "一二三四五六七八九十"
hanzi = st.text(alphabet="我们把这个数乘以加减然后再检查结果是否正确记录表格里面积长宽周总和差", min_size=3, max_size=8)
ZH_TAILS = ["然后再检查结果是否正确", "并把它记录在表格里", "再算出长方形的面积", "最后求出周长的总和",
            "然后把差写在右边", "接着比较两个结果"]


def structure(draw: st.DrawFn) -> str:
    """A block that repeats legitimately: a fenced listing, a board, a matrix, a table, a JSON list."""
    kind = draw(st.sampled_from(["fence", "board", "matrix", "latex", "table", "json"]))
    n = draw(st.integers(min_value=2, max_value=60))
    cell = draw(st.sampled_from(["0", ".", "1", "x", "-"]))
    if kind == "fence":
        line = draw(st.sampled_from(["    0,", "acc += buf[i++];", "x = 0", "print('hi')"]))
        return "```\n" + "\n".join([line] * n) + "\n```"
    if kind == "board":
        return "\n".join(" ".join([cell] * 8) for _ in range(min(n, 20)))
    if kind == "matrix":
        return "\n".join(" ".join([cell] * min(n, 12)) for _ in range(min(n, 12)))
    if kind == "latex":
        return "$$\n\\begin{pmatrix}\n" + "".join(" & ".join([cell] * 4) + " \\\\\n" for _ in range(min(n, 20))) \
            + "\\end{pmatrix}\n$$"
    if kind == "table":
        return "| a | b |\n| --- | --- |\n" + "".join(f"| {cell} | {cell} |\n" for _ in range(min(n, 40)))
    return "[" + ", ".join([cell if cell.isdigit() else f'"{cell}"'] * n) + "]"


def steps(draw: st.DrawFn, own: list[str], tail: str) -> str:
    """Numbered steps that share a template and differ in their numbers (Chinese, English, digits)."""
    n = draw(st.integers(min_value=2, max_value=9))
    kind = draw(st.sampled_from(["zh", "zh-digits", "en"]))
    if kind == "zh":
        return "".join(f"第{cn[i]}步，我们把这个数乘以{cn[i + 1]}，{tail}。" for i in range(n))
    if kind == "zh-digits":
        return "".join(f"第{i + 1}步：把结果乘以{i + 2}，得到{(i + 2) * 7}，{tail}。" for i in range(n))
    return "\n".join(f"Step {i + 1}: {own[0]} the previous result by {i + 2} and {own[1]} it." for i in range(n))


def refrain_poem(draw: st.DrawFn, own: list[str]) -> str:
    refrain = " ".join(own[:draw(st.integers(3, 7))]).capitalize() + "."
    verses = [own[10 + 8 * v:18 + 8 * v] for v in range(draw(st.integers(2, 5)))]
    return "\n\n".join(" ".join(v).capitalize() + ",\n" + refrain + "\n" + refrain for v in verses)


def self_check(draw: st.DrawFn, i: int) -> str:
    a, b = draw(st.integers(11, 99)), draw(st.integers(11, 99))
    a, b = 11 + (a + 17 * i) % 89, 11 + (b + 29 * i) % 89  # each part checks its own product
    return (f"So {a} × {b} = {a * b}. Wait, let me check: {a} × {b} is {a} × {b // 10 * 10} plus {a} × {b % 10}, "
            f"which is {a * (b // 10 * 10)} + {a * (b % 10)} = {a * b}. Yes. Let me verify once more: "
            f"{a * b} ÷ {a} = {b}. Yes, that's right.")


def prose(draw: st.DrawFn, own: list[str]) -> str:
    """Sentences made of this part's own words: different from every other part."""
    sentences, i = [], 0
    for _ in range(draw(st.integers(2, 5))):
        k = draw(st.integers(5, 10))
        sentences.append(" ".join(own[i:i + k]).capitalize() + ".")
        i += k
    return " ".join(sentences)


@st.composite
def legitimate_text(draw: st.DrawFn) -> str:
    """Long text mixing prose and legitimately repetitive parts, none of it a loop: every part has words of
    its own (hypothesis shrinks towards equal values, which would make real repeats)."""
    kinds = draw(st.lists(st.sampled_from(["structure", "steps", "poem", "check", "prose", "ru"]), min_size=2,
                          max_size=6))
    pool = draw(st.lists(words, min_size=60 * len(kinds), max_size=60 * len(kinds), unique=True))
    ru_pool = draw(st.lists(ru_words, min_size=60, max_size=60, unique=True))
    parts = []
    for i, kind in enumerate(kinds):
        own = pool[60 * i:60 * (i + 1)]
        if kind == "structure":
            parts.append(structure(draw))
        elif kind == "steps":
            parts.append(steps(draw, own, ZH_TAILS[i % len(ZH_TAILS)]))
        elif kind == "poem":
            parts.append(refrain_poem(draw, own))
        elif kind == "check":
            parts.append(self_check(draw, i))
        else:
            parts.append(prose(draw, ru_pool[10 * i:] if kind == "ru" else own))
    return "\n\n".join(parts)


@settings(max_examples=100, deadline=None)
@given(legitimate_text(), st.integers(min_value=1, max_value=12), st.booleans())
def test_generated_legitimate_repetition_is_never_a_loop(text: str, size: int, answer: bool) -> None:
    loop, _ = feed_pieces(LoopDetector(answer=answer), text, size)
    assert loop is None, text[max(0, loop.start - 80):loop.start + 80]


@st.composite
def looping_text(draw: st.DrawFn) -> tuple[str, int]:
    """A reasoning that falls into a loop: a cycle of sentences repeated, with fillers between copies."""
    pool = draw(st.lists(words, min_size=90, max_size=90, unique=True))
    intro = prose(draw, pool[:40])
    script = draw(st.sampled_from(["en", "ru", "zh"]))
    n = draw(st.integers(1, 4))
    if script == "zh":
        cycle = ["".join(draw(hanzi) for _ in range(3)) + "。" for _ in range(n)]
    elif script == "ru":
        ru = draw(st.lists(ru_words, min_size=12 * n, max_size=12 * n, unique=True))
        cycle = [" ".join(ru[12 * j:12 * j + draw(st.integers(6, 12))]).capitalize() + ". " for j in range(n)]
    else:
        cycle = [" ".join(pool[40 + 12 * j:40 + 12 * j + draw(st.integers(6, 12))]).capitalize() + ". "
                 for j in range(n)]
    filler = draw(st.sampled_from(["", "Hmm. ", "Wait. ", "嗯。", "Хм. "]))
    copies = max(3, -(-4 * MIN_LOOP_WORDS // max(1, sum(len(c.split()) for c in cycle))))
    return intro + " " + "".join("".join(cycle) + filler for _ in range(copies + 8)), len(intro) + 1


@settings(max_examples=100, deadline=None)
@given(looping_text(), st.integers(min_value=1, max_value=8))
def test_generated_loops_are_caught(case: tuple[str, int], size: int) -> None:
    text, loop_from = case
    loop, _ = feed_pieces(LoopDetector(), text, size)
    assert loop is not None and loop.start >= loop_from
