"""Languages, the CJK font, and the settings dialog (the real vLLM check, the real serving address check)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from assistant.ui.common.i18n import Translations, apply_fonts, cjk_family, resolve_language, translations_dir

from .fakes import FakeBackend

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def test_language_follows_the_system_unless_set() -> None:
    assert resolve_language("", "zh_CN") == "zh_CN"
    assert resolve_language("", "zh_TW") == "zh_CN"  # the closest we have
    assert resolve_language("", "en_GB") == "en"
    assert resolve_language("", "fr_FR") == "en"
    assert resolve_language("en", "zh_CN") == "en"
    assert resolve_language("zh_CN", "en_US") == "zh_CN"


def test_translation_files_are_complete_and_compiled(tmp_path: Path) -> None:
    folder = translations_dir()
    assert folder is not None and folder == REPO / "resources" / "translations"
    ts = folder / "assistant_zh_CN.ts"
    assert (folder / "assistant_zh_CN.qm").stat().st_mtime >= ts.stat().st_mtime - 1
    tree = ET.parse(ts)
    unfinished = [m.findtext("source") for m in tree.iter("message")
                  if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")]
    assert unfinished == []
    committed = {m.findtext("source") for m in tree.iter("message")}
    # Every string in the UI source is in the .ts (run packaging/update_translations.py after changes).
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (REPO / "assistant" / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    current = {m.findtext("source") for m in ET.parse(fresh).iter("message")}
    assert current - committed == set(), "new UI strings are not in the .ts"


def test_chinese_translation_loads(qapp: Any) -> None:
    t = Translations()
    try:
        assert t.apply("zh_CN")
        assert QApplication.translate("MainWindow", "&File") == "文件(&F)"
        assert QApplication.translate("ChatView", "Send") == "发送"
    finally:
        t.apply("en")
    assert QApplication.translate("MainWindow", "&File") == "&File"


def test_english_plurals_read_as_english(qapp: Any) -> None:
    """English is the source language, but "%n file(s)" must read "1 file" / "4 files": the English file
    holds every plural form, and it is loaded for English too."""
    en = ET.parse(translations_dir() / "assistant_en.ts")  # type: ignore[operator]
    plural = [m for m in en.iter("message") if m.get("numerus") == "yes"]
    assert plural and all(len([f for f in m.iter("numerusform") if f.text]) == 2 for m in plural)
    t = Translations()
    try:
        assert t.apply("en")
        assert QApplication.translate("DocumentsPanel", "%n file(s)", None, 1) == "1 file"
        assert QApplication.translate("DocumentsPanel", "%n file(s)", None, 4) == "4 files"
        assert QApplication.translate("FilesTree", "%n page(s)", None, 12) == "12 pages"
        assert t.apply("zh_CN") and QApplication.translate("DocumentsPanel", "%n file(s)", None, 4) == "4 个文件"
    finally:
        t.apply("en")


def test_a_font_with_chinese_is_used(qapp: Any) -> None:
    fam = cjk_family()
    assert fam is not None, "no CJK font installed: run packaging/bootstrap.sh (apt install fonts-noto-cjk)"
    old = QApplication.font()
    try:
        apply_fonts(qapp)
        assert fam in QApplication.font().families()
        assert QFontMetrics(QFont(fam)).inFontUcs4(ord("中"))
    finally:
        QApplication.setFont(old)


def test_settings_dialog_round_trip_and_backends(make_window: Any, qtbot: Any) -> None:
    w = make_window(FakeBackend())
    dlg = w.open_settings()
    # vLLM is offered only when the real assistant.core.backends.vllm_server.vllm_available() says it can run.
    from assistant.core.backends.vllm_server import vllm_available

    ok, reason = vllm_available()
    vllm_item = dlg.model.backend.model().item(dlg.model.backend.findData("vllm"))
    assert vllm_item.isEnabled() == ok and vllm_item.toolTip() == reason and reason in dlg.model.vllm_note.text()
    dlg.model.backend.setCurrentIndex(dlg.model.backend.findData("openai"))
    page = dlg.model
    assert page.server_url.isEnabled() and page.server_api_key.isEnabled() and not page.threads.isEnabled()
    assert not dlg.model.vllm_memory.isEnabled()
    dlg.model.server_url.setText("not a url")
    dlg.accept()
    assert dlg.isVisible() and "http" in dlg.error.text()  # refused, explained, nothing lost
    dlg.model.backend.setCurrentIndex(dlg.model.backend.findData("llama.cpp"))
    dlg.sampling.temperature.setValue(0.3)
    dlg.sampling.top_p.setValue(0.9)
    dlg.sampling.max_tokens.setValue(333)
    dlg.reasoning.samples.setValue(3)
    dlg.reasoning.maths_mode.setCurrentIndex(dlg.reasoning.maths_mode.findData("on"))
    dlg.reasoning.preset.setCurrentIndex(dlg.reasoning.preset.findData("maths-tutor"))
    dlg.appearance.theme.setCurrentIndex(dlg.appearance.theme.findData("dark"))
    dlg.model.vllm_memory.setValue(0.5)
    dlg.model.vllm_max_len.setValue(4096)
    # Downloads: a mirror and a token (typed into a password field).
    assert dlg.downloads.hf_token.echoMode() == QLineEdit.EchoMode.Password
    assert dlg.model.server_api_key.echoMode() == QLineEdit.EchoMode.Password
    dlg.downloads.hf_endpoint.setText("hf-mirror.com")
    dlg.accept()
    assert dlg.isVisible() and "https://" in dlg.error.text()
    dlg.downloads.hf_endpoint.setText("https://hf-mirror.com/")
    dlg.downloads.hf_token.setText("hf_secret")
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    s = w.settings
    assert (s.sampling.temperature, s.sampling.top_p, s.sampling.max_tokens) == (0.3, 0.9, 333)
    assert (s.samples, s.maths_mode, s.preset, s.theme) == (3, "on", "maths-tutor", "dark")
    assert (s.vllm_gpu_memory_utilization, s.vllm_max_model_len) == (0.5, 4096)
    assert (s.hf_endpoint, s.hf_token) == ("https://hf-mirror.com", "hf_secret")
    from assistant.core.settings import Settings

    saved = Settings.load()
    assert saved.sampling.max_tokens == 333 and saved.hf_endpoint == "https://hf-mirror.com"  # saved
    assert QApplication.palette().window().color().lightness() < 80  # dark theme applied
    w.apply_settings(dataclasses.replace(w.settings, theme="light"))  # the palette is global: put it back


def test_serving_page_requires_a_key_beyond_this_computer(make_window: Any) -> None:
    w = make_window(FakeBackend())
    dlg = w.open_settings()
    assert "127.0.0.1" in dlg.serving.serve_note.text() and "API key" not in dlg.serving.serve_note.text()
    dlg.serving.serve_enabled.setChecked(True)
    dlg.serving.serve_host.setText("0.0.0.0")
    assert "API key" in dlg.serving.serve_note.text()  # the warning appears as the address is typed
    dlg.accept()
    assert dlg.isVisible() and "API key is required" in dlg.error.text()
    dlg.serving.serve_api_key.setText("k-123")
    dlg.serving.serve_cors.setText("http://localhost:3000, https://app.example")
    dlg.serving.serve_port.setValue(0)
    assert dlg.serving.serve_port.text() == "Any free port"
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    s = w.settings
    assert (s.serve_enabled, s.serve_host, s.serve_api_key, s.serve_port) == (True, "0.0.0.0", "k-123", 0)
    assert s.serve_cors_origins == ["http://localhost:3000", "https://app.example"]
    assert not w.serving.running  # no model loaded yet: serving starts once it is


def _contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        rgb = [int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_interactive_widget_has_an_accessible_name_and_the_focus_ring_shows(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Walks the main window and its dialogs: screen readers need a name for every field, list and button
    (Qt takes it from the text, a label, or setAccessibleName); the focus ring must stand out in both themes."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QSlider,
        QTextEdit,
        QWidget,
    )

    from assistant.core.settings import Settings
    from assistant.ui.common.theme import _dark_palette, _light_palette, focus_ring, style_sheet
    from assistant.ui.main_window import MainWindow
    from assistant.ui.models.manager import ModelManagerDialog
    from assistant.ui.settings.dialog import SettingsDialog

    w = MainWindow(Settings())
    qtbot.addWidget(w)
    windows = [w, SettingsDialog(Settings(), w), ModelManagerDialog(Settings(), w)]
    kinds = (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QAbstractItemView,
             QSlider)
    unnamed = []
    for win in windows:
        win.show()
        for c in win.findChildren(QWidget):
            if not isinstance(c, kinds) or isinstance(c, QHeaderView) or c.objectName() == "qt_spinbox_lineedit":
                continue  # a table's header and a spin box's inner editor are parts of a named widget
            if not c.isVisibleTo(win):
                continue
            iface = QAccessible.queryAccessibleInterface(c)
            if not (iface and iface.text(QAccessible.Text.Name).strip()):
                unnamed.append(f"{type(win).__name__}: {type(c).__name__} {c.objectName()}")
    w.shutdown()
    assert unnamed == []
    for theme, pal in (("light", _light_palette()), ("dark", _dark_palette())):
        css = style_sheet(theme)
        assert "QLineEdit:focus" in css and focus_ring(theme) in css
        for role in (pal.ColorRole.Base, pal.ColorRole.Window):
            assert _contrast(focus_ring(theme), pal.color(role).name()) >= 3.0


# Words that stay as they are in a Chinese UI: names, units, code and file names, key names.
_TECHNICAL = re.compile(
    r"llama\.cpp|vLLM|GPU|CPU|GGUF|Hugging ?Face|huggingface\.co|OpenAI|API|URL|JSON|Markdown|CORS|Python|"
    r"[KMGT]i?B|RAM|AVX\w*|SSE\w*|AMX\w*|Q\d_\w+|[BF]F?\d+|SmolLM2[\w .-]*|DeepSeek[\w .-]*|Qwen[\w .-]*|Llama|"
    r"Assistant|English|Ctrl|Shift|Enter|Esc|Tab|[Tt]op[ -]?p|Vulkan|CUDA|NVIDIA|HF_ENDPOINT|tok/s|boxed|"
    r"safetensors|tokenizer\.json|config\.json|\.gguf|gguf|https?://\S+|[\w.-]+\.(?:json|gguf|md)|127\.0\.0\.1|"
    r"localhost|nvidia-smi|pip install|\[vllm\]|VNNI|NEON|DOTPROD|SVE|</?think>|assistant serve|Ollama|LoRA|PEFT|LaTeX")


def _texts(c: Any, spoken: bool = False) -> list[str]:
    """What a widget shows: its text, placeholder, title, tooltip, a combo box's items, a tab's and a table
    header's labels (``spoken``: also what a screen reader says for it)."""
    from PySide6.QtWidgets import QComboBox, QTableWidget, QTabWidget

    out = []
    attrs = ("text", "placeholderText", "windowTitle", "title", "toolTip") + (("accessibleName",) if spoken else ())
    for attr in attrs:
        f = getattr(c, attr, None)
        if callable(f):
            try:
                v = f()
            except TypeError:
                continue
            if isinstance(v, str):
                out.append(v)
    if isinstance(c, QComboBox):
        out += [c.itemText(i) for i in range(c.count())]
    if isinstance(c, QTabWidget):
        out += [c.tabText(i) for i in range(c.count())]
    if isinstance(c, QTableWidget):
        out += [h.text() for i in range(c.columnCount()) if (h := c.horizontalHeaderItem(i)) is not None]
    return out


def _english(texts: list[str]) -> set[str]:
    return {s for s in texts if re.search(r"[A-Za-z]{3,}", _TECHNICAL.sub("", s))}


def test_no_english_is_left_in_the_chinese_ui(qtbot, translations) -> None:  # type: ignore[no-untyped-def]
    """Every visible text of every window and dialog (every tab), in 简体中文: any English word left, apart
    from names and technical terms, is an untranslated string."""
    from PySide6.QtWidgets import QTabWidget, QWidget

    from assistant.core.settings import Settings
    from assistant.ui.main_window import MainWindow
    from assistant.ui.models.convert_wizard import ConvertWizard
    from assistant.ui.models.manager import ModelManagerDialog
    from assistant.ui.settings.dialog import SettingsDialog

    translations.apply("zh_CN")
    w = MainWindow(Settings(language="zh_CN"), translations=translations)
    qtbot.addWidget(w)
    wizard = ConvertWizard(w)
    # Two model managers: the info box of the bundled model and of a catalog model not downloaded (issue 28)
    managers = [ModelManagerDialog(Settings(), w), ModelManagerDialog(Settings(), w)]
    managers[0].local_table.select("SmolLM2-135M-Instruct.Q4_1.gguf")
    managers[1].catalog_table.select("deepseek-r1-distill-qwen-1.5b", "Q4_K_M")
    windows = [w, SettingsDialog(Settings(language="zh_CN"), w, "zh_CN"), *managers, wizard]

    english = set()
    for box in (m.details for m in managers):
        text = box.toPlainText()
        for word in sorted(box.verbatim, key=len, reverse=True):  # the model's own words: name, file, licence…
            text = text.replace(word, "")
        assert box.rows and len(text.splitlines()) >= 2 * len(box.rows)
        english |= _english(text.splitlines())
    for win in windows:
        win.show()
        for tabs in win.findChildren(QTabWidget) or [None]:
            for index in range(tabs.count() if tabs else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(index)
                for c in [win, *win.findChildren(QWidget)]:
                    if c is win or c.isVisibleTo(win):
                        english |= _english(_texts(c))
    wizard.shutdown()
    w.shutdown()
    assert english == set()


# A voted reply, as a new user saw it: three samples, two agree, the second gave no answer.
VOTED = ["17 * 23 = 391", "   ", "17*23 = 391"]


def _voted_reply_walk(w: Any) -> tuple[Any, set[str]]:
    """The window's last reply, finished, and every English text left in it (shown or spoken), the model's own
    words (its samples' answers) and its name taken out."""
    from PySide6.QtWidgets import QWidget

    reply = w.chat.messages[-1]
    assert reply.strip is not None and reply.strip.over
    reply.strip.toggle.setChecked(True)
    said = sorted({reply.model, *(t for s in reply.strip.samples for t in (s.answer.strip(), s.vote or "",
                                                                           s.short_answer()) if t)},
                  key=len, reverse=True)
    english: set[str] = set()
    for c in [reply, *reply.findChildren(QWidget)]:
        if c is reply or c.isVisibleTo(reply):
            for text in _texts(c, spoken=True):
                for words in said:
                    text = text.replace(words.strip(), "")
                english |= _english([text])
    return reply, english


def test_a_finished_voted_reply_in_chinese(make_window: Any, qtbot: Any, translations: Any) -> None:
    """The walk above, over a finished voted reply (real worker and widgets, scripted samples): its vote line,
    its samples (the one without an answer saying why) and its notices are in the UI's language."""
    from .conftest import load, send

    translations.apply("zh_CN")
    w = make_window(FakeBackend(replies=VOTED), translations=translations, language="zh_CN", samples=3)
    load(qtbot, w)
    send(qtbot, w, "17 * 23 = ?")
    reply, english = _voted_reply_walk(w)
    assert english == set()
    vote = reply.strip.vote_label.text()
    assert "投票" in vote and "3" in vote, vote
    # Reopened from the history, it says the same.
    w.chat.set_messages(w.history.messages(w.conversation_id))
    again, english = _voted_reply_walk(w)
    assert english == set() and again.strip.vote_label.text() == vote


@pytest.mark.model
def test_a_voted_reply_of_the_real_model_in_chinese(make_window: Any, qtbot: Any, translations: Any,
                                                    bundled_model: Path) -> None:
    """The same with the bundled model through llama.cpp (three samples decoded together, the vote)."""
    from .conftest import REAL_SETTINGS, load, send

    translations.apply("zh_CN")
    w = make_window(translations=translations, language="zh_CN", samples=3, sampling_temperature=0.8,
                    sampling_max_tokens=48, sampling_seed=5, **REAL_SETTINGS)
    load(qtbot, w)
    send(qtbot, w, "What is 17 * 23? Answer with the number.", timeout=240_000)
    reply, english = _voted_reply_walk(w)
    assert english == set()
    assert "投票" in reply.strip.vote_label.text() and len(reply.strip.chips) == 3
