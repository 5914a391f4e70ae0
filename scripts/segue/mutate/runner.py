"""Run the contract suite against the mock serving each mutant, in worker processes.

Each worker is one long-lived interpreter (a `ProcessPoolExecutor` worker, spawned) that runs
`pytest.main` once per mutant: the suite's modules, Schemathesis schemas and the true specs are
imported and parsed once per worker, not once per mutant. Each run hands the suite the mock to
build explicitly, as a pytest plugin object (`segue.contract.session.MockUnderTest`: the mutant's
spec folder and/or the mutation seams of `segue.mutate.mock_mutations`); no environment variable
is involved. The suite's oracle keeps reading the true specs, so a mutant is *killed* when the
suite fails and *survives* when it passes.

Two phases per mutant: first the likeliest killers alone (the tests that killed its relatives,
then those whose ids name its operations, fields and condition values), so that a kill costs a
handful of tests and the suite's other files are not even collected; only if they all pass, the
whole suite (minus those). A small pytest plugin (`_Recorder`) orders the tests, keeps only those
that passed on the baseline (a test added or broken since proves nothing about the mutant), and
records the first failing test and its message.

Measured (2 cores, quick profile, 240 mutants): a phase-one kill takes ~0.7 s (median), of
which ~0.4 s is the suite's callback receiver shutting down (its `serve_forever` polls every
0.5 s) and the rest pytest's session and the mock's start; `-p no:unraisableexception` saves the
~0.5 s of forced garbage collection per session that plugin adds, and `gc.freeze()` after each
run keeps the warm interpreter out of later collections.

Why hand-written: pytest-xdist distributes *tests* of one session; here each mutant is a session
of its own, and the one thing to share is the warm interpreter.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

from segue.contract.session import MockUnderTest
from segue.mutate.mock_mutations import mock_changes
from segue.mutate.mutants import SpecEdit
from segue.mutate.workspace import remove_spec_dir, write_spec_dir

KILLED, SURVIVED, ERROR = "killed", "survived", "error"
# pytest exit codes: 0 all passed, 1 some failed, 5 nothing collected; others are errors.
_PASSED, _FAILED, _NOTHING = 0, 1, 5


@dataclass(frozen=True)
class Job:
    """One mutant's run of the suite (or a baseline's: no `edit`, no `mutations`).

    The mock serves the true specs changed by `edit` (a spec mutant: its folder is written under
    `workdir`) and/or misbehaves as `mutations` say. `targets` are the suite's paths, `options`
    the pytest options. `first`: test ids to run on their own first (the likeliest killers; the
    suite is collected in full only if they all pass). `hints` order the tests of the full run.
    """

    name: str
    targets: tuple[str, ...]
    options: tuple[str, ...]
    vendor: str = ""
    edit: SpecEdit | None = None
    workdir: str = ""
    mutations: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    first: tuple[str, ...] = ()
    allowed: frozenset[str] | None = None


@dataclass
class Outcome:
    name: str
    status: str
    killer: str | None
    reason: str | None
    seconds: float
    tests_run: int
    exit_code: int
    output_tail: str = ""
    failures: int = 0
    collected: list[tuple[str, str]] = field(default_factory=list)
    passed: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- the pytest plugin


def describe(item: pytest.Item) -> str:
    """What relevance is judged on: the test id and the suite's `check` markers (their words and
    the operation they name)."""
    markers = list(item.iter_markers("check"))
    words = [str(v) for marker in markers for v in (*marker.args, *marker.kwargs.values())]
    return f"{item.nodeid} {' '.join(words)}"


def relevance(description: str, hints: tuple[str, ...]) -> int:
    """How many of `hints` (operations, fields, values, words) a test names; higher runs first."""
    text = description.lower().replace(" ", "")
    return sum(1 for hint in hints if hint and hint.lower().replace(" ", "") in text)


@dataclass(eq=False)  # pluggy keeps plugins in sets: hash by identity
class _Recorder:
    """Orders the tests (likeliest killers first), keeps only `allowed` ones but `skip`, and
    records the first failure."""

    hints: tuple[str, ...]
    allowed: frozenset[str] | None = None
    skip: frozenset[str] = frozenset()
    killer: str | None = None
    reason: str | None = None
    tests_run: int = 0
    failures: int = 0
    passed: set[str] = field(default_factory=set)
    collected: list[tuple[str, str]] = field(default_factory=list)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        described = {item.nodeid: describe(item) for item in items}
        scores = {nodeid: relevance(text, self.hints) for nodeid, text in described.items()}
        ordered = sorted(items, key=lambda item: -scores[item.nodeid])  # stable: suite order kept
        kept = [item for item in ordered if self._kept(item.nodeid)]
        if len(kept) < len(ordered):
            config.hook.pytest_deselected(
                items=[item for item in ordered if not self._kept(item.nodeid)]
            )
            ordered = kept
        items[:] = ordered
        self.collected = [(item.nodeid, described[item.nodeid]) for item in ordered]

    def _kept(self, nodeid: str) -> bool:
        return nodeid not in self.skip and (self.allowed is None or nodeid in self.allowed)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.tests_run += 1
            if report.passed:
                self.passed.add(report.nodeid)
        if report.failed:
            self.failures += 1
            if self.killer is None:
                self.killer = report.nodeid + ("" if report.when == "call" else f" ({report.when})")
                self.reason = _first_error_line(report.longreprtext)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and self.killer is None:
            self.killer = f"collecting {report.nodeid or 'the suite'}"
            self.reason = _first_error_line(report.longreprtext)


def _first_error_line(text: str) -> str:
    """The assertion or exception line of a failure report (pytest's `E   ...` lines)."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("E "):
            return stripped[1:].strip()[:300]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


# --------------------------------------------------------------------------- one run


def _mock_under_test(spec_dir: Path | None, mutations: tuple[str, ...]) -> MockUnderTest:
    """The mock this run's suite builds: the mutant's spec folder and/or its mutations."""
    changes = mock_changes(mutations)
    if spec_dir is not None:
        changes["spec_dir"] = spec_dir
    return MockUnderTest(changes)


def _pytest(args: list[str], recorder: _Recorder, output: io.StringIO, mock: MockUnderTest) -> int:
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        return int(pytest.main(args, plugins=[recorder, mock]))


def run_job(job: Job) -> Outcome:
    """Run the suite (in this process) against the job's mock; killed = the suite failed."""
    output = io.StringIO()
    started = time.perf_counter()
    folder = Path(job.workdir, f"spec-{os.getpid()}") if job.edit is not None else None
    recorder = _Recorder(job.hints)
    try:
        if folder is not None and job.edit is not None:
            write_spec_dir(folder, job.vendor, job.edit)
        mock = _mock_under_test(folder, job.mutations)
        exit_code, recorder = _run_phases(job, output, mock)
    except Exception as error:  # a crash of pytest itself or of the set-up: an error, not a kill
        print(f"crashed: {type(error).__name__}: {error}", file=output)
        exit_code = 3
    finally:
        if folder is not None:
            remove_spec_dir(folder)
        gc.collect()
        gc.freeze()  # what survives a run is the warm interpreter: keep it out of later collections
    return _outcome(job, exit_code, recorder, time.perf_counter() - started, output)


def _run_phases(job: Job, output: io.StringIO, mock: MockUnderTest) -> tuple[int, _Recorder]:
    """The likeliest killers alone first; the whole suite only if they all pass."""
    first = _Recorder(job.hints, job.allowed)
    if job.first:
        exit_code = _pytest([*job.first, *job.options], first, output, mock)
        if exit_code not in (_PASSED, _NOTHING):  # killed (or broken): no need for the rest
            return exit_code, first
    rest = _Recorder(job.hints, job.allowed, skip=frozenset(first.passed))
    exit_code = _pytest([*job.targets, *job.options], rest, output, mock)
    rest.tests_run += first.tests_run
    if exit_code == _NOTHING and first.tests_run:  # phase one already ran everything there was
        exit_code = _PASSED
    return exit_code, rest


def _outcome(
    job: Job, exit_code: int, recorder: _Recorder, seconds: float, output: io.StringIO
) -> Outcome:
    if exit_code == _PASSED:
        status = SURVIVED
    elif exit_code == _FAILED and recorder.killer is not None:
        status = KILLED
    else:
        status = ERROR
    reason = recorder.reason
    if status == ERROR and exit_code == _NOTHING:
        reason = "the suite selection ran no test"
    return Outcome(
        name=job.name,
        status=status,
        killer=recorder.killer,
        reason=reason,
        seconds=round(seconds, 2),
        tests_run=recorder.tests_run,
        exit_code=exit_code,
        output_tail="" if status == SURVIVED else "\n".join(output.getvalue().splitlines()[-40:]),
        failures=recorder.failures,
        collected=recorder.collected,
        passed=frozenset(recorder.passed),
    )


# --------------------------------------------------------------------------- the pool


def _quiet_worker(project_root: str) -> None:
    """Worker start: run from the project root; keep fd-level output off the parent's terminal."""
    os.chdir(project_root)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), write_through=True)


class Pool:
    """`jobs` warm worker interpreters; `submit` a `Job`, iterate `as_completed`."""

    def __init__(self, jobs: int, project_root: Path) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=max(1, jobs),
            mp_context=get_context("spawn"),
            initializer=_quiet_worker,
            initargs=(str(project_root),),
        )

    def submit(self, job: Job) -> Future[Outcome]:
        return self._executor.submit(run_job, job)

    def close(self, cancel: bool = False) -> None:
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(cancel=exc[0] is not None)


__all__ = ["ERROR", "KILLED", "SURVIVED", "Job", "Outcome", "Pool", "as_completed", "run_job"]
