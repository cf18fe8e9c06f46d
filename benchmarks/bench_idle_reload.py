"""Reload after an idle unload (issue 26), with and without kept KV states, side by side, alternating:
a conversation is evaluated, the model is unloaded as ``assistant serve`` unloads it when idle (its KV cache
written to disk first), then loaded again for the conversation's next question. Timed: the load, and the
first token of the next reply (evaluating the conversation again, or restoring it from disk).

    python benchmarks/bench_idle_reload.py [--context-tokens 1500] [--rounds 3] [--model bundled|standin|PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.prompting import Message  # noqa: E402
from assistant.core.chat.protocol import GenerationRequest  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

STORY = "The keeper of the lighthouse wrote down every ship that passed, its flag and its cargo. "


def first_token(backend: LlamaCppBackend, messages: list[Message]) -> float:
    request = GenerationRequest(messages=messages, family=backend.family, sampling=Sampling(temperature=0.0,
                                                                                             max_tokens=1))
    done = next(c for c in backend.stream(request) if c.done).stats
    assert done is not None
    return done.prompt_seconds


def cycle(path: Path, n_tokens: int, kept: bool, tag: int, threads: int) -> tuple[float, float]:
    """(load seconds, first-token seconds) of the reload."""
    os.environ["ASSISTANT_KV_STATES"] = "on" if kept else "off"
    backend = LlamaCppBackend(path, n_ctx=n_tokens + 512, n_threads=threads)
    words = max(1, n_tokens // len(backend.tokenize_prompt(STORY)))
    history = [Message("user", f"[{tag}] " + STORY * words + "Which ship came first?"),
               Message("assistant", "The first ship was the Aurora.")]
    first_token(backend, history[:1])  # the conversation so far, evaluated once
    backend.keep_state()  # what the idle unload does before closing
    backend.close()
    t0 = time.perf_counter()
    backend = LlamaCppBackend(path, n_ctx=n_tokens + 512, n_threads=threads)
    load = time.perf_counter() - t0
    ttft = first_token(backend, [*history, Message("user", "And the second?")])
    backend.close()
    return load, ttft


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--context-tokens", type=int, default=1500)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--model", default="bundled")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.model == "bundled":
        path = find_bundled_model()
    elif args.model == "standin":
        from standin import standin_model

        path = standin_model()
    else:
        path = Path(args.model)
    os.environ.setdefault("ASSISTANT_HOME", str(Path.home() / ".cache" / "assistant-bench-home"))
    loads: dict[bool, list[float]] = {True: [], False: []}
    ttfts: dict[bool, list[float]] = {True: [], False: []}
    for r in range(args.rounds):
        for kept in ((True, False) if r % 2 == 0 else (False, True)):
            load, ttft = cycle(path, args.context_tokens, kept, tag=r * 2 + kept, threads=args.threads)
            loads[kept].append(load)
            ttfts[kept].append(ttft)
    med = statistics.median
    print(f"{path.name}: conversation of ~{args.context_tokens} tokens, {args.threads} threads, {args.rounds} rounds")
    for kept in (False, True):
        what = "kept KV state " if kept else "no kept state"
        print(f"  {what}: load {med(loads[kept]) * 1000:6.0f} ms, first token of the next reply "
              f"{med(ttfts[kept]) * 1000:6.0f} ms, together {(med(loads[kept]) + med(ttfts[kept])) * 1000:6.0f} ms")
    total = {k: med(loads[k]) + med(ttfts[k]) for k in (True, False)}
    print(f"  reload-to-first-token, kept / not kept: {total[True] / total[False]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
