"""The conversion wizard, driven as a user would (real widgets, offscreen; real conversions)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import HFModel

pytestmark = [pytest.mark.convert, pytest.mark.gui]


@pytest.fixture
def wizard_factory(qtbot: Any) -> Iterator[Any]:
    from assistant.ui.models.convert_wizard import ConvertWizard

    made: list[ConvertWizard] = []

    def make(source: Path | None = None) -> ConvertWizard:
        w = ConvertWizard(None, str(source) if source else None)
        qtbot.addWidget(w)
        made.append(w)
        w.show()
        return w

    yield make
    for w in made:
        w.shutdown()
        assert not w.thread_.isRunning()


def _models() -> list[str]:
    from assistant.core.paths import app_paths

    d = app_paths().models_dir
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


def test_convert_and_quantize_from_the_wizard(qtbot: Any, wizard_factory: Any, qwen_hf: HFModel) -> None:
    from assistant.core.paths import app_paths

    w = wizard_factory(qwen_hf.dir)
    qtbot.waitUntil(lambda: w.plan is not None, timeout=30000)
    assert "Qwen2ForCausalLM" in w.model_label.text()
    assert w.quant == "Q4_K_M"  # the recommended default
    assert "GiB" in w.estimate_label.text() and "Memory to chat" in w.estimate_label.text()
    assert w.target_label.text().endswith("Tiny-R1-Distill-Qwen-Q4_K_M.gguf")
    w.quant_combo.setCurrentIndex(w.quant_combo.findData("Q8_0"))
    assert w.target_label.text().endswith("Tiny-R1-Distill-Qwen-Q8_0.gguf")
    assert w.convert_button.isEnabled()

    with qtbot.waitSignal(w.converted, timeout=120000) as sig:
        w.convert_button.click()
        assert w.cancel_button.text() == "Cancel" and not w.convert_button.isEnabled()
    path = Path(sig.args[0])
    assert path == app_paths().models_dir / "Tiny-R1-Distill-Qwen-Q8_0.gguf" and path.is_file()
    assert _models() == [path.name]  # the temporary master is gone
    assert w.progress_bar.value() == 1000
    assert "ready to chat" in w.status_label.text()
    # converting again would collide: the wizard says so and needs an explicit "replace"
    assert w.replace_check.isVisible() and not w.convert_button.isEnabled()
    w.replace_check.setChecked(True)
    assert w.convert_button.isEnabled()
    # Close now accepts the dialog
    w.cancel_button.click()
    assert w.result() == w.DialogCode.Accepted


def test_unsupported_folder_is_explained(qtbot: Any, wizard_factory: Any, qwen_hf: HFModel, tmp_path: Path) -> None:
    src = tmp_path / "gpt2"
    shutil.copytree(qwen_hf.dir, src)
    cfg = json.loads((src / "config.json").read_text())
    cfg["architectures"] = ["GPT2LMHeadModel"]
    (src / "config.json").write_text(json.dumps(cfg))
    w = wizard_factory(src)
    qtbot.waitUntil(lambda: "unsupported architecture" in w.model_label.text(), timeout=30000)
    assert "supported: LlamaForCausalLM, Qwen2ForCausalLM" in w.model_label.text()
    assert not w.convert_button.isEnabled()
    w.folder_edit.setText(str(tmp_path / "does-not-exist"))
    w.folder_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: "does not exist" in w.model_label.text(), timeout=30000)
    assert not w.convert_button.isEnabled()


def test_cancel_from_the_wizard_leaves_nothing(qtbot: Any, wizard_factory: Any, smol_hf: HFModel) -> None:
    w = wizard_factory(smol_hf.dir)
    qtbot.waitUntil(lambda: w.plan is not None, timeout=60000)
    w.quant_combo.setCurrentIndex(w.quant_combo.findData("Q4_K_M"))
    w.convert_button.click()
    # progress arrives through the dialog's slots (GUI thread); wait until the conversion is under way
    qtbot.waitUntil(lambda: w.progress_bar.value() > 20, timeout=60000)
    assert w.busy and "Converting" in w.status_label.text()
    w.cancel_button.click()
    assert w.status_label.text() == "Cancelling…"
    qtbot.waitUntil(lambda: "Cancelled" in w.status_label.text(), timeout=60000)
    assert not w.busy and w.convert_button.isEnabled()
    assert _models() == []



def test_the_estimate_gets_the_height_of_its_lines(qtbot: Any, wizard_factory: Any, qwen_hf: HFModel) -> None:
    """The estimate's three lines were squeezed into one line's height (in both languages)."""
    w = wizard_factory(qwen_hf.dir)
    w.show()
    qtbot.waitUntil(lambda: w.plan is not None, timeout=30000)
    label = w.estimate_label
    lines = label.text().count("\n") + 1
    assert lines >= 3
    qtbot.waitUntil(lambda: label.height() >= lines * label.fontMetrics().lineSpacing(), timeout=3000)
