"""What structured output costs (issue 26), side by side in one run, alternating which side goes first:

1. decode tok/s on the same prompt with a JSON schema's grammar vs without;
2. the first answer token after the reasoning is closed (``</think>``), with the grammar taking over vs
   without it (the reasoning controller closes it at its budget; the answer then starts a new request);

    python benchmarks/bench_structured.py [--tokens 160] [--rounds 3] [--model bundled|standin|PATH]

Default: the bundled SmolLM2 (it writes the JSON it is asked for: the grammar mostly agrees with its first
choice) and the R1-shaped stand-in (benchmarks/standin.py: random weights and R1's 151,936-token vocabulary;
its tokens are almost never valid JSON, so nearly every token takes the full-vocabulary grammar check, the
worst case). Greedy, 2 threads (--threads).
"""

from __future__ import annotations

import argparse
import statistics
import sys
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
from assistant.core.structured.grammar import json_schema_grammar  # noqa: E402

# A shape with room to write for a while: the grammar stays open as long as the list goes on.
SCHEMA = {"type": "object", "properties": {
    "title": {"type": "string", "maxLength": 60},
    "steps": {"type": "array", "items": {"type": "object", "properties": {
        "n": {"type": "integer"}, "text": {"type": "string", "maxLength": 80}}, "required": ["n", "text"]}}},
    "required": ["title", "steps"], "additionalProperties": False}
QUESTION = "List the steps to bake bread, as JSON with a title and numbered steps."


def decode(backend: LlamaCppBackend, n: int, grammar: bool) -> tuple[float, int]:
    """tok/s of one reply and its length (without the grammar: exactly n tokens, end-of-text banned)."""
    g = json_schema_grammar(SCHEMA) if grammar else None
    request = GenerationRequest(messages=[Message("user", QUESTION)], family=backend.family,
                                sampling=Sampling(temperature=0.0, max_tokens=n), ignore_eos=not grammar, grammar=g)
    backend.llm.reset()
    stats = next(c for c in backend.stream(request) if c.done).stats
    assert stats is not None
    return stats.tokens_per_second, stats.completion_tokens


def answer_latency(backend: LlamaCppBackend, grammar: bool) -> float:
    """Seconds from the reasoning closed at its budget to the first answer text."""
    options = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=200), ignore_eos=False,
                          force_thinking=not backend.family.starts_in_reasoning, thinking_budget=24,
                          answer_reserve=64, grammar=json_schema_grammar(SCHEMA) if grammar else None)
    turn = ChatTurn(backend, [], QUESTION, options)
    backend.llm.reset()
    for ev in turn.events():
        if ev.kind == "answer":
            break
    ctl = turn.samples[0].control
    assert ctl is not None and ctl.answer_latency is not None, "the reasoning was not closed by the budget"
    return ctl.answer_latency


def bench(path: Path, n: int, rounds: int, threads: int) -> None:
    backend = LlamaCppBackend(path, n_ctx=2048, n_threads=threads)
    print(f"\n== {backend.info.name} ({backend.llm.n_vocab():,} tokens in the vocabulary), {threads} threads, "
          f"{rounds} rounds", flush=True)
    decode(backend, 16, True)  # warm-up
    plain: list[float] = []
    shaped: list[float] = []
    lengths: list[int] = []
    lat_plain: list[float] = []
    lat_shaped: list[float] = []
    for r in range(rounds):
        order = (False, True) if r % 2 == 0 else (True, False)
        for g in order:
            tps, length = decode(backend, n, g)
            (shaped if g else plain).append(tps)
            if g:
                lengths.append(length)
        for g in order:
            (lat_shaped if g else lat_plain).append(answer_latency(backend, g))
    med = statistics.median
    print(f"decode, no grammar        : {med(plain):7.1f} tok/s ({n} tokens)")
    print(f"decode, JSON schema       : {med(shaped):7.1f} tok/s ({med(lengths):.0f} tokens)  "
          f"ratio {med(shaped) / med(plain):.2f}x")
    print(f"first answer token after the budget closed </think>: without grammar {med(lat_plain) * 1000:.0f} ms, "
          f"with {med(lat_shaped) * 1000:.0f} ms  ratio {med(lat_shaped) / med(lat_plain):.2f}x")
    backend.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokens", type=int, default=160)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2, help="1 on a machine busy with other work (llama.cpp's "
                    "threads wait for each other by spinning)")
    ap.add_argument("--model", default="", help="bundled, standin or a .gguf path (default: both)")
    args = ap.parse_args()
    paths: list[Path] = []
    if args.model in ("", "bundled"):
        paths.append(find_bundled_model())
    if args.model in ("", "standin"):
        from standin import standin_model

        paths.append(standin_model())
    if args.model not in ("", "bundled", "standin"):
        paths.append(Path(args.model))
    for p in paths:
        bench(p, args.tokens, args.rounds, args.threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
