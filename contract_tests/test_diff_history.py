"""The project's own history as real data: every consecutive pair of versions of each
`specs/*.openapi.yaml` in git log diffs without error, and each version against itself reports
nothing."""

from __future__ import annotations

import itertools
import json
import subprocess

import pytest
from segue.cli import app
from segue.paths import PROJECT_ROOT, VENDORS
from typer.testing import CliRunner


def versions(path: str) -> list[str]:
    """The commits that changed `path`, oldest first (none outside a git checkout)."""
    done = subprocess.run(
        ["git", "log", "--format=%H", "--", path],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return list(reversed(done.stdout.split())) if done.returncode == 0 else []


def diff_json(old: str, new: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["diff", old, new, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (comparison,) = json.loads(result.stdout)["comparisons"]
    return comparison["findings"]


SPECS = [f"specs/{vendor}.openapi.yaml" for vendor in VENDORS]


@pytest.fixture(autouse=True)
def at_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)  # REV:path is relative to the working directory


@pytest.mark.parametrize("spec", SPECS)
def test_every_consecutive_pair_completes(spec: str) -> None:
    history = versions(spec)
    if len(history) < 2:
        pytest.skip(f"{spec} has fewer than two versions in this checkout")
    for older, newer in itertools.pairwise(history):
        findings = diff_json(f"{older}:{spec}", f"{newer}:{spec}")
        assert all(f["rule"] and f["message"] for f in findings)
    diff_json(f"{history[-1]}:{spec}", spec)  # and the working tree against the last commit


@pytest.mark.parametrize("spec", SPECS)
def test_every_version_against_itself_reports_nothing(spec: str) -> None:
    history = versions(spec)
    if not history:
        pytest.skip(f"{spec} has no version in this checkout")
    for commit in history:
        assert diff_json(f"{commit}:{spec}", f"{commit}:{spec}") == []
    assert diff_json(spec, spec) == []
