"""Deterministic scorers: maths on the final ``\\boxed{}``, verifiable instructions, code under unit tests,
and short knowledge answers. Each returns a :class:`Score` that says why an answer failed."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from assistant.core.chat.postprocess import final_boxed
from assistant.core.eval.tasks import Task
from assistant.core.maths.compare import compare

# Failure causes, as the report counts them. REASONING: the only \boxed{} is in reasoning that never ended (cut
# at max tokens, or stopped): the reply gave no answer, whatever the box says.
NO_BOXED, REASONING, LENGTH, WRONG, ERROR = "no_boxed", "reasoning_only", "length", "wrong", "error"
# NO_SANDBOX: a code task this machine cannot run safely (no bubblewrap): not the model's fault.
NO_SANDBOX = "no_sandbox"
CAUSES = (NO_BOXED, REASONING, LENGTH, WRONG, NO_SANDBOX, ERROR)
DEFAULT_TOLERANCE = 1e-6


@dataclass
class Score:
    ok: bool
    cause: str = ""  # "" when ok, else one of CAUSES
    detail: str = ""  # what was compared or which check failed, for the report

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "cause": self.cause, "detail": self.detail}


# ---------------------------------------------------------------------------------------------------
# Maths


def score_maths(task: Task, answer: str, boxed: str | None = None, reasoning_box: str | None = None) -> Score:
    """The final ``\\boxed{}`` of the answer (or the one given) against the task's number, compared as
    mathematics (:mod:`assistant.core.maths`). ``reasoning_box``: the last box of reasoning that never ended; it
    is no answer, and says only whether the model was on the way."""
    box = boxed if boxed is not None else final_boxed(answer)
    expected = task.spec["answer"]
    tol = float(task.spec.get("tolerance", DEFAULT_TOLERANCE))
    if box is None:
        if reasoning_box is not None:
            was = "right" if compare(reasoning_box, expected, tol).ok else "wrong"
            return Score(False, REASONING, f"answer only in unfinished reasoning: {reasoning_box!r} ({was}), "
                                           f"expected {expected}")
        return Score(False, NO_BOXED, "no \\boxed{} answer")
    result = compare(box, expected, tol)
    if result.ok:
        return Score(True, detail=f"boxed {box!r} = {expected}")
    why = f" ({result.reason})" if result.reason else ""
    return Score(False, WRONG, f"boxed {box!r}{why}, expected {expected}")


# ---------------------------------------------------------------------------------------------------
# Text measures

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9À-ɏ]+(?:['’-][A-Za-z0-9À-ɏ]+)*")
_SENTENCE_END = re.compile(r"[.!?。！？]+(?=\s|$|[\"'”’）)])|[。！？]+")
_BULLET = re.compile(r"^\s*(?:[-*•+]\s+|\d+[.)]\s+|\d+、\s*|[（(]\d+[)）]\s*)\S")
_FENCE = re.compile(r"```[ \t]*([\w+-]*)[^\n]*\n(.*?)```", re.S)


def count_words(text: str) -> int:
    """Words as a reader counts them: Latin words, and each Chinese character as one."""
    return len(_CJK_CHAR.findall(text)) + len(_LATIN_WORD.findall(_CJK_CHAR.sub(" ", text)))


def count_chars(text: str) -> int:
    """Characters without whitespace (so line breaks and indentation do not count)."""
    return len(re.sub(r"\s+", "", text))


def count_sentences(text: str) -> int:
    body = _FENCE.sub(" ", text).strip()
    if not body:
        return 0
    parts = [p for p in _SENTENCE_END.split(body) if p.strip() and re.search(r"\w", p)]
    return len(parts)


def count_bullets(text: str) -> int:
    return sum(1 for line in _FENCE.sub("", text).splitlines() if _BULLET.match(line))


def cjk_share(text: str) -> float:
    """Share of Chinese among the text's words; 0 for no words. A Chinese word is about two characters, so
    two characters weigh as much as one Latin word."""
    cjk = len(_CJK_CHAR.findall(_FENCE.sub(" ", text))) / 2
    latin = len(_LATIN_WORD.findall(_CJK_CHAR.sub(" ", _FENCE.sub(" ", text))))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def detect_language(text: str) -> str:
    """"zh" when most of the words are Chinese, "en" when few are (a quoted term is fine), "" when mixed or
    empty."""
    share = cjk_share(text)
    if share == 0 and not re.search(r"[^\W\d_]", text):  # no letters at all: no language
        return ""
    if share >= 0.6:
        return "zh"
    return "en" if share <= 0.3 else ""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _contains(text: str, word: str) -> bool:
    """Case-insensitive; an ASCII word must stand alone ("cat" is not in "concatenate"); Chinese has no
    word boundaries, so a Chinese word is a substring."""
    t, w = _fold(text), _fold(word).strip()
    if re.fullmatch(r"[\w\s'-]+", w, re.ASCII):
        return re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", t) is not None
    return w in t


def extract_json(text: str) -> Any:
    """The JSON in an answer: a fenced block, the whole answer, or its first {...} / [...] span."""
    candidates = [body for lang, body in _FENCE.findall(text) if lang.lower() in ("", "json")]
    candidates.append(text.strip())
    for open_, close in (("{", "}"), ("[", "]")):
        start, end = text.find(open_), text.rfind(close)
        if 0 <= start < end:
            candidates.append(text[start:end + 1])
    for c in candidates:
        try:
            return json.loads(c)
        except (json.JSONDecodeError, ValueError):
            continue
    raise ValueError("no JSON found")


_JSON_CHECK = {
    "str": lambda v: isinstance(v, str), "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool), "list": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict), "any": lambda v: True,
}


def _in_range(n: int, check: dict[str, Any], what: str) -> tuple[bool, str]:
    lo, hi = check.get("min"), check.get("max")
    if "count" in check:
        lo = hi = check["count"]
    ok = (lo is None or n >= lo) and (hi is None or n <= hi)
    want = f"{lo}" if lo == hi else f"{lo if lo is not None else 0}–{hi if hi is not None else '∞'}"
    return ok, f"{n} {what} (wanted {want})"


def extract_code(text: str, function: str) -> str:
    """The Python in an answer: the fenced blocks (those that define the function when some do), else the
    whole answer when it reads as code."""
    blocks = [body for lang, body in _FENCE.findall(text) if lang.lower() in ("", "python", "py", "python3")]
    defining = [b for b in blocks if re.search(rf"^\s*def\s+{re.escape(function)}\s*\(", b, re.M)]
    if defining or blocks:
        return "\n\n".join(defining or blocks)
    return text


def check_instruction(check: dict[str, Any], answer: str) -> tuple[bool, str]:
    """One verifiable instruction; (passed, what was seen)."""
    kind = check["type"]
    text = answer.strip()
    if kind == "bullets":
        return _in_range(count_bullets(text), check, "list items")
    if kind == "words":
        return _in_range(count_words(text), check, "words")
    if kind == "chars":
        return _in_range(count_chars(text), check, "characters")
    if kind == "sentences":
        return _in_range(count_sentences(text), check, "sentences")
    if kind == "language":
        got = detect_language(text)
        return got == check["lang"], f"language {got or 'mixed/none'} ({cjk_share(text):.0%} Chinese)"
    if kind == "include":
        missing = [w for w in check["words"] if not _contains(text, w)]
        if check.get("any"):
            return len(missing) < len(check["words"]), f"none of {check['words']}" if missing == check["words"] \
                else "has one of the words"
        return not missing, f"missing {missing}" if missing else "has all the words"
    if kind == "exclude":
        present = [w for w in check["words"] if _contains(text, w)]
        return not present, f"uses forbidden {present}" if present else "avoids the forbidden words"
    if kind == "json":
        try:
            data = extract_json(text)
        except ValueError:
            return False, "no valid JSON"
        items = data if check.get("list") and isinstance(data, list) else [data]
        if check.get("list") and not isinstance(data, list):
            return False, "JSON is not a list"
        for item in items:
            if not isinstance(item, dict):
                return False, "JSON is not an object"
            for key, typ in check.get("keys", {}).items():
                if key not in item:
                    return False, f"JSON lacks key {key!r}"
                if not _JSON_CHECK[typ](item[key]):
                    return False, f"JSON key {key!r} is not {typ}"
        return True, "JSON shape ok"
    if kind == "starts_with":
        ok = _fold(text).startswith(_fold(check["text"]).strip())
        return ok, "starts as asked" if ok else f"starts with {text[:20]!r}"
    if kind == "ends_with":
        ok = _fold(text).rstrip(" .。!！").endswith(_fold(check["text"]).strip().rstrip(" .。!！"))
        return ok, "ends as asked" if ok else f"ends with {text[-20:]!r}"
    if kind == "code":
        return check_code(check, text)
    raise ValueError(f"unknown check {kind!r}")  # tasks are validated on load: a bug if reached


def check_code(check: dict[str, Any], answer: str) -> tuple[bool, str]:
    """Raises SandboxUnavailable where this machine cannot run code safely (scored as NO_SANDBOX)."""
    from assistant.core.sandbox import run_tests

    code = extract_code(answer, check["function"])
    if not re.search(rf"^\s*def\s+{re.escape(check['function'])}\s*\(", code, re.M):
        return False, f"no function {check['function']}()"
    if check.get("comments") and not re.search(r"#|\"\"\"|'''", code):
        return False, "the code has no comments"
    result = run_tests(code, check["tests"], timeout_s=float(check.get("timeout", 10)))
    return result.ok, result.summary()


def score_instruct(task: Task, answer: str) -> Score:
    if not answer.strip():
        return Score(False, WRONG, "empty answer")
    from assistant.core.sandbox import SandboxUnavailable

    for check in task.spec["checks"]:
        try:
            ok, detail = check_instruction(check, answer)
        except SandboxUnavailable as exc:
            return Score(False, NO_SANDBOX, exc.message)
        if not ok:
            return Score(False, WRONG, f"{check['type']}: {detail}")
    return Score(True, detail=f"{len(task.spec['checks'])} checks passed")


# ---------------------------------------------------------------------------------------------------
# Knowledge


def normalise_text(text: str) -> str:
    """For comparing short answers: NFKC, case-folded, no punctuation, spaces or LaTeX boxes; thousands
    separators dropped."""
    s = _fold(text)
    s = re.sub(r"\\(?:boxed|text|textbf|mathrm)\s*\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"(?<=\d),(?=\d{3})", "", s)
    s = re.sub(r"\b(?:the|a|an)\b", " ", s)
    return "".join(ch for ch in s if ch.isalnum() or ch == ".")


def _mentions(answer: str, accepted: str) -> bool:
    want = normalise_text(accepted)
    if not want:
        return False
    if re.fullmatch(r"[\d.]+", want):  # a number must not match inside a bigger one ("1" in "1912")
        flat = re.sub(r"(?<=\d)[, \u00a0\u202f](?=\d{3}(?!\d))", "", _fold(answer))
        return re.search(rf"(?<![\d.]){re.escape(want)}(?![\d])", flat) is not None
    if re.fullmatch(r"[a-z0-9.]+", want) and len(want) <= 4:  # a short Latin answer must be a whole word
        return _contains(answer, accepted)
    return want in normalise_text(answer)


def score_knowledge(task: Task, answer: str) -> Score:
    text = answer.strip()
    if not text:
        return Score(False, WRONG, "empty answer")
    spec = task.spec
    rejected = [r for r in spec.get("rejected", []) if _mentions(text, r)]
    if rejected:
        return Score(False, WRONG, f"mentions {rejected[0]!r}")
    if "accepted" in spec and not any(_mentions(text, a) for a in spec["accepted"]):
        return Score(False, WRONG, f"none of {spec['accepted']}")
    if "key_points" in spec:
        points = spec["key_points"]
        hit = sum(1 for alts in points if any(_mentions(text, a) for a in alts))
        need = spec.get("min_points", len(points))
        if hit < need:
            return Score(False, WRONG, f"{hit}/{len(points)} key points (needs {need})")
        return Score(True, detail=f"{hit}/{len(points)} key points")
    return Score(True, detail="accepted answer")


def score_unanswerable(answer: str) -> Score:
    """A documents question the documents do not answer: right when the reply cites no passage."""
    from assistant.core.docs.answer import cited_numbers

    cited = sorted(cited_numbers(answer))
    return Score(True, detail="cites no passage") if not cited else Score(False, WRONG, f"cites {cited}")


def score(task: Task, answer: str, *, boxed: str | None = None, finish_reason: str = "stop",
          reasoning_box: str | None = None) -> Score:
    """Score one reply to a task. A wrong reply that was cut at max tokens counts as cut, not wrong: the
    fix is a larger budget, not a better model. A maths reply whose only box is in unfinished reasoning
    (``reasoning_box``) counts as that, however it ended."""
    if task.kind == "maths":
        s = score_maths(task, answer, boxed, reasoning_box)
    elif task.kind == "instruct":
        s = score_instruct(task, answer)
    elif task.kind == "docs" and task.spec.get("unanswerable"):
        s = score_unanswerable(answer)
    else:
        s = score_knowledge(task, answer)
    if not s.ok and finish_reason == "length" and s.cause != REASONING:
        s.cause = LENGTH
    return s
