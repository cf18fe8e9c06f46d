from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from assistant.core.chat.postprocess import (
    ReasoningSplitter,
    extract_boxed,
    final_boxed,
    majority_vote,
    normalise_answer,
    split_reasoning,
    trim,
    vote_key,
)

PIECES = ["<think>", "</think>", "<", "</", "think", ">", "\n", "\n\n", " ", "  ", "a", "答", "案", "🍁",
          "\\boxed{54}", "x", "<th", "ink>", "</thi", "\t"]
reply = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def stream(text: str, cuts: list[int], starts: bool):
    splitter = ReasoningSplitter(starts_in_reasoning=starts)
    reasoning, answer = [], []
    points = sorted({c % (len(text) + 1) for c in cuts} | {0, len(text)})
    for a, b in itertools.pairwise(points):
        d = splitter.feed(text[a:b])
        reasoning.append(d.reasoning)
        answer.append(d.answer)
    d = splitter.finish()
    reasoning.append(d.reasoning)
    answer.append(d.answer)
    return "".join(reasoning), "".join(answer), splitter


@settings(max_examples=1500, deadline=None)
@given(reply, st.lists(st.integers(min_value=0, max_value=10_000), max_size=12), st.booleans())
@example("\n\n</think>\n\nThe answer", [3, 9], True)
@example("<think>\nhmm</think>\n\n  indented", [1, 2, 3, 4, 5], False)
def test_any_chunking_gives_the_whole_reply_split(text, cuts, starts):
    whole = split_reasoning(text, starts)
    reasoning, answer, splitter = stream(text, cuts, starts)
    assert (reasoning, answer) == (whole.reasoning, whole.answer)
    assert splitter.result().closed == whole.closed
    assert (splitter.reasoning, splitter.answer) == (reasoning, answer)


@settings(max_examples=300, deadline=None)
@given(reply, st.booleans())
def test_character_by_character_streaming(text, starts):
    assert stream(text, list(range(len(text))), starts)[:2] == tuple(split_reasoning(text, starts).__dict__[k]
                                                                    for k in ("reasoning", "answer"))


@pytest.mark.parametrize(("text", "starts", "reasoning", "answer"), [
    ("<think>\nLet me add.\n</think>\n\nThe sum is 4.", False, "Let me add.", "The sum is 4."),
    # R1: the template opened <think>, so the reply has only the closing tag.
    ("Okay, 2+2 is 4.\n</think>\n\n**4**", True, "Okay, 2+2 is 4.", "**4**"),
    # No tags at all from a non-reasoning model.
    ("\n\nJust an answer.\n", False, "", "Just an answer."),
    # R1 reply cut off before it finished thinking: all reasoning, no answer yet.
    ("Still thinking about", True, "Still thinking about", ""),
    # Leading blank lines trimmed, indentation of the first line kept (code blocks).
    ("</think>\n\n\n    code()\n", True, "", "    code()"),
    ("   \n\t\n", False, "", ""),
])
def test_known_shapes(text, starts, reasoning, answer):
    s = split_reasoning(text, starts)
    assert (s.reasoning, s.answer) == (reasoning, answer)
    assert stream(text, [1, 5, 9, 14], starts)[:2] == (reasoning, answer)


def test_sample_output_from_the_article():
    import json

    from tests.conftest import LOCAL_FIXTURES

    seed = json.loads((LOCAL_FIXTURES / "seed-cases.json").read_text(encoding="utf-8"))
    sample = seed["sample_outputs"][0]["text"]
    split = split_reasoning(sample, starts_in_reasoning=False)
    assert not split.answer.startswith("\n")
    assert final_boxed(split.answer) == "54"


def test_feed_reasoning_for_backends_that_separate_it():
    s = ReasoningSplitter(starts_in_reasoning=False)
    assert s.feed_reasoning("\n\nthinking").reasoning == "thinking"
    assert s.feed("\n\nanswer").answer == "answer"
    assert (s.reasoning, s.answer) == ("thinking", "answer")
    assert s.closed  # the thinking ended when the answer began


def test_trim():
    assert trim("\n\n  x \n\n") == "  x"
    assert trim("") == ""
    assert trim("a\n\nb") == "a\n\nb"


# ---------------------------------------------------------------- \boxed{}

@pytest.mark.parametrize(("text", "boxes"), [
    ("The answer is \\boxed{54}.", ["54"]),
    ("\\boxed{\\frac{1}{2}}", ["\\frac{1}{2}"]),
    ("first \\boxed{1} then \\boxed{ {a}+{b} }", ["1", "{a}+{b}"]),
    ("no box here", []),
    ("broken \\boxed{1 + {2}", []),
    ("\\boxed {x^{2}} and \\fbox{3}", ["x^{2}", "3"]),
    ("escaped \\boxed{\\{1,2\\}}", ["\\{1,2\\}"]),
    ("unbalanced first \\boxed{ then \\boxed{7}", ["7"]),
    ("So the area is \\boxed 54.", ["54"]), ("$\\boxed54$ cm", ["54"]), ("\\boxed -3, then \\boxed{4}", ["-3", "4"]),
    ("prose: \\boxed to the answer, \\boxedx", []),
])
def test_extract_boxed(text, boxes):
    assert extract_boxed(text) == boxes


balanced = st.recursive(
    st.text(alphabet=st.sampled_from(list("abc123+-=^ 中")), max_size=6),
    lambda inner: st.lists(inner, min_size=1, max_size=3).map(lambda xs: "{" + "".join(xs) + "}"),
    max_leaves=8,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(balanced, min_size=1, max_size=3), st.text(alphabet="xyz ,.", max_size=8))
def test_boxed_round_trip(contents, filler):
    text = filler.join(f"\\boxed{{{c}}}" for c in contents)
    assert extract_boxed(text) == [c.strip() for c in contents]
    assert final_boxed(text) == contents[-1].strip()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_boxed_never_crashes_and_finds_only_boxes(text):
    assume("\\boxed" not in text and "\\fbox" not in text)
    assert extract_boxed(text) == []


# ---------------------------------------------------------------- voting

@pytest.mark.parametrize(("a", "b"), [
    ("54", "54.0"), ("$54$", "54"), ("54 cm²", "54"), ("\\frac{1}{2}", "0.5"), ("1,000", "1000"),
    ("x = 6", "6"), ("\\text{54}", "54"), ("54。", "54"), ("\\dfrac{3}{4}", "3/4"),
])
def test_normalise_equivalent_answers(a, b):
    assert normalise_answer(a) == normalise_answer(b)


@pytest.mark.parametrize(("a", "b"), [
    ("\\frac{5}{2}", "2.5"), ("2\\frac12", "5/2"), ("2^{10}", "1024"), ("1{,}000", "1000"), ("\\sqrt{8}", "2\\sqrt{2}"),
    ("1.5\\times10^{3}", "1500"), ("54平方厘米", "x = 54"),
])
def test_normalise_compares_values_as_mathematics(a, b):
    assert normalise_answer(a) == normalise_answer(b)


def test_vote_counts_equal_values_as_one_answer():
    vote = majority_vote(["3", "\\frac{5}{2}", "2.5", "2\\frac{1}{2}", "21/2"])
    assert vote.winner == "\\frac{5}{2}" and vote.votes == 3 and vote.counts == {"3": 1, "5/2": 3, "21/2": 1}


def test_normalise_keeps_different_answers_apart():
    assert normalise_answer("54") != normalise_answer("45")
    assert normalise_answer("x+1") != normalise_answer("x-1")


def test_majority_vote():
    vote = majority_vote(["54", "\\frac{108}{2}", "45", None, "54.0"])
    assert vote.winner == "54" and vote.winner_index == 0
    assert vote.votes == 3 and vote.total == 5
    assert vote.counts == {"54": 3, "45": 1} and not vote.decided_early  # facts: the front ends word them
    tie = majority_vote(["7", "8"])
    assert tie.winner == "7"
    assert majority_vote([None, ""]).winner is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1", "2", "3", "1.0", None]), min_size=1, max_size=9))
def test_vote_winner_has_the_most_votes(answers):
    vote = majority_vote(answers)
    if vote.winner is None:
        assert all(a is None for a in answers)
        return
    key = normalise_answer(vote.winner)
    assert vote.counts[key] == max(vote.counts.values())
    assert sum(vote.counts.values()) == sum(a is not None for a in answers)


def test_vote_key_prefers_boxed():
    assert vote_key("So it is \\boxed{54}.") == "54"
    assert vote_key("  plain ") == "plain"
    assert vote_key("") is None
