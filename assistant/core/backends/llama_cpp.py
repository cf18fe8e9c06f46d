"""llama.cpp through llama-cpp-python: load a GGUF, stream text pieces as tokens are sampled.

Why not ``Llama.create_completion``: it re-detokenizes the whole completion for every token (quadratic
on long reasoning replies) and cannot be stopped between tokens from another thread. This loop
decodes each token's bytes once, through an incremental UTF-8 decoder, so a character split across
tokens is held until complete and the per-token cost stays flat.

A ``Llama`` object is not thread-safe: one lock guards every call into it.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import dataclasses
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.core.backends.kv_states import MIN_TOKENS as KV_MIN_TOKENS
from assistant.core.backends.kv_states import StateCache, common_prefix
from assistant.core.backends.llama_parallel import ParallelDecode
from assistant.core.backends.lora import LoraRuntime
from assistant.core.chat.prompting import Family, Message, detect_family, get_family
from assistant.core.chat.protocol import Chunk, GenerationRequest, GenerationStats, ModelInfo, StopMatcher
from assistant.core.errors import (
    CancelledError,
    ConfigError,
    ContextOverflowError,
    GenerationError,
    InvalidModelError,
    ModelLoadError,
    ModelNotFoundError,
)
from assistant.core.gguf_file import GGUF_MAGIC, file_type_name
from assistant.core.models.catalog import CatalogEntry, entry_for_file
from assistant.core.paths import app_paths
from assistant.core.runtime.hardware import default_threads
from assistant.core.settings import DEFAULT_N_CTX

log = logging.getLogger(__name__)



def check_gguf_file(path: Path) -> None:
    """Cheap checks before llama.cpp sees the file (the model manager does the thorough ones)."""
    if not path.exists():
        raise ModelNotFoundError(path)
    if path.is_dir():
        raise InvalidModelError(path, "it is a folder, not a .gguf file",
                                hint="Import the folder in the model manager to convert it to GGUF.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InvalidModelError(path, f"it cannot be read ({exc.strerror or exc})") from exc
    if len(head) < 8:
        raise InvalidModelError(path, "the file is empty or truncated")
    if head[:4] != GGUF_MAGIC:
        raise InvalidModelError(path, "it is not a GGUF model file",
                                hint="Choose a .gguf file, or convert a Hugging Face model first.")
    try:
        from assistant.core.models import gguf_check, probe
    except ImportError:
        return
    gguf_check.validate(path)  # header, tensor table, sizes, architecture, tokenizer (fast, cached)
    probe.ensure_probed(path)  # once per file version: a load in a child process, so a crash cannot kill us


def _default_system_from_template(template: str) -> str | None:
    m = re.search(r"<\|im_start\|>system\\n(.+?)<\|im_end\|>", template)
    return m.group(1) if m else None


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
            want_ctx = min(_read_ctx_train(path) or DEFAULT_N_CTX, DEFAULT_N_CTX)
        _check_context(path, want_ctx)
        self._n_ctx_wanted = want_ctx
        self._open_args: dict[str, Any] = {"model_path": str(path), "n_ctx": want_ctx, "n_batch": min(512, want_ctx),
                           "n_threads": threads, "n_threads_batch": threads, "seed": seed, "verbose": False}
        self._pending_notices: list[str] = []
        try:
            self.llm = self._open(n_gpu_layers)
        except (ValueError, RuntimeError, OSError) as exc:
            if n_gpu_layers == 0:
                raise _load_error(path, exc, want_ctx) from exc
            log.warning("loading %s with %d layers on the GPU failed (%s); loading it on the CPU",
                        path.name, n_gpu_layers, exc)
            self._pending_notices.append(GPU_LOAD_FAILED)
            n_gpu_layers = 0
            try:
                self.llm = self._open(0)
            except (ValueError, RuntimeError, OSError) as exc2:
                raise _load_error(path, exc2, want_ctx) from exc2
        self.n_gpu_layers = n_gpu_layers
        self._lock = threading.Lock()
        self._vocab = self.llm._model.vocab
        meta = dict(self.llm.metadata)
        arch = meta.get("general.architecture", "")
        template = meta.get("tokenizer.chat_template", "")
        fam = family or (self.entry.family if self.entry else None) or detect_family(
            template, arch, meta.get("general.name", path.name)
        )
        self.family: Family = get_family(fam)
        default_system = self.entry.default_system if self.entry else None
        if default_system is None and fam == "chatml":
            default_system = _default_system_from_template(template)
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
            raise _load_error(self.path, exc2, self._n_ctx_wanted) from exc2
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
        prompt = self.render(request.messages, request.family)
        tokens = self.tokenize_prompt(prompt)
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

    def _prepare(self, tokens: list[int], reuse: bool = True, cancel: threading.Event | None = None) -> int:
        """Reuse the KV cache for the common prefix with the previous call (or a kept state of an earlier
        conversation, when it shares more); eval the rest. ``cancel`` stops between batches (prewarm)."""
        import numpy as np

        llm = self.llm
        prev = llm.input_ids[: llm.n_tokens if reuse else 0]
        common = common_prefix(prev, np.asarray(tokens, dtype=prev.dtype))
        if reuse and self.states is not None:
            common = self._swap_state(tokens, common)
        common = min(common, len(tokens) - 1)  # at least one token must be evaluated for logits
        if common > 0 and llm._ctx.kv_cache_seq_rm(-1, common, -1):
            llm.n_tokens = common
        else:
            common = 0
            llm.reset()  # the next eval() removes everything from position 0
        if cancel is None:
            # The prompt's last token is evaluated on its own, whatever came before it: llama.cpp's
            # batched and single-token kernels round differently, and this way a prompt gives the same
            # logits whether its prefix came from the cache or was evaluated now (greedy replies match).
            if len(tokens) - common > 1:
                llm.eval(tokens[common:-1])
            llm.eval(tokens[-1:])
        else:
            step = PREWARM_BATCH  # small batches: a message sent meanwhile waits at most one of them
            for start in range(common, len(tokens), step):
                if cancel.is_set():
                    break
                llm.eval(tokens[start:start + step])
        return common

    def _swap_state(self, tokens: list[int], common: int) -> int:
        """Keep the live cache before a different conversation overwrites it; restore a kept one that
        shares more with ``tokens`` than the live cache does. Returns the tokens now in common."""
        import numpy as np

        llm, lc, states = self.llm, self._lc, self.states
        assert states is not None
        live = llm.n_tokens
        new = np.asarray(tokens, dtype=np.int32)
        if live - common >= KV_MIN_TOKENS and common < len(tokens) // 2:  # another conversation
            ctx = llm._ctx.ctx
            size = lc.llama_state_seq_get_size(ctx, 0)
            buf = (ctypes.c_uint8 * size)()
            got = lc.llama_state_seq_get_data(ctx, buf, size, 0)
            if got:
                states.save(llm.input_ids[:live], bytes(buf)[:got])
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
        self.restored_tokens += n
        return n

    def prewarm(self, messages: Sequence[Message], family: Family | None, cancel: threading.Event) -> int:
        """While the user reads or types: bring the cache to exactly the tokens the next prompt starts
        with (the conversation so far, its last reply without the reasoning, as the template renders
        it). Stops between batches when ``cancel`` is set (a message was sent). Returns tokens evaluated."""
        fam = family or self.family
        text = fam.render(messages, False, self._info.default_system)
        tokens = self.tokenize_prompt(text)
        if not tokens or not self._lock.acquire(blocking=False):
            return 0
        try:
            before = self.llm.n_tokens
            common = self._prepare(tokens, cancel=cancel)
            log.debug("prewarm: %d tokens kept of %d, %d evaluated", common, before, self.llm.n_tokens - common)
            return self.llm.n_tokens - common
        except Exception as exc:  # a failed prewarm only loses the head start
            log.info("prewarm failed: %s", exc)
            self.llm.reset()
            return 0
        finally:
            self._lock.release()

    def _make_sampler(self, request: GenerationRequest) -> Any:
        from llama_cpp import _internals

        s = request.sampling
        sampler = _internals.LlamaSampler()
        bias: dict[int, float] = {}
        if request.ignore_eos:
            bias = {t: float("-inf") for t in self._eog_tokens()}
        if bias:
            sampler.add_logit_bias(self.llm.n_vocab(), bias)
        if s.repeat_penalty != 1.0:
            sampler.add_penalties(self.llm.n_vocab(), 64, s.repeat_penalty, 0.0, 0.0)
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

    def _eog_tokens(self) -> list[int]:
        # A scan of the whole vocabulary (150k entries for R1): done once per model.
        if self._eog_cache is None:
            is_eog = self._lc.llama_vocab_is_eog
            self._eog_cache = [t for t in range(self.llm.n_vocab()) if is_eog(self._vocab, t)]
        return self._eog_cache

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
            # A seeded request re-evaluates its whole prompt: reusing a cached prefix changes the float
            # rounding of the logits a little, and a seed must give the same reply every time.
            # A continued reply reuses its own tokens: they are the same computation, not a new prompt.
            reuse = request.sampling.seed is None or bool(request.prefill)
            stats.reused_prompt_tokens = self._prepare(tokens, reuse=reuse)
        except Exception as exc:  # llama_decode failure: out of memory, device lost, bad tensor data...
            if not self.n_gpu_layers:
                llm.reset()
                raise GenerationError(f"llama.cpp failed to process the prompt: {exc}") from exc
            self._fall_back_to_cpu(exc)
            llm, vocab = self.llm, self._vocab
            yield Chunk(notice=GPU_RUN_FAILED)
            stats.reused_prompt_tokens = self._prepare(tokens, reuse=False)
        sampler = self._make_sampler(request)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stops = StopMatcher(request.stop)
        max_new = request.sampling.max_tokens
        is_eog = lc.llama_vocab_is_eog
        check_eog = not request.ignore_eos
        piece = self.token_piece
        t_first = 0.0
        n_out = 0
        token_ids = stats.token_ids
        context, self._next_context = self._next_context or (tokens, []), None
        uncounted = 0  # tokens whose bytes are not a whole character yet
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
                tok = sampler.sample(llm._ctx, -1)
                if n_out == 0:
                    t_first = time.perf_counter()
                    stats.prompt_seconds = t_first - t0
                if check_eog and is_eog(vocab, tok):
                    finish = "stop"
                    break
                n_out += 1
                token_ids.append(tok)
                text = decoder.decode(piece(tok))
                uncounted += 1
                if text:
                    text = stops.feed(text)
                    if text:
                        yield Chunk(text=text, tokens=uncounted)
                        uncounted = 0
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
            yield Chunk(text=tail)
        end = time.perf_counter()
        stats.completion_tokens = n_out
        stats.generation_seconds = end - t_first if n_out else 0.0
        if not n_out:
            stats.prompt_seconds = end - t0
        stats.finish_reason = finish
        yield Chunk(done=True, stats=stats)

    def close(self) -> None:
        with self._lock:
            llm = getattr(self, "llm", None)
            if llm is not None:
                with contextlib.suppress(Exception):
                    self.lora.close()  # adapters belong to the model: freed before it
                with contextlib.suppress(Exception):
                    llm.close()
                self.llm = None  # type: ignore[assignment]


PREWARM_BATCH = 64
GPU_LOAD_FAILED = "The GPU could not take this model, so it runs on the CPU (slower). The log has the details."
GPU_RUN_FAILED = "The GPU failed while writing this reply; the CPU took over where it stopped. The log has the details."


def _check_context(path: Path, n_ctx: int) -> None:
    """A context size llama.cpp can run, refused before loading: too small to hold a prompt, or needing more
    memory (weights + KV cache) than this computer has."""
    from assistant.core.models.gguf_check import validate
    from assistant.core.runtime.hardware import estimate_memory, total_ram_bytes
    from assistant.core.settings import MIN_N_CTX
    from assistant.core.units import GiB

    if n_ctx < MIN_N_CTX:
        raise ConfigError(f"The context size must be at least {MIN_N_CTX} tokens, not {n_ctx}.",
                          hint="Use 0 for the model's own context size.")
    info = validate(path)
    need = estimate_memory(info.file_size, info.kv_bytes_per_token, n_ctx, info.vocab_size)
    total = total_ram_bytes()
    if total and need > 0.9 * total:
        from assistant.core.errors import OutOfMemoryError

        raise OutOfMemoryError(
            f"A context of {n_ctx:,} tokens needs about {need / GiB:.1f} GiB of memory for {path.name} "
            f"(the KV cache alone: {info.kv_bytes_per_token * n_ctx / GiB:.1f} GiB); this computer has "
            f"{total / GiB:.1f} GiB.",
            hint="Choose a smaller context size (0: the model's own).")


def _read_ctx_train(path: Path) -> int:
    """The trained context length from the GGUF metadata (0 if it cannot be read cheaply)."""
    from assistant.core.models.gguf_check import read_context_length

    return read_context_length(path)


def _load_error(path: Path, exc: BaseException, n_ctx: int) -> Exception:
    size = path.stat().st_size if path.exists() else 0
    from assistant.core.runtime.hardware import available_ram_bytes

    avail = available_ram_bytes()
    if avail and size > 0.9 * avail:
        from assistant.core.errors import OutOfMemoryError

        return OutOfMemoryError(
            f"{path.name} ({size / 2**30:.1f} GiB) does not fit in the free memory ({avail / 2**30:.1f} GiB).",
            hint="Close other programs, or choose a smaller quantization of the model.",
        )
    return ModelLoadError(
        f"llama.cpp could not load {path.name}: {exc}",
        hint="The file may be damaged, or made for a newer llama.cpp. Try downloading it again, or choose "
        f"a smaller context size (now {n_ctx}).",
    )
