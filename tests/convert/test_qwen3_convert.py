"""Qwen3 conversion (issue 27): tensor-for-tensor the same GGUF as llama.cpp's own convert_hf_to_gguf.py on a
small random Qwen3-shaped checkpoint (tied and untied embeddings, head_dim apart from hidden/heads), then
quantized and run by llama.cpp against transformers.

The reference converter is the one vendored in the app's llama-cpp-python release (its source package,
unpacked once by ``benchmarks/standin.py:llama_source``), run in its own process with its own gguf-py. Its
pre-tokenizer detection hashes the ids of a probe text and knows only published tokenizers; the small
tokenizer trained here has Qwen's split regex, so the reference is told "qwen2" (what it says for Qwen3's
real tokenizer) and everything else is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import LOCAL_FIXTURES, REPO

from .conftest import HFModel
from .helpers import CORPUS, TRAIN_TEXT, hf_logits, llama_greedy, llama_logits, open_llama, randomize_

pytestmark = pytest.mark.convert

TEMPLATE = (LOCAL_FIXTURES / "qwen3.chat_template.jinja").read_text(encoding="utf-8")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
TAGS = ["<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>", "<think>", "</think>"]
PROMPT = "<|im_start|>user\nWhat is 2 + 2? 请逐步推理。<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
# Metadata the two converters write differently on purpose: naming/provenance keys the reference derives
# from the folder and the model card, and the add-BOS/EOS flags we always write (the reference writes them
# only when tokenizer_config.json names them; absent, llama.cpp's default for this pre-tokenizer is the same).
ONLY_REFERENCE = {"general.basename", "general.size_label", "general.finetune", "general.version",
                  "general.quantized_by", "general.license", "general.tags", "general.languages"}
# vocab_size and rope.dimension_count: llama.cpp derives both when they are absent (from the token list and
# the key length); we write them, as for the other architectures.
ONLY_OURS = {"tokenizer.ggml.add_eos_token", "qwen3.rope.dimension_count", "qwen3.vocab_size"}
DIFFERENT = {"general.name"}


def train_qwen3_tokenizer(out: Path, vocab_size: int = 1200) -> int:
    """A small byte-level BPE with Qwen's split regex and Qwen3's added tokens and tokenizer_config."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    from assistant.core.convert.tokenizer import QWEN2_REGEX

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False, min_frequency=2)
    tok.train_from_iterator(TRAIN_TEXT, trainer)
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in SPECIALS])
    tok.add_tokens([AddedToken(s, special=False, normalized=False) for s in TAGS])
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    out.mkdir(parents=True, exist_ok=True)
    tok.save(str(out / "tokenizer.json"))
    cfg = {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
           "pad_token": "<|endoftext|>", "unk_token": None, "add_prefix_space": False, "errors": "replace",
           "clean_up_tokenization_spaces": False, "split_special_tokens": False, "model_max_length": 131072,
           "chat_template": TEMPLATE}
    (out / "tokenizer_config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")
    return int(tok.get_vocab_size(with_added_tokens=True))


def tiny_qwen3(root: Path, *, tied: bool, seed: int) -> HFModel:
    import torch
    from transformers import AutoModelForCausalLM, Qwen3Config

    n_tok = train_qwen3_tokenizer(root)
    config = Qwen3Config(
        vocab_size=(n_tok + 63) // 64 * 64 + 64, hidden_size=128, intermediate_size=384, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, head_dim=64,  # q: 4 x 64 = 256 rows from 128 inputs
        max_position_embeddings=40960, rope_theta=1_000_000.0, rms_norm_eps=1e-6, tie_word_embeddings=tied,
        initializer_range=0.08, bos_token_id=None, eos_token_id=None)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    randomize_(model, seed)  # q/k norms and every other norm get values other than 1
    model.to(torch.bfloat16).save_pretrained(root)
    ref = AutoModelForCausalLM.from_pretrained(root, dtype=torch.float32)
    ref.eval()
    return HFModel(root, ref)


@pytest.fixture(scope="module", params=[True, False], ids=["tied", "untied"])
def qwen3_hf(request: Any, tmp_path_factory: pytest.TempPathFactory) -> HFModel:
    tied = bool(request.param)
    return tiny_qwen3(tmp_path_factory.mktemp("hf") / f"Tiny-Qwen3-{'tied' if tied else 'untied'}",
                      tied=tied, seed=3 if tied else 4)


def reference_convert(src: Path, out: Path, outtype: str) -> Path:
    """llama.cpp's convert_hf_to_gguf.py on ``src`` (see the module docstring)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from standin import llama_source
    finally:
        sys.path.pop(0)
    llama = llama_source()
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['convert_hf_to_gguf.py', {str(src)!r}, '--outfile', {str(out)!r}, '--outtype', {outtype!r}]\n"
        f"sys.path[:0] = [{str(llama)!r}, {str(llama / 'gguf-py')!r}]\n"
        "import conversion.base as base\n"
        "base.TextModel.get_vocab_base_pre = lambda self, tokenizer: 'qwen2'\n"
        f"runpy.run_path({str(llama / 'convert_hf_to_gguf.py')!r}, run_name='__main__')\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return out


def _fields(path: Path) -> dict[str, Any]:
    from gguf import GGUFReader

    r = GGUFReader(str(path))
    out = {}
    for key, f in r.fields.items():
        if key.startswith("GGUF."):
            continue
        out[key] = [f.contents(i) for i in range(len(f.data))] if len(f.data) > 1 else f.contents()
    return out


def _tensors(path: Path) -> dict[str, tuple[int, tuple[int, ...], bytes]]:
    from gguf import GGUFReader

    return {t.name: (int(t.tensor_type), tuple(int(d) for d in t.shape), bytes(np.asarray(t.data).tobytes()))
            for t in GGUFReader(str(path)).tensors}


@pytest.mark.parametrize("outtype", ["f32", "bf16"])
def test_qwen3_gguf_equals_llama_cpps_converter(qwen3_hf: HFModel, outtype: str, tmp_path: Path) -> None:
    from assistant.core.convert.pipeline import convert_model

    ours = convert_model(qwen3_hf.dir, outtype=outtype, out_dir=tmp_path / "ours")
    theirs = reference_convert(qwen3_hf.dir, tmp_path / f"reference-{outtype}.gguf", outtype)
    a, b = _tensors(ours), _tensors(theirs)
    assert sorted(a) == sorted(b)
    for name in b:
        assert a[name][:2] == b[name][:2], name  # type and shape
        assert a[name][2] == b[name][2], f"{name}: different bytes"
    fa, fb = _fields(ours), _fields(theirs)
    assert set(fb) - set(fa) <= ONLY_REFERENCE, set(fb) - set(fa)
    assert set(fa) - set(fb) <= ONLY_OURS | {"tokenizer.ggml.add_bos_token"}, set(fa) - set(fb)
    differ = {k for k in set(fa) & set(fb) if fa[k] != fb[k]} - DIFFERENT
    assert not differ, {k: (fa[k], fb[k]) for k in differ}
    assert fa["general.architecture"] == "qwen3" and fa["tokenizer.chat_template"] == TEMPLATE
    assert fa["tokenizer.ggml.pre"] == "qwen2" and fa["tokenizer.ggml.add_bos_token"] is False
    print(f"\n{qwen3_hf.dir.name} {outtype}: {len(b)} tensors byte-identical to convert_hf_to_gguf.py's; "
          f"{len(set(fa) & set(fb))} metadata keys equal")


def test_qwen3_quantized_runs_in_llama_cpp_like_transformers(qwen3_hf: HFModel, tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    from assistant.core.convert.pipeline import convert_model
    from assistant.core.convert.quantize import quantize_gguf

    f32 = convert_model(qwen3_hf.dir, outtype="f32", out_dir=tmp_path)
    tok = AutoTokenizer.from_pretrained(qwen3_hf.dir)
    llm = open_llama(f32)
    for text in (PROMPT, *CORPUS[:3]):
        ids = tok.encode(text)
        assert llm.tokenize(text.encode(), add_bos=False, special=True) == ids, text
        ours, ref = llama_logits(llm, ids), hf_logits(qwen3_hf.model, ids)
        assert float(np.abs(ours - ref).max()) < 1e-3, text
    ids = tok.encode(PROMPT)
    gen = llama_greedy(llm, ids, 16)
    assert hf_logits(qwen3_hf.model, ids + gen)[len(ids) - 1: len(ids) + 15].argmax(-1).tolist() == gen
    think = tok.convert_tokens_to_ids("<think>")
    assert llm.tokenize(b"<think>", add_bos=False, special=True) == [think]
    llm.close()
    for quant in ("Q8_0", "Q4_K_M"):
        q = quantize_gguf(f32, tmp_path / f"tiny-{quant}.gguf", quant)
        llm = open_llama(q)
        ours, ref = llama_logits(llm, ids), hf_logits(qwen3_hf.model, ids)
        agree = float((ours.argmax(-1) == ref.argmax(-1)).mean())
        llm.close()
        assert agree >= (0.9 if quant == "Q8_0" else 0.5), (quant, agree)


def test_qwen3_with_attention_biases_is_refused(qwen3_hf: HFModel, tmp_path: Path) -> None:
    """llama.cpp's Qwen3 graph has no q/k/v biases: a checkpoint with them is refused before writing."""
    import shutil

    import torch
    from safetensors.torch import load_file, save_file

    from assistant.core.convert.pipeline import plan_conversion
    from assistant.core.errors import UnsupportedModelError

    src = tmp_path / "biased"
    shutil.copytree(qwen3_hf.dir, src)
    state = load_file(str(src / "model.safetensors"))
    state["model.layers.0.self_attn.q_proj.bias"] = torch.zeros(256, dtype=torch.bfloat16)
    save_file(state, str(src / "model.safetensors"), metadata={"format": "pt"})
    with pytest.raises(UnsupportedModelError, match=r"q_proj\.bias"):
        plan_conversion(src)
