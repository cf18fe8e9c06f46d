"""llama.cpp's shared libraries in this process: where they are, every libggml copy, loading a module.

Low level and dependency-free, for :mod:`llama_lib` (the app's way to llama.cpp) and the probe's child
process (:mod:`ggml_probe_child`), which loads exactly one module by hand.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import Any


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


def _mapped(pattern: str) -> list[str]:
    """Paths of the shared libraries mapped into this process that match ``pattern`` (Linux; [] elsewhere)."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return list(dict.fromkeys(p for ln in maps.splitlines() if re.search(pattern, p := ln.split(None, 5)[-1])))


def ggml_copies() -> list[ctypes.CDLL]:
    """Every libggml in this process. The wheel (and so the app) has libggml.so and libggml.so.0 as two
    files: libllama is bound to one, llama-cpp-python's ``_ggml`` opens the other, and each keeps its own
    backend registry, so the backends are loaded into both."""
    from llama_cpp._ggml import libggml

    return [libggml, *(ctypes.CDLL(p) for p in _mapped(r"/libggml\.so(\.\d+)*$"))]


def load_module(copies: list[ctypes.CDLL], path: str) -> bool:
    ok = True
    for libggml in copies:
        libggml.ggml_backend_load.restype, libggml.ggml_backend_load.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        ok = bool(libggml.ggml_backend_load(path.encode())) and ok
    return ok


def gpu_devices() -> list[dict[str, Any]]:
    """ggml's GPU devices in this process: name, description, memory (bytes)."""
    from llama_cpp._ggml import libggml as g

    g.ggml_backend_dev_count.restype = ctypes.c_size_t
    g.ggml_backend_dev_get.restype, g.ggml_backend_dev_get.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    for fn in ("ggml_backend_dev_name", "ggml_backend_dev_description"):
        getattr(g, fn).restype, getattr(g, fn).argtypes = ctypes.c_char_p, [ctypes.c_void_p]
    g.ggml_backend_dev_type.restype, g.ggml_backend_dev_type.argtypes = ctypes.c_int, [ctypes.c_void_p]
    g.ggml_backend_dev_memory.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t),
                                          ctypes.POINTER(ctypes.c_size_t)]
    out = []
    for i in range(int(g.ggml_backend_dev_count())):
        dev = g.ggml_backend_dev_get(i)
        if g.ggml_backend_dev_type(dev) not in (1, 2):  # GGML_BACKEND_DEVICE_TYPE_GPU, _IGPU
            continue
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        g.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        out.append({"name": g.ggml_backend_dev_name(dev).decode(errors="replace"),
                    "description": g.ggml_backend_dev_description(dev).decode(errors="replace"),
                    "memory_free": int(free.value), "memory_total": int(total.value)})
    return out
