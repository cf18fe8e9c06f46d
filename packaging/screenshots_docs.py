"""The Documents shots of packaging/screenshots.py (issue 24), live: the real window offscreen, the bundled
embedding model (multilingual-e5-small) indexing real files, the bundled chat model (SmolLM2, real llama.cpp)
answering from them.

- docs-panel-en.png: the Documents panel after a folder was indexed: an English PDF (the doc-QA suite's router
  manual), a Chinese PDF (its tea garden brochure), a Chinese Markdown report, and a binary file named .txt that
  is refused, each file with its own state (passages and pages, or why it was not indexed).
- docs-answer-en.png: a question answered by the bundled model from that collection (its answer as it comes: a
  135M model), its source chips, and the source viewer opened from the chip of the passage that holds the answer,
  at that passage, highlighted. The viewer is a window of its own, so the
  shot paints its grab over the main window's grab (both real widgets, grabbed as they are on screen).
- docs-panel-zh_CN.png / docs-answer-zh_CN.png: the same in the Chinese window, asked 青禾茶园是哪一年创建的？

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py --only=docs
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUITE_DOCS = ROOT / "assistant" / "core" / "eval" / "suites" / "docs"
FILES = ("lumen-r7-manual.pdf", "青禾茶园简介.pdf", "清溪气候年报.md")
COLLECTION = "manuals"
# Per UI language: the question asked of the collection, the answer it holds (the suite's d-lumen-ip and
# d-tea-founded), the word an indexed file's state carries, and the file names' suffix.
ASK = {"en": ("What is the default address of the Lumen R7 router's settings page?", "192.168.77.1", "passage"),
       "zh_CN": ("青禾茶园是哪一年创建的？", "1987", "段落")}


def _folder(base: Path) -> Path:
    """A folder of real files as a user keeps them, plus one that is not what its name says."""
    folder = base / "Documents" / "manuals"
    folder.mkdir(parents=True)
    for name in FILES:
        shutil.copy(SUITE_DOCS / name, folder / name)
    (folder / "scan-0412.txt").write_bytes(bytes(range(256)) * 64)  # binary content under a .txt name
    return folder


def _wait(pred: Any, seconds: float, what: str) -> None:
    from screenshots import settle

    deadline = time.monotonic() + seconds
    while not pred():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out: {what}")
        settle(100)


def _composite(window: Any, dialog: Any, path: Path) -> Path:
    """The window's grab with the dialog's grab painted over its lower right part, a border around it."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPen

    img = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    top = dialog.grab().toImage()
    at = QPoint(img.width() - top.width() - 16, img.height() - top.height() - 80)  # above the message box
    p = QPainter(img)
    p.setPen(QPen(QColor(120, 120, 120), 2))
    p.drawRect(at.x() - 1, at.y() - 1, top.width() + 1, top.height() + 1)
    p.drawImage(at, top)
    p.end()
    img = img.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.AvoidDither)
    img.save(str(path), "PNG", 9)
    return path


def render_documents(out_dir: Path, lang: str = "en") -> list[Path]:
    from screenshots import live_window, save_small, settle

    from assistant.core.settings import Sampling, Settings

    question, answer, indexed = ASK[lang]
    panel_png, answer_png = f"docs-panel-{lang}.png", f"docs-answer-{lang}.png"
    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(language=lang, theme="light", maths_mode="off", demo_note_dismissed=True,
                        sampling=Sampling(temperature=0.0, max_tokens=90, seed=0))
    # A fixed folder, so the path the panel shows reads well and does not change between runs.
    base = Path(tempfile.gettempdir()) / "assistant-screenshots"
    shutil.rmtree(base, ignore_errors=True)
    with contextlib.ExitStack() as stack, live_window(settings, 760) as (w, done):
        stack.callback(shutil.rmtree, base, True)
        folder = _folder(base)
        panel = w.open_documents()
        panel.resize(900, 520)
        if not panel.create_collection(COLLECTION) or not panel.add_paths([folder], COLLECTION):
            raise SystemExit("the Documents panel did not take the folder")
        _wait(lambda: not panel.queue.busy and not panel.queue.pending, 900, "indexing the folder")
        panel.refresh(select=COLLECTION)
        settle(300)
        states = {Path(p).name: item.text(1) for p, item in panel.tree.files.items()}
        print(f"{panel_png}: {states}")
        if not all(indexed in states.get(n, "") for n in FILES):
            raise SystemExit(f"a document was not indexed: {states}")
        written.append(save_small(panel, out_dir / panel_png))
        panel.hide()

        w.session.documents_choice.set([COLLECTION])
        w.session.send_message(question)
        _wait(lambda: bool(done) and not w.chat.busy, 900, "the bundled model's reply")
        settle(300)
        reply = w.chat.messages[-1]
        chips = reply.sources.chips
        if not chips:
            raise SystemExit("the reply has no source chips")
        print(f"{answer_png}: answer {reply.answer[:160]!r}; chips {[c.text() for c in chips]}")
        # The chip of the passage that holds the answer (else the first), clicked as a user does: the chip asks
        # the window to open the viewer at its passage.
        holds = [i for i, src in enumerate(reply.sources.sources) if answer in src.get("text", "")]
        chips[holds[0] if holds else 0].click()
        _wait(lambda: w._dialogs.get("viewer") is not None, 30, "the viewer")
        viewer = w._dialogs["viewer"]
        viewer.resize(560, 400)
        _wait(viewer.passage_visible, 60, "the viewer at the passage")
        settle(300)
        w.chat.scroll_to_bottom()
        settle(100)
        written.append(_composite(w, viewer, out_dir / answer_png))
        viewer.close()
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    for lang in ASK:
        for shot in render_documents(ROOT / "resources" / "screenshots", lang):
            print(shot)
