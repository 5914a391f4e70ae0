"""`segue lint` on the x-segue extensions (segue.lint_extensions), through the real CLI.

Every fixture in fixtures/lint/extensions/ is that folder's `valid.openapi.yaml` with one
defect (regenerate.py); each must yield exactly its one finding, at its pointer. The project's
own specs and the sunoapi.org bundle lint clean (test_lint covers the specs; the bundle here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from segue import speclib
from segue.cli import app
from segue.lint_extensions import check_extensions
from segue.paths import GENERATED_DIR, SPECS_DIR
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures" / "lint" / "extensions"
CALLBACK = "/paths/~1songs/post/callbacks/songDone/{$request.body#~1callbackUrl}/post"

# fixture name -> (JSON pointer of its one finding, phrase the message must contain)
EXPECTED = {
    "errors_bad_shape": ("/x-segue-errors/outcome", '"body" is not one of'),
    "errors_undocumented_code": ("/x-segue-errors/codes/499", "code 499 is not documented"),
    "lifecycle_unknown_poll": ("/x-segue-lifecycle/poll", "poll 'getSongs' is no operationId"),
    "lifecycle_stage_not_in_enum": (
        "/x-segue-lifecycle/stages/1",
        "stages value 'done' is not in the status enum",
    ),
    "lifecycle_status_unresolved": (
        "/x-segue-lifecycle/status",
        "/state does not resolve in the answer of getSong",
    ),
    "lifecycle_link_disagrees": (
        "/paths/~1songs/post/responses/200/links/pollSong",
        "link to getSong must pass songId: $response.body#/id",
    ),
    "lifecycle_callback_stage_not_in_enum": (
        "/x-segue-lifecycle/callback-stages/1",
        "callback-stages value 'finished' is not in the callback stage enum",
    ),
    "signature_header_undeclared": (CALLBACK, "header X-Sig is not declared"),
    "signature_pointer_unresolved": (
        "/x-segue-signature/message",
        "/song_id does not resolve in the callback payload",
    ),
    "max_duration_unknown_value": (
        "/components/schemas/Status/x-segue-max-duration-seconds",
        "names 'done', which is not a value of this schema's enum",
    ),
    "max_duration_missing_value": (
        "/components/schemas/Status/x-segue-max-duration-seconds",
        "has no entry for 'text', a value of this schema's enum",
    ),
    "clip_model_name_unknown_value": (
        "/components/schemas/Status/x-segue-clip-model-name",
        "names 'done', which is not a value of this schema's enum",
    ),
    "clip_model_name_missing_value": (
        "/components/schemas/Status/x-segue-clip-model-name",
        "has no entry for 'complete', a value of this schema's enum",
    ),
    "clip_model_name_bad_shape": (
        "/components/schemas/Status/x-segue-clip-model-name",
        "x-segue-clip-model-name: not {model: clip model_name}",
    ),
    "lifecycle_callback_failure_code_unresolved": (
        "/x-segue-lifecycle/callback-failure-code",
        "/code does not resolve in the callback at",
    ),
    "lifecycle_callback_failure_code_without_enum": (
        "/x-segue-lifecycle/callback-failure-code",
        "/id has no enum in the callback payload",
    ),
}


def run_lint(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["lint", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def test_the_extension_fixture_base_is_clean() -> None:
    code, lines = run_lint(FIXTURES / "valid.openapi.yaml")
    assert code == 0, lines


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_extension_yields_exactly_its_finding(name: str) -> None:
    code, lines = run_lint(FIXTURES / f"{name}.openapi.yaml")
    assert code == 1
    findings = [line.split(": ", 2) for line in lines if not line.startswith("FAILED:")]
    assert len(findings) == 1, lines
    _, pointer, message = findings[0]
    expected_pointer, phrase = EXPECTED[name]
    assert pointer == expected_pointer
    assert phrase in message


def test_every_extension_fixture_has_an_expectation() -> None:
    names = {path.name.removesuffix(".openapi.yaml") for path in FIXTURES.glob("*.openapi.yaml")}
    assert names == {*EXPECTED, "valid"}


@pytest.mark.parametrize("bundle", ["kie", "kie-sunoapi", "udio"])
def test_the_bundles_extensions_are_clean(bundle: str) -> None:
    document = json.loads((GENERATED_DIR / "openapi" / f"{bundle}.json").read_text("utf-8"))
    assert check_extensions(document) == []


def _drop_first(entries: dict[str, object]) -> str:
    model = next(iter(entries))
    del entries[model]
    return f"has no entry for {model!r}"


def _add_unknown(entries: dict[str, object]) -> str:
    entries["V99_UNRELEASED"] = next(iter(entries.values()))
    return "names 'V99_UNRELEASED', which is not a value of this schema's enum"


@pytest.mark.parametrize(
    "edit", [_drop_first, _add_unknown], ids=["entry-removed", "unknown-added"]
)
@pytest.mark.parametrize(
    ("vendor", "extension"),
    [("kie", "x-segue-max-duration-seconds"), ("kie", "x-segue-clip-model-name"),
     ("udio", "x-segue-max-duration-seconds")],
)  # fmt: skip
def test_a_real_spec_whose_per_model_extension_misses_or_adds_a_model_fails_lint(
    vendor: str, extension: str, edit: Any, tmp_path: Path
) -> None:
    """The real `Model` schemas: each per-model extension covers exactly the enum's members."""
    document = speclib.load_spec(SPECS_DIR / f"{vendor}.openapi.yaml")
    phrase = edit(document["components"]["schemas"]["Model"][extension])
    copy = tmp_path / f"{vendor}.openapi.yaml"
    copy.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    code, lines = run_lint(copy)
    assert code == 1, lines
    findings = [line for line in lines if not line.startswith("FAILED:")]
    assert len(findings) == 1, lines
    assert f"/components/schemas/Model/{extension}: {extension} {phrase}" in findings[0], lines
