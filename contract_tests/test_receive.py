"""`segue receive`: a person's receiver for trying the mock by hand, tested as a person uses it.

The real command runs as a subprocess on a free 127.0.0.1 port; the mock (in-process, over real
HTTP) sends it signed KIE callbacks and Udio callbacks; its output must show every stage and the
signature verdict — and a wrong key must show up as a bad signature, answered with HTTP 401.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from segue.mock import FakeClock, LiveServer, MockConfig

KEY = "receive-demo"
HMAC_KEY = "whsec-demo"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_receiver(hmac_key: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "segue.cli", "receive", "--port", str(port), "--hmac-key", hmac_key],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    assert "listening on" in process.stdout.readline()
    return process, port


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=10)
    return output


@pytest.fixture()
def mock() -> Iterator[tuple[LiveServer, FakeClock]]:
    clock = FakeClock()
    config = MockConfig(clock=clock, api_keys=[KEY], webhook_hmac_key=HMAC_KEY)
    with LiveServer(config) as server:
        yield server, clock


def _run_kie_and_udio(server: LiveServer, clock: FakeClock, port: int) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=10) as client:
        kie = client.post(
            "/api/v1/generate",
            json={
                "customMode": False,
                "instrumental": False,
                "prompt": "calm piano",
                "model": "V4",
                "callBackUrl": f"http://127.0.0.1:{port}/kie",
            },
        )
        assert kie.json()["code"] == 200
        udio = client.post(
            "/api/v2/generate",
            json={
                "gpt_description_prompt": "a pop song",
                "callback_url": f"http://127.0.0.1:{port}/udio",
            },
        )
        assert udio.status_code == 200
        for _ in range(3):  # one stage each; the fake clock stays within the signature window
            clock.advance(30)
        # Past `wait` when a refused stage is still being retried: the client outlasts it.
        client.get("/_segue/callbacks", params={"wait": 10}, timeout=20)
    time.sleep(0.2)  # the receiver prints after answering


def test_receive_prints_every_stage_and_a_good_signature(
    mock: tuple[LiveServer, FakeClock],
) -> None:
    process, port = _start_receiver(HMAC_KEY)
    try:
        _run_kie_and_udio(*mock, port)
    finally:
        output = _stop(process)
    kie_lines = [line for line in output.splitlines() if line.startswith("/kie")]
    assert [line.split()[4] for line in kie_lines] == ["text", "first", "complete"], output
    assert all(line.endswith("signature ok") for line in kie_lines), output
    udio_lines = [line for line in output.splitlines() if line.startswith("/udio")]
    assert [line.rsplit(" ", 1)[-1] for line in udio_lines] == ["text", "first", "complete"], output


def test_receive_flags_a_signature_made_with_another_key(
    mock: tuple[LiveServer, FakeClock],
) -> None:
    process, port = _start_receiver("not-the-mocks-key")
    try:
        _run_kie_and_udio(*mock, port)
    finally:
        output = _stop(process)
    kie_lines = [line for line in output.splitlines() if line.startswith("/kie")]
    # Refused with a 4xx, so the mock retries each stage: at least one line per stage, all bad.
    assert len(kie_lines) >= 3, output
    assert all("SIGNATURE BAD (answered 401)" in line for line in kie_lines), output
