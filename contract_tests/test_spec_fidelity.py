"""Issue 8's three cases, served by the mock as the vendors serve them (ASGI and real HTTP).

1. The vendor-published Udio client sends `"model": "chirp-v5-5"` by default (generate, and
   extend too, where the field is simply not used); KIE's newest model is `V5_5`.
2. A published KIE client, in inherit mode (`defaultParamFlag: false`), sends `continueAt: 0`
   and empty `prompt`, `style` and `title`: custom-mode fields the inherit mode does not use.
3. The vendor's own record-info example has no `operationType`: a poll answer without it is a
   valid answer, and the generated client parses it.

Each case first asks the spec whether the request is valid, so a failure here means the mock
disagrees with the spec; the models come from the spec's `Model` enum, not from this file.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import KEY_A
from segue.contract.oracle import load_oracle
from segue.mock.testing import bearer

CALLBACK = "https://api.example.com/callback"


def newest_model(vendor: str) -> str:
    """The last member of the spec's `Model` enum: the newest model (V5_5, chirp-v5-5)."""
    return str(load_oracle(vendor).component_enum("Model")[-1])


def assert_valid(vendor: str, operation_id: str, body: dict[str, Any]) -> None:
    oracle = load_oracle(vendor)
    pointer = oracle.operations[operation_id].body_pointer
    assert pointer is not None
    assert oracle.errors(pointer, body) == [], "test bug: the spec rejects this request"


def finished_kie_clip(api: httpx.Client, model: str) -> tuple[str, str, float]:
    """A generated clip of `model`: its task id, its id and duration (the task run to the end)."""
    body = {
        "customMode": False,
        "instrumental": False,
        "prompt": "A calm piano track",
        "model": model,
        "callBackUrl": CALLBACK,
    }
    assert_valid("kie", "generateMusic", body)
    created = api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()
    assert created["code"] == 200, created
    task_id = created["data"]["taskId"]
    api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
    details = poll_kie(api, task_id)
    clip = details["data"]["response"]["sunoData"][0]
    return task_id, str(clip["id"]), float(clip["duration"])


def poll_kie(api: httpx.Client, task_id: str) -> dict[str, Any]:
    answer = api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
    ).json()
    assert answer["code"] == 200, answer
    return dict(answer)


# --------------------------------------------------------------------------- case 1: new models


def test_udio_generate_and_extend_with_the_vendor_clients_default_model(
    mock_api: httpx.Client,
) -> None:
    model = newest_model("udio")
    assert model == "chirp-v5-5", "the vendor client's default is the spec's newest model"
    generate = {"gpt_description_prompt": "An upbeat pop song about summer", "model": model}
    assert_valid("udio", "generateSong", generate)
    created = mock_api.post("/api/v2/generate", json=generate, headers=bearer(KEY_A))
    assert created.status_code == 200, created.text
    work_id = created.json()["workId"]
    mock_api.post(f"/_segue/tasks/{work_id}/advance", json={"to_end": True})
    feed = mock_api.get("/api/v2/feed", params={"workId": work_id}, headers=bearer(KEY_A)).json()
    assert {clip["model_name"] for clip in feed["data"]["response_data"]} == {model}
    extend = {"origin_task_id": work_id, "extend_audio_index": 1, "model": model}
    assert_valid("udio", "extendSong", extend)
    extended = mock_api.post("/api/v2/extend", json=extend, headers=bearer(KEY_A))
    assert extended.status_code == 200, extended.text


def test_kie_generate_and_extend_with_the_newest_model(mock_api: httpx.Client) -> None:
    model = newest_model("kie")
    _, audio_id, duration = finished_kie_clip(mock_api, model)
    extend = {
        "defaultParamFlag": True,
        "audioId": audio_id,
        "prompt": "Continue with a gentle bridge",
        "style": "Classical",
        "title": "x" * 100,  # V5_5 has V5's 100-character extension title (DECISIONS K-1)
        "continueAt": min(60.0, duration / 2),
        "model": model,
        "callBackUrl": CALLBACK,
    }
    assert_valid("kie", "extendMusic", extend)
    answer = mock_api.post("/api/v1/generate/extend", json=extend, headers=bearer(KEY_A)).json()
    assert answer["code"] == 200, answer


# --------------------------------------------------------------------------- case 2: inherit mode


def test_kie_inherit_mode_accepts_unused_custom_fields_whatever_their_value(
    mock_api: httpx.Client,
) -> None:
    _, audio_id, _ = finished_kie_clip(mock_api, "V4")
    body = {
        "defaultParamFlag": False,
        "audioId": audio_id,
        "continueAt": 0,
        "prompt": "",
        "style": "",
        "title": "",
        "model": "V4",
        "callBackUrl": CALLBACK,
    }
    assert_valid("kie", "extendMusic", body)
    answer = mock_api.post("/api/v1/generate/extend", json=body, headers=bearer(KEY_A)).json()
    assert answer["code"] == 200, answer
    details = poll_kie(mock_api, answer["data"]["taskId"])
    assert details["data"]["parentMusicId"] == audio_id


@pytest.mark.parametrize("continue_at", [0, 100_000])
def test_kie_upload_extend_inherit_mode_ignores_continue_at(
    mock_api: httpx.Client, continue_at: int
) -> None:
    """Neither the schema's `0 < continueAt` nor the state rule "below the audio's duration"
    applies in inherit mode: both are custom-mode rules."""
    body = {
        "uploadUrl": "https://storage.example.com/upload.mp3",
        "defaultParamFlag": False,
        "prompt": "Continue with a gentle bridge",
        "continueAt": continue_at,
        "style": "",
        "title": "",
        "model": "V4",
        "callBackUrl": CALLBACK,
    }
    assert_valid("kie", "uploadAndExtendAudio", body)
    answer = mock_api.post(
        "/api/v1/generate/upload-extend", json=body, headers=bearer(KEY_A)
    ).json()
    assert answer["code"] == 200, answer


def test_kie_extend_inherit_mode_ignores_continue_at_beyond_the_source(
    mock_api: httpx.Client,
) -> None:
    _, audio_id, duration = finished_kie_clip(mock_api, "V4")
    body = {
        "defaultParamFlag": False,
        "audioId": audio_id,
        "continueAt": duration + 1000,
        "model": "V4",
        "callBackUrl": CALLBACK,
    }
    answer = mock_api.post("/api/v1/generate/extend", json=body, headers=bearer(KEY_A)).json()
    assert answer["code"] == 200, answer


def test_kie_custom_mode_still_refuses_continue_at_zero(mock_api: httpx.Client) -> None:
    """The rule moved to the mode it holds in; it did not disappear."""
    _, audio_id, _ = finished_kie_clip(mock_api, "V4")
    body = {
        "defaultParamFlag": True,
        "audioId": audio_id,
        "prompt": "Continue",
        "style": "Classical",
        "title": "Extended",
        "continueAt": 0,
        "model": "V4",
        "callBackUrl": CALLBACK,
    }
    answer = mock_api.post("/api/v1/generate/extend", json=body, headers=bearer(KEY_A)).json()
    validation = load_oracle("kie").answer(
        load_oracle("kie").operations["extendMusic"], rule="validation-failed"
    )
    assert validation is not None
    assert answer["code"] == validation.code and "continueAt" in answer["msg"], answer


def test_udio_inherit_extend_accepts_extension_start_time_zero(mock_api: httpx.Client) -> None:
    generate = {"gpt_description_prompt": "An upbeat pop song about summer"}
    work_id = mock_api.post("/api/v2/generate", json=generate, headers=bearer(KEY_A)).json()[
        "workId"
    ]
    mock_api.post(f"/_segue/tasks/{work_id}/advance", json={"to_end": True})
    body = {
        "origin_task_id": work_id,
        "extend_audio_index": 0,
        "custom_mode": False,
        "extensionStartTime": 0,
        "prompt": "",
    }
    assert_valid("udio", "extendSong", body)
    answer = mock_api.post("/api/v2/extend", json=body, headers=bearer(KEY_A))
    assert answer.status_code == 200, answer.text


# --------------------------------------------------------------------------- case 3: poll answer


def test_record_info_without_operation_type_is_a_valid_answer_the_client_parses(
    mock_api: httpx.Client,
) -> None:
    """The mock's own poll answer, with `operationType` taken out as in the vendor's example,
    still validates, and kie_client parses it over HTTP."""
    from kie_client import Client
    from kie_client.api.tasks import get_music_task_details

    task_id, _, _ = finished_kie_clip(mock_api, "V4")
    answer = poll_kie(mock_api, task_id)
    del answer["data"]["operationType"]
    oracle = load_oracle("kie")
    pointer = "/components/schemas/TaskDetailsResponse"
    assert oracle.errors(pointer, answer) == []
    client = Client(base_url="https://api.kie.ai")
    client.set_httpx_client(
        httpx.Client(
            base_url="https://api.kie.ai",
            transport=httpx.MockTransport(lambda request: httpx.Response(200, json=answer)),
        )
    )
    parsed = get_music_task_details.sync(client=client, task_id=answer["data"]["taskId"])
    assert json.loads(json.dumps(parsed.to_dict()))["data"]["status"] == "SUCCESS"  # type: ignore[union-attr]
