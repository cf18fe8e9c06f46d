"""A backend that talks to an OpenAI-compatible server: vLLM (started by the app or remote),
llama.cpp's servers, or any other server with ``/v1/chat/completions``.

Messages arrive already shaped by the prompt layer (no system role for R1, maths directive), so the
server only applies its chat template; sampling comes from the request, as for llama.cpp. Replies
stream over server-sent events through httpx. vLLM's ``deepseek_r1`` reasoning parser sends the
reasoning apart from the answer (``reasoning_content``, renamed ``reasoning`` in newer vLLM): it goes
into :attr:`Chunk.reasoning`, and :class:`~assistant.core.chat.turn.ChatTurn` then treats ``content`` as
answer only; inline ``<think>…</think>`` in ``content`` goes through the same splitter as llama.cpp.

Cancel closes the stream (the server sees the disconnect and stops generating); the cancel event is
checked between events. Every failure becomes a :class:`BackendUnavailableError` (cannot reach or use
the server) or :class:`GenerationError` (the reply broke), carrying the server's own message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from assistant.core.chat.prompting import Family, Message, detect_family, get_family
from assistant.core.chat.protocol import AdapterUse, Chunk, GenerationRequest, GenerationStats, ModelInfo
from assistant.core.errors import (
    AdapterError,
    AssistantError,
    BackendUnavailableError,
    ConfigError,
    GenerationError,
)
from assistant.core.models.catalog import CatalogEntry, entry_for_file, get_entry, load_catalog
from assistant.core.progress import Progress, ProgressCallback
from assistant.core.settings import DEFAULT_N_CTX, Settings

if TYPE_CHECKING:
    from assistant.core.backends.vllm_server import VllmLora, VllmServer

log = logging.getLogger(__name__)

_FINISH = {"stop": "stop", "length": "length", "eos": "stop", "abort": "cancelled", "cancelled": "cancelled"}


def normalize_base_url(url: str) -> str:
    """``http://host:8000``, ``…/v1/``, ``…/v1/chat/completions`` -> ``http://host:8000/v1``."""
    u = (url or "").strip().rstrip("/")
    for suffix in ("/chat/completions", "/completions", "/models"):
        if u.endswith(suffix):
            u = u[: -len(suffix)]
    parts = urlsplit(u)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{url!r} is not a server URL.",
                          hint="Write it like http://127.0.0.1:8000/v1 (the address of an OpenAI-compatible server).")
    if parts.path in ("", "/"):
        u += "/v1"
    return u


def find_entry(model: str) -> CatalogEntry | None:
    """The catalog entry for a served model name: a catalog id, a Hugging Face repo, or a file path."""
    entry = get_entry(model)
    if entry is not None:
        return entry
    low = model.lower()
    for e in load_catalog().values():
        repos = {str(src.get("repo", "")).lower() for src in e.sources.values() if isinstance(src, dict)}
        if low in repos or low.split("/")[-1] in {r.split("/")[-1] for r in repos if r}:
            return e
    return entry_for_file(Path(model))


def family_for(model: str, entry: CatalogEntry | None) -> Family:
    """R1 models get the deepseek-r1 family (no system role, maths directive) whichever server runs them."""
    return get_family(entry.family if entry is not None else detect_family(None, "", model))


def server_error_message(response: httpx.Response) -> str:
    """The server's own words from an error response (OpenAI, vLLM, FastAPI or plain text)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    msg: Any = None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            msg = err.get("message")
        elif isinstance(err, str):
            msg = err
        msg = msg or body.get("message") or body.get("detail")
        if isinstance(msg, list):  # FastAPI validation errors
            msg = "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in msg)
    if not msg:
        msg = response.text.strip()[:500] or response.reason_phrase
    return str(msg)


def _status_error(response: httpx.Response, what: str) -> AssistantError:
    code = response.status_code
    msg = server_error_message(response)
    where = str(response.request.url)
    if code in (401, 403):
        return BackendUnavailableError(f"The server refused {what} ({code}): {msg}",
                                       hint="Check the API key in settings.")
    if code == 404:
        return BackendUnavailableError(f"The server has no {where} (404): {msg}",
                                       hint="Check the server URL (it usually ends in /v1) and the model name.")
    if code >= 500:
        return GenerationError(f"The server failed on {what} ({code}): {msg}",
                               hint="Look at the server's log; the model may have run out of memory.")
    return GenerationError(f"The server rejected {what} ({code}): {msg}")


def _transport_error(exc: httpx.HTTPError, url: str, timeout_s: float, *, mid_reply: bool = False) -> AssistantError:
    if isinstance(exc, httpx.ConnectTimeout):
        return BackendUnavailableError(f"The server at {url} did not accept a connection in time.",
                                       hint="Check the URL, and that the server is running and reachable.")
    if isinstance(exc, httpx.ConnectError):
        reason = "connection refused" if "refused" in str(exc).lower() else str(exc) or type(exc).__name__
        return BackendUnavailableError(f"Cannot connect to the server at {url}: {reason}.",
                                       hint="Start the server, or check the URL in settings.")
    if isinstance(exc, httpx.TimeoutException):
        return GenerationError(f"The server at {url} sent nothing for {timeout_s:.0f} s.",
                               hint="It may be overloaded or stuck; if it is just slow, raise the server timeout.")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return ConfigError(f"{url} is not a usable server URL: {exc}")
    if mid_reply:
        return GenerationError(f"The connection to the server broke off in the middle of the reply ({exc}).",
                               hint="The server may have stopped or crashed. The text received so far is kept.")
    return BackendUnavailableError(f"Talking to the server at {url} failed: {exc}",
                                   hint="Check that the server is running and the URL is right.")


def iter_sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The ``data`` of each server-sent event (multi-line data joined); comments and pings skipped."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


class OpenAICompatBackend:
    """Chat completions from an OpenAI-compatible server; owns and stops a server the app launched."""

    name = "OpenAI-compatible"

    def __init__(
        self,
        base_url: str,
        *,
        model: str | None = None,
        api_key: str = "",
        family: str | None = None,
        n_ctx: int | None = None,
        timeout_s: float = 120.0,
        connect_timeout_s: float = 10.0,
        strict_model: bool = False,
        entry: CatalogEntry | None = None,
        name: str | None = None,
        server: VllmServer | None = None,
        extra_body: dict[str, Any] | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.root_url = self.base_url[: -len("/v1")] if self.base_url.endswith("/v1") else self.base_url
        self.timeout_s = timeout_s
        self.server = server
        self.extra_body = dict(extra_body or {})
        if name:
            self.name = name
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s))
        self._closed = False
        try:
            served = self._list_models()
            card = self._pick_model(served, model, strict_model)
        except BaseException:
            self._client.close()
            raise
        self.model = str(card["id"])
        owned = str(card.get("owned_by", "")).lower()
        # How to count tokens and which sampling extras the server takes, by who serves it.
        self.kind = {"vllm": "vllm", "me": "llama-cpp-python", "llamacpp": "llama.cpp"}.get(owned, "openai")
        self._tokenize_route: str | None = None if self.kind == "openai" else self.kind
        self.entry = entry if entry is not None else find_entry(self.model)
        self.family: Family = get_family(family) if family else family_for(self.model, self.entry)
        max_len = card.get("max_model_len")
        ctx = int(max_len) if isinstance(max_len, int) and max_len > 0 else 0
        ctx = ctx or n_ctx or (self.entry.n_ctx if self.entry else 0) or DEFAULT_N_CTX
        self._info = ModelInfo(
            name=self.entry.name if self.entry else self.model,
            path=self.base_url,
            family=self.family.name,
            architecture=self.entry.architecture if self.entry else "",
            n_ctx=ctx,
            n_ctx_train=self.entry.context_length if self.entry else 0,
            n_params=self.entry.parameters if self.entry else 0,
            default_system=self.entry.default_system if self.entry else None,
        )

    # ---------------------------------------------------------------------------------------------
    @property
    def info(self) -> ModelInfo:
        return self._info

    def _list_models(self) -> list[dict[str, Any]]:
        url = f"{self.base_url}/models"
        try:
            r = self._client.get(url)
        except httpx.HTTPError as exc:
            raise _transport_error(exc, self.base_url, self.timeout_s) from exc
        if r.status_code != 200:
            err = _status_error(r, "the model list")
            raise BackendUnavailableError(err.message, hint=err.hint or None)
        try:
            data = r.json()["data"]
            if not isinstance(data, list) or not all(isinstance(d, dict) and "id" in d for d in data):
                raise TypeError("no model ids")
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendUnavailableError(
                f"{url} did not answer like an OpenAI-compatible server ({r.text[:200]!r}).",
                hint="Check the URL: it should point at the server's /v1 address.",
            ) from exc
        if not data:
            raise BackendUnavailableError(f"The server at {self.base_url} serves no model.",
                                          hint="Start the server with a model loaded.")
        return data

    def _pick_model(self, served: list[dict[str, Any]], wanted: str | None, strict: bool) -> dict[str, Any]:
        ids = [str(d["id"]) for d in served]
        if wanted:
            for d in served:
                if str(d["id"]) == wanted:
                    return d
            if strict:
                raise BackendUnavailableError(f"The server does not serve {wanted!r}; it serves: {', '.join(ids)}.",
                                              hint="Choose one of those models in settings.")
            log.info("server does not serve %r; using %r", wanted, ids[0])
        return served[0]

    # ---------------------------------------------------------------------------------------------
    def count_tokens(self, messages: Sequence[Message], family: Family | None = None) -> int:
        """Exact through the server's tokenizer where it has one (vLLM, llama.cpp), else an estimate."""
        fam = family or self.family
        route = self._tokenize_route
        try:
            if route == "vllm":  # renders the chat template on the server: exact for any model
                r = self._client.post(f"{self.root_url}/tokenize", json={
                    "model": self.model, "messages": [m.to_dict() for m in messages], "add_generation_prompt": True})
                if r.status_code == 200:
                    return int(r.json()["count"])
            elif route == "llama-cpp-python":
                r = self._client.post(f"{self.root_url}/extras/tokenize/count", json={
                    "model": self.model, "input": fam.render(messages, True, self._info.default_system)})
                if r.status_code == 200:
                    return int(r.json()["count"])
            elif route == "llama.cpp":
                r = self._client.post(f"{self.root_url}/tokenize", json={
                    "content": fam.render(messages, True, self._info.default_system), "add_special": True})
                if r.status_code == 200:
                    return len(r.json()["tokens"])
        except httpx.HTTPError as exc:
            raise _transport_error(exc, self.base_url, self.timeout_s) from exc
        except (ValueError, KeyError, TypeError):
            pass
        if route is not None:  # the route exists on paper but did not work: estimate from now on
            log.info("the server's tokenize route (%s) is unusable: estimating token counts", route)
            self._tokenize_route = None
        return estimate_tokens(fam.render(messages, True, self._info.default_system))

    def _body(self, request: GenerationRequest) -> dict[str, Any]:
        s = request.sampling
        body: dict[str, Any] = {
            "model": adapter_model(self.model, request.adapters),
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": s.temperature,
            "top_p": s.top_p,
            "max_tokens": s.max_tokens,
        }
        if s.seed is not None:
            body["seed"] = s.seed
        stops = list(request.stop)
        if request.raw_prompt is not None:  # /v1/completions: the caller's own prompt, as it is
            body["prompt"] = request.raw_prompt if isinstance(request.raw_prompt, str) else list(request.raw_prompt)
        elif request.prefill:
            # Continuing a reply: the chat route cannot (R1's template drops an assistant message's
            # reasoning), so the prompt is rendered here, as the chat template would, and sent to the
            # completions route, which vLLM and both llama.cpp servers have. The server adds its BOS.
            prompt = request.family.render(request.messages, True, self._info.default_system) + request.prefill
            for bos in _BOS_TEXTS:
                prompt = prompt.removeprefix(bos)
            body["prompt"] = prompt
            stops = [*request.family.stop, *stops]  # no chat template ends the turn for us here
        else:
            body["messages"] = [m.to_dict() for m in request.messages]
            if request.family.thinking_switch and request.family.thinking is not None and self.kind in (
                    "vllm", "llama.cpp"):
                # The server renders the model's own template: its switch goes as a template variable
                # (vLLM and llama-server both take chat_template_kwargs).
                body["chat_template_kwargs"] = {"enable_thinking": request.family.thinking}
        if stops:
            body["stop"] = stops[:4]  # the OpenAI API takes at most four
        fmt = _response_format(request)
        if fmt is not None:
            body["response_format"] = fmt
        if self.kind == "vllm":
            # Usage on every chunk: vLLM may put several tokens in one piece (its reasoning parser holds
            # text back), and the thinking budget counts tokens, not pieces.
            body["stream_options"] = {"include_usage": True, "continuous_usage_stats": True}
            body.update(top_k=s.top_k if s.top_k > 0 else -1, min_p=s.min_p, repetition_penalty=s.repeat_penalty)
            if request.ignore_eos:
                body["ignore_eos"] = True
        elif self.kind in ("llama-cpp-python", "llama.cpp"):
            body.update(top_k=s.top_k, min_p=s.min_p, repeat_penalty=s.repeat_penalty)
            if request.ignore_eos:
                body["logit_bias"] = self._eos_bias()
        body.update(self.extra_body)
        return body

    def _eos_bias(self) -> dict[str, float]:
        """Benchmarks only: forbid the end-of-turn tokens on llama.cpp servers (they have no ignore_eos)."""
        bias: dict[str, float] = {}
        for stop in (*self.family.stop, "<|endoftext|>"):
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                r = self._client.post(f"{self.root_url}/extras/tokenize", json={"model": self.model, "input": stop})
                toks = r.json()["tokens"]
                if len(toks) == 1:
                    bias[str(toks[0])] = -100.0
        return bias

    # ---------------------------------------------------------------------------------------------
    def stream(self, request: GenerationRequest) -> Iterator[Chunk]:
        if self._closed:
            raise BackendUnavailableError("This server connection was closed.", hint="Load the model again.")
        body = self._body(request)
        cancel = request.cancel
        st = _StreamState(t0=time.perf_counter())
        if cancel.is_set():
            yield Chunk(done=True, stats=GenerationStats(finish_reason="cancelled"))
            return
        for attempt in (1, 2):
            try:
                route = "completions" if request.prefill or request.raw_prompt is not None else "chat/completions"
                with self._client.stream("POST", f"{self.base_url}/{route}", json=body) as resp:
                    st.responded = True
                    yield from self._read_reply(resp, st, cancel)
                break
            except httpx.HTTPError as exc:
                if cancel.is_set():
                    st.finish = "cancelled"
                    break
                if attempt == 1 and not st.responded and isinstance(
                        exc, (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)):
                    continue  # a kept-alive connection the server had dropped: once more on a new one
                raise _transport_error(exc, self.base_url, self.timeout_s, mid_reply=st.responded) from exc
        if not st.got_done and st.finish is None:
            raise GenerationError("The server ended the stream before the reply was complete.",
                                  hint="The server may have stopped or crashed. The text received so far is kept.")
        stats = GenerationStats(finish_reason=_FINISH.get(st.finish or "stop", "stop"))
        stats.completion_tokens = int(st.usage.get("completion_tokens") or st.n_pieces)
        stats.prompt_tokens = int(st.usage.get("prompt_tokens") or 0)
        if not stats.prompt_tokens and stats.finish_reason != "cancelled":
            with contextlib.suppress(AssistantError):
                stats.prompt_tokens = self.count_tokens(request.messages, request.family)
        end = time.perf_counter()
        stats.prompt_seconds = (st.t_first - st.t0) if st.n_pieces else end - st.t0
        stats.generation_seconds = (st.t_last - st.t_first) if st.n_pieces else 0.0
        yield Chunk(done=True, stats=stats)

    def _read_reply(self, resp: httpx.Response, st: _StreamState, cancel: threading.Event) -> Iterator[Chunk]:
        if resp.status_code != 200:
            resp.read()
            raise _status_error(resp, "the request")
        if "text/event-stream" not in resp.headers.get("content-type", ""):
            # A server that ignored stream=true: take the whole reply as one piece.
            resp.read()
            event = _json_or_error(resp.text)
            text, reasoning = _message_parts(event)
            if text or reasoning:
                st.piece()
                yield Chunk(text=text, reasoning=reasoning)
            st.usage = event.get("usage") or {}
            st.finish = _finish_of(event) or "stop"
            st.got_done = True
            return
        for data in iter_sse_data(resp.iter_lines()):
            if cancel.is_set():
                st.finish = "cancelled"
                return
            if data.strip() == "[DONE]":
                st.got_done = True
                return
            event = _json_or_error(data)
            if "error" in event:
                err = event["error"]
                msg = err.get("message", err) if isinstance(err, dict) else err
                raise GenerationError(f"The server reported an error mid-reply: {msg}")
            if isinstance(event.get("usage"), dict):
                st.usage = event["usage"]
            st.finish = _finish_of(event) or st.finish
            for choice in event.get("choices") or ():
                delta = (choice.get("delta") if isinstance(choice, dict) else None) or {}
                text = delta.get("content") or choice.get("text") or ""  # "text": the completions route
                reasoning = delta.get("reasoning_content") or delta.get("reasoning") or ""
                if text or reasoning:
                    st.piece()
                    yield Chunk(text=str(text), reasoning=str(reasoning), tokens=st.tokens_of_piece())
            if cancel.is_set():
                st.finish = "cancelled"
                return

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._client.close()
        if self.server is not None:
            self.server.close()


@dataclass
class _StreamState:
    t0: float
    t_first: float = 0.0
    t_last: float = 0.0
    n_pieces: int = 0
    responded: bool = False  # response headers arrived: a failure now is mid-reply
    got_done: bool = False
    finish: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    tokens_seen: int = 0  # completion tokens the pieces so far covered, where the server says (usage per chunk)

    def tokens_of_piece(self) -> int:
        """Tokens since the last piece, from a per-chunk usage (vLLM's continuous_usage_stats); 0: unknown."""
        done = int(self.usage.get("completion_tokens") or 0)
        n, self.tokens_seen = max(0, done - self.tokens_seen), max(done, self.tokens_seen)
        return n

    def piece(self) -> None:
        self.t_last = time.perf_counter()
        if not self.n_pieces:
            self.t_first = self.t_last
        self.n_pieces += 1


def _response_format(request: GenerationRequest) -> dict[str, Any] | None:
    """A grammar as OpenAI's response_format, for servers that constrain output themselves. vLLM started with a
    reasoning parser applies it to the answer only; other servers may apply it from the first token. Not sent
    when the grammar waits for a ``</think>`` still to come in a continued reply (a server cannot wait)."""
    g = request.grammar
    if g is None or g.kind == "tool_call" or (g.after and (request.prefill or request.raw_prompt is not None)):
        return None
    if g.kind == "json_object" or g.schema is None:
        return {"type": "json_object"}
    return {"type": "json_schema", "json_schema": {"name": g.name or "response", "schema": g.schema}}


def _json_or_error(data: str) -> dict[str, Any]:
    try:
        event = json.loads(data)
    except ValueError:
        event = None
    if not isinstance(event, dict):
        raise GenerationError(f"The server sent a malformed stream: {data[:120]!r} is not a JSON event.",
                              hint="The URL may point at something other than an OpenAI-compatible server.")
    return event


_BOS_TEXTS = ("<｜begin▁of▁sentence｜>", "<|begin_of_text|>")


def _finish_of(event: dict[str, Any]) -> str | None:
    for choice in event.get("choices") or ():
        if isinstance(choice, dict) and choice.get("finish_reason"):
            return str(choice["finish_reason"])
    return None


def _message_parts(event: dict[str, Any]) -> tuple[str, str]:
    choices = event.get("choices") or []
    if choices and isinstance(choices[0], dict) and isinstance(choices[0].get("text"), str):  # completions route
        return choices[0]["text"], ""
    if not choices or not isinstance(choices[0], dict) or not isinstance(choices[0].get("message"), dict):
        raise GenerationError("The server's reply has no message.",
                              hint="The URL may point at something other than an OpenAI-compatible server.")
    msg = choices[0]["message"]
    return str(msg.get("content") or ""), str(msg.get("reasoning_content") or msg.get("reasoning") or "")


def adapter_model(model: str, adapters: Sequence[AdapterUse]) -> str:
    """The ``model`` a request names: an OpenAI-compatible server (vLLM's --lora-modules) serves each LoRA
    adapter under its own name, one adapter per request, at its trained strength."""
    used = [a for a in adapters if a.scale != 0.0]
    if not used:
        return model
    if len(used) > 1 or used[0].scale != 1.0:
        raise AdapterError("A server backend applies one adapter per reply, at scale 1.",
                           hint="Use one adapter without a scale, or the llama.cpp backend to combine adapters.")
    return used[0].name


def vllm_loras(folder: Path) -> list[VllmLora]:
    """The library's adapters that fit the model, for vLLM's --lora-modules: a request selects one by name."""
    from assistant.core.backends.vllm_server import VllmLora
    from assistant.core.models.lora import adapters_for_hf_model

    try:
        fits = adapters_for_hf_model(folder)
    except AssistantError as exc:  # a configuration the check cannot read: vLLM starts without adapters
        log.warning("no LoRA adapters for %s: %s", folder, exc.message)
        return []
    return [VllmLora(a.name, a.peft_dir, a.rank) for a in fits]


def estimate_tokens(text: str) -> int:
    """A deliberately high guess for servers without a tokenizer route: ~3.5 characters per token in
    Latin script, one token per character elsewhere (Chinese is 1-2 characters per token)."""
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return math.ceil(ascii_chars / 3.5) + (len(text) - ascii_chars) + 4


def open_server_backend(
    settings: Settings, model: str | None = None, progress: ProgressCallback | None = None
) -> OpenAICompatBackend:
    """``backend="openai"``: connect to ``server_url``; ``"vllm"``: start vLLM for the model, then connect."""
    if settings.backend == "openai":
        if progress is not None:
            progress(Progress(f"Connecting to {settings.server_url}", None))
        wanted = settings.server_model or model or settings.model
        return OpenAICompatBackend(
            settings.server_url, model=wanted, api_key=settings.server_api_key, n_ctx=settings.n_ctx or None,
            timeout_s=settings.server_timeout_s, strict_model=bool(settings.server_model),
        )
    if settings.backend == "vllm":
        from assistant.core.backends.vllm_server import launch_vllm, resolve_hf_model

        hf = resolve_hf_model(model or settings.model)
        parser = None if settings.vllm_reasoning_parser == "auto" else settings.vllm_reasoning_parser
        server = launch_vllm(
            hf.path, served_name=hf.served_name, python=settings.vllm_python or None, entry=hf.entry,
            device=settings.vllm_device, reasoning_parser=parser,
            gpu_memory_utilization=settings.vllm_gpu_memory_utilization, max_model_len=settings.vllm_max_model_len,
            start_timeout_s=settings.vllm_start_timeout_s, progress=progress, loras=vllm_loras(hf.path),
        )
        try:
            return OpenAICompatBackend(server.base_url, model=hf.served_name, name="vLLM", server=server,
                                       entry=hf.entry, timeout_s=settings.server_timeout_s, strict_model=True)
        except BaseException:
            server.close()
            raise
    raise ConfigError(f"Unknown backend {settings.backend!r}.",
                      hint="Choose llama.cpp, vLLM or an OpenAI-compatible server URL.")
