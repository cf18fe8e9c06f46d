"""Numbers in answers, read the way people write them (shared by the task checks and the scorers)."""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from assistant.core.chat.postprocess import normalise_answer

_NUM = re.compile(r"[-+]?\d+(?:\.\d+)?(?:/\d+)?")
_UNIT_POWER = re.compile(r"(?<=[A-Za-z}])(?:\s*\^\s*\{?[23]\}?|[²³])")
PERCENT = re.compile(r"\s*(?:\\?%|％|percent|个百分点)\s*$")


def parse_number(text: str) -> Fraction | None:
    """A number in an answer: "54", "54.0", "1,234", "\\frac{3}{4}", "3/4", "54 cm²", "x = 54", "54平方厘米";
    a lone number inside words ("54 square units") too. None when there is none, or several."""
    s = _UNIT_POWER.sub("", text)  # "cm^2", "m³": a unit's power is not a second number
    s = unicodedata.normalize("NFKC", s).replace("−", "-").strip()
    s = PERCENT.sub("", s)
    norm = normalise_answer(s)
    try:
        return Fraction(norm)
    except (ValueError, ZeroDivisionError):
        pass
    found = _NUM.findall(re.sub(r"(?<=\d),(?=\d{3}\b)", "", s))
    if len(found) == 1:
        try:
            return Fraction(found[0])
        except (ValueError, ZeroDivisionError):
            return None
    return None
