"""A Hugging Face-format copy of the bundled GGUF model, for vLLM (which needs safetensors + config.json).

transformers dequantizes the GGUF. ``save_pretrained`` refuses such a model, so the
state dict is written with safetensors, without ``lm_head.weight`` when the embeddings are tied, and
``config.architectures`` (left empty by GGUF loading) is set and the GGUF ``quantization_config`` dropped.

``think_tokens=True`` renames two special tokens SmolLM2 never produces (``<issue_start>``,
``<issue_comment>``) to ``<think>`` / ``</think>``: vLLM's ``deepseek_r1`` reasoning parser refuses
a tokenizer without those tokens, and with them it can run on this tiny model (whose replies then
all arrive as reasoning, as an R1 reply cut before ``</think>`` does).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

THINK_RENAMES = {"<issue_start>": "<think>", "<issue_comment>": "</think>"}


def make_hf_copy(gguf: Path, out: Path, *, think_tokens: bool = False) -> Path:
    if (out / "config.json").is_file() and (out / "model.safetensors").is_file():
        return out
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    cfg = model.config
    if not cfg.architectures:
        cfg.architectures = ["LlamaForCausalLM"] if cfg.model_type == "llama" else [type(model).__name__]
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    if cfg.tie_word_embeddings:
        state.pop("lm_head.weight", None)
    save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    cfg_dict = cfg.to_dict()
    cfg_dict.pop("quantization_config", None)  # {"quant_method": "gguf"}: the weights are plain now
    (tmp / "config.json").write_text(json.dumps(cfg_dict, indent=2), encoding="utf-8")
    tok.save_pretrained(str(tmp))
    if think_tokens:
        _rename_tokens(tmp, THINK_RENAMES)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def _rename_tokens(folder: Path, renames: dict[str, str]) -> None:
    tj = folder / "tokenizer.json"
    data = json.loads(tj.read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    for old, new in renames.items():
        if old in vocab:
            vocab[new] = vocab.pop(old)
    for added in data.get("added_tokens", []):
        added["content"] = renames.get(added["content"], added["content"])
    tj.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tc = folder / "tokenizer_config.json"
    if tc.is_file():
        cfg = json.loads(tc.read_text(encoding="utf-8"))
        for entry in (cfg.get("added_tokens_decoder") or {}).values():
            entry["content"] = renames.get(entry.get("content"), entry.get("content"))
        tc.write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")
