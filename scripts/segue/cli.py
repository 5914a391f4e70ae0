"""The `segue` command line: one subcommand per component (see DESIGN.md)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from segue.mock.config import MockConfig

MOCK_DEFAULTS = MockConfig()  # `segue mock`'s flag defaults: the mock's own (one home)

app = typer.Typer(
    help="segue: specs, SDKs, mock and contract suite for the KIE Suno and Udio extend APIs.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """segue: specs, SDKs, mock and contract suite for the KIE Suno and Udio extend APIs."""


@app.command()
def lint(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Spec files to lint (default: specs/*.openapi.yaml)."),
    ] = None,
) -> None:
    """Check the specs: OpenAPI 3.1, examples, operations, callbacks, conditionals, refs."""
    from segue.lint import lint_command

    raise typer.Exit(lint_command(files))


@app.command()
def mock(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8787,
    api_key: Annotated[
        list[str] | None,
        typer.Option("--api-key", help="Accepted API key (repeatable; default: one, printed)."),
    ] = None,
    spec_dir: Annotated[
        Path | None, typer.Option(help="Folder with kie.openapi.yaml and udio.openapi.yaml.")
    ] = None,
    stage_seconds: Annotated[
        float, typer.Option(help="Seconds per stage (0 = at once, inf = by polls/command only).")
    ] = MOCK_DEFAULTS.stage_seconds or math.inf,
    polls_per_stage: Annotated[
        int | None, typer.Option(help="Also advance after a status was polled N times.")
    ] = None,
    webhook_hmac_key: Annotated[
        str | None, typer.Option(help="Sign KIE callbacks (X-Webhook-Signature) with this key.")
    ] = None,
    http_errors: Annotated[
        bool, typer.Option("--http-errors", help="KIE errors also set the HTTP status.")
    ] = False,
    callback_allow: Annotated[
        list[str] | None,
        typer.Option("--callback-allow", help="Non-loopback host[:port] callbacks may reach."),
    ] = None,
    credits: Annotated[
        int, typer.Option(help="Credits per key; a create costs 1 (-1 = unlimited).")
    ] = MOCK_DEFAULTS.credits or -1,
    rate_limit: Annotated[
        int, typer.Option(help="Creates per 10 s per key and vendor (0 = unlimited).")
    ] = MOCK_DEFAULTS.rate_limit,
    control_token: Annotated[
        str | None, typer.Option(help="Require X-Segue-Control-Token on /_segue/ calls.")
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option(
            help="Save tasks, keys, settings and pending callbacks here on stop; restore on start"
            " (default: state in memory only)."
        ),
    ] = None,
) -> None:
    """Serve the stateful mock: KIE at /api/v1, Udio at /api/v2, control API at /_segue."""
    from segue.mock.cli import mock_command

    mock_command(
        host=host,
        port=port,
        api_keys=api_key or [],
        spec_dir=spec_dir,
        stage_seconds=stage_seconds,
        polls_per_stage=polls_per_stage,
        webhook_hmac_key=webhook_hmac_key,
        http_errors=http_errors,
        callback_allow=callback_allow or [],
        credits=credits,
        rate_limit=rate_limit,
        control_token=control_token,
        state_file=state,
    )


@app.command()
def generate(
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Regenerate into a temporary folder; exit 1 naming each drifted file."
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="Folder to write or check (default: generated/).")
    ] = None,
) -> None:
    """Write generated/: bundled specs, Python clients and models, TypeScript types."""
    from segue.generate import generate_command

    raise typer.Exit(generate_command(check=check, out=out))


@app.command()
def diff(
    old: Annotated[
        str | None, typer.Argument(help="OLD spec: a file, or REV:path (a git revision).")
    ] = None,
    new: Annotated[
        str | None, typer.Argument(help="NEW spec: a file, or REV:path (a git revision).")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(help="Diff every specs/*.openapi.yaml against the same file at REV."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="text, markdown, json, junit or github.")
    ] = "text",
    fail_on: Annotated[
        str | None,
        typer.Option(help="Exit 1 when a finding is at or above: breaking, warning or info."),
    ] = None,
    spec_dir: Annotated[
        Path | None,
        typer.Option(help="With --base: the folder of *.openapi.yaml (default specs/)."),
    ] = None,
) -> None:
    """What changed between two versions of a spec, breaking changes first, by direction."""
    from segue.diff.command import diff_command

    raise typer.Exit(diff_command(old, new, base, format, fail_on, spec_dir))


@app.command()
def preflight(
    bundle: Annotated[
        str, typer.Argument(help="kie, kie-sunoapi or udio (generated/openapi/<bundle>.json).")
    ],
    operation_id: Annotated[str, typer.Argument(help="operationId, e.g. extendMusic.")],
    file: Annotated[Path, typer.Argument(help="JSON file holding the request body.")],
) -> None:
    """Check a request body against its operation's full schema before sending it."""
    from segue.preflight import preflight_command

    raise typer.Exit(preflight_command(bundle, operation_id, file))


@app.command()
def mutate(
    profile: Annotated[
        str, typer.Option(help="quick (CI: rules, behaviours, stop at 1st failure) or exhaustive.")
    ] = "quick",
    vendor: Annotated[str, typer.Option(help="kie, udio or all.")] = "all",
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Only mutants with this name or shell pattern (repeatable)."),
    ] = None,
    jobs: Annotated[int | None, typer.Option(help="Parallel suite runs (default: CPUs).")] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write the results (JSON, or Markdown if .md).")
    ] = None,
    select: Annotated[
        str | None, typer.Option(help="Run only the suite tests matching this pytest -k expr.")
    ] = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="Print the mutants the options choose; run nothing.")
    ] = False,
) -> None:
    """The contract suite's mutation score: mutate the specs and the mock, see the suite notice."""
    from segue.mutate.command import mutate_command

    code = mutate_command(
        profile_name=profile,
        vendor=vendor,
        only=only,
        jobs=jobs,
        report=report,
        select=select,
        list_only=list_only,
    )
    raise typer.Exit(code)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def contract(
    ctx: typer.Context,
    base_url: Annotated[
        str | None, typer.Option(help="Server to test (origin); default: the in-process mock.")
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(help="API key for --base-url (or $SEGUE_API_KEY).", show_default=False),
    ] = None,
    vendor: Annotated[str, typer.Option(help="kie, udio or all.")] = "all",
    max_credits: Annotated[
        int | None,
        typer.Option(
            help="Most tasks to create (default: unlimited in process, 0 with --base-url)."
        ),
    ] = None,
    profile: Annotated[str, typer.Option(help="quick, default or thorough.")] = "default",
    report: Annotated[
        Path | None, typer.Option(help="Write junit.xml and summary.md here.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed: the same seed repeats the run.")] = None,
    webhook_key: Annotated[
        str | None,
        typer.Option(help="Verify KIE callback signatures with this key (or $SEGUE_WEBHOOK_KEY)."),
    ] = None,
    task_wait: Annotated[
        float, typer.Option(help="Seconds to wait for a task without /_segue/.")
    ] = 600.0,
    receiver: Annotated[
        str | None,
        typer.Option(help="Test your callback endpoint: send the vendor's callbacks to this URL."),
    ] = None,
    expect_verification: Annotated[
        bool,
        typer.Option(
            "--expect-verification",
            help="With --receiver: forged, stale or replayed signed callbacks must get a 4xx.",
        ),
    ] = False,
    spec_dir: Annotated[
        Path | None,
        typer.Option(help="With --receiver: judge by the specs in this folder (default: specs/)."),
    ] = None,
) -> None:
    """Run the contract suite against the in-process mock or --base-url, or (--receiver) against
    your callback endpoint; extra args go to pytest."""
    from segue.contract.runner import run_contract

    try:
        code = run_contract(
            base_url=base_url,
            api_key=api_key,
            vendor=vendor,
            max_credits=max_credits,
            profile=profile,
            report=report,
            seed=seed,
            webhook_key=webhook_key,
            task_wait=task_wait,
            extra=list(ctx.args),
            receiver=receiver,
            expect_verification=expect_verification,
            spec_dir=spec_dir,
        )
    except ValueError as error:
        typer.echo(f"segue contract: {error}", err=True)
        raise typer.Exit(4) from None
    raise typer.Exit(code)


@app.command()
def receive(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 9000,
    hmac_key: Annotated[
        str | None, typer.Option(help="Check KIE signatures with this webhook HMAC key.")
    ] = None,
) -> None:
    """Print every callback POSTed to this receiver (and check KIE signatures)."""
    from segue.receive import receive_command

    raise typer.Exit(receive_command(host, port, hmac_key))


if __name__ == "__main__":
    app()
