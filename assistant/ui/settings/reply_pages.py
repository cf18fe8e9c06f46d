"""The settings pages about replies: Sampling (temperature, top p, length, the thinking budget and what a loop
in the reasoning gets) and Reasoning (maths mode, samples and the vote, role preset, a conversation that no
longer fits). Each page shows the settings it is given and returns the fields it edits (``values()``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QWidget,
)

from assistant.core.chat.prompting import PRESETS
from assistant.core.chat.reasoning import AUTO_BUDGET
from assistant.core.settings import TEMPERATURE_RANGE, Settings

BUDGET_STEP, BUDGET_STEPS = 256, 32  # the thinking budget's slider: 256 to 8,192 tokens


class SamplingPage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.original = settings.sampling
        form = QFormLayout(self)
        s = settings.sampling
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(*TEMPERATURE_RANGE)
        self.temperature.setSingleStep(0.05)
        self.temperature.setValue(s.temperature)
        form.addRow(self.tr("Temperature"), self.temperature)
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.01, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(s.top_p)
        form.addRow(self.tr("Top p"), self.top_p)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(0, 131072)
        self.max_tokens.setSpecialValueText(self.tr("By model"))  # 0
        self.max_tokens.setToolTip(self.tr("By model: 4,096 tokens for a reasoning model, 1,024 for a chat model."))
        self.max_tokens.setValue(s.max_tokens)
        form.addRow(self.tr("Max tokens per reply"), self.max_tokens)
        self._reasoning_rows(form, settings)
        hint = QLabel(self.tr("Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95."))
        hint.setWordWrap(True)
        form.addRow(hint)

    def _reasoning_rows(self, form: QFormLayout, settings: Settings) -> None:
        """The thinking budget (auto, no limit, or a number of tokens on a slider), the answer's reserve,
        what a loop in the reasoning gets, and replies forced to start with their reasoning."""
        self.budget_mode = QComboBox()
        for value, label in (("auto", self.tr("Auto")), ("none", self.tr("No limit")), ("custom", self.tr("Custom"))):
            self.budget_mode.addItem(label, value)
        self.budget_mode.setAccessibleName(self.tr("Thinking budget"))
        self.budget_mode.setToolTip(self.tr("Auto: %1 tokens of reasoning for maths, %2 for other questions "
                                            "(reasoning models).").replace("%1", f"{AUTO_BUDGET['maths']:,}")
                                    .replace("%2", f"{AUTO_BUDGET['general']:,}"))
        # A custom budget the slider cannot show (set elsewhere, e.g. 100) is kept unless the slider moves.
        self.budget_tokens = settings.thinking_budget if settings.thinking_budget > 0 else AUTO_BUDGET["general"]
        self.budget_slider = QSlider(Qt.Orientation.Horizontal)
        self.budget_slider.setRange(1, BUDGET_STEPS)
        self.budget_slider.setPageStep(4)
        self.budget_slider.setValue(min(BUDGET_STEPS, max(1, round(self.budget_tokens / BUDGET_STEP))))
        self.budget_slider.setAccessibleName(self.tr("Thinking budget (tokens)"))
        self.budget_label = QLabel()
        metrics = self.budget_label.fontMetrics()
        self.budget_label.setMinimumWidth(metrics.horizontalAdvance("1,536 tokens, 3,072 for maths_"))
        self.budget_slider.valueChanged.connect(self._budget_moved)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.budget_mode)
        h.addWidget(self.budget_slider, 1)
        h.addWidget(self.budget_label)
        form.addRow(self.tr("Thinking budget"), row)
        mode = "auto" if settings.thinking_budget < 0 else ("none" if settings.thinking_budget == 0 else "custom")
        self.budget_mode.setCurrentIndex(self.budget_mode.findData(mode))
        self.budget_mode.currentIndexChanged.connect(self._budget_mode_changed)
        self._budget_mode_changed()
        self.answer_reserve = QSpinBox()
        self.answer_reserve.setRange(0, 32768)
        self.answer_reserve.setSingleStep(128)
        self.answer_reserve.setValue(settings.answer_reserve)
        self.answer_reserve.setToolTip(self.tr("Tokens the answer always keeps: the reasoning is closed before it "
                                               "uses them."))
        form.addRow(self.tr("Answer reserve (tokens)"), self.answer_reserve)
        self.loop_action = QComboBox()
        for value, label in (("answer", self.tr("Close it and answer")),
                             ("resample", self.tr("Resample from before the loop")), ("off", self.tr("Do nothing"))):
            self.loop_action.addItem(label, value)
        self.loop_action.setCurrentIndex(max(0, self.loop_action.findData(settings.loop_action)))
        form.addRow(self.tr("When the reasoning loops"), self.loop_action)
        self.force_thinking = QCheckBox(self.tr("Always start replies with reasoning (<think>)"))
        self.force_thinking.setToolTip(self.tr("For models that skip their reasoning; R1 models start with it "
                                               "anyway."))
        self.force_thinking.setChecked(settings.force_thinking)
        form.addRow(self.force_thinking)

    def _budget_moved(self, steps: int) -> None:
        self.budget_tokens = steps * BUDGET_STEP
        self._budget_mode_changed()

    def _budget_mode_changed(self, *_: object) -> None:
        """The slider moves only for Custom; beside it, always the budget in tokens: the chosen one, Auto's two
        (the slider resting on the general one) or No limit's (the reply's whole length; the slider at its end)."""
        mode = self.budget_mode.currentData()
        self.budget_slider.setEnabled(mode == "custom")
        shown = {"auto": AUTO_BUDGET["general"], "none": BUDGET_STEPS * BUDGET_STEP}.get(mode, self.budget_tokens)
        blocked = self.budget_slider.blockSignals(True)  # showing a value is not choosing it
        self.budget_slider.setValue(min(BUDGET_STEPS, max(1, round(shown / BUDGET_STEP))))
        self.budget_slider.blockSignals(blocked)
        if mode == "auto":
            text = self.tr("%1 tokens, %2 for maths").replace("%1", f"{AUTO_BUDGET['general']:,}").replace(
                "%2", f"{AUTO_BUDGET['maths']:,}")
        elif mode == "none":
            text = self.tr("up to the reply's length")
        else:
            text = self.tr("%1 tokens").replace("%1", f"{self.budget_tokens:,}")
        self.budget_label.setText(text)

    def thinking_budget(self) -> int:
        """-1 auto, 0 no limit, else the tokens chosen."""
        return {"auto": -1, "none": 0}.get(self.budget_mode.currentData(), self.budget_tokens)

    def values(self) -> dict[str, Any]:
        sampling = dataclasses.replace(self.original, temperature=round(self.temperature.value(), 3),
                                       top_p=round(self.top_p.value(), 3), max_tokens=self.max_tokens.value())
        return {"sampling": sampling, "thinking_budget": self.thinking_budget(),
                "answer_reserve": self.answer_reserve.value(), "loop_action": self.loop_action.currentData(),
                "force_thinking": self.force_thinking.isChecked()}


class ReasoningPage(QWidget):
    def __init__(self, settings: Settings, ui_language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.maths_mode = QComboBox()
        for value, label in (("auto", self.tr("Automatic (maths questions)")), ("on", self.tr("Always")),
                             ("off", self.tr("Never"))):
            self.maths_mode.addItem(label, value)
        self.maths_mode.setCurrentIndex(max(0, self.maths_mode.findData(settings.maths_mode)))
        form.addRow(self.tr("Maths mode (step by step, \\boxed{} answer)"), self.maths_mode)
        self.samples = QSpinBox()
        self.samples.setRange(1, 16)
        self.samples.setValue(settings.samples)
        form.addRow(self.tr("Samples per question (majority vote)"), self.samples)
        self.early_vote = QCheckBox(self.tr("Stop the other samples once the vote is decided"))
        self.early_vote.setToolTip(self.tr("Samples are written together; when 3 of 5 agree, the rest cannot "
                                           "change the answer."))
        self.early_vote.setChecked(settings.early_vote)
        form.addRow(self.early_vote)
        self.preset = QComboBox()
        self.preset.addItem(self.tr("None"), "")
        lang = "zh" if ui_language.startswith("zh") else "en"
        for pid, preset in PRESETS.items():
            self.preset.addItem(preset.name.get(lang, pid), pid)
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.preset)))
        form.addRow(self.tr("Role preset"), self.preset)
        self.context_policy = QComboBox()
        self.context_policy.addItem(self.tr("Leave out the oldest messages"), "drop_oldest")
        self.context_policy.addItem(self.tr("Refuse and tell me"), "error")
        self.context_policy.setCurrentIndex(max(0, self.context_policy.findData(settings.context_policy)))
        form.addRow(self.tr("When the conversation no longer fits"), self.context_policy)
        self.show_reasoning = QCheckBox(self.tr("Show the reasoning while it is written"))
        self.show_reasoning.setChecked(settings.show_reasoning)
        form.addRow(self.show_reasoning)

    def values(self) -> dict[str, Any]:
        return {"maths_mode": self.maths_mode.currentData(), "samples": self.samples.value(),
                "early_vote": self.early_vote.isChecked(), "preset": self.preset.currentData(),
                "context_policy": self.context_policy.currentData(),
                "show_reasoning": self.show_reasoning.isChecked()}
