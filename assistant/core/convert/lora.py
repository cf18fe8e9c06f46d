"""LoRA adapters: a PEFT folder (``adapter_config.json`` + ``adapter_model.safetensors``) checked against its
base model and written as a GGUF LoRA that llama.cpp applies at run time (issue 17).

    plan = plan_lora(src_dir, base)        # reads and checks everything, writes nothing
    convert_lora(plan, dst)                # streaming writer, hidden .partial file, renamed when verified
    inspect_gguf_lora(path, base)          # an existing GGUF LoRA: its header checked the same way

``base`` is a :class:`BaseShape` (the sizes read from the base GGUF's header; the models layer builds it).

llama.cpp's GGUF LoRA format (as its ``convert_lora_to_gguf.py`` writes it): ``general.type`` "adapter",
``adapter.type`` "lora", ``adapter.lora.alpha``, and for each adapted weight of the base two tensors named
after it, ``blk.N.attn_q.weight.lora_a`` (numpy shape ``(r, in)``: PEFT's ``lora_A``) and ``.lora_b``
(``(out, r)``: ``lora_B``). llama.cpp scales the product by ``scale * alpha / r``, as PEFT does with
``lora_alpha / r``; rsLoRA's ``alpha / sqrt(r)`` is written as an equivalent alpha. Llama q/k rows are
stored in a different order in GGUF than in Hugging Face checkpoints, so ``lora_b`` of q/k gets the same
row permutation as the base weights got (``lora_a`` acts on the input side and is unchanged).
Matrices are written as F32: adapters are small and the conversion is then exact.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.convert.hf import TensorRef, permutation_rows, read_safetensors_header
from assistant.core.convert.pipeline import gguf_output
from assistant.core.disk import check_free_space
from assistant.core.errors import (
    AdapterError,
    AdapterMismatchError,
    AssistantError,
    UnsupportedAdapterError,
)

# PEFT module name -> llama.cpp tensor of the base (Llama and Qwen2 blocks).
TARGETS = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
           "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down"}
ARCHITECTURES = ("llama", "qwen2")
_KEY = re.compile(r"^(?:base_model\.model\.)?(?:model\.)?layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)\.lora_([AB])"
                  r"(?:\.[^.]+)?\.weight$")
_GGUF_KEY = re.compile(r"^blk\.(\d+)\.(\w+)\.weight\.lora_([ab])$")
_HINT_FOLDER = "Choose the folder PEFT saved (adapter_config.json and adapter_model.safetensors)."


@dataclass(frozen=True)
class BaseShape:
    """What an adapter must fit: the base model's architecture and sizes (from its GGUF header)."""

    arch: str
    n_layers: int
    n_embd: int
    n_head: int
    n_head_kv: int
    head_dim: int
    n_ff: int
    name: str = ""

    def weight_shape(self, module: str) -> tuple[int, int]:
        """(out, in) of the base's ``module`` weight, in PEFT/torch order."""
        q, kv = self.n_head * self.head_dim, self.n_head_kv * self.head_dim
        return {"q_proj": (q, self.n_embd), "k_proj": (kv, self.n_embd), "v_proj": (kv, self.n_embd),
                "o_proj": (self.n_embd, q), "gate_proj": (self.n_ff, self.n_embd),
                "up_proj": (self.n_ff, self.n_embd), "down_proj": (self.n_embd, self.n_ff)}[module]


@dataclass(frozen=True)
class LoraTensor:
    gguf_name: str
    source: TensorRef
    permute_heads: int = 0  # Llama q/k lora_b: the base's row order in GGUF


@dataclass
class LoraPlan:
    src: Path
    config: dict[str, Any]
    base: BaseShape
    rank: int
    alpha: float  # written to adapter.lora.alpha (rsLoRA folded in)
    targets: list[str]
    layers: list[int]
    tensors: list[LoraTensor]
    base_model_name: str  # base_model_name_or_path of adapter_config.json
    warnings: list[str] = field(default_factory=list)

    @property
    def n_params(self) -> int:
        return sum(t.source.n_elements for t in self.tensors)

    @property
    def output_bytes(self) -> int:
        return sum(4 * t.source.n_elements + 32 for t in self.tensors) + 64 * 1024

    def summary(self) -> dict[str, Any]:
        return {"rank": self.rank, "alpha": self.alpha, "targets": self.targets, "layers": len(self.layers),
                "parameters": self.n_params, "base_model": self.base_model_name, "architecture": self.base.arch}


def _bad(src: Path, reason: str, hint: str = _HINT_FOLDER) -> AdapterError:
    return AdapterError(f"{src.name} is not a usable LoRA adapter: {reason}", hint=hint)


def read_adapter_config(src: Path) -> dict[str, Any]:
    cfg_path = src / "adapter_config.json"
    if not src.is_dir():
        raise _bad(src, "it is not a folder")
    if not cfg_path.is_file():
        raise _bad(src, "adapter_config.json is missing")
    try:
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        if not isinstance(cfg, dict):
            raise ValueError("not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _bad(src, f"adapter_config.json cannot be read ({exc})") from exc
    return cfg


def check_variant(src: Path, cfg: dict[str, Any]) -> None:
    """Refuse what llama.cpp's plain LoRA cannot express, before reading a tensor."""
    kind = str(cfg.get("peft_type", "LORA")).upper()
    if kind != "LORA":
        raise UnsupportedAdapterError(f"{src.name} is a {kind} adapter; only plain LoRA adapters are supported.",
                                      hint="Merge it into the model with PEFT (merge_and_unload) and convert that.")
    refused = [
        ("use_dora", "DoRA (use_dora)"), ("lora_bias", "LoRA biases (lora_bias)"),
        ("layer_replication", "layer replication"), ("use_qalora", "QA-LoRA"),
        ("alora_invocation_tokens", "activated LoRA (alora_invocation_tokens)"),
        ("rank_pattern", "per-module ranks (rank_pattern)"), ("alpha_pattern", "per-module alphas (alpha_pattern)"),
        ("modules_to_save", "fully trained modules (modules_to_save)"), ("target_parameters", "target_parameters"),
        ("trainable_token_indices", "trained token embeddings (trainable_token_indices)"),
        ("use_bdlora", "block-diagonal LoRA"), ("kasa_config", "KaSA"), ("monteclora_config", "MonteCLoRA"),
        ("arrow_config", "Arrow routing"),
    ]
    for key, what in refused:
        if cfg.get(key):
            raise UnsupportedAdapterError(
                f"{src.name} uses {what}, which llama.cpp's LoRA adapters cannot express.",
                hint="Train a plain LoRA (use_dora=False, no modules_to_save), or merge it with PEFT and convert "
                     "the merged model instead.")
    if cfg.get("bias", "none") not in ("none", None):
        raise UnsupportedAdapterError(f"{src.name} trains biases (bias={cfg.get('bias')!r}); only bias='none' "
                                      "adapters are supported.")


def plan_lora(src_dir: str | os.PathLike[str], base: BaseShape) -> LoraPlan:
    """Read a PEFT LoRA folder and check every tensor against ``base``; raises before anything is written."""
    src = Path(src_dir).expanduser()
    cfg = read_adapter_config(src)
    check_variant(src, cfg)
    if base.arch not in ARCHITECTURES:
        raise UnsupportedAdapterError(
            f"Adapters for {base.arch!r} models cannot be converted; supported: {', '.join(ARCHITECTURES)}.")
    st = src / "adapter_model.safetensors"
    if not st.is_file():
        if (src / "adapter_model.bin").is_file():
            raise UnsupportedAdapterError(f"{src.name} has only adapter_model.bin (a pickle); it is not loaded, "
                                          "for safety.", hint="Save the adapter again with safe_serialization=True.")
        raise _bad(src, "adapter_model.safetensors is missing")
    refs = read_safetensors_header(st)
    try:
        rank = int(cfg.get("r") or 0)
        alpha = float(cfg.get("lora_alpha") or rank)
    except (TypeError, ValueError) as exc:
        raise _bad(src, f"r / lora_alpha in adapter_config.json are not numbers ({exc})") from exc
    pairs: dict[tuple[int, str], dict[str, TensorRef]] = {}
    for name, ref in refs.items():
        m = _KEY.match(name)
        if m is None:
            raise _unsupported_tensor(src, name)
        layer, module, ab = int(m.group(1)), m.group(2), m.group(3)
        if module not in TARGETS:
            raise UnsupportedAdapterError(
                f"{src.name} adapts {module!r}, which this app does not support.",
                hint="Supported target modules: " + ", ".join(TARGETS) + ".")
        if layer >= base.n_layers:
            raise AdapterMismatchError(
                f"{src.name} adapts layer {layer}, but the base model {base.name or base.arch} has "
                f"{base.n_layers} layers.", hint="Import it for the model it was trained on.")
        pairs.setdefault((layer, module), {})[ab] = ref
    if not pairs:
        raise _bad(src, "it contains no LoRA weights")
    tensors: list[LoraTensor] = []
    ranks: set[int] = set()
    for (layer, module), ab in sorted(pairs.items()):
        if set(ab) != {"A", "B"}:
            raise _bad(src, f"layer {layer} {module} has lora_{'A' if 'A' in ab else 'B'} without its pair")
        a, b = ab["A"], ab["B"]
        out_dim, in_dim = base.weight_shape(module)
        if len(a.shape) != 2 or len(b.shape) != 2 or a.shape[0] != b.shape[1]:
            raise _bad(src, f"layer {layer} {module}: lora_A {a.shape} and lora_B {b.shape} do not multiply")
        if a.shape[1] != in_dim or b.shape[0] != out_dim:
            raise AdapterMismatchError(
                f"{src.name} does not fit {base.name or 'the base model'}: layer {layer} {module} is "
                f"{b.shape[0]}x{a.shape[1]} in the adapter but {out_dim}x{in_dim} in the model.",
                hint="The adapter was trained for a different model; import it with the base it names in "
                     "adapter_config.json (base_model_name_or_path).")
        ranks.add(a.shape[0])
        gname = f"blk.{layer}.{TARGETS[module]}.weight"
        permute = 0
        if base.arch == "llama" and module in ("q_proj", "k_proj"):
            permute = base.n_head if module == "q_proj" else base.n_head_kv
        tensors.append(LoraTensor(gname + ".lora_a", a))
        tensors.append(LoraTensor(gname + ".lora_b", b, permute))
    if len(ranks) != 1:
        raise UnsupportedAdapterError(f"{src.name} mixes ranks {sorted(ranks)}; one rank per adapter is supported.")
    (tensor_rank,) = ranks
    warnings: list[str] = []
    if rank and rank != tensor_rank:
        warnings.append(f"adapter_config.json says r={rank} but the tensors have rank {tensor_rank}")
    rank = tensor_rank
    if cfg.get("use_rslora"):
        alpha = alpha * math.sqrt(rank)  # llama.cpp scales by alpha / r; rsLoRA by lora_alpha / sqrt(r)
    return LoraPlan(src=src, config=cfg, base=base, rank=rank, alpha=alpha,
                    targets=sorted({m for _, m in pairs}, key=list(TARGETS).index),
                    layers=sorted({layer for layer, _ in pairs}), tensors=tensors,
                    base_model_name=str(cfg.get("base_model_name_or_path") or ""), warnings=warnings)


def _unsupported_tensor(src: Path, name: str) -> AssistantError:
    if "lora_magnitude_vector" in name:
        return UnsupportedAdapterError(f"{src.name} is a DoRA adapter (it has magnitude vectors); llama.cpp "
                                       "applies plain LoRA only.", hint="Train with use_dora=False.")
    for part, what in (("embed_tokens", "the token embeddings"), ("lm_head", "the output layer")):
        if part in name:
            return UnsupportedAdapterError(f"{src.name} adapts {what} ({part}), which this app does not support.",
                                           hint="Supported target modules: " + ", ".join(TARGETS) + ".")
    return UnsupportedAdapterError(f"{src.name} has a tensor this app does not know: {name}.",
                                   hint="Supported: LoRA on " + ", ".join(TARGETS) + " of Llama/Qwen2 models.")


# ---------------------------------------------------------------------------------------------------
# writing


def _tensor_data(t: LoraTensor) -> np.ndarray:
    ref = t.source
    raw = np.fromfile(ref.file, dtype=ref.np_dtype, count=ref.n_elements, offset=ref.offset)
    wide = (raw.astype(np.uint32) << 16).view(np.float32) if ref.dtype == "BF16" else raw.astype(np.float32)
    data = wide.reshape(ref.shape)
    if t.permute_heads:
        data = data[permutation_rows(ref.shape[0], t.permute_heads)]
    return np.ascontiguousarray(data)


def convert_lora(plan: LoraPlan, dst: str | os.PathLike[str], *, name: str = "") -> Path:
    """Write ``plan`` as a GGUF LoRA to exactly ``dst`` through a hidden temporary file, verify it, rename it."""
    import gguf

    dst = Path(dst)
    if dst.exists():
        raise AdapterError(f"{dst.name} already exists.", hint="Remove it first, or choose another name.")
    dst.parent.mkdir(parents=True, exist_ok=True)
    check_free_space(dst.parent, plan.output_bytes, f"Converting the adapter {plan.src.name}")
    writer = gguf.GGUFWriter(path=None, arch=plan.base.arch)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(plan.alpha))
    writer.add_name(name or plan.src.name)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    if plan.base_model_name:
        writer.add_string("general.base_model.0.name", plan.base_model_name)
    for t in plan.tensors:
        writer.add_tensor_info(t.gguf_name, t.source.shape, np.dtype(np.float32), 4 * t.source.n_elements)
    with gguf_output(writer, dst, AdapterError, verify=lambda tmp: verify_written(tmp, plan)) as fout:
        for t in plan.tensors:
            data = _tensor_data(t)
            if not np.isfinite(data).all():
                raise AdapterError(f"{plan.src.name}: {t.source.name} has NaN or infinite values.",
                                   hint="The adapter is damaged (or its training diverged).")
            fout.write(data.tobytes())
            writer.write_padding(fout, data.nbytes)
    return dst


def verify_written(path: Path, plan: LoraPlan) -> None:
    """Read the written file back: every planned tensor present with its shape, and the adapter keys."""
    info = inspect_gguf_lora(path, plan.base)
    want = {t.gguf_name: tuple(reversed(t.source.shape)) for t in plan.tensors}
    if info.tensors != want:
        raise AdapterError(f"The written adapter {path.name} does not read back as planned.")


# ---------------------------------------------------------------------------------------------------
# GGUF LoRA files


@dataclass
class GGUFLora:
    path: Path
    arch: str
    alpha: float
    rank: int
    tensors: dict[str, tuple[int, ...]]  # name -> ggml shape (ne0, ne1)
    name: str = ""
    base_model_name: str = ""

    @property
    def targets(self) -> list[str]:
        names = {m.group(2) for n in self.tensors if (m := _GGUF_KEY.match(n))}
        back = {v: k for k, v in TARGETS.items()}
        return [back[n] for n in TARGETS.values() if n in names] + sorted(n for n in names if n not in back)


def _field(reader: Any, key: str) -> Any:
    f = reader.fields.get(key)
    if f is None:
        return None
    with contextlib.suppress(Exception):
        return f.contents()
    return None


def inspect_gguf_lora(path: str | os.PathLike[str], base: BaseShape | None = None) -> GGUFLora:
    """Check a GGUF LoRA's header (and, with ``base``, every tensor's shape against the base model)."""
    import gguf

    p = Path(path)
    hint = "The file is damaged or not a LoRA adapter. Convert the PEFT folder again."
    try:
        with open(p, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise AdapterError(f"{p.name} cannot be read ({exc.strerror or exc}).") from exc
    if magic != b"GGUF":
        raise AdapterError(f"{p.name} is not a GGUF file.", hint=hint)
    try:
        reader = gguf.GGUFReader(p)
    except Exception as exc:  # gguf-py raises ValueError/IndexError/struct errors on damaged files
        raise AdapterError(f"{p.name} is damaged: {exc}", hint=hint) from exc
    kind, atype = _field(reader, "general.type"), _field(reader, gguf.Keys.Adapter.TYPE)
    if kind != "adapter" or atype != "lora":
        raise AdapterError(f"{p.name} is not a LoRA adapter (general.type={kind!r}, adapter.type={atype!r}).",
                           hint="A full model is imported in the model manager, not as an adapter.")
    arch = str(_field(reader, "general.architecture") or "")
    alpha = float(_field(reader, gguf.Keys.Adapter.LORA_ALPHA) or 0.0)
    tensors = {t.name: tuple(int(d) for d in t.shape) for t in reader.tensors}
    ranks: set[int] = set()
    for n, shape in tensors.items():
        m = _GGUF_KEY.match(n)
        if m is None or len(shape) != 2:
            raise UnsupportedAdapterError(f"{p.name} has a tensor this app does not apply: {n}.")
        ranks.add(shape[1] if m.group(3) == "a" else shape[0])
        pair = n[:-1] + ("b" if m.group(3) == "a" else "a")
        if pair not in tensors:
            raise AdapterError(f"{p.name}: {n} has no matching {pair}.", hint=hint)
    if not tensors:
        raise AdapterError(f"{p.name} contains no LoRA weights.", hint=hint)
    out = GGUFLora(p, arch, alpha, max(ranks), tensors, str(_field(reader, "general.name") or ""),
                   str(_field(reader, "general.base_model.0.name") or ""))
    if base is not None:
        check_gguf_lora_fits(out, base)
    return out


def check_gguf_lora_fits(lora: GGUFLora, base: BaseShape) -> None:
    if lora.arch != base.arch:
        raise AdapterMismatchError(
            f"{lora.path.name} is an adapter for {lora.arch!r} models; {base.name or 'the base model'} is "
            f"{base.arch!r}.", hint="Use it with the model it was trained on.")
    back = {v: k for k, v in TARGETS.items()}
    for n, shape in lora.tensors.items():
        m = _GGUF_KEY.match(n)
        assert m is not None
        layer, tensor, ab = int(m.group(1)), m.group(2), m.group(3)
        if tensor not in back:
            raise UnsupportedAdapterError(f"{lora.path.name} adapts {tensor}, which this app does not support.")
        out_dim, in_dim = base.weight_shape(back[tensor])
        ok = shape[0] == in_dim if ab == "a" else shape[1] == out_dim
        if layer >= base.n_layers or not ok:
            raise AdapterMismatchError(
                f"{lora.path.name} does not fit {base.name or 'the base model'}: {n} has shape {shape} "
                f"(the model's {tensor} is {out_dim}x{in_dim}, {base.n_layers} layers).",
                hint="The adapter was made for a different model.")
