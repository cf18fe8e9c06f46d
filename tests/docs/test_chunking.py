"""Chunking: sizes in the embedding model's tokens, structure kept, Chinese sentence ends, exact slices."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.docs.chunking import Chunker, split_units
from assistant.core.docs.extract import Document
from assistant.core.docs.segments import Segment
from assistant.core.docs.terms import fts_query, query_terms, terms
from tests.docs.conftest import LexicalEmbedder, write

count = LexicalEmbedder().count_tokens


def chunks_of(path: Path, size: int, overlap: int = 0) -> list:
    return list(Chunker(count, size, overlap).chunks(Document(path).segments()))


def test_chinese_and_latin_sentence_ends() -> None:
    units = split_units("第一句。第二句！第三句？Fourth one. Fifth! 3.14 stays", "paragraph")
    assert units == ["第一句。", "第二句！", "第三句？", "Fourth one. ", "Fifth! ", "3.14 stays"]
    assert split_units("a\nb\n", "code") == ["a\n", "b\n"]


def test_chunks_are_exact_slices_and_within_size(tmp_path: Path) -> None:
    text = "# 标题\n\n" + ("长城是中国古代的军事防御工程。它的总长度超过两万公里！" * 30) + "\n\n## Next\n\nShort.\n"
    path = write(tmp_path / "a.md", text)
    out = chunks_of(path, 40, 16)
    assert len(out) > 5
    for ch in out:
        assert text[ch.start:ch.end] == ch.text
        assert ch.tokens <= 40 + 2  # pieces summed: a join may add a token or two
    assert out[-1].heading == "标题 › Next" and out[0].heading == "标题"
    # consecutive passages of one section share their boundary sentences
    assert any(out[i + 1].start < out[i].end for i in range(len(out) - 2))


def test_blocks_kept_whole_when_they_fit(tmp_path: Path) -> None:
    code = "```python\n" + "\n".join(f"x{i} = {i}" for i in range(8)) + "\n```"
    md = "# T\n\nIntro words here.\n\n" + code + "\n\n- a list item\n- another one\n"
    path = write(tmp_path / "b.md", md)
    out = chunks_of(path, 30)
    assert any(code in ch.text for ch in out)  # the code block is never cut
    for ch in out:
        assert ch.text.count("```") in (0, 2)


def test_a_heading_starts_a_passage_and_pages_never_mix() -> None:
    segs = [Segment("Page one text.\n\n", 0, page=1), Segment("Page two text.\n\n", 16, page=2)]
    out = list(Chunker(count, 100).chunks(segs))
    assert [c.page for c in out] == [1, 2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["苹果很好吃。", "Apples are good. ", "\n\n", "- item\n", "## H\n\n",
                                 "```\ncode\n```\n", "长长长长长长长长长长长长长长长长长长长长", "word "]),
                min_size=1, max_size=60), st.integers(16, 64), st.integers(0, 7))
def test_any_text_chunks_into_exact_slices(tmp_path_factory: object, parts: list[str], size: int,
                                           overlap: int) -> None:
    text = "".join(parts)
    path = write(tmp_path_factory.mktemp("h") / "x.md", text)  # type: ignore[attr-defined]
    out = chunks_of(path, size, overlap)
    for ch in out:
        assert text[ch.start:ch.end] == ch.text and ch.text.strip()
    inside = [False] * len(text)
    for ch in out:
        inside[ch.start:ch.end] = [True] * (ch.end - ch.start)
    assert all(inside[i] for i, c in enumerate(text) if not c.isspace())  # nothing is lost


def test_terms_and_queries_in_both_languages() -> None:
    assert terms("长城 Wall") == ["长城", "wall"]
    assert terms("長\n城很长") == ["長城", "城很", "很长"]  # a PDF line wrap between CJK characters
    assert query_terms("长城有多长？") == ["长城", "城有", "多长"]  # 有多 is made of function characters only
    assert "the" not in query_terms("What is the port?")
    assert query_terms("the") == ["the"]  # only stop words: keep them rather than search for nothing
    assert fts_query('say "hi"') == '"say" OR "hi"'
