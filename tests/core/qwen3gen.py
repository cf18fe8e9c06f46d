"""Random-weight Qwen3-shaped GGUF models that carry Qwen3's real chat template (issue 27).

Speed and prompt handling depend on shapes, tokens and the template, not on weight values: a model with
Qwen3's architecture (per-head q/k RMS norms, no attention biases, tied embeddings), its special tokens and
its own template behaves in the app as a downloaded Qwen3 does (the family is found from the template, the
thinking switch renders, ``<think>`` is one token), without its weights. The tokenizer is the bundled
SmolLM2's byte-level BPE (which already has ``<|endoftext|>``, ``<|im_start|>``, ``<|im_end|>`` as ids 0-2)
with Qwen3's other added tokens appended and padding up to the vocabulary size.

Used small by the tests (tests/core/test_qwen3*.py) and at Qwen3-1.7B's exact shapes by
``benchmarks/bench_qwen3.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.conftest import LOCAL_FIXTURES

QWEN3_TEMPLATE = LOCAL_FIXTURES / "qwen3.chat_template.jinja"
# Added tokens Qwen3's tokenizer has beyond SmolLM2's ChatML ones; the tags are matched in plain text
# (USER_DEFINED), as in Qwen's tokenizer.json where they are not "special".
QWEN3_ADDED = ["<think>", "</think>", "<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"]


@dataclass(frozen=True)
class Qwen3Shape:
    n_embd: int = 64
    n_layer: int = 2
    n_head: int = 4
    n_head_kv: int = 2
    head_dim: int = 32  # Qwen3 sets it apart from n_embd / n_head (0.6B: 1024 / 16 heads, head_dim 128)
    n_ff: int = 128
    n_vocab: int = 0  # 0: the tokenizer's own size
    tied: bool = True
    context: int = 40960
    rope_base: float = 1_000_000.0


# Qwen3-1.7B: hidden 2048, 28 blocks, 16 query / 8 KV heads of 128, FFN 6144, vocab 151,936, tied.
QWEN3_1_7B = Qwen3Shape(n_embd=2048, n_layer=28, n_head=16, n_head_kv=8, head_dim=128, n_ff=6144,
                        n_vocab=151_936, tied=True)


def write_qwen3(path: Path, shape: Qwen3Shape = Qwen3Shape(), *, name: str = "Qwen3 test model (random weights)",
                template: str | None = None, f16: bool = False, seed: int = 0) -> Path:
    """Write a Qwen3-shaped GGUF with random weights (std 0.02, norms 1) and the real Qwen3 template."""
    import gguf

    from assistant.core.models.catalog import find_bundled_model

    src = gguf.GGUFReader(str(find_bundled_model()))

    def field(key: str):  # type: ignore[no-untyped-def]
        f = src.fields[key]
        return [f.contents(i) for i in range(len(f.data))] if len(f.data) > 1 else f.contents()

    tokens = list(field("tokenizer.ggml.tokens"))
    types = list(field("tokenizer.ggml.token_type"))
    assert tokens[:3] == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    for tok in QWEN3_ADDED:
        tokens.append(tok)
        types.append(4)
    n_vocab = shape.n_vocab or len(tokens)
    pad = n_vocab - len(tokens)
    assert pad >= 0
    tokens += [f"Ġq{i}" for i in range(pad)]  # text a random model can stream
    types += [1] * pad

    w = gguf.GGUFWriter(str(path), "qwen3")
    w.add_name(name)
    w.add_context_length(shape.context)
    w.add_embedding_length(shape.n_embd)
    w.add_block_count(shape.n_layer)
    w.add_feed_forward_length(shape.n_ff)
    w.add_head_count(shape.n_head)
    w.add_head_count_kv(shape.n_head_kv)
    w.add_key_length(shape.head_dim)
    w.add_value_length(shape.head_dim)
    w.add_rope_freq_base(shape.rope_base)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(1 if f16 else 0)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(str(field("tokenizer.ggml.pre")))
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(list(field("tokenizer.ggml.merges")))
    w.add_bos_token_id(0)  # Qwen3: <|endoftext|>, never added
    w.add_eos_token_id(2)  # <|im_end|>
    w.add_pad_token_id(0)
    w.add_add_bos_token(False)
    w.add_chat_template(template if template is not None else QWEN3_TEMPLATE.read_text(encoding="utf-8"))

    rng = np.random.default_rng(seed)
    dtype = np.float16 if f16 else np.float32

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols), dtype=np.float32) * 0.02).astype(dtype)

    def ones(n: int) -> np.ndarray:
        return np.ones(n, dtype=np.float32)

    q, kv = shape.n_head * shape.head_dim, shape.n_head_kv * shape.head_dim
    w.add_tensor("token_embd.weight", mat(n_vocab, shape.n_embd))
    w.add_tensor("output_norm.weight", ones(shape.n_embd))
    if not shape.tied:
        w.add_tensor("output.weight", mat(n_vocab, shape.n_embd))
    for i in range(shape.n_layer):
        b = f"blk.{i}."
        w.add_tensor(b + "attn_norm.weight", ones(shape.n_embd))
        w.add_tensor(b + "attn_q.weight", mat(q, shape.n_embd))
        w.add_tensor(b + "attn_k.weight", mat(kv, shape.n_embd))
        w.add_tensor(b + "attn_v.weight", mat(kv, shape.n_embd))
        w.add_tensor(b + "attn_q_norm.weight", ones(shape.head_dim))
        w.add_tensor(b + "attn_k_norm.weight", ones(shape.head_dim))
        w.add_tensor(b + "attn_output.weight", mat(shape.n_embd, q))
        w.add_tensor(b + "ffn_norm.weight", ones(shape.n_embd))
        w.add_tensor(b + "ffn_gate.weight", mat(shape.n_ff, shape.n_embd))
        w.add_tensor(b + "ffn_up.weight", mat(shape.n_ff, shape.n_embd))
        w.add_tensor(b + "ffn_down.weight", mat(shape.n_embd, shape.n_ff))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
