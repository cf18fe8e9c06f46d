"""packaging/programs.txt, and the programs our code runs, found by reading it.

Shared by tests/test_programs.py and the session-wide record in tests/conftest.py.
"""

from __future__ import annotations

import ast
import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIST = REPO / "packaging" / "programs.txt"
PY_DIRS = ("assistant", "tests", "packaging", "benchmarks")
# Shell scripts that run on Linux (packaging/windows and packaging/macos run elsewhere: they are not ours here).
SH_FILES = ("packaging/*.sh", "packaging/linux/*.sh", ".ci/run")


@dataclass(frozen=True)
class Entry:
    package: str
    modes: frozenset[str]
    programs: tuple[str, ...]
    why: str

    @property
    def installed_by_bootstrap(self) -> bool:
        return bool(self.modes)


def read_list(path: Path = LIST) -> list[Entry]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        package, modes, programs, *why = line.split(None, 3)
        out.append(Entry(package, frozenset(m for m in modes.split(",") if m != "-"),
                         tuple(p for p in programs.split(",") if p != "-"), why[0] if why else ""))
    return out


def listed_programs(entries: list[Entry] | None = None) -> dict[str, Entry]:
    return {prog: e for e in (entries or read_list()) for prog in e.programs}


# --- Python: subprocess.run/Popen/..., os.exec*/spawn*, shutil.which, asyncio's create_subprocess_exec

_CALLS = {("subprocess", n) for n in ("run", "Popen", "call", "check_call", "check_output", "getoutput",
                                      "getstatusoutput")}
_CALLS |= {("os", n) for n in ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execlp",
                               "execle", "execlpe", "spawnv", "spawnvp", "spawnl", "spawnlp", "posix_spawn",
                               "posix_spawnp")}
_CALLS |= {("shutil", "which"), ("asyncio", "create_subprocess_exec"), ("asyncio", "create_subprocess_shell")}
_SHELL_CALLS = {"system", "popen", "getoutput", "getstatusoutput", "create_subprocess_shell"}


def _head(node: ast.AST, names: dict[str, ast.AST]) -> str | None:
    """The program a command expression starts with, when the code names it literally."""
    if isinstance(node, ast.Name) and node.id in names:
        node = names[node.id]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        first = node.elts[0]
        if isinstance(first, ast.Name) and first.id in names:
            first = names[first.id]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def python_programs(path: Path) -> set[tuple[str, int]]:
    """(program, line) for every program this Python file runs or looks up by a literal name."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return set()
    names: dict[str, ast.AST] = {}  # NAME = [...] anywhere in the file: the usual way a command is kept
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, (ast.List, ast.Tuple, ast.Constant))):
            names[node.targets[0].id] = node.value
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
            continue
        owner = node.func.value
        if not (isinstance(owner, ast.Name) and (owner.id, node.func.attr) in _CALLS):
            continue
        head = _head(node.args[0], names)
        if head is None:
            continue
        if node.func.attr in _SHELL_CALLS:
            head = shlex.split(head)[0] if head.strip() else None
        if head:
            found.add((Path(head).name if "/" in head else head, node.lineno))
    return found


# --- shell scripts: the programs each simple command runs, found by a small lexer that knows quotes,
#     command and process substitution, assignments, keywords, functions, case patterns and wrappers

_KEYWORDS = {"if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
             "function", "select", "!", "{", "}", "time", "[[", "]]"}
_BUILTINS = {"local", "export", "set", "shift", "return", "exit", "cd", "echo", "printf", "read", "mapfile", "true",
             "false", "test", "[", "]", "source", ".", "trap", "wait", "unset", "declare", "readonly", "eval",
             "break", "continue", "let", "type", "hash", "umask", "pwd", "kill", "builtin", "getopts", ":"}
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")
Word = tuple[str, bool, int]  # (text, quoted, line)


def _close_paren(text: str, i: int) -> int:
    """Index just past the ")" that closes the "(" before ``i``, quotes and nesting respected."""
    depth, n = 1, len(text)
    while i < n and depth:
        ch = text[i]
        if ch == "'":
            i = text.find("'", i + 1) % (n + 1)
        elif ch == '"':
            j = i + 1
            while j < n and (text[j] != '"' or text[j - 1] == "\\"):
                j += 1
            i = j
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        i += 1
    return i


def _commands(text: str, first_line: int = 1) -> list[list[Word]]:
    """The simple commands of a bash script as lists of words, nested substitutions as commands of their own."""
    cmds: list[list[Word]] = []
    cur: list[Word] = []
    word, quoted, wline = "", False, first_line
    line, i, n = first_line, 0, len(text)

    def flush_word() -> None:
        nonlocal word, quoted
        if word or quoted:
            cur.append((word, quoted, wline))
        word, quoted = "", False

    def flush_cmd() -> None:
        nonlocal cur
        flush_word()
        if cur:
            cmds.append(cur)
        cur = []

    def start(at: int) -> None:
        nonlocal wline
        if not word and not quoted:
            wline = line + text[i:at].count("\n") * 0

    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                line += 1
            else:
                start(i)
                word += text[i + 1]
            i += 2
        elif ch == "#" and not word and not quoted:
            while i < n and text[i] != "\n":
                i += 1
        elif ch == "'":
            start(i)
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            word, quoted = word + text[i + 1:j], True
            line += text[i:j].count("\n")
            i = j + 1
        elif ch == '"':
            start(i)
            j, literal = i + 1, ""
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n:
                    literal += text[j + 1]
                    j += 2
                elif text.startswith("$((", j):
                    close = _close_paren(text, j + 3)
                    literal += "0"
                    j = close + 1
                elif text.startswith("$(", j):
                    close = _close_paren(text, j + 2)
                    cmds.extend(_commands(text[j + 2:close - 1], line + text[i:j].count("\n")))
                    literal += "$"
                    j = close
                elif text[j] == "$":
                    m = re.match(r"\$\{?([A-Za-z0-9_@#?*!]*)[^}\"]*\}?", text[j:])
                    literal += "$" + (m.group(1) if m else "")
                    j += max(1, m.end() if m else 1)
                else:
                    literal += text[j]
                    j += 1
            word, quoted = word + literal, True
            line += text[i:j].count("\n")
            i = j + 1
        elif text.startswith("((", i) and not word:  # an arithmetic command
            close = _close_paren(text, i + 2)
            line += text[i:close].count("\n")
            i = close + 1
        elif text.startswith("$((", i):
            start(i)
            i = _close_paren(text, i + 3) + 1
            word += "0"
        elif text.startswith("$(", i) or text.startswith("<(", i) or text.startswith(">(", i):
            start(i)
            close = _close_paren(text, i + 2)
            cmds.extend(_commands(text[i + 2:close - 1], line))
            line += text[i:close].count("\n")
            word += "$"
            i = close
        elif ch == "`":
            start(i)
            close = text.find("`", i + 1)
            close = n if close < 0 else close
            cmds.extend(_commands(text[i + 1:close], line))
            line += text[i:close].count("\n")
            word += "$"
            i = close + 1
        elif ch == "$":
            start(i)
            i += 1
            if i < n and text[i] == "{":
                close = text.find("}", i) + 1 or n
                word += "$" + re.split(r"[^A-Za-z0-9_]", text[i + 1:close])[0]
                i = close
            else:
                j = i
                while j < n and (text[j].isalnum() or text[j] in "_@#?*!"):
                    j += 1
                word += "$" + text[i:j]
                i = j
        elif ch in " \t":
            flush_word()
            i += 1
        elif ch == "(" and word.endswith("="):  # NAME=(...) or NAME+=(...): an array, not a subshell
            close = _close_paren(text, i + 1)
            word += "(...)"
            line += text[i:close].count("\n")
            i = close
        elif ch in "\n;&|()":
            flush_cmd()
            if ch == "\n":
                line += 1
            cur.append((ch, False, line)) if ch in "()" else None
            flush_cmd() if ch in "()" else None
            i += 1
        elif ch in "<>":
            flush_word()
            i += 1
            while i < n and text[i] in "<>&=|" and not text.startswith(("<(", ">("), i):
                i += 1
            while i < n and text[i] in " \t":
                i += 1
            if text.startswith(("<(", ">("), i):
                continue
            while i < n and text[i] not in " \t\n;|&)":  # the redirection's target: a file, not a command
                i += 1
        else:
            start(i)
            word += ch
            i += 1
    flush_cmd()
    return cmds


_WRAPPERS = {"env", "timeout", "sudo", "nice", "exec", "command", "xargs"}
_WRAPPER_VARS = {"$SUDO"}


def _programs_of(words: list[Word], functions: set[str], in_case: list[bool]) -> list[tuple[str, int]]:
    """The programs one simple command runs (a wrapper and what it wraps), skipping case patterns."""
    texts = [w[0] for w in words]
    if texts in (["("], [")"]):
        return []
    out: list[tuple[str, int]] = []
    k = 0
    while k < len(words):
        text, quoted, line = words[k]
        if text == "case":
            in_case.append(True)
            return out
        if text == "esac":
            if in_case:
                in_case.pop()
            k += 1
            continue
        if text in ("for", "select"):  # "for NAME in WORDS": nothing there runs (substitutions are their own)
            return out
        if text in _KEYWORDS or (not quoted and _ASSIGN.match(text)):
            k += 1
            continue
        if text in _WRAPPER_VARS and k == 0:  # "$SUDO apt-get ...": a variable that names a wrapper, or nothing
            k += 1
            continue
        if text in ("command", "type", "hash") and k + 2 <= len(words) and texts[k + 1:k + 2] in (["-v"], ["-V"]):
            if k + 2 < len(words):
                out.append((texts[k + 2], line))
            return out
        if text in _BUILTINS or text in functions or not text or text[0] in "$-":
            return out
        if text not in ("exec", "command"):  # builtins that wrap: what they run is the program
            out.append((text, line))
        if text not in _WRAPPERS:
            return out
        k += 1  # what the wrapper runs: skip its options, an env's assignments, timeout's duration
        while k < len(words) and (texts[k].startswith("-") or _ASSIGN.match(texts[k])
                                  or (text == "timeout" and re.match(r"^[0-9.]+[smhd]?$|^\$", texts[k]))):
            if text == "env" and texts[k] == "-u":
                k += 1
            k += 1
    return out


def shell_programs(path: Path) -> set[tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    functions = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\(\)\s*\{", text, flags=re.M))
    found = set()
    in_case: list[bool] = []
    cmds = _commands(text)
    for at, words in enumerate(cmds):
        if in_case and at + 1 < len(cmds) and [w[0] for w in cmds[at + 1]] == [")"]:
            continue  # inside a case, "pattern)": a pattern, not a command
        for prog, line in _programs_of(words, functions, in_case):
            if re.match(r"^[A-Za-z0-9_./+-]+$", prog):
                found.add((Path(prog).name if "/" in prog else prog, line))
    return found


def programs_in_repo() -> dict[str, list[str]]:
    """program -> ["file:line", ...] for every program the repository's code runs by name."""
    out: dict[str, list[str]] = {}
    for folder in PY_DIRS:
        for path in sorted((REPO / folder).rglob("*.py")):
            if any(part.startswith(".venv") or part in ("build", "dist") for part in path.relative_to(REPO).parts):
                continue
            for prog, line in python_programs(path):
                out.setdefault(prog, []).append(f"{path.relative_to(REPO)}:{line}")
    for pattern in SH_FILES:
        for path in sorted(REPO.glob(pattern)):
            for prog, line in shell_programs(path):
                out.setdefault(prog, []).append(f"{path.relative_to(REPO)}:{line}")
    return out


def is_ours(program: str) -> bool:
    """Programs that are not system programs: Python itself, what pip installs from pyproject.toml into the
    virtual environment (ruff, mypy, pyside6-lupdate...), and what the project or its tests build."""
    name = Path(program).name
    if re.match(r"^python(\d+(\.\d+)?)?$", name) or name in {"assistant", "assistant-cli", "assistant-gui"}:
        return True
    if (Path(sys.executable).parent / name).exists():
        return True
    if "/" in program:  # a path: the repository's own build, or something a test wrote to a temporary folder
        path = Path(program).resolve()
        return path.is_relative_to(REPO) or path.is_relative_to(Path(tempfile.gettempdir()).resolve())
    return False
