"""The llama.cpp backend with the real bundled model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.chat.prompting import Message, Sampling
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.errors import AssistantError, ContextOverflowError, InvalidModelError, ModelNotFoundError

pytestmark = pytest.mark.model

GREEDY = Sampling(temperature=0.0, max_tokens=64)
EMOJI_PROMPT = "写一首关于秋天的诗，每一行都加上表情符号 🍁🍂🌕"


def request(backend, text, sampling=GREEDY, **kw):
    return GenerationRequest([Message("user", text)], backend.family, sampling, **kw)


def collect(backend, req):
    pieces, stats = [], None
    for chunk in backend.stream(req):
        if chunk.done:
            stats = chunk.stats
        else:
            pieces.append(chunk.text)
    return pieces, stats


def test_streams_several_pieces_before_the_end(llama_backend):
    pieces, stats = collect(llama_backend, request(llama_backend, "Tell me about the moon."))
    assert len(pieces) >= 10
    assert all(pieces)
    assert stats.completion_tokens >= 10
    assert stats.finish_reason in ("stop", "length")
    assert stats.tokens_per_second > 0


def test_chinese_and_emoji_stream_concatenates_to_the_non_streamed_text(llama_backend):
    sampling = Sampling(temperature=0.0, max_tokens=120)
    pieces, stats = collect(llama_backend, request(llama_backend, EMOJI_PROMPT, sampling))
    streamed = "".join(pieces)
    tokens = stats.token_ids
    # The feature is exercised: some token's bytes are not valid UTF-8 on their own.
    split = [t for t in tokens if not _valid_utf8(llama_backend.token_piece(t))]
    assert split, "expected at least one multi-byte character split across tokens"
    assert "\ufffd" not in streamed
    assert all("\ufffd" not in p for p in pieces)
    # Non-streamed reference 1: all bytes of the reply decoded at once.
    whole = b"".join(llama_backend.token_piece(t) for t in tokens).decode("utf-8", errors="ignore")
    assert streamed == whole
    # Non-streamed reference 2: llama-cpp-python's own completion, same greedy decoding.
    prompt_tokens = llama_backend.tokenize_prompt(llama_backend.render([Message("user", EMOJI_PROMPT)]))
    ref = llama_backend.llm.create_completion(prompt_tokens, max_tokens=120, temperature=0.0, stream=False)
    assert streamed == ref["choices"][0]["text"]
    assert any(ord(c) > 0x1F000 for c in streamed) or any("\u4e00" <= c <= "\u9fff" for c in streamed)


def _valid_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_cancel_from_another_thread_stops_within_a_token(llama_backend):
    cancel = threading.Event()
    req = request(llama_backend, "Write a long story about a dragon.", Sampling(temperature=0.7, max_tokens=2000),
                  cancel=cancel)
    got: list[tuple[float, str]] = []
    done: dict[str, object] = {}

    def consume():
        for chunk in llama_backend.stream(req):
            if chunk.done:
                done["stats"] = chunk.stats
                done["t"] = time.perf_counter()
            else:
                got.append((time.perf_counter(), chunk.text))

    th = threading.Thread(target=consume)
    th.start()
    while len(got) < 20:
        time.sleep(0.005)
    t_cancel = time.perf_counter()
    cancel.set()
    th.join(10)
    assert not th.is_alive()
    stats = done["stats"]
    assert stats.finish_reason == "cancelled"
    after = [t for t, _ in got if t > t_cancel]
    assert len(after) <= 1  # at most the token being decoded when cancel was set
    per_token = stats.generation_seconds / max(1, stats.completion_tokens - 1)
    assert done["t"] - t_cancel < max(0.25, 5 * per_token)


def test_cancel_between_tokens_in_the_same_thread(llama_backend):
    cancel = threading.Event()
    req = request(llama_backend, "Count from one to one hundred.", Sampling(temperature=0.0, max_tokens=500),
                  cancel=cancel)
    n = 0
    stats = None
    for chunk in llama_backend.stream(req):
        if chunk.done:
            stats = chunk.stats
            break
        n += 1
        if n == 5:
            cancel.set()
    assert n == 5
    assert stats.finish_reason == "cancelled"


def test_stop_on_end_of_generation_token(llama_backend):
    _, stats = collect(llama_backend, request(llama_backend, "Say hello.", Sampling(temperature=0.0, max_tokens=400)))
    assert stats.finish_reason == "stop"
    assert stats.completion_tokens < 400
    assert "<|im_end|>" not in llama_backend.detokenize(stats.token_ids)


def test_stop_strings_cut_the_stream(llama_backend):
    pieces, stats = collect(llama_backend, request(llama_backend, "Count: 1, 2, 3, 4, 5, 6, 7, 8",
                                                   Sampling(temperature=0.0, max_tokens=100), stop=("5",)))
    assert "5" not in "".join(pieces)
    assert stats.finish_reason == "stop"


def test_no_double_bos(llama_backend):
    prompt = llama_backend.render([Message("user", "hi")])
    tokens = llama_backend.tokenize_prompt(prompt)
    bos = llama_backend.llm.token_bos()
    assert tokens.count(bos) <= prompt.count(llama_backend.detokenize([bos])) or tokens[:2] != [bos, bos]
    # Pretend the model asks for BOS (as R1 does): a template that writes it must not get a second one.
    saved = llama_backend._add_bos
    try:
        llama_backend._add_bos = True
        with_bos = llama_backend.tokenize_prompt(llama_backend.detokenize([bos]) + "hello")
        assert with_bos[0] == bos and with_bos[1] != bos
        without = llama_backend.tokenize_prompt("hello")
        assert without[0] == bos and without[1] != bos
    finally:
        llama_backend._add_bos = saved


def test_prompt_prefix_is_reused_between_turns(llama_backend):
    history = [Message("user", "Hi, my name is Ann."), Message("assistant", "Hello Ann!")]
    r1 = GenerationRequest(history[:1], llama_backend.family, Sampling(temperature=0.0, max_tokens=8))
    collect(llama_backend, r1)
    r2 = GenerationRequest([*history, Message("user", "What is my name?")], llama_backend.family,
                           Sampling(temperature=0.0, max_tokens=8))
    _, stats = collect(llama_backend, r2)
    assert stats.reused_prompt_tokens > 10


def test_same_seed_same_reply(llama_backend):
    s = Sampling(temperature=0.8, max_tokens=30, seed=1234)
    a, _ = collect(llama_backend, request(llama_backend, "Name three fruits.", s))
    collect(llama_backend, request(llama_backend, "Name three vegetables.", GREEDY))  # different KV cache state
    b, _ = collect(llama_backend, request(llama_backend, "Name three fruits.", s))
    assert "".join(a) == "".join(b)


def test_context_full_is_reported_not_silent(bundled_model):
    small = LlamaCppBackend(bundled_model, n_ctx=256)
    try:
        assert small.info.n_ctx == 256
        req = GenerationRequest([Message("user", "Write a long essay about rivers.")], small.family,
                                Sampling(temperature=0.7, max_tokens=1000), ignore_eos=True)
        _, stats = collect(small, req)
        assert stats.finish_reason == "context"
        assert stats.prompt_tokens + stats.completion_tokens >= 255
        with pytest.raises(ContextOverflowError) as exc:
            collect(small, GenerationRequest([Message("user", "word " * 400)], small.family, GREEDY))
        assert exc.value.needed > 256 and exc.value.available == 256
        assert "context" in exc.value.user_text().lower()
    finally:
        small.close()


def test_missing_file_is_a_typed_error(tmp_path):
    with pytest.raises(ModelNotFoundError) as exc:
        LlamaCppBackend(tmp_path / "nope.gguf")
    assert "does not exist" in exc.value.message and exc.value.hint


@pytest.mark.parametrize("content", [b"", b"<!DOCTYPE html><html>not a model</html>", b"\x00" * 64,
                                     b"PK\x03\x04 a zip file"])
def test_non_gguf_file_is_a_typed_error(tmp_path, content):
    p = tmp_path / "model.gguf"
    p.write_bytes(content)
    with pytest.raises(InvalidModelError) as exc:
        LlamaCppBackend(p)
    assert p.name in exc.value.message


def test_truncated_gguf_is_a_typed_error(tmp_path, bundled_model):
    p = tmp_path / "truncated.gguf"
    with open(bundled_model, "rb") as src:
        p.write_bytes(src.read(5_000_000))
    with pytest.raises(AssistantError):
        LlamaCppBackend(p)


def test_folder_is_a_typed_error(tmp_path):
    with pytest.raises(InvalidModelError):
        LlamaCppBackend(tmp_path)


def test_default_context_comes_from_the_catalog(bundled_model):
    b = LlamaCppBackend(bundled_model)
    try:
        assert b.info.n_ctx == 8192  # the catalog's n_ctx, not llama-cpp-python's 512
        assert b.n_threads >= 1
        assert b.info.family == "chatml"
    finally:
        b.close()


def test_backend_is_safe_to_share_between_threads(llama_backend):
    results: list[str] = []

    def run(text):
        pieces, _ = collect(llama_backend, request(llama_backend, text, Sampling(temperature=0.0, max_tokens=16)))
        results.append("".join(pieces))

    threads = [threading.Thread(target=run, args=(t,)) for t in ("Hi", "Hello", "Hey")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 3 and all(results)


def test_model_path_in_info(llama_backend, bundled_model):
    assert Path(llama_backend.info.path) == bundled_model
    assert llama_backend.info.quantization == "Q4_1"
    assert llama_backend.info.n_params > 100_000_000
