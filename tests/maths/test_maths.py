"""Maths answers read and compared as mathematics: every misreading issue 22 found, in both directions, in
Chinese and English; the cost bounds; no signals off the main thread; the vote's keys."""

from __future__ import annotations

import signal
import sys
import threading
import time
from fractions import Fraction

import pytest

from assistant.core.errors import AssistantError
from assistant.core.maths.compare import MAX_CHARS, answer_key, compare
from assistant.core.maths.reading import parse_number, read_number

# (answer in the box, expected): each must be right.
RIGHT = [
    ("2\\frac{1}{2}", "5/2"), ("2\\tfrac12", 2.5), ("-2\\frac{1}{2}", "-5/2"), ("2 \\frac{1}{2}", 2.5),
    ("1{,}000", 1000), ("5{,}050", 5050), ("1\\,000", 1000), ("1 000 000", 1000000), ("5,050", 5050),
    ("2^{10}", 1024), ("10^2", 100), ("1.5\\times10^{3}", 1500), ("1.5 \\cdot 10^3", 1500), ("1.5e3", 1500),
    ("\\dfrac{180}{2.5} = 72", 72), ("x = 54", 54), ("x=\\frac{5}{2}", 2.5), ("6 \\times 9 = 54", 54),
    ("54\\text{ cm}^2", 54), ("54 cm²", 54), ("54 square units", 54), ("\\$54", 54), ("54 dollars", 54),
    ("25\\%", 25), ("25\\%", 0.25), ("25%", 25), ("25 percent", 0.25),
    ("\\frac{108}{2}", 54), ("\\sqrt{2916}", 54), ("6 \\times 9", 54), ("(54)", 54), ("\\textbf{54}", 54),
    ("54.", 54), ("54^\\circ", 54), ("$54$", 54), ("\\dfrac{5}{6}", "5/6"), ("0.8333333", "5/6"),
    # Chinese: units, labels, full-width digits
    ("54平方厘米", 54), ("54\\text{ 平方厘米}", 54), ("面积为54平方厘米", 54), ("7.70元", 7.7), ("７.７元", 7.7),
    ("１２", 12), ("答案是 5050", 5050), ("1.5\\times10^{3}元", 1500), ("25个百分点", 25), ("54。", 54),
]

# (answer in the box, expected): each must be wrong.
WRONG = [
    ("2\\frac{1}{2}", "21/2"),  # a mixed number, not 2 written before 1/2
    ("\\text{not } 54", 54), ("not 54", 54), ("x \\neq 54", 54), ("x \\ne 54", 54), ("x ≠ 54", 54),
    ("x < 54", 54), ("x \\geq 54", 54), ("54 or 45", 54), ("54 \\text{ or } 45", 54), ("6 and 9", 54),
    ("54 \\pm 1", 54), ("x = 6, y = 9", 54), ("x", 54), ("54 - x", 54), ("(x+1)^{100}", 54),
    ("\\dfrac{180}{2.5} = 73", 72), ("x = 55", 54), ("2^{10}", 1000), ("10^2", 1000), ("1.5\\times10^{3}", 150),
    ("1{,}000", 1), ("5.4", 54), ("45", 54), ("", 54), ("0.83", "5/6"), ("26\\%", 25), ("\\frac{1}{0}", 54),
    # Chinese: negations, hedges and "about" are not the number
    ("不是54", 54), ("54或45", 54), ("约54", 54), ("不等于54", 54), ("54以上", 54), ("５５", 54),
]


@pytest.mark.parametrize(("got", "expected"), RIGHT)
def test_right_answers_compare_right(got: str, expected: str | float) -> None:
    c = compare(got, expected)
    assert c.ok, (got, expected, c)


@pytest.mark.parametrize(("got", "expected"), WRONG)
def test_wrong_answers_compare_wrong(got: str, expected: str | float) -> None:
    c = compare(got, expected)
    assert not c.ok, (got, expected, c)


def test_reasons_say_why() -> None:
    assert compare("x \\neq 54", 54).reason == "a relation, not a value"
    assert compare("\\text{not } 54", 54).reason == "an expression in variables, not a number"
    assert compare("54 \\text{ or } 45", 54).reason == "not a single real number"
    assert compare("不是54", 54).reason == "not readable as mathematics"
    assert compare("45", 54).reason == ""  # read fine, just another number


def test_tolerance_is_the_tasks() -> None:
    assert compare("0.833", "5/6", 0.001).ok and not compare("0.833", "5/6").ok
    assert compare("\\frac{\\sqrt{3}}{2}", 0.866, 0.001).ok and not compare("\\frac{\\sqrt{3}}{2}", 0.866).ok
    assert compare("\\pi", 3.14159265, 1e-6).ok


def test_the_fast_path_reads_plain_numbers_without_sympy() -> None:
    assert parse_number("1,234") == 1234 and parse_number("3/4") == parse_number("\\frac{3}{4}") == Fraction(3, 4)
    assert parse_number("2\\frac{1}{2}") == Fraction(5, 2) and parse_number("−3") == -3
    assert parse_number("1 and 2") is None and parse_number("not 54") is None and parse_number("2^{10}") is None
    r = read_number("25\\%")
    assert r is not None and r.value == 25 and r.percent


@pytest.mark.parametrize("answer", [
    "10^{10^{10}}", "99999!", "9^{99999}", "(9^{999})^{999}", "\\sum_{i=1}^{10^{9}} i!", "\\prod_{i=1}^{10^6} i",
    "\\int_0^1 x^{10^{9}} dx", "\\lim_{n\\to\\infty} n", "2^{2^{2^{2^{2}}}}", "1" + "+1" * 200,
    "(" * 60 + "1" + ")" * 60, "{" * 100 + "1" + "}" * 100, "\\frac{" * 40 + "1" + "}{2}" * 40,
])
def test_hostile_answers_are_refused_quickly(answer: str) -> None:
    t0 = time.perf_counter()
    c = compare(answer, 54)
    answer_key(answer)  # the vote reads it too
    assert not c.ok and time.perf_counter() - t0 < 5, (answer, c)


def test_a_missing_verifier_is_said_not_scored_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.maths import compare as module

    monkeypatch.setattr(module, "_mv", None)
    monkeypatch.setitem(sys.modules, "math_verify", None)  # import fails, as with a broken install
    with pytest.raises(AssistantError, match="maths verifier cannot be loaded"):
        compare("2^{11} + 0", 2048)
    assert compare("2048", 2048).ok  # plain numbers need no library
    assert answer_key("3^{7} + 0") is None  # the vote falls back to comparing the text


def test_length_is_capped() -> None:
    c = compare("1+" * MAX_CHARS + "1", 54)
    assert not c.ok and "longer than" in c.reason


def test_works_off_the_main_thread_without_signals() -> None:
    """math-verify's own timeouts use SIGALRM, which fails off the main thread: they are never used."""
    before = signal.getsignal(signal.SIGALRM)
    out: dict[str, object] = {}

    def work() -> None:
        try:
            out["right"] = compare("\\dfrac{180}{2.5} = 72", 72).ok and compare("2^{10}", 1024).ok
            out["wrong"] = compare("x \\neq 54", 54).ok
            out["key"] = answer_key("2\\sqrt{2}")
        except BaseException as exc:  # the test reports it
            out["error"] = exc

    t = threading.Thread(target=work)
    t.start()
    t.join(60)
    assert out == {"right": True, "wrong": False, "key": "2*sqrt(2)"}
    assert signal.getsignal(signal.SIGALRM) == before


@pytest.mark.parametrize(("a", "b"), [
    ("\\frac{5}{2}", "2.5"), ("2.5", "2\\frac12"), ("\\sqrt{8}", "2\\sqrt{2}"), ("2^{10}", "1024"),
    ("1{,}000", "1000"), ("1.5\\times10^{3}", "1500"), ("x = 54", "54平方厘米"), ("\\dfrac{180}{2.5} = 72", "72"),
])
def test_equal_values_share_a_vote_key(a: str, b: str) -> None:
    assert answer_key(a) is not None and answer_key(a) == answer_key(b)


def test_vote_keys_keep_different_answers_apart() -> None:
    assert answer_key("2\\frac{1}{2}") != answer_key("21/2")
    assert answer_key("x \\neq 54") is None and answer_key("\\text{not } 54") is None
    assert answer_key("Paris") is None and answer_key("x+1") is None


def test_a_turn_with_samples_loads_the_verifier_early_and_votes_by_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several samples: the verifier is imported on a daemon thread as the turn starts (so the vote, and the
    window's vote strip on its GUI thread, do not wait for SymPy); equal values then vote together."""
    from assistant.core.backends.fake import FakeBackend
    from assistant.core.chat.turn import ChatTurn, TurnOptions
    from assistant.core.maths import compare as module

    loaded = module._verifier()
    monkeypatch.setattr(module, "_mv", None)
    monkeypatch.setattr(module, "_warming", threading.Event())
    started: list[str] = []
    real_thread = threading.Thread

    def spy(*args: object, **kwargs: object) -> threading.Thread:
        started.append(str(kwargs.get("name")))
        return real_thread(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module.threading, "Thread", spy)
    backend = FakeBackend(replies=["\\boxed{\\frac{5}{2}}", "\\boxed{3}", "\\boxed{2\\tfrac12}"], piece_chars=100)
    result = ChatTurn(backend, [], "q", TurnOptions(samples=3, parallel=False)).run()
    assert started == ["maths-warm-up"]
    assert result.vote is not None
    assert (result.vote.votes, result.vote.total, result.vote.winner) == (2, 3, "\\frac{5}{2}")
    assert module._mv is not None and module._mv[1] is loaded[1]  # the same SymPy, imported once
