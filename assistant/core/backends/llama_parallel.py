"""Several samples of one prompt decoded together: one llama.cpp batch, the prompt evaluated once.

On a CPU, decoding one token is bound by reading the weights; a batch of N sequences reads them once
for all N, so five samples cost about twice one (llama.cpp's own ``llama-batched-bench``: 2.1x), not 5x.

A second llama.cpp context on the same model holds the sequences, with a unified KV cache so they share
the prompt's cells: the prompt is evaluated in the backend's main context (reusing whatever it had
cached), its KV copied over as sequence 0 and shared with the others (``llama_memory_seq_cp``), and the
last prompt token is evaluated once to give the first logits. Each sequence has its own sampler and seed,
its own stop matcher and UTF-8 decoder. A sequence that ends frees its share of the batch.

The caller (the turn) can feed text into one sequence (:meth:`ParallelDecode.inject`: a reasoning closed
at its budget, with its wrap-up), end one early (:meth:`ParallelDecode.finish`: the vote is decided), and
take one back to an earlier point of its text (:meth:`ParallelDecode.rewind`: a loop is cut where it
began — that sequence's KV cells past the point are removed, the others' are untouched) to go on from
there with another seed (:meth:`ParallelDecode.reseed`: the loop is resampled).
"""

from __future__ import annotations

import codecs
import ctypes
import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.protocol import Chunk, GenerationRequest, GenerationStats, StopMatcher
from assistant.core.errors import GenerationError, ModelError
from assistant.core.settings import Sampling
from assistant.core.units import human_bytes

# The backend is assistant.core.backends.llama_cpp.LlamaCppBackend (typed Any: that module imports this one).
LlamaCppBackend = Any

MEMORY_MARGIN = 512 * 2**20  # left free beside the samples' cache
INJECT_ROOM = 96  # cells per sequence for text fed in (a wrap-up is ~20 tokens)


@dataclass
class _Seq:
    index: int
    sampler: Any
    max_new: int
    decoder: Any = field(default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace"))
    stops: StopMatcher = field(default_factory=lambda: StopMatcher(()))
    pending: list[int] = field(default_factory=list)  # tokens to evaluate next, the last one gets logits
    logits_at: int | None = None  # batch index of this sequence's fresh logits
    pos: int = 0
    n_out: int = 0
    uncounted: int = 0
    done: bool = False
    finish: str = "length"
    end_requested: str = ""  # the caller ended it (finish()): a done chunk goes out next
    t_first: float = 0.0
    t_last: float = 0.0
    token_ids: list[int] = field(default_factory=list)  # the reply's tokens after the prompt, fed text included
    chars: int = 0  # characters of text those tokens make (what the caller has seen, plus what it fed in)
    # (tokens, chars) where the text of the first `tokens` tokens is exactly the first `chars` characters:
    # the points a rewind can go back to (not inside a character still being decoded)
    marks: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])


def kv_bytes_per_token(backend: LlamaCppBackend) -> int:
    lc, model = backend._lc, backend.llm._model.model
    n_layer, n_embd = lc.llama_model_n_layer(model), lc.llama_model_n_embd(model)
    n_head, n_head_kv = lc.llama_model_n_head(model), lc.llama_model_n_head_kv(model)
    return n_layer * 2 * (n_embd // max(1, n_head)) * n_head_kv * 2  # K and V, f16


def check_memory(backend: LlamaCppBackend, n: int, cells: int) -> None:
    """The samples' KV cache is sized before anything starts; too big for free memory is a clear error."""
    import psutil

    need = cells * kv_bytes_per_token(backend)
    free = psutil.virtual_memory().available - MEMORY_MARGIN
    if need > free:
        raise ModelError(
            f"{n} samples at once need {human_bytes(need)} of memory for their cache, but only "
            f"{human_bytes(max(0, free))} is free.",
            hint="Ask for fewer samples or a shorter reply (max tokens), or close other programs.")


class ParallelDecode:
    """Iterate for :class:`Chunk` pieces tagged with ``seq``; each sequence ends with a done chunk."""

    def __init__(self, backend: LlamaCppBackend, prompt: list[int], requests: Sequence[GenerationRequest],
                 on_close: Callable[[], None] | None = None) -> None:
        from llama_cpp import _internals

        self._on_close = on_close
        self.backend = backend
        self.requests = list(requests)
        self.cancel = requests[0].cancel
        n = len(requests)
        lc = backend._lc
        self._lc = lc
        cells = len(prompt) + sum(r.sampling.max_tokens for r in requests) + n * INJECT_ROOM
        cells = -(-cells // 256) * 256
        check_memory(backend, n, cells)
        main = backend.llm
        params = lc.llama_context_params.from_buffer_copy(main.context_params)
        params.n_ctx, params.n_seq_max, params.kv_unified = cells, n, True
        params.n_batch = params.n_ubatch = max(512, n)
        self.ctx = _internals.LlamaContext(model=main._model, params=params, verbose=False)
        backend.lora.apply_to(self.ctx.ctx)  # the same adapters as the main context, whose KV it copies
        self.stats = [GenerationStats(prompt_tokens=len(prompt)) for _ in requests]
        self.t0 = time.perf_counter()
        self._batch = lc.llama_batch_init(params.n_batch, 0, n)
        self._prompt_last = prompt[-1]
        self._prompt_len = len(prompt)
        self.seqs = [_Seq(i, backend._make_sampler(r), r.sampling.max_tokens, stops=StopMatcher(r.stop))
                     for i, r in enumerate(requests)]
        self._start(prompt)

    # ---------------------------------------------------------------------------------------------
    def _start(self, prompt: list[int]) -> None:
        """The prompt's KV from the main context (evaluated there once, cached prefix reused), copied as
        sequence 0 and shared; its last token evaluated here for the first logits."""
        backend, lc = self.backend, self._lc
        reused = backend._prepare(prompt)  # main context: exactly the prompt now
        mem = lc.llama_get_memory(self.ctx.ctx)
        copied = False
        if len(prompt) > 1:
            size = lc.llama_state_seq_get_size(backend.llm._ctx.ctx, 0)
            buf = (ctypes.c_uint8 * size)()
            got = lc.llama_state_seq_get_data(backend.llm._ctx.ctx, buf, size, 0)
            copied = bool(got) and bool(lc.llama_state_seq_set_data(self.ctx.ctx, buf, got, 0))
        if copied:
            lc.llama_memory_seq_rm(mem, 0, len(prompt) - 1, -1)
            self._decode([(0, [prompt[-1]], len(prompt) - 1)])
        else:  # evaluate it here instead
            lc.llama_memory_clear(mem, True)
            for start in range(0, len(prompt), 512):
                part = prompt[start:start + 512]
                self._decode([(0, part, start)], logits=start + len(part) == len(prompt))
        for s in self.seqs[1:]:
            lc.llama_memory_seq_cp(mem, 0, s.index, -1, -1)
        for s in self.seqs:
            s.pos = len(prompt)
            s.logits_at = -1
        t = time.perf_counter()
        for st in self.stats:
            st.reused_prompt_tokens = reused
            st.prompt_seconds = t - self.t0

    def _decode(self, parts: list[tuple[int, list[int], int]], logits: bool = True) -> dict[int, int]:
        """Evaluate token runs (seq, tokens, first position); the last token of each run gets logits.
        Returns each sequence's batch index of its logits."""
        b = self._batch
        k = 0
        where: dict[int, int] = {}
        for seq, toks, pos in parts:
            for j, tok in enumerate(toks):
                b.token[k] = tok
                b.pos[k] = pos + j
                b.n_seq_id[k] = 1
                b.seq_id[k][0] = seq
                last = j == len(toks) - 1
                b.logits[k] = last and logits
                if last:
                    where[seq] = k
                k += 1
        b.n_tokens = k
        rc = self._lc.llama_decode(self.ctx.ctx, b)
        if rc != 0:
            raise GenerationError(f"llama.cpp failed while decoding the samples (llama_decode returned {rc}).",
                                  hint="Try fewer samples or a shorter reply.")
        return where

    # ---------------------------------------------------------------------------------------------
    def inject(self, seq: int, text: str, max_new: int) -> None:
        """Feed ``text`` into one sequence (after what it has written) and let it write ``max_new`` more
        tokens; a sequence that had ended goes on."""
        s = self.seqs[seq]
        toks = list(self.backend.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))
        s.pending += toks
        s.max_new = s.n_out + max_new
        s.done = False
        s.logits_at = None
        s.token_ids += toks
        s.chars += len(text)
        self._mark(s)

    def rewind(self, seq: int, keep_chars: int) -> int:
        """Take one sequence back to the first ``keep_chars`` characters of its text (after the prompt), or
        to the last token boundary before them: its KV cells past that point are removed and the last kept
        token is evaluated again for fresh logits. Returns the characters actually kept (<= keep_chars);
        the caller cuts its text there."""
        s = self.seqs[seq]
        k = len(s.marks) - 1
        while k > 0 and s.marks[k][1] > keep_chars:
            k -= 1
        tokens, chars = s.marks[k]
        mem = self._lc.llama_get_memory(self.ctx.ctx)
        if tokens:
            pos, last = self._prompt_len + tokens - 1, s.token_ids[tokens - 1]
        else:  # back to the prompt's end: its last token again (this sequence's cell only)
            pos, last = self._prompt_len - 1, self._prompt_last
        self._lc.llama_memory_seq_rm(mem, seq, pos, -1)
        s.token_ids, s.chars = s.token_ids[:tokens], chars
        s.marks = s.marks[:k + 1]
        s.pos, s.pending, s.logits_at = pos, [last], None
        s.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        s.stops = StopMatcher(self.requests[seq].stop)
        s.done, s.end_requested = False, ""
        return chars

    def reseed(self, seq: int, sampling: Sampling) -> None:
        """Draw one sequence's next tokens with other sampling settings (another seed, a temperature)."""
        s = self.seqs[seq]
        request = dataclasses.replace(self.requests[seq], sampling=sampling)
        s.sampler.close()
        s.sampler = self.backend._make_sampler(request)

    @staticmethod
    def _mark(s: _Seq) -> None:
        if not s.decoder.getstate()[0]:  # no bytes of a character held back
            s.marks.append((len(s.token_ids), s.chars))

    def finish(self, seq: int, reason: str = "stop") -> None:
        """End one sequence now (its done chunk follows)."""
        s = self.seqs[seq]
        s.pending.clear()
        s.logits_at = None
        if not s.done:
            s.end_requested = reason

    def __iter__(self) -> Iterator[Chunk]:
        backend, lc = self.backend, self._lc
        is_eog, vocab, piece = lc.llama_vocab_is_eog, backend._vocab, backend.token_piece
        try:
            while True:
                # 1. every sequence with fresh logits draws its next token
                for s in self.seqs:
                    if s.end_requested and not s.done:
                        yield from self._end(s, s.end_requested)
                    if s.done or s.logits_at is None:
                        continue
                    idx, s.logits_at = s.logits_at, None
                    tok = s.sampler.sample(self.ctx, idx)
                    now = time.perf_counter()
                    if not s.n_out:
                        s.t_first = now
                    if not self.requests[s.index].ignore_eos and is_eog(vocab, tok):
                        yield from self._end(s, "stop")
                        continue
                    s.n_out += 1
                    s.uncounted += 1
                    s.t_last = now
                    s.token_ids.append(tok)
                    go_on = s.n_out < s.max_new
                    if go_on:
                        s.pending = [tok]  # before the text goes out: what the caller injects comes after
                    text = s.decoder.decode(piece(tok))
                    s.chars += len(text)
                    self._mark(s)
                    if text:
                        text = s.stops.feed(text)
                        if s.stops.hit:
                            s.pending.clear()
                        if text:
                            s.uncounted, n = 0, s.uncounted
                            yield Chunk(text=text, tokens=n, seq=s.index)
                        if s.done or s.end_requested:
                            continue
                        if s.stops.hit:
                            yield from self._end(s, "stop")
                            continue
                    if not s.done and not s.end_requested and not s.pending:
                        yield from self._end(s, "length")
                if self.cancel.is_set():
                    for s in self.seqs:
                        if not s.done:
                            yield from self._end(s, "cancelled")
                    return
                # 2. one batch: each live sequence's pending tokens
                parts = [(s.index, s.pending, s.pos) for s in self.seqs
                         if s.pending and not s.done and not s.end_requested]
                if not parts:
                    if all(s.done for s in self.seqs):
                        return
                    continue
                for chunk_parts in _fit(parts, self._batch_size()):
                    where = self._decode(chunk_parts)
                    for seq, toks, _ in chunk_parts:
                        s = self.seqs[seq]
                        s.pos += len(toks)
                        s.pending = []
                        s.logits_at = where.get(seq)
        finally:
            self.close()

    def _batch_size(self) -> int:
        return max(512, len(self.seqs))

    def _end(self, s: _Seq, reason: str) -> Iterator[Chunk]:
        tail = s.stops.flush()
        if tail:
            yield Chunk(text=tail, tokens=s.uncounted, seq=s.index)
        s.done, s.finish, s.end_requested = True, reason, ""
        st = self.stats[s.index]
        st.completion_tokens = s.n_out
        st.generation_seconds = (s.t_last - s.t_first) if s.n_out else 0.0
        st.finish_reason = reason
        st.token_ids = list(s.token_ids)
        yield Chunk(done=True, stats=st, seq=s.index)

    def close(self) -> None:
        if getattr(self, "_batch", None) is not None:
            self._lc.llama_batch_free(self._batch)
            self._batch = None
        for s in getattr(self, "seqs", ()):
            s.sampler.close()
        self.seqs = []
        ctx = getattr(self, "ctx", None)
        if ctx is not None:
            ctx.close()
            self.ctx = None  # type: ignore[assignment]
        release, self._on_close = getattr(self, "_on_close", None), None
        if release is not None:
            release()


def _fit(parts: list[tuple[int, list[int], int]], size: int) -> Iterator[list[tuple[int, list[int], int]]]:
    """Split runs into batches of at most ``size`` tokens (a long injection may not fit with the rest)."""
    out: list[tuple[int, list[int], int]] = []
    room = size
    for seq, toks, pos in parts:
        if len(toks) > room and out:
            yield out
            out, room = [], size
        out.append((seq, toks, pos))
        room -= len(toks)
    if out:
        yield out
