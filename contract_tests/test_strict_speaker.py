"""Strict where we speak: the in-process suite fails a test when segue's own mock sends a value
the spec does not document (plugin.py `_note_undocumented`; against any other server the same
value is only a warning, test_undocumented_values.py).

The misbehaving mock is built through the one outbound seam (`MockConfig.outbound`), handed to
the suite the way `segue mutate` hands it a mutant (`MockUnderTest`). The suite runs in a child
process (pytest inside pytest would share this session's plugins), on one deterministic test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from segue.paths import PROJECT_ROOT

UNSEEN_MODEL = "chirp-strict-speaker-test"
UNSEEN_STATUS = "QUEUED_FOR_MASTERING"

# The child: `segue contract` in process (no --base-url), its mock rewritten on the way out.
CHILD = """
import dataclasses, json, sys
import pytest
from segue.contract.runner import pytest_arguments
from segue.contract.session import MockUnderTest

field, value, report = sys.argv[1], sys.argv[2], sys.argv[3]

def rewrite(outbound):
    if outbound.kind != "poll":
        return outbound
    body = json.loads(json.dumps(outbound.body))
    data = body.get("data") or {}
    if field == "status" and data.get("status") == "PENDING":  # later stages stay documented
        data["status"] = value
    for clip in (data.get("response") or {}).get("sunoData") or []:
        if field == "modelName":
            clip["modelName"] = value
    return dataclasses.replace(outbound, body=body)

args = pytest_arguments(
    base_url=None, vendor="kie", max_credits=None, profile="quick", report=report, seed=8,
    task_wait=30.0, extra=["-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-k",
    "test_status_holds_when_polled_twice_at_every_stage"],
)
sys.exit(pytest.main(args, plugins=[MockUnderTest({"outbound": rewrite})]))
"""


@pytest.mark.parametrize(
    ("field", "value", "finding"),
    [
        ("modelName", UNSEEN_MODEL, f'modelName: undocumented value "{UNSEEN_MODEL}"'),
        ("status", UNSEEN_STATUS, f'data/status: undocumented value "{UNSEEN_STATUS}"'),
    ],
)
def test_in_process_run_fails_when_the_mock_sends_an_undocumented_value(
    tmp_path: Path, field: str, value: str, finding: str
) -> None:
    report = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-c", CHILD, field, value, str(report)],
        capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT,
    )  # fmt: skip
    output = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 1, output  # 1: tests failed (not a crash, not "nothing ran")
    assert "segue's mock sent undocumented values" in output, output
    assert finding in output, output
    failures = [
        element.get("message", "") + (element.text or "")
        for element in ET.parse(report / "junit.xml").iter("failure")
    ]
    assert failures and all(finding in text for text in failures), json.dumps(failures)
