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

Messages are built by `segue.schema_errors` (a `Describer`), the same code that words the mock's
validation errors: field, rule, the limit read from the failing keyword, and the `if` conditions
(the model) that selected it, so nothing here repeats a limit or a model name.

`RequestValidator` is the reusable form (one per bundle, compiled validators cached per
operation); `validate_request` uses a cached one per (bundle, spec path).

The engine is `segue.request_validation` (document in, no files): the SDKs carry a copy.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

from segue import request_validation
from segue.paths import GENERATED_DIR
from segue.request_validation import PreflightError, UnknownOperation

__all__ = [
    "PreflightError",
    "RequestValidator",
    "UnknownOperation",
    "bundle_path",
    "request_validator",
    "validate_request",
]


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


class RequestValidator(request_validation.RequestValidator):
    """A `request_validation.RequestValidator` of a bundle under generated/openapi/ or a file."""

    def __init__(self, bundle: str, spec: Path | None = None) -> None:
        path = spec or bundle_path(bundle)
        if not path.is_file():
            known = sorted(p.stem for p in (GENERATED_DIR / "openapi").glob("*.json"))
            raise FileNotFoundError(
                f"no bundled spec {path} (known bundles: {', '.join(known) or 'none'}; "
                "run `uv run segue generate`)"
            )
        super().__init__(bundle, json.loads(path.read_text(encoding="utf-8")))


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
