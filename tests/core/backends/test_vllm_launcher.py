"""The vLLM launcher's decisions: the command line per GPU and checkpoint, GPU detection, availability.

The command lines are pinned in full: a flag that changes here changes what a user's GPU runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant.core.backends import vllm_server as vs
from assistant.core.backends.vllm_server import (
    Checkpoint,
    GpuInfo,
    build_vllm_command,
    parse_nvidia_smi,
    resolve_hf_model,
    vllm_stage,
)
from assistant.core.errors import ConfigError, InvalidModelError, ModelNotFoundError

T4 = GpuInfo("Tesla T4", (7, 5), 15360)
A10 = GpuInfo("NVIDIA A10", (8, 6), 23028)
L4 = GpuInfo("NVIDIA L4", (8, 9), 23034)
H100 = GpuInfo("NVIDIA H100 80GB HBM3", (9, 0), 81559)
V100 = GpuInfo("Tesla V100-SXM2-16GB", (7, 0), 16384)

R1_REPO = "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"


def write_ckpt(folder: Path, dtype: str = "bfloat16", quant: dict | None = None, max_pos: int = 131072) -> Checkpoint:
    folder.mkdir(parents=True, exist_ok=True)
    cfg = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "torch_dtype": dtype,
           "max_position_embeddings": max_pos}
    if quant:
        cfg["quantization_config"] = quant
    (folder / "config.json").write_text(json.dumps(cfg))
    return Checkpoint.read(folder)


@pytest.fixture
def bf16(tmp_path: Path) -> Checkpoint:
    return write_ckpt(tmp_path / "DeepSeek-R1-Distill-Qwen-1.5B", "bfloat16")


@pytest.fixture
def awq(tmp_path: Path) -> Checkpoint:
    return write_ckpt(tmp_path / "DeepSeek-R1-Distill-Qwen-1.5B-AWQ", "float16",
                      {"quant_method": "awq", "bits": 4, "group_size": 128, "version": "gemm"})


def cmd(ckpt: Checkpoint, gpu: GpuInfo | None, **kw: object) -> list[str]:
    kw.setdefault("reasoning_parser", "deepseek_r1")
    return build_vllm_command(ckpt, gpu=gpu, served_name="deepseek-r1-distill-qwen-1.5b", port=8123,
                              python="/opt/py/bin/python", **kw)  # type: ignore[arg-type]


def expected(ckpt: Checkpoint, dtype: str, *extra: str, util: str = "0.8", max_len: str = "8192") -> list[str]:
    return ["/opt/py/bin/python", "-m", "vllm.entrypoints.openai.api_server", "--model", str(ckpt.path),
            "--dtype", dtype, "--gpu-memory-utilization", util, "--max-model-len", max_len,
            "--served-model-name", "deepseek-r1-distill-qwen-1.5b", "--host", "127.0.0.1", "--port", "8123", *extra]


R1 = ("--reasoning-parser", "deepseek_r1")


# --- the command line, pinned --------------------------------------------------------------------

def test_t4_bf16_checkpoint_runs_in_half(bf16: Checkpoint) -> None:
    # The article's --dtype bfloat16 fails on a T4 (compute capability 7.5 has no bf16).
    assert cmd(bf16, T4) == expected(bf16, "half", *R1)


def test_t4_awq_checkpoint(awq: Checkpoint) -> None:
    assert cmd(awq, T4) == expected(awq, "half", "--quantization", "awq", *R1)


@pytest.mark.parametrize("gpu", [A10, L4, H100], ids=["A10-8.6", "L4-8.9", "H100-9.0"])
def test_ampere_and_newer_bf16_checkpoint_keeps_bfloat16(bf16: Checkpoint, gpu: GpuInfo) -> None:
    assert cmd(bf16, gpu) == expected(bf16, "bfloat16", *R1)


@pytest.mark.parametrize("gpu", [A10, L4, H100], ids=["A10-8.6", "L4-8.9", "H100-9.0"])
def test_ampere_and_newer_awq_checkpoint(awq: Checkpoint, gpu: GpuInfo) -> None:
    assert cmd(awq, gpu) == expected(awq, "half", "--quantization", "awq", *R1)


def test_fp16_and_fp32_checkpoints_on_h100(tmp_path: Path) -> None:
    fp16 = write_ckpt(tmp_path / "a", "float16")
    fp32 = write_ckpt(tmp_path / "b", "float32")
    assert cmd(fp16, H100)[cmd(fp16, H100).index("--dtype") + 1] == "half"
    assert cmd(fp32, H100)[cmd(fp32, H100).index("--dtype") + 1] == "auto"
    assert cmd(fp32, T4)[cmd(fp32, T4).index("--dtype") + 1] == "half"


def test_no_awq_flag_for_other_quantizations(tmp_path: Path) -> None:
    gptq = write_ckpt(tmp_path / "g", "float16", {"quant_method": "gptq", "bits": 4})
    argv = cmd(gptq, H100)
    assert "--quantization" not in argv  # vLLM reads gptq from config.json itself


def test_cpu_mode_and_settings(bf16: Checkpoint) -> None:
    argv = cmd(bf16, None, gpu_memory_utilization=0.3, max_model_len=2048, reasoning_parser=None)
    assert argv == expected(bf16, "float32", "--enforce-eager", util="0.3", max_len="2048")


def test_max_model_len_is_bounded_by_the_model(tmp_path: Path) -> None:
    short = write_ckpt(tmp_path / "s", "bfloat16", max_pos=4096)
    argv = cmd(short, H100, max_model_len=32768)
    assert argv[argv.index("--max-model-len") + 1] == "4096"


def test_bad_values_are_config_errors(bf16: Checkpoint, awq: Checkpoint) -> None:
    with pytest.raises(ConfigError, match=r"between 0\.05 and 0\.99"):
        cmd(bf16, T4, gpu_memory_utilization=1.5)
    with pytest.raises(ConfigError, match="at least 256"):
        cmd(bf16, T4, max_model_len=10)
    with pytest.raises(ConfigError, match=r"AWQ models need compute capability 7\.5"):
        cmd(awq, V100)


def test_reasoning_parser_chosen_for_r1_models() -> None:
    from assistant.core.models.catalog import get_entry

    assert vs.is_r1_model("deepseek-r1-distill-qwen-1.5b", get_entry("deepseek-r1-distill-qwen-1.5b"))
    assert vs.is_r1_model("DeepSeek-R1-Distill-Qwen-1.5B-AWQ")
    assert not vs.is_r1_model("smollm2-135m-instruct", get_entry("smollm2-135m-instruct"))
    assert not vs.is_r1_model("Qwen2.5-1.5B-Instruct")


# --- reading the checkpoint ----------------------------------------------------------------------

def test_checkpoint_reads_dtype_and_quantization(bf16: Checkpoint, awq: Checkpoint, tmp_path: Path) -> None:
    assert (bf16.dtype, bf16.quantization, bf16.is_awq, bf16.max_position_embeddings) == ("bfloat16", "", False, 131072)
    assert (awq.dtype, awq.quantization, awq.is_awq) == ("float16", "awq", True)
    newer = tmp_path / "n"
    newer.mkdir()
    (newer / "config.json").write_text(json.dumps({"dtype": "bfloat16", "text_config": {"max_position_embeddings": 9}}))
    assert Checkpoint.read(newer).dtype == "bfloat16" and Checkpoint.read(newer).max_position_embeddings == 9


def test_checkpoint_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError):
        Checkpoint.read(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidModelError, match=r"no config\.json"):
        Checkpoint.read(tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "config.json").write_text("{not json")
    with pytest.raises(InvalidModelError, match="cannot be read"):
        Checkpoint.read(tmp_path / "bad")


def test_resolve_hf_model(app_home: Path, bundled_model: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidModelError, match="not GGUF files"):
        resolve_hf_model(str(bundled_model))
    with pytest.raises(ModelNotFoundError) as info:
        resolve_hf_model("deepseek-r1-distill-qwen-1.5b")  # nothing downloaded: no network, a hint instead
    assert "Hugging Face (safetensors) version" in info.value.hint
    from assistant.core.paths import app_paths

    folder = app_paths().models_dir / "DeepSeek-R1-Distill-Qwen-1.5B"
    write_ckpt(folder)
    for spec in ("deepseek-r1-distill-qwen-1.5b", R1_REPO):
        hf = resolve_hf_model(spec)
        assert (hf.path, hf.served_name) == (folder, "deepseek-r1-distill-qwen-1.5b")
        assert hf.entry is not None and hf.entry.family == "deepseek-r1"
    other = write_ckpt(tmp_path / "my-model").path
    assert resolve_hf_model(str(other)).served_name == "my-model"


# --- GPU detection and availability --------------------------------------------------------------

# Captured on the project's H200 machine (driver 580): `nvidia-smi --query-gpu=name,compute_cap,memory.total
# --format=csv,noheader,nounits`, and the same without compute_cap (the form old drivers are limited to).
# torch.cuda.get_device_capability(0) said (9, 0) there.
H200_SMI = "NVIDIA H200, 9.0, 143771\n"
H200_SMI_NO_CC = "NVIDIA H200, 143771\n"


def test_parse_nvidia_smi() -> None:
    assert parse_nvidia_smi(H200_SMI) == [GpuInfo("NVIDIA H200", (9, 0), 143771)]
    assert parse_nvidia_smi(H200_SMI_NO_CC) == parse_nvidia_smi(H200_SMI)
    two = "Tesla T4, 7.5, 15360\nNVIDIA A10, 8.6, 23028\n"
    assert [g.cc for g in parse_nvidia_smi(two)] == ["7.5", "8.6"]
    old_driver = "Tesla T4, 15360\nNVIDIA L4, 23034\nSome Unknown GPU, 1024\n"
    assert parse_nvidia_smi(old_driver) == [GpuInfo("Tesla T4", (7, 5), 15360), GpuInfo("NVIDIA L4", (8, 9), 23034)]
    assert parse_nvidia_smi("NVIDIA A100-SXM4-40GB, [N/A], 40960")[0].compute_capability == (8, 0)
    assert parse_nvidia_smi("") == []
    assert not T4.has_bf16 and A10.has_bf16 and "7.5" in T4.describe()


def test_vllm_available_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vs, "detect_gpus", lambda: ())
    ok, why = vs.vllm_available()
    assert not ok and "NVIDIA GPU" in why
    monkeypatch.setattr(vs, "detect_gpus", lambda: (GpuInfo("Tesla P100", (6, 0), 16000),))
    ok, why = vs.vllm_available()
    assert not ok and "older than vLLM supports" in why
    monkeypatch.setattr(vs, "detect_gpus", lambda: (T4,))
    ok, why = vs.vllm_available()  # the test environment has no vllm in its own Python
    assert not ok and "pip install 'assistant[vllm]'" in why
    monkeypatch.setattr(vs, "vllm_importable", lambda python=None: True)
    assert vs.vllm_available() == (True, "vLLM can run on Tesla T4 (compute capability 7.5, 15 GiB).")


def test_vllm_available_on_this_machine_does_not_import_vllm() -> None:
    vs.detect_gpus.cache_clear()
    ok, why = vs.vllm_available()
    assert isinstance(ok, bool) and why
    assert "vllm" not in sys.modules


def test_vllm_importable_checks_the_other_python(tmp_path: Path) -> None:
    assert vs.vllm_importable(sys.executable) is False  # the app's own environment stays light
    assert vs.vllm_importable(str(tmp_path / "no-such-python")) is False


def test_launch_refuses_without_gpu_or_vllm(bf16: Checkpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vs, "detect_gpus", lambda: ())
    with pytest.raises(ConfigError, match="needs an NVIDIA GPU"):
        vs.launch_vllm(bf16.path)
    with pytest.raises(ConfigError, match="not installed"):
        vs.launch_vllm(bf16.path, device="cpu", python=sys.executable)
    with pytest.raises(ConfigError, match="Unknown vLLM device"):
        vs.launch_vllm(bf16.path, device="tpu")


def test_open_backend_vllm_without_gpu_is_a_clear_error(bf16: Checkpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.backends import open_backend
    from assistant.core.settings import Settings

    monkeypatch.setattr(vs, "detect_gpus", lambda: ())
    with pytest.raises(ConfigError, match="needs an NVIDIA GPU") as info:
        open_backend(Settings(backend="vllm", model=str(bf16.path)))
    assert "llama.cpp" in info.value.hint
    with pytest.raises(InvalidModelError, match="not GGUF files"):
        open_backend(Settings(backend="vllm", model="model.gguf"))


def test_progress_stages_from_the_log() -> None:
    assert vllm_stage("INFO Starting to load model /m...\n") == ("vLLM: Loading the weights", 0.3)
    assert vllm_stage("x\nINFO Model loading took 0.5 GiB\n")[1] == 0.5  # type: ignore[index]
    assert vllm_stage("INFO:     Application startup complete.") == ("vLLM: Starting the API", 0.95)
    assert vllm_stage("nothing to see") is None
