"""The README documents `segue diff` as it is: its rule table is the engine's, and the steps for
"When the vendor docs change" start with `segue diff --base HEAD`."""

from __future__ import annotations

import re

from segue.diff.rules import RULES
from segue.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def readme_rules() -> dict[str, tuple[str, str]]:
    table = README.split("<!-- segue-diff-rules: begin -->")[1].split("<!-- segue-diff-rules: end")[
        0
    ]
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \| (\w+) \|", table, re.MULTILINE)
    return {rule: (request, response) for rule, request, response in rows}


def test_the_readme_rule_table_is_the_rules_table() -> None:
    assert readme_rules() == {
        rule.id: (str(rule.request), str(rule.response)) for rule in RULES.values()
    }


def test_the_vendor_docs_workflow_starts_with_segue_diff() -> None:
    section = README.split("### When the vendor docs change")[1]
    first_step = re.search(r"^1\. (.*)$", section, re.MULTILINE)
    assert first_step is not None
    assert first_step.group(1).startswith("`uv run segue diff --base HEAD`")


def test_the_pull_request_job_fails_on_breaking_and_posts_markdown() -> None:
    section = README.split("### In a pull request")[1].split("\n### ")[0]
    assert "--format markdown" in section and "gh pr comment" in section
    assert "--fail-on breaking" in section
