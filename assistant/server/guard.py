"""What stands before the routes: the Host check, the API key, the body size limit and its read deadline
(a client that declares a body and sends less gets a 408, not a connection held forever), and a cap on the
connections one client address may hold open (checked as each connection opens, before any request).

Errors are OpenAI's shape on /v1 and Ollama's (``{"error": "..."}``) on /api, so each client reads them.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import threading
from collections import Counter
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .schema import APIError
from .service import ServerOptions, is_loopback

log = logging.getLogger(__name__)


def error_response(err: APIError, path: str = "") -> JSONResponse:
    body: dict[str, Any] = {"error": err.message} if path.startswith("/api/") else err.body()
    return JSONResponse(body, status_code=err.status, headers=err.headers)


class Guard:
    """Host check, API key, body size limit and read deadline, before anything else reads the request."""

    def __init__(self, app: ASGIApp, options: ServerOptions) -> None:
        self.app = app
        self.options = options

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        err = self._check(headers)
        if err is None and scope["method"] in ("POST", "PUT", "PATCH"):
            body, err = await self._read_body(headers, receive)
            if err is None:
                receive = _replay(body, receive)
        if err is not None:
            await error_response(err, scope.get("path", ""))(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, headers: dict[str, str]) -> APIError | None:
        opts = self.options
        if opts.check_host and "host" in headers:
            host = headers["host"]
            name = host[1:host.index("]")] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
            if not is_loopback(name):
                return APIError(400, f"This server only answers requests addressed to localhost, not {host!r}.",
                                code="invalid_host")
        if opts.api_key:
            auth = headers.get("authorization", "")
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), opts.api_key.encode()):
                what = "wrong" if auth else "missing"
                return APIError(401, f"The API key is {what}. Send it as 'Authorization: Bearer <key>'.",
                                "authentication_error", code="invalid_api_key",
                                headers={"WWW-Authenticate": "Bearer"})
        return None

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> tuple[bytes, APIError | None]:
        limit = self.options.max_body_bytes
        too_big = APIError(413, f"The request body is larger than this server accepts ({limit:,} bytes).",
                           code="request_too_large")
        try:
            if int(headers.get("content-length", "0")) > limit:
                return b"", too_big
        except ValueError:
            return b"", APIError(400, "Invalid Content-Length header.", code="invalid_request")
        deadline = asyncio.get_running_loop().time() + self.options.body_timeout_s
        parts: list[bytes] = []
        size = 0
        while True:
            left = deadline - asyncio.get_running_loop().time()
            try:
                if left <= 0:
                    raise asyncio.TimeoutError
                msg = await asyncio.wait_for(receive(), left)
            except asyncio.TimeoutError:
                # The connection cannot carry another request after a half-read body: it is closed.
                return b"", APIError(408, f"The request body did not arrive within {self.options.body_timeout_s:g} "
                                     f"seconds ({size:,} bytes came).", code="request_timeout",
                                     headers={"Connection": "close"})
            if msg["type"] == "http.disconnect":
                return b"", APIError(499, "The client closed the request.", code="cancelled")
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", too_big
            parts.append(chunk)
            if not msg.get("more_body", False):
                return b"".join(parts), None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


# ---------------------------------------------------------------------------------------------------
# Connections per client


_REFUSED = (b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n"
            b"Retry-After: 5\r\nContent-Length: %d\r\n\r\n%s")


def limited_protocol(base: type, options: ServerOptions) -> type:
    """uvicorn's HTTP protocol class, counting open connections per client address: one more than
    ``options.max_client_connections`` is answered 429 and closed at once. A connection whose request head
    does not arrive within ``options.body_timeout_s`` is closed too (uvicorn has no deadline for it)."""
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    limit = options.max_client_connections
    head_deadline = options.body_timeout_s

    class Limited(base):  # type: ignore[valid-type,misc]
        _peer: str | None = None
        _head_timer: Any = None
        _refused = False

        def connection_made(self, transport: Any) -> None:
            peer = transport.get_extra_info("peername")
            host = str(peer[0]) if isinstance(peer, (tuple, list)) and peer else "?"
            with lock:
                refused = counts[host] >= limit
                if not refused:
                    counts[host] += 1
                    self._peer = host
            if refused:
                body = (b'{"error": {"message": "Too many open connections from this client (at most %d).", '
                        b'"type": "invalid_request_error", "param": null, "code": "too_many_connections"}}' % limit)
                log.warning("refused a connection from %s: it already holds %d", host, limit)
                transport.write(_REFUSED % (len(body), body))
                transport.close()
                self._refused = True  # uvicorn never saw this connection: nothing of it to tear down
                return
            super().connection_made(transport)
            self._watch_head()

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            super().data_received(data)
            self._watch_head()

        def _watch_head(self) -> None:
            """A request head must come whole within the deadline: started when the connection opens or a
            response is over, checked when it fires (a new request cycle means the head came)."""
            cycle = getattr(self, "cycle", None)
            idle = cycle is None or getattr(cycle, "response_complete", False)
            if self._head_timer is None and idle:
                loop = asyncio.get_running_loop()
                self._head_timer = loop.call_later(head_deadline, self._head_late, cycle)

        def _head_late(self, cycle: Any) -> None:
            self._head_timer = None
            transport = getattr(self, "transport", None)
            now = getattr(self, "cycle", None)
            if transport is None or transport.is_closing():
                return
            if now is cycle:  # no new request head since the timer started
                log.info("closed a connection from %s: no complete request within %gs", self._peer, head_deadline)
                transport.close()
            else:
                self._watch_head()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._refused:
                return
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
            if self._peer is not None:
                with lock:
                    counts[self._peer] -= 1
                    if counts[self._peer] <= 0:
                        del counts[self._peer]
                self._peer = None
            super().connection_lost(exc)

    Limited.__name__ = f"Limited{base.__name__}"
    return Limited
