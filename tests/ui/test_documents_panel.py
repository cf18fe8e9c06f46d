"""The Documents panel, the source chips and the viewer with real widgets offscreen, real files, real SQLite
collections and the real indexing code; the embedding model here is the documents tests' lexical embedder (a real,
deterministic bag-of-terms embedding, milliseconds a batch) so these run fast. The same paths with the real
bundled embedding and chat models: test_documents_window.py."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.docs.conftest import LexicalEmbedder, make_pdf, write

pytestmark = pytest.mark.gui

MD = """# Kestrel design notes

Kestrel is a small build tool.

## Caching

""" + "\n\n".join(f"Paragraph {i} about unrelated matters, filler words number {i}." for i in range(120)) + """

## The cache key

The cache key of a step is the SHA-256 of its inputs, its command line and the tool's version. A step whose
key is already in the store is skipped.

```python
def key(step):
    return sha256(step.inputs + step.command)
```

## Afterword

The end.
"""

PY = '''"""heron: a command-line tool."""

import argparse


def parse(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--retries", type=int, default=3)
    return p.parse_args(argv)


def backoff(attempt):
    """Seconds to wait before a retry: doubling from half a second, capped at thirty."""
    return min(30.0, 0.5 * 2 ** attempt)
'''


@pytest.fixture
def lexical() -> Any:
    from assistant.ui.worker.documents import SharedEmbedder

    return SharedEmbedder(LexicalEmbedder)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    write(d / "kestrel.md", MD)
    write(d / "heron.py", PY)
    write(d / "rules.txt", "Library rules.\n\nBooks are lent for three weeks and can be renewed twice.\n\n"
          "Late returns cost ten cents a day.\n")
    make_pdf(d / "router.pdf", ["Lumen R7 manual. Page one is about the box.",
                                "Reset: hold the reset button for ten seconds until the light blinks amber.",
                                "Warranty: two years."])
    write(d / "bad.pdf", "%PDF-1.4 this is not really a PDF")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 400)
    return d


def wait_idle(qtbot: Any, panel: Any, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: not panel.queue.busy and not panel.queue.pending, timeout=timeout)


def sources_for(name: str, question: str) -> list[dict[str, Any]]:
    """The numbered sources a question gets from a collection (the core's retrieval, lexical embedder)."""
    from assistant.core.docs.answer import compose
    from assistant.core.docs.library import open_collection
    from assistant.core.docs.retrieval import search

    with open_collection(name) as c:
        g = compose(question, [name], search([c], question, LexicalEmbedder(), threshold=0.0))
    return g.sources


def test_panel_indexes_a_folder_and_says_why_bad_files_were_not(qtbot: Any, lexical: Any, folder: Path,
                                                                translations: Any) -> None:
    from assistant.ui.documents.panel import DocumentsPanel

    translations.apply("en")  # as the app starts: English with its plural forms ("3 pages", not "3 page(s)")

    panel = DocumentsPanel(lexical)
    qtbot.addWidget(panel)
    panel.show()
    assert "No collection yet" in panel.summary.text() and not panel.sync_button.isEnabled()
    readings: list[tuple[str, float]] = []
    original = panel.tree.set_reading
    panel.tree.set_reading = lambda p, f, left: (readings.append((Path(p).name, f)), original(p, f, left))[1]
    ticks = []
    timer = QTimer(panel)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    t0 = time.monotonic()
    assert panel.create_collection("manuals")
    assert panel.add_paths([folder])
    assert panel.progress_box.isVisible()
    wait_idle(qtbot, panel)
    elapsed = time.monotonic() - t0
    timer.stop()
    assert not panel.progress_box.isVisible()
    failed = panel.tree.failed_files()
    assert set(map(lambda p: Path(p).name, failed)) == {"bad.pdf", "binary.txt"}
    assert all(failed.values())
    result = panel.result_label.text()
    assert "4 indexed" in result and "2 could not be indexed" in result
    assert "bad.pdf: It is not a readable PDF" in result and "binary.txt: It is not a text file" in result
    rows = {Path(p).name: item.text(1) for p, item in panel.tree.files.items()}
    assert rows["router.pdf"] == "3 passages · 3 pages" or rows["router.pdf"].endswith("3 pages")
    assert all(rows[n].split()[0].isdigit() for n in ("kestrel.md", "heron.py", "rules.txt"))
    assert rows["bad.pdf"].startswith("Not indexed: It is not a readable PDF")
    assert "manuals: 6 files" in panel.summary.text() and "2 not indexed" in panel.summary.text()
    # each file read was shown with its own progress, and the window's event loop ran all along
    assert {n for n, _ in readings} >= {"kestrel.md", "router.pdf", "rules.txt", "heron.py"}
    # (a quiet machine indexes these six small files in well under a second: then a tick or two is all there is)
    assert ticks and (len(ticks) >= 3 or elapsed < 0.5), (len(ticks), elapsed)
    assert max((b - a for a, b in itertools.pairwise(ticks)), default=0.0) < 2.0


def test_drop_files_and_folders_on_the_panel(qtbot: Any, lexical: Any, folder: Path, tmp_path: Path) -> None:
    from assistant.ui.documents.panel import DocumentsPanel

    panel = DocumentsPanel(lexical)
    qtbot.addWidget(panel)
    panel.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "rules.txt")), QUrl.fromLocalFile(str(folder / "heron.py")),
                  QUrl("https://example.com/page.html")])  # not a local file: left out
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    wait_idle(qtbot, panel)
    assert panel.selected() == "My documents"  # no collection yet: one is made for the drop
    assert sorted(Path(p).name for p in panel.tree.files) == ["heron.py", "rules.txt"]
    assert "2 indexed" in panel.result_label.text()
    # a text drag (no files) is refused
    text = QMimeData()
    text.setText("hello")
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, text, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert not enter.isAccepted()


def test_reindex_notices_changes_and_remove_takes_sources_and_collections(qtbot: Any, lexical: Any,
                                                                          folder: Path) -> None:
    from assistant.core.docs.library import collection_names
    from assistant.ui.documents.panel import DocumentsPanel

    panel = DocumentsPanel(lexical)
    qtbot.addWidget(panel)
    panel.create_collection("notes")
    panel.add_paths([folder / "rules.txt", folder / "heron.py"])
    wait_idle(qtbot, panel)
    (folder / "rules.txt").write_text("Books are lent for four weeks now.\n", encoding="utf-8")
    panel.sync("notes")
    wait_idle(qtbot, panel)
    assert "1 indexed" in panel.result_label.text() and "1 unchanged" in panel.result_label.text()
    source = panel.tree.sources[str(folder / "heron.py")]
    panel.tree.clearSelection()
    source.setSelected(True)
    assert panel.remove_selected_sources() == 1
    assert list(panel.tree.files) == [str(folder / "rules.txt")]
    assert panel.remove_collection("notes", confirm=False)
    assert collection_names() == [] and panel.list.count() == 0


def test_cancel_stops_indexing_between_batches(qtbot: Any, folder: Path, tmp_path: Path) -> None:
    from assistant.core.docs.library import open_collection
    from assistant.ui.documents.panel import DocumentsPanel
    from assistant.ui.worker.documents import SharedEmbedder

    class Slow(LexicalEmbedder):
        def embed(self, texts: Any, *, query: bool = False) -> Any:
            time.sleep(0.05)  # a batch takes a while, as with a real model
            return super().embed(texts, query=query)

    text = "\n\n".join(f"Sentence {i} of a long text about tea." for i in range(4000))
    big = write(tmp_path / "big" / "long.md", text)
    panel = DocumentsPanel(SharedEmbedder(Slow))
    qtbot.addWidget(panel)
    panel.show()
    panel.add_paths([big], "big")
    qtbot.waitUntil(lambda: panel.bar.value() > 0, timeout=30_000)
    t0 = time.monotonic()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel, 10_000)
    assert time.monotonic() - t0 < 5.0
    assert "cancelled" in panel.result_label.text()
    with open_collection("big") as c:  # the file in hand was rolled back whole
        check = c.integrity()
        assert c.stats()["chunks"] == 0 and check["sqlite"] == "ok" and check["files_mismatched"] == 0


def test_source_chips_and_nothing_found(qtbot: Any) -> None:
    from assistant.ui.message.sources import SourceChips

    chips = SourceChips()
    qtbot.addWidget(chips)
    sources = [{"n": 2, "path": "/d/清溪气候年报.md", "page": 0, "text": "年均气温 16.8 ℃", "heading": "气温"},
               {"n": 1, "path": "/d/a-rather-long-file-name-for-a-router-manual-2024.pdf", "page": 3,
                "text": "Hold reset for ten seconds."}]
    chips.set_sources(sources, True, ["manuals"], cited=[1])
    chips.show()
    assert [c.text() for c in chips.chips] == ["[1] a-rather-long-file-nam…al-2024.pdf · p. 3", "[2] 清溪气候年报.md"]
    assert chips.chips[0].property("cited") is True and chips.chips[1].property("cited") is False
    assert "Cited in the answer" in chips.chips[0].toolTip() and "Hold reset" in chips.chips[0].toolTip()
    with qtbot.waitSignal(chips.source_clicked) as blocker:
        qtbot.mouseClick(chips.chips[1], Qt.MouseButton.LeftButton)
    assert blocker.args[0]["n"] == 2
    assert not chips.none_label.isVisible()
    chips.set_sources([], False, ["manuals", "notes"])
    assert chips.none_label.isVisible() and not chips.row.isVisible()
    assert chips.none_label.text() == ("Nothing relevant was found in your documents (manuals, notes): this reply "
                                       "is not based on them.")


@pytest.mark.parametrize("name, question, expect", [
    ("router.pdf", "reset button seconds amber", "Reset: hold the reset button for ten seconds"),
    ("kestrel.md", "cache key SHA-256 inputs command line", "The cache key of a step"),
    ("heron.py", "backoff seconds retry doubling capped thirty", "def backoff(attempt):"),
    ("rules.txt", "books lent weeks renewed", "Books are lent for three weeks"),
])
def test_viewer_opens_each_format_at_the_passage_highlighted(qtbot: Any, folder: Path, name: str, question: str,
                                                              expect: str) -> None:
    from assistant.core.docs.indexing import add_paths
    from assistant.core.docs.library import open_collection
    from assistant.ui.documents.viewer import SourceViewer

    with open_collection("c", create=True) as c:
        add_paths(c, [folder / name], LexicalEmbedder())
    src = sources_for("c", question)[0]
    assert Path(src["path"]).name == name
    viewer = SourceViewer(src)
    qtbot.addWidget(viewer)
    with qtbot.waitSignal(viewer.loaded, timeout=30_000):
        viewer.show()
    shown = " ".join(viewer.passage_text().split())
    assert expect in shown
    if name in ("router.pdf", "rules.txt", "heron.py"):  # shown as the text itself: the highlight is the passage
        assert shown == " ".join(src["text"].split())
    else:  # rendered Markdown: the heading's # and the fences are gone, the words are there
        assert "cache key" in shown and "#" not in shown and "sha256(step.inputs" in shown
        assert "Paragraph 5 " not in shown  # the highlight is the passage only
    qtbot.waitUntil(viewer.passage_visible, timeout=5000)
    if name == "router.pdf":
        assert "page 2 of 3" in viewer.title.text() and "Warranty" not in viewer.view.toPlainText()
    if name == "kestrel.md":  # far down a long document: scrolled to it
        assert viewer.view.verticalScrollBar().value() > 0
    viewer.close()


def test_viewer_when_the_file_changed_or_is_gone(qtbot: Any, folder: Path) -> None:
    from assistant.core.docs.indexing import add_paths
    from assistant.core.docs.library import open_collection
    from assistant.ui.documents.viewer import SourceViewer

    with open_collection("c", create=True) as c:
        add_paths(c, [folder / "rules.txt"], LexicalEmbedder())
    src = sources_for("c", "late returns cost cents")[0]
    rules = folder / "rules.txt"
    rules.write_text("A new first paragraph.\n\n" + rules.read_text(encoding="utf-8"), encoding="utf-8")
    viewer = SourceViewer(src)
    qtbot.addWidget(viewer)
    with qtbot.waitSignal(viewer.loaded, timeout=30_000):
        viewer.show()
    assert " ".join(viewer.passage_text().split()) == " ".join(src["text"].split())  # found by its text
    assert not viewer.note.isVisible()
    rules.unlink()
    gone = SourceViewer(src)
    qtbot.addWidget(gone)
    with qtbot.waitSignal(gone.loaded, timeout=30_000):
        gone.show()
    assert gone.note.isVisible() and "no longer there" in gone.note.text()
    assert " ".join(gone.passage_text().split()) == " ".join(src["text"].split())
    assert not gone.open_button.isEnabled()


def test_documents_button_keeps_the_conversations_choice(qtbot: Any, make_window: Any, lexical: Any,
                                                         folder: Path) -> None:
    """The Documents button beside the message box: its menu lists the collections, ticking one keeps it with the
    conversation; a collection removed since is said when a message is sent, and the message kept."""
    from assistant.core.docs.indexing import add_paths
    from assistant.core.docs.library import open_collection, remove_collection

    for name in ("manuals", "notes"):
        with open_collection(name, create=True) as c:
            add_paths(c, [folder / "rules.txt"], LexicalEmbedder())
    w = make_window()
    choice = w.session.documents_choice
    assert choice.button.text() == "Documents"
    choice.menu.aboutToShow.emit()
    actions = {a.data(): a for a in choice.menu.actions() if a.isCheckable()}
    assert list(actions) == ["manuals", "notes"]
    actions["notes"].trigger()
    assert choice.chosen == ["notes"] and choice.button.text() == "Documents: notes"
    cid = w.history.create_conversation("t").id
    w.open_conversation(cid)
    assert choice.chosen == []  # another conversation: its own choice
    choice.set(["manuals"])
    assert w.history.get_conversation(cid).documents == ["manuals"]
    w.new_conversation()
    w.open_conversation(cid)
    assert choice.chosen == ["manuals"] and choice.button.text() == "Documents: manuals"
    # "Manage documents…" opens the panel through the window
    choice.menu.aboutToShow.emit()
    manage = next(a for a in choice.menu.actions() if a.text() == "Manage documents…")
    manage.trigger()
    assert w.documents is not None and w.documents.isVisible()
    w.documents.use_requested.emit("notes")
    assert choice.chosen == ["manuals", "notes"]
    remove_collection("notes")
    assert not w.session.send_message("What are the library rules?")
    banner = w.chat.error_banner
    assert banner.isVisible() and "notes is no longer on this machine" in banner.message.text()
    assert "Documents button" in banner.hint.text()
    assert w.chat.input.toPlainText() == "What are the library rules?"
    assert [m.role for m in w.history.messages(cid)] == []
    choice.menu.aboutToShow.emit()
    gone = next(a for a in choice.menu.actions() if a.data() == "notes")
    assert gone.text() == "notes (removed)" and gone.isChecked()


def test_bad_files_are_explained_in_the_windows_language(qtbot: Any, lexical: Any, folder: Path,
                                                          translations: Any) -> None:
    """The core stores why a file was not indexed in English; the Chinese window says it in Chinese (the file
    list, its tooltip and the job's result), details carried over."""
    from assistant.ui.documents.panel import DocumentsPanel

    assert translations.apply("zh_CN")
    panel = DocumentsPanel(lexical)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.create_collection("手册")
    assert panel.add_paths([folder])
    wait_idle(qtbot, panel)
    rows = {Path(p).name: item for p, item in panel.tree.files.items()}
    binary, pdf = rows["binary.txt"].text(1), rows["bad.pdf"].text(1)
    assert binary == "未索引：它不是文本文件：里面是二进制数据（NUL 或控制字节），不是文字。", binary
    assert pdf.startswith("未索引：它不是可读取的 PDF（") and "It is" not in pdf, pdf
    assert rows["bad.pdf"].toolTip(1).startswith("它不是可读取的 PDF（")
    result = panel.result_label.text()
    assert "binary.txt: 它不是文本文件" in result and "bad.pdf: 它不是可读取的 PDF" in result and "It is" not in result
    # the stored reason stays the core's own sentence (other front ends read it)
    assert panel.tree.failed_files()[str(folder / "binary.txt")].startswith("It is not a text file")


def _core_sentences() -> list[str]:
    """Every sentence assistant/core/docs can store as a file's problem, from its source: string literals and
    f-strings that start "It ", "Its ", "None of its" or "Only its" (an f-string's fields read "X"), the
    job's note of a folder that is gone, and the text-file reasons as extract.py words them ("It is not a text
    file: <reason>.")."""
    import ast

    import assistant.core.docs as docs

    found = []
    for path in sorted(Path(docs.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if text.startswith(("It ", "Its ", "None of its", "Only its", "X is not there")) and text.endswith("."):
                found.append(text)
            if path.name == "textfile.py" and text.startswith(("it ", "its ")) and "\n" not in text:
                found.append(f"It is not a text file: {text}.")
    return found


def test_every_problem_the_core_can_store_has_words_in_the_window(qtbot: Any, translations: Any) -> None:
    from assistant.ui.documents.problem_words import problem_text

    sentences = _core_sentences()
    assert len(sentences) >= 20, sentences  # the scan finds them (PDF, DOCX, text, links, sizes...)
    assert translations.apply("zh_CN")
    untranslated = [s for s in sentences if problem_text(s) == s or "It " in problem_text(s)]
    assert not untranslated, untranslated
    said = problem_text("It is too large to index (1,024 MB; the limit is 256 MB).")
    assert said == "文件太大，无法索引（1,024 MB；上限为 256 MB）。", said
    assert problem_text("Something new the window has no words for.") == "Something new the window has no words for."
