"""The server process the app owns: ready, stop, failures with the log's tail, and no orphan.

The "server" here is Python's own ``http.server`` (a real process answering HTTP on 127.0.0.1): what
is tested is the process handling, which is the same for vLLM. The orphan tests start a real app-like
parent process, SIGKILL it (an app crash), and check the server dies with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from assistant.core.backends.server_process import ServerProcess, free_port, pid_alive
from assistant.core.errors import BackendUnavailableError, CancelledError
from assistant.core.progress import Progress

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[3]


def http_server_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]


def wait_gone(pid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_ready_then_stop_leaves_nothing(tmp_path: Path) -> None:
    port = free_port()
    seen: list[tuple[str, float | None]] = []
    proc = ServerProcess(http_server_argv(port), log_path=tmp_path / "s.log", name="test server")
    proc.wait_healthy(f"http://127.0.0.1:{port}/", timeout_s=30, progress=lambda p: seen.append((p.stage, p.fraction)))
    assert proc.running() and seen[-1] == ("The test server is ready", 1.0)
    guard = proc.guard_pid
    assert guard is not None and pid_alive(guard)
    proc.stop()
    assert not pid_alive(proc.pid) and wait_gone(guard, 5)
    proc.stop()  # idempotent


def test_stop_reaches_the_whole_process_group(tmp_path: Path) -> None:
    """vLLM forks engine processes; stopping the server must take them along."""
    code = textwrap.dedent("""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print("CHILD", child.pid, flush=True)
        time.sleep(600)
    """)
    proc = ServerProcess([sys.executable, "-c", code], log_path=tmp_path / "g.log", stop_grace_s=2)
    deadline = time.monotonic() + 20
    while "CHILD" not in proc.tail() and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(proc.tail().split("CHILD")[1].split()[0])
    assert pid_alive(child)
    proc.stop()
    assert wait_gone(child, 10) and not pid_alive(proc.pid)


def test_a_server_that_exits_reports_its_log(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import sys; print('CUDA error: no kernel image is available'); sys.exit(3)"]
    proc = ServerProcess(argv, log_path=tmp_path / "x.log", name="vLLM server")
    with pytest.raises(BackendUnavailableError) as info:
        proc.wait_healthy(f"http://127.0.0.1:{free_port()}/health", timeout_s=30)
    assert "exited while starting (exit code 3)" in info.value.message
    assert "no kernel image is available" in info.value.message  # the tail of the server's log
    assert str(tmp_path / "x.log") in info.value.hint


def test_a_server_that_never_gets_ready_times_out_with_its_log(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "print('loading weights...', flush=True); import time; time.sleep(600)"]
    proc = ServerProcess(argv, log_path=tmp_path / "t.log", name="vLLM server", stop_grace_s=2)
    t0 = time.monotonic()
    with pytest.raises(BackendUnavailableError) as info:
        proc.wait_healthy(f"http://127.0.0.1:{free_port()}/health", timeout_s=2)
    assert time.monotonic() - t0 < 10
    assert "did not become ready within 2 s" in info.value.message and "loading weights..." in info.value.message
    assert not pid_alive(proc.pid)  # given up means stopped


def test_progress_can_cancel_a_start(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(600)"]
    proc = ServerProcess(argv, log_path=tmp_path / "c.log", stop_grace_s=2)
    calls = 0

    def progress(p: Progress) -> None:
        nonlocal calls
        fraction = p.fraction
        calls += 1
        assert fraction is None or 0.0 <= fraction <= 0.95
        if calls == 3:
            raise CancelledError()

    with pytest.raises(CancelledError):
        proc.wait_healthy(f"http://127.0.0.1:{free_port()}/health", timeout_s=60, progress=progress)
    assert not pid_alive(proc.pid)


def test_missing_executable_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match="Could not start the vLLM server"):
        ServerProcess([str(tmp_path / "no-python"), "-m", "vllm"], log_path=tmp_path / "m.log", name="vLLM server",
                      die_with_parent=False)


def test_server_started_from_a_short_lived_thread_survives_the_thread(tmp_path: Path) -> None:
    """PR_SET_PDEATHSIG follows the forking thread: servers are forked from one long-lived thread."""
    port = free_port()
    holder: list[ServerProcess] = []
    t = threading.Thread(target=lambda: holder.append(
        ServerProcess(http_server_argv(port), log_path=tmp_path / "t.log")))
    t.start()
    t.join()
    proc = holder[0]
    try:
        proc.wait_healthy(f"http://127.0.0.1:{port}/", timeout_s=30)
        time.sleep(1.0)
        assert proc.running()
    finally:
        proc.stop()


APP = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {repo!r})
    from assistant.core.backends.server_process import ServerProcess
    port = int(sys.argv[1])
    p = ServerProcess([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                      log_path=__import__("pathlib").Path(sys.argv[2]),
                      die_with_parent=sys.argv[3] == "1", guard=sys.argv[4] == "1")
    p.wait_healthy(f"http://127.0.0.1:{{port}}/", timeout_s=60)
    print("SERVER", p.pid, flush=True)
    time.sleep(600)
""")


@pytest.mark.parametrize(("pdeathsig", "guard"), [
    pytest.param(True, False, id="pdeathsig-only", marks=pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")),
    pytest.param(False, True, id="guard-only"),
    pytest.param(True, True, id="both"),
])
def test_server_dies_when_the_app_crashes(tmp_path: Path, pdeathsig: bool, guard: bool) -> None:
    port = free_port()
    app = subprocess.Popen(
        [sys.executable, "-c", APP.format(repo=str(REPO)), str(port), str(tmp_path / "srv.log"),
         "1" if pdeathsig else "0", "1" if guard else "0"],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert app.stdout is not None
        line = app.stdout.readline()
        assert line.startswith("SERVER"), f"app did not start its server: {line!r}"
        server_pid = int(line.split()[1])
        assert pid_alive(server_pid)
        os.kill(app.pid, signal.SIGKILL)  # the app crashes: no cleanup code runs
        app.wait(10)
        assert wait_gone(server_pid, 20), "the server outlived the app"
    finally:
        if app.poll() is None:
            app.kill()
        app.wait()
        with __import__("contextlib").suppress(ProcessLookupError, UnboundLocalError):
            os.killpg(server_pid, signal.SIGKILL)
