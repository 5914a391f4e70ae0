"""Callbacks sent from a process of their own (`MockConfig.callback_process`, what `segue mock`
serves with): the same deliveries, signatures, retries, faults and records as from the in-process
thread, and nothing lost when the mock stops or the sender dies.

The mock runs on a real clock here (a FakeClock cannot cross into the sender process); stages are
moved with the control API, so nothing depends on timing but the bounded waits.
"""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import HMAC_KEY, KEY_A
from segue import speclib
from segue.mock import FakeClock, LiveServer, MockConfig, create_app
from segue.mock.callback_process import ProcessDispatcher
from segue.mock.callbacks import AttemptRecord, Delivery
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import CallbackReceiver, bearer, request_example
from segue.paths import spec_path
from segue.signature import SignatureScheme
from starlette.applications import Starlette

KIE = load_vendor_spec("kie")
SIGNATURE = SignatureScheme.from_spec(speclib.load_spec(spec_path("kie")))
assert SIGNATURE is not None
RETRIES = 2


def served_config() -> MockConfig:
    return MockConfig(
        api_keys=(KEY_A,),
        stage_seconds=None,  # stages move on command only
        webhook_hmac_key=HMAC_KEY,
        callback_retries=RETRIES,
        callback_backoff=0.01,
        callback_timeout=2.0,
        callback_process=True,
    )


@pytest.fixture
def app() -> Iterator[Starlette]:
    app = create_app(served_config())
    assert isinstance(app.state.segue.dispatcher, ProcessDispatcher)
    yield app
    app.state.segue.close()


@pytest.fixture
def api(app: Starlette) -> Iterator[httpx.Client]:
    with (
        LiveServer(app=app) as server,
        httpx.Client(base_url=server.base_url, trust_env=False, timeout=10) as client,
    ):
        yield client


def kie_generate(api: httpx.Client, url: str) -> str:
    body = {**request_example(KIE, "generateMusic", "simple"), "callBackUrl": url}
    answer = api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()
    return str(answer["data"]["taskId"])


def advance(api: httpx.Client, task_id: str, **how: Any) -> None:
    assert api.post(f"/_segue/tasks/{task_id}/advance", json=how).status_code == 200


def callback_log(api: httpx.Client, task_id: str) -> dict[str, Any]:
    answer = api.get("/_segue/callbacks", params={"task_id": task_id, "wait": "10"}).json()
    assert answer["idle"], answer
    return dict(answer)


def status(api: httpx.Client, task_id: str) -> str:
    return str(
        api.get(
            "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
        ).json()["data"]["status"]
    )


def test_stages_arrive_in_order_signed_valid_and_recorded(
    api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    refused = kie_generate(api, "http://example.com/hooks")  # recorded by the mock, never sent
    advance(api, refused)
    task_id = kie_generate(api, callback_receiver.url("/kie"))
    advance(api, task_id, to_end=True)
    received = callback_receiver.wait_for(3)
    bodies = [r.json() for r in received]
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    for request, body in zip(received, bodies, strict=True):
        assert KIE.callback_errors("generateMusic", body) == []
        assert body["data"]["task_id"] == task_id
        assert SIGNATURE.problems(HMAC_KEY, body, request.headers, time.time()) == []
    listed = callback_log(api, task_id)
    assert [(a["stage"], a["outcome"], a["signed"]) for a in listed["attempts"]] == [
        ("text", "delivered", True),
        ("first", "delivered", True),
        ("complete", "delivered", True),
    ]
    assert [d["state"] for d in listed["deliveries"]] == ["delivered"] * 3
    # The sender reports under the mock's delivery ids (the refused one took an id too).
    assert [a["delivery"] for a in listed["attempts"]] == [d["id"] for d in listed["deliveries"]]
    assert [a["outcome"] for a in callback_log(api, refused)["attempts"]] == ["refused"]


def test_retries_then_giving_up_reach_the_task(
    api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    callback_receiver.fail_next(2)
    retried = kie_generate(api, callback_receiver.url())
    advance(api, retried)
    assert [(a["attempt"], a["outcome"]) for a in callback_log(api, retried)["attempts"]] == [
        (1, "failed"),
        (2, "failed"),
        (3, "delivered"),
    ]
    callback_receiver.fail_next(100, status=503)
    lost = kie_generate(api, callback_receiver.url())
    advance(api, lost, to_end=True)
    listed = callback_log(api, lost)
    assert len(listed["attempts"]) == 3 * (RETRIES + 1)
    assert [d["state"] for d in listed["deliveries"]] == ["gave-up"] * 3
    assert status(api, lost) == "CALLBACK_EXCEPTION"  # the sender's verdict reached the state


def test_callback_faults_cross_to_the_sender(
    api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    api.post("/_segue/callback-faults", json={"fail_attempts": 1, "duplicates": 1, "count": 1})
    task_id = kie_generate(api, callback_receiver.url())
    advance(api, task_id)
    outcomes = sorted(
        (a["copy"], a["attempt"], a["outcome"]) for a in callback_log(api, task_id)["attempts"]
    )
    assert outcomes == [
        (0, 1, "injected-failure"),
        (0, 2, "delivered"),
        (1, 1, "injected-failure"),
        (1, 2, "delivered"),
    ]
    assert len(callback_receiver.delivered()) == 2


def test_stopping_the_mock_records_what_the_sender_still_had(
    callback_receiver: CallbackReceiver,
) -> None:
    app = create_app(served_config())
    core = app.state.segue
    with LiveServer(app=app) as server, httpx.Client(base_url=server.base_url) as api:
        api.post("/_segue/callback-faults", json={"delay_ms": 60_000})
        task_id = kie_generate(api, callback_receiver.url())
        advance(api, task_id, to_end=True)
    core.close()
    assert [(a.stage, a.outcome) for a in core.callback_attempts(task_id)] == [
        ("text", "abandoned"),
        ("first", "abandoned"),
        ("complete", "abandoned"),
    ]
    assert callback_receiver.received == []


def test_a_dead_sender_loses_nothing_silently(
    app: Starlette, api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    api.post("/_segue/callback-faults", json={"delay_ms": 60_000, "count": 1})
    waiting = kie_generate(api, callback_receiver.url())
    advance(api, waiting)
    dispatcher = app.state.segue.dispatcher
    assert dispatcher.sender_pid is not None
    os.kill(dispatcher.sender_pid, signal.SIGKILL)
    assert [a["outcome"] for a in callback_log(api, waiting)["attempts"]] == ["abandoned"]
    later = kie_generate(api, callback_receiver.url())
    advance(api, later)
    assert [a["outcome"] for a in callback_log(api, later)["attempts"]] == ["abandoned"]
    assert callback_receiver.received == []


def test_a_fake_clock_cannot_cross_into_the_sender() -> None:
    with pytest.raises(ValueError, match="real clock"):
        create_app(served_config(), clock=FakeClock())


def test_deliveries_and_attempt_records_cross_the_pipe_whole() -> None:
    """Both are pickled as their field values (callbacks.py): every field, none defaulted, must
    come back as it left, in its own place."""
    delivery = Delivery(
        task_id="t-1", vendor="kie", stage="complete", url="http://127.0.0.1:9/cb", body=b"{}",
        signed=True, copy=2, delay=0.5, fail_attempts=1, id=7, state="sending", attempts=3,
        refusal="the mock's own address", unsendable="could not render",
    )  # fmt: skip
    record = AttemptRecord(
        delivery=7, task_id="t-1", vendor="udio", stage="first", url="http://127.0.0.1:9/cb",
        copy=1, attempt=2, outcome="failed", status_code=503, error="HTTP 503", at=1.5,
        elapsed_ms=2.25, signed=True, headers={"X-Signature": "v1=abc"},
    )  # fmt: skip
    assert pickle.loads(pickle.dumps(delivery)) == delivery
    assert pickle.loads(pickle.dumps(record)) == record
