"""`segue contract`: run `pytest contract_tests/suite` with the suite's options, or, with
`--receiver URL`, `pytest contract_tests/receiver_suite` against the user's callback endpoint.

The API key travels in the environment ($SEGUE_API_KEY), never on a command line (where `ps`
and pytest's own error messages could show it). The exit status is pytest's: 0 when tests passed
and none failed, 1 on failures, 5 when no test ran or none passed (a run that tested nothing is
never a pass), 2-4 for interruptions and usage errors (4 too when `--receiver` names an endpoint
that does not answer: probed once before any test, so the user reads one line, not a failure per
delivery).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from segue.contract.options import (
    API_KEY_ENV,
    PROFILES,
    WEBHOOK_KEY_ENV,
    check_receiver,
    check_verification,
    parse_vendor,
)
from segue.contract.target import is_loopback
from segue.paths import PROJECT_ROOT

# Reachability only: a listening endpoint answers HEAD at once (404, 405 and 500 count too).
PROBE_TIMEOUT_SECONDS = 5.0
SUITE_DIR = PROJECT_ROOT / "contract_tests" / "suite"
RECEIVER_SUITE_DIR = PROJECT_ROOT / "contract_tests" / "receiver_suite"


def pytest_arguments(
    *,
    base_url: str | None,
    vendor: str,
    max_credits: int | None,
    profile: str,
    report: Path | None,
    seed: int | None,
    task_wait: float,
    extra: list[str],
    receiver: str | None = None,
    expect_verification: bool = False,
    spec_dir: Path | None = None,
) -> list[str]:
    """The pytest command line (without secrets) that runs the suite with these options."""
    args = [
        str(RECEIVER_SUITE_DIR if receiver else SUITE_DIR),
        "--rootdir",
        str(PROJECT_ROOT),
        "--profile",
        profile,
        "--vendor",
        vendor,
        "--task-wait",
        str(task_wait),
    ]
    if base_url:
        args += ["--base-url", base_url]
    if max_credits is not None:
        args += ["--max-credits", str(max_credits)]
    if report is not None:
        args += ["--report", str(report)]
    if seed is not None:
        args += ["--seed", str(seed)]
    if receiver:
        args += ["--receiver", receiver]
    if expect_verification:
        args.append("--expect-verification")
    if spec_dir is not None:
        args += ["--spec-dir", str(spec_dir)]
    return [*args, *extra]


def run_contract(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    vendor: str = "all",
    max_credits: int | None = None,
    profile: str = "default",
    report: Path | None = None,
    seed: int | None = None,
    webhook_key: str | None = None,
    task_wait: float = 600.0,
    extra: list[str] | None = None,
    receiver: str | None = None,
    expect_verification: bool = False,
    spec_dir: Path | None = None,
) -> int:
    """Run the suite in this process; return pytest's exit status (see the module docstring)."""
    if profile not in PROFILES:
        raise ValueError(f"--profile must be one of {', '.join(PROFILES)}")
    check_receiver(receiver, base_url, parse_vendor(vendor), expect_verification)
    if expect_verification:
        key = webhook_key or os.environ.get(WEBHOOK_KEY_ENV)
        check_verification(parse_vendor(vendor), key, spec_dir)
    if receiver:
        check_reachable(receiver)
    if api_key:
        os.environ[API_KEY_ENV] = api_key
    if webhook_key:
        os.environ[WEBHOOK_KEY_ENV] = webhook_key
    args = pytest_arguments(
        base_url=base_url,
        vendor=vendor,
        max_credits=max_credits,
        profile=profile,
        report=report,
        seed=seed,
        task_wait=task_wait,
        extra=list(extra or []),
        receiver=receiver,
        expect_verification=expect_verification,
        spec_dir=spec_dir,
    )
    return int(pytest.main(args))


def check_reachable(url: str) -> None:
    """One HEAD request to the receiver; any HTTP answer counts (a POST-only route's 405 too),
    no answer within PROBE_TIMEOUT_SECONDS is a ValueError naming why. HEAD, so that the probe
    is no delivery the endpoint could record."""
    try:
        with httpx.Client(timeout=PROBE_TIMEOUT_SECONDS, trust_env=not is_loopback(url)) as client:
            client.head(url)
    except httpx.HTTPError as error:
        reason = str(error) or type(error).__name__
        raise ValueError(f"the receiver at {url} is not reachable: {reason}") from None
