"""How long the contract suite takes per profile, in process: a table, not a timed test.

    uv run python -m segue.contract.benchmark                 # quick and default
    uv run python -m segue.contract.benchmark quick default thorough

Each row is one `segue contract --profile P --seed 1` run in a fresh process (imports included),
against the in-process mock, both vendors.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from segue.contract.options import PROFILES
from segue.paths import PROJECT_ROOT


def measure(profile: str) -> tuple[float, str, str]:
    """(wall seconds, tests line, requests line) of one run."""
    with tempfile.TemporaryDirectory() as report:
        command = [sys.executable, "-m", "segue.cli", "contract", "--profile", profile,
                   "--seed", "1", "--report", report]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        summary = (Path(report) / "summary.md").read_text()
    tests = re.search(r"tests: ([^;]+);", summary)
    requests = re.search(r"requests sent: (\d+)", summary)
    return wall, tests.group(1) if tests else "?", requests.group(1) if requests else "?"


def main(profiles: list[str]) -> None:
    print("| profile | wall s | tests | requests | command |")
    print("|---|---|---|---|---|")
    for profile in profiles:
        if profile not in PROFILES:
            raise SystemExit(f"unknown profile {profile!r}: {', '.join(PROFILES)}")
        wall, tests, requests = measure(profile)
        command = f"uv run segue contract --profile {profile} --seed 1"
        print(f"| {profile} | {wall:.1f} | {tests} | {requests} | `{command}` |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["quick", "default"])
