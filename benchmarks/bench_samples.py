"""Several samples decoded together vs one sample and vs one after another, on the R1-shaped stand-in,
side by side with llama.cpp's own llama-batched-bench and llama-bench built from the same source.

    python benchmarks/bench_samples.py [--tokens 256] [--samples 3,5,8] [--model standin|bundled|PATH]

1. Wall time of N samples × ``--tokens`` tokens of one prompt (ignore_eos, temperature 0.6, seeds):
   decoded together (the app's path for ``-n``/votes) as a multiple of one sample; and the 5 samples one
   after another. Target: 5 together <= 2.3x one (llama-batched-bench: about 2.1x).
2. llama-batched-bench, the same file, prompt shared (-pps), 128 new tokens per sequence: its own ratio.
3. The engine's decode speed vs llama-bench's tg128 (target >= 0.97), 2 threads each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.prompting import Message  # noqa: E402
from assistant.core.chat.protocol import GenerationRequest  # noqa: E402
from assistant.core.chat.turn import ChatTurn, TurnOptions  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

QUESTION = "A rectangle's length is 3 more than its width and its perimeter is 30. What is its area?"
THREADS = 2


def samples_time(backend: LlamaCppBackend, n: int, tokens: int, parallel: bool) -> float:
    options = TurnOptions(sampling=Sampling(temperature=0.6, max_tokens=tokens, seed=1), samples=n,
                          parallel=parallel, early_vote=False, ignore_eos=True, loop_action="off",
                          thinking_budget=0, answer_reserve=0)
    backend.llm.reset()
    t0 = time.perf_counter()
    result = ChatTurn(backend, [], QUESTION, options).run()
    dt = time.perf_counter() - t0
    got = [s.stats.completion_tokens for s in result.samples]
    assert got == [tokens] * n, f"every sample should write exactly {tokens} tokens, not {got}"
    return dt


def engine_decode(backend: LlamaCppBackend, tokens: int = 128) -> float:
    """Tokens/s after the first token, through the backend's own streaming path."""
    req = GenerationRequest([Message("user", QUESTION)], backend.family,
                            Sampling(temperature=0.0, max_tokens=tokens), ignore_eos=True)
    backend.llm.reset()
    stats = None
    for chunk in backend.stream(req):
        if chunk.done:
            stats = chunk.stats
    assert stats is not None
    return stats.tokens_per_second


def llama_tool(tool: Path, args: list[str]) -> str:
    return subprocess.run([str(tool), *args], capture_output=True, text=True, check=True, timeout=1800).stdout


def batched_bench(tool: Path, model: Path, npl: list[int]) -> dict[int, float]:
    out = llama_tool(tool, ["-m", str(model), "-c", "4096", "-b", "512", "-ub", "512", "-npp", "128",
                            "-ntg", "128", "-npl", ",".join(map(str, npl)), "-pps", "-t", str(THREADS)])
    times = {}
    for line in out.splitlines():  # |    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | ...
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and cells[2].isdigit():
            times[int(cells[2])] = float(cells[6])  # T_TG: the generation part
    return times


def llama_bench_tg(tool: Path, model: Path) -> float:
    out = llama_tool(tool, ["-m", str(model), "-p", "0", "-n", "128", "-t", str(THREADS), "-r", "3", "-o", "json"])
    data = json.loads(out[out.index("["):])
    return float(data[0]["avg_ts"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--samples", default="3,5,8")
    ap.add_argument("--model", default="standin")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    if args.model == "standin":
        from standin import llama_tools, standin_model

        path = standin_model()
        tools = llama_tools()
    else:
        path = find_bundled_model() if args.model == "bundled" else Path(args.model)
        tools = {}
    counts = [int(x) for x in args.samples.split(",")]
    backend = LlamaCppBackend(path, n_ctx=4096, n_threads=THREADS)
    print(f"model {backend.info.name}, {THREADS} threads, {args.tokens} tokens per sample", flush=True)
    samples_time(backend, 2, 8, True)  # warm-up
    one = statistics.median(samples_time(backend, 1, args.tokens, False) for _ in range(args.rounds))
    print(f"1 sample: {one:.1f} s", flush=True)
    ratios = {}
    for n in counts:
        t = statistics.median(samples_time(backend, n, args.tokens, True) for _ in range(args.rounds))
        ratios[n] = t / one
        print(f"{n} samples together: {t:.1f} s = {t / one:.2f}x one sample", flush=True)
    seq = samples_time(backend, 5, args.tokens, False)
    print(f"5 samples one after another: {seq:.1f} s = {seq / one:.2f}x one sample", flush=True)
    rate = statistics.median(engine_decode(backend) for _ in range(3))
    backend.close()
    ok = ratios.get(5, 0) <= 2.3
    if tools:
        bb = batched_bench(tools["llama-batched-bench"], path, [1, *counts])
        print("llama-batched-bench (128 new tokens per sequence, prompt shared): " + ", ".join(
            f"{n} → {bb[n] / bb[1]:.2f}x" for n in counts if n in bb and 1 in bb))
        tg = llama_bench_tg(tools["llama-bench"], path)
        print(f"engine decode {rate:.2f} tok/s vs llama-bench tg128 {tg:.2f} tok/s = {rate / tg:.3f} "
              f"(target >= 0.97)")
        ok &= rate / tg >= 0.97
    print(f"\n5 samples together / one sample = {ratios.get(5, float('nan')):.2f}   (target <= 2.3)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
