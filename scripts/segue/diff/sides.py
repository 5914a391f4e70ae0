"""The two sides of a diff: a spec file, or `REV:path` (the file as git revision REV has it).

Every way a side can be unusable (missing file, YAML error, not an OpenAPI 3 document, invalid
OpenAPI, unknown revision, a path the revision does not have) raises `SideError` with one line
naming the side, which the command prints and exits 2 on.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_spec_validator import OpenAPIV31SpecValidator

from segue.speclib import SpecLoadError, escape_token, parse_spec_text


class SideError(Exception):
    """A side that cannot be diffed; the message is one line and names the side."""


@dataclass(frozen=True)
class Side:
    """A loaded spec: how the user named it (`label`), its document, its text and file path
    (for a `REV:path` side, the path inside the revision): annotations point into them."""

    label: str
    document: dict[str, Any]
    text: str
    path: str


def load_side(argument: str, cwd: Path | None = None) -> Side:
    """A file path, or `REV:path` when no file of that name exists and the text holds `:`."""
    where = cwd or Path.cwd()
    path = where / argument
    if not path.exists() and ":" in argument:
        revision, _, inner = argument.partition(":")
        text = show_revision(revision, inner, where)
        return Side(argument, parse_spec(argument, text), text, inner)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SideError(f"{argument}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SideError(f"{argument}: cannot read: {error}") from None
    return Side(argument, parse_spec(argument, text), text, argument)


def show_revision(revision: str, path: str, cwd: Path) -> str:
    """The text of `path` (relative to `cwd`, as a file argument is) at git revision REV.

    An absolute path is looked up in the repository that holds it, wherever the command runs.
    """
    label = f"{revision}:{path}"
    if not revision:
        raise SideError(f"{label}: no revision before ':'")
    if path.startswith("/"):
        cwd = _existing_folder(Path(path))
    if _git(cwd, "rev-parse", "--show-toplevel") is None:
        raise SideError(f"{label}: {cwd} is not inside a git repository")
    commit = _git(cwd, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit is None:
        raise SideError(f"{label}: unknown revision {revision!r}")
    # `REV:./path` is relative to the working directory, as a plain file argument is.
    inner = _repository_relative(cwd, path) if path.startswith("/") else "./" + path
    text = _git(cwd, "show", f"{commit.strip()}:{inner}")
    if text is None:
        raise SideError(f"{label}: {path} does not exist at {revision}")
    return text


def _existing_folder(path: Path) -> Path:
    folder = path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def revision_files(revision: str, folder: str, cwd: Path) -> list[str]:
    """The file names in `folder` (relative to `cwd`) at `revision`; SideError if unknown."""
    if _git(cwd, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}") is None:
        raise SideError(f"--base {revision}: unknown revision {revision!r}")
    listing = _git(cwd, "ls-tree", "--name-only", f"{revision}:./{folder}")
    return listing.split() if listing else []


def _repository_relative(cwd: Path, path: str) -> str:
    top = _git(cwd, "rev-parse", "--show-toplevel")
    if top is None:
        raise SideError(f"{path}: not inside a git repository")
    try:
        return str(Path(path).resolve().relative_to(Path(top.strip()).resolve()))
    except ValueError:
        raise SideError(f"{path}: outside the git repository {top.strip()}") from None


def _git(cwd: Path, *arguments: str) -> str | None:
    """git's standard output, or None when it fails (or git is missing)."""
    try:
        done = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def parse_spec(label: str, text: str) -> dict[str, Any]:
    """Parse and check a spec text: YAML (speclib's strict loader), OpenAPI 3.x, valid 3.1."""
    try:
        document = parse_spec_text(text)
    except SpecLoadError as error:
        raise SideError(f"{label}: {error}") from None
    if not isinstance(document, Mapping):
        raise SideError(f"{label}: not an OpenAPI document (top level is not a mapping)")
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SideError(f"{label}: not an OpenAPI 3 document (no `openapi: 3.x` field)")
    if version.startswith("3.1"):
        problem = next(iter(OpenAPIV31SpecValidator(document).iter_errors()), None)
        if problem is not None:
            pointer = "".join("/" + escape_token(token) for token in getattr(problem, "path", ()))
            summary = _one_line(str(problem.message).split("\n\n")[0].split("Failed validating")[0])
            raise SideError(f"{label}: invalid OpenAPI 3.1 at {pointer or '/'}: {summary}")
    return dict(document)


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:197] + "…"
