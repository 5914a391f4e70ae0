"""Tests of the contract suite's machinery and of `segue contract` itself.

Fast (default run): the rule derivation follows an edited spec; the cost table covers every
create operation; the receiver's signature check rejects a wrong key; the runner's exit statuses
(no test passed = 5, bad option = 4); a run against `segue mock --spec-dir <weakened copy>` fails
with a report naming the broken rule, its terminal output ends with the operations × checks table,
and the API key appears in none of its outputs; that table is coloured on a terminal only.

Slow (`--run-slow`): the whole suite, quick profile, in process and against `segue mock` over
HTTP, passes, and repeats exactly for a given seed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from segue import speclib
from segue.contract import rules
from segue.contract.budget import CREDIT_COST
from segue.contract.oracle import SpecOracle, load_oracle
from segue.paths import PROJECT_ROOT, SPECS_DIR, VENDORS
from segue.signature import SignatureScheme
from terminal import contract_table
from terminal import output as terminal_output

LEAK_KEY = "sk-segue-LEAKCHECK-7f3a9c2e51"
WEBHOOK_KEY = "whk-segue-LEAKCHECK-b81d"
GREEN = "\x1b[32m"  # pytest's TerminalWriter markup for green (ANSI SGR 32)


# --------------------------------------------------------------------------- helpers


def weakened_specs(directory: Path) -> Path:
    """A copy of specs/ where KIE extension titles for V4 may be 200 characters (spec says 80)."""
    directory.mkdir(parents=True, exist_ok=True)
    for vendor in VENDORS:
        document = speclib.load_spec(SPECS_DIR / f"{vendor}.openapi.yaml")
        if vendor == "kie":
            limits = document["components"]["schemas"]["ExtensionCustomModeLimits"]["allOf"]
            v4 = next(
                branch
                for branch in limits
                if branch["if"]["properties"]["model"].get("const") == "V4"
            )
            v4["then"]["properties"]["title"]["maxLength"] = 200
        (directory / f"{vendor}.openapi.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        )
    return directory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def segue(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segue.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def segue_mock(tmp_path: Path) -> Iterator[Any]:
    """`segue mock` in a subprocess on a free port: call with extra flags, get its base URL."""
    processes: list[subprocess.Popen[str]] = []

    def start(*flags: str) -> str:
        port = free_port()
        log = open(tmp_path / f"mock-{port}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "segue.cli",
                "mock",
                "--port",
                str(port),
                "--api-key",
                LEAK_KEY,
                "--webhook-hmac-key",
                WEBHOOK_KEY,
                *flags,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=PROJECT_ROOT,
        )
        processes.append(process)
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(f"{base_url}/_segue/health", timeout=1, trust_env=False).status_code
                    == 200
                ):
                    return base_url
            except httpx.HTTPError:
                time.sleep(0.2)
            assert process.poll() is None, (tmp_path / f"mock-{port}.log").read_text()
        raise AssertionError("segue mock did not start within 30 s")

    yield start
    for process in processes:
        process.terminate()
        process.wait(10)


def outputs(result: subprocess.CompletedProcess[str], report: Path) -> str:
    """Everything a run showed or wrote: stdout, stderr and every report file."""
    files = "".join(path.read_text() for path in sorted(report.glob("*")) if path.is_file())
    return result.stdout + result.stderr + files


# --------------------------------------------------------------------------- machinery


def test_rules_follow_an_edited_spec(tmp_path: Path) -> None:
    """Change a limit in the spec and the derived rule changes with it: nothing is re-typed."""
    path = weakened_specs(tmp_path / "specs") / "kie.openapi.yaml"
    edited = SpecOracle("kie", path, speclib.load_spec(path))
    original = load_oracle("kie")

    def title_limits(oracle: SpecOracle) -> dict[str, int]:
        found = rules.length_rules(oracle, oracle.operations["extendMusic"])
        return {r.scenario.label(): r.limit for r in found if r.field == "title"}

    before, after = title_limits(original), title_limits(edited)
    changed = {label for label in before if before[label] != after[label]}
    assert changed == {"defaultParamFlag=true, model=V4"}
    assert after["defaultParamFlag=true, model=V4"] == 200


def test_every_create_operation_has_a_cost() -> None:
    creates = {
        op.operation_id
        for v in VENDORS
        for op in load_oracle(v).operations.values()
        if op.creates_task
    }
    assert creates == set(CREDIT_COST)


def test_signature_check_accepts_the_right_key_only() -> None:
    """The suite's check of the mock's callbacks is the spec's scheme (`segue.signature`)."""
    scheme = SignatureScheme.from_spec(load_oracle("kie").document)
    assert scheme is not None
    body = {"code": 200, "msg": "ok", "data": {"task_id": "task-1", "callbackType": "text"}}
    now = time.time()
    good = scheme.sign("k", body, now)
    assert scheme.problems("k", body, good, now) == []
    assert scheme.problems("other", body, good, now)
    other_task = {**body, "data": {**body["data"], "task_id": "task-2"}}
    assert scheme.problems("k", other_task, good, now)
    assert scheme.problems("k", body, {}, now)
    inside = now - scheme.tolerance_seconds + 5
    assert scheme.problems("k", body, scheme.sign("k", body, inside), now) == []
    stale = now - scheme.tolerance_seconds - 5
    assert scheme.problems("k", body, scheme.sign("k", body, stale), now)


def test_every_rule_can_be_built_from_the_examples() -> None:
    """Each derived rule has a valid request at its boundary and an invalid one beyond it."""
    for vendor in VENDORS:
        oracle = load_oracle(vendor)
        for operation in oracle.operations.values():
            if not operation.creates_task:
                continue
            builder = rules.RequestBuilder(oracle, operation)
            for rule in rules.length_rules(oracle, operation):
                body = builder.valid(rule.scenario, with_fields=(rule.field,))
                body[rule.field] = "x" * rule.limit
                assert builder.is_valid(body), rule.id
                body[rule.field] += "x"
                assert not builder.is_valid(body), rule.id
            required, optional = rules.requirement_rules(oracle, operation)
            for rule in required:
                body = builder.valid(rule.scenario, with_fields=(rule.field,))
                del body[rule.field]
                assert not builder.is_valid(body), rule.id
            for rule in optional:
                assert builder.is_valid(builder.valid(rule.scenario, without=(rule.field,))), (
                    rule.id
                )


# --------------------------------------------------------------------------- the runner


def test_a_run_that_tests_nothing_is_not_a_pass() -> None:
    """Every selected test skipped (plain pytest would exit 0): `segue contract` exits 5."""
    result = segue("contract", "--profile", "quick", "-k", "stateful_links", timeout=120)
    assert "2 skipped" in result.stdout, result.stdout[-2000:]
    assert result.returncode == 5, result.stdout[-2000:]


def test_a_bad_option_is_a_usage_error() -> None:
    result = segue("contract", "--vendor", "acme", timeout=60)
    assert result.returncode == 4
    assert "acme" in result.stderr and "kie" in result.stderr


def test_weakened_mock_fails_with_a_report_naming_the_rule(tmp_path: Path, segue_mock: Any) -> None:
    base_url = segue_mock("--spec-dir", str(weakened_specs(tmp_path / "specs")))
    report = tmp_path / "report"
    result = segue(
        "contract",
        "--base-url",
        base_url,
        "--vendor",
        "kie",
        "--profile",
        "quick",
        "--max-credits",
        "200",
        "--report",
        str(report),
        "--seed",
        "1",
        "-k",
        "length and title",
        env={"SEGUE_API_KEY": LEAK_KEY, "SEGUE_WEBHOOK_KEY": WEBHOOK_KEY},
    )
    assert result.returncode == 1, result.stdout[-3000:]
    summary = (report / "summary.md").read_text()
    assert "# segue contract: FAILED" in summary
    rule = "extendMusic: title <= 80 [defaultParamFlag=true, model=V4]: 81 characters"
    assert rule in summary, summary
    assert "curl " in summary and "${SEGUE_API_KEY}" in summary
    assert "FAIL" in summary.split("## Failures")[0]
    # The terminal output ends with the summary's table (then pytest's count line).
    table = contract_table(result.stdout, summary)
    assert any(line.startswith("kie extendMusic") and "FAIL" in line for line in table), table
    assert (report / "junit.xml").exists()
    assert LEAK_KEY not in outputs(result, report)
    assert WEBHOOK_KEY not in outputs(result, report)


def test_the_table_at_the_end_is_coloured_on_a_terminal_only(tmp_path: Path) -> None:
    """In API mode (the in-process mock), as a user sees it: on a terminal each verdict cell of
    the operations × checks table is coloured (green: ok), piped the table is plain text."""
    outputs = {}
    for terminal in (True, False):
        report = tmp_path / str(terminal)
        command = [sys.executable, "-m", "segue.cli", "contract", "--vendor", "kie",
                   "--profile", "quick", "--seed", "1", "--report", str(report),
                   "-k", "length and title"]  # fmt: skip
        text = terminal_output(command, terminal=terminal, timeout=300)
        outputs[terminal] = (text, contract_table(text, (report / "summary.md").read_text()))
    _, coloured = outputs[True]
    header, *rows = coloured
    assert rows and all(GREEN in row for row in rows), coloured
    assert GREEN not in header
    piped_text, piped = outputs[False]
    assert "\x1b[" not in piped_text, piped


# --------------------------------------------------------------------------- slow: whole runs


@pytest.mark.slow
def test_whole_suite_passes_in_process_and_repeats_for_a_seed(tmp_path: Path) -> None:
    fingerprints = []
    for run in ("a", "b"):
        result = segue(
            "contract", "--profile", "quick", "--seed", "11", "--report", str(tmp_path / run)
        )
        assert result.returncode == 0, result.stdout[-3000:]
        summary = (tmp_path / run / "summary.md").read_text()
        contract_table(result.stdout, summary)
        line = next(x for x in summary.splitlines() if "fingerprint" in x)
        fingerprints.append(line)
    assert fingerprints[0] == fingerprints[1]


@pytest.mark.slow
def test_whole_suite_passes_against_segue_mock_over_http(tmp_path: Path, segue_mock: Any) -> None:
    base_url = segue_mock()
    report = tmp_path / "report"
    result = segue(
        "contract",
        "--base-url",
        base_url,
        "--api-key",
        LEAK_KEY,
        "--webhook-key",
        WEBHOOK_KEY,
        "--profile",
        "quick",
        "--max-credits",
        "5000",
        "--report",
        str(report),
    )
    assert result.returncode == 0, result.stdout[-5000:]
    summary = (report / "summary.md").read_text()
    assert "# segue contract: PASSED" in summary
    assert LEAK_KEY not in outputs(result, report)
    assert WEBHOOK_KEY not in outputs(result, report)
