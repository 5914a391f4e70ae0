"""Deliveries a verifying receiver must refuse (`--expect-verification`), built from the spec's
`x-segue-signature`: each is a real payload with one thing wrong about its signature."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from segue import speclib
from segue.contract.deliveries import Delivery, DeliveryKit

# Seconds beyond the spec's tolerance for a stale or future timestamp: far enough that clock
# skew between the suite and the receiver cannot make it pass.
BEYOND = 60


def forgeries(kit: DeliveryKit) -> dict[str, Callable[[Any], Delivery]]:
    """Case name -> how to forge that case's delivery of a payload (empty: nothing is signed)."""
    scheme = kit.scheme
    if scheme is None:
        return {}
    tolerance = scheme.tolerance_seconds
    subject = speclib.split_pointer(kit.contract.subject)[-1]

    def signed_by_another_key(payload: Any) -> Delivery:
        return kit.signed(payload, key=f"{kit.webhook_key}-not-the-key")

    def without(name: str) -> Callable[[Any], Delivery]:
        def forge(payload: Any) -> Delivery:
            headers = kit.signed(payload).headers
            return Delivery(payload, {k: v for k, v in headers.items() if k != name})

        return forge

    def signed_at(offset: float) -> Callable[[Any], Delivery]:
        return lambda payload: kit.signed(payload, now=time.time() + offset)

    def signed_for_another_subject(payload: Any) -> Delivery:
        return Delivery(payload, kit.signed(kit.fresh(payload)).headers)

    return {
        "wrong signature": signed_by_another_key,
        f"no {scheme.signature_header}": without(scheme.signature_header),
        f"no {scheme.timestamp_header}": without(scheme.timestamp_header),
        f"timestamp {tolerance + BEYOND:g} s old": signed_at(-tolerance - BEYOND),
        f"timestamp {tolerance + BEYOND:g} s ahead": signed_at(tolerance + BEYOND),
        f"body {subject} differs from the signed one": signed_for_another_subject,
    }
