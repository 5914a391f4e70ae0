"""Rules that need state, keys, credits and rate limits: each answers its documented example."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import spec_examples
from conftest import KEY_A, KEY_B
from segue.mock import FakeClock
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import bearer, request_example
from starlette.applications import Starlette

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")
CALLBACK = "https://api.example.com/callback"  # refused: never called


def documented(spec: Any, operation_id: str, rule: str) -> Any:
    """What the spec file documents (by example, not through the mock's lookup)."""
    return spec_examples.answer(spec.vendor, operation_id, rule=rule)


def generate(
    api: httpx.Client, key: str = KEY_A, model: str = "V4", finish: bool = True
) -> tuple[str, list[dict[str, Any]]]:
    body = {
        **request_example(KIE, "generateMusic", "simple"),
        "model": model,
        "callBackUrl": CALLBACK,
    }
    task_id = api.post("/api/v1/generate", json=body, headers=bearer(key)).json()["data"]["taskId"]
    if finish:
        api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
    data = api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(key)
    ).json()["data"]
    return task_id, (data["response"] or {}).get("sunoData", [])


def extend_body(audio_id: str, model: str = "V4", **changes: Any) -> dict[str, Any]:
    return {
        **request_example(KIE, "extendMusic", "custom"),
        "audioId": audio_id,
        "model": model,
        "callBackUrl": CALLBACK,
        **changes,
    }


def udio_generate(api: httpx.Client, key: str = KEY_A, finish: bool = True) -> str:
    work_id = str(
        api.post("/api/v2/generate", json={"prompt": "la"}, headers=bearer(key)).json()["workId"]
    )
    if finish:
        api.post(f"/_segue/tasks/{work_id}/advance", json={"to_end": True})
    return work_id


# ---------------------------------------------------------------------------- auth


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": f"Basic {KEY_A}"},
        {"Authorization": "Bearer"},
    ],
)
def test_missing_or_unknown_key_is_401_in_each_vendor_form(
    mock_api: httpx.Client, headers: dict[str, str]
) -> None:
    kie = mock_api.post("/api/v1/generate", json={}, headers=headers)
    assert (kie.status_code, kie.json()) == (200, documented(KIE, "generateMusic", "unauthorized"))
    poll = mock_api.get("/api/v1/generate/record-info", params={"taskId": "x"}, headers=headers)
    assert poll.json() == documented(KIE, "getMusicTaskDetails", "unauthorized")
    udio = mock_api.get("/api/v2/feed", params={"workId": "x"}, headers=headers)
    assert (udio.status_code, udio.json()) == (401, documented(UDIO, "getFeed", "unauthorized"))


def test_bearer_scheme_is_case_insensitive(mock_api: httpx.Client) -> None:
    response = mock_api.get(
        "/api/v2/feed", params={"workId": "x"}, headers={"Authorization": f"bearer {KEY_A}"}
    )
    assert response.status_code == 404  # authenticated; the work does not exist


# ---------------------------------------------------------------------------- KIE stateful rules


def test_extend_of_an_unknown_clip_is_audio_not_found(mock_api: httpx.Client) -> None:
    response = mock_api.post(
        "/api/v1/generate/extend", json=extend_body("no-such-clip"), headers=bearer(KEY_A)
    )
    assert response.json() == documented(KIE, "extendMusic", "audio-not-found")


def test_extend_of_a_clip_not_generated_yet_is_audio_not_found(
    mock_api: httpx.Client, mock_app: Starlette
) -> None:
    task_id, _ = generate(mock_api, finish=False)
    second_clip = mock_app.state.segue.task(task_id).clips[1].id
    mock_api.post(
        f"/_segue/tasks/{task_id}/advance", json={"stages": 2}
    )  # FIRST_SUCCESS: clip 0 only
    response = mock_api.post(
        "/api/v1/generate/extend", json=extend_body(second_clip), headers=bearer(KEY_A)
    )
    assert response.json() == documented(KIE, "extendMusic", "audio-not-found")


def test_extend_with_another_model_is_model_mismatch(mock_api: httpx.Client) -> None:
    _, clips = generate(mock_api, model="V4")
    response = mock_api.post(
        "/api/v1/generate/extend",
        json=extend_body(clips[0]["id"], model="V5"),
        headers=bearer(KEY_A),
    )
    assert response.json() == documented(KIE, "extendMusic", "model-mismatch")


def test_continue_at_must_be_below_the_source_duration(mock_api: httpx.Client) -> None:
    _, clips = generate(mock_api)
    duration = clips[0]["duration"]
    at_end = mock_api.post(
        "/api/v1/generate/extend",
        json=extend_body(clips[0]["id"], continueAt=duration),
        headers=bearer(KEY_A),
    )
    assert at_end.json() == documented(KIE, "extendMusic", "continue-at-beyond-duration")
    inside = mock_api.post(
        "/api/v1/generate/extend",
        json=extend_body(clips[0]["id"], continueAt=duration - 0.01),
        headers=bearer(KEY_A),
    )
    assert inside.json()["code"] == 200
    inherit = {
        **request_example(KIE, "extendMusic", "inherit"),
        "audioId": clips[0]["id"],
        "callBackUrl": CALLBACK,
    }
    assert (
        mock_api.post("/api/v1/generate/extend", json=inherit, headers=bearer(KEY_A)).json()["code"]
        == 200
    )


def test_upload_extend_checks_continue_at_against_the_invented_upload_duration(
    mock_api: httpx.Client, mock_app: Starlette
) -> None:
    upload_seconds = mock_app.state.segue.settings.upload_duration
    body = {**request_example(KIE, "uploadAndExtendAudio", "customVocal"), "callBackUrl": CALLBACK}
    over = mock_api.post(
        "/api/v1/generate/upload-extend",
        json={**body, "continueAt": upload_seconds},
        headers=bearer(KEY_A),
    )
    assert over.json() == documented(KIE, "uploadAndExtendAudio", "continue-at-beyond-duration")
    ok = mock_api.post(
        "/api/v1/generate/upload-extend",
        json={**body, "continueAt": upload_seconds - 1},
        headers=bearer(KEY_A),
    )
    assert ok.json()["code"] == 200
    task = mock_app.state.segue.task(ok.json()["data"]["taskId"])
    assert task.upload_url == body["uploadUrl"]


def test_unknown_task_is_task_not_found(mock_api: httpx.Client) -> None:
    response = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": "nope"}, headers=bearer(KEY_A)
    )
    assert response.json() == documented(KIE, "getMusicTaskDetails", "task-not-found")


# ---------------------------------------------------------------------------- Udio stateful rules


def test_udio_origin_must_exist_and_be_complete(mock_api: httpx.Client) -> None:
    unknown = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": "gen0bksv", "extend_audio_index": 0},
        headers=bearer(KEY_A),
    )
    assert (unknown.status_code, unknown.json()) == (
        400,
        documented(UDIO, "extendSong", "origin-not-found"),
    )
    running = udio_generate(mock_api, finish=False)
    mock_api.post(f"/_segue/tasks/{running}/advance", json={"stages": 2})
    early = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": running, "extend_audio_index": 0},
        headers=bearer(KEY_A),
    )
    assert (early.status_code, early.json()) == (
        400,
        documented(UDIO, "extendSong", "origin-not-complete"),
    )
    mock_api.post(f"/_segue/tasks/{running}/advance", json={})
    done = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": running, "extend_audio_index": 1},
        headers=bearer(KEY_A),
    )
    assert done.status_code == 200, done.text


def test_udio_extension_can_itself_be_extended_once_complete(mock_api: httpx.Client) -> None:
    origin = udio_generate(mock_api)
    extension = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": origin, "extend_audio_index": 0},
        headers=bearer(KEY_A),
    ).json()["workId"]
    mock_api.post(f"/_segue/tasks/{extension}/advance", json={"to_end": True})
    again = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": extension, "extend_audio_index": 0},
        headers=bearer(KEY_A),
    )
    assert again.status_code == 200


def test_udio_unknown_work_is_work_not_found(mock_api: httpx.Client) -> None:
    response = mock_api.get("/api/v2/feed", params={"workId": "gen0bksv"}, headers=bearer(KEY_A))
    assert (response.status_code, response.json()) == (
        404,
        documented(UDIO, "getFeed", "work-not-found"),
    )


def test_udio_ids_are_not_kie_ids(mock_api: httpx.Client) -> None:
    kie_task, _ = generate(mock_api)
    response = mock_api.get("/api/v2/feed", params={"workId": kie_task}, headers=bearer(KEY_A))
    assert response.status_code == 404
    work = udio_generate(mock_api)
    assert (
        mock_api.get(
            "/api/v1/generate/record-info", params={"taskId": work}, headers=bearer(KEY_A)
        ).json()["code"]
        == 404
    )


# ---------------------------------------------------------------------------- per-key isolation


def test_each_key_sees_only_its_own_tasks_and_clips(mock_api: httpx.Client) -> None:
    task_id, clips = generate(mock_api, key=KEY_A)
    other_poll = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_B)
    )
    assert other_poll.json() == documented(KIE, "getMusicTaskDetails", "task-not-found")
    other_extend = mock_api.post(
        "/api/v1/generate/extend", json=extend_body(clips[0]["id"]), headers=bearer(KEY_B)
    )
    assert other_extend.json() == documented(KIE, "extendMusic", "audio-not-found")
    work = udio_generate(mock_api, key=KEY_A)
    assert (
        mock_api.get("/api/v2/feed", params={"workId": work}, headers=bearer(KEY_B)).status_code
        == 404
    )
    stolen = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": work, "extend_audio_index": 0},
        headers=bearer(KEY_B),
    )
    assert stolen.json() == documented(UDIO, "extendSong", "origin-not-found")
    assert [t["id"] for t in mock_api.get("/_segue/tasks", params={"key": KEY_B}).json()] == []


# ---------------------------------------------------------------------------- credits, rate limit


def test_credits_run_out_with_402_per_key(mock_api: httpx.Client) -> None:
    assert mock_api.post("/_segue/keys", json={"key": KEY_A, "credits": 2}).json() == {
        "key": KEY_A,
        "credits": 2,
    }
    generate(mock_api, finish=False)
    udio_generate(mock_api, finish=False)
    body = {**request_example(KIE, "generateMusic", "simple"), "callBackUrl": CALLBACK}
    broke = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    assert broke.json() == documented(KIE, "generateMusic", "insufficient-credits")
    udio = mock_api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(KEY_A))
    assert (udio.status_code, udio.json()) == (
        402,
        documented(UDIO, "generateSong", "insufficient-credits"),
    )
    assert mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_B)).json()["code"] == 200
    keys = {
        k["key"]: k["credits"]
        for k in mock_api.get("/_segue/keys", params={"reveal": "true"}).json()
    }
    assert keys[KEY_A] == 0 and keys[KEY_B] == 999


def test_a_refused_create_spends_no_credit(mock_api: httpx.Client) -> None:
    mock_api.post("/_segue/keys", json={"key": KEY_A, "credits": 1})
    mock_api.post(
        "/api/v1/generate/extend", json=extend_body("no-such-clip"), headers=bearer(KEY_A)
    )
    mock_api.post("/api/v1/generate", json={"customMode": True}, headers=bearer(KEY_A))
    assert generate(mock_api, finish=False)[0]


def test_rate_limit_20_creates_per_10_seconds_per_key_with_retry_after(
    mock_api: httpx.Client, fake_clock: FakeClock
) -> None:
    body = {**request_example(KIE, "generateMusic", "simple"), "callBackUrl": CALLBACK}
    codes = []
    for second in range(21):
        codes.append(
            mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["code"]
        )
        if second < 4:
            fake_clock.advance(1)  # the first four calls are spread over 4 seconds
    assert codes == [200] * 20 + [429]
    limited = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    assert limited.json() == documented(KIE, "generateMusic", "rate-limited")
    assert (
        limited.headers["Retry-After"] == "6"
    )  # the first call (t=0) leaves the window at t=10; now t=4
    assert (
        mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_B)).json()["code"] == 200
    )  # per key
    assert (
        mock_api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(KEY_A)).status_code
        == 200
    )  # per vendor
    fake_clock.advance(6)
    assert mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["code"] == 200
    assert mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["code"] == 429


def test_udio_rate_limit_answers_429_with_retry_after(mock_api: httpx.Client) -> None:
    mock_api.patch("/_segue/settings", json={"rate_limit": 1})
    assert (
        mock_api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(KEY_A)).status_code
        == 200
    )
    limited = mock_api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(KEY_A))
    assert (limited.status_code, limited.json()) == (
        429,
        documented(UDIO, "generateSong", "rate-limited"),
    )
    assert limited.headers["Retry-After"] == "10"


def test_reset_forgets_tasks_and_restores_credits(mock_api: httpx.Client) -> None:
    mock_api.post("/_segue/keys", json={"key": KEY_A, "credits": 1})
    task_id, _ = generate(mock_api)
    assert mock_api.post("/_segue/reset", json={}).json() == {"reset": True}
    assert (
        mock_api.get(
            "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
        ).json()["code"]
        == 404
    )
    assert {
        k["key"]: k["credits"]
        for k in mock_api.get("/_segue/keys", params={"reveal": "true"}).json()
    }[KEY_A] == 1000
    new_key = mock_api.post("/_segue/keys", json={}).json()["key"]
    assert generate(mock_api, key=new_key)[1]
