"""Turn jsonschema-rs errors into `<field>: <rule>` messages built from the spec's own limits.

Example: `title: 101 characters, at most 80 allowed for model V4_5ALL`. The limit comes from the
error (the schema keyword's value); the context ("for model V4_5ALL") from the `if` beside the
`then` (or `else`) the error was raised in, naming the request's values. No limit or enum value is
written here: change the spec and the message follows.

Why hand-written: jsonschema-rs messages (`"aaa…" is longer than 80 characters`) quote the whole
value and never say which field or which condition applied; no library phrases errors this way.

Speed: which `if`s govern a keyword location, and the names a `oneOf`'s branches require, depend
only on the document and the error's evaluation path, so a `Describer` (one per document) works
them out once per (root pointer, evaluation path) and reads only the request's values per error.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from . import speclib

_MISSING = object()

# An evaluation path, as a hashable cache key.
_Tokens = tuple[str | int, ...]
# One `if` an evaluation path passes through on its way to a `then`/`else`: the `properties`
# names walked before it (where in the request the `if` reads its values), and per property the
# `if` tests by const/enum, the value the wording falls back to when the request lacks it
# (`_MISSING`: none).
_IfStep = tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]

# The walk of a document tolerates any shape (a spec may be wrong); these end it early.
_WALK_ERRORS = (KeyError, IndexError, TypeError, AttributeError, speclib.UnresolvableRef)
# Bound on the remembered evaluation paths per document: a recursive schema met by a deeply
# nested request could otherwise make them grow without end.
_MAX_REMEMBERED_PATHS = 10_000


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
    return describer_for(document).describe(error, instance, root_pointer, root_name)


class Describer:
    """Words the errors of validators compiled from one spec document.

    Remembers, per (root pointer, evaluation path), the schema walk behind the wording, so an
    error costs a dictionary look-up and the reading of a few request values. The document is
    treated as frozen: a changed spec is a new document object and gets a new `Describer` (the
    compiled validators would not see a change made in place either).
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self._sites: dict[tuple[str, _Tokens], _Site] = {}

    def describe(
        self,
        error: jsonschema_rs.ValidationError,
        instance: Any,
        root_pointer: str,
        root_name: str = "body",
        unmasked: jsonschema_rs.Validator | None = None,
    ) -> Problem:
        """A readable `Problem` for one error raised validating `instance` against `root_pointer`.

        A few keywords are worded with jsonschema-rs's own message. A caller whose validator
        masks values in messages (`mask=`, faster on long texts) passes the same validator
        without the mask as `unmasked`: its first error's message is used for those.
        """
        field, prop, text = self._word(error, instance, root_pointer, root_name, unmasked)
        return Problem(field=field, prop=prop, message=text)

    def message(
        self,
        error: jsonschema_rs.ValidationError,
        instance: Any,
        root_pointer: str,
        unmasked: jsonschema_rs.Validator | None = None,
    ) -> str:
        """`describe(...).message` for a request body, without building the `Problem`."""
        return self._word(error, instance, root_pointer, "body", unmasked)[2]

    def _word(
        self,
        error: jsonschema_rs.ValidationError,
        instance: Any,
        root_pointer: str,
        root_name: str,
        unmasked: jsonschema_rs.Validator | None,
    ) -> tuple[str, str | None, str]:
        """(field, top-level property, message) of one error.

        Written for speed (it runs once per rejected request): one look-up of what the schema
        says at the error's location, then only the request's values are read.
        """
        path = error.instance_path
        kind = error.kind
        name = kind.name
        key = (root_pointer, tuple(error.evaluation_path))
        site = self._sites.get(key) or self._new_site(key)
        prop: str | None

        if name == "required":
            missing = str(kind.as_dict().get("property"))
            field = _field([*path, missing], root_name)
            prop = str(path[0]) if path else missing
            rule = "is required"
        elif name in ("additionalProperties", "unevaluatedProperties"):
            unexpected = [str(u) for u in kind.as_dict().get("unexpected", [])]
            field = _field([*path, unexpected[0]] if unexpected else path, root_name)
            prop = str(path[0]) if path else (unexpected[0] if unexpected else None)
            rule = "is not an allowed property"
        else:
            field = _field(path, root_name)
            prop = root_name if root_name != "body" else (str(path[0]) if path else None)
            if name in ("oneOf", "oneOfNotValid", "oneOfMultipleValid"):
                rule = site.one_of_rule(instance)
            else:
                worded = _rule(name, kind.as_dict(), error.instance)
                rule = worded if worded is not None else _message(error, instance, unmasked)
        return field, prop, _with_conditions(f"{field}: {rule}", site, instance)

    def one_of_message(self, root_pointer: str, tokens: _Tokens, instance: Any) -> str:
        """The message of a request body that breaks only the root-level `oneOf` at `tokens`,
        as `message` words that error (for a caller that found it without one)."""
        key = (root_pointer, tokens)
        site = self._sites.get(key) or self._new_site(key)
        return _with_conditions(f"body: {site.one_of_rule(instance)}", site, instance)

    def _new_site(self, key: tuple[str, _Tokens]) -> _Site:
        if len(self._sites) >= _MAX_REMEMBERED_PATHS:
            self._sites.clear()
        site = self._sites[key] = _Site(self.document, *key)
        return site


class _Site:
    """What wording an error at one evaluation path needs from the schema, worked out once."""

    __slots__ = ("_document", "_one_of_names", "_root_pointer", "_tests", "_tokens", "if_steps")

    def __init__(self, document: Any, root_pointer: str, tokens: _Tokens) -> None:
        self._document = document
        self._root_pointer = root_pointer
        self._tokens = tokens
        self.if_steps = _if_steps(document, root_pointer, tokens)
        # The steps' tests in one row, for the usual request (see `conditions`).
        self._tests = tuple(
            (data_path, name, default)
            for data_path, tests in self.if_steps
            for name, default in tests
        )
        self._one_of_names: tuple[str, ...] | None = None  # on first use: oneOf errors only

    def conditions(self, instance: Any) -> list[str]:
        """Each `if` whose `then`/`else` the error lies in, as "<property> <value>" from the
        request."""
        found: list[str] = []
        try:
            for data_path, name, default in self._tests:
                data = instance
                for step in data_path:  # as the walk did: a non-object on the way is kept
                    if isinstance(data, dict):
                        data = data.get(step, _MISSING)
                value = data.get(name, default) if isinstance(data, dict) else default
                if value is not _MISSING:
                    condition = f"{name} {_show(value)}"
                    if condition not in found:
                        found.append(condition)
        except _WALK_ERRORS:
            # A value JSON cannot write: word `if` by `if`, keeping those before the failing one.
            return self._conditions_by_step(instance)
        return found

    def _conditions_by_step(self, instance: Any) -> list[str]:
        found: list[str] = []
        for data_path, tests in self.if_steps:
            try:
                step = _step_conditions(instance, data_path, tests)
            except _WALK_ERRORS:
                return found
            for condition in step:
                if condition not in found:
                    found.append(condition)
        return found

    def one_of_rule(self, instance: Any) -> str:
        """`oneOf` over branches that each require one property: say "exactly one of a or b"."""
        if self._one_of_names is None:
            self._one_of_names = _one_of_names(self._document, self._root_pointer, self._tokens)
        names = self._one_of_names
        if not names:
            return "must match exactly one of the allowed forms"
        given = []
        if isinstance(instance, dict):
            for name in names:
                if name in instance:
                    given.append(name)
        detail = f"{' and '.join(given)} given" if given else "none given"
        return f"send exactly one of {' or '.join(names)} ({detail})"


def _with_conditions(text: str, site: _Site, instance: Any) -> str:
    if site.if_steps:
        conditions = site.conditions(instance)
        if conditions:
            return f"{text} for {', '.join(conditions)}"
    return text


def _step_conditions(
    instance: Any, data_path: tuple[str, ...], tests: tuple[tuple[str, Any], ...]
) -> list[str]:
    data = instance
    for step in data_path:
        if isinstance(data, dict):
            data = data.get(step, _MISSING)
    conditions = []
    for name, default in tests:
        value = data.get(name, default) if isinstance(data, dict) else default
        if value is not _MISSING:
            conditions.append(f"{name} {_show(value)}")
    return conditions


# Describers of the documents worded lately, by identity. Each entry holds its document, so no
# other object can take that id while the entry lives; `is` confirms it anyway.
_DESCRIBERS: OrderedDict[int, Describer] = OrderedDict()
_MAX_DESCRIBERS = 8


def describer_for(document: Any) -> Describer:
    """The shared `Describer` of `document` (made on first use; a few are kept)."""
    describer = _DESCRIBERS.get(id(document))
    if describer is None or describer.document is not document:
        describer = Describer(document)
        _DESCRIBERS[id(document)] = describer
        while len(_DESCRIBERS) > _MAX_DESCRIBERS:
            _DESCRIBERS.popitem(last=False)
    return describer


def _message(
    error: jsonschema_rs.ValidationError, instance: Any, unmasked: jsonschema_rs.Validator | None
) -> str:
    """jsonschema-rs's message for `error`, re-read from `unmasked` when given (same first
    error: same schema, same instance)."""
    if unmasked is None:
        return error.message
    try:
        unmasked.validate(instance)
    except jsonschema_rs.ValidationError as unmasked_error:
        return unmasked_error.message
    return error.message  # not reached: the instance is invalid for both


def _field(path: Sequence[str | int], root_name: str) -> str:
    if not path:
        return root_name
    if len(path) == 1 and root_name == "body" and isinstance(path[0], str):
        return path[0]  # the common case, without the loop
    text = ""
    for token in path:
        text += f"[{token}]" if isinstance(token, int) else (f".{token}" if text else str(token))
    return text if root_name == "body" else f"{root_name}.{text}"


def _rule(keyword: str, details: dict[str, Any], value: Any) -> str | None:
    """The rule broken, worded here; None for keywords left to jsonschema-rs's own message."""
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
    return None


def _one_of_names(document: Any, root_pointer: str, tokens: _Tokens) -> tuple[str, ...]:
    """The properties the branches of the `oneOf` at `tokens` require, in order."""
    node = _walk(document, root_pointer, tokens)
    branches = node if isinstance(node, list) else []
    names: list[str] = []
    for branch in branches:
        branch, _ = speclib.follow_ref(document, branch, "")
        if isinstance(branch, dict):
            names.extend(str(n) for n in branch.get("required", []))
    return tuple(names)


def _walk(document: Any, root_pointer: str, tokens: _Tokens) -> Any:
    """The schema node an evaluation path leads to (each `$ref` token followed)."""
    node: Any = {"$ref": "#" + root_pointer}
    for token in tokens:
        if token == "$ref":
            node = speclib.resolve_pointer(document, speclib.ref_to_pointer(node["$ref"]))
        else:
            node = node[int(token)] if isinstance(node, list) else node.get(str(token))
    return node


def _if_steps(document: Any, root_pointer: str, tokens: _Tokens) -> tuple[_IfStep, ...]:
    """The `if`s an evaluation path enters the `then`/`else` of, with where each reads the
    request: the schema half of `Describer.conditions`, which depends on no request."""
    steps: list[_IfStep] = []
    node: Any = {"$ref": "#" + root_pointer}
    data_path: list[str] = []
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
                steps.append((tuple(data_path), _if_tests(node["if"], token)))
            if previous == "properties":
                data_path.append(str(token))
            node = node[int(token)] if isinstance(node, list) else node.get(str(token))
            previous = token
    except _WALK_ERRORS:
        pass  # a spec of an unexpected shape: the `if`s found so far
    return tuple(steps)


def _if_tests(if_schema: dict[str, Any], branch: str | int) -> tuple[tuple[str, Any], ...]:
    """(property, value worded when the request lacks it) for each const/enum test of an `if`."""
    tests = []
    properties = if_schema.get("properties", {})
    for name, sub in properties.items() if isinstance(properties, dict) else []:
        if not isinstance(sub, dict) or not ("const" in sub or "enum" in sub):
            continue
        # The `then` of an `if` that held without the property: the schema treats the const as
        # the default.
        default = sub["const"] if branch == "then" and "const" in sub else _MISSING
        tests.append((name, default))
    return tuple(tests)


def _show(value: Any) -> str:
    """A request value as JSON would write it, text unquoted."""
    if isinstance(value, str):
        return value
    # json.dumps costs ~1.5 µs; these are the values `if`s test most (same text as json.dumps).
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return json.dumps(value)


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
    describer = describer_for(document)
    problems = [
        describer.describe(e, instance, root_pointer, root_name)
        for e in validator.iter_errors(instance)
    ]
    for problem in problems:
        if problem.prop in documented_props:
            return problem
    return problems[0] if problems else None
