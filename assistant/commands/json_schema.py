"""`assistant ask --json-schema FILE`: the answer follows a JSON schema (after any reasoning), as the API's
``response_format`` does; the parsed answer is checked at the end."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.core.errors import ConfigError


def add_json_schema_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json-schema", metavar="FILE", type=Path,
                   help="the answer is JSON following the schema in FILE (a reasoning model thinks freely first); "
                   "'-' for any JSON object")


def with_schema(args: argparse.Namespace, options: Any) -> Any:
    """The turn's options with the grammar of ``--json-schema`` (unchanged without it)."""
    import dataclasses

    from assistant.core.errors import OutputFormatError
    from assistant.core.structured.grammar import json_object_grammar, json_schema_grammar

    path = getattr(args, "json_schema", None)
    if path is None:
        return options
    if str(path) == "-":
        return dataclasses.replace(options, grammar=json_object_grammar())
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read the JSON schema {path}: {exc.strerror or exc}.") from None
    except ValueError as exc:
        raise ConfigError(f"{path} is not JSON: {exc}.", hint="A JSON schema is a JSON object.") from None
    try:
        grammar = json_schema_grammar(schema, path.stem)
    except OutputFormatError as exc:
        raise ConfigError(f"{path}: {exc.message}", hint=exc.hint or None) from None
    return dataclasses.replace(options, grammar=grammar)


def check_answer(args: argparse.Namespace, answer: str, finish: str) -> int:
    """0 when the answer parses (and, for a schema, has its shape), else 1 with the reason on stderr."""
    if getattr(args, "json_schema", None) is None:
        return 0
    from assistant.core.structured.grammar import matches_schema

    try:
        value = json.loads(answer)
    except ValueError:
        why = "it was cut off at max_tokens" if finish in ("length", "context") else "it was stopped"
        print(f"[the answer is not complete JSON: {why}]", file=sys.stderr)
        return 1
    path = args.json_schema
    if str(path) != "-" and not matches_schema(value, json.loads(path.read_text(encoding="utf-8"))):
        print("[the answer does not have the schema's shape]", file=sys.stderr)
        return 1
    return 0
