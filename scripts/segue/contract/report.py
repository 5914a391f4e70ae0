"""The Markdown summary of a contract run (JUnit XML comes from pytest's `--junitxml`).

One row per operation, one column per kind of check, and under the table every failure with the
request that reproduces it (a curl command, the key replaced by `${SEGUE_API_KEY}`). Written for a
CI artifact: short, and readable without the suite's source at hand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

MAX_MESSAGE_LINES = 25


@dataclass(frozen=True)
class Result:
    """One test's outcome, as the summary shows it."""

    vendor: str
    operation: str
    check: str
    outcome: str  # "passed", "failed", "skipped"
    test_id: str
    message: str = ""
    reproduce: tuple[str, ...] = ()
    # Noticed but not failed: an undocumented value in an answer, a receiver refusing a field
    # the vendor may add tomorrow.
    warnings: tuple[str, ...] = ()


@dataclass
class RunFacts:
    """What the header of the summary states about the run."""

    target: str
    vendors: tuple[str, ...]
    profile: str
    seed: int
    max_credits: int | None
    credits_spent: int = 0
    unexpected_credits: int = 0
    exit_status: int = 0
    duration: float = 0.0
    notes: list[str] = field(default_factory=list)


def redact(text: str, secrets: list[str], replacement: str = "${SEGUE_API_KEY}") -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, replacement)
    return text


def render(facts: RunFacts, results: list[Result]) -> str:
    counts = Counter(r.outcome for r in results)
    verdict = "PASSED" if facts.exit_status == 0 else "FAILED"
    budget = "unlimited" if facts.max_credits is None else str(facts.max_credits)
    lines = [
        f"# segue contract: {verdict}",
        "",
        f"- target: {facts.target}",
        f"- vendors: {', '.join(facts.vendors)}; profile: {facts.profile}; "
        f"seed: {facts.seed} (repeat with `--seed {facts.seed}`)",
        f"- credits spent: {facts.credits_spent} of {budget}"
        + (
            f" ({facts.unexpected_credits} on requests the spec rejects)"
            if facts.unexpected_credits
            else ""
        ),
        f"- tests: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped in {facts.duration:.1f} s; exit status {facts.exit_status}",
        *(f"- {note}" for note in facts.notes),
        "",
        "## Operations × checks",
        "",
        *_table(results),
    ]
    failures = [r for r in results if r.outcome == "failed"]
    if failures:
        lines += ["", "## Failures", ""]
        for result in failures:
            lines += _failure(result)
    lines += _warnings(results)
    skipped = Counter(
        r.message.splitlines()[0] if r.message else "" for r in results if r.outcome == "skipped"
    )
    if skipped:
        lines += ["", "## Skipped (why)", ""]
        lines += [
            f"- {count} × {reason or 'no reason given'}" for reason, count in skipped.most_common()
        ]
    return "\n".join(lines) + "\n"


def _warnings(results: list[Result]) -> list[str]:
    """Each warning once, with how many tests saw it and the first of them: an undocumented
    value in an answer (the vendor may have added it, the specs accept it, or it is a typo), or
    a receiver refusing what the vendor may send tomorrow."""
    seen: dict[str, list[str]] = defaultdict(list)
    for result in results:
        for warning in result.warnings:
            seen[warning].append(result.test_id)
    if not seen:
        return []
    lines = ["", "## Warnings (not failures)", ""]
    for warning, tests in seen.items():
        lines.append(f"- {warning} — {len(tests)} test(s), e.g. `{tests[0]}`")
    return lines


def _table(results: list[Result]) -> list[str]:
    rows = table_rows(results)
    return [
        "| " + " | ".join(rows[0]) + " |",
        "|---|" + "---|" * (len(rows[0]) - 1),
        *("| " + " | ".join(row) + " |" for row in rows[1:]),
    ]


def table_rows(results: list[Result]) -> list[list[str]]:
    """The operations × checks table as rows of cells, the header first (the summary writes it
    as Markdown, the terminal as aligned, coloured columns)."""
    checks = sorted({r.check for r in results})
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for result in results:
        cell = cells[(f"{result.vendor} {result.operation}", result.check)]
        cell[result.outcome] += 1
        cell["warned"] += bool(result.warnings)
    rows = sorted({row for row, _ in cells})
    return [
        ["operation", *checks],
        *([row, *(_cell(cells.get((row, check))) for check in checks)] for row in rows),
    ]


def _cell(counter: Counter[str] | None) -> str:
    if not counter:
        return "–"
    total = counter["passed"] + counter["failed"] + counter["skipped"]
    warned = f" (warn {counter['warned']})" if counter["warned"] else ""
    if counter["failed"]:
        return f"FAIL {counter['failed']}/{total}{warned}"
    if counter["passed"]:
        text = f"ok {counter['passed']}"
        return text + (f" (+{counter['skipped']} skipped)" if counter["skipped"] else "") + warned
    return f"skipped {counter['skipped']}"


def _failure(result: Result) -> list[str]:
    message = result.message.strip().splitlines()[:MAX_MESSAGE_LINES]
    lines = [
        f"### {result.vendor} {result.operation}: {result.check}",
        "",
        f"`{result.test_id}`",
        "",
        "```text",
        *message,
        "```",
    ]
    if result.reproduce:
        lines += ["", "Reproduce with:", "", "```sh", *result.reproduce, "```"]
    return [*lines, ""]


def write(directory: Path, facts: RunFacts, results: list[Result]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "summary.md"
    path.write_text(render(facts, results), encoding="utf-8")
    return path
