"""Choosing each next token with llama.cpp: the sampling chain, a grammar that takes over mid-reply, logprobs.

A grammar is applied the way llama.cpp's own server applies it (common/sampling.cpp): the chain draws a
token from the plain logits, and only if the grammar refuses that token are the logits masked by the
grammar (every token of the vocabulary checked) and the draw repeated. Most tokens of a model writing
JSON it was asked for are already valid, so the full check is the exception. The grammar waits until the
reply contains its ``after`` text (``</think>``): a reasoning model thinks freely, the answer is shaped.

Log-probabilities are the model's (log-softmax of the raw logits), as OpenAI reports them, not of the
distribution temperature and top-p leave.
"""

from __future__ import annotations

import ctypes
import logging
import os
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.core.backends.llama_prompt import log_softmax_top
from assistant.core.chat.protocol import GenerationRequest, TokenLogprob
from assistant.core.errors import OutputFormatError
from assistant.core.structured.grammar import Grammar

if TYPE_CHECKING:
    from assistant.core.backends.llama_handle import LlamaHandle

log = logging.getLogger(__name__)


def make_chain(backend: LlamaHandle, request: GenerationRequest) -> Any:
    """The sampling chain a request asks for (penalties, top-k/top-p/min-p, temperature, seeded draw)."""
    from llama_cpp import _internals

    s = request.sampling
    sampler = _internals.LlamaSampler()
    bias: dict[int, float] = {}
    if request.ignore_eos and request.grammar is None:  # a grammar ends the reply when it is complete
        bias = {t: float("-inf") for t in eog_tokens(backend)}
    if bias:
        sampler.add_logit_bias(backend.llm.n_vocab(), bias)
    if s.repeat_penalty != 1.0:
        sampler.add_penalties(backend.llm.n_vocab(), 64, s.repeat_penalty, 0.0, 0.0)
    seed = s.seed if s.seed is not None else int.from_bytes(os.urandom(4), "little")
    if s.temperature <= 0:
        sampler.add_greedy()
    else:
        if s.top_k > 0:
            sampler.add_top_k(s.top_k)
        sampler.add_top_p(s.top_p, 1)
        if s.min_p > 0:
            sampler.add_min_p(s.min_p, 1)
        sampler.add_temp(s.temperature)
        sampler.add_dist(seed)
    return sampler


def eog_tokens(backend: LlamaHandle) -> list[int]:
    # A scan of the whole vocabulary (150k entries for R1): done once per model.
    if backend._eog_cache is None:
        is_eog = backend._lc.llama_vocab_is_eog
        backend._eog_cache = [t for t in range(backend.llm.n_vocab()) if is_eog(backend._vocab, t)]
    return backend._eog_cache


def new_grammar_sampler(backend: LlamaHandle, grammar: Grammar) -> Any:
    """llama.cpp's grammar sampler for ``grammar``; a grammar its parser refuses is an OutputFormatError."""
    lc = backend._lc
    smpl = lc.llama_sampler_init_grammar(backend._vocab, grammar.gbnf.encode("utf-8"), grammar.root.encode("utf-8"))
    if not smpl:
        raise OutputFormatError("llama.cpp could not use the grammar made for this output format.",
                                hint="Simplify the JSON schema (the log has llama.cpp's reason).")
    return smpl


class TokenSampler:
    """Draws one reply's tokens: ``sample`` the next one, ``accept`` it once it is kept."""

    def __init__(self, backend: LlamaHandle, request: GenerationRequest) -> None:
        self.backend = backend
        self._lc = backend._lc
        self.chain = make_chain(backend, request)
        self.grammar = request.grammar
        self._gsampler: Any = None  # the grammar's llama_sampler, once it constrains the reply
        self._after = self.grammar.after if self.grammar is not None else ""
        self._opener = self.grammar.opener if self.grammar is not None and self._after else ""
        self._tail = ""
        self.top_n = request.logprobs
        self._n_vocab = backend.llm.n_vocab()
        self._cur: Any = None
        self.rejections = 0  # draws the grammar refused (then masked and drawn again)
        if self.grammar is not None and not self._after:
            self._arm("")

    @property
    def constraining(self) -> bool:
        return self._gsampler is not None

    # ---------------------------------------------------------------------------------------------
    def _logits(self, ctx: Any) -> np.ndarray:
        ptr = self._lc.llama_get_logits_ith(ctx.ctx, -1)
        return np.ctypeslib.as_array(ptr, shape=(self._n_vocab,))

    def _filled(self, logits: np.ndarray) -> Any:
        from llama_cpp import _internals

        if self._cur is None:
            self._cur = _internals.LlamaTokenDataArray(n_vocab=self._n_vocab)
        self._cur.copy_logits(logits)
        self._cur.candidates.selected = -1
        return self._cur

    def _draw(self, cur: Any, *, masked: bool) -> int:
        ref = ctypes.byref(cur.candidates)
        if masked:
            self._lc.llama_sampler_apply(self._gsampler, ref)
        self._lc.llama_sampler_apply(self.chain.sampler, ref)
        selected = int(cur.candidates.selected)
        if selected < 0:  # a chain without a selecting sampler cannot happen; the best logit then
            selected = int(np.argmax(cur.candidates_data.logit[: cur.candidates.size]))
        return int(cur.candidates_data.id[selected])

    def allowed(self, token: int) -> bool:
        """Whether the grammar, as far as the reply has come, lets ``token`` come next."""
        lc = self._lc
        one = (lc.llama_token_data * 1)()
        one[0].id, one[0].logit, one[0].p = token, 1.0, 0.0
        arr = lc.llama_token_data_array(data=one, size=1, selected=-1, sorted=False)
        lc.llama_sampler_apply(self._gsampler, ctypes.byref(arr))
        return bool(np.isfinite(one[0].logit))

    def sample(self, ctx: Any) -> int:
        """The next token from the logits of the context's last position."""
        if self._gsampler is None:
            tok = int(self._lc.llama_sampler_sample(self.chain.sampler, ctx.ctx, -1))
            if not self._opener:
                return tok
            head = self.backend.token_piece(tok).decode("utf-8", errors="ignore").lstrip()
            if not head:
                return tok  # whitespace: the reply has not shown yet whether it reasons
            opener, self._opener = self._opener, ""
            if opener.startswith(head) or head.startswith(opener):
                return tok  # it opens its reasoning: the grammar waits for the close tag
            self._arm("")  # a reply without reasoning: its answer starts here, shaped from this token
        logits = self._logits(ctx)
        tok = self._draw(self._filled(logits), masked=False)
        if not self.allowed(tok):
            self.rejections += 1
            tok = self._draw(self._filled(logits), masked=True)
        self._lc.llama_sampler_accept(self.chain.sampler, tok)
        return tok

    def accept(self, token: int, text: str) -> None:
        """``token`` (whose text, decoded so far, is ``text``) is part of the reply: the grammar moves on, or
        takes over if the reply has just reached its ``after`` text."""
        if self._gsampler is not None:
            self._lc.llama_sampler_accept(self._gsampler, token)
            return
        if not self._after:
            return
        self._tail = (self._tail + text)[-(len(self._after) + 64):]
        at = self._tail.find(self._after)
        if at >= 0:
            self._arm(self._tail[at + len(self._after):])

    def _arm(self, leftover: str) -> None:
        """The grammar constrains from now on. Text the same token wrote after ``after`` (a multi-token
        ``</think>`` merged with what follows) is fed to it first, where the grammar allows it."""
        assert self.grammar is not None
        self._gsampler = new_grammar_sampler(self.backend, self.grammar)
        if not leftover:
            return
        for tok in self.backend.llm.tokenize(leftover.encode("utf-8"), add_bos=False, special=False):
            if not self.allowed(tok):
                log.info("text after %r is outside the grammar; the answer is constrained from here", self._after)
                return
            self._lc.llama_sampler_accept(self._gsampler, tok)

    # ---------------------------------------------------------------------------------------------
    def logprob(self, ctx: Any, token: int) -> TokenLogprob:
        """``token``'s log-probability at the context's last position, with the likeliest alternatives."""
        lp, top = log_softmax_top(self._logits(ctx), token, self.top_n or 0)
        return self.backend.token_logprob(token, lp, top)

    def close(self) -> None:
        self.chain.close()
        if self._gsampler is not None:
            self._lc.llama_sampler_free(self._gsampler)
            self._gsampler = None
