"""The Embedder on the bundled multilingual-e5-small: retrieval in Chinese and English, batching, truncation,
threads, bad files, and how the catalog keeps embedding models out of chat model lists."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytestmark = [pytest.mark.model]

PASSAGES = [
    "北京是中华人民共和国的首都，也是全国的政治和文化中心。",
    "长江是中国最长的河流，全长约六千三百公里，流经十一个省级行政区。",
    "熊猫主要以竹子为食，生活在四川、陕西和甘肃的山区。",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "The Eiffel Tower was completed in 1889 for the World's Fair in Paris.",
    "Python's json module reads and writes JSON documents.",
]
QUERIES = [
    ("中国最长的河流是哪一条？", 1),
    ("大熊猫吃什么？", 2),
    ("中国的首都是哪里", 0),
    ("How do plants turn sunlight into energy?", 3),
    ("When was the Eiffel Tower built?", 4),
    ("parse JSON in Python", 5),
]


def test_bundled_model_facts(embedder: Any) -> None:
    assert embedder.name == "multilingual-e5-small"
    assert (embedder.dim, embedder.max_tokens) == (384, 512)
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")
    assert 500 <= embedder.passage_budget < 510
    assert embedder.n_gpu_layers == 0
    assert embedder.count_tokens("") == 0
    assert embedder.count_tokens("北京是首都") >= 2


def test_retrieval_ranks_the_right_passage_first_in_chinese_and_english(embedder: Any) -> None:
    p = embedder.embed(PASSAGES)
    q = embedder.embed([text for text, _ in QUERIES], query=True)
    assert p.shape == (len(PASSAGES), 384) and p.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)
    ranks = np.argsort(-(q @ p.T), axis=1)
    for (text, want), row in zip(QUERIES, ranks):
        assert row[0] == want, text


def test_a_batch_equals_one_text_at_a_time(embedder: Any) -> None:
    texts = [f"{PASSAGES[i % len(PASSAGES)]} ({i})" for i in range(40)]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert np.sum(together * alone, axis=1).min() > 0.9999


def test_a_short_query_runs_on_one_thread_with_the_same_vectors(embedder: Any, monkeypatch: Any) -> None:
    from assistant.core.embed import embedder as embed_mod

    questions = [text for text, _ in QUERIES[:2]]  # two short questions: one small batch
    one = embedder.embed(questions, query=True)
    assert embedder._threads_now == 1
    embedder.embed(PASSAGES)  # one batch of ~150 tokens goes back to every thread
    assert embedder._threads_now == embedder.n_threads
    embedder.embed(questions[:1], query=True)
    assert embedder._threads_now == 1
    monkeypatch.setattr(embed_mod, "SINGLE_THREAD_TOKENS", 0)  # every thread, as before the latency fix
    every = embedder.embed(questions, query=True)
    assert embedder._threads_now == embedder.n_threads
    assert np.array_equal(one, every)  # each thread computes whole rows: the same bits


def test_long_text_is_truncated_and_reported(embedder: Any) -> None:
    from assistant.core.errors import ContextOverflowError

    long = "这是一段很长的文字，用来测试截断。" * 200
    res = embedder.embed_batch([PASSAGES[0], long], kind="passage")
    assert res.truncated == [1]
    assert res.n_tokens[1] == embedder.max_tokens and res.n_tokens[0] < 64
    # cut like a Hugging Face tokenizer: the closing </s> is kept, so the vector is that of the first 512 tokens
    head = embedder.embed_batch([long[:1000]], kind="passage")
    assert float(res.vectors[1] @ head.vectors[0]) > 0.999
    with pytest.raises(ContextOverflowError):
        embedder.embed_batch([long], truncate=False)


def test_raw_kind_adds_no_prefix(embedder: Any) -> None:
    raw = embedder.embed_batch(["query: 大熊猫吃什么？"], kind="raw").vectors[0]
    query = embedder.embed(["大熊猫吃什么？"], query=True)[0]
    assert float(raw @ query) > 0.9999
    assert embedder.embed_batch([], kind="raw").vectors.shape == (0, 384)
    with pytest.raises(ValueError):
        embedder.embed_batch(["x"], kind="document")


def test_threads_share_one_embedder_safely(embedder: Any) -> None:
    want = embedder.embed(PASSAGES)
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(embedder.embed(PASSAGES))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and len(results) == 12
    for r in results:
        assert np.sum(r * want, axis=1).min() > 0.9999


def test_cancel_stops_between_batches(bundled_embedding: Path) -> None:
    from assistant.core.embed import Embedder
    from assistant.core.errors import CancelledError

    cancel = threading.Event()
    cancel.set()
    with Embedder(bundled_embedding, n_gpu_layers=0, batch_tokens=512) as emb, pytest.raises(CancelledError):
        emb.embed(PASSAGES * 50, cancel=cancel)


def test_bad_files_give_clear_errors(tmp_path: Path, bundled_embedding: Path, bundled_model: Path) -> None:
    from assistant.core.embed import Embedder
    from assistant.core.errors import InvalidModelError, ModelNotFoundError, UnsupportedModelError

    with pytest.raises(ModelNotFoundError):
        Embedder(tmp_path / "missing.gguf")
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"\x00" * 4096)
    with pytest.raises(InvalidModelError, match="not a GGUF"):
        Embedder(junk)
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(bundled_embedding.read_bytes()[: 20 * 1024 * 1024])
    with pytest.raises(InvalidModelError, match=r"missing|truncated"):
        Embedder(cut)
    with pytest.raises(UnsupportedModelError, match="not an embedding model"):
        Embedder(bundled_model)  # the chat model
    with pytest.raises(UnsupportedModelError, match="chat model"):
        Embedder("smollm2-135m-instruct")


def test_embedding_models_are_not_chat_models(bundled_embedding: Path) -> None:
    from assistant.core.errors import UnsupportedModelError
    from assistant.core.models.catalog import chat_entries, get_entry, load_catalog, resolve_model
    from assistant.core.models.gguf_check import validate

    entry = get_entry("multilingual-e5-small")
    assert entry is not None and entry.is_embedding and entry.bundled
    assert "multilingual-e5-small" in load_catalog() and "multilingual-e5-small" not in chat_entries()
    assert all(not e.is_embedding for e in chat_entries().values())
    with pytest.raises(UnsupportedModelError, match="embedding model"):
        resolve_model("multilingual-e5-small")
    with pytest.raises(UnsupportedModelError, match="not a chat model"):
        validate(bundled_embedding)  # purpose "chat" by default
    assert validate(bundled_embedding, purpose="embedding").is_embedding


def test_self_test_checks_the_bundled_model() -> None:
    from assistant.core.embed import self_test

    line = self_test()
    assert line.startswith("embedding model ok") and "multilingual-e5-small" in line
