"""`segue lint`, run through the real CLI on deliberately broken specs.

Every fixture in fixtures/lint/ is `valid.openapi.yaml` with one defect (its first line says
which); each must yield exactly its one finding, at its pointer, and exit code 1.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from segue import speclib
from segue.cli import app
from segue.lint import lint_document
from segue.paths import SPECS_DIR
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
VALID = FIXTURES / "valid.openapi.yaml"
CREATE = "/paths/~1songs/post"
GET = "/paths/~1songs/get"
CALLBACK = f"{CREATE}/callbacks/songDone/{{$request.body#~1callbackUrl}}/post"

# fixture name -> (JSON pointer of its one finding, phrase the message must contain)
EXPECTED = {
    # 1. invalid OpenAPI 3.1 (structural, semantic, schema meta-check) and unreadable YAML
    "invalid_document": (f"{CREATE}/responses/200", '"description" is a required property'),
    "duplicate_operation_id": (
        CREATE,
        "Operation ID 'getSong' for 'post' in '/songs' is not unique",
    ),
    "bad_schema_keyword": (
        "/components/schemas/Created/properties/id/type",
        "'strng' is not valid",
    ),
    "yaml_syntax_error": ("/", "line 67, column 14: YAML syntax error"),
    "duplicate_key": ("/", "line 47, column 7: duplicate key 'operationId'"),
    "unquoted_status": ("/", "key 422 is not a string: quote it"),
    # 2. examples that do not match their schema
    "bad_media_example": (
        f"{CREATE}/requestBody/content/application~1json/examples/custom",
        'at /title: "A title far longer than twenty" is longer than 20 characters',
    ),
    "bad_component_example": (
        f"{CREATE}/responses/422/content/application~1json/examples/validationFailed",
        "example (/components/examples/ValidationFailed/value) does not match its schema",
    ),
    "bad_parameter_example": (f"{GET}/parameters/0/example", '"ab" is shorter than 3 characters'),
    "bad_header_example": (
        f"{GET}/responses/200/headers/X-Request-Id/example",
        '"1" does not match "^req-"',
    ),
    "bad_callback_example": (
        f"{CALLBACK}/requestBody/content/application~1json/example",
        'at /status: "finished" is not one of "text" or "complete"',
    ),
    "bad_pattern": (
        f"{GET}/responses/200/headers/X-Request-Id/schema/pattern",
        'schema does not compile: "^req-((" is not a "regex"',
    ),
    "bad_schema_examples": ("/components/schemas/Status/examples/0", "does not match its schema"),
    # 3. incomplete operations
    "missing_operation_id": (GET, "operation has no operationId"),
    "no_request_example": (f"{CREATE}/requestBody", "request body has no example"),
    "no_response_example": (f"{CREATE}/responses/200", "response 200 has no example"),
    "no_error_response": (f"{CREATE}/responses", "operation documents no error response"),
    # 4. callbacks without a payload schema
    "callback_without_schema": (
        f"{CALLBACK}/requestBody/content/application~1json",
        "callback payload has no schema",
    ),
    "webhook_without_body": ("/webhooks/songDone/post", "webhook has no request body"),
    # 5. conditionals naming undefined properties
    "then_undefined_property": (
        "/components/schemas/SongRequest/allOf/1/then/required/0",
        "`required` names property 'promt', which the object schema at "
        "/components/schemas/SongRequest does not define",
    ),
    "dependent_required_undefined": (
        "/components/schemas/SongRequest/dependentRequired/negativeTags/0",
        "`dependentRequired` names property 'stlye'",
    ),
    # 6. dangling $ref
    "unresolvable_ref": (
        "/components/schemas/Song/properties/status/$ref",
        "$ref '#/components/schemas/Statuss' does not resolve",
    ),
    # 7. x-segue-when
    "error_example_without_when": (
        f"{CREATE}/responses/422/content/application~1json/examples/validationFailed",
        "error example of response 422 has no x-segue-when",
    ),
    "bad_when_form": (
        "/components/examples/ValidationFailed/x-segue-when",
        "rule 'Validation Failed' is not a kebab-case id",
    ),
    "when_invalid_unknown_property": (
        f"{CREATE}/responses/422/content/application~1json/examples/badCallback",
        "invalid: 'callbackURL', which the request body does not define",
    ),
}


def run_lint(*files: Path) -> tuple[int, list[str]]:
    """Run `segue lint FILES` in-process through the typer app; (exit code, output lines)."""
    result = CliRunner().invoke(app, ["lint", *map(str, files)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


def finding_lines(lines: list[str]) -> list[tuple[str, str, str]]:
    """The `FILE: POINTER: MESSAGE` lines, split (the summary line is left out)."""
    return [tuple(line.split(": ", 2)) for line in lines if not line.startswith(("OK:", "FAILED:"))]  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_yields_exactly_its_finding(name: str) -> None:
    path = FIXTURES / f"{name}.openapi.yaml"
    code, lines = run_lint(path)
    assert code == 1
    findings = finding_lines(lines)
    assert len(findings) == 1, lines
    (file, pointer, message) = findings[0]
    expected_pointer, phrase = EXPECTED[name]
    assert file.endswith(path.name)
    assert pointer == expected_pointer
    assert phrase in message
    assert lines[-1] == "FAILED: 1 finding in 1 files"


def test_every_fixture_has_an_expectation() -> None:
    names = {path.name.removesuffix(".openapi.yaml") for path in FIXTURES.glob("*.openapi.yaml")}
    assert names == {*EXPECTED, "valid"}


def test_valid_fixture_passes_and_counts_every_example() -> None:
    # 12 = parameter 1, header 1, getSong 2, createSong request 2 + 200 1 + 422 2,
    # callback 1, webhook 1, schema `examples` 1: every place an example can be was visited.
    assert run_lint(VALID) == (0, ["OK: 1 files, 12 examples validated"])


def test_findings_are_sorted_and_name_each_file(tmp_path: Path) -> None:
    broken = [
        FIXTURES / f"{name}.openapi.yaml" for name in ("unresolvable_ref", "missing_operation_id")
    ]
    code, lines = run_lint(VALID, *broken)
    assert code == 1
    findings = finding_lines(lines)
    assert findings == sorted(findings)
    assert [Path(file).name for file, _, _ in findings] == sorted(path.name for path in broken)
    assert lines[-1] == "FAILED: 2 findings in 3 files"


def test_several_defects_in_one_file_are_all_reported_in_order(tmp_path: Path) -> None:
    text = VALID.read_text().replace("      operationId: getSong\n", "")
    text = text.replace("        negativeTags: [style]\n", "        negativeTags: [stlye]\n")
    spec = tmp_path / "two.openapi.yaml"
    spec.write_text(text)
    code, lines = run_lint(spec)
    assert code == 1
    assert [pointer for _, pointer, _ in finding_lines(lines)] == [
        "/components/schemas/SongRequest/dependentRequired/negativeTags/0",
        GET,
    ]


def test_missing_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    code, lines = run_lint(tmp_path / "absent.openapi.yaml")
    assert code == 1
    ((_, pointer, message),) = finding_lines(lines)
    assert (pointer, message.startswith("cannot read file")) == ("/", True)


def test_installed_segue_command_exits_1_on_a_broken_spec() -> None:
    segue = shutil.which("segue", path=str(Path(sys.executable).parent))
    assert segue is not None
    result = subprocess.run(
        [segue, "lint", str(FIXTURES / "missing_operation_id.openapi.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f": {GET}: operation has no operationId" in result.stdout
    assert result.stderr == ""


REAL_SPECS = sorted(SPECS_DIR.glob("*.openapi.yaml"))


@pytest.mark.skipif(not REAL_SPECS, reason="specs/*.openapi.yaml not written yet")
def test_real_specs_are_clean() -> None:
    code, lines = run_lint(*REAL_SPECS)
    assert code == 0, "\n".join(lines)


def _pointers(node: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    children: list[tuple[str | int, object]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    return [prefix] + [p for key, child in children for p in _pointers(child, (*prefix, key))]


VALID_DOCUMENT = speclib.load_spec(VALID)
ODD_VALUES = [None, 0, "x", [], {}, ["x"], {"a": 1}, {"$ref": "#/nowhere"}, {"$ref": 5}, True]


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(
    where=st.sampled_from(_pointers(VALID_DOCUMENT)[1:]),
    value=st.sampled_from(ODD_VALUES),
)
def test_a_misshapen_document_gets_findings_never_a_crash(
    where: tuple[str | int, ...], value: object
) -> None:
    document = copy.deepcopy(VALID_DOCUMENT)
    parent = document
    for key in where[:-1]:
        parent = parent[key]  # type: ignore[index]
    parent[where[-1]] = copy.deepcopy(value)  # type: ignore[index]
    result = lint_document(document)
    assert not [message for _, message in result.problems if message.startswith("internal error")]


def test_iter_operations_lists_a_shared_path_item_once_or_per_use() -> None:
    shared = {"$ref": "#/components/pathItems/Stage"}
    document = {
        "paths": {"/a": {"post": {"callbacks": {"stage": {"{$request.body#/url}": shared}}}}},
        "webhooks": {"stageWebhook": shared},
        "components": {"pathItems": {"Stage": {"post": {"requestBody": {}}}}},
    }
    unique = list(speclib.iter_operations(document))
    assert [(op.kind, op.pointer) for op in unique] == [
        ("path", "/paths/~1a/post"),
        ("callback", "/components/pathItems/Stage/post"),
    ]
    per_use = list(speclib.iter_operations(document, unique=False))
    assert [(op.kind, op.callback, op.owner) for op in per_use] == [
        ("path", None, None),
        ("callback", "stage", "/paths/~1a/post"),
        ("webhook", None, None),
    ]


@pytest.mark.parametrize(
    ("delivery", "pointer", "phrase"),
    [
        ({"timeout-seconds": 0, "acknowledgement": "2XX", "idempotency-key": ["/id"]},
         "/x-segue-delivery/timeout-seconds", "above 0"),
        ({"timeout-seconds": 15, "acknowledgement": "OK", "idempotency-key": ["/id"]},
         "/x-segue-delivery/acknowledgement", "such as 200 or 2XX"),
        ({"timeout-seconds": 15, "acknowledgement": "2XX", "idempotency-key": "id"},
         "/x-segue-delivery/idempotency-key", "JSON pointers"),
        ({"timeout-seconds": 15, "acknowledgement": "3XX", "idempotency-key": ["/id"]},
         CALLBACK, "no response within the acknowledgement 3XX"),
    ],
)  # fmt: skip
def test_lint_checks_the_delivery_extension(delivery: dict, pointer: str, phrase: str) -> None:
    document = speclib.load_spec(VALID)
    assert lint_document(document).problems == []
    document["x-segue-delivery"] = delivery
    problems = lint_document(document).problems
    assert [p for p, message in problems if phrase in message] == [pointer], problems
