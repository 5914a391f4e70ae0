"""Delivery chaos: duplicates, reordering, skipped and late stages, retries, concurrency.

Each scenario is one task's stages in an order the vendors document or a network produces
(`segue.contract.chaos`); every delivery must be acknowledged. The report names the scenario and
the step that failed.
"""

from __future__ import annotations

from typing import Any

import pytest
from segue.contract import chaos
from segue.contract.params import receiver_params, receiver_vendor_params

pytestmark = pytest.mark.receiver


@pytest.mark.check("delivery chaos")
@pytest.mark.parametrize(
    ("vendor", "operation_id", "case"),
    receiver_params(lambda kit, route: [s.name for s in chaos.scenarios(kit.stages)]),
)
def test_chaos_is_acknowledged(vendor: str, operation_id: str, case: str, contract: Any) -> None:
    kit = contract.delivery_kit(vendor)
    scenario = next(s for s in chaos.scenarios(kit.stages) if s.name == case)
    failures = chaos.run_scenario(kit, kit.route(operation_id), scenario)
    assert not failures, f"{operation_id} callbacks, {case}:\n  " + "\n  ".join(failures)


@pytest.mark.check("delivery chaos")
@pytest.mark.parametrize("vendor", receiver_vendor_params())
def test_50_tasks_interleaved_at_concurrency_8(vendor: str, contract: Any) -> None:
    kit = contract.delivery_kit(vendor)
    sent, failures = chaos.run_interleaved(kit, contract.options.seed)
    assert sent >= chaos.INTERLEAVED_TASKS
    assert not failures, (
        f"{chaos.INTERLEAVED_TASKS} tasks interleaved at concurrency {chaos.CONCURRENCY} "
        f"({sent} deliveries):\n  " + "\n  ".join(failures)
    )
