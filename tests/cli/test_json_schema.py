"""`assistant ask --json-schema FILE` (issue 26): the answer follows the schema, on the real bundled model and
the real command; a bad schema file is a clear error, not a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli import run_cli

pytestmark = [pytest.mark.model]

SCHEMA = {"type": "object", "properties": {"colour": {"type": "string", "maxLength": 20}},
          "required": ["colour"], "additionalProperties": False}


def test_the_answer_follows_the_schema(app_home: Path, tmp_path: Path) -> None:
    schema = tmp_path / "colour.schema.json"
    schema.write_text(json.dumps(SCHEMA), encoding="utf-8")
    r = run_cli(["ask", "What colour is the sky?", "--json-schema", str(schema), "--json", "--max-tokens", "80",
                 "--temperature", "0", "--maths", "off"], app_home)
    assert r.returncode == 0, r.stderr
    answer = json.loads(json.loads(r.stdout)["answer"])
    assert set(answer) == {"colour"} and isinstance(answer["colour"], str)


def test_bad_schema_files_are_clear_errors(app_home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    impossible = tmp_path / "impossible.json"
    impossible.write_text(json.dumps({"type": "array", "minItems": 2, "maxItems": 1}), encoding="utf-8")
    for path, says in ((broken, "is not JSON"), (impossible, "minItems 2 is above maxItems 1"),
                       (tmp_path / "missing.json", "Cannot read the JSON schema")):
        r = run_cli(["ask", "Hi", "--json-schema", str(path), "--max-tokens", "4"], app_home)
        assert r.returncode != 0 and says in r.stderr and "Traceback" not in r.stderr, r.stderr
