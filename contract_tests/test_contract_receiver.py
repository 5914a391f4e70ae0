"""`segue contract --receiver URL`, run as a user runs it, against receivers good and broken.

- `segue receive` (a subprocess, with a webhook key) passes for both vendors, with
  `--expect-verification` for KIE; the webhook key appears in no output or report.
- Each deliberately broken receiver (`broken_receivers`, one defect each) fails, and the report
  names the case that caught it; the one answering 500 to an unknown property only gets a warning.
- A Starlette app verifying with the generated SDK's `kie_client.webhooks.verify` passes (runs
  once the SDK has that module).

Runs use the quick profile, a fixed seed, and `-k` to pick the tests a defect concerns, so that
each takes seconds. The slow receiver is judged by a copy of the specs whose `x-segue-delivery`
timeout is 1 s (`--spec-dir`): the suite reads the timeout from the spec, so shortening it there is
how a test stays short without the suite growing a timeout switch.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from broken_receivers import receiver_app, serve
from segue import speclib
from segue.contract import benchmark, runner
from segue.contract.deliveries import DeliveryKit, catalogue
from segue.contract.runner import check_reachable
from segue.delivery import values_at
from segue.paths import PROJECT_ROOT, SPECS_DIR, VENDORS
from terminal import contract_table

WEBHOOK_KEY = "whk-receiver-LEAKCHECK-41c9"


def run_suite(
    url: str, vendor: str, report: Path, *args: str, key: str | None = WEBHOOK_KEY
) -> tuple[subprocess.CompletedProcess[str], str]:
    """`segue contract --receiver URL` (quick, seed 7); (the process, summary.md's text)."""
    command = [sys.executable, "-m", "segue.cli", "contract", "--receiver", url,
               "--vendor", vendor, "--profile", "quick", "--seed", "7", "--report", str(report),
               *args]  # fmt: skip
    env = {**os.environ, "SEGUE_WEBHOOK_KEY": key or ""}
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT, env=env
    )
    summary = (report / "summary.md").read_text() if (report / "summary.md").exists() else ""
    return process, summary


def section(summary: str, title: str) -> str:
    """The text of one `## title` section of the summary."""
    _, _, rest = summary.partition(f"## {title}")
    return rest.split("\n## ", 1)[0]


@pytest.fixture
def segue_receive() -> Iterator[str]:
    with benchmark.segue_receive(WEBHOOK_KEY) as origin:
        yield origin


@pytest.mark.parametrize("vendor", VENDORS)
def test_segue_receive_passes_and_the_key_never_shows(
    vendor: str, segue_receive: str, tmp_path: Path
) -> None:
    verification = ["--expect-verification"] if vendor == "kie" else []
    process, summary = run_suite(f"{segue_receive}/{vendor}", vendor, tmp_path, *verification)
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-2000:]
    assert "# segue contract: PASSED" in summary
    table = section(summary, "Operations × checks")
    for check in (
        "stage payloads",
        "delivery chaos",
        "generated payloads",
        "forward compatibility",
    ):
        assert check in table, table
    assert ("signatures" in table) == (vendor == "kie"), table
    assert "skipped" not in table, table  # every signature case ran, verification included
    contract_table(process.stdout, summary)  # the terminal output ends with the same table
    outputs = [process.stdout, process.stderr, summary, (tmp_path / "junit.xml").read_text()]
    assert not [text for text in outputs if WEBHOOK_KEY in text]


def spec_copy(directory: Path, edit: Callable[[str, dict[str, Any]], None]) -> Path:
    """specs/ copied, each spec passed through `edit(vendor, document)` on the way."""
    directory.mkdir(parents=True, exist_ok=True)
    for vendor in VENDORS:
        document = speclib.load_spec(SPECS_DIR / f"{vendor}.openapi.yaml")
        edit(vendor, document)
        (directory / f"{vendor}.openapi.yaml").write_text(
            yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        )
    shutil.copy(SPECS_DIR / "DECISIONS.md", directory / "DECISIONS.md")
    return directory


def spec_copy_with_timeout(directory: Path, seconds: float) -> Path:
    """specs/ copied, each spec's `x-segue-delivery` timeout set to `seconds`."""

    def edit(_vendor: str, document: dict[str, Any]) -> None:
        document["x-segue-delivery"]["timeout-seconds"] = seconds

    return spec_copy(directory, edit)


def failure_code_cases(kit: DeliveryKit) -> dict[str, dict[Any, Any]]:
    """operation id -> {code: payload} of the kit's failure-code payloads."""
    pointer = kit.failure_code_pointer
    assert pointer is not None
    return {
        route.operation_id: {
            next(values_at(payload, pointer)): payload
            for name, payload in kit.stage_payloads(route)
            if name.endswith(f"(code {next(values_at(payload, pointer))})")
        }
        for route in kit.routes
    }


def test_a_failure_payload_is_sent_for_every_documented_code() -> None:
    kit = catalogue("kie")
    code_at, message_at = kit.failure_code_pointer, kit.failure_message_pointer
    assert code_at is not None and message_at is not None
    failure_stages = set(kit.failure_stages)
    for route in kit.routes:
        examples = [value for _, value in route.examples if kit.stage_of(value) in failure_stages]
        by_code = failure_code_cases(kit)[route.operation_id]
        # Every code of the schema's enum that a failure may carry (the validator says which).
        expected = [
            code
            for code in kit.failure_codes(route)
            if not kit.problems_of(route, kit.with_value(examples[0], code_at, code))
        ]
        assert list(by_code) == expected and len(expected) > 1, by_code
        for code, payload in by_code.items():
            assert kit.stage_of(payload) in failure_stages
            assert not kit.problems_of(route, payload)
            (message,) = values_at(payload, message_at)
            documented = [
                next(values_at(e, message_at))
                for _, e in route.examples
                if list(values_at(e, code_at)) == [code]
            ]
            assert message and message == (documented[0] if documented else message)
    udio = catalogue("udio")
    assert not [n for r in udio.routes for n, _ in udio.stage_payloads(r) if "(code " in n]


def test_failure_codes_follow_the_spec_enum(tmp_path: Path) -> None:
    """A code added to the schema's enum is sent with no code change; one removed is not."""

    def edit(vendor: str, document: dict[str, Any]) -> None:
        if vendor == "kie":
            enum = document["components"]["schemas"]["CallbackCode"]["enum"]
            enum.remove(408)
            enum.append(599)

    kit = catalogue("kie", str(spec_copy(tmp_path / "specs", edit)))
    for codes in failure_code_cases(kit).values():
        assert 599 in codes and 408 not in codes, codes


# defect: (vendor, pytest -k selection, phrases the Failures section must hold)
BROKEN = {
    "crash-on-error": (
        "kie", "documented_callback",
        ["generateMusic callback, example error: HTTP 500", "example errorWithoutClips: HTTP 500"],
    ),
    "knows-only-example-codes": (
        "kie", "documented_callback",
        ["generateMusic callback, example error failed (code 400): HTTP 500",
         "uploadAndExtendAudio callback, example error failed (code 531): HTTP 500"],
    ),
    "requires-optional-field": (
        "udio", "documented_callback",
        ["generateSong callback, example text, optional properties left out: HTTP 500"],
    ),
    "conflict-on-duplicate": (
        "kie", "chaos",
        ["same stage twice (first):", "step 3 (first again): HTTP 409",
         "retried delivery, identical body (complete):", "step 4 (complete retry): HTTP 409"],
    ),
    "slow-on-complete": (
        "kie", "documented_callback",
        ["generateMusic callback, example complete: no answer (timed out at 1 s)"],
    ),
}  # fmt: skip


def assert_each_failure_reproduces_its_delivery(
    vendor: str, url: str, failures: str, junit: Path
) -> None:
    """Each failure of the summary, and of junit.xml, carries one curl command that POSTs to the
    receiver URL the payload that failed: in a multi-step case, that of the step the message
    names first (`step 3 (first again): HTTP 409`), not the case's last delivery."""
    kit = catalogue(vendor)
    blocks = failures.split("\n### ")[1:]
    assert blocks, failures[:2000]
    commands = []
    for block in blocks:
        message, _, reproduce = block.partition("Reproduce with:")
        found = [line for line in reproduce.splitlines() if line.startswith("curl ")]
        assert len(found) == 1, f"not one curl command in:\n{block[:3000]}"
        command = found[0]
        words = shlex.split(command)
        assert words[:5] == ["curl", "-sS", "-X", "POST", url], command
        payload = json.loads(words[words.index("--data-raw") + 1])
        step = re.search(r"step \d+ \((\w+)", message)
        if step is not None:
            assert kit.stage_of(payload) == step[1], (message, command)
        commands.append(command)
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    in_junit = [
        line.strip()
        for case in cases
        for failure in case.iter("failure")
        for line in (failure.text or "").splitlines()
        if line.strip().startswith("curl ")
    ]
    assert sorted(in_junit) == sorted(commands)


@pytest.mark.parametrize("defect", list(BROKEN))
def test_broken_receiver_fails_naming_its_case(defect: str, tmp_path: Path) -> None:
    vendor, selection, phrases = BROKEN[defect]
    extra = ["-k", selection]
    if defect == "slow-on-complete":
        extra += ["--spec-dir", str(spec_copy_with_timeout(tmp_path / "specs", 1))]
    app = receiver_app(vendor, defect, key=WEBHOOK_KEY, delay=1.5)
    with serve(app) as base:
        started = time.monotonic()
        process, summary = run_suite(f"{base}/callback", vendor, tmp_path / "report", *extra)
    assert process.returncode == 1, process.stdout[-3000:]
    failures = section(summary, "Failures")
    for phrase in phrases:
        assert phrase in failures, failures[:4000]
    assert_each_failure_reproduces_its_delivery(
        vendor, f"{base}/callback", failures, tmp_path / "report" / "junit.xml"
    )
    contract_table(process.stdout, summary)  # a failing run ends with the table too
    if defect == "knows-only-example-codes":  # the example's own code is handled
        assert "failed (code 501)" not in failures, failures[:4000]
    if defect == "slow-on-complete":
        assert time.monotonic() - started < 120


def test_receiver_accepting_any_signature_fails_only_when_verification_is_expected(
    tmp_path: Path,
) -> None:
    with serve(receiver_app("kie", "accepts-any-signature", key=WEBHOOK_KEY)) as base:
        url = f"{base}/callback"
        lenient, _ = run_suite(url, "kie", tmp_path / "lenient", "-k", "signature")
        strict, summary = run_suite(
            url, "kie", tmp_path / "strict", "-k", "signature", "--expect-verification"
        )
    assert lenient.returncode == 0, lenient.stdout[-3000:]
    assert strict.returncode == 1, strict.stdout[-3000:]
    failures = section(summary, "Failures")
    for case in (
        "wrong signature",
        "no X-Webhook-Signature",
        "no X-Webhook-Timestamp",
        "timestamp 360 s old",
        "timestamp 360 s ahead",
        "body task_id differs from the signed one",
        "replayed after its window",
    ):
        assert case in failures, failures[:4000]  # fmt: skip
    assert "expected a 4xx" in failures


@pytest.mark.parametrize("vendor", VENDORS)
def test_receiver_crashing_on_an_unknown_property_only_gets_a_warning(
    vendor: str, tmp_path: Path
) -> None:
    with serve(receiver_app(vendor, "crash-on-unknown-property", key=WEBHOOK_KEY)) as base:
        process, summary = run_suite(f"{base}/callback", vendor, tmp_path)
    assert process.returncode == 0, process.stdout[-3000:]
    warnings = section(summary, "Warnings (not failures)")
    assert "callback with an unknown extra property: HTTP 500" in warnings, summary[-3000:]
    assert "warn" in section(summary, "Operations × checks")


@pytest.mark.skipif(
    importlib.util.find_spec("kie_client") is None
    or importlib.util.find_spec("kie_client.webhooks") is None,
    reason="the generated SDK has no kie_client.webhooks yet (the SDK issue)",
)
def test_a_receiver_built_on_the_sdk_verifier_passes(tmp_path: Path) -> None:
    from kie_client import webhooks  # the generated SDK's verifier
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    guard = webhooks.ReplayGuard()

    async def receive(request: Request) -> JSONResponse:
        raw = await request.body()
        try:
            webhooks.verify(raw, dict(request.headers), key=WEBHOOK_KEY, replay_guard=guard)
        except Exception as error:
            status = 401 if "Signature" in type(error).__name__ else 400
            return JSONResponse({"error": type(error).__name__}, status_code=status)
        return JSONResponse({"status": "received"})

    app: Any = Starlette(routes=[Route("/kie", receive, methods=["POST"])])
    with serve(app) as base:
        process, summary = run_suite(f"{base}/kie", "kie", tmp_path, "--expect-verification")
    assert process.returncode == 0, summary[-4000:] or process.stdout[-3000:]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--receiver", "http://127.0.0.1:9/x"], "--receiver needs --vendor kie or --vendor udio"),
        (["--receiver", "ftp://x", "--vendor", "kie"], "--receiver must start with http://"),
        (["--receiver", "http://127.0.0.1:9/x", "--vendor", "kie", "--base-url",
          "http://127.0.0.1:8787"], "--receiver and --base-url exclude each other"),
        (["--receiver", "http://127.0.0.1:9/x", "--vendor", "kie", "--expect-verification"],
         "--expect-verification needs --webhook-key"),
        (["--receiver", "http://127.0.0.1:9/x", "--vendor", "udio", "--expect-verification",
          "--webhook-key", "k"], "the udio spec documents no signature"),
        (["--expect-verification", "--webhook-key", "k"], "--expect-verification needs --receiver"),
    ],
)  # fmt: skip
def test_receiver_options_are_checked_before_anything_runs(
    arguments: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from segue.cli import app
    from typer.testing import CliRunner

    monkeypatch.delenv("SEGUE_WEBHOOK_KEY", raising=False)
    result = CliRunner().invoke(app, ["contract", *arguments])
    assert result.exit_code == 4, result.output
    assert message in result.output


def test_an_unreachable_receiver_is_one_line_and_exit_4_before_any_test(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/x"
    process, summary = run_suite(url, "kie", tmp_path / "report")
    assert process.returncode == 4, process.stdout[-2000:] + process.stderr[-2000:]
    (line,) = process.stderr.splitlines()
    assert line.startswith(f"segue contract: the receiver at {url} is not reachable: "), line
    assert process.stdout == "" and summary == ""  # no test ran, no report


@pytest.mark.parametrize("status", [404, 405, 500])
def test_any_http_answer_counts_as_reachable(status: int) -> None:
    from starlette.applications import Starlette
    from starlette.responses import Response

    async def answer(_request: Any) -> Response:
        return Response(status_code=status)

    app = Starlette()
    app.add_route("/{path:path}", answer, methods=["GET", "HEAD", "POST"])
    with serve(app) as base:
        check_reachable(f"{base}/hooks/kie")  # raises when it is not


def test_a_receiver_that_never_answers_is_not_reachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "PROBE_TIMEOUT_SECONDS", 0.2)
    with socket.socket() as silent:  # listens (the connection is made), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/x"
        with pytest.raises(ValueError, match=f"the receiver at {url} is not reachable"):
            check_reachable(url)
