"""Hybrid search over one or several collections: BM25 and vectors, fused by reciprocal rank.

Each collection gives its best ``pool`` passages by BM25 (FTS5) and by cosine (numpy); the lists of all
collections are merged (BM25 by score, cosine by value: the same model made every vector), and each passage
scores ``1/(k + rank)`` in each list it is in (RRF, k = 60, the value of Cormack et al. that most systems keep).
No rerank step: a cross-encoder would be a second model to ship and run for every question, and the fused
ranking already meets the recall target on the doc-QA suite (benchmarks/bench_docs.py measures it).

A passage is *relevant* when its cosine to the question reaches the model's threshold, when BM25 and the
vectors both rank it first and its cosine is just under the threshold (a question in English about a Chinese
document, naming it), or when it holds most of the question's words (a rare name or number the vectors blur).
When none is, the answer says that the documents do not cover the question instead of citing something
unrelated.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.core.docs.embedding import TextEmbedder
from assistant.core.docs.store import Collection, Hit
from assistant.core.docs.terms import fts_query, query_terms, stem, terms

RRF_K = 60
POOL = 50
TOP_K = 5
MODES = ("hybrid", "bm25", "vector")
# Cosine at which a passage counts as relevant, per embedding model (calibrated on the doc-QA suite's answerable
# and unanswerable questions: benchmarks/bench_docs.py --calibrate); others use DEFAULT_THRESHOLD.
THRESHOLDS = {"multilingual-e5-small": 0.81}
DEFAULT_THRESHOLD = 0.5
AGREEMENT_MARGIN = 0.03  # first in both lists: relevant down to this much under the threshold
LEXICAL_COVERAGE = 0.75  # share of the question's terms a passage must hold to be relevant without the cosine


@dataclass
class Passage:
    hit: Hit
    score: float  # fused (RRF)
    cosine: float
    bm25_rank: int | None  # 1-based rank in the merged BM25 list, None if not in it
    vector_rank: int | None
    coverage: float = 0.0  # share of the question's terms in the passage
    relevant: bool = False

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.hit.collection, self.hit.path, self.hit.start)


@dataclass
class SearchResult:
    passages: list[Passage]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def relevant(self) -> list[Passage]:
        return [p for p in self.passages if p.relevant]


def threshold_for(embedder: TextEmbedder) -> float:
    """The model's relevance threshold: its own ``relevance`` attribute if it has one, else the table's."""
    own = getattr(embedder, "relevance", None)
    return float(own) if own is not None else THRESHOLDS.get(embedder.name, DEFAULT_THRESHOLD)


def search(collections: Sequence[Collection], question: str, embedder: TextEmbedder | None, *,
           top_k: int = TOP_K, mode: str = "hybrid", pool: int = POOL, threshold: float | None = None) -> SearchResult:
    """The ``top_k`` best passages for ``question`` across ``collections``. ``embedder`` may be None for
    ``mode="bm25"``; a collection indexed with another model is searched by BM25 only (and said)."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}")
    t0 = time.perf_counter()
    notes: list[str] = []
    query_vec: np.ndarray | None = None
    embed_seconds = 0.0
    if mode != "bm25" and embedder is not None:
        query_vec = np.asarray(embedder.embed([question], query=True), dtype=np.float32)[0]
        embed_seconds = time.perf_counter() - t0
    match = fts_query(question)
    bm25: list[tuple[float, Collection, int]] = []
    vec: list[tuple[float, Collection, int]] = []
    cosines: dict[tuple[str, int], float] = {}
    for c in collections:
        usable = query_vec is not None and c.embedder_name == getattr(embedder, "name", None)
        if query_vec is not None and not usable and c.embedder_name:
            notes.append(f"{c.name} was indexed with {c.embedder_name}, not {getattr(embedder, 'name', '?')}: "
                         "searched by words only until it is synced again.")
        if mode != "vector":
            bm25 += [(score, c, cid) for cid, score in c.bm25(match, pool)]
        if usable:
            assert query_vec is not None
            found = c.nearest(query_vec, pool)
            vec += [(-cos, c, cid) for cid, cos in found]
            cosines.update({(c.name, cid): cos for cid, cos in found})
            missing = [cid for _, cc, cid in bm25 if cc is c and (c.name, cid) not in cosines]
            cosines.update({(c.name, cid): cos for cid, cos in _cosines(c, missing, query_vec).items()})
    bm25.sort(key=lambda t: t[0])
    vec.sort(key=lambda t: t[0])
    fused: dict[tuple[str, int], list[float | int | None]] = {}
    for lists, slot in ((bm25, 0), (vec, 1)):
        for rank, (_, c, cid) in enumerate(lists[:pool], 1):
            entry = fused.setdefault((c.name, cid), [0.0, None, None])
            entry[0] = float(entry[0] or 0.0) + 1.0 / (RRF_K + rank)
            entry[1 + slot] = rank
    order = sorted(fused.items(), key=lambda kv: -float(kv[1][0] or 0.0))[:top_k]
    by_name = {c.name: c for c in collections}
    hits: dict[tuple[str, int], Hit] = {}
    for name in {k[0] for k, _ in order}:
        ids = [k[1] for k, _ in order if k[0] == name]
        hits.update({(name, cid): h for cid, h in by_name[name].hits(ids).items()})
    limit = threshold_for(embedder) if threshold is None and embedder is not None else (threshold or 0.0)
    wanted = {stem(t) for t in query_terms(question)}
    passages = []
    for key, (score, r_bm25, r_vec) in order:
        hit = hits.get(key)
        if hit is None:
            continue
        cos = cosines.get(key, 0.0)
        have = {stem(t) for t in terms(f"{hit.heading}\n{hit.text}")}
        coverage = len(wanted & have) / len(wanted) if wanted else 0.0
        agree = r_bm25 == 1 and r_vec == 1 and cos >= limit - AGREEMENT_MARGIN  # words and meaning both put it first
        relevant = (key in cosines and cos >= limit) or agree or (coverage >= LEXICAL_COVERAGE and len(wanted) >= 2)
        passages.append(Passage(hit, float(score or 0.0), cos, _int(r_bm25), _int(r_vec), coverage, relevant))
    return SearchResult(passages, notes, time.perf_counter() - t0, embed_seconds)


def _int(v: float | int | None) -> int | None:
    return None if v is None else int(v)


def _cosines(c: Collection, ids: list[int], query: np.ndarray) -> dict[int, float]:
    """Cosines of passages found by words only (the vectors are in the cached matrix, sorted by id)."""
    if not ids:
        return {}
    all_ids, matrix = c.vectors()
    pos = np.searchsorted(all_ids, ids)
    out = {}
    for cid, p in zip(ids, pos):
        if p < len(all_ids) and all_ids[p] == cid:
            out[cid] = float(matrix[p] @ query)
    return out
