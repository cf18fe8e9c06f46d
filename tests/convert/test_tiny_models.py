"""Random small Qwen2 (R1-style tokenizer) and Llama 3.1-style models: conversion, logits, tokenization."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import REPO, reference_template_path

from .conftest import HFModel
from .helpers import CHKTXT, CORPUS, R1_SPECIALS, hf_logits, llama_greedy, llama_logits, open_llama

pytestmark = pytest.mark.convert

PROMPT = "<｜begin▁of▁sentence｜><｜User｜>What is 2 + 2? 请逐步推理。<｜Assistant｜><think>\n"


def _field(reader: Any, key: str) -> Any:
    f = reader.fields.get(key)
    return None if f is None else f.contents()


@pytest.fixture(scope="module")
def qwen_f32(qwen_hf: HFModel, converted_dir: Path) -> Path:
    from assistant.core.convert.pipeline import convert_model

    return convert_model(qwen_hf.dir, outtype="f32", out_dir=converted_dir)


@pytest.fixture(scope="module")
def qwen_auto(qwen_hf: HFModel, converted_dir: Path) -> Path:
    from assistant.core.convert.pipeline import convert_model

    return convert_model(qwen_hf.dir, out_dir=converted_dir)


def _check_logits(path: Path, model: HFModel, texts: list[str], tol: float) -> float:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model.dir)
    llm = open_llama(path)
    worst = 0.0
    for text in texts:
        ids = tok.encode(text)
        ours, ref = llama_logits(llm, ids), hf_logits(model.model, ids)
        diff = float(np.abs(ours - ref).max())
        worst = max(worst, diff)
        assert diff < tol, (text, diff)
        if tol < 0.01:
            assert (ours.argmax(-1) == ref.argmax(-1)).all(), text
    # greedy: llama.cpp's 32 chosen tokens are transformers' argmax after each prefix
    ids = tok.encode(texts[0])
    gen = llama_greedy(llm, ids, 32)
    if tol < 0.01:
        ref = hf_logits(model.model, ids + gen)[len(ids) - 1 : len(ids) + 31].argmax(-1).tolist()
        assert ref == gen
    llm.close()
    return worst


def _check_tokenization(path: Path, model: HFModel) -> int:
    """llama.cpp's tokenizer gives the Hugging Face tokenizer's ids, with and without BOS/specials."""
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp = llama_cpp_module()
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model.dir)
    llm = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
    n = 0
    for text in [*CORPUS, CHKTXT, PROMPT, "<think>\nhmm\n</think>\n\n答案是 \\boxed{4}。"]:
        for add in (True, False):
            ours = llm.tokenize(text.encode(), add_bos=add, special=True)
            assert ours == tok.encode(text, add_special_tokens=add), (text, add)
            n += 1
    # Plain text (no control tokens) gives the same ids with llama.cpp's special parsing off.
    for text in CORPUS:
        assert llm.tokenize(text.encode(), add_bos=False, special=False) == tok.encode(text, add_special_tokens=False)
    llm.close()
    return n


def test_qwen2_logits_match_transformers(qwen_hf: HFModel, qwen_f32: Path) -> None:
    worst = _check_logits(qwen_f32, qwen_hf, [PROMPT, *CORPUS[:4]], 1e-3)
    print(f"\nQwen2 f32: max |logit difference| = {worst:.2e}")


def test_qwen2_tokenization_matches_hf(qwen_hf: HFModel, qwen_f32: Path) -> None:
    n = _check_tokenization(qwen_f32, qwen_hf)
    print(f"\nQwen2/R1 tokenizer: {n} encodings identical (English, Chinese, maths, code, emoji)")


def test_r1_tokenizer_metadata(qwen_hf: HFModel, qwen_f32: Path) -> None:
    from gguf import GGUFReader

    from assistant.core.convert.tokenizer import CONTROL, NORMAL, UNUSED, USER_DEFINED

    r = GGUFReader(str(qwen_f32))
    tj = json.loads((qwen_hf.dir / "tokenizer.json").read_text(encoding="utf-8"))
    ids = {a["content"]: a["id"] for a in tj["added_tokens"]}
    cfg = json.loads((qwen_hf.dir / "config.json").read_text())
    tokens, types = _field(r, "tokenizer.ggml.tokens"), _field(r, "tokenizer.ggml.token_type")
    assert _field(r, "general.architecture") == "qwen2"
    assert _field(r, "tokenizer.ggml.model") == "gpt2"
    assert _field(r, "tokenizer.ggml.pre") == "deepseek-r1-qwen"
    assert _field(r, "tokenizer.ggml.add_bos_token") is True
    assert _field(r, "tokenizer.ggml.add_eos_token") is False
    assert _field(r, "tokenizer.ggml.bos_token_id") == ids["<｜begin▁of▁sentence｜>"]
    assert _field(r, "tokenizer.ggml.eos_token_id") == ids["<｜end▁of▁sentence｜>"]
    assert _field(r, "tokenizer.ggml.padding_token_id") == ids["<｜end▁of▁sentence｜>"]
    assert _field(r, "tokenizer.chat_template") == reference_template_path().read_text(encoding="utf-8")
    assert len(tokens) == cfg["vocab_size"]
    for s in R1_SPECIALS:
        assert tokens[ids[s]] == s and types[ids[s]] == CONTROL
    for s in ("<think>", "</think>"):
        assert tokens[ids[s]] == s and types[ids[s]] == USER_DEFINED
    n_tok = len(tj["model"]["vocab"]) + len(tj["added_tokens"])
    assert all(types[i] == UNUSED and tokens[i] == f"[PAD{i}]" for i in range(n_tok, len(tokens)))
    added_ids = set(ids.values())
    assert all(types[i] == NORMAL for i in tj["model"]["vocab"].values() if i not in added_ids)
    merges = _field(r, "tokenizer.ggml.merges")
    assert merges[:3] == [" ".join(m) if isinstance(m, list) else m for m in tj["model"]["merges"][:3]]
    # llama.cpp sees <think> and </think> as single tokens, the ids HF uses
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp = llama_cpp_module()

    llm = llama_cpp.Llama(model_path=str(qwen_f32), vocab_only=True, verbose=False)
    assert llm.tokenize(b"<think>", add_bos=False, special=True) == [ids["<think>"]]
    assert llm.tokenize(b"</think>", add_bos=False, special=True) == [ids["</think>"]]
    assert llm.tokenize(b"hi", add_bos=True, special=True)[0] == ids["<｜begin▁of▁sentence｜>"]
    llm.close()


def test_bf16_checkpoint_becomes_exact_bf16_master(qwen_hf: HFModel, qwen_auto: Path) -> None:
    """Default 'auto' keeps bf16 as BF16: the matrices are the checkpoint's bits, unchanged."""
    import torch
    from gguf import GGMLQuantizationType, GGUFReader
    from safetensors.torch import load_file

    assert qwen_auto.name.endswith("-BF16.gguf")
    r = GGUFReader(str(qwen_auto))
    assert _field(r, "general.file_type") == 32  # MOSTLY_BF16
    src = load_file(str(qwen_hf.dir / "model.safetensors"))
    by_name = {t.name: t for t in r.tensors}
    emb = by_name["token_embd.weight"]
    assert emb.tensor_type == GGMLQuantizationType.BF16
    want = src["model.embed_tokens.weight"].view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(np.asarray(emb.data).view(np.uint16).reshape(want.shape), want)
    down = by_name["blk.1.ffn_down.weight"]
    want = src["model.layers.1.mlp.down_proj.weight"].view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(np.asarray(down.data).view(np.uint16).reshape(want.shape), want)
    assert by_name["blk.0.attn_q.bias"].tensor_type == GGMLQuantizationType.F32
    # llama.cpp runs it; BF16 matmuls round activations to bf16, hence the looser bound
    worst = _check_logits(qwen_auto, qwen_hf, [PROMPT, CORPUS[3]], 0.3)
    print(f"\nQwen2 BF16: max |logit difference| = {worst:.3f} (bf16 activations in llama.cpp)")


def test_llama3_rope_scaling_model(llama_hf: HFModel, converted_dir: Path) -> None:
    from gguf import GGUFReader

    from assistant.core.convert.pipeline import convert_model

    path = convert_model(llama_hf.dir, outtype="f32", out_dir=converted_dir)
    r = GGUFReader(str(path))
    assert _field(r, "tokenizer.ggml.pre") == "llama-bpe"
    rope = next(t for t in r.tensors if t.name == "rope_freqs.weight")
    assert np.asarray(rope.data).max() == pytest.approx(8.0) and np.asarray(rope.data).min() == pytest.approx(1.0)
    text = "Once upon a time " * 6 + "there was a model with a long context and grouped-query attention."
    worst = _check_logits(path, llama_hf, [text, *CORPUS[:3]], 1e-3)
    n = _check_tokenization(path, llama_hf)
    print(f"\nLlama (GQA, llama3 RoPE): max |logit difference| = {worst:.2e}; {n} encodings identical")


def test_converter_does_not_import_torch(qwen_hf: HFModel, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom assistant.core.convert.pipeline import convert_model\n"
        f"p = convert_model(Path({str(qwen_hf.dir)!r}), quant='Q8_0', out_dir=Path({str(tmp_path)!r}))\n"
        "bad = [m for m in ('torch', 'transformers', 'tokenizers', 'safetensors') if m in sys.modules]\n"
        "assert not bad, bad\nprint(p)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert Path(res.stdout.strip().splitlines()[-1]).name == "Tiny-R1-Distill-Qwen-Q8_0.gguf"
