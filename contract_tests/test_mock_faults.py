"""Injected request faults (documented error codes, slowness) and the control API's own errors."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import spec_examples
from conftest import KEY_A, KEY_B
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import SyncASGITransport, bearer, request_example

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")
GENERATE = {
    **request_example(KIE, "generateMusic", "simple"),
    "callBackUrl": "https://api.example.com/callback",
}


def documented(spec: Any, rule: str) -> Any:
    """What the spec file documents for `rule` (by example, not through the mock's lookup)."""
    return spec_examples.answer(spec.vendor, None, rule=rule)


def kie_generate(api: httpx.Client, key: str = KEY_A) -> httpx.Response:
    return api.post("/api/v1/generate", json=GENERATE, headers=bearer(key))


def udio_generate(api: httpx.Client, key: str = KEY_A) -> httpx.Response:
    return api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(key))


@pytest.mark.parametrize(
    ("status", "rule"),
    [
        (401, "unauthorized"),
        (402, "insufficient-credits"),
        (429, "rate-limited"),
        (455, "maintenance"),
        (500, "server-error"),
    ],
)
def test_each_fault_code_answers_the_documented_body(
    mock_api: httpx.Client, status: int, rule: str
) -> None:
    fault = mock_api.post("/_segue/faults", json={"status": status, "vendor": "kie"})
    assert fault.status_code == 200 and fault.json()["rule"] == rule
    response = kie_generate(mock_api)
    assert (response.status_code, response.json()) == (200, documented(KIE, rule))
    assert ("Retry-After" in response.headers) == (status == 429)
    assert kie_generate(mock_api).json()["code"] == 200  # count defaults to 1


@pytest.mark.parametrize("status", [401, 402, 429, 500])
def test_udio_faults_set_the_http_status(mock_api: httpx.Client, status: int) -> None:
    mock_api.post("/_segue/faults", json={"status": status, "vendor": "udio"})
    response = udio_generate(mock_api)
    assert response.status_code == status
    assert UDIO.response_errors("generateSong", status, response.json()) == []
    assert response.json()["code"] == status


def test_udio_documents_no_maintenance_so_the_fault_skips_it(mock_api: httpx.Client) -> None:
    refused = mock_api.post("/_segue/faults", json={"status": 455, "vendor": "udio"})
    assert refused.status_code == 400 and "455" in refused.json()["error"]
    mock_api.post("/_segue/faults", json={"status": 455})
    assert udio_generate(mock_api).status_code == 200  # not consumed by Udio
    assert kie_generate(mock_api).json()["code"] == 455


def test_http_errors_mode_sets_the_kie_status_and_retry_after(mock_api: httpx.Client) -> None:
    mock_api.patch("/_segue/settings", json={"http_errors": True})
    mock_api.post("/_segue/faults", json={"status": 429, "retry_after": 3})
    response = kie_generate(mock_api)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "3")
    assert KIE.response_errors("generateMusic", 429, response.json()) == []


def test_fault_scope_count_key_and_operation(mock_api: httpx.Client) -> None:
    mock_api.post(
        "/_segue/faults",
        json={"status": 500, "count": 2, "key": KEY_B, "operation": "generateSong"},
    )
    assert udio_generate(mock_api, KEY_A).status_code == 200
    assert kie_generate(mock_api, KEY_B).json()["code"] == 200
    assert [udio_generate(mock_api, KEY_B).status_code for _ in range(3)] == [500, 500, 200]
    mock_api.post("/_segue/faults", json={"rule": "maintenance", "count": None})
    assert [kie_generate(mock_api).json()["code"] for _ in range(3)] == [455] * 3
    listed = mock_api.get("/_segue/faults").json()["request_faults"]
    assert [(f["rule"], f["hits"]) for f in listed] == [("maintenance", 3)]
    mock_api.delete("/_segue/faults")
    assert kie_generate(mock_api).json()["code"] == 200


def test_faults_apply_to_polls_too(mock_api: httpx.Client) -> None:
    mock_api.post("/_segue/faults", json={"status": 401, "operation": "getFeed"})
    response = mock_api.get("/api/v2/feed", params={"workId": "x"}, headers=bearer(KEY_A))
    assert (response.status_code, response.json()) == (401, documented(UDIO, "unauthorized"))


def test_slow_fault_delays_a_normal_answer(mock_api: httpx.Client) -> None:
    mock_api.post("/_segue/faults", json={"delay_ms": 300})
    started = time.perf_counter()
    response = kie_generate(mock_api)
    elapsed = time.perf_counter() - started
    assert response.json()["code"] == 200
    assert elapsed >= 0.3
    started = time.perf_counter()
    kie_generate(mock_api)
    assert time.perf_counter() - started < 0.3


def test_slow_and_failing_together(mock_api: httpx.Client) -> None:
    mock_api.post("/_segue/faults", json={"delay_ms": 200, "status": 500, "vendor": "udio"})
    started = time.perf_counter()
    assert udio_generate(mock_api).status_code == 500
    assert time.perf_counter() - started >= 0.2


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"status": 422}, "several rules"),
        ({"status": 418}, "no spec documents an error with code 418"),
        ({"rule": "no-such-rule"}, "no spec documents rule"),
        ({"status": 500, "count": 0}, "count"),
        ({"vendor": "acme", "status": 500}, "vendor"),
        ({}, "body"),
        ({"status": 500, "color": "red"}, "color"),
    ],
)
def test_bad_fault_requests_are_400(
    mock_api: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    response = mock_api.post("/_segue/faults", json=body)
    assert response.status_code == 400 and fragment in response.json()["error"], response.text


def test_control_api_errors(mock_api: httpx.Client) -> None:
    assert mock_api.post("/_segue/tasks/nope/advance", json={}).status_code == 404
    assert mock_api.get("/_segue/tasks/nope").status_code == 404
    assert (
        mock_api.post(
            "/_segue/advance", content=b"{oops", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert mock_api.post("/_segue/advance", json={"stages": 0}).status_code == 400
    assert mock_api.get("/_segue/nothing").status_code == 404
    assert mock_api.patch("/_segue/settings", json={"stage_seconds": -1}).status_code == 400
    assert mock_api.get("/_segue/callbacks", params={"wait": "soon"}).status_code == 400


def test_control_clock_moves_a_fake_clock(mock_api: httpx.Client, fake_clock: FakeClock) -> None:
    before = fake_clock.now()
    assert mock_api.post("/_segue/clock", json={"advance": 5}).json() == {"now": before + 5}


def test_control_token_guards_the_control_api() -> None:
    app = create_app(MockConfig(api_keys=(KEY_A,), clock=FakeClock(), control_token="s3cret"))
    try:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as api:
            assert api.get("/_segue/health").status_code == 401
            assert (
                api.get("/_segue/health", headers={"X-Segue-Control-Token": "s3cret"}).json()["ok"]
                is True
            )
    finally:
        app.state.segue.close()


def test_health_lists_operations_and_documented_rules(mock_api: httpx.Client) -> None:
    health = mock_api.get("/_segue/health").json()
    assert health["vendors"]["udio"]["operations"]["extendSong"] == "POST /api/v2/extend"
    assert (
        health["vendors"]["kie"]["operations"]["getMusicTaskDetails"]
        == "GET /api/v1/generate/record-info"
    )
    assert "maintenance" in health["vendors"]["kie"]["documented_rules"]
    assert "maintenance" not in health["vendors"]["udio"]["documented_rules"]
