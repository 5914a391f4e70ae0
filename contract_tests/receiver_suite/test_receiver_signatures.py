"""Signatures (vendors whose spec has an `x-segue-signature`: KIE).

With a webhook key, a correctly signed delivery must be acknowledged. With
`--expect-verification` (and always for the in-process `segue receive`, which verifies), every
forgery of `segue.contract.forgeries` — a wrong signature, a missing header, a timestamp beyond
the spec's tolerance either way, a body whose task id is not the signed one — and a replay of a
signed delivery after its window must get a 4xx.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from segue.contract.forgeries import forgeries
from segue.contract.params import receiver_params, receiver_vendor_params

pytestmark = pytest.mark.receiver
SIGNED = "correctly signed"
# A replayed delivery is first sent this many seconds inside its window, then again once the
# window has passed: the test waits about this long plus one second.
INSIDE_WINDOW = 2


def _cases(kit: Any, route: Any) -> list[str]:
    return [SIGNED, *forgeries(kit)] if kit.scheme is not None else []


def _needs(kit: Any, contract: Any, *, verification: bool) -> None:
    if not kit.webhook_key:
        pytest.skip("no --webhook-key: deliveries are sent unsigned")
    if verification and not contract.options.verification_expected:
        pytest.skip("forged deliveries are judged with --expect-verification")


def _final(kit: Any, route: Any) -> Any:
    return kit.fresh(list(kit.stage_sequence(route).values())[-1])


@pytest.mark.check("signatures")
@pytest.mark.parametrize(("vendor", "operation_id", "case"), receiver_params(_cases))
def test_signature_case(vendor: str, operation_id: str, case: str, contract: Any) -> None:
    kit = contract.delivery_kit(vendor)
    route = kit.route(operation_id)
    _needs(kit, contract, verification=case != SIGNED)
    if case == SIGNED:
        answer = kit.send(kit.signed(_final(kit, route)), route)
        failures = kit.failures(answer)
    else:
        answer = kit.send(forgeries(kit)[case](_final(kit, route)), route)
        failures = kit.rejection_failures(answer)
    assert not failures, f"{operation_id} callback, {case}: " + "; ".join(failures)


@pytest.mark.check("signatures")
@pytest.mark.parametrize("vendor", receiver_vendor_params(lambda kit: kit.scheme is not None))
def test_replay_after_the_window_is_refused(vendor: str, contract: Any) -> None:
    kit = contract.delivery_kit(vendor)
    _needs(kit, contract, verification=True)
    tolerance = kit.scheme.tolerance_seconds
    signed_at = math.floor(time.time()) - tolerance + INSIDE_WINDOW
    deliveries = [(route, kit.signed(_final(kit, route), now=signed_at)) for route in kit.routes]
    failures = [
        f"{route.operation_id}, first delivery inside its window: {problem}"
        for route, delivery in deliveries
        for problem in kit.failures(kit.send(delivery, route))
    ]
    time.sleep(max(0.0, signed_at + tolerance + 1.5 - time.time()))
    failures += [
        f"{route.operation_id}, the same delivery replayed after its window: {problem}"
        for route, delivery in deliveries
        for problem in kit.rejection_failures(kit.send(delivery, route))
    ]
    assert not failures, "replay after the window:\n  " + "\n  ".join(failures)
