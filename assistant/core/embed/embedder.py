"""Text embeddings with llama.cpp in embedding mode, on the same engine (and CPU variant / GPU) as the chat.

    with Embedder() as emb:                       # the bundled multilingual-e5-small
        P = emb.embed(passages)                   # (n, dim) float32, L2-normalised; "passage: " added
        q = emb.embed([question], query=True)[0]  # "query: " added
        scores = P @ q                            # cosine similarities

Many texts per call are packed into one llama.cpp batch (several sequences, each at positions 0..n),
evaluated together and pooled by llama.cpp (the file's pooling type: mean, CLS or last token); the
vectors are normalised here. A text longer than the model's limit is cut to ``max_tokens`` keeping the
closing special token (as Hugging Face tokenizers truncate), and the batch result says which were cut.

A ``Llama`` object is not thread-safe: one lock serialises every call into it. For parallel throughput
make one Embedder per thread (each has its own context; the weights are mmapped and shared by the OS).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.core.embed.models import EMBEDDING_MODEL_ID, Prefixes, prefixes_for, resolve_embedding_model
from assistant.core.errors import CancelledError, ContextOverflowError, ModelLoadError
from assistant.core.runtime.hardware import default_threads

log = logging.getLogger(__name__)

KINDS = ("passage", "query", "raw")
DEFAULT_BATCH_TOKENS = 512  # tokens per llama.cpp batch (= ubatch: an encoder attends over its whole batch, so
# a bigger one costs attention quadratically on the CPU: 2048 ran at half the speed of 512 here, and 2.4 GB)
SINGLE_THREAD_TOKENS = 64  # a batch this small (a search query: ~10-40 tokens) runs on one thread. ggml's threads
# spin at each of the graph's few hundred barriers, so when another process holds a core, a descheduled thread
# stalls all the others: a 20-token query took 150-1500 ms with 2 threads on this 2-core machine under load vs
# 32 ms on one (1.2 ms of CPU per token). Its whole evaluation is a few tens of ms: splitting it gains little.


@dataclass
class EmbeddingBatch:
    vectors: np.ndarray  # (n, dim) float32, L2-normalised
    n_tokens: list[int] = field(default_factory=list)  # tokens evaluated per text (prefix + specials included)
    truncated: list[int] = field(default_factory=list)  # indices of the texts cut to max_tokens

    @property
    def total_tokens(self) -> int:
        return sum(self.n_tokens)


class Embedder:
    """An embedding model loaded with llama.cpp (see the module docstring)."""

    def __init__(self, model: str | os.PathLike[str] | None = None, *, n_threads: int | None = None,
                 n_gpu_layers: int = -1, batch_tokens: int = 0) -> None:
        from assistant.core.backends import auto_gpu_layers
        from assistant.core.models.gguf_check import validate
        from assistant.core.runtime.llama import llama_cpp_module

        resolved = resolve_embedding_model(model)
        path = resolved.path
        # Header, sizes, architecture (a chat model is refused here), tokenizer: clear errors, no crash.
        info = validate(path, purpose="embedding")
        self.path = path
        self.entry = resolved.entry
        self.name = resolved.entry.id if resolved.entry is not None else path.name
        self._lc = llama_cpp_module()
        max_tokens = info.context_length or 512
        batch = max(batch_tokens or DEFAULT_BATCH_TOKENS, max_tokens)
        threads = n_threads or default_threads()
        self._args: dict[str, Any] = {
            "model_path": str(path), "embedding": True, "n_ctx": batch, "n_batch": batch, "n_ubatch": batch,
            "n_threads": threads, "n_threads_batch": threads, "verbose": False,
            # llama.cpp's own tools leave flash attention on "auto" (on wherever it is supported);
            # llama-cpp-python can only say on or off. Off made embedding half as fast as llama-embedding.
            "flash_attn": True}
        if n_gpu_layers < 0:
            n_gpu_layers = auto_gpu_layers(path, batch, purpose="embedding")
        try:
            self.llm = self._open(n_gpu_layers)
        except (ValueError, RuntimeError, OSError) as exc:
            if not n_gpu_layers:
                raise ModelLoadError(f"llama.cpp could not load {path.name} as an embedding model: {exc}",
                                     hint="The file may be damaged or made for a newer llama.cpp; download it "
                                          "again.") from exc
            log.warning("loading %s on the GPU failed (%s); using the CPU", path.name, exc)
            n_gpu_layers = 0
            self.llm = self._open(0)
        self.n_gpu_layers = n_gpu_layers
        self.n_threads = threads
        self._threads_now = threads
        self.batch_tokens = batch
        self._lock = threading.Lock()
        meta = dict(self.llm.metadata)
        st_max = meta.get("sentence_transformers.max_seq_length")
        self.max_tokens = min(max_tokens, int(st_max)) if st_max and st_max.isdigit() else max_tokens
        self.dim = int(self.llm.n_embd())
        self.prefixes: Prefixes = prefixes_for(meta, self.entry, meta.get("general.name", "") + " " + path.name)
        self.query_prefix, self.passage_prefix = self.prefixes.query, self.prefixes.passage
        # The special tokens the tokenizer puts around a text ([CLS] … [SEP], <s> … </s>).
        around = self._tokenize("", special=True)
        self._n_lead = 1 if around and self.llm._model.add_bos_token() else 0
        self._n_tail = len(around) - self._n_lead
        self.passage_budget = self.max_tokens - len(around) - self.count_tokens(self.passage_prefix.strip())
        self.pooling = int(self.llm.pooling_type())
        if self.pooling == self._lc.LLAMA_POOLING_TYPE_NONE:
            self.close()
            from assistant.core.errors import UnsupportedModelError

            raise UnsupportedModelError(path, "it does not pool its token vectors into one sentence vector",
                                        hint="Convert it again from its sentence-transformers folder (modules.json "
                                             "says how it pools).")

    def _open(self, n_gpu_layers: int) -> Any:
        extra = {} if n_gpu_layers else {"op_offload": False}
        return self._lc.Llama(n_gpu_layers=n_gpu_layers, **self._args, **extra)

    # ---------------------------------------------------------------------------------------------
    def _tokenize(self, text: str, *, special: bool) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=special, special=False))

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone (no prefix, no special tokens): what the chunker measures chunks in."""
        if not text:
            return 0
        with self._lock:
            return len(self._tokenize(text, special=False))

    def embed(self, texts: Sequence[str], *, query: bool = False, truncate: bool = True,
              cancel: threading.Event | None = None) -> np.ndarray:
        """(n, dim) float32 L2-normalised vectors; ``query`` picks the query prefix, else the passage one."""
        return self.embed_batch(texts, kind="query" if query else "passage", truncate=truncate, cancel=cancel).vectors

    def embed_batch(self, texts: Sequence[str], *, kind: str = "passage", truncate: bool = True,
                    cancel: threading.Event | None = None) -> EmbeddingBatch:
        """Vectors plus token counts and which texts were truncated. ``kind``: "passage", "query", or "raw"
        (no prefix: API clients add their own)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        prefix = {"passage": self.passage_prefix, "query": self.query_prefix, "raw": ""}[kind]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        result = EmbeddingBatch(out, [0] * len(texts), [])
        if not texts:
            return result
        with self._lock:
            if self.llm is None:
                raise ModelLoadError("The embedding model was closed.")
            seqs: list[list[int]] = []
            for i, text in enumerate(texts):
                tokens = self._tokenize(prefix + text, special=True)
                if len(tokens) > self.max_tokens:
                    if not truncate:
                        raise ContextOverflowError(len(tokens), self.max_tokens,
                                                   hint="Split the text, or let it be truncated.")
                    tail = tokens[len(tokens) - self._n_tail:] if self._n_tail else []
                    tokens = tokens[: self.max_tokens - len(tail)] + tail
                    result.truncated.append(i)
                seqs.append(tokens)
                result.n_tokens[i] = len(tokens)
            self._run(seqs, out, cancel)
        return result

    def _run(self, seqs: list[list[int]], out: np.ndarray, cancel: threading.Event | None) -> None:
        """Pack sequences into batches of at most batch_tokens tokens / n_seq_max sequences and pool them."""
        llm, lc = self.llm, self._lc
        n_seq_max = int(llm.context_params.n_seq_max)
        start = 0
        while start < len(seqs):
            if cancel is not None and cancel.is_set():
                raise CancelledError("Embedding cancelled.")
            end, used = start, 0
            while end < len(seqs) and end - start < n_seq_max and used + len(seqs[end]) <= self.batch_tokens:
                used += len(seqs[end])
                end += 1
            self._set_threads(1 if used <= SINGLE_THREAD_TOKENS and not self.n_gpu_layers else self.n_threads)
            llm._batch.reset()
            for s in range(start, end):
                llm._batch.add_sequence(seqs[s], s - start, True)
            try:
                llm._ctx.kv_cache_clear()
                llm._ctx.decode(llm._batch)
            except RuntimeError as exc:
                raise ModelLoadError(f"llama.cpp failed while embedding: {exc}") from exc
            for s in range(start, end):
                ptr = lc.llama_get_embeddings_seq(llm._ctx.ctx, s - start)
                if not ptr:
                    raise ModelLoadError(f"llama.cpp returned no embedding for {self.path.name}.")
                vec = np.ctypeslib.as_array(ptr, shape=(self.dim,))
                norm = float(np.linalg.norm(vec))
                out[s] = vec / norm if norm > 0 else vec
            start = end

    def _set_threads(self, n: int) -> None:
        """Threads for the next decode (cheap: llama.cpp reads them at each decode; every thread computes whole
        rows, so the vectors do not depend on it)."""
        if n != self._threads_now:
            self._lc.llama_set_n_threads(self.llm._ctx.ctx, n, n)
            self._threads_now = n

    # ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock if hasattr(self, "_lock") else contextlib.nullcontext():
            llm = getattr(self, "llm", None)
            if llm is not None:
                with contextlib.suppress(Exception):
                    llm.close()
                self.llm = None

    def __enter__(self) -> Embedder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        where = f"{self.n_gpu_layers} layers on the GPU" if self.n_gpu_layers else "CPU"
        return (f"{self.name}: {self.dim}-dim vectors, up to {self.max_tokens} tokens, {where}, "
                f"{self.n_threads} threads")


__all__ = ["EMBEDDING_MODEL_ID", "Embedder", "EmbeddingBatch"]
