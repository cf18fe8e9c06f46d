"""Languages (Simplified Chinese, English) and a font that can show Chinese.

Translations are Qt Linguist files: ``resources/translations/assistant_<lang>.ts`` (sources, made by
``pyside6-lupdate``) compiled to ``.qm`` (``pyside6-lrelease``). ``packaging/update_translations.py``
regenerates both.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# Shown in their own language in the settings dialog, so anyone can find theirs.
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}

# Families that cover Simplified Chinese, best first (Linux, Windows, macOS).
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Microsoft YaHei", "Microsoft YaHei UI", "PingFang SC", "Hiragino Sans GB",
    "Droid Sans Fallback", "AR PL UMing CN", "SimHei", "SimSun",
)


def resolve_language(setting: str, system: str | None = None) -> str:
    """The UI language: the setting, or the system locale when the setting is empty."""
    if setting in LANGUAGES:
        return setting
    name = system if system is not None else QLocale.system().name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


def resources_dir() -> Path | None:
    """The app's resources folder: ASSISTANT_RESOURCES, a PyInstaller bundle, or the source checkout."""
    candidates = []
    if os.environ.get("ASSISTANT_RESOURCES"):
        candidates.append(Path(os.environ["ASSISTANT_RESOURCES"]))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    candidates.append(Path(__file__).resolve().parents[3] / "resources")
    for c in candidates:
        if (c / "translations").is_dir():
            return c
    return None


def translations_dir() -> Path | None:
    """Where the compiled .qm files are."""
    res = resources_dir()
    return res / "translations" if res else None


class Translations:
    """Installs the app's and Qt's own translators for one language; switching replaces them."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = "en"

    def apply(self, language: str) -> bool:
        """Returns False when the language's file is missing (the UI then stays in English)."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("no QApplication")
        for t in self._installed:
            app.removeTranslator(t)
        self._installed.clear()
        self.language = language
        QLocale.setDefault(QLocale(language))
        folder = translations_dir()
        t = QTranslator(app)
        # English too: the source strings are English, but its file holds the plural forms ("%n file(s)" →
        # "1 file" / "4 files"); without it English is still complete, only plurals read "(s)".
        ok = folder is not None and t.load(f"assistant_{language}", str(folder))
        if ok:
            app.installTranslator(t)
            self._installed.append(t)
        elif language != "en":
            log.warning("no translation file for %s in %s", language, folder)
        if language == "en":
            return True
        # Qt's own strings (standard buttons, file dialogs), when the Qt build ships them.
        qt = QTranslator(app)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            self._installed.append(qt)
        return ok


def cjk_family() -> str | None:
    """An installed font family that has Simplified Chinese glyphs, or None."""
    installed = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in installed:
            return fam
    for fam in sorted(installed):  # any family that declares Simplified Chinese
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(fam):
            return fam
    return None


def _load_bundled_cjk_font() -> str | None:
    """The self-contained Linux package carries a CJK font for systems without one (resources/fonts)."""
    res = resources_dir()
    folder = res / "fonts" if res else None
    if folder is None or not folder.is_dir():
        return None
    for f in sorted(folder.iterdir()):
        if f.suffix.lower() in (".ttf", ".ttc", ".otf") and QFontDatabase.addApplicationFont(str(f)) >= 0:
            log.info("using the bundled font %s for Chinese text", f.name)
    return cjk_family()


def apply_fonts(app: QApplication) -> str | None:
    """Make Chinese render: the UI font falls back to a CJK family for characters it lacks."""
    fam = cjk_family()
    if fam is None:
        fam = _load_bundled_cjk_font()
    if fam is None:
        log.warning("no font with Chinese characters is installed; Chinese text may show as boxes "
                    "(Debian/Ubuntu: apt install fonts-noto-cjk)")
        return None
    font = QFont(app.font())
    base = font.family()
    families = [base, fam] if base and base != fam else [fam]
    font.setFamilies(families)
    app.setFont(font)
    return fam
