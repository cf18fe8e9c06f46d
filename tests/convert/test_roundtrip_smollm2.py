"""Round trip on a real model: bundled SmolLM2 GGUF -> HF safetensors (transformers) -> our converter ->
GGUF, checked against transformers on the very same weights and against the original file's tokenizer."""

from __future__ import annotations

import copy
from hashlib import sha256
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from .conftest import HFModel
from .helpers import CHKTXT, SMOLLM_CHKHSH, hf_logits, llama_greedy, llama_logits, open_llama

pytestmark = [pytest.mark.convert, pytest.mark.model, pytest.mark.slow]

PROMPTS = [
    "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    "Once upon a time, in a small village,",
    "def fibonacci(n):",
    "请用一句话介绍北京。",
    "12 + 35 = 47, 100 - 58 =",
]
# Measured: f32 max |Δlogit| ≈ 6e-5; f16 ≈ 0.04-0.10 (llama.cpp also rounds activations to f16 for
# F16 matmuls), on logits up to ~36.
TOLERANCE = {"f32": 1e-3, "f16": 0.25}
GREEDY_TOKENS = 40


def _field(reader: Any, key: str) -> Any:
    f = reader.fields.get(key)
    return None if f is None else f.contents()


@pytest.fixture(scope="module")
def f16_reference(smol_hf: HFModel) -> Any:
    """The transformers model with its weights rounded to float16, as our F16 file stores them."""
    import torch

    model = copy.deepcopy(smol_hf.model)
    with torch.no_grad():
        for p in model.parameters():
            if p.ndim >= 2:
                p.copy_(p.half().float())
    return model


def test_hf_copy_has_smollm_tokenizer(smol_hf: HFModel) -> None:
    """The copy tokenizes like the real SmolLM2: llama.cpp's own fingerprint of SmolLM's tokenizer
    (the hash of the ids of its probe text) matches, so the pre-tokenizer name we derive from
    tokenizer.json can be compared with llama.cpp's choice for this model."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smol_hf.dir)
    assert sha256(str(tok.encode(CHKTXT)).encode()).hexdigest() == SMOLLM_CHKHSH


def test_tokenizer_metadata_equals_the_original(smol_f32: Path, bundled_model: Path) -> None:
    from gguf import GGUFReader

    orig, ours = GGUFReader(str(bundled_model)), GGUFReader(str(smol_f32))
    keys = [k for k in orig.fields if k.startswith("tokenizer.") and k != "tokenizer.ggml.add_space_prefix"]
    assert "tokenizer.ggml.merges" in keys and "tokenizer.chat_template" in keys
    for key in keys:
        assert _field(ours, key) == _field(orig, key), key
    assert _field(ours, "tokenizer.ggml.pre") == "smollm"
    assert _field(ours, "tokenizer.ggml.add_bos_token") is False
    for key in ("llama.block_count", "llama.embedding_length", "llama.feed_forward_length",
                "llama.attention.head_count", "llama.attention.head_count_kv", "llama.rope.freq_base",
                "llama.context_length", "llama.vocab_size", "llama.rope.dimension_count"):
        assert _field(ours, key) == pytest.approx(_field(orig, key)), key
    assert sorted(t.name for t in ours.tensors) == sorted(t.name for t in orig.tensors)


@pytest.mark.parametrize("kind", ["f32", "f16"])
def test_logits_match_transformers(kind: str, request: pytest.FixtureRequest, smol_hf: HFModel) -> None:
    from gguf import GGMLQuantizationType, GGUFReader

    path: Path = request.getfixturevalue(f"smol_{kind}")
    reference = smol_hf.model if kind == "f32" else request.getfixturevalue("f16_reference")
    want = GGMLQuantizationType.F32 if kind == "f32" else GGMLQuantizationType.F16
    for t in GGUFReader(str(path)).tensors:
        assert t.tensor_type == (want if len(t.shape) > 1 else GGMLQuantizationType.F32), t.name
    llm = open_llama(path)
    worst = 0.0
    for prompt in PROMPTS:
        ids = llm.tokenize(prompt.encode(), add_bos=False, special=True)
        ours, ref = llama_logits(llm, ids), hf_logits(reference, ids)
        diff = float(np.abs(ours - ref).max())
        worst = max(worst, diff)
        assert diff < TOLERANCE[kind], (prompt, diff)
        assert (ours.argmax(-1) == ref.argmax(-1)).all(), prompt
    print(f"\n{kind}: max |logit difference| llama.cpp vs transformers = {worst:.2e} over {len(PROMPTS)} prompts")
    llm.close()


@pytest.mark.parametrize("kind", ["f32", "f16"])
def test_greedy_generation_identical(kind: str, request: pytest.FixtureRequest, smol_hf: HFModel) -> None:
    """llama.cpp's greedy continuation is also transformers' greedy continuation, token for token.

    Checked with one teacher-forced forward pass: transformers' argmax after every prefix of the
    llama.cpp output must be the token llama.cpp chose next (the definition of greedy decoding).
    """
    path: Path = request.getfixturevalue(f"smol_{kind}")
    reference = smol_hf.model if kind == "f32" else request.getfixturevalue("f16_reference")
    llm = open_llama(path)
    for prompt in PROMPTS[:2]:
        ids = llm.tokenize(prompt.encode(), add_bos=False, special=True)
        gen = llama_greedy(llm, ids, GREEDY_TOKENS)
        logits = hf_logits(reference, ids + gen)
        hf_choice = logits[len(ids) - 1 : len(ids) - 1 + GREEDY_TOKENS].argmax(-1).tolist()
        assert hf_choice == gen, (prompt, gen, hf_choice)
        text = llm.detokenize(gen).decode("utf-8", "replace")
        assert text.strip(), "the model produced only whitespace"
    llm.close()
