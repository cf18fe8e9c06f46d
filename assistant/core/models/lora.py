"""LoRA adapters in the library (issue 17): imported into ``models_dir/lora`` as ``NAME.gguf`` with a
``NAME.json`` beside it (the base it was checked against, rank, alpha, targets), listed, found by name,
checked against the model they are used with, removed.

    import_adapter("path/to/peft-folder", base="smollm2-135m-instruct")   # or a .gguf LoRA
    resolve_adapters(["ahoy:0.5"], model_path)  -> (AdapterUse(...),)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.core.chat.protocol import AdapterUse
from assistant.core.convert.hf import read_spec
from assistant.core.convert.lora import (
    BaseShape,
    GGUFLora,
    check_gguf_lora_fits,
    convert_lora,
    inspect_gguf_lora,
    plan_lora,
    read_adapter_config,
)
from assistant.core.errors import AdapterError, AdapterMismatchError, AssistantError, ModelNotFoundError
from assistant.core.gguf_file import read_header_value
from assistant.core.models.gguf_check import validate
from assistant.core.models.library import LocalModel, find_local, list_local
from assistant.core.paths import app_paths

_NAME_OK = re.compile(r"[^A-Za-z0-9._-]+")


def adapters_dir() -> Path:
    return app_paths().models_dir / "lora"


def base_shape(model_path: str | os.PathLike[str]) -> BaseShape:
    """The sizes an adapter must match, from the base GGUF's header."""
    info = validate(model_path)
    head_dim = info.key_length or (info.embedding_length // max(1, info.head_count))
    try:
        n_ff = int(read_header_value(model_path, f"{info.architecture}.feed_forward_length") or 0)
    except (OSError, ValueError, TypeError):
        n_ff = 0
    return BaseShape(arch=info.architecture, n_layers=info.block_count, n_embd=info.embedding_length,
                     n_head=info.head_count, n_head_kv=info.head_count_kv or info.head_count, head_dim=head_dim,
                     n_ff=n_ff, name=info.name or Path(model_path).stem)


@dataclass
class LocalAdapter:
    name: str
    path: Path  # the GGUF LoRA
    base: str  # file name of the base model it was checked against
    base_model_name: str  # what the adapter itself says (adapter_config.json), may be empty
    arch: str
    rank: int
    alpha: float
    targets: list[str]
    source: str  # where it was imported from
    size: int = 0
    peft_dir: str = ""  # a copy of the PEFT folder, for vLLM (--lora-modules takes PEFT, not GGUF)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        return d

    def use(self, scale: float = 1.0) -> AdapterUse:
        return AdapterUse(self.name, str(self.path), scale, self.rank)


def _norm(name: str) -> str:
    """Compare model names loosely: no organisation, no quantization suffix, no punctuation, lower case."""
    n = name.strip().rstrip("/").split("/")[-1].lower()
    n = re.sub(r"\.gguf$", "", n)
    n = re.sub(r"[-_.](q\d[\w]*|f16|f32|bf16|iq\d\w*)$", "", n)
    return re.sub(r"[^a-z0-9]", "", n)


def _model_names(m: LocalModel) -> set[str]:
    names = {_norm(m.path.name)}
    if m.entry is not None:
        names |= {_norm(m.entry.id), _norm(m.entry.name)}
        names |= {_norm(r) for r in (getattr(m.entry, "repo", ""),) if r}
    if m.info is not None and m.info.name:
        names.add(_norm(m.info.name))
    return names - {""}


def find_base(base_model_name: str) -> LocalModel:
    """The model on disk an adapter names as its base (adapter_config.json's base_model_name_or_path)."""
    want = _norm(base_model_name)
    if want:
        for m in list_local():
            if m.usable and want in _model_names(m):
                return m
    raise ModelNotFoundError(
        base_model_name or "(no base named)",
        hint=(f"The adapter was trained for {base_model_name!r}, which is not among the models on this machine. "
              if base_model_name else "The adapter does not name its base model. ")
        + "Download that model first, or name the base with --base MODEL.")


def _free_name(name: str) -> str:
    name = _NAME_OK.sub("-", name).strip("-.") or "adapter"
    d = adapters_dir()
    out, n = name, 1
    while (d / f"{out}.gguf").exists() or (d / f"{out}.json").exists():
        n += 1
        out = f"{name}-{n}"
    return out


def import_adapter(src: str | os.PathLike[str], *, base: str | None = None, name: str | None = None) -> LocalAdapter:
    """Check ``src`` (a PEFT folder or a GGUF LoRA) against its base and add it to the library.

    ``base``: a model spec (catalog id, file name, path); without it the base the adapter names must be on
    disk. Nothing is left behind when anything fails."""
    path = Path(src).expanduser()
    if not path.exists():
        raise AdapterError(f"{path} does not exist.", hint="Choose a PEFT adapter folder or a .gguf LoRA file.")
    is_folder = path.is_dir()
    named = ""
    if is_folder:
        named = str(read_adapter_config(path).get("base_model_name_or_path") or "")
    else:
        named = inspect_gguf_lora(path).base_model_name
    model = find_local(base) if base else find_base(named)
    if model.info is None:
        raise AdapterError(f"The base model {model.name} cannot be read: {model.error}")
    shape = base_shape(model.path)
    warnings: list[str] = []
    if named and base and _norm(named) not in _model_names(model):
        # Same shapes, other name (a fine-tune of the same family): allowed, but said.
        warnings.append(f"the adapter names {named!r} as its base, not {model.name}")
    d = adapters_dir()
    d.mkdir(parents=True, exist_ok=True)
    final_name = _free_name(name or (path.name if is_folder else path.stem))
    dst = d / f"{final_name}.gguf"
    lora: GGUFLora
    try:
        if is_folder:
            plan = plan_lora(path, shape)
            warnings += plan.warnings
            convert_lora(plan, dst, name=final_name)
            lora = inspect_gguf_lora(dst, shape)
        else:
            lora = inspect_gguf_lora(path, shape)
            tmp = d / f".{dst.name}.partial"
            try:
                shutil.copyfile(path, tmp)
                os.replace(tmp, dst)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
            lora.path = dst
        peft = d / f"{final_name}.peft"
        if is_folder:
            _copy_peft(path, peft)
        adapter = LocalAdapter(final_name, dst, model.path.name, named or lora.base_model_name, lora.arch, lora.rank,
                               lora.alpha, lora.targets, str(path.resolve()), dst.stat().st_size,
                               str(peft) if is_folder else "")
        _write_record(adapter, warnings)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            dst.unlink()
        shutil.rmtree(d / f"{final_name}.peft", ignore_errors=True)
        shutil.rmtree(d / f".{final_name}.peft.partial", ignore_errors=True)
        raise
    return adapter


def _copy_peft(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f".{dst.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for f in ("adapter_config.json", "adapter_model.safetensors"):
        shutil.copyfile(src / f, tmp / f)
    os.replace(tmp, dst)


def _write_record(a: LocalAdapter, warnings: list[str]) -> None:
    record = a.to_dict() | {"warnings": warnings}
    final = a.path.with_suffix(".json")
    tmp = final.with_name(f".{final.name}.partial")
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(tmp, final)


def _read_record(gguf_path: Path) -> LocalAdapter | None:
    try:
        r = json.loads(gguf_path.with_suffix(".json").read_text(encoding="utf-8"))
        return LocalAdapter(r["name"], gguf_path, r.get("base", ""), r.get("base_model_name", ""), r.get("arch", ""),
                            int(r.get("rank", 0)), float(r.get("alpha", 0.0)), list(r.get("targets", [])),
                            r.get("source", ""), gguf_path.stat().st_size, r.get("peft_dir", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def list_adapters() -> list[LocalAdapter]:
    d = adapters_dir()
    if not d.is_dir():
        return []
    out = []
    for p in sorted(d.glob("*.gguf"), key=lambda p: p.name.lower()):
        if p.name.startswith("."):
            continue
        a = _read_record(p)
        if a is None:  # a file dropped in by hand: described from its header
            try:
                g = inspect_gguf_lora(p)
            except AssistantError:
                continue
            a = LocalAdapter(p.stem, p, "", g.base_model_name, g.arch, g.rank, g.alpha, g.targets, "file",
                             p.stat().st_size)
        out.append(a)
    return out


def find_adapter(spec: str) -> LocalAdapter:
    """An adapter by library name, or a .gguf LoRA file anywhere on disk."""
    for a in list_adapters():
        if spec in (a.name, a.path.name, str(a.path)):
            return a
    p = Path(spec).expanduser()
    if p.is_file():
        g = inspect_gguf_lora(p)
        return LocalAdapter(p.stem, p.resolve(), "", g.base_model_name, g.arch, g.rank, g.alpha, g.targets, "file",
                            p.stat().st_size)
    names = ", ".join(a.name for a in list_adapters()) or "none"
    raise AdapterError(f"There is no adapter called {spec!r}.",
                       hint=f"Imported adapters: {names}. Import one with `assistant lora import PATH`.")


def remove_adapter(spec: str) -> Path:
    a = find_adapter(spec)
    if a.path.parent != adapters_dir():
        raise AdapterError(f"{a.path} is not in the adapter library; it is left alone.")
    a.path.unlink()
    with contextlib.suppress(FileNotFoundError):
        a.path.with_suffix(".json").unlink()
    if a.peft_dir:
        shutil.rmtree(a.peft_dir, ignore_errors=True)
    return a.path


def parse_lora_arg(text: str) -> tuple[str, float]:
    """``NAME`` or ``NAME:SCALE`` (a path may hold colons: only a number after the last one is a scale)."""
    head, sep, tail = text.rpartition(":")
    if sep and head:
        try:
            return head, float(tail)
        except ValueError:
            pass
    return text, 1.0


def resolve_adapters(specs: Sequence[str | tuple[str, float]], model_path: str | os.PathLike[str] | None = None
                     ) -> tuple[AdapterUse, ...]:
    """``--lora NAME[:SCALE]`` values, or (name, scale) pairs -> adapters to apply, each checked against the
    model when given."""
    shape = base_shape(model_path) if model_path else None
    out: list[AdapterUse] = []
    for spec in specs:
        name, scale = spec if isinstance(spec, tuple) else parse_lora_arg(spec)
        a = find_adapter(name)
        if shape is not None:
            try:
                check_gguf_lora_fits(inspect_gguf_lora(a.path), shape)
            except AdapterMismatchError as exc:
                raise AdapterMismatchError(f"The adapter {a.name} does not fit {Path(model_path or '').name}: "
                                           f"{exc.message}", hint=exc.hint) from None
        out.append(a.use(scale))
    return tuple(out)


def hf_base_shape(folder: str | os.PathLike[str]) -> BaseShape:
    """The sizes an adapter must match, from a Hugging Face model folder (the converter's config reading)."""
    spec = read_spec(Path(folder))
    return BaseShape(arch=spec.arch, n_layers=spec.n_layers, n_embd=spec.n_embd, n_head=spec.n_head,
                     n_head_kv=spec.n_head_kv, head_dim=spec.head_dim, n_ff=spec.n_ff, name=Path(folder).name)


def _fitting(adapters: list[LocalAdapter], shape: BaseShape) -> list[LocalAdapter]:
    fits = []
    for a in adapters:
        with contextlib.suppress(AssistantError):
            check_gguf_lora_fits(inspect_gguf_lora(a.path), shape)
            fits.append(a)
    return fits


def adapters_for_hf_model(folder: str | os.PathLike[str]) -> list[LocalAdapter]:
    """Library adapters vLLM can serve beside a Hugging Face model folder: those imported from a PEFT folder
    (vLLM loads PEFT, not GGUF) that fit the model's sizes."""
    candidates = [a for a in list_adapters() if a.peft_dir and Path(a.peft_dir).is_dir()]
    if not candidates:
        return []  # the model's configuration is not even read
    return _fitting(candidates, hf_base_shape(folder))


def adapters_for_model(model_path: str | os.PathLike[str]) -> list[LocalAdapter]:
    """Library adapters that fit a model (same architecture and sizes)."""
    return _fitting(list_adapters(), base_shape(model_path))
