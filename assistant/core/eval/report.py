"""Aggregate an evaluation's records and render them: a terminal table, JSON, Markdown and a self-contained
HTML page whose charts are inline SVG drawn here (no scripts, no network).

Accuracy of one record is the share of its samples that were right; a kind's accuracy in one run is the mean
over its tasks; the reported accuracy is the mean over runs and its spread the standard deviation over runs.
Vote accuracy scores the answer the vote chose (with one sample it equals accuracy).
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from assistant.core.eval.scorers import CAUSES
from assistant.core.eval.tasks import KINDS

ALL = "all"
COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def _label(point: dict[str, Any]) -> str:
    n = int(point["samples"])
    return f"T={float(point['temperature']):g}" + (f" · vote of {n}" if n > 1 else "")


def _key(point: dict[str, Any]) -> str:
    return f"t{float(point['temperature']):g}-n{int(point['samples'])}"


def kind_stats(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    runs = sorted({int(r["run"]) for r in records})
    per_run = [_mean([_mean([float(ok) for ok in r["ok"]]) for r in records if r["run"] == run]) for run in runs]
    vote_run = [_mean([float(r["vote_ok"]) for r in records if r["run"] == run]) for run in runs]
    causes = Counter(c for r in records for c in r["causes"] if c)
    completion = sum(int(r["completion_tokens"]) for r in records)
    gen = sum(float(r["gen_seconds"]) for r in records)
    return {
        "tasks": len({r["task"] for r in records}), "runs": len(runs), "records": len(records),
        "samples": sum(len(r["ok"]) for r in records),
        "accuracy": round(_mean(per_run), 4),
        "accuracy_sd": round(statistics.stdev(per_run), 4) if len(per_run) > 1 else 0.0,
        "accuracy_per_run": [round(a, 4) for a in per_run],
        "vote_accuracy": round(_mean(vote_run), 4),
        "vote_accuracy_sd": round(statistics.stdev(vote_run), 4) if len(vote_run) > 1 else 0.0,
        "answer_tokens": round(_mean([float(r["answer_tokens"]) for r in records]), 1),
        "reasoning_tokens": round(_mean([float(r["reasoning_tokens"]) for r in records]), 1),
        "seconds": round(_mean([float(r["seconds"]) for r in records]), 3),
        "total_seconds": round(sum(float(r["seconds"]) for r in records), 3),
        "tokens_per_s": round(completion / gen, 2) if gen > 0 else 0.0,
        "failures": {c: causes[c] for c in CAUSES if causes[c]},
    }


def summarise(records: Sequence[dict[str, Any]], manifest: dict[str, Any]) -> dict[str, Any]:
    points = manifest.get("points") or [{"temperature": r["temperature"], "samples": r["samples"]} for r in records[:1]]
    kinds = [k for k in KINDS if any(t["kind"] == k for t in manifest.get("tasks", []))] or list(KINDS)
    out_points = []
    for p in points:
        recs = [r for r in records if r["point"] == _key(p)]
        by_kind = {k: kind_stats([r for r in recs if r["kind"] == k]) for k in kinds}
        by_kind[ALL] = kind_stats(recs)
        out_points.append({"key": _key(p), "label": _label(p), "temperature": p["temperature"],
                           "samples": p["samples"], "kinds": by_kind})
    model = manifest.get("model", {})
    expected = len(manifest.get("tasks", [])) * len(points) * int(manifest.get("runs", 0))
    return {"run_id": manifest.get("run_id", ""), "model": model.get("name", ""),
            "quantization": model.get("quantization", ""), "backend": manifest.get("backend", ""),
            "runs": manifest.get("runs", 0), "finished": bool(manifest.get("finished")),
            "records": len(records), "expected": expected, "kinds": kinds, "points": out_points}


# ---------------------------------------------------------------------------------------------------
# Text


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _failures(f: dict[str, int]) -> str:
    names = {"no_boxed": "no box", "reasoning_only": "only in reasoning", "length": "cut", "wrong": "wrong",
             "no_sandbox": "no sandbox", "error": "error"}
    return ", ".join(f"{names.get(k, k)} {v}" for k, v in f.items()) or "—"


def _rows(summary: dict[str, Any]) -> list[list[str]]:
    rows = []
    for p in summary["points"]:
        for kind in [*summary["kinds"], ALL]:
            s = p["kinds"][kind]
            if not s["records"]:
                continue
            rows.append([p["label"], kind, f"{s['tasks']}×{s['runs']}",
                         f"{_pct(s['accuracy'])} ±{100 * s['accuracy_sd']:.0f}", _pct(s["vote_accuracy"]),
                         f"{s['answer_tokens']:.0f}", f"{s['reasoning_tokens']:.0f}", f"{s['seconds']:.1f}",
                         f"{s['tokens_per_s']:.1f}", _failures(s["failures"])])
    return rows


HEADER = ["setting", "kind", "tasks×runs", "accuracy", "vote", "answer tok", "reasoning tok", "s/task", "tok/s",
          "failures"]


def format_table(summary: dict[str, Any]) -> str:
    rows = [HEADER, *_rows(summary)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = [f"{summary['model']} on {summary['backend']} · run {summary['run_id']}"
             + ("" if summary["finished"] else f" · unfinished ({summary['records']}/{summary['expected']})")]
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def to_markdown(summary: dict[str, Any]) -> str:
    lines = [f"# Evaluation: {summary['model']}", "",
             f"Backend {summary['backend']} · {summary['runs']} runs · run `{summary['run_id']}`"
             + ("" if summary["finished"] else f" · **unfinished** ({summary['records']}/{summary['expected']})"),
             "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in _rows(summary)]
    lines += ["", "## Accuracy per kind", "", svg_bars(summary)]
    if len(summary["points"]) > 1:
        lines += ["", "## Accuracy vs time", "", svg_scatter(summary)]
    return "\n".join(lines) + "\n"


def to_html(summary: dict[str, Any]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in _rows(summary))
    state = "" if summary["finished"] else f" · <b>unfinished</b> ({summary['records']}/{summary['expected']})"
    scatter = f"<h2>Accuracy vs time</h2>{svg_scatter(summary)}" if len(summary["points"]) > 1 else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation: {e(summary['model'])}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}td:nth-child(-n+2),th{{text-align:left}}
th{{background:#f3f3f3}}</style></head><body>
<h1>Evaluation: {e(summary['model'])}</h1>
<p>Backend {e(summary['backend'])} · {summary['runs']} runs · run <code>{e(summary['run_id'])}</code>{state}</p>
<table><tr>{head}</tr>{body}</table>
<h2>Accuracy per kind</h2>{svg_bars(summary)}{scatter}
</body></html>
"""


# ---------------------------------------------------------------------------------------------------
# Charts


def svg_bars(summary: dict[str, Any], width: int = 640, height: int = 260) -> str:
    """Accuracy per kind, one bar per sweep point, with the spread over runs as a whisker."""
    kinds = [*summary["kinds"], ALL]
    points = summary["points"]
    left, bottom, top = 40, 40, 30
    plot_h = height - bottom - top
    group_w = (width - left - 10) / len(kinds)
    bar_w = min(40.0, group_w * 0.8 / max(1, len(points)))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:.0%}</text>')
    for gi, kind in enumerate(kinds):
        x0 = left + gi * group_w + (group_w - bar_w * len(points)) / 2
        for pi, p in enumerate(points):
            s = p["kinds"][kind]
            h = plot_h * s["accuracy"]
            x = x0 + pi * bar_w
            y = top + plot_h - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w * 0.9:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[pi % len(COLOURS)]}"><title>{html.escape(p["label"])} {kind}: '
                         f'{s["accuracy"]:.0%}</title></rect>')
            if s["accuracy_sd"]:
                cx = x + bar_w * 0.45
                lo = top + plot_h * (1 - max(0.0, s["accuracy"] - s["accuracy_sd"]))
                hi = top + plot_h * (1 - min(1.0, s["accuracy"] + s["accuracy_sd"]))
                parts.append(f'<line x1="{cx:.1f}" y1="{lo:.1f}" x2="{cx:.1f}" y2="{hi:.1f}" stroke="#333"/>')
        parts.append(f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle">{html.escape(kind)}</text>')
    for pi, p in enumerate(points):  # legend
        x = left + pi * 150
        parts.append(f'<rect x="{x}" y="8" width="10" height="10" fill="{COLOURS[pi % len(COLOURS)]}"/>'
                     f'<text x="{x + 14}" y="17">{html.escape(p["label"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_scatter(summary: dict[str, Any], width: int = 480, height: int = 300) -> str:
    """Overall accuracy against seconds per task, one dot per sweep point."""
    points = summary["points"]
    left, bottom, top, right = 50, 40, 20, 20
    xs = [p["kinds"][ALL]["seconds"] for p in points]
    x_max = max(xs) * 1.15 if xs and max(xs) > 0 else 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" role="img">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
             f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle">seconds per task</text>',
             f'<text x="12" y="{top + plot_h / 2:.0f}" transform="rotate(-90 12 {top + plot_h / 2:.0f})" '
             f'text-anchor="middle">accuracy</text>']
    for tick in (0, 0.5, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:.0%}</text>')
    parts.append(f'<text x="{width - right}" y="{top + plot_h + 14}" text-anchor="end">{x_max:.1f}</text>')
    for pi, p in enumerate(points):
        s = p["kinds"][ALL]
        cx = left + plot_w * s["seconds"] / x_max
        cy = top + plot_h * (1 - s["accuracy"])
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{COLOURS[pi % len(COLOURS)]}">'
                     f'<title>{html.escape(p["label"])}: {s["accuracy"]:.0%}, {s["seconds"]:.1f} s</title></circle>'
                     f'<text x="{cx + 7:.1f}" y="{cy - 6:.1f}">{html.escape(p["label"])}</text>')
    parts.append("</svg>")
    return "".join(parts)
