"""The mock under hostile input (issue 12): each defect found by hand, as a regression test.

Every test talks HTTP (or ASGI) to the mock and its control API; expected bodies come from the
spec files by example name (`components/examples/<Name>/value`), never through the mock's own
lookup, so an answer swapped inside the mock fails them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import KEY_A, KEY_B
from segue import paths, speclib
from segue.mock import FakeClock, LiveServer, MockConfig, create_app
from segue.mock.config import Outbound
from segue.mock.testing import CallbackReceiver, SyncASGITransport, bearer

SPECS = {vendor: speclib.load_spec(paths.spec_path(vendor)) for vendor in ("kie", "udio")}
REFUSED_URL = "https://api.example.com/callback"  # not loopback: never called


def spec_example(vendor: str, name: str) -> Any:
    """The value of `components/examples/<name>` in the vendor's spec file."""
    return SPECS[vendor]["components"]["examples"][name]["value"]


def request_examples(vendor: str, operation_id: str) -> dict[str, Any]:
    """{example name: value} of an operation's request body, read from the spec file."""
    document = SPECS[vendor]
    for operation in speclib.iter_operations(document):
        if operation.node.get("operationId") != operation_id or operation.kind != "path":
            continue
        body, pointer = speclib.request_body(document, operation) or ({}, "")
        for _, media, media_pointer in speclib.media_types(body, pointer):
            return {
                example.name: json.loads(json.dumps(example.value))
                for example in speclib.iter_examples(document, media, media_pointer)
            }
    raise KeyError(operation_id)


# (vendor, path, operationId, callback field): every create endpoint of both specs.
CREATES = [
    ("kie", "/api/v1/generate", "generateMusic", "callBackUrl"),
    ("kie", "/api/v1/generate/extend", "extendMusic", "callBackUrl"),
    ("kie", "/api/v1/generate/upload-extend", "uploadAndExtendAudio", "callBackUrl"),
    ("udio", "/api/v2/generate", "generateSong", "callback_url"),
    ("udio", "/api/v2/extend", "extendSong", "callback_url"),
]


def valid_body(vendor: str, operation_id: str, url_field: str, url: str) -> dict[str, Any]:
    body = next(iter(request_examples(vendor, operation_id).values()))
    body[url_field] = url
    return body


def assert_validation_answer(vendor: str, response: httpx.Response, *words: str) -> str:
    """The vendor's documented validation answer (code from the spec), message naming `words`."""
    if vendor == "kie":
        expected = spec_example("kie", "ValidationFailed")
        assert response.status_code == 200, response.text
        message = response.json()["msg"]
    else:
        expected = spec_example("udio", "GenerateValidationFailed")
        assert response.status_code == expected["code"], response.text
        message = response.json()["message"]
    assert response.json()["code"] == expected["code"], response.text
    for word in words:
        assert word in message, message
    return str(message)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def with_raw_field(body: dict[str, Any], name: str, raw_value: str) -> bytes:
    """`body` as JSON with one more member whose value is written raw (not json-encoded)."""
    text = json.dumps(body)
    return (text[:-1] + f', "{name}": {raw_value}}}').encode()


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("depth", [256, 1000])
@pytest.mark.parametrize(("vendor", "path", "operation_id", "url_field"), CREATES)
def test_deep_nesting_gets_the_validation_answer(
    mock_api: httpx.Client, vendor: str, path: str, operation_id: str, url_field: str, depth: int
) -> None:
    body = valid_body(vendor, operation_id, url_field, REFUSED_URL)
    raw = with_raw_field(body, "extra", nested(depth))
    response = mock_api.post(path, content=raw, headers=bearer(KEY_A))
    assert_validation_answer(vendor, response, "extra", "nest")
    assert mock_api.get("/_segue/tasks").status_code == 200


def test_deep_nesting_in_a_control_body_is_a_400(mock_api: httpx.Client) -> None:
    raw = '{"key": "k", "credits": 1, "x": ' + nested(5000) + "}"
    response = mock_api.post(
        "/_segue/keys", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and "nest" in response.json()["error"]


@pytest.mark.parametrize(("vendor", "path", "operation_id", "url_field"), CREATES)
def test_a_lone_surrogate_in_a_value_gets_the_validation_answer_naming_the_field(
    mock_api: httpx.Client, vendor: str, path: str, operation_id: str, url_field: str
) -> None:
    body = valid_body(vendor, operation_id, url_field, REFUSED_URL)
    raw = with_raw_field(body, "note", '"a\\ud800b"')
    response = mock_api.post(path, content=raw, headers=bearer(KEY_A))
    assert_validation_answer(vendor, response, "note", "surrogate")
    tasks = mock_api.get("/_segue/tasks")
    assert tasks.status_code == 200 and tasks.json() == []


def test_a_lone_surrogate_in_a_key_gets_the_validation_answer(mock_api: httpx.Client) -> None:
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    raw = with_raw_field(body, "\\udc00x", "1")
    response = mock_api.post("/api/v1/generate", content=raw, headers=bearer(KEY_A))
    assert_validation_answer("kie", response, "surrogate")


def test_a_surrogate_prompt_never_costs_other_keys_their_callbacks(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver, fake_clock: FakeClock
) -> None:
    good = []
    for key in (KEY_A, KEY_B):
        body = valid_body("kie", "generateMusic", "callBackUrl", callback_receiver.url("/cb"))
        good.append(
            mock_api.post("/api/v1/generate", json=body, headers=bearer(key)).json()["data"][
                "taskId"
            ]
        )
    bad = valid_body("kie", "generateMusic", "callBackUrl", callback_receiver.url("/cb"))
    raw = json.dumps(bad).replace('"prompt": "', '"prompt": "\\ud800')
    mock_api.post("/api/v1/generate", content=raw.encode(), headers=bearer(KEY_A))
    for _ in range(3):
        fake_clock.advance(2)
    callback_receiver.wait_for(6)
    listing = mock_api.get("/_segue/tasks")
    assert listing.status_code == 200
    assert sorted(t["id"] for t in listing.json()) == sorted(good)
    log = mock_api.get("/_segue/callbacks", params={"wait": "5"}).json()
    assert sorted(a["outcome"] for a in log["attempts"]) == ["delivered"] * 6


def test_a_lone_surrogate_as_a_control_api_key_is_refused_and_not_stored(
    mock_api: httpx.Client,
) -> None:
    response = mock_api.post(
        "/_segue/keys", content=b'{"key": "\\ud800"}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and "surrogate" in response.json()["error"]
    keys = mock_api.get("/_segue/keys")
    assert keys.status_code == 200 and len(keys.json()) == 2
    mock_api.post("/_segue/reset", json={})
    assert mock_api.get("/_segue/keys").status_code == 200


def test_a_number_too_large_for_a_float_is_named_out_of_range_not_null(
    mock_api: httpx.Client,
) -> None:
    body = valid_body("kie", "extendMusic", "callBackUrl", REFUSED_URL)
    raw = json.dumps({**body, "continueAt": 7}).replace('"continueAt": 7', '"continueAt": 1e400')
    response = mock_api.post("/api/v1/generate/extend", content=raw.encode(), headers=bearer(KEY_A))
    message = assert_validation_answer("kie", response, "continueAt", "range")
    assert "null" not in message


def test_an_invalid_callback_url_is_not_answered_as_a_missing_one(mock_api: httpx.Client) -> None:
    missing = spec_example("kie", "CallBackUrlMissing")
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    del body["callBackUrl"]
    answer = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    assert answer.json() == missing
    invalid = mock_api.post(
        "/api/v1/generate", json={**body, "callBackUrl": "not a url"}, headers=bearer(KEY_A)
    )
    message = assert_validation_answer("kie", invalid, "callBackUrl")
    assert message != missing["msg"]


# ---------------------------------------------------------------------------- control inputs


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_segue/faults", {"delay_ms": 10**9}),
        ("/_segue/faults", {"status": 500, "count": 10**9}),
        ("/_segue/faults", {"status": 429, "retry_after": 10**9}),
        ("/_segue/callback-faults", {"duplicates": 100_000}),
        ("/_segue/callback-faults", {"delay_ms": 10**9}),
        ("/_segue/callback-faults", {"fail_attempts": 10**6}),
        ("/_segue/advance", {"stages": 10**9}),
    ],
)
def test_control_inputs_are_bounded(mock_api: httpx.Client, path: str, body: Any) -> None:
    response = mock_api.post(path, json=body)
    assert response.status_code == 400, response.text
    assert mock_api.get("/_segue/faults").json() == {"request_faults": [], "callback_faults": []}


@pytest.mark.parametrize("wait", ["nan", "inf", "-1", "1e400"])
def test_callbacks_wait_refuses_nan_and_infinity(mock_api: httpx.Client, wait: str) -> None:
    response = mock_api.get("/_segue/callbacks", params={"wait": wait})
    assert response.status_code == 400 and "wait" in response.json()["error"]


@pytest.mark.parametrize("advance", ["NaN", "Infinity", "1e400"])
def test_clock_refuses_nan_and_infinity(mock_api: httpx.Client, advance: str) -> None:
    response = mock_api.post(
        "/_segue/clock",
        content=f'{{"advance": {advance}}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text


# ---------------------------------------------------------------------------- security defaults


def test_a_callback_to_the_mocks_own_control_api_is_refused(
    live_mock_server: LiveServer,
) -> None:
    with httpx.Client(base_url=live_mock_server.base_url, trust_env=False, timeout=10) as api:
        own = f"http://localhost:{live_mock_server.port}/_segue/reset"
        body = valid_body("kie", "generateMusic", "callBackUrl", own)
        task_id = api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["data"][
            "taskId"
        ]
        api.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
        log = api.get("/_segue/callbacks", params={"wait": "5"}).json()
        assert [a["outcome"] for a in log["attempts"]] == ["refused"] * 3
        assert "own address" in log["attempts"][0]["error"]
        assert [t["id"] for t in api.get("/_segue/tasks").json()] == [task_id]


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "attacker.example"},
        {"Host": "attacker.example:8787"},
        {"Origin": "http://attacker.example"},
    ],
)
def test_the_control_api_answers_only_loopback_hosts_and_origins(
    live_mock_server: LiveServer, headers: dict[str, str]
) -> None:
    with httpx.Client(base_url=live_mock_server.base_url, trust_env=False, timeout=10) as api:
        assert api.get("/_segue/keys", headers=headers).status_code == 403
        created = api.post("/_segue/keys", json={"credits": None}, headers=headers)
        assert created.status_code == 403
        assert len(api.get("/_segue/keys").json()) == 2
        assert api.get(
            "/_segue/keys", headers={"Host": f"localhost:{live_mock_server.port}"}
        ).is_success


def test_with_a_control_token_any_host_may_call_the_control_api() -> None:
    app = create_app(MockConfig(api_keys=(KEY_A,), clock=FakeClock(), control_token="s3cret"))
    try:
        with (
            LiveServer(app=app) as server,
            httpx.Client(base_url=server.base_url, trust_env=False, timeout=10) as api,
        ):
            headers = {"Host": "mock.example", "X-Segue-Control-Token": "s3cret"}
            assert api.get("/_segue/health", headers=headers).status_code == 200
            assert api.get("/_segue/health", headers={"Host": "mock.example"}).status_code == 401
    finally:
        app.state.segue.close()


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_control_writes_need_application_json(
    mock_api: httpx.Client, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = mock_api.post("/_segue/keys", content=b'{"credits": null}', headers=headers)
    assert response.status_code == 415, response.text
    assert mock_api.post("/_segue/reset", headers=headers).status_code == 415
    assert len(mock_api.get("/_segue/keys").json()) == 2


def test_keys_are_masked_in_listings_unless_asked_for(mock_api: httpx.Client) -> None:
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    listed = mock_api.get("/_segue/keys").json()
    tasks = mock_api.get("/_segue/tasks").json()
    assert KEY_A not in json.dumps(listed) + json.dumps(tasks)
    assert {k["key"] for k in mock_api.get("/_segue/keys", params={"reveal": "true"}).json()} == {
        KEY_A,
        KEY_B,
    }
    assert mock_api.get("/_segue/tasks", params={"reveal": "true"}).json()[0]["key"] == KEY_A
    assert len(mock_api.get("/_segue/tasks", params={"key": KEY_A}).json()) == 1


# ---------------------------------------------------------------------------- transport level


def raw_exchange(port: int, request: bytes, timeout: float = 5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /api/v1/generate/record-info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\x00b\r\n\r\n",
        b"GET /api/v1/generate/record-info?taskId=x HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",
        b"BREW /api/v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /api/v1/generate/record-info?taskId=" + b"x" * 200_000 + b" HTTP/1.1\r\n\r\n",
    ],
    ids=["nul-in-header", "header-without-colon", "unknown-method", "huge-url"],
)
def test_transport_level_rejections_come_in_the_vendor_envelope(
    live_mock_server: LiveServer, request_bytes: bytes
) -> None:
    answer = raw_exchange(live_mock_server.port, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"application/json" in head.lower(), answer
    envelope = json.loads(body)
    assert set(envelope) == set(spec_example("kie", "ServerError")), envelope


def test_a_client_disconnect_is_logged_without_a_traceback(
    live_mock_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    head = (
        "POST /api/v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {KEY_A}\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n"
    )
    with caplog.at_level(logging.INFO, logger="segue.mock"):
        with socket.create_connection(("127.0.0.1", live_mock_server.port)) as connection:
            connection.sendall(head.encode() + b'{"prompt": ')
        time.sleep(0.5)
    assert not [r for r in caplog.records if r.exc_info], caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def test_the_trailing_slash_redirect_does_not_trust_the_host_header(
    live_mock_server: LiveServer,
) -> None:
    with httpx.Client(base_url=live_mock_server.base_url, trust_env=False, timeout=10) as api:
        response = api.get(
            "/api/v1/generate/record-info/",
            params={"taskId": "x"},
            headers={**bearer(KEY_A), "Host": "attacker.example"},
        )
        assert "attacker" not in response.headers.get("location", ""), response.headers
        assert "attacker" not in response.text


def test_in_process_clients_reach_the_control_api(mock_config: MockConfig) -> None:
    """`http://mock` is the in-process name tests and the README use."""
    app = create_app(mock_config)
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            assert api.get("/_segue/health").status_code == 200
    finally:
        app.state.segue.close()


# ---------------------------------------------------------------------------- stopping


@contextmanager
def segue_mock_process(*flags: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`segue mock` on a free port; yields (process, base URL) once it serves."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "segue.cli", "mock", "--port", str(port), *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/_segue/health", trust_env=False).is_success:
                    break
            time.sleep(0.1)
        yield process, base_url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def stopped_within(process: subprocess.Popen[str], seconds: float) -> float:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(seconds)
    return time.monotonic() - started


STOP_BOUND = 15.0  # the server's graceful timeout plus the callback sender's bounded close


def wait_forever_on(base_url: str) -> None:
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(f"{base_url}/api/v1/generate/record-info", timeout=90, trust_env=False)


def test_sigterm_stops_the_mock_despite_a_stuck_fault() -> None:
    with segue_mock_process("--api-key", KEY_A) as (process, base_url):
        httpx.post(
            f"{base_url}/_segue/faults", json={"delay_ms": 60_000, "count": None}, trust_env=False
        ).raise_for_status()
        stuck = threading.Thread(target=wait_forever_on, args=(base_url,), daemon=True)
        stuck.start()
        time.sleep(0.5)
        assert stopped_within(process, STOP_BOUND) < STOP_BOUND


def test_sigterm_stops_the_mock_despite_a_short_body() -> None:
    with segue_mock_process("--api-key", KEY_A) as (process, base_url):
        port = int(base_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(
                b"POST /api/v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
            )
            time.sleep(0.5)
            assert stopped_within(process, STOP_BOUND) < STOP_BOUND


def test_callbacks_pending_at_shutdown_are_counted_on_stderr() -> None:
    with CallbackReceiver() as receiver:
        receiver.answer_slowly(30)
        with segue_mock_process("--api-key", KEY_A, "--stage-seconds", "0") as (process, base):
            body = valid_body("kie", "generateMusic", "callBackUrl", receiver.url("/slow"))
            httpx.post(
                f"{base}/api/v1/generate", json=body, headers=bearer(KEY_A), trust_env=False
            ).raise_for_status()
            receiver.wait_for(1)
            stopped_within(process, STOP_BOUND)
            _, stderr = process.communicate(timeout=10)
    lines = [line for line in stderr.splitlines() if "abandoned" in line]
    assert len(lines) == 1 and " 3 callback" in lines[0], stderr


def test_a_non_loopback_host_needs_a_control_token() -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "segue.cli", "mock", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert refused.returncode == 2 and "--control-token" in refused.stderr, refused.stderr


# ---------------------------------------------------------------------------- load held


def fill_the_backlog(mock_api: httpx.Client, receiver: CallbackReceiver) -> dict[str, Any]:
    """Bound the backlog to 3 callbacks and owe them to a slow receiver with one create; returns
    a create body that would owe 3 more."""
    receiver.answer_slowly(3)
    mock_api.patch("/_segue/settings", json={"stage_seconds": 0, "max_pending_callbacks": 3})
    body = valid_body("kie", "generateMusic", "callBackUrl", receiver.url("/slow"))
    assert mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["code"] == 200
    return body


def test_past_the_callback_backlog_bound_creates_get_the_documented_429(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    body = fill_the_backlog(mock_api, callback_receiver)
    refused = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    assert refused.json() == spec_example("kie", "RateLimited")
    assert int(refused.headers["Retry-After"]) >= 1
    udio = valid_body("udio", "generateSong", "callback_url", REFUSED_URL)
    answer = mock_api.post("/api/v2/generate", json=udio, headers=bearer(KEY_A))
    assert (answer.status_code, answer.json()) == (429, spec_example("udio", "RateLimited"))
    assert len(mock_api.get("/_segue/tasks").json()) == 1


def test_a_full_backlog_still_answers_an_unknown_key_and_a_fault_first(
    mock_api: httpx.Client, callback_receiver: CallbackReceiver
) -> None:
    body = fill_the_backlog(mock_api, callback_receiver)
    unknown = mock_api.post("/api/v1/generate", json=body, headers=bearer("no-such-key"))
    assert unknown.json() == spec_example("kie", "Unauthorized")
    fault = {"rule": "maintenance", "vendor": "kie", "operation": "generateMusic"}
    mock_api.post("/_segue/faults", json=fault)
    faulted = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    assert faulted.json() == spec_example("kie", "Maintenance")
    refused = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    assert refused.json() == spec_example("kie", "RateLimited")


def test_a_clip_still_being_extended_outlives_the_task_cap(mock_api: httpx.Client) -> None:
    mock_api.patch("/_segue/settings", json={"stage_seconds": 0, "max_tasks": 3})
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    source = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()
    details = mock_api.get(
        "/api/v1/generate/record-info",
        params={"taskId": source["data"]["taskId"]},
        headers=bearer(KEY_A),
    ).json()
    clip = details["data"]["response"]["sunoData"][0]["id"]
    extend = {
        **valid_body("kie", "extendMusic", "callBackUrl", REFUSED_URL),
        "defaultParamFlag": False,
        "audioId": clip,
        "model": json.loads(details["data"]["param"])["model"],
    }
    for _ in range(6):  # each extend uses the source: it is the last to be forgotten
        answer = mock_api.post("/api/v1/generate/extend", json=extend, headers=bearer(KEY_A))
        assert answer.json()["code"] == 200, answer.json()
    kept = {t["id"] for t in mock_api.get("/_segue/tasks").json()}
    assert source["data"]["taskId"] in kept and len(kept) <= 3


def test_finished_tasks_are_kept_up_to_the_cap(mock_api: httpx.Client) -> None:
    mock_api.patch("/_segue/settings", json={"stage_seconds": 0, "max_tasks": 3})
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    created = [
        mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["data"]["taskId"]
        for _ in range(6)
    ]
    kept = [t["id"] for t in mock_api.get("/_segue/tasks").json()]
    assert 1 <= len(kept) <= 3 and kept == created[-len(kept) :]
    gone = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": created[0]}, headers=bearer(KEY_A)
    )
    assert gone.json() == spec_example("kie", "TaskNotFound")
    assert {a["task_id"] for a in mock_api.get("/_segue/callbacks").json()["attempts"]} == set(kept)


def test_finished_tasks_are_forgotten_after_the_retention(
    mock_api: httpx.Client, fake_clock: FakeClock
) -> None:
    mock_api.patch("/_segue/settings", json={"stage_seconds": 0, "task_retention_seconds": 60})
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    old = mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["data"]
    fake_clock.advance(61)
    mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    gone = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": old["taskId"]}, headers=bearer(KEY_A)
    )
    assert gone.json() == spec_example("kie", "TaskNotFound")
    assert len(mock_api.get("/_segue/tasks").json()) == 1


def test_the_callback_log_pages(mock_api: httpx.Client) -> None:
    mock_api.patch("/_segue/settings", json={"stage_seconds": 0})
    body = valid_body("kie", "generateMusic", "callBackUrl", REFUSED_URL)
    for _ in range(2):
        mock_api.post("/api/v1/generate", json=body, headers=bearer(KEY_A))
    first = mock_api.get("/_segue/callbacks", params={"limit": 4}).json()
    assert (len(first["attempts"]), first["next_offset"]) == (4, 4)
    rest = mock_api.get("/_segue/callbacks", params={"limit": 4, "offset": 4}).json()
    assert (len(rest["attempts"]), rest["next_offset"]) == (2, None)
    assert mock_api.get("/_segue/callbacks", params={"limit": 10**6}).status_code == 400


# ---------------------------------------------------------------------------- every callback owed


def test_a_callback_that_cannot_be_rendered_is_recorded_failed_and_costs_no_other(
    mock_config: MockConfig, callback_receiver: CallbackReceiver, fake_clock: FakeClock
) -> None:
    """Events are rendered one at a time: a bad one is recorded as failed, with its reason."""
    doomed: list[str] = []

    def breaks_one_task(sent: Outbound) -> Outbound:
        if sent.kind == "callback" and sent.body["data"]["task_id"] in doomed:
            raise ValueError("this payload cannot be rendered")
        return sent

    app = create_app(replace(mock_config, outbound=breaks_one_task))
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            body = valid_body("kie", "generateMusic", "callBackUrl", callback_receiver.url("/cb"))
            ids = [
                api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()["data"][
                    "taskId"
                ]
                for _ in range(3)
            ]
            doomed.append(ids[1])
            for _ in range(3):
                fake_clock.advance(2)
            callback_receiver.wait_for(6)
            log = api.get("/_segue/callbacks", params={"wait": "5"}).json()["attempts"]
            failed = [a for a in log if a["task_id"] == ids[1]]
            assert [(a["stage"], a["outcome"]) for a in failed] == [
                ("text", "failed"),
                ("first", "failed"),
                ("complete", "failed"),
            ]
            assert all("cannot be rendered" in a["error"] for a in failed)
            delivered = {a["task_id"] for a in log if a["outcome"] == "delivered"}
            assert delivered == {ids[0], ids[2]}
            assert api.get(f"/_segue/tasks/{ids[1]}").json()["status"] == "CALLBACK_EXCEPTION"
    finally:
        app.state.segue.close()


# ---------------------------------------------------------------------------- restart


def test_state_survives_a_restart_and_pending_callbacks_are_resumed(tmp_path: Path) -> None:
    state = tmp_path / "mock-state.json"
    flags = ("--api-key", KEY_A, "--stage-seconds", "0", "--state", str(state))
    with CallbackReceiver() as receiver:
        receiver.answer_slowly(30)  # the first callback hangs: all three are pending at the stop
        with segue_mock_process(*flags) as (process, base):
            with httpx.Client(base_url=base, trust_env=False, timeout=10) as api:
                body = valid_body("kie", "generateMusic", "callBackUrl", receiver.url("/cb"))
                task_id = api.post("/api/v1/generate", json=body, headers=bearer(KEY_A)).json()[
                    "data"
                ]["taskId"]
                api.post("/_segue/keys", json={"key": KEY_B, "credits": 7}).raise_for_status()
                api.patch("/_segue/settings", json={"rate_limit": 5}).raise_for_status()
                receiver.wait_for(1)
            stopped_within(process, STOP_BOUND)
        receiver.answer_slowly(0)
        with (
            segue_mock_process("--stage-seconds", "0", "--state", str(state)) as (_, base),
            httpx.Client(base_url=base, trust_env=False, timeout=10) as api,
        ):
            details = api.get(
                "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(KEY_A)
            ).json()
            assert details["data"]["status"] == "SUCCESS"
            keys = api.get("/_segue/keys", params={"reveal": "true"}).json()
            assert {k["key"]: k["credits"] for k in keys} == {KEY_A: 999, KEY_B: 7}
            assert api.get("/_segue/settings").json()["rate_limit"] == 5
            assert api.get("/_segue/callbacks", params={"wait": "10"}).json()["idle"]
            stages = [r.json()["data"]["callbackType"] for r in receiver.delivered()]
    assert stages[-3:] == ["text", "first", "complete"], stages
