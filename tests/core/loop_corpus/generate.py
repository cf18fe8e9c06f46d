"""Generates the bundled model's own loops for the corpus: ``model_loops.json``.

    .venv/bin/python tests/core/loop_corpus/generate.py [--tokens 700]

Each prompt goes through the app's backend (llama.cpp, the bundled SmolLM2) at temperature 0 with loop
detection off, forced to think (its reasoning is kept) or answering plainly (its answer is kept). SmolLM2
answers Chinese questions in English, so the Chinese ones give the reply's first words in Chinese (the
app's Continue: the model writes on from them). A
reply is kept as a loop when measures that are not the detector say so: it ran to the token limit (the
model did not end it), and its second half compresses to less than :data:`LOOP_RATIO` of its size given
the first (zlib), i.e. it mostly repeats what came before. Replies that do not loop are left out (they
are printed, with their ratio, for a look).
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402
from assistant.core.chat.reasoning import OPEN_WITH  # noqa: E402
from assistant.core.chat.turn import ChatTurn, TurnOptions  # noqa: E402
from assistant.core.models.catalog import find_bundled_model  # noqa: E402
from assistant.core.settings import Sampling  # noqa: E402

LOOP_RATIO = 0.25

# (prompt, force thinking[, the reply's first words])
PROMPTS: list[tuple[str, bool] | tuple[str, bool, str]] = [
    ("Repeat after me: la la la", True),
    ("What is 2+3?", True),
    ("Explain recursion.", True),
    ("What is the meaning of life?", True),
    ("List the prime numbers below 100 and explain how you found them.", True),
    ("A rectangle has a perimeter of 30 cm and its length is 3 cm more than its width. Find its area.", True),
    ("Please reason step by step, and put your final answer within \\boxed{}. What is 17 times 23?", True),
    ("Write a short story about a robot who learns to paint.", True),
    ("How do I sort a list in Python?", True),
    ("Why is the sky blue?", True),
    ("Count from one to twenty in words.", False),
    ("List the properties of a good algorithm.", False),
    ("Write the multiplication table of 7.", False),
    ("What are the rules of chess?", False),
    ("一个长方形的周长是30厘米，长比宽多3厘米，求它的面积。", True),
    ("请逐步推理，并将最终答案放在\\boxed{}内。17乘以23等于多少？", True),
    ("什么是递归？", True),
    ("为什么天空是蓝色的？", True),
    ("请解释一下机器学习的特别性。", True),
    ("列出一百以内的所有质数。", True),
    ("写一首关于春天的诗。", True),
    ("人生的意义是什么？", True),
    ("请介绍一下中国的历史。", False),
    ("列出好算法的特性。", False),
    ("请解释一下函数的特别性：1.1.1.1。", False),
    ("写出七的乘法表。", False),
    ("请解释一下机器学习的特别性。", True, "我们来分析这个问题的特别性。\n\n特别性："),
    ("列出一百以内的所有质数。", True, "好的，我们一个一个地检查。"),
    ("一个长方形的周长是30厘米，长比宽多3厘米，求它的面积。", True, "首先，我们设宽为x厘米，"),
    ("为什么天空是蓝色的？", True, "嗯，这是因为"),
    ("人生的意义是什么？", True, "人生的意义是"),
    ("什么是递归？", True, "递归是"),
    ("17乘以23等于多少？", True, "我们来计算：17乘以23，"),
    ("写一首关于春天的诗。", False, "春天来了，"),
    ("请介绍一下中国的历史。", False, "中国的历史"),
    ("列出好算法的特性。", False, "好算法的特性：\n1."),
]


def ratio(text: str) -> float:
    """How much of the second half is new: its compressed size given the first half, over its size."""
    data = text.encode("utf-8")
    half = len(data) // 2
    whole = len(zlib.compress(data, 9))
    first = len(zlib.compress(data[:half], 9))
    return (whole - first) / max(1, len(data) - half)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=700)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", type=int, nargs="*", help="these prompts only (by index); the others' entries stay")
    args = ap.parse_args()
    backend = LlamaCppBackend(find_bundled_model(), n_ctx=4096, n_threads=args.threads)
    path = HERE / "model_loops.json"
    out = [e for e in json.loads(path.read_text(encoding="utf-8")) if args.only and e["n"] not in args.only] \
        if path.exists() else []
    for n, (prompt, think, *start) in enumerate(PROMPTS):
        if args.only and n not in args.only:
            continue
        options = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=args.tokens), force_thinking=think,
                              thinking_budget=0, answer_reserve=0, loop_action="off")
        begin = (OPEN_WITH if think else "") + start[0] if start else ""
        result = ChatTurn(backend, [], prompt, options, continue_reply=begin).run()
        text = result.reasoning if think else result.answer
        r = ratio(text)
        zh = sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 0.3 * len(text.strip() or "x")  # the reply's language
        kept = r < LOOP_RATIO and len(text) > 200 and result.best.stats.finish_reason == "length"
        print(f"{'LOOP' if kept else 'ok  '} {r:.3f} {len(text):5d} {prompt[:40]!r}: {text[-120:]!r}", flush=True)
        if kept:
            lang = "zh" if zh else "en"
            out.append({"id": f"model-{lang}-{n:02d}", "n": n, "category": f"model_{lang}",
                        "mode": "reasoning" if think else "answer", "text": text,
                        "source": {"model": backend.info.name, "prompt": prompt, "force_thinking": think,
                                   "reply_start": start[0] if start else "",
                                   "temperature": 0.0, "max_tokens": args.tokens, "new_share": round(r, 3)}})
    backend.close()
    out.sort(key=lambda e: e["n"])
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"model_loops.json: {len(out)} loops")


if __name__ == "__main__":
    main()
