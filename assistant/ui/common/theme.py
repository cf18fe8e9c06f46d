"""Light and dark themes: a Fusion palette plus a few style rules for the chat view's own widgets, and the
colours the rendered messages use (``palette_for``)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")


@dataclass(frozen=True)
class Palette:
    text: str
    muted: str
    code_bg: str
    border: str
    boxed_bg: str
    boxed_fg: str
    link: str
    pygments_style: str


LIGHT = Palette("#1f2328", "#656d76", "#eff1f3", "#afb8c1", "#fff1b8", "#6b4f00", "#0969da", "friendly")
DARK = Palette("#e6edf3", "#9198a1", "#161b22", "#3d444d", "#5c4a12", "#ffe9a6", "#58a6ff", "monokai")


def palette_for(theme: str) -> Palette:
    return DARK if theme == "dark" else LIGHT


def _dark_palette() -> QPalette:
    p = QPalette()
    c = {
        QPalette.ColorRole.Window: "#1e2227", QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#161a1f", QPalette.ColorRole.AlternateBase: "#22272e",
        QPalette.ColorRole.ToolTipBase: "#2d333b", QPalette.ColorRole.ToolTipText: "#e6edf3",
        QPalette.ColorRole.Text: "#e6edf3", QPalette.ColorRole.Button: "#2d333b",
        QPalette.ColorRole.ButtonText: "#e6edf3", QPalette.ColorRole.BrightText: "#ff7b72",
        QPalette.ColorRole.Highlight: "#1f6feb", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#58a6ff", QPalette.ColorRole.PlaceholderText: "#7d8590",
    }
    for role, colour in c.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    # A disabled slider's filled groove and a disabled selection in grey, not the live accent colour.
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#6e7681"))
    return p


def _light_palette() -> QPalette:
    p = QPalette()
    c = {
        QPalette.ColorRole.Window: "#f6f8fa", QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.ToolTipBase: "#ffffff", QPalette.ColorRole.ToolTipText: "#1f2328",
        QPalette.ColorRole.Text: "#1f2328", QPalette.ColorRole.Button: "#eef1f4",
        QPalette.ColorRole.ButtonText: "#1f2328", QPalette.ColorRole.BrightText: "#cf222e",
        QPalette.ColorRole.Highlight: "#0969da", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#0969da", QPalette.ColorRole.PlaceholderText: "#8c959f",
    }
    for role, colour in c.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8c959f"))
    # A disabled slider's filled groove and a disabled selection in grey, not the live accent colour.
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#8c959f"))
    return p


def style_sheet(theme: str) -> str:
    p = palette_for(theme)
    dark = theme == "dark"
    user_bg = "#1c2d44" if dark else "#ddf4ff"
    bot_bg = "#22272e" if dark else "#ffffff"
    think_bg = "#1b1f24" if dark else "#f6f8fa"
    return f"""
    QFrame#userMessage {{ background: {user_bg}; border: 1px solid {p.border}; border-radius: 8px; }}
    QFrame#assistantMessage {{ background: {bot_bg}; border: 1px solid {p.border}; border-radius: 8px; }}
    QFrame#thinking {{ background: {think_bg}; border-left: 3px solid {p.muted}; }}
    QLabel#messageMeta {{ color: {p.muted}; }}
    QLabel#boxedAnswer {{ background: {p.boxed_bg}; color: {p.boxed_fg}; border-radius: 6px; padding: 6px 10px;
                          font-weight: 600; }}
    QFrame#errorBanner {{ background: {"#3d1e20" if dark else "#ffebe9"}; border: 1px solid
                          {"#8e1519" if dark else "#ff8182"}; border-radius: 6px; }}
    QFrame#undoBar {{ background: {think_bg}; border-top: 1px solid {p.border}; }}
    QLabel#contextWarning {{ color: {"#f0b72f" if dark else "#9a6700"}; font-weight: 600; }}
    QLabel#contextFull {{ color: {"#ff7b72" if dark else "#cf222e"}; font-weight: 600; }}
    QToolButton#sourceChip {{ border: 1px solid {p.border}; border-radius: 10px; padding: 2px 8px;
                              background: {think_bg}; }}
    QToolButton#sourceChip:hover {{ border-color: {p.link}; }}
    QToolButton#sourceChip[cited="true"] {{ border: 1px solid {p.link}; color: {p.link}; font-weight: 600; }}
    QLabel#sourcesNone {{ color: {"#f0b72f" if dark else "#9a6700"}; }}
    QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox, QListWidget, QTableWidget {{
        border: 1px solid {p.border}; border-radius: 4px; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus, QComboBox:focus,
    QListWidget:focus, QTableWidget:focus {{ border: 2px solid {focus_ring(theme)}; }}
    QPushButton:focus, QToolButton:focus {{ outline: 2px solid {focus_ring(theme)}; }}
    """


def focus_ring(theme: str) -> str:
    """The colour that marks the focused field: at least 3:1 against the backgrounds (WCAG 2.1, 1.4.11)."""
    return "#58a6ff" if theme == "dark" else "#0969da"


def apply_theme(app: QApplication, theme: str) -> None:
    app.setStyle("Fusion")
    app.setPalette(_dark_palette() if theme == "dark" else _light_palette())
    app.setStyleSheet(style_sheet(theme))
