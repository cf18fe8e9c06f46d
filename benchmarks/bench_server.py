"""Tokens/s through the local OpenAI-compatible server vs the engine directly, in one run.

Same model, prompt and sampling (temperature 0.6, top_p 0.95, a fixed seed, ``ignore_eos`` so both
produce exactly ``--tokens`` tokens); rounds alternate which side goes first, so drift in machine load
hits both alike. The server side is the official ``openai`` client, streaming, against
``LocalServer`` (as the GUI runs it, in this process) or, with ``--subprocess``, against
``assistant serve`` in its own process (as an editor or script would reach it).

    python benchmarks/bench_server.py [--model ID|PATH] [--tokens 256] [--rounds 5] [--threads N]

Prints per-round numbers, the medians and the overhead ratio (target: ≤ 5 %).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.prompting import Message, PromptOptions, default_sampling, shape_messages  # noqa: E402
from assistant.core.chat.protocol import GenerationRequest  # noqa: E402
from assistant.core.models.catalog import resolve_model  # noqa: E402

PROMPT = "Write a long story about a lighthouse keeper and a storm."
SEED = 1234


@dataclass
class Run:
    tokens: int
    total_s: float  # request sent -> last token received
    first_s: float  # request sent -> first token received
    cpu_s: float = 0.0  # CPU time of this process and the server process, all threads

    @property
    def cpu_ms_per_token(self) -> float:
        return self.cpu_s * 1000 / self.tokens if self.tokens else 0.0

    @property
    def decode_tps(self) -> float:  # tokens after the first, over the time after the first
        span = self.total_s - self.first_s
        return (self.tokens - 1) / span if span > 0 and self.tokens > 1 else 0.0

    @property
    def e2e_tps(self) -> float:
        return self.tokens / self.total_s if self.total_s > 0 else 0.0


def run_engine(backend: LlamaCppBackend, n: int) -> Run:
    family = backend.family
    # The server's path: the shared prompt layer, the family's sampling, the request's seed.
    shaped = shape_messages(family, [Message("user", PROMPT)], PromptOptions(maths=False)).messages
    sampling = default_sampling(family, max_tokens=n, seed=SEED)
    request = GenerationRequest(shaped, family, sampling, default_system=backend.info.default_system,
                                ignore_eos=True)
    t0 = time.perf_counter()
    first = last = 0.0
    tokens = 0
    for chunk in backend.stream(request):
        now = time.perf_counter()
        if chunk.done:
            assert chunk.stats is not None
            tokens = chunk.stats.completion_tokens
            break
        if chunk.text:
            first = first or now
            last = now
    return Run(tokens, last - t0, first - t0)


def run_server(client: object, model: str, n: int) -> Run:
    t0 = time.perf_counter()
    first = last = 0.0
    tokens = 0
    stream = client.chat.completions.create(  # type: ignore[attr-defined]
        model=model, messages=[{"role": "user", "content": PROMPT}], temperature=0.6, top_p=0.95,
        max_tokens=n, seed=SEED, stream=True, stream_options={"include_usage": True},
        extra_body={"ignore_eos": True},
    )
    for chunk in stream:
        now = time.perf_counter()
        if chunk.usage is not None:
            tokens = chunk.usage.completion_tokens
        for c in chunk.choices:
            if c.delta.content or getattr(c.delta, "reasoning_content", None):
                first = first or now
                last = now
    return Run(tokens, last - t0, first - t0)


def cpu_clock(proc: subprocess.Popen[str] | None) -> Callable[[], float]:
    """CPU seconds used so far by this process and the server subprocess, if any."""
    import psutil

    procs = [psutil.Process()] + ([psutil.Process(proc.pid)] if proc is not None else [])

    def clock() -> float:
        return sum(t.user + t.system for t in (p.cpu_times() for p in procs))

    return clock


def start_subprocess_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "assistant", "serve", "--port", "0", "--max-tokens-limit", str(args.tokens),
           "--ctx", str(args.ctx)]
    if args.model:
        cmd += ["--model", args.model]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, text=True,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    for line in proc.stderr:
        m = re.search(r"at (http://\S+/v1)", line)
        if m:
            return proc, m.group(1)
    raise SystemExit(f"assistant serve did not start (exit {proc.wait()})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="catalog id or .gguf path (default: the bundled model)")
    ap.add_argument("--tokens", type=int, default=256, help="tokens per request (default 256)")
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds per side (default 5)")
    ap.add_argument("--threads", type=int, default=0, help="llama.cpp threads (default: physical cores)")
    ap.add_argument("--ctx", type=int, default=2048)
    ap.add_argument("--subprocess", action="store_true", help="run the server as `assistant serve` in its own process")
    args = ap.parse_args()

    from openai import OpenAI

    from assistant.server import LocalServer, model_ids

    resolved = resolve_model(args.model)
    backend = LlamaCppBackend(resolved.path, n_ctx=args.ctx, n_threads=args.threads or None, entry=resolved.entry)
    model = model_ids(backend)[0]
    proc = None
    server = None
    if args.subprocess:
        proc, url = start_subprocess_server(args)
    else:
        server = LocalServer(lambda: backend, port=0, max_tokens_limit=args.tokens)
        server.start()
        url = server.url
    client = OpenAI(base_url=url, api_key="none", max_retries=0, timeout=600)
    where = "assistant serve (own process)" if args.subprocess else "LocalServer (in process)"
    print(f"model {model} · {backend.n_threads} threads · {args.tokens} tokens/request · {args.rounds} rounds · "
          f"server: {where}")
    try:
        run_engine(backend, 8)  # warm-ups (not counted): load pages, fill caches
        run_server(client, model, 8)
        engine: list[Run] = []
        served: list[Run] = []
        cpu = cpu_clock(proc)
        for r in range(args.rounds):
            order = ("engine", "server") if r % 2 == 0 else ("server", "engine")
            for side in order:
                c0 = cpu()
                run = run_engine(backend, args.tokens) if side == "engine" else run_server(client, model, args.tokens)
                run.cpu_s = cpu() - c0
                (engine if side == "engine" else served).append(run)
                print(f"  round {r + 1} {side:6s}: {run.tokens} tokens, decode {run.decode_tps:7.2f} tok/s, "
                      f"end-to-end {run.e2e_tps:7.2f} tok/s, first token {run.first_s * 1000:6.0f} ms, "
                      f"CPU {run.cpu_ms_per_token:6.2f} ms/token")
        assert all(run.tokens == args.tokens for run in engine + served), "both sides must generate --tokens"
    finally:
        if server is not None:
            server.stop()
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            proc.wait(30)
        backend.close()

    def med(runs: list[Run], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs)

    def best(runs: list[Run], attr: str) -> float:
        return max(getattr(r, attr) for r in runs)

    # Each round's two runs saw nearly the same machine load: the median of the per-round ratios is the
    # figure least disturbed by other programs; medians and bests of each side are shown too.
    pair_ratio = statistics.median(s.e2e_tps / e.e2e_tps for e, s in zip(engine, served))
    print()
    print(f"{'':24s} {'engine':>10s} {'server':>10s} {'server/engine':>14s} {'overhead':>9s}")
    for label, attr, pick in (("median decode tok/s", "decode_tps", med), ("median end-to-end tok/s", "e2e_tps", med),
                              ("best end-to-end tok/s", "e2e_tps", best)):
        e, s = pick(engine, attr), pick(served, attr)
        print(f"{label:24s} {e:10.2f} {s:10.2f} {s / e:14.3f} {1 - s / e:9.1%}")
    print(f"{'per-round ratio, median':24s} {'':10s} {'':10s} {pair_ratio:14.3f} {1 - pair_ratio:9.1%}")
    e_cpu, s_cpu = med(engine, "cpu_ms_per_token"), med(served, "cpu_ms_per_token")
    print(f"{'median CPU ms/token':24s} {e_cpu:10.2f} {s_cpu:10.2f} {s_cpu / e_cpu:14.3f} {s_cpu / e_cpu - 1:9.1%}"
          "  (client + server work per token; costs tokens/s when the cores are busy)")
    overhead = 1 - pair_ratio
    print(f"\nserver overhead (end-to-end tokens/s, per-round median): {overhead:.1%} (target ≤ 5%) -> "
          f"{'OK' if overhead <= 0.05 else 'ABOVE TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
