"""Embedding throughput: the app's Embedder vs llama.cpp's own ``llama-embedding`` on the same model and chunks.

    python benchmarks/bench_embed.py [--chunks 256] [--rounds 3] [--threads N] [--batch 2048]

Both run the bundled multilingual-e5-small (Q4_0) on the same chunks (bilingual, ~120–200 tokens each, the
size the documents index uses), with the same threads and batch size (llama-embedding's non-causal rule:
ubatch = batch = context). Each side runs in its own process, alternating which goes first each round; peak
memory is the child's maximum resident set (``wait4``).

- ours: the chunks/s of ``Embedder.embed_batch`` (the model is loaded before the clock starts);
- llama-embedding: the wall time of a run over all chunks minus that of a run over one chunk (start-up and
  model load cancel out), printed beside the ratio. ``llama-embedding`` is built by
  ``benchmarks/standin.py`` (``llama_tools()``) from the llama.cpp the app vendors.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SENTENCES = [
    "北京是中华人民共和国的首都，也是全国的政治、文化和国际交往中心。",
    "The Yangtze is the longest river in Asia and the third-longest in the world.",
    "光合作用把光能转化为化学能，储存在葡萄糖分子中。",
    "A retrieval system ranks passages by the similarity of their vectors to the question's.",
    "长江流经青海、西藏、四川、云南、重庆、湖北、湖南、江西、安徽、江苏和上海。",
    "SQLite stores the whole database in one file and needs no server.",
    "大熊猫主要以竹子为食，每天要花十几个小时进食。",
    "Python's standard library reads JSON, CSV and SQLite without extra packages.",
]


def make_chunks(n: int) -> list[str]:
    """Deterministic bilingual chunks of 4–7 sentences (no newlines: llama-embedding splits prompts on them)."""
    out = []
    for i in range(n):
        k = 4 + i % 4
        out.append(" ".join(SENTENCES[(i + j) % len(SENTENCES)] for j in range(k)) + f" ({i})")
    return out


_WORKER = r"""
import json, sys, time
sys.path.insert(0, {repo!r})
if {no_repack!r}:
    # llama.cpp's weight repacking (extra buffer types) off, as llama-embedding --no-repack: llama-cpp-python has
    # no switch for it, so the default model parameters are patched in this benchmark process only.
    from assistant.core.runtime.llama import llama_cpp_module
    lc = llama_cpp_module()
    _default = lc.llama_model_default_params
    def _params():
        p = _default()
        p.use_extra_bufts = False
        return p
    lc.llama_model_default_params = _params
    import llama_cpp.llama as _ll
    _ll.llama_cpp.llama_model_default_params = _params
from assistant.core.embed import Embedder
chunks = json.load(open({chunks!r}, encoding="utf-8"))
with Embedder({model!r}, n_threads={threads}, n_gpu_layers=0, batch_tokens={batch}) as emb:
    emb.embed_batch(chunks[:4], kind="raw")  # warm-up: first-use allocations
    t0 = time.perf_counter()
    res = emb.embed_batch(chunks, kind="raw")
    dt = time.perf_counter() - t0
print(json.dumps({{"seconds": dt, "tokens": res.total_tokens, "truncated": len(res.truncated)}}))
"""


def _measure(cmd: list[str]) -> tuple[float, int, str]:
    """Like _run, with the peak resident memory of the child from wait4."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # communicate() would reap the child itself: read the pipes in threads and reap it with wait4 for its rusage
    assert proc.stdout is not None and proc.stderr is not None
    bufs: dict[str, bytes] = {}

    def pump(name: str, stream: object) -> None:
        bufs[name] = stream.read()  # type: ignore[attr-defined]

    threads = [threading.Thread(target=pump, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_b, err_b = bufs.get("out", b""), bufs.get("err", b"")
    if proc.returncode != 0:
        why = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        raise RuntimeError(f"{Path(cmd[0]).name} failed ({why}): {err_b.decode(errors='replace')[-800:]}")
    return wall, usage.ru_maxrss * 1024, out_b.decode("utf-8", errors="replace")


def ours(model: Path, chunks_file: Path, threads: int, batch: int, no_repack: bool) -> tuple[float, int, int]:
    code = _WORKER.format(repo=str(REPO), chunks=str(chunks_file), model=str(model), threads=threads, batch=batch,
                          no_repack=no_repack)
    _, rss, out = _measure([sys.executable, "-c", code])
    res = json.loads(out.strip().splitlines()[-1])
    return float(res["seconds"]), rss, int(res["tokens"])


def theirs(tool: Path, model: Path, prompt_file: Path, threads: int, batch: int,
           no_repack: bool) -> tuple[float, int]:
    cmd = [str(tool), "-m", str(model), "-f", str(prompt_file), "-t", str(threads), "-tb", str(threads),
           "-c", str(batch), "-b", str(batch), "-ub", str(batch), "--pooling", "mean", "--embd-normalize", "2",
           "--embd-output-format", "array", "-ngl", "0", "--no-warmup", *(["--no-repack"] if no_repack else [])]
    wall, rss, _ = _measure(cmd)
    return wall, rss


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--model", type=Path, default=None, help="GGUF (default: the bundled embedding model)")
    ap.add_argument("--no-repack", action="store_true",
                    help="both sides without llama.cpp's weight repacking (chosen by itself when llama-embedding, a "
                         "native build, dies on this CPU: ggml's AMX code on a VM that advertises AMX, SIGILL)")
    args = ap.parse_args()

    from assistant.core.embed import bundled_embedding_model
    from benchmarks.standin import llama_tools

    model = args.model or bundled_embedding_model()
    tool = llama_tools()["llama-embedding"]
    chunks = make_chunks(args.chunks)
    with tempfile.TemporaryDirectory() as tmp:
        cfile = Path(tmp) / "chunks.json"
        cfile.write_text(json.dumps(chunks, ensure_ascii=False), encoding="utf-8")
        all_file, one_file = Path(tmp) / "all.txt", Path(tmp) / "one.txt"
        all_file.write_text("\n".join(chunks), encoding="utf-8")
        one_file.write_text(chunks[0], encoding="utf-8")
        no_repack = args.no_repack
        if not no_repack:
            try:
                theirs(tool, model, one_file, args.threads, args.batch, False)
            except RuntimeError as exc:
                print(f"llama-embedding fails here with repacking on ({str(exc).splitlines()[0]}); both sides run "
                      "with --no-repack", flush=True)
                no_repack = True
        print(f"model {model.name}, {len(chunks)} chunks, {args.threads} threads, batch {args.batch}, "
              f"repacking {'off' if no_repack else 'on'}", flush=True)
        rows = []
        for r in range(args.rounds):
            order = ["ours", "theirs"] if r % 2 == 0 else ["theirs", "ours"]
            got: dict[str, tuple[float, int]] = {}
            for side in order:
                if side == "ours":
                    sec, rss, tokens = ours(model, cfile, args.threads, args.batch, no_repack)
                    got["ours"] = (sec, rss)
                else:
                    w_all, rss = theirs(tool, model, all_file, args.threads, args.batch, no_repack)
                    w_one, _ = theirs(tool, model, one_file, args.threads, args.batch, no_repack)
                    got["theirs"] = (max(w_all - w_one, 1e-6), rss)
            o, t = len(chunks) / got["ours"][0], len(chunks) / got["theirs"][0]
            rows.append((o, t, got["ours"][1], got["theirs"][1]))
            print(f"round {r + 1} ({order[0]} first): ours {o:7.1f} chunks/s ({tokens / got['ours'][0]:7.0f} tok/s), "
                  f"llama-embedding {t:7.1f} chunks/s, ratio {o / t:.2f}x; peak RSS ours "
                  f"{got['ours'][1] / 2**20:.0f} MiB, llama-embedding {got['theirs'][1] / 2**20:.0f} MiB", flush=True)
        ratios = sorted(o / t for o, t, _, _ in rows)
        med = ratios[len(ratios) // 2]
        print(f"median ratio ours / llama-embedding: {med:.2f}x (target >= 0.9x); "
              f"ours {sorted(o for o, *_ in rows)[len(rows) // 2]:.1f} chunks/s, "
              f"peak RSS ours {max(r[2] for r in rows) / 2**20:.0f} MiB vs {max(r[3] for r in rows) / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
