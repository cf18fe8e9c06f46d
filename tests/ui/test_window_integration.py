"""The main window with the real model manager and the real conversion wizard: use a model, convert a
Hugging Face folder (the real converter), see it listed and chat with it, switch language with both open."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from assistant.core.paths import app_paths
from assistant.core.settings import Settings
from assistant.ui.models.convert_wizard import ConvertWizard
from assistant.ui.models.manager import ModelManagerDialog
from tests.convert.conftest import HFModel
from tests.core.ggufgen import write_tiny_llama

from .conftest import REAL_SETTINGS, load, send
from .fakes import FakeBackend

pytestmark = pytest.mark.gui


def local_names(d: ModelManagerDialog) -> list[str]:
    return [d.local_table.item(i, 0).text() for i in range(d.local_table.rowCount())]


@pytest.mark.model
def test_use_in_the_model_manager_switches_the_window_to_that_model(make_window: Any, qtbot: Any,
                                                                    tmp_path: Path) -> None:
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    w = make_window(FakeBackend(), **REAL_SETTINGS)
    load(qtbot, w)
    dlg = w.models.open_manager()
    assert isinstance(dlg, ModelManagerDialog) and dlg.settings is w.settings and dlg.isVisible()
    assert w.models.open_manager() is dlg  # the menu raises the open manager, no second one
    with qtbot.waitSignal(dlg.job_finished, timeout=60_000) as job:
        dlg.import_paths([tiny])  # the file dialog and drag-and-drop end here
    assert job.args == ["import", True], dlg.error_label.text()
    dlg.local_table.select("tiny.gguf")
    w.session.opener = None  # the switch loads the file with the real llama.cpp, through open_backend
    with qtbot.waitSignal(w.model_loaded, timeout=60_000) as loaded:
        dlg.use_local_button.click()
    assert not dlg.isVisible()
    assert w.settings.model == str(app_paths().models_dir / "tiny.gguf") == Settings.load().model
    assert loaded.args[0].backend == "llama.cpp" and loaded.args[0].name == "Tiny Test Llama"
    assert w.status.model_label.text() == "Model: Tiny Test Llama"
    again = w.models.open_manager()  # closed by "Use": the menu opens a fresh one
    assert again is not dlg and again.isVisible() and "tiny.gguf" in local_names(again)


@pytest.mark.convert
@pytest.mark.model
def test_convert_in_the_wizard_refreshes_the_manager_then_chat_with_the_result(
        make_window: Any, qtbot: Any, qwen_hf: HFModel, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *a: Any, **k: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    w = make_window(FakeBackend(), sampling_max_tokens=6, **REAL_SETTINGS)
    load(qtbot, w)
    manager = w.models.open_manager()
    manager.wizard_button.click()  # "Convert with options…" opens the wizard from the manager
    wiz = w.models.dialogs["convert"]
    assert isinstance(wiz, ConvertWizard) and wiz.isVisible()
    wiz.folder_edit.setText(str(qwen_hf.dir))
    wiz.folder_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: wiz.plan is not None, timeout=30_000)
    wiz.quant_combo.setCurrentIndex(wiz.quant_combo.findData("Q8_0"))
    name = "Tiny-R1-Distill-Qwen-Q8_0.gguf"
    assert name not in local_names(manager)
    w.session.opener = None
    with qtbot.waitSignal(w.model_loaded, timeout=180_000) as loaded:
        wiz.convert_button.click()
    assert name in local_names(manager)  # the open manager was refreshed when the wizard finished
    assert len(asked) == 1 and name in asked[0]  # "Switch to the new model … now?" — yes
    assert Path(w.settings.model) == app_paths().models_dir / name
    assert loaded.args[0].backend == "llama.cpp"
    summary = send(qtbot, w, "Hi")  # random weights: any reply, but a complete turn through llama.cpp
    assert summary.status in ("done", "length") and summary.error is None
    assert w.history.messages(w.conversation_id)[-1].model == loaded.args[0].name


def test_open_dialogs_follow_a_language_switch(make_window: Any, qtbot: Any, translations: Any) -> None:
    w = make_window(FakeBackend(), translations=translations, language="en")
    translations.apply("en")
    manager = w.models.open_manager()
    wiz = w.models.open_convert_wizard()
    assert (manager.windowTitle(), manager.download_button.text()) == ("Models", "Download")
    assert (wiz.windowTitle(), wiz.convert_button.text()) == ("Convert a Hugging Face model", "Convert")
    w.apply_settings(dataclasses.replace(w.settings, language="zh_CN"))
    qtbot.waitUntil(lambda: manager.windowTitle() == "模型", timeout=5000)  # Qt posts LanguageChange
    assert manager.download_button.text() == "下载" and manager.use_local_button.text() == "使用"
    assert manager.catalog_table.horizontalHeaderItem(0).text() == "模型"
    fits = {manager.catalog_table.item(i, 4).text() for i in range(manager.catalog_table.rowCount())}
    assert fits and fits <= {"可以运行", "勉强", "放不下"}
    qtbot.waitUntil(lambda: wiz.windowTitle() == "转换 Hugging Face 模型", timeout=5000)
    assert wiz.convert_button.text() == "转换" and wiz.model_label.text() == "请选择一个模型文件夹。"
    w.apply_settings(dataclasses.replace(w.settings, language="en"))
    qtbot.waitUntil(lambda: manager.windowTitle() == "Models", timeout=5000)
    assert wiz.quant_combo.itemText(0) == "None: keep full precision (largest)"
