"""The BERT family for the converter: BERT and XLM-RoBERTa encoders (sentence-embedding models) to GGUF.

What llama.cpp's ``bert`` graph needs, checked against its own converter (``conversion/bert.py``):
- tensors: ``token_embd``, ``position_embd``, ``token_types``, ``token_embd_norm`` and per block
  ``attn_q/k/v``, ``attn_output``, ``attn_output_norm``, ``ffn_up``, ``ffn_down``, ``layer_output_norm``
  (gguf-py's BERT name map); the pooler, masked-LM and NSP heads are not used for embeddings and dropped.
- XLM-RoBERTa numbers positions from ``pad_token_id + 1``: the first rows of its position table are never
  used, so they are cut and the context length shrinks by as much (514 -> 512).
- ``bert.attention.causal`` false, ``bert.pooling_type`` from the sentence-transformers folder
  (``modules.json`` -> ``1_Pooling/config.json``: mean, CLS or last token), layer-norm epsilon, token-type
  count. The vocabulary (WordPiece or SentencePiece/Unigram) is :mod:`encoder_vocab`'s.

A Hugging Face folder of any such model converts: ``assistant convert FOLDER``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from assistant.core.convert.hf import (
    InvalidModelError,
    ModelSpec,
    PlannedTensor,
    TensorRef,
    UnsupportedModelError,
    read_json,
)

# HF architecture -> how its positions are numbered ("bert": from 0; "xlm-roberta": from pad_token_id + 1).
ENCODER_ARCHITECTURES = {
    "BertModel": "bert", "BertForMaskedLM": "bert", "BertForPreTraining": "bert",
    "XLMRobertaModel": "xlm-roberta", "XLMRobertaForMaskedLM": "xlm-roberta",
}
_MODEL_TYPES = {"bert": "BertModel", "xlm-roberta": "XLMRobertaModel"}
# llama_pooling_type: what the GGUF key bert.pooling_type holds.
POOLING = {"none": 0, "mean": 1, "cls": 2, "last": 3}
_DROPPED_PREFIXES = ("pooler.", "cls.", "lm_head.")
ST_MAX_SEQ_KEY = "sentence_transformers.max_seq_length"
ST_NORMALIZE_KEY = "sentence_transformers.normalize"
ST_PROMPT_KEY = "sentence_transformers.prompts"  # + ".query" / ".passage" / ...


def encoder_architecture(src: Path) -> str | None:
    """The HF architecture name if ``src/config.json`` describes a BERT/XLM-R encoder, else None."""
    try:
        cfg = json.loads((src / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cfg, dict):
        return None
    archs = cfg.get("architectures") or []
    arch = archs[0] if archs and isinstance(archs[0], str) else _MODEL_TYPES.get(str(cfg.get("model_type")), "")
    return arch if arch in ENCODER_ARCHITECTURES else None


@dataclasses.dataclass(frozen=True)
class EncoderFacts:
    """What only an encoder has: how it pools, where its positions start, its token types."""

    pooling: str  # "mean" | "cls" | "last"
    normalize: bool  # the sentence-transformers pipeline ends with a Normalize module
    position_offset: int
    type_vocab_size: int
    max_seq_length: int  # sentence-transformers' limit (sentence_bert_config.json), <= the context length
    prompts: dict[str, str] = dataclasses.field(default_factory=dict)  # e5: {"query": "query: ", ...}


def read_encoder_spec(src: Path) -> tuple[ModelSpec, EncoderFacts]:
    """config.json (+ the sentence-transformers files) of a BERT/XLM-R folder; refuses what llama.cpp's
    BERT graph cannot run."""
    cfg = read_json(src / "config.json")
    hf_arch = encoder_architecture(src) or ""
    kind = ENCODER_ARCHITECTURES[hf_arch]
    act = cfg.get("hidden_act", "gelu")
    if act not in ("gelu", "gelu_new", "gelu_pytorch_tanh"):
        raise UnsupportedModelError(src, f"activation {act!r} is not supported by llama.cpp's BERT graph (gelu)")
    pos_type = cfg.get("position_embedding_type", "absolute")
    if pos_type != "absolute":
        raise UnsupportedModelError(src, f"position embeddings of type {pos_type!r} are not supported (only absolute)")
    qc = cfg.get("quantization_config")
    if isinstance(qc, dict) and qc.get("quant_method"):
        raise UnsupportedModelError(src, f"it is a quantized checkpoint ({qc.get('quant_method')})",
                                    hint="Convert the original (f16/f32) weights; llama.cpp quantizes them itself.")
    try:
        offset = int(cfg.get("pad_token_id", 1)) + 1 if kind == "xlm-roberta" else 0
        n_pos = int(cfg["max_position_embeddings"]) - offset
        n_embd, n_head = int(cfg["hidden_size"]), int(cfg["num_attention_heads"])
        spec = ModelSpec(
            src=src, hf_arch=hf_arch, arch="bert", config=cfg, n_layers=int(cfg["num_hidden_layers"]),
            n_embd=n_embd, n_ff=int(cfg["intermediate_size"]), n_head=n_head, n_head_kv=n_head,
            head_dim=n_embd // n_head, head_dim_explicit=False, n_ctx_train=n_pos, rope_theta=0.0,
            rms_eps=float(cfg.get("layer_norm_eps", 1e-12)), vocab_size=int(cfg["vocab_size"]),
            tie_embeddings=False,
        )
        type_vocab = int(cfg.get("type_vocab_size", 1))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidModelError(src / "config.json", f"a required setting is missing or invalid ({exc})") from exc
    if n_pos <= 0 or n_embd % n_head:
        raise InvalidModelError(src / "config.json", f"impossible sizes (positions {n_pos}, hidden {n_embd}, "
                                                     f"heads {n_head})")
    pooling, normalize = _pooling(src)
    max_seq = n_pos
    st_cfg = src / "sentence_bert_config.json"
    if st_cfg.is_file():
        try:
            max_seq = min(n_pos, int(read_json(st_cfg).get("max_seq_length") or n_pos))
        except (TypeError, ValueError):
            max_seq = n_pos
    prompts: dict[str, str] = {}
    st_main = src / "config_sentence_transformers.json"
    if st_main.is_file():
        raw = read_json(st_main).get("prompts")
        if isinstance(raw, dict):
            prompts = {str(k): str(v) for k, v in raw.items() if isinstance(v, str) and v}
    return spec, EncoderFacts(pooling, normalize, offset, type_vocab, max_seq, prompts)


def _pooling(src: Path) -> tuple[str, bool]:
    """Pooling mode and normalisation from a sentence-transformers folder; a bare HF folder means mean
    pooling (what sentence-transformers itself assumes when it wraps a plain transformers model)."""
    modules_file = src / "modules.json"
    if not modules_file.is_file():
        return "mean", False
    try:
        modules = json.loads(modules_file.read_text(encoding="utf-8"))
        if not isinstance(modules, list):
            raise ValueError("not a list")
    except (OSError, ValueError) as exc:
        raise InvalidModelError(modules_file, f"it is not a valid sentence-transformers module list ({exc})") from exc
    types = [str(m.get("type", "")) for m in modules if isinstance(m, dict)]
    normalize = any(t.endswith("Normalize") for t in types)
    pool = next((m for m in modules if isinstance(m, dict) and str(m.get("type", "")).endswith("Pooling")), None)
    if pool is None:
        return "mean", normalize
    pcfg: dict[str, Any] = read_json(src / str(pool.get("path", "1_Pooling")) / "config.json")
    if pcfg.get("pooling_mode_mean_tokens"):
        return "mean", normalize
    if pcfg.get("pooling_mode_cls_token"):
        return "cls", normalize
    if pcfg.get("pooling_mode_lasttoken"):
        return "last", normalize
    mode = pcfg.get("pooling_mode")
    if mode in ("mean", "cls", "lasttoken"):
        return ("last" if mode == "lasttoken" else str(mode)), normalize
    raise UnsupportedModelError(src, f"its pooling ({json.dumps(pcfg)[:120]}) is not one llama.cpp has",
                                hint="llama.cpp pools by mean, CLS token or last token.")


def plan_encoder_tensors(spec: ModelSpec, facts: EncoderFacts, tensors: dict[str, TensorRef]) -> list[PlannedTensor]:
    """HF names -> llama.cpp's BERT names (gguf-py's map, as llama.cpp's converter uses it); the heads that
    embeddings do not use are dropped; missing or unknown tensors are refused before anything is written."""
    import gguf

    name_map = gguf.TensorNameMap(gguf.MODEL_ARCH.BERT, spec.n_layers)
    planned: list[PlannedTensor] = []
    unknown: list[str] = []
    for name, ref in tensors.items():
        short = name
        for prefix in ("bert.", "roberta.", "model."):
            if short.startswith(prefix):
                short = short[len(prefix):]
        short = short.replace(".gamma", ".weight").replace(".beta", ".bias")
        if short.startswith(_DROPPED_PREFIXES) or short == "embeddings.position_ids":
            continue
        gname = name_map.get_name(short, try_suffixes=(".weight", ".bias"))
        if gname is None:
            unknown.append(name)
            continue
        if gname == "position_embd.weight" and facts.position_offset:
            ref = _skip_rows(ref, facts.position_offset)
        planned.append(PlannedTensor(gname, ref, ref.shape))
    if unknown:
        raise UnsupportedModelError(spec.src, f"it has tensors this converter does not know: "
                                              f"{', '.join(sorted(unknown)[:5])}",
                                    hint="This checkpoint has parts llama.cpp's BERT graph does not use.")
    have = {p.gguf_name: p for p in planned}
    required = ["token_embd.weight", "position_embd.weight", "token_embd_norm.weight", "token_embd_norm.bias"]
    for i in range(spec.n_layers):
        for part in ("attn_q", "attn_k", "attn_v", "attn_output", "attn_output_norm", "ffn_up", "ffn_down",
                     "layer_output_norm"):
            required += [f"blk.{i}.{part}.weight", f"blk.{i}.{part}.bias"]
    missing = [r for r in required if r not in have]
    if missing:
        raise InvalidModelError(
            spec.src, f"weights are missing: {', '.join(missing[:3])}"
            + (f" and {len(missing) - 3} more" if missing[3:] else ""),
            hint="The download is incomplete or the files belong to a different model.")
    embd = have["token_embd.weight"]
    if embd.shape != (spec.vocab_size, spec.n_embd):
        raise InvalidModelError(spec.src, f"the embedding is {embd.shape}, config.json says "
                                          f"({spec.vocab_size}, {spec.n_embd})")
    pos = have["position_embd.weight"]
    if pos.shape[0] < spec.n_ctx_train:
        raise InvalidModelError(spec.src, f"the position table has {pos.shape[0]} rows for "
                                          f"{spec.n_ctx_train} positions")
    return planned


def _skip_rows(ref: TensorRef, rows: int) -> TensorRef:
    """The same tensor without its first ``rows`` rows (bytes are still only read when written)."""
    row_bytes = ref.nbytes // ref.shape[0]
    shape = (ref.shape[0] - rows, *ref.shape[1:])
    return dataclasses.replace(ref, shape=shape, offset=ref.offset + rows * row_bytes,
                               nbytes=ref.nbytes - rows * row_bytes)


def write_encoder_metadata(w: Any, spec: ModelSpec, facts: EncoderFacts, name: str, file_type: Any) -> None:
    """The ``bert.*`` keys llama.cpp reads (the vocabulary is written by :mod:`encoder_vocab`)."""
    import gguf

    w.add_type("model")
    w.add_name(name)
    w.add_file_type(file_type)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    w.add_context_length(spec.n_ctx_train)
    w.add_embedding_length(spec.n_embd)
    w.add_feed_forward_length(spec.n_ff)
    w.add_block_count(spec.n_layers)
    w.add_head_count(spec.n_head)
    w.add_layer_norm_eps(spec.rms_eps)
    w.add_causal_attention(False)
    w.add_pooling_type(gguf.PoolingType(POOLING[facts.pooling]))
    w.add_token_type_count(facts.type_vocab_size)
    # Not read by llama.cpp; what the app's Embedder needs to use the model as it was trained
    # (sentence-transformers' length limit and its query/passage prompts, e.g. e5's "query: ").
    w.add_uint32(ST_MAX_SEQ_KEY, facts.max_seq_length)
    w.add_bool(ST_NORMALIZE_KEY, facts.normalize)
    for kind, prompt in sorted(facts.prompts.items()):
        w.add_string(f"{ST_PROMPT_KEY}.{kind}", prompt)
