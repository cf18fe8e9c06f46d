"""Bad input, limits, API keys, binding and CORS: OpenAI-style 4xx errors, never a 500 or a hang."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI

from .conftest import MODEL

pytestmark = [pytest.mark.server, pytest.mark.model]

HI = [{"role": "user", "content": "Hi"}]


def _body(**fields: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": HI, "max_tokens": 2, **fields}


BAD_REQUESTS: list[tuple[str, Any, int, str | None]] = [
    # (case, JSON body or raw bytes, status, param)
    ("invalid json", b'{"model": "x", "messages": [', 400, None),
    ("not an object", b"[1, 2]", 400, None),
    ("empty body", b"", 400, None),
    ("missing messages", {"model": MODEL}, 400, "messages"),
    ("empty messages", _body(messages=[]), 400, "messages"),
    ("messages not a list", _body(messages="Hi"), 400, "messages"),
    ("unknown role", _body(messages=[{"role": "wizard", "content": "Hi"}]), 400, "messages.0.role"),
    ("content wrong type", _body(messages=[{"role": "user", "content": 42}]), 400, "messages.0.content"),
    ("image part", _body(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]),
     400, "messages.0.content"),
    ("temperature a string", _body(temperature="hot"), 400, "temperature"),
    ("temperature too high", _body(temperature=7), 400, "temperature"),
    ("max_tokens a numeric string", _body(max_tokens="5"), 400, "max_tokens"),
    ("max_tokens zero", _body(max_tokens=0), 400, "max_tokens"),
    ("max_tokens over the limit", _body(max_tokens=100_000), 400, "max_tokens"),
    ("max_completion_tokens over the limit", _body(max_tokens=3, max_completion_tokens=5000), 400,
     "max_completion_tokens"),
    ("stream not a bool", _body(stream="yes"), 400, "stream"),
    ("n over the limit", _body(n=50), 400, "n"),
    ("too many stops", _body(stop=["a", "b", "c", "d", "e"]), 400, "stop"),
    ("last message from the assistant", _body(messages=[*HI, {"role": "assistant", "content": "Hello"}]), 400,
     "messages"),
    ("top_logprobs without logprobs", _body(top_logprobs=2), 400, "top_logprobs"),
    ("tools for a model without tool support", _body(tools=[{"type": "function", "function": {"name": "f"}}]), 400,
     "tools"),
    ("an unknown response_format", _body(response_format={"type": "xml"}), 400, "response_format.type"),
    ("a schema nothing satisfies", _body(response_format={"type": "json_schema", "json_schema": {
        "name": "x", "schema": {"type": "object", "properties": {"a": {"enum": []}}, "required": ["a"]}}}), 400,
     "response_format"),
    ("unknown model", _body(model="gpt-4o"), 404, "model"),
    ("prompt longer than the context", _body(messages=[{"role": "user", "content": "word " * 6000}]), 400,
     "messages"),
]


@pytest.mark.parametrize(("case", "payload", "status", "param"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS])
def test_bad_requests_get_openai_style_errors(served: Any, case: str, payload: Any, status: int,
                                             param: str | None) -> None:
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    r = httpx.post(served.url + "/chat/completions", content=content,
                   headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"}
    assert err["message"] and err["type"] == "invalid_request_error"
    if param is not None:
        assert err["param"] == param
    if case == "prompt longer than the context":
        assert err["code"] == "context_length_exceeded"
    assert served.service.pending == 0
    assert httpx.get(served.url + "/models", timeout=10).status_code == 200  # and the server carries on


def test_openai_client_sees_bad_request(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "x " * 6000}], max_tokens=4)
    assert err.value.body["code"] == "context_length_exceeded"
    assert "4096" in err.value.body["message"]


def test_body_size_limit(served: Any) -> None:
    big = json.dumps(_body(messages=[{"role": "user", "content": "a" * (2 << 20)}])).encode()
    r = httpx.post(served.url + "/chat/completions", content=big, headers={"Content-Type": "application/json"},
                   timeout=30)
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"

    def chunks() -> Any:  # no Content-Length: the limit is counted while reading
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]

    r = httpx.post(served.url + "/chat/completions", content=chunks(), headers={"Content-Type": "application/json"},
                   timeout=30)
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"


def test_unknown_paths_methods_and_content_types(served: Any) -> None:
    r = httpx.get(served.root_url + "/v1/chat/completions", timeout=10)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = httpx.get(served.root_url + "/v2/whatever", timeout=10)
    assert r.status_code == 404 and "error" in r.json()
    r = httpx.post(served.url + "/chat/completions", content=json.dumps(_body()),
                   headers={"Content-Type": "text/plain"}, timeout=10)  # what a cross-site form could send
    assert r.status_code == 400 and "application/json" in r.json()["error"]["message"]
    # No interactive docs: their pages would load scripts from the internet.
    assert httpx.get(served.root_url + "/docs", timeout=10).status_code == 404
    assert httpx.get(served.root_url + "/openapi.json", timeout=10).status_code == 200


def test_foreign_host_header_is_refused(served: Any) -> None:
    # A web page using DNS rebinding reaches 127.0.0.1 with its own host name in the Host header.
    r = httpx.get(served.url + "/models", headers={"Host": "attacker.example"}, timeout=10)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_host"
    for host in ("localhost", f"127.0.0.1:{served.port}", f"[::1]:{served.port}"):
        assert httpx.get(served.url + "/models", headers={"Host": host}, timeout=10).status_code == 200


def test_no_model_loaded_is_503() -> None:
    from assistant.server import LocalServer

    with LocalServer(lambda: None, port=0) as srv:
        r = httpx.get(srv.url + "/models", timeout=10)
        assert r.status_code == 503 and r.json()["error"]["code"] == "model_not_loaded"
        r = httpx.post(srv.url + "/chat/completions", json=_body(), timeout=10)
        assert r.status_code == 503


# ---------------------------------------------------------------------------------------------------
# Binding and API keys


def test_non_loopback_bind_without_key_is_refused() -> None:
    from assistant.core.errors import ConfigError
    from assistant.server import LocalServer

    for host in ("0.0.0.0", "::", "192.168.1.10"):
        with pytest.raises(ConfigError) as err:
            LocalServer(lambda: None, host=host, port=0)
        assert "API key" in err.value.message
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        LocalServer(lambda: None, host=host, port=0)  # loopback: no key needed


def test_api_key_required_with_bearer(server_backend: Any) -> None:
    from assistant.server import LocalServer

    with LocalServer(lambda: server_backend, port=0, api_key="s3cret-key") as srv:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-key"},
                        {"Authorization": "s3cret-key"}):
            r = httpx.get(srv.url + "/models", headers=headers, timeout=10)
            assert r.status_code == 401, headers
            assert r.json()["error"]["type"] == "authentication_error"
            assert r.headers["www-authenticate"] == "Bearer"
            r = httpx.post(srv.url + "/chat/completions", json=_body(), headers=headers, timeout=10)
            assert r.status_code == 401
        with pytest.raises(openai.AuthenticationError):
            OpenAI(base_url=srv.url, api_key="none", max_retries=0).models.list()
        good = OpenAI(base_url=srv.url, api_key="s3cret-key", max_retries=0, timeout=60)
        assert good.chat.completions.create(model=MODEL, messages=HI, max_tokens=2).choices
        spec = httpx.get(srv.root_url + "/openapi.json", headers={"Authorization": "Bearer s3cret-key"}, timeout=10)
        assert spec.json()["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_non_loopback_bind_with_key_warns_and_requires_it(server_backend: Any,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from assistant.server import LocalServer

    caplog.set_level(logging.WARNING, logger="assistant.server")
    with LocalServer(lambda: server_backend, host="0.0.0.0", port=0, api_key="k-123") as srv:
        assert any("other machines can reach it" in r.getMessage() for r in caplog.records)
        url = f"http://127.0.0.1:{srv.port}/v1/models"
        assert httpx.get(url, timeout=10).status_code == 401
        assert httpx.get(url, headers={"Authorization": "Bearer k-123"}, timeout=10).status_code == 200


def test_port_in_use_is_a_clear_error(served: Any) -> None:
    from assistant.server import LocalServer, ServerError

    with pytest.raises(ServerError) as err:
        LocalServer(lambda: None, port=served.port).start()
    assert "--port" in err.value.hint


# ---------------------------------------------------------------------------------------------------
# CORS


def test_cors_off_by_default_and_on_for_given_origins(served: Any, server_backend: Any) -> None:
    from assistant.server import LocalServer

    origin = "http://localhost:5173"
    r = httpx.get(served.url + "/models", headers={"Origin": origin}, timeout=10)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    preflight = {"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    r = httpx.options(served.url + "/chat/completions", headers=preflight, timeout=10)
    assert "access-control-allow-origin" not in r.headers

    with LocalServer(lambda: server_backend, port=0, cors_origins=[origin]) as srv:
        r = httpx.options(srv.url + "/chat/completions", headers=preflight, timeout=10)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == origin
        r = httpx.get(srv.url + "/models", headers={"Origin": origin}, timeout=10)
        assert r.headers["access-control-allow-origin"] == origin
        r = httpx.get(srv.url + "/models", headers={"Origin": "http://evil.example"}, timeout=10)
        assert "access-control-allow-origin" not in r.headers
