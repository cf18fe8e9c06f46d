"""The `documents` extension of /v1/chat/completions (issue 24) on the real server: a collection indexed with the
real bundled embedding model, the bundled chat model answering from it, through the official openai client and
raw HTTP (streamed and not), unknown collections refused with a 400, "nothing relevant" said."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import MODEL, record

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.slow]

SUITE = Path(__file__).resolve().parents[2] / "assistant" / "core" / "eval" / "suites" / "docs"
FILES = ("lumen-r7-manual.pdf", "kestrel-design.md", "清溪气候年报.md")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs-api")
    for name in FILES:
        shutil.copy(SUITE / name, out / name)
    return out


@pytest.fixture
def manuals(folder: Path) -> str:
    """The folder indexed into a collection of this test's app home, with the real embedding model."""
    from assistant.core.docs.embedding import close_embedder, open_embedder
    from assistant.core.docs.indexing import add_paths
    from assistant.core.docs.library import open_collection

    embedder = open_embedder()
    try:
        with open_collection("manuals", create=True) as c:
            report = add_paths(c, [folder], embedder)
    finally:
        close_embedder(embedder)
    assert report.count("indexed") == len(FILES) and not report.failed
    return "manuals"


QUESTION = "How much does the Lumen R7 router weigh?"


def test_a_question_answered_from_a_collection(client: Any, served: Any, manuals: str) -> None:
    plain = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": QUESTION}],
                                           max_tokens=8, temperature=0)
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": QUESTION}], max_tokens=24,
                                       temperature=0, extra_body={"documents": {"collections": [manuals]}})
    docs = r.model_extra["documents"]
    assert docs["collections"] == [manuals] and docs["found"] is True
    given = docs["sources"]
    assert given and [s["n"] for s in given] == list(range(1, len(given) + 1))
    assert given[0]["path"].endswith("lumen-r7-manual.pdf") and given[0]["page"] >= 1
    assert "640 grams" in " ".join(s["text"] for s in given)  # the passage that answers it was given
    assert set(given[0]) >= {"n", "collection", "path", "page", "start", "end", "heading", "text", "score"}
    # The model was sent the passages, numbered, with the question: the prompt as sent is returned.
    assert docs["prompt"].startswith("Answer the question using the numbered passages") and QUESTION in docs["prompt"]
    assert "[1] lumen-r7-manual.pdf, page" in docs["prompt"]
    assert record(served, r.id).prompt_tokens > record(served, plain.id).prompt_tokens + 100
    cited = r.choices[0].message.model_extra["sources"]
    assert isinstance(cited, list) and all(s in given for s in cited)
    numbers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", r.choices[0].message.content or "")}
    assert {s["n"] for s in cited} == numbers & {s["n"] for s in given}


def test_streamed_the_sources_come_first(served: Any, manuals: str) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": QUESTION}], "max_tokens": 8, "temperature": 0,
            "stream": True, "documents": [manuals]}  # a plain list of names works too
    with httpx.stream("POST", f"http://127.0.0.1:{served.port}/v1/chat/completions", json=body, timeout=300) as r:
        assert r.status_code == 200
        events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
    first = events[0]
    assert first["object"] == "chat.completion.chunk" and first["choices"] == []
    assert first["documents"]["found"] and first["documents"]["sources"][0]["path"].endswith("lumen-r7-manual.pdf")
    assert all("documents" not in e for e in events[1:])
    assert any(c["delta"].get("content") for e in events[1:] for c in e["choices"])


def test_nothing_relevant_is_said(client: Any, manuals: str) -> None:
    r = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Which spider spins the largest web in the rainforest?"}],
        max_tokens=8, temperature=0, extra_body={"documents": {"collections": [manuals], "top_k": 3}})
    docs = r.model_extra["documents"]
    assert docs["found"] is False and docs["sources"] == []
    assert "found no passage relevant" in docs["prompt"] and r.choices[0].message.model_extra["sources"] == []


def test_unknown_collection_is_a_400_naming_what_there_is(served: Any, manuals: str) -> None:
    url = f"http://127.0.0.1:{served.port}/v1/chat/completions"
    body = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4,
            "documents": {"collections": ["nope"]}}
    r = httpx.post(url, json=body, timeout=60)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "collection_not_found" and err["param"] == "documents"
    assert "'nope'" in err["message"] and manuals in err["message"]
    for bad in ({"collections": []}, {"collections": ["manuals"], "top_k": 0}, {"collections": "manuals"}, []):
        r = httpx.post(url, json={**body, "documents": bad}, timeout=60)
        assert r.status_code == 400, bad
