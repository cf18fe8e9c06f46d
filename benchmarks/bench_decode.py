"""Decode throughput: our engine vs a bare ``Llama.generate`` loop vs llama-cpp-python's streaming chat.

All run in one process on the same loaded model, with the same prompt and greedy decoding; rounds
alternate so that machine noise hits each alike, and the medians are compared. Targets:
engine >= 0.97x the bare loop, and >= 1.1x ``create_chat_completion(stream=True)`` on a reply of
>= 2,000 tokens.

A reply that long needs the end-of-generation tokens banned. The bare loop never stops by itself;
the engine bans them with llama.cpp's native logit-bias sampler (``ignore_eos``);
``create_chat_completion`` only offers ``logit_bias``, which it applies through a Python logits
processor. That processor's own cost is measured too (the bare loop with and without it), and the
comparison is also printed with it taken out, so the ratio is not flattered by it.

    python benchmarks/bench_decode.py [--tokens 2048] [--rounds 3] [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.chat.prompting import Message, Sampling
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.models.catalog import find_bundled_model

PROMPT = "Count from 1 to 1000, separated by commas."


def decode_rate(times: list[float]) -> float:
    """Tokens per second after the first token (the first includes the prompt)."""
    return (len(times) - 1) / (times[-1] - times[0])


def window_rates(times: list[float], width: int = 400) -> tuple[float, float]:
    """Rate over the first and the last `width` tokens: flat for O(1) per token, falling if quadratic."""
    first = (width - 1) / (times[width] - times[1])
    last = (width - 1) / (times[-1] - times[-width])
    return first, last


def bias_processor(bias: dict[int, float]):  # type: ignore[no-untyped-def]
    """The same logits processor create_completion builds from ``logit_bias``."""
    import numpy as np
    from llama_cpp import LogitsProcessorList

    def apply(input_ids, scores):  # type: ignore[no-untyped-def]
        new = np.copy(scores)
        for tok, b in bias.items():
            new[tok] = b + scores[tok]
        return new

    return LogitsProcessorList([apply])


def run_bare(backend: LlamaCppBackend, tokens: list[int], n: int, processor=None) -> tuple[list[float], list[int]]:  # type: ignore[no-untyped-def]
    llm = backend.llm
    llm.reset()
    times: list[float] = []
    out: list[int] = []
    for tok in llm.generate(tokens, temp=0.0, top_k=40, top_p=0.95, min_p=0.0, repeat_penalty=1.0, reset=True,
                            logits_processor=processor):
        times.append(time.perf_counter())
        out.append(tok)
        if len(out) >= n:
            break
    return times, out


def run_engine(backend: LlamaCppBackend, n: int) -> tuple[list[float], str, int]:
    backend.llm.reset()
    req = GenerationRequest([Message("user", PROMPT)], backend.family, Sampling(temperature=0.0, max_tokens=n),
                            ignore_eos=True)
    times: list[float] = []
    text = []
    n_tokens = 0
    # Time per token, not per text piece: count tokens through the stats' token list afterwards and
    # stamp every piece (pieces are one per token except where a character spans tokens).
    for chunk in backend.stream(req):
        if chunk.done:
            assert chunk.stats is not None
            n_tokens = chunk.stats.completion_tokens
            finish = chunk.stats.finish_reason
            break
        times.append(time.perf_counter())
        text.append(chunk.text)
    if finish != "length":
        raise SystemExit(f"engine reply ended early ({finish}); the benchmark needs {n} tokens")
    return times, "".join(text), n_tokens


def run_chat_completion(backend: LlamaCppBackend, n: int, bias: dict[int, float]) -> tuple[list[float], str]:
    llm = backend.llm
    llm.reset()
    times: list[float] = []
    text = []
    finish = None
    stream = llm.create_chat_completion([{"role": "user", "content": PROMPT}], max_tokens=n, temperature=0.0,
                                        top_p=0.95, top_k=40, min_p=0.0, repeat_penalty=1.0, stream=True,
                                        logit_bias=bias)
    for chunk in stream:
        choice = chunk["choices"][0]
        piece = choice["delta"].get("content")
        if piece:
            times.append(time.perf_counter())
            text.append(piece)
        finish = choice.get("finish_reason") or finish
    if finish != "length":
        raise SystemExit(f"chat completion ended early ({finish}); the benchmark needs {n} tokens")
    return times, "".join(text)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=2048)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--model", default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    n = args.tokens
    backend = LlamaCppBackend(args.model or find_bundled_model(), n_ctx=max(4096, n + 256))
    prompt_tokens = backend.tokenize_prompt(backend.render([Message("user", PROMPT)]))
    print(f"model {backend.info.name}, {backend.n_threads} threads, reply {n} tokens, {args.rounds} rounds",
          flush=True)

    bias = {t: -100.0 for t in backend._eog_tokens()}
    bare, bare_proc, engine, chat = [], [], [], []
    eng_windows, chat_windows, bare_windows = [], [], []
    for r in range(args.rounds):
        t_bare, bare_tokens = run_bare(backend, prompt_tokens, n)
        t_eng, eng_text, eng_n = run_engine(backend, n)
        t_chat, chat_text = run_chat_completion(backend, n, bias)
        t_proc, _ = run_bare(backend, prompt_tokens, n, bias_processor(bias))
        if eng_text != chat_text:
            raise SystemExit("engine and create_chat_completion produced different text: not comparable")
        if backend.detokenize(bare_tokens) != eng_text:
            print("note: the bare loop's text differs (it does not stop or hold back anything)", file=sys.stderr)
        # Per-token timing for the engine: pieces ~ tokens; scale by the true token count.
        bare_rate = decode_rate(t_bare)
        eng_rate = decode_rate(t_eng) * (eng_n - 1) / (len(t_eng) - 1)
        chat_rate = decode_rate(t_chat) * (eng_n - 1) / (len(t_chat) - 1)
        bare.append(bare_rate)
        bare_proc.append(decode_rate(t_proc))
        engine.append(eng_rate)
        chat.append(chat_rate)
        eng_windows.append(window_rates(t_eng))
        bare_windows.append(window_rates(t_bare))
        chat_windows.append(window_rates(t_chat))
        print(f"round {r + 1}: bare generate {bare_rate:7.1f} tok/s | engine {eng_rate:7.1f} tok/s | "
              f"create_chat_completion(stream) {chat_rate:7.1f} tok/s | bare + Python logit_bias "
              f"{bare_proc[-1]:7.1f} tok/s", flush=True)

    mb, me, mc = statistics.median(bare), statistics.median(engine), statistics.median(chat)
    processor_cost = statistics.median(p / b for p, b in zip(bare_proc, bare))  # < 1: the processor slows it
    e_first, e_last = statistics.median(w[0] for w in eng_windows), statistics.median(w[1] for w in eng_windows)
    c_first, c_last = statistics.median(w[0] for w in chat_windows), statistics.median(w[1] for w in chat_windows)
    b_first, b_last = statistics.median(w[0] for w in bare_windows), statistics.median(w[1] for w in bare_windows)
    result = {
        "tokens": n,
        "bare_generate_tok_s": round(mb, 1),
        "engine_tok_s": round(me, 1),
        "chat_completion_stream_tok_s": round(mc, 1),
        "engine_vs_bare": round(me / mb, 3),
        "engine_vs_chat_completion": round(me / mc, 3),
        "python_logit_bias_speed_factor": round(processor_cost, 3),
        # If the processor measured no cost (noise), nothing is taken out.
        "engine_vs_chat_completion_without_processor": round(me / (mc / min(1.0, processor_cost)), 3),
        "engine_last_vs_first_400": round(e_last / e_first, 3),
        "chat_completion_last_vs_first_400": round(c_last / c_first, 3),
        "bare_last_vs_first_400": round(b_last / b_first, 3),
    }
    print()
    print(f"engine / bare Llama.generate loop          = {result['engine_vs_bare']:.3f}   (target >= 0.97)")
    print(f"engine / create_chat_completion(stream)    = {result['engine_vs_chat_completion']:.3f}   "
          f"(target >= 1.10)")
    print(f"  ... with the Python logit_bias processor's cost taken out "
          f"= {result['engine_vs_chat_completion_without_processor']:.3f}   "
          f"(that processor alone runs the bare loop at {processor_cost:.3f}x)")
    print(f"speed over the last 400 vs first 400 tokens (attention over a longer context slows every loop): "
          f"bare {result['bare_last_vs_first_400']:.3f}, engine {result['engine_last_vs_first_400']:.3f}, "
          f"create_chat_completion {result['chat_completion_last_vs_first_400']:.3f}")
    print(f"engine's slowdown beyond the bare loop's (1.0 = per-token cost flat) = "
          f"{result['engine_last_vs_first_400'] / result['bare_last_vs_first_400']:.3f}; "
          f"create_chat_completion's = "
          f"{result['chat_completion_last_vs_first_400'] / result['bare_last_vs_first_400']:.3f}")
    if args.json:
        print(json.dumps(result))
    backend.close()
    ok = result["engine_vs_bare"] >= 0.97 and result["engine_vs_chat_completion_without_processor"] >= 1.1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
