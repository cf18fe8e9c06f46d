"""Plain numbers in answers, read the way people write them, without a LaTeX parser.

This is the fast path: most boxed answers are one number, perhaps with a unit, a percent sign or ``x =``.
What it cannot read whole (powers, products, roots, equation chains, words around the number) it leaves to
:mod:`assistant.core.maths.compare`. It never picks a number out of surrounding words: ``not 54`` and
``x \\neq 54`` are not 54.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

# "cm^2", "m³", "\text{ cm}^2": a unit's power is not a second number.
_UNIT_POWER = re.compile(r"(?<=[A-Za-z}])(?:\s*\^\s*\{?[23]\}?|[²³])")
PERCENT = re.compile(r"\s*(?:\\?%|percent|个百分点)\s*$")
_TEXT_WRAP = re.compile(r"\\(?:text|textbf|textrm|textit|mathrm|mathbf|mathit|mbox|operatorname)\s*\{([^{}]*)\}")
# Spacing and sizing commands that never change a value; \! is a negative space.
_LATEX_NOISE = re.compile(r"\\left\b|\\right\b|\\displaystyle\b|\\!|\^\s*\{?\s*\\circ\s*\}?|°|\\degree\b")
_LATEX_SPACE = re.compile(r"\\[,;: ]|~|\\quad\b|\\qquad\b")
_CURRENCY = r"(?:\\\$|\$|¥|€|£|US\$|RMB\s?)"
# "area =", "x_1 =", "面积为", "答案是": a label before the number (not "不是", "不等于": see _NEGATION).
_LABEL = r"(?:[A-Za-z][A-Za-z0-9_{}]{0,15}\s*=\s*|[\u4e00-\u9fff]{1,8}(?:[是为:：=]|等于)\s*)"
_INT = r"\d{1,3}(?:(?:,|\s)\d{3})+(?!\d)|\d+"
_DECIMAL = rf"(?:{_INT})(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+"
# Mixed numbers ("2\frac{1}{2}" = 5/2), fractions ("\frac{3}{4}", "\frac34", "3/4") and decimals ("1,234.5").
_VALUE = re.compile(
    rf"(?P<sign>[-+])?\s*(?:"
    rf"(?P<whole>\d+)\s*\\frac\s*(?:\{{\s*(?P<mn>\d+)\s*\}}|(?P<mn1>\d))\s*(?:\{{\s*(?P<md>\d+)\s*\}}|(?P<md1>\d))"
    rf"|\\frac\s*\{{\s*(?P<fn>[-+]?(?:{_DECIMAL}))\s*\}}\s*\{{\s*(?P<fd>{_DECIMAL})\s*\}}"
    rf"|\\frac(?P<fn1>\d)(?P<fd1>\d)"
    rf"|(?P<sn>{_DECIMAL})\s*/\s*(?P<sd>{_DECIMAL})"
    rf"|(?P<dec>{_DECIMAL}))"
)
# A unit after the number: words or Chinese characters without digits or operators ("cm", "square units",
# "平方厘米", "元", "km/h"). Words that change the meaning are not units.
_UNIT = r"(?:[^\W\d_][^\d=<>≠≈+*^\\,;()\[\]{}|]{0,30})?"
_NEGATION = re.compile(r"(?i)\b(?:not|no|isn't|never|or|and|nor|except|than|but|plus|minus|times|over|about|"
                       r"approximately|around|at|least|most|between)\b|[不非没无或和与及约至余多少左右以]")
_ANSWER = re.compile(rf"(?:{_LABEL})?(?P<cur>{_CURRENCY})?\s*(?P<value>.+?)\s*(?P<unit>{_UNIT})")


@dataclass(frozen=True)
class Reading:
    value: Fraction
    percent: bool  # written with a percent sign: 25% is 25 or 0.25, whichever was asked


def clean(text: str) -> str:
    """The answer without what never changes its value: width (NFKC), ``$`` and ``\\(`` wrappers, ``\\text{}``
    around words, LaTeX spacing, degrees, a final full stop; ``1{,}000`` and ``1\\,000`` as ``1,000``/``1 000``."""
    s = _UNIT_POWER.sub("", text)
    s = unicodedata.normalize("NFKC", s).replace("−", "-").strip()
    for left, right in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if s.startswith(left) and s.endswith(right) and len(s) > len(left) + len(right):
            s = s[len(left):-len(right)].strip()
    s = _TEXT_WRAP.sub(r" \1 ", s)
    s = s.replace("{,}", ",").replace("{.}", ".")
    s = re.sub(r"\\[dt]frac\b", r"\\frac", s)
    s = _LATEX_NOISE.sub("", s)
    s = _LATEX_SPACE.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(".。 ").strip()


def _value(m: re.Match[str]) -> Fraction | None:
    g = m.groupdict()
    try:
        if g["whole"] is not None:
            den = Fraction(g["md"] or g["md1"])
            v = Fraction(g["whole"]) + Fraction(g["mn"] or g["mn1"]) / den
        elif g["fn"] is not None:
            v = Fraction(_plain(g["fn"])) / Fraction(_plain(g["fd"]))
        elif g["fn1"] is not None:
            v = Fraction(g["fn1"]) / Fraction(g["fd1"])
        elif g["sn"] is not None:
            v = Fraction(_plain(g["sn"])) / Fraction(_plain(g["sd"]))
        else:
            v = Fraction(_plain(g["dec"]))
    except (ValueError, ZeroDivisionError):
        return None
    return -v if g["sign"] == "-" else v


def _plain(number: str) -> str:
    return re.sub(r"[,\s]", "", number)


@lru_cache(maxsize=4096)
def read_number(text: str) -> Reading | None:
    """The answer when it is one number as people write it: "54", "54.0", "1,234", "1{,}000", "\\frac{3}{4}",
    "2\\frac{1}{2}", "3/4", "1.5e3", "54 cm²", "x = 54", "54平方厘米", "７.７元", "25\\%", "\\$54". None for
    anything else (including "not 54", "54 or 45", "2^{10}"): :mod:`compare` reads those as LaTeX."""
    s = clean(text)
    percent = bool(PERCENT.search(s))
    s = PERCENT.sub("", s)
    if not s or len(s) > 80:
        return None
    m = _ANSWER.fullmatch(s)
    if m is None:
        return None
    label = s[:m.start("cur") if m.group("cur") else m.start("value")]
    if _NEGATION.search(label) or _NEGATION.search(m.group("unit")):
        return None
    v = _VALUE.fullmatch(m.group("value"))
    if v is None:
        return None
    value = _value(v)
    return Reading(value, percent) if value is not None else None


def parse_number(text: str) -> Fraction | None:
    """The number of a plain answer (see :func:`read_number`), as written: "25%" is 25."""
    r = read_number(text)
    return r.value if r is not None else None


def strip_unit(text: str) -> str:
    """The answer without a trailing Chinese unit or label, for the LaTeX reader ("1.5\\times10^{3}元")."""
    s = clean(text)
    unit = re.search(r"(?<=[\d}).])\s*[\u4e00-\u9fff]{1,6}$", s)
    if unit is None or _NEGATION.search(unit.group(0)):  # "54以上" (54 or more) keeps its words
        return s
    return s[:unit.start()].strip()
