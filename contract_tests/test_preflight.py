"""`segue.preflight`: request bodies checked against the full bundled schema before sending.

Limits and model names are read from the bundled spec here too (the per-model `if`/`then`
blocks), so the tests follow the spec: change a limit there and these tests check the new one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from segue import speclib
from segue.cli import app
from segue.paths import GENERATED_DIR
from segue.preflight import (
    PreflightError,
    RequestValidator,
    UnknownOperation,
    request_validator,
    validate_request,
)
from typer.testing import CliRunner


def bundle(name: str) -> dict[str, Any]:
    return json.loads((GENERATED_DIR / "openapi" / f"{name}.json").read_text(encoding="utf-8"))


def example(name: str, vendor: str = "kie") -> dict[str, Any]:
    value: dict[str, Any] = bundle(vendor)["components"]["examples"][name]["value"]
    return dict(value)


def per_model_limits(schema: dict[str, Any], field: str) -> dict[str, int]:
    """model -> maxLength of `field`, from an `allOf` of `if model ... then maxLength` blocks."""
    limits = {}
    for block in schema["allOf"]:
        if "model" not in block.get("if", {}).get("properties", {}):
            continue
        model = block["if"]["properties"]["model"]
        limit = block["then"]["properties"].get(field, {}).get("maxLength")
        if limit is not None:
            for name in model.get("enum", [model.get("const")]):
                limits[name] = limit
    return limits


KIE_TITLE_LIMITS = per_model_limits(
    bundle("kie")["components"]["schemas"]["ExtensionCustomModeLimits"], "title"
)
UDIO_PROMPT_LIMITS = per_model_limits(
    bundle("udio")["components"]["schemas"]["GenerateSongRequest"], "prompt"
)


def test_limits_were_found_for_every_model() -> None:
    kie_models = bundle("kie")["components"]["schemas"]["Model"]["enum"]
    udio_models = bundle("udio")["components"]["schemas"]["Model"]["enum"]
    assert set(KIE_TITLE_LIMITS) == set(kie_models)
    assert set(UDIO_PROMPT_LIMITS) == set(udio_models)


@pytest.mark.parametrize("model", sorted(KIE_TITLE_LIMITS))
def test_extend_title_at_the_limit_passes_and_one_more_fails(model: str) -> None:
    limit = KIE_TITLE_LIMITS[model]
    body = {**example("ExtendCustom"), "model": model}

    validate_request("kie", "extendMusic", {**body, "title": "t" * limit})
    with pytest.raises(PreflightError) as raised:
        validate_request("kie", "extendMusic", {**body, "title": "t" * (limit + 1)})

    message = str(raised.value)
    assert message.startswith("title: ")  # the field
    assert f"{limit + 1} characters" in message  # what was sent
    assert f"at most {limit}" in message  # the rule, with the spec's limit
    assert f"model {model}" in message  # the model that selected the limit


@pytest.mark.parametrize("model", sorted(UDIO_PROMPT_LIMITS))
def test_udio_prompt_at_the_limit_passes_and_one_more_fails(model: str) -> None:
    limit = UDIO_PROMPT_LIMITS[model]
    body = {**example("GenerateCustomRequest", "udio"), "model": model}

    validate_request("udio", "generateSong", {**body, "prompt": "p" * limit})
    with pytest.raises(PreflightError, match=rf"^prompt: {limit + 1} characters, at most {limit}"):
        validate_request("udio", "generateSong", {**body, "prompt": "p" * (limit + 1)})


def test_custom_mode_requirements_are_checked() -> None:
    """`defaultParamFlag: true` requires continueAt: a rule the generated clients drop."""
    body = example("ExtendCustom")
    del body["continueAt"]
    with pytest.raises(PreflightError, match=r"^continueAt: is required for defaultParamFlag true"):
        validate_request("kie", "extendMusic", body)
    body["defaultParamFlag"] = False  # inherit mode needs no continueAt
    validate_request("kie", "extendMusic", body)


def test_formats_are_checked() -> None:
    body = {**example("ExtendInherit"), "callBackUrl": "not a url"}
    with pytest.raises(PreflightError, match=r"^callBackUrl: must be a valid uri"):
        validate_request("kie", "extendMusic", body)


def test_every_broken_rule_is_listed() -> None:
    body = {**example("ExtendCustom"), "model": "V4", "title": "t" * 500, "styleWeight": 1.5}
    with pytest.raises(PreflightError) as raised:
        validate_request("kie", "extendMusic", body)
    fields = sorted(problem.split(":", 1)[0] for problem in raised.value.problems)
    assert fields == ["styleWeight", "title"]
    assert str(raised.value) in raised.value.problems
    assert raised.value.operation_id == "extendMusic"
    assert raised.value.bundle == "kie"


@pytest.mark.parametrize("name", ["kie", "kie-sunoapi", "udio"])
def test_every_request_example_of_the_spec_passes(name: str) -> None:
    document = bundle(name)
    validator = request_validator(name)
    checked = 0
    for operation in speclib.iter_operations(document):
        body = speclib.request_body(document, operation)
        if operation.kind != "path" or body is None:
            continue
        media = body[0]["content"]["application/json"]
        pointer = speclib.join_pointer(body[1], "content", "application/json")
        for request in speclib.iter_examples(document, media, pointer):
            assert validator.problems(operation.node["operationId"], request.value) == []
            checked += 1
    assert checked >= len(validator.operation_ids)


def test_unknown_operation_names_the_known_ones() -> None:
    with pytest.raises(UnknownOperation) as raised:
        validate_request("kie", "extendSong", {})
    assert "extendSong" in str(raised.value)
    assert "extendMusic" in str(raised.value)
    # An operation without a JSON body has nothing to validate.
    with pytest.raises(UnknownOperation, match="getMusicTaskDetails"):
        validate_request("kie", "getMusicTaskDetails", {})


def test_unknown_bundle_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match=r"known bundles: .*kie"):
        RequestValidator("suno")


def test_the_brand_flavour_validates_with_its_own_bundle() -> None:
    """kie-sunoapi.json keeps KIE's request rules; preflight reads it like any bundle."""
    body = {**example("ExtendCustom"), "title": "t" * 10_000}
    with pytest.raises(PreflightError, match=r"^title: "):
        validate_request("kie-sunoapi", "extendMusic", body)


def test_rules_come_from_the_spec_file(tmp_path: Path) -> None:
    """Change a limit in the bundled spec and preflight follows, with no other edit."""
    document = bundle("kie")
    limits = document["components"]["schemas"]["ExtensionCustomModeLimits"]["allOf"]
    block = next(b for b in limits if b["then"]["properties"].get("title", {}).get("maxLength"))
    model = block["if"]["properties"]["model"]["const"]
    old_limit = block["then"]["properties"]["title"]["maxLength"]
    block["then"]["properties"]["title"]["maxLength"] = old_limit + 5
    spec = tmp_path / "kie.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    body = {**example("ExtendCustom"), "model": model, "title": "t" * (old_limit + 3)}

    with pytest.raises(PreflightError):
        validate_request("kie", "extendMusic", body)
    validate_request("kie", "extendMusic", body, spec=spec)


def test_cli_preflight(tmp_path: Path) -> None:
    runner = CliRunner()
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(example("ExtendCustom")), encoding="utf-8")
    bad.write_text(json.dumps({**example("ExtendCustom"), "continueAt": 0}), encoding="utf-8")

    ok = runner.invoke(app, ["preflight", "kie", "extendMusic", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "valid" in ok.output

    rejected = runner.invoke(app, ["preflight", "kie", "extendMusic", str(bad)])
    assert rejected.exit_code == 1
    assert "continueAt: must be above 0" in rejected.output

    unknown = runner.invoke(app, ["preflight", "kie", "noSuchOperation", str(good)])
    assert unknown.exit_code == 1
    assert "noSuchOperation" in unknown.output
    assert "Traceback" not in unknown.output
