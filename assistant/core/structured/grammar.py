"""JSON schemas (OpenAI's ``response_format``, Ollama's ``format``) as llama.cpp grammars (GBNF).

The conversion is llama.cpp's own (``llama_cpp.llama_grammar``, the Python twin of its
``json-schema-to-grammar``), with two changes that make what it allows valid JSON that strict parsers
(``json.loads``, pydantic) accept: no raw control characters inside strings, and an answer may start with
up to two newlines (what a reasoning model writes after ``</think>``).

A schema that cannot become a grammar, or that no text can satisfy (an empty ``enum``, ``minItems`` above
``maxItems``, a required property the schema forbids...), is refused with :class:`OutputFormatError`
before anything is generated. Numeric bounds (``minimum``/``maximum``), ``multipleOf`` and
``uniqueItems`` are accepted but not enforced by the grammar (the converter has no rules for them): the
shape is guaranteed, those values are the model's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.core.errors import OutputFormatError

ANSWER_ROOT = "answer-root"
# what the converter's strings allow, minus raw control characters (invalid in JSON strings)
_STRICT_CHAR = r'[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F])'
_LEAD = '"\\n"? "\\n"?'  # an answer may begin after the blank line R1 writes after </think>

# Any JSON object (OpenAI's json_object, Ollama's format: "json"): llama.cpp's json.gbnf, strict strings.
JSON_OBJECT_GBNF = rf"""
{ANSWER_ROOT} ::= {_LEAD} object
value  ::= object | array | string | number | ("true" | "false" | "null") ws
object ::= "{{" ws ( string ":" ws value ("," ws string ":" ws value)* )? "}}" ws
array  ::= "[" ws ( value ("," ws value)* )? "]" ws
string ::= "\"" ( {_STRICT_CHAR} )* "\"" ws
number ::= ("-"? ([0-9] | [1-9] [0-9]{{0,15}})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{{0,15}})? ws
ws ::= | " " | "\n" [ \t]{{0,20}}
"""

MAX_SCHEMA_DEPTH = 64


@dataclass(frozen=True)
class Grammar:
    """A GBNF grammar for llama.cpp, the rule it starts from, and what it came from.

    ``after``: the grammar takes over only once the reply contains this text (``"</think>"``: a reasoning
    model thinks freely first); "" constrains from the first token. ``opener``: the tag a model that opens its
    reasoning itself begins with (Qwen3's ``"<think>"``): a reply that begins otherwise has no reasoning, and
    the grammar takes it from its first token. The turn sets both per request."""

    gbnf: str
    root: str = ANSWER_ROOT
    kind: str = "json_schema"  # "json_object" | "json_schema" | "tool_call"
    schema: dict[str, Any] | None = field(default=None, compare=False)  # for servers that take the schema
    name: str = ""  # OpenAI's json_schema.name
    after: str = ""
    opener: str = ""


def json_object_grammar() -> Grammar:
    return Grammar(JSON_OBJECT_GBNF.strip() + "\n", kind="json_object")


def json_schema_grammar(schema: Any, name: str = "") -> Grammar:
    """The grammar of a JSON schema's instances, or :class:`OutputFormatError` saying why there is none."""
    gbnf = schema_rules(schema)
    start = fresh_rule(gbnf)
    return Grammar(f"{start} ::= {_LEAD} root\n{gbnf}", root=start, kind="json_schema", schema=schema, name=name)


def fresh_rule(rules: str, base: str = ANSWER_ROOT) -> str:
    """A rule name the converter did not use (its names come from the schema's property names)."""
    name, n = base, 0
    while re.search(rf"^{re.escape(name)} ::=", rules, flags=re.MULTILINE):
        n += 1
        name = f"{base}{n}"
    return name


def schema_rules(schema: Any, root_name: str = "") -> str:
    """The GBNF rules of ``schema`` (its start rule is ``root``, or ``root_name``), checked first."""
    if not isinstance(schema, dict):
        raise OutputFormatError(f"A JSON schema must be an object, not {type(schema).__name__}.")
    if schema.get("type") == "object" and schema.get("properties") == {} and schema.get("additionalProperties") is None:
        schema = {"type": "object"}  # any object, as the converter would have it anyway
    check_satisfiable(schema)
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp_module()  # the converter lives in llama-cpp-python; load it the way the app loads llama.cpp
    from llama_cpp.llama_grammar import SchemaConverter

    converter = SchemaConverter(prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False)
    try:
        resolved = converter.resolve_refs(json.loads(json.dumps(schema)), "input")
        converter.visit(resolved, root_name)
        rules = converter.format_grammar()
    except (AssertionError, ValueError, KeyError, TypeError, IndexError, RecursionError, re.error) as exc:
        raise OutputFormatError(f"This JSON schema cannot be turned into a grammar: {_reason(exc)}",
                                hint="Use the JSON Schema subset OpenAI's structured outputs accept "
                                "(type, properties, required, items, enum, const, anyOf, $ref to $defs).") from None
    # the converter's strings take raw control characters, which JSON parsers refuse
    return re.sub(r"^char ::= .*$", lambda _: f"char ::= {_STRICT_CHAR}", rules, flags=re.MULTILINE) + "\n"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, RecursionError):
        text = "it nests too deeply"
    return text[:300] + ("" if text.endswith(".") else ".")


_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}


def check_satisfiable(schema: Any, path: str = "$", depth: int = 0) -> None:
    """Refuse what no JSON value can satisfy, or what the grammar would silently get wrong, naming where."""
    if depth > MAX_SCHEMA_DEPTH:
        raise OutputFormatError(f"The JSON schema nests more than {MAX_SCHEMA_DEPTH} levels deep.")
    if isinstance(schema, bool):
        if not schema:
            raise OutputFormatError(f"The JSON schema at {path} is false: no value can satisfy it.")
        return
    if not isinstance(schema, dict):
        raise OutputFormatError(f"The JSON schema at {path} must be an object or a boolean.")

    def bad(why: str) -> OutputFormatError:
        return OutputFormatError(f"No JSON value can satisfy the schema at {path}: {why}.")

    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind is not None else []
    for k in kinds:
        if k not in _TYPES:
            raise OutputFormatError(f"The JSON schema at {path} has an unknown type {k!r}.",
                                    hint=f"Types are {', '.join(sorted(_TYPES))}.")
    if isinstance(kind, list) and not kind:
        raise bad("its list of types is empty")
    if "enum" in schema and (not isinstance(schema["enum"], list) or not schema["enum"]):
        raise bad("its enum is empty")
    for low, high in (("minItems", "maxItems"), ("minLength", "maxLength"), ("minimum", "maximum"),
                      ("minProperties", "maxProperties")):
        lo, hi = schema.get(low), schema.get(high)
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
            raise bad(f"{low} {lo} is above {high} {hi}")
        for key, value in ((low, lo), (high, hi)):
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
                raise OutputFormatError(f"The JSON schema at {path} has a {key} that is not a number.")
            if key.endswith(("Items", "Length", "Properties")) and isinstance(value, (int, float)) and value < 0:
                raise bad(f"{key} is negative")
    for key in ("not", "if", "then", "else", "dependentSchemas", "patternProperties"):
        if key in schema:
            raise OutputFormatError(f"The JSON schema at {path} uses {key!r}, which cannot be enforced while "
                                    "generating.", hint="Leave it out and check that part after parsing.")
    props = schema.get("properties")
    if props is not None and not isinstance(props, dict):
        raise OutputFormatError(f"The JSON schema at {path} has properties that are not an object.")
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise OutputFormatError(f"The JSON schema at {path} has a 'required' that is not a list of names.")
    extra = schema.get("additionalProperties")
    for r in required:
        if r in (props or {}):
            continue
        if extra is False:
            raise bad(f"{r!r} is required but not among its properties, and no other property is allowed")
        # the grammar writes only the properties it knows: an undescribed required one would be missing
        raise OutputFormatError(f"The JSON schema at {path} requires {r!r} without describing it.",
                                hint="Add it under properties.")
    for name, sub in (props or {}).items():
        check_satisfiable(sub, f"{path}.{name}", depth + 1)
    if isinstance(extra, dict):
        check_satisfiable(extra, f"{path}.*", depth + 1)
    items = schema.get("items")
    if isinstance(items, (dict, bool)):
        if items is False and (schema.get("minItems") or 0) > 0:
            raise bad("it needs items but allows none")
        if isinstance(items, dict):
            check_satisfiable(items, f"{path}[]", depth + 1)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        subs = schema.get(key)
        if subs is None:
            continue
        if not isinstance(subs, list) or not subs:
            raise bad(f"its {key} is empty")
        for i, sub in enumerate(subs):
            check_satisfiable(sub, f"{path}.{key}[{i}]", depth + 1)
    for defs_key in ("$defs", "definitions"):
        defs = schema.get(defs_key)
        if isinstance(defs, dict):
            for name, sub in defs.items():
                check_satisfiable(sub, f"{path}.{defs_key}.{name}", depth + 1)


def matches_schema(value: Any, schema: dict[str, Any]) -> bool:
    """A light structural check of a parsed answer (types, required keys, enum/const) for tests and for
    answers a server backend produced: not a full JSON Schema validator."""
    if "const" in schema:
        return bool(value == schema["const"])
    if "enum" in schema:
        return value in schema["enum"]
    kind = schema.get("type")
    checks = {"object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
              "string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
              "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
              "null": lambda v: v is None}
    if isinstance(kind, str) and kind in checks and not checks[kind](value):
        return False
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        if any(r not in value for r in schema.get("required", [])):
            return False
        return all(matches_schema(v, props[k]) for k, v in value.items() if isinstance(props.get(k), dict))
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return all(matches_schema(v, schema["items"]) for v in value)
    return True
