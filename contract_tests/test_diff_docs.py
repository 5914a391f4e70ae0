"""The README documents `segue diff` as it is: its rule table is the one
`segue.diff.rules.markdown_table()` writes from the engine's rules (`uv run python
contract_tests/test_diff_docs.py` rewrites it), and the steps for "When the vendor docs change"
start with `segue diff --base HEAD`."""

from __future__ import annotations

import re

from segue.diff.rules import RULES, markdown_table
from segue.paths import PROJECT_ROOT

README_PATH = PROJECT_ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
BEGIN, END = "<!-- segue-diff-rules: begin -->\n", "<!-- segue-diff-rules: end -->"


def with_rule_table(readme: str) -> str:
    """`readme` with the engine's rule table between the markers."""
    head, rest = readme.split(BEGIN)
    return head + BEGIN + markdown_table() + END + rest.split(END, 1)[1]


def test_the_readme_rule_table_is_the_rules_table() -> None:
    assert with_rule_table(README) == README, "run: uv run python contract_tests/test_diff_docs.py"
    table = README.split(BEGIN)[1]
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \| (\w+) \|", table, re.MULTILINE)
    assert [rule for rule, _, _ in rows] == list(RULES)


def test_the_vendor_docs_workflow_starts_with_segue_diff() -> None:
    section = README.split("### When the vendor docs change")[1]
    first_step = re.search(r"^1\. (.*)$", section, re.MULTILINE)
    assert first_step is not None
    assert first_step.group(1).startswith("`uv run segue diff --base HEAD`")


def test_the_pull_request_job_fails_on_breaking_and_posts_markdown() -> None:
    section = README.split("### In a pull request")[1].split("\n### ")[0]
    assert "--format markdown" in section and "gh pr comment" in section
    assert "--fail-on breaking" in section


if __name__ == "__main__":
    README_PATH.write_text(with_rule_table(README), encoding="utf-8")
