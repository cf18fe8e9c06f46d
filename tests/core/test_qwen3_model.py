"""A random Qwen3-shaped GGUF carrying the real Qwen3 template, through the real engine (issue 27): the family
comes from the file's metadata (a renamed copy too), the switch changes the prompt the model sees, and the
reasoning controls (budget, answer reserve, loop breaking, parallel samples and the vote) work for it.

Random weights write noise, never a ``</think>``: a reasoning forced open goes on until the budget closes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.core.backends.fake import FakeBackend
from assistant.core.chat.prompting import Message
from assistant.core.chat.reasoning import AUTO_BUDGET, GRACE_TOKENS, WRAP_UP
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.settings import Sampling
from tests.conftest import reference_template_path
from tests.core.qwen3gen import write_qwen3

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def qwen3_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # No "qwen" in the file name or in general.name: only the architecture and the template say what it is.
    return write_qwen3(tmp_path_factory.mktemp("q3") / "my-finetune-v2.gguf", name="Totally Custom Assistant")


@pytest.fixture(scope="module")
def qwen3(qwen3_file: Path) -> Iterator[Any]:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    backend = LlamaCppBackend(qwen3_file, n_ctx=2048, n_threads=1)
    yield backend
    backend.close()


def greedy(max_tokens: int, **kw: Any) -> TurnOptions:
    return TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=max_tokens), **kw)


def test_the_family_comes_from_the_files_metadata(qwen3: Any, qwen3_file: Path, tmp_path: Path) -> None:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    assert qwen3.info.family == "qwen3" and qwen3.info.architecture == "qwen3"
    assert qwen3.family.thinking_switch and qwen3.family.tools and not qwen3.family.starts_in_reasoning
    # The same weights under another name, with R1's template: the template decides, not the name or arch.
    other = write_qwen3(tmp_path / "Qwen3-1.7B-Q8_0-copy.gguf", name="Qwen3 1.7B",
                        template=reference_template_path().read_text(encoding="utf-8"))
    r1 = LlamaCppBackend(other, n_ctx=512, n_threads=1)
    try:
        assert r1.info.family == "deepseek-r1" and r1.family.starts_in_reasoning and not r1.family.thinking_switch
    finally:
        r1.close()


def test_the_switch_changes_the_prompt_the_model_sees(qwen3: Any) -> None:
    think, close = (qwen3.tokenize_prompt(t) for t in ("<think>", "</think>"))
    assert len(think) == 1 and len(close) == 1, "the tags are single tokens, as in Qwen3's tokenizer"
    history = [Message("user", "Hi"), Message("assistant", "<think>\nsay hi\n</think>\n\nHello!")]
    prompts = {}
    for option in (None, True, False):
        turn = ChatTurn(qwen3, history, "What is 2+2?", greedy(8, thinking=option))
        result = turn.run()
        prompt = qwen3.render([*history, Message("user", "What is 2+2?")], turn.family)
        prompts[option] = prompt
        assert result.thinking_switch is (option is not False)
        assert "say hi" not in prompt, "past reasoning does not go back to the model"
        assert result.samples[0].stats.prompt_tokens == len(qwen3.tokenize_prompt(prompt))
    assert prompts[None] == prompts[True] and prompts[None].endswith("<|im_start|>assistant\n")
    assert prompts[False] == prompts[True] + "<think>\n\n</think>\n\n"
    tokens = qwen3.tokenize_prompt(prompts[False])
    assert tokens[-4] == think[0] and tokens[-2] == close[0]
    # /no_think in the message is a soft switch: the same prompt as the option
    turn = ChatTurn(qwen3, [], "What is 2+2? /no_think", greedy(4))
    turn.run()
    assert turn.family.thinking is False


def test_budget_closes_a_qwen3_reasoning_and_an_answer_follows(qwen3: Any) -> None:
    # Qwen3 opens <think> itself; forced open here, random weights never close it. Greedy, they write one word
    # over and over ("redundant redundant …"), which the loop breaker rightly ends: it is off here, so that the
    # budget is what ends the reasoning (test_loop_breaking_for_qwen3_replies tests the loops).
    turn = ChatTurn(qwen3, [], "Explain recursion.", greedy(300, thinking_budget=24, force_thinking=True,
                                                             loop_action="off"))
    events: list[tuple[str, str]] = []
    result = turn.run(lambda ev: events.append((ev.kind, ev.text)))
    thinking = result.best.thinking
    assert thinking is not None and thinking["end"] == "budget"
    assert 24 <= int(thinking["tokens"]) <= 24 + GRACE_TOKENS
    assert result.reasoning.endswith(WRAP_UP["en"].strip()) and result.answer.strip()
    assert ("thinking_end", "budget") in events
    assert result.best.raw.startswith("<think>\n") and "</think>\n\n" in result.best.raw
    # the auto budget treats Qwen3 as a reasoning model when thinking is on, not when it is off
    assert ChatTurn(qwen3, [], "q", greedy(4096)).thinking_control(4096).plan.budget == AUTO_BUDGET["general"]
    assert ChatTurn(qwen3, [], "q", greedy(4096, thinking=False)).thinking_control(4096).plan.budget is None


def test_the_answer_keeps_its_reserve(qwen3: Any) -> None:
    # the loop breaker off, as above: the reserve is what ends the reasoning
    result = ChatTurn(qwen3, [], "Why?", greedy(64, thinking_budget=0, force_thinking=True, loop_action="off")).run()
    assert result.best.thinking is not None and int(result.best.thinking["tokens"]) <= 32
    assert result.answer.strip() and result.best.stats.completion_tokens <= 64


def test_force_thinking_does_not_reopen_a_switched_off_reasoning(qwen3: Any) -> None:
    turn = ChatTurn(qwen3, [], "Hi", greedy(8, thinking=False, force_thinking=True))
    assert turn.prefill == ""
    result = turn.run()
    assert result.reasoning == "" and result.best.thinking is not None and result.best.thinking["end"] == "none"


@pytest.mark.parametrize("thinking", [False, True])
def test_parallel_samples_and_the_vote(qwen3: Any, thinking: bool) -> None:
    options = TurnOptions(sampling=Sampling(temperature=0.8, max_tokens=40, seed=5), samples=3, parallel=True,
                          thinking=thinking, thinking_budget=12, force_thinking=thinking, early_vote=False)
    result = ChatTurn(qwen3, [], "Pick a number.", options).run()
    assert len(result.samples) == 3 and result.vote is not None and result.thinking_switch is thinking
    for s in result.samples:
        assert s.answer.strip()
        assert bool(s.reasoning) is thinking
        if thinking:
            assert s.thinking is not None and s.thinking["end"] == "budget"


@pytest.mark.parametrize("action", ["answer", "resample"])
def test_loop_breaking_for_qwen3_replies(action: str) -> None:
    """As for R1 (tests/core/test_reasoning.py), but Qwen3 writes its own <think>: the continuation keeps it."""
    looped = "<think>\nStart. " + "Again the same words here. " * 20
    after = "A fresh thought.</think>\n\nDone." if action == "resample" else "The answer is 5."
    backend = FakeBackend(replies=[looped, after], family="qwen3", piece_chars=4)
    options = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=2000, seed=1), loop_action=action)
    result = ChatTurn(backend, [], "Question?", options).run()
    thinking = result.best.thinking
    assert thinking is not None and len(backend.requests) == 2
    prefill = backend.requests[1].prefill
    assert prefill.startswith("<think>\n") and prefill.count("Again the same words here.") == 1
    if action == "resample":
        assert thinking["resamples"] == 1 and thinking["end"] == "model" and result.answer == "Done."
        assert backend.requests[1].sampling.temperature >= 0.6
    else:
        assert thinking["end"] == "loop" and prefill.endswith("</think>\n\n") and result.answer == "The answer is 5."
