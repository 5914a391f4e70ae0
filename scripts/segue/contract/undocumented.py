"""Undocumented values the current test saw in answers and callbacks: warnings, not failures.

The specs leave vendor-sent enums open (DECISIONS X-5), so a new `status` or `modelName` parses
and passes the schema checks; `SpecOracle.undocumented_values` still finds it. The checks that
judge an answer (`VendorStyle.body_problems`, `callbacks.delivery_problems`, and the
Schemathesis check `fuzz.undocumented_check`) record what they find here, and the plugin hands
it to the test's report (JUnit properties, summary.md), then clears it for the next test. One
list for the process: the suite runs one test at a time.
"""

from __future__ import annotations

_seen: list[str] = []


def record(where: str, findings: list[str]) -> None:
    """Remember each finding of one answer, prefixed with what answered (`getFeed response`)."""
    _seen.extend(f"{where}: {finding}" for finding in findings)


def take() -> list[str]:
    """What the current test saw, each once, and forget it."""
    found = list(dict.fromkeys(_seen))
    _seen.clear()
    return found
