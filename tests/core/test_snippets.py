"""Search-result text: Markdown to plain text, the window around a match, matched spans."""

from __future__ import annotations

import time

from assistant.core.chat.history import History
from assistant.core.chat.snippets import match_spans, plain_text, snippet

REPLY = r"""<think>
The user asks about **growth**.
</think>
# Economic growth

Growth was **strong** in *2023*, see [the report](https://example.org/report) and <https://example.org>.

- `GDP` rose by 5%
> quoted line

| year | rate |
|------|------|
| 2023 | 5.2  |

```python
print("code stays")
```

The answer is \boxed{\frac{1}{2}} and $x^2$; snake_case_name, 2 * 3 * 4 and \*literal stars\*. ~~old~~
"""


def test_plain_text_removes_markdown_and_keeps_the_words() -> None:
    text = plain_text(REPLY)
    for markup in ("**", "# ", "`", "<think>", "</think>", "](", "https://example.org/report", "\\boxed",
                   "|", "---", "```", "~~", "$"):
        assert markup not in text, markup
    assert text.startswith("The user asks about growth. Economic growth Growth was strong in 2023, see the report")
    assert "GDP rose by 5%" in text and "quoted line" in text and "year rate 2023 5.2" in text
    assert 'print("code stays")' in text
    assert "The answer is 1/2 and x^2;" in text
    # Not emphasis: identifiers, arithmetic, escaped stars.
    assert "snake_case_name, 2 * 3 * 4 and *literal stars*. old" in text
    assert "\n" not in text and "  " not in text


def test_plain_text_chinese() -> None:
    assert plain_text("## 结论\n\n中国经济的**发展**速度很快。\\boxed{42}") == "结论 中国经济的发展速度很快。42"


def test_match_spans_are_case_insensitive_and_merged() -> None:
    assert match_spans("Python, PYTHON and python", ["python"]) == [(0, 6), (8, 14), (19, 25)]
    assert match_spans("经济的发展", ["发展", "经济"]) == [(0, 2), (3, 5)]
    assert match_spans("abcd", ["abc", "bcd"]) == [(0, 4)]  # overlapping terms: one span
    assert match_spans("a.b", ["."]) == [(1, 2)]  # terms are literal, not patterns
    assert match_spans("text", []) == [] and match_spans("text", [""]) == []


def test_snippet_is_cut_around_the_first_match_on_a_word() -> None:
    long = " ".join(f"word{i}" for i in range(60)) + " **needle** " + " ".join(f"tail{i}" for i in range(60))
    s = snippet(long, ["NEEDLE"], width=60)
    assert s.startswith("…word") and s.endswith("…") and "needle" in s and "**" not in s
    assert len(s) <= 62
    assert snippet("short **bold** text", ["bold"]) == "short bold text"
    assert snippet("x" * 100, ["missing"], width=20) == "x" * 20 + "…"


def test_search_returns_one_markdown_free_hit_per_conversation() -> None:
    h = History()
    try:
        many = h.create_conversation("Notes")
        h.add_message(many.id, "user", "Tell me about **Python** lists")
        best = h.add_message(many.id, "assistant", "# Python\n\nUse `list.reverse()` in **Python**.")
        h.add_message(many.id, "user", "unrelated")
        time.sleep(0.01)
        other = h.create_conversation("Other")
        h.add_message(other.id, "assistant", "answer", reasoning="python in the reasoning only")
        h.add_message(other.id, "assistant", "Python in the answer")
        hits = h.search("python")
        assert [(x.conversation_id, x.matches) for x in hits] == [(other.id, 2), (many.id, 2)]
        assert hits[0].snippet == "Python in the answer"  # the answer beats the reasoning
        assert hits[1].message_id == best and hits[1].snippet == "Python Use list.reverse() in Python."
        title_only = h.create_conversation("Python trip")
        h.add_message(title_only.id, "user", "hello")
        first = h.search("python")[0]
        assert (first.conversation_id, first.message_id, first.snippet, first.matches) == (title_only.id, None, "", 0)
        # Many matching messages in one conversation do not push the others out of the limit.
        for i in range(5):
            h.add_message(many.id, "user", f"python {i}")
        assert {x.conversation_id for x in h.search("python", limit=3)} == {many.id, other.id, title_only.id}
    finally:
        h.close()
