"""Evaluation tasks: the JSONL format, the built-in suites, and validation with clear errors.

One task per line (the format is documented in ``assistant/core/eval/README.md``)::

    {"id": "m-rect", "kind": "maths", "lang": "en", "prompt": "...", "answer": "54"}
    {"id": "i-json", "kind": "instruct", "lang": "zh", "prompt": "...", "checks": [{"type": "json", ...}]}
    {"id": "k-paris", "kind": "knowledge", "lang": "en", "prompt": "...", "accepted": ["Paris"]}

A file is validated as a whole when it is loaded, so a typo in a user's suite is reported with its file and
line before any model time is spent, not as a wrong answer an hour later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import ConfigError
from assistant.core.maths.reading import parse_number

KINDS = ("maths", "instruct", "knowledge", "docs")
LANGS = ("zh", "en")
SUITES_DIR = Path(__file__).resolve().parent / "suites"
BUILTIN = "builtin"

# Instruction checks and the fields each takes (see scorers.check_instruction).
CHECK_FIELDS: dict[str, set[str]] = {
    "bullets": {"count", "min", "max"},
    "words": {"min", "max"},
    "chars": {"min", "max"},
    "sentences": {"min", "max"},
    "language": {"lang"},
    "include": {"words", "any"},
    "exclude": {"words"},
    "json": {"keys", "list"},
    "starts_with": {"text"},
    "ends_with": {"text"},
    "code": {"function", "tests", "timeout", "comments"},
}
JSON_TYPES = ("str", "int", "number", "bool", "list", "object", "any")
_COMMON = {"id", "kind", "lang", "prompt", "note"}
_BY_KIND = {
    "maths": {"answer", "tolerance"},
    "instruct": {"checks"},
    "knowledge": {"accepted", "rejected", "key_points", "min_points"},
    # Questions about the suite's documents (suites/docs/): scored like knowledge; "file" and "evidence" (a
    # phrase of the document that holds the answer) also score retrieval; "unanswerable" ones must cite nothing.
    "docs": {"accepted", "rejected", "key_points", "min_points", "file", "evidence", "unanswerable"},
}


@dataclass(frozen=True)
class Task:
    id: str
    kind: str
    lang: str
    prompt: str
    spec: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)  # the whole JSON line
    source: str = ""  # "builtin/maths.jsonl:3" or a user's path and line

    @property
    def digest(self) -> str:
        """A hash of what the task asks and how it is scored: a changed task is a different task."""
        return hashlib.sha256(json.dumps(self.spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


class TaskError(ConfigError):
    title = "Invalid evaluation task"


def _fail(where: str, message: str) -> TaskError:
    return TaskError(f"{where}: {message}",
                     hint="The task format is described in assistant/core/eval/README.md (\"Task format\").")


def _need(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise _fail(where, message)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _strings(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(s, str) and s.strip() for s in v)


def _range(check: dict[str, Any], where: str) -> None:
    for k in ("min", "max", "count"):
        if k in check:
            _need(isinstance(check[k], int) and not isinstance(check[k], bool) and check[k] >= 0, where,
                  f"{k!r} must be a whole number ≥ 0")
    if check["type"] != "bullets" or "count" not in check:
        _need("min" in check or "max" in check, where, f"a {check['type']!r} check needs 'min' and/or 'max'")


def validate_check(check: Any, where: str) -> None:
    _need(isinstance(check, dict) and isinstance(check.get("type"), str), where,
          "each check is an object with a 'type'")
    kind = check["type"]
    _need(kind in CHECK_FIELDS, where, f"unknown check type {kind!r} (known: {', '.join(CHECK_FIELDS)})")
    extra = set(check) - CHECK_FIELDS[kind] - {"type"}
    _need(not extra, where, f"the {kind!r} check has unknown fields: {', '.join(sorted(extra))}")
    if kind in ("bullets", "words", "chars", "sentences"):
        _range(check, where)
    elif kind == "language":
        _need(check.get("lang") in LANGS, where, "a 'language' check needs 'lang': 'zh' or 'en'")
    elif kind in ("include", "exclude"):
        _need(_strings(check.get("words")), where, f"an {kind!r} check needs 'words': a list of strings")
    elif kind == "json":
        keys = check.get("keys", {})
        _need(isinstance(keys, dict) and all(t in JSON_TYPES for t in keys.values()), where,
              f"'keys' maps each required key to one of {', '.join(JSON_TYPES)}")
    elif kind in ("starts_with", "ends_with"):
        _need(isinstance(check.get("text"), str) and check["text"].strip(), where, f"{kind!r} needs 'text'")
    elif kind == "code":
        _need(isinstance(check.get("function"), str) and check["function"].isidentifier(), where,
              "a 'code' check needs 'function': the name of the function to test")
        _need(_strings(check.get("tests")), where, "a 'code' check needs 'tests': a list of Python statements")
        from assistant.core.sandbox import TestSpecError, compile_tests

        try:
            compile_tests(check["tests"])  # judged outside the sandbox: each test must allow that
        except TestSpecError as exc:
            raise _fail(where, str(exc)) from None
        if "timeout" in check:
            _need(_is_num(check["timeout"]) and 0 < check["timeout"] <= 60, where, "'timeout' is 0–60 seconds")


def parse_task(data: Any, where: str) -> Task:
    _need(isinstance(data, dict), where, "a task is a JSON object")
    for key in ("id", "kind", "lang", "prompt"):
        _need(isinstance(data.get(key), str) and data[key].strip(), where, f"{key!r} is required (a string)")
    kind = data["kind"]
    where = f"{where} (task {data['id']!r})"
    _need(kind in KINDS, where, f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    _need(data["lang"] in LANGS, where, f"'lang' must be 'zh' or 'en', not {data['lang']!r}")
    extra = set(data) - _COMMON - _BY_KIND[kind]
    _need(not extra, where, f"unknown fields for a {kind} task: {', '.join(sorted(extra))}")
    if kind == "maths":
        answer = data.get("answer")
        _need(_is_num(answer) or (isinstance(answer, str) and bool(answer.strip())), where,
              "a maths task needs 'answer' (a number, or a string such as \"3/4\")")

        _need(parse_number(str(answer)) is not None, where, f"'answer' {answer!r} is not a number")
        if "tolerance" in data:
            _need(_is_num(data["tolerance"]) and data["tolerance"] >= 0, where, "'tolerance' is a number ≥ 0")
    elif kind == "instruct":
        checks = data.get("checks")
        _need(isinstance(checks, list) and bool(checks), where, "an instruct task needs 'checks': a list")
        for c in checks:
            validate_check(c, where)
    elif kind == "docs" and data.get("unanswerable") is True:
        _need(not {"accepted", "key_points", "file", "evidence"} & set(data), where,
              "an unanswerable docs task has no answer, file or evidence")
    else:
        if kind == "docs":
            _need(isinstance(data.get("file"), str) and isinstance(data.get("evidence"), str) and bool(
                data["evidence"].strip()), where, "a docs task needs 'file' and 'evidence' (or 'unanswerable')")
        has_accepted = "accepted" in data
        has_points = "key_points" in data
        _need(has_accepted or has_points, where, "a knowledge task needs 'accepted' and/or 'key_points'")
        if has_accepted:
            _need(_strings(data["accepted"]), where, "'accepted' is a list of strings")
        if "rejected" in data:
            _need(_strings(data["rejected"]), where, "'rejected' is a list of strings")
        if has_points:
            points = data["key_points"]
            _need(isinstance(points, list) and bool(points) and all(_strings(p) for p in points), where,
                  "'key_points' is a list of lists of alternatives, e.g. [[\"oxygen\", \"氧气\"]]")
            if "min_points" in data:
                _need(isinstance(data["min_points"], int) and 1 <= data["min_points"] <= len(points), where,
                      "'min_points' is between 1 and the number of key points")
    return Task(data["id"], kind, data["lang"], data["prompt"], dict(data), where.split(" (task")[0])


def load_file(path: Path, label: str | None = None) -> list[Task]:
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise TaskError(f"Cannot read the task file {label}: {exc.strerror or exc}") from exc
    tasks = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(f"{label}:{n}", f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        tasks.append(parse_task(data, f"{label}:{n}"))
    if not tasks:
        raise TaskError(f"The task file {label} has no tasks.")
    return tasks


def builtin_files() -> list[Path]:
    return sorted(SUITES_DIR.glob("*.jsonl"))


def load_suites(specs: Sequence[str] = (BUILTIN,), kinds: Iterable[str] = (), limit: int = 0) -> list[Task]:
    """Tasks from the built-in suite and/or the user's JSONL files, filtered by kind; ``limit``: the first N
    tasks of each kind (a quick run). Task ids must be unique across everything loaded."""
    tasks: list[Task] = []
    for spec in specs or (BUILTIN,):
        if spec == BUILTIN:
            for f in builtin_files():
                tasks += load_file(f, f"builtin/{f.name}")
        else:
            path = Path(spec).expanduser()
            if not path.is_file():
                raise TaskError(f"No task file at {spec}.", hint="Give --suite builtin or the path of a .jsonl file.")
            tasks += load_file(path)
    seen: dict[str, str] = {}
    for t in tasks:
        if t.id in seen:
            raise TaskError(f"Task id {t.id!r} is used twice ({seen[t.id]} and {t.source}).")
        seen[t.id] = t.source
    wanted = set(kinds) or set(KINDS)
    unknown = wanted - set(KINDS)
    if unknown:
        raise TaskError(f"Unknown task kind {', '.join(sorted(unknown))} (known: {', '.join(KINDS)}).")
    out: list[Task] = []
    for kind in KINDS:
        of_kind = [t for t in tasks if t.kind == kind and kind in wanted]
        out += of_kind[:limit] if limit > 0 else of_kind
    if not out:
        raise TaskError("No tasks to run: the suites have none of the chosen kinds.")
    return out
