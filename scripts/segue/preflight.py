"""Validate a request body against its operation's FULL schema before any credit is spent.

The generated Python clients cannot enforce what their generators drop: `if`/`then`/`else`
(custom-mode requirements, per-model length limits), `oneOf` modes, formats. This module checks
a body against the schema of the operation's JSON request body in the bundled spec
(generated/openapi/<bundle>.json, every rule kept), with jsonschema-rs and formats on:

    from segue.preflight import validate_request, PreflightError
    try:
        validate_request("kie", "extendMusic", body)
    except PreflightError as error:
        print(error)
        # title: 101 characters, at most 80 allowed for defaultParamFlag true, model V4_5ALL

Messages are built by `segue.schema_errors.describe`, the same function that words the mock's
validation errors: field, rule, the limit read from the failing keyword, and the `if` conditions
(the model) that selected it, so nothing here repeats a limit or a model name.

`RequestValidator` is the reusable form (one per bundle, compiled validators cached per
operation); `validate_request` uses a cached one per (bundle, spec path).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema_rs

from segue import schema_errors, speclib
from segue.paths import GENERATED_DIR


class PreflightError(ValueError):
    """The body breaks its operation's schema.

    The message is the first broken rule (what jsonschema-rs reports first); `problems` lists
    every broken rule, computed when first read (a second pass over the body).
    """

    def __init__(
        self, validator: RequestValidator, operation_id: str, body: Any, first_problem: str
    ) -> None:
        super().__init__(first_problem)
        self.bundle = validator.bundle
        self.operation_id = operation_id
        self.body = body
        self._validator = validator
        self._problems: list[str] | None = None

    @property
    def problems(self) -> list[str]:
        if self._problems is None:
            self._problems = self._validator.problems(self.operation_id, self.body)
        return self._problems


class UnknownOperation(LookupError):
    """No operation with this id has a JSON request body in the bundle."""


@functools.lru_cache(maxsize=16)
def request_validator(bundle: str, spec: Path | None = None) -> RequestValidator:
    """The shared `RequestValidator` of a bundle (`kie`, `kie-sunoapi`, `udio`) or spec file."""
    return RequestValidator(bundle, spec)


def validate_request(
    bundle: str, operation_id: str, body: Any, *, spec: Path | None = None
) -> None:
    """Raise `PreflightError` unless `body` is a valid request body of `operation_id`.

    The error's message names the first broken rule; its `problems` list every one.

    `bundle` names generated/openapi/<bundle>.json; `spec` overrides the file to read.
    """
    request_validator(bundle, spec).validate(operation_id, body)


def bundle_path(bundle: str) -> Path:
    """Where `segue generate` writes a bundle."""
    return GENERATED_DIR / "openapi" / f"{bundle}.json"


class RequestValidator:
    """Validators for every operation with a JSON request body in one bundled spec."""

    def __init__(self, bundle: str, spec: Path | None = None) -> None:
        path = spec or bundle_path(bundle)
        if not path.is_file():
            known = sorted(p.stem for p in (GENERATED_DIR / "openapi").glob("*.json"))
            raise FileNotFoundError(
                f"no bundled spec {path} (known bundles: {', '.join(known) or 'none'}; "
                "run `uv run segue generate`)"
            )
        self.bundle = bundle
        self.document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        schemas = speclib.SchemaValidators(self.document, f"preflight:{bundle}")
        self._body_schemas = dict(_json_body_schemas(self.document))
        self._validators = {
            operation_id: schemas.at(pointer)
            for operation_id, pointer in self._body_schemas.items()
        }

    @property
    def operation_ids(self) -> list[str]:
        return sorted(self._validators)

    def is_valid(self, operation_id: str, body: Any) -> bool:
        return self._validator(operation_id).is_valid(body)

    def validate(self, operation_id: str, body: Any) -> None:
        """Raise `PreflightError` (first broken rule; `.problems` has all) or `UnknownOperation`."""
        # One lazy pass that stops at the first error: the body is converted for Rust once, and
        # no exception is built by jsonschema-rs (its `validate` costs ~4 µs more on failure).
        for error in self._validator(operation_id).iter_errors(body):
            first = self._describe(error, operation_id, body)
            raise PreflightError(self, operation_id, body, first)

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
        return schema_errors.describe(error, body, self.document, pointer).message

    def _validator(self, operation_id: str) -> jsonschema_rs.Validator:
        try:
            return self._validators[operation_id]
        except KeyError:
            raise UnknownOperation(
                f"{self.bundle} has no operation {operation_id!r} with a JSON request body "
                f"(known: {', '.join(self.operation_ids)})"
            ) from None


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


def preflight_command(bundle: str, operation_id: str, file: Path) -> int:
    """`segue preflight`: 0 and "valid" for a valid body, 1 and one line per problem otherwise."""
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"{file}: cannot read a JSON body: {error}", file=sys.stderr)
        return 1
    try:
        validate_request(bundle, operation_id, body)
    except PreflightError as error:
        for problem in error.problems:
            print(f"{file}: {problem}", file=sys.stderr)
        return 1
    except (UnknownOperation, FileNotFoundError) as error:
        print(f"segue preflight: {error.args[0]}", file=sys.stderr)
        return 1
    print(f"{file}: valid {bundle} {operation_id} request")
    return 0
