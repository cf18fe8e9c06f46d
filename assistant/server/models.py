"""Which models the local API can serve, by which names, and the one loaded model it may swap.

A request names a model the way its client knows it: a catalog id, the Hugging Face repo name the
article's client uses (``deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B``, as vLLM serves it), the GGUF repo,
or a file name with or without ``.gguf``; any case. The loaded model answers to all of them; a model
on disk but not loaded is loaded on request (as Ollama and LM Studio do) when the server has a
:class:`ModelSlot` and the setting allows it, one model at a time.
"""

from __future__ import annotations

import difflib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.core.chat.protocol import Backend
from assistant.core.models.catalog import CatalogEntry, load_catalog

log = logging.getLogger(__name__)


def repo_names(entry: CatalogEntry) -> list[str]:
    """The Hugging Face repositories a catalog entry comes from (original weights, GGUF)."""
    return [str(src["repo"]) for src in entry.sources.values() if isinstance(src, dict) and src.get("repo")]


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for n in names:
        if n and n.casefold() not in seen:
            seen[n.casefold()] = n
    return list(seen.values())


def backend_file(backend: Backend | None) -> Path | None:
    """The GGUF file an in-process backend runs; None for a server backend (vLLM, a remote URL)."""
    path = getattr(backend, "path", None)
    return path if isinstance(path, Path) else None


def model_ids(backend: Backend, override: str | None = None) -> list[str]:
    """The id to list first, then the aliases a request may use (catalog id, name, file, HF repos)."""
    entry = getattr(backend, "entry", None)
    info = backend.info
    names: list[str] = [override or ""]
    if entry is not None:
        names.append(entry.id)
    file = backend_file(backend)
    # A server backend's info.path is its URL: only a model file gives file-name aliases.
    fname = file.name if file is not None else (info.path.replace("\\", "/").rsplit("/", 1)[-1]
                                                if info.path.lower().endswith(".gguf") else "")
    if fname:
        names += [fname.removesuffix(".gguf"), fname]
    served = getattr(backend, "model", None)  # the name a server backend asks its server for
    if isinstance(served, str):
        names.append(served)
    names.append(info.name)
    if entry is not None:
        names += repo_names(entry)
    return _unique(names)


@dataclass(frozen=True)
class ServableModel:
    """A model file on disk the server could load: the id it is listed under and every name it answers to."""

    id: str
    path: Path
    aliases: tuple[str, ...]
    file_aliases: tuple[str, ...]  # the names of this very file (they win over a catalog-wide name)

    def matches(self, name: str, *, file_only: bool = False) -> bool:
        key = name.casefold()
        return any(key == a.casefold() for a in (self.file_aliases if file_only else self.aliases))


def library_models(taken: Iterable[str] = (), exclude: Path | None = None) -> list[ServableModel]:
    """Every usable model on disk (bundled, downloaded, imported) but ``exclude`` (the loaded one), each
    with an id not in ``taken`` (the loaded model's names).

    The first file of a catalog entry is listed under the entry's id and answers to its repo names too;
    another quantization of the same entry is listed under its file name."""
    from assistant.core.models.library import list_local

    used = {t.casefold() for t in taken}
    out: list[ServableModel] = []
    for m in list_local():
        if not m.usable or same_file(m.path, exclude):
            continue
        stem = m.path.name.removesuffix(".gguf")
        files = _unique([stem, m.path.name, str(m.path)])
        names = list(files)
        primary = ""
        if m.entry is not None and m.entry.id.casefold() not in used:
            primary = m.entry.id
            names = _unique([m.entry.id, *files, m.entry.name, *repo_names(m.entry)])
        else:
            primary = next((n for n in files if n.casefold() not in used), str(m.path))
        used.update(n.casefold() for n in names)
        out.append(ServableModel(primary, m.path, tuple(_unique([primary, *names])), tuple(files)))
    return out


def find_servable(name: str, models: list[ServableModel]) -> ServableModel | None:
    """The model a name means: a file's own name first, then a catalog id or repo name."""
    for file_only in (True, False):
        for m in models:
            if m.matches(name, file_only=file_only):
                return m
    return None


def close_names(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Names that look like ``name`` (a typo, a partial name, another quantization)."""
    known = _unique([*candidates, *load_catalog()])
    lowered = {k.casefold(): k for k in known}
    key = name.casefold()
    found = difflib.get_close_matches(key, list(lowered), n=n, cutoff=0.5)
    found += [k for k in lowered if key and (key in k or k in key) and k not in found]
    return [lowered[k] for k in found[:n]]


def same_file(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


@dataclass(frozen=True)
class Parked:
    """A model unloaded while idle: its file, the names it answers to, when, and whether its KV cache was
    kept on disk (the next load restores it instead of evaluating the conversation again)."""

    path: Path
    ids: tuple[str, ...]
    unloaded_at: float
    kept_state: bool


class ModelSlot:
    """The one model ``assistant serve`` holds, swapped for another on disk when a request names it, and
    unloaded when idle (:meth:`unload`): it then answers to its names still and loads on the next request.

    ``opener(path[, n_ctx])`` loads a file (with the user's context, threads and GPU settings, or the context
    size a request asks for). Only the service's worker thread calls :meth:`switch`, between requests, so no
    request ever runs on a closing model; other threads only read :meth:`current`.
    """

    def __init__(self, opener: Callable[..., Backend], backend: Backend | None = None) -> None:
        self._opener = opener
        self._backend = backend
        self._lock = threading.Lock()
        self.parked: Parked | None = None
        self.loaded_at = time.time()

    def current(self) -> Backend | None:
        with self._lock:
            return self._backend

    def put(self, backend: Backend) -> None:
        """The first model, loaded by the caller before serving."""
        with self._lock:
            self._backend = backend
            self.parked = None
            self.loaded_at = time.time()

    def holds(self, path: Path, n_ctx: int | None = None) -> bool:
        """Whether ``path`` is loaded (with ``n_ctx`` tokens of context, when a request asks for a size)."""
        current = self.current()
        return same_file(backend_file(current), path) and (
            n_ctx is None or current is None or current.info.n_ctx == n_ctx)

    def switch(self, path: Path, n_ctx: int | None = None) -> Backend:
        """Close the loaded model and load ``path``. A file that fails the checks is refused before the
        loaded model is closed; if loading fails after that, the previous model is loaded again, and
        :meth:`current` says whether that worked. Raises what the load raised."""
        from assistant.core.backends.llama_cpp import check_gguf_file

        check_gguf_file(path)  # header, and a trial load in a child process: most bad files stop here
        with self._lock:
            old, self._backend = self._backend, None
        old_file = backend_file(old)
        if old is not None:
            log.info("unloading %s to load %s", old.info.name, path.name)
            old.close()  # one model at a time: two may not fit in memory
        try:
            new = self._opener(path) if n_ctx is None else self._opener(path, n_ctx)
        except Exception:
            restored = None
            if old_file is not None:
                try:
                    restored = self._opener(old_file)
                except Exception:
                    log.exception("reloading %s after a failed switch failed", old_file)
            with self._lock:
                self._backend = restored
            raise
        with self._lock:
            self._backend = new
            self.parked = None
            self.loaded_at = time.time()
        return new

    def unload(self, model_id: str | None = None) -> Parked | None:
        """Free the loaded model's memory (the server was idle past its keep-alive), keeping its KV cache on
        disk and its names; the next request for it loads it again. Only a model file can be unloaded (a
        vLLM or remote server backend stays). Only the service's worker thread calls this."""
        with self._lock:
            backend = self._backend
            file = backend_file(backend)
            if backend is None or file is None:
                return None
            self._backend = None
        keep = getattr(backend, "keep_state", None)
        kept = False
        try:
            kept = bool(keep()) if keep is not None else False
        except Exception:  # the kept state only saves time; unloading must not fail for it
            log.exception("keeping the KV cache of %s before unloading failed", file.name)
        ids = tuple(model_ids(backend, model_id))
        backend.close()
        self.parked = Parked(file, ids, time.time(), kept)
        log.info("unloaded %s after its keep-alive (KV cache kept: %s)", file.name, kept)
        return self.parked

    def close(self) -> None:
        with self._lock:
            backend, self._backend = self._backend, None
        if backend is not None:
            backend.close()


def split_adapters(name: str) -> tuple[str, list[str]]:
    """``base+adapter[:scale]+...`` -> (base, adapter specs), when every part after a ``+`` is an adapter in the
    library; anything else is a plain model name (a model's own name may hold a ``+``)."""
    from assistant.core.errors import AssistantError
    from assistant.core.models.lora import find_adapter, parse_lora_arg

    base, *rest = name.split("+")
    if not rest:
        return name, []
    try:
        for spec in rest:
            find_adapter(parse_lora_arg(spec)[0])
    except AssistantError:
        return name, []
    return base, rest


def adapter_ids(model_id: str, file: Path | None) -> list[str]:
    """``model+adapter`` ids for /v1/models: the library's adapters that fit the loaded model file."""
    from assistant.core.errors import AssistantError
    from assistant.core.models.lora import adapters_for_model

    if file is None or file.suffix != ".gguf":
        return []
    try:
        return [f"{model_id}+{a.name}" for a in adapters_for_model(file)]
    except (AssistantError, OSError):
        return []
