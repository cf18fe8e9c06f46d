"""run_tests, the entry `assistant eval` scores code with: right answers pass, wrong ones fail, and whatever
the code does ends as a result, never as an exception."""

from __future__ import annotations

import time

import pytest

from assistant.core.eval.tasks import load_suites
from assistant.core.sandbox import TestSpecError, run_tests

# Reference solutions for every code task of the built-in suite, and a plausible wrong version of each.
RIGHT = {
    "quicksort": """def quicksort(xs):
    # pick a pivot, split, recurse
    if len(xs) <= 1:
        return list(xs)
    p = xs[0]
    return quicksort([x for x in xs[1:] if x < p]) + [p] + quicksort([x for x in xs[1:] if x >= p])
""",
    "fizzbuzz": """def fizzbuzz(n):
    return ['FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else str(i)
            for i in range(1, n + 1)]
""",
    "is_palindrome": """def is_palindrome(s):
    t = [c.lower() for c in s if c.isalnum()]
    return t == t[::-1]
""",
    "fib": """def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
""",
    "word_count": """def word_count(text):
    out = {}
    for w in text.split():
        w = w.strip('.,!?').lower()
        if w:
            out[w] = out.get(w, 0) + 1
    return out
""",
    "binary_search": """def binary_search(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
""",
    "gcd": """def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
""",
}

WRONG = {
    "quicksort": "def quicksort(xs):\n    xs.sort()\n    return xs\n",  # sorts in place: changes its argument
    "fizzbuzz": "def fizzbuzz(n):\n    return [str(i) for i in range(1, n + 1)]\n",
    "is_palindrome": "def is_palindrome(s):\n    return s == s[::-1]\n",
    "fib": "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",  # right, but far too slow for fib(80)
    "word_count": "def word_count(text):\n    return {w: text.split().count(w) for w in text.split()}\n",
    "binary_search": "def binary_search(xs, target):\n    return xs.index(target)\n",
    "gcd": "def gcd(a, b):\n    return min(a, b)\n",
}


def _code_checks() -> list[tuple[str, dict[str, object]]]:
    out = []
    for task in load_suites(kinds=["instruct"]):
        out += [(task.id, c) for c in task.spec["checks"] if c["type"] == "code"]
    return out


@pytest.mark.parametrize(("task_id", "check"), _code_checks(), ids=[t for t, _ in _code_checks()])
def test_builtin_code_tasks_right_and_wrong(task_id: str, check: dict) -> None:  # type: ignore[type-arg]
    name = check["function"]
    timeout = float(check.get("timeout", 10))  # type: ignore[arg-type]
    good = run_tests(RIGHT[name], check["tests"], timeout_s=timeout)  # type: ignore[arg-type]
    assert good.ok and good.passed == good.total == len(check["tests"]), good.summary()  # type: ignore[arg-type]
    bad = run_tests(WRONG[name], check["tests"], timeout_s=min(timeout, 3))  # type: ignore[arg-type]
    assert not bad.ok and bad.passed < bad.total, bad.summary()


def test_results_say_what_failed() -> None:
    bad = run_tests("def add(a, b):\n    return a - b\n", ["assert add(1, 2) == 3", "assert add(0, 0) == 0"])
    assert bad.status == "failed" and bad.passed == 1 and bad.total == 2
    assert bad.detail == "assert add(1, 2) == 3 -> AssertionError (add(1, 2) = -1)"
    raised = run_tests("def f(x):\n    raise ValueError('负数')\n", ["assert f(1) == 1"])
    assert raised.status == "failed" and "ValueError: 负数" in raised.detail
    broken = run_tests("def add(a, b)\n    return a + b\n", ["assert add(1, 2) == 3"])
    assert broken.status == "failed" and "SyntaxError" in broken.detail
    out = run_tests("print('计算中', 'x' * 100)\ndef f():\n    return 1\n", ["assert f() == 1"])
    assert out.ok and "计算中 " + "x" * 100 in out.output and out.summary() == "1/1 tests passed"


def test_values_of_every_plain_kind_round_trip() -> None:
    code = """from fractions import Fraction
from decimal import Decimal
from collections import Counter, OrderedDict
def f(k):
    return {'none': None, 'tuple': (1, 'a', 2.5), 'set': {1, 2}, 'fs': frozenset('ab'), 'bytes': b'\\x00hi',
            'big': 2 ** 200, 'neg': -7, 'nan': float('nan'), 'inf': float('-inf'), 'frac': Fraction(1, 3),
            'dec': Decimal('1.10'), 'counter': Counter('aab'), 'od': OrderedDict(a=1), 'cplx': 3 - 4j,
            'rng': range(3), 'zh': '中文'}[k]
"""
    tests = ["assert f('none') is None", "assert f('tuple') == (1, 'a', 2.5)", "assert f('set') == {2, 1}",
             "assert f('fs') == frozenset({'a', 'b'})", "assert f('bytes') == b'\\x00hi'",
             "assert f('big') == 2 ** 200",
             "assert f('neg') < -6", "assert math.isnan(f('nan'))", "assert f('inf') == -math.inf",
             "assert f('frac') * 3 == 1", "assert str(f('dec')) == '1.10'", "assert f('counter') == {'a': 2, 'b': 1}",
             "assert f('od') == {'a': 1}", "assert abs(f('cplx')) == 5", "assert list(f('rng')) == [0, 1, 2]",
             "assert f('zh') == '中文' and len(f('zh')) == 2", "assert isinstance(f('tuple'), tuple)"]
    r = run_tests(code, ["import math\nassert True", *tests])
    assert r.ok and r.passed == len(tests) + 1, r.failures


def test_objects_of_the_solutions_own_classes_equal_nothing() -> None:
    code = "class Always:\n    def __eq__(self, other):\n        return True\ndef f():\n    return Always()\n"
    r = run_tests(code, ["assert f() == 3"])
    assert not r.ok and "Always" in r.detail


def test_infinite_loop_times_out_and_counts_what_passed_before() -> None:
    t0 = time.monotonic()
    r = run_tests("def f(x):\n    while x:\n        pass\n    return 0\n",
                  ["assert f(0) == 0", "assert f(1) == 0", "assert f(0) == 0"], timeout_s=1.5)
    assert r.status == "timeout" and r.passed == 1 and r.total == 3 and 1.4 < time.monotonic() - t0 < 5
    assert "timed out" in r.summary()


def test_memory_bomb_and_leaving_early_are_failures() -> None:
    mem = run_tests("x = bytearray(3 * 1024 ** 3)\n", ["assert True"], memory_mb=256)
    assert mem.status == "failed" and "MemoryError" in mem.detail and mem.seconds < 5
    gone = run_tests("import os\nos._exit(0)\n", ["assert True"])
    assert gone.status == "error"
    killed = run_tests("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", ["assert True"])
    assert killed.status == "error" and "SIGKILL" in killed.detail


def test_a_test_that_cannot_be_judged_outside_is_refused_before_running() -> None:
    with pytest.raises(TestSpecError):
        run_tests("def f(x):\n    return x\n", ["for i in range(3):\n    assert f(i) == i"])
