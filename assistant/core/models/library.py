"""The local model library: what is on disk, where it came from, import, remove, inspect, verify.

Usable models are the ``*.gguf`` files in the models directory (downloaded, converted, imported by
copy), files registered in place (imported without copying), and the bundled model. A small JSON
registry in the models directory remembers each file's origin and checksum. Partial downloads live
in a hidden sub-folder and are never listed as models.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.errors import (
    AssistantError,
    CancelledError,
    ConfigError,
    DiskFullError,
    InvalidModelError,
    ModelNotFoundError,
)
from assistant.core.models import downloads
from assistant.core.models.catalog import (
    CatalogEntry,
    entry_for_file,
    find_bundled_model,
    get_entry,
    load_catalog,
    sha256_file,
    stamp_path,
)
from assistant.core.models.downloads import (
    DownloadResult,
    discard_partial,
    partials,
)
from assistant.core.models.gguf_check import GGUFInfo, validate
from assistant.core.paths import app_paths
from assistant.core.settings import Settings
from assistant.core.settings import DEFAULT_N_CTX
from assistant.core.units import human_bytes
from assistant.core.disk import check_free_space
from assistant.core.progress import Progress, ProgressCallback

REGISTRY_NAME = "library.json"
_lock = threading.RLock()


# ---------------------------------------------------------------------------------------------------
# Registry


def _registry_path() -> Path:
    return app_paths().models_dir / REGISTRY_NAME


def _load() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
        files = data.get("files", {}) if isinstance(data, dict) else {}
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(files: dict[str, dict[str, Any]]) -> None:
    path = _registry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"schema_version": 1, "files": files}, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _key(path: Path) -> str:
    """Files in the models directory are keyed by name (the folder may move); others by absolute path."""
    models = app_paths().models_dir
    return path.name if path.parent.resolve() == models.resolve() else str(path.resolve())


def record_file(path: Path, **info: Any) -> None:
    with _lock:
        files = _load()
        entry = files.get(_key(path), {})
        entry.update({k: v for k, v in info.items() if v is not None})
        entry.setdefault("added", time.strftime("%Y-%m-%dT%H:%M:%S"))
        files[_key(path)] = entry
        _save(files)


def record_download(result: DownloadResult) -> DownloadResult:
    """A finished download joins the library (a source file of a conversion does not)."""
    if result.model:
        record_file(result.path, source="hf-cache" if result.reused == "hf-cache" else "download", repo=result.repo,
                    revision=result.commit or result.revision, sha256=result.sha256, verified_by=result.verified_by)
    return result


def download_model(entry: CatalogEntry, quant: str | None = None, **options: Any) -> DownloadResult:
    """Download a catalog entry's GGUF into the library (options: :func:`downloads.download_model`)."""
    return record_download(downloads.download_model(entry, quant, **options))


def download_file(repo: str, filename: str, **options: Any) -> DownloadResult:
    """Download one file of a hub repository into the library (options: :func:`downloads.download_file`)."""
    return record_download(downloads.download_file(repo, filename, **options))


def fetch_and_convert(entry: CatalogEntry, quant: str | None = None, *, settings: Settings | None = None,
                      endpoint: str | None = None, token: str | None = None,
                      progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> LocalModel:
    """Download an entry's original weights, then convert (and quantize) them into the library: the one
    download-then-convert flow of the CLI and the GUI."""
    folder = downloads.download_source(entry, settings=settings, endpoint=endpoint, token=token, progress=progress,
                                       cancel=cancel)
    return import_folder(folder, quant=quant, progress=progress, cancel=cancel)


def _forget(path: Path) -> None:
    with _lock:
        files = _load()
        if files.pop(_key(path), None) is not None:
            _save(files)


# ---------------------------------------------------------------------------------------------------
# Listing


@dataclass
class LocalModel:
    path: Path
    size: int
    source: str  # "bundled" | "download" | "hf-cache" | "import" | "convert" | "file"
    in_place: bool = False
    entry: CatalogEntry | None = None
    info: GGUFInfo | None = None
    error: str = ""
    sha256: str = ""
    verified_by: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def kind(self) -> str:
        """"embedding" for embedding models (documents), else "chat"."""
        return "embedding" if self.info is not None and self.info.is_embedding else "chat"

    @property
    def usable(self) -> bool:
        return self.info is not None and not self.error

    @property
    def quantization(self) -> str:
        return self.info.quantization if self.info else ""

    @property
    def spec(self) -> str:
        """What to put in Settings.model to use this file."""
        if self.source == "bundled" and self.entry is not None:
            return self.entry.id
        return str(self.path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "path": str(self.path), "size": self.size, "source": self.source,
            "in_place": self.in_place, "catalog_id": self.entry.id if self.entry else None,
            "architecture": self.info.architecture if self.info else "", "quantization": self.quantization,
            "parameters": self.info.parameters if self.info else 0,
            "context_length": self.info.context_length if self.info else 0,
            "family": self.info.family if self.info else "", "usable": self.usable, "error": self.error,
            "sha256": self.sha256, "verified_by": self.verified_by, "kind": self.kind,
        }


def _describe(path: Path, source: str, record: dict[str, Any] | None, in_place: bool = False) -> LocalModel:
    record = record or {}
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    model = LocalModel(path, size, record.get("source", source), in_place, entry_for_file(path),
                       sha256=record.get("sha256", ""), verified_by=record.get("verified_by", ""))
    try:
        model.info = validate(path, purpose="any")
    except AssistantError as exc:
        model.error = exc.message
    return model


def list_local(*, include_bundled: bool = True, kind: str = "chat") -> list[LocalModel]:
    """Every model file the app can offer, with its header read (errors are shown, not raised). ``kind``:
    "chat" (what chat model lists offer), "embedding" (documents' models) or "any"."""
    models_dir = app_paths().models_dir
    records = _load()
    out: list[LocalModel] = []
    seen: set[Path] = set()
    if include_bundled:
        # the bundled chat model, and the bundled embedding model when embedding models are asked for
        wanted = [None] + [e for e in load_catalog().values() if e.is_embedding and e.bundled and kind != "chat"]
        for bundled_entry in wanted:
            with contextlib.suppress(ModelNotFoundError):
                bundled = find_bundled_model(bundled_entry)
                out.append(_describe(bundled, "bundled", {"source": "bundled"}))
                seen.add(bundled.resolve())
    if models_dir.is_dir():
        for path in sorted(models_dir.glob("*.gguf"), key=lambda p: p.name.lower()):
            if path.name.startswith(".") or path.resolve() in seen or not path.is_file():
                continue
            seen.add(path.resolve())
            out.append(_describe(path, "file", records.get(path.name)))
    for key, record in sorted(records.items()):
        if not record.get("in_place"):
            continue
        path = Path(key)
        if path.is_file() and path.resolve() not in seen:
            seen.add(path.resolve())
            out.append(_describe(path, "import", record, in_place=True))
    return [m for m in out if kind in ("any", m.kind)]


def find_local(spec: str) -> LocalModel:
    """A listed model by file name, path, or catalog id (the first downloaded quantization)."""
    models = list_local(kind="any")
    entry = get_entry(spec)
    for m in models:
        if entry is not None and m.entry is not None and m.entry.id == entry.id:
            return m
        if spec in (m.name, str(m.path)) or (os.path.exists(spec) and Path(spec).resolve() == m.path.resolve()):
            return m
    if entry is not None:
        raise ModelNotFoundError(app_paths().models_dir / entry.id,
                                 hint=f"{entry.name} is not downloaded. Run `assistant models download {entry.id}`.")
    path = Path(spec).expanduser()
    if path.is_file():  # a file anywhere on disk, not in the library: it can still be checked and described
        return _describe(path.resolve(), "file", None, in_place=True)
    raise ModelNotFoundError(path, hint="See `assistant models list` for the models on this machine.")


# ---------------------------------------------------------------------------------------------------
# Import


def _free_name(directory: Path, name: str) -> Path:
    target = directory / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while target.exists():
        target = directory / f"{stem}-{n}{suffix}"
        n += 1
    return target


def _copy_with_progress(src: Path, dst: Path, progress: ProgressCallback | None,
                        cancel: threading.Event | None) -> None:
    total = src.stat().st_size
    done = 0
    t0 = last = time.monotonic()
    try:
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            while block := fin.read(8 << 20):
                fout.write(block)
                done += len(block)
                now = time.monotonic()
                if progress and (now - last > 0.1 or done == total):
                    speed = done / max(now - t0, 1e-6)
                    progress(Progress("copy", done / total if total else None, src.name, done, total, speed,
                                      (total - done) / speed if speed else None))
                    last = now
                if cancel is not None and cancel.is_set():
                    raise CancelledError("Import cancelled; nothing was added.")
    except BaseException as exc:
        dst.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno == 28:
            raise DiskFullError(f"The disk filled up while copying {src.name}; nothing was added.",
                                hint="Free some space, or import the file in place (without copying).") from exc
        raise


def import_gguf(src: str | os.PathLike[str], *, copy: bool = True, probe: bool = True,
                progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> LocalModel:
    """Check a .gguf and add it to the library: copied into the models folder, or registered in place.

    The header is validated before anything is copied; with ``probe`` the model is also loaded once
    in a child process, so a file that would crash llama.cpp is refused here, not in the chat.
    """
    from assistant.core.models.probe import ensure_probed

    path = Path(src).expanduser()
    info = validate(path, purpose="any")
    if probe and not info.is_embedding:  # the probe generates; an embedding model is checked by the Embedder
        ensure_probed(path)
    if not copy:
        record_file(path.resolve(), source="import", in_place=True, origin=str(path.resolve()))
        return _describe(path.resolve(), "import", _load().get(str(path.resolve())), in_place=True)
    models_dir = app_paths().models_dir
    models_dir.mkdir(parents=True, exist_ok=True)
    existing = models_dir / path.name
    if existing.is_file() and existing.stat().st_size == info.file_size and sha256_file(existing) == sha256_file(path):
        return _describe(existing, "import", _load().get(existing.name))
    check_free_space(models_dir, info.file_size, f"Copying {path.name}",
                     hint="Free some space, or import the file in place (without copying).")
    target = _free_name(models_dir, path.name)
    staging = models_dir / ".downloads" / (target.name + ".importing")
    staging.parent.mkdir(parents=True, exist_ok=True)
    _copy_with_progress(path, staging, progress, cancel)
    os.replace(staging, target)
    record_file(target, source="import", origin=str(path.resolve()))
    return _describe(target, "import", _load().get(target.name))


def is_hf_folder(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file()


def import_folder(src: str | os.PathLike[str], *, quant: str | None = None, outtype: str = "auto",
                  progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> LocalModel:
    """Convert a Hugging Face model folder to GGUF in the models folder (through assistant.core.convert.pipeline)."""
    folder = Path(src).expanduser()
    if not folder.is_dir():
        raise ModelNotFoundError(folder)
    if not (folder / "config.json").is_file():
        raise InvalidModelError(folder, "it has no config.json, so it is not a Hugging Face model folder",
                                hint="Choose the folder that holds config.json and the *.safetensors files.")
    if not any(folder.glob("*.safetensors")) and not any(folder.glob("pytorch_model*.bin")):
        raise InvalidModelError(folder, "it has no weights (*.safetensors or pytorch_model*.bin)",
                                hint="Download the complete model folder first.")
    from assistant.core.convert.pipeline import convert_model

    models_dir = app_paths().models_dir
    models_dir.mkdir(parents=True, exist_ok=True)
    out = Path(convert_model(folder, outtype=outtype, quant=quant, out_dir=models_dir, progress=progress,
                             cancel=cancel))
    validate(out)
    record_file(out, source="convert", origin=str(folder.resolve()), quant=quant or outtype)
    return _describe(out, "convert", _load().get(_key(out)))


def import_path(src: str | os.PathLike[str], **kwargs: Any) -> LocalModel:
    """A .gguf file or a Hugging Face folder, whichever ``src`` is."""
    path = Path(src).expanduser()
    if path.is_dir():
        kwargs.pop("copy", None)
        kwargs.pop("probe", None)
        return import_folder(path, **kwargs)
    kwargs.pop("quant", None)
    kwargs.pop("outtype", None)
    return import_gguf(path, **kwargs)


# ---------------------------------------------------------------------------------------------------
# Remove, details, verify


def remove_model(spec: str) -> Path:
    """Delete a downloaded/imported copy, or unregister an in-place import (the user's file stays)."""
    from assistant.core.models.probe import forget

    model = find_local(spec)
    if model.source == "bundled":
        raise ConfigError("The bundled model cannot be removed; it is part of the app.")
    if model.in_place:
        _forget(model.path)
    else:
        stamp = stamp_path(model.path)
        model.path.unlink(missing_ok=True)  # a link into the HF cache: only our name goes
        stamp.unlink(missing_ok=True)
        _forget(model.path)
    forget(model.path)
    return model.path


def remove_partial(name: str) -> Path:
    for p in partials():
        if name in (p.path.name, p.path.name.removesuffix(".part"), p.meta.get("filename")):
            discard_partial(p.path)
            return p.path
    raise ModelNotFoundError(Path(name), hint="`assistant models list` shows interrupted downloads.")


def model_details(spec: str, n_ctx: int | None = None) -> dict[str, Any]:
    """Everything the info view shows: header facts, memory estimate at ``n_ctx``, fit, hardware defaults."""
    from assistant.core.runtime.hardware import default_gpu_layers, default_threads, detect, estimate_memory, fit_label

    hw = detect()
    entry = get_entry(spec)
    if entry is not None and entry.local_file() is None and not _downloaded(entry):
        ctx = n_ctx or entry.n_ctx
        return {
            "catalog_id": entry.id, "name": entry.name, "downloaded": False, "architecture": entry.architecture,
            "parameters": entry.parameters, "context_length": entry.context_length, "family": entry.family,
            "license": entry.license, "sampling": entry.sampling, "n_ctx": ctx,
            "quantizations": {q: {"size": entry.file_spec(q).get("size"), "memory": entry.memory_needed(q, ctx),
                                  "fit": entry.fit(q, ctx), "size_exact": entry.file_spec(q).get("size_exact", True)}
                              for q in entry.quantizations()},
            "sources": entry.sources, "hardware": hw.summary(),
        }
    model = find_local(spec)
    if model.info is None:
        raise InvalidModelError(model.path, model.error)
    info = model.info
    ctx = n_ctx or min(info.context_length or 4096, (model.entry.n_ctx if model.entry else 0) or DEFAULT_N_CTX)
    need = estimate_memory(info.file_size, info.kv_bytes_per_token, ctx, info.vocab_size)
    return {
        **model.to_dict(), "name": info.name, "file": model.name, "n_ctx": ctx, "memory": need,
        "fit": fit_label(need, hw), "kv_bytes_per_token": info.kv_bytes_per_token, "block_count": info.block_count,
        "vocab_size": info.vocab_size, "tokenizer": f"{info.tokenizer_model}/{info.tokenizer_pre}".rstrip("/"),
        "n_tensors": info.n_tensors, "gguf_version": info.version, "tensor_types": info.tensor_types,
        "warnings": info.warnings, "default_threads": default_threads(),
        "default_gpu_layers": default_gpu_layers(info.file_size, info.block_count, info.kv_bytes_per_token * ctx, hw),
        "hardware": hw.summary(),
    }


def _downloaded(entry: CatalogEntry) -> bool:
    return any(entry.local_file(q) for q in entry.quantizations())


@dataclass
class VerifyReport:
    path: Path
    header_ok: bool
    sha256: str
    expected_sha256: str | None
    checksum_source: str  # "catalog" | "download record" | ""
    probe_ok: bool | None
    probe_error: str = ""
    probe_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        checksum = self.expected_sha256 is None or self.sha256 == self.expected_sha256
        return self.header_ok and checksum and self.probe_ok is not False

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "ok": self.ok, "header_ok": self.header_ok, "sha256": self.sha256,
                "expected_sha256": self.expected_sha256, "checksum_source": self.checksum_source,
                "probe_ok": self.probe_ok, "probe_error": self.probe_error,
                "probe_seconds": round(self.probe_seconds, 2)}


def verify_model(spec: str, *, probe: bool = True) -> VerifyReport:
    """Header check, full checksum against the catalog or the download record, and a fresh probe-load."""
    from assistant.core.models.probe import _store, probe_load

    model = find_local(spec)
    expected, source = None, ""
    if model.entry is not None:
        for q in model.entry.quantizations():
            spec_q = model.entry.file_spec(q)
            if spec_q.get("file") == model.name and spec_q.get("sha256"):
                expected, source = spec_q["sha256"], "catalog"
    if expected is None and model.sha256:
        expected, source = model.sha256, "download record"
    digest = sha256_file(model.path)
    report = VerifyReport(model.path, model.usable, digest, expected, source, None)
    if not model.usable:
        report.probe_error = model.error
        return report
    if probe:
        result = probe_load(model.path)
        _store(model.path, result)
        report.probe_ok, report.probe_error, report.probe_seconds = result.ok, result.error, result.seconds
    return report


def catalog_rows(n_ctx: int | None = None, kind: str = "chat") -> list[dict[str, Any]]:
    """One row per catalog entry (of ``kind``: "chat", "embedding" or "any") and quantization: size, memory,
    fit, whether it is on disk."""
    rows = []
    for entry in load_catalog().values():
        if kind not in ("any", entry.kind):
            continue
        for q in entry.quantizations():
            spec = entry.file_spec(q)
            local = entry.local_file(q)
            rows.append({"id": entry.id, "name": entry.name, "quant": q, "file": spec.get("file"),
                         "size": spec.get("size"), "size_exact": bool(spec.get("size_exact")),
                         "memory": entry.memory_needed(q, n_ctx), "fit": entry.fit(q, n_ctx),
                         "downloaded": local is not None, "path": str(local) if local else "",
                         "bundled": bool(entry.bundled and q == entry.bundled.get("quantization")),
                         "reasoning": entry.reasoning, "recommended": q == entry.recommended_quant,
                         "kind": entry.kind})
    return rows
