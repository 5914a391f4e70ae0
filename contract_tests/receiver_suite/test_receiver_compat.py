"""Forward compatibility: payloads the vendor may send tomorrow.

An extra property no schema declares (on every object of the payload), and an undocumented value
of the stage field (KIE `callbackType`, Udio clip `status`). A receiver that does not acknowledge
them gets a warning in the report, not a failure: today's spec does not promise them.
"""

from __future__ import annotations

from typing import Any

import pytest
from segue import speclib
from segue.contract.deliveries import UNDOCUMENTED_VALUE, with_unknown_property
from segue.contract.params import receiver_params

pytestmark = pytest.mark.receiver
UNKNOWN = "unknown extra property"


def _cases(kit: Any, route: Any) -> list[str]:
    return [UNKNOWN, f"undocumented {speclib.split_pointer(kit.stage_pointer)[-1]} value"]


@pytest.mark.check("forward compatibility")
@pytest.mark.parametrize(("vendor", "operation_id", "case"), receiver_params(_cases))
def test_tomorrows_payload_is_acknowledged_or_warned(
    vendor: str, operation_id: str, case: str, contract: Any, request: pytest.FixtureRequest
) -> None:
    kit = contract.delivery_kit(vendor)
    route = kit.route(operation_id)
    final = list(kit.stage_sequence(route).values())[-1]
    if case == UNKNOWN:
        payload = with_unknown_property(final)
    else:
        payload = kit.at_stage(final, UNDOCUMENTED_VALUE)
        # Else the case would test nothing new: the spec already documents the value. The spec
        # accepts it all the same (its enums of vendor-sent data are open, DECISIONS X-5).
        assert kit.oracle.undocumented_values(route.payload_pointer, payload), (
            f"{UNDOCUMENTED_VALUE!r} is documented"
        )
        assert not kit.problems_of(route, payload), kit.problems_of(route, payload)
    _, failures, warnings = kit.deliver(route, kit.fresh(payload))
    for problem in failures:
        contract.warn(
            request.node.nodeid,
            f"{operation_id} callback with an {case}: {problem} (the vendor may send this "
            "tomorrow; a receiver should acknowledge what it does not understand)",
        )
    for warning in warnings:
        contract.warn(request.node.nodeid, f"{operation_id} callback, {case}: {warning}")
