"""Schemathesis over every operation of both specs: examples, coverage, fuzzing, stateful phases.

One test per operation (`test_kie_operation[POST /api/v1/generate]`, …), each answer checked by
Schemathesis' response checks and by the envelope check, and its undocumented values recorded as
warnings (`segue.contract.fuzz.checks`). The stateful phase chains operations along the spec's
links (KIE's `PollCreatedTask`; Udio's are inferred from `workId`); the quick profile leaves it
out.
"""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis import Response
from schemathesis.core.errors import NoLinksFound
from schemathesis.generation.stateful import run_state_machine_as_test
from segue.contract import fuzz
from segue.contract.options import active
from segue.contract.oracle import load_oracle

OPTIONS = active()


def _creates(vendor: str) -> list[str]:
    return [op.operation_id for op in load_oracle(vendor).operations.values() if op.creates_task]


KIE = fuzz.load_schema("kie", OPTIONS, _creates("kie"))
UDIO = fuzz.load_schema("udio", OPTIONS, _creates("udio"))


def check_case(kit: Any, case: Any) -> None:
    fuzz.prepare(kit, case)
    response = fuzz.send(kit, case)
    case.validate_response(response, checks=fuzz.checks(kit))


@pytest.mark.vendor("kie")
@pytest.mark.check("schemathesis")
@KIE.parametrize()
def test_kie_operation(case: Any, kits: Any) -> None:
    check_case(kits("kie"), case)


@pytest.mark.vendor("udio")
@pytest.mark.check("schemathesis")
@UDIO.parametrize()
def test_udio_operation(case: Any, kits: Any) -> None:
    check_case(kits("udio"), case)


@pytest.mark.parametrize(
    ("vendor", "schema"),
    [
        pytest.param("kie", KIE, marks=pytest.mark.vendor("kie"), id="kie"),
        pytest.param("udio", UDIO, marks=pytest.mark.vendor("udio"), id="udio"),
    ],
)
@pytest.mark.check("schemathesis stateful")
def test_stateful_links(vendor: str, schema: Any, kits: Any) -> None:
    if not OPTIONS.profile.stateful_phase:
        pytest.skip(f"the {OPTIONS.profile.name} profile leaves the stateful phase out")
    kit = kits(vendor)
    base = schema.as_state_machine()

    class Links(base):  # type: ignore[misc, valid-type]
        def call(self, case: Any, **kwargs: Any) -> Any:
            fuzz.prepare(kit, case)
            return Response.from_any(fuzz.send(kit, case))

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(response, checks=fuzz.checks(kit))

    try:
        run_state_machine_as_test(Links, settings=schema.config.get_hypothesis_settings())
    except NoLinksFound as error:
        pytest.skip(f"no stateful phase for {vendor}: {str(error).splitlines()[0]}")
