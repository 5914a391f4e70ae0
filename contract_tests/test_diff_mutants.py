"""`segue diff` against every spec mutant `segue mutate` derives from the real specs: a
mutant changes a documented constraint, so the diff must say so, in the right direction.

The mutants come from `segue.mutate.mutants.spec_mutants` (one per constraint the specs state);
the expectations come from the issue's rules table: a tightened request limit is breaking for
requests, a required field dropped from what only the vendor sends is breaking for responses.
A loosened limit or an added enum member inside a conditional may change nothing (the parent's
own limit still caps it), so for those only completion is asserted.
"""

from __future__ import annotations

import pytest
from segue import speclib
from segue.diff import diff_documents
from segue.mutate.mutants import NON_RULE, RULE, Mutant, spec_mutants
from segue.paths import VENDORS, spec_path

DOCUMENTS = {vendor: speclib.load_spec(spec_path(vendor)) for vendor in VENDORS}
MUTANTS = [(vendor, m) for vendor in VENDORS for m in spec_mutants(vendor, DOCUMENTS[vendor])]


def may_be_capped(mutant: Mutant) -> bool:
    conditional = "/then/" in mutant.pointer or "/else/" in mutant.pointer
    loosening = mutant.operator.endswith("-loosened") or mutant.operator == "enum-member-added"
    return conditional and loosening


def findings_of(vendor: str, mutant: Mutant) -> list[tuple[str, str, str]]:
    assert mutant.edit is not None
    document = DOCUMENTS[vendor]
    return [
        (f.rule, f.direction, str(f.level))
        for f in diff_documents(document, mutant.edit.apply(document))
        if not f.documentation
    ]


def test_there_are_mutants() -> None:
    assert len(MUTANTS) > 50


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_mutant_is_reported(vendor: str) -> None:
    silent = [
        m.name
        for v, m in MUTANTS
        if v == vendor and not may_be_capped(m) and not findings_of(vendor, m)
    ]
    assert silent == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_tightened_request_limit_is_breaking_for_requests(vendor: str) -> None:
    tightened = [
        m
        for v, m in MUTANTS
        if v == vendor and m.kind == RULE and m.operator.endswith("-tightened")
    ]
    assert tightened
    missed = [
        m.name
        for m in tightened
        if ("request", "breaking") not in {(d, lv) for _, d, lv in findings_of(vendor, m)}
    ]
    assert missed == []


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_required_field_dropped_from_what_the_vendor_sends_is_breaking(vendor: str) -> None:
    dropped = [
        m
        for v, m in MUTANTS
        if v == vendor and m.kind == NON_RULE and m.operator == "required-dropped"
    ]
    assert dropped
    missed = [
        m.name
        for m in dropped
        if ("property-became-optional", "response", "breaking") not in findings_of(vendor, m)
    ]
    assert missed == []
