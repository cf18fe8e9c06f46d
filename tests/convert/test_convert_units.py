"""Small pieces of the converter, each against an independent reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core.convert.hf import permutation_rows
from assistant.core.convert.pipeline import f32_to_bf16, model_name, plan_conversion
from assistant.core.convert.tokenizer import LLAMA3_REGEX, QWEN2_REGEX, R1_BOS, identify_pre_tokenizer
from assistant.core.errors import UnsupportedModelError
from assistant.core.gguf_file import read_header_value as read_gguf_header_value

from .conftest import HFModel

pytestmark = pytest.mark.convert


def test_f32_to_bf16_matches_ggml_rounding() -> None:
    import gguf

    rng = np.random.default_rng(0)
    x = (rng.standard_normal(1 << 16) * rng.choice([1e-40, 1e-3, 1.0, 1e5, 1e37], 1 << 16)).astype(np.float32)
    x[:9] = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 3.4028235e38, 1.0000001, 65504.0]
    x.view(np.uint32)[9:12] = [0xFFFFFFFF, 0x7F800001, 0x3F808000]  # NaN payloads; a tie that rounds to even
    want = np.asarray(gguf.quants.quantize(x, gguf.GGMLQuantizationType.BF16)).view(np.uint16)
    assert np.array_equal(f32_to_bf16(x), want)


def test_permutation_matches_the_reference_reshape() -> None:
    """llama.cpp's converter permutes Llama q/k with reshape(n_head, 2, d/2, cols).swapaxes(1, 2)."""
    n_head, head_dim, cols = 3, 8, 5
    w = np.arange(n_head * head_dim * cols, dtype=np.float32).reshape(n_head * head_dim, cols)
    ref = w.reshape(n_head, 2, head_dim // 2, cols).swapaxes(1, 2).reshape(w.shape)
    assert np.array_equal(w[permutation_rows(w.shape[0], n_head)], ref)


def _split(regex: str) -> dict[str, object]:
    return {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": regex}, "behavior": "Isolated", "invert": False},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]}


@pytest.mark.parametrize(("pre", "bos", "add_bos", "name"), [
    (_split(QWEN2_REGEX), None, False, "qwen2"),
    (_split(QWEN2_REGEX), "<|endoftext|>", True, "qwen2"),
    (_split(QWEN2_REGEX), R1_BOS, True, "deepseek-r1-qwen"),
    (_split(LLAMA3_REGEX), "<|begin_of_text|>", True, "llama-bpe"),
    ({"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": True},
                                            {"type": "ByteLevel", "use_regex": True}]}, None, False, "smollm"),
    ({"type": "ByteLevel", "add_prefix_space": False, "use_regex": True}, None, False, "gpt-2"),
])
def test_pre_tokenizer_names(pre: dict[str, object], bos: str | None, add_bos: bool, name: str) -> None:
    assert identify_pre_tokenizer({"pre_tokenizer": pre}, bos_text=bos, add_bos=add_bos, path=Path("t.json")) == name


@pytest.mark.parametrize("pre", [
    {"type": "Metaspace", "replacement": "▁"},
    _split(QWEN2_REGEX.replace(r"\p{N}", r"\p{N}+")),
    {"type": "Whitespace"},
])
def test_unknown_pre_tokenizers_are_refused(pre: dict[str, object]) -> None:
    with pytest.raises(UnsupportedModelError, match=r"splits text in a way llama\.cpp does not implement"):
        identify_pre_tokenizer({"pre_tokenizer": pre}, bos_text=None, add_bos=False, path=Path("t.json"))


def test_model_name_from_folder_or_hub_cache(tmp_path: Path) -> None:
    snap = tmp_path / "hub" / "models--deepseek-ai--DeepSeek-R1-Distill-Qwen-1.5B" / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    assert model_name(snap) == "DeepSeek-R1-Distill-Qwen-1.5B"
    odd = tmp_path / "my model (v2)"
    odd.mkdir()
    assert model_name(odd) == "my-model--v2"


def test_f32_checkpoint_to_bf16_and_auto(qwen_hf: HFModel, tmp_path: Path) -> None:
    """An f32 checkpoint: 'auto' keeps F32; 'bf16' rounds like torch's .bfloat16() (nearest even)."""
    import shutil

    import torch
    from gguf import GGUFReader
    from safetensors.torch import load_file, save_file

    src = tmp_path / "f32-model"
    shutil.copytree(qwen_hf.dir, src)
    state = {k: v.float() for k, v in load_file(str(src / "model.safetensors")).items()}
    state["model.embed_tokens.weight"] += torch.randn_like(state["model.embed_tokens.weight"]) * 1e-3
    save_file(state, str(src / "model.safetensors"))
    plan = plan_conversion(src)
    assert plan.source_type == "F32" and plan.outtype == "f32"
    from assistant.core.convert.pipeline import convert_model

    path = convert_model(src, outtype="bf16", out_dir=tmp_path / "out")
    emb = next(t for t in GGUFReader(str(path)).tensors if t.name == "token_embd.weight")
    want = state["model.embed_tokens.weight"].bfloat16().view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(np.asarray(emb.data).view(np.uint16).reshape(want.shape), want)
    assert read_gguf_header_value(path, "general.file_type") == 32
    assert read_gguf_header_value(path, "tokenizer.ggml.pre") == "deepseek-r1-qwen"
    assert read_gguf_header_value(path, "qwen2.block_count") == 2


def test_size_estimates_are_close(qwen_hf: HFModel, smol_quants: dict[str, Path], smol_f32: Path,
                                  smol_hf: HFModel) -> None:
    plan = plan_conversion(smol_hf.dir, outtype="f32")
    assert abs(plan.master_bytes - smol_f32.stat().st_size) / smol_f32.stat().st_size < 0.01
    for q, path in smol_quants.items():
        est = plan.retarget(quant=q).quant_bytes
        assert abs(est - path.stat().st_size) / path.stat().st_size < 0.15, (q, est, path.stat().st_size)
    bf16 = plan_conversion(qwen_hf.dir)
    assert bf16.outtype == "bf16" and bf16.retarget(outtype="f32").master_bytes > 1.9 * bf16.master_bytes
    # f16 K and V for every layer and KV head (the formula gives R1-1.5B's 28 KiB/token)
    assert plan.spec.kv_bytes_per_token == 30 * 3 * 64 * 2 * 2
