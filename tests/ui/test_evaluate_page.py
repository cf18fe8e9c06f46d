"""The Evaluate page (run a suite on the real bundled model, Stop, compare stored runs) and the model manager's
speed line, speed column and first-start benchmark — real widgets offscreen, the real model."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.core.models import cost
from assistant.core.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def no_speed_stored() -> None:
    """The hardware cache folder is shared by the session (the probe's verdict): only the speed files go."""
    from assistant.core.runtime.ggml_probe import cache_dir

    for f in cache_dir().glob("speed-*.json"):
        f.unlink()


def _settings() -> Settings:
    s = Settings.load()
    s.n_ctx, s.n_threads = 2048, 1
    return s


@pytest.fixture
def page(qtbot: Any):  # type: ignore[no-untyped-def]
    from assistant.ui.evaluate.page import EvaluateDialog

    d = EvaluateDialog(_settings())
    qtbot.addWidget(d)
    d.show()
    yield d
    d.close()


def _run(qtbot: Any, page: Any, timeout: int = 300_000) -> Any:
    with qtbot.waitSignal(page.finished_run, timeout=timeout) as blocker:
        page.start()
    return blocker.args[0]


@pytest.mark.model
@pytest.mark.slow
def test_runs_a_tiny_suite_and_shows_the_report(qtbot: Any, page: Any) -> None:
    assert page.model_combo.count() >= 1 and "SmolLM2" in page.model_combo.currentText()
    page.limit_spin.setValue(1)
    page.runs_spin.setValue(1)
    page.tokens_spin.setValue(48)
    result = _run(qtbot, page)
    assert result is not None and not result.cancelled and len(result.records) == 3  # one task of each kind
    assert not page.busy and page.start_button.isEnabled() and not page.stop_button.isEnabled()
    rows = page.report.table_rows()
    assert [r[1] for r in rows] == ["maths", "instructions", "knowledge", "all"]
    summary = result.summary()
    for r, kind in zip(rows, ("maths", "instruct", "knowledge", "all")):
        st = summary["points"][0]["kinds"][kind]
        assert r[3] == f"{100 * st['accuracy']:.0f}% ± 0" and r[2] == ("3×1" if kind == "all" else "1×1")
        assert r[6] == f"{st['reasoning_tokens']:.0f}" and r[8] == f"{st['tokens_per_s']:.1f}"
    assert "SmolLM2" in rows[0][0]
    assert page.status_label.text().startswith("Finished: 3 tasks")
    assert len(page.report.chart.bars()) == 4  # one series, four groups
    assert page.report.show_combo.currentData() == result.run_id  # the run is now a stored run
    page.grab()  # paints the chart


@pytest.mark.model
@pytest.mark.slow
def test_stop_ends_the_run_early_and_keeps_what_is_recorded(qtbot: Any, page: Any) -> None:
    page.limit_spin.setValue(3)
    page.runs_spin.setValue(2)
    page.tokens_spin.setValue(200)
    seen: list[Any] = []

    def on_progress(p: Any) -> None:
        seen.append(p)
        if p.task and len(seen) == 2:  # the second task has started: stop
            page.stop()

    with qtbot.waitSignal(page.finished_run, timeout=300_000) as blocker:
        page.start()
        assert page.busy and page.stop_button.isEnabled() and not page.start_button.isEnabled()
        page._job.progress.connect(on_progress)
    result = blocker.args[0]
    assert result is not None and result.cancelled
    assert 1 <= len(result.records) < 18
    assert page.status_label.text().startswith(f"Stopped: {len(result.records)} of 18 tasks recorded")
    assert all(p.total == 18 for p in seen)


@pytest.mark.model
@pytest.mark.slow
def test_compares_two_stored_runs_side_by_side(qtbot: Any, page: Any, llama_backend: Any) -> None:
    from assistant.core.eval.runner import EvalConfig, run_eval
    from assistant.core.eval.tasks import load_suites

    tasks = load_suites(["builtin"], ["maths", "knowledge"], 1)
    settings = _settings()
    settings.sampling.max_tokens = 32
    a = run_eval(llama_backend, settings, tasks, EvalConfig(runs=1, sweep="temperature", values=(0.0,)))
    b = run_eval(llama_backend, settings, tasks, EvalConfig(runs=2, sweep="temperature", values=(0.6,)))
    page.report.compare(a.run_id, b.run_id)
    rows = page.report.table_rows()
    assert len(rows) == 6  # (maths, knowledge, all) × two runs, the two runs of a kind next to each other
    assert [r[1] for r in rows] == ["maths", "maths", "knowledge", "knowledge", "all", "all"]
    assert rows[0][2] == "1×1" and rows[1][2] == "1×2" and rows[4][2] == "2×1"
    assert rows[0][0] != rows[1][0] and "SmolLM2" in rows[0][0]
    labels = {label for label, _kind, _rect in page.report.chart.bars()}
    assert len(labels) == 2 and len(page.report.chart.bars()) == 6
    page.report.compare(a.run_id)  # nothing to compare with: one run again
    assert len(page.report.table_rows()) == 3 and len(page.report.chart.bars()) == 3
    page.grab()


def test_page_refuses_to_start_without_a_kind(qtbot: Any, page: Any) -> None:
    for box in page.kind_boxes.values():
        box.setChecked(False)
    page.start()
    assert not page.busy and "at least one kind" in page.error_label.text()


# ---- the model manager: speed here ----------------------------------------------------------------


def _store_current(decode: float = 100.0) -> cost.MachineSpeed:
    from assistant.core.eval.speed import current_key

    s = cost.MachineSpeed(key=current_key(Settings.load()), prompt_tps=300.0, decode_tps=decode,
                          model="smollm2-135m-instruct", model_bytes=98_362_432, prompt_tokens=256, mean_context=352)
    cost.store_speed(s)
    return s


@pytest.fixture
def manager(qtbot: Any):  # type: ignore[no-untyped-def]
    from assistant.ui.models.manager import ModelManagerDialog

    def make() -> Any:
        d = ModelManagerDialog(Settings.load())
        qtbot.addWidget(d)
        d.show()
        return d

    return make


def test_model_manager_shows_the_speed_column_and_opens_evaluate(qtbot: Any, manager: Any) -> None:
    from assistant.core.models.catalog import get_entry

    speed = _store_current()
    d = manager()
    col = 6
    assert d.catalog_table.horizontalHeaderItem(col).text() == "Speed here"
    i = next(i for i, r in enumerate(d.catalog_table.rows) if (r["id"], r["quant"]) ==
             ("deepseek-r1-distill-qwen-1.5b", "Q4_K_M"))
    entry = get_entry("deepseek-r1-distill-qwen-1.5b")
    assert entry is not None
    pred = cost.predict(entry, d.catalog_table.rows[i]["size"], speed)
    cell = d.catalog_table.item(i, col)
    assert cell.text().startswith(f"≈ {pred.decode_tps:.0f} tok/s · answer ≈ ")
    assert "a typical answer with reasoning" in cell.toolTip()
    assert "decode 100 tok/s" in d.speed_bar.label.text()
    with qtbot.waitSignal(d.evaluate_requested, timeout=5000):  # the window opens the page (next test)
        d.speed_bar.evaluate_button.click()
    d.close()


def test_evaluate_in_the_model_manager_opens_the_evaluate_page_of_the_window(make_window: Any, qtbot: Any) -> None:
    from assistant.ui.evaluate.page import EvaluateDialog

    w = make_window()
    d = w.models.open_manager()
    d.speed_bar.evaluate_button.click()
    page = w._dialogs["evaluate"]
    # a window of the main window's: an evaluation goes on when the model manager closes
    assert isinstance(page, EvaluateDialog) and page.isVisible() and page.parent() is w
    d.close()
    assert page.isVisible() and w.open_evaluate() is page  # asked again: the same page, raised
    page.close()


def test_measure_button_runs_the_benchmark_in_the_background(qtbot: Any, manager: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from assistant.core.eval import speed as speed_mod

    d = manager()
    assert d.catalog_table.item(0, 6).text() == "" and "not measured" in d.speed_bar.label.text()
    gui = threading.current_thread()
    threads: list[threading.Thread] = []

    def fake(settings: Any, *, refresh: bool = False, cancel: Any = None, **kw: Any) -> cost.MachineSpeed:
        threads.append(threading.current_thread())
        assert refresh
        return _store_current(decode=50.0)

    monkeypatch.setattr(speed_mod, "quick_bench", fake)
    with qtbot.waitSignal(d.speed_bar.measured, timeout=30_000):
        d.speed_bar.measure()
        assert not d.speed_bar.measure_button.isEnabled()
    assert threads and threads[0] is not gui  # measured on a worker thread
    assert d.speed_bar.measure_button.isEnabled() and "decode 50 tok/s" in d.speed_bar.label.text()
    assert d.catalog_table.item(0, 6).text().startswith("≈ ")  # the column follows the new measurement
    d.close()


def test_first_start_benchmark_runs_once_in_the_background(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.eval import speed as speed_mod
    from assistant.ui.models.speed_bar import FirstStartBench

    calls: list[tuple[bool, bool]] = []

    def fake(settings: Any, *, refresh: bool = False, recheck: bool = False, cancel: Any = None,
             **kw: Any) -> cost.MachineSpeed:
        calls.append((refresh, recheck))
        return _store_current()

    monkeypatch.setattr(speed_mod, "quick_bench", fake)
    first = FirstStartBench(Settings.load(), delay_ms=10)
    with qtbot.waitSignal(first.finished, timeout=30_000) as blocker:
        first.schedule()
        first.schedule()  # scheduled once only
    assert calls == [(False, False)] and blocker.args[0] is not None
    # The next start: the cache answers, rechecked in the background (measured again only when the machine is
    # quiet now and the stored measurement was busy or reads slower: tests/core/test_speed_trust.py).
    second = FirstStartBench(Settings.load(), delay_ms=10)
    with qtbot.waitSignal(second.finished, timeout=30_000) as blocker:
        second.schedule()
    assert calls == [(False, False), (False, True)]
    first.stop()
    second.stop()


def test_speed_line_says_how_sure_the_forecast_is(qtbot: Any, manager: Any, translations: Any) -> None:
    """Issue 28 item 6: a measurement taken on a busy machine is shown as rough, a quiet one with its day."""
    import time

    translations.apply("en")  # English with its plural forms, as the app starts

    s = _store_current()
    s.confidence, s.measured_at = "quiet", time.time()
    cost.store_speed(s)
    d = manager()
    assert "measured today, the machine was quiet" in d.speed_bar.label.text()
    row = {"id": "deepseek-r1-distill-qwen-1.5b", "size": 1_117_320_736}
    assert "(rough)" not in d.speed_bar.cell(row) and "quiet" in d.speed_bar.tooltip(row)
    d.close()
    s.confidence, s.measured_at = "busy", time.time() - 3 * 86400
    cost.store_speed(s)
    d = manager()
    assert "rough: measured 3 days ago while the machine was busy" in d.speed_bar.label.text()
    assert "(rough)" in d.speed_bar.cell(row) and d.speed_bar.cell(row).startswith("≈ ")
    d.close()
