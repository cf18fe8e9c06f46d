"""The shared prompt layer: chat templates per model family and the practices known to work.

Every front end (CLI, GUI, local API, vLLM/OpenAI backends) shapes messages here, so an R1 model gets
the same treatment whichever way it is reached:

* no system role for R1 models: a system prompt is folded into the first user turn;
* role presets ("You are a senior Python engineer...") are written into the first user turn;
* maths mode appends the step-by-step + ``\\boxed{}`` directive in the language of the question;
* sampling defaults temperature 0.6, top_p 0.95.

Templates are rendered in Python rather than through jinja: it is fast, has no dependency, and the
R1 renderer is checked against the reference jinja template by property tests.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.messages import Message, MessageLike, as_messages
from assistant.core.chat.messages import get_field as _get
from assistant.core.chat.templates import render_qwen3, render_qwen3_thinking, resolve_thinking, template_traits
from assistant.core.settings import Sampling

# ---------------------------------------------------------------------------------------------------
# Directives and presets

MATHS_DIRECTIVE = {
    "zh": "请逐步推理，并将最终答案放在\\boxed{}内。",
    "en": "Please reason step by step, and put your final answer within \\boxed{}.",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def question_language(text: str) -> str:
    """"zh" when the text has Chinese characters, else "en"."""
    return "zh" if has_cjk(text) else "en"


_MATHS_WORDS = re.compile(
    r"(\bsolve\b|\bcalculate\b|\bcompute\b|\bequation\b|\bintegral\b|\bderivative\b|\bprobability\b|"
    r"\bhow many\b|\bhow much\b|\bwhat is \d|\barea\b|\bperimeter\b|\bprove\b|\bsum of\b|"
    r"求|计算|方程|面积|周长|概率|多少|证明|积分|导数|解得|几何|函数)",
    re.IGNORECASE,
)
_ARITHMETIC = re.compile(r"\d\s*[-+*/×÷^=]\s*\d|\d+\s*(%|厘米|米|cm|km|kg)")


def is_maths_question(text: str) -> bool:
    """Heuristic for maths mode "auto": maths words or arithmetic with numbers."""
    if "\\boxed" in text:
        return False  # the user already wrote the directive
    digits = sum(ch.isdigit() for ch in text)
    return bool(_ARITHMETIC.search(text)) or (bool(_MATHS_WORDS.search(text)) and digits > 0)


def maths_directive(question: str) -> str:
    return MATHS_DIRECTIVE[question_language(question)]


@dataclass(frozen=True)
class Preset:
    id: str
    name: dict[str, str]
    prefix: dict[str, str]

    def text_for(self, question: str) -> str:
        return self.prefix[question_language(question)]


PRESETS: dict[str, Preset] = {
    p.id: p
    for p in (
        Preset(
            "python-engineer",
            {"en": "Senior Python engineer", "zh": "资深 Python 工程师"},
            {"en": "You are a senior Python engineer. Write concise, correct, well-commented code.",
             "zh": "你是一位资深Python工程师，请给出简洁、正确并带有注释的代码。"},
        ),
        Preset(
            "classical-chinese-scholar",
            {"en": "Scholar of classical Chinese literature", "zh": "中国古代文学学者"},
            {"en": "You are a scholar of classical Chinese literature. Answer in an academic tone.",
             "zh": "你是一位精通中国古代文学的学者，请用学术语气回答。"},
        ),
        Preset(
            "maths-tutor",
            {"en": "Patient maths tutor", "zh": "耐心的数学老师"},
            {"en": "You are a patient maths tutor. Explain each step clearly.",
             "zh": "你是一位耐心的数学老师，请清楚地解释每一步。"},
        ),
        Preset(
            "translator",
            {"en": "Chinese–English translator", "zh": "中英翻译"},
            {"en": "You are a professional Chinese–English translator. Translate faithfully and fluently.",
             "zh": "你是一位专业的中英翻译，请忠实、流畅地翻译。"},
        ),
        Preset(
            "concise",
            {"en": "Concise answers", "zh": "简洁回答"},
            {"en": "Answer briefly and directly.", "zh": "请简洁、直接地回答。"},
        ),
    )
}


# ---------------------------------------------------------------------------------------------------
# Families


@dataclass(frozen=True)
class Family:
    name: str
    # False: the model should not get a system message; it is folded into the first user turn.
    system_role: bool
    # True: the generation prompt opens a <think> block, so the reply starts inside the reasoning.
    starts_in_reasoning: bool
    # (messages, add_generation_prompt, default_system[, enable_thinking]) -> the prompt text
    renderer: Callable[..., str]
    stop: tuple[str, ...] = ()
    temperature: float = 0.7
    top_p: float = 0.95
    extra: dict[str, Any] = field(default_factory=dict)
    top_k: int = 0  # the publisher's recommended top_k (0: none; the user's setting stands)
    # The model reasons by default in <think> tags it opens itself (Qwen3), not because the prompt opens them.
    thinks: bool = False
    # The template has a thinking switch (Qwen3's enable_thinking, and /think, /no_think in messages).
    thinking_switch: bool = False
    # The template can present a tools list and render tool calls (the API's tools go through it).
    tools: bool = False
    # Recommended (temperature, top_p, top_k) for a reply without reasoning, when they differ.
    no_think_sampling: tuple[float, float, int] | None = None
    # This reply's switch (see with_thinking): None is the model's default.
    thinking: bool | None = None

    def render(
        self,
        messages: Sequence[MessageLike],
        add_generation_prompt: bool = True,
        default_system: str | None = None,
    ) -> str:
        if self.thinking_switch and self.thinking is not None:
            return self.renderer(messages, add_generation_prompt, default_system, self.thinking)
        return self.renderer(messages, add_generation_prompt, default_system)

    def render_prefix(self, messages: Sequence[MessageLike], default_system: str | None = None) -> str:
        """The conversation so far as the *next* prompt will start: rendered with a new user message after
        it and cut where that message begins. Not the same as rendering it without a generation prompt for
        templates that show the last reply differently while it is last (Qwen3 gives it an empty think
        block then, and drops it once a question follows)."""
        probe = "\x00next-message\x00"
        text = self.render([*messages, {"role": "user", "content": probe}], False, default_system)
        cut = text.rfind(probe)
        return text[:cut] if cut >= 0 else self.render(messages, False, default_system)

    @property
    def reasoning_model(self) -> bool:
        """Replies reason first: the prompt opens the reasoning, or the model does and it is not switched off."""
        return self.starts_in_reasoning or (self.thinks and self.thinking is not False)

    def with_thinking(self, option: bool | None, messages: Sequence[MessageLike] = ()) -> Family:
        """This family for one reply to ``messages`` with the switch resolved (the user's option, the soft
        switches in the messages, the model's default: :func:`resolve_thinking`). Unchanged without a switch."""
        if not self.thinking_switch:
            return self
        return dataclasses.replace(self, thinking=resolve_thinking(option, messages, self.thinks))

    def recommended_sampling(self) -> dict[str, float]:
        """The publisher's sampling for this reply: the thinking values, or the no-thinking ones when off."""
        if self.thinking is False and self.no_think_sampling is not None:
            t, p, k = self.no_think_sampling
            return {"temperature": t, "top_p": p, "top_k": k}
        values: dict[str, float] = {"temperature": self.temperature, "top_p": self.top_p}
        if self.top_k:
            values["top_k"] = self.top_k
        return values


R1_BOS = "<｜begin▁of▁sentence｜>"
R1_EOS = "<｜end▁of▁sentence｜>"


def render_deepseek_r1(
    messages: Sequence[MessageLike], add_generation_prompt: bool = True, default_system: str | None = None
) -> str:
    """Python twin of fixtures/deepseek-r1-distill-qwen.chat_template.jinja (checked by tests)."""
    is_first = False
    is_tool = False
    is_output_first = True
    system_prompt = ""
    for m in messages:
        if _get(m, "role") == "system":
            system_prompt = _get(m, "content") or ""
    out = [R1_BOS, system_prompt]
    for m in messages:
        role = _get(m, "role")
        content = _get(m, "content")
        if role == "user":
            is_tool = False
            out.append("<｜User｜>" + content)
        tool_calls = _get(m, "tool_calls") if role == "assistant" else None
        if role == "assistant" and tool_calls:
            is_tool = False
            for tool in tool_calls:
                call = (
                    tool["type"] + "<｜tool▁sep｜>" + tool["function"]["name"] + "\n```json\n"
                    + tool["function"]["arguments"] + "\n```<｜tool▁call▁end｜>"
                )
                if not is_first:
                    out.append("<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>" + call)
                    is_first = True
                else:
                    out.append("\n<｜tool▁call▁begin｜>" + call)
            out.append("<｜tool▁calls▁end｜>" + R1_EOS)
        if role == "assistant" and content is not None:
            if is_tool:
                out.append("<｜tool▁outputs▁end｜>" + content + R1_EOS)
                is_tool = False
            else:
                if "</think>" in content:
                    content = content.split("</think>")[-1]
                out.append("<｜Assistant｜>" + content + R1_EOS)
        if role == "tool":
            is_tool = True
            if is_output_first:
                out.append("<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>" + content + "<｜tool▁output▁end｜>")
                is_output_first = False
            else:
                out.append("\n<｜tool▁output▁begin｜>" + content + "<｜tool▁output▁end｜>")
    if is_tool:
        out.append("<｜tool▁outputs▁end｜>")
    if add_generation_prompt and not is_tool:
        out.append("<｜Assistant｜><think>\n")
    return "".join(out)


def _strip_reasoning(content: str) -> str:
    # Past replies go back to the model without their reasoning, as the R1 template does.
    return content.split("</think>")[-1].lstrip("\n") if "</think>" in content else content


def render_chatml(
    messages: Sequence[MessageLike], add_generation_prompt: bool = True, default_system: str | None = None
) -> str:
    """ChatML (SmolLM2, Qwen2.5): a default system message when the conversation has none."""
    out = []
    msgs = list(messages)
    if default_system and (not msgs or _get(msgs[0], "role") != "system"):
        out.append(f"<|im_start|>system\n{default_system}<|im_end|>\n")
    for m in msgs:
        role, content = _get(m, "role"), _get(m, "content") or ""
        if role == "assistant":
            content = _strip_reasoning(content)
        out.append(f"<|im_start|>{role}\n{content}<|im_end|>\n")
    if add_generation_prompt:
        out.append("<|im_start|>assistant\n")
    return "".join(out)


def render_llama3(
    messages: Sequence[MessageLike], add_generation_prompt: bool = True, default_system: str | None = None
) -> str:
    out = ["<|begin_of_text|>"]
    msgs = list(messages)
    if default_system and (not msgs or _get(msgs[0], "role") != "system"):
        out.append(f"<|start_header_id|>system<|end_header_id|>\n\n{default_system}<|eot_id|>")
    for m in msgs:
        role, content = _get(m, "role"), _get(m, "content") or ""
        if role == "assistant":
            content = _strip_reasoning(content)
        out.append(f"<|start_header_id|>{role}<|end_header_id|>\n\n{content.strip()}<|eot_id|>")
    if add_generation_prompt:
        out.append("<|start_header_id|>assistant<|end_header_id|>\n\n")
    return "".join(out)


def _render_plain(
    messages: Sequence[MessageLike], add_generation_prompt: bool = True, default_system: str | None = None
) -> str:
    out = []
    for m in messages:
        out.append(f"{str(_get(m, 'role')).capitalize()}: {_get(m, 'content') or ''}\n")
    if add_generation_prompt:
        out.append("Assistant:")
    return "".join(out)


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("deepseek-r1", system_role=False, starts_in_reasoning=True, renderer=render_deepseek_r1,
               stop=(R1_EOS,), temperature=0.6, top_p=0.95),
        Family("chatml", system_role=True, starts_in_reasoning=False, renderer=render_chatml,
               stop=("<|im_end|>",), temperature=0.6, top_p=0.95),
        Family("llama3", system_role=True, starts_in_reasoning=False, renderer=render_llama3,
               stop=("<|eot_id|>",), temperature=0.6, top_p=0.95),
        Family("plain", system_role=True, starts_in_reasoning=False, renderer=_render_plain,
               stop=("\nUser:",), temperature=0.6, top_p=0.95),
        # Qwen3 (hybrid): thinks by default in tags it opens itself; enable_thinking and /think, /no_think
        # switch it. Sampling as Qwen recommends: thinking 0.6 / 0.95 / top_k 20 / min_p 0 (never greedy),
        # no thinking 0.7 / 0.8 / top_k 20 / min_p 0.
        Family("qwen3", system_role=True, starts_in_reasoning=False, renderer=render_qwen3,
               stop=("<|im_end|>",), temperature=0.6, top_p=0.95, top_k=20, thinks=True,
               thinking_switch=True, tools=True, no_think_sampling=(0.7, 0.8, 20)),
        # Qwen3's template with a generation prompt that opens the reasoning (Qwen3-*-Thinking-2507): no switch.
        Family("qwen3-thinking", system_role=True, starts_in_reasoning=True, renderer=render_qwen3_thinking,
               stop=("<|im_end|>",), temperature=0.6, top_p=0.95, top_k=20, tools=True),
    )
}


def get_family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown template family {name!r}; known: {', '.join(FAMILIES)}") from None


def detect_family(chat_template: str | None, architecture: str = "", model_name: str = "") -> str:
    """The family of a model from its own chat template (GGUF metadata) — its markers, whether its
    generation prompt opens the reasoning, whether it has a thinking switch — so a renamed or fine-tuned
    file behaves as its template says. Names and the architecture decide only when there is no template."""
    traits = template_traits(chat_template)
    if traits.r1:
        return "deepseek-r1"
    if traits.chatml:
        if traits.thinking_switch:
            return "qwen3"
        return "qwen3-thinking" if traits.opens_think else "chatml"
    if traits.llama3:
        return "llama3"
    name = model_name.lower()
    if "deepseek" in name and "r1" in name:
        return "deepseek-r1"
    if architecture == "qwen3" or "qwen3" in name:
        return "qwen3"
    if architecture == "qwen2" or "qwen" in name or "smollm" in name:
        return "chatml"
    if "llama-3" in name or "llama3" in name:
        return "llama3"
    return "plain"


def family_for_model(name: str, chat_template: str | None) -> Family:
    """The family ``name`` as this model's own template has it: whether it presents tools is read from the
    template (a ChatML model such as Qwen2.5 may or may not), not assumed from the family."""
    family = get_family(name)
    if chat_template:
        traits = template_traits(chat_template)
        if traits.rendered and traits.tools != family.tools:
            family = dataclasses.replace(family, tools=traits.tools)
    return family


# ---------------------------------------------------------------------------------------------------
# Shaping


@dataclass
class PromptOptions:
    """What the user chose for this turn. ``maths=None`` means auto-detect."""

    maths: bool | None = False
    preset: str | None = None
    system: str | None = None


@dataclass
class ShapedPrompt:
    messages: list[Message]
    maths: bool
    notes: list[str] = field(default_factory=list)


def shape_messages(
    family: Family, messages: Sequence[MessageLike], options: PromptOptions | None = None
) -> ShapedPrompt:
    """Apply the practices to a conversation; returns the messages to send (history is untouched)."""
    options = options or PromptOptions()
    msgs = as_messages(messages)
    notes: list[str] = []

    system_parts = [m.content for m in msgs if m.role == "system" and m.content.strip()]
    if options.system and options.system.strip():
        system_parts.append(options.system.strip())
    msgs = [m for m in msgs if m.role != "system"]

    last_user = max((i for i, m in enumerate(msgs) if m.role == "user"), default=None)
    question = msgs[last_user].content if last_user is not None else ""

    prefix_parts: list[str] = []
    if options.preset:
        preset = PRESETS.get(options.preset)
        if preset is None:
            raise ValueError(f"unknown preset {options.preset!r}; known: {', '.join(PRESETS)}")
        prefix_parts.append(preset.text_for(question))

    if family.system_role:
        if system_parts:
            msgs.insert(0, Message("system", "\n\n".join(system_parts)))
    else:
        prefix_parts = system_parts + prefix_parts
        if system_parts:
            notes.append("system prompt folded into the first user turn")

    first_user = next((i for i, m in enumerate(msgs) if m.role == "user"), None)
    if prefix_parts and first_user is not None:
        m = msgs[first_user]
        msgs[first_user] = Message("user", "\n\n".join([*prefix_parts, m.content]))
    last_user = max((i for i, m in enumerate(msgs) if m.role == "user"), default=None)

    maths = is_maths_question(question) if options.maths is None else bool(options.maths)
    if maths and last_user is not None:
        notes.append("maths directive appended")
    # Every maths question gets the directive, not only the last: the next turn then renders the earlier
    # ones exactly as they were sent, and the KV cache of the conversation stays valid.
    for i, m in enumerate(msgs):
        if m.role != "user":
            continue
        own = question if i == last_user else m.content
        earlier = is_maths_question(own) if options.maths is None else bool(options.maths)
        wanted = maths if i == last_user else earlier
        directive = maths_directive(own)
        if wanted and directive not in m.content:
            sep = "" if has_cjk(own) else "\n"
            msgs[i] = Message("user", m.content.rstrip() + sep + directive)
    return ShapedPrompt(msgs, maths, notes)


def default_sampling(family: Family, **overrides: Any) -> Sampling:
    """The family's recommended sampling (for its thinking state), with explicit user choices on top."""
    values: dict[str, Any] = dict(family.recommended_sampling())
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Sampling(**values)
