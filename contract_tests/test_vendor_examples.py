"""Every vendor-documented body we found, validated against the schema it belongs to.

The rows are in `fixtures/vendor_examples/*.yaml` (verbatim copies, each with its source URL;
README.md there says how rows are written). Each is checked against the bundle `segue generate`
writes for its brand (`generated/openapi/<bundle>.json`), so a spec change that rejects what a
vendor documents fails here. A body the spec rejects on purpose says so (`verdict: rejected`)
and names the DECISIONS.md entry recording why; the test checks that it *is* rejected and that
the entry exists, so neither the body nor the decision can silently drift.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from segue.contract.deliveries import callback_routes
from segue.contract.oracle import SpecOracle
from segue.contract.vendors import response_schema_pointer
from segue.paths import GENERATED_DIR, SPECS_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "vendor_examples"
DECISIONS = (SPECS_DIR / "DECISIONS.md").read_text(encoding="utf-8")


def rows() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        found += yaml.safe_load(path.read_text(encoding="utf-8"))
    return found


ROWS = rows()


@functools.cache
def bundle(name: str) -> SpecOracle:
    path = GENERATED_DIR / "openapi" / f"{name}.json"
    return SpecOracle(name, path, json.loads(path.read_text(encoding="utf-8")))


def schema_pointer(oracle: SpecOracle, schema: str) -> str:
    """`extendMusic request` / `getFeed response 200` / `generateSong callback` /
    `extendMusic callback-response 200` (what the receiver answers the callback) -> pointer."""
    operation_id, part, *status = schema.split()
    operation = oracle.operations[operation_id]
    if part == "callback-response":
        assert status and status[0].startswith("2"), f"an acknowledgement is a 2xx: {schema!r}"
        route = next(r for r in callback_routes(oracle) if r.operation_id == operation_id)
        assert route.acknowledgement_pointer is not None, f"{operation_id}: no acknowledgement"
        return route.acknowledgement_pointer
    if part == "request":
        assert operation.body_pointer is not None, f"{operation_id} has no request body"
        return operation.body_pointer
    if part == "callback":
        return operation.callbacks[0].payload_pointer
    assert part == "response" and status, f"not a schema reference: {schema!r}"
    pointer = response_schema_pointer(oracle, operation, int(status[0]))
    assert pointer is not None, f"{operation_id} documents no response {status[0]}"
    return pointer


def test_rows_are_well_formed() -> None:
    names = [row["name"] for row in ROWS]
    assert len(names) == len(set(names)), "row names repeat"
    for row in ROWS:
        assert {"name", "source", "bundle", "schema", "verdict", "body"} <= set(row), row["name"]
        assert row["verdict"] in ("valid", "rejected"), row["name"]
        assert (row["verdict"] == "rejected") == ("decision" in row), row["name"]


def test_every_operation_has_vendor_examples() -> None:
    """Each create call's request and each operation's answer has a row, and so has each callback
    payload schema (Udio's generate and extend share one)."""
    for vendor in ("kie", "udio"):
        oracle = bundle(vendor)
        mine = [row for row in ROWS if row["bundle"] == vendor]
        covered = {tuple(row["schema"].split()[:2]) for row in mine}
        callbacks = [r for r in mine if r["schema"].split()[1] == "callback"]
        payloads = {schema_pointer(oracle, r["schema"]) for r in callbacks}
        for operation in oracle.operations.values():
            parts = ["response"] + (["request"] if operation.creates_task else [])
            missing = [p for p in parts if (operation.operation_id, p) not in covered]
            if operation.callbacks and operation.callbacks[0].payload_pointer not in payloads:
                missing.append("callback")
            assert not missing, f"{vendor} {operation.operation_id}: no vendor example of {missing}"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["name"])
def test_vendor_example(row: dict[str, Any]) -> None:
    oracle = bundle(row["bundle"])
    pointer = schema_pointer(oracle, row["schema"])
    problems = oracle.errors(pointer, row["body"])
    if row["verdict"] == "valid":
        assert problems == [], f"{row['source']}: the spec rejects the vendor's example"
        undocumented = oracle.undocumented_values(pointer, row["body"])
        assert undocumented == [
            line for line in undocumented if any(v in line for v in row.get("undocumented", []))
        ], f"undocumented values not listed in the row: {undocumented}"
    else:
        assert problems, f"{row['name']} is marked rejected but the spec accepts it"
        assert f"### {row['decision']}." in DECISIONS, f"no DECISIONS.md entry {row['decision']}"
