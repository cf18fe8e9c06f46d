"""A maths answer compared with the expected number as mathematics, and the key under which equal answers vote
together.

Plain numbers go through :mod:`assistant.core.maths.reading` (no library, microseconds). Anything else is
parsed by ``math-verify`` (Hugging Face; ``latex2sympy2_extended`` turns the LaTeX into SymPy) and compared
with ``math_verify.verify`` or, for a closed-form number, within the task's tolerance.

Threads: math-verify bounds its own time with ``signal.alarm``, which only works on the main thread, and the
evaluation runs in worker threads (the window's Evaluate page, the chat worker's vote). So its timeouts are
always off here (``parsing_timeout=None``, ``timeout_seconds=None``) and the cost is bounded before SymPy
evaluates anything: the answer's length and bracket depth are capped, the parsed expression may hold no
number of more than :data:`MAX_DIGITS` digits (``10^{10^{10}}``, ``99999!`` are refused unevaluated), sums,
products, integrals and limits are refused, and an answer with free variables is never simplified against a
number.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from assistant.core.errors import AssistantError
from assistant.core.maths.reading import PERCENT, clean, read_number, strip_unit

MAX_CHARS = 300  # a boxed answer longer than this is not one value
MAX_DIGITS = 10_000  # the largest number (in digits) an answer may build before it is evaluated
MAX_NODES = 400
# ANTLR's full-context prediction costs about 0.1 s more for each level of nested round or square brackets
# (measured: 10 levels 1 s, 30 levels 5.5 s; braces are cheap); answers rarely nest more than twice.
MAX_DEPTH = 4
MAX_BRACES = 12  # braces: cheap, but each level is a dozen frames of recursion in the parser and in SymPy

log = logging.getLogger(__name__)
_import_lock = threading.Lock()
_parse_lock = threading.Lock()
_mv: Any = None  # (math_verify, sympy, extraction config) once imported


def _verifier() -> Any:
    """math-verify and SymPy, imported on first use (about a second: SymPy is large), once for all threads."""
    global _mv
    if _mv is None:
        with _import_lock:
            if _mv is None:
                # Its warning that timeouts are off is expected here (see the module docstring).
                logging.getLogger("math_verify").setLevel(logging.ERROR)
                try:
                    import math_verify
                    import sympy
                    from math_verify.parser import LatexExtractionConfig
                except ImportError as exc:  # e.g. an ANTLR runtime of another version (see pyproject.toml)
                    raise AssistantError(f"The maths verifier cannot be loaded: {exc}",
                                         hint="Reinstall the app (math-verify, SymPy and the ANTLR runtime "
                                              "4.13.2 come with it).") from exc

                config = [LatexExtractionConfig(boxed_match_priority=0)]
                _mv = (math_verify, sympy, config)
    return _mv


def warm_up() -> None:
    """Import the verifier now, so the first vote or score does not wait for it."""
    _verifier()


_warming = threading.Event()


def warm_up_in_background() -> None:
    """Import the verifier on a daemon thread, once: a turn with several samples calls this when it starts, so
    that the vote (and the window's vote strip, on its GUI thread) never waits a second or two for SymPy."""
    if _mv is not None or _warming.is_set():
        return
    _warming.set()

    def run() -> None:
        try:
            _verifier()
        except AssistantError as exc:  # said again, with its hint, where a comparison needs it
            log.warning("%s", exc)

    threading.Thread(target=run, name="maths-warm-up", daemon=True).start()


@dataclass(frozen=True)
class Comparison:
    ok: bool
    reason: str = ""  # why it is not right, when it could not be compared as a value ("" otherwise)


# ---------------------------------------------------------------------------------------------------
# Parsing, bounded


class _TooCostly(Exception):
    pass


def _digits(e: Any, sympy: Any, count: list[int]) -> float:
    """An upper bound on the digits of the numbers ``e`` builds when evaluated; raises _TooCostly beyond the
    limits. Looks only at the unevaluated tree (math-verify parses without evaluating)."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _TooCostly("too long an expression")
    if isinstance(e, (sympy.Sum, sympy.Product, sympy.Integral, sympy.Limit, sympy.Derivative)):
        raise _TooCostly("not a closed-form value (sum, product, integral, limit or derivative)")
    if not isinstance(e, sympy.Basic):
        parts = [_digits(a, sympy, count) for a in getattr(e, "args", ())]  # a matrix: its entries
        return max(parts, default=1.0)
    if e.is_Integer:
        return float(len(str(abs(int(e)))))
    if e.is_Rational:
        return float(len(str(abs(e.p))) + len(str(e.q)))
    if e.is_Float:
        exp = e._mpf_[2] + e._mpf_[3] if e._mpf_[1] else 0  # binary exponent + mantissa bits, unevaluated
        return abs(exp) * 0.302 + 1
    if isinstance(e, sympy.Pow):
        base, power = e.args
        d_base = _digits(base, sympy, count)
        d_power = _digits(power, sympy, count)
        if power.free_symbols or base.free_symbols:
            return d_base + d_power
        if d_power > 6:
            raise _TooCostly("too large a power")
        p = _small(power)
        total = max(d_base, 1.0) * max(p, 1.0)
        if total > MAX_DIGITS:
            raise _TooCostly("too large a number")
        return total
    if isinstance(e, (sympy.factorial, sympy.factorial2, sympy.gamma, sympy.binomial, sympy.subfactorial)):
        d = max((_digits(a, sympy, count) for a in e.args), default=1.0)
        if d > 6:
            raise _TooCostly("too large a factorial")
        n = max((_small(a) for a in e.args if not a.free_symbols), default=1.0)
        total = n * math.log10(max(n, 2.0))
        if total > MAX_DIGITS:
            raise _TooCostly("too large a factorial")
        return total
    parts = [_digits(a, sympy, count) for a in getattr(e, "args", ())]
    total = sum(parts) if isinstance(e, sympy.Mul) else max(parts, default=1.0) + 1
    if total > MAX_DIGITS:
        raise _TooCostly("too large a number")
    return total


def _small(e: Any) -> float:
    """The size of a number already known to have at most six digits."""
    try:
        return abs(complex(e.evalf(15)))
    except (TypeError, ValueError, ArithmeticError):
        raise _TooCostly("not a finite number") from None


def _depth(text: str, opening: str, closing: str) -> int:
    """How deeply these brackets nest."""
    depth = deepest = 0
    for ch in text:
        if ch in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in closing:
            depth = max(0, depth - 1)
    return deepest


@lru_cache(maxsize=512)
def _parse(text: str) -> tuple[Any, str]:
    """The answer as a SymPy expression (unevaluated) and "", or None and why not. Cached: a vote and a score
    read the same answers, from several threads (lru_cache is thread-safe)."""
    if len(text) > MAX_CHARS:
        return None, f"longer than {MAX_CHARS} characters"
    if _depth(text, "([", ")]") > MAX_DEPTH or _depth(text, "{", "}") > MAX_BRACES:
        return None, "brackets nested too deeply"
    mv, sympy, config = _verifier()
    with _parse_lock:  # the ANTLR runtime's shared DFA cache is not documented as thread-safe
        parsed = mv.parse("\\boxed{" + text + "}", extraction_config=config, fallback_mode="no_fallback",
                          parsing_timeout=None)
    expr = next((p for p in parsed if isinstance(p, (sympy.Basic, sympy.MatrixBase))), None)
    if expr is None:
        return None, "not readable as mathematics"
    try:
        _digits(expr, sympy, [0])
    except _TooCostly as exc:
        return None, str(exc)
    except Exception:  # a SymPy object this bound does not know: not read, never a crash
        return None, "not readable as mathematics"
    return expr, ""


def _as_value(expr: Any, sympy: Any) -> tuple[Any, str]:
    """What an answer states as its value: ``x = 54`` and ``\\frac{180}{2.5} = 72`` state 54 and 72; a relation
    that is not an equality (``x \\neq 54``, ``x < 54``) states none."""
    from math_verify.grader import take_last_relation

    if isinstance(expr, sympy.And) and all(isinstance(a, sympy.Eq) for a in expr.args):
        expr = take_last_relation(expr)
    if isinstance(expr, sympy.Eq):
        return expr.rhs, ""
    if isinstance(expr, (sympy.Rel, sympy.And, sympy.Or, sympy.Not)) or getattr(expr, "is_Boolean", False):
        return None, "a relation, not a value"
    return expr, ""


def _number(expr: Any, sympy: Any) -> Any:
    """A closed-form real number, evaluated exactly where SymPy can; None for anything else."""
    if getattr(expr, "free_symbols", None) or not getattr(expr, "is_number", False):
        return None
    try:
        value = expr.doit()
        if value.is_Float:
            return sympy.Rational(str(value))  # the decimal as written: 0.75 is 3/4
        if not value.is_real or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            return None
        return value
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        return None


# ---------------------------------------------------------------------------------------------------
# Comparing


def _close(got: Any, want: Fraction, tolerance: float, sympy: Any) -> bool:
    if got.is_Rational:
        return abs(Fraction(int(got.p), int(got.q)) - want) <= tolerance + 1e-12 * abs(want)
    diff = sympy.N(got - sympy.Rational(want.numerator, want.denominator), 30)
    return bool(abs(diff) <= tolerance + 1e-12 * abs(want))


def compare(got: str, expected: str | float, tolerance: float = 1e-6) -> Comparison:
    """Whether the answer ``got`` (a box's contents) is the number ``expected``, within ``tolerance``
    (absolute). A percentage matches its number or its fraction (25% ~ 25 or 0.25)."""
    want_r = read_number(str(expected))
    if want_r is None:
        return Comparison(False, f"the expected answer {expected!r} is not a number")
    want = want_r.value
    fast = read_number(got)
    if fast is not None:
        candidates = [fast.value, fast.value / 100] if fast.percent else [fast.value]
        return Comparison(any(abs(c - want) <= tolerance + 1e-12 * abs(want) for c in candidates))
    text = strip_unit(got)
    if not text:
        return Comparison(False, "empty")
    try:
        return _compare_expression(text, got, want, tolerance)
    except AssistantError:
        raise  # the verifier is missing: said, not scored as wrong
    except Exception as exc:  # SymPy raises many kinds; a reply must never stop the evaluation
        return Comparison(False, f"could not be evaluated ({type(exc).__name__})")


def _compare_expression(text: str, got: str, want: Fraction, tolerance: float) -> Comparison:
    expr, why = _parse(text)
    if expr is None:
        return Comparison(False, why)
    mv, sympy, _ = _verifier()
    value, why = _as_value(expr, sympy)
    if value is None:
        return Comparison(False, why)
    if value.free_symbols:
        # A number never equals an expression in variables; SymPy is not asked to simplify it (unbounded).
        return Comparison(False, "an expression in variables, not a number")
    number = _number(value, sympy)
    if number is None:
        gold = sympy.Rational(want.numerator, want.denominator)
        same = bool(mv.verify(gold, value, timeout_seconds=None))  # sets, tuples, complex: math-verify's rules
        return Comparison(same, "" if same else "not a single real number")
    candidates = [number]
    if PERCENT.search(clean(got)) and not _is_pct(value, sympy):
        candidates.append(number / 100)
    elif _is_pct(value, sympy):
        candidates.append(number * 100)  # math-verify read "25\%" as 1/4; 25 is right too
    return Comparison(any(_close(c, want, tolerance, sympy) for c in candidates))


def _is_pct(expr: Any, sympy: Any) -> bool:
    """math-verify reads ``25\\%`` as ``25 * UnevaluatedExpr(1/100)``."""
    return any(isinstance(a, sympy.UnevaluatedExpr) and a.args[0] == sympy.Rational(1, 100)
               for a in sympy.preorder_traversal(expr))


def numbers_match(got: str, expected: str | float, tolerance: float = 1e-6) -> bool:
    return compare(got, expected, tolerance).ok


# ---------------------------------------------------------------------------------------------------
# Voting


def _fraction_key(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


@lru_cache(maxsize=1024)
def answer_key(text: str) -> str | None:
    """The value an answer states, as a key equal for equal answers ("\\frac{5}{2}", "2.5", "2\\frac12" → "5/2";
    "\\sqrt{8}", "2\\sqrt{2}" → "2*sqrt(2)"); None when it states no single number (words, expressions in
    variables, relations): the caller then compares the text."""
    fast = read_number(text)
    if fast is not None:
        return _fraction_key(fast.value)
    s = strip_unit(text)
    if not s or not re.search(r"\d|\\(?:pi|sqrt|frac|infty)", s):
        return None  # plain words: no need to load SymPy
    try:
        return _expression_key(s)
    except Exception:  # SymPy raises many kinds; the vote then compares the text
        return None


def _expression_key(s: str) -> str | None:
    expr, _ = _parse(s)
    if expr is None:
        return None
    _, sympy, _ = _verifier()
    value, _ = _as_value(expr, sympy)
    if value is None or value.free_symbols:
        return None
    number = _number(value, sympy)
    if number is None:
        return None
    if number.is_Rational:
        return _fraction_key(Fraction(int(number.p), int(number.q)))
    return str(number)
