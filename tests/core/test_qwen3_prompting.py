"""Qwen3's template, its thinking switch and the family found by metadata (issue 27), without a model.

The real template is tests/fixtures/qwen3.chat_template.jinja: llama.cpp's copy of Qwen/Qwen3-0.6B's chat
template (models/templates/Qwen-Qwen3-0.6B.jinja in the llama.cpp vendored by llama-cpp-python 0.3.36,
fetched from the Hugging Face repository by llama.cpp's scripts/get_chat_template.py).
"""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.backends.fake import FakeBackend
from assistant.core.chat.postprocess import ReasoningSplitter, split_reasoning
from assistant.core.chat.prompting import Message, default_sampling, detect_family, get_family
from assistant.core.chat.templates import render_qwen3, resolve_thinking, soft_switch, template_traits
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.settings import Sampling, Settings
from tests.conftest import LOCAL_FIXTURES, reference_template_path

QWEN3_TEMPLATE = (LOCAL_FIXTURES / "qwen3.chat_template.jinja").read_text(encoding="utf-8")
REF = jinja2.Environment(loader=jinja2.BaseLoader()).from_string(QWEN3_TEMPLATE)
QWEN3 = get_family("qwen3")


def render_ref(messages, add_generation_prompt=True, enable_thinking=None):  # type: ignore[no-untyped-def]
    extra = {} if enable_thinking is None else {"enable_thinking": enable_thinking}
    return REF.render(messages=messages, add_generation_prompt=add_generation_prompt, **extra)


text = st.lists(st.sampled_from([*"ab 中文\n\t{}<>/", "<think>", "</think>", "\n\n", "/think", "/no_think",
                                 "<tool_response>", "</tool_response>", "\\boxed{4}", "🍁"]),
               max_size=20).map("".join)
tool_call = st.fixed_dictionaries({
    "type": st.just("function"),
    "function": st.fixed_dictionaries({"name": st.sampled_from(["f", "search"]),
                                       "arguments": st.sampled_from(['{"x": 1}', "{}"])}),
})
message = st.one_of(
    st.fixed_dictionaries({"role": st.sampled_from(["system", "user", "assistant", "tool"]), "content": text}),
    st.fixed_dictionaries({"role": st.just("assistant"), "content": text,
                           "tool_calls": st.lists(tool_call, min_size=1, max_size=2)}),
    st.fixed_dictionaries({"role": st.just("assistant"), "content": text, "reasoning_content": text}),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(message, min_size=1, max_size=7), st.booleans(), st.sampled_from([None, True, False]))
def test_qwen3_renderer_matches_the_real_template(messages, add_generation_prompt, enable_thinking) -> None:  # type: ignore[no-untyped-def]
    ours = render_qwen3(messages, add_generation_prompt, None, enable_thinking)
    assert ours == render_ref(messages, add_generation_prompt, enable_thinking)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({"role": st.sampled_from(["system", "user", "assistant"]), "content": text}),
                min_size=1, max_size=6), st.sampled_from([None, True, False]))
def test_the_family_renders_as_the_template_for_thinking_on_and_off(messages, option) -> None:  # type: ignore[no-untyped-def]
    family = QWEN3.with_thinking(option, messages)
    assert family.thinking == resolve_thinking(option, messages, True)
    assert family.render(messages) == render_ref(messages, True, family.thinking)
    # what prewarm brings the cache to is exactly the start of the next turn's prompt
    nxt = [*messages, {"role": "assistant", "content": "<think>\nr\n</think>\n\nanswer"}]
    follow = [*nxt, {"role": "user", "content": "and then?"}]
    assert render_ref(follow, True, family.thinking).startswith(QWEN3.render_prefix(nxt))


def test_thinking_off_ends_the_prompt_with_an_empty_think_block_and_history_loses_its_reasoning() -> None:
    conv = [Message("user", "1+1?"), Message("assistant", "<think>\nadd them\n</think>\n\n2"),
            Message("user", "and 2+2?")]
    off = QWEN3.with_thinking(False, conv).render(conv)
    on = QWEN3.with_thinking(None, conv).render(conv)
    assert off.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n")
    assert on.endswith("<|im_start|>assistant\n") and "add them" not in on and "add them" not in off
    assert off == render_ref([m.to_dict() for m in conv], True, False)


def test_soft_switches_latest_wins() -> None:
    assert soft_switch("explain /no_think") is False and soft_switch("/no_think ok /think") is True
    assert soft_switch("see /usr/think and /thinking") is None and soft_switch("") is None
    msgs = [Message("user", "a /no_think"), Message("assistant", "x"), Message("user", "b")]
    assert resolve_thinking(None, msgs, True) is False  # an older switch holds while nothing newer says
    assert resolve_thinking(True, msgs, True) is True  # the option set for this message is newer
    assert resolve_thinking(False, [*msgs[:2], Message("user", "b /think")], True) is True  # the message's own
    assert resolve_thinking(None, [Message("system", "/no_think"), Message("user", "q")], True) is False
    assert resolve_thinking(None, [Message("user", "q")], True) is True


def test_family_from_template_not_name() -> None:
    r1 = reference_template_path().read_text(encoding="utf-8")
    # the real templates, under misleading names
    assert detect_family(QWEN3_TEMPLATE, "llama", "DeepSeek-R1-renamed") == "qwen3"
    assert detect_family(r1, "qwen3", "Qwen3-1.7B") == "deepseek-r1"
    traits = template_traits(QWEN3_TEMPLATE)
    assert traits.rendered and traits.thinking_switch and traits.tools and not traits.opens_think
    assert template_traits(r1).opens_think and not template_traits(r1).thinking_switch
    # a Qwen3 template whose generation prompt opens the reasoning (Qwen3-*-Thinking-2507): no switch
    thinking_only = QWEN3_TEMPLATE[:QWEN3_TEMPLATE.rindex("{%- if add_generation_prompt %}")] + (
        "{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n<think>\\n' }}\n{%- endif %}")
    assert detect_family(thinking_only, "qwen3", "Qwen3-4B-Thinking-2507") == "qwen3-thinking"
    fam = get_family("qwen3-thinking")
    assert fam.starts_in_reasoning and fam.render([Message("user", "q")]).endswith("assistant\n<think>\n")
    # no template: the architecture and the name decide
    assert detect_family(None, "qwen3", "anything") == "qwen3"
    assert detect_family(None, "", "Qwen/Qwen3-8B") == "qwen3"
    assert detect_family("", "qwen2", "x") == "chatml"


def test_recommended_sampling_follows_the_switch() -> None:
    on = QWEN3.with_thinking(True)
    off = QWEN3.with_thinking(False)
    assert on.recommended_sampling() == {"temperature": 0.6, "top_p": 0.95, "top_k": 20}
    assert off.recommended_sampling() == {"temperature": 0.7, "top_p": 0.8, "top_k": 20}
    assert default_sampling(off, temperature=0.3).temperature == 0.3
    assert on.reasoning_model and not off.reasoning_model
    r1 = get_family("deepseek-r1")
    assert r1.with_thinking(False) is r1 and r1.reasoning_model


def test_turn_uses_the_recommendation_only_where_nobody_chose() -> None:
    backend = FakeBackend("Answer.", family="qwen3")
    options = TurnOptions.from_settings(Settings(), thinking=False)
    result = ChatTurn(backend, [], "Hi", options).run()
    s = backend.requests[0].sampling
    assert (s.temperature, s.top_p, s.top_k) == (0.7, 0.8, 20) and result.thinking_switch is False
    assert backend.requests[0].family.render([Message("user", "Hi")]).endswith("<think>\n\n</think>\n\n")
    custom = Settings(sampling=Sampling(temperature=0.2))
    ChatTurn(backend, [], "Hi", TurnOptions.from_settings(custom, thinking=True, top_p=0.5)).run()
    s = backend.requests[1].sampling
    assert (s.temperature, s.top_p, s.top_k) == (0.2, 0.5, 20)  # the user's and the request's values stand


@pytest.mark.parametrize(("reply", "reasoning", "answer", "end"), [
    ("<think>\nLet me add.\n</think>\n\nIt is 4.", "Let me add.", "It is 4.", "model"),
    ("<think>\n\n</think>\n\nIt is 4.", "", "It is 4.", "none"),  # an empty think block (/no_think)
    ("It is 4.", "", "It is 4.", "none"),  # no think at all (thinking off: the prompt closed it)
])
@pytest.mark.parametrize("thinking", [None, False])
def test_splitter_and_turn_handle_every_kind_of_qwen3_reply(reply, reasoning, answer, end, thinking) -> None:  # type: ignore[no-untyped-def]
    whole = split_reasoning(reply, starts_in_reasoning=False)
    assert (whole.reasoning, whole.answer) == (reasoning, answer)
    for size in (1, 2, 5):
        sp = ReasoningSplitter(starts_in_reasoning=False)
        for i in range(0, len(reply), size):
            sp.feed(reply[i:i + size])
        sp.finish()
        assert (sp.reasoning, sp.answer) == (reasoning, answer)
    result = ChatTurn(FakeBackend(reply, family="qwen3", piece_chars=2), [], "2+2?",
                      TurnOptions(sampling=Sampling(max_tokens=200), thinking=thinking)).run()
    assert (result.reasoning, result.answer) == (reasoning, answer)
    assert result.best.thinking is not None and result.best.thinking["end"] == end


def test_a_switch_on_a_model_without_one_is_said() -> None:
    result = ChatTurn(FakeBackend("x</think>Four.", family="deepseek-r1"), [], "2+2?",
                      TurnOptions(sampling=Sampling(max_tokens=50), thinking=False)).run()
    assert any("no thinking switch" in n for n in result.notices) and result.thinking_switch is None
    assert result.answer == "Four."
