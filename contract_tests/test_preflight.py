"""`segue.preflight`: request bodies checked against the full bundled schema before sending.

Limits and model names are read from the bundled spec here too (the per-model `if`/`then`
blocks), so the tests follow the spec: change a limit there and these tests check the new one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import KEY_A
from segue import paths, speclib
from segue.cli import app
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.testing import SyncASGITransport, bearer
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
    bundle("udio")["components"]["schemas"]["GenerateCustomModeLimits"]["then"], "prompt"
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
    validator = request_validator(name)
    checked = 0
    for operation_id, requests in request_examples(bundle(name)):
        for request in requests:
            assert validator.problems(operation_id, request) == []
            checked += 1
    assert checked >= len(validator.operation_ids)


def request_examples(document: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """(operationId, the example values of its JSON request body), read from the spec."""
    for operation in speclib.iter_operations(document):
        body = speclib.request_body(document, operation)
        if operation.kind != "path" or body is None:
            continue
        media = body[0]["content"]["application/json"]
        pointer = speclib.join_pointer(body[1], "content", "application/json")
        examples = speclib.iter_examples(document, media, pointer)
        yield operation.node["operationId"], [example.value for example in examples]


def broken_variants(
    document: dict[str, Any], body: dict[str, Any], others: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`body` less one field, with one text over the longest limit, and merged with another
    example of its operation (two modes at once), for every model."""
    models = document["components"]["schemas"]["Model"]["enum"]
    too_long = "x" * (
        1
        + max(
            node["maxLength"]
            for _, node in speclib.iter_schemas(document)
            if isinstance(node, dict) and isinstance(node.get("maxLength"), int)
        )
    )
    variants = []
    for model in models:
        with_model = {**body, "model": model}
        variants += [{k: v for k, v in with_model.items() if k != key} for key in with_model]
        variants += [{**with_model, k: too_long} for k, v in body.items() if isinstance(v, str)]
        variants += [{**other, **with_model} for other in others]
        variants += [{**other, **with_model, k: too_long} for other in others for k in other]
    return variants


@pytest.mark.parametrize("name", ["kie", "udio"])
def test_the_message_is_the_first_of_the_problems(name: str) -> None:
    """The message comes from a faster pass (first error only, values masked) than `.problems`
    (every error): both must word the same first error the same way."""
    document = bundle(name)
    validator = request_validator(name)
    checked = 0
    for operation_id, requests in request_examples(document):
        for request in requests:
            others = [other for other in requests if other is not request]
            for variant in broken_variants(document, request, others):
                if validator.is_valid(operation_id, variant):
                    continue
                with pytest.raises(PreflightError) as raised:
                    validator.validate(operation_id, variant)
                assert str(raised.value) == validator.problems(operation_id, variant)[0]
                checked += 1
    assert checked >= 50


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


def test_a_rule_worded_by_jsonschema_rs_quotes_the_value_unmasked(tmp_path: Path) -> None:
    """Preflight finds the first error with values masked (faster); a keyword schema_errors
    leaves to jsonschema-rs's own message must still quote the real value."""
    document = bundle("kie")
    document["components"]["schemas"]["ExtendMusicRequest"]["maxProperties"] = 3
    spec = tmp_path / "kie.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    body = example("ExtendCustom")

    with pytest.raises(PreflightError) as raised:
        validate_request("kie", "extendMusic", body, spec=spec)
    own = next(RequestValidator("kie", spec).iter_errors("extendMusic", body))
    assert own.kind.name == "maxProperties"
    assert str(raised.value) == f"body: {own.message}"
    assert body["audioId"] in str(raised.value)
    assert raised.value.problems == [str(raised.value)]


def with_a_third_mode_name(document: dict[str, Any]) -> list[str]:
    """Make the second branch of GenerateSongRequest's mode `oneOf` also require `title`;
    the names the branches then require, in order."""
    request = document["components"]["schemas"]["GenerateSongRequest"]
    modes = next(part["oneOf"] for part in request["allOf"] if "oneOf" in part)
    modes[1]["required"] = [*modes[1]["required"], "title"]
    return [name for branch in modes for name in branch["required"]]


def test_a_changed_spec_is_worded_from_its_own_document(tmp_path: Path) -> None:
    """The wording's schema walk is remembered per document and error location: a changed spec
    (another document, same locations) must never get the wording of one seen before."""
    shutil.copy(paths.spec_path("kie"), tmp_path)
    udio = speclib.load_spec(paths.spec_path("udio"))
    project_names = [
        name
        for branch in next(
            part["oneOf"]
            for part in udio["components"]["schemas"]["GenerateSongRequest"]["allOf"]
            if "oneOf" in part
        )
        for name in branch["required"]
    ]
    changed_names = with_a_third_mode_name(udio)
    (tmp_path / "udio.openapi.yaml").write_text(json.dumps(udio))  # JSON is YAML
    body = {**example("GenerateCustomRequest", "udio")}
    for name in changed_names:
        body.pop(name, None)

    def mock_message(spec_dir: Path | None) -> str:
        mock = create_app(MockConfig(api_keys=(KEY_A,), clock=FakeClock(), spec_dir=spec_dir))
        try:
            with httpx.Client(transport=SyncASGITransport(mock), base_url="http://mock") as api:
                answer = api.post("/api/v2/generate", json=body, headers=bearer(KEY_A))
                return str(answer.json()["message"])
        finally:
            mock.state.segue.close()

    project = f"body: send exactly one of {' or '.join(project_names)} (none given)"
    changed = f"body: send exactly one of {' or '.join(changed_names)} (none given)"
    assert mock_message(None) == project
    assert mock_message(tmp_path) == changed
    assert mock_message(None) == project

    bundled = bundle("udio")
    assert with_a_third_mode_name(bundled) == changed_names
    (tmp_path / "udio.json").write_text(json.dumps(bundled), encoding="utf-8")
    for spec, message in ((None, project), (tmp_path / "udio.json", changed), (None, project)):
        with pytest.raises(PreflightError) as raised:
            validate_request("udio", "generateSong", body, spec=spec)
        assert str(raised.value) == message


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
