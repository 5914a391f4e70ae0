"""What a spec says, in the form the suite asks it: the oracle every check consults.

One `SpecOracle` per vendor spec. It answers: which operations exist (method, full path, request
schema, query parameters, callbacks), whether a request is valid (jsonschema-rs, Draft 2020-12,
the same validator family the mock uses, so K-29's `multipleOf` false rejections of Python's
`jsonschema` cannot happen), which documented answer an error situation has (`x-segue-when`),
and what the request examples are.

Why not reuse the mock's `VendorSpec`: the suite judges the mock (and servers in other
languages); its oracle must not share the judged code. It shares `segue.speclib`, which only
walks the document.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema_rs

from segue import paths, speclib

# The `x-segue-when` rule ids (common to both specs, see the project brief) that are not answers
# to server state: auth, faults, unknown endpoints and plain validation. Every other rule id a
# spec documents (`audio-not-found`, `origin-not-complete`, …) is a state rule.
NOT_STATE_RULES = frozenset(
    {
        "unauthorized",
        "insufficient-credits",
        "rate-limited",
        "maintenance",
        "server-error",
        "validation-failed",
        "not-found",
    }
)


@dataclass(frozen=True)
class DocumentedAnswer:
    """An example body marked `x-segue-when` ({rule: id} or {invalid: property}), and its name."""

    name: str
    body: Any
    rule: str | None
    invalid: str | None
    statuses: tuple[str, ...]
    only_when_absent: bool = False  # `{invalid: P, only-when: absent}`: for a missing P only

    @property
    def code(self) -> int | None:
        code = self.body.get("code") if isinstance(self.body, dict) else None
        return code if isinstance(code, int) else None

    @property
    def answers_state(self) -> bool:
        """Documents a rule that needs server state (`{rule: X}`, X not in NOT_STATE_RULES)."""
        return self.rule is not None and self.rule not in NOT_STATE_RULES


@dataclass(frozen=True)
class CallbackDescription:
    """One callback of an operation: where its URL comes from and what its payload must be."""

    name: str
    url_property: str
    payload_pointer: str
    header_names: tuple[str, ...]


@dataclass(frozen=True)
class QueryParameter:
    name: str
    required: bool
    schema_pointer: str | None


@dataclass
class OperationContract:
    """One path operation as the suite needs it."""

    vendor: str
    operation_id: str
    method: str
    route: str
    full_path: str
    body_pointer: str | None
    body_required: bool
    query: tuple[QueryParameter, ...]
    callbacks: tuple[CallbackDescription, ...]
    response_statuses: tuple[str, ...]
    request_examples: list[tuple[str, Any]] = field(default_factory=list)
    answers: list[DocumentedAnswer] = field(default_factory=list)
    secured: bool = True

    @property
    def creates_task(self) -> bool:
        """A create call: it has a JSON body and callbacks (the polling calls have neither)."""
        return self.body_pointer is not None and bool(self.callbacks)


class SpecOracle:
    """One vendor's spec, indexed for judging requests and responses."""

    def __init__(self, vendor: str, path: Path, document: dict[str, Any]) -> None:
        self.vendor = vendor
        self.path = path
        self.document = document
        self._validators = speclib.SchemaValidators(document, vendor)
        self._documented = speclib.SchemaValidators(
            speclib.documented_values_only(document), f"{vendor}-documented"
        )
        self.base_path = urlparse(str((document.get("servers") or [{}])[0].get("url", ""))).path
        self.base_path = self.base_path.rstrip("/")
        global_security = document.get("security") or []
        self.operations: dict[str, OperationContract] = {}
        for operation in speclib.iter_operations(document):
            if operation.kind == "path" and "operationId" in operation.node:
                contract = self._operation(operation, bool(global_security))
                self.operations[contract.operation_id] = contract

    # ------------------------------------------------------------------ schemas

    def validator(self, pointer: str) -> jsonschema_rs.Validator:
        """A compiled validator for the schema written at `pointer` (formats checked)."""
        return self._validators.at(pointer)

    def validator_for_schema(self, schema: Any) -> jsonschema_rs.Validator:
        """A validator for a schema fragment whose `$ref`s point into this document."""
        return self._validators.for_schema(schema)

    def resolve(self, pointer: str) -> Any:
        return speclib.resolve_pointer(self.document, pointer)

    def follow(self, node: Any, pointer: str = "") -> tuple[Any, str]:
        """`node` with its `$ref` chain followed, and where the result is written."""
        return speclib.follow_ref(self.document, node, pointer)

    def errors(self, pointer: str, instance: Any) -> list[str]:
        """Every way `instance` breaks the schema at `pointer`, one readable line each."""
        return [
            f"{'/'.join(map(str, error.instance_path)) or '<root>'}: {error.message}"
            for error in self.validator(pointer).iter_errors(instance)
        ]

    def undocumented_values(self, pointer: str, instance: Any) -> list[str]:
        """Each value of `instance` the schema at `pointer` accepts only through an open enum's
        fallback (a status, model name or stage the vendor has not documented), one line each:
        where it is, the value, and the documented values."""
        broken = set(_enum_errors(self.validator(pointer).iter_errors(instance)))
        found = _enum_errors(self._documented.at(pointer).iter_errors(instance))
        return list(dict.fromkeys(line for line in found if line not in broken))

    def component_enum(self, name: str) -> list[Any]:
        node = self.document.get("components", {}).get("schemas", {}).get(name, {})
        return list(node.get("enum", [])) if isinstance(node, dict) else []

    # ------------------------------------------------------------------ requests

    def request_problems(
        self, operation: OperationContract, body: Any, query: dict[str, Any]
    ) -> list[str]:
        """Why a request breaks the spec (empty list: the spec calls it valid)."""
        problems: list[str] = []
        for parameter in operation.query:
            if parameter.name not in query:
                if parameter.required:
                    problems.append(f"query {parameter.name}: is required")
                continue
            if parameter.schema_pointer is not None:
                problems += [
                    f"query {parameter.name}: {line}"
                    for line in self.errors(parameter.schema_pointer, query[parameter.name])
                ]
        if operation.body_pointer is not None:
            if body is None:
                if operation.body_required:
                    problems.append("body: is required")
            else:
                problems += [f"body {line}" for line in self.errors(operation.body_pointer, body)]
        return problems

    # ------------------------------------------------------------------ documented answers

    def answer(
        self, operation: OperationContract, *, rule: str | None = None, invalid: str | None = None
    ) -> DocumentedAnswer | None:
        """The operation's own example for a rule / invalid property, else any in the document."""
        for answer in [*operation.answers, *self._component_answers()]:
            if (rule is not None and answer.rule == rule) or (
                invalid is not None and answer.invalid == invalid
            ):
                return answer
        return None

    def answers_for(self, operation: OperationContract) -> list[DocumentedAnswer]:
        return list(operation.answers)

    def state_answers(self) -> tuple[DocumentedAnswer, ...]:
        """Every answer the document gives to a state rule (operations' and components')."""
        found: list[DocumentedAnswer] = []
        every = [a for op in self.operations.values() for a in op.answers]
        for answer in [*every, *self._component_answers()]:
            if answer.answers_state and all(
                (known.rule, known.body) != (answer.rule, answer.body) for known in found
            ):
                found.append(answer)
        return tuple(found)

    @functools.cache  # noqa: B019 - see validator
    def _component_answers(self) -> tuple[DocumentedAnswer, ...]:
        found = []
        examples = self.document.get("components", {}).get("examples", {})
        for name, example in examples.items() if isinstance(examples, dict) else []:
            answer = _answer(name, example, ())
            if answer is not None:
                found.append(answer)
        return tuple(found)

    # ------------------------------------------------------------------ indexing

    def _operation(
        self, operation: speclib.Operation, secured_by_default: bool
    ) -> OperationContract:
        body_pointer, body_required, examples = self._request_body(operation)
        security = operation.node.get("security")
        contract = OperationContract(
            vendor=self.vendor,
            operation_id=operation.node["operationId"],
            method=operation.method.upper(),
            route=operation.route,
            full_path=self.base_path + operation.route,
            body_pointer=body_pointer,
            body_required=body_required,
            query=tuple(self._query(operation)),
            callbacks=tuple(self._callbacks(operation)),
            response_statuses=tuple(
                status for status, _, _ in speclib.responses(self.document, operation)
            ),
            request_examples=examples,
            secured=bool(security) if security is not None else secured_by_default,
        )
        for status, response, pointer in speclib.responses(self.document, operation):
            for _, media, media_pointer in speclib.media_types(response, pointer):
                for example in speclib.iter_examples(self.document, media, media_pointer):
                    answer = _answer(
                        example.name or "",
                        {**example.extensions, "value": example.value},
                        (status,),
                    )
                    if answer is not None:
                        _merge_answer(contract.answers, answer)
        return contract

    def _request_body(
        self, operation: speclib.Operation
    ) -> tuple[str | None, bool, list[tuple[str, Any]]]:
        found = speclib.request_body(self.document, operation)
        if found is None:
            return None, False, []
        body, pointer = found
        for media_type, media, media_pointer in speclib.media_types(body, pointer):
            if "json" in media_type and "schema" in media:
                examples = [
                    (example.name or "example", example.value)
                    for example in speclib.iter_examples(self.document, media, media_pointer)
                ]
                return (
                    _schema_pointer(self.document, media["schema"], media_pointer),
                    bool(body.get("required")),
                    examples,
                )
        return None, bool(body.get("required")), []

    def _query(self, operation: speclib.Operation) -> Iterator[QueryParameter]:
        for pointer, parameter in speclib.operation_parameters(self.document, operation):
            if parameter.get("in") == "query":
                yield QueryParameter(
                    name=parameter["name"],
                    required=bool(parameter.get("required")),
                    schema_pointer=_schema_pointer(self.document, parameter["schema"], pointer)
                    if "schema" in parameter
                    else None,
                )

    def _callbacks(self, operation: speclib.Operation) -> Iterator[CallbackDescription]:
        for post in speclib.iter_callback_posts(self.document, operation):
            payload_pointer, _, _ = self._request_body(post.operation)
            if payload_pointer is not None:
                url_field = speclib.split_pointer(post.url_pointer)[0]
                yield CallbackDescription(post.name, url_field, payload_pointer, post.header_names)


def _enum_errors(errors: Iterable[Any]) -> list[str]:
    """Every `enum` failure among `errors`, also inside the branches of a failed `anyOf`/`oneOf`
    (jsonschema-rs keeps them in the error kind's `context`), one readable line each."""
    found: list[str] = []
    for error in errors:
        if type(error.kind).__name__ == "Enum":
            path = "/".join(map(str, error.instance_path)) or "<root>"
            value = json.dumps(error.instance, ensure_ascii=False)
            found.append(f"{path}: undocumented value {value}")
        for branch in getattr(error.kind, "context", None) or []:
            found += _enum_errors(branch)
    return found


def _schema_pointer(document: Any, schema: Any, holder_pointer: str) -> str:
    if speclib.is_ref(schema) and len(schema) == 1:
        return speclib.follow_ref(document, schema, speclib.join_pointer(holder_pointer, "schema"))[
            1
        ]
    return speclib.join_pointer(holder_pointer, "schema")


def _answer(name: str, example: Any, statuses: tuple[str, ...]) -> DocumentedAnswer | None:
    if not isinstance(example, dict):
        return None
    when = example.get("x-segue-when")
    if not isinstance(when, dict) or "value" not in example:
        return None
    return DocumentedAnswer(
        name,
        example["value"],
        when.get("rule"),
        when.get("invalid"),
        statuses,
        when.get("only-when") == "absent",
    )


def _merge_answer(answers: list[DocumentedAnswer], answer: DocumentedAnswer) -> None:
    """Keep one entry per (rule, invalid, body), remembering every status it is documented under."""
    for index, known in enumerate(answers):
        if (known.rule, known.invalid, known.body) == (answer.rule, answer.invalid, answer.body):
            answers[index] = DocumentedAnswer(
                known.name,
                known.body,
                known.rule,
                known.invalid,
                tuple(dict.fromkeys(known.statuses + answer.statuses)),
                known.only_when_absent,
            )
            return
    answers.append(answer)


@functools.lru_cache(maxsize=8)
def load_oracle(vendor: str, spec_dir: str | None = None) -> SpecOracle:
    """The oracle of `<spec_dir or specs/>/<vendor>.openapi.yaml`, loaded once per session."""
    path = paths.spec_path(vendor, Path(spec_dir) if spec_dir else None)
    return SpecOracle(vendor, path, speclib.load_spec(path))
