"""Benchmark `segue diff`: seconds to diff each real spec against its previous version.

    uv run python scripts/bench_diff.py [--repeats R]

For each `specs/*.openapi.yaml`, OLD is the file as the last commit that changed it *before*
its current content had it (`git log`), NEW the working-tree file. Timed: the whole command as
a user runs it in-process (`segue diff OLD NEW --format text`: git show, YAML, OpenAPI
validation of both sides, the diff, the text), and the diff alone (`diff_documents` on loaded
documents). Reported: median and worst of R runs. Goal: under 1 s per spec for the whole
command. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from segue.cli import app
from segue.diff import diff_documents
from segue.diff.sides import load_side
from segue.paths import PROJECT_ROOT, VENDORS
from typer.testing import CliRunner

GOAL_SECONDS = 1.0


def previous_version(spec: str) -> str | None:
    """`REV:spec` for the last commit whose version of `spec` differs from the working tree."""
    log = subprocess.run(
        ["git", "log", "--format=%H", "--", spec],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    current = (PROJECT_ROOT / spec).read_bytes()
    for commit in log:
        shown = subprocess.run(
            ["git", "show", f"{commit}:{spec}"], cwd=PROJECT_ROOT, capture_output=True, check=False
        )
        if shown.returncode == 0 and shown.stdout != current:
            return f"{commit[:12]}:{spec}"
    return None


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    arguments = parser.parse_args()
    runner = CliRunner()
    rows = []
    for vendor in VENDORS:
        spec = f"specs/{vendor}.openapi.yaml"
        old = previous_version(spec)
        if old is None:
            rows.append((spec, "-", 0, float("nan"), float("nan"), float("nan"), float("nan")))
            continue

        def command(old: str = old, spec: str = spec) -> None:
            result = runner.invoke(app, ["diff", old, spec])
            assert result.exit_code == 0, result.stderr

        old_side, new_side = load_side(old, PROJECT_ROOT), load_side(spec, PROJECT_ROOT)
        findings = diff_documents(old_side.document, new_side.document)
        whole = timed(command, arguments.repeats)
        documents = old_side.document, new_side.document
        alone = timed(lambda documents=documents: diff_documents(*documents), arguments.repeats)
        rows.append(
            (spec, old.split(":")[0], len(findings), statistics.median(whole), max(whole),
             statistics.median(alone), max(alone))
        )  # fmt: skip
    print(f"$ uv run python scripts/bench_diff.py --repeats {arguments.repeats}")
    print(f"goal: whole command < {GOAL_SECONDS:.1f} s per spec\n")
    print("| spec | OLD (previous version) | findings | command median s | command worst s "
          "| diff alone median s | diff alone worst s |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|")
    for spec, old, count, median, worst, alone_median, alone_worst in rows:
        print(
            f"| {spec} | {old} | {count} | {median:.3f} | {worst:.3f} | "
            f"{alone_median:.4f} | {alone_worst:.4f} |"
        )
    over = [row[0] for row in rows if row[4] == row[4] and row[4] >= GOAL_SECONDS]
    if over:
        print(f"\nover the goal: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
