"""Slow and greedy clients (issue 28, item 8), with raw sockets: a request body that is declared and not
sent gets a 408 after the read deadline (Content-Length and chunked alike), a request head that never
completes is closed, and one client address holds at most so many connections; the server serves others
throughout."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.server]

HEAD = ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n")


@pytest.fixture
def guarded(server_backend: Any) -> Iterator[Any]:
    from assistant.server import LocalServer

    with LocalServer(lambda: server_backend, port=0, body_timeout_s=1.0, max_client_connections=4) as srv:
        yield srv


def _connect(srv: Any) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    return s


def _read_all(s: socket.socket, limit: float = 10.0) -> bytes:
    s.settimeout(limit)
    out = b""
    try:
        while True:
            part = s.recv(65536)
            if not part:
                return out
            out += part
    except TimeoutError:
        return out + b"<still open>"


@pytest.mark.parametrize("declared", ["Content-Length: 999999\r\n", "Transfer-Encoding: chunked\r\n"])
def test_a_body_that_does_not_come_gets_408_and_the_connection_closes(guarded: Any, declared: str) -> None:
    s = _connect(guarded)
    t0 = time.monotonic()
    partial = '{"model": "x", "mess' if "Length" in declared else '14\r\n{"model": "x", "mess'
    s.sendall((HEAD + declared + "\r\n" + partial).encode())
    reply = _read_all(s)
    elapsed = time.monotonic() - t0
    s.close()
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert b"request_timeout" in reply and not reply.endswith(b"<still open>")  # answered, then closed
    assert 0.9 <= elapsed < 6
    assert httpx.get(f"{guarded.url}/models", timeout=10).status_code == 200  # the server carries on


def test_a_request_head_that_never_completes_is_closed(guarded: Any) -> None:
    s = _connect(guarded)
    s.sendall(b"GET /v1/models HTTP/1.1\r\nHost: local")
    t0 = time.monotonic()
    reply = _read_all(s)
    s.close()
    assert not reply.endswith(b"<still open>") and time.monotonic() - t0 < 6


def test_one_client_holds_at_most_the_cap_of_connections(server_backend: Any) -> None:
    from assistant.server import LocalServer

    with LocalServer(lambda: server_backend, port=0, max_client_connections=3) as srv:
        held = [_connect(srv) for _ in range(3)]
        time.sleep(0.2)  # the server has counted them
        extra = _connect(srv)
        reply = _read_all(extra, 5)
        extra.close()
        assert reply.startswith(b"HTTP/1.1 429") and b"too_many_connections" in reply
        assert not reply.endswith(b"<still open>")
        held.pop().close()
        time.sleep(0.2)
        again = _connect(srv)
        again.sendall(b"GET /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert _read_all(again).startswith(b"HTTP/1.1 200")
        again.close()
        for s in held:
            s.close()
