"""`segue diff OLD NEW` and `segue diff --base REV`: load the sides, diff, print, exit.

Exit status: 0, or 1 when `--fail-on LEVEL` is given and a finding is at or above it; 2 with
one line on standard error, naming the file, when a side cannot be used (see `sides`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from segue.diff import diff_documents
from segue.diff.findings import Collector
from segue.diff.formats import FORMATS, Comparison, render
from segue.diff.rules import parse_level
from segue.diff.sides import (
    Side,
    SideError,
    load_side,
    parse_spec,
    revision_files,
    show_revision,
)
from segue.paths import SPECS_DIR

SPEC_SUFFIX = ".openapi.yaml"


def diff_command(
    old: str | None,
    new: str | None,
    base: str | None,
    form: str,
    fail_on: str | None,
    spec_dir: Path | None = None,
) -> int:
    try:
        threshold = parse_level(fail_on) if fail_on is not None else None
        if form not in FORMATS:
            raise SideError(f"--format {form}: choose one of {', '.join(FORMATS)}")
        comparisons = _comparisons(old, new, base, spec_dir or SPECS_DIR)
    except (SideError, ValueError) as error:
        click.echo(f"segue diff: {error}", err=True)
        return 2
    output = render(comparisons, form, threshold)
    if output:
        click.echo(output, color=None if form == "text" else False)
    findings = [finding for comparison in comparisons for finding in comparison.findings]
    if threshold is not None and any(finding.level >= threshold for finding in findings):
        return 1
    return 0


def _comparisons(
    old: str | None, new: str | None, base: str | None, spec_dir: Path
) -> list[Comparison]:
    if base is not None:
        if old is not None or new is not None:
            raise SideError("give either OLD and NEW, or --base REV, not both")
        return base_comparisons(base, spec_dir)
    if old is None or new is None:
        raise SideError("give OLD and NEW (files or REV:path), or --base REV")
    return [_compare(load_side(old), load_side(new))]


def _compare(old: Side, new: Side) -> Comparison:
    findings = diff_documents(old.document, new.document, spec=new.label)
    return Comparison(old.label, new.label, findings, new.path, new.text)


def base_comparisons(revision: str, specs: Path) -> list[Comparison]:
    """Every `specs/*.openapi.yaml` (working tree) against the same file at `revision`.

    Paths are shown relative to the current directory when it holds `specs`, as typed.
    """
    if not specs.is_dir():
        raise SideError(f"--spec-dir {specs}: no such folder")
    root = specs.resolve().parent
    folder = specs.resolve().name
    then = {name for name in revision_files(revision, folder, root) if name.endswith(SPEC_SUFFIX)}
    now = {path.name for path in specs.glob(f"*{SPEC_SUFFIX}")}
    comparisons = []
    for name in sorted(then | now):
        relative = f"{folder}/{name}"
        label_old = f"{revision}:{relative}"
        if name not in now:
            comparisons.append(_spec_presence("spec-removed", label_old, relative))
            continue
        text = (root / relative).read_text(encoding="utf-8")
        new_side = Side(relative, parse_spec(relative, text), text, relative)
        if name not in then:
            comparisons.append(_spec_presence("spec-added", label_old, relative))
            continue
        old_text = show_revision(revision, relative, root)
        old_side = Side(label_old, parse_spec(label_old, old_text), old_text, relative)
        comparisons.append(_compare(old_side, new_side))
    return comparisons


def _spec_presence(rule: str, old: str, new: str) -> Comparison:
    """A spec file present on one side only (`spec-added`/`spec-removed`)."""
    collector = Collector()
    gone = rule == "spec-removed"
    collector.add(
        rule, "both", "document", "" if gone else None, None if gone else "",
        f"{new} {'removed' if gone else 'added'} since {old.split(':', 1)[0]}",
    )  # fmt: skip
    return Comparison(old, new, [replace(f, spec=new) for f in collector.findings])
