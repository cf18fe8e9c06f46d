"""Settings → Sampling → Thinking budget, with real widgets offscreen (issue 28 item 5): the slider moves only
for Custom, looks disabled otherwise (no accent-coloured groove), and the budget in tokens is always shown beside
it, following the slider as it moves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from assistant.core.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture
def themed(qapp: Any) -> Iterator[QApplication]:
    """The app's light theme, as the window applies it; the previous look is put back afterwards."""
    from assistant.ui.common.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    palette, sheet = app.palette(), app.styleSheet()
    apply_theme(app, "light")
    yield app
    app.setPalette(palette)
    app.setStyleSheet(sheet)


def _accent_pixels(widget: Any) -> int:
    """How many pixels of the slider are drawn in the live accent colour (the filled part of the groove)."""
    accent = QApplication.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    image = widget.grab().toImage()
    n = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = QColor(image.pixel(x, y))
            n += abs(c.red() - accent.red()) + abs(c.green() - accent.green()) + abs(c.blue() - accent.blue()) < 40
    return n


def _dialog(qtbot: Any, settings: Settings, language: str = "en") -> Any:
    from assistant.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog(settings, None, language)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_the_slider_moves_only_for_a_custom_budget_and_its_tokens_are_shown(qtbot: Any, themed: Any) -> None:
    dlg = _dialog(qtbot, Settings())
    page = dlg.sampling
    slider, label = page.budget_slider, page.budget_label
    # Auto: not live (and not drawn live), and the label says what Auto gives.
    assert page.budget_mode.currentData() == "auto" and not slider.isEnabled()
    assert label.text() == "1,536 tokens, 3,072 for maths" and slider.value() * 256 == 1536
    assert _accent_pixels(slider) == 0
    # Custom: live, drawn live, its tokens beside it, following the slider (keys, as a user moves it).
    page.budget_mode.setCurrentIndex(page.budget_mode.findData("custom"))
    assert slider.isEnabled() and label.text() == "1,536 tokens" and _accent_pixels(slider) > 0
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=2000)
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert label.text() == "1,792 tokens" and page.thinking_budget() == 1792
    qtbot.keyClick(slider, Qt.Key.Key_End)
    assert label.text() == "8,192 tokens" and page.thinking_budget() == 8192
    qtbot.keyClick(slider, Qt.Key.Key_PageDown)  # a page is 4 steps of 256
    assert label.text() == "7,168 tokens"
    # No limit: not live, the slider at its end, the label in words; the budget chosen before is not lost.
    page.budget_mode.setCurrentIndex(page.budget_mode.findData("none"))
    assert not slider.isEnabled() and slider.value() == slider.maximum() and _accent_pixels(slider) == 0
    assert label.text() == "up to the reply's length" and page.thinking_budget() == 0
    page.budget_mode.setCurrentIndex(page.budget_mode.findData("auto"))
    assert not slider.isEnabled() and slider.value() * 256 == 1536 and page.thinking_budget() == -1
    page.budget_mode.setCurrentIndex(page.budget_mode.findData("custom"))
    assert slider.value() * 256 == 7168 and label.text() == "7,168 tokens" and dlg.settings().thinking_budget == 7168


def test_the_budget_row_in_chinese(qtbot: Any, themed: Any, translations: Any) -> None:
    translations.apply("zh_CN")
    dlg = _dialog(qtbot, Settings(language="zh_CN", thinking_budget=0), "zh_CN")
    page = dlg.sampling
    assert page.budget_mode.currentData() == "none" and page.budget_mode.currentText() == "不限"
    assert not page.budget_slider.isEnabled() and page.budget_label.text() == "最多到回复的长度上限"
    page.budget_mode.setCurrentIndex(page.budget_mode.findData("auto"))
    assert page.budget_label.text() == "1,536 个词元，数学题 3,072 个"
    page.budget_mode.setCurrentIndex(page.budget_mode.findData("custom"))
    page.budget_slider.setValue(8)
    assert page.budget_label.text() == "2,048 个词元"
