"""How right is "what a model costs here"? The quick benchmark's prediction against real measurements.

1. The quick benchmark on the bundled model (SmolLM2-135M Q4_1), as the app runs it.
2. The R1-shaped stand-in (random weights, DeepSeek-R1-Distill-Qwen-1.5B's exact shapes, Q4_K_M:
   ``benchmarks/standin.py``), measured the same way; the prediction for the catalog's R1-1.5B Q4_K_M
   (same shapes, same file size) at the same context is set beside it.
3. A typical answer (200-token prompt, 1,800 decoded tokens) timed for real on the bundled model — and
   with ``--standin-answer`` on the stand-in too (a few minutes on 2 cores) — against the predicted time:
   this checks the KV-cache term and the extrapolation from the short benchmark.

It also prints the bytes per token the cost model estimates beside the exact sum of the GGUF tensors
(everything but the token-embedding lookup table, unless the output layer shares it), the decode prediction
from the bundled model's bytes and time alone (no fixed part), the machine's read bandwidth the quick
benchmark measured, and the two constants that would make this run's stand-in predictions exact: the
prompt-speed exponent and the share of the measured read bandwidth llama.cpp's decode reaches
(``cost.PROMPT_EXPONENT`` and ``cost.READ_EFFICIENCY`` were fitted so, once, here; a later run shows their
error out of sample).
llama.cpp uses every core: anything else running makes its threads wait for each other, so run this on
a quiet machine.

Per quantization type (issue 28 item 7): with ``--quants Q4_K_M,Q8_0`` (the default) the stand-in is made in each
type (``standin.py --quant``) and decoded by the app's engine and by llama.cpp's own ``llama-bench`` (``-p 0 -n
64``, best of the repetitions), alternating with the quick benchmark for ``--rounds`` rounds, the best of each
kept; the table sets the forecast (at the context both decode at) beside them, with the error against the engine
(what the forecast promises) and the read efficiency that would make the forecast exact for that type. ``--quants
''`` skips it.

    python benchmarks/bench_cost_prediction.py [--standin-answer] [--json] [--quants Q4_K_M,Q8_0] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.models import cost  # noqa: E402
from assistant.core.models.catalog import find_bundled_model, get_entry  # noqa: E402
from assistant.core.settings import Settings  # noqa: E402

R1 = "deepseek-r1-distill-qwen-1.5b"


def exact_weight_bytes(path: Path) -> int:
    """Bytes one decoded token reads from the file's tensors (gguf-py), embedding table excluded if untied."""
    from gguf import GGUFReader

    tensors = {t.name: int(t.n_bytes) for t in GGUFReader(str(path)).tensors}
    tied = "output.weight" not in tensors
    return sum(n for name, n in tensors.items() if tied or name != "token_embd.weight")


def typical_answer(path: Path) -> float:
    """Seconds for a 200-token prompt and 1,800 decoded tokens, through the app's generation loop."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.eval import speed

    backend = LlamaCppBackend(path, n_ctx=2304)
    try:
        tokens = backend.tokenize_prompt(speed.TEXT)
        prompt = (tokens * (cost.TYPICAL_PROMPT // len(tokens) + 2))[:cost.TYPICAL_PROMPT]
        speed._one(backend, prompt[:16], 4, 1, threading.Event())
        t0 = time.perf_counter()
        speed._one(backend, prompt, cost.TYPICAL_REASONING + cost.TYPICAL_ANSWER, 7, threading.Event())
        return time.perf_counter() - t0
    finally:
        backend.close()


def llama_bench_tg(path: Path, n_threads: int, n_gen: int = 64, reps: int = 3) -> float:
    """llama.cpp's own decode rate for ``path`` (tokens/s, the best of its repetitions)."""
    from benchmarks.standin import llama_tools, run_llama_tool

    out = run_llama_tool(llama_tools()["llama-bench"], ["-m", str(path), "-p", "0", "-n", str(n_gen),
                                                        "-r", str(reps), "-t", str(n_threads), "-o", "json"])
    rows = json.loads(out[out.index("["):])
    return max(max(r.get("samples_ts") or [r["avg_ts"]]) for r in rows)


def engine_tg(path: Path, n_threads: int, n_gen: int = 64, reps: int = 3) -> float:
    """The app's own decode rate for ``path``, measured like ``llama_bench_tg``: ``n_gen`` tokens from an
    (almost) empty cache, the best of ``reps``, after a warm-up (what the forecast promises is this number)."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.eval import speed

    backend = LlamaCppBackend(path, n_ctx=256, n_threads=n_threads)
    try:
        prompt = backend.tokenize_prompt(speed.TEXT)[:1]
        speed._one(backend, prompt, 4, 0, threading.Event())
        best = 0.0
        for rep in range(reps):
            backend.llm.reset()
            best = max(best, speed._one(backend, prompt, n_gen + 1, rep + 1, threading.Event()).tokens_per_second)
        return best
    finally:
        backend.close()


def fit_efficiency(entry: Any, file_bytes: int, ref: cost.MachineSpeed, measured: float, context: float,
                   knob: str = "efficiency") -> float:
    """The read efficiency (Q4_K_M, factor 1) or, with ``knob="factor"``, the type's read factor (at the
    efficiency in use) that makes the decode forecast exact (the forecast grows with either; bisection)."""
    lo, hi = 0.05, 3.0
    for _ in range(40):
        mid = (lo + hi) / 2
        kw = {"efficiency": mid, "factor": 1.0} if knob == "efficiency" else {"factor": mid}
        if cost.predict(entry, file_bytes, ref, context=context, **kw).decode_tps < measured:  # type: ignore[arg-type]
            lo = mid
        else:
            hi = mid
    return round(lo, 3)


def per_quant(quants: list[str], rounds: int, settings: Settings) -> dict[str, Any]:
    """The quick benchmark and llama-bench on the stand-in in each type, alternating; the best of each."""
    from assistant.core.eval.speed import bench_model
    from assistant.core.paths import DEFAULT_MODEL_ID
    from benchmarks.standin import standin_model

    r1 = get_entry(R1)
    assert r1 is not None
    paths = {q: standin_model(quant=q) for q in quants}
    best: cost.MachineSpeed | None = None
    tg = dict.fromkeys(quants, 0.0)
    eng = dict.fromkeys(quants, 0.0)
    for r in range(rounds):
        ref = bench_model(find_bundled_model(), DEFAULT_MODEL_ID, settings)
        if best is None or ref.decode_tps > best.decode_tps:
            best = ref
        print(f"round {r + 1}: quick bench decode {ref.decode_tps} tok/s, read {ref.read_gbps} GB/s, "
              f"{ref.confidence} (others {ref.busy_share})", file=sys.stderr, flush=True)
        for q in (quants if r % 2 == 0 else quants[::-1]):
            sides = (("engine", engine_tg), ("llama-bench", llama_bench_tg))
            for side, measure in (sides if r % 2 == 0 else sides[::-1]):
                got = measure(paths[q], ref.n_threads)
                into = eng if side == "engine" else tg
                into[q] = max(into[q], got)
                print(f"round {r + 1}: {side} {q} {got:.2f} tok/s", file=sys.stderr, flush=True)
    assert best is not None
    context = 32.0  # -n 64 from an empty cache: the mean context while it decodes
    table = {}
    for q in quants:
        size = paths[q].stat().st_size
        p = cost.predict(r1, size, best, context=context, quant=q)
        table[q] = {"file_bytes": size, "forecast_tps": p.decode_tps, "engine_tps": round(eng[q], 2),
                    "llama_bench_tps": round(tg[q], 2),
                    "error_pct": round(100 * (p.decode_tps - eng[q]) / eng[q], 1) if eng[q] else None,
                    "fitted_efficiency": fit_efficiency(r1, size, best, eng[q], context),
                    "fitted_factor": fit_efficiency(r1, size, best, eng[q], context, "factor"),
                    "used_factor": cost.read_factor(q)}
    return {"quick_bench": best.to_dict(), "table": table}


def err(pred: float, real: float) -> str:
    return f"{100 * (pred - real) / real:+.0f}%" if real else "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--standin-answer", action="store_true", help="also time a typical answer on the stand-in")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quants", default="Q4_K_M,Q8_0", help="stand-in types checked with llama-bench ('' skips)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of the per-type check")
    ap.add_argument("--only-quants", action="store_true", help="run the per-type check alone")
    args = ap.parse_args()
    from assistant.core.eval.speed import bench_model
    from assistant.core.paths import DEFAULT_MODEL_ID
    from benchmarks.standin import standin_model

    settings = Settings()
    bundled, standin = find_bundled_model(), standin_model()
    small, r1 = get_entry(DEFAULT_MODEL_ID), get_entry(R1)
    assert small is not None and r1 is not None
    out: dict[str, Any] = {}
    quants = [q.strip().upper() for q in args.quants.split(",") if q.strip()]
    if quants:
        out["per_quant"] = per_quant(quants, max(1, args.rounds), settings)
    if args.only_quants:
        return report_quants(out, args.json)

    t0 = time.perf_counter()
    ref = bench_model(bundled, DEFAULT_MODEL_ID, settings)
    out["quick_bench_seconds"] = round(time.perf_counter() - t0, 1)
    out["bundled"] = ref.to_dict()
    sb = bench_model(standin, R1, settings, decode_tokens=96, rounds=3, budget_s=60)
    out["standin"] = sb.to_dict()

    p_standin = cost.predict(r1, standin.stat().st_size, ref, context=sb.mean_context)
    p_plain = cost.predict(r1, standin.stat().st_size, ref, context=sb.mean_context, fixed_share=0.0,
                           efficiency=0.0)
    exponent = math.log(ref.prompt_tps / sb.prompt_tps) / math.log(cost.matmul_params(r1) / cost.matmul_params(small))
    p_deep = cost.predict(r1, standin.stat().st_size, ref, context=sb.deep_context)
    lo = fit_efficiency(r1, standin.stat().st_size, ref, sb.decode_tps, sb.mean_context)
    out["prediction"] = {
        "standin_decode": [p_standin.decode_tps, sb.decode_tps],
        "standin_decode_bandwidth_only": [p_plain.decode_tps, sb.decode_tps],
        "standin_decode_deep": [p_deep.decode_tps, sb.deep_decode_tps],
        "standin_prompt": [p_standin.prompt_tps, sb.prompt_tps],
        "fitted_prompt_exponent": round(exponent, 3), "used_prompt_exponent": cost.PROMPT_EXPONENT,
        "fitted_read_efficiency": lo, "used_read_efficiency": cost.READ_EFFICIENCY,
    }
    out["bytes_per_token"] = {
        "bundled": [round(cost.weight_bytes_per_token(small, bundled.stat().st_size)), exact_weight_bytes(bundled)],
        "standin": [round(cost.weight_bytes_per_token(r1, standin.stat().st_size)), exact_weight_bytes(standin)],
    }
    pa = cost.predict(small, bundled.stat().st_size, ref)
    out["typical_answer_bundled"] = [pa.answer_seconds, round(typical_answer(bundled), 1)]
    if args.standin_answer:
        ps = cost.predict(r1, standin.stat().st_size, ref)
        out["typical_answer_standin"] = [ps.answer_seconds, round(typical_answer(standin), 1)]

    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    report_quants(out, False)
    pr = out["prediction"]
    print(f"quick benchmark (bundled {DEFAULT_MODEL_ID}): {out['quick_bench_seconds']} s; "
          f"prompt {ref.prompt_tps} tok/s, "
          f"decode {ref.decode_tps} tok/s ({ref.cpu_variant}, {ref.n_threads} threads)")
    print(f"bundled decode at context {ref.deep_context:.0f}: {ref.deep_decode_tps} tok/s; "
          f"read bandwidth ({ref.n_threads} threads) {ref.read_gbps} GB/s")
    print(f"stand-in measured: prompt {sb.prompt_tps} tok/s, decode {sb.decode_tps} tok/s in {sb.seconds} s\n")
    print(f"{'what':44} {'predicted':>10} {'measured':>10} {'error':>7}")
    rows = [("stand-in decode tok/s", *pr["standin_decode"]),
            ("stand-in decode tok/s, bytes alone", *pr["standin_decode_bandwidth_only"]),
            (f"stand-in decode tok/s at context {sb.deep_context:.0f}", *pr["standin_decode_deep"]),
            ("stand-in prompt tok/s", *pr["standin_prompt"]),
            ("bundled typical answer, s", *out["typical_answer_bundled"])]
    if "typical_answer_standin" in out:
        rows.append(("stand-in typical answer, s", *out["typical_answer_standin"]))
    for what, p, m in rows:
        print(f"{what:44} {p:>10.1f} {m:>10.1f} {err(p, m):>7}")
    print(f"\nweight bytes per decoded token, estimated vs exact: bundled {out['bytes_per_token']['bundled']}, "
          f"stand-in {out['bytes_per_token']['standin']}")
    print(f"prompt-speed exponent: fitted now {pr['fitted_prompt_exponent']}, used {pr['used_prompt_exponent']}; "
          f"read efficiency: fitted now {pr['fitted_read_efficiency']}, used {pr['used_read_efficiency']}")
    return 0



def report_quants(out: dict[str, Any], as_json: bool) -> int:
    if as_json:
        print(json.dumps(out, indent=2))
        return 0
    if "per_quant" not in out:
        return 0
    ref = out["per_quant"]["quick_bench"]
    print(f"per quantization type: forecast from the quick benchmark (decode {ref['decode_tps']} tok/s, read "
          f"{ref['read_gbps']} GB/s, {ref['confidence']}) vs the app's engine decoding 64 tokens on the R1-shaped "
          f"stand-in (what the forecast promises), with llama-bench -p 0 -n 64 beside it")
    print(f"(error and fits against the engine; fitted eff: READ_EFFICIENCY that makes it exact at factor 1; fitted "
          f"factor: QUANT_READ_FACTOR at READ_EFFICIENCY {cost.READ_EFFICIENCY})")
    print(f"{'type':8} {'file MB':>8} {'forecast':>9} {'engine':>8} {'llama-bench':>12} {'error':>7} "
          f"{'fitted eff':>11} {'fitted factor':>14} {'used':>5}")
    for q, row in out["per_quant"]["table"].items():
        print(f"{q:8} {row['file_bytes'] / 1e6:>8.0f} {row['forecast_tps']:>9.1f} {row['engine_tps']:>8.1f} "
              f"{row['llama_bench_tps']:>12.1f} {err(row['forecast_tps'], row['engine_tps']):>7} "
              f"{row['fitted_efficiency']:>11} {row['fitted_factor']:>14} {row['used_factor']:>5}")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
