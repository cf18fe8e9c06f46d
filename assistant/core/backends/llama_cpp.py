"""llama.cpp through llama-cpp-python: load a GGUF, stream text pieces as tokens are sampled.

Why not ``Llama.create_completion``: it re-detokenizes the whole completion for every token (quadratic
on long reasoning replies) and cannot be stopped between tokens from another thread. This loop
decodes each token's bytes once, through an incremental UTF-8 decoder, so a character split across
tokens is held until complete and the per-token cost stays flat.

A ``Llama`` object is not thread-safe: one lock guards every call into it. The parts live beside this
file: loading checks (``llama_load``), the prompt's evaluation and kept KV states (``llama_prompt``), the
choice of each token with grammars and logprobs (``llama_sampling``), several samples at once
(``llama_parallel``).
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import dataclasses
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import assistant.core.backends.llama_prompt as llama_prompt
from assistant.core.backends.kv_states import StateCache
from assistant.core.backends.llama_load import (
    GPU_LOAD_FAILED,
    GPU_RUN_FAILED,
    check_context,
    check_gguf_file,
    default_system_from_template,
    load_error,
    read_ctx_train,
)
from assistant.core.backends.llama_parallel import ParallelDecode
from assistant.core.backends.llama_sampling import TokenSampler, eog_tokens, make_chain, new_grammar_sampler
from assistant.core.backends.lora import LoraRuntime
from assistant.core.chat.prompting import Family, Message, detect_family, family_for_model
from assistant.core.chat.protocol import (
    Chunk,
    GenerationRequest,
    GenerationStats,
    ModelInfo,
    StopMatcher,
    TokenLogprob,
)
from assistant.core.errors import CancelledError, ConfigError, ContextOverflowError, GenerationError
from assistant.core.gguf_file import file_type_name
from assistant.core.models.catalog import CatalogEntry, entry_for_file
from assistant.core.paths import app_paths
from assistant.core.runtime.hardware import default_threads
from assistant.core.settings import DEFAULT_N_CTX
from assistant.core.structured.grammar import Grammar

log = logging.getLogger(__name__)
__all__ = ["GPU_LOAD_FAILED", "GPU_RUN_FAILED", "LlamaCppBackend", "check_gguf_file"]


class LlamaCppBackend:
    name = "llama.cpp"

    def __init__(
        self,
        model_path: str | os.PathLike[str],
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        entry: CatalogEntry | None = None,
        family: str | None = None,
        seed: int = 0xA551,
    ) -> None:
        path = Path(model_path)
        check_gguf_file(path)
        from assistant.core.runtime.llama import llama_cpp_module

        llama_cpp = llama_cpp_module()
        self._lc = llama_cpp
        self.path = path
        self.entry = entry if entry is not None else entry_for_file(path)
        threads = n_threads or default_threads()
        want_ctx = n_ctx or (self.entry.n_ctx if self.entry else 0)
        if not want_ctx:
            # Read the trained context from the file without allocating a big KV cache first.
            want_ctx = min(read_ctx_train(path) or DEFAULT_N_CTX, DEFAULT_N_CTX)
        check_context(path, want_ctx)
        self._n_ctx_wanted = want_ctx
        self._open_args: dict[str, Any] = {"model_path": str(path), "n_ctx": want_ctx, "n_batch": min(512, want_ctx),
                           "n_threads": threads, "n_threads_batch": threads, "seed": seed, "verbose": False}
        self._pending_notices: list[str] = []
        try:
            self.llm = self._open(n_gpu_layers)
        except (ValueError, RuntimeError, OSError) as exc:
            if n_gpu_layers == 0:
                raise load_error(path, exc, want_ctx) from exc
            log.warning("loading %s with %d layers on the GPU failed (%s); loading it on the CPU",
                        path.name, n_gpu_layers, exc)
            self._pending_notices.append(GPU_LOAD_FAILED)
            n_gpu_layers = 0
            try:
                self.llm = self._open(0)
            except (ValueError, RuntimeError, OSError) as exc2:
                raise load_error(path, exc2, want_ctx) from exc2
        self.n_gpu_layers = n_gpu_layers
        self._lock = threading.Lock()
        self._vocab = self.llm._model.vocab
        meta = dict(self.llm.metadata)
        self._meta = meta
        arch = meta.get("general.architecture", "")
        template = meta.get("tokenizer.chat_template", "")
        fam = family or (self.entry.family if self.entry else None) or detect_family(
            template, arch, meta.get("general.name", path.name)
        )
        self.family: Family = family_for_model(fam, template)  # tools: as its own template has them
        default_system = self.entry.default_system if self.entry else None
        if default_system is None and fam == "chatml":
            default_system = default_system_from_template(template)
        self._bos = self.llm.token_bos()
        self._add_bos = bool(self.llm._model.add_bos_token()) and self._bos >= 0
        # Tokens that carry text the post-processing needs (R1's <think> tags) are rendered even if
        # the file marks them special; other control tokens are not shown.
        self._render_special = {t for tag in (b"<think>", b"</think>")
                                if len(t_ := self.llm.tokenize(tag, add_bos=False, special=True)) == 1
                                for t in t_}
        self._piece_buf = ctypes.create_string_buffer(256)
        self._eog_cache: list[int] | None = None
        # What the last generation ran on: its prompt's tokens and the reply's tokens (prefill included).
        self._last_prompt: list[int] = []
        self.last_tokens: list[int] = []
        self._next_context: tuple[list[int], list[int]] | None = None
        self._info = ModelInfo(
            name=self.entry.name if self.entry else meta.get("general.name", path.stem),
            path=str(path),
            family=fam,
            architecture=arch,
            n_ctx=self.llm.n_ctx(),
            n_ctx_train=int(self.llm._model.n_ctx_train()),
            n_params=int(llama_cpp.llama_model_n_params(self.llm._model.model)),
            size_bytes=path.stat().st_size,
            quantization=file_type_name(meta.get("general.file_type")),
            default_system=default_system,
            n_layers=int(llama_cpp.llama_model_n_layer(self.llm._model.model)),
            n_gpu_layers=n_gpu_layers,
        )
        self.n_threads = threads
        # Kept KV states of earlier conversations (kv_states.py); off with ASSISTANT_KV_STATES=off.
        self.restored_tokens = 0
        self.prewarmed_tokens = -1  # the cache's length when a prewarm last finished (llama_prompt.swap_state)
        self.states: StateCache | None = None
        key = ""
        if os.environ.get("ASSISTANT_KV_STATES", "").lower() not in ("off", "0", "no"):
            st = path.stat()
            key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{self.llm.n_ctx()}|{self._info.n_gpu_layers}"
            self.states = StateCache(key, app_paths().cache_dir / "kv-states")
        self.lora = LoraRuntime(self, key if self.states is not None else "")  # LoRA adapters (issue 17)

    def _open(self, n_gpu_layers: int) -> Any:
        """A ``Llama`` with ``n_gpu_layers`` on the GPU; with 0 nothing runs on a GPU (no op offload either)."""
        extra = {} if n_gpu_layers else {"op_offload": False}
        return self._lc.Llama(n_gpu_layers=n_gpu_layers, **self._open_args, **extra)

    def _fall_back_to_cpu(self, exc: BaseException) -> None:
        """The GPU failed while running (device lost, out of memory, driver error): reload on the CPU."""
        log.warning("llama.cpp failed on the GPU (%s); reloading %s on the CPU", exc, self.path.name)
        with contextlib.suppress(Exception):
            self.llm.close()
        try:
            self.llm = self._open(0)
        except (ValueError, RuntimeError, OSError) as exc2:
            raise load_error(self.path, exc2, self._n_ctx_wanted) from exc2
        self.n_gpu_layers = 0
        self._vocab = self.llm._model.vocab
        self._info = dataclasses.replace(self._info, n_gpu_layers=0)
        self.lora.forget()

    # ---------------------------------------------------------------------------------------------
    @property
    def info(self) -> ModelInfo:
        return self._info

    @property
    def n_ctx(self) -> int:
        return self._info.n_ctx

    def tokenize_prompt(self, prompt: str) -> list[int]:
        """Tokenize a rendered prompt; templates write BOS themselves, so never add a second one."""
        with self._lock:
            tokens = self.llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        if self._add_bos and (not tokens or tokens[0] != self._bos):
            tokens.insert(0, self._bos)
        return tokens

    def render(self, messages: Sequence[Message], family: Family | None = None) -> str:
        fam = family or self.family
        return fam.render(messages, True, self._info.default_system)

    def count_tokens(self, messages: Sequence[Message], family: Family | None = None) -> int:
        return len(self.tokenize_prompt(self.render(messages, family)))

    def token_piece(self, token: int) -> bytes:
        special = token in self._render_special
        n = self._lc.llama_token_to_piece(self._vocab, token, self._piece_buf, 256, 0, special)
        if n < 0:  # piece longer than the buffer
            buf = ctypes.create_string_buffer(-n)
            n = self._lc.llama_token_to_piece(self._vocab, token, buf, -n, 0, special)
            return bytes(buf.raw[:n])
        return self._piece_buf.raw[:n]

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self.token_piece(t) for t in tokens).decode("utf-8", errors="replace")

    # ---------------------------------------------------------------------------------------------
    def stream(self, request: GenerationRequest) -> Iterator[Chunk]:
        raw = request.raw_prompt
        if raw is None:
            tokens = self.tokenize_prompt(self.render(request.messages, request.family))
        elif isinstance(raw, str):
            tokens = self.tokenize_prompt(raw)
        else:  # token ids, as /v1/completions may send them
            tokens = [int(t) for t in raw]
            bad = [t for t in tokens if not 0 <= t < self.llm.n_vocab()]
            if bad or not tokens:
                raise ConfigError(f"The prompt has token ids this model does not have ({bad[:3]}…)." if bad
                                  else "The prompt is empty.", hint=f"Token ids go from 0 to {self.llm.n_vocab() - 1}.")
        prefill = self._prefill_tokens(tokens, request.prefill) if request.prefill else []
        self._next_context = (tokens, prefill)
        return self.stream_tokens(tokens + prefill, request)

    def parallel(self, requests: Sequence[GenerationRequest]) -> ParallelDecode:
        """Several samples of one prompt decoded together (the requests differ only in their sampling):
        iterate the result for pieces tagged with their sample. Holds the model until it is used up."""
        first = requests[0]
        tokens = self.tokenize_prompt(self.render(first.messages, first.family))
        if first.prefill:
            tokens += self._prefill_tokens(tokens, first.prefill)
        if len(tokens) >= self.n_ctx:
            raise ContextOverflowError(len(tokens) + 1, self.n_ctx)
        while not self._lock.acquire(timeout=0.05):
            if first.cancel.is_set():
                raise CancelledError("Stopped before the samples started.")
        try:
            self.lora.use(first.adapters)
            return ParallelDecode(self, tokens, requests, on_close=self._lock.release)
        except BaseException:
            self._lock.release()
            raise

    def _prefill_tokens(self, prompt: list[int], prefill: str) -> list[int]:
        """Tokens of a reply's start. Where it begins with what this model just generated after the same
        prompt, those very tokens are reused (the KV cache holds them: nothing is evaluated again, and a
        re-tokenization could differ from what was sampled); only the rest is tokenized."""
        reused: list[int] = []
        if self._last_prompt == prompt:
            data, pos = prefill.encode("utf-8"), 0
            for tok in self.last_tokens:
                piece = self.token_piece(tok)
                if not piece or data[pos:pos + len(piece)] != piece:
                    break
                reused.append(tok)
                pos += len(piece)
            rest = data[pos:].decode("utf-8", errors="ignore") if pos else prefill
        else:
            rest = prefill
        if not rest:
            return reused
        return reused + list(self.llm.tokenize(rest.encode("utf-8"), add_bos=False, special=True))

    def stream_tokens(self, tokens: list[int], request: GenerationRequest) -> Iterator[Chunk]:
        n_ctx = self.n_ctx
        if len(tokens) >= n_ctx:
            raise ContextOverflowError(len(tokens) + 1, n_ctx)
        if not self._lock.acquire(blocking=False):
            # Another caller holds the model: wait, but stay cancellable.
            while not self._lock.acquire(timeout=0.05):
                if request.cancel.is_set():
                    yield Chunk(done=True, stats=GenerationStats(len(tokens), 0, finish_reason="cancelled"))
                    return
        try:
            self.lora.use(request.adapters)
            yield from self._generate(tokens, request)
        finally:
            self._lock.release()

    def _prepare(self, tokens: list[int], reuse: bool = True, cancel: threading.Event | None = None,
                 prewarm: bool = False) -> int:
        """The KV cache brought to ``tokens`` (llama_prompt.prepare): tokens reused; stops between batches
        once ``cancel`` is set."""
        return llama_prompt.prepare(self, tokens, reuse, cancel, prewarm=prewarm)

    def prewarm(self, messages: Sequence[Message], family: Family | None, cancel: threading.Event) -> int:
        """While the user reads or types: bring the cache to exactly the tokens the next prompt starts
        with (the conversation so far, its last reply without the reasoning, as the template renders
        it). Stops between batches when ``cancel`` is set (a message was sent). Returns tokens evaluated."""
        fam = family or self.family
        text = fam.render_prefix(messages, self._info.default_system)
        tokens = self.tokenize_prompt(text)
        if not tokens or not self._lock.acquire(blocking=False):
            return 0
        try:
            before = self.llm.n_tokens
            common = self._prepare(tokens, cancel=cancel, prewarm=True)
            log.debug("prewarm: %d tokens kept of %d, %d evaluated", common, before, self.llm.n_tokens - common)
            return self.llm.n_tokens - common
        except Exception as exc:  # a failed prewarm only loses the head start
            log.info("prewarm failed: %s", exc)
            self.llm.reset()
            return 0
        finally:
            self._lock.release()

    def _make_sampler(self, request: GenerationRequest) -> Any:
        return make_chain(self, request)

    def _eog_tokens(self) -> list[int]:
        return eog_tokens(self)

    def token_logprob(self, token: int, logprob: float, top: Sequence[tuple[int, float]] = ()) -> TokenLogprob:
        """A token with its log-probability and alternatives, as text and bytes."""
        raw = self.token_piece(token)
        alternatives = []
        for t, lp in top:
            piece = self.token_piece(t)
            alternatives.append((piece.decode("utf-8", errors="replace"), lp, piece))
        return TokenLogprob(raw.decode("utf-8", errors="replace"), logprob, raw, tuple(alternatives))

    def check_grammar(self, grammar: Grammar) -> None:
        """Refuse (OutputFormatError) a grammar llama.cpp's parser cannot use, before a request runs on it."""
        with self._lock:
            smpl = new_grammar_sampler(self, grammar)
            self._lc.llama_sampler_free(smpl)

    @property
    def chat_template(self) -> str:
        """The model's own Jinja chat template (GGUF ``tokenizer.chat_template``), "" when it has none."""
        return str(self._meta.get("tokenizer.chat_template", "") or "")

    @property
    def special_tokens(self) -> tuple[str, str]:
        """(BOS, EOS) as text, for templates that write them."""
        def text(t: int) -> str:
            return self.token_piece_special(t).decode("utf-8", errors="replace") if t >= 0 else ""
        return text(self.llm.token_bos()), text(self.llm.token_eos())

    def token_piece_special(self, token: int) -> bytes:
        n = self._lc.llama_token_to_piece(self._vocab, token, self._piece_buf, 256, 0, True)
        return self._piece_buf.raw[:max(0, n)]

    def _generate(self, tokens: list[int], request: GenerationRequest) -> Iterator[Chunk]:
        llm, lc, vocab = self.llm, self._lc, self._vocab
        cancel = request.cancel
        stats = GenerationStats(prompt_tokens=len(tokens))
        self.last_stats = stats  # live: a caller that stops the stream early still reads the prompt's figures
        t0 = time.perf_counter()
        while self._pending_notices:
            yield Chunk(notice=self._pending_notices.pop(0))
        # A planted GPU failure for tests: the GPU "fails" (as llama_decode reports a lost device) before
        # the N-th token is evaluated. Unset, nothing happens.
        fault_at = int(os.environ.get("ASSISTANT_FAULT_GPU_AT") or -1)
        try:
            if request.prompt_logprobs:  # every prompt position's logits: evaluated from the start
                stats.prompt_logprobs = llama_prompt.prompt_logprobs(self, tokens, request.logprobs or 0, cancel)
            else:
                # A seeded request re-evaluates its whole prompt: reusing a cached prefix changes the float
                # rounding of the logits a little, and a seed must give the same reply every time.
                # A continued reply reuses its own tokens: they are the same computation, not a new prompt.
                reuse = request.sampling.seed is None or bool(request.prefill)
                stats.reused_prompt_tokens = self._prepare(tokens, reuse=reuse, cancel=cancel)
        except Exception as exc:  # llama_decode failure: out of memory, device lost, bad tensor data...
            if not self.n_gpu_layers:
                llm.reset()
                raise GenerationError(f"llama.cpp failed to process the prompt: {exc}") from exc
            self._fall_back_to_cpu(exc)
            llm, vocab = self.llm, self._vocab
            yield Chunk(notice=GPU_RUN_FAILED)
            stats.reused_prompt_tokens = self._prepare(tokens, reuse=False, cancel=cancel)
        if cancel.is_set():  # stopped while the prompt was evaluated (between two batches)
            self._next_context = None
            stats.prompt_seconds = time.perf_counter() - t0
            stats.finish_reason = "cancelled"
            yield Chunk(done=True, stats=stats)
            return
        sampler = TokenSampler(self, request)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stops = StopMatcher(request.stop)
        max_new = request.sampling.max_tokens
        is_eog = lc.llama_vocab_is_eog
        check_eog = not request.ignore_eos or request.grammar is not None
        piece = self.token_piece
        want_logprobs = request.logprobs is not None
        t_first = 0.0
        n_out = 0
        token_ids = stats.token_ids
        context, self._next_context = self._next_context or (tokens, []), None
        uncounted = 0  # tokens whose bytes are not a whole character yet
        held: list[TokenLogprob] = []  # their log-probabilities, handed over with the text they complete
        finish = "length"
        try:
            while True:
                if cancel.is_set():
                    finish = "cancelled"
                    break
                if n_out >= max_new:
                    finish = "length"
                    break
                if llm.n_tokens >= self.n_ctx:
                    finish = "context"
                    break
                tok = sampler.sample(llm._ctx)
                if n_out == 0:
                    t_first = time.perf_counter()
                    stats.prompt_seconds = t_first - t0
                if check_eog and is_eog(vocab, tok):
                    finish = "stop"
                    break
                if want_logprobs:
                    held.append(sampler.logprob(llm._ctx, tok))
                n_out += 1
                token_ids.append(tok)
                text = decoder.decode(piece(tok))
                sampler.accept(tok, text)
                uncounted += 1
                if text:
                    text = stops.feed(text)
                    if text:
                        yield Chunk(text=text, tokens=uncounted, logprobs=held or None)
                        uncounted, held = 0, []
                    if stops.hit:
                        finish = "stop"
                        break
                if cancel.is_set():
                    finish = "cancelled"
                    break
                if n_out < max_new:
                    # The last token is not evaluated: input_ids[:n_tokens] always matches the KV cache.
                    try:
                        if n_out == fault_at and self.n_gpu_layers:
                            raise RuntimeError("llama_decode returned -3 (planted: vk::DeviceLostError)")
                        llm.eval([tok])
                    except Exception as exc:
                        if not self.n_gpu_layers:
                            raise
                        self._fall_back_to_cpu(exc)  # and go on where the GPU stopped
                        llm, vocab = self.llm, self._vocab
                        yield Chunk(notice=GPU_RUN_FAILED)
                        llm.eval([*tokens, *token_ids])
        except GeneratorExit:
            finish = "cancelled"
            raise
        except Exception as exc:
            llm.reset()
            raise GenerationError(f"llama.cpp failed while generating: {exc}") from exc
        finally:
            sampler.close()
            self._last_prompt, self.last_tokens = context[0], [*context[1], *token_ids]
        # Bytes of a character cut off by max_tokens/cancel stay in the decoder: dropped, not shown
        # as U+FFFD. Text held back for a possible stop string is released.
        tail = stops.flush()
        if tail:
            yield Chunk(text=tail, logprobs=held or None)
        end = time.perf_counter()
        stats.completion_tokens = n_out
        stats.generation_seconds = end - t_first if n_out else 0.0
        if not n_out:
            stats.prompt_seconds = end - t0
        stats.finish_reason = finish
        yield Chunk(done=True, stats=stats)

    def keep_state(self) -> bool:
        """Keep what the KV cache holds among the kept states, on disk (before the model is unloaded, so
        that a reload continues the conversation without evaluating it again). True if something was kept."""
        if self.states is None or getattr(self, "llm", None) is None:
            return False
        with self._lock:
            kept = llama_prompt.keep_live_state(self)
            self.states.persist()
        return kept

    def close(self) -> None:
        with self._lock:
            llm = getattr(self, "llm", None)
            if llm is not None:
                with contextlib.suppress(Exception):
                    self.lora.close()  # adapters belong to the model: freed before it
                with contextlib.suppress(Exception):
                    llm.close()
                self.llm = None  # type: ignore[assignment]


