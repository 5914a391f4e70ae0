"""Reading the callbacks a task sent to the receiver: collect, validate, order, compare.

The payload schema of each callback is the one its operation declares under `callbacks`; the
signature is checked with the spec's `x-segue-signature` scheme (`segue.signature`, its tolerance
included) when the callback declares the scheme's headers (KIE; Udio signs nothing).
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from segue.contract import undocumented
from segue.contract.kit import VendorKit
from segue.contract.oracle import OperationContract
from segue.contract.receiver import Delivery
from segue.contract.vendors import StageView
from segue.signature import SignatureScheme


def delivered(deliveries: list[Delivery]) -> list[Delivery]:
    """The deliveries the receiver acknowledged (a 2xx); failed attempts are retried ones."""
    return [d for d in deliveries if 200 <= d.answered < 300]


def payload(delivery: Delivery) -> Any:
    try:
        return delivery.json()
    except ValueError:
        return None


def view(kit: VendorKit, delivery: Delivery, task_id: str) -> StageView:
    return kit.style.stage_view(payload(delivery), task_id)


def collect(kit: VendorKit, task_id: str, path: str, *, until_final: bool = True) -> list[Delivery]:
    """Every delivery to `path`, once the task's final stage arrived (bounded wait).

    With the control API, first wait until the mock has no callback pending for the task.
    """
    if kit.control is not None:
        kit.control.callbacks(task_id, wait=10.0)
    timeout = 10.0 if kit.control is not None else kit.task_wait

    def done(found: list[Delivery]) -> bool:
        return not until_final or any(view(kit, d, task_id).final for d in delivered(found))

    assert kit.receiver is not None
    return kit.receiver.wait_until(done, timeout, path)


def delivery_problems(
    kit: VendorKit,
    operation: OperationContract,
    delivery: Delivery,
    task_id: str,
    webhook_key: str | None,
) -> list[str]:
    """How one delivery breaks the spec: payload schema, and the signature when one is declared."""
    callback = operation.callbacks[0]
    body = payload(delivery)
    if body is None:
        return [f"callback body is not JSON: {delivery.body[:80]!r}"]
    problems = [f"payload {line}" for line in kit.oracle.errors(callback.payload_pointer, body)]
    undocumented.record(
        f"{operation.operation_id} callback",
        kit.oracle.undocumented_values(callback.payload_pointer, body),
    )
    content_type = (delivery.header("Content-Type") or "").split(";")[0].strip()
    if content_type != "application/json":
        problems.append(f"Content-Type {content_type!r}, the spec documents application/json")
    about = view(kit, delivery, task_id).task_id
    if about != task_id:
        problems.append(f"callback about task {about!r}, the create call returned {task_id!r}")
    scheme = SignatureScheme.from_spec(kit.oracle.document)
    declared = {name.lower() for name in callback.header_names}
    if webhook_key and scheme is not None and {h.lower() for h in scheme.headers} <= declared:
        problems += scheme.problems(webhook_key, body, delivery.headers, time.time())
    return problems


def first_of_each_stage(views: list[StageView]) -> list[StageView]:
    """The stages in the order they first arrived (later copies of a stage are duplicates)."""
    seen: dict[str, StageView] = {}
    for stage in views:
        seen.setdefault(stage.stage, stage)
    return list(seen.values())


def order_problems(views: list[StageView]) -> list[str]:
    """The stage moved backwards somewhere (by the spec's enum order)."""
    firsts = first_of_each_stage(views)
    return [
        f"stage {later.stage} arrived after {earlier.stage}"
        for earlier, later in itertools.pairwise(firsts)
        if later.rank < earlier.rank
    ]


def missing_stage_problems(kit: VendorKit, views: list[StageView]) -> list[str]:
    """The stages a succeeded task must call back (the vendor style's `required_stages`, from
    the spec) that never arrived."""
    arrived = {view.stage for view in views}
    return [
        f"no {stage!r} callback: the spec promises one per stage "
        f"({', '.join(kit.style.required_stages)})"
        for stage in kit.style.required_stages
        if stage not in arrived
    ]


def idempotent_state(
    kit: VendorKit, deliveries: list[Delivery], task_id: str
) -> dict[tuple[str, str], str]:
    """What a receiver keyed by (task, stage) keeps: the first payload of each stage."""
    state: dict[tuple[str, str], str] = {}
    for delivery in delivered(deliveries):
        stage = view(kit, delivery, task_id)
        state.setdefault(
            (str(stage.task_id), stage.stage), json.dumps(payload(delivery), sort_keys=True)
        )
    return state
