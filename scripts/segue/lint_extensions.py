"""`segue lint`'s checks of segue's own extensions (specs/DECISIONS.md X-1…X-4, X-10, X-11).

Two passes per extension, both run only when the extension is present:

1. Shape: a JSON Schema per extension (`SHAPES`), validated with jsonschema-rs.
2. Meaning: what the extension names exists. Operation ids are operations; JSON Pointers
   resolve in the schemas of the answers (or callbacks) they point into; stages, success and
   failure values are values of the status enum; error codes are documented codes (a response
   status, a value of the error body's code enum, or an example's code); signature headers are
   declared as header parameters of every callback operation; the create operations' `links`
   agree with the lifecycle's poll operation and task-id; the callback failure code's schema has
   an enum (the documented codes); a per-value extension on an enum schema
   (`x-segue-max-duration-seconds`, `x-segue-clip-model-name`) has one entry per enum member,
   no more and no fewer.

Why hand-written: no OpenAPI linter knows these extensions; the shape half is plain JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema_rs

from segue import speclib
from segue.speclib import join_pointer

Problem = tuple[str, str]

_POINTER = {"type": "string", "pattern": "^(/[^/]*)*$"}
_CLASS_NAME = {"type": "string", "pattern": "^[A-Z][A-Za-z0-9]*$"}
_VALUES = {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True}

SHAPES: dict[str, dict[str, Any]] = {
    "x-segue-errors": {
        "type": "object",
        "required": ["outcome", "code", "message", "codes"],
        "additionalProperties": False,
        "properties": {
            "outcome": {"enum": ["envelope", "http-status"]},
            "code": _POINTER,
            "message": _POINTER,
            "codes": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": "^[1-9][0-9]{2}$"},
                "additionalProperties": {
                    "type": "object",
                    "required": ["error"],
                    "additionalProperties": False,
                    "properties": {
                        "error": _CLASS_NAME,
                        "task-created": {"const": False},
                        "transient": {"const": True},
                    },
                },
            },
        },
    },
    "x-segue-lifecycle": {
        "type": "object",
        "required": ["poll", "task-id", "status", "stages", "success"],
        "additionalProperties": False,
        "properties": {
            "poll": {"type": "string", "minLength": 1},
            "task-id": {
                "type": "object",
                "required": ["answer", "parameter"],
                "additionalProperties": False,
                "properties": {"answer": _POINTER, "parameter": {"type": "string"}},
            },
            "clips": _POINTER,
            "status": {"type": "string", "minLength": 1},
            "stages": _VALUES,
            "success": _VALUES,
            "failure": _VALUES,
            "failure-code": _POINTER,
            "failure-message": _POINTER,
            "failure-fields": _VALUES,
            "success-message": {
                "type": "object",
                "required": ["field", "value"],
                "additionalProperties": False,
                "properties": {"field": {"type": "string"}, "value": {"type": "string"}},
            },
            "max-polls-per-second": {"type": "number", "exclusiveMinimum": 0},
            "callback-stage": _POINTER,
            "callback-stages": _VALUES,
            "callback-failure": _VALUES,
            "callback-failure-code": _POINTER,
            "callback-failure-message": _POINTER,
        },
    },
    "x-segue-signature": {
        "oneOf": [
            {"const": "none"},
            {
                "type": "object",
                "required": [
                    "algorithm",
                    "encoding",
                    "message",
                    "signature-header",
                    "timestamp-header",
                    "tolerance-seconds",
                ],
                "additionalProperties": False,
                "properties": {
                    "algorithm": {"enum": ["hmac-sha256", "hmac-sha1", "hmac-sha512"]},
                    "encoding": {"enum": ["base64", "hex"]},
                    "message": {"type": "string", "minLength": 1},
                    "signature-header": {"type": "string", "minLength": 1},
                    "timestamp-header": {"type": "string", "minLength": 1},
                    "timestamp-unit": {"enum": ["seconds", "milliseconds"]},
                    "tolerance-seconds": {"type": "number", "exclusiveMinimum": 0},
                },
            },
        ]
    },
}
# Per-value extensions on an enum schema (KIE and Udio `Model`): one entry per enum member.
PER_VALUE: dict[str, tuple[dict[str, Any], str]] = {
    "x-segue-max-duration-seconds": (
        {"type": "number", "exclusiveMinimum": 0},
        "{model: seconds > 0}",
    ),
    "x-segue-clip-model-name": ({"type": "string", "minLength": 1}, "{model: clip model_name}"),
}
_VALIDATORS = {name: jsonschema_rs.validator_for(schema) for name, schema in SHAPES.items()}
_PER_VALUE_VALIDATORS = {
    name: jsonschema_rs.validator_for(
        {"type": "object", "minProperties": 1, "additionalProperties": entry}
    )
    for name, (entry, _) in PER_VALUE.items()
}
_EXPRESSION = re.compile(r"\{\$request\.(?:body#(?P<pointer>[^}]*)|header\.(?P<header>[^}]+))\}")


def check_extensions(document: dict[str, Any]) -> list[Problem]:
    """Every problem of the x-segue-errors/-lifecycle/-signature and the per-value extensions."""
    problems: list[Problem] = []
    shaped = {}
    for name, validator in _VALIDATORS.items():
        if name not in document:
            continue
        errors = list(validator.iter_errors(document[name]))
        for error in errors:
            where = join_pointer(f"/{name}", *error.instance_path)
            problems.append((where, f"{name}: {error.message}"))
        shaped[name] = not errors
    problems += _per_value_problems(document)
    if shaped.get("x-segue-errors"):
        problems += _error_problems(document, document["x-segue-errors"])
    if shaped.get("x-segue-lifecycle"):
        problems += _lifecycle_problems(document, document["x-segue-lifecycle"])
    if shaped.get("x-segue-signature") and isinstance(document["x-segue-signature"], Mapping):
        problems += _signature_problems(document, document["x-segue-signature"])
    return problems


# --------------------------------------------------------------------------- schema walking


def _deref(document: Any, node: Any) -> Any:
    for _ in range(32):
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            return node
        try:
            node = speclib.resolve_pointer(document, speclib.ref_to_pointer(node["$ref"]))
        except (speclib.UnresolvableRef, KeyError, IndexError, TypeError, ValueError):
            return {}
    return node


def _branches(document: Any, schema: Any) -> Iterator[Mapping[str, Any]]:
    """The schema and every schema it combines (allOf/anyOf/oneOf/then/else), through $refs."""
    schema = _deref(document, schema)
    if not isinstance(schema, Mapping):
        return
    yield schema
    for keyword in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(keyword, []) if isinstance(schema.get(keyword), list) else []:
            yield from _branches(document, part)
    for keyword in ("then", "else"):
        if keyword in schema:
            yield from _branches(document, schema[keyword])


def schemas_at(document: Any, schema: Any, pointer: str) -> list[Mapping[str, Any]]:
    """The subschemas an instance's `pointer` can land in (empty: it cannot resolve).

    A `*` token (or a number) steps into `items`.
    """
    found = [schema]
    for token in speclib.split_pointer(pointer) if pointer else []:
        following = []
        for candidate in found:
            for branch in _branches(document, candidate):
                if token == "*" or token.isdigit():
                    if "items" in branch:
                        following.append(branch["items"])
                elif token in branch.get("properties", {}):
                    following.append(branch["properties"][token])
        found = following
    return [s for f in found for s in _branches(document, f)]


def enum_values(document: Any, schemas: list[Mapping[str, Any]]) -> list[Any]:
    """Every value the `enum`s and `const`s of `schemas` (and what they combine) name, in the
    order the spec writes them, each once."""
    values: list[Any] = []
    for schema in schemas:
        for branch in _branches(document, schema):
            found = [*branch.get("enum", []), *([branch["const"]] if "const" in branch else [])]
            values += [v for v in found if v is not None and v not in values]
    return values


def _operations(document: dict[str, Any]) -> dict[str, speclib.Operation]:
    return {
        op.node["operationId"]: op
        for op in speclib.iter_operations(document)
        if op.kind == "path" and isinstance(op.node.get("operationId"), str)
    }


def _json_schemas(document: Any, holder: Any) -> list[Any]:
    holder = _deref(document, holder)
    content = holder.get("content", {}) if isinstance(holder, Mapping) else {}
    return [
        media["schema"]
        for media_type, media in content.items()
        if "json" in media_type and isinstance(media, Mapping) and "schema" in media
    ]


def _success_schemas(document: Any, operation: speclib.Operation) -> list[Any]:
    responses = operation.node.get("responses", {})
    return [
        s
        for code, r in responses.items()
        if code.startswith("2")
        for s in _json_schemas(document, r)
    ]


def _callback_posts(document: dict[str, Any]) -> list[speclib.CallbackPost]:
    return [
        post
        for operation in _operations(document).values()
        for post in speclib.iter_callback_posts(document, operation)
    ]


# --------------------------------------------------------------------------- the checks


def _per_value_problems(document: dict[str, Any]) -> list[Problem]:
    """Each per-value extension maps exactly the members of its schema's enum: none unknown
    (a typo, a model removed), none missing (a model added without its fact)."""
    problems: list[Problem] = []
    for pointer, schema in speclib.iter_schemas(document):
        if not isinstance(schema, Mapping):
            continue
        for name in PER_VALUE.keys() & schema.keys():
            value, where = schema[name], join_pointer(pointer, name)
            if not _PER_VALUE_VALIDATORS[name].is_valid(value):
                problems.append((where, f"{name}: not {PER_VALUE[name][1]}"))
                continue
            members = enum_values(document, [schema])
            problems += [
                (where, f"{name} names {member!r}, which is not a value of this schema's enum")
                for member in value
                if member not in members
            ]
            problems += [
                (where, f"{name} has no entry for {member!r}, a value of this schema's enum")
                for member in members
                if member not in value
            ]
    return problems


def _error_problems(document: dict[str, Any], errors: Mapping[str, Any]) -> list[Problem]:
    documented = _documented_codes(document, errors["code"])
    return [
        (
            join_pointer("/x-segue-errors/codes", code),
            f"x-segue-errors: code {code} is not "
            "documented (no response status, error-code enum value or example code)",
        )
        for code in errors["codes"]
        if int(code) not in documented
    ]


def _documented_codes(document: dict[str, Any], code_pointer: str) -> set[int]:
    codes: set[int] = set()
    for operation in _operations(document).values():
        for status, response in operation.node.get("responses", {}).items():
            if status.isdigit():
                codes.add(int(status))
            for schema in _json_schemas(document, response):
                at = schemas_at(document, schema, code_pointer)
                codes.update(v for v in enum_values(document, at) if isinstance(v, int))
            holder = _deref(document, response)
            for media in holder.get("content", {}).values() if isinstance(holder, Mapping) else []:
                for example in _media_examples(document, media):
                    value = _at(example, code_pointer)
                    if isinstance(value, int) and not isinstance(value, bool):
                        codes.add(value)
    return codes


def _media_examples(document: Any, media: Any) -> Iterator[Any]:
    if not isinstance(media, Mapping):
        return
    if "example" in media:
        yield media["example"]
    for example in media.get("examples", {}).values():
        example = _deref(document, example)
        if isinstance(example, Mapping) and "value" in example:
            yield example["value"]


def _at(value: Any, pointer: str) -> Any:
    for token in speclib.split_pointer(pointer) if pointer else []:
        if not isinstance(value, Mapping) or token not in value:
            return None
        value = value[token]
    return value


def _lifecycle_problems(document: dict[str, Any], life: Mapping[str, Any]) -> list[Problem]:
    base = "/x-segue-lifecycle"
    operations = _operations(document)
    poll = operations.get(life["poll"])
    if poll is None:
        return [(f"{base}/poll", f"x-segue-lifecycle: poll {life['poll']!r} is no operationId")]
    problems: list[Problem] = []
    parameter = life["task-id"]["parameter"]
    parameters = {p.get("name") for _, p in speclib.operation_parameters(document, poll)}
    if parameter not in parameters:
        problems.append(
            (
                f"{base}/task-id/parameter",
                f"x-segue-lifecycle: {life['poll']} has no parameter {parameter!r}",
            )
        )
    creates = _creates(document, operations, life, problems)
    for operation_id, operation in creates.items():
        if not any(
            schemas_at(document, s, life["task-id"]["answer"])
            for s in _success_schemas(document, operation)
        ):
            problems.append(
                (
                    f"{base}/task-id/answer",
                    f"x-segue-lifecycle: "
                    f"{life['task-id']['answer']} does not resolve in the answer of "
                    f"{operation_id}",
                )
            )
    poll_schemas = _success_schemas(document, poll)
    status_schemas = _status_schemas(document, life, poll_schemas, problems)
    problems += _values_problems(
        document, status_schemas, life, ("stages", "success", "failure"), "the status enum"
    )
    for key in ("failure-code", "failure-message"):
        if key in life and not any(schemas_at(document, s, life[key]) for s in poll_schemas):
            problems.append(
                (
                    f"{base}/{key}",
                    f"x-segue-lifecycle: {life[key]} does not resolve "
                    f"in the answer of {life['poll']}",
                )
            )
    if "callback-stage" in life:
        problems += _callback_stage_problems(document, life)
    return problems


def _creates(
    document: dict[str, Any],
    operations: Mapping[str, speclib.Operation],
    life: Mapping[str, Any],
    problems: list[Problem],
) -> dict[str, speclib.Operation]:
    """The operations whose success answers link to the poll; their links checked."""
    creates = {}
    expected = f"$response.body#{life['task-id']['answer']}"
    for operation_id, operation in operations.items():
        for status, response in operation.node.get("responses", {}).items():
            resolved = _deref(document, response)
            links = resolved.get("links", {}) if isinstance(resolved, Mapping) else {}
            for name, link in links.items():
                link = _deref(document, link)
                if link.get("operationId") != life["poll"]:
                    continue
                creates[operation_id] = operation
                where = join_pointer(operation.pointer, "responses", status, "links", name)
                if link.get("parameters") != {life["task-id"]["parameter"]: expected}:
                    problems.append(
                        (
                            where,
                            f"link to {life['poll']} must pass "
                            f"{life['task-id']['parameter']}: {expected}, as "
                            "x-segue-lifecycle task-id says",
                        )
                    )
    if not creates:
        problems.append(
            (
                "/x-segue-lifecycle/poll",
                f"x-segue-lifecycle: no operation's answer "
                f"links to {life['poll']} (the links say which operations create tasks)",
            )
        )
    return creates


def _status_schemas(
    document: dict[str, Any],
    life: Mapping[str, Any],
    poll_schemas: list[Any],
    problems: list[Problem],
) -> list[Mapping[str, Any]]:
    base = "/x-segue-lifecycle"
    if "clips" not in life:
        found = [s for schema in poll_schemas for s in schemas_at(document, schema, life["status"])]
        if not found:
            problems.append(
                (
                    f"{base}/status",
                    f"x-segue-lifecycle: {life['status']} does not "
                    f"resolve in the answer of {life['poll']}",
                )
            )
        return found
    clips = [s for schema in poll_schemas for s in schemas_at(document, schema, life["clips"])]
    items = [s for clip in clips for s in schemas_at(document, clip, "/*")]
    if not items:
        problems.append(
            (
                f"{base}/clips",
                f"x-segue-lifecycle: {life['clips']} is no array in the answer of {life['poll']}",
            )
        )
        return []
    for key, names in (
        ("status", [life["status"]]),
        ("failure-fields", life.get("failure-fields", [])),
        (
            "success-message",
            [life["success-message"]["field"]] if "success-message" in life else [],
        ),
    ):
        for name in names:
            if not any(schemas_at(document, item, f"/{name}") for item in items):
                problems.append(
                    (f"{base}/{key}", f"x-segue-lifecycle: the clips have no field {name!r}")
                )
    return [s for item in items for s in schemas_at(document, item, f"/{life['status']}")]


def _values_problems(
    document: dict[str, Any],
    schemas: list[Mapping[str, Any]],
    life: Mapping[str, Any],
    keys: tuple[str, ...],
    what: str,
) -> list[Problem]:
    values = enum_values(document, schemas)
    if not schemas:
        return []
    return [
        (
            f"/x-segue-lifecycle/{key}/{index}",
            f"x-segue-lifecycle: {key} value {value!r} is "
            f"not in {what} ({', '.join(map(str, sorted(values, key=str)))})",
        )
        for key in keys
        for index, value in enumerate(life.get(key, []))
        if value not in values
    ]


def _callback_stage_problems(document: dict[str, Any], life: Mapping[str, Any]) -> list[Problem]:
    """The callback pointers resolve in every callback payload; the stages are values of the
    stage enum; the failure code's schema documents its codes (an enum)."""
    pointers = [k for k in ("callback-failure-code", "callback-failure-message") if k in life]
    found: dict[str, list[Mapping[str, Any]]] = {key: [] for key in ("callback-stage", *pointers)}
    for callback in _callback_posts(document):
        pointer, post = callback.operation.pointer, callback.operation.node
        for body_schema in _json_schemas(document, post.get("requestBody", {})):
            for key, schemas in found.items():
                at = schemas_at(document, body_schema, life[key])
                if not at:
                    return [
                        (
                            f"/x-segue-lifecycle/{key}",
                            f"x-segue-lifecycle: {life[key]} does not resolve in the callback "
                            f"at {pointer}",
                        )
                    ]
                schemas += at
    problems = _values_problems(
        document,
        found["callback-stage"],
        life,
        ("callback-stages", "callback-failure"),
        "the callback stage enum",
    )
    codes = found.get("callback-failure-code")
    if codes and not enum_values(document, codes):
        problems.append(
            (
                "/x-segue-lifecycle/callback-failure-code",
                f"x-segue-lifecycle: {life['callback-failure-code']} has no enum in the callback "
                "payload: the failure codes must be documented there",
            )
        )
    return problems


def _signature_problems(document: dict[str, Any], signature: Mapping[str, Any]) -> list[Problem]:
    base = "/x-segue-signature"
    problems: list[Problem] = []
    posts = _callback_posts(document)
    if not posts:
        return [(base, "x-segue-signature: the spec has no callback to sign")]
    named = [m for m in _EXPRESSION.finditer(signature["message"])]
    if not named:
        problems.append(
            (
                f"{base}/message",
                "x-segue-signature: the message names no "
                "{$request.body#…} or {$request.header.…} expression",
            )
        )
    headers_needed = {signature["signature-header"], signature["timestamp-header"]}
    headers_needed |= {m["header"] for m in named if m["header"]}
    for callback in posts:
        pointer, post = callback.operation.pointer, callback.operation.node
        declared = {name.lower() for name in callback.header_names}
        for header in sorted(headers_needed):
            if header.lower() not in declared:
                problems.append(
                    (
                        pointer,
                        f"x-segue-signature: header {header} is not declared "
                        "on this callback operation",
                    )
                )
        for match in named:
            if match["pointer"] is None:
                continue
            schemas = _json_schemas(document, post.get("requestBody", {}))
            if not any(schemas_at(document, s, match["pointer"]) for s in schemas):
                problems.append(
                    (
                        f"{base}/message",
                        f"x-segue-signature: {match['pointer']} does "
                        f"not resolve in the callback payload at {pointer}",
                    )
                )
    return problems
