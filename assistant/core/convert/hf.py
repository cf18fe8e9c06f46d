"""Reading a Hugging Face model folder for conversion: config, safetensors headers, the tensor plan.

Nothing here loads weights. A safetensors file is an 8-byte little-endian header length, a JSON header
(name -> dtype, shape, byte range) and the raw tensor bytes; we parse the header ourselves and later
map each tensor's bytes with ``mmap`` one chunk at a time (:mod:`assistant.core.convert.pipeline`), so memory
stays a small constant however large the checkpoint is. No torch: numpy has no bfloat16, so bf16 is
carried as uint16 bit patterns.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import (  # noqa: F401  (ConversionError: raised here and by the converter)
    ConversionError,
    InvalidModelError,
    ModelNotFoundError,
    UnsupportedArchitectureError,
    UnsupportedModelError,
)

# HF architecture name -> gguf architecture. Each needs tensor names, hyperparameters and a tokenizer
# path that were checked against llama.cpp (see tests/core/test_convert*.py).
SUPPORTED_ARCHITECTURES = {"LlamaForCausalLM": "llama", "Qwen2ForCausalLM": "qwen2",
                           # Qwen3 (issue 27): Qwen2 without q/k/v biases, with RMS norms on each head's q and k.
                           "Qwen3ForCausalLM": "qwen3"}

# safetensors dtype -> (numpy dtype used to carry it, bytes per element)
_ST_DTYPES: dict[str, tuple[np.dtype[Any], int]] = {
    "F32": (np.dtype("<f4"), 4),
    "F16": (np.dtype("<f2"), 2),
    "BF16": (np.dtype("<u2"), 2),  # bit patterns; widened to f32 by a 16-bit shift
}
_MAX_HEADER = 100 * 1024 * 1024  # real headers are a few hundred KiB; more means a corrupt file


@dataclass(frozen=True)
class TensorRef:
    """Where one tensor's bytes are; nothing is read until a converter asks for rows."""

    name: str
    file: Path
    dtype: str  # "F32" | "F16" | "BF16"
    shape: tuple[int, ...]
    offset: int  # absolute byte offset in the file
    nbytes: int

    @property
    def n_elements(self) -> int:
        return math.prod(self.shape)

    @property
    def np_dtype(self) -> np.dtype[Any]:
        return _ST_DTYPES[self.dtype][0]


def read_safetensors_header(path: Path) -> dict[str, TensorRef]:
    """Parse and validate a safetensors header; every error names the file and what is wrong."""
    hint = "The file is damaged or incomplete. Download the model again."
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                raise InvalidModelError(path, "the safetensors header is missing (file too short)", hint=hint)
            (n,) = struct.unpack("<Q", head)
            if n == 0 or n > _MAX_HEADER or n > size - 8:
                raise InvalidModelError(path, f"the safetensors header is corrupt (length {n})", hint=hint)
            raw = fh.read(n)
    except OSError as exc:
        raise InvalidModelError(path, f"it cannot be read ({exc.strerror or exc})") from exc
    try:
        header = json.loads(raw.decode("utf-8"))
        if not isinstance(header, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidModelError(path, f"the safetensors header is corrupt ({exc})", hint=hint) from exc
    data_start = 8 + n
    refs: dict[str, TensorRef] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = info["dtype"]
            shape = tuple(int(d) for d in info["shape"])
            begin, end = (int(x) for x in info["data_offsets"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidModelError(path, f"the safetensors header entry for {name} is corrupt", hint=hint) from exc
        if dtype in ("I64", "I32") and name.endswith("position_ids"):
            continue  # an index buffer (0..n-1) some BERT checkpoints save beside the weights, not a weight
        if dtype not in _ST_DTYPES:
            raise UnsupportedModelError(
                path, f"tensor {name} has data type {dtype}; only F32, F16 and BF16 checkpoints can be converted",
                hint="Quantized (int8/fp8/GPTQ/AWQ) checkpoints cannot be converted; use the original weights.",
            )
        expected = math.prod(shape) * _ST_DTYPES[dtype][1]
        if begin < 0 or end < begin or end - begin != expected or data_start + end > size:
            raise InvalidModelError(
                path, f"tensor {name} points outside the file or has the wrong size (truncated download?)", hint=hint
            )
        refs[name] = TensorRef(name, path, dtype, shape, data_start + begin, end - begin)
    return refs


def index_checkpoint(src: Path) -> dict[str, TensorRef]:
    """All tensors of a (possibly sharded) safetensors checkpoint, checked against its index."""
    index_file = src / "model.safetensors.index.json"
    if index_file.is_file():
        try:
            weight_map = json.loads(index_file.read_text(encoding="utf-8"))["weight_map"]
            shards = sorted(set(weight_map.values()))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidModelError(index_file, "the shard index is corrupt") from exc
        missing = [s for s in shards if not (src / s).is_file()]
        if missing:
            raise InvalidModelError(
                src, f"weight files are missing: {', '.join(missing)}",
                hint="The download is incomplete. Download the missing files again.",
            )
        files = [src / s for s in shards]
    else:
        files = sorted(src.glob("*.safetensors"))
        weight_map = None
    if not files:
        bins = sorted(p.name for p in src.glob("*.bin"))
        raise InvalidModelError(
            src,
            "it has no .safetensors weights" + (f" (only {', '.join(bins)})" if bins else ""),
            hint="Only safetensors checkpoints can be converted (PyTorch .bin files are pickles that need torch "
            "and can run code). Download the safetensors version of the model.",
        )
    tensors: dict[str, TensorRef] = {}
    for f in files:
        for name, ref in read_safetensors_header(f).items():
            if name in tensors:
                raise InvalidModelError(src, f"tensor {name} appears in two weight files")
            tensors[name] = ref
    if weight_map is not None:
        absent = sorted(set(weight_map) - set(tensors))
        if absent:
            raise InvalidModelError(src, f"{len(absent)} tensors listed in the index are missing ({absent[0]}, …)")
    return tensors


# ---------------------------------------------------------------------------------------------------
# config


@dataclass
class ModelSpec:
    """What the GGUF header needs, read from config.json."""

    src: Path
    hf_arch: str
    arch: str  # gguf architecture name
    config: dict[str, Any]
    n_layers: int
    n_embd: int
    n_ff: int
    n_head: int
    n_head_kv: int
    head_dim: int
    head_dim_explicit: bool
    n_ctx_train: int
    rope_theta: float
    rms_eps: float
    vocab_size: int
    tie_embeddings: bool
    rope_scaling: dict[str, Any] = field(default_factory=dict)

    @property
    def kv_bytes_per_token(self) -> int:
        """K and V caches in f16, all layers (what llama.cpp allocates per context token)."""
        return self.n_layers * self.n_head_kv * self.head_dim * 2 * 2


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidModelError(path, f"it cannot be read ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise InvalidModelError(path, f"it is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InvalidModelError(path, "it is not a JSON object")
    return data


def check_folder(src: Path) -> None:
    if not src.exists():
        raise ModelNotFoundError(src, hint="Choose the folder of a Hugging Face model (it holds config.json).")
    if not src.is_dir():
        raise InvalidModelError(src, "it is a file, not a Hugging Face model folder",
                                hint="Choose the folder that holds config.json, tokenizer.json and *.safetensors.")
    if not (src / "config.json").is_file():
        raise InvalidModelError(src, "config.json is missing, so this is not a Hugging Face model folder",
                                hint="Choose the folder that holds config.json, tokenizer.json and *.safetensors.")


def read_spec(src: Path) -> ModelSpec:
    """Validate the folder and config.json; unsupported models fail here, before any work."""
    check_folder(src)
    cfg = read_json(src / "config.json")
    archs = cfg.get("architectures") or []
    hf_arch = archs[0] if archs else ""
    if not hf_arch:
        # transformers' GGUF loading leaves `architectures` empty; the model_type still says what it is.
        hf_arch = {"llama": "LlamaForCausalLM", "qwen2": "Qwen2ForCausalLM",
                   "qwen3": "Qwen3ForCausalLM"}.get(cfg.get("model_type", ""), "")
    if hf_arch not in SUPPORTED_ARCHITECTURES:
        raise UnsupportedArchitectureError(src, hf_arch or f"unknown (model_type {cfg.get('model_type')!r})",
                                           SUPPORTED_ARCHITECTURES)
    qc = cfg.get("quantization_config")
    if isinstance(qc, dict) and qc.get("quant_method"):
        raise UnsupportedModelError(
            src, f"it is a quantized checkpoint ({qc.get('quant_method')})",
            hint="Convert the original (bf16/f16/f32) weights; llama.cpp quantizes them itself.",
        )
    act = cfg.get("hidden_act", "silu")
    if act != "silu":
        raise UnsupportedModelError(src, f"activation {act!r} is not supported (only silu)")
    try:
        n_embd = int(cfg["hidden_size"])
        n_head = int(cfg["num_attention_heads"])
        spec = ModelSpec(
            src=src, hf_arch=hf_arch, arch=SUPPORTED_ARCHITECTURES[hf_arch], config=cfg,
            n_layers=int(cfg["num_hidden_layers"]), n_embd=n_embd, n_ff=int(cfg["intermediate_size"]),
            n_head=n_head, n_head_kv=int(cfg.get("num_key_value_heads") or n_head),
            head_dim=int(cfg.get("head_dim") or n_embd // n_head), head_dim_explicit="head_dim" in cfg,
            n_ctx_train=int(cfg.get("max_position_embeddings", 4096)),
            rope_theta=float(_rope_params(cfg).get("rope_theta", cfg.get("rope_theta", 10000.0))),
            rms_eps=float(cfg.get("rms_norm_eps", 1e-6)),
            vocab_size=int(cfg["vocab_size"]),
            # Llama and Qwen2 configs default to untied (PretrainedConfig's own default is tied).
            tie_embeddings=bool(cfg.get("tie_word_embeddings", False)),
            rope_scaling=_rope_scaling(cfg),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidModelError(src / "config.json", f"a required setting is missing or invalid ({exc})") from exc
    return spec


def _rope_params(cfg: dict[str, Any]) -> dict[str, Any]:
    # transformers 5 writes `rope_parameters` (theta + scaling); 4.x wrote rope_theta + rope_scaling.
    rp = cfg.get("rope_parameters")
    return rp if isinstance(rp, dict) else {}


def _rope_scaling(cfg: dict[str, Any]) -> dict[str, Any]:
    rs = cfg.get("rope_scaling") or _rope_params(cfg)
    if not isinstance(rs, dict):
        return {}
    kind = str(rs.get("rope_type") or rs.get("type") or "default").lower()
    if kind == "default":
        return {}
    if kind not in ("llama3", "linear", "yarn"):
        raise UnsupportedModelError(Path(cfg.get("_name_or_path", "config.json")),
                                    f"RoPE scaling {kind!r} is not supported (only llama3, linear, yarn)")
    return {**rs, "rope_type": kind}


def llama3_rope_factors(spec: ModelSpec) -> np.ndarray:
    """Per-frequency factors for Llama 3.1-style RoPE scaling, written as the rope_freqs tensor.

    Same formula as Meta's reference (and llama.cpp's converter): short wavelengths unchanged, long ones
    divided by `factor`, a smooth blend between.
    """
    rs = spec.rope_scaling
    dim = spec.head_dim
    freqs = 1.0 / (spec.rope_theta ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    factor = float(rs.get("factor", 8.0))
    low = float(rs.get("low_freq_factor", 1.0))
    high = float(rs.get("high_freq_factor", 4.0))
    old_ctx = float(rs.get("original_max_position_embeddings")
                    or spec.config.get("original_max_position_embeddings", 8192))
    low_wl, high_wl = old_ctx / low, old_ctx / high
    out = []
    for f in freqs:
        wl = 2 * math.pi / f
        if wl < high_wl:
            out.append(1.0)
        elif wl > low_wl:
            out.append(factor)
        else:
            smooth = (old_ctx / wl - low) / (high - low)
            out.append(1.0 / ((1 - smooth) / factor + smooth))
    return np.asarray(out, dtype=np.float32)


# ---------------------------------------------------------------------------------------------------
# tensor plan


@dataclass(frozen=True)
class PlannedTensor:
    """One GGUF tensor: its source, its gguf name, and the row order it is written in."""

    gguf_name: str
    source: TensorRef | None  # None: computed (rope_freqs)
    shape: tuple[int, ...]  # numpy order (rows, cols)
    permute_heads: int = 0  # Llama q/k: undo HF's rotary row order for this many heads
    data: np.ndarray | None = None  # computed tensors only

    @property
    def n_elements(self) -> int:
        return math.prod(self.shape)

    @property
    def is_matrix(self) -> bool:
        return len(self.shape) >= 2


def plan_tensors(spec: ModelSpec, tensors: dict[str, TensorRef]) -> list[PlannedTensor]:
    """Map HF tensor names to gguf names; refuse missing or unknown tensors before writing anything."""
    import gguf

    arch_enum = {"llama": gguf.MODEL_ARCH.LLAMA, "qwen2": gguf.MODEL_ARCH.QWEN2,
                 "qwen3": gguf.MODEL_ARCH.QWEN3}[spec.arch]
    name_map = gguf.TensorNameMap(arch_enum, spec.n_layers)
    tensors = dict(tensors)
    for k in [k for k in tensors if k.endswith("rotary_emb.inv_freq")]:
        del tensors[k]  # recomputed by llama.cpp from rope_theta
    embed, head = "model.embed_tokens.weight", "lm_head.weight"
    if spec.tie_embeddings:
        if embed not in tensors and head in tensors:
            # safetensors' save_model keeps lm_head and drops the tied embedding; it is the same matrix.
            tensors[embed] = tensors.pop(head)
        else:
            tensors.pop(head, None)  # tied: llama.cpp reuses token_embd for the output
    elif head not in tensors:
        raise InvalidModelError(spec.src, "lm_head.weight is missing but the config says embeddings are not tied")

    planned: list[PlannedTensor] = []
    unknown: list[str] = []
    for name, ref in tensors.items():
        gname = name_map.get_name(name, try_suffixes=(".weight", ".bias"))
        if gname is None:
            unknown.append(name)
            continue
        permute = 0
        if spec.arch == "llama" and (".self_attn.q_proj." in name or ".self_attn.k_proj." in name):
            # HF stores Llama q/k rows in rotate_half order; GGUF llama uses the original interleaved
            # pairs, so rows are permuted back (Qwen2 uses NeoX rope in llama.cpp: no permutation).
            permute = spec.n_head if ".q_proj." in name else spec.n_head_kv
        planned.append(PlannedTensor(gname, ref, ref.shape, permute))
    if spec.arch == "qwen3":  # llama.cpp's Qwen3 graph has no attention biases (attention_bias: true)
        unknown += [p.source.name for p in planned if p.source is not None and p.gguf_name.endswith(".bias")]
    if unknown:
        raise UnsupportedModelError(
            spec.src, f"it has tensors this converter does not know: {', '.join(sorted(unknown)[:5])}",
            hint="This checkpoint has parts llama.cpp's Llama/Qwen2/Qwen3 graphs do not use (a vision tower, "
                 "adapters…).",
        )
    have = {p.gguf_name for p in planned}
    required = ["token_embd.weight", "output_norm.weight"]
    if not spec.tie_embeddings:
        required.append("output.weight")
    for i in range(spec.n_layers):
        parts = ["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"]
        required += [f"blk.{i}.{p}.weight" for p in parts]
        if spec.arch == "qwen2":
            required += [f"blk.{i}.attn_{p}.bias" for p in "qkv"]
        if spec.arch == "qwen3":
            required += [f"blk.{i}.attn_q_norm.weight", f"blk.{i}.attn_k_norm.weight"]
    missing = [r for r in required if r not in have]
    if missing:
        raise InvalidModelError(
            spec.src,
            f"weights are missing: {', '.join(missing[:3])}" + (f" and {len(missing) - 3} more" if missing[3:] else ""),
            hint="The download is incomplete or the files belong to a different model.",
        )
    embd = next(p for p in planned if p.gguf_name == "token_embd.weight")
    if embd.shape[0] != spec.vocab_size or embd.shape[1] != spec.n_embd:
        raise InvalidModelError(spec.src, f"the embedding is {embd.shape}, config.json says "
                                          f"({spec.vocab_size}, {spec.n_embd})")
    if spec.rope_scaling.get("rope_type") == "llama3":
        factors = llama3_rope_factors(spec)
        planned.append(PlannedTensor("rope_freqs.weight", None, factors.shape, data=factors))
    return planned


def permutation_rows(n_rows: int, n_head: int) -> np.ndarray:
    """Source row for each output row when undoing HF's Llama q/k rotary layout.

    Rows of each head are stored [first halves of all pairs, second halves]; GGUF wants pairs
    interleaved. Equivalent to reshape(n_head, 2, d/2, -1).swapaxes(1, 2) on the weight.
    """
    idx = np.arange(n_rows).reshape(n_head, 2, n_rows // n_head // 2)
    return idx.swapaxes(1, 2).reshape(n_rows)
