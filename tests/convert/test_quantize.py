"""llama.cpp quantization of converted models: sizes per bits-per-weight, closeness to f32, chat."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from .conftest import HFModel
from .helpers import llama_logits, log_softmax, open_llama

pytestmark = [pytest.mark.convert, pytest.mark.model, pytest.mark.slow]

# Tokens of real text for the KL / top-1 comparison (CONVERT_KL_TOKENS to change; 3072 in the report).
KL_TOKENS = int(os.environ.get("CONVERT_KL_TOKENS", "2048"))
WINDOW = 512


@functools.lru_cache(maxsize=8)
def _reader(path: Path) -> Any:
    from gguf import GGUFReader

    return GGUFReader(str(path))  # parsing a 49k-token vocabulary takes seconds: once per file


def _types(path: Path) -> list[Any]:
    return list(_reader(path).tensors)


def _bpw(tensors: list[Any]) -> float:
    n = sum(int(t.n_elements) for t in tensors)
    return 8 * sum(int(t.n_bytes) for t in tensors) / n


def _check_sizes(path: Path) -> dict[str, float]:
    """Every tensor is exactly n_elements x its type's bits per weight; the file is those tensors plus
    the header (tokenizer etc.)."""
    from gguf import GGML_QUANT_SIZES

    reader = _reader(path)
    data = 0
    for t in reader.tensors:
        block, size = GGML_QUANT_SIZES[t.tensor_type]
        assert int(t.n_bytes) == int(t.n_elements) // block * size, t.name
        data += (int(t.n_bytes) + 31) // 32 * 32
    header = reader.tensors[0].data_offset  # where the tensor data starts
    assert path.stat().st_size == header + data
    mats = [t for t in reader.tensors if len(t.shape) > 1]
    return {"matrices": _bpw(mats), "all": _bpw(list(reader.tensors)), "header_mib": header / 2**20}


def test_quantized_sizes_match_bits_per_weight(smol_quants: dict[str, Path], smol_f32: Path) -> None:
    from gguf import GGMLQuantizationType as T

    q8 = _check_sizes(smol_quants["Q8_0"])
    mats = [t for t in _types(smol_quants["Q8_0"]) if len(t.shape) > 1]
    assert {t.tensor_type for t in mats} == {T.Q8_0}
    assert q8["matrices"] == pytest.approx(8.5)
    assert {t.tensor_type for t in _types(smol_quants["Q8_0"]) if len(t.shape) == 1} == {T.F32}

    q4 = _check_sizes(smol_quants["Q4_K_M"])
    # SmolLM2's rows are 576 wide, not a multiple of the 256-element K-quant block, so llama.cpp falls
    # back to 32-element types there (Q5_0 for Q4_K, Q8_0 for Q6_K); the 1536-wide ffn_down rows get K-quants.
    for t in _types(smol_quants["Q4_K_M"]):
        if len(t.shape) > 1:
            allowed = {T.Q4_K, T.Q6_K} if int(t.shape[0]) % 256 == 0 else {T.Q5_0, T.Q5_1, T.Q8_0}
            assert t.tensor_type in allowed, (t.name, t.tensor_type)
    assert 4.5 <= q4["matrices"] <= 6.3
    f32_size, q8_size, q4_size = (p.stat().st_size for p in (smol_f32, smol_quants["Q8_0"], smol_quants["Q4_K_M"]))
    print(f"\nSmolLM2 135M: F32 {f32_size / 1e6:.1f} MB; Q8_0 {q8_size / 1e6:.1f} MB ({q8['matrices']:.3f} bpw "
          f"matrices, {q8['all']:.3f} all); Q4_K_M {q4_size / 1e6:.1f} MB ({q4['matrices']:.3f} bpw matrices, "
          f"{q4['all']:.3f} all); header {q8['header_mib']:.2f} MiB")


def test_q4_k_m_on_k_quant_friendly_shapes(qwen_hf: HFModel, tmp_path: Path) -> None:
    """With rows a multiple of 256 (like every real 1.5B-8B model) Q4_K_M is Q4_K + Q6_K, ~4.5-5.5 bpw."""
    from gguf import GGMLQuantizationType as T

    from assistant.core.convert.pipeline import convert_model

    path = convert_model(qwen_hf.dir, quant="Q4_K_M", out_dir=tmp_path)
    sizes = _check_sizes(path)
    mats = [t for t in _types(path) if len(t.shape) > 1]
    assert {t.tensor_type for t in mats} <= {T.Q4_K, T.Q6_K}
    assert next(t for t in mats if t.name == "output.weight").tensor_type == T.Q6_K
    assert 4.5 <= sizes["matrices"] <= 5.6
    print(f"\nQwen2 tiny Q4_K_M: {sizes['matrices']:.3f} bpw (matrices)")


def _reference_text() -> str:
    import pydoc_data.topics as topics

    # Python's reference documentation: real English prose with code, the same on every machine.
    return "\n\n".join(topics.topics[k] for k in ("assignment", "if", "while", "for", "try", "with", "function"))


def test_quantized_logits_stay_close_to_f32(smol_quants: dict[str, Path], smol_f32: Path) -> None:
    ref_llm = open_llama(smol_f32, n_ctx=WINDOW)
    tokens = ref_llm.tokenize(_reference_text().encode(), add_bos=False)[:KL_TOKENS]
    assert len(tokens) == KL_TOKENS
    llms = {q: open_llama(p, n_ctx=WINDOW) for q, p in smol_quants.items()}
    kl_sum = dict.fromkeys(llms, 0.0)
    top1 = dict.fromkeys(llms, 0)
    for w in range(0, len(tokens), WINDOW):
        chunk = tokens[w : w + WINDOW]
        ref = log_softmax(llama_logits(ref_llm, chunk))
        p_ref = np.exp(ref)
        for q, llm in llms.items():
            lp = log_softmax(llama_logits(llm, chunk))
            kl_sum[q] += float((p_ref * (ref - lp)).sum())
            top1[q] += int((ref.argmax(-1) == lp.argmax(-1)).sum())
    for llm in (ref_llm, *llms.values()):
        llm.close()
    kl = {q: kl_sum[q] / len(tokens) for q in llms}
    agree = {q: top1[q] / len(tokens) for q in llms}
    print(f"\nvs F32 over {len(tokens)} tokens: " + "; ".join(
        f"{q}: mean KL {kl[q]:.4f}, top-1 agreement {agree[q]:.1%}" for q in llms))
    assert kl["Q8_0"] < 0.02 and agree["Q8_0"] > 0.93
    assert kl["Q4_K_M"] < 0.15 and agree["Q4_K_M"] > 0.80
    assert kl["Q8_0"] < kl["Q4_K_M"]


def test_quantized_model_chats_through_the_app(smol_quants: dict[str, Path]) -> None:
    """The converted + quantized file is a model the app can use: LlamaCppBackend loads it and
    ChatTurn streams a reply."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.chat.prompting import PromptOptions, Sampling
    from assistant.core.chat.turn import ChatTurn, TurnOptions

    for q in ("Q4_K_M", "Q8_0"):
        backend = LlamaCppBackend(smol_quants[q], n_ctx=1024)
        try:
            assert backend.info.quantization == q
            assert backend.family.name == "chatml"
            options = TurnOptions(prompt=PromptOptions(maths=False),
                                  sampling=Sampling(temperature=0.0, max_tokens=24, seed=1))
            turn = ChatTurn(backend, [], "What is the capital of France?", options, cancel=threading.Event())
            pieces = [ev.text for ev in turn.events() if ev.kind == "answer"]
            assert turn.result is not None
            assert len(pieces) > 3 and "".join(pieces).strip()
            assert turn.result.answer.strip()
            print(f"\n{q}: {turn.result.answer.strip()[:80]!r}")
        finally:
            backend.close()


def test_convert_model_with_quant_keeps_only_the_result(qwen_hf: HFModel, app_home: Path) -> None:
    """Default destination is the models folder; the temporary master is gone afterwards."""
    from gguf import GGUFReader

    from assistant.core.convert.pipeline import convert_model
    from assistant.core.paths import app_paths

    seen: list[tuple[str, float]] = []
    path = convert_model(qwen_hf.dir, quant="q8_0", progress=lambda p: seen.append((p.stage, p.fraction)))
    models = app_paths().models_dir
    assert path == models / "Tiny-R1-Distill-Qwen-Q8_0.gguf"
    assert sorted(p.name for p in models.iterdir()) == [path.name]
    fields = GGUFReader(str(path)).fields
    assert int(fields["general.file_type"].contents()) == 7  # MOSTLY_Q8_0
    assert fields["general.name"].contents() == "Tiny-R1-Distill-Qwen"
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Quantizing" in m for m, _ in seen) and any("Converting" in m for m, _ in seen)
