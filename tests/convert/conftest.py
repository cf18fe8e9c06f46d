"""Session fixtures for the converter tests: Hugging Face folders made here, converted once, shared.

Expensive things (transformers loading the bundled GGUF, conversions, quantizations) are built once
per session in tmp_path_factory folders and reused by every test that needs them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import reference_template_path

from .helpers import randomize_, train_tokenizer


@dataclass
class HFModel:
    dir: Path
    model: Any  # the transformers model on exactly these weights, float32 compute


@pytest.fixture(scope="session")
def smol_hf(bundled_model: Path, tmp_path_factory: pytest.TempPathFactory) -> HFModel:
    """An HF-format copy of the bundled SmolLM2, made from its GGUF with transformers' GGUF loading.

    The recipe: dequantize to f32, save state_dict() with safetensors (dropping the tied
    lm_head.weight), set config.architectures. Two more repairs make the copy match the real
    HuggingFaceTB/SmolLM2-135M-Instruct folder: transformers' GGUF tokenizer rebuild leaves out SmolLM's
    individual-digit splitting, which the real tokenizer.json has (the test below checks the repaired
    copy against llama.cpp's own fingerprint of SmolLM's tokenizer), and its config keeps a
    quantization_config pointing at the GGUF, which a real checkpoint does not have.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path_factory.mktemp("hf") / "SmolLM2-135M-Instruct"
    out.mkdir()
    tok = AutoTokenizer.from_pretrained(bundled_model.parent, gguf_file=bundled_model.name)
    model = AutoModelForCausalLM.from_pretrained(bundled_model.parent, gguf_file=bundled_model.name,
                                                 dtype=torch.float32)
    model.eval()
    tok.save_pretrained(out)
    model.config.architectures = ["LlamaForCausalLM"]
    model.config.save_pretrained(out)
    state = {k: v.contiguous() for k, v in model.state_dict().items()
             if not (k == "lm_head.weight" and model.config.tie_word_embeddings)}
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    cfg = json.loads((out / "config.json").read_text())
    cfg.pop("quantization_config", None)
    (out / "config.json").write_text(json.dumps(cfg, indent=2))
    tj = json.loads((out / "tokenizer.json").read_text(encoding="utf-8"))
    tj["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": True},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
    ]}
    (out / "tokenizer.json").write_text(json.dumps(tj, ensure_ascii=False), encoding="utf-8")
    return HFModel(out, model)


@pytest.fixture(scope="session")
def converted_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gguf")


@pytest.fixture(scope="session")
def smol_f32(smol_hf: HFModel, converted_dir: Path) -> Path:
    from assistant.core.convert.pipeline import convert_model

    return convert_model(smol_hf.dir, outtype="f32", out_dir=converted_dir)


@pytest.fixture(scope="session")
def smol_f16(smol_hf: HFModel, converted_dir: Path) -> Path:
    from assistant.core.convert.pipeline import convert_model

    return convert_model(smol_hf.dir, outtype="f16", out_dir=converted_dir)


@pytest.fixture(scope="session")
def smol_quants(smol_f32: Path, converted_dir: Path) -> dict[str, Path]:
    from assistant.core.convert.quantize import quantize_gguf

    return {q: quantize_gguf(smol_f32, converted_dir / f"SmolLM2-135M-Instruct-{q}.gguf", q)
            for q in ("Q8_0", "Q4_K_M")}


def _tiny_model(root: Path, *, arch: str, seed: int) -> HFModel:
    """A small random model with a trained tokenizer, saved in bf16 like the real checkpoints."""
    import torch
    from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

    template = reference_template_path().read_text(encoding="utf-8")
    n_tok = train_tokenizer(root, style="qwen2-r1" if arch == "qwen2" else "llama3", vocab_size=1200,
                            chat_template=template)
    vocab = (n_tok + 63) // 64 * 64 + 64  # padded past the tokenizer, like Qwen's 151936 > 151665
    common: dict[str, Any] = dict(
        vocab_size=vocab, hidden_size=256, intermediate_size=512, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=4096, rms_norm_eps=1e-6, tie_word_embeddings=False,
        initializer_range=0.08, bos_token_id=None, eos_token_id=None,
    )
    if arch == "qwen2":
        config = Qwen2Config(rope_theta=10000.0, **common)
    else:
        # Llama 3.1-style RoPE scaling with a short original context, so the rope_freqs factors matter
        # within a short test prompt.
        config = LlamaConfig(rope_theta=10000.0, rope_scaling={
            "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
            "original_max_position_embeddings": 64}, **common)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    randomize_(model, seed)
    model = model.to(torch.bfloat16)
    model.save_pretrained(root)
    # The reference: exactly the saved bf16 weights, computed in f32.
    ref = AutoModelForCausalLM.from_pretrained(root, dtype=torch.float32)
    ref.eval()
    assert os.path.exists(root / "model.safetensors")
    return HFModel(root, ref)


@pytest.fixture(scope="session")
def qwen_hf(tmp_path_factory: pytest.TempPathFactory) -> HFModel:
    """Random Qwen2 (attention biases, untied output, GQA) with an R1-style tokenizer, bf16 weights."""
    return _tiny_model(tmp_path_factory.mktemp("hf") / "Tiny-R1-Distill-Qwen", arch="qwen2", seed=1)


@pytest.fixture(scope="session")
def llama_hf(tmp_path_factory: pytest.TempPathFactory) -> HFModel:
    """Random Llama with Llama 3.1 RoPE scaling and a Llama-3-style tokenizer, bf16 weights."""
    return _tiny_model(tmp_path_factory.mktemp("hf") / "Tiny-Llama3", arch="llama", seed=2)
