"""What comparing maths answers as mathematics costs: the eval's maths scorer now (plain numbers read directly,
everything else through math-verify / SymPy) against the scorer of an earlier commit (a hand-written number
reader), side by side on the same labelled replies, in child processes of alternating order.

    python benchmarks/bench_maths.py [--baseline REV] [--rounds 3] [--passes 20]

Reports, for each side: the time to import and score the first reply (cold: SymPy is imported then), the mean
time per reply once warm (plain-number replies and LaTeX replies apart), and how many of the labelled replies
each scores as labelled (issue 22's misreadings among them). The baseline tree is taken with ``git archive``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (reply, expected answer, right?): what a model writes, and what a careful reader would score.
CORPUS: list[tuple[str, object, bool]] = [
    # plain numbers, as most replies box them
    ("So the area is \\boxed{54}.", 54, True), ("\\boxed{54.0}", 54, True), ("\\boxed{45}", 54, False),
    ("\\boxed{x = 54}", 54, True), ("\\boxed{54 \\text{ cm}^2}", 54, True), ("\\boxed{5,050}", 5050, True),
    ("\\boxed{\\frac{5}{6}}", "5/6", True), ("\\boxed{0.75}", "3/4", True), ("\\boxed{25\\%}", 25, True),
    ("面积是 \\boxed{54平方厘米}。", 54, True), ("\\boxed{7.70元}", 7.7, True), ("\\boxed{１２}", 12, True),
    # issue 22's misreadings
    ("\\boxed{2\\frac{1}{2}}", "5/2", True), ("\\boxed{2\\frac{1}{2}}", "21/2", False),
    ("\\boxed{1{,}000}", 1000, True), ("\\boxed{5{,}050}", 5050, True), ("\\boxed{2^{10}}", 1024, True),
    ("\\boxed{10^2}", 100, True), ("\\boxed{1.5\\times10^{3}}", 1500, True), ("So \\boxed 54.", 54, True),
    ("\\boxed{\\dfrac{180}{2.5} = 72}", 72, True), ("\\boxed{\\text{not } 54}", 54, False),
    ("\\boxed{x \\neq 54}", 54, False),
    # more LaTeX
    ("\\boxed{\\sqrt{2916}}", 54, True), ("\\boxed{6 \\times 9}", 54, True), ("\\boxed{54 \\text{ or } 45}", 54, False),
    ("\\boxed{x < 54}", 54, False), ("\\boxed{\\frac{\\sqrt{3}}{2}}", 0.8660254037844386, True),
]
PLAIN = 12  # the first PLAIN replies are plain numbers

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
corpus = json.loads(sys.argv[2]); passes = int(sys.argv[3]); plain = int(sys.argv[4])
t0 = time.perf_counter()
from assistant.core.eval.scorers import score
from assistant.core.eval.tasks import parse_task
tasks = [parse_task({"id": f"t{i}", "kind": "maths", "lang": "en", "prompt": "?", "answer": a}, "bench")
         for i, (_, a, _) in enumerate(corpus)]
first = score(tasks[-1], corpus[-1][0])  # a LaTeX reply: loads whatever the scorer needs
cold = time.perf_counter() - t0
agree = sum(score(t, r).ok == right for t, (r, _, right) in zip(tasks, corpus))
caches = []  # the new scorer's parse caches, emptied before each reply: every reply is read afresh
try:
    from assistant.core.maths import compare, reading
    from math_verify import parser
    caches = [reading.read_number, compare._parse, compare.answer_key, parser.parse_latex_cached]
except ImportError:
    pass
def per_reply(items):
    t = time.perf_counter()
    for _ in range(passes):
        for task, reply in items:
            for c in caches:
                c.cache_clear()
            score(task, reply)
    return (time.perf_counter() - t) / (passes * len(items))
items = [(t, r) for t, (r, _, _) in zip(tasks, corpus)]
print(json.dumps({"cold_s": cold, "plain_s": per_reply(items[:plain]), "latex_s": per_reply(items[plain:]),
                  "agree": agree, "n": len(corpus)}))
"""


def run_side(tree: Path, passes: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(tree), json.dumps(CORPUS), str(passes), str(PLAIN)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", default="819cd2b", help="the commit whose scorer is the baseline")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passes", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = Path(tmp) / "old.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), args.baseline, "assistant"], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(old, filter="data")
        sides = {"before": old, "after": ROOT}
        results: dict[str, list[dict[str, float]]] = {k: [] for k in sides}
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for name in order:
                results[name].append(run_side(sides[name], args.passes))
    med = {k: {m: statistics.median(x[m] for x in v) for m in ("cold_s", "plain_s", "latex_s")}
           for k, v in results.items()}
    for name in sides:
        m, last = med[name], results[name][-1]
        print(f"{name:6}  cold (import + first LaTeX reply) {m['cold_s']:.2f} s   warm per reply: plain numbers "
              f"{m['plain_s'] * 1e6:.0f} µs, LaTeX {m['latex_s'] * 1e3:.2f} ms   scored as labelled "
              f"{int(last['agree'])}/{int(last['n'])}")
    b, a = med["before"], med["after"]
    print(f"ratio after/before: cold {a['cold_s'] / b['cold_s']:.2f}x, plain {a['plain_s'] / b['plain_s']:.2f}x, "
          f"LaTeX {a['latex_s'] / b['latex_s']:.1f}x ({args.rounds} rounds, alternating order, medians)")


if __name__ == "__main__":
    main()
