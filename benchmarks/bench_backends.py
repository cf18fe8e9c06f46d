"""Time to first token and decode speed through each backend, side by side in one run.

1. llama.cpp in-process (LlamaCppBackend) on the bundled GGUF;
2. llama-cpp-python's server (``python -m llama_cpp.server``) through our OpenAI-compatible backend,
   same GGUF, same thread count: the cost of the HTTP/SSE hop (and of that server's own loop);
3. vLLM's real OpenAI server (the CPU build from ``.venv-vllm``) through our launcher and backend,
   on a Hugging Face-format copy of the same model (fp32 weights: the GGUF is dequantized).

All three are up at once; every backend gets the same chat prompt (new in each round after the
shared system prompt), greedy decoding and exactly ``--tokens`` new tokens (end-of-turn suppressed),
after one warm-up request. Rounds alternate between the backends so machine noise hits each alike;
medians over ``--rounds``; ratios against (1). On a GPU, vLLM is the fast path; here it shows that
the plumbing works and what it costs on a CPU.

    python benchmarks/bench_backends.py [--tokens 128] [--rounds 3] [--skip-vllm] [--vllm-python PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.backends.openai_compat import OpenAICompatBackend  # noqa: E402
from assistant.core.backends.server_process import ServerProcess, free_port  # noqa: E402
from assistant.core.chat.prompting import Message, Sampling  # noqa: E402
from assistant.core.chat.protocol import Backend, GenerationRequest, GenerationStats  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.runtime.hardware import default_threads  # noqa: E402

PROMPT = "Write a short story about a lighthouse keeper and a storm."


def measure(backend: Backend, tokens: int, tag: str) -> GenerationStats:
    family = backend.family  # type: ignore[attr-defined]  # both backends here have one
    # The tag starts the user message, so each round's prompt is new after the shared system prompt.
    req = GenerationRequest([Message("user", f"({tag}) {PROMPT}")], family,
                            Sampling(temperature=0.0, max_tokens=tokens), ignore_eos=True)
    stats = None
    for chunk in backend.stream(req):
        if chunk.done:
            stats = chunk.stats
    assert stats is not None
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=default_threads())
    ap.add_argument("--skip-vllm", action="store_true")
    ap.add_argument("--vllm-python", default=str(ROOT / ".venv-vllm" / "bin" / "python"))
    ap.add_argument("--hf-copy", default=str(ROOT / ".pytest_cache" / "d" / "vllm-hf-smollm2-think" /
                                             "smollm2-135m-instruct"))
    args = ap.parse_args()
    os.environ.setdefault("ASSISTANT_HOME", tempfile.mkdtemp(prefix="bench-backends-"))
    gguf = find_bundled_model()
    print(f"model {gguf.name}; {args.tokens} new tokens, {args.rounds} rounds, {args.threads} threads", flush=True)
    if not args.skip_vllm and not Path(args.vllm_python).is_file():
        sys.exit(f"no vLLM environment at {args.vllm_python}: run `bash packaging/vllm_cpu_env.sh` or pass --skip-vllm")

    backends: dict[str, Backend] = {}
    procs: list[ServerProcess] = []
    results: dict[str, list[GenerationStats]] = {}
    try:
        backends["llama.cpp in-process"] = LlamaCppBackend(gguf, n_ctx=4096, n_threads=args.threads)
        port = free_port()
        proc = ServerProcess([sys.executable, "-m", "assistant.core.runtime.llama", "llama_cpp.server",
                              "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
                              "--n_ctx", "4096", "--n_threads", str(args.threads)],
                             log_path=Path(os.environ["ASSISTANT_HOME"]) / "llama-server.log", name="llama.cpp server")
        procs.append(proc)
        proc.wait_healthy(f"http://127.0.0.1:{port}/v1/models", timeout_s=120)
        backends["llama_cpp.server via OpenAI backend"] = OpenAICompatBackend(f"http://127.0.0.1:{port}/v1",
                                                                              n_ctx=4096)
        if not args.skip_vllm:
            from assistant.core.backends.vllm_server import launch_vllm
            from tests.core.backends.hf_copy import make_hf_copy

            hf = make_hf_copy(gguf, Path(args.hf_copy), think_tokens=True)
            t0 = time.monotonic()
            server = launch_vllm(hf, served_name="smollm2-135m-instruct", device="cpu", python=args.vllm_python,
                                 gpu_memory_utilization=0.3, max_model_len=2048, reasoning_parser="",
                                 start_timeout_s=900)
            print(f"vLLM (cpu, --enforce-eager) ready after {time.monotonic() - t0:.0f} s", flush=True)
            backends["vLLM (cpu) via OpenAI backend"] = OpenAICompatBackend(
                server.base_url, model=server.served_name, name="vLLM", server=server)
        for backend in backends.values():  # warm-up: first-request costs are not decode speed
            measure(backend, 8, "warm-up")
        # Rounds alternate between the backends, so that machine noise hits each alike.
        results = {name: [] for name in backends}
        for r in range(args.rounds):
            for name, backend in backends.items():
                results[name].append(measure(backend, args.tokens, f"round {r + 1}"))
    finally:
        for backend in backends.values():
            backend.close()
        for proc in procs:
            proc.stop()

    rows: list[dict[str, float | str]] = []
    for name, runs in results.items():
        row: dict[str, float | str] = {
            "backend": name,
            "ttft_s": statistics.median(s.prompt_seconds for s in runs),
            "tokens_per_s": statistics.median(s.tokens_per_second for s in runs),
            "completion_tokens": statistics.median(s.completion_tokens for s in runs),
            "runs": [s.to_dict() for s in runs],  # type: ignore[dict-item]
        }
        rows.append(row)
        print(f"  {name:<36} TTFT {float(row['ttft_s']) * 1000:7.1f} ms   {float(row['tokens_per_s']):7.1f} tok/s"
              f"   ({float(row['completion_tokens']):.0f} tokens)")
    base = rows[0]
    print("\nratios against llama.cpp in-process (tokens/s: higher is faster; TTFT: lower is faster)")
    for r in rows[1:]:
        print(f"  {r['backend']:<36} tokens/s x{float(r['tokens_per_s']) / float(base['tokens_per_s']):.2f}   "
              f"TTFT x{float(r['ttft_s']) / float(base['ttft_s']):.2f}")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_backends.json").write_text(json.dumps({"tokens": args.tokens, "rounds": args.rounds,
                                                         "threads": args.threads, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
