"""The mock's happy paths and task lifecycle, over ASGI and over real HTTP (`mock_api`).

Every body the mock answers is checked against the schema the spec documents for it.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import KEY_A
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import SyncASGITransport, bearer, request_example
from starlette.applications import Starlette

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")
PROGRESS = ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
# Not loopback: the mock refuses (and records) these callbacks, so no delivery can fail and turn
# a finished task into CALLBACK_EXCEPTION behind a test's back.
CALLBACK = "https://api.example.com/callback"


def kie_body(operation_id: str, name: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {**request_example(KIE, operation_id, name), "callBackUrl": CALLBACK, **overrides}


def udio_body(operation_id: str, name: str | None = None, **overrides: Any) -> dict[str, Any]:
    body = {**request_example(UDIO, operation_id, name), **overrides}
    body.pop("callback_url", None)
    return body


def expect_valid(spec: Any, operation_id: str, response: httpx.Response) -> Any:
    body = response.json()
    assert spec.response_errors(operation_id, response.status_code, body) == [], body
    return body


def kie_create(api: httpx.Client, operation_id: str, body: dict[str, Any], key: str = KEY_A) -> str:
    path = KIE.operations[operation_id].full_path
    answer = expect_valid(KIE, operation_id, api.post(path, json=body, headers=bearer(key)))
    assert answer["code"] == 200, answer
    return str(answer["data"]["taskId"])


def kie_details(api: httpx.Client, task_id: str, key: str = KEY_A) -> dict[str, Any]:
    response = api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(key)
    )
    return dict(expect_valid(KIE, "getMusicTaskDetails", response))


def udio_create(
    api: httpx.Client, operation_id: str, body: dict[str, Any], key: str = KEY_A
) -> str:
    path = UDIO.operations[operation_id].full_path
    response = api.post(path, json=body, headers=bearer(key))
    answer = expect_valid(UDIO, operation_id, response)
    assert response.status_code == 200, answer
    return str(answer["workId"])


def udio_feed(api: httpx.Client, work_id: str, key: str = KEY_A) -> dict[str, Any]:
    return dict(
        expect_valid(
            UDIO,
            "getFeed",
            api.get("/api/v2/feed", params={"workId": work_id}, headers=bearer(key)),
        )
    )


def finish(api: httpx.Client, task_id: str) -> None:
    assert api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True}).status_code == 200


# ---------------------------------------------------------------------------- happy paths


@pytest.mark.parametrize("example", ["customVocal", "customInstrumental", "simple"])
def test_kie_generate_creates_a_task_for_each_documented_example(
    mock_api: httpx.Client, example: str
) -> None:
    task_id = kie_create(mock_api, "generateMusic", kie_body("generateMusic", example))
    details = kie_details(mock_api, task_id)
    assert details["data"]["status"] == "PENDING"
    assert json.loads(details["data"]["param"]) == kie_body("generateMusic", example)


def test_kie_extend_and_upload_extend_continue_a_finished_clip(mock_api: httpx.Client) -> None:
    source = kie_create(
        mock_api, "generateMusic", kie_body("generateMusic", "simple", model="V4_5")
    )
    finish(mock_api, source)
    clips = kie_details(mock_api, source)["data"]["response"]["sunoData"]
    assert len(clips) == 2

    for name in ("custom", "inherit"):
        body = kie_body("extendMusic", name, audioId=clips[1]["id"], model="V4_5", continueAt=30)
        extension = kie_create(mock_api, "extendMusic", body)
        finish(mock_api, extension)
        data = kie_details(mock_api, extension)["data"]
        assert data["parentMusicId"] == clips[1]["id"]
        assert data["operationType"] == "extend"
        assert data["status"] == "SUCCESS"

    for name in ("customVocal", "customInstrumental", "inherit"):
        upload = kie_create(
            mock_api, "uploadAndExtendAudio", kie_body("uploadAndExtendAudio", name)
        )
        finish(mock_api, upload)
        data = kie_details(mock_api, upload)["data"]
        assert data["operationType"] == "upload_extend"
        assert data["parentMusicId"] == ""


def test_udio_generate_and_extend_for_each_documented_example(mock_api: httpx.Client) -> None:
    origins = [
        udio_create(mock_api, "generateSong", udio_body("generateSong", name))
        for name in ("inspiration", "custom")
    ]
    for origin in origins:
        assert origin.startswith("gen")
        finish(mock_api, origin)
        assert [c["status"] for c in udio_feed(mock_api, origin)["data"]["response_data"]] == [
            "complete",
            "complete",
        ]
    for name in ("inherit", "custom"):
        extension = udio_create(
            mock_api,
            "extendSong",
            udio_body("extendSong", name, origin_task_id=origins[0], extend_audio_index=1),
        )
        assert extension.startswith("ext")
        feed = udio_feed(mock_api, extension)
        assert feed["data"]["request_body"]["origin_task_id"] == origins[0]


def test_udio_generate_answers_data_task_id_and_extend_does_not(mock_api: httpx.Client) -> None:
    """As the spec's success examples show: the template is the example, with the new id."""
    generated = mock_api.post(
        "/api/v2/generate", json={"prompt": "la la"}, headers=bearer(KEY_A)
    ).json()
    assert generated["data"] == {"task_id": generated["workId"]}
    finish(mock_api, generated["workId"])
    extended = mock_api.post(
        "/api/v2/extend",
        json={"origin_task_id": generated["workId"], "extend_audio_index": 0},
        headers=bearer(KEY_A),
    ).json()
    assert "data" not in extended


# ---------------------------------------------------------------------------- lifecycle


def test_kie_lifecycle_by_time(
    mock_api: httpx.Client, mock_app: Starlette, fake_clock: FakeClock
) -> None:
    task_id = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple", model="V4"))
    seen = []
    for _ in range(5):
        data = kie_details(mock_api, task_id)["data"]
        seen.append((data["status"], len((data["response"] or {}).get("sunoData", []))))
        fake_clock.advance(mock_app.state.segue.settings.stage_seconds)
    assert seen == [
        ("PENDING", 0),
        ("TEXT_SUCCESS", 0),
        ("FIRST_SUCCESS", 1),
        ("SUCCESS", 2),
        ("SUCCESS", 2),
    ]
    clips = kie_details(mock_api, task_id)["data"]["response"]["sunoData"]
    assert all(120 <= clip["duration"] <= 240 for clip in clips)  # V4: up to 4 minutes
    assert {clip["modelName"] for clip in clips} == {"chirp-v4"}


def test_time_moves_a_task_less_than_a_stage_not_at_all(
    mock_api: httpx.Client, fake_clock: FakeClock
) -> None:
    task_id = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple"))
    fake_clock.advance(1.99)
    assert kie_details(mock_api, task_id)["data"]["status"] == "PENDING"
    fake_clock.advance(0.01)
    assert kie_details(mock_api, task_id)["data"]["status"] == "TEXT_SUCCESS"


def test_udio_lifecycle_by_time(mock_api: httpx.Client, fake_clock: FakeClock) -> None:
    work_id = udio_create(
        mock_api, "generateSong", {"prompt": "[Verse] hello", "model": "chirp-v4-5"}
    )
    seen = []
    for _ in range(4):
        data = udio_feed(mock_api, work_id)["data"]
        seen.append(
            (
                data["type"],
                [c["status"] for c in data["response_data"]],
                [c["duration"] for c in data["response_data"]].count(""),
            )
        )
        fake_clock.advance(2)
    assert seen == [
        ("IN_PROGRESS", [], 0),
        ("IN_PROGRESS", ["text", "text"], 2),
        ("IN_PROGRESS", ["first", "first"], 2),
        ("SUCCESS", ["complete", "complete"], 0),
    ]


@pytest.fixture
def polled_config(fake_clock: FakeClock) -> MockConfig:
    return MockConfig(api_keys=(KEY_A,), clock=fake_clock, stage_seconds=None, polls_per_stage=2)


def test_lifecycle_by_polls(polled_config: MockConfig) -> None:
    app = create_app(polled_config)
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            task_id = kie_create(api, "generateMusic", kie_body("generateMusic", "simple"))
            statuses = [kie_details(api, task_id)["data"]["status"] for _ in range(8)]
            work_id = udio_create(api, "generateSong", {"prompt": "x"})
            clip_status = [
                [c["status"] for c in udio_feed(api, work_id)["data"]["response_data"]][:1]
                for _ in range(7)
            ]
    finally:
        app.state.segue.close()
    assert (
        statuses == ["PENDING"] * 2 + ["TEXT_SUCCESS"] * 2 + ["FIRST_SUCCESS"] * 2 + ["SUCCESS"] * 2
    )
    assert clip_status == [[], [], ["text"], ["text"], ["first"], ["first"], ["complete"]]


def test_lifecycle_on_command(mock_api: httpx.Client) -> None:
    first = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple"))
    second = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple"))
    assert (
        mock_api.post(f"/_segue/tasks/{first}/advance", json={}).json()["status"] == "TEXT_SUCCESS"
    )
    assert (
        mock_api.post(f"/_segue/tasks/{first}/advance", json={"stages": 2}).json()["status"]
        == "SUCCESS"
    )
    assert (
        mock_api.post(f"/_segue/tasks/{first}/advance", json={"stages": 5}).json()["status"]
        == "SUCCESS"
    )
    advanced = mock_api.post("/_segue/advance", json={"to_end": True}).json()["advanced"]
    assert advanced == [{"id": second, "status": "SUCCESS"}]  # only unfinished tasks move
    assert kie_details(mock_api, second)["data"]["status"] == "SUCCESS"
    history = mock_api.get(f"/_segue/tasks/{first}").json()["history"]
    assert [h["status"] for h in history] == PROGRESS


def test_stage_seconds_zero_finishes_at_once(fake_clock: FakeClock) -> None:
    app = create_app(MockConfig(api_keys=(KEY_A,), clock=fake_clock, stage_seconds=0))
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            task_id = kie_create(api, "generateMusic", kie_body("generateMusic", "simple"))
            assert kie_details(api, task_id)["data"]["status"] == "SUCCESS"
    finally:
        app.state.segue.close()


@pytest.mark.parametrize("vendor", ["kie", "udio"])
def test_a_failed_task_reports_the_documented_failure(mock_api: httpx.Client, vendor: str) -> None:
    if vendor == "kie":
        task_id = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple"))
    else:
        task_id = udio_create(mock_api, "generateSong", {"prompt": "x"})
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={})
    failed = mock_api.post(f"/_segue/tasks/{task_id}/fail", json={"status": "SENSITIVE_WORD_ERROR"})
    assert failed.status_code == 200, failed.text
    assert (
        mock_api.post(f"/_segue/tasks/{task_id}/advance", json={}).json()["status"]
        == "SENSITIVE_WORD_ERROR"
    )
    if vendor == "kie":
        data = kie_details(mock_api, task_id)["data"]
        documented = KIE.operations["getMusicTaskDetails"].success_examples
        message_for_400 = next(
            e["data"]["errorMessage"] for e in documented if e["data"]["errorCode"] == 400
        )
        assert (data["status"], data["errorCode"], data["errorMessage"], data["response"]) == (
            "SENSITIVE_WORD_ERROR", 400, message_for_400, None
        )  # fmt: skip
    else:
        clips = udio_feed(mock_api, task_id)["data"]["response_data"]
        assert {c["status"] for c in clips} == {"text"}
        assert all(c["fail_message"] and c["audio_url"] == "" for c in clips)


def test_a_planned_failure_happens_at_the_next_step(
    mock_api: httpx.Client, fake_clock: FakeClock
) -> None:
    task_id = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple"))
    planned = mock_api.post(
        f"/_segue/tasks/{task_id}/fail",
        json={"status": "GENERATE_AUDIO_FAILED", "code": 531, "message": "retry", "when": "next"},
    )
    assert planned.json()["status"] == "PENDING"
    fake_clock.advance(2)
    data = kie_details(mock_api, task_id)["data"]
    assert (data["status"], data["errorCode"], data["errorMessage"]) == (
        "GENERATE_AUDIO_FAILED",
        531,
        "retry",
    )


def test_a_failure_needs_a_message_when_the_spec_shows_none_for_its_code(
    mock_api: httpx.Client,
) -> None:
    task_id = kie_create(mock_api, "generateMusic", kie_body("generateMusic", "simple"))
    answer = mock_api.post(f"/_segue/tasks/{task_id}/fail", json={"code": 408})
    assert answer.status_code == 400 and "408" in answer.json()["error"]
    finish(mock_api, task_id)
    assert (
        mock_api.post(f"/_segue/tasks/{task_id}/fail", json={}).status_code == 400
    )  # already terminal


# ---------------------------------------------------------------------------- status moves forward

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("clock"), st.floats(min_value=0, max_value=5)),
        st.tuples(st.just("poll"), st.just(0)),
        st.tuples(st.just("advance"), st.integers(min_value=1, max_value=3)),
        st.tuples(st.just("fail"), st.just(0)),
    ),
    max_size=12,
)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_status_only_moves_forward(steps: list[tuple[str, float]]) -> None:
    clock = FakeClock(start=0)
    app = create_app(MockConfig(api_keys=(KEY_A,), clock=clock, polls_per_stage=1))
    order = {status: index for index, status in enumerate(KIE.enum("TaskStatus"))}
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            task_id = kie_create(api, "generateMusic", kie_body("generateMusic", "simple"))
            seen = ["PENDING"]
            for kind, amount in steps:
                if kind == "clock":
                    clock.advance(amount)
                elif kind == "advance":
                    api.post(f"/_segue/tasks/{task_id}/advance", json={"stages": int(amount)})
                elif kind == "fail":
                    api.post(f"/_segue/tasks/{task_id}/fail", json={})
                seen.append(kie_details(api, task_id)["data"]["status"])
    finally:
        app.state.segue.close()
    progress = [order[s] for s in seen]
    assert progress == sorted(progress), seen
    failed = [s for s in seen if s not in PROGRESS]
    assert not failed or set(seen[seen.index(failed[0]) :]) == {failed[0]}, seen
