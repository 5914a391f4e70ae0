"""Schemathesis glue: load a spec with the run's settings, send cases, judge them by the envelope.

Schemathesis generates the cases (examples, coverage and fuzzing phases; the stateful phase where
the spec has links). Sending goes through the suite's `Target` like every other test (same auth,
429 handling, request log, in-process or HTTP), and each answer is judged twice:

- by Schemathesis' own response checks (`response_schema_conformance` — error bodies included —,
  `status_code_conformance`, `content_type_conformance`, `response_headers_conformance`,
  `not_a_server_error`), all validating with jsonschema-rs (so K-29 does not bite);
- by `envelope_check`, which knows that KIE answers errors with HTTP 200: it asks the spec's
  validator whether the request *as sent* is valid (not Schemathesis' mode, which a serialisation
  can turn around), then requires a documented rejection for an invalid request (the validation
  answer, never the one of a state rule that shares its code), and for a valid
  one a created task / a successful poll or one of the documented answers to server-state rules
  (404 audio-not-found and friends: random ids do not exist).

- by `undocumented_check`, which fails nothing: it records each undocumented value of a 2xx answer
  (an open enum's fallback, DECISIONS X-5) for the run's warnings, as the vendor-flow tests do.

`checks(kit)` is the list every Schemathesis test passes. The positive-vs-negative meaning of a
KIE answer lives in `envelope_check`; that is why
Schemathesis' `negative_data_rejection`, `positive_data_acceptance` and `ignored_auth` (HTTP-status
based) are not used: they would call every KIE error a success.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import httpx
import hypothesis
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from segue.contract import undocumented
from segue.contract.kit import EXTEND, VendorKit
from segue.contract.options import ContractOptions
from segue.contract.oracle import DocumentedAnswer, OperationContract
from segue.contract.vendors import response_schema_pointer
from segue.paths import spec_path

BUILTIN_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def load_schema(vendor: str, options: ContractOptions, create_operations: list[str]) -> Any:
    """The vendor's spec as a Schemathesis schema, configured from the run's options.

    Against a real server the create operations get negative cases only: a positive case creates
    a paid task, and the budget belongs to the rule tests, which spend it deliberately.
    """
    profile = options.profile
    data: dict[str, Any] = {
        "seed": options.seed,
        "generation": {
            "database": "none",
            "max-examples": profile.schemathesis_examples,
            "with-security-parameters": False,
            "mode": "all",
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": profile.coverage_phase},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": profile.stateful_phase, "max-steps": profile.stateful_steps},
        },
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
    }
    if not options.in_process and create_operations:
        data["operations"] = [
            {"include-operation-id": list(create_operations), "generation": {"mode": "negative"}}
        ]
    config = SchemathesisConfig.from_dict(data)
    return schemathesis.openapi.from_path(spec_path(vendor), config=config)


def operation_of(kit: VendorKit, case: Any) -> OperationContract:
    operation_id = case.operation.definition.raw.get("operationId")
    return kit.op(str(operation_id))


def sent_body(case: Any) -> Any:
    """The body as JSON data (raw bytes that are JSON are read as JSON; other bytes stay bytes)."""
    if case.body is NOT_SET:
        return None
    if isinstance(case.body, (bytes, bytearray)):
        try:
            return json.loads(case.body)
        except ValueError:
            return bytes(case.body)
    return case.body


def problems_of(kit: VendorKit, case: Any) -> list[str]:
    """Why the request as sent breaks the spec: its body, its query, or its media type
    (the specs document `application/json` bodies only)."""
    operation = operation_of(kit, case)
    body = sent_body(case)
    if isinstance(body, bytes):
        return ["body: not JSON"]
    problems = kit.oracle.request_problems(operation, body, dict(case.query or {}))
    headers = {str(k).lower(): str(v) for k, v in (case.headers or {}).items()}
    declared = (
        headers.get("content-type") or getattr(case, "media_type", None) or "application/json"
    )
    media_type = declared.split(";")[0].strip().lower()
    if sent_body(case) is not None and "json" not in media_type:
        problems.append(f"body: sent as {media_type}, the spec documents application/json only")
    return problems


def prepare(kit: VendorKit, case: Any) -> None:
    """Point about half of the valid cases at real server state (deterministically, by content):
    extends at a finished source, polls at a real task. Random ids never exist, so without this
    every valid extend would meet "audio not found" and no poll would show a task."""
    operation = operation_of(kit, case)
    if problems_of(kit, case) or not _chosen(case):
        return
    body = sent_body(case)
    if operation.operation_id == EXTEND.get(kit.vendor) and isinstance(body, dict):
        case.body = kit.fit(operation.operation_id, body, spend=False)
    elif operation.operation_id == kit.poll_operation.operation_id:
        model = kit.models()[0] if kit.vendor == "kie" else None
        source = kit.source(model, spend=False)
        if source is not None:
            case.query = {
                **dict(case.query or {}),
                **kit.style.poll_query(operation, source.task_id),
            }


def _chosen(case: Any) -> bool:
    content = json.dumps([sent_body(case), dict(case.query or {})], sort_keys=True, default=str)
    return hashlib.sha256(content.encode()).digest()[0] % 2 == 0


def send(kit: VendorKit, case: Any) -> httpx.Response:
    """Send a case through the target, within the budget (a case the budget cannot pay for is
    rejected from the run, as Hypothesis understands it)."""
    operation = operation_of(kit, case)
    valid = not problems_of(kit, case)
    if operation.creates_task:
        if valid and not kit.budget.reserve(operation.operation_id):
            hypothesis.reject()
        if not valid and kit.budget.exhausted:
            hypothesis.reject()
    kwargs = case.as_transport_kwargs(base_url=kit.target.base_url + kit.oracle.base_path)
    content = kwargs.get("content", kwargs.get("data"))
    if "json" in kwargs:
        content = json.dumps(kwargs["json"], ensure_ascii=False).encode()
    headers = {str(k): str(v) for k, v in (kwargs.get("headers") or {}).items()}
    if "json" in kwargs:
        headers.setdefault("Content-Type", "application/json")
    path = kwargs["url"][len(kit.target.base_url) :]
    response = kit.target.send(
        kwargs["method"],
        path,
        content=content,
        params=kwargs.get("params") or None,
        headers=headers,
    )
    if operation.creates_task:
        created = kit.style.read(response).created
        if valid and not created:
            kit.budget.refund(operation.operation_id)
        elif not valid and created:
            kit.budget.charge_unexpected(operation.operation_id)
    return response


def checks(kit: VendorKit) -> list[Callable[..., bool | None]]:
    """The checks of every Schemathesis case and step for `kit`'s vendor."""
    return [*BUILTIN_CHECKS, envelope_check(kit), undocumented_check(kit)]


def undocumented_check(kit: VendorKit) -> Callable[..., None]:
    """A Schemathesis check that never fails: each value of a 2xx answer that only an open
    enum's fallback accepts is recorded (`undocumented.record`), so that fuzzed answers feed the
    same warnings (summary.md, JUnit) as the vendor-flow tests' answers."""

    def segue_undocumented_values(ctx: Any, response: Any, case: Any) -> None:
        operation = operation_of(kit, case)
        status = int(response.status_code)
        if not 200 <= status < 300 or case.method.upper() != operation.method:
            return
        pointer = response_schema_pointer(kit.oracle, operation, status)
        body = kit.style.read(_as_httpx(response)).body
        if pointer is not None and body is not None:
            where = f"{operation.operation_id} response"
            undocumented.record(where, kit.oracle.undocumented_values(pointer, body))

    return segue_undocumented_values


def envelope_check(kit: VendorKit) -> Callable[..., None]:
    """A Schemathesis check for `kit`'s vendor: the answer is the one the spec documents."""

    def segue_envelope(ctx: Any, response: Any, case: Any) -> None:
        operation = operation_of(kit, case)
        outcome = kit.style.read(_as_httpx(response))
        if case.method.upper() != operation.method:
            # Coverage sends other methods to the path: no such operation, so no success, and the
            # spec's `not-found` answer (its code; the message names the request) where it has one.
            not_found = kit.oracle.answer(operation, rule="not-found")
            if outcome.ok or (not_found is not None and outcome.code != not_found.code):
                expected = f"code {not_found.code}" if not_found is not None else "an error"
                raise AssertionError(
                    f"{case.method.upper()} {operation.full_path} is no operation of the spec; "
                    f"expected {expected}, got {outcome.summary()}"
                )
            return
        problems = problems_of(kit, case)
        if problems:
            verdicts = [
                kit.style.invalid_request_problems(operation, outcome, answer, exact_message=False)
                for answer in operation.answers
                if answer.rule == "validation-failed" or answer.invalid
            ]
            if not verdicts or all(verdicts):
                closest: list[str] = (
                    min(verdicts, key=len) if verdicts else ["no documented answer"]
                )
                reasons = "; ".join(closest)
                raise AssertionError(
                    f"invalid request ({problems[0]}) not rejected as documented: "
                    f"{outcome.summary()} ({reasons})"
                )
            return
        success = outcome.created if operation.creates_task else outcome.ok
        if success:
            return
        state_answers = [a for a in operation.answers if _answers_server_state(a)]
        for answer in state_answers:
            if not kit.style.rejection_problems(operation, outcome, answer, exact_message=True):
                return
        documented = ", ".join(a.rule or str(a.invalid) for a in state_answers) or "none documented"
        raise AssertionError(
            f"valid request refused: {outcome.summary()}; expected success or a documented answer "
            f"to a server-state rule ({documented})"
        )

    return segue_envelope


def _answers_server_state(answer: DocumentedAnswer) -> bool:
    """An answer a valid request may get: a state rule (`audio-not-found`, …) or a property's own
    answer (Udio's `extend_audio_index` message also covers an index the origin lacks)."""
    return bool(answer.invalid) or answer.answers_state


def _as_httpx(response: Any) -> httpx.Response:
    """Schemathesis' `Response` back into an `httpx.Response` for the vendor readers."""
    if isinstance(response, httpx.Response):
        return response
    headers = [
        (name, value)
        for name, values in (response.headers or {}).items()
        for value in (values if isinstance(values, list) else [values])
    ]
    return httpx.Response(response.status_code, headers=headers, content=response.content)
