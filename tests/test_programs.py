"""Every program from outside Python comes from packaging/programs.txt, and bootstrap installs that list.

A test that needed `vulkaninfo` passed on a machine where it had been installed by hand and failed on a new
one. These tests make that class of defect fail here first: a program the code runs must be listed with
its Debian package and the modes that need it, the listed packages are what bootstrap installs for each
mode, and on this machine each listed program really comes from the package named beside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROGRAMS_RUN
from tests.programs import REPO, is_ours, listed_programs, programs_in_repo, read_list, shell_programs

CI = os.environ.get("ASSISTANT_REQUIRE_VULKAN") == "1"  # set by `bootstrap.sh test`: the machine it set up


def test_every_program_the_code_runs_is_listed() -> None:
    listed = listed_programs()
    missing = {prog: where for prog, where in programs_in_repo().items() if prog not in listed and not is_ours(prog)}
    assert not missing, ("programs run by the code but not in packaging/programs.txt (add each with its Debian "
                         f"package and modes): {missing}")


def test_the_scan_sees_programs_in_python_and_shell(tmp_path: Path) -> None:
    """The scan itself: a planted call of each kind is found (so an empty result above means something)."""
    py = tmp_path / "x.py"
    py.write_text("import subprocess, shutil, os\nCMD = ['zzprog-list', '-x']\nsubprocess.run(CMD)\n"
                  "subprocess.Popen(['zzprog-popen', 'a'])\nshutil.which('zzprog-which')\nos.system('zzprog-sys -q')\n"
                  "subprocess.run([sys.executable, '-c', 'x'])\n")
    from tests.programs import python_programs

    assert {p for p, _ in python_programs(py)} == {"zzprog-list", "zzprog-popen", "zzprog-which", "zzprog-sys"}
    sh = tmp_path / "x.sh"
    sh.write_text('set -e\nX=1 zzsh-a --flag "$X" | zzsh-b\nif command -v zzsh-c >/dev/null; then\n'
                  '  v="$(zzsh-d -n | zzsh-e)"\nfi\nmapfile -t a < <(zzsh-f x)\n$SUDO zzsh-g install y\n'
                  'case "$M" in\n  run) zzsh-h ;;\n  *) echo no ;;\nesac\nenv -u D timeout 5 zzsh-i --self-test\n'
                  "for p in a b; do zzsh-j \"$p\"; done\nf() { zzsh-k; }\nf\necho 'zzsh-not-a-command'\n")
    assert {p for p, _ in shell_programs(sh)} == {f"zzsh-{c}" for c in "abcdefghijk"} | {"env", "timeout"}


def test_bootstrap_installs_the_list_for_each_mode() -> None:
    entries = read_list()
    for mode in ("run", "test", "package"):
        out = subprocess.run(["bash", str(REPO / "packaging" / "bootstrap.sh"), "packages", mode],
                             capture_output=True, text=True, timeout=60, check=True).stdout.split()
        assert out == [e.package for e in entries if mode in e.modes], mode
    install = subprocess.run(["bash", str(REPO / "packaging" / "bootstrap.sh"), "packages", "install"],
                             capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert install == [e.package for e in entries if "test" in e.modes]
    # the app's own needs are a subset of what the tests install
    assert {e.package for e in entries if "run" in e.modes} <= {e.package for e in entries if "test" in e.modes}


def _owner(path: str) -> str | None:
    """The Debian package that installed a file (dpkg -S), trying the pre-usrmerge path too."""
    real = os.path.realpath(path)
    pre_usrmerge = [real.replace("/usr/bin/", "/bin/"), real.replace("/usr/sbin/", "/sbin/")]
    for candidate in dict.fromkeys([real, path, *pre_usrmerge]):
        out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, timeout=30)
        if out.returncode == 0 and ":" in out.stdout:
            return out.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def _depends(package: str, depth: int = 2) -> set[str]:
    """The package and what it depends on, ``depth`` levels down (g++ brings its program through g++-12)."""
    seen, todo = {package}, [package]
    for _ in range(depth):
        nxt = []
        for pkg in todo:
            out = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", pkg], capture_output=True, text=True,
                                 timeout=30).stdout
            for alt in out.split(","):
                name = alt.split("|")[0].split("(")[0].split(":")[0].strip()
                if name and name not in seen:
                    seen.add(name)
                    nxt.append(name)
        todo = nxt
    return seen


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian system: packages cannot be checked")
def test_on_this_machine_each_listed_program_comes_from_its_package() -> None:
    """On the machine `bootstrap.sh test` set up (CI), every package the tests need is installed and every
    program it lists is there and belongs to it; elsewhere, what is present must still match."""
    wrong, absent = {}, []
    for entry in read_list():
        if entry.package.startswith("("):
            continue  # never installed by bootstrap (the NVIDIA driver, macOS)
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", entry.package], capture_output=True,
                                text=True, timeout=30).stdout
        if "install ok installed" not in status:
            if CI and "test" in entry.modes:
                absent.append(entry.package)
            continue
        for prog in entry.programs:
            path = shutil.which(prog)
            if path is None:
                absent.append(f"{prog} ({entry.package})")
                continue
            owner = _owner(path)
            if owner not in _depends(entry.package):
                wrong[prog] = f"listed under {entry.package}, installed by {owner}"
    assert not absent, f"listed but missing on a machine bootstrap set up: {absent}"
    assert not wrong, wrong


def test_programs_run_by_the_tests_are_listed() -> None:
    """Last in the run (tests/conftest.py orders it): every program this test process started, by whatever
    code path, is listed or is ours. Catches names the static scan cannot see (built at run time)."""
    listed = listed_programs()
    unlisted = {prog: test for prog, test in PROGRAMS_RUN.items()
                if Path(prog).name not in listed and not is_ours(prog)}
    assert not unlisted, f"programs started during the tests but not in packaging/programs.txt: {unlisted}"
