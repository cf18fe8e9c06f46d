"""The task format: the built-in suite, user suites, and clear errors for bad task files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import tomllib

from assistant.core.eval.tasks import KINDS, SUITES_DIR, TaskError, load_suites

REPO = Path(__file__).resolve().parents[2]


def test_builtin_suite_is_bilingual_with_about_twenty_tasks_per_kind() -> None:
    tasks = load_suites()
    per_kind = Counter(t.kind for t in tasks)
    assert set(per_kind) == set(KINDS), per_kind
    assert all(18 <= n <= 25 for k, n in per_kind.items() if k != "docs"), per_kind
    assert per_kind["docs"] >= 40, per_kind  # the doc-QA suite: 40+ questions over the documents in suites/docs
    for kind in KINDS:
        langs = Counter(t.lang for t in tasks if t.kind == kind)
        assert langs["zh"] >= 8 and langs["en"] >= 8, (kind, langs)
    rect = next(t for t in tasks if t.id == "m-rectangle")
    assert "perimeter is 30" in rect.prompt and rect.spec["answer"] == 54
    code = [t for t in tasks if any(c["type"] == "code" for c in t.spec.get("checks", []))]
    assert len(code) >= 6 and any("senior Python engineer" in t.prompt and "quicksort" in t.prompt for t in code)


def test_limit_and_kind_filter() -> None:
    tasks = load_suites(limit=2)
    assert [t.kind for t in tasks] == ["maths", "maths", "instruct", "instruct", "knowledge", "knowledge", "docs",
                                       "docs"]
    assert {t.kind for t in load_suites(kinds=["knowledge"])} == {"knowledge"}


def test_suites_are_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["assistant.core.eval"]
    assert "suites/*.jsonl" in patterns and list(SUITES_DIR.glob("*.jsonl"))


def write(path: Path, *rows: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_user_suite_runs_alone(tmp_path: Path) -> None:
    f = write(tmp_path / "mine.jsonl", "// my tasks", "",
              {"id": "x1", "kind": "maths", "lang": "zh", "prompt": "1+1=?", "answer": "2"},
              {"id": "x2", "kind": "knowledge", "lang": "en", "prompt": "Capital of Italy?", "accepted": ["Rome"]})
    tasks = load_suites([str(f)])
    assert [t.id for t in tasks] == ["x1", "x2"] and tasks[0].source.endswith("mine.jsonl:3")
    both = load_suites(["builtin", str(f)])
    assert len(both) == len(load_suites()) + 2


@pytest.mark.parametrize("row,message", [
    ("{not json", "not valid JSON"),
    ({"id": "a", "kind": "maths", "lang": "en", "prompt": "?"}, "needs 'answer'"),
    ({"id": "a", "kind": "maths", "lang": "en", "prompt": "?", "answer": "fifty"}, "is not a number"),
    ({"id": "a", "kind": "poetry", "lang": "en", "prompt": "?"}, "unknown kind 'poetry'"),
    ({"id": "a", "kind": "maths", "lang": "fr", "prompt": "?", "answer": 1}, "'lang' must be 'zh' or 'en'"),
    ({"id": "a", "kind": "maths", "lang": "en", "prompt": "?", "answer": 1, "answr": 2}, "unknown fields"),
    ({"id": "a", "kind": "instruct", "lang": "en", "prompt": "?", "checks": [{"type": "rhyme"}]}, "unknown check type"),
    ({"id": "a", "kind": "instruct", "lang": "en", "prompt": "?", "checks": [{"type": "words"}]}, "'min' and/or 'max'"),
    ({"id": "a", "kind": "instruct", "lang": "en", "prompt": "?",
      "checks": [{"type": "code", "function": "f", "tests": ["assert f(1) =="]}]}, "not valid Python"),
    ({"id": "a", "kind": "instruct", "lang": "en", "prompt": "?",
      "checks": [{"type": "json", "keys": {"a": "string"}}]}, "maps each required key"),
    ({"id": "a", "kind": "knowledge", "lang": "en", "prompt": "?"}, "'accepted' and/or 'key_points'"),
    ({"id": "a", "kind": "knowledge", "lang": "en", "prompt": "?", "key_points": ["oxygen"]}, "list of lists"),
    ({"kind": "maths", "lang": "en", "prompt": "?", "answer": 1}, "'id' is required"),
])
def test_bad_tasks_are_reported_with_file_and_line(tmp_path: Path, row: object, message: str) -> None:
    good = {"id": "ok", "kind": "maths", "lang": "en", "prompt": "1+1?", "answer": 2}
    f = write(tmp_path / "bad.jsonl", good, row)
    with pytest.raises(TaskError) as info:
        load_suites([str(f)])
    assert "bad.jsonl:2" in str(info.value) and message in str(info.value), str(info.value)
    assert "README" in info.value.hint


def test_duplicate_ids_missing_files_and_empty_files(tmp_path: Path) -> None:
    row = {"id": "m-rectangle", "kind": "maths", "lang": "en", "prompt": "?", "answer": 54}
    with pytest.raises(TaskError, match="used twice"):
        load_suites(["builtin", str(write(tmp_path / "dup.jsonl", row))])
    with pytest.raises(TaskError, match="No task file"):
        load_suites([str(tmp_path / "missing.jsonl")])
    with pytest.raises(TaskError, match="has no tasks"):
        load_suites([str(write(tmp_path / "empty.jsonl", ""))])
    with pytest.raises(TaskError, match="No tasks to run"):
        load_suites([str(write(tmp_path / "m.jsonl", row))], kinds=["knowledge"])


def test_packaged_app_knows_the_command_and_carries_the_suites() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("entry", REPO / "packaging" / "entry.py")
    assert spec is not None and spec.loader is not None
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)
    assert "eval" in entry.CLI_COMMANDS  # `assistant eval` in the frozen app goes to the command line
    assert 'collect_data_files("assistant")' in (REPO / "packaging" / "assistant.spec").read_text()


def test_doc_qa_suite_documents_are_there() -> None:
    """Every answerable docs question names a shipped document whose text holds its evidence phrase; the
    documents cover at least ten files, PDFs in Chinese among them."""
    from assistant.core.docs.extract import document_text
    from assistant.core.eval.docs_suite import DOCS_DIR, squeeze

    tasks = [t for t in load_suites(kinds=["docs"])]
    files = {p.name: squeeze(document_text(p)) for p in DOCS_DIR.iterdir()}
    assert len(files) >= 10 and any(n.endswith(".pdf") and not n.isascii() for n in files)
    answerable = [t for t in tasks if not t.spec.get("unanswerable")]
    assert len(answerable) >= 40 and len(tasks) > len(answerable)
    for t in answerable:
        assert squeeze(t.spec["evidence"]) in files[t.spec["file"]], t.id
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "suites/docs/*" in config["tool"]["setuptools"]["package-data"]["assistant.core.eval"]
