"""The pytest plugin of the contract suite (registered by `contract_tests/conftest.py`).

Options (the same names as `segue contract`): `--base-url`, `--api-key` (or $SEGUE_API_KEY),
`--vendor`, `--max-credits`, `--profile`, `--report`, `--seed`, `--webhook-key` (or
$SEGUE_WEBHOOK_KEY), `--task-wait`; receiver mode: `--receiver`, `--expect-verification`,
`--spec-dir`.

What it does:
- parses the options once (`segue.contract.options.active()`), fixes the Hypothesis seed;
- deselects the tests of vendors not asked for (`@pytest.mark.vendor(...)`);
- gives the tests a session: the target (the in-process mock, or `--base-url`), the budget, the
  control API when the target has one, the callback receiver, one `VendorKit` per vendor;
- keeps every secret out of the output: failure texts, captured output and reports are redacted;
- appends to each failure the curl command reproducing the test's last request;
- ends the terminal output with the summary's operations × checks table (coloured on a TTY);
- with `--report DIR`: JUnit XML (`DIR/junit.xml`, pytest's own writer) and `DIR/summary.md`;
- turns a run in which no test passed into exit status 5 (never a pass).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from segue import speclib
from segue.contract import options as options_module
from segue.contract import report, undocumented
from segue.contract.oracle import load_oracle
from segue.contract.session import ContractSession, MockUnderTest
from segue.paths import VENDORS

_LABEL = re.compile(r"\[(?P<method>[A-Z]+) (?P<path>/[^\]]*)\]")


# --------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("segue contract", "segue contract suite")
    group.addoption(
        "--base-url",
        default=None,
        help="Server to test (origin, e.g. https://api.kie.ai); default: the in-process mock.",
    )
    group.addoption(
        "--api-key", default=None, help="API key for --base-url (default: $SEGUE_API_KEY)."
    )
    group.addoption("--vendor", default="all", help="kie, udio or all (default: all).")
    group.addoption(
        "--max-credits",
        type=int,
        default=None,
        help="Most tasks the run may create (default: unlimited in process, 0 with --base-url).",
    )
    group.addoption(
        "--profile",
        default="quick",
        help="quick (the default under plain pytest, so `uv run pytest` stays fast), default "
        "(what `segue contract` uses unless told) or thorough.",
    )
    group.addoption(
        "--report", default=None, help="Write junit.xml and summary.md into this folder."
    )
    group.addoption("--seed", type=int, default=None, help="Seed for Hypothesis and Schemathesis.")
    group.addoption(
        "--webhook-key",
        default=None,
        help="HMAC key to verify KIE callback signatures (default: $SEGUE_WEBHOOK_KEY).",
    )
    group.addoption(
        "--task-wait",
        type=float,
        default=600.0,
        help="Seconds to wait for a task to finish on a server without the control API.",
    )
    group.addoption(
        "--receiver",
        default=None,
        help="Receiver mode: send the vendor's callbacks to this URL (your callback endpoint) and "
        "judge its answers; without it the receiver tests aim at an in-process `segue receive`.",
    )
    group.addoption(
        "--expect-verification",
        action="store_true",
        default=False,
        help="Receiver mode: forged, stale and replayed signed deliveries must get a 4xx.",
    )
    group.addoption(
        "--spec-dir",
        default=None,
        help="Receiver mode: judge by the specs in this folder (default: specs/).",
    )
    group.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="Also run the tests marked slow (whole contract runs, ~1 min each).",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vendor(name): a contract test of one vendor (kie or udio)")
    config.addinivalue_line("markers", "check(name): the kind of contract check, for the summary")
    config.addinivalue_line("markers", "slow: a test taking a minute or more; runs with --run-slow")
    config.addinivalue_line("markers", "receiver: a receiver-mode test (sends callbacks)")
    try:
        options = options_module.build(
            base_url=config.getoption("--base-url"),
            api_key=config.getoption("--api-key"),
            vendor=config.getoption("--vendor"),
            max_credits=config.getoption("--max-credits"),
            profile=config.getoption("--profile"),
            report_dir=config.getoption("--report"),
            seed=config.getoption("--seed"),
            webhook_key=config.getoption("--webhook-key"),
            task_wait=config.getoption("--task-wait"),
            receiver=config.getoption("--receiver"),
            expect_verification=config.getoption("--expect-verification"),
            spec_dir=config.getoption("--spec-dir"),
        )
    except ValueError as error:
        raise pytest.UsageError(f"segue contract: {error}") from None
    options_module.activate(options)
    if config.getoption("hypothesis_seed", None) is None:
        import hypothesis.core

        # What Hypothesis' own `--hypothesis-seed` does: every @given test draws from this seed.
        hypothesis.core.global_force_seed = options.seed  # type: ignore[assignment]
    if options.report_dir is not None and not config.option.xmlpath:
        config.option.xmlpath = str(options.report_dir / "junit.xml")
    if options.base_url is not None and getattr(config.option, "timeout", None):
        config.option.timeout = max(float(config.option.timeout), options.task_wait + 300)
    mock = next(
        (p for p in config.pluginmanager.get_plugins() if isinstance(p, MockUnderTest)), None
    )
    config.stash[_SESSION] = ContractSession(options, mock)
    config.pluginmanager.register(_Reporter(config.stash[_SESSION]), "segue-contract-reporter")


def pytest_report_header(config: pytest.Config) -> list[str]:
    session = config.stash.get(_SESSION, None)
    if session is None:
        return []
    options = session.options
    budget = "unlimited" if options.max_credits is None else str(options.max_credits)
    return [
        f"segue contract: target {session.target_label()}; vendors {', '.join(options.vendors)}; "
        f"profile {options.profile.name}; max credits {budget}; seed {options.seed} "
        f"(repeat with --seed {options.seed})"
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    options = config.stash[_SESSION].options
    if not config.getoption("--run-slow"):
        skip_slow = pytest.mark.skip(reason="slow: run with --run-slow")
        for item in items:
            if item.get_closest_marker("slow") is not None:
                item.add_marker(skip_slow)
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker("vendor")
        other_vendor = marker is not None and marker.args[0] not in options.vendors
        # With --receiver the API suite has no target: only receiver tests run.
        api_test = marker is not None and item.get_closest_marker("receiver") is None
        (drop if other_vendor or (options.receiver and api_test) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --------------------------------------------------------------------------- the session


_SESSION = pytest.StashKey[ContractSession]()


@pytest.fixture(scope="session")
def contract(request: pytest.FixtureRequest) -> Iterator[ContractSession]:
    """The contract session (options, target, budget, control API, receiver, kits)."""
    session = request.config.stash[_SESSION]
    yield session
    session.close()


@pytest.fixture(scope="session")
def kits(contract: ContractSession) -> Any:
    """`kits("kie")` -> that vendor's `VendorKit`."""
    return contract.kit


# --------------------------------------------------------------------------- reporting


class _Reporter:
    """Redacts secrets, adds reproducing commands, records results, writes the summary."""

    def __init__(self, session: ContractSession) -> None:
        self.session = session

    def _secrets(self) -> list[str]:
        return self.session.options.secrets()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        undocumented.take()  # what an earlier, non-contract test left behind
        for target in self.session.started_targets:
            target.new_test()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Iterator[None]:
        outcome = yield
        result: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
        is_contract = item.get_closest_marker("vendor") is not None
        reproduce: tuple[str, ...] = ()
        if result.failed and is_contract:
            found = [
                (t, r)
                for t in self.session.started_targets
                if (r := t.reproducing_request()) is not None
            ][:1]
            for target, request in found:
                secrets = self._secrets()
                reproduce = (
                    request.curl([target.api_key, *secrets] if target.api_key else secrets),
                )
                which = "failing" if request is target.blamed else "last"
                result.longrepr = (
                    f"{result.longreprtext}\n\n"
                    f"Reproduce the {which} request with:\n  {reproduce[0]}"
                )
        if result.when == "call" and is_contract:
            self._note_undocumented(item, result, undocumented.take())
        self._redact(result)
        if result.when == "call" and result.passed:
            self.session.passed += 1
        if is_contract and (
            result.when == "call" or (result.when == "setup" and not result.passed)
        ):
            warnings = tuple(self.session.warnings.get(item.nodeid, ()))
            self.session.results.append(
                _result_of(item, result, reproduce, self._secrets(), warnings)
            )

    def _note_undocumented(
        self, item: pytest.Item, result: pytest.TestReport, findings: list[str]
    ) -> None:
        """Undocumented values are warnings (JUnit property `undocumented-value`, summary.md):
        the specs leave vendor enums open. Except from segue's own in-process mock, which must
        send documented values only (strict speaker): there they fail the test."""
        properties = [("undocumented-value", finding) for finding in findings]
        item.user_properties += properties  # junit.xml writes the item's, at teardown
        result.user_properties += properties
        if findings and result.passed and self.session.options.in_process:
            result.outcome = "failed"
            result.longrepr = "segue's mock sent undocumented values:\n" + "\n".join(findings)

    def _redact(self, result: pytest.TestReport) -> None:
        secrets = self._secrets()
        if not secrets:
            return
        if result.longrepr is not None and not isinstance(result.longrepr, tuple):
            text = result.longreprtext
            if any(secret in text for secret in secrets):
                result.longrepr = report.redact(text, secrets)
        elif isinstance(result.longrepr, tuple):
            path, line, reason = result.longrepr
            result.longrepr = (path, line, report.redact(reason, secrets))
        result.sections = [(title, report.redact(text, secrets)) for title, text in result.sections]
        result.user_properties = [
            (k, report.redact(str(v), secrets)) for k, v in result.user_properties
        ]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        ran_nothing = self.session.passed == 0 and not session.config.option.collectonly
        if exitstatus == pytest.ExitCode.OK and ran_nothing:
            session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED
        options = self.session.options
        if options.report_dir is not None:
            facts = report.RunFacts(
                target=self.session.target_label(),
                vendors=options.vendors,
                profile=options.profile.name,
                seed=options.seed,
                max_credits=options.max_credits,
                credits_spent=self.session.budget.spent,
                unexpected_credits=self.session.budget.unexpected,
                exit_status=int(session.exitstatus),
                duration=time.monotonic() - self.session.started,
            )
            target = self.session.started_target or next(iter(self.session.started_targets), None)
            if target is not None:
                facts.notes.append(
                    f"requests sent: {target.sent}; fingerprint {target.fingerprint} "
                    "(the same seed against the same server sends the same requests)"
                )
            report.write(options.report_dir, facts, self.session.results)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Iterator[None]:
        """After pytest's own summary (its short test summary comes after every other plugin's
        terminal summary): the terminal output ends with the table, then pytest's count line."""
        yield
        self._write_summary(terminalreporter)

    def _write_summary(self, terminalreporter: Any) -> None:
        options = self.session.options
        if not self.session.results:
            return
        budget = "unlimited" if options.max_credits is None else str(options.max_credits)
        target = self.session.started_target or next(iter(self.session.started_targets), None)
        sent = (
            f"; {target.sent} requests, fingerprint {target.fingerprint}"
            if target is not None
            else ""
        )
        credits = f"credits spent {self.session.budget.spent} of {budget}; "
        terminalreporter.write_line(
            f"segue contract: {'' if self.session.receiver_mode else credits}"
            f"seed {options.seed} (repeat with --seed {options.seed}){sent}"
        )
        if options.report_dir is not None:
            terminalreporter.write_line(
                f"segue contract: report in {Path(options.report_dir) / 'summary.md'} and junit.xml"
            )
        _write_table(terminalreporter, report.table_rows(self.session.results))


def _write_table(terminalreporter: Any, rows: list[list[str]]) -> None:
    """The summary's operations × checks table, aligned; on a terminal each cell is coloured
    by its verdict (pytest's writer drops the colours when the output is not a TTY)."""
    writer = terminalreporter._tw  # pytest's TerminalWriter, for `markup`
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    terminalreporter.write_sep("=", "segue contract: operations × checks")
    for index, row in enumerate(rows):
        cells = []
        for column, cell in enumerate(row):
            padded = cell.ljust(widths[column])
            colour = {} if index == 0 or column == 0 else _colour(cell)
            cells.append(writer.markup(padded, **colour) if colour else padded)
        terminalreporter.write_line("  ".join(cells).rstrip())


def _colour(cell: str) -> dict[str, bool]:
    if cell.startswith("FAIL"):
        return {"red": True, "bold": True}
    if "warn" in cell:
        return {"yellow": True}
    return {"green": True} if cell.startswith("ok") else {}


def _result_of(
    item: pytest.Item,
    result: pytest.TestReport,
    reproduce: tuple[str, ...],
    secrets: list[str],
    warnings: tuple[str, ...] = (),
) -> report.Result:
    vendor_marker = item.get_closest_marker("vendor")
    check_marker = item.get_closest_marker("check")
    vendor = str(vendor_marker.args[0]) if vendor_marker else "?"
    if result.skipped and isinstance(result.longrepr, tuple):
        message = str(result.longrepr[2]).removeprefix("Skipped: ")
    else:
        message = _essence(result.longreprtext) if result.failed else ""
    undocumented_values = tuple(
        str(v) for k, v in result.user_properties if k == "undocumented-value"
    )
    return report.Result(
        vendor=vendor,
        operation=_operation_of(item, vendor),
        check=str(check_marker.args[0])
        if check_marker
        else item.originalname
        if isinstance(item, pytest.Function)
        else item.name,
        outcome=result.outcome,
        test_id=item.nodeid,
        message=report.redact(message, secrets),
        reproduce=reproduce,
        warnings=tuple(report.redact(w, secrets) for w in (*undocumented_values, *warnings)),
    )


def _operation_of(item: pytest.Item, vendor: str) -> str:
    """The operationId a test is about: a parameter's `operation_id` (also inside a tuple), a
    parameter naming an operation, the `check` marker's `operation=`, or Schemathesis' label."""
    known = load_oracle(vendor).operations if vendor in VENDORS else {}
    callspec = getattr(item, "callspec", None)
    values = list(callspec.params.values()) if callspec else []
    for value in [*values, *(v for t in values if isinstance(t, tuple) for v in t)]:
        operation_id = getattr(value, "operation_id", None) or (
            value if isinstance(value, str) and value in known else None
        )
        if operation_id:
            return str(operation_id)
    marker = item.get_closest_marker("check")
    if marker is not None and marker.kwargs.get("operation"):
        return str(marker.kwargs["operation"])
    match = _LABEL.search(item.name)
    if match is None:
        return "(all operations)"
    for operation in known.values():
        if operation.method == match["method"] and match["path"] in (
            operation.route,
            operation.full_path,
        ):
            return operation.operation_id
    # Receiver mode's derived document: one path `/<operationId>` per callback operation.
    callbacks = _callback_operation_ids(vendor) if vendor in VENDORS else set()
    return match["path"][1:] if match["path"][1:] in callbacks else "(all operations)"


def _callback_operation_ids(vendor: str) -> set[str]:
    document = load_oracle(vendor).document
    return {
        str(op.node.get("operationId"))
        for op in speclib.iter_operations(document)
        if op.kind == "callback"
    }


def _essence(text: str) -> str:
    """The lines that say what failed: pytest's `E ` lines, up to Hypothesis' example dump."""
    lines = text.splitlines()
    errors = [
        line[4:] if line.startswith("E   ") else line[1:].strip()
        for line in lines
        if line.startswith("E ")
    ]
    for marker in ("Failing test case:", "Falsifying example:"):
        errors = errors[
            : next(
                (i for i, line in enumerate(errors) if line.strip().startswith(marker)), len(errors)
            )
        ]
    return "\n".join(errors or lines[-15:])
