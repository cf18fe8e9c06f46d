"""The Evaluate page's report: a stored run (and another to compare it with) as a table — accuracy per kind
with its spread over runs, vote accuracy, tokens, time, failures by cause — and as a bar chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import AssistantError

from .chart import AccuracyChart, Series

ALL = "all"


class RunReport(QWidget):
    failed = Signal(str)  # a stored run could not be read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summaries: list[dict[str, Any]] = []  # shown: the run, then the one compared with
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.show_label, self.compare_label = QLabel(), QLabel()
        self.show_combo, self.compare_combo = QComboBox(), QComboBox()
        self.show_combo.activated.connect(self._runs_chosen)
        self.compare_combo.activated.connect(self._runs_chosen)
        for w in (self.show_label, self.show_combo, self.compare_label, self.compare_combo):
            row.addWidget(w, 1 if isinstance(w, QComboBox) else 0)
        root.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.chart = AccuracyChart()
        split.addWidget(self.table)
        split.addWidget(self.chart)
        root.addWidget(split, 1)

    def retranslate(self) -> None:
        self.show_label.setText(self.tr("Show run:"))
        self.compare_label.setText(self.tr("Compare with…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Run"), self.tr("Kind"), self.tr("Tasks × runs"), self.tr("Accuracy"), self.tr("Vote"),
            self.tr("Answer tokens"), self.tr("Reasoning tokens"), self.tr("s / task"), self.tr("tok/s"),
            self.tr("Failures")])
        self._show_summaries()

    def kind_name(self, kind: str) -> str:
        return {"maths": self.tr("maths"), "instruct": self.tr("instructions"), "knowledge": self.tr("knowledge"),
                "docs": self.tr("documents"), ALL: self.tr("all")}.get(kind, kind)

    def refresh_runs(self) -> None:
        from assistant.core.eval.runner import list_runs

        runs = list_runs()
        for combo, first in ((self.show_combo, self.tr("(choose a stored run)")),
                             (self.compare_combo, self.tr("(nothing)"))):
            keep = combo.currentData()
            combo.clear()
            combo.addItem(first, "")
            for r in runs:
                state = "" if r["finished"] else " · " + self.tr("unfinished {0}/{1}").format(
                    r["records"], r["expected"])
                combo.addItem(f"{r['run_id']} · {r['model']} · {r['backend']}{state}", r["run_id"])
            i = combo.findData(keep)
            combo.setCurrentIndex(max(0, i))

    def show_run(self, summary: dict[str, Any]) -> None:
        """A run that just ended, shown beside the run it is compared with (if any)."""
        i = self.show_combo.findData(summary["run_id"])
        self.show_combo.setCurrentIndex(max(0, i))
        self.summaries = [summary, *self.summaries[1:2]]
        self._show_summaries()

    @Slot()
    def _runs_chosen(self, *_: Any) -> None:
        """Show the chosen stored run, and the one to compare with beside it."""
        from assistant.core.eval.runner import eval_root, open_result

        out = []
        for combo in (self.show_combo, self.compare_combo):
            run_id = combo.currentData()
            if run_id:
                try:
                    out.append(open_result(eval_root() / run_id).summary())
                except AssistantError as exc:
                    self.failed.emit(exc.user_text())
        self.summaries = out
        self._show_summaries()

    def compare(self, run_a: str, run_b: str = "") -> None:
        """Show stored run ``run_a`` beside ``run_b`` (what the two combo boxes do)."""
        self.refresh_runs()
        self.show_combo.setCurrentIndex(max(0, self.show_combo.findData(run_a)))
        self.compare_combo.setCurrentIndex(max(0, self.compare_combo.findData(run_b)) if run_b else 0)
        self._runs_chosen()

    def _run_label(self, summary: dict[str, Any], point: dict[str, Any]) -> str:
        label = " · ".join(x for x in (summary["model"], summary.get("quantization", ""), summary["backend"],
                                        point["label"]) if x)
        others = [s for s in self.summaries if s is not summary and s["model"] == summary["model"]
                  and s.get("quantization") == summary.get("quantization") and s["backend"] == summary["backend"]]
        if others:  # the same model twice: which run is which
            label += f" · {summary['run_id']}"
        if not summary["finished"]:
            label += " · " + self.tr("unfinished {0}/{1}").format(summary["records"], summary["expected"])
        return label

    def _failures(self, failures: dict[str, int]) -> str:
        names = {"no_boxed": self.tr("no \\boxed{}"), "length": self.tr("cut at max tokens"),
                 "wrong": self.tr("wrong"), "error": self.tr("error"),
                 "reasoning_only": self.tr("answer only in reasoning"),
                 "no_sandbox": self.tr("no code sandbox")}
        return ", ".join(f"{names.get(k, k)} {v}" for k, v in failures.items()) or "—"

    def _show_summaries(self) -> None:
        """One row per kind and run, the runs of a kind next to each other; the chart the same."""
        kinds: list[str] = []
        for s in self.summaries:
            kinds += [k for k in s["kinds"] if k not in kinds]
        kinds.append(ALL)
        rows: list[list[str]] = []
        series: list[Series] = []
        for s in self.summaries:
            for p in s["points"]:
                values = {k: (st["accuracy"], st["accuracy_sd"]) for k, st in p["kinds"].items() if k in kinds}
                series.append(Series(self._run_label(s, p), values))
        for kind in kinds:
            for s in self.summaries:
                for p in s["points"]:
                    st = p["kinds"].get(kind)
                    if not st or not st["records"]:
                        continue
                    rows.append([self._run_label(s, p), self.kind_name(kind), f"{st['tasks']}×{st['runs']}",
                                 f"{100 * st['accuracy']:.0f}% ± {100 * st['accuracy_sd']:.0f}",
                                 f"{100 * st['vote_accuracy']:.0f}%", f"{st['answer_tokens']:.0f}",
                                 f"{st['reasoning_tokens']:.0f}", f"{st['seconds']:.1f}", f"{st['tokens_per_s']:.1f}",
                                 self._failures(st["failures"])])
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate(r):
                item = QTableWidgetItem(text)
                if j >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.chart.set_data([(k, self.kind_name(k)) for k in kinds] if self.summaries else [], series)

    def table_rows(self) -> list[list[str]]:
        t = self.table
        return [[(item.text() if (item := t.item(i, j)) is not None else "") for j in range(t.columnCount())]
                for i in range(t.rowCount())]
