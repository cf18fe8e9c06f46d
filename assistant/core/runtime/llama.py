"""llama-cpp-python, with the llama.cpp code this machine was proven to run.

The app's llama.cpp is built portable (``packaging/bootstrap.sh``, ``packaging/README.md``): ggml's CPU
backend exists in several variants (``libggml-cpu-x64.so``, ``-sse42``, ``-haswell``, ``-skylakex``,
``-icelake``, ``-zen4``, ``-sapphirerapids``, ...) and a Vulkan GPU module lies beside ``libllama``; none
is linked in. ggml's own pick trusts CPUID, which a VM can get wrong (AMX advertised, not enabled: SIGILL
on the first prompt), so :mod:`ggml_probe` runs the candidates in child processes once per machine, and
:func:`llama_cpp_module` loads only the modules that passed: one CPU variant, and the Vulkan module where
a GPU passed too. Everything in the app that touches llama.cpp goes through it. A build with the CPU code
linked in (other platforms, ``GGML_BACKEND_DL=OFF``) already has its CPU backend; then nothing is loaded.

``python -m assistant.core.runtime.llama MODULE ARGS...`` runs MODULE (e.g. ``llama_cpp.server``) as
``python -m`` would, after loading the modules: how the tests and benchmarks start llama-cpp-python's
own server with this build.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from pathlib import Path
from types import ModuleType

from assistant.core.errors import ConfigError
from assistant.core.runtime import ggml_probe
from assistant.core.runtime.ggml_libs import _mapped, _registered, ggml_copies, load_module

log = logging.getLogger(__name__)
_lock = threading.Lock()
_loaded: ModuleType | None = None
_verdict: ggml_probe.Verdict | None = None


def cpu_variants() -> list[str]:
    """The CPU variants this build ships (empty for a build with the CPU code linked in)."""
    return sorted(ggml_probe.cpu_modules())


def loaded_cpu_variant() -> str:
    """The CPU variant ggml picked for this process ("" when it cannot be told, "builtin" if linked in)."""
    if not cpu_variants():
        return "builtin"
    found = _mapped(r"/libggml-cpu-[A-Za-z0-9_]+\.so$")
    return found[0].rsplit("libggml-cpu-", 1)[1][: -len(".so")] if found else ""


def _score(path: str) -> int:
    """ggml's CPUID check of one CPU module, in this process (a VM or emulator can see another CPU than
    the probe's child did): 0 means this CPU lacks what the module was built for."""
    lib = ctypes.CDLL(path)
    fn = getattr(lib, "ggml_backend_score", None)
    if fn is None:
        return 1
    fn.restype = ctypes.c_int
    return int(fn())


def verdict() -> ggml_probe.Verdict | None:
    """What the probe decided for this process (None before llama.cpp is loaded, or on a build with the
    CPU code linked in)."""
    return _verdict


def llama_cpp_module() -> ModuleType:
    """``import llama_cpp``, with the CPU code (and a GPU module) that this machine was proven to run."""
    global _loaded, _verdict
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        import llama_cpp
        from llama_cpp import _logger

        level = _logger.logger.level
        _logger.set_verbose(False)  # not "load_backend: loaded CPU backend from ..." on every start
        try:
            copies = ggml_copies()
            if not all("CPU" in _registered(lib) for lib in copies):
                _verdict = _load_verified(copies)
        finally:
            _logger.logger.setLevel(level)
        _loaded = llama_cpp
        return llama_cpp


def _load_verified(copies: list[ctypes.CDLL]) -> ggml_probe.Verdict:
    v = ggml_probe.choose()
    mods = ggml_probe.cpu_modules()
    for name in [v.cpu, *v.fallbacks]:
        path = str(mods.get(name, v.cpu_path if name == v.cpu else ""))
        if not path or not Path(path).exists():
            continue
        if _score(path) <= 0:
            log.warning("llama.cpp CPU variant %s was chosen by the probe but this process's CPU lacks its "
                        "instructions (a VM or emulator); trying the next", name)
            continue
        if load_module(copies, path) and all("CPU" in _registered(lib) for lib in copies):
            v.cpu, v.cpu_path = name, path
            break
    else:
        tried = "; ".join(f"{r.name}: {r.reason}" for r in v.skipped()) or "no CPU module found"
        raise ConfigError(
            "llama.cpp found no CPU code that runs on this processor.",
            hint=f"Every variant in {ggml_probe.module_dir()} failed its test ({tried}). Reinstall the app; "
                 "if it happens again, report it with the output of `assistant doctor`.")
    if v.vulkan_path and not ggml_probe.gpu_disabled() and not load_module(copies, v.vulkan_path):
        log.warning("the Vulkan module passed its probe but could not be loaded; using the CPU only")
        v.vulkan_status, v.vulkan_reason = "failed", "could not be loaded in the app"
    return v


def _main(argv: list[str]) -> int:
    import runpy

    if not argv:
        print("usage: python -m assistant.core.runtime.llama MODULE [ARGS...]", file=sys.stderr)
        return 2
    llama_cpp_module()
    sys.argv = [argv[0], *argv[1:]]
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
