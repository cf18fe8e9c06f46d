from __future__ import annotations

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.chat.prompting import (
    MATHS_DIRECTIVE,
    PRESETS,
    Message,
    PromptOptions,
    default_sampling,
    detect_family,
    get_family,
    is_maths_question,
    render_deepseek_r1,
    shape_messages,
)
from tests.conftest import FIXTURES, LOCAL_FIXTURES, reference_template_path

R1 = get_family("deepseek-r1")
CHATML = get_family("chatml")


def _reference():
    env = jinja2.Environment(loader=jinja2.BaseLoader(), trim_blocks=False, lstrip_blocks=False)
    return env.from_string(reference_template_path().read_text(encoding="utf-8"))


REF = _reference()


def render_ref(messages, add_generation_prompt=True):
    return REF.render(messages=messages, add_generation_prompt=add_generation_prompt,
                      bos_token="<｜begin▁of▁sentence｜>")


text = st.lists(st.sampled_from([*"ab 中文\n\t{}<>/", "<think>", "</think>", "\\boxed{4}", "🍁"]),
               max_size=20).map("".join)
tool_call = st.fixed_dictionaries({
    "type": st.just("function"),
    "function": st.fixed_dictionaries({"name": st.sampled_from(["f", "search"]), "arguments": st.just('{"x": 1}')}),
})
message = st.one_of(
    st.fixed_dictionaries({"role": st.sampled_from(["system", "user", "assistant", "tool"]), "content": text}),
    st.fixed_dictionaries({"role": st.just("assistant"), "content": text,
                           "tool_calls": st.lists(tool_call, min_size=1, max_size=2)}),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(message, max_size=7), st.booleans())
def test_r1_renderer_matches_reference_template(messages, add_generation_prompt):
    assert render_deepseek_r1(messages, add_generation_prompt) == render_ref(messages, add_generation_prompt)


def test_r1_multi_turn_drops_past_reasoning_like_reference():
    msgs = [
        {"role": "user", "content": "1+1?"},
        {"role": "assistant", "content": "<think>\nadd them\n</think>\n\n2"},
        {"role": "user", "content": "and 2+2?"},
        {"role": "assistant", "content": "reasoning only closes</think>4"},
        {"role": "user", "content": "请再算一次"},
    ]
    ours = render_deepseek_r1(msgs)
    assert ours == render_ref(msgs)
    assert "add them" not in ours and "reasoning only" not in ours
    assert ours.endswith("<｜User｜>请再算一次<｜Assistant｜><think>\n")
    assert ours.count("<｜begin▁of▁sentence｜>") == 1


def test_local_fixture_copy_is_current():
    shared = FIXTURES / "deepseek-r1-distill-qwen.chat_template.jinja"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout (CI clone); tests use tests/fixtures")
    assert shared.read_bytes() == (LOCAL_FIXTURES / shared.name).read_bytes()


def test_system_prompt_folded_into_first_user_turn_for_r1():
    shaped = shape_messages(R1, [Message("system", "Be brief."), Message("user", "Hi"),
                                 Message("assistant", "Hello"), Message("user", "What now?")])
    roles = [m.role for m in shaped.messages]
    assert "system" not in roles
    assert shaped.messages[0].content == "Be brief.\n\nHi"
    assert shaped.messages[-1].content == "What now?"
    # ChatML models keep a real system message.
    shaped = shape_messages(CHATML, [Message("user", "Hi")], PromptOptions(system="Be brief."))
    assert shaped.messages[0] == Message("system", "Be brief.")


def test_preset_goes_into_the_user_turn_in_the_question_language():
    zh = shape_messages(R1, [Message("user", "请用简洁代码实现快速排序")], PromptOptions(preset="python-engineer"))
    assert zh.messages[0].content.startswith(PRESETS["python-engineer"].prefix["zh"])
    en = shape_messages(CHATML, [Message("user", "Implement quicksort")], PromptOptions(preset="python-engineer"))
    assert [m.role for m in en.messages] == ["user"]
    assert en.messages[0].content.startswith("You are a senior Python engineer")
    with pytest.raises(ValueError):
        shape_messages(R1, [Message("user", "x")], PromptOptions(preset="nope"))


def test_maths_directive_matches_question_language():
    zh = shape_messages(R1, [Message("user", "一个矩形的周长是30厘米，长比宽多3厘米，求它的面积。")],
                        PromptOptions(maths=True))
    assert zh.messages[-1].content.endswith(MATHS_DIRECTIVE["zh"])
    en = shape_messages(R1, [Message("user", "What is 17 * 23?")], PromptOptions(maths=True))
    assert en.messages[-1].content.endswith("\n" + MATHS_DIRECTIVE["en"])
    off = shape_messages(R1, [Message("user", "What is 17 * 23?")], PromptOptions(maths=False))
    assert MATHS_DIRECTIVE["en"] not in off.messages[-1].content
    # Earlier questions are rendered as they were sent (with the directive when maths was on), so the next
    # turn's prompt starts with exactly the tokens already in the KV cache.
    multi = shape_messages(R1, [Message("user", "2+2?"), Message("assistant", "4"), Message("user", "3+3?")],
                           PromptOptions(maths=True))
    assert multi.messages[0].content == "2+2?\n" + MATHS_DIRECTIVE["en"]
    auto = shape_messages(R1, [Message("user", "Tell me a story."), Message("assistant", "Once..."),
                               Message("user", "What is 17 * 23?")], PromptOptions(maths=None))
    assert MATHS_DIRECTIVE["en"] not in auto.messages[0].content and auto.messages[-1].content.endswith(
        MATHS_DIRECTIVE["en"])
    first = shape_messages(R1, [Message("user", "What is 17 * 23?")], PromptOptions(maths=None))
    later = shape_messages(R1, [Message("user", "What is 17 * 23?"), Message("assistant", "391"),
                                Message("user", "Thanks!")], PromptOptions(maths=None))
    assert later.messages[0] == first.messages[0], "the earlier turn is rendered exactly as it was sent"


@pytest.mark.parametrize(("question", "expected"), [
    ("一个矩形的周长是30厘米，长比宽多3厘米，求它的面积。", True),
    ("What is 17 * 23?", True),
    ("Solve x^2 - 5x + 6 = 0", True),
    ("请介绍一下你自己", False),
    ("Write a poem about autumn", False),
    ("你是一位资深Python工程师，请用简洁代码实现快速排序", False),
])
def test_auto_maths_detection_on_seed_like_prompts(question, expected):
    assert is_maths_question(question) is expected


def test_seed_cases_shape_as_the_article_recommends():
    import json

    seed = json.loads((LOCAL_FIXTURES / "seed-cases.json").read_text(encoding="utf-8"))
    assert seed["math_directive"] == MATHS_DIRECTIVE
    for case in seed["cases"]:
        shaped = shape_messages(R1, [Message("user", case["prompt"])], PromptOptions(maths=None))
        assert [m.role for m in shaped.messages] == ["user"]
        assert shaped.maths is (case["kind"] == "math"), case["id"]


def test_recommended_sampling_defaults():
    s = default_sampling(R1)
    assert (s.temperature, s.top_p) == (0.6, 0.95)
    assert default_sampling(R1, temperature=0.2, top_p=None).temperature == 0.2


def test_family_detection_from_embedded_templates():
    assert detect_family(reference_template_path().read_text()) == "deepseek-r1"
    assert detect_family("{{'<|im_start|>' + message['role']}}") == "chatml"
    assert detect_family("<|start_header_id|>") == "llama3"
    assert detect_family(None, "qwen2") == "chatml"
    assert detect_family(None, "llama", "DeepSeek-R1-Distill-Llama-8B") == "deepseek-r1"
