"""Check a request body against its operation's FULL schema in a bundled spec document.

The engine behind `segue.preflight` (which adds the bundles under generated/openapi/ and the
CLI). It reads nothing from disk and imports only `speclib` and `schema_errors`, so
`segue generate` copies these three modules verbatim into each SDK distribution: the SDK
validates with the same code and the same wording as segue, without depending on segue.

Speed (target <= 20 µs per body, valid or not; scripts/bench_preflight.py measures it): a body
is checked by one `validate` call of a validator that masks values in its messages, so
jsonschema-rs stops at the first error and does not copy the request into its messages; the
wording's schema walk is remembered per error location (`schema_errors.Describer`); a body that
breaks only a root-level `oneOf` is recognised with two `is_valid` calls (`_ModeCheck`); the full
list of problems is computed only when `.problems` is read.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from . import schema_errors, speclib


class PreflightError(ValueError):
    """The body breaks its operation's schema.

    The message (`str(error)`) is the first broken rule (what jsonschema-rs reports first);
    `problems` lists every broken rule, computed when first read (a second pass over the body).

    Made as `PreflightError(message, validator, operation_id, body)`, kept in `args` and read
    back by properties: an `__init__` storing them cost ~1 µs per rejected body, 5% of the
    budget.
    """

    args: tuple[str, RequestValidator, str, Any]

    def __str__(self) -> str:
        return self.args[0]

    @property
    def bundle(self) -> str:
        return self.args[1].bundle

    @property
    def operation_id(self) -> str:
        return self.args[2]

    @property
    def body(self) -> Any:
        return self.args[3]

    @functools.cached_property
    def problems(self) -> list[str]:
        return self.args[1].problems(self.operation_id, self.body)


# Stands in for the request's values in the messages of the first-error validators. Nothing reads
# those messages (for the few keywords `schema_errors` leaves to them, it re-reads them unmasked),
# and writing the value (a 3,000-character prompt; the whole body for a missing field) into an
# error's messages cost jsonschema-rs 4-6 µs per invalid body here.
_MASK = "…"


class UnknownOperation(LookupError):
    """No operation with this id has a JSON request body in the bundle."""


class RequestValidator:
    """Validators for every operation with a JSON request body in one bundled spec."""

    def __init__(self, name: str, document: dict[str, Any]) -> None:
        self.bundle = name
        self.document = document
        schemas = speclib.SchemaValidators(self.document, f"preflight:{name}")
        self._body_schemas = dict(_json_body_schemas(self.document))
        self._validators = {
            operation_id: schemas.at(pointer)
            for operation_id, pointer in self._body_schemas.items()
        }
        # Per operation, what `validate` needs: the validator that masks values (it finds the
        # first error), the schema's pointer, and the validator that does not (its messages).
        self._checks = {
            operation_id: (
                schemas.at(pointer, mask=_MASK),
                pointer,
                self._validators[operation_id],
            )
            for operation_id, pointer in self._body_schemas.items()
        }
        self._describer = schema_errors.Describer(self.document)
        self._mode_checks = _mode_checks(schemas, self._body_schemas)

    @property
    def operation_ids(self) -> list[str]:
        return sorted(self._validators)

    def is_valid(self, operation_id: str, body: Any) -> bool:
        return self._validator(operation_id).is_valid(body)

    def validate(self, operation_id: str, body: Any) -> None:
        """Raise `PreflightError` (first broken rule; `.problems` has all) or `UnknownOperation`."""
        check = self._checks.get(operation_id)
        if check is None:
            self._validator(operation_id)  # raises UnknownOperation
            return
        first_error_validator, pointer, unmasked = check
        mode = self._mode_checks.get(operation_id)
        if mode is not None and mode.others.is_valid(body):
            if mode.modes.is_valid(body):
                return
            first = self._describer.one_of_message(pointer, mode.tokens, body)
            raise PreflightError(first, self, operation_id, body)
        # `validate` stops at the first error; `iter_errors` finds every one before yielding,
        # and cost twice as much here even for a body with a single error. Same first error.
        try:
            first_error_validator.validate(body)
            return
        except jsonschema_rs.ValidationError as error:
            first = self._describer.message(error, body, pointer, unmasked)
        # Raised outside the `except`: the masked jsonschema-rs error is no context to show.
        raise PreflightError(first, self, operation_id, body)

    def iter_errors(self, operation_id: str, body: Any) -> Iterator[jsonschema_rs.ValidationError]:
        """jsonschema-rs's own errors, for callers that want the failing keyword and its limit."""
        return iter(self._validator(operation_id).iter_errors(body))

    def problems(self, operation_id: str, body: Any) -> list[str]:
        """One message per broken rule (empty when the body is valid)."""
        messages: list[str] = []
        for error in self.iter_errors(operation_id, body):
            message = self._describe(error, operation_id, body)
            if message not in messages:
                messages.append(message)
        return messages

    def _describe(self, error: jsonschema_rs.ValidationError, operation_id: str, body: Any) -> str:
        pointer = self._body_schemas[operation_id]
        return self._describer.message(error, body, pointer)

    def _validator(self, operation_id: str) -> jsonschema_rs.Validator:
        try:
            return self._validators[operation_id]
        except KeyError:
            raise UnknownOperation(
                f"{self.bundle} has no operation {operation_id!r} with a JSON request body "
                f"(known: {', '.join(self.operation_ids)})"
            ) from None


@dataclass(frozen=True)
class _ModeCheck:
    """A body schema's root-level `oneOf` (its modes), checked apart from the rest.

    Why: when a body breaks only its mode (sends neither or both of udio's `prompt` and
    `gpt_description_prompt`), jsonschema-rs builds three Python errors (the `oneOf`'s and one
    per branch, each with a copy of the body): ~22 µs for a 10-field body, over the 20 µs
    budget before any wording. Two `is_valid` calls (~5 µs) settle the same case exactly: a
    body valid without the `oneOf` and invalid with it breaks that `oneOf` and nothing else,
    so that is jsonschema-rs's first (only) error, at a known evaluation path; the message is
    worded from the schema as that error's would be. Any other body takes the usual path.
    """

    others: jsonschema_rs.Validator  # the body schema without the `oneOf`
    modes: jsonschema_rs.Validator  # the `oneOf` alone
    tokens: tuple[str | int, ...]  # the evaluation path jsonschema-rs reports for it


def _mode_checks(
    schemas: speclib.SchemaValidators, body_schemas: dict[str, str]
) -> dict[str, _ModeCheck]:
    """operationId -> `_ModeCheck`, for the body schemas with exactly one root-level `oneOf`
    (directly or in a top-level `allOf` member).

    None at all when the document uses `unevaluatedProperties`/`unevaluatedItems`: a `oneOf`'s
    branches then change what the rest of the schema accepts, so it cannot be checked apart.
    """
    document = schemas.document
    if any(
        isinstance(schema, Mapping)
        and ("unevaluatedProperties" in schema or "unevaluatedItems" in schema)
        for _, schema in speclib.iter_schemas(document)
    ):
        return {}
    checks = {}
    for operation_id, pointer in body_schemas.items():
        schema = speclib.resolve_pointer(document, pointer)
        if not isinstance(schema, Mapping):
            continue
        places: list[tuple[str | int, ...]] = [()] if "oneOf" in schema else []
        members = schema.get("allOf")
        for index, member in enumerate(members if isinstance(members, list) else []):
            if isinstance(member, Mapping) and "oneOf" in member:
                places.append(("allOf", index))
        if len(places) != 1:
            continue
        others = copy.deepcopy(dict(schema))
        holder = others if not places[0] else others["allOf"][places[0][1]]
        modes = {"oneOf": holder.pop("oneOf")}
        try:
            checks[operation_id] = _ModeCheck(
                others=_fragment_validator(schemas, others),
                modes=_fragment_validator(schemas, modes),
                tokens=("$ref", *places[0], "oneOf"),  # "$ref": `SchemaValidators.at` refers
            )
        except (ValueError, jsonschema_rs.ReferencingError):
            continue  # a shortcut that cannot be compiled is left out: the usual path remains
    return checks


def _fragment_validator(
    schemas: speclib.SchemaValidators, fragment: Any
) -> jsonschema_rs.Validator:
    """A validator for a copy of part of the document, its local `$ref`s made absolute (the
    copy is no resource of the registry; `SchemaValidators.for_schema` would make it one)."""
    return jsonschema_rs.validator_for(
        _absolute_refs(fragment, schemas.base_uri),
        registry=schemas.registry,
        validate_formats=True,
    )


# Keywords whose values are data, not schemas: a "$ref" in them is a value, left as it is.
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "example", "examples"})
# Keywords whose values map names (any word, "enum" included) to schemas.
_NAME_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})


def _absolute_refs(node: Any, base_uri: str, names: bool = False) -> Any:
    """`node` with each local `$ref` ("#/...") prefixed by `base_uri`."""
    if isinstance(node, list):
        return [_absolute_refs(item, base_uri) for item in node]
    if not isinstance(node, Mapping):
        return node
    copied = {}
    for key, value in node.items():
        if names:
            copied[key] = _absolute_refs(value, base_uri)
        elif key in _DATA_KEYWORDS:
            copied[key] = value
        elif key == "$ref" and isinstance(value, str) and value.startswith("#"):
            copied[key] = base_uri + value
        else:
            copied[key] = _absolute_refs(value, base_uri, names=key in _NAME_MAPS)
    return copied


def _json_body_schemas(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(operationId, pointer of its JSON request body's schema), `$ref`s followed to the target.

    Pointing at the component (not at the `$ref`) makes error paths start there, as `describe`
    expects.
    """
    found = []
    for operation in speclib.iter_operations(document):
        operation_id = operation.node.get("operationId")
        body = speclib.request_body(document, operation)
        if operation.kind != "path" or not isinstance(operation_id, str) or body is None:
            continue
        for media_type, media, media_pointer in speclib.media_types(*body):
            if media_type == "application/json" and isinstance(media.get("schema"), Mapping):
                _, pointer = speclib.follow_ref(
                    document, media["schema"], speclib.join_pointer(media_pointer, "schema")
                )
                found.append((operation_id, pointer))
    return found
