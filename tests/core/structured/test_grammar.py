"""JSON schemas as llama.cpp grammars: what converts, what is refused with a reason, and that llama.cpp's own
parser takes every grammar made here (checked against the bundled model's vocabulary)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.core.errors import OutputFormatError
from assistant.core.structured.grammar import (
    ANSWER_ROOT,
    json_object_grammar,
    json_schema_grammar,
    matches_schema,
)

PERSON = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
                                           "age": {"type": "integer"},
                                           "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3}},
          "required": ["name", "age"], "additionalProperties": False}

# What pydantic writes for a nested model (the openai client's .parse sends this, with strict additions).
PYDANTIC = {"$defs": {"City": {"properties": {"name": {"title": "Name", "type": "string"}},
                               "required": ["name"], "title": "City", "type": "object", "additionalProperties": False}},
            "properties": {"city": {"$ref": "#/$defs/City"}, "rank": {"enum": ["a", "b"], "type": "string"}},
            "required": ["city", "rank"], "title": "Answer", "type": "object", "additionalProperties": False}


def test_schema_grammar_starts_at_the_answer_and_keeps_strings_strict() -> None:
    g = json_schema_grammar(PERSON, "person")
    assert g.root == ANSWER_ROOT and g.kind == "json_schema" and g.name == "person" and g.schema == PERSON
    assert g.gbnf.startswith(f"{ANSWER_ROOT} ::= ")
    char = next(line for line in g.gbnf.splitlines() if line.startswith("char ::="))
    assert "\\x00-\\x1F" in char  # raw control characters (a newline inside a string) are not JSON
    assert '"\\"name\\""' in g.gbnf and '"\\"age\\""' in g.gbnf


@pytest.mark.parametrize("schema", [PERSON, PYDANTIC, {"type": "array", "items": {"type": "number"}},
                                    {"anyOf": [{"type": "string"}, {"type": "null"}]}, {"type": "object"},
                                    {"enum": ["red", "绿"]}, {"const": 42}])
def test_llama_cpp_takes_every_grammar_made_here(llama_backend: Any, schema: dict[str, Any]) -> None:
    llama_backend.check_grammar(json_schema_grammar(schema))


def test_json_object_grammar_is_valid_for_llama_cpp(llama_backend: Any) -> None:
    llama_backend.check_grammar(json_object_grammar())


IMPOSSIBLE = [
    ("not an object", [1, 2], "must be an object"),
    ("an empty enum", {"enum": []}, "enum is empty"),
    ("min above max", {"type": "array", "minItems": 3, "maxItems": 1}, "minItems 3 is above maxItems 1"),
    ("an unknown type", {"type": "integr"}, "unknown type 'integr'"),
    ("a false schema inside", {"type": "object", "properties": {"a": False}, "required": ["a"]}, "is false"),
    ("required but forbidden", {"type": "object", "properties": {}, "required": ["x"],
                                "additionalProperties": False}, "'x' is required"),
    ("required, undescribed", {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]},
     "requires 'b'"),
    ("not", {"not": {"type": "string"}}, "'not'"),
    ("a ref to nowhere", {"$ref": "#/$defs/Missing"}, "cannot be turned into a grammar"),
    ("a remote ref", {"$ref": "https://example.com/schema.json"}, "cannot be turned into a grammar"),
]


@pytest.mark.parametrize(("case", "schema", "says"), IMPOSSIBLE, ids=[c[0] for c in IMPOSSIBLE])
def test_impossible_schemas_are_refused_saying_why(case: str, schema: Any, says: str) -> None:
    with pytest.raises(OutputFormatError) as err:
        json_schema_grammar(schema)
    assert says in err.value.message


def test_matches_schema_checks_types_required_and_enums() -> None:
    assert matches_schema({"name": "Ann", "age": 3}, PERSON)
    assert not matches_schema({"name": "Ann"}, PERSON)
    assert not matches_schema({"name": "Ann", "age": "3"}, PERSON)
    assert matches_schema({"city": {"name": "x"}, "rank": "a"}, {**PYDANTIC, "properties": {
        "city": {"type": "object"}, "rank": {"enum": ["a", "b"]}}})
    assert not matches_schema({"rank": "c"}, {"properties": {"rank": {"enum": ["a", "b"]}}})
