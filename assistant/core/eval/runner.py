"""Run a suite on a backend: tasks × runs × sweep points, through the app's own prompt layer (ChatTurn).

Every finished task is appended at once to ``<data>/eval/<run-id>/results.jsonl``; the run's
``manifest.json`` says what was asked (model, backend, tasks and their digests, options) and carries a hash
of it. Starting the same evaluation again finds the unfinished run with that hash and skips what is already
recorded, so an interrupted run (Ctrl+C, a crash, a closed laptop) continues where it stopped.

Front ends drive :func:`run_eval` / :class:`EvalRunner` with a progress callback and a cancel
``threading.Event`` (the GUI from a worker thread, the CLI from the main thread).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.chat.postprocess import final_boxed
from assistant.core.chat.protocol import Backend
from assistant.core.chat.sample_stream import SampleResult
from assistant.core.chat.turn import ChatTurn, TurnOptions, TurnResult
from assistant.core.errors import AssistantError, BackendUnavailableError, ConfigError
from assistant.core.eval import scorers
from assistant.core.eval.tasks import Task
from assistant.core.paths import app_paths
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

SWEEP_KEYS = ("temperature", "samples")
MANIFEST, RESULTS, SUMMARY = "manifest.json", "results.jsonl", "summary.json"
FORMAT_VERSION = 1
ANSWER_KEEP = 4000  # characters of each answer kept in the record (enough to see why it failed)


@dataclass(frozen=True)
class Point:
    """One setting of a sweep (or the only one)."""

    temperature: float
    samples: int

    @property
    def key(self) -> str:
        return f"t{self.temperature:g}-n{self.samples}"

    @property
    def label(self) -> str:
        return f"T={self.temperature:g}" + (f" · vote of {self.samples}" if self.samples > 1 else "")


@dataclass
class EvalConfig:
    runs: int = 5
    sweep: str = ""  # "" | "temperature" | "samples"
    values: tuple[float, ...] = ()
    seed: int = 20250101  # runs differ by seed; the same task and run get the same seed at every point
    preset: str = ""  # a role preset for every task; none by default, so results do not depend on settings
    docs: str = "hybrid"  # docs tasks: retrieval "hybrid" | "bm25" | "vector", or "none" (the question alone)

    def points(self, settings: Settings) -> list[Point]:
        t, n = settings.sampling.temperature, settings.samples
        if not self.sweep:
            return [Point(t, n)]
        if self.sweep == "temperature":
            return [Point(float(v), n) for v in self.values]
        return [Point(t, int(v)) for v in self.values]


def parse_sweep(text: str) -> tuple[str, tuple[float, ...]]:
    """``temperature=0.4,0.6,0.8`` or ``samples=1,3,5``."""
    key, _, values = text.partition("=")
    key = key.strip().lower()
    if key not in SWEEP_KEYS or not values.strip():
        raise ConfigError(f"Cannot read the sweep {text!r}.",
                          hint="Write it as temperature=0.4,0.6,0.8 or samples=1,3,5.")
    try:
        nums = tuple(float(v) for v in values.split(",") if v.strip())
    except ValueError:
        raise ConfigError(f"The sweep {text!r} has a value that is not a number.") from None
    if key == "samples" and any(v < 1 or v > 16 or v != int(v) for v in nums):
        raise ConfigError("Samples in a sweep are whole numbers from 1 to 16.")
    if key == "temperature" and any(v < 0 or v > 2 for v in nums):
        raise ConfigError("Temperatures in a sweep are between 0 and 2.")
    if len(set(nums)) != len(nums):
        raise ConfigError(f"The sweep {text!r} repeats a value.")
    return key, nums


@dataclass
class EvalProgress:
    done: int  # tasks recorded, this session and before
    total: int
    skipped: int  # recorded before this session (resumed)
    task: str = ""
    kind: str = ""
    point: str = ""
    run: int = 0
    elapsed_s: float = 0.0
    eta_s: float | None = None  # from this session's pace; None before the first task

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


ProgressFn = Callable[[EvalProgress], None]


@dataclass
class EvalResult:
    run_id: str
    run_dir: Path
    manifest: dict[str, Any]
    records: list[dict[str, Any]]
    skipped: int = 0
    cancelled: bool = False

    @property
    def finished(self) -> bool:
        return bool(self.manifest.get("finished"))

    def summary(self) -> dict[str, Any]:
        from assistant.core.eval.report import summarise

        return summarise(self.records, self.manifest)


def eval_root() -> Path:
    return app_paths().data_dir / "eval"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:40] or "model"


def task_seed(base: int, task: Task, run: int) -> int:
    h = hashlib.sha256(f"{base}|{task.id}|{run}".encode()).digest()
    return int.from_bytes(h[:4], "little") & 0x7FFFFFFF


def build_manifest(backend: Backend, settings: Settings, tasks: Sequence[Task], config: EvalConfig,
                   request: dict[str, Any] | None = None) -> dict[str, Any]:
    info = backend.info
    s = settings.sampling
    ident = {
        "format": FORMAT_VERSION,
        "model": {"name": info.name, "path": info.path, "size_bytes": info.size_bytes,
                  "quantization": info.quantization, "n_ctx": info.n_ctx},
        "backend": backend.name,
        "tasks": [{"id": t.id, "kind": t.kind, "lang": t.lang, "digest": t.digest} for t in tasks],
        "points": [dataclasses.asdict(p) for p in config.points(settings)],
        "runs": config.runs,
        "options": {"top_p": s.top_p, "top_k": s.top_k, "min_p": s.min_p, "repeat_penalty": s.repeat_penalty,
                    "max_tokens": s.max_tokens, "seed": config.seed, "preset": config.preset,
                    "thinking_budget": settings.thinking_budget, "answer_reserve": settings.answer_reserve,
                    "loop_action": settings.loop_action, "force_thinking": settings.force_thinking,
                    **({"docs": config.docs} if any(t.kind == "docs" for t in tasks) else {})},
    }
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()
    return {**ident, "hash": digest, "request": request or {}, "finished": False}


def load_manifest(run_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"No evaluation run at {run_dir}.", hint="`assistant eval --list` shows the runs.") \
            from exc
    if not isinstance(data, dict):
        raise ConfigError(f"The manifest of {run_dir} is damaged.")
    return data


def find_run(run_id: str) -> Path:
    path = eval_root() / run_id
    if not (path / MANIFEST).is_file():
        raise ConfigError(f"No evaluation run {run_id!r}.", hint="`assistant eval --list` shows the runs.")
    return path


def list_runs() -> list[dict[str, Any]]:
    """Every run on disk, newest first: id, model, backend, whether finished, records so far."""
    out = []
    root = eval_root()
    for d in sorted(root.glob("*/" + MANIFEST), reverse=True) if root.is_dir() else []:
        try:
            m = load_manifest(d.parent)
        except ConfigError:
            continue
        out.append({"run_id": d.parent.name, "model": m.get("model", {}).get("name", ""),
                    "backend": m.get("backend", ""), "finished": bool(m.get("finished")),
                    "records": len(read_records(d.parent)),
                    "expected": len(m.get("tasks", [])) * len(m.get("points", [])) * int(m.get("runs", 0))})
    return out


def find_unfinished(digest: str) -> Path | None:
    root = eval_root()
    if not root.is_dir():
        return None
    for f in sorted(root.glob("*/" + MANIFEST), reverse=True):
        try:
            m = load_manifest(f.parent)
        except ConfigError:
            continue
        if m.get("hash") == digest and not m.get("finished"):
            return f.parent
    return None


def read_records(run_dir: Path) -> list[dict[str, Any]]:
    """The records written so far; a last line cut by a kill mid-write is ignored (that task runs again)."""
    path = run_dir / RESULTS
    if not path.is_file():
        return []
    records = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("key") not in seen:
            seen.add(rec["key"])
            records.append(rec)
    return records


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def record_key(point: Point, run: int, task: Task) -> str:
    return f"{point.key}|{run}|{task.id}"


def reasoning_box(sample: SampleResult) -> str | None:
    """The last box of a sample's reasoning when the reasoning never ended: no answer, but a sign of one."""
    return None if sample.closed else final_boxed(sample.reasoning)


def make_record(task: Task, point: Point, run: int, seed: int, result: TurnResult | None, seconds: float,
                error: str = "") -> dict[str, Any]:
    rec: dict[str, Any] = {"key": record_key(point, run, task), "task": task.id, "kind": task.kind,
                           "lang": task.lang, "point": point.key, "temperature": point.temperature,
                           "samples": point.samples, "run": run, "seed": seed, "seconds": round(seconds, 3)}
    if result is None:
        return {**rec, "ok": [False], "causes": [scorers.ERROR], "vote_ok": False, "detail": error[:500],
                "answer": "", "boxed": None, "reasoning_box": None, "finish_reasons": [], "completion_tokens": 0,
                "reasoning_tokens": 0, "answer_tokens": 0, "prompt_tokens": 0, "gen_seconds": 0.0, "tokens_per_s": 0.0}
    scores = [scorers.score(task, s.answer, finish_reason=s.stats.finish_reason, reasoning_box=reasoning_box(s))
              for s in result.samples]
    usage = result.usage
    completion = int(usage["completion_tokens"])
    reasoning = int(usage["completion_tokens_details"]["reasoning_tokens"])
    gen = sum(s.stats.generation_seconds for s in result.samples)
    best = scores[result.chosen]
    return {**rec, "ok": [s.ok for s in scores], "causes": [s.cause for s in scores], "vote_ok": best.ok,
            "detail": best.detail[:500], "answer": result.answer[:ANSWER_KEEP],
            "boxed": final_boxed(result.answer), "reasoning_box": reasoning_box(result.best),
            "finish_reasons": [s.stats.finish_reason for s in result.samples], "completion_tokens": completion,
            "reasoning_tokens": reasoning, "answer_tokens": max(0, completion - reasoning),
            "prompt_tokens": int(usage["prompt_tokens"]), "gen_seconds": round(gen, 3),
            "tokens_per_s": round(completion / gen, 2) if gen > 0 else 0.0}


class EvalRunner:
    """One evaluation: a new run, or the unfinished one with the same manifest hash (``resume=True``), or the
    run in ``run_dir``."""

    def __init__(self, backend: Backend, settings: Settings, tasks: Sequence[Task], config: EvalConfig, *,
                 run_dir: Path | None = None, resume: bool = True, request: dict[str, Any] | None = None,
                 embedder: Any = None) -> None:
        """``embedder``: for docs tasks (default: the bundled embedding model, loaded when first needed)."""
        self._embedder = embedder
        self._docs: Any = None
        if not tasks:
            raise ConfigError("No tasks to run.")
        if config.runs < 1:
            raise ConfigError("An evaluation has at least one run.")
        self.backend, self.tasks, self.config = backend, list(tasks), config
        self.settings = copy.deepcopy(settings)
        self.points = config.points(self.settings)
        self.manifest = build_manifest(backend, self.settings, self.tasks, config, request)
        if run_dir is None and resume:
            run_dir = find_unfinished(self.manifest["hash"])
        if run_dir is not None:
            old = load_manifest(run_dir)
            if old.get("hash") != self.manifest["hash"]:
                raise ConfigError(f"The run {run_dir.name} was made with other tasks, options or model.",
                                  hint="Resume it with the same model and backend, or start a new run.")
            self.manifest = {**old, "finished": False}
        else:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{_slug(backend.info.name)}-{self.manifest['hash'][:8]}"
            run_dir = eval_root() / name
            n = 1
            while run_dir.exists():  # the same evaluation again within a second
                n += 1
                run_dir = eval_root() / f"{name}-{n}"
            self.manifest["created"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.run_dir = run_dir
        self.run_id = run_dir.name
        self.manifest["run_id"] = self.run_id

    @property
    def total(self) -> int:
        return len(self.tasks) * len(self.points) * self.config.runs

    def run(self, progress: ProgressFn | None = None, cancel: threading.Event | None = None) -> EvalResult:
        cancel = cancel or threading.Event()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        _write_json(self.run_dir / MANIFEST, self.manifest)
        records = read_records(self.run_dir)
        done = {r["key"] for r in records}
        skipped = len(done)
        t_start = time.monotonic()
        new = 0
        cancelled = False
        with (self.run_dir / RESULTS).open("a", encoding="utf-8") as out:
            for point in self.points:
                for run in range(1, self.config.runs + 1):
                    for task in self.tasks:
                        if record_key(point, run, task) in done:
                            continue
                        elapsed = time.monotonic() - t_start
                        left = self.total - len(done)
                        if progress is not None:
                            progress(EvalProgress(len(done), self.total, skipped, task.id, task.kind, point.label,
                                                  run, elapsed, elapsed / new * left if new else None))
                        if cancel.is_set():
                            cancelled = True
                            break
                        rec = self._one(task, point, run, cancel)
                        if rec is None:  # stopped mid-task: not recorded, it runs again on resume
                            cancelled = True
                            break
                        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                        out.flush()
                        os.fsync(out.fileno())
                        records.append(rec)
                        done.add(rec["key"])
                        new += 1
                    if cancelled:
                        break
                if cancelled:
                    break
        if progress is not None:
            progress(EvalProgress(len(done), self.total, skipped, elapsed_s=time.monotonic() - t_start, eta_s=0.0))
        self.manifest["finished"] = len(done) >= self.total
        result = EvalResult(self.run_id, self.run_dir, self.manifest, records, skipped, cancelled)
        if self.manifest["finished"]:
            self.manifest["completed"] = time.strftime("%Y-%m-%dT%H:%M:%S")
            _write_json(self.run_dir / SUMMARY, result.summary())
        _write_json(self.run_dir / MANIFEST, self.manifest)
        if self._docs is not None:
            self._docs.close()
            self._docs = None
        return result

    def _one(self, task: Task, point: Point, run: int, cancel: threading.Event) -> dict[str, Any] | None:
        seed = task_seed(self.config.seed, task, run)
        settings = self.settings
        settings.preset = self.config.preset
        options = TurnOptions.from_settings(settings, maths=task.kind == "maths", samples=point.samples,
                                            temperature=point.temperature, seed=seed)
        t0 = time.monotonic()
        prompt, extra = task.prompt, dict[str, Any]()
        try:
            if task.kind == "docs":
                prompt, extra = self._docs_prompt(task)
            turn = ChatTurn(self.backend, [], prompt, options, cancel=cancel)
            result = turn.run()
        except BackendUnavailableError:
            raise  # the server is gone: stop here rather than record every remaining task as an error
        except AssistantError as exc:
            if cancel.is_set():
                return None
            log.warning("eval task %s failed: %s", task.id, exc)
            return make_record(task, point, run, seed, None, time.monotonic() - t0, exc.user_text())
        if result.stopped or cancel.is_set():
            return None
        return {**make_record(task, point, run, seed, result, time.monotonic() - t0), **extra}

    def _docs_prompt(self, task: Task) -> tuple[str, dict[str, Any]]:
        from assistant.core.eval.docs_suite import DocsPrompts

        if self._docs is None:
            self._docs = DocsPrompts(self.config.docs, self._embedder)
        result: tuple[str, dict[str, Any]] = self._docs.prompt(task)
        return result


def run_eval(backend: Backend, settings: Settings, tasks: Sequence[Task], config: EvalConfig, *,
             progress: ProgressFn | None = None, cancel: threading.Event | None = None,
             run_dir: Path | None = None, resume: bool = True, request: dict[str, Any] | None = None) -> EvalResult:
    """Run (or resume) an evaluation and return its records; the summary is ``result.summary()``."""
    runner = EvalRunner(backend, settings, tasks, config, run_dir=run_dir, resume=resume, request=request)
    return runner.run(progress, cancel)


def open_result(run_dir: Path) -> EvalResult:
    """A run from disk (finished or not), for reports and side-by-side comparison."""
    manifest = load_manifest(run_dir)
    return EvalResult(run_dir.name, run_dir, manifest, read_records(run_dir))
