"""What a chat request asks of the answer, made into what a turn runs with: the conversation (tool calls and
tool results included), a grammar for ``response_format`` or a forced tool call, the tools rendered through
the model's own chat template, log-probabilities. Shared by the OpenAI and Ollama routes.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.prompting import Family, Message
from assistant.core.chat.protocol import Backend
from assistant.core.errors import OutputFormatError
from assistant.core.structured.grammar import Grammar, json_object_grammar, json_schema_grammar
from assistant.core.structured.tools import check_tools, render_template, tool_call_grammar

from .schema import APIError, ChatMessageIn


@dataclass(frozen=True)
class ToolMessage(Message):
    """A message with what plain messages lack: an assistant's tool calls, a tool result's call id."""

    tool_calls: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    tool_call_id: str = ""

    def to_dict(self) -> dict[str, Any]:  # type: ignore[override]
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = [dict(c) for c in self.tool_calls]
        if self.tool_call_id:
            out["tool_call_id"] = self.tool_call_id
        return out


def conversation(messages: list[ChatMessageIn]) -> tuple[list[Message], str | None]:
    """The request's messages as history, and the new question: the last message when it is the user's;
    None when the conversation ends with tool results (the reply continues from them)."""
    last = messages[-1]
    if last.role not in ("user", "tool"):
        raise APIError(400, f"The last message must be from the user (or a tool's result), not {last.role!r}.",
                       param="messages", code="invalid_value")
    history: list[Message] = []
    for m in messages[:-1] if last.role == "user" else messages:
        role = "system" if m.role == "developer" else m.role
        if m.tool_calls:
            calls = tuple({"id": c.id or f"call_{i}", "type": "function",
                           "function": {"name": c.function.name, "arguments": _arguments(c.function.arguments)}}
                          for i, c in enumerate(m.tool_calls))
            history.append(ToolMessage(role, m.text(), tool_calls=calls))
        elif m.tool_call_id:
            history.append(ToolMessage(role, m.text(), tool_call_id=m.tool_call_id))
        else:
            history.append(Message(role, m.text()))
    return history, (last.text() if last.role == "user" else None)


def _arguments(raw: str | dict[str, Any]) -> dict[str, Any] | str:
    """A call's arguments as an object for the template (Qwen's writes them with tojson), when they parse."""
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    return value if isinstance(value, dict) else raw


def message_dict(m: Any) -> dict[str, Any]:
    if isinstance(m, ToolMessage):
        return m.to_dict()
    if isinstance(m, Message):
        return {"role": m.role, "content": m.content}
    return dict(m)


def output_grammar(kind: str | None, schema: dict[str, Any] | None, name: str = "") -> Grammar | None:
    """``response_format`` (OpenAI) or ``format`` (Ollama) as a grammar; a schema no grammar can express or
    no text can satisfy is a 400 naming why."""
    if kind in (None, "text"):
        return None
    try:
        if kind == "json_object":
            return json_object_grammar()
        if not schema:
            raise OutputFormatError("response_format json_schema needs a schema (json_schema.schema).")
        return json_schema_grammar(schema, name)
    except OutputFormatError as exc:
        raise APIError(400, exc.user_text(), param="response_format", code="invalid_schema") from None


@dataclass
class ToolUse:
    """The tools of one request: their definitions, and the call a tool_choice forces (None: the model chooses)."""

    tools: list[dict[str, Any]]
    forced: str | None = None  # "required" or a function's name


def tool_use(tools: list[dict[str, Any]] | None, choice: Any) -> ToolUse | None:
    """The request's tools, checked, unless there are none or tool_choice is "none"."""
    if not tools or choice == "none":
        return None
    try:
        checked = check_tools(tools)
    except OutputFormatError as exc:
        raise APIError(400, exc.user_text(), param="tools", code="invalid_value") from None
    forced: str | None = None
    if choice == "required":
        forced = "required"
    elif isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name not in {t["function"]["name"] for t in checked}:
            raise APIError(400, f"tool_choice names {name!r}, which is not among the tools.", param="tool_choice",
                           code="invalid_value")
        forced = str(name)
    return ToolUse(checked, forced)


def tools_family(backend: Backend, use: ToolUse) -> Family:
    """The backend's family, rendering prompts through the model's own template with the tools listed; a
    model whose template has no place for tools is a 400 naming the model."""
    template = str(getattr(backend, "chat_template", "") or "")
    base = backend.family
    if not template or not getattr(base, "tools", False) or "<tool_call>" not in template:
        where = " (tools need the llama.cpp backend here)" if not hasattr(backend, "chat_template") else ""
        raise APIError(400, f"The model {backend.info.name!r} does not support tools: its chat template has no "
                       f"place for them{where}. Models such as Qwen2.5 and Qwen3 do.", param="tools",
                       code="tools_not_supported")
    bos, eos = getattr(backend, "special_tokens", ("", ""))
    tools = use.tools

    def render(messages: Any, add_generation_prompt: bool = True, default_system: str | None = None,
               enable_thinking: bool | None = None) -> str:
        extra = {} if enable_thinking is None else {"enable_thinking": enable_thinking}
        try:
            return render_template(template, [message_dict(m) for m in messages], tools=tools,
                                   add_generation_prompt=add_generation_prompt, bos_token=bos, eos_token=eos, **extra)
        except OutputFormatError as exc:
            raise APIError(400, exc.user_text(), param="messages", code="invalid_value") from None

    return dataclasses.replace(base, renderer=render, system_role=True)


def forced_call_grammar(use: ToolUse) -> Grammar | None:
    if use.forced is None:
        return None
    try:
        return tool_call_grammar(use.tools, None if use.forced == "required" else use.forced)
    except OutputFormatError as exc:
        raise APIError(400, exc.user_text(), param="tools", code="invalid_schema") from None


def check_for_backend(backend: Backend, grammar: Grammar | None, logprobs: int | None) -> None:
    """What only the model that will run the request can say: whether llama.cpp's parser takes the grammar,
    whether the backend has log-probabilities."""
    if grammar is not None:
        check = getattr(backend, "check_grammar", None)
        if check is not None:
            try:
                check(grammar)
            except OutputFormatError as exc:
                raise APIError(400, exc.user_text(), param="response_format", code="invalid_schema") from None
    if logprobs is not None and not hasattr(backend, "token_logprob"):
        raise APIError(400, f"Log-probabilities are not available from {backend.name} models here; "
                       "llama.cpp models have them.", param="logprobs", code="unsupported_parameter")
