"""Render the main window offscreen to resources/screenshots/*.png (English and Chinese, light and dark).

The conversation shown is a maths question answered by an R1-style model: reasoning in the collapsible
"thinking" section, a table and a code block in the answer, the final \\boxed{} answer highlighted.
No model is loaded: the screenshot shows stored history, with the status bar filled in as it would be.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CONTENT = {
    "en": {
        "older": ["Explain Python decorators", "Translate a Tang poem", "Plan a three-day trip to Hangzhou"],
        "title": "Area of a rectangle",
        "question": "A rectangle is 8 cm long and 5 cm wide. What is its area?",
        "reasoning": "The area of a rectangle is length times width.\nThe length is 8 cm and the width is 5 cm.\n"
                     "8 × 5 = 40, so the area is 40 square centimetres. Let me check: 5 + 5 + … eight times "
                     "is 40. Yes.",
        "answer": "The area of a rectangle is **length × width**.\n\n| length | width | area |\n|---|---|---|\n"
                  "| 8 cm | 5 cm | 40 cm² |\n\n```python\nlength, width = 8, 5\nprint(length * width)  # 40\n```\n\n"
                  "So the area is \\boxed{40} square centimetres.",
    },
    "zh_CN": {
        "older": ["解释 Python 装饰器", "翻译一首唐诗", "杭州三日游计划"],
        "title": "长方形的面积",
        "question": "一个长方形的长是8厘米，宽是5厘米，它的面积是多少？",
        "reasoning": "长方形的面积等于长乘以宽。\n长是8厘米，宽是5厘米。\n8 × 5 = 40，所以面积是40平方厘米。"
                     "再检查一遍：8个5相加是40，没错。",
        "answer": "长方形的面积公式是 **长 × 宽**。\n\n| 长 | 宽 | 面积 |\n|---|---|---|\n"
                  "| 8 厘米 | 5 厘米 | 40 平方厘米 |\n\n"
                  "```python\nlength, width = 8, 5\nprint(length * width)  # 40\n```\n\n"
                  "所以面积是 \\boxed{40} 平方厘米。",
    },
}


def build_history(db: Path, lang: str) -> tuple[object, int]:
    from assistant.core.history import History

    c = CONTENT[lang]
    h = History(db)
    for title in c["older"]:
        conv = h.create_conversation(title)
        h.add_message(conv.id, "user", title)
        h.add_message(conv.id, "assistant", "…")
        time.sleep(0.002)
    conv = h.create_conversation(c["title"], "deepseek-r1-distill-qwen-1.5b")
    h.add_message(conv.id, "user", c["question"])
    h.add_message(conv.id, "assistant", c["answer"], reasoning=c["reasoning"], model="DeepSeek-R1-Distill-Qwen-1.5B",
                  backend="llama.cpp", boxed="40", completion_tokens=182, prompt_tokens=41,
                  generation_seconds=7.9, thinking_seconds=4.2, finish_reason="stop")
    return h, conv.id


def render(out_dir: Path) -> list[Path]:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from assistant.core.chat import ContextReport
    from assistant.core.settings import Settings
    from assistant.ui.i18n import Translations, apply_fonts
    from assistant.ui.main_window import MainWindow
    from assistant.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    cjk = apply_fonts(app)
    if cjk is None:
        print("warning: no CJK font installed; Chinese will show as boxes (apt install fonts-noto-cjk)")
    translations = Translations()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("en", "zh_CN"):
        for theme in ("light", "dark"):
            with tempfile.TemporaryDirectory() as tmp:
                os.environ["ASSISTANT_HOME"] = tmp
                history, cid = build_history(Path(tmp) / "history.sqlite3", lang)
                settings = Settings(language=lang, theme=theme, last_conversation_id=cid)
                apply_theme(app, theme)
                translations.apply(lang)
                w = MainWindow(settings, history, translations=translations)  # type: ignore[arg-type]
                w.resize(1100, 720)
                w.show()
                w.status.set_model("DeepSeek-R1-Distill-Qwen-1.5B", "llama.cpp")
                w.status.set_speed(23.0)
                w.status.set_context(ContextReport(247, 8192, 2048))
                reply = w.chat.messages[-1]
                reply.thinking.set_open(True)
                w.chat.input.setPlainText("")
                loop = QEventLoop()
                QTimer.singleShot(200, loop.quit)
                loop.exec()
                w.chat.scroll_to_bottom()
                app.processEvents()
                path = out_dir / f"main-{lang}-{theme}.png"
                img = w.grab().toImage()
                # 8-bit palette keeps each file small; text stays crisp.
                img = img.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.AvoidDither)
                img.save(str(path), "PNG", 9)
                written.append(path)
                w.shutdown()
                w.deleteLater()
                history.close()  # type: ignore[attr-defined]
                app.processEvents()
    return written


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots"
    for p in render(out):
        print(f"{p}  {p.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
