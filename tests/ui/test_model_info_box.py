"""The model manager's info box (issue 28 item 4), through the real dialog offscreen and the real core: human
labels in the UI's language, sizes in MB/GB, contexts in tokens, the memory needed here and whether it fits,
downloaded or not in words; none of model_details()' keys (``catalog_id``, ``downloaded: False``…)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.core.models.library import model_details
from assistant.core.settings import Settings
from assistant.core.units import human_bytes

from .test_i18n_and_hooks import _english

pytestmark = pytest.mark.gui

R1 = "deepseek-r1-distill-qwen-1.5b"  # in the catalog, not downloaded in a fresh home
BUNDLED = "SmolLM2-135M-Instruct.Q4_1.gguf"
FIT = r"(fits|tight|won't fit)"


@pytest.fixture
def manager(qtbot: Any) -> Any:
    from assistant.ui.models.manager import ModelManagerDialog

    d = ModelManagerDialog(Settings())
    qtbot.addWidget(d)
    d.show()
    return d


def _raw_keys(d: Any, spec: str) -> list[str]:
    """model_details()' keys and Python's words for its values, as the old dump showed them."""
    return [*(f"{k}:" for k in model_details(spec, d.ctx_spin.value())), "False", "True", "None", "{"]


def test_the_info_box_in_english_has_labels_and_units(manager: Any) -> None:
    manager.ctx_spin.setValue(4096)
    manager.catalog_table.select(R1, "Q4_K_M")
    box = manager.details
    rows = dict(box.rows)
    text = box.toPlainText()
    assert not [k for k in _raw_keys(manager, R1) if k in text], text
    assert rows["Model"] == "DeepSeek-R1-Distill-Qwen-1.5B" and rows["Status"] == "not downloaded"
    assert rows["Architecture"] == "Qwen2 (qwen2)" and rows["Parameters"] == "1.78 B"
    assert rows["Trained context"] == "131,072 tokens" and rows["Licence"] == "MIT"
    assert rows["Prompt format"] == "DeepSeek-R1" and rows["Recommended sampling"] == "temperature 0.6 · top p 0.95"
    assert re.fullmatch(rf"file ~1\.1 GB · needs 1\.5 GB at a context of 4,096 tokens \({FIT}\)",
                        rows["Q4_K_M quantization"]), rows
    assert re.fullmatch(rf"file ~1\.9 GB · needs 2\.3 GB at a context of 4,096 tokens \({FIT}\)",
                        rows["Q8_0 quantization"]), rows
    assert "Status\nnot downloaded" in text and "Licence\nMIT" in text  # what is shown is what rows says

    t = manager.local_table
    t.select(BUNDLED)
    rows = dict(box.rows)
    text = box.toPlainText()
    assert not [k for k in _raw_keys(manager, str(t.selected().path)) if k in text], text
    assert rows["File"] == BUNDLED and rows["Status"] == "bundled with the app · ready"
    assert rows["Architecture"] == "Llama (llama)" and rows["Parameters"] == "135 M" and rows["Quantization"] == "Q4_1"
    assert rows["File size"] == human_bytes(t.selected().path.stat().st_size) and rows["File size"].endswith(" MB")
    assert re.fullmatch(rf"\d+\.\d MB at a context of 4,096 tokens \({FIT}\)", rows["Memory needed"]), rows
    assert rows["Trained context"] == "8,192 tokens" and rows["Vocabulary"] == "49,152 tokens"
    assert rows["KV cache"] == "23 KB per token" and rows["Layers"] == "30" and rows["Prompt format"] == "ChatML"
    assert re.fullmatch(r"\d+ threads · \d+ layers on the GPU", rows["Runs here with"])
    assert rows["GGUF file"] == "version 3 · 272 tensors" and rows["Tensor types"].startswith("Q4_1 ×210")
    assert rows["Location"] == str(t.selected().path)


def test_the_info_box_in_chinese_shows_no_raw_keys_and_no_english_labels(manager: Any, translations: Any) -> None:
    translations.apply("zh_CN")  # the dialog follows the language change
    manager.ctx_spin.setValue(4096)
    for select, spec in ((lambda: manager.catalog_table.select(R1, "Q4_K_M"), R1),
                         (lambda: manager.local_table.select(BUNDLED), None)):
        select()
        box = manager.details
        spec = spec or str(manager.local_table.selected().path)
        text = box.toPlainText()
        assert box.rows and not [k for k in _raw_keys(manager, spec) if k in text], text
        assert _english([label for label, _value in box.rows]) == set(), box.rows
        for word in sorted(box.verbatim, key=len, reverse=True):  # the model's own words stay
            text = text.replace(word, "")
        assert _english(text.splitlines()) == set(), text
    catalog = dict(box.details_rows(model_details(R1, 4096)))
    assert catalog["状态"] == "未下载" and catalog["训练上下文"] == "131,072 个词元"
    fit = "(可以运行|勉强|放不下)"
    assert re.fullmatch(rf"文件 ~1\.1 GB · 上下文 4,096 个词元时需 1\.5 GB（{fit}）", catalog["Q4_K_M 量化"])
    rows = dict(box.rows)
    assert rows["状态"] == "随应用附带 · 可用" and rows["KV 缓存"] == "每个词元 23 KB"
