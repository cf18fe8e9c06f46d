"""Every scorer with hand-made right and wrong answers, in Chinese and English."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.core.eval.scorers import (
    LENGTH,
    NO_BOXED,
    REASONING,
    WRONG,
    check_instruction,
    count_bullets,
    count_sentences,
    count_words,
    detect_language,
    extract_code,
    score,
)
from assistant.core.eval.tasks import Task, load_suites, parse_task
from assistant.core.maths.compare import numbers_match
from assistant.core.maths.reading import parse_number


def task(**spec: Any) -> Task:
    base = {"id": "t", "lang": "en", "prompt": "?"}
    return parse_task({**base, **spec}, "test")


RECT = task(kind="maths", answer=54)


@pytest.mark.parametrize("answer", [
    "Width 6, length 9, so the area is \\boxed{54}.",
    "面积是 6 × 9 = 54 平方厘米，所以答案是 \\boxed{54\\text{ 平方厘米}}。",
    "\\boxed{54.0}", "\\boxed{x = 54}", "\\boxed{54 \\text{ cm}^2}", "first \\boxed{48}, corrected: \\boxed{54}",
    "\\boxed{\\frac{108}{2}}", "\\boxed{54 square units}",
])
def test_maths_right(answer: str) -> None:
    s = score(RECT, answer)
    assert s.ok and s.cause == "", s


@pytest.mark.parametrize("answer,cause", [
    ("The area is 54.", NO_BOXED),  # right number, but not where the directive asked for it
    ("答案是五十四", NO_BOXED),
    ("\\boxed{45}", WRONG), ("\\boxed{54} then \\boxed{56}", WRONG), ("\\boxed{5.4}", WRONG), ("\\boxed{}", WRONG),
    ("\\boxed{6 and 9}", WRONG),
])
def test_maths_wrong(answer: str, cause: str) -> None:
    s = score(RECT, answer)
    assert not s.ok and s.cause == cause, s


def test_maths_cut_at_max_tokens_counts_as_cut() -> None:
    assert score(RECT, "Let w be the width. Then", finish_reason="length").cause == LENGTH
    assert score(RECT, "\\boxed{54}", finish_reason="length").ok  # a right answer is right however it ended


def test_maths_boxed_given() -> None:
    assert score(RECT, "", boxed="54").ok and score(RECT, "", boxed="x \\neq 54").cause == WRONG


def test_maths_box_only_in_unfinished_reasoning_is_its_own_cause() -> None:
    """The reply never answered: a box in reasoning that did not end is no answer, right or wrong, and says so
    even when the reply was cut at max tokens."""
    for box, was in (("54", "(right)"), ("45", "(wrong)")):
        s = score(RECT, "", reasoning_box=box, finish_reason="length")
        assert not s.ok and s.cause == REASONING and was in s.detail, s
    assert score(RECT, "\\boxed{54}", reasoning_box="45").ok  # the answer's own box decides
    assert score(RECT, "The area is 54.", reasoning_box=None).cause == NO_BOXED


# Issue 22's misreadings, in both directions: (reply, right for 54 / the task's answer).
RECT_REPLIES = [
    ("So the area is \\boxed 54.", True), ("\\boxed{x \\neq 54}", False), ("\\boxed{\\text{not } 54}", False),
    ("\\boxed{\\dfrac{180}{2.5} = 72}", False), ("\\boxed{6 \\times 9 = 54}", True),
    ("\\boxed{54 \\text{ or } 45}", False),
    ("面积是 \\boxed{５４平方厘米}。", True), ("\\boxed{不是54}", False), ("\\boxed{约54平方厘米}", False),
]


@pytest.mark.parametrize(("reply", "right"), RECT_REPLIES)
def test_maths_misreadings_fixed(reply: str, right: bool) -> None:
    s = score(RECT, reply)
    assert s.ok is right and s.cause == ("" if right else WRONG), s


@pytest.mark.parametrize(("answer", "reply", "right"), [
    ("5/2", "\\boxed{2\\frac{1}{2}}", True), ("21/2", "\\boxed{2\\frac{1}{2}}", False),
    (1000, "\\boxed{1{,}000}", True), (5050, "共 \\boxed{5{,}050} 个", True), (505, "\\boxed{5{,}050}", False),
    (1024, "\\boxed{2^{10}}", True), (100, "\\boxed{10^2}", True), (1000, "\\boxed{10^2}", False),
    (1500, "\\boxed{1.5\\times10^{3}}", True), (150, "\\boxed{1.5\\times10^{3}}", False),
    (72, "\\boxed{\\dfrac{180}{2.5} = 72}", True), (7.7, "所以要付 \\boxed{7.70元}", True),
    (25, "\\boxed{25\\%}", True), (0.25, "\\boxed{25\\%}", True),
])
def test_maths_latex_answers(answer: Any, reply: str, right: bool) -> None:
    t = task(kind="maths", answer=answer)
    assert score(t, reply).ok is right, (answer, reply)


def test_numbers_fractions_percent_commas_tolerance() -> None:
    assert parse_number("1,234") == 1234 and parse_number("3/4") == parse_number("\\frac{3}{4}") == parse_number("0.75")
    assert parse_number("１２") == 12 and parse_number("−3") == -3 and parse_number("1 and 2") is None
    assert numbers_match("\\dfrac{5}{6}", "5/6") and not numbers_match("0.83", "5/6")
    assert numbers_match("0.833", "5/6", tolerance=0.001)
    assert numbers_match("25\\%", 25) and numbers_match("25%", 0.25) and numbers_match("25 percent", 25)
    assert not numbers_match("26%", 25)
    assert numbers_match("7.70元", 7.7, 0.001) and not numbers_match("7.8", 7.7, 0.001)
    assert numbers_match("5,050", 5050)


def test_counters_chinese_per_character() -> None:
    assert count_words("The quick brown fox.") == 4
    assert count_words("春天来了") == 4 and count_words("我爱 Python 编程") == 5
    assert count_sentences("One. Two! Three?") == 3 and count_sentences("第一句。第二句！第三句？") == 3
    assert count_sentences("Pi is 3.14 exactly. Yes.") == 2
    assert count_bullets("- a\n- b\n* c\ntext\n1. d\n2) e\n3、f\n（4）g") == 7
    assert count_bullets("```\n- not a bullet\n```\n- one") == 1


@pytest.mark.parametrize("check,right,wrong", [
    ({"type": "bullets", "count": 3}, "- a\n- b\n- c", "- a\n- b"),
    ({"type": "bullets", "count": 5}, "1. 选题\n2. 学语法\n3. 写代码\n4. 调试\n5. 做项目", "1. 选题\n2. 学语法"),
    ({"type": "words", "max": 5}, "The sea is vast.", "The sea is vast, deep and blue."),
    ({"type": "words", "min": 3, "max": 6}, "大海很蓝。", "大海非常非常蓝。"),
    ({"type": "chars", "max": 10}, "秋天 凉爽 宜人", "秋天是我最喜欢的季节，因为它凉爽"),
    ({"type": "sentences", "min": 2, "max": 2}, "Light bends. Colours appear.", "Light bends."),
    ({"type": "sentences", "max": 1}, "春天来了，花开了，天气温暖。", "春天来了。花开了。"),
    ({"type": "language", "lang": "zh"}, "东京是日本的首都。", "Tokyo is the capital of Japan."),
    ({"type": "language", "lang": "en"}, "Photosynthesis turns light into sugar (光合作用).",
     "光合作用是植物利用光能的过程。"),
    ({"type": "include", "words": ["花", "温暖"]}, "花开了，天气温暖。", "天气温暖。"),
    ({"type": "include", "words": ["light"]}, "Light is split.", "A rainbow is an arc of lightning."),
    ({"type": "exclude", "words": ["cute", "fur"]}, "The cat is furtive and sleek.", "The cat has soft fur."),
    ({"type": "exclude", "words": ["可爱"]}, "猫很安静。", "猫很可爱。"),
    ({"type": "json", "keys": {"title": "str", "year": "int"}}, '```json\n{"title": "三体", "year": 2006}\n```',
     '{"title": "三体", "year": "2006"}'),
    ({"type": "json", "list": True, "keys": {"name": "str", "population": "number"}},
     'Here: [{"name": "Tokyo", "population": 37.4e6}, {"name": "Delhi", "population": 32000000}]',
     '{"name": "Tokyo", "population": 37}'),
    ({"type": "json", "keys": {"a": "bool"}}, '{"a": true}', "{'a': True}"),
    ({"type": "starts_with", "text": "Yes"}, "yes, it does.", "Indeed, yes."),
    ({"type": "ends_with", "text": "谢谢阅读"}, "大熊猫生活在四川。谢谢阅读！", "谢谢阅读。大熊猫生活在四川。"),
])
def test_instruction_checks(check: dict[str, Any], right: str, wrong: str) -> None:
    t = task(kind="instruct", checks=[check])  # validated as a task file would be
    assert check_instruction(check, right)[0], (check, right)
    ok, detail = check_instruction(check, wrong)
    assert not ok and detail, (check, wrong)
    assert score(t, right).ok and score(t, wrong).cause == WRONG


def test_language_of_mixed_or_empty_text_is_neither() -> None:
    assert detect_language("Tokyo 东京 capital 首都") == ""
    assert detect_language("") == "" and detect_language("123") == ""


QUICKSORT = task(kind="instruct", checks=[{"type": "code", "function": "quicksort", "comments": True, "tests": [
    "assert quicksort([]) == []", "assert quicksort([3, 1, 2]) == [1, 2, 3]",
    "assert quicksort([2, 2, -1]) == [-1, 2, 2]",
    "xs = [2, 1]\nquicksort(xs)\nassert xs == [2, 1]"]}])
GOOD_QS = """作为资深 Python 工程师，下面是带注释的快速排序：

```python
def quicksort(xs):
    # 少于两个元素时已经有序
    if len(xs) < 2:
        return list(xs)
    pivot = xs[0]
    # 分成小于和不小于基准的两部分，递归排序
    return quicksort([x for x in xs[1:] if x < pivot]) + [pivot] + quicksort([x for x in xs[1:] if x >= pivot])
```
"""
WRONG_QS = """```python
def quicksort(xs):
    # sorts in place (but the task asks for a new list and an untouched argument)
    xs.sort()
    return xs
```"""


def test_code_right_and_wrong_quicksort() -> None:
    assert score(QUICKSORT, GOOD_QS).ok
    s = score(QUICKSORT, WRONG_QS)
    assert not s.ok and "3/4 tests passed" in s.detail and "AssertionError" in s.detail
    no_comments = "\n".join(line for line in GOOD_QS.splitlines() if not line.strip().startswith("#"))
    assert "no comments" in score(QUICKSORT, no_comments).detail
    assert "no function quicksort" in score(QUICKSORT, "```python\ndef sort(xs):\n    return sorted(xs)\n```").detail


def test_extract_code_prefers_the_block_that_defines_the_function() -> None:
    text = "Usage:\n```python\nprint(f(2))\n```\nCode:\n```py\ndef f(x):\n    return x\n```"
    assert extract_code(text, "f").strip() == "def f(x):\n    return x"
    assert extract_code("def f(x):\n    return x", "f").startswith("def f")


CAPITAL = task(kind="knowledge", accepted=["Canberra", "堪培拉"], rejected=["Sydney", "悉尼"])
POINTS = task(kind="knowledge", key_points=[["oxygen", "氧气"], ["glucose", "sugar", "葡萄糖"]])
BONES = task(kind="knowledge", accepted=["206"])


@pytest.mark.parametrize("t,right,wrong", [
    (CAPITAL, "The capital is Canberra.", "It is Melbourne."),
    (CAPITAL, "澳大利亚的首都是堪培拉。", "首都是悉尼。"),
    (CAPITAL, "CANBERRA", "Sydney, or maybe Canberra"),  # hedging with a rejected answer is wrong
    (POINTS, "It makes glucose and releases oxygen.", "It makes oxygen."),
    (POINTS, "光合作用产生葡萄糖和氧气。", "光合作用产生能量。"),
    (BONES, "An adult has 206 bones.", "About 2060 bones, or 1206."),
    (BONES, "成年人有206块骨头", "成年人有 300 块骨头"),
])
def test_knowledge(t: Task, right: str, wrong: str) -> None:
    assert score(t, right).ok, right
    s = score(t, wrong)
    assert not s.ok and s.cause == WRONG, wrong


def test_knowledge_numbers_with_separators_and_empty_answers() -> None:
    light = task(kind="knowledge", accepted=["300000", "299792"])
    assert score(light, "About 300,000 km/s").ok and score(light, "299 792 km/s").ok
    assert not score(light, "3000000 km/s").ok
    assert score(light, "   ").detail == "empty answer"


def test_builtin_reference_answers_score_right() -> None:
    """The built-in maths answers, written as a model would box them, score right; one off scores wrong."""
    for t in load_suites(kinds=["maths"]):
        expected = t.spec["answer"]
        assert score(t, f"So the answer is \\boxed{{{expected}}}.").ok, t.id
        assert not score(t, f"\\boxed{{{parse_number(str(expected)) + 1}}}").ok, t.id
