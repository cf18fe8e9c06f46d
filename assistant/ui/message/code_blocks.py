"""A reply's code blocks: Copy on each, Run on Python ones (in the sandbox, chat/code_runs.py), and the result of
a run under its block — how it ended, stdout, stderr, the limits it ran under.

The controls and results are HTML put around each code block of the rendered answer (``Renderer.render(text,
code=...)``); their links (``code:copy:KEY``, ``code:run:KEY``, ``code:stop:KEY``, ``code:output:KEY``) come
back through the answer view's ``anchorClicked``. A run's record (``RunResult.to_dict()`` and a few more facts)
is kept in the message's metadata under ``extra["runs"][KEY]``, so it is there again when the conversation is
opened. The key is made from the block's language and code, so a record belongs to the code it ran.

Only Python runs: the sandbox runs Python and nothing else (no other programs may start in it). Other fenced
languages get Copy and say so.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QUrl, Signal
from PySide6.QtGui import QGuiApplication

from assistant.ui.common.theme import palette_for
from assistant.ui.render.markdown_html import CodeBlock, Renderer

RUNNABLE = frozenset({"python", "python3", "py"})
NO_LANGUAGE = frozenset({"", "text", "plain", "plaintext", "none"})
SHOWN_CHARS = 12_000  # of each stream under a block (the whole output is kept and copied)
_ERROR = {"light": "#cf222e", "dark": "#ff7b72"}
_GOOD = {"light": "#1a7f37", "dark": "#3fb950"}


def runnable(block: CodeBlock) -> bool:
    return block.language.lower() in RUNNABLE


class CodeBlocks(QObject):
    """The code blocks of one answer: their controls, their runs' records (stored and live), the clicks."""

    run_requested = Signal(str)  # key
    stop_requested = Signal(str)  # key
    changed = Signal()  # a record changed: the answer is rendered again

    def __init__(self, renderer: Renderer, theme: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.renderer, self.theme = renderer, theme
        self.runs: dict[str, dict[str, Any]] = {}  # key -> record ("state": "running" | "done" | "error")
        self.enabled = False  # Run is offered once the reply is written (not while it streams)
        self._blocks: dict[str, CodeBlock] = {}

    # ---- state -----------------------------------------------------------------------------------
    def load(self, stored: object) -> None:
        """The records kept with a stored message (``extra["runs"]``)."""
        kept = {k: dict(v) for k, v in stored.items() if isinstance(v, dict)} if isinstance(stored, dict) else {}
        # a run still going (CodeRuns showed it before the message was filled in) stays shown as running
        self.runs = {**kept, **{k: v for k, v in self.runs.items() if v.get("state") == "running"}}

    def set_run(self, key: str, record: dict[str, Any]) -> None:
        self.runs[key] = record
        self.changed.emit()

    def block(self, key: str) -> CodeBlock | None:
        return self._blocks.get(key)

    def set_theme(self, renderer: Renderer, theme: str) -> None:
        self.renderer, self.theme = renderer, theme

    # ---- clicks ----------------------------------------------------------------------------------
    def link_clicked(self, url: QUrl) -> bool:
        """Handle a ``code:`` link of the answer; False for any other link."""
        if url.scheme() != "code":
            return False
        action, _, key = url.path().partition(":")
        block = self._blocks.get(key)
        if action == "copy" and block is not None:
            _copy(block.code)
        elif action == "output" and key in self.runs:
            run = self.runs[key]
            _copy("".join(str(run.get(k) or "") for k in ("stdout", "stderr")))
        elif action == "run" and block is not None and runnable(block) and self.enabled:
            if self.runs.get(key, {}).get("state") != "running":
                self.run_requested.emit(key)
        elif action == "stop" and self.runs.get(key, {}).get("state") == "running":
            self.stop_requested.emit(key)
        return True

    # ---- HTML ------------------------------------------------------------------------------------
    def around(self, block: CodeBlock) -> tuple[str, str]:
        """The controls above a code block and its run's result below it (``Renderer.render``'s ``code``)."""
        self._blocks[block.key] = block
        p = palette_for(self.theme)
        muted = f'style="color:{p.muted};"'
        copy, stop, run_word = self.tr("Copy"), self.tr("Stop"), self.tr("Run")
        links = [f'<a href="code:copy:{block.key}">{copy}</a>']
        run = self.runs.get(block.key)
        if runnable(block) and self.enabled:
            if run is not None and run.get("state") == "running":
                links.append(f'<a href="code:stop:{block.key}">■ {stop}</a>')
            else:
                links.append(f'<a href="code:run:{block.key}">▶ {run_word}</a>')
        elif block.language.lower() not in NO_LANGUAGE and not runnable(block):
            only = self.tr("(only Python code runs here)")
            links.append(f"<span {muted}>{html.escape(only)}</span>")
        lang = f"<span {muted}>{html.escape(block.language)}</span>&nbsp;&nbsp;&nbsp;" \
            if block.language.lower() not in NO_LANGUAGE else ""
        above = f'<p style="margin-top:8px; margin-bottom:0px;">{lang}{"&nbsp;&nbsp;&nbsp;".join(links)}</p>'
        return above, self._result_html(block.key, run) if run is not None else ""

    def _result_html(self, key: str, run: dict[str, Any]) -> str:
        p = palette_for(self.theme)
        state = run.get("state")
        if state == "running":
            running = self.tr("Running in the sandbox…")
            return (f'<p style="margin-top:2px; color:{p.muted};">{html.escape(running)} '
                    f"({html.escape(self._limits_text(run.get('limits')))})</p>")
        if state == "error":
            text = html.escape(str(run.get("error") or ""))
            hint = html.escape(str(run.get("hint") or ""))
            return (f'<p style="margin-top:2px; color:{_ERROR.get(self.theme, _ERROR["light"])};">'
                    f"{text}{'<br />' + hint if hint else ''}</p>")
        ok = run.get("exit_code") == 0 and not (run.get("timed_out") or run.get("stopped") or run.get("killed"))
        colour = _GOOD if ok else _ERROR
        parts = [f'<span style="color:{colour.get(self.theme, colour["light"])}; font-weight:600;">'
                 f"{html.escape(self.ending(run))}</span>"]
        if run.get("stdout") or run.get("stderr"):
            copy_output = self.tr("Copy output")
            parts.append(f'<a href="code:output:{key}">{html.escape(copy_output)}</a>')
        out = [f'<p style="margin-top:4px; margin-bottom:0px;">{"&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts)}</p>']
        gap = self.tr("… %1 characters not shown …")
        for name, colour_of in (("stdout", None), ("stderr", _ERROR)):
            text = str(run.get(name) or "")
            if not text:
                continue
            colour_css = f" color:{colour_of.get(self.theme, colour_of['light'])};" if colour_of else ""
            out.append(f'<pre style="background-color:{p.code_bg}; padding:6px; margin-top:2px;{colour_css}">'
                       f"{html.escape(_shown(text, gap))}</pre>")
        if not run.get("stdout") and not run.get("stderr"):
            nothing = self.tr("(no output)")
            out.append(f'<p style="margin-top:2px; color:{p.muted};">{html.escape(nothing)}</p>')
        limits = self.tr("Sandbox: %1").replace("%1", self._limits_text(run.get("limits")))
        out.append(f'<p style="margin-top:2px; color:{p.muted};">{html.escape(limits)}</p>')
        return "".join(out)

    def ending(self, run: dict[str, Any]) -> str:
        """How a run ended, in words."""
        secs = float(run.get("seconds") or 0.0)
        limits = run.get("limits")
        limits = limits if isinstance(limits, dict) else {}
        if run.get("stopped"):
            return self.tr("Stopped after %1 s").replace("%1", f"{secs:.1f}")
        if run.get("timed_out"):
            limit = f"{float(limits.get('time_s') or 0):g}"
            return self.tr("Timed out: stopped at the %1 s limit").replace("%1", limit)
        if run.get("killed"):
            sig = run.get("signal")
            why = {9: self.tr("the memory or CPU time limit"), 24: self.tr("the CPU time limit"),
                   31: self.tr("a forbidden system call"), 11: self.tr("a crash")}.get(
                sig if isinstance(sig, int) else 0, self.tr("a limit"))
            return self.tr("Killed by signal %1 (%2) after %3 s").replace("%1", str(sig)).replace("%2", why) \
                .replace("%3", f"{secs:.1f}")
        return self.tr("Exit status %1 · %2 s").replace("%1", str(run.get("exit_code"))).replace("%2", f"{secs:.2f}")

    def _limits_text(self, limits: object) -> str:
        """The sandbox's limits in words (a record's ``limits`` dict)."""
        if not isinstance(limits, dict):
            return ""
        threads = int(limits.get("threads") or 0)
        parts = [
            self.tr("%1 s").replace("%1", f"{float(limits.get('time_s') or 0):g}"),
            self.tr("%1 MB memory").replace("%1", str(limits.get("memory_mb"))),
            self.tr("no network"),
            self.tr("a %1 MB scratch folder (at most %2 files)").replace("%1", str(limits.get("scratch_mb")))
            .replace("%2", f"{int(limits.get('files') or 0):,}"),
            self.tr("no other programs"),
            self.tr("up to %1 threads").replace("%1", str(threads)) if threads else self.tr("no threads"),
            self.tr("no access to your files"),
        ]
        if "threads" not in limits:  # not known before the first run
            parts.pop(5)
        return ", ".join(parts)


def _shown(text: str, gap: str) -> str:
    """At most SHOWN_CHARS of a stream: its start and its end, the middle said."""
    if len(text) <= SHOWN_CHARS:
        return text
    head, tail = text[:SHOWN_CHARS * 3 // 4], text[-SHOWN_CHARS // 4:]
    return f"{head}\n{gap.replace('%1', f'{len(text) - len(head) - len(tail):,}')}\n{tail}"


def _copy(text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)
