"""`segue lint` fails when the spec stops documenting a situation the mock answers with."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from segue import paths, speclib
from segue.lint import lint_document
from segue.lint_mock import check_mock_situations

SPECS = {vendor: speclib.load_spec(paths.spec_path(vendor)) for vendor in paths.VENDORS}


def without_situation(document: Any, operation_id: str, rule: str) -> Any:
    """A copy of `document` whose operation no longer lists the example documenting `rule`."""
    changed = copy.deepcopy(document)
    for operation in speclib.iter_operations(changed):
        if operation.node.get("operationId") != operation_id or operation.kind != "path":
            continue
        for response in operation.node["responses"].values():
            response = speclib.follow_ref(changed, response, "")[0]
            for media in response.get("content", {}).values():
                examples = media.get("examples", {})
                for name, example in list(examples.items()):
                    target = speclib.follow_ref(changed, example, "")[0]
                    if target.get("x-segue-when", {}).get("rule") == rule:
                        del examples[name]
    return changed


@pytest.mark.parametrize("vendor", sorted(SPECS))
def test_the_specs_document_every_situation_the_mock_answers(vendor: str) -> None:
    assert check_mock_situations(SPECS[vendor]) == []


@pytest.mark.parametrize(
    ("vendor", "operation_id", "rule"),
    [("kie", "extendMusic", "audio-not-found"), ("udio", "extendSong", "origin-not-complete")],
)
def test_a_situation_no_longer_documented_fails_lint(
    vendor: str, operation_id: str, rule: str
) -> None:
    problems = lint_document(without_situation(SPECS[vendor], operation_id, rule)).problems
    assert any(operation_id in message and rule in message for _, message in problems), problems
