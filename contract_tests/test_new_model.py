"""A new model is a spec edit only (README "Tolerant reader, strict speaker", DECISIONS K-1).

A copy of the KIE spec gets a model the way K-1 says one is added: its `Model.enum` member, its
limits (an `if model const … then` branch in `GenerateCustomModeLimits` and one in
`ExtensionCustomModeLimits`) and its `x-segue-max-duration-seconds` and `x-segue-clip-model-name`
entries, which `segue lint` requires. Then, with no code edit: lint passes, the mock built on
that spec folder accepts a generate and an extend with the new model and applies its limits, and
`segue.preflight` on the bundle of that spec does the same.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import KEY_A
from segue import paths, speclib
from segue.bundle import load_bundle, write_json
from segue.lint import lint_document
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.testing import SyncASGITransport, bearer
from segue.preflight import PreflightError, validate_request

NEW = "V9_TEST"
CALLBACK = "https://api.example.com/callback"  # refused: never called
# Limits no existing model has, so a refusal quoting them can only come from the new branches.
GENERATE_LIMITS = {"prompt": 4321, "style": 987}
EXTEND_LIMITS = {"prompt": 4321, "style": 987, "title": 91}
LONGEST = 200  # seconds


def with_new_model(document: dict[str, Any], *, extensions: bool = True) -> dict[str, Any]:
    """`document` (the KIE spec) with model NEW added in the places K-1 lists."""
    document = copy.deepcopy(document)
    schemas = document["components"]["schemas"]
    model = schemas["Model"]
    model["enum"].append(NEW)
    if extensions:
        model["x-segue-max-duration-seconds"][NEW] = LONGEST
        model["x-segue-clip-model-name"][NEW] = model["x-segue-clip-model-name"]["V5"]
    for name, limits in (
        ("GenerateCustomModeLimits", GENERATE_LIMITS),
        ("ExtensionCustomModeLimits", EXTEND_LIMITS),
    ):
        schemas[name]["allOf"].append(
            {
                "if": {"properties": {"model": {"const": NEW}}, "required": ["model"]},
                "then": {"properties": {k: {"maxLength": v} for k, v in limits.items()}},
            }
        )
    return document


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new-model")
    for vendor in paths.VENDORS:
        shutil.copy(paths.spec_path(vendor), folder)
    kie = with_new_model(speclib.load_spec(folder / "kie.openapi.yaml"))
    (folder / "kie.openapi.yaml").write_text(json.dumps(kie))  # JSON is YAML
    return folder


def project_models() -> list[str]:
    return list(speclib.load_spec(paths.spec_path("kie"))["components"]["schemas"]["Model"]["enum"])


def test_lint_accepts_the_new_model_and_names_what_it_lacks(spec_dir: Path) -> None:
    assert lint_document(speclib.load_spec(spec_dir / "kie.openapi.yaml")).problems == []
    lacking = with_new_model(speclib.load_spec(paths.spec_path("kie")), extensions=False)
    messages = [str(problem) for problem in lint_document(lacking).problems]
    for extension in ("x-segue-max-duration-seconds", "x-segue-clip-model-name"):
        assert any(extension in m and NEW in m for m in messages), messages


def extend_body(audio_id: str, **change: Any) -> dict[str, Any]:
    return {
        "defaultParamFlag": True,
        "audioId": audio_id,
        "prompt": "Extend the music with more relaxing notes",
        "style": "Classical",
        "title": "Peaceful Piano Extended",
        "continueAt": 10,
        "model": NEW,
        "callBackUrl": CALLBACK,
        **change,
    }


def test_the_mock_serves_the_new_model_with_no_code_edit(spec_dir: Path) -> None:
    app = create_app(
        MockConfig(api_keys=(KEY_A,), clock=FakeClock(), spec_dir=spec_dir, stage_seconds=0)
    )
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            generate = {"customMode": False, "instrumental": True, "prompt": "x", "model": NEW}
            generate["callBackUrl"] = CALLBACK
            created = api.post("/api/v1/generate", json=generate, headers=bearer(KEY_A)).json()
            assert created["code"] == 200, created
            details = api.get(
                "/api/v1/generate/record-info",
                params={"taskId": created["data"]["taskId"]},
                headers=bearer(KEY_A),
            ).json()["data"]
            clips = details["response"]["sunoData"]
            kie = speclib.load_spec(spec_dir / "kie.openapi.yaml")
            names = kie["components"]["schemas"]["Model"]["x-segue-clip-model-name"]
            assert {clip["modelName"] for clip in clips} == {names[NEW]}
            assert all(clip["duration"] <= LONGEST for clip in clips)

            def extend(body: dict[str, Any]) -> Any:
                return api.post("/api/v1/generate/extend", json=body, headers=bearer(KEY_A)).json()

            extended = extend(extend_body(clips[0]["id"]))
            assert extended["code"] == 200, extended
            too_long = extend(extend_body(clips[0]["id"], title="t" * (EXTEND_LIMITS["title"] + 1)))
            assert too_long["code"] == 422, too_long
            assert f"at most {EXTEND_LIMITS['title']} allowed" in too_long["msg"], too_long
            custom = {**generate, "customMode": True, "style": "s" * (GENERATE_LIMITS["style"] + 1)}
            refused = api.post(
                "/api/v1/generate", json={**custom, "title": "T"}, headers=bearer(KEY_A)
            ).json()
            assert f"at most {GENERATE_LIMITS['style']} allowed" in refused["msg"], refused
    finally:
        app.state.segue.close()

    project = create_app(MockConfig(api_keys=(KEY_A,), clock=FakeClock()))
    try:
        with httpx.Client(transport=SyncASGITransport(project), base_url="http://mock") as api:
            refused = api.post(
                "/api/v1/generate/extend", json=extend_body("e231"), headers=bearer(KEY_A)
            ).json()
        assert refused["msg"] == f"model: must be one of {', '.join(project_models())}, got {NEW}"
    finally:
        project.state.segue.close()


def test_preflight_follows_the_new_model(spec_dir: Path, tmp_path: Path) -> None:
    bundled = tmp_path / "kie.json"
    write_json(bundled, load_bundle(spec_dir / "kie.openapi.yaml"))
    validate_request("kie", "extendMusic", extend_body("e231"), spec=bundled)
    too_long = extend_body("e231", prompt="p" * (EXTEND_LIMITS["prompt"] + 1))
    with pytest.raises(PreflightError) as raised:
        validate_request("kie", "extendMusic", too_long, spec=bundled)
    assert str(EXTEND_LIMITS["prompt"]) in str(raised.value)
    with pytest.raises(PreflightError) as unknown:
        validate_request("kie", "extendMusic", extend_body("e231"))  # the project's bundle
    assert NEW in str(unknown.value)
