"""`segue diff` as a user runs it: sides as files and `REV:path`, `--base`, the five formats,
`--fail-on`, and every kind of bad input (exit 2, one line naming the file, no traceback)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from segue.cli import app
from segue.paths import PROJECT_ROOT
from terminal import output as terminal_output
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
# A case with breaking, warning and info findings (see its `expect`).
MIXED = FIXTURES / "22-conditional-per-model-limit.yaml"
DOCUMENTATION_ONLY = FIXTURES / "47-documentation-only.yaml"
INFO = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}


def write_case(case: Path, folder: Path) -> tuple[str, str, list[dict[str, object]]]:
    """The fixture's two sides as files in `folder`, and its expected findings."""
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    names = []
    for side in ("old", "new"):
        path = folder / f"{side}.openapi.yaml"
        path.write_text(yaml.safe_dump(INFO | data[side], sort_keys=False), encoding="utf-8")
        names.append(str(path))
    return names[0], names[1], data["expect"]


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["diff", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_text_lists_breaking_first_with_the_condition(tmp_path: Path) -> None:
    old, new, _ = write_case(MIXED, tmp_path)
    code, out, _ = run(old, new)
    assert code == 0
    assert "op request: title maxLength 80 → 60 when custom is true and model is V4 (breaking)" in (
        out
    )
    assert "[max-length-decreased]" in out


def segue_diff_output(arguments: list[str], terminal: bool) -> str:
    """What `segue diff` prints as a real process, to a pseudo-terminal or to a pipe."""
    return terminal_output(
        [sys.executable, "-m", "segue.cli", "diff", *arguments], terminal=terminal
    )


def test_text_is_coloured_on_a_terminal_only(tmp_path: Path) -> None:
    old, new, _ = write_case(MIXED, tmp_path)
    assert "\x1b[31m" in segue_diff_output([old, new], terminal=True)  # breaking in red
    assert "\x1b[" not in segue_diff_output([old, new], terminal=False)
    assert "\x1b[" not in segue_diff_output([old, new, "--format", "json"], terminal=True)


def test_text_orders_levels(tmp_path: Path) -> None:
    old, new, _ = write_case(FIXTURES / "27-variants.yaml", tmp_path)
    lines = [line for line in run(old, new)[1].splitlines() if line.startswith("  op ")]
    levels = [line.split(" (")[-1].split(")")[0] for line in lines]
    assert levels.index("info") > max(i for i, lv in enumerate(levels) if lv == "breaking")


def test_json_carries_every_field(tmp_path: Path) -> None:
    old, new, expected = write_case(
        FIXTURES / "41-callback-acknowledgement-and-headers.yaml", tmp_path
    )
    code, out, _ = run(old, new, "--format", "json")
    assert code == 0
    (comparison,) = json.loads(out)["comparisons"]
    found = {(f["rule"], f["level"], f["direction"], f["subject"], f["old"], f["new"])
             for f in comparison["findings"]}  # fmt: skip
    assert found == {
        (f["rule"], f["level"], f["direction"], f["subject"], f["old"], f["new"]) for f in expected
    }
    assert all(f["message"] for f in comparison["findings"])
    assert comparison["counts"] == {"breaking": 2, "warning": 0, "info": 0}


def test_markdown_is_a_table_with_documentation_folded(tmp_path: Path) -> None:
    old, new, expected = write_case(DOCUMENTATION_ONLY, tmp_path)
    out = run(old, new, "--format", "markdown")[1]
    assert "| level | subject | direction | change | rule | where |" in out
    assert f"<details><summary>{len(expected)} documentation-only changes</summary>" in out


def test_junit_fails_the_breaking_findings(tmp_path: Path) -> None:
    old, new, expected = write_case(FIXTURES / "27-variants.yaml", tmp_path)
    root = ElementTree.fromstring(run(old, new, "--format", "junit")[1])
    (suite,) = root.findall("testsuite")
    breaking = sum(1 for f in expected if f["level"] == "breaking")
    assert int(suite.get("failures", "-1")) == breaking == len(suite.findall("testcase/failure"))
    assert len(suite.findall("testcase")) == len(expected)


def test_github_annotations_point_at_the_new_file_and_line(tmp_path: Path) -> None:
    old, new, _ = write_case(MIXED, tmp_path)
    out = run(old, new, "--format", "github")[1].splitlines()
    (line,) = [line for line in out if line.startswith("::error ")]
    assert line.startswith(f"::error file={new},line=")
    number = int(line.split("line=")[1].split(",")[0])
    assert "maxLength: 60" in Path(new).read_text(encoding="utf-8").splitlines()[number - 1]


@pytest.mark.parametrize(
    ("fail_on", "case", "code"),
    [
        (None, MIXED, 0),
        ("breaking", MIXED, 1),
        ("breaking", DOCUMENTATION_ONLY, 0),
        ("warning", DOCUMENTATION_ONLY, 0),
        ("info", DOCUMENTATION_ONLY, 1),
        ("warning", FIXTURES / "34-operation-id-deprecated.yaml", 1),
    ],
)
def test_fail_on(tmp_path: Path, fail_on: str | None, case: Path, code: int) -> None:
    old, new, _ = write_case(case, tmp_path)
    options = ["--fail-on", fail_on] if fail_on else []
    assert run(old, new, *options)[0] == code


def test_a_spec_against_itself_reports_no_changes() -> None:
    code, out, _ = run(
        "HEAD:specs/kie.openapi.yaml", "HEAD:specs/kie.openapi.yaml", "--fail-on", "info"
    )
    assert code == 0
    assert out.strip().endswith("no changes")


# ---------------------------------------------------------------------- bad input


def one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err.strip()


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.openapi.yaml")
    line = one_line_error(*run(missing, "specs/kie.openapi.yaml"))
    assert line == f"segue diff: {missing}: no such file"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("openapi: 3.1.0\ninfo: [unclosed\n", r"line 3, column 1: YAML syntax error: .*"),
        ("openapi: 3.1.0\nopenapi: 3.1.1\n", r"line 2, column 1: duplicate key 'openapi'"),
        ("just a string\n", r"top level is a str, not a mapping"),
        ("- a\n- b\n", r"top level is a list, not a mapping"),
        ("swagger: '2.0'\ninfo: {}\n", r"not an OpenAPI 3 document \(no `openapi: 3.x` field\)"),
        (
            "openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n",
            r"invalid OpenAPI 3.1 at /info: \"version\" is a required property",
        ),
    ],
    ids=["yaml-syntax", "duplicate-key", "scalar", "list", "swagger-2", "invalid-openapi"],
)
def test_a_side_that_is_not_a_spec(tmp_path: Path, text: str, wanted: str) -> None:
    """Invalid YAML, a document that is not OpenAPI 3, invalid OpenAPI 3.1: exit 2, one line."""
    side = tmp_path / "side.yaml"
    side.write_text(text, encoding="utf-8")
    for arguments in ((str(side), "specs/kie.openapi.yaml"), ("specs/kie.openapi.yaml", str(side))):
        line = one_line_error(*run(*arguments))
        assert re.fullmatch(f"segue diff: {re.escape(str(side))}: {wanted}", line), line


def test_unreadable_side(tmp_path: Path) -> None:
    line = one_line_error(*run(str(tmp_path), "specs/kie.openapi.yaml"))
    assert line.startswith(f"segue diff: {tmp_path}: cannot read: ")


def test_unknown_revision() -> None:
    line = one_line_error(*run("no-such-rev:specs/kie.openapi.yaml", "specs/kie.openapi.yaml"))
    assert line == (
        "segue diff: no-such-rev:specs/kie.openapi.yaml: unknown revision 'no-such-rev'"
    )


def test_an_absolute_revision_path_works_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = PROJECT_ROOT / "specs" / "kie.openapi.yaml"
    monkeypatch.chdir(tmp_path)  # not a git repository
    assert run(f"HEAD:{spec}", f"HEAD:{spec}", "--fail-on", "info")[0] == 0
    line = one_line_error(*run("HEAD:specs/kie.openapi.yaml", str(spec)))
    assert line == (
        f"segue diff: HEAD:specs/kie.openapi.yaml: {tmp_path} is not inside a git repository"
    )


def test_path_missing_at_revision() -> None:
    line = one_line_error(*run("HEAD:specs/none.openapi.yaml", "specs/kie.openapi.yaml"))
    assert line == (
        "segue diff: HEAD:specs/none.openapi.yaml: specs/none.openapi.yaml does not exist at HEAD"
    )


def test_unknown_base_revision() -> None:
    line = one_line_error(*run("--base", "no-such-rev"))
    assert line == "segue diff: --base no-such-rev: unknown revision 'no-such-rev'"


@pytest.mark.parametrize(
    ("arguments", "wanted"),
    [
        ((), "give OLD and NEW"),
        (("specs/kie.openapi.yaml",), "give OLD and NEW"),
        (("specs/kie.openapi.yaml", "specs/kie.openapi.yaml", "--base", "HEAD"), "not both"),
        (("specs/kie.openapi.yaml", "specs/kie.openapi.yaml", "--format", "xml"), "--format xml"),
        (("specs/kie.openapi.yaml", "specs/kie.openapi.yaml", "--fail-on", "fatal"), "'fatal'"),
    ],
)
def test_bad_arguments(arguments: tuple[str, ...], wanted: str) -> None:
    assert wanted in one_line_error(*run(*arguments))


# ---------------------------------------------------------------------- --base


def git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
        cwd=folder, check=True, capture_output=True,
    )  # fmt: skip


def test_base_diffs_every_spec_against_the_revision(tmp_path: Path) -> None:
    """Changed, added and removed spec files since REV: findings for each, in one run."""
    old, new, expected = write_case(MIXED, tmp_path)
    repository = tmp_path / "repo"
    specs = repository / "specs"
    specs.mkdir(parents=True)
    git(repository, "init", "-q")
    (specs / "a.openapi.yaml").write_text(Path(old).read_text(encoding="utf-8"), "utf-8")
    (specs / "gone.openapi.yaml").write_text(Path(old).read_text(encoding="utf-8"), "utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "-qm", "one")
    (specs / "a.openapi.yaml").write_text(Path(new).read_text(encoding="utf-8"), "utf-8")
    (specs / "gone.openapi.yaml").unlink()
    (specs / "fresh.openapi.yaml").write_text(Path(new).read_text(encoding="utf-8"), "utf-8")
    code, out, err = run("--base", "HEAD", "--spec-dir", str(specs), "--format", "json")
    assert (code, err) == (0, "")
    comparisons = {c["new"]: c["findings"] for c in json.loads(out)["comparisons"]}
    assert [f["rule"] for f in comparisons["specs/a.openapi.yaml"]] == [f["rule"] for f in expected]
    assert [(f["rule"], f["level"]) for f in comparisons["specs/fresh.openapi.yaml"]] == [
        ("spec-added", "info")
    ]
    assert [(f["rule"], f["level"]) for f in comparisons["specs/gone.openapi.yaml"]] == [
        ("spec-removed", "breaking")
    ]
    assert run("--base", "HEAD", "--spec-dir", str(specs), "--fail-on", "breaking")[0] == 1


def test_base_head_on_this_repository_completes() -> None:
    """What the shared before-stop hook runs."""
    code, out, err = run("--base", "HEAD")
    assert (code, err) == (0, "")
    assert "specs/kie.openapi.yaml" in out and "specs/udio.openapi.yaml" in out
