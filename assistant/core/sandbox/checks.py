"""Unit tests split so that the verdict is reached outside the sandbox.

A test is Python statements (``assert quicksort([3, 1, 2]) == [1, 2, 3]``). Before anything runs, the parent
parses each top-level ``assert`` into a *skeleton* it evaluates itself and *probes*: the smallest
sub-expressions that need the solution (a call of one of its functions, a variable set by the test). The
sandbox receives only the probe expressions and the test's other statements; it evaluates each probe and
reports its value as plain data. The parent rebuilds the values and computes the skeleton — the expected
values, the comparison, ``len``/``sorted``/``abs`` around the call — with a small evaluator that knows
only literals, operators and a list of pure built-ins.

So the code under test never sees what is expected nor decides what passes: whatever it does to the harness
(rebinding its globals, rewriting or emptying the test list, writing fake results), a test passes only when
the values reported for its probes are the right ones. Comparisons written *inside* a comprehension or a
lambda run in the sandbox (they are part of a probe); every built-in task uses top-level comparisons.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

MAX_SEQUENCE = 10_000_000  # items a parent-side expression may build (range, repetition)
MAX_INT_BITS = 1_000_000  # ints the parent multiplies or raises to a power
MAX_DEPTH = 100


class TestSpecError(ValueError):
    """A test the harness cannot judge from outside the sandbox (said when a suite is loaded)."""

    __test__ = False  # not a pytest test class, whatever its name


class Opaque:
    """A value of a type the sandbox cannot send as data: equal to nothing, no truth value."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name, self.text = type_name, text

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return id(self)

    def __bool__(self) -> bool:
        raise TypeError(f"a {self.type_name} object has no truth value outside the sandbox")

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


def decode(data: Any, depth: int = 0) -> Any:
    """Plain data from the harness's tagged form; ValueError for anything malformed."""
    if depth > MAX_DEPTH or not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise ValueError("malformed value")
    tag, rest = data[0], data[1:]
    try:
        if tag in ("n", "t", "f"):
            return {"n": None, "t": True, "f": False}[tag]
        if tag == "i":
            return _int(rest[0])
        if tag == "F":
            return float.fromhex(rest[0])
        if tag == "c":
            return complex(float.fromhex(rest[0]), float.fromhex(rest[1]))
        if tag == "s":
            return str(rest[0])
        if tag == "b":
            return bytes.fromhex(rest[0])
        if tag == "r":
            return range(*(int(x) for x in rest[:3]))
        if tag in ("l", "u", "S", "Z"):
            items = [decode(x, depth + 1) for x in rest[0]]
            return {"l": list, "u": tuple, "S": set, "Z": frozenset}[tag](items)
        if tag == "d":
            return {decode(k, depth + 1): decode(v, depth + 1) for k, v in rest[0]}
        if tag == "Q":
            return Fraction(_int(rest[0]), _int(rest[1]))
        if tag == "D":
            return Decimal(str(rest[0]))
        if tag == "o":
            return Opaque(str(rest[0])[:100], str(rest[1])[:200])
    except (TypeError, ValueError, ArithmeticError, IndexError, KeyError, RecursionError) as exc:
        raise ValueError(f"malformed value ({exc})") from None
    raise ValueError(f"unknown value tag {tag!r}")


def _int(text: Any) -> int:
    if not isinstance(text, str) or len(text) > MAX_INT_BITS // 4 + 2:
        raise ValueError("integer too large")
    return int(text, 16)


# ---------------------------------------------------------------------------------------------------
# What the parent may compute


def _guard_len(n: int) -> None:
    if n > MAX_SEQUENCE:
        raise ValueError(f"the test builds {n:,} items (at most {MAX_SEQUENCE:,})")


def _range(*args: int) -> range:
    r = range(*args)
    _guard_len(len(r))
    return r


def _pow(base: Any, exp: Any, mod: Any = None) -> Any:
    if (mod is None and isinstance(base, int) and isinstance(exp, int)
            and (abs(exp) > 100_000 or max(base.bit_length(), 1) * abs(exp) > MAX_INT_BITS)):
        raise ValueError("a power too large to compute outside the sandbox")
    return pow(base, exp, mod)


def _type(obj: Any) -> type:
    return type(obj)


SAFE_CALLS: dict[str, Callable[..., Any]] = {
    "abs": abs, "all": all, "any": any, "bool": bool, "chr": chr, "complex": complex, "dict": dict,
    "divmod": divmod, "enumerate": lambda *a: list(enumerate(*a)), "float": float, "frozenset": frozenset,
    "hex": hex, "bin": bin, "oct": oct, "int": int, "isinstance": isinstance, "len": len, "list": list,
    "max": max, "min": min, "ord": ord, "pow": _pow, "range": _range, "repr": repr,
    "reversed": lambda x: list(reversed(x)), "round": round, "set": set, "sorted": sorted, "str": str,
    "sum": sum, "tuple": tuple, "type": _type, "zip": lambda *a: list(zip(*a)),
}
# Names usable as values (isinstance(x, list), type(x) == dict); the callables above shadow type constructors.
SAFE_VALUES: dict[str, Any] = {**SAFE_CALLS, "type": type, "bytes": bytes, "NoneType": type(None)}
MATH = {name: getattr(math, name) for name in (
    "isclose", "sqrt", "floor", "ceil", "fabs", "isnan", "isinf", "isfinite", "pi", "e", "inf", "nan", "log",
    "log2", "log10", "exp", "gcd", "trunc")}
METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "startswith",
                    "endswith", "count", "find", "index", "isdigit", "isalpha", "isspace", "title", "splitlines",
                    "casefold", "capitalize"}),
    bytes: frozenset({"decode", "hex", "startswith", "endswith", "count"}),
    list: frozenset({"count", "index"}), tuple: frozenset({"count", "index"}),
    dict: frozenset({"keys", "values", "items", "get"}),
    set: frozenset({"issubset", "issuperset", "union", "intersection", "difference"}),
    frozenset: frozenset({"issubset", "issuperset", "union", "intersection", "difference"}),
}
_METHOD_NAMES = frozenset().union(*METHODS.values())
_SAFE_NAMES = frozenset(SAFE_VALUES) | {"math"}


class _Math:
    """``math`` in a skeleton: only the attributes in MATH."""


_MATH_MODULE = _Math()


# ---------------------------------------------------------------------------------------------------
# Splitting a test


@dataclass
class Assertion:
    text: str  # the assert statement as written, for the report
    skeleton: ast.expr  # probes replaced by names __p0, __p1, ...
    probes: list[str]  # the probe expressions, in the order the sandbox evaluates them


@dataclass
class TestPlan:
    __test__ = False  # not a pytest test class
    source: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # ("x", statements) | ("p", expression)
    assertions: list[Assertion] = field(default_factory=list)

    @property
    def probe_count(self) -> int:
        return sum(len(a.probes) for a in self.assertions)


def _uses_child(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id not in _SAFE_NAMES for n in ast.walk(node))


def _parent_can(node: ast.AST) -> bool:
    """Whether the evaluator below can compute ``node`` without the solution."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in _SAFE_NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_parent_can(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _parent_can(k) for k in node.keys) and all(_parent_can(v) for v in node.values)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "math":
            return node.attr in MATH
        return node.attr in _METHOD_NAMES and _parent_can(node.value)
    if isinstance(node, ast.Call):
        return (not any(isinstance(a, ast.Starred) for a in node.args) and all(k.arg for k in node.keywords)
                and _callee_ok(node.func) and all(_parent_can(a) for a in node.args)
                and all(_parent_can(k.value) for k in node.keywords))
    if isinstance(node, (ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript, ast.Slice)):
        return all(_parent_can(c) for c in ast.iter_child_nodes(node) if not isinstance(c, _OPERATORS))
    return False


_OPERATORS = (ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context)


def _callee_ok(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in SAFE_CALLS
    return isinstance(func, ast.Attribute) and _parent_can(func)


class _Splitter:
    def __init__(self) -> None:
        self.probes: list[str] = []

    def probe(self, node: ast.expr) -> ast.expr:
        src = ast.unparse(node)
        if isinstance(node, ast.GeneratorExp):
            src = f"list({src})"  # a generator cannot be sent; its items can
        self.probes.append(src)
        return ast.copy_location(ast.Name(id=f"__p{len(self.probes) - 1}", ctx=ast.Load()), node)

    def split(self, node: ast.expr) -> ast.expr:
        if not _uses_child(node):
            if _parent_can(node):
                return node
            raise TestSpecError(f"the harness cannot compute {ast.unparse(node)!r} outside the sandbox "
                                "(use literals, operators and built-ins such as len, sorted, abs, range)")
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            node.elts = [self.split(e) for e in node.elts]
        elif isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
            node.keys = [self.split(k) for k in node.keys if k is not None]
            node.values = [self.split(v) for v in node.values]
        elif isinstance(node, ast.UnaryOp):
            node.operand = self.split(node.operand)
        elif isinstance(node, ast.BinOp):
            node.left, node.right = self.split(node.left), self.split(node.right)
        elif isinstance(node, ast.BoolOp):
            node.values = [self.split(v) for v in node.values]
        elif isinstance(node, ast.Compare):
            node.left, node.comparators = self.split(node.left), [self.split(c) for c in node.comparators]
        elif isinstance(node, ast.IfExp):
            node.test, node.body, node.orelse = self.split(node.test), self.split(node.body), self.split(node.orelse)
        elif isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
            node.value, node.slice = self.split(node.value), self.split(node.slice)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SAFE_CALLS
              and not any(isinstance(a, ast.Starred) for a in node.args) and all(k.arg for k in node.keywords)):
            node.args = [self.split(a) for a in node.args]
            for k in node.keywords:
                k.value = self.split(k.value)
        else:
            return self.probe(node)  # a call of the solution, a variable, an attribute, a comprehension...
        return node


def compile_test(source: str) -> TestPlan:
    """Split one test; TestSpecError says why a test cannot be judged from outside."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise TestSpecError(f"test {source!r} is not valid Python ({exc.msg})") from None
    plan = TestPlan(source)
    pending: list[ast.stmt] = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assert):
            if any(isinstance(n, ast.Assert) for n in ast.walk(stmt)):
                raise TestSpecError(f"test {source!r}: an assert inside a block cannot be judged outside the "
                                    "sandbox; write each check as a top-level assert")
            pending.append(stmt)
            continue
        if pending:
            plan.steps.append(("x", "\n".join(ast.unparse(s) for s in pending)))
            pending = []
        splitter = _Splitter()
        text = ast.unparse(stmt)  # before the split rewrites the tree
        plan.assertions.append(Assertion(text, splitter.split(stmt.test), splitter.probes))
        plan.steps += [("p", p) for p in splitter.probes]
    if pending:
        plan.steps.append(("x", "\n".join(ast.unparse(s) for s in pending)))
    if not plan.assertions:
        raise TestSpecError(f"test {source!r} has no assert: the harness judges a test by its top-level asserts")
    return plan


def compile_tests(tests: Sequence[str]) -> list[TestPlan]:
    return [compile_test(t) for t in tests]


# ---------------------------------------------------------------------------------------------------
# Judging


class _Evaluator:
    def __init__(self, env: dict[str, Any]) -> None:
        self.env = env

    def eval(self, node: ast.AST) -> Any:  # one branch per node type
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            return _MATH_MODULE if node.id == "math" else SAFE_VALUES[node.id]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = [self.eval(e) for e in node.elts]
            return {ast.Tuple: tuple, ast.List: list, ast.Set: set}[type(node)](items)
        if isinstance(node, ast.Dict):
            return {self.eval(k): self.eval(v) for k, v in zip(node.keys, node.values) if k is not None}
        if isinstance(node, ast.UnaryOp):
            v = self.eval(node.operand)
            ops: dict[type, Callable[[Any], Any]] = {ast.Not: lambda x: not x, ast.USub: lambda x: -x,
                                                     ast.UAdd: lambda x: +x, ast.Invert: lambda x: ~x}
            return ops[type(node.op)](v)
        if isinstance(node, ast.BinOp):
            return _binop(node.op, self.eval(node.left), self.eval(node.right))
        if isinstance(node, ast.BoolOp):
            result: Any = None
            for v in node.values:
                result = self.eval(v)
                if isinstance(node.op, ast.And) != bool(result):
                    return result
            return result
        if isinstance(node, ast.Compare):
            left = self.eval(node.left)
            for op, comp in zip(node.ops, node.comparators):
                right = self.eval(comp)
                if not _compare(op, left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)
        if isinstance(node, ast.Subscript):
            return self.eval(node.value)[self.eval(node.slice)]
        if isinstance(node, ast.Slice):
            parts = [None if p is None else self.eval(p) for p in (node.lower, node.upper, node.step)]
            return slice(*parts)
        if isinstance(node, ast.Attribute):
            return _attribute(self.eval(node.value), node.attr)
        if isinstance(node, ast.Call):
            func = self.eval(node.func)
            if not callable(func):
                raise TypeError(f"{ast.unparse(node.func)} is not callable")
            return func(*[self.eval(a) for a in node.args], **{k.arg: self.eval(k.value) for k in node.keywords
                                                                 if k.arg})
        raise TypeError(f"cannot compute {type(node).__name__} outside the sandbox")


def _attribute(obj: Any, name: str) -> Any:
    if obj is _MATH_MODULE and name in MATH:
        return MATH[name]
    if name in METHODS.get(type(obj), ()):
        return getattr(obj, name)
    raise TypeError(f"{type(obj).__name__}.{name} is not computed outside the sandbox")


def _big(*values: Any) -> bool:
    return any(isinstance(v, int) and v.bit_length() > MAX_INT_BITS // 10 for v in values)


def _binop(op: ast.operator, a: Any, b: Any) -> Any:
    if isinstance(op, ast.Pow):
        return _pow(a, b)
    if isinstance(op, ast.Mult):
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int):
                _guard_len(len(seq) * max(n, 0))
    if isinstance(op, (ast.Mult, ast.FloorDiv, ast.Mod, ast.Div)) and _big(a, b):
        raise ValueError("numbers too large to compute outside the sandbox")
    if isinstance(op, ast.LShift) and isinstance(b, int) and b > MAX_INT_BITS:
        raise ValueError("a shift too large to compute outside the sandbox")
    table: dict[type, Callable[[Any, Any], Any]] = {
        ast.Add: lambda x, y: x + y, ast.Sub: lambda x, y: x - y, ast.Mult: lambda x, y: x * y,
        ast.Div: lambda x, y: x / y, ast.FloorDiv: lambda x, y: x // y, ast.Mod: lambda x, y: x % y,
        ast.LShift: lambda x, y: x << y, ast.RShift: lambda x, y: x >> y, ast.BitOr: lambda x, y: x | y,
        ast.BitAnd: lambda x, y: x & y, ast.BitXor: lambda x, y: x ^ y,
    }
    if type(op) not in table:
        raise TypeError(f"operator {type(op).__name__} is not computed outside the sandbox")
    return table[type(op)](a, b)


def _compare(op: ast.cmpop, a: Any, b: Any) -> bool:
    table: dict[type, Callable[[Any, Any], Any]] = {
        ast.Eq: lambda x, y: x == y, ast.NotEq: lambda x, y: x != y, ast.Lt: lambda x, y: x < y,
        ast.LtE: lambda x, y: x <= y, ast.Gt: lambda x, y: x > y, ast.GtE: lambda x, y: x >= y,
        ast.Is: lambda x, y: x is y, ast.IsNot: lambda x, y: x is not y,
        ast.In: lambda x, y: x in y, ast.NotIn: lambda x, y: x not in y,
    }
    return bool(table[type(op)](a, b))


def _show(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def judge(plan: TestPlan, record: dict[str, Any] | None) -> tuple[bool, str]:
    """(passed, what went wrong) for one test from the sandbox's record of it (None: it never reported)."""
    if record is None:
        return False, "did not run to the end"
    raw = record.get("values")
    if not isinstance(raw, list):
        return False, "unreadable result"
    error = record.get("error")
    if not error and len(raw) != plan.probe_count:
        return False, "unreadable result (wrong number of values)"
    try:
        values = [decode(v) for v in raw]
    except ValueError as exc:
        return False, f"unreadable result ({exc})"
    at = 0
    for a in plan.assertions:
        mine = values[at:at + len(a.probes)]
        at += len(a.probes)
        if len(mine) < len(a.probes):  # the sandbox stopped with an exception before this assert's values
            return False, f"{a.text} -> {str(error or 'no value')[:300]}"
        env = {f"__p{i}": v for i, v in enumerate(mine)}
        try:
            ok = bool(_Evaluator(env).eval(a.skeleton))
            why = ""
        except Exception as exc:  # the test's own computation failed on these values (TypeError, ...)
            ok, why = False, f"{type(exc).__name__}: {str(exc)[:200]}"
        if not ok:
            seen = "; ".join(f"{p} = {_show(v)}" for p, v in zip(a.probes, mine))
            return False, f"{a.text} -> " + (why or "AssertionError") + (f" ({seen})" if seen else "")
    if error:
        return False, f"{plan.source[:120]} -> {str(error)[:300]}"
    return True, ""
