"""The `segue diff` corpus: small spec pairs under fixtures/diff/, each with every finding it must
report (and nothing else), and the rules its neighbouring non-change must leave silent.

Expected findings are written by hand in the fixtures, from the rules table of the issue and the
README, never produced by the code under test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from segue.diff import diff_documents
from segue.diff.rules import RULES
from segue.diff.sides import parse_spec

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
CASES = sorted(FIXTURES.glob("*.yaml"))
# Rules only `segue diff --base` reports (a whole spec file added or removed): test_diff_cli.
BASE_ONLY = {"spec-added", "spec-removed"}


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    for side in ("old", "new"):
        case[side] = {"openapi": "3.1.0", "info": {"title": path.stem, "version": "1"}} | case[side]
    return case


def found(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [finding.as_json() for finding in diff_documents(case["old"], case["new"])]


KEYS = ("rule", "level", "direction", "subject", "old", "new")


def as_key(finding: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(finding.get(key) for key in KEYS)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_fixture_pair(path: Path) -> None:
    case = load_case(path)
    actual = found(case)
    expected = case.get("expect") or []
    assert sorted(map(as_key, actual)) == sorted(map(as_key, expected)), yaml.safe_dump(actual)
    by_key = {as_key(finding): finding for finding in actual}
    for finding in expected:
        if "message" in finding:
            assert by_key[as_key(finding)]["message"] == finding["message"]
    fired = {finding["rule"] for finding in actual}
    assert not fired & set(case.get("silent") or []), "a rule listed silent fired"


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_fixture_sides_are_valid_openapi(path: Path) -> None:
    case = load_case(path)
    for side in ("old", "new"):
        parse_spec(f"{path.name} {side}", yaml.safe_dump(case[side]))


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_a_side_diffed_with_itself_reports_nothing(path: Path) -> None:
    case = load_case(path)
    assert diff_documents(case["old"], case["old"]) == []
    assert diff_documents(case["new"], case["new"]) == []


def test_every_rule_is_seen_firing_and_seen_silent() -> None:
    cases = [load_case(path) for path in CASES]
    fired = {finding["rule"] for case in cases for finding in case.get("expect") or []}
    silent = {rule for case in cases for rule in case.get("silent") or []}
    assert sorted(set(RULES) - BASE_ONLY - fired) == [], "rules no fixture sees firing"
    assert sorted(set(RULES) - BASE_ONLY - silent) == [], "rules no fixture sees silent"
    assert silent <= set(RULES) and fired <= set(RULES), "fixtures name unknown rules"


def test_expected_levels_follow_the_rules_table() -> None:
    """A fixture's level must be the table's level for its direction (no hand-typed drift)."""
    for path in CASES:
        for finding in load_case(path).get("expect") or []:
            rule = RULES[finding["rule"]]
            assert str(rule.level(finding["direction"])) == finding["level"], (path.name, finding)
