"""Turn jsonschema-rs errors into `<field>: <rule>` messages built from the spec's own limits.

Example: `title: 101 characters, at most 80 allowed for model V4_5ALL`. The limit comes from the
error (the schema keyword's value); the context ("for model V4_5ALL") from the `if` beside the
`then` (or `else`) the error was raised in, naming the request's values. No limit or enum value is
written here: change the spec and the message follows.

Why hand-written: jsonschema-rs messages (`"aaa…" is longer than 80 characters`) quote the whole
value and never say which field or which condition applied; no library phrases errors this way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from segue import speclib

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One schema failure: the field, the top-level property concerned (if any), the message."""

    field: str
    prop: str | None
    message: str


def describe(
    error: jsonschema_rs.ValidationError,
    instance: Any,
    document: Any,
    root_pointer: str,
    root_name: str = "body",
) -> Problem:
    """A readable `Problem` for one error raised validating `instance` against `root_pointer`."""
    path = list(error.instance_path)
    kind = error.kind
    name = kind.name
    value = error.instance
    field = _field(path, root_name)
    prop = (
        str(path[0])
        if path and root_name == "body"
        else (root_name if root_name != "body" else None)
    )

    if name == "required":
        missing = str(kind.as_dict().get("property"))
        field = _field([*path, missing], root_name)
        prop = str(path[0]) if path else missing
        rule = "is required"
    elif name in ("additionalProperties", "unevaluatedProperties"):
        unexpected = [str(u) for u in kind.as_dict().get("unexpected", [])]
        field = _field([*path, unexpected[0]], root_name) if unexpected else field
        prop = str(path[0]) if path else (unexpected[0] if unexpected else None)
        rule = "is not an allowed property"
    elif name in ("oneOf", "oneOfNotValid", "oneOfMultipleValid"):
        rule = _one_of_rule(error, document, root_pointer, instance)
    else:
        rule = _rule(name, kind.as_dict(), value, error.message)
    conditions = _conditions(document, root_pointer, list(error.evaluation_path), instance)
    suffix = f" for {', '.join(conditions)}" if conditions else ""
    return Problem(field=field, prop=prop, message=f"{field}: {rule}{suffix}")


def _field(path: list[str | int], root_name: str) -> str:
    if not path:
        return root_name
    text = ""
    for token in path:
        text += f"[{token}]" if isinstance(token, int) else (f".{token}" if text else str(token))
    return text if root_name == "body" else f"{root_name}.{text}"


def _rule(keyword: str, details: dict[str, Any], value: Any, fallback: str) -> str:
    limit = details.get("limit")
    if keyword == "maxLength" and isinstance(value, str):
        return f"{len(value)} characters, at most {limit} allowed"
    if keyword == "minLength" and isinstance(value, str):
        return f"{len(value)} characters, at least {limit} required"
    if keyword == "maxItems" and isinstance(value, list):
        return f"{len(value)} items, at most {limit} allowed"
    if keyword == "minItems" and isinstance(value, list):
        return f"{len(value)} items, at least {limit} required"
    if keyword == "type":
        types = " or ".join(str(t) for t in details.get("types", []))
        return f"must be of type {types}, not {_json_type(value)}"
    if keyword == "enum":
        options = ", ".join(_show(o) for o in details.get("options", []))
        return f"must be one of {options}, got {_show(value)}"
    if keyword == "const":
        return f"must be {_show(details.get('expected_value'))}"
    if keyword == "minimum":
        return f"must be at least {limit}, got {_show(value)}"
    if keyword == "maximum":
        return f"must be at most {limit}, got {_show(value)}"
    if keyword == "exclusiveMinimum":
        return f"must be above {limit}, got {_show(value)}"
    if keyword == "exclusiveMaximum":
        return f"must be below {limit}, got {_show(value)}"
    if keyword == "multipleOf":
        return f"must be a multiple of {details.get('multiple_of')}, got {_show(value)}"
    if keyword == "format":
        return f"must be a valid {details.get('format')}"
    if keyword == "pattern":
        return f"must match the pattern {details.get('pattern')}"
    if keyword in ("not", "falseSchema"):
        return "is not allowed"
    return fallback


def _one_of_rule(
    error: jsonschema_rs.ValidationError, document: Any, root_pointer: str, instance: Any
) -> str:
    """`oneOf` over branches that each require one property: say "exactly one of a or b"."""
    node = _walk(document, root_pointer, list(error.evaluation_path))
    branches = node if isinstance(node, list) else []
    names: list[str] = []
    for branch in branches:
        branch, _ = speclib.follow_ref(document, branch, "")
        if isinstance(branch, dict):
            names.extend(str(n) for n in branch.get("required", []))
    if not names:
        return "must match exactly one of the allowed forms"
    given = [n for n in names if isinstance(instance, dict) and n in instance]
    detail = "none given" if not given else f"{' and '.join(given)} given"
    return f"send exactly one of {' or '.join(names)} ({detail})"


def _walk(document: Any, root_pointer: str, tokens: list[str | int]) -> Any:
    """The schema node an evaluation path leads to (each `$ref` token followed)."""
    node: Any = {"$ref": "#" + root_pointer}
    for token in tokens:
        if token == "$ref":
            node = speclib.resolve_pointer(document, speclib.ref_to_pointer(node["$ref"]))
        else:
            node = node[int(token)] if isinstance(node, list) else node.get(str(token))
    return node


def _conditions(
    document: Any, root_pointer: str, tokens: list[str | int], instance: Any
) -> list[str]:
    """Each `if` whose `then`/`else` the error lies in, as "<property> <value>" from the request."""
    found: list[str] = []
    node: Any = {"$ref": "#" + root_pointer}
    data: Any = instance
    previous: str | int | None = None
    try:
        for token in tokens:
            if token == "$ref":
                node = speclib.resolve_pointer(document, speclib.ref_to_pointer(node["$ref"]))
                continue
            if (
                token in ("then", "else")
                and isinstance(node, dict)
                and isinstance(node.get("if"), dict)
            ):
                for condition in _if_conditions(node["if"], data, token):
                    if condition not in found:
                        found.append(condition)
            if previous == "properties" and isinstance(data, dict):
                data = data.get(str(token), _MISSING)
            node = node[int(token)] if isinstance(node, list) else node.get(str(token))
            previous = token
    except (KeyError, IndexError, TypeError, AttributeError, speclib.UnresolvableRef):
        return found
    return found


def _if_conditions(if_schema: dict[str, Any], data: Any, branch: str | int) -> list[str]:
    conditions = []
    properties = if_schema.get("properties", {})
    for name, sub in properties.items() if isinstance(properties, dict) else []:
        if not isinstance(sub, dict) or not ("const" in sub or "enum" in sub):
            continue
        value = data.get(name, _MISSING) if isinstance(data, dict) else _MISSING
        if value is not _MISSING:
            conditions.append(f"{name} {_show(value)}")
        elif branch == "then" and "const" in sub:
            # The `if` held without the property: the schema treats the const as the default.
            conditions.append(f"{name} {_show(sub['const'])}")
    return conditions


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def first_problem(
    validator: jsonschema_rs.Validator,
    instance: Any,
    document: Any,
    root_pointer: str,
    documented_props: set[str] | frozenset[str] = frozenset(),
    root_name: str = "body",
) -> Problem | None:
    """The problem to report for `instance`, or None when it is valid.

    A failure at a property with its own documented answer (`x-segue-when: {invalid: …}`) wins,
    since the vendor answers that one with a fixed message; otherwise the first error reported.
    """
    if validator.is_valid(instance):
        return None
    problems = [
        describe(e, instance, document, root_pointer, root_name)
        for e in validator.iter_errors(instance)
    ]
    for problem in problems:
        if problem.prop in documented_props:
            return problem
    return problems[0] if problems else None
