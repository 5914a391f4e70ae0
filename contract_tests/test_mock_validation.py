"""Request validation: documented answers, messages naming the field and rule, bad HTTP input.

Limits and messages are read from the spec here too, so these tests follow a spec change.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import spec_examples
from conftest import KEY_A
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from segue import paths, speclib
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import SyncASGITransport, bearer, request_example
from starlette.applications import Starlette

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")
KIE_MODELS = KIE.document["components"]["schemas"]["Model"]["enum"]  # a new model needs no edit
CALLBACK = "https://api.example.com/callback"  # refused: never called


def answer_body(
    spec: Any, operation_id: str, *, rule: str | None = None, invalid: str | None = None
) -> Any:
    """What the spec file documents (by example, not through the mock's lookup)."""
    return spec_examples.answer(spec.vendor, operation_id, rule=rule, invalid=invalid)


def model_limits(spec: Any, schema: str, field: str) -> dict[str, int]:
    """{model: maxLength of `field`}, from the `if model const … then` branches of a schema."""
    limits = {}
    for branch in spec.document["components"]["schemas"][schema]["allOf"]:
        const = branch["if"]["properties"]["model"].get("const")
        limit = branch["then"]["properties"].get(field, {}).get("maxLength")
        if const and limit:
            limits[const] = limit
    return limits


def kie_generate_and_finish(api: httpx.Client, model: str) -> str:
    body = {
        **request_example(KIE, "generateMusic", "simple"),
        "model": model,
        "callBackUrl": CALLBACK,
    }
    task_id = api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["data"][
        "taskId"
    ]
    api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
    details = api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
    ).json()
    return str(details["data"]["response"]["sunoData"][0]["id"])


# ---------------------------------------------------------------------------- KIE


def test_kie_invalid_request_is_http_200_with_code_422_naming_field_and_rule(
    mock_api: httpx.Client,
) -> None:
    body = {
        **request_example(KIE, "generateMusic", "customVocal"),
        "callBackUrl": CALLBACK,
        "style": "s" * 201,
    }
    response = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    documented = answer_body(KIE, "generateMusic", rule="validation-failed")
    assert response.status_code == 200
    assert response.json() == {
        **documented,
        "msg": "style: 201 characters, at most 200 allowed for customMode true, model V4",
    }
    assert KIE.response_errors("generateMusic", 200, response.json()) == []


def test_kie_http_errors_setting_sets_the_http_status_to_the_code(
    mock_api: httpx.Client, mock_app: Starlette
) -> None:
    mock_app.state.segue.update_settings(http_errors=True)
    response = mock_api.post("/api/v1/generate", json={"customMode": True}, headers=bearer(KEY_A))
    assert response.status_code == 422
    assert response.json()["code"] == 422
    assert KIE.response_errors("generateMusic", 422, response.json()) == []
    unauthorized = mock_api.post("/api/v1/generate", json={}, headers=bearer("nobody"))
    assert (unauthorized.status_code, unauthorized.json()) == (
        401,
        answer_body(KIE, "generateMusic", rule="unauthorized"),
    )


def test_kie_missing_callbackurl_answers_the_documented_message(mock_api: httpx.Client) -> None:
    body = request_example(KIE, "extendMusic", "custom")
    del body["callBackUrl"]
    body["title"] = "t" * 500  # another failure too: the property with its own answer wins
    response = mock_api.post("/api/v1/generate/extend", json=body, headers=bearer(KEY_A))
    assert response.json() == answer_body(KIE, "extendMusic", invalid="callBackUrl")
    # Documented for a missing callBackUrl only (only-when: absent, DECISIONS X-9): a present but
    # invalid one gets the validation answer naming it.
    bad_url = {**request_example(KIE, "generateMusic", "simple"), "callBackUrl": "not a url"}
    answer = mock_api.post("/api/v1/generate", json=bad_url, headers=bearer(KEY_A)).json()
    assert answer["code"] == answer_body(KIE, "generateMusic", rule="validation-failed")["code"]
    assert answer["msg"].startswith("callBackUrl: ")


@pytest.mark.parametrize("field", ["title", "style", "prompt"])
def test_kie_extend_limits_per_model_at_limit_and_limit_plus_one(
    mock_client: httpx.Client, field: str
) -> None:
    limits = model_limits(KIE, "ExtensionCustomModeLimits", field)
    assert set(limits) == set(KIE.enum("Model"))  # every model has its limit
    for model, limit in limits.items():
        audio_id = kie_generate_and_finish(mock_client, model)
        body = {
            **request_example(KIE, "extendMusic", "custom"),
            "audioId": audio_id,
            "model": model,
            "callBackUrl": CALLBACK,
        }
        body.pop("personaId")
        at_limit = mock_client.post(
            "/api/v1/generate/extend", json={**body, field: "x" * limit}, headers=bearer(KEY_A)
        )
        assert at_limit.json()["code"] == 200, (model, at_limit.json())
        over = mock_client.post(
            "/api/v1/generate/extend",
            json={**body, field: "x" * (limit + 1)},
            headers=bearer(KEY_A),
        )
        assert over.json()["msg"] == (
            f"{field}: {limit + 1} characters, at most {limit} allowed"
            f" for defaultParamFlag true, model {model}"
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"continueAt": 0}, "continueAt: must be above 0, got 0 for defaultParamFlag true"),
        ({"styleWeight": 1.5}, "styleWeight: must be at most 1, got 1.5"),
        ({"audioWeight": 0.655}, "audioWeight: must be a multiple of 0.01, got 0.655"),
        ({"vocalGender": "x"}, "vocalGender: must be one of m, f, got x"),
        ({"model": "V9"}, f"model: must be one of {', '.join(KIE_MODELS)}, got V9"),
        ({"defaultParamFlag": "yes"}, "defaultParamFlag: must be of type boolean, not string"),
        ({"audioId": None}, "audioId: must be of type string, not null"),
        ({"prompt": None, "title": None}, "prompt: is required for defaultParamFlag true"),
    ],
)
def test_kie_messages_name_the_field_and_the_rule(
    mock_client: httpx.Client, change: dict[str, Any], message: str
) -> None:
    body = {**request_example(KIE, "extendMusic", "custom"), "callBackUrl": CALLBACK}
    body.update({k: v for k, v in change.items() if v is not None})
    for key in [k for k, v in change.items() if v is None and k != "audioId"]:
        del body[key]
    if change.get("audioId", 1) is None:
        body["audioId"] = None
    assert (
        mock_client.post("/api/v1/generate/extend", json=body, headers=bearer(KEY_A)).json()["msg"]
        == message
    )


def test_kie_record_info_without_task_id_is_a_validation_failure(mock_api: httpx.Client) -> None:
    response = mock_api.get("/api/v1/generate/record-info", headers=bearer(KEY_A))
    assert response.json() == {
        **answer_body(KIE, "getMusicTaskDetails", rule="validation-failed"),
        "msg": "taskId: is required",
    }
    empty = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": ""}, headers=bearer(KEY_A)
    )
    assert empty.json()["msg"] == "taskId: 0 characters, at least 1 required"


# ---------------------------------------------------------------------------- Udio


def test_udio_extend_audio_index_failures_answer_the_exact_documented_message(
    mock_api: httpx.Client,
) -> None:
    documented = answer_body(UDIO, "extendSong", invalid="extend_audio_index")
    for body in (
        {"origin_task_id": "gen1bksv"},
        {"origin_task_id": "gen1bksv", "extend_audio_index": 2},
        {"origin_task_id": "x", "extend_audio_index": "0"},
    ):
        response = mock_api.post("/api/v2/extend", json=body, headers=bearer(KEY_A))
        assert (response.status_code, response.json()) == (documented["code"], documented)


def test_udio_validation_failures_use_the_documented_envelope_and_http_status(
    mock_api: httpx.Client,
) -> None:
    one_of = "body: send exactly one of gpt_description_prompt or prompt"
    cases = [
        ("generateSong", {}, f"{one_of} (none given)"),
        (
            "generateSong",
            {"prompt": "a", "gpt_description_prompt": "b"},
            f"{one_of} (gpt_description_prompt and prompt given)",
        ),
        (
            "generateSong",
            {"prompt": "p" * 3001},
            "prompt: 3001 characters, at most 3000 allowed for model chirp-v3-5",
        ),
        (
            "generateSong",
            {"prompt": "p", "model": "chirp-v4-0", "style": "s" * 201},
            "style: 201 characters, at most 200 allowed for model chirp-v4-0",
        ),
        (
            "generateSong",
            {"prompt": "p", "gender": "x"},
            "gender: must be one of male, female, got x",
        ),
        (
            "extendSong",
            {"origin_task_id": "g", "extend_audio_index": 0, "custom_mode": True},
            "prompt: is required for custom_mode true",
        ),
    ]
    for operation_id, body, message in cases:
        response = mock_api.post(
            UDIO.operations[operation_id].full_path, json=body, headers=bearer(KEY_A)
        )
        documented = answer_body(UDIO, operation_id, rule="validation-failed")
        assert response.status_code == documented["code"]
        assert response.json() == {**documented, "message": message}
        assert UDIO.response_errors(operation_id, response.status_code, response.json()) == []
    feed = mock_api.get("/api/v2/feed", headers=bearer(KEY_A))
    assert feed.json() == {
        **answer_body(UDIO, "getFeed", rule="validation-failed"),
        "message": "workId: is required",
    }


def test_udio_v4_5_prompt_limit_is_5000(mock_client: httpx.Client) -> None:
    ok = mock_client.post(
        "/api/v2/generate",
        json={"prompt": "p" * 5000, "model": "chirp-v4-5"},
        headers=bearer(KEY_A),
    )
    assert ok.status_code == 200
    over = mock_client.post(
        "/api/v2/generate",
        json={"prompt": "p" * 5001, "model": "chirp-v4-5"},
        headers=bearer(KEY_A),
    )
    assert (
        over.json()["message"]
        == "prompt: 5001 characters, at most 5000 allowed for model chirp-v4-5"
    )


# ---------------------------------------------------------------------------- bad HTTP input


@pytest.mark.parametrize(
    ("content", "content_type", "fragment"),
    [
        (b'{"customMode": tru', "application/json", "body: malformed JSON"),
        (b"", "application/json", "body: is required"),
        (b'{"a": NaN}', "application/json", "body: malformed JSON"),
        (b"\xff\xfe", "application/json", "body: malformed JSON"),
        (
            b"customMode=true",
            "application/x-www-form-urlencoded",
            "body: Content-Type must be application/json",
        ),
        (b"{}", "", "body: Content-Type must be application/json, not missing"),
        (b"[1, 2]", "application/json", "body: must be of type object, not array"),
        (
            b'"' + b"x" * (1024 * 1024 + 10) + b'"',
            "application/json",
            "bytes, at most 1048576 allowed",
        ),
    ],
)
def test_bad_bodies_get_the_vendor_envelope_never_a_500(
    mock_api: httpx.Client, content: bytes, content_type: str, fragment: str
) -> None:
    headers = {"Authorization": f"Bearer {KEY_A}"} | (
        {"Content-Type": content_type} if content_type else {}
    )
    kie = mock_api.post("/api/v1/generate", content=content, headers=headers)
    assert kie.status_code == 200 and kie.json()["code"] == 422 and fragment in kie.json()["msg"], (
        kie.text
    )
    assert kie.headers["content-type"] == "application/json"
    udio = mock_api.post("/api/v2/generate", content=content, headers=headers)
    assert udio.status_code == 400 and fragment in udio.json()["message"], udio.text


def test_integers_beyond_64_bits_keep_their_exact_value(mock_api: httpx.Client) -> None:
    """The mock reads and writes JSON with orjson, which would turn such an integer into a float
    or refuse to write it: the body's value comes back exact, in the Udio feed's request_body."""
    huge = 123456789012345678901234567890
    content = b'{"gpt_description_prompt": "a pop song", "note": %d}' % huge
    headers = {"Authorization": f"Bearer {KEY_A}", "Content-Type": "application/json"}
    created = mock_api.post("/api/v2/generate", content=content, headers=headers)
    assert created.status_code == 200, created.text
    feed = mock_api.get(
        "/api/v2/feed", params={"workId": created.json()["workId"]}, headers=headers
    )
    assert feed.status_code == 200, feed.text
    assert json.loads(feed.content)["data"]["request_body"]["note"] == huge


def test_oversized_body_without_content_length_is_refused_while_streaming(
    mock_client: httpx.Client,
) -> None:
    def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    response = mock_client.post("/api/v2/generate", content=chunks(), headers=bearer(KEY_A))
    assert response.status_code == 400
    assert response.json()["message"] == "body: more than 1048576 bytes, at most 1048576 allowed"


@pytest.mark.parametrize(
    ("method", "path", "vendor"),
    [
        ("GET", "/api/v1/nothing-here", "kie"),
        ("DELETE", "/api/v1/generate", "kie"),
        ("GET", "/api/v1/generate/extend", "kie"),
        ("POST", "/api/v2/unknown", "udio"),
        ("PUT", "/api/v2/feed", "udio"),
        ("GET", "/", "kie"),
    ],
)
def test_unknown_path_or_method_answers_404_in_the_vendor_envelope(
    mock_api: httpx.Client, method: str, path: str, vendor: str
) -> None:
    response = mock_api.request(method, path, headers=bearer(KEY_A))
    body = response.json()
    if vendor == "kie":
        assert response.status_code == 200 and body["code"] == 404 and body["data"] is None
        assert KIE.schema_errors("/components/schemas/ErrorResponse", body) == []
    else:
        assert response.status_code == 404 and body["code"] == 404
        assert UDIO.schema_errors("/components/schemas/ErrorResponse", body) == []
    assert path in body.get("msg", body.get("message"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "customMode",
        "instrumental",
        "model",
        "prompt",
        "defaultParamFlag",
        "audioId",
        "continueAt",
        "origin_task_id",
        "extend_audio_index",
        "custom_mode",
        "uploadUrl",
    ]
)
BODIES = JSON | st.dictionaries(FIELDS, JSON, max_size=6)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=BODIES,
    operation=st.sampled_from(
        ["generateMusic", "extendMusic", "uploadAndExtendAudio", "generateSong", "extendSong"]
    ),
)
def test_any_json_body_gets_a_documented_shape_never_a_500(
    mock_client: httpx.Client, body: Any, operation: str
) -> None:
    spec = KIE if operation in KIE.operations else UDIO
    response = mock_client.post(
        spec.operations[operation].full_path, content=json.dumps(body), headers=bearer(KEY_A)
    )
    assert response.status_code in (200, 400), response.text
    assert spec.response_errors(operation, response.status_code, response.json()) == []


# ---------------------------------------------------------------------------- the spec drives it


def test_spec_dir_changes_the_mock_without_code_edits(tmp_path: Path) -> None:
    for vendor in paths.VENDORS:
        shutil.copy(paths.spec_path(vendor), tmp_path)
    kie = speclib.load_spec(tmp_path / "kie.openapi.yaml")
    changed = set_title_limits(kie["components"]["schemas"], 12)
    assert changed, "the spec has no title maxLength to change"
    kie["components"]["examples"]["Unauthorized"]["value"]["msg"] = "Key? What key?"
    (tmp_path / "kie.openapi.yaml").write_text(json.dumps(kie))  # JSON is YAML

    body = {
        **request_example(KIE, "generateMusic", "customInstrumental"),
        "title": "Thirteen char",
        "callBackUrl": CALLBACK,
    }
    answers = {}
    for label, spec_dir in (("project", None), ("changed", tmp_path)):
        app = create_app(MockConfig(api_keys=(KEY_A,), clock=FakeClock(), spec_dir=spec_dir))
        try:
            with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
                created = api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()
                refused = api.post("/api/v1/generate", json=body, headers=bearer("wrong")).json()
                answers[label] = (created.get("msg"), refused["msg"])
        finally:
            app.state.segue.close()
    assert answers["project"] == (
        "success",
        answer_body(KIE, "generateMusic", rule="unauthorized")["msg"],
    )
    assert answers["changed"][0].startswith("title: 13 characters, at most 12 allowed")
    assert answers["changed"][1] == "Key? What key?"


def set_title_limits(node: Any, limit: int) -> int:
    """Set every `properties.title.maxLength` below `node` to `limit`; how many were set."""
    count = 0
    if isinstance(node, dict):
        title = (
            node.get("properties", {}).get("title")
            if isinstance(node.get("properties"), dict)
            else None
        )
        if isinstance(title, dict) and "maxLength" in title:
            title["maxLength"] = limit
            count += 1
        count += sum(set_title_limits(value, limit) for value in node.values())
    elif isinstance(node, list):
        count += sum(set_title_limits(value, limit) for value in node)
    return count
