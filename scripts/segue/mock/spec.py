"""What the mock reads from a spec: routes, compiled request schemas, documented answers.

One `VendorSpec` per spec file. It maps (method, path) to an `OperationSpec` holding:
- the request body and query parameter schemas, compiled with jsonschema-rs (Draft 2020-12,
  formats checked) through a registry holding the whole document, so local `$ref`s resolve;
- the error examples the operation documents, found by their `x-segue-when` extension
  (`{rule: <id>}` or `{invalid: <property>}`): every error the mock answers is one of these
  bodies, so every message comes from the spec;
- its callbacks: where the URL comes from (the runtime expression `{$request.body#/callBackUrl}`),
  the payload schema, the payload examples, and whether the spec declares signature headers.

Walking the document (pointers, `$ref`s, operations, examples) is `segue.speclib`'s job.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema_rs

from segue import paths, speclib
from segue.signature import SignatureScheme


class SpecError(Exception):
    """The spec cannot drive the mock (e.g. an operation the mock serves is missing)."""


@dataclass(frozen=True)
class DocumentedAnswer:
    """An example body marked with `x-segue-when`, and where it is written."""

    source: str
    body: Any
    rule: str | None = None
    invalid: str | None = None
    only_when_absent: bool = False  # `x-segue-when: {invalid: P, only-when: absent}`


@dataclass(frozen=True)
class QueryParameter:
    name: str
    required: bool
    validator: jsonschema_rs.Validator | None
    schema_pointer: str | None


@dataclass(frozen=True)
class CallbackSpec:
    """One callback of an operation. `signed`: the spec signs callbacks (`x-segue-signature`)
    and this one declares the scheme's headers."""

    name: str
    url_pointer: str
    payload_pointer: str
    signed: bool
    examples: tuple[Any, ...]


@dataclass
class OperationSpec:
    vendor: str
    operation_id: str
    method: str
    path: str
    full_path: str
    body_pointer: str | None
    body_required: bool
    body_validator: jsonschema_rs.Validator | None
    query: tuple[QueryParameter, ...]
    rule_answers: dict[str, DocumentedAnswer] = field(default_factory=dict)
    invalid_answers: dict[str, DocumentedAnswer] = field(default_factory=dict)
    response_schemas: dict[str, str] = field(default_factory=dict)
    success_examples: list[Any] = field(default_factory=list)
    response_examples: list[Any] = field(default_factory=list)
    callbacks: tuple[CallbackSpec, ...] = ()

    @property
    def is_create(self) -> bool:
        """A create: the operation declares callbacks, so each task it makes owes them."""
        return bool(self.callbacks)


class VendorSpec:
    """One vendor's spec, indexed for serving."""

    def __init__(self, vendor: str, path: Path, document: dict[str, Any]) -> None:
        self.vendor = vendor
        self.path = path
        self.document = document
        self.validators = speclib.SchemaValidators(document, vendor)
        self.base_path = _server_base_path(document)
        self.signature = SignatureScheme.from_spec(document)
        # `x-segue-errors.outcome` (DECISIONS X-1): `envelope` = errors answered as HTTP 200 with
        # the code in the body (KIE); `http-status` = the HTTP status is the code (Udio).
        errors = document.get("x-segue-errors")
        self.errors_in_envelope = isinstance(errors, dict) and errors.get("outcome") == "envelope"
        # `x-segue-max-duration-seconds` on the `Model` schema (DECISIONS X-4).
        model = document.get("components", {}).get("schemas", {}).get("Model", {})
        durations = model.get("x-segue-max-duration-seconds", {}) if isinstance(model, dict) else {}
        self.max_clip_seconds = {str(k): float(v) for k, v in durations.items()}
        self.rule_answers: dict[str, DocumentedAnswer] = {}
        self.invalid_answers: dict[str, DocumentedAnswer] = {}
        self._index_component_answers()
        self.operations: dict[str, OperationSpec] = {}
        for operation in speclib.iter_operations(document):
            if operation.kind == "path" and "operationId" in operation.node:
                spec = self._operation(operation)
                self.operations[spec.operation_id] = spec
        self.routes = {(op.method, op.full_path): op for op in self.operations.values()}

    # ------------------------------------------------------------------ schemas

    def validator(self, pointer: str) -> jsonschema_rs.Validator:
        """A compiled validator for the schema at `pointer` (formats checked)."""
        return self.validators.at(pointer)

    def resolve(self, pointer: str) -> Any:
        return speclib.resolve_pointer(self.document, pointer)

    def schema_errors(self, pointer: str, instance: Any) -> list[str]:
        """Every way `instance` breaks the schema at `pointer`, as readable lines (for tests)."""
        return [
            f"{'/'.join(map(str, e.instance_path)) or '<root>'}: {e.message}"
            for e in self.validator(pointer).iter_errors(instance)
        ]

    def response_errors(self, operation_id: str, status: int, body: Any) -> list[str]:
        """How a response body breaks the schema the operation documents for `status`."""
        operation = self.operations[operation_id]
        pointer = operation.response_schemas.get(str(status)) or operation.response_schemas.get(
            f"{str(status)[0]}XX"
        )
        if pointer is None:
            return [f"{operation_id} documents no response {status}"]
        return self.schema_errors(pointer, body)

    def callback_errors(self, operation_id: str, payload: Any) -> list[str]:
        """How a callback payload breaks the operation's (first) callback schema."""
        callback = self.operations[operation_id].callbacks[0]
        return self.schema_errors(callback.payload_pointer, payload)

    def enum(self, schema_name: str) -> list[Any]:
        """The `enum` of `components/schemas/<schema_name>` (empty when there is none)."""
        node = self.document.get("components", {}).get("schemas", {}).get(schema_name, {})
        return list(node.get("enum", [])) if isinstance(node, dict) else []

    def schema_default(self, schema_name: str) -> Any:
        node = self.document.get("components", {}).get("schemas", {}).get(schema_name, {})
        return node.get("default") if isinstance(node, dict) else None

    # ------------------------------------------------------------------ documented answers

    def answer_for_rule(
        self, rule: str, operation: OperationSpec | None = None
    ) -> DocumentedAnswer | None:
        """The example documenting `rule`: the operation's own first, else any in the document."""
        if operation is not None and rule in operation.rule_answers:
            return operation.rule_answers[rule]
        return self.rule_answers.get(rule)

    def answer_for_invalid(
        self, prop: str, operation: OperationSpec | None = None
    ) -> DocumentedAnswer | None:
        """The example documenting any schema failure at top-level property `prop`, if any."""
        if operation is not None:
            return operation.invalid_answers.get(prop)
        return self.invalid_answers.get(prop)

    def documented_rules(self) -> set[str]:
        return set(self.rule_answers)

    def _index_component_answers(self) -> None:
        examples = self.document.get("components", {}).get("examples", {})
        for name, example in examples.items() if isinstance(examples, dict) else []:
            answer = _answer(example, speclib.join_pointer("/components/examples", name, "value"))
            if answer is not None:
                _remember(answer, self.rule_answers, self.invalid_answers)

    # ------------------------------------------------------------------ operations

    def _operation(self, operation: speclib.Operation) -> OperationSpec:
        body_pointer, body_required = self._request_schema(operation)
        spec = OperationSpec(
            vendor=self.vendor,
            operation_id=operation.node["operationId"],
            method=operation.method.upper(),
            path=operation.route,
            full_path=self.base_path + operation.route,
            body_pointer=body_pointer,
            body_required=body_required,
            body_validator=self.validator(body_pointer) if body_pointer else None,
            query=tuple(self._query_parameters(operation)),
            callbacks=tuple(self._callbacks(operation)),
        )
        for status, response, response_pointer in speclib.responses(self.document, operation):
            for media_type, media, media_pointer in speclib.media_types(response, response_pointer):
                if "json" not in media_type:
                    continue
                if "schema" in media:
                    spec.response_schemas.setdefault(
                        status, _schema_pointer(self.document, media["schema"], media_pointer)
                    )
                for example in speclib.iter_examples(self.document, media, media_pointer):
                    answer = _answer({**example.extensions, "value": example.value}, example.source)
                    spec.response_examples.append(example.value)
                    if answer is not None:
                        _remember(answer, spec.rule_answers, spec.invalid_answers)
                    elif status.startswith("2"):
                        spec.success_examples.append(example.value)
        return spec

    def _request_schema(self, operation: speclib.Operation) -> tuple[str | None, bool]:
        found = speclib.request_body(self.document, operation)
        if found is None:
            return None, False
        body, pointer = found
        for media_type, media, media_pointer in speclib.media_types(body, pointer):
            if "json" in media_type and "schema" in media:
                return _schema_pointer(self.document, media["schema"], media_pointer), bool(
                    body.get("required")
                )
        return None, bool(body.get("required"))

    def _query_parameters(self, operation: speclib.Operation) -> list[QueryParameter]:
        found = []
        for pointer, parameter in speclib.operation_parameters(self.document, operation):
            if parameter.get("in") != "query":
                continue
            schema_pointer = (
                _schema_pointer(self.document, parameter["schema"], pointer)
                if "schema" in parameter
                else None
            )
            found.append(
                QueryParameter(
                    name=parameter["name"],
                    required=bool(parameter.get("required")),
                    validator=self.validator(schema_pointer) if schema_pointer else None,
                    schema_pointer=schema_pointer,
                )
            )
        return found

    def _callbacks(self, operation: speclib.Operation) -> list[CallbackSpec]:
        found = []
        for post in speclib.iter_callback_posts(self.document, operation):
            payload_pointer, _ = self._request_schema(post.operation)
            if payload_pointer is None:
                continue
            headers = {name.lower() for name in post.header_names}
            body, body_pointer = speclib.request_body(self.document, post.operation) or ({}, "")
            examples = tuple(
                example.value
                for _, media, media_pointer in speclib.media_types(body, body_pointer)
                for example in speclib.iter_examples(self.document, media, media_pointer)
            )
            found.append(
                CallbackSpec(
                    name=post.name,
                    url_pointer=post.url_pointer,
                    payload_pointer=payload_pointer,
                    signed=self.signature is not None
                    and all(name.lower() in headers for name in self.signature.headers),
                    examples=examples,
                )
            )
        return found


def _server_base_path(document: dict[str, Any]) -> str:
    """`https://udioapi.pro/api` -> `/api`: the mock serves the spec's paths under it."""
    servers = document.get("servers") or [{"url": "/"}]
    return urlparse(str(servers[0].get("url", "/"))).path.rstrip("/")


def _schema_pointer(document: Any, schema: Any, holder_pointer: str) -> str:
    """Where a `schema` is written; a bare `$ref` is followed so errors name the component."""
    if speclib.is_ref(schema) and len(schema) == 1:
        return speclib.follow_ref(document, schema, speclib.join_pointer(holder_pointer, "schema"))[
            1
        ]
    return speclib.join_pointer(holder_pointer, "schema")


def _answer(example: Any, source: str) -> DocumentedAnswer | None:
    if not isinstance(example, dict):
        return None
    when = example.get("x-segue-when")
    if not isinstance(when, dict) or "value" not in example:
        return None
    return DocumentedAnswer(
        source=source,
        body=example["value"],
        rule=when.get("rule"),
        invalid=when.get("invalid"),
        only_when_absent=when.get("only-when") == "absent",
    )


def _remember(
    answer: DocumentedAnswer,
    by_rule: dict[str, DocumentedAnswer],
    by_invalid: dict[str, DocumentedAnswer],
) -> None:
    """Keep the first answer per rule / property (document order), as the spec's primary one."""
    if answer.rule:
        by_rule.setdefault(answer.rule, answer)
    if answer.invalid:
        by_invalid.setdefault(answer.invalid, answer)


@functools.lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    return speclib.load_spec(Path(path))


def load_vendor_spec(vendor: str, spec_dir: Path | None = None) -> VendorSpec:
    """Load `<spec_dir>/<vendor>.openapi.yaml` (default: the project's specs/).

    Parsed documents are cached by path, modification time and size, so many apps in one test
    run parse each file once, and an edited file is read again. The document is shared: read it,
    never change it in place.
    """
    path = paths.spec_path(vendor, spec_dir)
    try:
        stat = path.stat()
        document = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise SpecError(f"cannot read {path}: {error}") from error
    except speclib.SpecLoadError as error:
        raise SpecError(f"{path}: {error}") from error
    try:
        return VendorSpec(vendor, path, document)
    except (speclib.UnresolvableRef, jsonschema_rs.ReferencingError, KeyError, TypeError) as error:
        raise SpecError(f"{path}: cannot serve it: {error}") from error
