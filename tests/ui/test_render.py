"""Markdown rendering for the chat view (no Qt needed)."""

from __future__ import annotations

from assistant.ui.render.markdown_html import Renderer, split_blocks


def test_tables_code_and_boxed() -> None:
    r = Renderer("light")
    html = r.render("| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f():\n    return 1\n```\n\n"
                    "So the answer is \\boxed{\\frac{1}{2}}.")
    assert "<table" in html and "<td" in html and "border" in html
    assert "<pre style=\"background-color:" in html and "<span style=\"color:" in html  # highlighted inline
    assert "<code>" not in html.split("<pre")[1].split("</pre>")[0]  # no inline-code style inside blocks
    assert "\\frac{1}{2}" in html and "background-color:#fff1b8" in html  # boxed answer highlighted


def test_model_output_cannot_inject_html() -> None:
    html = Renderer().render("<img src='http://x/y.png'> <script>alert(1)</script> &amp;")
    assert "<img" not in html and "<script" not in html and "&lt;img" in html


def test_maths_keeps_its_backslashes() -> None:
    html = Renderer().render(r"Area: $\frac{a}{b}$ and \(x_1 + x_2\) and \[ \sum_i i \]")
    for piece in (r"\frac{a}{b}", r"x_1 + x_2", r"\sum_i i"):
        assert piece in html


def test_finished_blocks_are_cached_while_streaming() -> None:
    r = Renderer()
    first = "Intro paragraph.\n\n```python\nx = 1\n```\n\n"
    r.render(first + "tail")
    cached = dict(r._cache)
    r.render(first + "tail grows")
    assert all(k in r._cache for k in cached if k != "tail")  # only the last block was converted again
    assert r.render_block("Intro paragraph.") is r._cache["Intro paragraph."]


def test_split_blocks_respects_fences_and_list_continuations() -> None:
    assert split_blocks("a\n\n```\nx\n\ny\n```\n\nb") == ["a", "```\nx\n\ny\n```", "b"]
    assert split_blocks("1. one\n\n    more of one\n\n2. two") == ["1. one\n\n    more of one", "2. two"]
    assert split_blocks("") == []


def test_numbered_list_split_in_blocks_keeps_its_numbers() -> None:
    html = Renderer().render("1. one\n\n2. two\n\n3. three")
    assert 'start="2"' in html and 'start="3"' in html


def test_single_line_breaks_are_kept() -> None:
    """A poem's lines (one newline apart) stay lines; Markdown used to run them together."""
    html = Renderer().render("床前明月光，\n疑是地上霜。\nRoses are red,\nviolets are blue.")
    assert html.count("<br") == 3 and "床前明月光，<br" in html


def test_an_empty_boxed_answer_shows_no_chip() -> None:
    html = Renderer("light").render("No final answer: \\boxed{}. Next: \\boxed{ }")
    assert "background-color:#fff1b8" not in html and "\\boxed" not in html
