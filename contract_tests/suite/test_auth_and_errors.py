"""Auth, documented error answers and rate limiting, for every operation of both vendors.

- A missing key and a wrong key (in the vendors' one form, `Authorization: Bearer <key>`) get the
  documented `unauthorized` answer, its exact message, on every operation. Free: nothing is created.
- Every error the spec documents as a fault (`insufficient-credits`, `rate-limited`, `maintenance`,
  `server-error`) is answered exactly as documented when the mock is told to fail (control API;
  skipped against a server without it), and `429` carries `Retry-After`, which the suite honours.
- With `http_errors` on (a KIE server that sets the HTTP status), errors keep their body and the
  status equals the code — the second form the spec documents.
"""

from __future__ import annotations

from typing import Any

import pytest
from segue.contract.oracle import OperationContract
from segue.contract.params import every_operation, vendor_params
from segue.contract.rules import Scenario

FAULT_RULES = ("insufficient-credits", "rate-limited", "maintenance", "server-error")
OPERATIONS = every_operation(lambda op: op.secured)
FAULTS = [
    (vendor, (op, rule))
    for vendor, op in every_operation()
    for rule in FAULT_RULES
    if any(a.rule == rule for a in op.answers)
]


def valid_request(kit: Any, operation: OperationContract) -> tuple[Any, dict[str, str] | None]:
    """A request the spec accepts (a body from the examples, or a poll of some task id)."""
    if operation.body_pointer is not None:
        body = kit.builder(operation.operation_id).valid(Scenario(()))
        return kit.fit(operation.operation_id, body, spend=False), None
    return None, kit.style.poll_query(operation, "segue-contract-unknown-task")


@pytest.mark.check("auth")
@pytest.mark.parametrize(
    ("vendor", "operation"), vendor_params(OPERATIONS, lambda op: op.operation_id)
)
@pytest.mark.parametrize("credential", ["missing", "wrong"])
def test_request_without_a_valid_key_is_refused(
    vendor: str, operation: OperationContract, credential: str, kits: Any
) -> None:
    kit = kits(vendor)
    body, query = valid_request(kit, operation)
    authorization = None if credential == "missing" else "segue-contract-wrong-key"
    if operation.creates_task:
        outcome = kit.create(
            operation.operation_id, body, expect="rejected", authorization=authorization
        )
    else:
        outcome = kit.send(operation.operation_id, body, query, authorization=authorization)
    answer = kit.oracle.answer(operation, rule="unauthorized")
    problems = kit.style.rejection_problems(operation, outcome, answer, exact_message=True)
    assert not problems, f"{operation.operation_id} with a {credential} key: " + "; ".join(problems)


def _control(kit: Any) -> Any:
    if kit.control is None:
        pytest.skip("the target has no control API (/_segue/) to inject faults with")
    return kit.control


@pytest.mark.check("documented error")
@pytest.mark.parametrize(
    ("vendor", "pair"), vendor_params(FAULTS, lambda p: f"{p[0].operation_id}:{p[1]}")
)
def test_documented_fault_is_answered_as_documented(
    vendor: str, pair: tuple[OperationContract, str], kits: Any
) -> None:
    operation, rule = pair
    kit = kits(vendor)
    control = _control(kit)
    body, query = valid_request(kit, operation)
    control.fault(
        rule=rule, vendor=vendor, operation=operation.operation_id, count=1, retry_after=1
    )
    try:
        outcome = kit.send(operation.operation_id, body, query, honour_retry_after=False)
    finally:
        control.clear_faults()
    answer = kit.oracle.answer(operation, rule=rule)
    problems = kit.style.rejection_problems(operation, outcome, answer, exact_message=True)
    if rule == "rate-limited" and not outcome.retry_after:
        problems.append("no Retry-After header (the spec documents one on 429)")
    assert not problems, f"{operation.operation_id} {rule}: " + "; ".join(problems)


@pytest.mark.check("rate limit")
@pytest.mark.parametrize(
    ("vendor", "operation"),
    vendor_params(every_operation(lambda op: op.creates_task), lambda op: op.operation_id),
)
def test_rate_limit_is_waited_out_with_retry_after(
    vendor: str, operation: OperationContract, kits: Any
) -> None:
    kit = kits(vendor)
    control = _control(kit)
    body, _ = valid_request(kit, operation)
    body = kit.fit(operation.operation_id, body)
    waits: list[float] = []
    real_sleep, kit.target.sleep = kit.target.sleep, waits.append
    control.fault(
        rule="rate-limited", vendor=vendor, operation=operation.operation_id, count=2, retry_after=3
    )
    try:
        outcome = kit.create(operation.operation_id, body)
    finally:
        kit.target.sleep = real_sleep
        control.clear_faults()
    assert waits == [3.0, 3.0], f"expected two waits of Retry-After = 3 s, got {waits}"
    assert outcome.created, f"after waiting out the rate limit: {outcome.summary()}"


@pytest.mark.check("documented error")
@pytest.mark.parametrize(
    ("vendor", "operation"),
    vendor_params(
        every_operation(lambda op: op.creates_task and op.vendor == "kie"),
        lambda op: op.operation_id,
    ),
)
def test_http_status_form_of_kie_errors(
    vendor: str, operation: OperationContract, kits: Any
) -> None:
    """KIE documents both forms: HTTP 200 + code, and the HTTP status = code (`--http-errors`)."""
    kit = kits(vendor)
    control = _control(kit)
    before = control.settings().get("http_errors", False)
    control.update_settings(http_errors=True)
    try:
        outcome = kit.send(operation.operation_id, {}, None)
    finally:
        control.update_settings(http_errors=before)
    answer = kit.oracle.answer(operation, rule="validation-failed")
    assert answer is not None
    assert outcome.http_status == outcome.code == answer.code, outcome.summary()
    problems = kit.style.body_problems(operation, outcome)
    assert not problems, "; ".join(problems)
