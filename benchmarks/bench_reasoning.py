"""What reasoning control costs: the turn with the controller (budget counting, loop detection on every
piece) vs the same turn with the whole controller switched off (TurnOptions.reasoning_control=False: no
budget, no loop detection), side by side in one run, in alternating order, with an off-vs-off pair in every
round as the noise floor (a difference smaller than that floor is not resolved by this run); and the time
from the budget being reached to the first answer token (the wrap-up is evaluated on top of the cached
tokens, no prompt again).

    python benchmarks/bench_reasoning.py [--tokens 256] [--rounds 3] [--model bundled|standin|PATH]

Default: the R1-shaped stand-in (benchmarks/standin.py; its random tokens never close </think>, so the
whole reply is reasoning, the controller's worst case) and the bundled SmolLM2 forced into <think>.
Greedy, end-of-text banned, 2 threads. Targets: controller on / off >= 0.98; and budget-to-answer as a
multiple of one decode step (the wrap-up is ~20 tokens of prompt evaluation).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.turn import ChatTurn, TurnOptions  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

QUESTION = "Explain in detail how a compiler turns source code into machine code."


def one(backend: LlamaCppBackend, n: int, control: bool, budget: int = 0) -> tuple[float, ChatTurn]:
    options = TurnOptions(
        sampling=Sampling(temperature=0.0, max_tokens=n + (512 if budget else 0)), ignore_eos=True,
        force_thinking=not backend.family.starts_in_reasoning,
        thinking_budget=budget, answer_reserve=0 if not budget else 512,
        loop_action="answer", reasoning_control=control,
    )
    turn = ChatTurn(backend, [], QUESTION, options)
    backend.llm.reset()  # every run evaluates the prompt: same work each time
    t0 = time.perf_counter()
    pieces = 0
    for ev in turn.events():
        pieces += ev.kind in ("reasoning", "answer")
    return time.perf_counter() - t0, turn


def bench(path: Path, n: int, rounds: int) -> dict[str, float]:
    backend = LlamaCppBackend(path, n_ctx=n + 1024, n_threads=2)
    print(f"\n== {backend.info.name} ({backend.family.name}), {backend.n_threads} threads, {n} tokens, "
          f"{rounds} rounds", flush=True)
    on: list[float] = []
    off: list[float] = []
    off2: list[float] = []  # a second controller-off run each round: the noise floor
    steps: list[float] = []
    one(backend, 16, True)  # warm-up
    for r in range(rounds):
        if r % 2:  # alternate the order, so neither side always runs first (warmer caches, other load)
            t_on, turn_on = one(backend, n, True)
            t_off, turn_off = one(backend, n, False)
            t_off2, _ = one(backend, n, False)
        else:
            t_off, turn_off = one(backend, n, False)
            t_off2, _ = one(backend, n, False)
            t_on, turn_on = one(backend, n, True)
        off2.append(t_off2)
        c = turn_on.samples[0].control
        assert c is not None and not c.loops, "random/greedy text was taken for a loop: not comparable"
        assert turn_on.samples[0].stats.completion_tokens == turn_off.samples[0].stats.completion_tokens == n
        off.append(t_off)
        on.append(t_on)
        st = turn_off.samples[0].stats
        steps.append(st.generation_seconds / max(1, st.completion_tokens - 1))
        print(f"round {r + 1}: controller off {n / t_off:6.2f} tok/s | off again {n / t_off2:6.2f} tok/s | "
              f"on {n / t_on:6.2f} tok/s", flush=True)
    ratio = statistics.median(off) / statistics.median(on)
    rounds_ratio = [a / b for a, b in zip(off, on)]
    noise = [abs(a / b - 1) for a, b in zip(off, off2)]
    # budget → first answer token, against one decode step measured in the same run
    latencies = []
    for _ in range(rounds):
        _, turn = one(backend, n, True, budget=n // 2)
        c = turn.samples[0].control
        assert c is not None and c.end == "budget" and c.answer_latency is not None
        latencies.append(c.answer_latency)
    lat, step = statistics.median(latencies), statistics.median(steps)
    backend.close()
    floor = statistics.median(noise)
    print(f"controller on / off (speed)             = {ratio:.3f}   (target >= 0.98; rounds "
          f"{min(rounds_ratio):.3f}-{max(rounds_ratio):.3f}; off vs off differs by {floor:.1%} (median): "
          + ("within the noise)" if abs(ratio - 1) <= floor else "beyond the noise)"))
    print(f"budget reached -> first answer token    = {lat * 1000:.0f} ms = {lat / step:.1f} decode steps "
          f"(one step {step * 1000:.0f} ms; the wrap-up and </think> are evaluated, nothing else)")
    return {"ratio": ratio, "latency_s": lat, "latency_steps": lat / step}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--model", action="append", help="bundled, standin or a .gguf path (repeatable)")
    args = ap.parse_args()
    ok = True
    for m in args.model or ["standin", "bundled"]:
        if m == "standin":
            from standin import standin_model

            path = standin_model()
        elif m == "bundled":
            path = find_bundled_model()
        else:
            path = Path(m)
        ok &= bench(path, args.tokens, args.rounds)["ratio"] >= 0.98
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
