"""The runner and the report: exact arithmetic on scripted replies (votes, sweeps, causes, resume), then the
real bundled model end to end, in process and through llama_cpp.server as an OpenAI-compatible backend."""

from __future__ import annotations

import json
import statistics
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.core.backends.fake import FakeBackend
from assistant.core.errors import ConfigError
from assistant.core.eval import scorers
from assistant.core.eval.report import format_table, to_html, to_markdown
from assistant.core.eval.runner import (
    RESULTS,
    EvalConfig,
    EvalProgress,
    EvalRunner,
    open_result,
    parse_sweep,
    read_records,
    run_eval,
)
from assistant.core.eval.tasks import Task, load_suites
from assistant.core.settings import Settings


def suite(tmp_path: Path) -> list[Task]:
    f = tmp_path / "s.jsonl"
    rows = [{"id": "m1", "kind": "maths", "lang": "en", "prompt": "Rectangle: area?", "answer": 54},
            {"id": "k1", "kind": "knowledge", "lang": "zh", "prompt": "法国的首都？", "accepted": ["Paris", "巴黎"]}]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return load_suites([str(f)])


# Calls in order: point (samples 1, then 3) > run > task > sample.
REPLIES = [
    "\\boxed{54}", "巴黎。",  # n1 run 1: both right
    "\\boxed{55}", "Lyon",  # n1 run 2: both wrong
    "\\boxed{54}", "\\boxed{53}", "\\boxed{54}", "Paris", "Paris", "Rome",  # n3 run 1: 2/3 each, votes right
    "I think 54", "\\boxed{54}", "\\boxed{7}", "Rome", "Rome", "Paris",  # n3 run 2: 1/3 each, votes wrong
]


def test_vote_sweep_arithmetic_on_scripted_replies(tmp_path: Path) -> None:
    tasks = suite(tmp_path)
    backend = FakeBackend(replies=REPLIES, piece_chars=100)
    result = run_eval(backend, Settings(), tasks, EvalConfig(runs=2, sweep="samples", values=(1, 3)))
    assert len(backend.replies) == 0 and len(result.records) == 8 and result.finished
    # maths tasks got the directive, knowledge tasks did not
    prompts = [r.messages[-1].content for r in backend.requests]
    assert "boxed" in prompts[0] and "boxed" not in prompts[1]
    s = result.summary()
    n1, n3 = ({k: p["kinds"][k] for k in ("maths", "knowledge", "all")} for p in s["points"])
    assert n1["maths"]["accuracy"] == 0.5
    assert n1["maths"]["accuracy_sd"] == pytest.approx(statistics.stdev([1, 0]), 1e-3)
    assert n1["maths"]["accuracy_per_run"] == [1.0, 0.0] and n1["maths"]["failures"] == {"wrong": 1}
    assert n3["maths"]["accuracy_per_run"] == [pytest.approx(2 / 3, 1e-3), pytest.approx(1 / 3, 1e-3)]
    assert n3["maths"]["accuracy"] == pytest.approx(0.5, 1e-3)
    assert n3["maths"]["accuracy_sd"] == pytest.approx(statistics.stdev([2 / 3, 1 / 3]), 1e-3)
    assert n3["maths"]["vote_accuracy"] == 0.5
    assert n3["maths"]["vote_accuracy_sd"] == pytest.approx(0.7071, 1e-3)
    assert n3["maths"]["failures"] == {"no_boxed": 1, "wrong": 2} and n3["maths"]["samples"] == 6
    assert n3["knowledge"]["accuracy_per_run"] == [pytest.approx(2 / 3, 1e-3), pytest.approx(1 / 3, 1e-3)]
    assert n3["knowledge"]["vote_accuracy"] == 0.5 and n3["all"]["records"] == 4
    assert [p["label"] for p in s["points"]] == ["T=0.6", "T=0.6 · vote of 3"]
    # the reports carry the same numbers, with inline SVG charts and nothing fetched from anywhere
    table = format_table(s)
    assert "T=0.6 · vote of 3" in table and "no box 1, wrong 2" in table
    page = to_html(s)
    assert page.count("<svg") == 2 and "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    md = to_markdown(s)
    assert "Accuracy vs time" in md and "| T=0.6 · vote of 3 | maths | 1×2 | 50% ±24 | 50% |" in md


def test_a_box_only_in_unfinished_reasoning_is_its_own_cause(tmp_path: Path) -> None:
    """Issue 22: a reply cut at max tokens inside its reasoning gave no answer, even with the right number in a
    box there; it is counted apart ("answer only in reasoning"), not as right and not as a plain cut."""
    tasks = [t for t in suite(tmp_path) if t.kind == "maths"]
    cut = "<think>Width 6, length 9, so the area is \\boxed{54}. Let me check that once more, step by step, slowly."
    answered = "<think>6 × 9.</think>\\boxed{54}"
    settings = Settings()
    settings.sampling.max_tokens = 16  # the first reply is 27 pieces: cut in its reasoning, after the box
    settings.thinking_budget, settings.answer_reserve, settings.loop_action = 0, 0, "off"
    backend = FakeBackend(replies=[cut, answered], piece_chars=4)
    result = run_eval(backend, settings, tasks, EvalConfig(runs=2))
    first, second = result.records
    assert first["finish_reasons"] == ["length"] and first["boxed"] is None and first["reasoning_box"] == "54"
    assert first["ok"] == [False] and first["causes"] == [scorers.REASONING] and "(right)" in first["detail"]
    assert second["ok"] == [True] and second["boxed"] == "54" and second["reasoning_box"] is None
    for r in result.records:  # what a record stores scores the same again
        again = scorers.score(tasks[0], r["answer"], boxed=r["boxed"], finish_reason=r["finish_reasons"][0],
                              reasoning_box=r["reasoning_box"])
        assert [again.ok] == r["ok"] and [again.cause] == r["causes"], r
    stats = result.summary()["points"][0]["kinds"]["maths"]
    assert stats["accuracy"] == 0.5 and stats["failures"] == {"reasoning_only": 1}
    assert "only in reasoning 1" in format_table(result.summary())


def test_cancel_then_resume_runs_only_what_is_missing(tmp_path: Path) -> None:
    tasks = suite(tmp_path)
    backend = FakeBackend(pieces="\\boxed{54}", piece_chars=100)
    cancel = threading.Event()
    seen: list[EvalProgress] = []

    def progress(p: EvalProgress) -> None:
        seen.append(p)
        if p.done == 3:
            cancel.set()

    first = run_eval(backend, Settings(), tasks, EvalConfig(runs=3), progress=progress, cancel=cancel)
    assert first.cancelled and not first.finished and len(first.records) == 3 and len(backend.requests) == 3
    assert seen[1].eta_s is not None and seen[0].total == 6
    # the same evaluation again: found and continued, not started over
    again = run_eval(backend, Settings(), tasks, EvalConfig(runs=3))
    assert again.run_dir == first.run_dir and again.skipped == 3 and again.finished
    assert len(backend.requests) == 6 and len(read_records(again.run_dir)) == 6
    assert sorted(r["key"] for r in again.records) == sorted({r["key"] for r in again.records})
    # a finished run is not resumed: the same evaluation once more is a new run
    third = run_eval(backend, Settings(), tasks, EvalConfig(runs=3))
    assert third.run_dir != first.run_dir and third.skipped == 0
    # a line cut by a kill mid-write is ignored, and that task runs again
    with (third.run_dir / RESULTS).open("a") as f:
        f.write('{"key": "t0.6-n1|9|m1", "ok"')
    assert len(read_records(third.run_dir)) == 6
    # other options make another run; resuming a run with other options is refused
    with pytest.raises(ConfigError, match="other tasks, options or model"):
        EvalRunner(backend, Settings(), tasks, EvalConfig(runs=2), run_dir=first.run_dir)


def test_errors_are_recorded_and_sweeps_parsed(tmp_path: Path) -> None:
    from assistant.core.errors import GenerationError

    backend = FakeBackend(fail=GenerationError("the model crashed"))
    result = run_eval(backend, Settings(), suite(tmp_path), EvalConfig(runs=1))
    assert [r["causes"] for r in result.records] == [["error"], ["error"]]
    assert result.summary()["points"][0]["kinds"]["all"]["failures"] == {"error": 2}
    assert parse_sweep("temperature=0.4,0.6,0.8") == ("temperature", (0.4, 0.6, 0.8))
    for bad in ("temp=0.4", "samples=0,3", "samples=1.5", "temperature=0.4,0.4", "temperature=a"):
        with pytest.raises(ConfigError):
            parse_sweep(bad)


# --- the real model -----------------------------------------------------------------------------------

SMALL = ("m-rectangle", "i-quicksort", "k-capital-france")  # one per kind, the code sandbox included


def small_suite() -> list[Task]:
    return [t for t in load_suites(limit=2) if t.id in SMALL]


def check_records_against_report(result: Any, tasks: list[Task], runs: int) -> dict[str, Any]:
    """The report's numbers recomputed from the per-task records; each record re-scored from its answer."""
    by_id = {t.id: t for t in tasks}
    records = result.records
    assert len(records) == len(tasks) * runs
    for r in records:
        t = by_id[r["task"]]
        again = scorers.score(t, r["answer"], boxed=r["boxed"] if t.kind == "maths" else None,
                              finish_reason=r["finish_reasons"][0], reasoning_box=r["reasoning_box"])
        assert [again.ok] == r["ok"] and [again.cause] == r["causes"], r
        assert r["completion_tokens"] == r["answer_tokens"] + r["reasoning_tokens"] > 0
        assert r["seconds"] > 0 and r["tokens_per_s"] > 0
    summary = result.summary()
    stats = summary["points"][0]["kinds"]
    for kind in ("maths", "instruct", "knowledge", "all"):
        mine = [r for r in records if kind in ("all", r["kind"])]
        per_run = [sum(r["ok"][0] for r in mine if r["run"] == run) / len([r for r in mine if r["run"] == run])
                   for run in range(1, runs + 1)]
        s = stats[kind]
        assert s["accuracy_per_run"] == [round(x, 4) for x in per_run]
        assert s["accuracy"] == pytest.approx(statistics.mean(per_run), abs=1e-4)
        assert s["accuracy_sd"] == pytest.approx(statistics.stdev(per_run) if runs > 1 else 0.0, abs=1e-4)
        assert s["answer_tokens"] == pytest.approx(statistics.mean(r["answer_tokens"] for r in mine), abs=0.06)
        assert s["total_seconds"] == pytest.approx(sum(r["seconds"] for r in mine), abs=1e-2)
        causes = [c for r in mine for c in r["causes"] if c]
        assert s["failures"] == {c: causes.count(c) for c in scorers.CAUSES if c in causes}
    return summary


@pytest.mark.model
@pytest.mark.slow
def test_small_suite_end_to_end_with_the_bundled_model(llama_backend: Any) -> None:
    tasks = small_suite()
    settings = Settings()
    settings.sampling.max_tokens = 32
    result = run_eval(llama_backend, settings, tasks, EvalConfig(runs=2))
    summary = check_records_against_report(result, tasks, runs=2)
    assert result.finished and summary["records"] == summary["expected"] == 6
    assert summary["model"] == "SmolLM2 135M Instruct" and summary["backend"] == "llama.cpp"
    # runs differ by seed; every answer is bounded by max_tokens
    seeds = {(r["task"], r["run"]): r["seed"] for r in result.records}
    assert all(seeds[(t.id, 1)] != seeds[(t.id, 2)] for t in tasks)
    assert all(r["completion_tokens"] <= 32 for r in result.records)
    quicksort = [r for r in result.records if r["task"] == "i-quicksort"]
    assert all(r["detail"].startswith(("code:", "1 checks passed")) for r in quicksort), quicksort  # scored by code
    stored = open_result(result.run_dir)
    assert stored.summary() == summary and json.loads((result.run_dir / "summary.json").read_text()) == summary


@pytest.mark.model
@pytest.mark.server
@pytest.mark.slow
def test_llama_server_gives_the_same_scores_at_temperature_zero(llama_backend: Any, bundled_model: Path,
                                                               tmp_path: Path) -> None:
    from assistant.core.backends.openai_compat import OpenAICompatBackend
    from tests.core.backends.conftest import N_CTX, start_llama_server

    tasks = small_suite()
    settings = Settings()
    settings.sampling.max_tokens = 24
    settings.sampling.temperature = 0.0
    local = run_eval(llama_backend, settings, tasks, EvalConfig(runs=1))
    server = start_llama_server(bundled_model, tmp_path)
    try:
        remote_backend = OpenAICompatBackend(server.url, n_ctx=N_CTX)
        remote = run_eval(remote_backend, settings, tasks, EvalConfig(runs=1))
        remote_backend.close()
    finally:
        server.process.stop()
    assert remote.manifest["backend"] != local.manifest["backend"] and remote.run_dir != local.run_dir
    check_records_against_report(remote, tasks, runs=1)

    def scores(result: Any) -> list[tuple[str, list[bool], list[str]]]:
        return [(r["task"], r["ok"], r["causes"]) for r in result.records]

    assert scores(remote) == scores(local)
    # the same greedy text (the last token may be cut differently at max_tokens)
    assert [r["answer"][:30] for r in remote.records] == [r["answer"][:30] for r in local.records]
