"""Walking between branches of a long conversation: the cache restored vs re-evaluated, side by side in one run.

    python benchmarks/bench_branches.py [--model standin|bundled|PATH] [--tokens 3000] [--reps 2] [--threads 2]

A conversation whose first reply was regenerated, each of the two replies followed by its own long run of
turns (``--tokens`` per branch after the branch point). A switch is what the window does when the user
clicks ‹ or ›: ``History.show`` (the path remembered) and the prewarm of the path walked to, until the cache
holds exactly that branch's next prompt start. With kept states the branch left is kept and the one walked
to is restored; without (``backend.states = None``, as before branches) the branch walked to is evaluated
from the branch point. Each rep runs both modes, alternating which goes first; the turns are put in the
cache as text (their tokens evaluated), which is what a reply leaves there once its reasoning is dropped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402

from assistant.core.backends.kv_states import common_prefix  # noqa: E402
from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.history import History, history_messages  # noqa: E402
from assistant.core.chat.prompting import Message  # noqa: E402
from assistant.core.chat.turn import TurnOptions, next_prefix  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

THREADS = 2
OPTIONS = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=1))
TEXT = ("we need to check the sum again so the width is six and the length is nine then the perimeter is "
        "thirty and the area is fifty four wait let me verify each step carefully before answering")
WORDS = TEXT.split(" ")


def filler(n_words: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n_words))


def build(h: History, words: int) -> tuple[int, int, int]:
    """The conversation: returns (its id, branch A's last message, branch B's last message)."""
    c = h.create_conversation("branches")
    u1 = h.add_message(c.id, "user", "Question 1: " + filler(60, 1))
    leaves = []
    for branch in (0, 1):
        at = h.add_message(c.id, "assistant", f"Reply {branch}: " + filler(120, 2 + branch), parent_id=u1)
        turns = max(1, words // 400)
        for k in range(turns):
            at = h.add_message(c.id, "user", f"Question {k + 2}: " + filler(100, 10 * branch + k), parent_id=at)
            at = h.add_message(c.id, "assistant", filler(300, 50 + 10 * branch + k), parent_id=at)
        leaves.append(at)
    return c.id, leaves[0], leaves[1]


def prompt_of(backend: LlamaCppBackend, h: History, leaf: int) -> np.ndarray:
    """The tokens of a branch's next prompt start (shows that branch)."""
    path = [Message(r, t) for r, t in history_messages(h.show(leaf))]
    return np.asarray(backend.tokenize_prompt(backend.render(next_prefix(path, OPTIONS, backend.family))))


def switch(backend: LlamaCppBackend, h: History, leaf: int) -> tuple[float, int]:
    """One click on the navigator: (seconds until the cache holds the branch's next prompt start, its tokens)."""
    t0 = time.perf_counter()
    path = [Message(r, t) for r, t in history_messages(h.show(leaf))]
    prefix = next_prefix(path, OPTIONS, backend.family)
    backend.prewarm(prefix, None, threading.Event())
    return time.perf_counter() - t0, backend.llm.n_tokens


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="standin")
    ap.add_argument("--tokens", type=int, default=3000, help="about this many tokens per branch after the branch point")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--threads", type=int, default=THREADS)
    args = ap.parse_args()
    if args.model == "standin":
        from standin import standin_model

        path = standin_model()
    else:
        path = find_bundled_model() if args.model == "bundled" else Path(args.model)
    os.environ.setdefault("ASSISTANT_HOME", tempfile.mkdtemp(prefix="bench-branches-"))
    backend = LlamaCppBackend(path, n_ctx=8192, n_threads=args.threads)
    kept = backend.states
    print(f"model {backend.info.name} ({backend.family.name}), {args.threads} threads", flush=True)
    times: dict[str, list[float]] = {"restored": [], "re-evaluated": []}
    try:
        with History(Path(tempfile.mkdtemp(prefix="bench-branches-")) / "history.db") as h:
            _cid, leaf_a, leaf_b = build(h, args.tokens)
            n_a, n_b = switch(backend, h, leaf_a)[1], switch(backend, h, leaf_b)[1]  # both seen once
            common = common_prefix(prompt_of(backend, h, leaf_a), prompt_of(backend, h, leaf_b))
            switch(backend, h, leaf_b)
            print(f"branch A {n_a} tokens, branch B {n_b} tokens, shared before the branch point {common}; "
                  f"a switch re-evaluates {n_a - common} / {n_b - common} tokens without kept states", flush=True)
            for rep in range(args.reps):
                order = ["restored", "re-evaluated"] if rep % 2 == 0 else ["re-evaluated", "restored"]
                for mode in order:
                    backend.states = kept if mode == "restored" else None
                    for leaf in (leaf_a, leaf_b):
                        hits = kept.hits if kept is not None else 0
                        seconds, _ = switch(backend, h, leaf)
                        if mode == "restored" and kept is not None:
                            assert kept.hits == hits + 1, "the branch walked to was not restored"
                        times[mode].append(seconds)
                        print(f"  rep {rep + 1} {mode:12s} to {'A' if leaf == leaf_a else 'B'}: {seconds:6.2f} s",
                              flush=True)
    finally:
        backend.states = kept
        backend.close()
    restored, evaluated = statistics.median(times["restored"]), statistics.median(times["re-evaluated"])
    print(f"\nbranch switch, median of {len(times['restored'])}: restored {restored:.2f} s | "
          f"re-evaluated {evaluated:.2f} s | restored / re-evaluated = {restored / evaluated:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
