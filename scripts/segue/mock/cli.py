"""`segue mock`: build a MockConfig from the flags, print the key, serve with uvicorn."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from segue.mock import snapshot
from segue.mock.config import MockConfig
from segue.mock.control import loopback_host
from segue.mock.models import new_api_key
from segue.mock.server import serve
from segue.mock.spec import SpecError, load_vendor_spec


def mock_command(
    *,
    host: str,
    port: int,
    api_keys: list[str],
    spec_dir: Path | None,
    stage_seconds: float,
    polls_per_stage: int | None,
    webhook_hmac_key: str | None,
    http_errors: bool,
    callback_allow: list[str],
    credits: int | None,
    rate_limit: int,
    control_token: str | None,
    state_file: Path | None = None,
) -> None:
    if not loopback_host(host) and not control_token:
        raise typer.BadParameter(
            f"{host} is not a loopback address: others could steer the mock; set --control-token",
            param_hint="--host",
        )
    if stage_seconds < 0:
        raise typer.BadParameter("must be 0 or more", param_hint="--stage-seconds")
    try:
        for vendor in ("kie", "udio"):
            load_vendor_spec(vendor, spec_dir)
        # A state file it cannot read back stops it here, not half-way through starting.
        restored = snapshot.load(state_file) if state_file is not None else None
    except (SpecError, snapshot.SnapshotError) as error:
        typer.echo(f"segue mock: {error}", err=True)
        raise typer.Exit(2) from None
    keys = tuple(api_keys) or (tuple(restored["accounts"]) if restored else (new_api_key(),))
    config = MockConfig(
        spec_dir=spec_dir,
        api_keys=keys,
        credits=None if credits is not None and credits < 0 else credits,
        stage_seconds=None if math.isinf(stage_seconds) else stage_seconds,
        polls_per_stage=polls_per_stage,
        rate_limit=rate_limit,
        http_errors=http_errors,
        webhook_hmac_key=webhook_hmac_key,
        callback_allow=tuple(callback_allow),
        control_token=control_token,
        state_file=state_file,
        callback_process=True,
    )
    for key in keys:
        typer.echo(f"segue mock: accepting API key {key}")
    typer.echo(
        f"segue mock: KIE at http://{host}:{port}/api/v1/…, Udio at …/api/v2/…, control …/_segue/"
    )
    typer.echo(
        f"segue mock: state restored from and saved to {state_file}"
        if state_file is not None
        else "segue mock: state in memory only, gone when it stops (--state FILE keeps it)"
    )
    serve(config, host, port)
