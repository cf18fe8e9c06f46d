"""Chat templates by what they do: the Qwen3 template's Python twin, the thinking switch, and reading a
model's reasoning style from its own template (so a renamed or fine-tuned file behaves right).

Reasoning styles a template can have, and what the app needs to know of each:

* the prompt opens the reasoning (DeepSeek-R1 distills, QwQ, Qwen3-Thinking-2507): the generation prompt
  ends with ``<think>\\n``, so the reply starts inside it and usually has ``</think>`` without an opening tag;
* the model opens it itself and the template has a switch (Qwen3): ``enable_thinking=False`` makes the
  generation prompt end with an empty ``<think>\\n\\n</think>\\n\\n``, and ``/think`` / ``/no_think`` written
  in a message are soft switches the model was trained to follow (the latest one wins);
* no reasoning at all (ChatML, Llama 3).

:func:`template_traits` finds out which, by rendering the template itself (jinja2, sandboxed) on a probe
conversation: what the generation prompt ends with, whether ``enable_thinking=False`` changes it, whether
tools appear in it. Names are not consulted, so a renamed or fine-tuned file gets its template's behaviour.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.core.chat.messages import MessageLike
from assistant.core.chat.messages import get_field as _get

log = logging.getLogger(__name__)

IM_START, IM_END = "<|im_start|>", "<|im_end|>"
EMPTY_THINK = "<think>\n\n</think>\n\n"  # what Qwen3's template writes when thinking is off
OPEN_THINK = "<think>\n"

# ---------------------------------------------------------------------------------------------------
# Soft switches

# "/think" and "/no_think" as Qwen3 documents them: written in a user (or system) message, anywhere, as a
# word of their own (not part of a path such as "/usr/think" or a word such as "/thinking").
_SOFT_SWITCH = re.compile(r"(?<![\w/])/(no_think|think)(?![\w/])")


def soft_switch(text: str) -> bool | None:
    """The last soft switch written in ``text``: True for ``/think``, False for ``/no_think``, None if none."""
    found = None
    for m in _SOFT_SWITCH.finditer(text or ""):
        found = m.group(1) == "think"
    return found


def resolve_thinking(option: bool | None, messages: Sequence[MessageLike], default: bool) -> bool:
    """Whether a reply to ``messages`` (the last one being the new message) should reason.

    The newest instruction wins, as Qwen3 was trained: a soft switch in the new message beats the option
    the user set for this message or conversation; the option beats switches in older messages; those beat
    the model's default."""
    users = [str(_get(m, "content") or "") for m in messages if _get(m, "role") in ("user", "system")]
    if users:
        own = soft_switch(users[-1])
        if own is not None:
            return own
    if option is not None:
        return option
    for text in reversed(users[:-1]):
        earlier = soft_switch(text)
        if earlier is not None:
            return earlier
    return default


# ---------------------------------------------------------------------------------------------------
# Qwen3


def _split_reasoning(content: str) -> tuple[str, str]:
    """(reasoning, answer) of an assistant message written with its reasoning, as the template splits it."""
    if "</think>" not in content:
        return "", content
    answer = content.split("</think>")[-1].lstrip("\n")
    reasoning = content.split("</think>")[0].rstrip("\n").split("<think>")[-1].lstrip("\n")
    return reasoning, answer


def _tool_call_text(call: Any) -> str:
    fn = call.get("function") or call if isinstance(call, dict) else call
    args = fn.get("arguments")
    args = args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)
    return '<tool_call>\n{"name": "' + str(fn.get("name")) + '", "arguments": ' + args + "}\n</tool_call>"


def render_qwen3(messages: Sequence[MessageLike], add_generation_prompt: bool = True,
                 default_system: str | None = None, enable_thinking: bool | None = None, *,
                 open_think: bool = False) -> str:
    """Python twin of Qwen3's chat template (tests/fixtures/qwen3.chat_template.jinja, checked by property
    tests) for conversations without a ``tools`` list (a request with tools is rendered by the template
    itself). Past replies go back without their reasoning; replies after the last user query (a tool-call
    loop) keep it. ``open_think``: the generation prompt opens the reasoning (Qwen3-Thinking-2507, QwQ)."""
    msgs = list(messages)
    out: list[str] = []
    if msgs and _get(msgs[0], "role") == "system":
        out.append(f"{IM_START}system\n{_get(msgs[0], 'content')}{IM_END}\n")
    last_query = len(msgs) - 1
    for index in range(len(msgs) - 1, -1, -1):
        content = str(_get(msgs[index], "content") or "")
        if _get(msgs[index], "role") == "user" and not (
                content.startswith("<tool_response>") and content.endswith("</tool_response>")):
            last_query = index
            break
    for i, m in enumerate(msgs):
        role, content = _get(m, "role"), str(_get(m, "content") or "")
        if role == "user" or (role == "system" and i > 0):
            out.append(f"{IM_START}{role}\n{content}{IM_END}\n")
        elif role == "assistant":
            given = _get(m, "reasoning_content")
            reasoning, answer = (given, content) if given is not None else _split_reasoning(content)
            if i > last_query and (i == len(msgs) - 1 or reasoning):
                out.append(f"{IM_START}assistant\n<think>\n{reasoning.strip(chr(10))}\n</think>\n\n"
                           + answer.lstrip("\n"))
            else:
                out.append(f"{IM_START}assistant\n{answer}")
            for j, call in enumerate(_get(m, "tool_calls") or ()):
                if (j == 0 and answer) or j > 0:
                    out.append("\n")
                out.append(_tool_call_text(call))
            out.append(f"{IM_END}\n")
        elif role == "tool":
            if i == 0 or _get(msgs[i - 1], "role") != "tool":
                out.append(f"{IM_START}user")
            out.append(f"\n<tool_response>\n{content}\n</tool_response>")
            if i == len(msgs) - 1 or _get(msgs[i + 1], "role") != "tool":
                out.append(f"{IM_END}\n")
    if add_generation_prompt:
        out.append(f"{IM_START}assistant\n")
        if open_think:
            out.append(OPEN_THINK)
        elif enable_thinking is False:
            out.append(EMPTY_THINK)
    return "".join(out)


def render_qwen3_thinking(messages: Sequence[MessageLike], add_generation_prompt: bool = True,
                          default_system: str | None = None, enable_thinking: bool | None = None) -> str:
    """Qwen3's template whose generation prompt opens the reasoning (Qwen3-*-Thinking-2507): no switch."""
    return render_qwen3(messages, add_generation_prompt, default_system, open_think=True)


# ---------------------------------------------------------------------------------------------------
# Reading a template


@dataclass(frozen=True)
class TemplateTraits:
    """What a chat template does, found by rendering it (or, where it cannot be rendered, by reading it)."""

    chatml: bool = False  # <|im_start|>role ... <|im_end|>
    r1: bool = False  # DeepSeek's <｜User｜>/<｜Assistant｜>
    llama3: bool = False  # <|start_header_id|>
    opens_think: bool = False  # the generation prompt ends inside <think>
    thinking_switch: bool = False  # enable_thinking=False changes the generation prompt
    tools: bool = False  # a tools list changes the prompt (the template can present tools)
    rendered: bool = False  # the traits come from rendering, not from reading the text


_PROBE_USER = "Probe question 1+1?"
_PROBE_TOOL = {"type": "function", "function": {"name": "probe_tool", "description": "d",
                                                 "parameters": {"type": "object", "properties": {}}}}


@lru_cache(maxsize=32)
def template_traits(template: str | None) -> TemplateTraits:
    """The reasoning style, thinking switch and tool support of a chat template."""
    t = template or ""
    if not t:
        return TemplateTraits()
    base = dict(chatml=IM_START in t, r1="<｜Assistant｜>" in t or "<｜User｜>" in t,
                llama3="<|start_header_id|>" in t)
    rendered = _render_probes(t)
    if rendered is None:
        # A template jinja2 cannot render here: read it instead (good enough for the known families).
        tail = t[t.rfind("add_generation_prompt"):] if "add_generation_prompt" in t else ""
        opens = "<think>\\n'" in tail.replace("<think>\\n\\n</think>", "") or "<think>\n'" in tail
        return TemplateTraits(**base, opens_think=opens, thinking_switch="enable_thinking" in t,
                              tools="tools" in t)
    plain, off, with_tools = rendered
    return TemplateTraits(**base, opens_think=plain.rstrip(" ").endswith(("<think>\n", "<think>")),
                          thinking_switch=off != plain, tools=with_tools != plain and "probe_tool" in with_tools,
                          rendered=True)


def _render_probes(template: str) -> tuple[str, str, str] | None:
    try:
        from jinja2.sandbox import ImmutableSandboxedEnvironment
    except ImportError:  # pragma: no cover - jinja2 comes with llama-cpp-python
        return None

    def raise_exception(message: str) -> None:
        raise ValueError(message)

    try:
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.globals["raise_exception"] = raise_exception
        tmpl = env.from_string(template)
        msgs = [{"role": "user", "content": _PROBE_USER}]
        common = dict(messages=msgs, add_generation_prompt=True, bos_token="", eos_token="")
        plain = tmpl.render(**common)
        off = tmpl.render(**common, enable_thinking=False)
        with_tools = tmpl.render(**common, tools=[_PROBE_TOOL])
    except Exception as exc:  # any template error: fall back to reading it
        log.info("chat template could not be rendered (%s); reading it instead", exc)
        return None
    return plain, off, with_tools
