"""Documents (issue 24), measured side by side in one run:

1. retrieval recall@5 on the doc-QA suite for BM25 only, vectors only and hybrid (target hybrid >= 0.9), and
   how the relevance threshold splits answerable from unanswerable questions;
2. extraction + chunking speed (MB/s) and the peak memory of indexing a large file (a child process);
3. query latency p50/p95 at 10,000 passages, the query's embedding included (target p95 < 50 ms);
4. first token of a documents question vs evaluating the same prompt tokens without retrieval (target
   <= 1.15x), and a follow-up question's first token vs a plain follow-up (bundled model, kept states off,
   the cache emptied between measurements, order alternated);
5. answer accuracy with and without the documents for the bundled model (the eval's docs kind).

    .venv/bin/python benchmarks/bench_docs.py [--quick] [--skip-accuracy] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("ASSISTANT_KV_STATES", "off")  # kept states would hide prompt evaluation

from assistant.core.docs.answer import compose  # noqa: E402
from assistant.core.docs.chunking import Chunker  # noqa: E402
from assistant.core.docs.embedding import open_embedder  # noqa: E402
from assistant.core.docs.extract import Document  # noqa: E402
from assistant.core.docs.indexing import chunk_size_for  # noqa: E402
from assistant.core.docs.retrieval import MODES, search, threshold_for  # noqa: E402
from assistant.core.docs.store import Collection  # noqa: E402
from assistant.core.docs.terms import index_text  # noqa: E402
from assistant.core.eval.docs_suite import DOCS_DIR, build_index, retrieved  # noqa: E402
from assistant.core.eval.tasks import load_suites  # noqa: E402


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def recall(embedder: Any, work: Path) -> dict[str, Any]:
    tasks = load_suites(kinds=["docs"])
    collection = build_index(work / "suite.sqlite3", embedder)
    out: dict[str, Any] = {"questions": sum(1 for t in tasks if not t.spec.get("unanswerable")),
                           "chunks": collection.stats()["chunks"]}
    for mode in MODES:
        hits = [retrieved(t, search([collection], t.prompt, embedder, mode=mode))
                for t in tasks if not t.spec.get("unanswerable")]
        out[f"recall@5_{mode}"] = round(sum(hits) / len(hits), 3)
        misses = [t.id for t, h in zip([t for t in tasks if not t.spec.get("unanswerable")], hits) if not h]
        out[f"misses_{mode}"] = misses
    # The threshold: the best passage's cosine for answerable and unanswerable questions.
    best = {t.id: max((p.cosine for p in search([collection], t.prompt, embedder).passages), default=0.0)
            for t in tasks}
    ans = [best[t.id] for t in tasks if not t.spec.get("unanswerable")]
    neg = [best[t.id] for t in tasks if t.spec.get("unanswerable")]
    limit = threshold_for(embedder)
    out["threshold"] = limit
    out["top_cosine_answerable"] = {"min": round(min(ans), 3), "p10": round(pct(ans, 0.1), 3),
                                    "median": round(statistics.median(ans), 3)}
    out["top_cosine_unanswerable"] = {"max": round(max(neg), 3), "median": round(statistics.median(neg), 3)}
    found = {t.id: compose(t.prompt, ["s"], search([collection], t.prompt, embedder)).found for t in tasks}
    out["answerable_found"] = sum(found[t.id] for t in tasks if not t.spec.get("unanswerable"))
    out["unanswerable_found"] = sum(found[t.id] for t in tasks if t.spec.get("unanswerable"))
    collection.close()
    return out


def make_corpus(path: Path, megabytes: float) -> Path:
    """Markdown of mixed Chinese and English prose from the suite's own documents, shuffled."""
    from assistant.core.docs.extract import document_text

    paras = [p.strip() for f in sorted(DOCS_DIR.iterdir()) for p in document_text(f).split("\n\n") if p.strip()]
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as fh:
        size, n = 0, 0
        while size < megabytes * 2**20:
            block = f"## Section {n}\n\n" if n % 12 == 0 else rng.choice(paras) + "\n\n"
            fh.write(block)
            size += len(block.encode())
            n += 1
    return path


def extraction_speed(embedder: Any, work: Path, megabytes: float) -> dict[str, Any]:
    corpus = make_corpus(work / "corpus.md", megabytes)
    size = corpus.stat().st_size
    t0 = time.perf_counter()
    n_seg = sum(1 for _ in Document(corpus).segments())
    t_extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    chunker = Chunker(embedder.count_tokens, chunk_size_for(embedder))
    n_chunks = sum(1 for _ in chunker.chunks(Document(corpus).segments()))
    t_chunk = time.perf_counter() - t0
    suite_bytes = sum(f.stat().st_size for f in DOCS_DIR.iterdir())
    t0 = time.perf_counter()
    for f in sorted(DOCS_DIR.iterdir()):
        for _ in Chunker(embedder.count_tokens, chunk_size_for(embedder)).chunks(Document(f).segments()):
            pass
    t_suite = time.perf_counter() - t0
    return {"corpus_mb": round(size / 2**20, 1), "segments": n_seg, "chunks": n_chunks,
            "extract_mb_s": round(size / 2**20 / t_extract, 2),
            "extract_chunk_mb_s": round(size / 2**20 / t_chunk, 2),
            "suite_files_mb_s": round(suite_bytes / 2**20 / t_suite, 2)}


PEAK_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from tests.docs.conftest import LexicalEmbedder
from assistant.core.docs.store import Collection
from assistant.core.docs.indexing import Indexer
c = Collection(Path(sys.argv[3]), "peak", create=True)
c.add_source(Path(sys.argv[1]), False)
t0 = time.perf_counter()
r = Indexer(c, LexicalEmbedder()).sync()
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(r.files[0].chunks, time.perf_counter() - t0, hwm)
"""
# VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's at fork (this bench holds two models).
BASE_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
import numpy, sqlite3
from assistant.core.docs.indexing import Indexer
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def peak_memory(work: Path, megabytes: float) -> dict[str, Any]:
    """Index a large file in a child (extraction, chunking, FTS, a lexical embedder so the model's own
    memory does not hide the pipeline's): its peak RSS against the file's size."""
    corpus = make_corpus(work / "big.md", megabytes)
    base = subprocess.run([sys.executable, "-c", BASE_CHILD, str(REPO)], capture_output=True, text=True, check=True)
    out = subprocess.run([sys.executable, "-c", PEAK_CHILD, str(corpus), str(REPO), str(work / "peak.sqlite3")],
                         capture_output=True, text=True, check=True).stdout.split()
    return {"file_mb": round(corpus.stat().st_size / 2**20, 1), "chunks": int(out[0]),
            "index_mb_s": round(corpus.stat().st_size / 2**20 / float(out[1]), 2),
            "peak_rss_mb": round(int(out[2]) / 1024, 1), "after_imports_mb": round(int(base.stdout) / 1024, 1)}


def latency(embedder: Any, work: Path, n_chunks: int, queries: int, compare: bool = False) -> dict[str, Any]:
    """A collection of ``n_chunks`` passages (text from the suite's documents, random unit vectors: brute force
    costs the same whatever the values); the suite's questions as queries, embedded for real."""
    import numpy as np

    from assistant.core.docs.extract import document_text

    paras = [p.strip() for f in sorted(DOCS_DIR.iterdir()) for p in document_text(f).split("\n\n") if p.strip()]
    rng = np.random.default_rng(3)
    c = Collection(work / "latency.sqlite3", "latency", create=True)
    with c.write() as conn:
        conn.execute("INSERT INTO sources(path, is_dir, added_at) VALUES ('/x', 1, 0)")
        conn.execute("INSERT INTO files(source_id, path) VALUES (1, '/x/a.md')")
        c.set_meta(conn, "embedder", embedder.name)
        for i in range(n_chunks):
            text = " ".join(paras[(i * 7 + k) % len(paras)] for k in range(2))
            vec = rng.standard_normal(embedder.dim).astype(np.float32)
            vec /= np.linalg.norm(vec)
            cur = conn.execute('INSERT INTO chunks(file_id, seq, start, "end", text, vector) VALUES (1,?,?,?,?,?)',
                               (i, 0, len(text), text, vec.tobytes()))
            conn.execute("INSERT INTO chunks_fts(rowid, terms) VALUES (?, ?)", (cur.lastrowid, index_text(text)))
        c.bump(conn)
    tasks = load_suites(kinds=["docs"])
    search([c], "warm up", embedder)  # the matrix is loaded once
    sides = ("now", "before") if compare else ("now",)
    runs: dict[str, dict[str, list[float]]] = {side: {"total": [], "embed": [], "cpu": []} for side in sides}
    for i in range(queries):
        for side in (sides if i % 2 == 0 else sides[::-1]):  # alternated, so a busy spell hits both sides
            with _as_before(side == "before"):
                c0 = time.process_time()  # CPU time of the whole process (llama.cpp's threads too)
                r = search([c], tasks[i % len(tasks)].prompt, embedder)
                runs[side]["cpu"].append((time.process_time() - c0) * 1000)
            runs[side]["total"].append(r.seconds * 1000)
            runs[side]["embed"].append(r.embed_seconds * 1000)
    c.close()
    out: dict[str, Any] = {"chunks": n_chunks, "queries": queries}
    for side in sides:
        total, embed, cpu = runs[side]["total"], runs[side]["embed"], runs[side]["cpu"]
        rest = [t - e for t, e in zip(total, embed)]
        out[side] = {"p50_ms": round(pct(total, 0.5), 1), "p95_ms": round(pct(total, 0.95), 1),
                     "embed_p50_ms": round(pct(embed, 0.5), 1), "embed_p95_ms": round(pct(embed, 0.95), 1),
                     "search_p50_ms": round(pct(rest, 0.5), 1), "search_p95_ms": round(pct(rest, 0.95), 1),
                     "cpu_p50_ms": round(pct(cpu, 0.5), 1), "cpu_p95_ms": round(pct(cpu, 0.95), 1)}
    if compare:
        out["p95_ratio_before_over_now"] = round(out["before"]["p95_ms"] / out["now"]["p95_ms"], 2)
        out["p50_ratio_before_over_now"] = round(out["before"]["p50_ms"] / out["now"]["p50_ms"], 2)
    out.update({"threads": getattr(embedder, "n_threads", None), "load_average": os.getloadavg(),
                "cpus": os.cpu_count()})
    return out


@contextlib.contextmanager
def _as_before(on: bool) -> Iterator[None]:
    """The query path as it was before the latency fix: every thread for a one-query batch, and the cosines
    by ``matrix @ query`` (numpy's OpenBLAS, multi-threaded)."""
    if not on:
        yield
        return
    from assistant.core.embed import embedder as embed_mod

    def blas_nearest(self: Collection, query: Any, limit: int) -> list[tuple[int, float]]:
        import numpy as np

        ids, matrix = self.vectors()
        scores = matrix @ query.astype(np.float32).reshape(-1)
        k = min(limit, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]

    saved = embed_mod.SINGLE_THREAD_TOKENS, Collection.nearest
    embed_mod.SINGLE_THREAD_TOKENS, Collection.nearest = 0, blas_nearest  # type: ignore[method-assign]
    try:
        yield
    finally:
        embed_mod.SINGLE_THREAD_TOKENS, Collection.nearest = saved  # type: ignore[method-assign]


def first_token(embedder: Any, work: Path, reps: int) -> dict[str, Any]:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.chat.prompting import Message
    from assistant.core.chat.protocol import GenerationRequest
    from assistant.core.chat.turn import ChatTurn, TurnOptions
    from assistant.core.models.catalog import find_bundled_model
    from assistant.core.settings import Sampling

    backend = LlamaCppBackend(find_bundled_model(), n_ctx=4096)
    collection = build_index(work / "suite.sqlite3", embedder)
    tasks = [t for t in load_suites(kinds=["docs"]) if not t.spec.get("unanswerable")]

    def ttft(messages: list[Message]) -> tuple[float, int, int]:
        req = GenerationRequest(messages=messages, family=backend.family, sampling=Sampling(max_tokens=1,
                                                                                            temperature=0.0))
        t0 = time.perf_counter()
        stats = None
        for chunk in backend.stream(req):
            if chunk.done:
                stats = chunk.stats
        assert stats is not None
        return time.perf_counter() - t0, stats.prompt_tokens, stats.reused_prompt_tokens

    docs_t, plain_t, tokens = [], [], []
    for i in range(reps):
        task = tasks[i % len(tasks)]
        order = ("docs", "plain") if i % 2 == 0 else ("plain", "docs")
        prompt = compose(task.prompt, ["suite"], search([collection], task.prompt, embedder)).prompt
        for side in order:
            backend.llm.reset()  # nothing of the prompt in the cache
            if side == "docs":
                t0 = time.perf_counter()
                g = compose(task.prompt, ["suite"], search([collection], task.prompt, embedder))
                _, n, _ = ttft([Message("user", g.prompt)])
                docs_t.append(time.perf_counter() - t0)
                tokens.append(n)
            else:
                plain_t.append(ttft([Message("user", prompt)])[0])
    out: dict[str, Any] = {"model": backend.info.name, "reps": reps, "prompt_tokens_median": statistics.median(tokens),
                           "docs_question_ttft_s": round(statistics.median(docs_t), 3),
                           "same_tokens_no_retrieval_ttft_s": round(statistics.median(plain_t), 3),
                           "ratio": round(statistics.median(docs_t) / statistics.median(plain_t), 3)}
    # A follow-up: the passages of the first question stay in the prefix, only the new turn is evaluated. Three
    # sides: with retrieval ("docs"), the very same texts without retrieval ("same": what the follow-up's new
    # tokens cost by themselves) and the bare questions ("plain": a follow-up with no passages at all).
    options = TurnOptions(sampling=Sampling(max_tokens=40, temperature=0.0))
    times: dict[str, list[float]] = {"docs": [], "same": [], "plain": []}
    reused, evaluated = [], []
    sides = ("docs", "same", "plain")
    for i in range(max(2, reps // 2)):
        a, b = tasks[(2 * i) % len(tasks)], tasks[(2 * i + 5) % len(tasks)]
        composed: list[str] = []
        previous: list[dict[str, Any]] = []
        for task in (a, b):
            g = compose(task.prompt, ["suite"], search([collection], task.prompt, embedder), previous)
            previous += g.new_sources
            composed.append(g.prompt)
        for side in sides[i % 3:] + sides[:i % 3]:
            backend.llm.reset()
            history: list[Message] = []
            previous = []
            for n, task in enumerate((a, b)):
                text = composed[n] if side == "same" else task.prompt
                t0 = time.perf_counter()
                if side == "docs":
                    g = compose(task.prompt, ["suite"], search([collection], task.prompt, embedder), previous)
                    previous += g.new_sources
                    text = g.prompt
                turn = ChatTurn(backend, list(history), text, options)
                result = turn.run()
                first = result.best.stats
                if n == 1:
                    times[side].append((time.perf_counter() - t0) - first.generation_seconds)
                    if side == "docs":
                        reused.append(first.reused_prompt_tokens)
                        evaluated.append(first.prompt_tokens - first.reused_prompt_tokens)
                history += [Message("user", text), Message("assistant", result.answer)]
    med = {k: statistics.median(v) for k, v in times.items()}
    out.update({"follow_up_docs_ttft_s": round(med["docs"], 3),
                "follow_up_same_tokens_no_retrieval_ttft_s": round(med["same"], 3),
                "follow_up_plain_ttft_s": round(med["plain"], 3),
                "follow_up_ratio_vs_same_tokens": round(med["docs"] / med["same"], 3),
                "follow_up_ratio_vs_plain": round(med["docs"] / med["plain"], 3),
                "follow_up_docs_reused_tokens_median": statistics.median(reused),
                "follow_up_docs_evaluated_tokens_median": statistics.median(evaluated)})
    collection.close()
    backend.close()
    return out


def accuracy(embedder: Any, runs: int, max_tokens: int) -> dict[str, Any]:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.eval.runner import EvalConfig, EvalRunner
    from assistant.core.models.catalog import find_bundled_model
    from assistant.core.settings import Settings

    backend = LlamaCppBackend(find_bundled_model(), n_ctx=4096)
    settings = Settings()
    settings.sampling.max_tokens = max_tokens
    tasks = load_suites(kinds=["docs"])
    out: dict[str, Any] = {"model": backend.info.name, "runs": runs, "tasks": len(tasks)}
    for mode in ("hybrid", "none"):
        with tempfile.TemporaryDirectory() as d:
            os.environ["ASSISTANT_HOME"] = d
            result = EvalRunner(backend, settings, tasks, EvalConfig(runs=runs, docs=mode), embedder=embedder,
                                resume=False).run()
        recs = result.records
        ok = [sum(r["ok"]) / len(r["ok"]) for r in recs]
        answerable = [sum(r["ok"]) / len(r["ok"]) for r in recs if not r["task"].startswith("d-none-")]
        out[f"accuracy_{mode}"] = round(sum(ok) / len(ok), 3)
        out[f"accuracy_answerable_{mode}"] = round(sum(answerable) / len(answerable), 3)
    backend.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller corpora and fewer repetitions")
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--skip-first-token", action="store_true")
    ap.add_argument("--runs", type=int, default=1, help="runs of the docs tasks for the accuracy (default 1)")
    ap.add_argument("--only", action="append", help="run only these steps (recall, extraction, memory, latency, "
                    "first_token, accuracy)")
    ap.add_argument("--compare", action="store_true", help="latency: also the query path as it was before the "
                    "fix (all threads for a query, numpy's multi-threaded BLAS matvec), alternated, side by side")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    embedder = open_embedder()
    results: dict[str, Any] = {"embedder": embedder.name, "dim": embedder.dim}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["ASSISTANT_HOME"] = str(work / "home")
        steps = [("recall", lambda: recall(embedder, work)),
                 ("extraction", lambda: extraction_speed(embedder, work, 2 if args.quick else 8)),
                 ("memory", lambda: peak_memory(work, 20 if args.quick else 50)),
                 ("latency", lambda: latency(embedder, work, 10_000, 100 if args.quick else 200, args.compare))]
        if not args.skip_first_token:
            steps.append(("first_token", lambda: first_token(embedder, work, 6 if args.quick else 12)))
        if not args.skip_accuracy:
            steps.append(("accuracy", lambda: accuracy(embedder, args.runs, 160)))
        for name, step in steps:
            if args.only and name not in args.only:
                continue
            t0 = time.perf_counter()
            results[name] = step()
            shown = json.dumps(results[name], ensure_ascii=False, indent=1)
            print(f"== {name} ({time.perf_counter() - t0:.0f} s)\n{shown}", flush=True)
    results["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
