"""Which model a request's name means, and what the server lists: the loaded model (or the one unloaded while
idle, which the next request loads again), then, when the server loads models on request, every other one
on disk. Shared by the OpenAI routes (/v1/models) and Ollama's (/api/tags, /api/ps, /api/show)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.core.chat.protocol import AdapterUse, Backend
from assistant.core.errors import AssistantError
from assistant.core.models.lora import resolve_adapters

from .models import (
    ModelSlot,
    ServableModel,
    adapter_ids,
    backend_file,
    close_names,
    find_servable,
    library_models,
    model_ids,
    same_file,
    split_adapters,
)
from .schema import APIError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listed:
    """One model the server offers: its id, its file (None for a server backend), whether it is in memory."""

    id: str
    path: Path | None
    loaded: bool


class ModelDirectory:
    """Names to models, over the loaded backend (``provider``) and, for ``assistant serve``, the slot."""

    def __init__(self, provider: object, model_id: str | None, slot: ModelSlot | None, load_on_request: bool) -> None:
        self.provider = provider
        self.model_id = model_id
        self.slot = slot
        self.load_on_request = load_on_request

    def current(self) -> Backend | None:
        """The loaded model, or None (a provider that fails counts as none)."""
        try:
            return self.provider()  # type: ignore[operator,no-any-return]
        except AssistantError:
            return None

    def backend(self) -> Backend:
        try:
            backend = self.provider()  # type: ignore[operator]
        except AssistantError as exc:
            raise APIError(503, exc.user_text(), "server_error", code="model_not_loaded") from exc
        if backend is None:
            raise APIError(503, "No model is loaded at the moment.", "server_error", code="model_not_loaded")
        return backend  # type: ignore[no-any-return]

    @property
    def loads_on_request(self) -> bool:
        return self.slot is not None and self.load_on_request

    def resident(self) -> tuple[list[str], Path | None, bool]:
        """The served model's names, its file, and whether it is in memory now: the loaded model, or the one
        the slot unloaded while idle (it answers to its names still, and is loaded again on request)."""
        backend = self.current()
        if backend is not None:
            return model_ids(backend, self.model_id), backend_file(backend), True
        parked = self.slot.parked if self.slot is not None else None
        if parked is not None:
            return list(parked.ids), parked.path, False
        return [], None, False

    def _library(self, exclude: Path | None, loaded_ids: list[str]) -> list[ServableModel]:
        try:
            return library_models(loaded_ids, exclude=exclude)
        except (AssistantError, OSError) as exc:  # an unreadable models folder: serve what is loaded
            log.warning("cannot list the models on disk: %s", exc)
            return []

    def listing(self) -> list[Listed]:
        """What /v1/models and /api/tags list: the served model first, its LoRA combinations, then what a
        request may load."""
        names, file, loaded = self.resident()
        out = [Listed(names[0], file, loaded)] if names else []
        out += [Listed(i, file, loaded) for i in (adapter_ids(names[0], file) if names else [])]
        if self.loads_on_request:  # named as resolve() names them: the loaded model's aliases are taken
            out += [Listed(m.id, m.path, False) for m in self._library(file, names)]
        if not out:
            self.backend()  # raises the reason nothing is loaded
        return out

    def servable(self) -> list[str]:
        return [m.id for m in self.listing()]

    def accepted_names(self) -> list[str]:
        """Every name a request's ``model`` may take (for the OpenAPI description)."""
        names, file, _ = self.resident()
        if self.loads_on_request:
            names = names + [a for m in self._library(file, names) for a in m.aliases if not Path(a).is_absolute()]
        return names

    def resolve(self, name: str) -> tuple[str, Path | None]:
        """The id a request's model name means, and the file to run it on (None: the loaded backend as is).

        404 for a name nothing here answers to (with close matches), or for a model on disk that this
        server may not load (saying what is loaded and how to allow loading)."""
        loaded, file, _ = self.resident()
        if name.casefold() in {i.casefold() for i in loaded}:
            return loaded[0], file if self.slot is not None else None
        library = self._library(file, loaded)
        found = find_servable(name, library)
        if found is not None and same_file(found.path, file):
            return loaded[0], file if self.slot is not None else None
        if found is not None and self.loads_on_request:
            return found.id, found.path
        if not loaded and not self.loads_on_request:
            self.backend()  # 503: nothing loaded, and nothing can be
        serving = f"it serves {loaded[0]!r}" if loaded else "no model is loaded"
        if found is not None:
            if self.slot is not None:
                how = ("Ask for that model, or allow loading on request (`assistant serve --load-on-request`, "
                       "or Settings → Serving).")
            else:
                how = "Ask for that model, or choose this one in the app (or serve it with `assistant serve -m`)."
            raise APIError(404, f"The model {name!r} is on this computer but not loaded, and this server does not "
                           f"load models on request; {serving}. {how}", param="model", code="model_not_found")
        candidates = [*loaded, *(a for m in library for a in m.aliases if not Path(a).is_absolute())]
        near = close_names(name, candidates)
        hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
        listed = loaded[:1] + ([m.id for m in library] if self.loads_on_request else [])
        have = f" This server has {', '.join(repr(n) for n in listed)}." if listed else ""
        raise APIError(404, f"The model {name!r} does not exist here.{have}{hint}", param="model",
                       code="model_not_found")

    def resolve_with_adapters(self, name: str) -> tuple[str, Path | None, tuple[AdapterUse, ...]]:
        """``base+adapter[:scale]...``: the base as :meth:`resolve` finds it, and its LoRA adapters (issue 17)."""
        base, specs = split_adapters(name)
        model_id, want = self.resolve(base)
        if not specs:
            return model_id, want, ()
        target = want or self.resident()[1]
        try:
            adapters = resolve_adapters(specs, target)
        except AssistantError as exc:
            raise APIError(404, f"The model {name!r} cannot be served: {exc.message}", param="model",
                           code="model_not_found") from None
        return "+".join([model_id, *specs]), want, adapters
