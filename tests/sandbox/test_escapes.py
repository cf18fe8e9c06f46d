"""Every escape class issue 22 showed against the audit-hook sandbox, tried for real against the OS sandbox.

Each attempt prints what it managed; the test asserts on that and on the host (the planted files, the test
process, the listening server), so an attempt that "succeeded" quietly still fails the test.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.sandbox import run_code, run_tests
from tests.sandbox.conftest import IS_ROOT, sandbox_processes, threads_allowed

# A folder that is visible (read-only) inside the sandbox, for attacks on files the code can open.
VISIBLE = Path("/usr/local/share")


@pytest.fixture()
def planted(tmp_path: Path) -> Iterator[Path]:
    """A folder of the user's (invisible to the sandbox) holding a file the code would like to change."""
    (tmp_path / "keep.txt").write_text("mine")
    yield tmp_path


@pytest.fixture()
def visible_file() -> Iterator[Path]:
    """A file the sandbox can see (and open read-only): planted under /usr/local/share where this user can
    write there (root on CI), else an existing system file."""
    try:
        VISIBLE.mkdir(parents=True, exist_ok=True)
        path = VISIBLE / f"assistant-sandbox-test-{secrets.token_hex(4)}.txt"
        path.write_text("system")
    except OSError:
        yield Path("/usr/bin/env").resolve()
        return
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _snapshot(path: Path) -> tuple[int, int, int, int, list[str]]:
    st = path.stat()
    return st.st_mode, st.st_uid, st.st_mtime_ns, st.st_size, sorted(os.listxattr(path))


def test_rebinding_the_harness_does_not_open_the_file_system_or_a_shell(planted: Path) -> None:
    marker = planted / "shell-ran"
    code = f"""
import sys, os, gc, __main__
for d in [vars(__main__), sys._getframe(1).f_globals if sys._getframe(1) else {{}}]:
    for k in list(d):
        if k.startswith('_') and k not in ('__builtins__', '__name__'):
            d[k] = None  # every harness variable: paths, deny lists, hooks...
for target in [{str(planted / 'evil.txt')!r}, {str(planted / 'keep.txt')!r}, '/usr/evil.txt', '/evil.txt',
               '/etc/evil', '/proc/sys/kernel/evil', '/dev/shm/evil']:
    try:
        with open(target, 'w') as f:
            f.write('x')
        print('WROTE', target)
    except OSError as e:
        print('refused', target, e.errno)
import subprocess
print('system', os.system('touch {marker}'))  # no exception: the shell's "status" says it never ran
for attempt in (lambda: subprocess.run(['/bin/sh', '-c', 'touch {marker}']),
                lambda: os.execv('/bin/sh', ['sh', '-c', 'touch {marker}']),
                lambda: os.posix_spawn('/bin/sh', ['sh', '-c', 'touch {marker}'], {{}})):
    try:
        attempt()
        print('SHELL')
    except OSError as e:
        print('no shell', e.errno)
"""
    r = run_code(code)
    assert "WROTE" not in r.stdout and "SHELL" not in r.stdout, r.stdout + r.stderr
    assert r.stdout.count("refused") == 7 and r.stdout.count("no shell") == 3, r.stdout + r.stderr
    assert "system 0" not in r.stdout
    assert not marker.exists() and not (planted / "evil.txt").exists() and (planted / "keep.txt").read_text() == "mine"
    # the same as a solution under test: the harness breaks, and the result is an error, not a pass
    t = run_tests("import sys\nsys._getframe(1).f_globals.clear()\ndef add(a, b):\n    return a - b\n",
                  ["assert add(1, 2) == 3"])
    assert not t.ok and t.status == "error"


WRONG_ADD = "def add(a, b):\n    return a - b\n"
ADD_TESTS = ["assert add(1, 2) == 3", "assert add(-1, 1) == 0", "assert add(2, 2) == 4"]


@pytest.mark.parametrize("attack", [
    # empty the harness's test list
    "import sys\nsys._getframe(1).f_globals['_P']['tests'][:] = []\n",
    # replace every test by one that cannot fail
    "import sys\nP = sys._getframe(1).f_globals['_P']\nP['tests'] = [[['x', 'pass']] for _ in P['tests']]\n",
    # replace every probe by a harmless value
    "import sys\nP = sys._getframe(1).f_globals['_P']\nP['tests'] = [[['p', 'True']] for _ in P['tests']]\n",
    # write a verdict of its own on the result channel and leave before the harness does
    "import sys, os\ng = sys._getframe(1).f_globals\nfor i in range(3):\n"
    "    g['_report']({'test': i, 'values': [['t']]})\ng['_report']({'done': True})\nos._exit(0)\n",
    # the old harness's result format, on stdout
    "import os\nprint('@@sandbox-0@@{\"passed\": 3, \"total\": 3, \"failures\": [], \"load_error\": \"\"}')\n"
    "os._exit(0)\n",
    # make every comparison true inside the sandbox
    "class Yes(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n"
    "_a = add\nadd = lambda a, b: Yes(_a(a, b))\n",
    # leave early: nothing reported is not a pass
    "import os\nos._exit(0)\n",
])
def test_a_wrong_solution_cannot_make_its_tests_pass(attack: str) -> None:
    r = run_tests(WRONG_ADD + attack, ADD_TESTS)
    assert not r.ok and r.passed < 3, (attack, r)
    good = run_tests("def add(a, b):\n    return a + b\n", ADD_TESTS)
    assert good.ok and good.passed == 3


def test_signals_to_the_parent_are_impossible() -> None:
    got: list[int] = []
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: got.append(signum))
    pid = os.getpid()
    code = f"""
import os, signal
for name, attempt in [
        ('kill', lambda: os.kill({pid}, signal.SIGUSR1)),
        ('pidfd', lambda: signal.pidfd_send_signal(os.pidfd_open({pid}), signal.SIGUSR1)),
        ('pidfd-self', lambda: os.pidfd_open(os.getpid())),
        ('killpg', lambda: os.killpg({os.getpgrp()}, signal.SIGUSR1))]:
    try:
        attempt()
        print('SENT', name)
    except OSError as e:
        print('refused', name, e.errno)
print('pid inside', os.getpid(), flush=True)
os.kill(-1, signal.SIGUSR1)  # every process this one may signal: only the sandbox's own
print('still here')
"""
    try:
        r = run_code(code)
        time.sleep(0.2)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert got == [] and "SENT" not in r.stdout, r.stdout + r.stderr
    assert r.stdout.count("refused") == 4 and "pid inside 2\n" in r.stdout  # a PID namespace of its own


def test_file_descriptor_calls_and_sqlite_cannot_change_outside_files(planted: Path, visible_file: Path) -> None:
    before = _snapshot(visible_file)
    db = planted / "user.db"
    code = f"""
import os, sqlite3
fd = os.open({str(visible_file)!r}, os.O_RDONLY)
for name, attempt in [('fchmod', lambda: os.fchmod(fd, 0o777)), ('fchown', lambda: os.fchown(fd, 0, 0)),
                      ('utime', lambda: os.utime(fd, (0, 0))), ('setxattr', lambda: os.setxattr(fd, 'user.x', b'1')),
                      ('chmod', lambda: os.chmod({str(visible_file)!r}, 0o777)),
                      ('reopen', lambda: os.open('/proc/self/fd/%d' % fd, os.O_WRONLY)),
                      ('truncate', lambda: os.truncate({str(visible_file)!r}, 0))]:
    try:
        attempt()
        print('CHANGED', name)
    except OSError as e:
        print('refused', name, e.errno)
for path in [{str(db)!r}, {str(visible_file.parent / 'new.db')!r}, '/new.db']:
    try:
        con = sqlite3.connect(path)
        con.execute('create table t(x)')
        con.commit()
        print('CREATED', path)
    except sqlite3.Error as e:
        print('refused db', e)
"""
    r = run_code(code)
    assert "CHANGED" not in r.stdout and "CREATED" not in r.stdout, r.stdout + r.stderr
    assert r.stdout.count("refused") == 10, r.stdout + r.stderr
    assert _snapshot(visible_file) == before and not db.exists() and not (visible_file.parent / "new.db").exists()


def test_files_and_bytes_written_are_bounded() -> None:
    r = run_code("""
import os, errno
n = 0
try:
    while True:
        open('f%d' % n, 'w').close()
        n += 1
except OSError as e:
    print('files', n, errno.errorcode[e.errno])
for f in os.listdir('.'):
    os.remove(f)
total = 0
block = b'x' * (1 << 20)
try:
    with open('/tmp/big', 'wb') as f:  # /tmp is the scratch folder too
        while True:
            f.write(block)
            f.flush()
            total += len(block)
except OSError as e:
    print('bytes', total, errno.errorcode[e.errno])
""", timeout_s=20)
    _, count, why = r.stdout.splitlines()[0].split()
    assert int(count) < 4096 and why == "ENOSPC", r.stdout + r.stderr
    _, written, why = r.stdout.splitlines()[1].split()
    assert int(written) <= 64 * 1024 * 1024 and why in ("ENOSPC", "EFBIG"), r.stdout


def test_symlinks_and_races_lead_nowhere(planted: Path, visible_file: Path) -> None:
    before = _snapshot(visible_file)
    target = planted / "keep.txt"
    code = f"""
import os
for i, dest in enumerate([{str(target)!r}, {str(visible_file)!r}, '/proc/1/root{visible_file}', '/etc/passwd']):
    name = 'link%d' % i
    os.symlink(dest, name)
    try:
        with open(name, 'w') as f:
            f.write('x')
        print('WROTE', dest)
    except OSError as e:
        print('refused', dest, e.errno)
try:
    os.link({str(visible_file)!r}, 'hard')
    print('LINKED')
except OSError as e:
    print('refused link', e.errno)
# check-then-use: flip a link between a scratch file and an outside path while writing through it
wrote = 0
for i in range(2000):
    try:
        os.remove('flip')
    except FileNotFoundError:
        pass
    os.symlink('inside.txt' if i % 2 else {str(visible_file)!r}, 'flip')
    try:
        with open('flip', 'a') as f:
            f.write('x')
        wrote += 1
    except OSError:
        pass
print('flips', wrote, os.path.getsize('inside.txt'))
"""
    r = run_code(code)
    assert "WROTE" not in r.stdout and "LINKED" not in r.stdout, r.stdout + r.stderr
    assert "flips 1000 1000" in r.stdout, r.stdout + r.stderr  # only the writes into the scratch folder landed
    assert target.read_text() == "mine" and _snapshot(visible_file) == before


def test_fork_bomb_and_subprocesses_are_contained() -> None:
    """As root too (CI): RLIMIT_NPROC means nothing to root, so processes are refused by the seccomp filter."""
    t0 = time.monotonic()
    r = run_code("""
import os, time
n = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(30)
        n += 1
except OSError as e:
    print('forks', n, e.errno)
import multiprocessing
try:
    p = multiprocessing.Process(target=print)
    p.start()
    print('PROCESS')
except OSError as e:
    print('no process', e.errno)
""", timeout_s=10)
    assert r.stdout.splitlines()[0] == "forks 0 1", r.stdout + r.stderr  # EPERM at the first fork
    assert "PROCESS" not in r.stdout and time.monotonic() - t0 < 5
    assert sandbox_processes() == []
    if IS_ROOT:  # and threads, which nothing would count for root, where bwrap could not run as nobody
        threads = run_code("import threading\nn = 0\ntry:\n    while True:\n"
                           "        threading.Thread(target=__import__('time').sleep, args=(5,), daemon=True).start()\n"
                           "        n += 1\nexcept RuntimeError:\n    print('threads', n)\n", memory_mb=4096)
        count = int(threads.stdout.split()[1])
        assert count == (62 if threads_allowed() else 0), threads.stdout + threads.stderr


def test_no_network_even_to_a_listening_server_on_this_machine() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port = server.getsockname()[1]
    connected: list[object] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                connected.append(server.accept())
            except OSError:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    code = f"""
import socket, urllib.request
for name, attempt in [
        ('tcp', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=2)),
        ('http', lambda: urllib.request.urlopen('http://127.0.0.1:{port}/', timeout=2)),
        ('tcp6', lambda: socket.create_connection(('::1', {port}), timeout=2)),
        ('dns', lambda: socket.getaddrinfo('example.com', 80)),
        ('packet', lambda: socket.socket(17, socket.SOCK_RAW)),
        ('vsock', lambda: socket.socket(40, socket.SOCK_STREAM))]:
    try:
        attempt()
        print('REACHED', name)
    except OSError as e:
        print('refused', name)
"""
    try:
        r = run_code(code)
        time.sleep(0.3)  # a connection made anyway would be accepted by now
    finally:
        done.set()
        thread.join()
        server.close()
    assert connected == [] and "REACHED" not in r.stdout and r.stdout.count("refused") == 6, r.stdout + r.stderr


def test_the_users_files_are_not_visible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    secret = home / "secret.txt"
    secret.write_text("the user's secret " + secrets.token_hex(8))
    secret.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    monkeypatch.setenv("HOME", str(home))
    code = f"""
import os
print('home is', os.path.expanduser('~'), os.environ.get('HOME'))
for path in [{str(secret)!r}, os.path.expanduser('~/secret.txt'), '/etc/passwd', '/etc/shadow', '/root/.bashrc',
             '{Path.cwd() / "pyproject.toml"}']:
    try:
        print('READ', path, open(path).read()[:80])
    except OSError as e:
        print('absent', path, e.errno)
print(sorted(os.listdir('/')))
print(sorted(os.listdir('/root')) if os.path.isdir('/root') else [])
"""
    r = run_code(code)
    assert secret.read_text() not in r.stdout and "READ" not in r.stdout and r.stdout.count("absent") == 6, r.stdout
    assert "home is /scratch /scratch" in r.stdout
    top, in_root = (eval(line) for line in r.stdout.splitlines()[-2:])
    assert "home" not in top and "work" not in top and "mnt" not in top and "run" not in top, top
    # /root exists only where the interpreter lives under it (pyenv on CI), and holds only that path
    runtime = Path(sys.base_prefix).resolve()
    assert in_root == ([runtime.parts[2]] if runtime.parts[1] == "root" else []), in_root
