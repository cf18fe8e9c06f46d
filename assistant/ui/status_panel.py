"""The status bar: loading progress, model, backend, speed of the last reply, context used, serving."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from assistant.core.chat.turn import ContextReport

# Above this share of the context (with room kept for the reply) the label warns.
NEARLY_FULL = 0.8


class StatusPanel(QWidget):
    """Not a widget on screen itself: it fills a QStatusBar and keeps the state to re-translate it."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.hide()
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(140)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        bar.addWidget(self.progress_label, 1)
        bar.addWidget(self.progress_bar)
        self.serve_label = QLabel()
        self.model_label = QLabel()
        self.backend_label = QLabel()
        self.speed_label = QLabel()
        self.context_label = QLabel()
        for w in (self.serve_label, self.model_label, self.backend_label, self.speed_label, self.context_label):
            bar.addPermanentWidget(w)
        self.serve_label.hide()
        self.model_name = ""
        self.backend = ""
        self.loading = False
        self.speed = 0.0
        self.context: ContextReport | None = None
        self.serve_url = ""

    # ---- state -----------------------------------------------------------------------------------
    def set_progress(self, message: str, fraction: object) -> None:
        self.progress_label.setText(message)
        if isinstance(fraction, (int, float)):
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(float(fraction) * 1000))
        else:
            self.progress_bar.setRange(0, 0)  # busy indicator
        self.progress_bar.show()

    def clear_progress(self) -> None:
        self.progress_label.setText("")
        self.progress_bar.hide()

    def set_model(self, name: str, backend: str, loading: bool = False) -> None:
        self.model_name, self.backend, self.loading = name, backend, loading
        self.refresh()

    def set_speed(self, tokens_per_second: float) -> None:
        self.speed = tokens_per_second
        self.refresh()

    def set_context(self, report: ContextReport | None) -> None:
        self.context = report
        self.refresh()

    def set_serving(self, url: str) -> None:
        self.serve_url = url
        self.refresh()

    # ---- texts -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.loading:
            self.model_label.setText(self.tr("Model: loading…"))
        elif self.model_name:
            self.model_label.setText(self.tr("Model: %1").replace("%1", self.model_name))
        else:
            self.model_label.setText(self.tr("No model loaded"))
        self.backend_label.setText(self.backend)
        self.speed_label.setText(self.tr("%1 tok/s").replace("%1", f"{self.speed:.1f}") if self.speed else "")
        self.serve_label.setVisible(bool(self.serve_url))
        self.serve_label.setText(self.tr("Serving at %1").replace("%1", self.serve_url) if self.serve_url else "")
        self._context_text()

    def context_state(self) -> str:
        """"" | "ok" | "nearly_full" | "dropping" | "full"."""
        r = self.context
        if r is None or not r.n_ctx:
            return ""
        if r.dropped_messages < 0:
            return "full"
        if r.dropped_messages > 0:
            return "dropping"
        if r.prompt_tokens + r.reserve > NEARLY_FULL * r.n_ctx:
            return "nearly_full"
        return "ok"

    def _context_text(self) -> None:
        r = self.context
        state = self.context_state()
        used = f"{r.prompt_tokens:,} / {r.n_ctx:,}" if r is not None else ""
        texts = {
            "": "",
            "ok": self.tr("Context %1"),
            "nearly_full": self.tr("Context %1 — nearly full"),
            "dropping": self.tr("Context %1 — too long: the oldest messages are left out"),
            "full": self.tr("Context %1 — full: start a new chat or raise the context size"),
        }
        name = {"nearly_full": "contextWarning", "dropping": "contextWarning", "full": "contextFull"}.get(state, "")
        lbl = self.context_label
        lbl.setText(texts[state].replace("%1", used))
        lbl.setToolTip(self.tr("Tokens the conversation takes in the model's context window"))
        if lbl.objectName() != name:
            lbl.setObjectName(name)
            lbl.style().unpolish(lbl)
            lbl.style().polish(lbl)
