"""GPU check for a CUDA machine: llama.cpp offload through the app's own code, and vLLM's flags.

Needs llama-cpp-python built with CUDA (``CMAKE_ARGS="-DGGML_CUDA=on"``), torch + transformers +
tokenizers to make a test model. Steps, all through the app's code:

1. hardware detection (``assistant.core.runtime.hardware.detect``): the GPU, its memory, whether this
   llama.cpp build can offload;
2. the vLLM command the launcher would use for an R1-shaped bf16 checkpoint on this GPU;
3. a model with DeepSeek-R1-Distill-Qwen-1.5B's shapes (Qwen2, 28 layers, hidden 1536, 12/2 heads,
   MLP 8960; random weights, a small trained tokenizer) saved as safetensors, converted by the app's
   converter, quantized to Q4_K_M by the app's quantizer;
4. the same reply decoded on the CPU (n_gpu_layers=0) and with the app's "auto" GPU layers, side by
   side: tokens/s and the ratio.

    python benchmarks/gpu_check.py --out result.json [--work DIR] [--tokens 256]
    python benchmarks/gpu_check.py --vulkan --out result.json    # the portable build's Vulkan module only

``--vulkan`` is the short run for a lent GPU machine with the portable build (CPU variants + Vulkan, as
shipped): the app's probe verdict (CPU variant, Vulkan status, devices), then the bundled model decoded
on the CPU and fully offloaded through Vulkan, side by side, tokens/s and the ratio. It needs only the
wheel, the bundled model and a Vulkan loader + driver on that machine (no torch, no vLLM).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def make_r1_shaped_model(folder: Path, layers: int = 28) -> None:
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from tests.convert.helpers import train_tokenizer

    template = (REPO / "tests" / "fixtures" / "deepseek-r1-distill-qwen.chat_template.jinja").read_text()
    n_vocab = train_tokenizer(folder, style="qwen2-r1", vocab_size=4000, chat_template=template)
    cfg = Qwen2Config(vocab_size=n_vocab, hidden_size=1536, intermediate_size=8960, num_hidden_layers=layers,
                      num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=131072,
                      rope_theta=10000.0, tie_word_embeddings=False, torch_dtype="bfloat16",
                      bos_token_id=n_vocab - 6, eos_token_id=n_vocab - 7)
    cfg.architectures = ["Qwen2ForCausalLM"]
    torch.manual_seed(0)
    with torch.device("cuda" if torch.cuda.is_available() else "cpu"):
        model = Qwen2ForCausalLM(cfg).to(torch.bfloat16)
    model.save_pretrained(folder, safe_serialization=True)


def decode_rate(backend, n: int) -> tuple[float, float, str]:  # type: ignore[no-untyped-def]
    from assistant.core.chat.prompting import Message, Sampling
    from assistant.core.chat.protocol import GenerationRequest

    req = GenerationRequest([Message("user", "Tell me a story.")], backend.family,
                            Sampling(temperature=0.0, max_tokens=n), ignore_eos=True)
    text = []
    for chunk in backend.stream(req):
        if chunk.done:
            s = chunk.stats
            return s.tokens_per_second, s.prompt_seconds, "".join(text)
        text.append(chunk.text)
    raise RuntimeError("no final chunk")


def vulkan_check(args: argparse.Namespace) -> int:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.models.catalog import find_bundled_model
    from assistant.core.runtime.diagnostics import format_report, report

    diag = report()
    log(format_report(diag))
    result: dict[str, object] = {"diagnostics": diag}
    model = Path(args.model) if args.model else find_bundled_model()
    rates = {}
    for label, layers in (("cpu", 0), ("vulkan_all_layers", 999)):
        b = LlamaCppBackend(model, n_ctx=2048, n_gpu_layers=layers)
        decode_rate(b, 16)  # warm-up (Vulkan compiles its pipelines on first use)
        rate, ttft, text = decode_rate(b, args.tokens)
        result[f"{label}_gpu_layers_after"] = b.n_gpu_layers
        b.close()
        rates[label] = rate
        result[f"{label}_tok_s"] = round(rate, 1)
        result[f"{label}_ttft_s"] = round(ttft, 3)
        result[f"{label}_text"] = text[:200]
        log(f"{label}: {rate:.1f} tok/s, first token {ttft * 1000:.0f} ms")
    result["vulkan_vs_cpu"] = round(rates["vulkan_all_layers"] / rates["cpu"], 2)
    result["same_greedy_text"] = result["cpu_text"] == result["vulkan_all_layers_text"]
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "diagnostics"}, indent=2))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="gpu_check.json")
    ap.add_argument("--work", default="/tmp/gpu_check")
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--layers", type=int, default=28, help="fewer for a quick smoke test")
    ap.add_argument("--vulkan", action="store_true", help="only the Vulkan module: bundled model, CPU vs GPU")
    ap.add_argument("--model", help="GGUF for --vulkan (default: the bundled model)")
    args = ap.parse_args()
    if args.vulkan:
        return vulkan_check(args)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {}

    from assistant.core.backends.vllm_server import Checkpoint, build_vllm_command, detect_gpus
    from assistant.core.runtime import hardware

    hw = hardware.detect()
    result["hardware"] = hw.summary()
    result["llama_gpu_offload"] = hw.llama_gpu_offload
    result["gpus"] = [g.__dict__ for g in hw.gpus]
    log(f"hardware: {hw.summary()}")

    hf = work / "r1-shaped"
    if not (hf / "config.json").exists():
        log("making an R1-shaped random model")
        make_r1_shaped_model(hf, args.layers)
    gpus = detect_gpus()
    result["vllm_gpus"] = [g.describe() for g in gpus]
    if gpus:
        cmd = build_vllm_command(Checkpoint.read(hf), gpu=gpus[0], served_name="DeepSeek-R1-Distill-Qwen-1.5B",
                                 port=8000, reasoning_parser="deepseek_r1", max_model_len=8192)
        result["vllm_command"] = " ".join(cmd)
        log(f"vLLM command: {result['vllm_command']}")

    from assistant.core.convert.pipeline import convert_model

    t = time.perf_counter()
    gguf = convert_model(hf, quant="Q4_K_M", out_dir=work / "models")
    result["convert_and_quantize_s"] = round(time.perf_counter() - t, 1)
    result["gguf_bytes"] = gguf.stat().st_size
    log(f"converted + quantized in {result['convert_and_quantize_s']} s: {gguf.name}")

    from assistant.core.backends import auto_gpu_layers
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    auto = auto_gpu_layers(gguf, 8192)
    result["auto_gpu_layers"] = auto
    rates = {}
    for label, layers in (("cpu", 0), ("gpu_auto", auto)):
        b = LlamaCppBackend(gguf, n_ctx=8192, n_gpu_layers=layers)
        decode_rate(b, 16)  # warm-up
        rate, ttft, _ = decode_rate(b, args.tokens)
        b.close()
        rates[label] = rate
        result[f"{label}_tok_s"] = round(rate, 1)
        result[f"{label}_ttft_s"] = round(ttft, 3)
        log(f"{label}: {layers} GPU layers, {rate:.1f} tok/s, first token {ttft * 1000:.0f} ms")
    result["gpu_vs_cpu"] = round(rates["gpu_auto"] / rates["cpu"], 2)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
