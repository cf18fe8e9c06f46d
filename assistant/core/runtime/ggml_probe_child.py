"""The workload that decides whether a llama.cpp module works here, run in a child process.

``python -m assistant.core.runtime.ggml_probe_child MODEL CPU_MODULE [--vulkan VULKAN_MODULE]`` loads exactly the
named modules into llama.cpp, runs a tiny model through the paths a real reply uses (a multi-token
prompt batch on several threads, then single-token decode) and prints the logits as JSON. A module whose
code cannot run on this processor or device kills this process (SIGILL, SIGSEGV, abort) or hangs here,
never in the app. :mod:`ggml_probe` compares the numbers against the plain ``x64`` code.

The model (:func:`write_probe_model`) is random and tiny (about 3 MB) with one block per weight type the
app ships or converts to (Q4_0, Q4_1, Q4_K, Q6_K, Q8_0, F16), so every kernel family is exercised.
"""

from __future__ import annotations

import ctypes
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.runtime.ggml_libs import gpu_devices

N_EMBD, N_FF, N_HEAD, N_VOCAB = 256, 512, 4, 256
BLOCK_TYPES = ("Q4_0", "Q4_1", "Q4_K", "Q6_K", "Q8_0", "F16")
PROMPT = [(i * 37 + 11) % N_VOCAB for i in range(32)]  # one batch of 32 tokens
DECODE = [(i * 53 + 5) % N_VOCAB for i in range(8)]  # then 8 single-token steps


def _quantized(rng: np.random.Generator, qtype: str, rows: int, cols: int) -> tuple[np.ndarray, Any]:
    """Random blocks of ``qtype`` with scales chosen so the weights are about N(0, 0.02)-sized."""
    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType

    t = GGMLQuantizationType[qtype]
    if qtype == "F16":
        return (rng.standard_normal((rows, cols)) * 0.02).astype(np.float16), None
    block, size = GGML_QUANT_SIZES[t]
    blocks = rng.integers(0, 256, size=(rows, cols // block, size), dtype=np.uint8)

    def put(offset: int, value: float) -> None:
        blocks[:, :, offset:offset + 2] = np.frombuffer(np.float16(value).tobytes(), dtype=np.uint8)

    # (offset of each f16 scale in the block, its value): ggml's block layouts (ggml-common.h)
    scales = {"Q4_0": [(0, 0.005)], "Q4_1": [(0, 0.005), (2, -0.04)], "Q8_0": [(0, 0.0004)],
              "Q4_K": [(0, 0.00005), (2, 0.00005)], "Q6_K": [(208, 0.00001)]}[qtype]
    for offset, value in scales:
        put(offset, value)
    return blocks.reshape(rows, -1), t


def write_probe_model(path: Path, seed: int = 1234) -> Path:
    """Write the probe's tiny llama-architecture GGUF (no tokenizer: token ids are fed directly)."""
    import gguf

    logging.getLogger("gguf").setLevel(logging.WARNING)  # not its "writing the following files" lines
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("assistant-cpu-probe")
    w.add_context_length(256)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(len(BLOCK_TYPES))
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD)
    w.add_rope_dimension_count(N_EMBD // N_HEAD)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(N_VOCAB)
    w.add_tokenizer_model("none")
    ones = np.ones(N_EMBD, dtype=np.float32)

    def add(name: str, qtype: str, rows: int, cols: int) -> None:
        data, raw = _quantized(rng, qtype, rows, cols)
        if raw is None:
            w.add_tensor(name, data)
        else:
            w.add_tensor(name, data, raw_dtype=raw)

    add("token_embd.weight", "F16", N_VOCAB, N_EMBD)
    for i, qtype in enumerate(BLOCK_TYPES):
        w.add_tensor(f"blk.{i}.attn_norm.weight", ones)
        w.add_tensor(f"blk.{i}.ffn_norm.weight", ones)
        for part in ("attn_q", "attn_k", "attn_v", "attn_output"):
            add(f"blk.{i}.{part}.weight", qtype, N_EMBD, N_EMBD)
        add(f"blk.{i}.ffn_gate.weight", qtype, N_FF, N_EMBD)
        add(f"blk.{i}.ffn_up.weight", qtype, N_FF, N_EMBD)
        add(f"blk.{i}.ffn_down.weight", qtype, N_EMBD, N_FF)
    w.add_tensor("output_norm.weight", ones)
    add("output.weight", "Q8_0", N_VOCAB, N_EMBD)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def load_module(path: str) -> int:
    """Register one ggml backend module in every libggml of this process; its score for this CPU
    (ggml's CPUID check; 1 for a GPU module). Exits 3 when the module cannot be loaded at all."""
    from assistant.core.runtime.ggml_libs import ggml_copies

    lib = ctypes.CDLL(path)
    score = 1
    if hasattr(lib, "ggml_backend_score"):
        lib.ggml_backend_score.restype = ctypes.c_int
        score = int(lib.ggml_backend_score())
    for libggml in ggml_copies():
        libggml.ggml_backend_load.restype, libggml.ggml_backend_load.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        if not libggml.ggml_backend_load(path.encode()):
            print(json.dumps({"error": f"ggml could not load {Path(path).name}"}))
            sys.exit(3)
    return score


def run_model(model: str, n_gpu_layers: int, n_threads: int) -> dict[str, Any]:
    """The tiny model through one prompt batch and single-token steps: logits after each, and timings."""
    import llama_cpp as lc

    mparams = lc.llama_model_default_params()
    mparams.n_gpu_layers = n_gpu_layers
    m = lc.llama_model_load_from_file(model.encode(), mparams)
    if not m:
        raise RuntimeError("llama.cpp could not load the probe model")
    cparams = lc.llama_context_default_params()
    cparams.n_ctx, cparams.n_batch, cparams.n_ubatch = 128, 64, 64
    cparams.n_threads = cparams.n_threads_batch = n_threads
    ctx = lc.llama_init_from_model(m, cparams)
    if not ctx:
        raise RuntimeError("llama.cpp could not create a context for the probe model")
    logits: list[list[float]] = []

    def step(tokens: list[int]) -> None:
        arr = (lc.llama_token * len(tokens))(*tokens)
        if lc.llama_decode(ctx, lc.llama_batch_get_one(arr, len(tokens))) != 0:
            raise RuntimeError("llama_decode failed")
        out = lc.llama_get_logits_ith(ctx, -1)
        logits.append([round(float(out[i]), 5) for i in range(N_VOCAB)])

    t0 = time.perf_counter()
    step(PROMPT)
    t1 = time.perf_counter()
    for tok in DECODE:
        step([tok])
    t2 = time.perf_counter()
    lc.llama_free(ctx)
    lc.llama_model_free(m)
    return {"logits": logits, "prompt_tps": len(PROMPT) / (t1 - t0), "decode_tps": len(DECODE) / (t2 - t1)}


def main(argv: list[str]) -> int:
    import llama_cpp as lc
    from llama_cpp import _logger

    _logger.set_verbose(False)
    model, cpu = argv[0], argv[1]
    vulkan = argv[3] if len(argv) > 3 and argv[2] == "--vulkan" else ""
    threads = max(2, int(argv[argv.index("--threads") + 1])) if "--threads" in argv else 2
    lc.llama_backend_init()
    result: dict[str, Any] = {"score": load_module(cpu)}
    result.update(run_model(model, 0, threads))
    if vulkan:
        load_module(vulkan)
        result["devices"] = gpu_devices()
        if result["devices"]:
            gpu = run_model(model, 99, threads)
            result["gpu"] = gpu
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
