"""Shared fixtures: a fresh app home per test, offline by default, the real bundled model."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Nothing in the test run may reach the network unless a test starts a local server itself.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Which llama.cpp CPU code runs here is decided by a probe (child processes, a few seconds) and cached per
# machine; every test has its own app home, so the whole run shares one cache, probed afresh per run.
# The probe's own tests point it elsewhere.
os.environ.setdefault("ASSISTANT_HARDWARE_CACHE", tempfile.mkdtemp(prefix="assistant-hw-"))

REPO = Path(__file__).resolve().parents[1]

# Every program this test process starts, recorded through Python's audit events (tests/test_programs.py
# checks, last in the run, that each is listed in packaging/programs.txt): program -> the first test that ran it.
PROGRAMS_RUN: dict[str, str] = {}
_current_test = ["(collection)"]


def _program_of(event: str, args: tuple) -> str | None:  # type: ignore[type-arg]
    if event == "subprocess.Popen":
        executable, argv = args[0], args[1]
        if executable:
            return os.fsdecode(executable)
        if isinstance(argv, (str, bytes)):
            return os.fsdecode(argv).split()[0] if argv.strip() else None
        argv = list(argv)
        return os.fsdecode(argv[0]) if argv else None
    if event in ("os.exec", "os.posix_spawn"):
        return os.fsdecode(args[0])
    if event == "os.spawn":
        return os.fsdecode(args[1])
    if event == "os.system":
        cmd = os.fsdecode(args[0]).split()
        return cmd[0] if cmd else None
    return None


def _audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event.startswith(("subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system")):
        try:
            program = _program_of(event, args)
        except Exception:  # never let the record break a test
            return
        if program:
            PROGRAMS_RUN.setdefault(program, _current_test[0])


sys.addaudithook(_audit)


def pytest_runtest_setup(item: pytest.Item) -> None:
    _current_test[0] = item.nodeid


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check of the programs the run has started goes last."""
    last = [i for i in items if i.name == "test_programs_run_by_the_tests_are_listed"]
    items[:] = [i for i in items if i not in last] + last
FIXTURES = REPO.parent / "shared" / "fixtures"
LOCAL_FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings, history, logs and models folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    for var in ("ASSISTANT_CONFIG_DIR", "ASSISTANT_DATA_DIR", "ASSISTANT_CACHE_DIR", "ASSISTANT_LOG_DIR",
                "ASSISTANT_MODELS_DIR"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def bundled_model() -> Path:
    """The real bundled GGUF. Missing means set-up did not run: a failure, never a skip."""
    from assistant.core.models.catalog import find_bundled_model

    try:
        return find_bundled_model()
    except Exception as exc:  # pragma: no cover - set-up problem
        pytest.fail(f"bundled model missing ({exc}); run `bash packaging/bootstrap.sh test`")


@pytest.fixture(scope="session")
def llama_backend(bundled_model: Path) -> Iterator[object]:
    """One loaded model for the whole session (loading is cheap, but each copy holds a KV cache)."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    backend = LlamaCppBackend(bundled_model, n_ctx=4096)
    yield backend
    backend.close()


def reference_template_path() -> Path:
    """The R1 reference template: ../shared/fixtures, or the copy under tests/fixtures for CI."""
    for base in (FIXTURES, LOCAL_FIXTURES):
        p = base / "deepseek-r1-distill-qwen.chat_template.jinja"
        if p.exists():
            return p
    raise FileNotFoundError("deepseek-r1-distill-qwen.chat_template.jinja")


_EXIT_STATUS: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After every test has run and the summary is written, leave without the interpreter's finalization.

    The whole suite in one process loads llama.cpp (its OpenMP runtime), torch (another), Qt and vLLM's client
    libraries; in CI the process once died with SIGSEGV in that finalization, after '7 failed, 1129 passed' had
    been printed, turning the run's status into 139. Subsets do not reproduce it. The result is decided by then,
    so it is what the process returns; the app itself exits through its own shutdown (self-tests check it)."""
    if not _EXIT_STATUS or os.environ.get("ASSISTANT_TEST_FINALIZE"):  # set it to see the finalization again
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS[-1])
