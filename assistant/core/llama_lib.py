"""llama-cpp-python, with llama.cpp's CPU code picked for the processor at hand.

The app's llama.cpp is built portable (``packaging/bootstrap.sh``, ``packaging/README.md``): ggml's CPU
backend exists in several variants (``libggml-cpu-x64.so``, ``-sse42``, ``-haswell``, ``-skylakex``,
``-icelake``, ``-zen4``, ...) beside ``libllama``, and none is linked in. ggml scores each variant against
the CPU's features and loads the best one, so one build runs on an SSE4.2-only laptop and uses AVX2 or
AVX-512 where they exist, never crashing with an illegal instruction. llama-cpp-python does not ask ggml
to do that (llama.cpp would then say "no backends are loaded"), so everything in the app that touches
llama.cpp goes through :func:`llama_cpp_module`. A build with the CPU code linked in (other platforms,
``GGML_BACKEND_DL=OFF``) already has its CPU backend registered; then nothing is loaded.

``python -m assistant.core.llama_lib MODULE ARGS...`` runs MODULE (e.g. ``llama_cpp.server``) as
``python -m`` would, after loading the backends: how the tests and benchmarks start llama-cpp-python's
own server with this build.
"""

from __future__ import annotations

import ctypes
import re
import sys
import threading
from pathlib import Path
from types import ModuleType

from .errors import ConfigError

_lock = threading.Lock()
_loaded: ModuleType | None = None


def _registered(libggml: ctypes.CDLL) -> list[str]:
    count, get, name = libggml.ggml_backend_reg_count, libggml.ggml_backend_reg_get, libggml.ggml_backend_reg_name
    count.restype, count.argtypes = ctypes.c_size_t, []
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    name.restype, name.argtypes = ctypes.c_char_p, [ctypes.c_void_p]
    return [(name(get(i)) or b"").decode("utf-8", "replace") for i in range(int(count()))]


def lib_dir() -> Path:
    """Where llama-cpp-python keeps llama.cpp's shared libraries (also inside a PyInstaller bundle)."""
    import llama_cpp

    return Path(llama_cpp.__file__).resolve().parent / "lib"


def cpu_variants() -> list[str]:
    """The CPU variants this build ships (empty for a build with the CPU code linked in)."""
    return sorted(p.name.split("ggml-cpu-", 1)[1].split(".")[0]
                  for p in lib_dir().glob("*ggml-cpu-*") if p.suffix in (".so", ".dll", ".dylib"))


def _mapped(pattern: str) -> list[str]:
    """Paths of the shared libraries mapped into this process that match ``pattern`` (Linux; [] elsewhere)."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return list(dict.fromkeys(p for ln in maps.splitlines() if re.search(pattern, p := ln.split(None, 5)[-1])))


def loaded_cpu_variant() -> str:
    """The CPU variant ggml picked for this process ("" when it cannot be told, "builtin" if linked in)."""
    if not cpu_variants():
        return "builtin"
    found = _mapped(r"/libggml-cpu-[A-Za-z0-9_]+\.so$")
    return found[0].rsplit("libggml-cpu-", 1)[1][: -len(".so")] if found else ""


def _ggml_copies() -> list[ctypes.CDLL]:
    """Every libggml in this process. The wheel (and so the app) has libggml.so and libggml.so.0 as two
    files: libllama is bound to one, llama-cpp-python's ``_ggml`` opens the other, and each keeps its own
    backend registry, so the backends are loaded into both."""
    from llama_cpp._ggml import libggml

    return [libggml, *(ctypes.CDLL(p) for p in _mapped(r"/libggml\.so(\.\d+)*$"))]


def llama_cpp_module() -> ModuleType:
    """``import llama_cpp``, with ggml's backends loaded once per process."""
    global _loaded
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
            for libggml in _ggml_copies():
                if "CPU" in _registered(libggml):
                    continue
                load = libggml.ggml_backend_load_all_from_path
                load.restype, load.argtypes = None, [ctypes.c_char_p]
                load(str(lib_dir()).encode())
                if "CPU" not in _registered(libggml):
                    raise ConfigError(
                        "llama.cpp found no CPU code it can run on this processor.",
                        hint=f"The libggml-cpu-* files in {lib_dir()} are missing or damaged: reinstall the app.")
        finally:
            _logger.logger.setLevel(level)
        _loaded = llama_cpp
        return llama_cpp


def _main(argv: list[str]) -> int:
    import runpy

    if not argv:
        print("usage: python -m assistant.core.llama_lib MODULE [ARGS...]", file=sys.stderr)
        return 2
    llama_cpp_module()
    sys.argv = [argv[0], *argv[1:]]
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
