"""Two shots in 简体中文 for the README (issue 28), run from packaging/screenshots.py (--only=vote,model-info):

- vote-zh_CN.png: a reply voted on by three samples (Settings → samples 3), the strip of samples opened and the
  vote line under the answer. The samples are scripted R1-style replies (the bundled 135M model gives no answers
  worth a vote), named so in the window ("R1-style reply (scripted)"), streamed through the real worker, vote
  and widgets.
- model-info-zh_CN.png: the model manager with DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M selected: its info box in
  words (not downloaded, sizes, the memory needed here and whether it fits, licence…).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from screenshots import save_small, settle

QUESTION = "17 × 23 等于多少？请把最终答案放在 \\boxed{} 内。"
# Three samples: two reach 391 by different ways, one slips (381); the vote picks 391, 2 of 3.
SAMPLES = [
    ("17 × 23 = 17 × 20 + 17 × 3。\n17 × 20 = 340，17 × 3 = 51，340 + 51 = 391。",
     "把 23 拆成 20 + 3：\n\n$$17 \\times 23 = 17 \\times 20 + 17 \\times 3 = 340 + 51 = 391$$\n\n"
     "所以 17 × 23 = \\boxed{391}。"),
    ("换个顺序算：23 × 17 = 23 × 10 + 23 × 7 = 230 + 161 = 391。",
     "23 × 10 = 230，23 × 7 = 161，合起来是 \\boxed{391}。"),
    ("17 × 23 ≈ 17 × 25 − 17 × 2 = 425 − 44 = 381。",
     "答案是 \\boxed{381}。"),
]


def _pieces(reasoning: str, answer: str) -> list[str]:
    cut = [reasoning[i:i + 3] for i in range(0, len(reasoning), 3)]
    return cut + ["</think>"] + [answer[i:i + 3] for i in range(0, len(answer), 3)]


def render_vote(out_dir: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from assistant.core.backends.fake import FakeBackend
    from assistant.core.chat.history import History
    from assistant.core.settings import Settings
    from assistant.ui.common.i18n import Translations
    from assistant.ui.common.theme import apply_theme
    from assistant.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    out_dir.mkdir(parents=True, exist_ok=True)
    translations = Translations()
    backend = FakeBackend(replies=[_pieces(r, a) for r, a in SAMPLES], delay=0.004, family="deepseek-r1",
                          model_name="R1-style reply (scripted)")
    settings = Settings(language="zh_CN", theme="light", samples=3, early_vote=False, loop_action="off",
                        demo_note_dismissed=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ASSISTANT_HOME"] = tmp
        apply_theme(app, "light")
        translations.apply("zh_CN")
        history = History(Path(tmp) / "history.sqlite3")
        w = MainWindow(settings, history, translations=translations)
        try:
            w.resize(1100, 600)
            w.show()
            done: list[object] = []
            w.reply_done.connect(done.append)
            w.session.opener = lambda *_args: backend
            w.load_model()
            deadline = time.monotonic() + 60
            while w.session.model_info is None and time.monotonic() < deadline:
                settle(50)
            w.session.send_message(QUESTION)
            while not done and time.monotonic() < deadline:
                settle(50)
            settle(300)
            reply = w.chat.messages[-1]
            if reply.strip is None or "\\boxed{391}" not in reply.answer or "2" not in reply.strip.vote_label.text():
                raise SystemExit(f"the vote is not as this shot shows it: {reply.answer!r}")
            reply.strip.toggle.setChecked(True)
            settle(200)
            w.chat.scroll_to_bottom()
            settle(100)
            written.append(save_small(w, out_dir / "vote-zh_CN.png"))
        finally:
            w.shutdown()
            w.deleteLater()
            history.close()
            translations.apply("en")  # the translators are global to the app: leave it in English
            app.processEvents()
    return written


def render_model_info(out_dir: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from assistant.core.settings import Settings
    from assistant.ui.common.i18n import Translations
    from assistant.ui.common.theme import apply_theme
    from assistant.ui.models.manager import ModelManagerDialog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    out_dir.mkdir(parents=True, exist_ok=True)
    translations = Translations()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ASSISTANT_HOME"] = tmp
        apply_theme(app, "light")
        translations.apply("zh_CN")
        try:
            manager = ModelManagerDialog(Settings(language="zh_CN"))
            manager.resize(1000, 900)
            manager.details.setMinimumHeight(250)  # the whole box in the shot, no scroll bar
            manager.details.setMaximumHeight(250)
            manager.show()
            manager.ctx_spin.setValue(4096)
            manager.catalog_table.select("deepseek-r1-distill-qwen-1.5b", "Q4_K_M")
            manager.catalog_table.setFocus()
            settle()
            path = save_small(manager, out_dir / "model-info-zh_CN.png")
            manager.close()
        finally:
            translations.apply("en")
            app.processEvents()
    return [path]
