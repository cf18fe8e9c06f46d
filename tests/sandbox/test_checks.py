"""Tests are split so that the verdict is reached outside the sandbox: the sandbox sees probe expressions, never
the expected values; the parent judges plain data it rebuilt itself."""

from __future__ import annotations

import json

import pytest

from assistant.core.eval.tasks import load_suites
from assistant.core.sandbox.checks import TestSpecError, compile_test, decode, judge

ENC: dict[object, list[object]] = {True: ["t"], False: ["f"], None: ["n"]}


def enc(v: object) -> list[object]:
    """The harness's encoding, for the few shapes these tests send."""
    if isinstance(v, bool) or v is None:
        return ENC[v]
    if isinstance(v, int):
        return ["i", format(v, "x")]
    if isinstance(v, str):
        return ["s", v]
    if isinstance(v, list):
        return ["l", [enc(x) for x in v]]
    raise TypeError(v)


def test_probes_are_the_solution_calls_and_the_expected_side_stays_outside() -> None:
    plan = compile_test("assert quicksort([3, 1, 2]) == [1, 2, 3]")
    assert plan.steps == [("p", "quicksort([3, 1, 2])")]
    plan = compile_test("assert len(fizzbuzz(100)) == 100")
    assert plan.steps == [("p", "fizzbuzz(100)")]  # len() is computed outside
    plan = compile_test("assert fizzbuzz(15)[-1] == 'FizzBuzz'")
    assert plan.steps == [("p", "fizzbuzz(15)")]
    plan = compile_test("assert abs(root(2) - 1.41421) < 1e-4")
    assert plan.steps == [("p", "root(2)")]  # the target value never reaches the sandbox
    plan = compile_test("xs = [4, 2, 3]\nquicksort(xs)\nassert xs == [4, 2, 3]")
    assert plan.steps == [("x", "xs = [4, 2, 3]\nquicksort(xs)"), ("p", "xs")]
    plan = compile_test("assert quicksort(list(range(50, 0, -1))) == list(range(1, 51))")
    assert plan.steps == [("p", "quicksort(list(range(50, 0, -1)))")]


def test_no_expected_value_of_the_builtin_suite_reaches_the_sandbox() -> None:
    for task in load_suites(kinds=["instruct"]):
        for check in task.spec["checks"]:
            if check["type"] != "code":
                continue
            for test in check["tests"]:
                plan = compile_test(test)
                sent = json.dumps(plan.steps)
                for a in plan.assertions:
                    # what the parent compares against (the skeleton minus the probes) is not in what is sent,
                    # unless the test itself sets it up in the sandbox (xs = [4, 2, 3])
                    assert all(p in sent for p in a.probes)
                assert "==" not in sent and " is " not in sent, (task.id, sent)


@pytest.mark.parametrize("test", [
    "for x in range(3):\n    assert f(x) == x",  # an assert inside a block would run in the sandbox
    "f(1)",  # nothing to judge
    "try:\n    f(-1)\nexcept ValueError:\n    pass\nelse:\n    raise AssertionError",
    "assert f(1) == (lambda: 2)()",  # the expected side needs code the parent does not run
    "assert f(1) == ().__class__",
    "assert f(1",  # not Python
])
def test_tests_that_cannot_be_judged_outside_are_refused_with_a_reason(test: str) -> None:
    with pytest.raises(TestSpecError) as err:
        compile_test(test)
    assert str(err.value)


def test_judging_plain_values() -> None:
    plan = compile_test("assert is_palindrome('') is True")
    assert judge(plan, {"test": 0, "values": [enc(True)]}) == (True, "")
    ok, why = judge(plan, {"test": 0, "values": [enc(1)]})  # 1 is not True
    assert not ok and "is_palindrome('') = 1" in why
    plan = compile_test("assert sorted(f()) == [1, 2] and len(f()) == 2")
    assert judge(plan, {"values": [enc([2, 1]), enc([1, 2])]})[0]
    assert not judge(plan, {"values": [enc([2, 1]), enc([1, 2, 3])]})[0]
    # an exception in the sandbox, a missing record, a short or malformed record: never a pass
    assert judge(plan, {"values": [enc([2, 1])], "error": "ValueError: x"}) == (
        False, "assert sorted(f()) == [1, 2] and len(f()) == 2 -> ValueError: x")
    assert not judge(plan, None)[0]
    assert not judge(plan, {"values": [enc([1, 2])]})[0]
    assert not judge(plan, {"values": [["zz"], ["zz"]]})[0]
    assert not judge(plan, {"values": "all passed"})[0]


def test_values_are_rebuilt_as_data_and_unknown_objects_equal_nothing() -> None:
    assert decode(["d", [[["s", "a"], ["i", "ff"]]]]) == {"a": 255}
    assert decode(["u", [["F", (0.1).hex()], ["c", (1.0).hex(), (-2.0).hex()]]]) == (0.1, 1 - 2j)
    assert decode(["Z", [["b", "6869"]]]) == frozenset({b"hi"})
    opaque = decode(["o", "Weird", "<Weird eq=always>"])
    assert opaque != opaque and opaque != 3 and [opaque] != [3]
    with pytest.raises(TypeError):
        bool(opaque)
    for bad in (["S", [["l", []]]], ["i", "x" * 10], ["nope"], "s", ["i", "f" * 10 ** 6], ["Q", "1", "0"]):
        with pytest.raises(ValueError):
            decode(bad)
    deep: list[object] = ["n"]
    for _ in range(500):
        deep = ["l", [deep]]
    with pytest.raises(ValueError):
        decode(deep)
    plan = compile_test("assert f() == 3")
    assert not judge(plan, {"values": [["o", "Liar", "3"]]})[0]  # an object claiming to be 3 is not 3


def test_the_parent_never_computes_something_huge_from_a_reported_value() -> None:
    for test, value in (("assert f() * 10 ** 9 == []", [1]), ("assert list(range(f())) == []", 10 ** 12),
                        ("assert f() ** 10 ** 7 == 1", 3), ("assert 'x' * f() == ''", 10 ** 10)):
        ok, why = judge(compile_test(test), {"values": [enc(value)]})
        assert not ok and "ValueError" in why, (test, why)
