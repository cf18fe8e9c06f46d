"""The R1-shaped stand-in model and llama.cpp's own benchmark tools, made once and cached.

Speed depends on shapes, not on weight values: a random-weight model with exactly
DeepSeek-R1-Distill-Qwen-1.5B's shapes (Qwen2, hidden 1536, 28 blocks, 12 heads / 2 KV heads, FFN 8960,
vocab 151,936, q/k/v biases, untied output) quantized to Q4_K_M measures what the real model costs,
without its 3.5 GB download. It carries R1's chat template, R1's special tokens and a name with
"DeepSeek-R1" in it, so the app treats it as an R1 model (its random tokens never close </think>:
endless thinking for free).

    python benchmarks/standin.py            # make (or find) the stand-in and print its path
    python benchmarks/standin.py --quant Q8_0   # another quantization of it (the F16 master is kept)
    python benchmarks/standin.py --tools    # also build llama-bench / llama-batched-bench

Cached in ``$ASSISTANT_BENCH_CACHE`` (default ``~/.cache/assistant/bench``); nothing is committed.
``llama_tools()`` builds llama.cpp's ``llama-bench`` and ``llama-batched-bench`` from the same
llama-cpp-python source release as the app's wheel (``-DGGML_NATIVE=ON``: the machine's own
instruction set, what the app's CPU probe picks here), so engine-vs-llama.cpp ratios compare like with like.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LLAMA_VERSION = "0.3.36"
N_VOCAB, N_EMBD, N_LAYER, N_HEAD, N_HEAD_KV, N_FF = 151_936, 1536, 28, 12, 2, 8960
NAME = "DeepSeek-R1-Distill-Qwen-1.5B stand-in (random weights)"
R1_SPECIAL = ["<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>",
              "<think>", "</think>"]


def cache_dir() -> Path:
    d = Path(os.environ.get("ASSISTANT_BENCH_CACHE") or Path.home() / ".cache" / "assistant" / "bench")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _template() -> str:
    for p in (ROOT.parent / "shared" / "fixtures", ROOT / "tests" / "fixtures"):
        f = p / "deepseek-r1-distill-qwen.chat_template.jinja"
        if f.is_file():
            return f.read_text(encoding="utf-8")
    raise FileNotFoundError("the R1 chat template fixture is missing")


def _write_f16(path: Path, log=print) -> None:  # type: ignore[no-untyped-def]
    import gguf
    import numpy as np

    from assistant.core.models.catalog import find_bundled_model

    src = gguf.GGUFReader(str(find_bundled_model()))

    def field(name: str):  # type: ignore[no-untyped-def]
        f = src.fields[name]
        return [f.contents(i) for i in range(len(f.data))] if len(f.data) > 1 else f.contents()

    tokens = list(field("tokenizer.ggml.tokens"))
    types = list(field("tokenizer.ggml.token_type"))
    merges = list(field("tokenizer.ggml.merges"))
    special_ids = {}
    for tok in R1_SPECIAL:
        special_ids[tok] = len(tokens)
        tokens.append(tok)
        types.append(3 if "｜" in tok else 4)  # control tokens; <think> tags user-defined, as in R1
    n_pad = N_VOCAB - len(tokens)
    tokens += [f"Ġd{i}" for i in range(n_pad)]  # text a random model can stream
    types += [1] * n_pad

    w = gguf.GGUFWriter(str(path), "qwen2")
    w.add_name(NAME)
    w.add_context_length(131072)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_file_type(1)  # MOSTLY_F16
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre(str(field("tokenizer.ggml.pre")))
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(special_ids[R1_SPECIAL[0]])
    w.add_eos_token_id(special_ids[R1_SPECIAL[1]])
    w.add_add_bos_token(True)
    w.add_chat_template(_template())

    rng = np.random.default_rng(0)

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols), dtype=np.float32) * 0.02).astype(np.float16)

    def vec(n: int, one: bool = False) -> np.ndarray:
        return np.ones(n, dtype=np.float32) if one else (rng.standard_normal(n, dtype=np.float32) * 0.02)

    kv = N_EMBD // N_HEAD * N_HEAD_KV
    w.add_tensor("token_embd.weight", mat(N_VOCAB, N_EMBD))
    w.add_tensor("output_norm.weight", vec(N_EMBD, True))
    w.add_tensor("output.weight", mat(N_VOCAB, N_EMBD))
    for i in range(N_LAYER):
        b = f"blk.{i}."
        w.add_tensor(b + "attn_norm.weight", vec(N_EMBD, True))
        w.add_tensor(b + "attn_q.weight", mat(N_EMBD, N_EMBD))
        w.add_tensor(b + "attn_q.bias", vec(N_EMBD))
        w.add_tensor(b + "attn_k.weight", mat(kv, N_EMBD))
        w.add_tensor(b + "attn_k.bias", vec(kv))
        w.add_tensor(b + "attn_v.weight", mat(kv, N_EMBD))
        w.add_tensor(b + "attn_v.bias", vec(kv))
        w.add_tensor(b + "attn_output.weight", mat(N_EMBD, N_EMBD))
        w.add_tensor(b + "ffn_norm.weight", vec(N_EMBD, True))
        w.add_tensor(b + "ffn_gate.weight", mat(N_FF, N_EMBD))
        w.add_tensor(b + "ffn_up.weight", mat(N_FF, N_EMBD))
        w.add_tensor(b + "ffn_down.weight", mat(N_EMBD, N_FF))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def standin_f16(log=print) -> Path:  # type: ignore[no-untyped-def]
    """The stand-in at F16 (3.6 GB), the master every quantization is made from; kept, so another type costs
    only its quantization."""
    out = cache_dir() / "r1-standin-1.5b-f16.gguf"
    if out.is_file():
        return out
    t0 = time.perf_counter()
    part = out.with_suffix(".part")
    log("making the R1-shaped stand-in: writing F16 (3.6 GB)…")
    _write_f16(part, log)
    part.replace(out)
    log(f"F16 stand-in written in {time.perf_counter() - t0:.0f} s")
    return out


def standin_model(log=print, quant: str = "Q4_K_M") -> Path:  # type: ignore[no-untyped-def]
    """The stand-in at ``quant`` (Q4_K_M: about 1.1 GB, Q8_0: 1.9 GB), made on first use with the app's own
    quantizer (``assistant.core.convert.quantize``; about 1.5 minutes on 2 cores with the F16 written)."""
    from assistant.core.convert.quantize import quant_type, quantize_gguf

    q = quant_type(quant)
    out = cache_dir() / f"r1-standin-1.5b-{q.name.lower()}.gguf"
    if out.is_file():
        return out
    f16 = standin_f16(log)
    t0 = time.perf_counter()
    log(f"quantizing to {q.name}…")
    quantize_gguf(f16, out, q.name, n_threads=os.cpu_count() or 2)
    log(f"stand-in ready in {time.perf_counter() - t0:.0f} s: {out} ({out.stat().st_size:,} bytes)")
    return out


def llama_source() -> Path:
    """llama.cpp as vendored in the app's llama-cpp-python release (its source package from PyPI, fetched and
    unpacked once): the tools below are built from it, and its convert_hf_to_gguf.py is the reference the
    converter tests compare with."""
    src_dir = cache_dir() / "src"
    sdist = src_dir / f"llama_cpp_python-{LLAMA_VERSION}.tar.gz"
    if not sdist.is_file():
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        f"llama-cpp-python=={LLAMA_VERSION}", "-d", str(src_dir)], check=True)
    source = src_dir / f"llama_cpp_python-{LLAMA_VERSION}"
    if not source.is_dir():
        with tarfile.open(sdist) as tar:
            tar.extractall(src_dir, filter="data")
    return source / "vendor" / "llama.cpp"


def llama_tools(log=print) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """llama-bench and llama-batched-bench from llama-cpp-python's own source release (built once)."""
    build = cache_dir() / f"llama-tools-{LLAMA_VERSION}"
    tools = {name: build / "bin" / name for name in ("llama-bench", "llama-batched-bench", "llama-embedding")}
    if all(p.is_file() for p in tools.values()):
        return tools
    llama = llama_source()
    log("building llama-bench and llama-batched-bench (once, a few minutes)…")
    work = build / "cmake"
    subprocess.run(["cmake", "-S", str(llama), "-B", str(work), "-DCMAKE_BUILD_TYPE=Release", "-DGGML_NATIVE=ON",
                    # examples ON: llama-embedding lives there (only the targets named below are built)
                    "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=ON",
                    "-DLLAMA_BUILD_TOOLS=ON", "-DBUILD_SHARED_LIBS=OFF", "-DGGML_BACKEND_DL=OFF"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(work), "--target", *tools,
                    "-j", str(os.cpu_count() or 2)], check=True, stdout=subprocess.DEVNULL)
    (build / "bin").mkdir(parents=True, exist_ok=True)
    for name, dest in tools.items():
        (work / "bin" / name).replace(dest)
    return tools


def run_llama_tool(tool: Path, args: list[str], timeout: float = 1800) -> str:
    """Run one of ``llama_tools()`` and return its standard output. The native build's repacked weights (ggml's
    AMX kernels) die with SIGILL on a VM whose CPU advertises AMX but does not let a process use it: the tool
    then runs again without weight repacking, and says so on standard error (the caller's ratio then compares
    llama.cpp without repacking)."""
    cmd = [str(tool), *args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=timeout).stdout
    except subprocess.CalledProcessError as exc:
        if exc.returncode != -4:  # SIGILL
            raise
    flag = ["--repack", "0"] if tool.name == "llama-bench" else ["--no-repack"]
    print(f"{tool.name} died with SIGILL (native AMX kernels): run again with {' '.join(flag)}", file=sys.stderr,
          flush=True)
    return subprocess.run([*cmd, *flag], capture_output=True, text=True, check=True, timeout=timeout).stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", action="store_true", help="also build llama-bench and llama-batched-bench")
    ap.add_argument("--quant", action="append", default=[],
                    help="quantization type(s) to make (default Q4_K_M; e.g. --quant Q4_K_M --quant Q8_0)")
    args = ap.parse_args()
    for quant in args.quant or ["Q4_K_M"]:
        print(standin_model(quant=quant))
    if args.tools:
        for name, path in llama_tools().items():
            print(name, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
