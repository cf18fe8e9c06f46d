"""The model catalog (``assistant/data/catalog.json``) and where model files are found on disk."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from assistant.core.errors import InvalidModelError, ModelNotFoundError, UnknownModelError
from assistant.core.paths import DEFAULT_MODEL_ID, app_paths, bundled_dirs



@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    architecture: str
    family: str
    context_length: int
    n_ctx: int
    parameters: int = 0
    description: str = ""
    default_system: str | None = None
    reasoning: bool = False
    sampling: dict[str, float] = field(default_factory=dict)  # the publisher's, for replies that reason
    # Models with a thinking switch (Qwen3): the publisher's sampling for replies without reasoning.
    sampling_no_think: dict[str, float] = field(default_factory=dict)
    thinking_switch: bool = False
    bundled: dict[str, Any] | None = None
    sources: dict[str, Any] = field(default_factory=dict)
    ram_gb: dict[str, float] = field(default_factory=dict)
    # Architecture facts for the memory estimate: KV cache bytes per token of context.
    n_layers: int = 0
    vocab_size: int = 0
    kv_bytes_per_token: int = 0
    license: str = ""
    kind: str = "chat"  # "chat" | "embedding" (issue 24: embedding models are listed, never offered for chat)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CatalogEntry:
        return cls(
            id=d["id"],
            name=d["name"],
            architecture=d.get("architecture", ""),
            family=d.get("family", "plain"),
            context_length=int(d.get("context_length", 4096)),
            n_ctx=int(d.get("n_ctx") or d.get("context_length", 4096)),
            parameters=int(d.get("parameters", 0)),
            description=d.get("description", ""),
            default_system=d.get("default_system"),
            reasoning=bool(d.get("reasoning", False)),
            sampling=dict(d.get("sampling", {})),
            sampling_no_think=dict(d.get("sampling_no_think", {})),
            thinking_switch=bool(d.get("thinking_switch", False)),
            bundled=d.get("bundled"),
            sources=dict(d.get("sources", {})),
            ram_gb=dict(d.get("ram_gb", {})),
            n_layers=int(d.get("n_layers", 0)),
            vocab_size=int(d.get("vocab_size", 0)),
            kv_bytes_per_token=int(d.get("kv_bytes_per_token")
                                   or 2 * 2 * int(d.get("n_layers", 0)) * int(d.get("n_kv_heads", 0))
                                   * int(d.get("head_dim", 0))),
            license=d.get("license", ""),
            kind=str(d.get("kind", "chat")),
            raw=d,
        )

    @property
    def is_embedding(self) -> bool:
        return self.kind == "embedding"

    def gguf_files(self) -> dict[str, dict[str, Any]]:
        files: dict[str, dict[str, Any]] = dict(self.sources.get("gguf", {}).get("files", {}))
        return files

    # ---- quantizations, sources, memory ----------------------------------------------------------
    def quantizations(self) -> list[str]:
        """Quantizations this entry can be had in: the bundled file's, then the hub's GGUF files."""
        quants = [self.bundled["quantization"]] if self.bundled else []
        return quants + [q for q in self.gguf_files() if q not in quants]

    @property
    def recommended_quant(self) -> str:
        if self.bundled:
            return str(self.bundled["quantization"])
        rec = self.sources.get("gguf", {}).get("recommended")
        quants = self.quantizations()
        return str(rec) if rec in quants else (quants[0] if quants else "")

    def file_spec(self, quant: str | None = None) -> dict[str, Any]:
        """{file, size, size_exact, sha256} for a quantization (the recommended one by default)."""
        quant = quant or self.recommended_quant
        if self.bundled and quant == self.bundled.get("quantization"):
            return {"file": self.bundled["file"], "size": self.bundled.get("size"), "size_exact": True,
                    "sha256": self.bundled.get("sha256")}
        files = self.gguf_files()
        if quant not in files:
            from assistant.core.errors import ConfigError

            raise ConfigError(f"{self.name} is not available as {quant}.",
                              hint=f"Choose one of: {', '.join(self.quantizations()) or 'none'}.")
        spec = dict(files[quant])
        spec.setdefault("size_exact", False)
        return spec

    def memory_needed(self, quant: str | None = None, n_ctx: int | None = None) -> int:
        """Estimated bytes to run this quantization at ``n_ctx`` (the entry's default context if None)."""
        from assistant.core.runtime.hardware import estimate_memory

        spec = self.file_spec(quant)
        return estimate_memory(int(spec.get("size") or 0), self.kv_bytes_per_token,
                               self.n_ctx if n_ctx is None else n_ctx, self.vocab_size)

    def fit(self, quant: str | None = None, n_ctx: int | None = None) -> str:
        """"fits" / "tight" / "won't fit" on this machine."""
        from assistant.core.runtime.hardware import fit_label

        return fit_label(self.memory_needed(quant, n_ctx))

    def local_file(self, quant: str | None = None) -> Path | None:
        """Where this entry's file is on disk, if it is there (bundled, or in the models directory)."""
        quant = quant or self.recommended_quant
        if self.bundled and quant == self.bundled.get("quantization"):
            try:
                return find_bundled_model(self)
            except ModelNotFoundError:
                return None
        spec = self.gguf_files().get(quant)
        if spec:
            p = app_paths().models_dir / spec["file"]
            if p.is_file():
                return p
        return None


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, CatalogEntry]:
    text = resources.files("assistant.data").joinpath("catalog.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {m["id"]: CatalogEntry.from_dict(m) for m in data["models"]}


def get_entry(model_id: str) -> CatalogEntry | None:
    return load_catalog().get(model_id)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def stamp_path(path: Path) -> Path:
    """Where the "checked, unchanged since" stamp of a model file lives: beside it in the user's models
    folder; in the cache folder for any other place (the bundled model in a read-only install, or a
    signed macOS app, must not be written to)."""
    models = app_paths().models_dir
    try:
        if path.resolve().parent == models.resolve():
            return path.with_name(path.name + ".verified")
    except OSError:
        pass
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return app_paths().cache_dir / "verified" / f"{key}-{path.name}.verified"


def verify_file(path: Path, size: int | None, sha256: str | None, *, use_stamp: bool = True) -> None:
    """Raise unless the file has the expected size and hash.

    A stamp file remembers a successful check for this size and mtime, so start-up does not re-hash
    a model that has not changed.
    """
    if not path.is_file():
        raise ModelNotFoundError(path)
    st = path.stat()
    if size is not None and st.st_size != size:
        raise InvalidModelError(path, f"it is {st.st_size:,} bytes, expected {size:,} (incomplete or wrong file)")
    if not sha256:
        return
    stamp = stamp_path(path)
    token = f"{st.st_size}:{st.st_mtime_ns}:{sha256}"
    if use_stamp and stamp.is_file() and stamp.read_text().strip() == token:
        return
    actual = sha256_file(path)
    if actual != sha256:
        raise InvalidModelError(path, f"its checksum {actual[:12]}… does not match the expected {sha256[:12]}…")
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(token)
    except OSError:
        pass


def chat_entries() -> dict[str, CatalogEntry]:
    """The catalog without its embedding models: what chat model lists offer."""
    return {k: e for k, e in load_catalog().items() if not e.is_embedding}


def find_bundled_model(entry: CatalogEntry | None = None) -> Path:
    """The file of a bundled catalog entry (the bundled chat model by default)."""
    entry = entry or get_entry(DEFAULT_MODEL_ID)
    assert entry is not None and entry.bundled is not None
    fname = entry.bundled["file"]
    found = _find_in(bundled_dirs(), fname)
    if found is not None:
        return found
    raise ModelNotFoundError(
        bundled_dirs()[0] / fname,
        hint="The bundled model is missing. Run `bash packaging/bootstrap.sh run` (it fetches it), "
        "or reinstall the app.",
    )


def _find_in(dirs: list[Path], name: str) -> Path | None:
    for d in dirs:
        p = d / name
        if p.is_file():
            return p
    return None


@dataclass(frozen=True)
class ResolvedModel:
    path: Path
    entry: CatalogEntry | None


def resolve_model(spec: str | os.PathLike[str] | None) -> ResolvedModel:
    """A catalog id, a path to a .gguf, or a file name in the models directory -> a file on disk."""
    spec = str(spec) if spec else DEFAULT_MODEL_ID
    entry = get_entry(spec)
    if entry is not None:
        if entry.is_embedding:
            from assistant.core.errors import UnsupportedModelError

            raise UnsupportedModelError(spec, "it is an embedding model (for documents), not a chat model",
                                        hint="Choose a chat model; `assistant models list` shows them.")
        if entry.bundled:
            path = find_bundled_model()
            verify_file(path, entry.bundled.get("size"), entry.bundled.get("sha256"))
            return ResolvedModel(path, entry)
        models_dir = app_paths().models_dir
        for quant in entry.gguf_files().values():
            # downloaded ones first, then one the package carries (packaging/build.py --with-model)
            p = _find_in([models_dir, *bundled_dirs()], quant["file"])
            if p is not None:
                return ResolvedModel(p, entry)
        raise ModelNotFoundError(
            models_dir / f"{entry.id}.gguf",
            hint=f"{entry.name} is not downloaded yet. Download it in the model manager "
            f"(`assistant models download {entry.id}`).",
        )
    path = Path(spec).expanduser()
    if not path.is_absolute() and not path.exists():
        candidate = _find_in([app_paths().models_dir, *bundled_dirs()], str(path))
        if candidate is not None:
            path = candidate
    if not path.exists():
        if path.suffix.lower() != ".gguf" and len(path.parts) == 1:  # a name, not a path: not in the catalog
            raise UnknownModelError(str(spec), close_matches(str(spec)))
        raise ModelNotFoundError(path)
    return ResolvedModel(path, entry_for_file(path))


def close_matches(name: str, n: int = 3) -> list[str]:
    """Catalog ids and model files on disk that look like ``name`` (a typo, a partial name)."""
    import difflib

    known = list(load_catalog())
    with contextlib.suppress(OSError):
        known += [p.name for p in app_paths().models_dir.glob("*.gguf")]
    lowered = {k.lower(): k for k in known}
    found = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.5)
    found += [k for k in lowered if name.lower() in k and k not in found]
    return [lowered[k] for k in found[:n]]


def entry_for_file(path: Path) -> CatalogEntry | None:
    """The catalog entry a file belongs to, by file name."""
    for entry in load_catalog().values():
        names = {q["file"] for q in entry.gguf_files().values()}
        if entry.bundled:
            names.add(entry.bundled["file"])
        if path.name in names:
            return entry
    return None
