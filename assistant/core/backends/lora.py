"""LoRA adapters on a running llama.cpp model (issue 17): loaded once per model, set per context with
their scales, switched between replies without reloading the model.

The backend's KV cache holds keys and values computed *with* the adapters that were active: a prompt
prefix cached under one set of adapters is wrong under another. So a change of the adapter set empties the
live cache (the next prompt is evaluated from the start) and moves the backend's kept states
(kv_states.py) to a cache keyed by the adapter set too, so a state made under other adapters is never
restored.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.core.backends.kv_states import StateCache
from assistant.core.chat.protocol import AdapterUse
from assistant.core.errors import AdapterError
from assistant.core.paths import app_paths

# The backend is assistant.core.backends.llama_cpp.LlamaCppBackend (typed Any: that module imports this one).
LlamaCppBackend = Any

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, float], ...]


def signature(adapters: Sequence[AdapterUse]) -> Signature:
    """What makes two adapter sets compute the same thing: the files and scales (a scale of 0 is no adapter)."""
    return tuple(sorted((str(Path(a.path).resolve()), float(a.scale)) for a in adapters if a.scale != 0.0))


class LoraRuntime:
    """The adapters loaded onto one backend's model, and the set its contexts run with now."""

    def __init__(self, backend: LlamaCppBackend, states_key: str) -> None:
        self.backend = backend
        self.states_key = states_key  # the model's kept-state key; the adapter set is appended to it
        self._loaded: dict[str, Any] = {}  # resolved path -> llama_adapter_lora_p
        self.active: Signature = ()
        self.switches = 0
        self.last_switch_s = 0.0

    def _load(self, path: str) -> Any:
        handle = self._loaded.get(path)
        if handle is not None:
            return handle
        lc = self.backend._lc
        if not Path(path).is_file():
            raise AdapterError(f"The adapter file {path} does not exist.",
                               hint="Import the adapter again (`assistant lora import`).")
        handle = lc.llama_adapter_lora_init(self.backend.llm._model.model, path.encode("utf-8"))
        if not handle:
            raise AdapterError(f"llama.cpp could not load the adapter {Path(path).name} onto "
                               f"{self.backend.path.name}.",
                               hint="It was made for another model, or the file is damaged (see the log).")
        self._loaded[path] = handle
        return handle

    def apply_to(self, ctx: Any, sig: Signature | None = None) -> None:
        """Set the adapters of ``sig`` (default: the active set) on a llama context (none: clear them)."""
        lc = self.backend._lc
        sig = self.active if sig is None else sig
        n = len(sig)
        if n == 0:
            rc = lc.llama_set_adapters_lora(ctx, None, 0, None)
        else:
            handles = (lc.llama_adapter_lora_p_ctypes * n)(*[self._load(p) for p, _ in sig])
            scales = (ctypes.c_float * n)(*[s for _, s in sig])
            rc = lc.llama_set_adapters_lora(ctx, handles, n, scales)
        if rc != 0:
            raise AdapterError(f"llama.cpp refused the adapters (error {rc}).")

    def use(self, adapters: Sequence[AdapterUse]) -> bool:
        """Make the backend run with ``adapters``; True when that changed anything (the cache was emptied)."""
        sig = signature(adapters)
        if sig == self.active:
            return False
        t0 = time.perf_counter()
        b = self.backend
        for p, _ in sig:
            self._load(p)  # every file loads before anything changes: a bad one leaves the old set
        self.apply_to(b.llm._ctx.ctx, sig)
        self.active = sig
        # The cached keys/values were computed with the old adapters: start the next prompt afresh.
        b.llm.reset()
        b._last_prompt, b.last_tokens, b._next_context = [], [], None
        if b.states is not None:
            suffix = "" if not sig else "|lora:" + ";".join(f"{p}@{s:g}" for p, s in sig)
            b.states = StateCache(self.states_key + suffix, app_paths().cache_dir / "kv-states")
        self.switches += 1
        self.last_switch_s = time.perf_counter() - t0
        log.info("adapters now %s (%.1f ms)", [Path(p).name + f"@{s:g}" for p, s in sig] or "none",
                 self.last_switch_s * 1000)
        return True

    def forget(self) -> None:
        """The model was reloaded (GPU fallback): its adapters went with it; the next reply loads them again."""
        self._loaded.clear()
        wanted, self.active = self.active, ()
        if wanted:
            self.use([AdapterUse(Path(p).stem, p, s) for p, s in wanted])

    def close(self) -> None:
        lc = self.backend._lc
        for handle in self._loaded.values():
            try:
                lc.llama_adapter_lora_free(handle)
            except Exception:  # pragma: no cover - freeing at shutdown must not raise
                log.debug("freeing an adapter failed", exc_info=True)
        self._loaded.clear()
        self.active = ()
