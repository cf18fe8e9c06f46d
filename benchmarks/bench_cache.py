"""No prompt evaluated twice, measured on the R1-shaped stand-in (2 threads), side by side in one run.

    python benchmarks/bench_cache.py [--model standin|bundled|PATH] [--reasoning 1000] [--long 4000]

1. A 6-turn conversation whose replies each carry >= 1,000 tokens of reasoning. R1's template sends a
   reply back without its reasoning, so after turn 5 the cache stops matching where that reasoning began.
   Time to first token of turn 6: without prewarm (today's figure before this work), with the prewarm the
   app runs while the user types, and the time to evaluate the new user message alone (the floor).
   Target: with prewarm <= 1.3x the floor.
2. Switching back to a conversation of >= 4,000 tokens after another one took the cache: time to first
   token with the kept state restored vs re-evaluating it. Target <= 0.1x.

The replies are put in the cache as if generated (their tokens evaluated), which is what the KV cache
holds after a reply; generating 5,000 tokens of random reasoning would only make the run long.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.prompting import Message  # noqa: E402
from assistant.core.chat.turn import ChatTurn, TurnOptions, next_prefix  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

THREADS = 2
OPTIONS = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=1), thinking_budget=0, answer_reserve=0,
                      loop_action="off")
TEXT = ("we need to check the sum again so the width is six and the length is nine then the perimeter is "
        "thirty and the area is fifty four wait let me verify each step carefully before answering")
WORDS = TEXT.split(" ")


def filler(n_words: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n_words))


def ttft(backend: LlamaCppBackend, history: list[Message], text: str) -> float:
    result = ChatTurn(backend, history, text, OPTIONS).run()
    return result.best.stats.prompt_seconds


def put_reply_in_cache(backend: LlamaCppBackend, history: list[Message], question: str, reasoning: str,
                       answer: str) -> None:
    """The cache as a reply leaves it: the prompt, then the reasoning, </think> and the answer."""
    shaped = next_prefix([*history, Message("user", question)], OPTIONS, backend.family)
    prompt = backend.tokenize_prompt(backend.render(shaped))
    reply = backend.llm.tokenize(f"{reasoning}\n</think>\n\n{answer}".encode(), add_bos=False, special=True)
    backend._prepare(prompt + list(reply))


def conversation(backend: LlamaCppBackend, turns: int, reasoning_words: int) -> tuple[list[Message], str, str]:
    history: list[Message] = []
    for k in range(turns - 1):
        history += [Message("user", f"Question {k + 1}: " + filler(30, k)), Message("assistant", filler(150, k + 50))]
    return history, "Question 6: " + filler(30, 99), filler(reasoning_words, 77)


def bench_prewarm(backend: LlamaCppBackend, reasoning_words: int) -> float:
    history, question6, reasoning = conversation(backend, 6, reasoning_words)
    *before, last_q, last_a = history
    n_reason = len(backend.llm.tokenize(reasoning.encode(), add_bos=False))
    print(f"\n1. six turns; the last reply's reasoning is {n_reason} tokens", flush=True)
    # today: the cache holds turn 5 with its reasoning; turn 6 is sent as it is
    put_reply_in_cache(backend, before, last_q.content, reasoning, last_a.content)
    cold = ttft(backend, history, question6)
    # the app: the same, then the prewarm while the user types
    put_reply_in_cache(backend, before, last_q.content, reasoning, last_a.content)
    t0 = time.perf_counter()
    backend.prewarm(next_prefix(history, OPTIONS, backend.family), None, threading.Event())
    prewarm_s = time.perf_counter() - t0
    warm = ttft(backend, history, question6)
    # the floor: the cache at exactly the prefix, the new message evaluated alone
    prefix = backend.tokenize_prompt(backend.family.render(next_prefix(history, OPTIONS, backend.family), False,
                                                           backend.info.default_system))
    full = backend.tokenize_prompt(backend.render(next_prefix([*history, Message("user", question6)], OPTIONS,
                                                              backend.family)))
    backend._prepare(prefix)
    t0 = time.perf_counter()
    backend.llm.eval(full[len(prefix):])
    floor = time.perf_counter() - t0
    print(f"time to first token of turn 6: without prewarm {cold:.2f} s | with prewarm {warm:.2f} s "
          f"(prewarm itself {prewarm_s:.2f} s while the user types) | new message alone {floor:.2f} s "
          f"({len(full) - len(prefix)} tokens)")
    print(f"with prewarm / new message alone = {warm / floor:.2f}   (target <= 1.3); "
          f"without prewarm it was {cold / floor:.2f}x")
    return warm / floor


def bench_switch(backend: LlamaCppBackend, long_tokens: int) -> float:
    words = max(10, long_tokens)  # these filler words are one token each
    a = [Message("user", filler(words // 2, 1)), Message("assistant", filler(words // 2, 2))]
    b = [Message("user", filler(200, 3))]
    n = len(backend.tokenize_prompt(backend.render(a)))
    print(f"\n2. switching back to a conversation of {n} tokens", flush=True)
    ttft(backend, a, "And then?")
    ttft(backend, b, "Why?")  # another conversation takes the cache
    restored = ttft(backend, a, "And then?")
    states, backend.states = backend.states, None  # the same, with nothing kept
    ttft(backend, b, "Why?")
    again = ttft(backend, a, "And then?")
    backend.states = states
    print(f"time to first token: restored {restored:.2f} s | re-evaluated {again:.2f} s")
    print(f"restored / re-evaluated = {restored / again:.3f}   (target <= 0.1)")
    return restored / again


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="standin")
    ap.add_argument("--reasoning", type=int, default=1000, help="words of reasoning in the last reply")
    ap.add_argument("--long", type=int, default=4000, help="tokens of the conversation switched back to")
    args = ap.parse_args()
    if args.model == "standin":
        from standin import standin_model

        path = standin_model()
    else:
        path = find_bundled_model() if args.model == "bundled" else Path(args.model)
    os.environ.setdefault("ASSISTANT_HOME", str(Path.home() / ".cache" / "assistant" / "bench" / "home"))
    backend = LlamaCppBackend(path, n_ctx=8192, n_threads=THREADS)
    print(f"model {backend.info.name} ({backend.family.name}), {THREADS} threads", flush=True)
    try:
        r1 = bench_prewarm(backend, args.reasoning)
        r2 = bench_switch(backend, args.long)
    finally:
        backend.close()
    return 0 if r1 <= 1.3 and r2 <= 0.1 else 1


if __name__ == "__main__":
    sys.exit(main())
