"""Bringing llama.cpp's KV cache to a prompt: reuse what it holds, restore a kept state, evaluate the rest in
batches that a Stop or a client's disconnect can end between them.

Why batches of our own: ``Llama.eval`` runs a whole prompt in one call (its n_batch loop cannot be
interrupted), so a 5,000-token prompt whose client has gone kept the model busy until its end. Here each
batch is one ``eval`` call and the cancel event is checked between them: the model is free again within one
batch (``n_batch``, 512 tokens). The KV cache then holds the prompt's first batches, a valid prefix the
next request can reuse.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from assistant.core.backends.kv_states import MIN_TOKENS as KV_MIN_TOKENS
from assistant.core.backends.kv_states import common_prefix
from assistant.core.chat.protocol import TokenLogprob

if TYPE_CHECKING:
    from assistant.core.backends.llama_handle import LlamaHandle

log = logging.getLogger(__name__)

PREWARM_BATCH = 64  # small batches while the user types: a message sent meanwhile waits at most one of them


def prepare(backend: LlamaHandle, tokens: list[int], reuse: bool = True, cancel: threading.Event | None = None,
            *, prewarm: bool = False) -> int:
    """Reuse the KV cache for the common prefix with the previous call (or a kept state of an earlier
    conversation, when it shares more); evaluate the rest. Returns the tokens reused. With ``cancel`` set
    between two batches, it stops there: ``backend.llm.n_tokens`` says how far it got."""
    llm = backend.llm
    prev = llm.input_ids[: llm.n_tokens if reuse else 0]
    common = common_prefix(prev, np.asarray(tokens, dtype=prev.dtype))
    if reuse and backend.states is not None:
        common = swap_state(backend, tokens, common)
    common = min(common, len(tokens) - 1)  # at least one token must be evaluated for logits
    if common > 0 and llm._ctx.kv_cache_seq_rm(-1, common, -1):
        llm.n_tokens = common
    else:
        common = 0
        llm.reset()  # the next eval() removes everything from position 0
    if prewarm:
        for start in range(common, len(tokens), PREWARM_BATCH):
            if cancel is not None and cancel.is_set():
                return common
            llm.eval(tokens[start:start + PREWARM_BATCH])
        backend.prewarmed_tokens = llm.n_tokens  # the cache holds exactly a conversation's next prompt start
        return common
    # The prompt's last token is evaluated on its own, whatever came before it: llama.cpp's batched and
    # single-token kernels round differently, and this way a prompt gives the same logits whether its
    # prefix came from the cache or was evaluated now (greedy replies match).
    step = max(1, int(llm.n_batch))
    for start in range(common, len(tokens) - 1, step):
        if cancel is not None and cancel.is_set():
            return common
        llm.eval(tokens[start:min(start + step, len(tokens) - 1)])
    if cancel is not None and cancel.is_set():
        return common
    llm.eval(tokens[-1:])
    return common


def swap_state(backend: LlamaHandle, tokens: Sequence[int], common: int) -> int:
    """Keep the live cache before a different conversation, or another branch of this one, overwrites it;
    restore a kept one that shares more with ``tokens`` than the live cache does. Returns the tokens now in
    common."""
    llm, lc, states = backend.llm, backend._lc, backend.states
    assert states is not None
    live = llm.n_tokens
    new = np.asarray(tokens, dtype=np.int32)
    # Another conversation: most of the cache is lost. Another branch (the user walked to a sibling): the
    # cache was prewarmed to exactly the start of that branch's next prompt, so it is worth keeping as soon
    # as restoring it would beat evaluating it (the threshold ``best`` restores at). A cache that ends in a
    # reply's reasoning is neither: the next prompt leaves that reasoning out.
    lost = live - common
    another_conversation = lost >= KV_MIN_TOKENS and common < len(tokens) // 2
    another_branch = backend.prewarmed_tokens == live and lost >= KV_MIN_TOKENS // 4
    if another_conversation or another_branch:
        keep_live_state(backend)
    found = states.best(new, at_least=common + KV_MIN_TOKENS // 4)
    if found is None:
        return common
    n, data, kept = found
    llm.reset()
    lc.llama_memory_clear(lc.llama_get_memory(llm._ctx.ctx), True)
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    if not lc.llama_state_seq_set_data(llm._ctx.ctx, buf, len(data), 0):
        log.info("a kept KV state did not fit this context; evaluating instead")
        return 0
    llm.input_ids[: len(kept)] = kept
    llm.n_tokens = len(kept)
    backend.restored_tokens += n
    return n


def keep_live_state(backend: LlamaHandle) -> bool:
    """Save what the KV cache holds now among the kept states (nothing if it is too short to be worth it)."""
    llm, lc, states = backend.llm, backend._lc, backend.states
    live = llm.n_tokens
    if states is None or live < KV_MIN_TOKENS:
        return False
    ctx = llm._ctx.ctx
    size = lc.llama_state_seq_get_size(ctx, 0)
    buf = (ctypes.c_uint8 * size)()
    got = lc.llama_state_seq_get_data(ctx, buf, size, 0)
    if not got:
        return False
    states.save(llm.input_ids[:live], bytes(buf)[:got])
    return True


def log_softmax_top(logits: np.ndarray, token: int, top_n: int) -> tuple[float, list[tuple[int, float]]]:
    """``token``'s log-probability under ``logits`` and the ``top_n`` likeliest tokens with theirs."""
    row = logits.astype(np.float64, copy=False)
    peak = float(row.max())
    lse = peak + float(np.log(np.exp(row - peak).sum()))
    top: list[tuple[int, float]] = []
    if top_n > 0:
        idx = np.argpartition(-row, min(top_n, len(row) - 1))[:top_n]
        idx = idx[np.argsort(-row[idx], kind="stable")]
        top = [(int(i), float(row[i]) - lse) for i in idx]
    return float(row[token]) - lse, top


def prompt_logprobs(backend: LlamaHandle, tokens: list[int], top_n: int,
                    cancel: threading.Event | None = None) -> list[TokenLogprob | None]:
    """Evaluate ``tokens`` from the start with logits at every position and return each token's
    log-probability given the ones before it (the first has none): OpenAI's ``echo`` with ``logprobs``, what
    evaluation harnesses score answers with. Leaves the cache holding the whole prompt, as :func:`prepare`."""
    llm, lc = backend.llm, backend._lc
    n_vocab = llm.n_vocab()
    llm.reset()
    llm._ctx.kv_cache_seq_rm(-1, 0, -1)
    out: list[TokenLogprob | None] = [None]
    step = max(1, int(llm.n_batch))
    for start in range(0, len(tokens), step):
        if cancel is not None and cancel.is_set():
            break
        batch = tokens[start:start + step]
        llm._batch.set_batch(batch=batch, n_past=llm.n_tokens, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm.input_ids[llm.n_tokens:llm.n_tokens + len(batch)] = batch
        llm.n_tokens += len(batch)
        for i in range(len(batch)):
            pos = start + i
            if pos + 1 >= len(tokens):
                break
            ptr = lc.llama_get_logits_ith(llm._ctx.ctx, i)
            row = np.ctypeslib.as_array(ptr, shape=(n_vocab,))
            nxt = tokens[pos + 1]
            lp, top = log_softmax_top(row, nxt, top_n)
            out.append(backend.token_logprob(nxt, lp, top))
    return out
