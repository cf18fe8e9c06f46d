"""Importing LoRA adapters: a real PEFT folder converted to a GGUF LoRA and checked against the base; bad
adapters (other base, DoRA, unsupported targets, damaged files) refused with a clear error, leaving nothing
behind."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import gguf
import numpy as np
import pytest
from safetensors.numpy import save_file

from assistant.core.convert.lora import BaseShape, inspect_gguf_lora, plan_lora
from assistant.core.errors import AdapterError, AdapterMismatchError, AssistantError, UnsupportedAdapterError
from assistant.core.models.lora import (
    adapters_dir,
    base_shape,
    find_adapter,
    import_adapter,
    list_adapters,
    parse_lora_arg,
    remove_adapter,
    resolve_adapters,
)

# R1-1.5B's sizes (qwen2): an adapter trained for it must not go onto SmolLM2, and the reverse.
R1 = BaseShape("qwen2", 28, 1536, 12, 2, 128, 8960, "DeepSeek-R1-Distill-Qwen-1.5B")


def fake_peft(folder: Path, *, d_in: int = 576, d_q: int = 576, r: int = 4, extra: dict | None = None,
              tensors: dict[str, np.ndarray] | None = None) -> Path:
    """A small PEFT folder with the layout PEFT writes (layer 0's q_proj), for the refusal cases."""
    folder.mkdir(parents=True, exist_ok=True)
    cfg = {"peft_type": "LORA", "r": r, "lora_alpha": 8, "target_modules": ["q_proj"], "bias": "none",
           "base_model_name_or_path": "HuggingFaceTB/SmolLM2-135M-Instruct", **(extra or {})}
    (folder / "adapter_config.json").write_text(json.dumps(cfg), encoding="utf-8")
    rng = np.random.default_rng(0)
    pre = "base_model.model.model.layers.0.self_attn.q_proj"
    data = tensors if tensors is not None else {
        f"{pre}.lora_A.weight": rng.normal(size=(r, d_in)).astype(np.float32),
        f"{pre}.lora_B.weight": rng.normal(size=(d_q, r)).astype(np.float32)}
    save_file(data, str(folder / "adapter_model.safetensors"))
    return folder


def library_files() -> list[str]:
    d = adapters_dir()
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


@pytest.mark.model
@pytest.mark.convert
def test_peft_folder_becomes_a_gguf_lora_checked_against_the_base(peft_adapter: Path, bundled_model: Path) -> None:
    a = import_adapter(peft_adapter, name="ahoy")  # the base is found from adapter_config.json
    assert a.base == bundled_model.name and a.rank == 8 and a.alpha == 16.0
    assert a.targets == ["q_proj", "k_proj", "v_proj", "o_proj"]
    assert library_files() == ["ahoy.gguf", "ahoy.json", "ahoy.peft"]
    lora = inspect_gguf_lora(a.path, base_shape(bundled_model))
    assert len(lora.tensors) == 6 * 4 * 2  # top 6 layers x q/k/v/o x (A, B)
    # llama.cpp's layout: lora_a is (ne0=in, ne1=r), lora_b is (ne0=r, ne1=out), named after the base tensor.
    assert lora.tensors["blk.29.attn_q.weight.lora_a"] == (576, 8)
    assert lora.tensors["blk.29.attn_k.weight.lora_b"] == (8, 192)
    reader = gguf.GGUFReader(a.path)
    assert reader.fields["general.type"].contents() == "adapter"
    assert reader.fields["adapter.type"].contents() == "lora"
    assert reader.fields["general.architecture"].contents() == "llama"
    # Values: lora_a exact; lora_b of q is row-permuted like the base's q (Llama rope layout in GGUF).
    from safetensors.numpy import load_file

    src = load_file(str(peft_adapter / "adapter_model.safetensors"))
    pre = "base_model.model.model.layers.29.self_attn"
    got = {t.name: np.array(t.data) for t in reader.tensors}
    assert np.array_equal(got["blk.29.attn_v.weight.lora_a"], src[f"{pre}.v_proj.lora_A.weight"])
    b_q = src[f"{pre}.q_proj.lora_B.weight"]
    assert not np.array_equal(got["blk.29.attn_q.weight.lora_b"], b_q)
    assert np.array_equal(np.sort(got["blk.29.attn_q.weight.lora_b"], axis=0), np.sort(b_q, axis=0))
    assert [x.name for x in list_adapters()] == ["ahoy"]
    assert find_adapter("ahoy").path == a.path
    # An existing GGUF LoRA imports as it is (header checked), under a free name.
    b = import_adapter(a.path, base=bundled_model.name)
    assert b.name == "ahoy-2" and b.path.read_bytes() == a.path.read_bytes()
    assert resolve_adapters(["ahoy:0.25", "ahoy-2"], bundled_model)[0].scale == 0.25
    remove_adapter("ahoy-2")
    assert library_files() == ["ahoy.gguf", "ahoy.json", "ahoy.peft"]


@pytest.mark.model
def test_an_adapter_for_another_base_is_refused_and_nothing_is_left(tmp_path: Path, bundled_model: Path) -> None:
    # Trained for R1 (hidden 1536): SmolLM2's q_proj is 576x576.
    src = fake_peft(tmp_path / "r1-legal", d_in=1536, d_q=1536,
                    extra={"base_model_name_or_path": "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"})
    with pytest.raises(AdapterMismatchError, match=r"layer 0 q_proj is 1536x1536 in the adapter but 576x576"):
        import_adapter(src, base=bundled_model.name)
    assert library_files() == []
    # Without --base, the base it names must be on disk: a clear error naming it.
    with pytest.raises(AssistantError, match=r"DeepSeek-R1-Distill-Qwen-1.5B") as exc:
        import_adapter(src)
    assert "--base" in exc.value.hint
    # A layer the base does not have.
    deep = fake_peft(tmp_path / "deep", tensors={
        "base_model.model.model.layers.40.self_attn.q_proj.lora_A.weight": np.zeros((4, 576), np.float32),
        "base_model.model.model.layers.40.self_attn.q_proj.lora_B.weight": np.zeros((576, 4), np.float32)})
    with pytest.raises(AdapterMismatchError, match="layer 40"):
        import_adapter(deep, base=bundled_model.name)
    assert library_files() == []


@pytest.mark.model
@pytest.mark.convert
def test_a_gguf_lora_for_another_base_is_refused(peft_adapter: Path, bundled_model: Path, tmp_path: Path) -> None:
    from assistant.core.convert.lora import convert_lora

    smol = base_shape(bundled_model)
    made = convert_lora(plan_lora(peft_adapter, smol), tmp_path / "ahoy.gguf")
    with pytest.raises(AdapterMismatchError, match="'llama' models"):
        inspect_gguf_lora(made, R1)


@pytest.mark.parametrize(("extra", "tensors", "message"), [
    ({"use_dora": True}, None, "DoRA"),
    ({}, {"base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector": np.ones(576, np.float32)},
     "DoRA"),
    ({"peft_type": "IA3"}, None, "IA3 adapter"),
    ({"modules_to_save": ["lm_head"]}, None, "modules_to_save"),
    ({"bias": "all"}, None, "trains biases"),
    ({"rank_pattern": {"q_proj": 8}}, None, "per-module ranks"),
    ({}, {"base_model.model.lm_head.lora_A.weight": np.zeros((4, 576), np.float32),
          "base_model.model.lm_head.lora_B.weight": np.zeros((49152, 4), np.float32)}, "output layer"),
    ({}, {"base_model.model.model.embed_tokens.lora_embedding_A": np.zeros((4, 49152), np.float32)},
     "token embeddings"),
    ({}, {"base_model.model.model.layers.0.self_attn.rotary.lora_A.weight": np.zeros((4, 576), np.float32),
          "base_model.model.model.layers.0.self_attn.rotary.lora_B.weight": np.zeros((576, 4), np.float32)},
     "does not support"),
])
def test_unsupported_variants_are_named(tmp_path: Path, extra: dict, tensors: dict | None, message: str) -> None:
    src = fake_peft(tmp_path / "x", extra=extra, tensors=tensors)
    smol = BaseShape("llama", 30, 576, 9, 3, 64, 1536, "SmolLM2")
    with pytest.raises(UnsupportedAdapterError, match=message):
        plan_lora(src, smol)


def test_rslora_is_written_as_an_equivalent_alpha(tmp_path: Path) -> None:
    smol = BaseShape("llama", 30, 576, 9, 3, 64, 1536, "SmolLM2")
    assert plan_lora(fake_peft(tmp_path / "a", r=4), smol).alpha == 8.0
    plan = plan_lora(fake_peft(tmp_path / "b", r=4, extra={"use_rslora": True}), smol)
    assert math.isclose(plan.alpha / plan.rank, 8 / math.sqrt(4))  # llama.cpp's alpha/r == rsLoRA's alpha/sqrt(r)


@pytest.mark.model
def test_damaged_adapters_give_clear_errors_and_leave_nothing(tmp_path: Path, bundled_model: Path) -> None:
    good = fake_peft(tmp_path / "good")
    # A truncated safetensors file.
    cut = tmp_path / "cut"
    shutil.copytree(good, cut)
    data = (cut / "adapter_model.safetensors").read_bytes()
    (cut / "adapter_model.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(AssistantError, match=r"truncated|outside the file|corrupt"):
        import_adapter(cut, base=bundled_model.name)
    # No config, broken config.
    (tmp_path / "empty").mkdir()
    with pytest.raises(AdapterError, match=r"adapter_config.json is missing"):
        import_adapter(tmp_path / "empty", base=bundled_model.name)
    broken = tmp_path / "broken"
    shutil.copytree(good, broken)
    (broken / "adapter_config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(AdapterError, match=r"adapter_config.json cannot be read"):
        import_adapter(broken, base=bundled_model.name)
    # A GGUF LoRA cut short; a full model offered as an adapter; not a GGUF at all.
    made = import_adapter(good, base=bundled_model.name, name="good")
    half = tmp_path / "half.gguf"
    half.write_bytes(made.path.read_bytes()[:300])
    remove_adapter("good")
    with pytest.raises(AdapterError, match="damaged"):
        import_adapter(half, base=bundled_model.name)
    with pytest.raises(AdapterError, match="not a LoRA adapter"):
        import_adapter(bundled_model, base=bundled_model.name)
    text = tmp_path / "notes.gguf"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(AdapterError, match="not a GGUF file"):
        import_adapter(text, base=bundled_model.name)
    assert library_files() == []  # no .partial, no half-written json


def test_lora_argument_parsing() -> None:
    assert parse_lora_arg("ahoy") == ("ahoy", 1.0)
    assert parse_lora_arg("ahoy:0.5") == ("ahoy", 0.5)
    assert parse_lora_arg("C:\\adapters\\x.gguf") == ("C:\\adapters\\x.gguf", 1.0)
    assert parse_lora_arg("/a/b:c.gguf:-1") == ("/a/b:c.gguf", -1.0)
