"""Tool calls the Hermes/Qwen way: the real Qwen2.5 template renders tools and calls, the parser splits a
streamed answer into text and calls wherever the pieces break, the forcing grammar is one call.

The template is tests/fixtures/qwen2.5-instruct.chat_template.jinja: llama.cpp's copy of Qwen/Qwen2.5-7B-Instruct's
chat template (models/templates/Qwen-Qwen2.5-7B-Instruct.jinja in the llama.cpp sources vendored by
llama-cpp-python 0.3.36), byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.core.errors import OutputFormatError
from assistant.core.structured.tools import (
    ToolCallParser,
    check_tools,
    render_template,
    split_tool_calls,
    tool_call_grammar,
)
from tests.conftest import LOCAL_FIXTURES

QWEN25 = (LOCAL_FIXTURES / "qwen2.5-instruct.chat_template.jinja").read_text(encoding="utf-8")
WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}},
                   "required": ["city"]}}}


def test_the_qwen_template_lists_tools_and_renders_calls_and_results_back() -> None:
    messages = [
        {"role": "user", "content": "Weather in 北京?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "北京"}}}]},
        {"role": "tool", "content": '{"temp": 21}', "tool_call_id": "call_1"},
    ]
    text = render_template(QWEN25, messages, tools=check_tools([WEATHER]))
    assert "<tools>\n" + json.dumps(check_tools([WEATHER])[0], ensure_ascii=False) in text
    # the call as the model writes it (tojson keeps the Chinese), the result as a tool_response user turn
    assert '<tool_call>\n{"name": "get_weather", "arguments": {"city": "北京"}}\n</tool_call><|im_end|>' in text
    assert '<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response><|im_end|>' in text
    assert text.endswith("<|im_start|>assistant\n")


def test_template_errors_become_output_format_errors() -> None:
    with pytest.raises(OutputFormatError):
        render_template("{{ raise_exception('no tools for you') }}", [{"role": "user", "content": "x"}])
    with pytest.raises(OutputFormatError):
        render_template("{{ messages[5].content }}", [{"role": "user", "content": "x"}])


def test_check_tools_refuses_bad_definitions() -> None:
    for bad in ([{"type": "retrieval"}], [{"type": "function", "function": {"name": "has space"}}],
                [WEATHER, WEATHER], [{"type": "function", "function": {"name": "f", "parameters": "x"}}]):
        with pytest.raises(OutputFormatError):
            check_tools(bad)
    assert check_tools([{"type": "function", "function": {"name": "f"}}])[0]["function"]["parameters"] == {
        "type": "object", "properties": {}}


REPLY = ('Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>\n'
         '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "C"}}\n</tool_call>')


@given(st.lists(st.integers(min_value=1, max_value=len(REPLY) - 1), max_size=12))
def test_parser_gives_the_same_calls_however_the_stream_is_cut(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    pieces = [REPLY[a:b] for a, b in zip([0, *points], [*points, len(REPLY)])]
    parser = ToolCallParser()
    events = [e for p in pieces for e in parser.feed(p)] + parser.finish()
    text = "".join(e.text for e in events if e.kind == "text")
    assert text == "Let me check.\n"
    assert [(c.name, json.loads(c.arguments)) for c in parser.calls] == [
        ("get_weather", {"city": "Paris"}), ("get_weather", {"city": "Oslo", "unit": "C"})]
    assert all(c.id.startswith("call_") for c in parser.calls) and len({c.id for c in parser.calls}) == 2


def test_parser_keeps_broken_blocks_and_lone_angle_brackets_as_text() -> None:
    assert split_tool_calls("a < b and <tool_call>not json</tool_call>") == (
        "a < b and <tool_call>not json</tool_call>", [])
    text, calls = split_tool_calls('<tool_call>\n{"name": "f", "arguments": {}}')  # cut before its close tag
    assert text == "" and [c.name for c in calls] == ["f"]


def test_forcing_grammar_is_one_call_of_the_named_function(llama_backend: Any) -> None:
    tools = check_tools([WEATHER, {"type": "function", "function": {"name": "noop"}}])
    g = tool_call_grammar(tools, "get_weather")
    assert g.kind == "tool_call" and '"<tool_call>\\n"' in g.gbnf and "get_weather" in g.gbnf and "noop" not in g.gbnf
    llama_backend.check_grammar(g)
    llama_backend.check_grammar(tool_call_grammar(tools))  # "required": either function
    with pytest.raises(OutputFormatError):
        tool_call_grammar(tools, "missing")
