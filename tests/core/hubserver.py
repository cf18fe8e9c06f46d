"""A small Hugging Face Hub look-alike on 127.0.0.1 for download tests.

It serves what ``huggingface_hub`` asks for, in the hub's own shape:
- ``GET /api/models/{repo}[/revision/{rev}]``: model info with siblings (size, blobId, lfs.sha256);
- ``HEAD/GET /{repo}/resolve/{rev}/{file}``: a 302 to a separate "CDN" server with ``X-Repo-Commit``,
  ``X-Linked-Etag``, ``X-Linked-Size`` and ``ETag`` (the hub's answer for LFS files);
- ``HEAD/GET /blobs/{sha256}`` on the CDN: the bytes, with ``Range`` support (206 + Content-Range).

Faults for the tests: drop the connection after N bytes, stall after N bytes, answer 503, or
serve different bytes than the advertised checksum. Every request is logged with its Range header
and the bytes sent, so a test can prove where a download resumed.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Faults:
    drop_after: int | None = None  # next blob GET: send this many body bytes, then cut the connection
    stall_after: int | None = None  # next blob GET: send this many bytes, then hang until the server stops
    fail_gets: int = 0  # answer the next N blob GETs with 503
    corrupt: set[str] = field(default_factory=set)  # sha256s whose bytes are served with a flipped byte
    throttle: int | None = None  # bytes per second for blob bodies (a slow network)


class HubState:
    def __init__(self) -> None:
        self.repos: dict[str, dict[str, bytes]] = {}
        self.commit = hashlib.sha1(b"test-commit").hexdigest()
        self.faults = Faults()
        self.log: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.cdn_url = ""

    def add(self, repo: str, filename: str, data: bytes) -> str:
        self.repos.setdefault(repo, {})[filename] = data
        return hashlib.sha256(data).hexdigest()

    def blob(self, sha: str) -> bytes | None:
        for files in self.repos.values():
            for data in files.values():
                if hashlib.sha256(data).hexdigest() == sha:
                    return data
        return None

    def gets(self, prefix: str = "/blobs/") -> list[dict[str, Any]]:
        return [e for e in self.log if e["method"] == "GET" and e["path"].startswith(prefix)]


def _is_lfs(filename: str) -> bool:
    return not filename.endswith((".json", ".txt", ".md"))


def _git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _handler(state: HubState, role: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _log(self, status: int, sent: int = 0) -> None:
            with state.lock:
                state.log.append({"server": role, "method": self.command, "path": self.path.split("?")[0],
                                  "range": self.headers.get("Range"), "auth": self.headers.get("Authorization"),
                                  "status": status, "sent": sent})

        def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and body:
                self.wfile.write(body)
            self._log(status, len(body) if self.command != "HEAD" else 0)

        def _not_found(self, code: str) -> None:
            self._send(404, {"X-Error-Code": code, "X-Error-Message": f"{code} (test hub)",
                             "Content-Type": "application/json"}, json.dumps({"error": code}).encode())

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if role == "hub":
                m = re.match(r"^/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?$", path)
                if m:
                    return self._model_info(m.group(1))
                m = re.match(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$", path)
                if m:
                    return self._resolve(m.group(1), m.group(2), m.group(3))
                return self._not_found("RepoNotFound")
            m = re.match(r"^/blobs/([0-9a-f]{64})$", path)
            if not m:
                return self._not_found("EntryNotFound")
            return self._blob(m.group(1))

        def _model_info(self, repo: str) -> None:
            files = state.repos.get(repo)
            if files is None:
                return self._not_found("RepoNotFound")
            siblings = []
            for name, data in files.items():
                sib: dict[str, Any] = {"rfilename": name, "size": len(data), "blobId": _git_sha1(data)}
                if _is_lfs(name):
                    sib["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
                siblings.append(sib)
            body = json.dumps({"id": repo, "modelId": repo, "sha": state.commit, "private": False,
                               "siblings": siblings}).encode()
            self._send(200, {"Content-Type": "application/json"}, body)

        def _resolve(self, repo: str, rev: str, filename: str) -> None:
            files = state.repos.get(repo)
            if files is None:
                return self._not_found("RepoNotFound")
            if rev not in ("main", state.commit):
                return self._not_found("RevisionNotFound")
            data = files.get(filename)
            if data is None:
                return self._send(404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": state.commit})
            if not _is_lfs(filename):  # small text files live in git: served in place, ETag = git blob sha1
                return self._send(200, {"X-Repo-Commit": state.commit, "ETag": f'"{_git_sha1(data)}"',
                                        "Content-Type": "application/json"}, data)
            sha = hashlib.sha256(data).hexdigest()
            self._send(302, {"Location": f"{state.cdn_url}/blobs/{sha}", "X-Repo-Commit": state.commit,
                             "X-Linked-Etag": f'"{sha}"', "X-Linked-Size": str(len(data)), "ETag": f'"{sha}"'})

        def _blob(self, sha: str) -> None:
            data = state.blob(sha)
            if data is None:
                return self._not_found("EntryNotFound")
            if sha in state.faults.corrupt:
                data = bytes([data[0] ^ 0xFF]) + data[1:-1] + bytes([data[-1] ^ 0x01])
            start, status = 0, 200
            rng = self.headers.get("Range")
            if rng:
                m = re.match(r"bytes=(\d+)-(\d*)$", rng)
                if m:
                    start, status = int(m.group(1)), 206
            body = data[start:]
            headers = {"Accept-Ranges": "bytes", "ETag": f'"{sha}"', "Content-Type": "application/octet-stream"}
            if status == 206:
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            if self.command == "HEAD":
                return self._send(200, {**headers}, b"")
            f = state.faults
            with state.lock:  # a pending cut comes first; 503s answer the requests after it
                drop, f.drop_after = f.drop_after, None
                stall, f.stall_after = f.stall_after, None
                fail = drop is None and stall is None and f.fail_gets > 0
                if fail:
                    f.fail_gets -= 1
            if fail:
                return self._send(503, {"Retry-After": "0"}, b"busy")
            cut = drop if drop is not None else stall
            if cut is None and f.throttle:
                return self._send_slowly(status, headers, body, f.throttle)
            if cut is None:
                return self._send(status, headers, body)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self._log(status, min(cut, len(body)))
            if stall is not None:
                state.release.wait(60)
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _send_slowly(self, status: int, headers: dict[str, str], body: bytes, rate: int) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            sent, piece = 0, 32 << 10
            try:
                while sent < len(body) and not state.release.is_set():
                    self.wfile.write(body[sent:sent + piece])
                    self.wfile.flush()
                    sent += len(body[sent:sent + piece])
                    time.sleep(piece / rate)
            except OSError:  # the client went away (cancelled): that is the point of some tests
                self.close_connection = True
            self._log(status, sent)

    return Handler


class HubServer:
    """Two servers on 127.0.0.1 (hub API + a 'CDN' on another port, like huggingface.co and its CDN)."""

    def __init__(self) -> None:
        self.state = HubState()
        self._hub = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state, "hub"))
        self._cdn = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state, "cdn"))
        self._hub.daemon_threads = self._cdn.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._hub.server_address[1]}"
        self.state.cdn_url = f"http://127.0.0.1:{self._cdn.server_address[1]}"
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (self._hub, self._cdn)]

    def __enter__(self) -> HubServer:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        for s in (self._hub, self._cdn):
            s.shutdown()
            s.server_close()
        for t in self._threads:
            t.join(5)
