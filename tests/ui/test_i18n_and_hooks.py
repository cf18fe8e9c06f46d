"""Languages, the CJK font, the settings dialog, and the hooks for parts built elsewhere."""

from __future__ import annotations

import dataclasses
import importlib.machinery
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from assistant.ui.i18n import Translations, apply_fonts, cjk_family, resolve_language, translations_dir

from .conftest import load, send
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
    sources = sorted(str(p) for p in (REPO / "assistant" / "ui").glob("*.py"))
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
    # vLLM is offered only when assistant.core.backends.vllm_server says it can run here.
    vllm_item = dlg.backend.model().item(dlg.backend.findData("vllm"))
    from assistant.ui.settings_dialog import vllm_status

    ok, reason = vllm_status()
    assert vllm_item.isEnabled() == ok and reason in dlg.vllm_note.text()
    dlg.backend.setCurrentIndex(dlg.backend.findData("openai"))
    assert dlg.server_url.isEnabled() and dlg.server_api_key.isEnabled() and not dlg.threads.isEnabled()
    dlg.server_url.setText("not a url")
    dlg.accept()
    assert dlg.isVisible() and "http" in dlg.error.text()  # refused, explained, nothing lost
    dlg.backend.setCurrentIndex(dlg.backend.findData("llama.cpp"))
    dlg.temperature.setValue(0.3)
    dlg.top_p.setValue(0.9)
    dlg.max_tokens.setValue(333)
    dlg.samples.setValue(3)
    dlg.maths_mode.setCurrentIndex(dlg.maths_mode.findData("on"))
    dlg.preset.setCurrentIndex(dlg.preset.findData("maths-tutor"))
    dlg.theme.setCurrentIndex(dlg.theme.findData("dark"))
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    s = w.settings
    assert (s.sampling.temperature, s.sampling.top_p, s.sampling.max_tokens) == (0.3, 0.9, 333)
    assert (s.samples, s.maths_mode, s.preset, s.theme) == (3, "on", "maths-tutor", "dark")
    from assistant.core.settings import Settings

    assert Settings.load().sampling.max_tokens == 333  # saved
    assert QApplication.palette().window().color().lightness() < 80  # dark theme applied
    w.apply_settings(dataclasses.replace(w.settings, theme="light"))  # the palette is global: put it back


def _install_module(monkeypatch: pytest.MonkeyPatch, name: str, **attrs: Any) -> types.ModuleType:
    mod = types.ModuleType(name)
    mod.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
    for k, v in attrs.items():
        setattr(mod, k, v)
    monkeypatch.setitem(sys.modules, name, mod)
    return mod


def test_model_manager_hook_switches_the_model(make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                               bundled_model: Path) -> None:
    class ModelManagerDialog(QDialog):
        model_selected = Signal(str)

        def __init__(self, settings: Any, parent: Any = None) -> None:
            super().__init__(parent)
            self.settings = settings

    _install_module(monkeypatch, "assistant.ui.model_manager", ModelManagerDialog=ModelManagerDialog)
    w = make_window(FakeBackend())
    assert w.actions_by_key["models"].isEnabled()
    load(qtbot, w)
    dlg = w.open_model_manager()
    assert isinstance(dlg, ModelManagerDialog) and dlg.settings is w.settings
    w.backend_opener = None  # the switch loads the real file through open_backend
    with qtbot.waitSignal(w.model_loaded, timeout=60_000) as blocker:
        dlg.model_selected.emit(str(bundled_model))
    assert w.settings.model == str(bundled_model) and blocker.args[0].backend == "llama.cpp"


def test_missing_dialogs_are_disabled_not_broken(make_window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name.endswith(("model_manager", "convert_wizard")) else real(name, *a))
    w = make_window(FakeBackend())
    for key in ("models", "convert"):
        assert not w.actions_by_key[key].isEnabled()
        assert w.actions_by_key[key].toolTip() == "Not available in this build"


def test_convert_wizard_hook_offers_the_new_model(make_window: Any, qtbot: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    class ConvertWizard(QDialog):
        converted = Signal(str)

    _install_module(monkeypatch, "assistant.ui.convert_wizard", ConvertWizard=ConvertWizard)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w = make_window(FakeBackend())
    switched: list[str] = []
    monkeypatch.setattr(w, "switch_model", switched.append)
    wiz = w.open_convert_wizard()
    wiz.converted.emit("/models/new.gguf")
    assert switched == ["/models/new.gguf"]


def test_serving_shares_the_loaded_backend_and_stops_first(make_window: Any, qtbot: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Any]] = []

    class LocalServer:
        def __init__(self, provider: Any, host: str, port: int) -> None:
            self.provider, self.host, self.port = provider, host, port
            self.url = f"http://{host}:{port}/v1"
            calls.append(("init", (host, port)))

        def start(self) -> None:
            calls.append(("start", self.provider()))

        def stop(self) -> None:
            calls.append(("stop", backend.closed))

    _install_module(monkeypatch, "assistant.server", LocalServer=LocalServer)
    backend = FakeBackend()
    w = make_window(backend, serve_enabled=True, serve_port=8765)
    load(qtbot, w)
    assert calls[:2] == [("init", ("127.0.0.1", 8765)), ("start", backend)]
    assert w.status.serve_label.text() == "Serving at http://127.0.0.1:8765/v1"
    send(qtbot, w, "hi")
    w.close()
    assert calls[-1] == ("stop", False)  # stopped before the model was closed
    assert backend.closed

