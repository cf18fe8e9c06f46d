"""What the prompt and sampling helpers (``llama_prompt``, ``llama_sampling``) use of a
:class:`~assistant.core.backends.llama_cpp.LlamaCppBackend`: the helpers are typed against this, so they
need not import the backend that imports them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from assistant.core.backends.kv_states import StateCache
from assistant.core.chat.protocol import TokenLogprob


class LlamaHandle(Protocol):
    llm: Any  # llama_cpp.Llama
    _lc: Any  # the llama_cpp module
    _vocab: Any  # the model's llama_vocab pointer
    _eog_cache: list[int] | None
    states: StateCache | None
    restored_tokens: int
    prewarmed_tokens: int

    def token_logprob(self, token: int, logprob: float, top: Sequence[tuple[int, float]] = ()) -> TokenLogprob: ...

    def token_piece(self, token: int) -> bytes: ...
