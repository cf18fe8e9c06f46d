"""The catalog data: complete, consistent with itself, and (for the bundled model) with the real file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.core.chat.prompting import FAMILIES
from assistant.core.errors import ConfigError, ModelNotFoundError
from assistant.core.models.catalog import load_catalog, resolve_model, verify_file
from assistant.core.models.gguf_check import SUPPORTED_ARCHITECTURES, validate

REQUIRED = {
    "smollm2-135m-instruct": {"Q4_1"},
    "deepseek-r1-distill-qwen-1.5b": {"Q4_K_M", "Q8_0"},
    "deepseek-r1-distill-qwen-7b": {"Q4_K_M"},
    "qwen2.5-1.5b-instruct": {"Q4_K_M"},
}


def test_required_entries_and_sources() -> None:
    catalog = load_catalog()
    for model_id, quants in REQUIRED.items():
        assert model_id in catalog
        assert quants <= set(catalog[model_id].quantizations())
    src = catalog["deepseek-r1-distill-qwen-1.5b"].sources["safetensors"]
    assert src["repo"] == "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"


@pytest.mark.parametrize("entry", list(load_catalog().values()), ids=lambda e: e.id)
def test_entry_is_complete_and_consistent(entry) -> None:  # type: ignore[no-untyped-def]
    assert entry.family in FAMILIES and entry.architecture in SUPPORTED_ARCHITECTURES
    assert 0 < entry.n_ctx <= entry.context_length
    assert entry.n_layers and entry.vocab_size and entry.license
    raw = entry.raw
    if entry.kind == "embedding":  # an encoder generates nothing and keeps no KV cache between calls
        assert not entry.sampling and entry.kv_bytes_per_token == 0
    else:
        assert {"temperature", "top_p"} <= set(entry.sampling)
        assert entry.kv_bytes_per_token == 2 * 2 * raw["n_layers"] * raw["n_kv_heads"] * raw["head_dim"]
    for quant in entry.quantizations():
        spec = entry.file_spec(quant)
        assert spec["file"].endswith(".gguf") and int(spec["size"]) > 0
        assert spec["sha256"] is None or re.fullmatch(r"[0-9a-f]{64}", spec["sha256"])
        # RAM per quantization in the data file = the estimate the app computes (they must not drift).
        assert abs(entry.ram_gb[quant] - entry.memory_needed(quant) / 1e9) < 0.02, quant
        assert entry.fit(quant) in ("fits", "tight", "won't fit")
    assert entry.recommended_quant in entry.quantizations()
    with pytest.raises(ConfigError):
        entry.file_spec("Q3_NOPE")
    for src in entry.sources.values():
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", src["repo"])


def test_bundled_entry_matches_the_real_file(bundled_model: Path) -> None:
    entry = load_catalog()["smollm2-135m-instruct"]
    spec = entry.file_spec()
    verify_file(bundled_model, spec["size"], spec["sha256"], use_stamp=False)  # real sha256 of the bytes
    info = validate(bundled_model)
    assert info.architecture == entry.architecture and info.context_length == entry.context_length
    assert info.kv_bytes_per_token == entry.kv_bytes_per_token and info.vocab_size == entry.vocab_size
    assert info.block_count == entry.n_layers and info.parameters == entry.parameters
    assert entry.local_file() == bundled_model


def test_resolving_catalog_ids() -> None:
    assert resolve_model("smollm2-135m-instruct").entry is not None
    with pytest.raises(ModelNotFoundError) as info:
        resolve_model("deepseek-r1-distill-qwen-1.5b")
    assert "assistant models download deepseek-r1-distill-qwen-1.5b" in info.value.hint
