"""llama.cpp's Vulkan module on a real Vulkan device: lavapipe, Mesa's software Vulkan (a CPU device,
which ggml leaves out unless GGML_VK_VISIBLE_DEVICES names it, as these tests do).

Each test runs the model in a child process: once loaded, the Vulkan module stays in a process, and the
rest of the suite runs on the CPU.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.runtime import ggml_probe
from assistant.core.runtime.vulkan_devices import list_devices

REQUIRED = os.environ.get("ASSISTANT_REQUIRE_VULKAN") == "1"  # set by bootstrap.sh test: CI must run these


def _lavapipe_index() -> int | None:
    """lavapipe's index in the Vulkan loader's list (the app's own listing: no vulkaninfo needed)."""
    return next((d.index for d in list_devices() if d.software and "llvmpipe" in d.name.lower()), None)


def _why_not() -> str:
    if ggml_probe.vulkan_module() is None:
        return "this llama.cpp build has no Vulkan module (bootstrap.sh builds it where glslc is installed)"
    if _lavapipe_index() is None:
        return "no lavapipe device (mesa-vulkan-drivers, which bootstrap.sh test installs)"
    return ""


if _why_not():
    if REQUIRED:
        pytest.fail(f"Vulkan tests required but {_why_not()}", pytrace=False)
    pytestmark = pytest.mark.skip(reason=_why_not())

CHILD = r"""
import json, os, sys
import numpy as np
from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.chat.prompting import Message, Sampling, get_family
from assistant.core.runtime.llama import verdict

model, layers, logits_out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
forced = json.loads(sys.argv[4]) if len(sys.argv) > 4 else []
b = LlamaCppBackend(model, n_ctx=512, n_gpu_layers=layers)
fam = get_family(b.info.family)
msgs = [Message("user", "Name three colours of the rainbow.")]
req = GenerationRequest(msgs, fam, Sampling(temperature=0.0, max_tokens=32, seed=1))
text, notices, stats = "", [], None
for c in b.stream(req):
    text += c.text
    if c.notice:
        notices.append(c.notice)
    if c.done:
        stats = c.stats
if forced:  # the same token sequence for every run: logits after the prompt and after each forced token
    llm = b.llm
    llm.reset()
    llm.eval(b.tokenize_prompt(b.render(msgs)))
    rows = []
    for tok in forced:
        p = b._lc.llama_get_logits_ith(llm._ctx.ctx, -1)
        rows.append(np.ctypeslib.as_array(p, shape=(llm.n_vocab(),)).copy())
        llm.eval([tok])
    np.save(logits_out, np.array(rows))
v = verdict()
print(json.dumps({"text": text, "notices": notices, "gpu_layers_after": b.n_gpu_layers,
                  "tokens": stats.token_ids, "vulkan": v.vulkan_status if v else "",
                  "devices": v.gpus if v else []}))
"""
GREEDY_AGREEMENT = 0.9  # share of positions where the GPU's top token is the CPU's, on the same sequence
LOGIT_TOLERANCE = 0.08  # largest logit difference relative to the largest logit (measured: 0.02-0.06)


def _run(bundled_model: Path, tmp_path: Path, layers: int, forced: list[int] | None = None, **env: str) -> dict:
    full = {**os.environ, "GGML_VK_VISIBLE_DEVICES": str(_lavapipe_index()),
            "ASSISTANT_HARDWARE_CACHE": str(tmp_path / "hw"), **env}
    npy = tmp_path / f"logits-{layers}.npy"
    argv = [sys.executable, "-c", CHILD, str(bundled_model), str(layers), str(npy)]
    out = subprocess.run([*argv, json.dumps(forced)] if forced else argv, capture_output=True,
                         text=True, env=full, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if forced:
        import numpy as np

        res["logits"] = np.load(npy)
    return res


@pytest.mark.model
@pytest.mark.slow
def test_probe_finds_lavapipe_and_it_matches_the_cpu(tmp_path: Path) -> None:
    env = {**os.environ, "GGML_VK_VISIBLE_DEVICES": str(_lavapipe_index()),
           "ASSISTANT_HARDWARE_CACHE": str(tmp_path / "hw")}
    out = subprocess.run([sys.executable, "-m", "assistant", "doctor", "--json"], capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    vk = report["llama"]["vulkan"]
    assert vk["status"] == "ok", vk
    assert "llvmpipe" in vk["devices"][0]["description"].lower()
    assert vk["devices"][0]["deviation"] <= ggml_probe.GPU_TOLERANCE
    assert report["gpu_offload"] and vk["used"]
    assert any("llvmpipe" in g["name"].lower() and g["memory_total_gib"] > 0 for g in report["gpus"])


@pytest.mark.model
@pytest.mark.slow
def test_without_the_device_named_no_gpu_is_used(tmp_path: Path) -> None:
    """lavapipe is a CPU device: by default ggml does not offer it, so nothing is offloaded to it."""
    env = {k: v for k, v in os.environ.items() if k != "GGML_VK_VISIBLE_DEVICES"}
    env["ASSISTANT_HARDWARE_CACHE"] = str(tmp_path / "hw")
    out = subprocess.run([sys.executable, "-m", "assistant", "doctor", "--json"], capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    assert report["llama"]["vulkan"]["status"] == "no device" and not report["gpu_offload"]


@pytest.mark.model
@pytest.mark.slow
def test_gpu_computes_what_the_cpu_does_with_all_and_part_of_the_layers(bundled_model: Path, tmp_path: Path) -> None:
    """On the CPU's greedy reply, fed token by token: the GPU's (and the split model's) logits stay within
    LOGIT_TOLERANCE of the CPU's and pick the same next token at GREEDY_AGREEMENT of the positions. (Free
    greedy text can part at a near tie: Q4 dot products are summed in another order on the GPU.)"""
    import numpy as np

    cpu = _run(bundled_model, tmp_path, 0)
    assert cpu["vulkan"] == "ok" and cpu["text"].strip() and len(cpu["tokens"]) >= 8
    cpu = _run(bundled_model, tmp_path, 0, cpu["tokens"])
    full = _run(bundled_model, tmp_path, 999, cpu["tokens"])
    part = _run(bundled_model, tmp_path, 15, cpu["tokens"])  # SmolLM2-135M has 30 blocks: half on the GPU
    assert full["gpu_layers_after"] == 999 and part["gpu_layers_after"] == 15
    assert not cpu["notices"] and not full["notices"] and not part["notices"]
    ref = cpu["logits"]
    assert (ref.argmax(axis=1) == np.array(cpu["tokens"])).all()  # the CPU's own run: its greedy tokens
    for run in (full, part):
        dev = np.abs(run["logits"] - ref).max(axis=1) / np.abs(ref).max(axis=1)
        agree = (run["logits"].argmax(axis=1) == ref.argmax(axis=1)).mean()
        assert dev.max() <= LOGIT_TOLERANCE and agree >= GREEDY_AGREEMENT, (dev.max(), agree)
        assert run["text"].strip()


@pytest.mark.model
@pytest.mark.slow
def test_gpu_that_cannot_take_the_model_falls_back_to_the_cpu(bundled_model: Path, tmp_path: Path) -> None:
    """A real allocation failure on the device: ggml-vulkan told its largest buffer is 1 KiB, so the model's
    weights cannot be put on it (ErrorOutOfDeviceMemory), as on a GPU with too little memory."""
    cpu = _run(bundled_model, tmp_path, 0)
    failed = _run(bundled_model, tmp_path, 999, GGML_VK_FORCE_MAX_ALLOCATION_SIZE="1024",
                  GGML_VK_FORCE_MAX_BUFFER_SIZE="1024")
    assert failed["gpu_layers_after"] == 0
    assert failed["notices"] and "CPU" in failed["notices"][0]
    assert failed["tokens"] == cpu["tokens"]


@pytest.mark.model
@pytest.mark.slow
def test_gpu_failing_mid_reply_hands_over_to_the_cpu_where_it_stopped(bundled_model: Path, tmp_path: Path) -> None:
    gpu = _run(bundled_model, tmp_path, 999)
    failed = _run(bundled_model, tmp_path, 999, ASSISTANT_FAULT_GPU_AT="6")
    assert failed["gpu_layers_after"] == 0 and len(failed["notices"]) == 1 and "CPU" in failed["notices"][0]
    assert failed["tokens"][:7] == gpu["tokens"][:7]  # what the GPU wrote stays; the CPU goes on from there
    assert len(failed["tokens"]) > 7 and failed["text"].strip()


@pytest.mark.gui
@pytest.mark.model
@pytest.mark.slow
def test_window_on_auto_gpu_layers_survives_a_gpu_failure_and_keeps_the_reply(tmp_path: Path) -> None:
    """The real window (the self-test: throw-away profile, "GPU layers: auto") on lavapipe; the GPU fails
    mid-reply: the window says so, the CPU finishes the reply, and it is saved in the history."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GGML_VK_VISIBLE_DEVICES": str(_lavapipe_index()),
           "ASSISTANT_HARDWARE_CACHE": str(tmp_path / "hw"), "ASSISTANT_FAULT_GPU_AT": "3"}
    out = subprocess.run([sys.executable, "-m", "assistant.ui.app", "--self-test", "--self-test-timeout", "500"],
                         capture_output=True, text=True, timeout=600, env=env)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert out.returncode == 0 and report["ok"], report  # answered, and saved (the self-test checks the history)
    assert report["cpu_probe"]["vulkan"] == "ok"
    assert any("GPU failed" in n for n in report["notices"]), report
