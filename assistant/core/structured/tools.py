"""Tools (function calling) the Hermes/Qwen way: definitions rendered by the model's own chat template, calls
written as ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>``, parsed back as they stream.

The template is the one in the GGUF (``tokenizer.chat_template``), rendered in Jinja's immutable sandbox as
transformers renders it (``tojson`` keeps non-ASCII text, ``raise_exception``), so the prompt is the one the
model was trained on. Nothing here runs a tool: calls go back to the client.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.core.errors import OutputFormatError
from assistant.core.structured.grammar import Grammar, fresh_rule, schema_rules

OPEN, CLOSE = "<tool_call>", "</tool_call>"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # a JSON object, as text (OpenAI's shape)

    def to_openai(self, index: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": "function",
                               "function": {"name": self.name, "arguments": self.arguments}}
        if index is not None:
            out["index"] = index
        return out

    @property
    def argument_dict(self) -> dict[str, Any]:
        try:
            value = json.loads(self.arguments)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def new_call_id() -> str:
    return "call_" + secrets.token_hex(12)


def check_tools(tools: Sequence[Any]) -> list[dict[str, Any]]:
    """OpenAI tool definitions, checked: ``{"type": "function", "function": {"name", "description"?,
    "parameters"?}}`` with unique names. Returns them normalised (parameters always an object schema)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, tool in enumerate(tools):
        where = f"tools[{i}]"
        if not isinstance(tool, dict) or tool.get("type", "function") != "function":
            raise OutputFormatError(f"{where} must be {{'type': 'function', 'function': {{...}}}}.")
        fn = tool.get("function")
        if not isinstance(fn, dict):
            raise OutputFormatError(f"{where}.function must be an object with a name.")
        name = fn.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise OutputFormatError(f"{where}.function.name must be 1-64 letters, digits, '_', '.' or '-'.")
        if name in seen:
            raise OutputFormatError(f"Two tools are named {name!r}.")
        seen.add(name)
        params = fn.get("parameters")
        if params is None:
            params = {"type": "object", "properties": {}}
        if not isinstance(params, dict):
            raise OutputFormatError(f"{where}.function.parameters must be a JSON schema object.")
        norm = {"name": name, "parameters": params}
        if isinstance(fn.get("description"), str):
            norm["description"] = fn["description"]
        out.append({"type": "function", "function": norm})
    return out


def template_renders_tools(template: str) -> bool:
    """Whether a chat template lists tools for the model and expects Hermes-style ``<tool_call>`` replies
    (Qwen2.5, Qwen3, Hermes): the format this module parses."""
    if not template or OPEN not in template:
        return False
    try:
        from jinja2 import meta

        return "tools" in meta.find_undeclared_variables(_environment().parse(template))
    except Exception:  # a template Jinja cannot parse renders nothing either
        return False


def _tojson(value: Any, ensure_ascii: bool = False, indent: int | None = None, separators: Any = None,
            sort_keys: bool = False) -> str:
    # transformers' tojson: not Jinja's HTML-safe one (which writes < as \u003c)
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def _raise(message: str) -> None:
    raise OutputFormatError(f"The model's chat template refused this conversation: {message}")


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise
    return env


@functools.lru_cache(maxsize=8)
def _compiled(template: str) -> Any:
    return _environment().from_string(template)


def render_template(template: str, messages: Sequence[dict[str, Any]], *, tools: Sequence[dict[str, Any]] | None = None,
                    add_generation_prompt: bool = True, bos_token: str = "", eos_token: str = "",
                    **variables: Any) -> str:
    """The prompt the model's own template writes for ``messages`` (OpenAI-shaped dicts) and ``tools``."""
    from jinja2 import TemplateError

    try:
        return str(_compiled(template).render(messages=list(messages), tools=list(tools) if tools else None,
                                              add_generation_prompt=add_generation_prompt,
                                              bos_token=bos_token, eos_token=eos_token, **variables))
    except OutputFormatError:
        raise
    except (TemplateError, TypeError, ValueError, AttributeError, IndexError, KeyError) as exc:
        raise OutputFormatError(f"The model's chat template failed on this conversation: {exc}",
                                hint="Check the roles and tool calls of the messages.") from None


def tool_call_grammar(tools: Sequence[dict[str, Any]], name: str | None = None) -> Grammar:
    """A grammar whose only sentence is one tool call: of function ``name``, or of any of ``tools``
    (``tool_choice: "required"``), its arguments following the function's parameter schema."""
    chosen = [t for t in tools if name is None or t["function"]["name"] == name]
    if not chosen:
        raise OutputFormatError(f"tool_choice names {name!r}, which is not among the tools.")
    variants, defs = [], {}
    for i, tool in enumerate(chosen):
        fn = tool["function"]
        params, own = _hoist_defs(fn.get("parameters") or {"type": "object"}, f"t{i}-")
        defs.update(own)
        variants.append({"type": "object", "properties": {"name": {"const": fn["name"]}, "arguments": params},
                         "required": ["name", "arguments"], "additionalProperties": False})
    schema: dict[str, Any] = variants[0] if len(variants) == 1 else {"anyOf": variants}
    if defs:
        schema = {**schema, "$defs": defs}
    rules = schema_rules(schema)
    start = fresh_rule(rules)
    return Grammar(f'{start} ::= "\\n"? "{OPEN}\\n" root "\\n{CLOSE}"\n{rules}', root=start, kind="tool_call",
                   name=name or "")


def _hoist_defs(schema: dict[str, Any], prefix: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A tool's parameter schema with its ``$defs`` taken out and renamed (``#/$defs/X`` refers to the
    parameters, which sit deeper once wrapped in a call), and those definitions."""
    defs = {**(schema.get("definitions") or {}), **(schema.get("$defs") or {})}
    if not defs:
        return schema, {}

    def rename(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rename(v) for k, v in node.items() if k not in ("$defs", "definitions")}
            ref = node.get("$ref")
            if isinstance(ref, str):
                for base in ("#/$defs/", "#/definitions/"):
                    if ref.startswith(base):
                        out["$ref"] = "#/$defs/" + prefix + ref[len(base):]
            return out
        if isinstance(node, list):
            return [rename(v) for v in node]
        return node

    return rename(schema), {prefix + k: rename(v) for k, v in defs.items()}


# ---------------------------------------------------------------------------------------------------
# Parsing the reply


@dataclass
class ToolEvent:
    kind: str  # "text" | "call"
    text: str = ""
    call: ToolCall | None = None


def parse_call(body: str) -> ToolCall | None:
    """``{"name": ..., "arguments": {...}}`` (or ``"parameters"``, as some models write) as a call."""
    try:
        obj = json.loads(body.strip())
    except ValueError:
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("name"), str):
        return None
    args = obj.get("arguments", obj.get("parameters", {}))
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return None
    if not isinstance(args, dict):
        return None
    return ToolCall(new_call_id(), obj["name"], json.dumps(args, ensure_ascii=False))


class ToolCallParser:
    """Splits an answer stream into text and tool calls. Text that may be the start of ``<tool_call>`` is
    held back until it is known; a call is given whole when its ``</tool_call>`` arrives (or at the end, if
    the reply stopped inside it and what came is a complete call). A block that is not a valid call stays
    text, as the model wrote it."""

    def __init__(self) -> None:
        self._buf = ""
        self._inside = False
        self.calls: list[ToolCall] = []
        self._pending_space = ""  # whitespace after a call: dropped if only calls follow

    def feed(self, text: str) -> list[ToolEvent]:
        self._buf += text
        out: list[ToolEvent] = []
        while True:
            if self._inside:
                end = self._buf.find(CLOSE)
                if end < 0:
                    return out
                body, self._buf = self._buf[:end], self._buf[end + len(CLOSE):]
                self._inside = False
                self._emit_call(body, out)
                continue
            start = self._buf.find(OPEN)
            if start >= 0:
                self._text(self._buf[:start], out)
                self._buf = self._buf[start + len(OPEN):]
                self._inside = True
                continue
            keep = _partial_suffix(self._buf, OPEN)
            self._text(self._buf[: len(self._buf) - keep], out)
            self._buf = self._buf[len(self._buf) - keep:]
            return out

    def finish(self) -> list[ToolEvent]:
        out: list[ToolEvent] = []
        if self._inside:
            call = parse_call(self._buf)
            if call is not None:
                self.calls.append(call)
                out.append(ToolEvent("call", call=call))
            else:
                self._text(OPEN + self._buf, out)
        else:
            self._text(self._buf, out)
        self._buf, self._inside = "", False
        if self._pending_space and not self.calls:
            out.append(ToolEvent("text", self._pending_space))
        self._pending_space = ""
        return out

    def _emit_call(self, body: str, out: list[ToolEvent]) -> None:
        call = parse_call(body)
        if call is None:
            self._text(OPEN + body + CLOSE, out)
            return
        self._pending_space = ""
        self.calls.append(call)
        out.append(ToolEvent("call", call=call))

    def _text(self, text: str, out: list[ToolEvent]) -> None:
        if not text:
            return
        if not text.strip() and self.calls:  # the newline between two calls is not content
            self._pending_space += text
            return
        text, self._pending_space = self._pending_space + text, ""
        if out and out[-1].kind == "text":
            out[-1].text += text
        else:
            out.append(ToolEvent("text", text))


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is a start of ``tag``."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:n]):
            return n
    return 0


def split_tool_calls(answer: str) -> tuple[str, list[ToolCall]]:
    """A whole answer: its text (without the calls) and its calls."""
    parser = ToolCallParser()
    events = parser.feed(answer) + parser.finish()
    return "".join(e.text for e in events if e.kind == "text"), parser.calls
