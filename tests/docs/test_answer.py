"""Answers with sources: the user turn with numbered passages, follow-ups, nothing found, citations, history."""

from __future__ import annotations

from pathlib import Path

from assistant.core.chat.history import History, history_messages
from assistant.core.docs.answer import cited_numbers, compose, ground, previous_sources
from assistant.core.docs.indexing import add_paths
from assistant.core.docs.library import open_collection
from assistant.core.docs.retrieval import search
from tests.docs.conftest import LexicalEmbedder, write

GUIDE = ("# Garden\n\n## Watering\n\nWater the tomatoes every morning before nine.\n\n"
         "## Soil\n\nTomatoes like soil with a pH between 6.0 and 6.8.\n\n"
         "## 病虫害\n\n番茄叶片发黄时，应检查是否缺少氮肥。\n")


def garden(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    write(tmp_path / "guide.md", GUIDE)
    with open_collection("garden", create=True) as c:
        add_paths(c, [tmp_path / "guide.md"], lexical, size=24)


def test_passages_numbered_in_the_user_turn(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    garden(tmp_path, lexical)
    g = ground("When should tomatoes be watered?", ["garden"], lexical)
    assert g.found and g.sources[0]["n"] == 1
    assert g.prompt.startswith("Answer the question using the numbered passages")
    assert "[1] guide.md — Garden › Watering\n" in g.prompt and "every morning" in g.prompt
    assert g.prompt.endswith("Question: When should tomatoes be watered?")
    s = g.sources[0]
    assert GUIDE[s["start"]:s["end"]] == s["text"]  # the viewer opens the file at exactly this range

    zh = ground("番茄叶片发黄怎么办？", ["garden"], lexical)
    assert zh.prompt.startswith("请根据下面我的文档中编号的片段回答问题")
    assert zh.prompt.endswith("问题：番茄叶片发黄怎么办？")


def test_follow_up_keeps_numbers_and_never_repeats_a_passage(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    garden(tmp_path, lexical)
    first = ground("When should tomatoes be watered?", ["garden"], lexical)
    again = ground("Tomatoes watered when, every morning?", ["garden"], lexical, previous=first.new_sources)
    assert not again.new_sources and again.found
    assert "[1]" in again.prompt and "before nine" not in again.prompt  # referred to, not written again
    other = ground("What soil pH do tomatoes like?", ["garden"], lexical, previous=first.new_sources)
    assert other.new_sources and min(s["n"] for s in other.new_sources) == max(s["n"] for s in first.sources) + 1


def test_nothing_relevant_is_said(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    garden(tmp_path, lexical)
    with open_collection("garden") as c:
        result = search([c], "Who painted the Mona Lisa?", lexical, threshold=0.99)
    g = compose("Who painted the Mona Lisa?", ["garden"], result)
    assert not g.found and g.sources == []
    assert "found no passage relevant" in g.prompt and "cite no passage" in g.prompt
    zh = compose("谁画了蒙娜丽莎？", ["garden"], result)
    assert "没有找到与这个问题相关的片段" in zh.prompt


def test_citations() -> None:
    assert cited_numbers("See [1] and [2, 3]; also 【4】 and [5-6] but not [x] or [100000]") == {1, 2, 3, 4, 5, 6}
    assert cited_numbers("no sources") == set()


def test_history_sends_the_turn_as_it_was_sent(tmp_path: Path, lexical: LexicalEmbedder) -> None:
    garden(tmp_path, lexical)
    g = ground("When should tomatoes be watered?", ["garden"], lexical)
    with History(tmp_path / "h.sqlite3") as h:
        assert "0005_conversation_documents" in h.applied_migrations()
        conv = h.create_conversation("t")
        h.set_documents(conv.id, ["garden"])
        assert h.get_conversation(conv.id).documents == ["garden"]  # type: ignore[union-attr]
        h.add_message(conv.id, "user", g.question, extra={"documents": g.record()})
        answer = "Every morning before nine [1]."
        h.add_message(conv.id, "assistant", answer, extra={"sources": g.cited(answer)})
        msgs = h.messages(conv.id)
        assert msgs[0].content == g.question  # what the user typed, shown and searched
        assert history_messages(msgs)[0] == ("user", g.prompt)  # what the model saw, sent again unchanged
        assert msgs[1].extra["sources"][0]["path"].endswith("guide.md")
        assert previous_sources(m.extra for m in msgs) == g.new_sources
        copy = h.import_json(h.export_json(conv.id))  # the choice of collections travels with the conversation
        assert h.get_conversation(copy).documents == ["garden"]  # type: ignore[union-attr]
        assert history_messages(h.messages(copy))[0] == ("user", g.prompt)
