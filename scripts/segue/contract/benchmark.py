"""How long the contract suite takes per profile: a table, not a timed test.

    uv run python -m segue.contract.benchmark                 # quick and default, in process
    uv run python -m segue.contract.benchmark quick default thorough
    uv run python -m segue.contract.benchmark --receiver      # receiver mode, default profile
    uv run python -m segue.contract.benchmark --receiver quick default

Each row is one `segue contract --profile P --seed 1` run in a fresh process (imports included):
against the in-process mock, both vendors; or, with `--receiver`, against `segue receive` (its own
process on 127.0.0.1, with a webhook key, one per row), one run per vendor (`--receiver URL`
names one vendor's endpoint), KIE with `--expect-verification`, and a total row for both vendors.
The CPU column (the suite's and the receiver's processes) says what a run costs when the shared
machine is busy and the wall time is mostly waiting for a core.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from segue.contract.options import PROFILES, WEBHOOK_KEY_ENV
from segue.paths import PROJECT_ROOT, VENDORS

BENCH_WEBHOOK_KEY = "segue-benchmark-webhook-key"
RECEIVER_GOAL_SECONDS = 60.0


def measure(arguments: list[str], env: dict[str, str] | None = None) -> tuple[float, str, str]:
    """(wall seconds, tests line, requests line) of one `segue contract` run."""
    wall, _, tests, requests = measure_with_cpu(arguments, env)
    return wall, tests, requests


def measure_with_cpu(
    arguments: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, str, str]:
    """(wall seconds, CPU seconds of the suite's process, tests line, requests line).

    The CPU time says what the run costs when the shared machine is busy and wall time is not.
    """
    before = _children_cpu()
    with tempfile.TemporaryDirectory() as report:
        command = [sys.executable, "-m", "segue.cli", "contract", *arguments, "--seed", "1",
                   "--report", report]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **(env or {})},
        )
        wall = time.perf_counter() - started
        summary = (Path(report) / "summary.md").read_text()
    cpu = _children_cpu() - before
    tests = re.search(r"tests: ([^;]+);", summary)
    requests = re.search(r"requests sent: (\d+)", summary)
    return wall, cpu, tests.group(1) if tests else "?", requests.group(1) if requests else "?"


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def segue_receive(key: str = BENCH_WEBHOOK_KEY) -> Iterator[str]:
    """`segue receive --hmac-key KEY` in its own process on a free port; yields its origin.

    Its output (a line per callback) goes to /dev/null: a pipe nobody reads fills up and then
    blocks the receiver mid-answer, which the suite would judge as timeouts.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "segue.cli", "receive", "--port", str(port),
               "--hmac-key", key]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"segue receive did not listen on 127.0.0.1:{port}")


def in_process_table(profiles: list[str]) -> None:
    print("| profile | wall s | tests | requests | command |")
    print("|---|---|---|---|---|")
    for profile in profiles:
        wall, tests, requests = measure(["--profile", profile])
        command = f"uv run segue contract --profile {profile} --seed 1"
        print(f"| {profile} | {wall:.1f} | {tests} | {requests} | `{command}` |")


def receiver_table(profiles: list[str]) -> None:
    print("| profile | vendor | wall s | CPU s (suite + receiver) | tests | deliveries | command |")
    print("|---|---|---|---|---|---|---|")
    env = {WEBHOOK_KEY_ENV: BENCH_WEBHOOK_KEY}
    for profile in profiles:
        total = total_cpu = 0.0
        for vendor in VENDORS:
            before = _children_cpu()
            with segue_receive() as origin:  # one per row: its CPU time is the row's
                verify = ["--expect-verification"] if vendor == "kie" else []
                arguments = ["--receiver", f"{origin}/{vendor}", "--vendor", vendor,
                             "--profile", profile, *verify]  # fmt: skip
                wall, _, tests, requests = measure_with_cpu(arguments, env)
            cpu = _children_cpu() - before
            total, total_cpu = total + wall, total_cpu + cpu
            command = " ".join(["uv run segue contract", *arguments, "--seed 1"])
            cells = [profile, vendor, f"{wall:.1f}", f"{cpu:.1f}", tests, requests]
            print("| " + " | ".join(cells) + f" | `{command}` |")
        verdict = "met" if total < RECEIVER_GOAL_SECONDS else "MISSED"
        goal = f"goal < {RECEIVER_GOAL_SECONDS:g} s wall: {verdict}"
        print(f"| {profile} | both | {total:.1f} | {total_cpu:.1f} | {goal} | | |")
    print(
        "\nreceiver: `uv run segue receive --hmac-key $SEGUE_WEBHOOK_KEY` in its own process, "
        "one per row; "
        f"{os.cpu_count()} CPUs, load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


def main(arguments: list[str]) -> None:
    receiver = "--receiver" in arguments
    profiles = [a for a in arguments if a != "--receiver"]
    for profile in profiles:
        if profile not in PROFILES:
            raise SystemExit(f"unknown profile {profile!r}: {', '.join(PROFILES)}")
    if receiver:
        receiver_table(profiles or ["default"])
    else:
        in_process_table(profiles or ["quick", "default"])


if __name__ == "__main__":
    main(sys.argv[1:])
