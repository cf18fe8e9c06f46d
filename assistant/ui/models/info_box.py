"""The model manager's info box: what model_details() says about the selected model, in the UI's language —
human labels, sizes in MB/GB, contexts in tokens, the memory it needs at the chosen context and whether that
fits here, downloaded or not in words — laid out as a table of label and value pairs.

The core's dictionary is keyed for programs (``catalog_id``, ``downloaded: False``); none of its keys is shown.
Values that are the model's own words (its name, file, licence, architecture id, tokenizer) are shown as the
model states them; ``verbatim`` lists them, so a check for untranslated text can tell them apart."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from assistant.core.units import human_bytes

# Architecture ids (GGUF general.architecture) as their makers write them; others are shown as they are.
ARCHITECTURES = {"llama": "Llama", "qwen2": "Qwen2", "qwen3": "Qwen3", "qwen2moe": "Qwen2-MoE",
                 "qwen3moe": "Qwen3-MoE", "bert": "BERT", "gemma": "Gemma", "gemma2": "Gemma 2", "gemma3": "Gemma 3",
                 "phi3": "Phi-3", "mistral": "Mistral", "deepseek2": "DeepSeek-V2"}
FAMILIES = {"deepseek-r1": "DeepSeek-R1", "chatml": "ChatML", "llama3": "Llama 3", "qwen3": "Qwen3",
            "qwen3-thinking": "Qwen3 (thinking)"}


def parameters_text(n: int | None) -> str:
    """1777088000 -> "1.78 B", 134515008 -> "135 M" (the count model names use)."""
    if not n:
        return "?"
    return f"{n / 1e9:.2f} B" if n >= 1e9 else f"{n / 1e6:.0f} M"


class InfoBox(QTextBrowser):
    """Read-only; ``show_details`` fills it from model_details(), ``setPlainText`` shows anything else (the
    verify report). ``rows`` keeps the (label, value) pairs last shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.rows: list[tuple[str, str]] = []
        self.verbatim: list[str] = []

    # ---- words -----------------------------------------------------------------------------------
    def _tokens(self, n: int | None) -> str:
        return self.tr("%1 tokens").replace("%1", f"{n:,}") if n else "?"

    def _fit(self, fit: str) -> str:
        return {"fits": self.tr("fits"), "tight": self.tr("tight"), "won't fit": self.tr("won't fit")}.get(fit, fit)

    def _need(self, memory: int | None, fit: str, n_ctx: int) -> str:
        return self.tr("%1 at a context of %2 (%3)").replace("%1", human_bytes(memory)).replace(
            "%2", self._tokens(n_ctx)).replace("%3", self._fit(fit))

    def _status(self, d: dict[str, Any]) -> str:
        if d.get("downloaded") is False:
            return self.tr("not downloaded")
        where = {"bundled": self.tr("bundled with the app"), "download": self.tr("downloaded"),
                 "import": self.tr("imported"), "convert": self.tr("converted"),
                 "hf-cache": self.tr("from the Hugging Face cache")}.get(d.get("source", ""), d.get("source", ""))
        if d.get("in_place"):
            where += self.tr(" (in place)")
        usable = (self.tr("ready") if d.get("usable", True)
                  else self.tr("unusable: %1").replace("%1", d.get("error", "")))
        return f"{where} · {usable}"

    def _checksum(self, d: dict[str, Any]) -> str:
        return {"catalog sha256": self.tr("checked against the catalog's SHA-256"),
                "hub sha256": self.tr("checked against the hub's SHA-256"),
                "hub git sha1": self.tr("checked against the hub's git hash"),
                "size only": self.tr("size checked only")}.get(d.get("verified_by", ""), self.tr("not checked yet"))

    # ---- the box ---------------------------------------------------------------------------------
    def details_rows(self, d: dict[str, Any]) -> list[tuple[str, str]]:
        """The (label, value) pairs for model_details()' dictionary ``d``, in the order they are shown."""
        arch = d.get("architecture") or ""
        family = d.get("family") or ""
        self.verbatim = [v for v in (d.get("name"), d.get("file"), d.get("path"), d.get("license"), arch,
                                     FAMILIES.get(family), d.get("tokenizer"), d.get("error"),
                                     *d.get("warnings", [])) if v]
        rows = [(self.tr("Model"), d.get("name") or "?")]
        if d.get("file"):
            rows.append((self.tr("File"), d["file"]))
        rows.append((self.tr("Status"), self._status(d)))
        rows.append((self.tr("Architecture"), f"{ARCHITECTURES.get(arch, arch)} ({arch})" if arch else "?"))
        rows.append((self.tr("Parameters"), parameters_text(d.get("parameters"))))
        rows.append((self.tr("Trained context"), self._tokens(d.get("context_length"))))
        rows.append((self.tr("Prompt format"),
                     self.tr("plain text") if family == "plain" else FAMILIES.get(family, family) or "?"))
        if d.get("kind") == "embedding":
            rows.append((self.tr("Kind"), self.tr("embedding model (for documents)")))
        if d.get("license"):
            rows.append((self.tr("Licence"), d["license"]))
        sampling = d.get("sampling") or {}
        if sampling:
            rows.append((self.tr("Recommended sampling"), self.tr("temperature %1 · top p %2").replace(
                "%1", str(sampling.get("temperature", "?"))).replace("%2", str(sampling.get("top_p", "?")))))
        n_ctx = int(d.get("n_ctx") or 0)
        for quant, q in (d.get("quantizations") or {}).items():
            size = ("" if q.get("size_exact", True) else "~") + human_bytes(q.get("size"))  # ~: the catalog's guess
            rows.append((self.tr("%1 quantization").replace("%1", quant), self.tr("file %1 · needs %2").replace(
                "%1", size).replace("%2", self._need(q.get("memory"), q.get("fit", ""), n_ctx))))
        if d.get("quantization"):
            rows.append((self.tr("Quantization"), d["quantization"]))
        if d.get("size"):
            rows.append((self.tr("File size"), human_bytes(d["size"])))
        if d.get("memory"):
            rows.append((self.tr("Memory needed"), self._need(d["memory"], d.get("fit", ""), n_ctx)))
        if d.get("block_count"):
            rows.append((self.tr("Layers"), f"{d['block_count']:,}"))
        if d.get("vocab_size"):
            rows.append((self.tr("Vocabulary"), self._tokens(d["vocab_size"])))
        if d.get("kv_bytes_per_token"):
            kv = human_bytes(d["kv_bytes_per_token"])
            rows.append((self.tr("KV cache"), self.tr("%1 per token").replace("%1", kv)))
        if d.get("tokenizer"):
            rows.append((self.tr("Tokenizer"), d["tokenizer"]))
        if "default_threads" in d:
            rows.append((self.tr("Runs here with"), self.tr("%1 threads · %2 layers on the GPU").replace(
                "%1", str(d["default_threads"])).replace("%2", str(d.get("default_gpu_layers", 0)))))
        if d.get("tensor_types"):
            types = sorted(d["tensor_types"].items(), key=lambda kv: -kv[1])
            rows.append((self.tr("Tensor types"), " · ".join(f"{t} ×{n}" for t, n in types)))
        if d.get("gguf_version"):
            rows.append((self.tr("GGUF file"), self.tr("version %1 · %2 tensors").replace(
                "%1", str(d["gguf_version"])).replace("%2", f"{d.get('n_tensors', 0):,}")))
        if "verified_by" in d and d.get("source") != "bundled":
            rows.append((self.tr("Checksum"), self._checksum(d)))
        if d.get("path"):
            rows.append((self.tr("Location"), d["path"]))
        for warning in d.get("warnings") or []:
            rows.append((self.tr("Warning"), warning))
        return rows

    def show_details(self, d: dict[str, Any]) -> None:
        self.rows = self.details_rows(d)
        cells = "".join(
            f"<tr><td style='padding-right:12px; white-space:nowrap'><b>{html.escape(label)}</b></td>"
            f"<td>{html.escape(value)}</td></tr>" for label, value in self.rows)
        self.setHtml(f"<table cellspacing='0' cellpadding='1'>{cells}</table>")

    def setPlainText(self, text: str) -> None:
        self.rows, self.verbatim = [], []
        super().setPlainText(text)
