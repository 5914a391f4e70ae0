"""`segue mutate`: derive the mutants, run the contract suite against each, print the table.

Profiles:
- `quick` (CI): the mutants of documented rules and the mock's behaviour mutants. Each runs the
  suite's `quick` profile for the mutant's vendor only (sound: a mutant of one vendor's spec or
  behaviour cannot change what the mock serves for the other), stopping at the first failure,
  the likeliest killers first (see `runner`).
- `exhaustive` (on demand): every mutant, non-rule ones included, against the whole suite of
  its vendor (the suite's `default` profile, no early stop and no test first: every failing
  test is counted). Measured here: the suite's default profile takes ~3 minutes for both
  vendors on 2 cores, so all ~400 mutants take hours: on demand only.

Before any mutant, the same suite selection runs against the unmutated mock (the baseline): a
suite that already fails would "kill" every mutant, so a failing baseline stops the command.

Exit status: 0 every mutant of a documented rule and every behaviour mutant was killed; 1 some
survived (listed); 2 the baseline failed, a run errored, or nothing matched. Non-rule survivors
and equivalent mutants (set aside, listed) never fail the command.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segue import paths
from segue.mutate.equivalence import split_equivalent
from segue.mutate.mutants import BEHAVIOUR, KINDS, NON_RULE, REMOVED, RULE, Mutant, derive
from segue.mutate.runner import ERROR, KILLED, SURVIVED, Job, Outcome, Pool, relevance
from segue.mutate.workspace import true_spec

SUITE = "contract_tests/suite"
SEED = 0
TEST_TIMEOUT_SECONDS = 120
# How many of the likeliest killers run on their own before the whole suite is collected.
FIRST_TESTS = 25

Rows = list[tuple[Mutant, Outcome]]


@dataclass(frozen=True)
class Profile:
    name: str
    suite_profile: str
    kinds: tuple[str, ...]
    stop_at_first_failure: bool
    one_vendor_per_run: bool


PROFILES = {
    "quick": Profile("quick", "quick", (RULE, BEHAVIOUR), True, True),
    "exhaustive": Profile("exhaustive", "default", KINDS, False, True),
}


# --------------------------------------------------------------------------- choosing mutants


def all_mutants(vendors: Iterable[str]) -> list[Mutant]:
    """Every mutant of `vendors`, equivalent ones included (see `derive_observable`)."""
    return [mutant for vendor in vendors for mutant in derive(vendor, true_spec(vendor))]


def derive_observable(vendors: Iterable[str]) -> tuple[list[Mutant], list[Mutant]]:
    """(mutants to run, equivalent spec mutants): a rule mutant no request can tell apart from
    the true spec (a redundant constraint, see `equivalence`) is set aside, never run."""
    kept: list[Mutant] = []
    equivalent: list[Mutant] = []
    for vendor in vendors:
        observable, same = split_equivalent(true_spec(vendor), derive(vendor, true_spec(vendor)))
        kept += observable
        equivalent += same
    return kept, equivalent


def matches(mutant: Mutant, patterns: list[str]) -> bool:
    """`--only`: the exact name, else a shell-style pattern (`*title maxLength*`) on the name."""
    return any(mutant.name == p or fnmatch.fnmatchcase(mutant.name, p) for p in patterns)


def choose(mutants: list[Mutant], profile: Profile, only: list[str]) -> list[Mutant]:
    """The profile's kinds; with `--only`, every kind matching a pattern (asked for by name)."""
    if only:
        return [m for m in mutants if matches(m, only)]
    return [m for m in mutants if m.kind in profile.kinds]


# --------------------------------------------------------------------------- jobs


def suite_options(profile: Profile, scope: str, select: str | None) -> tuple[str, ...]:
    """pytest options for one run of the suite.

    `-p no:unraisableexception`: that plugin forces two full garbage collections per session
    (~0.5 s in a warm worker, a third of a typical kill); it only turns unraisable exceptions
    into warnings, which no verdict here depends on.
    """
    options = [
        "-q", "--no-header", "-p", "no:cacheprovider", "-p", "no:unraisableexception",
        "--timeout", str(TEST_TIMEOUT_SECONDS), "--profile", profile.suite_profile,
        "--seed", str(SEED), "--vendor", scope,
    ]  # fmt: skip
    if profile.stop_at_first_failure:
        options.append("-x")
    if select:
        options += ["-k", select]
    return tuple(options)


def scope_of(mutant: Mutant, profile: Profile) -> str:
    """The vendor(s) whose tests a mutant's run includes."""
    return mutant.vendor if profile.one_vendor_per_run else "all"


def likeliest_killers(
    collected: list[tuple[str, str]], mutant: Mutant, limit: int = FIRST_TESTS
) -> tuple[str, ...]:
    """The baseline's test ids naming the most of the mutant's hints, best first."""
    scored = [
        (relevance(text, mutant.hints), i, nodeid) for i, (nodeid, text) in enumerate(collected)
    ]
    ranked = sorted((entry for entry in scored if entry[0] > 0), key=lambda e: (-e[0], e[1]))
    return tuple(nodeid for _, _, nodeid in ranked[:limit])


def families(mutant: Mutant) -> tuple[str, ...]:
    """Keys under which a mutant's killer is remembered for its relatives: its operator, and its
    schema (spec mutants) or situation (behaviour mutants, e.g. `model-mismatch`)."""
    subject = mutant.name.split(": ", 1)[-1].split(" ", 1)[0]
    if mutant.kind == BEHAVIOUR and mutant.keywords:
        subject = mutant.keywords[0]
    return (f"{mutant.vendor} {mutant.operator}", f"{mutant.vendor} {subject}")


class KillerMemory:
    """The tests that killed earlier mutants, per family (most recent first).

    Relatives are usually killed by the same test (the three mock bugs of `model-mismatch` by the
    state-rule test, the five `if model` consts by the length tests), so a mutant's first phase
    starts with its families' recent killers, then the tests its hints point at.
    """

    PER_FAMILY = 4

    def __init__(self) -> None:
        self._killers: dict[str, list[str]] = {}

    def remember(self, mutant: Mutant, outcome: Outcome) -> None:
        if outcome.status != KILLED or outcome.killer is None:
            return
        nodeid = outcome.killer.split(" (", 1)[0]  # "<id> (setup)" -> "<id>"
        for family in families(mutant):
            known = self._killers.setdefault(family, [])
            if nodeid in known:
                known.remove(nodeid)
            known.insert(0, nodeid)
            del known[self.PER_FAMILY :]

    def recall(self, mutant: Mutant) -> list[str]:
        return [nodeid for family in families(mutant) for nodeid in self._killers.get(family, [])]


def job_for(mutant: Mutant, profile: Profile, select: str | None, suite: str, workdir: Path,
            baseline: Outcome, remembered: Sequence[str] = ()) -> Job:  # fmt: skip
    # Only tests that passed on the unmutated mock can tell anything about a mutant.
    candidates = [
        (nodeid, text) for nodeid, text in baseline.collected if nodeid in baseline.passed
    ]
    first: tuple[str, ...] = ()
    if profile.stop_at_first_failure:
        recalled = [nodeid for nodeid in remembered if nodeid in baseline.passed]
        first = tuple(dict.fromkeys([*recalled, *likeliest_killers(candidates, mutant)]))
    return Job(
        name=mutant.name,
        targets=(suite,),
        options=suite_options(profile, scope_of(mutant, profile), select),
        vendor=mutant.vendor,
        edit=mutant.edit,
        workdir=str(workdir),
        mutations=tuple(sorted(mutant.mock_mutations)),
        hints=mutant.hints,
        first=first,
        allowed=baseline.passed,
    )


def baseline_job(scope: str, profile: Profile, select: str | None, suite: str) -> Job:
    """The unmutated run the mutants' runs are compared with (it must pass)."""
    options = suite_options(profile, scope, select)
    return Job(name=f"baseline ({scope})", targets=(suite,), options=options)


# --------------------------------------------------------------------------- output


def short_test_id(nodeid: str | None, width: int = 90) -> str:
    if not nodeid:
        return "–"
    text = nodeid.removeprefix(SUITE + "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def table(rows: Rows) -> list[str]:
    width = min(100, max([len("mutant"), *(len(m.name) for m, _ in rows)]))
    lines = [f"{'mutant':<{width}}  {'kind':<9}  {'result':<8}  {'seconds':>7}  by test"]
    for mutant, outcome in rows:
        name = mutant.name if len(mutant.name) <= width else mutant.name[: width - 1] + "…"
        lines.append(
            f"{name:<{width}}  {mutant.kind:<9}  {outcome.status:<8}  {outcome.seconds:>7.1f}  "
            f"{short_test_id(outcome.killer)}"
        )
    return lines


def summary(rows: Rows, derived: list[Mutant], seconds: float, jobs: int) -> list[str]:
    lines = [
        f"{'kind':<10} {'derived':>7} {'run':>5} {'killed':>6} {'survived':>8} {'errors':>6}  score"
    ]
    for kind in KINDS:
        outcomes = [o for m, o in rows if m.kind == kind]
        counts = Counter(o.status for o in outcomes)
        decided = counts[KILLED] + counts[SURVIVED]
        score = f"{100 * counts[KILLED] / decided:.1f}%" if decided else "–"
        derived_count = sum(m.kind == kind for m in derived)
        lines.append(
            f"{kind:<10} {derived_count:>7} {len(outcomes):>5} {counts[KILLED]:>6} "
            f"{counts[SURVIVED]:>8} {counts[ERROR]:>6}  {score}"
        )
    lines.append(f"{len(rows)} mutants run in {seconds:.1f} s with {jobs} job(s)")
    return lines


def _edit_json(mutant: Mutant) -> dict[str, Any] | None:
    if mutant.edit is None:
        return None
    removed = mutant.edit.new is REMOVED
    return {"pointer": mutant.edit.pointer, "keyword": mutant.edit.keyword, "old": mutant.edit.old,
            "new": None if removed else mutant.edit.new, "removed": removed}  # fmt: skip


def report_data(
    rows: Rows, equivalent: list[Mutant], command: str, seconds: float
) -> dict[str, Any]:
    return {
        "command": command,
        "seconds": round(seconds, 1),
        "equivalent": [
            {"name": m.name, "pointer": m.pointer, "edit": _edit_json(m)} for m in equivalent
        ],
        "mutants": [
            {
                "name": m.name,
                "vendor": m.vendor,
                "kind": m.kind,
                "operator": m.operator,
                "pointer": m.pointer,
                "edit": _edit_json(m),
                "mock_mutations": sorted(m.mock_mutations),
                "result": o.status,
                "killed_by": o.killer,
                "reason": o.reason,
                "failing_tests": o.failures,
                "tests_run": o.tests_run,
                "seconds": o.seconds,
            }
            for m, o in rows
        ],
    }


def write_report(path: Path, rows: Rows, equivalent: list[Mutant], command: str, seconds: float,
                 lines: list[str]) -> None:  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".md":
        header = ["| mutant | kind | result | seconds | by test |", "|---|---|---|---|---|"]
        body = ["# segue mutate", "", f"`{command}`", "", *header]
        for m, o in rows:
            killer = short_test_id(o.killer, 200)
            body.append(f"| {m.name} | {m.kind} | {o.status} | {o.seconds:.1f} | `{killer}` |")
        body += ["", "```text", *lines, "```", ""]
        path.write_text("\n".join(body), encoding="utf-8")
        return
    text = json.dumps(report_data(rows, equivalent, command, seconds), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- the command


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _command_line(
    profile: Profile, vendor: str, jobs: int, only: list[str], select: str | None
) -> str:
    parts = ["--profile", profile.name, "--vendor", vendor, "--jobs", str(jobs)]
    parts += [x for pattern in only for x in ("--only", pattern)]
    parts += ["--select", select] if select else []
    return "segue mutate " + " ".join(shlex.quote(part) for part in parts)


def run_mutants(chosen: list[Mutant], profile: Profile, jobs: int, select: str | None,
                suite: str) -> dict[str, Outcome] | None:  # fmt: skip
    """Run the baselines, then every mutant; None when a baseline fails."""
    with (
        tempfile.TemporaryDirectory(prefix="segue-mutate-") as workdir,
        Pool(jobs, paths.PROJECT_ROOT) as pool,
    ):
        scopes = sorted({scope_of(m, profile) for m in chosen})
        baselines = {
            pool.submit(baseline_job(scope, profile, select, suite)): scope for scope in scopes
        }
        passing: dict[str, Outcome] = {}
        for future in as_completed(baselines):
            outcome = future.result()
            if outcome.status != SURVIVED:
                _say(f"segue mutate: the suite fails against the unmutated mock ({outcome.name}):")
                _say(f"  {outcome.killer}: {outcome.reason}\n{outcome.output_tail}")
                return None
            passing[baselines[future]] = outcome
            _say(f"{outcome.name}: passes ({outcome.tests_run} tests, {outcome.seconds:.1f} s)")
        # Submitted a few at a time, so each job starts with what the finished ones learned.
        memory, waiting = KillerMemory(), list(reversed(chosen))
        futures: dict[Future[Outcome], Mutant] = {}

        def submit_next() -> None:
            mutant = waiting.pop()
            baseline = passing[scope_of(mutant, profile)]
            job = job_for(
                mutant, profile, select, suite, Path(workdir), baseline, memory.recall(mutant)
            )
            futures[pool.submit(job)] = mutant

        for _ in range(min(len(waiting), 2 * jobs)):
            submit_next()
        results: dict[str, Outcome] = {}
        while futures:
            future = next(as_completed(futures))
            mutant, outcome = futures.pop(future), future.result()
            memory.remember(mutant, outcome)
            results[mutant.name] = outcome
            if waiting:
                submit_next()
            progress = f"[{len(results)}/{len(chosen)}]"
            _say(f"{progress} {outcome.status:<8} {outcome.seconds:6.1f} s  {mutant.name}")
        return results


def mutate_command(
    *,
    profile_name: str = "quick",
    vendor: str = "all",
    only: list[str] | None = None,
    jobs: int | None = None,
    report: Path | None = None,
    select: str | None = None,
    suite: str = SUITE,
    list_only: bool = False,
) -> int:
    if profile_name not in PROFILES:
        _say(f"segue mutate: unknown profile {profile_name!r}: choose from {', '.join(PROFILES)}")
        return 2
    vendors = paths.VENDORS if vendor == "all" else (vendor,)
    if any(v not in paths.VENDORS for v in vendors):
        _say(
            f"segue mutate: unknown vendor {vendor!r}: choose from {', '.join(paths.VENDORS)}, all"
        )
        return 2
    profile = PROFILES[profile_name]
    jobs = jobs or os.cpu_count() or 1
    derived, equivalent = derive_observable(vendors)
    chosen = choose(derived, profile, only or [])
    if list_only:
        for mutant in chosen:
            where = mutant.pointer or ", ".join(sorted(mutant.mock_mutations))
            print(f"{mutant.kind:<9}  {mutant.name}  [{where}]")
        return 0
    for mutant in choose(equivalent, profile, only or []) if only else []:
        _say(f"segue mutate: {mutant.name} is equivalent (no request tells it apart): not run")
    if not chosen:
        _say(f"segue mutate: no mutant matches {only!r} (`segue mutate --list` names them all)")
        return 2
    command = _command_line(profile, vendor, jobs, only or [], select)
    scope = "<vendor>" if profile.one_vendor_per_run else "all"
    shown = " ".join(suite_options(profile, scope, select))
    _say(f"{command}: {len(chosen)} of {len(derived)} mutants; each runs `pytest {suite} {shown}`")
    started = time.perf_counter()
    try:
        results = run_mutants(chosen, profile, jobs, select, suite)
    except BrokenProcessPool as error:  # a worker died (killed, out of memory): no verdict
        _say(f"segue mutate: a worker process died ({error}); no result")
        return 2
    if results is None:
        return 2
    seconds = time.perf_counter() - started
    rows = [(m, results[m.name]) for m in chosen]
    return finish(rows, derived, equivalent, command, seconds, jobs, report)


def finish(rows: Rows, derived: list[Mutant], equivalent: list[Mutant], command: str,
           seconds: float, jobs: int, report: Path | None) -> int:  # fmt: skip
    """Print the table and the summary, write the report, and return the exit status."""
    lines = summary(rows, derived, seconds, jobs)
    lines.append(f"{len(equivalent)} equivalent spec mutant(s) set aside (redundant constraints)")
    lines += [f"  EQUIVALENT {m.name}  [{m.pointer}]" for m in equivalent]
    print("\n".join(table(rows)))
    print()
    print("\n".join(lines))
    print(f"(command: {command})")
    errors = [(m, o) for m, o in rows if o.status == ERROR]
    for mutant, outcome in errors:
        print(f"ERROR {mutant.name}: exit {outcome.exit_code} {outcome.reason or ''}")
        print(outcome.output_tail)
    failing = [m for m, o in rows if o.status == SURVIVED and m.fails_command]
    for mutant in failing:
        where = mutant.pointer or ", ".join(sorted(mutant.mock_mutations))
        print(f"SURVIVED ({mutant.kind}) {mutant.name}  [{where}]")
    non_rule = sum(1 for m, o in rows if o.status == SURVIVED and m.kind == NON_RULE)
    if non_rule:
        print(f"{non_rule} non-rule mutant(s) survived (the mock never reads those schemas)")
    if report is not None:
        write_report(report, rows, equivalent, command, seconds, lines)
        print(f"report: {report}")
    if errors:
        return 2
    return 1 if failing else 0
