"""`assistant eval`: a task suite × runs (× a sweep) on a model and backend, with a report.

Thin over :mod:`assistant.core.eval`; results are kept under the data folder and an interrupted run
continues where it stopped (automatically for the same evaluation, or with ``--resume RUN_ID``).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from assistant.core.errors import ConfigError
from assistant.core.units import human_duration

# What --resume takes back from the stored run: the options that decide what is run.
RESUMED_OPTIONS = ("suite", "kind", "limit", "runs", "sweep", "model", "backend", "server_url", "temperature",
                   "top_p", "max_tokens", "samples", "think_budget", "force_thinking", "on_loop", "preset", "ctx",
                   "seed", "docs_mode")


def add_parser(subparsers: Any) -> None:
    from assistant.cli import add_generation_options
    from assistant.core.eval.tasks import KINDS

    p = subparsers.add_parser(
        "eval", help="measure a model: accuracy, tokens and time on maths, instructions and knowledge",
        description="Run a task suite (built in, or your own JSONL) several times on a model and backend, "
        "through the app's prompt layer, and report accuracy per kind (mean and spread over runs), vote "
        "accuracy, tokens, time and failures. Results are kept; an interrupted run resumes.",
    )
    add_generation_options(p)
    g = p.add_argument_group("evaluation")
    g.add_argument("--suite", action="append", metavar="builtin|PATH.jsonl",
                   help="tasks to run (repeatable; default: the built-in suite)")
    g.add_argument("--kind", action="append", choices=KINDS, help="only tasks of this kind (repeatable)")
    g.add_argument("--runs", type=int, help="runs of every task (default 5)")
    g.add_argument("--limit", type=int, help="only the first N tasks of each kind (a quick run)")
    g.add_argument("--sweep", metavar="temperature=0.4,0.6,0.8|samples=1,3,5",
                   help="run the suite once per value and compare")
    g.add_argument("--docs-mode", choices=("hybrid", "bm25", "vector", "none"),
                   help="docs tasks: how passages are found, or none to ask without the documents (default hybrid)")
    g.add_argument("--json", action="store_true", help="print the summary as JSON instead of a table")
    g.add_argument("--report", action="append", metavar="FILE.html|FILE.md|FILE.json",
                   help="write a report (charts included; repeatable)")
    g.add_argument("--resume", metavar="RUN_ID", help="continue this stored run (same model and backend)")
    g.add_argument("--new", action="store_true", help="start a new run even when the same one is unfinished")
    g.add_argument("--show", metavar="RUN_ID", help="report on a stored run without running anything")
    g.add_argument("--list", action="store_true", help="list the stored runs")
    g.add_argument("--list-tasks", action="store_true", help="list the tasks that would run")
    p.set_defaults(func=cmd_eval)


class EvalProgressBar:
    """One line on stderr: bar, tasks done, the task running, time left; plain lines when not a terminal."""

    def __init__(self, runs: int, out: TextIO = sys.stderr, width: int = 24) -> None:
        self.out, self.width, self.runs = out, width, runs
        self.tty = out.isatty()
        self._last_line = 0.0
        self._told_resume = False

    def __call__(self, p: Any) -> None:
        if p.skipped and not self._told_resume:
            self._told_resume = True
            self.out.write(f"Resuming: {p.skipped} of {p.total} tasks already done.\n")
        filled = int(self.width * p.fraction)
        bar = "#" * filled + "-" * (self.width - filled)
        left = "" if p.eta_s is None else f" · {human_duration(p.eta_s)} left"
        now = f" {p.kind} {p.task} · run {p.run}/{self.runs} · {p.point}" if p.task else " done"
        line = f"[{bar}] {p.done}/{p.total} {100 * p.fraction:3.0f}%{now}{left}"
        if self.tty:
            self.out.write("\r\x1b[2K" + line + ("\n" if not p.task else ""))
        elif not p.task or time.monotonic() - self._last_line >= 5 or p.total <= 60:
            self._last_line = time.monotonic()
            self.out.write(line + "\n")
        self.out.flush()


def _request(args: argparse.Namespace) -> dict[str, Any]:
    return {k: getattr(args, k, None) for k in RESUMED_OPTIONS}


def write_reports(summary: dict[str, Any], paths: list[str]) -> list[Path]:
    from assistant.core.eval.report import to_html, to_markdown

    written = []
    for name in paths:
        path = Path(name).expanduser()
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            text = to_html(summary)
        elif suffix in (".md", ".markdown"):
            text = to_markdown(summary)
        elif suffix == ".json":
            text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
        else:
            raise ConfigError(f"Cannot tell the report format of {name}.", hint="Name it .html, .md or .json.")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _print_summary(summary: dict[str, Any], args: argparse.Namespace, extra: dict[str, Any]) -> None:
    from assistant.core.eval.report import format_table

    if args.json:
        json.dump({**summary, **extra}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table(summary))
    for path in write_reports(summary, args.report or []):
        print(f"Report written to {path}", file=sys.stderr)


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.core.eval import runner
    from assistant.core.eval.tasks import load_suites

    if args.list:
        runs = runner.list_runs()
        if args.json:
            json.dump(runs, sys.stdout, indent=2)
            sys.stdout.write("\n")
        for r in [] if args.json else runs:
            state = "finished" if r["finished"] else f"unfinished {r['records']}/{r['expected']}"
            print(f"{r['run_id']}  {r['model']} · {r['backend']} · {state}")
        return 0
    if args.show:
        result = runner.open_result(runner.find_run(args.show))
        _print_summary(result.summary(), args, {"run_dir": str(result.run_dir)})
        return 0
    if args.maths is not None or args.system is not None:
        raise ConfigError("--maths and --system do not apply to eval.",
                          hint="Maths tasks always get the step-by-step + \\boxed{} directive, the others never; "
                          "tasks have no system prompt.")
    run_dir = None
    if args.resume:
        run_dir = runner.find_run(args.resume)
        stored = runner.load_manifest(run_dir).get("request", {})
        for k in RESUMED_OPTIONS:  # the stored run decides; what is given again must agree (the hash checks)
            if stored.get(k) is not None and getattr(args, k, None) is None:
                setattr(args, k, stored[k])
    limit = args.limit or 0
    if limit < 0 or (args.runs is not None and args.runs < 1):
        raise ConfigError("--limit is at least 0 and --runs at least 1.")
    tasks = load_suites(args.suite or ["builtin"], args.kind or (), limit)
    if args.list_tasks:
        for t in tasks:
            print(f"{t.id:24} {t.kind:9} {t.lang}  {t.prompt[:70]}")
        return 0
    sweep, values = runner.parse_sweep(args.sweep) if args.sweep else ("", ())
    config = runner.EvalConfig(runs=args.runs or 5, sweep=sweep, values=values, preset=args.preset or "",
                               docs=args.docs_mode or "hybrid")
    if args.seed is not None:
        config.seed = args.seed
    return _run(args, tasks, config, run_dir)


def _run(args: argparse.Namespace, tasks: list[Any], config: Any, run_dir: Path | None) -> int:
    from assistant.cli import cap_max_tokens, settings_from_args
    from assistant.commands.signals import sigint_cancels
    from assistant.core.backends import open_backend
    from assistant.core.eval import runner

    settings = settings_from_args(args)
    settings.sampling.seed = None  # the runner seeds every task itself
    print(f"Loading {settings.model} ({settings.backend})…", file=sys.stderr)
    backend = open_backend(settings)
    try:
        cap_max_tokens(settings, backend.info.n_ctx)
        ev = runner.EvalRunner(backend, settings, tasks, config, run_dir=run_dir, resume=not args.new,
                               request=_request(args))
        n_points = len(ev.points)
        print(f"{len(tasks)} tasks × {config.runs} runs" + (f" × {n_points} settings" if n_points > 1 else "")
              + f" on {backend.info.name} ({backend.name}) · run {ev.run_id}", file=sys.stderr)
        cancel = threading.Event()
        with sigint_cancels(cancel):
            result = ev.run(EvalProgressBar(config.runs), cancel)
    finally:
        backend.close()
    _print_summary(result.summary(), args, {"run_dir": str(result.run_dir), "skipped": result.skipped})
    if result.cancelled:
        print(f"Stopped: {len(result.records)} tasks recorded. Continue with: assistant eval --resume {result.run_id}",
              file=sys.stderr)
        return 130
    return 0
