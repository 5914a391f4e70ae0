"""The `segue` command line: one subcommand per component (see DESIGN.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
        list[Path] | None, typer.Argument(help="Spec files to lint (default: specs/*.openapi.yaml).")
    ] = None,
) -> None:
    """Check the specs: valid OpenAPI 3.1, examples valid, operations complete, conditionals sound."""
    from segue.lint import lint_command

    raise typer.Exit(lint_command(files))


if __name__ == "__main__":
    app()
