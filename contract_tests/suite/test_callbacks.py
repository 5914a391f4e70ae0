"""Callbacks, received by the suite's own receiver on 127.0.0.1 and judged against the spec.

For every create operation of both vendors: each callback validates against the payload schema its
operation declares under `callbacks`, carries a valid signature when the spec declares one and the
key is known, the stages only move forward, every stage the spec promises arrives (Udio: each
one; KIE's spec lets `text` and `first` be skipped), and the final clips equal the ones polling
shows.
Duplicated and retried deliveries (control API, or a receiver failing on purpose) are harmless to a
receiver keyed by task and stage: every copy of a stage carries the same payload.

Skipped when the server cannot reach 127.0.0.1 (a live vendor): there the receiver would need a
public URL.
"""

from __future__ import annotations

from typing import Any

import pytest
from segue.contract import callbacks
from segue.contract.oracle import OperationContract
from segue.contract.params import every_operation, vendor_params
from segue.contract.rules import Scenario
from segue.contract.vendors import clip_differences

CREATES = every_operation(lambda op: op.creates_task)


def start(kit: Any, operation: OperationContract) -> tuple[str, str]:
    """Create a task whose callbacks go to a fresh receiver path; return (task id, path)."""
    if not kit.receives_callbacks:
        pytest.skip("the server cannot reach the suite's callback receiver on 127.0.0.1")
    path = kit.callback_path()
    body = kit.fit(operation.operation_id, kit.builder(operation.operation_id).valid(Scenario(())))
    body[operation.callbacks[0].url_property] = kit.callback_url(path)
    outcome = kit.create(operation.operation_id, body)
    assert outcome.created, f"could not create a task: {outcome.summary()}"
    return str(outcome.task_id), path


def webhook_key(contract: Any) -> str | None:
    return contract.options.effective_webhook_key


@pytest.mark.check("callbacks")
@pytest.mark.parametrize(
    ("vendor", "operation"), vendor_params(CREATES, lambda op: op.operation_id)
)
def test_callbacks_follow_the_spec_and_agree_with_polling(
    vendor: str, operation: OperationContract, kits: Any, contract: Any
) -> None:
    kit = kits(vendor)
    task_id, path = start(kit, operation)
    final = kit.finish(task_id)
    deliveries = callbacks.collect(kit, task_id, path)
    received = callbacks.delivered(deliveries)
    assert received, f"no callback reached {path} for task {task_id}"
    problems = [
        f"callback {index} ({callbacks.view(kit, d, task_id).stage}): {problem}"
        for index, d in enumerate(received)
        for problem in callbacks.delivery_problems(
            kit, operation, d, task_id, webhook_key(contract)
        )
    ]
    views = [callbacks.view(kit, d, task_id) for d in received]
    problems += callbacks.order_problems(views)
    last = views[-1]
    if not last.final:
        problems.append(f"the last callback is stage {last.stage}, not a final one")
    elif final.succeeded:
        problems += [f"final clips: {p}" for p in clip_differences(final.clips, last.clips)]
        problems += callbacks.missing_stage_problems(kit, views)
    assert not problems, f"{operation.operation_id} task {task_id}:\n  " + "\n  ".join(problems)


@pytest.mark.check("callbacks")
@pytest.mark.parametrize(
    ("vendor", "operation"), vendor_params(CREATES, lambda op: op.operation_id)
)
def test_duplicated_callbacks_are_harmless(
    vendor: str, operation: OperationContract, kits: Any
) -> None:
    kit = kits(vendor)
    if kit.control is None:
        pytest.skip("duplicates are switched on through the control API (/_segue/)")
    task_id, path = start(kit, operation)
    kit.control.callback_fault(duplicates=1, task_id=task_id)
    kit.finish(task_id)
    received = callbacks.delivered(callbacks.collect(kit, task_id, path))
    views = [callbacks.view(kit, d, task_id) for d in received]
    stages = [v.stage for v in views]
    assert len(stages) > len(set(stages)), (
        f"the mock was told to duplicate, yet stages arrived once: {stages}"
    )
    copies: dict[str, set[bytes]] = {}
    for delivery, stage in zip(received, views, strict=True):
        copies.setdefault(stage.stage, set()).add(delivery.body)
    differing = [stage for stage, bodies in copies.items() if len(bodies) > 1]
    assert not differing, (
        f"copies of stage(s) {differing} differ: a receiver keyed by task and stage would lose data"
    )
    assert not callbacks.order_problems(views), callbacks.order_problems(views)
    kept = callbacks.idempotent_state(kit, received, task_id)
    assert len(kept) == len(set(stages)), (
        f"keyed by task and stage, the receiver keeps {sorted(kept)}"
    )


@pytest.mark.check("callbacks")
@pytest.mark.parametrize(
    ("vendor", "operation"),
    vendor_params([(v, op) for v, op in CREATES if v == "kie"], lambda op: op.operation_id),
)
def test_failed_delivery_is_retried(vendor: str, operation: OperationContract, kits: Any) -> None:
    """KIE documents retries ("a failed delivery is retried"): the receiver fails once."""
    kit = kits(vendor)
    task_id, path = start(kit, operation)
    assert kit.receiver is not None
    before = len(kit.receiver.deliveries(path))
    kit.receiver.fail_next(1, path=path)
    kit.finish(task_id)
    deliveries = callbacks.collect(kit, task_id, path)[before:]
    assert deliveries and deliveries[0].answered == 500, "the receiver's failure was not used"
    failed = callbacks.view(kit, deliveries[0], task_id)
    again = [
        d
        for d in callbacks.delivered(deliveries)
        if callbacks.view(kit, d, task_id).stage == failed.stage
    ]
    assert again, f"stage {failed.stage} was not delivered again after the receiver answered 500"
    assert again[0].body == deliveries[0].body, "the retried delivery differs from the failed one"
