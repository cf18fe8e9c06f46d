"""Documents with the real bundled embedding model and chat model: retrieval on the doc-QA suite, the CLI as a
real subprocess, the KV cache on a follow-up question, and the eval's docs kind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.core.docs.answer import compose
from assistant.core.docs.retrieval import search
from assistant.core.eval.docs_suite import DOCS_DIR, retrieved
from assistant.core.eval.tasks import load_suites

REPO = Path(__file__).resolve().parents[2]
# The index of the suite is built once (session fixture); on a busy 2-core machine that and the eval took 14 min.
pytestmark = [pytest.mark.model, pytest.mark.slow, pytest.mark.timeout(1800)]


def run_cli(args: list[str], home: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


OFF_TOPIC = ("d-none-volcano", "d-none-spider", "d-none-telephone", "d-none-ethanol")


def test_hybrid_retrieval_on_the_suite(suite_index: Any, embedder: Any) -> None:
    c = suite_index
    assert not c.stats()["problems"] and len(c.files()) == len(list(DOCS_DIR.iterdir()))
    tasks = load_suites(kinds=["docs"])
    answerable = [t for t in tasks if not t.spec.get("unanswerable")]
    hybrid = sum(retrieved(t, search([c], t.prompt, embedder)) for t in answerable) / len(answerable)
    assert hybrid >= 0.9, hybrid
    pdf = next(p for p in search([c], "青禾茶园的海拔大约是多少米？", embedder).passages)
    assert pdf.hit.path.endswith("青禾茶园简介.pdf") and pdf.hit.page == 1
    # Answerable questions nearly always find a relevant passage; questions on other subjects find none (the
    # turn then says so). Questions near a document's subject that it does not answer get its passages: the
    # model is told to say when they do not hold the answer (the eval checks that it cites nothing).
    found = {t.id: compose(t.prompt, ["s"], search([c], t.prompt, embedder)).found for t in tasks}
    assert sum(found[t.id] for t in answerable) >= 0.9 * len(answerable)
    assert not any(found[i] for i in OFF_TOPIC)


def test_cli_add_search_ask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("kestrel-design.md", "社区图书馆借阅规则.txt", "lumen-r7-manual.pdf"):
        (folder / name).write_bytes((DOCS_DIR / name).read_bytes())
    (folder / "junk.txt").write_bytes(b"\x00\x01binary" * 100)
    r = run_cli(["docs", "add", "work", str(folder)], home)
    assert r.returncode == 0, r.stderr
    assert "3 indexed" in r.stderr and "1 failed" in r.stderr and "junk.txt: It is not a text file" in r.stderr
    r = run_cli(["docs", "search", "work", "图书借期是多少天？", "--json"], home)
    assert r.returncode == 0, r.stderr
    top = json.loads(r.stdout)["passages"][0]
    assert top["path"].endswith("社区图书馆借阅规则.txt") and "28天" in top["text"]
    r = run_cli(["docs", "list", "work", "--json"], home)
    data = json.loads(r.stdout)
    assert data["files"] and any(f["problem"] for f in data["files"])
    r = run_cli(["ask", "On which port does the Kestrel upload API listen?", "--docs", "work", "--json",
                 "--max-tokens", "60", "--temperature", "0"], home)
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert answer["context"]["prompt_tokens"] > 100  # the passages went into the prompt
    assert isinstance(answer["sources"], list)
    (folder / "kestrel-design.md").unlink()
    r = run_cli(["docs", "sync", "work"], home)
    assert "1 removed" in r.stderr and "3 unchanged" not in r.stderr
    r = run_cli(["ask", "x", "--docs", "nope"], home)
    assert r.returncode == 1 and "no collection called 'nope'" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(["docs", "remove", "work"], home)
    assert r.returncode == 0 and (folder / "junk.txt").exists()


def test_follow_up_does_not_evaluate_the_passages_again(suite_index: Any, embedder: Any, llama_backend: Any) -> None:
    from assistant.core.chat.prompting import Message
    from assistant.core.chat.turn import ChatTurn, TurnOptions
    from assistant.core.settings import Sampling

    c = suite_index
    options = TurnOptions(sampling=Sampling(max_tokens=24, temperature=0.0))
    q1, q2 = "How much is an adult ticket at the Glacier Valley Museum?", "Which bus line goes to the museum?"
    g1 = compose(q1, ["suite"], search([c], q1, embedder))
    r1 = ChatTurn(llama_backend, [], g1.prompt, options).run()
    first_prompt = r1.best.stats.prompt_tokens
    g2 = compose(q2, ["suite"], search([c], q2, embedder), g1.new_sources)
    history = [Message("user", g1.prompt), Message("assistant", r1.answer)]
    r2 = ChatTurn(llama_backend, history, g2.prompt, options).run()
    assert first_prompt > 150
    assert r2.best.stats.reused_prompt_tokens >= first_prompt - 2  # turn 1 with its passages came from the cache
    assert all(s["n"] > len(g1.new_sources) for s in g2.new_sources)


def test_eval_docs_kind_with_and_without_documents(suite_index: Any, embedder: Any, llama_backend: Any) -> None:
    import sqlite3

    from assistant.core.eval.docs_suite import index_path
    from assistant.core.eval.runner import EvalConfig, EvalRunner
    from assistant.core.settings import Settings

    # The run finds the suite indexed for this model in the cache (a copy of the session's index): it is
    # checked file by file and nothing is embedded again.
    cached = index_path(embedder)
    cached.parent.mkdir(parents=True)
    with sqlite3.connect(cached) as copy:
        suite_index.conn().backup(copy)

    settings = Settings()
    settings.sampling.max_tokens = 48
    tasks = [t for t in load_suites(kinds=["docs"]) if t.id in ("d-kestrel-port", "d-library-days", "d-none-poem")]
    with_docs = EvalRunner(llama_backend, settings, tasks, EvalConfig(runs=1), embedder=embedder).run()
    recs = {r["task"]: r for r in with_docs.records}
    assert recs["d-kestrel-port"]["retrieved"] and recs["d-library-days"]["retrieved"]
    assert recs["d-kestrel-port"]["prompt_tokens"] > 100 and "d-none-poem" in recs
    without = EvalRunner(llama_backend, settings, tasks, EvalConfig(runs=1, docs="none"), embedder=embedder).run()
    assert all(r["docs_mode"] == "none" and "retrieved" not in r for r in without.records)
    assert without.manifest["hash"] != with_docs.manifest["hash"]
