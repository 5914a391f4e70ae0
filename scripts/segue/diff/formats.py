"""Print the findings of one or more comparisons: text, markdown, json, junit or github.

- `text` (default): per comparison a summary line, then breaking changes first, an
  operation's findings together; coloured when the output is a terminal (click strips colour
  otherwise).
- `markdown`: a summary and a table per comparison, documentation-only changes folded away:
  what a pull-request comment shows.
- `json`: every field of every finding.
- `junit`: one test case per finding; a finding at or above the failing level (`--fail-on`,
  else `breaking`) is a failure, so CI test-report views show breaking changes as red.
- `github`: workflow commands (`::error`/`::warning`/`::notice`), on the NEW file and, where
  the pointer is written, its line.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree import ElementTree

import click
import yaml

from segue.diff.findings import Finding
from segue.diff.rules import Level
from segue.speclib import _SpecLoader, escape_token

FORMATS = ("text", "markdown", "json", "junit", "github")
_COLOURS = {Level.BREAKING: "red", Level.WARNING: "yellow", Level.INFO: "bright_black"}


@dataclass
class Comparison:
    """One OLD/NEW pair and its findings; `new_file` and `new_text` locate annotations."""

    old: str
    new: str
    findings: list[Finding]
    new_file: str | None = None
    new_text: str | None = None
    lines: dict[str, int] = field(default_factory=dict)


def counts(findings: list[Finding]) -> str:
    by_level = Counter(finding.level for finding in findings)
    return ", ".join(f"{by_level.get(level, 0)} {level}" for level in sorted(Level, reverse=True))


def render(comparisons: list[Comparison], form: str, fail_on: Level | None) -> str:
    renderers: dict[str, Callable[[list[Comparison], Level | None], str]] = {
        "text": _text,
        "markdown": _markdown,
        "json": _json,
        "junit": _junit,
        "github": _github,
    }
    return renderers[form](comparisons, fail_on)


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Breaking first; within a level, one subject's findings together."""
    return sorted(findings, key=Finding.sort_key)


def _line(finding: Finding) -> str:
    return f"{finding.subject} {finding.direction}: {finding.message}"


def _pointers(finding: Finding) -> str:
    old, new = finding.old_pointer, finding.new_pointer
    if old == new:
        return f"at {old or '/'}"
    return f"old {old if old is not None else '-'}  new {new if new is not None else '-'}"


def _text(comparisons: list[Comparison], fail_on: Level | None) -> str:
    out = []
    for comparison in comparisons:
        out.append(
            click.style(f"{comparison.old} → {comparison.new}", bold=True)
            + f": {counts(comparison.findings) if comparison.findings else 'no changes'}"
        )
        for finding in _ordered(comparison.findings):
            level = click.style(str(finding.level), fg=_COLOURS[finding.level], bold=True)
            doc = " (documentation)" if finding.documentation else ""
            out.append(f"  {_line(finding)} ({level}){doc} [{finding.rule}]")
            out.append(click.style(f"      {_pointers(finding)}", dim=True))
    return "\n".join(out)


def _markdown(comparisons: list[Comparison], fail_on: Level | None) -> str:
    out = ["## segue diff", ""]
    for comparison in comparisons:
        findings = _ordered(comparison.findings)
        summary = counts(findings) if findings else "no changes"
        out += [f"### `{comparison.old}` → `{comparison.new}`: {summary}", ""]
        contract = [f for f in findings if not f.documentation]
        documentation = [f for f in findings if f.documentation]
        if contract:
            out += _markdown_table(contract)
        if documentation:
            out += [
                f"<details><summary>{len(documentation)} documentation-only changes</summary>",
                "",
                *_markdown_table(documentation),
                "</details>",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


def _markdown_table(findings: list[Finding]) -> list[str]:
    rows = ["| level | subject | direction | change | rule | where |", "|---|---|---|---|---|---|"]
    for finding in findings:
        cells = (
            f"**{finding.level}**" if finding.level is Level.BREAKING else str(finding.level),
            finding.subject,
            finding.direction,
            finding.message,
            f"`{finding.rule}`",
            f"`{_pointers(finding)}`",
        )
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return [*rows, ""]


def _json(comparisons: list[Comparison], fail_on: Level | None) -> str:
    document = {
        "comparisons": [
            {
                "old": comparison.old,
                "new": comparison.new,
                "counts": {
                    str(level): sum(1 for f in comparison.findings if f.level is level)
                    for level in sorted(Level, reverse=True)
                },
                "findings": [f.as_json() for f in _ordered(comparison.findings)],
            }
            for comparison in comparisons
        ]
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _junit(comparisons: list[Comparison], fail_on: Level | None) -> str:
    failing = Level.BREAKING if fail_on is None else fail_on
    suites = ElementTree.Element("testsuites", name="segue diff")
    for comparison in comparisons:
        findings = _ordered(comparison.findings)
        failures = [f for f in findings if f.level >= failing]
        suite = ElementTree.SubElement(
            suites, "testsuite", name=f"{comparison.old} → {comparison.new}",
            tests=str(max(len(findings), 1)), failures=str(len(failures)), errors="0",
        )  # fmt: skip
        if not findings:
            ElementTree.SubElement(suite, "testcase", name="no changes", classname=comparison.new)
        for finding in findings:
            case = ElementTree.SubElement(
                suite, "testcase", name=f"[{finding.rule}] {_line(finding)}",
                classname=f"{comparison.new}.{finding.subject}",
            )  # fmt: skip
            if finding.level >= failing:
                failure = ElementTree.SubElement(
                    case, "failure", message=f"{finding.level}: {finding.message}",
                    type=finding.rule,
                )  # fmt: skip
                failure.text = _pointers(finding)
            else:
                ElementTree.SubElement(
                    case, "system-out"
                ).text = f"{finding.level}: {_pointers(finding)}"
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        suites, encoding="unicode"
    )


_COMMANDS = {Level.BREAKING: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def _github(comparisons: list[Comparison], fail_on: Level | None) -> str:
    out = []
    for comparison in comparisons:
        for finding in _ordered(comparison.findings):
            properties = [f"title={_property(f'segue diff: {finding.rule} ({finding.level})')}"]
            if comparison.new_file:
                properties.insert(0, f"file={_property(comparison.new_file)}")
                line = _line_number(comparison, finding.new_pointer)
                if line is not None:
                    properties.insert(1, f"line={line}")
            out.append(
                f"::{_COMMANDS[finding.level]} {','.join(properties)}::"
                f"{_data(_line(finding) + ' — ' + _pointers(finding))}"
            )
    return "\n".join(out)


def _data(text: str) -> str:
    """Escape a workflow command's message (GitHub's toolkit: %, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _line_number(comparison: Comparison, pointer: str | None) -> int | None:
    """The 1-based line where `pointer` (or its nearest written ancestor) is in the NEW text."""
    if pointer is None or comparison.new_text is None:
        return None
    if not comparison.lines:
        comparison.lines = _line_table(comparison.new_text)
    while pointer not in comparison.lines and pointer:
        pointer = pointer.rsplit("/", 1)[0]
    return comparison.lines.get(pointer)


def _line_table(text: str) -> dict[str, int]:
    """Every pointer of a YAML text -> the line its key (or item) starts on."""
    try:
        root = yaml.compose(text, Loader=_SpecLoader)
    except yaml.YAMLError:
        return {"": 1}
    table = {"": 1}
    stack: list[tuple[yaml.Node, str]] = [(root, "")] if root is not None else []
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{escape_token(str(key.value))}"
                table[child] = key.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                table[f"{pointer}/{index}"] = value.start_mark.line + 1
                stack.append((value, f"{pointer}/{index}"))
    return table
