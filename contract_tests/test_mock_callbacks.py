"""Callbacks: real POSTs to a real receiver on 127.0.0.1, checked against the spec's payload
schemas, signed and verified, retried, recorded, late, duplicated, refused, abandoned."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import httpx
import pytest
from conftest import HMAC_KEY, KEY_A
from segue.mock import FakeClock, MockConfig, RealClock, create_app
from segue.mock.callbacks import callback_allowed
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import CallbackReceiver, SyncASGITransport, bearer, request_example
from starlette.applications import Starlette

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")


def kie_generate(api: httpx.Client, url: str, **changes: Any) -> str:
    body = {**request_example(KIE, "generateMusic", "simple"), "callBackUrl": url, **changes}
    return str(
        api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["data"]["taskId"]
    )


def finish(api: httpx.Client, task_id: str) -> None:
    api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})


def attempts(api: httpx.Client, task_id: str | None = None) -> list[dict[str, Any]]:
    params = {"wait": "5"} | ({"task_id": task_id} if task_id else {})
    answer = api.get("/_segue/callbacks", params=params).json()
    assert answer["idle"], answer
    return list(answer["attempts"])


def verify_signature(headers: dict[str, str], task_id: str) -> bool:
    """What a receiver does (KIE's webhook guide): recompute and compare in constant time."""
    timestamp = headers["X-Webhook-Timestamp"]
    expected = base64.b64encode(
        hmac.new(HMAC_KEY.encode(), f"{task_id}.{timestamp}".encode(), hashlib.sha256).digest()
    ).decode()
    return hmac.compare_digest(expected, headers["X-Webhook-Signature"])


def test_kie_stages_arrive_in_order_valid_signed_and_agree_with_polling(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver, fake_clock: FakeClock
) -> None:
    task_id = kie_generate(mock_api, callback_receiver.url("/hooks/kie"))
    created = int(fake_clock.now())
    for _ in range(3):
        fake_clock.advance(2)
    received = callback_receiver.wait_for(3)
    bodies = [r.json() for r in received]
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    assert [len(b["data"]["data"]) for b in bodies] == [0, 1, 2]
    for request, body in zip(received, bodies, strict=True):
        assert request.path == "/hooks/kie" and request.header("Content-Type") == "application/json"
        assert KIE.callback_errors("generateMusic", body) == []
        assert body["data"]["task_id"] == task_id
        assert (
            created + 2 <= int(request.header("X-Webhook-Timestamp") or 0) <= fake_clock.now()
        )  # when sent
        assert verify_signature(
            {k: request.header(k) or "" for k in ("X-Webhook-Timestamp", "X-Webhook-Signature")},
            task_id,
        )
    polled = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
    ).json()
    clips = polled["data"]["response"]["sunoData"]
    assert [(c["id"], c["duration"], c["audioUrl"]) for c in clips] == [
        (c["id"], c["duration"], c["audio_url"]) for c in bodies[-1]["data"]["data"]
    ]
    assert [a["outcome"] for a in attempts(mock_api, task_id)] == ["delivered"] * 3


def test_a_tampered_signature_does_not_verify(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    task_id = kie_generate(mock_api, callback_receiver.url())
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={})
    request = callback_receiver.wait_for(1)[0]
    headers = {k: request.header(k) or "" for k in ("X-Webhook-Timestamp", "X-Webhook-Signature")}
    assert verify_signature(headers, task_id)
    assert not verify_signature(headers, task_id + "x")
    assert not verify_signature(
        {**headers, "X-Webhook-Timestamp": str(int(headers["X-Webhook-Timestamp"]) + 1)}, task_id
    )


def test_kie_extend_upload_extend_and_error_payloads_match_the_spec(
    mock_client: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    source = kie_generate(mock_client, callback_receiver.url("/generate"), model="V5")
    finish(mock_client, source)
    clip = callback_receiver.wait_for(3)[-1].json()["data"]["data"][0]
    extend = {
        **request_example(KIE, "extendMusic", "inherit"),
        "audioId": clip["id"],
        "model": "V5",
        "callBackUrl": callback_receiver.url("/extend"),
    }
    extension = mock_client.post(
        "/api/v1/generate/extend", json=extend, headers=bearer(KEY_A)
    ).json()["data"]["taskId"]
    finish(mock_client, extension)
    upload = {
        **request_example(KIE, "uploadAndExtendAudio", "customInstrumental"),
        "callBackUrl": callback_receiver.url("/upload"),
    }
    upload_task = mock_client.post(
        "/api/v1/generate/upload-extend", json=upload, headers=bearer(KEY_A)
    ).json()["data"]["taskId"]
    finish(mock_client, upload_task)
    failing = kie_generate(mock_client, callback_receiver.url("/fail"))
    mock_client.post(f"/_segue/tasks/{failing}/fail", json={"status": "GENERATE_AUDIO_FAILED"})
    received = callback_receiver.wait_for(10)
    by_path = {
        path: [r.json() for r in received if r.path == path]
        for path in ("/extend", "/upload", "/fail")
    }
    assert [KIE.callback_errors("extendMusic", b) for b in by_path["/extend"]] == [[], [], []]
    assert [KIE.callback_errors("uploadAndExtendAudio", b) for b in by_path["/upload"]] == [
        [],
        [],
        [],
    ]
    assert all(
        c["source_audio_url"] == upload["uploadUrl"] for c in by_path["/upload"][-1]["data"]["data"]
    )
    error = by_path["/fail"]
    assert len(error) == 1 and KIE.callback_errors("generateMusic", error[0]) == []
    assert (error[0]["code"], error[0]["data"]["callbackType"], error[0]["data"]["data"]) == (
        501,
        "error",
        [],
    )
    documented_501 = next(
        e["msg"] for e in KIE.operations["generateMusic"].callbacks[0].examples if e["code"] == 501
    )
    assert error[0]["msg"] == documented_501


def test_udio_callbacks_are_bare_arrays_unsigned_one_per_stage(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    work_id = mock_api.post(
        "/api/v2/generate",
        json={"prompt": "[Verse] hi", "callback_url": callback_receiver.url("/udio")},
        headers=bearer(KEY_A),
    ).json()["workId"]
    finish(mock_api, work_id)
    received = callback_receiver.wait_for(3)
    bodies = [r.json() for r in received]
    assert [[clip["status"] for clip in body] for body in bodies] == [
        ["text"] * 2,
        ["first"] * 2,
        ["complete"] * 2,
    ]
    assert all(UDIO.callback_errors("generateSong", body) == [] for body in bodies)
    assert all(
        r.header("X-Webhook-Signature") is None for r in received
    )  # the Udio spec declares no signature
    feed = mock_api.get("/api/v2/feed", params={"workId": work_id}, headers=bearer(KEY_A)).json()[
        "data"
    ]["response_data"]
    assert [c["id"] for c in feed] == [c["id"] for c in bodies[-1]]


def test_failing_receiver_gets_retries_and_the_attempts_are_listed(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    callback_receiver.fail_next(2)
    task_id = kie_generate(mock_api, callback_receiver.url())
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={})
    callback_receiver.wait_for(1, delivered=True)
    listed = attempts(mock_api, task_id)
    assert [(a["attempt"], a["outcome"], a["status_code"]) for a in listed] == [
        (1, "failed", 500),
        (2, "failed", 500),
        (3, "delivered", 200),
    ]
    assert {a["stage"] for a in listed} == {"text"} and len({a["delivery"] for a in listed}) == 1
    assert len(callback_receiver.received) == 3


def test_a_receiver_that_never_answers_2xx_ends_in_callback_exception(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver, mock_app: Starlette
) -> None:
    callback_receiver.fail_next(100, status=503)
    task_id = kie_generate(mock_api, callback_receiver.url())
    finish(mock_api, task_id)
    listed = attempts(mock_api, task_id)
    retries = mock_app.state.segue.config.callback_retries
    assert len(listed) == 3 * (retries + 1)
    assert all(a["outcome"] == "failed" and a["status_code"] == 503 for a in listed)
    deliveries = mock_api.get("/_segue/callbacks", params={"task_id": task_id}).json()["deliveries"]
    assert [d["state"] for d in deliveries] == ["gave-up"] * 3
    status = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
    ).json()["data"]["status"]
    assert status == "CALLBACK_EXCEPTION"


def test_connection_errors_are_recorded_and_retried(mock_api: httpx.Client) -> None:
    with CallbackReceiver() as receiver:
        url = receiver.url()
    task_id = kie_generate(mock_api, url)  # the receiver is gone: connection refused
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={})
    listed = attempts(mock_api, task_id)
    assert [a["outcome"] for a in listed] == ["failed"] * 4
    assert all(a["status_code"] is None and "Connect" in a["error"] for a in listed)


def test_injected_callback_failures_exercise_the_retry_path(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    mock_api.post("/_segue/callback-faults", json={"fail_attempts": 2, "count": 1})
    task_id = kie_generate(mock_api, callback_receiver.url())
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={"stages": 2})
    callback_receiver.wait_for(2)
    listed = attempts(mock_api, task_id)
    assert [(a["stage"], a["outcome"]) for a in listed] == [
        ("text", "injected-failure"),
        ("text", "injected-failure"),
        ("text", "delivered"),
        ("first", "delivered"),
    ]  # fmt: skip
    assert len(callback_receiver.received) == 2


def test_duplicated_callbacks(mock_api: httpx.Client, callback_receiver: CallbackReceiver) -> None:
    mock_api.post("/_segue/callback-faults", json={"duplicates": 1})
    task_id = kie_generate(mock_api, callback_receiver.url())
    finish(mock_api, task_id)
    received = callback_receiver.wait_for(6)
    assert [r.json()["data"]["callbackType"] for r in received] == [
        "text",
        "text",
        "first",
        "first",
        "complete",
        "complete",
    ]
    assert received[0].body == received[1].body
    assert sorted(a["copy"] for a in attempts(mock_api, task_id)) == [0, 0, 0, 1, 1, 1]


def test_late_callbacks_arrive_after_the_delay(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    mock_api.post("/_segue/callback-faults", json={"delay_ms": 400, "count": 1})
    task_id = kie_generate(mock_api, callback_receiver.url())
    started = time.time()
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={})
    time.sleep(0.2)
    assert callback_receiver.received == []
    request = callback_receiver.wait_for(1)[0]
    assert request.at - started >= 0.4


def test_callbacks_never_block_the_request(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    callback_receiver.answer_slowly(1.0)
    task_id = kie_generate(mock_api, callback_receiver.url())
    started = time.perf_counter()
    mock_api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
    mock_api.get("/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A))
    assert time.perf_counter() - started < 0.5


def test_non_loopback_callback_is_refused_and_recorded(mock_api: httpx.Client) -> None:
    task_id = kie_generate(mock_api, "https://api.example.com/callback")
    finish(mock_api, task_id)
    listed = attempts(mock_api, task_id)
    assert [(a["stage"], a["outcome"], a["attempt"]) for a in listed] == [
        ("text", "refused", 0),
        ("first", "refused", 0),
        ("complete", "refused", 0),
    ]
    assert "callback-allow" in listed[0]["error"]
    assert (
        mock_api.get(f"/_segue/tasks/{task_id}").json()["status"] == "SUCCESS"
    )  # a refusal is not a delivery failure


@pytest.mark.parametrize(
    ("url", "allow", "allowed"),
    [
        ("http://127.0.0.1:8080/cb", (), True),
        ("http://127.5.6.7/cb", (), True),
        ("http://[::1]:9000/cb", (), True),
        ("http://localhost/cb", (), True),
        ("https://hooks.example.com/cb", (), False),
        ("https://hooks.example.com/cb", ("hooks.example.com",), True),
        ("https://hooks.example.com:8443/cb", ("hooks.example.com:8443",), True),
        ("https://hooks.example.com:9443/cb", ("hooks.example.com:8443",), False),
        ("http://10.0.0.1/cb", (), False),
        ("ftp://127.0.0.1/cb", (), False),
        ("http://127.0.0.1.example.com/cb", (), False),
    ],
)
def test_callback_allow_list(url: str, allow: tuple[str, ...], allowed: bool) -> None:
    assert callback_allowed(url, allow) is allowed


def test_a_slow_receiver_times_out_and_is_retried(callback_receiver: CallbackReceiver) -> None:
    app = create_app(
        MockConfig(
            api_keys=(KEY_A,),
            clock=FakeClock(),
            callback_timeout=0.2,
            callback_retries=1,
            callback_backoff=0.01,
        )
    )
    callback_receiver.answer_slowly(0.5)
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            task_id = kie_generate(api, callback_receiver.url())
            api.post(f"/_segue/tasks/{task_id}/advance", json={})
            listed = attempts(api, task_id)
    finally:
        app.state.segue.close()
    assert [(a["outcome"], a["error"].split(":")[0]) for a in listed] == [
        ("failed", "ReadTimeout")
    ] * 2


def test_real_clock_moves_tasks_and_sends_callbacks_without_polling(
    callback_receiver: CallbackReceiver,
) -> None:
    app = create_app(
        MockConfig(api_keys=(KEY_A,), clock=RealClock(), stage_seconds=0.1, callback_backoff=0.01)
    )
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            task_id = kie_generate(api, callback_receiver.url())
            received = callback_receiver.wait_for(3, timeout=5)
            assert [r.json()["data"]["callbackType"] for r in received] == [
                "text",
                "first",
                "complete",
            ]
            assert app.state.segue.task(task_id).status == "SUCCESS"
    finally:
        app.state.segue.close()


def test_shutdown_records_pending_deliveries_as_abandoned(
    callback_receiver: CallbackReceiver,
) -> None:
    app = create_app(MockConfig(api_keys=(KEY_A,), clock=FakeClock()))
    core = app.state.segue
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
        api.post("/_segue/callback-faults", json={"delay_ms": 60_000})
        task_id = kie_generate(api, callback_receiver.url())
        finish(api, task_id)
    core.close()
    listed = core.callback_attempts(task_id)
    assert [(a.stage, a.outcome) for a in listed] == [
        ("text", "abandoned"),
        ("first", "abandoned"),
        ("complete", "abandoned"),
    ]
    assert callback_receiver.received == []


def test_live_server_shutdown_closes_the_dispatcher(
    mock_app: Starlette, callback_receiver: CallbackReceiver
) -> None:
    from segue.mock import LiveServer

    with (
        LiveServer(app=mock_app) as server,
        httpx.Client(base_url=server.base_url, trust_env=False) as api,
    ):
        api.post("/_segue/callback-faults", json={"delay_ms": 60_000})
        task_id = kie_generate(api, callback_receiver.url())
        api.post(f"/_segue/tasks/{task_id}/advance", json={})
    assert [a.outcome for a in mock_app.state.segue.callback_attempts(task_id)] == ["abandoned"]
