"""Property-based callbacks: Schemathesis generates payloads from each callback operation's
schema (`segue.contract.callback_fuzz`: the spec's examples, then generated cases), the suite
signs and sends them, and each must be acknowledged. The report's row is the callback operation
(`receiveMusicStage` serves both KIE generate and extend).
"""

from __future__ import annotations

import functools
from typing import Any

import hypothesis
import pytest
from segue.contract.callback_fuzz import callback_path, load_callback_schema
from segue.contract.deliveries import declared_properties, only_declared
from segue.contract.options import active

pytestmark = pytest.mark.receiver
OPTIONS = active()
KIE = load_callback_schema("kie", OPTIONS)
UDIO = load_callback_schema("udio", OPTIONS)
# Shrinking re-sends a failing payload many times; the first failing one is named anyway.
NO_SHRINK = hypothesis.settings(
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate], deadline=None
)


@functools.cache
def _declared(kit: Any, pointer: str) -> set[str]:
    return declared_properties(kit.oracle, pointer)


def deliver_generated(vendor: str, case: Any, contract: Any, request: Any) -> None:
    kit = contract.delivery_kit(vendor)
    route = next(r for r in kit.routes if callback_path(r.callback_operation_id) == case.path)
    payload = only_declared(case.body, _declared(kit, route.payload_pointer))
    # A subject of its own (as every case has): the examples phase sends the spec's examples,
    # which two create operations share, and the same task and stage twice is a duplicate.
    payload = kit.fresh(payload)
    if kit.problems_of(route, payload):
        hypothesis.reject()  # the vendor never sends what its schema forbids
    _, failures, warnings = kit.deliver(route, payload)
    for warning in warnings:
        contract.warn(request.node.nodeid, f"{route.operation_id} callback: {warning}")
    assert not failures, f"{route.operation_id} callback, generated payload: " + "; ".join(failures)


@pytest.mark.vendor("kie")
@pytest.mark.check("generated payloads")
@KIE.parametrize()
@NO_SHRINK
def test_kie_generated_callback(case: Any, contract: Any, request: pytest.FixtureRequest) -> None:
    deliver_generated("kie", case, contract, request)


@pytest.mark.vendor("udio")
@pytest.mark.check("generated payloads")
@UDIO.parametrize()
@NO_SHRINK
def test_udio_generated_callback(case: Any, contract: Any, request: pytest.FixtureRequest) -> None:
    deliver_generated("udio", case, contract, request)
