"""Bad input and interruptions: clear AssistantErrors, and nothing left behind in the destination."""

from __future__ import annotations

import contextlib
import json
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.core import disk
from assistant.core.convert import pipeline as convert_mod
from assistant.core.convert.pipeline import (
    ConversionError,
    UnsupportedArchitectureError,
    convert_model,
    plan_conversion,
)
from assistant.core.convert.quantize import quantize_gguf
from assistant.core.errors import (
    AssistantError,
    CancelledError,
    DiskFullError,
    InvalidModelError,
    ModelNotFoundError,
    UnsupportedModelError,
)
from assistant.core.progress import Progress

from .conftest import HFModel

pytestmark = pytest.mark.convert


@pytest.fixture
def model_copy(qwen_hf: HFModel, tmp_path: Path) -> Path:
    """A private copy of the tiny Qwen2 folder that a test may damage."""
    dst = tmp_path / "src" / qwen_hf.dir.name
    shutil.copytree(qwen_hf.dir, dst)
    return dst


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _edit_config(folder: Path, **changes: object) -> None:
    cfg = json.loads((folder / "config.json").read_text())
    cfg.update(changes)
    (folder / "config.json").write_text(json.dumps(cfg))


@pytest.mark.parametrize("arch", ["GPT2LMHeadModel", "MistralForCausalLM", "Qwen3MoeForCausalLM"])
def test_unsupported_architecture(model_copy: Path, tmp_path: Path, arch: str) -> None:
    _edit_config(model_copy, architectures=[arch])
    out = tmp_path / "out"
    with pytest.raises(UnsupportedArchitectureError) as err:
        convert_model(model_copy, out_dir=out)
    supported = "LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM"
    assert f"unsupported architecture: {arch}; supported: {supported}" in err.value.message
    assert isinstance(err.value, UnsupportedModelError) and err.value.hint
    assert _leftovers(out) == []  # refused before any work: the folder was not even created


def test_missing_folder_and_files(model_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ModelNotFoundError):
        convert_model(tmp_path / "nope", out_dir=out)
    with pytest.raises(InvalidModelError, match="it is a file"):
        convert_model(model_copy / "config.json", out_dir=out)

    (model_copy / "tokenizer.json").rename(model_copy / "tokenizer.json.bak")
    with pytest.raises(InvalidModelError, match=r"tokenizer\.json is missing"):
        convert_model(model_copy, out_dir=out)
    (model_copy / "tokenizer.json.bak").rename(model_copy / "tokenizer.json")

    weights = model_copy / "model.safetensors"
    weights.rename(model_copy / "pytorch_model.bin")
    with pytest.raises(InvalidModelError, match=r"no \.safetensors weights") as err:
        convert_model(model_copy, out_dir=out)
    assert "pytorch_model.bin" in err.value.message and "safetensors" in err.value.hint

    # a sharded checkpoint whose index names a shard that is not there
    (model_copy / "pytorch_model.bin").rename(model_copy / "model-00001-of-00002.safetensors")
    index = {"metadata": {}, "weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                                            "lm_head.weight": "model-00002-of-00002.safetensors"}}
    (model_copy / "model.safetensors.index.json").write_text(json.dumps(index))
    with pytest.raises(InvalidModelError, match=r"model-00002-of-00002\.safetensors"):
        convert_model(model_copy, out_dir=out)

    (model_copy / "model.safetensors.index.json").unlink()
    (model_copy / "config.json").unlink()
    with pytest.raises(InvalidModelError, match=r"config\.json is missing"):
        convert_model(model_copy, out_dir=out)
    assert _leftovers(out) == []


def test_missing_and_unknown_weights_are_named(model_copy: Path) -> None:
    import torch
    from safetensors.numpy import save_file as save_np
    from safetensors.torch import load_file, save_file

    weights = model_copy / "model.safetensors"
    state = load_file(str(weights))
    bias = state.pop("model.layers.1.self_attn.k_proj.bias")
    save_file(state, str(weights))
    with pytest.raises(InvalidModelError, match=r"weights are missing: blk\.1\.attn_k\.bias"):
        plan_conversion(model_copy)
    state["model.layers.1.self_attn.k_proj.bias"] = bias
    state["vision_tower.proj.weight"] = torch.zeros(4, 4, dtype=torch.bfloat16)
    save_file(state, str(weights))
    with pytest.raises(UnsupportedModelError, match="vision_tower"):
        plan_conversion(model_copy)
    # int8 weights (a quantized checkpoint) are refused by their data type
    save_np({"model.embed_tokens.weight": np.zeros((2, 2), np.int8)}, str(weights))
    with pytest.raises(UnsupportedModelError, match="data type I8"):
        plan_conversion(model_copy)


def _corrupt(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    (n,) = struct.unpack("<Q", data[:8])
    if how == "length":
        data[:8] = struct.pack("<Q", len(data) * 10)
    elif how == "json":
        data[8:16] = b"#garbage"
    elif how == "offsets":
        # a shape that no longer fits the byte range (same header length, valid JSON)
        at = data.index(b"256]", 8, 8 + n)
        data[at : at + 4] = b"512]"
    elif how == "truncated":
        del data[len(data) // 2 :]
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["length", "json", "offsets", "truncated"])
def test_corrupt_safetensors(model_copy: Path, tmp_path: Path, how: str) -> None:
    _corrupt(model_copy / "model.safetensors", how)
    out = tmp_path / "out"
    with pytest.raises(InvalidModelError) as err:
        convert_model(model_copy, out_dir=out)
    assert "model.safetensors" in err.value.message
    assert "corrupt" in err.value.message or "outside the file" in err.value.message
    assert _leftovers(out) == []


def test_bad_options(qwen_hf: HFModel, tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="Unknown quantization type 'Q9_X'"):
        convert_model(qwen_hf.dir, quant="Q9_X", out_dir=tmp_path)
    with pytest.raises(ConversionError, match="Unknown output type"):
        convert_model(qwen_hf.dir, outtype="f8", out_dir=tmp_path)
    assert _leftovers(tmp_path) == []


def test_existing_file_is_not_overwritten(qwen_hf: HFModel, tmp_path: Path) -> None:
    target = tmp_path / "Tiny-R1-Distill-Qwen-BF16.gguf"
    target.write_bytes(b"keep me")
    with pytest.raises(ConversionError, match="already exists"):
        convert_model(qwen_hf.dir, out_dir=tmp_path)
    assert target.read_bytes() == b"keep me"
    assert _leftovers(tmp_path) == [target.name]


def test_f16_overflow_is_an_error_not_inf(model_copy: Path, tmp_path: Path) -> None:
    """bf16 reaches 3e38; float16 stops at 65504. An explicit f16 request on such weights fails."""
    from safetensors.torch import load_file, save_file

    weights = model_copy / "model.safetensors"
    state = load_file(str(weights))
    state["model.layers.0.mlp.up_proj.weight"][3, 5] = 1.0e5  # 99840 in bf16
    save_file(state, str(weights))
    out = tmp_path / "out"
    with pytest.raises(ConversionError, match=r"blk\.0\.ffn_up\.weight has values up to 9\.984e\+04") as err:
        convert_model(model_copy, outtype="f16", out_dir=out)
    assert "bf16" in (err.value.hint or "")
    assert _leftovers(out) == []
    # the default keeps bf16 and so the value
    path = convert_model(model_copy, out_dir=out)
    assert path.name.endswith("-BF16.gguf")


def test_cancel_during_conversion_leaves_nothing(smol_hf: HFModel, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[float] = []

    def progress(p: Progress) -> None:
        frac = p.fraction or 0.0
        seen.append(frac)
        if frac > 0.2:
            cancel.set()

    out = tmp_path / "out"
    with pytest.raises(CancelledError):
        convert_model(smol_hf.dir, outtype="f16", quant="Q4_K_M", out_dir=out, progress=progress, cancel=cancel)
    assert 0.2 < max(seen) < 0.4  # stopped while converting, not at the end
    assert _leftovers(out) == []


def test_cancel_during_quantization_kills_llama_cpp(qwen_hf: HFModel, smol_f32: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def progress(p: Progress) -> None:
        msg = p.stage
        seen.append(msg)
        if "tensors)" in msg:  # the child process has started quantizing
            cancel.set()

    out = tmp_path / "out"
    with pytest.raises(CancelledError):
        quantize_gguf(smol_f32, out / "x-Q4_K_M.gguf", "Q4_K_M", progress=progress, cancel=cancel)
    assert _leftovers(out) == []
    assert not any(p for p in _child_processes() if "assistant.core.convert.quantize" in p)


def _child_processes() -> list[str]:
    import os

    import psutil

    return [" ".join(c.cmdline()) for c in psutil.Process(os.getpid()).children(recursive=True)]


def test_quantizing_a_quantized_file_is_refused(bundled_model: Path, tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="already quantized"):
        quantize_gguf(bundled_model, tmp_path / "x.gguf", "Q4_K_M")
    assert _leftovers(tmp_path) == []


def test_not_enough_space_is_checked_first(qwen_hf: HFModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disk, "free_bytes", lambda folder: 1024)
    with pytest.raises(DiskFullError, match="GiB of free space") as err:
        convert_model(qwen_hf.dir, out_dir=tmp_path)
    assert isinstance(err.value, AssistantError) and err.value.hint
    assert _leftovers(tmp_path) == []


@contextlib.contextmanager
def _tiny_filesystem(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True)
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({res.stderr.decode().strip() or 'not root'}); "
                    "the disk-space check itself is covered by test_not_enough_space_is_checked_first")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_real_full_disk(qwen_hf: HFModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a real 1 MiB filesystem: the free-space check refuses; and if the disk fills up anyway
    (the check is bypassed here), the write error becomes DiskFullError and the partial file goes."""
    with _tiny_filesystem(tmp_path / "small", "1m") as small:
        with pytest.raises(DiskFullError):
            convert_model(qwen_hf.dir, out_dir=small)
        assert _leftovers(small) == []
        monkeypatch.setattr(convert_mod, "check_free_space", lambda *a, **k: None)
        with pytest.raises(DiskFullError, match="filled up"):
            convert_model(qwen_hf.dir, out_dir=small)
        assert _leftovers(small) == []
