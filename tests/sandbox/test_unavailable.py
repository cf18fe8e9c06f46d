"""Where bubblewrap is missing or cannot create namespaces, no code runs: a clear error with a hint, a cause of its
own in the eval (not "wrong"), and a line in `assistant doctor`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.commands.doctor import format_sandbox, sandbox_report
from assistant.core.eval.scorers import NO_SANDBOX, score
from assistant.core.eval.tasks import parse_task
from assistant.core.sandbox import SandboxUnavailable, ready, run_code, run_tests, self_check, status

CODE_TASK = {"id": "i-add", "kind": "instruct", "lang": "en", "prompt": "Write add(a, b).",
             "checks": [{"type": "code", "function": "add", "tests": ["assert add(1, 2) == 3"]}]}
ANSWER = "```python\ndef add(a, b):\n    return a + b\n```"


@pytest.fixture()
def no_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process decides afresh, with the bwrap the test gives; the real decision is restored after."""
    yield
    monkeypatch.undo()
    ready(again=True)


def test_without_bubblewrap_nothing_runs_and_the_hint_says_install_it(
        no_sandbox: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_BWRAP", str(tmp_path / "missing" / "bwrap"))
    with pytest.raises(SandboxUnavailable) as err:
        ready(again=True)
    assert "bubblewrap" in err.value.message and "not installed" in err.value.message
    assert "apt install bubblewrap" in err.value.hint
    for call in (lambda: run_code("print(1)"), lambda: run_tests("def add(a, b):\n    return a + b\n",
                                                                      ["assert add(1, 2) == 3"])):
        with pytest.raises(SandboxUnavailable):
            call()
    s = score(parse_task(CODE_TASK, "test"), ANSWER)
    assert not s.ok and s.cause == NO_SANDBOX and "bubblewrap" in s.detail
    st = status()
    assert not st.available and "install" in st.hint.lower()
    assert format_sandbox(sandbox_report()).startswith("Code sandbox: NOT AVAILABLE")
    ok, line = self_check()
    assert not ok and "bubblewrap" in line


def test_bubblewrap_that_cannot_create_namespaces_is_reported_in_its_own_words(
        no_sandbox: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What bwrap says in a container without user namespaces (its own message), from a stand-in bwrap."""
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the kernel "
                    "does not allow non-privileged user namespaces.' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("ASSISTANT_BWRAP", str(fake))
    with pytest.raises(SandboxUnavailable) as err:
        run_code("print(1)") if ready(again=True) else None
    assert "No permissions to creating new namespace" in err.value.message
    assert "user namespaces" in err.value.hint


def test_with_the_sandbox_the_same_task_is_scored_normally() -> None:
    task = parse_task(CODE_TASK, "test")
    assert score(task, ANSWER).ok
    wrong = score(task, ANSWER.replace("a + b", "a - b"))
    assert not wrong.ok and wrong.cause == "wrong"
    ok, line = self_check()
    assert ok, line


def test_a_suite_with_a_test_the_harness_cannot_judge_is_refused_on_load() -> None:
    from assistant.core.eval.tasks import TaskError

    bad = {**CODE_TASK, "checks": [{"type": "code", "function": "add",
                                    "tests": ["for i in range(3):\n    assert add(i, 0) == i"]}]}
    with pytest.raises(TaskError) as err:
        parse_task(bad, "suite.jsonl:3")
    assert "top-level assert" in str(err.value)


def test_the_packaged_apps_way_its_folder_is_bound_and_it_runs_dash_c(
        no_sandbox: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A frozen app runs `assistant -c CODE ARGS` (packaging/entry.py) and needs its own folder in the sandbox.
    A stand-in executable in a folder of its own (run by the system Python) shows both."""
    system_python = Path("/usr/bin/python3")
    if not system_python.exists():
        pytest.skip("needs a system Python at /usr/bin/python3 for the stand-in executable")
    app = tmp_path / "opt" / "assistant"
    app.mkdir(parents=True)
    (app / "marker.txt").write_text("app folder")
    exe = app / "assistant"
    # Like the frozen app: a start-up hook (PyInstaller's matplotlib one) makes a temporary folder in-process
    # before the entry point runs the code given with -c (packaging/entry.py).
    boot = ('import sys, tempfile; tempfile.mkdtemp(); code = sys.argv.pop(1); '
            'exec(compile(code, "<string>", "exec"), {"__name__": "__main__"})')
    script = f"exec {system_python} -I -S -c '{boot}' \"$@\""
    exe.write_text(f'#!/bin/sh\n[ "$1" = "-c" ] || exit 64\nshift\n{script}\n')
    exe.chmod(0o755)
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys.executable", str(exe))
    plan = ready(again=True)
    assert ("--ro-bind", str(app), str(app)) in plan.binds and plan.python == (str(exe), "-c")
    r = run_code(f"print(open({str(app / 'marker.txt')!r}).read())")
    assert r.ok and r.stdout == "app folder\n", r.stderr
