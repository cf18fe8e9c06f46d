"""Several samples decoded together vs one sample, on the R1-shaped stand-in, side by side with llama.cpp's
own llama-batched-bench and llama-bench built from the same source. Both sides measure the same quantity:
the DECODE phase (from the first generated token to the last; the prompt and set-up are left out on both
sides, since they would pull every ratio towards 1), at the same number of tokens per sample.

    python benchmarks/bench_samples.py [--tokens 256] [--samples 3,5,8] [--rounds 3] [--model standin|bundled|PATH]

1. The app's decode time of N samples × ``--tokens`` tokens of one prompt decoded together (ignore_eos,
   temperature 0.6, seeds; the path of ``-n``/votes) as a multiple of one sample's decode time, median of
   ``--rounds`` rounds whose order alternates (one sample first, then the N; next round the other way).
   For reference, 5 samples one after another (the sum of their decode times).
2. llama-batched-bench on the same file: prompt shared (-pps), the same number of new tokens per
   sequence; its T_TG (generation time) for N sequences / for 1: the same quantity.
3. The two ratios side by side (app / llama.cpp), and the engine's decode speed vs llama-bench's tg.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from standin import run_llama_tool  # noqa: E402

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.prompting import Message  # noqa: E402
from assistant.core.chat.protocol import GenerationRequest  # noqa: E402
from assistant.core.chat.turn import ChatTurn, TurnOptions  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

QUESTION = "A rectangle's length is 3 more than its width and its perimeter is 30. What is its area?"
THREADS = 2


def decode_time(backend: LlamaCppBackend, n: int, tokens: int, parallel: bool) -> float:
    """Seconds of the decode phase: N samples together (parallel), or N one after another (summed)."""
    options = TurnOptions(sampling=Sampling(temperature=0.6, max_tokens=tokens, seed=1), samples=n,
                          parallel=parallel, early_vote=False, ignore_eos=True, loop_action="off",
                          thinking_budget=0, answer_reserve=0)
    backend.llm.reset()
    result = ChatTurn(backend, [], QUESTION, options).run()
    got = [s.stats.completion_tokens for s in result.samples]
    assert got == [tokens] * n, f"every sample should write exactly {tokens} tokens, not {got}"
    spans = [s.stats.generation_seconds for s in result.samples]
    # together: all sequences draw their first token at the same step and end at the last, so the phase is
    # the longest span; one after another: the spans add up
    return max(spans) if parallel else sum(spans)


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


def batched_bench(tool: Path, model: Path, npl: list[int], tokens: int) -> dict[int, float]:
    """llama-batched-bench's T_TG (seconds generating ``tokens`` per sequence) for each number of sequences."""
    args = ["-m", str(model), "-c", str(max(4096, 128 + tokens * max(npl) + 64)), "-b", "512",
            "-ub", "512", "-npp", "128", "-ntg", str(tokens), "-npl", ",".join(map(str, npl)), "-pps",
            "-t", str(THREADS)]
    out = run_llama_tool(tool, args)
    times = {}
    for line in out.splitlines():  # |    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | ...
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and cells[2].isdigit():
            times[int(cells[2])] = float(cells[6])  # T_TG: the generation part
    return times


def llama_bench_tg(tool: Path, model: Path, extra: tuple[str, ...] = ()) -> float:
    out = run_llama_tool(tool, ["-m", str(model), "-p", "0", "-n", "128", "-t", str(THREADS), "-r", "3", "-o", "json",
                                *extra])
    data = json.loads(out[out.index("["):])
    return float(data[0]["avg_ts"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--samples", default="3,5,8")
    ap.add_argument("--model", default="standin")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.tokens < 256 or args.rounds < 3:
        print("note: fewer than 256 tokens or 3 rounds: below what the README's figure is measured with")
    if args.model == "standin":
        from standin import llama_tools, standin_model

        path = standin_model()
        tools = llama_tools()
    else:
        path = find_bundled_model() if args.model == "bundled" else Path(args.model)
        tools = {}
    counts = [int(x) for x in args.samples.split(",")]
    backend = LlamaCppBackend(path, n_ctx=max(4096, 256 + args.tokens * max(counts) + 512), n_threads=THREADS)
    print(f"model {backend.info.name}, {THREADS} threads, {args.tokens} tokens per sample, {args.rounds} rounds; "
          "decode phase only", flush=True)
    decode_time(backend, 2, 8, True)  # warm-up
    ratios: dict[int, list[float]] = {n: [] for n in counts}
    for r in range(args.rounds):
        for n in counts:  # each N beside its own single sample, the order alternating round by round
            if r % 2:
                many = decode_time(backend, n, args.tokens, True)
                one = decode_time(backend, 1, args.tokens, False)
            else:
                one = decode_time(backend, 1, args.tokens, False)
                many = decode_time(backend, n, args.tokens, True)
            ratios[n].append(many / one)
            print(f"round {r + 1}: {n} together {many:.1f} s / one {one:.1f} s = {many / one:.2f}x", flush=True)
    one = decode_time(backend, 1, args.tokens, False)
    seq = decode_time(backend, 5, args.tokens, False)
    print(f"5 samples one after another: {seq / one:.2f}x one sample's decode", flush=True)
    rate = statistics.median(engine_decode(backend) for _ in range(3))
    backend.close()
    bb: dict[int, float] = {}
    if tools:
        bb = batched_bench(tools["llama-batched-bench"], path, [1, *counts], args.tokens)
    print(f"\ndecode phase of N samples / of one sample, {args.tokens} tokens each (median of {args.rounds}; "
          "range):")
    for n in counts:
        app = statistics.median(ratios[n])
        line = f"  N={n}: app {app:.2f}x ({min(ratios[n]):.2f}-{max(ratios[n]):.2f})"
        if n in bb and 1 in bb:
            ref = bb[n] / bb[1]
            line += f" | llama-batched-bench T_TG {ref:.2f}x | app / llama.cpp {app / ref:.2f}"
        print(line)
    if tools:
        tg = llama_bench_tg(tools["llama-bench"], path)
        print(f"engine decode {rate:.2f} tok/s vs llama-bench tg128 {tg:.2f} tok/s = {rate / tg:.3f} "
              f"(target >= 0.97)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
