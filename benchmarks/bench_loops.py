"""Loop detection: the corpus per category and the cost per token, this tree vs an earlier revision.

    python benchmarks/bench_loops.py [--against REV] [--rounds 5]

The earlier detector is read from git (``git show REV:assistant/core/chat/reasoning.py``; default: the
revision before ``loops.py`` existed). Part 1 reads every corpus entry (tests/core/loop_corpus) with both:
loops caught and false alarms, per category. Part 2 feeds a long reasoning (the corpus's legitimate
reasoning texts one after another) piece by piece, as the decode loop does — the pieces are the bundled
model's tokens when llama.cpp and the model are there, else 4 characters — and times both side by side,
alternating which runs first; a detector that finds a loop there is replaced by a fresh one and goes on
(the count is printed). It prints microseconds per token and their ratio.
"""

from __future__ import annotations

import argparse
import codecs
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.chat.loops import LoopDetector  # noqa: E402
from tests.core.loop_corpus import corpus  # noqa: E402

Make = Callable[[bool], Any]


def before_loops() -> str:
    """The revision just before loops.py was added (or HEAD, while it is not committed yet)."""
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", "assistant/core/chat/loops.py"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return f"{added[-1]}~1" if added else "HEAD"


def old_detector(rev: str) -> Make:
    source = subprocess.run(["git", "show", f"{rev}:assistant/core/chat/reasoning.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "old_reasoning.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_reasoning", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_reasoning"] = module
    spec.loader.exec_module(module)
    return lambda answer: module.LoopDetector()


def corpus_table(makers: dict[str, Make]) -> None:
    print("\n== corpus: loops caught / false alarms, per category (pieces of 1-6 characters)")
    for title, entries in (("loops caught", corpus.loops()), ("false alarms", corpus.legit())):
        cats = sorted({e["category"] for e in entries})
        print(f"\n{title:<20}" + "".join(f"{name:>14}" for name in makers))
        totals = dict.fromkeys(makers, 0)
        for cat in cats:
            group = [e for e in entries if e["category"] == cat]
            row = f"{cat:<20}"
            for name, make in makers.items():
                hits = sum(corpus.detect(make, e)[0] is not None for e in group)
                totals[name] += hits
                row += f"{f'{hits}/{len(group)}':>14}"
            print(row)
        print(f"{'all':<20}" + "".join(f"{f'{totals[n]}/{len(entries)}':>14}" for n in makers))


def long_reasoning() -> str:
    return "\n\n".join(e["text"] for e in corpus.legit() if e["mode"] == "reasoning")


def pieces_of(text: str) -> tuple[list[str], str]:
    try:
        from llama_cpp import Llama

        from assistant.core.models.catalog import find_bundled_model

        llm = Llama(str(find_bundled_model()), vocab_only=True, verbose=False)
    except Exception:  # no engine or model here: character pieces
        return [text[i:i + 4] for i in range(0, len(text), 4)], "4-character pieces"
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    out = [decoder.decode(llm.detokenize([t])) for t in llm.tokenize(text.encode("utf-8"), add_bos=False)]
    return [p for p in out if p], "the bundled model's tokens"


def time_one(make: Make, pieces: list[str]) -> tuple[float, int]:
    det, restarts = make(False), 0
    t0 = time.perf_counter()
    for p in pieces:
        if det.feed(p) is not None:
            det, restarts = make(False), restarts + 1
    return (time.perf_counter() - t0) / len(pieces) * 1e6, restarts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--against", default=None, help="the earlier revision (default: before loops.py)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rev = args.against or before_loops()
    makers: dict[str, Make] = {f"old ({rev[:12]})": old_detector(rev), "new": lambda a: LoopDetector(answer=a)}
    corpus_table(makers)
    text = long_reasoning()
    pieces, unit = pieces_of(text)
    print(f"\n== cost: a {len(text):,}-character reasoning in {len(pieces):,} pieces ({unit}), {args.rounds} rounds")
    times: dict[str, list[float]] = {name: [] for name in makers}
    restarts: dict[str, int] = {}
    names = list(makers)
    for r in range(args.rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            us, restarts[name] = time_one(makers[name], pieces)
            times[name].append(us)
    for name in names:
        print(f"{name:<22} {statistics.median(times[name]):7.1f} µs/token (rounds: "
              f"{', '.join(f'{t:.1f}' for t in times[name])}); loops found on the way: {restarts[name]}")
    print(f"new / old: {statistics.median(times[names[1]]) / statistics.median(times[names[0]]):.2f}x")


if __name__ == "__main__":
    main()
