"""Model names and loading on request: the article's client asks for the model by its Hugging Face name.

A temporary models folder holds two more copies of the bundled GGUF: one under the file name of the
catalog's DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M (so it *is* that catalog entry to the app, with the R1
prompt), one under a name the catalog does not know. Real llama.cpp, real HTTP, the real openai client.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI

from .conftest import MODEL, record

pytestmark = [pytest.mark.server, pytest.mark.model]

R1_ID = "deepseek-r1-distill-qwen-1.5b"
R1_REPO = "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"  # what the article's client (and vLLM) calls it
R1_FILE = "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"
HI = [{"role": "user", "content": "Hi"}]


@pytest.fixture(scope="module")
def models_dir(bundled_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    for name in (R1_FILE, "my-model.gguf"):
        shutil.copyfile(bundled_model, folder / name)
    return folder


@pytest.fixture
def library(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSISTANT_MODELS_DIR", str(models_dir))
    return models_dir


def _opener(path: Path) -> Any:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    return LlamaCppBackend(path, n_ctx=1024, n_threads=1)


@pytest.fixture
def slot(library: Path, bundled_model: Path) -> Iterator[Any]:
    from assistant.server import ModelSlot

    s = ModelSlot(_opener, _opener(bundled_model))
    yield s
    s.close()


def _serve(slot: Any, **kwargs: Any) -> Any:
    from assistant.server import LocalServer

    return LocalServer(slot.current, port=0, max_tokens_limit=256, slot=slot, **kwargs)


def _client(srv: Any) -> OpenAI:
    return OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=120)


def _loaded(slot: Any) -> str:
    return str(slot.current().path.name)


def test_article_hf_name_loads_that_model_and_models_lists_what_can_be_served(slot: Any,
                                                                            bundled_model: Path) -> None:
    with _serve(slot) as srv:
        c = _client(srv)
        assert [m.id for m in c.models.list().data] == [MODEL, R1_ID, "my-model"]
        # An alias gives the id it is listed under, and asking loads nothing.
        assert c.models.retrieve(R1_REPO).id == R1_ID
        assert c.models.retrieve("bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF").id == R1_ID
        assert _loaded(slot) == bundled_model.name

        r = c.chat.completions.create(model=R1_REPO, messages=HI, max_tokens=8, seed=1)
        assert r.model == R1_ID
        assert _loaded(slot) == R1_FILE
        assert slot.current().family.name == "deepseek-r1"  # the catalog entry's prompt, as for the real file
        assert r.usage is not None and r.usage.completion_tokens > 0
        assert [m.id for m in c.models.list().data] == [R1_ID, MODEL, "my-model"]

        back = c.chat.completions.create(model="HuggingFaceTB/SmolLM2-135M-Instruct", messages=HI, max_tokens=4)
        assert back.model == MODEL and _loaded(slot) == bundled_model.name
        assert back.choices[0].message.content


def test_file_names_with_and_without_gguf_any_case(slot: Any) -> None:
    with _serve(slot) as srv:
        c = _client(srv)
        r = c.chat.completions.create(model="my-model.gguf", messages=HI, max_tokens=4)
        assert r.model == "my-model" and _loaded(slot) == "my-model.gguf"
        r = c.chat.completions.create(model="MY-MODEL", messages=HI, max_tokens=4)
        assert r.model == "my-model" and _loaded(slot) == "my-model.gguf"
        r = c.chat.completions.create(model=R1_FILE.removesuffix(".gguf").lower(), messages=HI, max_tokens=4)
        assert r.model == R1_ID and _loaded(slot) == R1_FILE
        bundled = "SmolLM2-135M-Instruct.Q4_1"
        r = c.chat.completions.create(model=bundled, messages=HI, max_tokens=4, stream=True)
        assert {ch.model for ch in r} == {MODEL}
        assert _loaded(slot).startswith(bundled)


def test_queued_requests_each_run_on_the_model_they_named(slot: Any) -> None:
    """A request for the old model queued behind one that switches models gets the old model back."""
    with _serve(slot, max_queue=4) as srv:
        c = _client(srv)
        # The two prompts differ in length (ChatML with a default system prompt vs R1's): a fingerprint.
        smol = c.chat.completions.create(model=MODEL, messages=HI, max_tokens=1).usage
        r1 = c.chat.completions.create(model=R1_ID, messages=HI, max_tokens=1).usage
        assert smol is not None and r1 is not None and smol.prompt_tokens != r1.prompt_tokens

        holding = c.chat.completions.create(model=R1_ID, messages=[{"role": "user", "content": "A long story."}],
                                            max_tokens=250, stream=True, extra_body={"ignore_eos": True})
        next(iter(holding))
        results: dict[str, Any] = {}
        order = [("b", MODEL), ("c", R1_REPO), ("d", "smollm2-135m-instruct.q4_1.gguf")]
        threads = []
        for key, name in order:  # queued one after another, in this order
            t = threading.Thread(target=lambda k=key, n=name: results.update(
                {k: c.chat.completions.create(model=n, messages=HI, max_tokens=1)}))
            t.start()
            threads.append(t)
            deadline = time.monotonic() + 30
            while srv.service.pending < len(threads) + 1:
                assert time.monotonic() < deadline
                time.sleep(0.02)
        for _ in holding:  # the holder runs to its end on the model it started on
            pass
        for t in threads:
            t.join(120)
        got = {k: (v.model, v.usage.prompt_tokens) for k, v in results.items()}
        assert got == {"b": (MODEL, smol.prompt_tokens), "c": (R1_ID, r1.prompt_tokens),
                       "d": (MODEL, smol.prompt_tokens)}
        assert srv.service.pending == 0


def test_loading_on_request_can_be_forbidden(slot: Any, bundled_model: Path) -> None:
    with _serve(slot, load_on_request=False) as srv:
        c = _client(srv)
        assert [m.id for m in c.models.list().data] == [MODEL]
        with pytest.raises(openai.NotFoundError) as err:
            c.chat.completions.create(model=R1_REPO, messages=HI, max_tokens=2)
        body = err.value.body
        assert body["code"] == "model_not_found" and body["param"] == "model"
        message = body["message"]
        assert "on this computer but not loaded" in message and repr(MODEL) in message
        assert "--load-on-request" in message and "Settings" in message
        with pytest.raises(openai.NotFoundError):
            c.models.retrieve("my-model")
        assert _loaded(slot) == bundled_model.name
        assert c.chat.completions.create(model="HuggingFaceTB/SmolLM2-135M-Instruct", messages=HI,
                                         max_tokens=2).model == MODEL


def test_unknown_name_gets_404_with_close_matches(slot: Any) -> None:
    with _serve(slot) as srv:
        r = httpx.post(srv.url + "/chat/completions", json={"model": "deepseek-r1-distill-qwen-1.5", "messages": HI},
                       timeout=60)
        assert r.status_code == 404
        err = r.json()["error"]
        assert err["code"] == "model_not_found" and err["param"] == "model"
        assert "Did you mean" in err["message"] and repr(R1_ID) in err["message"]
        assert repr(MODEL) in err["message"]  # and what is here
        missing = httpx.get(srv.url + "/models/no-such-model", timeout=30)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"


def test_a_file_damaged_before_its_turn_is_refused_and_the_loaded_model_stays(slot: Any, library: Path,
                                                                              bundled_model: Path) -> None:
    damaged = library / "damaged.gguf"
    shutil.copyfile(bundled_model, damaged)
    try:
        with _serve(slot) as srv:
            c = _client(srv)
            holding = c.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "A story."}],
                                                max_tokens=120, stream=True, extra_body={"ignore_eos": True})
            next(iter(holding))
            result: dict[str, Any] = {}
            body = {"model": "damaged", "messages": HI, "max_tokens": 2}
            t = threading.Thread(target=lambda: result.update(
                r=httpx.post(srv.url + "/chat/completions", json=body, timeout=120)))
            t.start()
            deadline = time.monotonic() + 30
            while srv.service.pending < 2:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            damaged.write_bytes(b"GGUF" + b"\0" * 64)  # the file breaks while the request waits for its turn
            for _ in holding:
                pass
            t.join(120)
            r = result["r"]
            assert r.status_code == 500
            err = r.json()["error"]
            assert err["code"] == "model_load_failed"
            assert f"{MODEL!r} is still loaded" in err["message"] and "damaged" in err["message"]
            assert "Traceback" not in r.text
            assert _loaded(slot) == bundled_model.name
            assert c.chat.completions.create(model=MODEL, messages=HI, max_tokens=2).choices[0].message.content
    finally:
        damaged.unlink(missing_ok=True)


def test_a_failed_load_reloads_the_previous_model_or_says_none_is_loaded(library: Path,
                                                                        bundled_model: Path) -> None:
    """A load that fails after the loaded model was closed (here: not enough memory for the context asked)."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import ModelSlot

    refuse = {"my-model.gguf"}

    def opener(path: Path) -> Any:
        # llama.cpp's own refusal: a context far beyond this machine's memory is refused before allocating.
        return LlamaCppBackend(path, n_ctx=1 << 30 if path.name in refuse else 1024, n_threads=1)

    slot = ModelSlot(opener, opener(bundled_model))
    try:
        mine = {"model": "my-model", "messages": HI, "max_tokens": 2}
        with _serve(slot) as srv:
            c = _client(srv)
            r = httpx.post(srv.url + "/chat/completions", json=mine, timeout=120)
            assert r.status_code == 500
            err = r.json()["error"]
            assert err["code"] == "model_load_failed" and f"{MODEL!r} is still loaded" in err["message"]
            assert _loaded(slot) == bundled_model.name
            assert c.chat.completions.create(model=MODEL, messages=HI, max_tokens=2).model == MODEL

            refuse.add(bundled_model.name)  # now the previous model cannot come back either
            r = httpx.post(srv.url + "/chat/completions", json=mine, timeout=120)
            assert r.status_code == 500 and "no model is loaded now" in r.json()["error"]["message"]
            assert slot.current() is None
            assert [m.id for m in c.models.list().data] == [MODEL, R1_ID, "my-model"]  # all still loadable
            refuse.clear()
            r2 = c.chat.completions.create(model="my-model", messages=HI, max_tokens=2)
            assert r2.model == "my-model" and _loaded(slot) == "my-model.gguf"
            assert record(srv, r2.id).completion_tokens > 0
    finally:
        slot.close()


def test_server_without_a_slot_serves_only_its_model_and_says_why(library: Path, server_backend: Any) -> None:
    """The window's server (and a vLLM or remote backend) cannot switch models: aliases only."""
    from assistant.server import LocalServer

    with LocalServer(lambda: server_backend, port=0) as srv:
        c = _client(srv)
        assert [m.id for m in c.models.list().data] == [MODEL]
        with pytest.raises(openai.NotFoundError) as err:
            c.chat.completions.create(model=R1_REPO, messages=HI, max_tokens=2)
        assert "not loaded" in err.value.body["message"] and "choose this one in the app" in err.value.body["message"]
        assert c.chat.completions.create(model="smollm2-135m-instruct.Q4_1.GGUF", messages=HI,
                                         max_tokens=2).model == MODEL


def test_a_server_backend_answers_to_its_served_names_only(server_backend: Any) -> None:
    """In front of another OpenAI-compatible server (vLLM, a remote URL) nothing is loaded from disk: the
    served model's names resolve, and its URL is not taken for a file name."""
    from assistant.core.backends.openai_compat import OpenAICompatBackend
    from assistant.server import LocalServer, model_ids

    with LocalServer(lambda: server_backend, port=0) as inner:
        remote = OpenAICompatBackend(inner.url)
        try:
            assert "v1" not in model_ids(remote)
            with LocalServer(lambda: remote, port=0) as outer:
                c = _client(outer)
                assert [m.id for m in c.models.list().data] == [MODEL]
                r = c.chat.completions.create(model="HuggingFaceTB/SmolLM2-135M-Instruct", messages=HI, max_tokens=2)
                assert r.model == MODEL and r.choices[0].message.content is not None
                with pytest.raises(openai.NotFoundError):
                    c.chat.completions.create(model="v1", messages=HI, max_tokens=2)
        finally:
            remote.close()
