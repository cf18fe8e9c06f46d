"""The model manager dialog, driven through real Qt widgets (offscreen) and the real core."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.core.models.catalog import CatalogEntry
from assistant.core.paths import app_paths
from assistant.core.settings import Settings
from tests.core.ggufgen import write_tiny_llama
from tests.core.hubserver import HubServer

pytestmark = pytest.mark.gui

REPO = "test-org/Tiny-Llama-GGUF"
FILE = "tiny-llama-F32.gguf"
TEST_ENTRY = {
    "id": "tiny-test", "name": "Tiny Test", "architecture": "llama", "family": "chatml", "context_length": 256,
    "n_ctx": 256, "n_layers": 2, "n_kv_heads": 2, "head_dim": 64, "vocab_size": 268,
    "sources": {"gguf": {"repo": REPO, "files": {"F32": {"file": FILE, "size": 5280736, "size_exact": False,
                                                         "sha256": None}}, "recommended": "F32"}},
}


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("gguf") / FILE, n_embd=256, n_ff=512)


@pytest.fixture
def catalog_with_test_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.models import catalog, library

    real = dict(catalog.load_catalog())
    real["tiny-test"] = CatalogEntry.from_dict(TEST_ENTRY)
    monkeypatch.setattr(catalog, "load_catalog", lambda: real)
    monkeypatch.setattr(library, "load_catalog", lambda: real)


@pytest.fixture
def hub(model_file: Path) -> Iterator[HubServer]:
    with HubServer() as server:
        server.state.add(REPO, FILE, model_file.read_bytes())
        yield server


@pytest.fixture
def dialog(qtbot, catalog_with_test_entry: None, hub: HubServer):  # type: ignore[no-untyped-def]
    from assistant.ui.models.manager import ModelManagerDialog

    d = ModelManagerDialog(Settings(hf_endpoint=hub.url))
    qtbot.addWidget(d)
    d.show()
    yield d
    d.cancel_job()
    if d.busy:
        qtbot.waitUntil(lambda: not d.busy, timeout=20000)


def _run(qtbot, d, action) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(d.job_finished, timeout=60000) as blocker:
        action()
    return tuple(blocker.args)  # type: ignore[return-value]


def test_catalog_shows_fit_labels_and_the_bundled_model(dialog) -> None:  # type: ignore[no-untyped-def]
    t = dialog.catalog_table
    rows = {(t.item(i, 0).text(), t.item(i, 1).text()): i for i in range(t.rowCount())}
    assert ("DeepSeek-R1-Distill-Qwen-1.5B (reasoning)", "Q4_K_M") in rows
    assert ("DeepSeek-R1-Distill-Qwen-1.5B (reasoning)", "Q8_0") in rows
    fits = {t.item(i, 4).text() for i in range(t.rowCount())}
    assert fits <= {"fits", "tight", "won't fit"} and fits
    smol = rows[("SmolLM2 135M Instruct", "Q4_1")]
    assert t.item(smol, 5).text() == "bundled"
    assert [dialog.local_table.item(i, 0).text() for i in range(dialog.local_table.rowCount())] == [
        "SmolLM2-135M-Instruct.Q4_1.gguf"]
    # A larger context raises the memory estimate shown.
    row = rows[("DeepSeek-R1-Distill-Qwen-7B (reasoning)", "Q4_K_M")]
    before = dialog.catalog_table.rows[row]["memory"]
    dialog.ctx_spin.setValue(32768)
    assert dialog.catalog_table.rows[row]["memory"] > before


def test_download_with_progress_then_use(qtbot, dialog, hub: HubServer) -> None:  # type: ignore[no-untyped-def]
    dialog.catalog_table.select("tiny-test")
    assert dialog.download_button.isEnabled()
    values: list[int] = []
    dialog.progress_bar.valueChanged.connect(values.append)
    name, ok = _run(qtbot, dialog, dialog.download_button.click)
    assert (name, ok) == ("download", True), dialog.error_label.text()
    assert dialog.progress_bar.value() == 1000 and values
    assert "verified by hub sha256" in dialog.status_label.text()
    assert (app_paths().models_dir / FILE).is_file()
    assert FILE in [dialog.local_table.item(i, 0).text() for i in range(dialog.local_table.rowCount())]
    dialog.catalog_table.select("tiny-test")
    with qtbot.waitSignal(dialog.model_selected) as sel:
        dialog.use_catalog_button.click()
    assert sel.args == ["tiny-test"]


def test_cancel_then_resume(qtbot, dialog, hub: HubServer) -> None:  # type: ignore[no-untyped-def]
    hub.state.faults.throttle = 1_500_000  # 1.5 MB/s: slow enough to cancel mid-file
    dialog.catalog_table.select("tiny-test")
    with qtbot.waitSignal(dialog.job_finished, timeout=60000) as blocker:
        dialog.download_button.click()
        qtbot.waitUntil(lambda: dialog.progress_bar.value() > 150, timeout=30000)
        dialog.cancel_button.click()
    assert blocker.args == ["download", False]
    assert "kept" in dialog.status_label.text() and not dialog.error_label.text()
    row = next(i for i, r in enumerate(dialog.catalog_table.rows) if r["id"] == "tiny-test")
    assert dialog.catalog_table.item(row, 5).text().startswith("paused at")
    hub.state.faults.throttle = None
    dialog.catalog_table.select("tiny-test")
    _name, ok = _run(qtbot, dialog, dialog.download_button.click)
    assert ok and "resumed at" in dialog.status_label.text()
    # The cancelled request may be logged last (the server notices the client left only when it writes).
    [resumed] = [e for e in hub.state.gets() if e["range"]]
    assert resumed["status"] == 206 and resumed["range"] != "bytes=0-"


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_drag_and_drop_import_and_a_broken_file(qtbot, dialog, model_file: Path,  # type: ignore[no-untyped-def]
                                                tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    def drop(path: Path) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        enter = QDragEnterEvent(dialog.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(dialog, enter)
        assert enter.isAccepted()
        ev = QDropEvent(QPointF(dialog.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(dialog, ev)

    dropped = tmp_path / "dropped.gguf"
    shutil.copyfile(model_file, dropped)
    _name, ok = _run(qtbot, dialog, lambda: drop(dropped))
    assert ok, dialog.error_label.text()
    assert "dropped.gguf" in [dialog.local_table.item(i, 0).text() for i in range(dialog.local_table.rowCount())]

    broken = tmp_path / "page.gguf"
    broken.write_text("<!DOCTYPE html><html><body>Not found</body></html>")
    n = dialog.local_table.rowCount()
    _name, ok = _run(qtbot, dialog, lambda: drop(broken))
    assert not ok and "web page" in dialog.error_label.text()
    assert dialog.local_table.rowCount() == n


def test_info_verify_remove(qtbot, dialog, model_file: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    _name, ok = _run(qtbot, dialog, lambda: dialog.import_paths([model_file]))
    assert ok
    dialog.local_table.select(FILE)
    dialog.info_button.click()
    text = dialog.details.toPlainText()
    rows = dict(dialog.details.rows)
    assert rows["Architecture"] == "Llama (llama)" and "Memory needed" in rows and "KV cache" in rows
    assert "Architecture\nLlama (llama)" in text and "architecture:" not in text
    dialog.local_table.select(FILE)
    _name, ok = _run(qtbot, dialog, dialog.verify_button.click)
    assert ok and "test load: ok" in dialog.details.toPlainText()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.local_table.select(FILE)
    dialog.remove_button.click()
    assert not (app_paths().models_dir / FILE).exists()
    assert FILE not in [dialog.local_table.item(i, 0).text() for i in range(dialog.local_table.rowCount())]
    dialog.local_table.select("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert not dialog.remove_button.isEnabled()  # the bundled model stays


def test_closing_during_a_download_does_not_hang_or_crash(qtbot, catalog_with_test_entry,  # type: ignore[no-untyped-def]
                                                           hub: HubServer) -> None:
    from assistant.ui.models.manager import ModelManagerDialog

    hub.state.faults.throttle = 500_000
    d = ModelManagerDialog(Settings(hf_endpoint=hub.url))
    qtbot.addWidget(d)
    d.show()
    d.catalog_table.select("tiny-test")
    d.download_button.click()
    qtbot.waitUntil(lambda: d.progress_bar.value() > 0, timeout=30000)
    t0 = time.monotonic()
    d.reject()
    assert not d.busy and time.monotonic() - t0 < 5
    from assistant.ui.common.jobs import orphans

    qtbot.waitUntil(lambda: all(t.isFinished() for t, _ in orphans), timeout=30000)
    assert not (app_paths().models_dir / FILE).exists()  # cancelled, so nothing half-done is listed


@pytest.mark.convert
def test_import_folder_converts_a_hugging_face_model(qtbot, qwen_hf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """"Import folder…" runs the real converter (safetensors → GGUF) and the new model is listed, ready."""
    from PySide6.QtWidgets import QFileDialog

    from assistant.core.models.gguf_check import validate
    from assistant.ui.models.manager import ModelManagerDialog

    d = ModelManagerDialog(Settings())
    qtbot.addWidget(d)
    d.show()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(qwen_hf.dir))
    stages: list[tuple[str, float]] = []
    monkeypatch.setattr(d, "_on_progress", stages.append)  # connected when the job starts; list.append is atomic
    name, ok = _run(qtbot, d, d.import_folder_button.click)
    assert (name, ok) == ("import", True), d.error_label.text()
    assert len(stages) > 2 and all(not s.transfer and s.fraction is not None for s in stages)  # converter stages
    assert d.progress_bar.value() == 1000
    [row] = [i for i in range(d.local_table.rowCount()) if d.local_table.item(i, 0).text().startswith("Tiny-R1")]
    cells = [d.local_table.item(row, j).text() for j in range(d.local_table.columnCount())]
    assert cells[1] == "qwen2" and cells[4] == "converted" and cells[5] == "ready", cells
    assert d.status_label.text() == f"Imported: {cells[0]}"
    path = app_paths().models_dir / cells[0]
    assert validate(path).architecture == "qwen2"
    d.local_table.select(cells[0])
    with qtbot.waitSignal(d.model_selected) as sel:
        d.use_local_button.click()
    assert sel.args == [str(path)]


def test_idle_progress_is_hidden_details_follow_the_selection_and_the_model_in_use_is_marked(
        qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.progress_bar.isHidden()  # no idle 0 % bar
    assert dialog.details.toPlainText() == "" and dialog.details.placeholderText()
    t = dialog.local_table
    row = next(i for i in range(t.rowCount()) if t.item(i, 0).text() == "SmolLM2-135M-Instruct.Q4_1.gguf")
    assert t.item(row, 5).text().startswith("in use") and t.item(row, 0).font().bold()
    t.selectRow(row)
    assert "SmolLM2" in dialog.details.toPlainText()  # filled without pressing Info
