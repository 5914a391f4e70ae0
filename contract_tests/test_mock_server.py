"""`segue mock` as a user runs it (a subprocess on a free port), and crash safety of the app."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
import spec_examples
from conftest import KEY_A
from segue import paths, speclib
from segue.mock import MockConfig, create_app
from segue.mock.server import CoalescedWrites
from segue.mock.spec import SpecError, load_vendor_spec
from segue.mock.testing import SyncASGITransport, bearer, request_example

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def segue_mock(*flags: str) -> Iterator[tuple[str, list[str]]]:
    """Run `segue mock --port <free> FLAGS`; yield (base URL, lines printed before it served)."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "segue.cli", "mock", "--port", str(port), *flags],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    lines: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        yield f"http://127.0.0.1:{port}", lines
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_segue_mock_prints_a_generated_key_and_serves_both_vendors() -> None:
    with segue_mock("--stage-seconds", "0") as (base_url, lines):
        printed = [
            m.group(1) for line in lines if (m := re.search(r"accepting API key (\S+)", line))
        ]
        assert len(printed) == 1, lines
        key = printed[0]
        with httpx.Client(base_url=base_url, trust_env=False, timeout=10) as api:
            body = {
                **request_example(KIE, "generateMusic", "simple"),
                "callBackUrl": "https://api.example.com/callback",
            }
            created = api.post("/api/v1/generate", json=body, headers=bearer(key)).json()
            details = api.get(
                "/api/v1/generate/record-info",
                params={"taskId": created["data"]["taskId"]},
                headers=bearer(key),
            )
            assert details.json()["data"]["status"] == "SUCCESS"  # --stage-seconds 0: done at once
            assert (
                api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(key)).status_code
                == 200
            )
            assert (
                api.post(
                    "/api/v2/generate", json={"prompt": "x"}, headers=bearer("other")
                ).status_code
                == 401
            )


def test_segue_mock_flags_reach_the_mock() -> None:
    flags = (
        "--api-key",
        "k1",
        "--api-key",
        "k2",
        "--http-errors",
        "--stage-seconds",
        "inf",
        "--credits",
        "1",
        "--rate-limit",
        "0",
    )
    with segue_mock(*flags) as (base_url, lines):
        assert any("accepting API key k1" in line for line in lines) and any(
            "accepting API key k2" in line for line in lines
        )
        with httpx.Client(base_url=base_url, trust_env=False, timeout=10) as api:
            body = {
                **request_example(KIE, "generateMusic", "simple"),
                "callBackUrl": "https://api.example.com/callback",
            }
            assert (
                api.post("/api/v1/generate", json={}, headers=bearer("k2")).status_code == 422
            )  # --http-errors
            assert api.post("/api/v1/generate", json=body, headers=bearer("k2")).status_code == 200
            assert (
                api.post("/api/v1/generate", json=body, headers=bearer("k2")).status_code == 402
            )  # --credits 1
            settings = api.get("/_segue/settings").json()
            assert settings["stage_seconds"] is None and settings["rate_limit"] == 0


def test_segue_mock_refuses_a_spec_dir_without_specs(tmp_path: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "segue.cli", "mock", "--spec-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "kie.openapi.yaml" in result.stderr and "Traceback" not in result.stderr


def test_a_crash_inside_the_mock_answers_the_documented_500_not_a_trace(
    mock_config: MockConfig,
) -> None:
    def broken(sent: Any) -> Any:  # the outbound seam raising: a bug in what the mock sends
        raise RuntimeError("boom: this must not reach the client")

    app = create_app(replace(mock_config, outbound=broken))
    mock_api = httpx.Client(transport=SyncASGITransport(app), base_url="http://mock")
    generated = mock_api.post("/api/v2/generate", json={"prompt": "x"}, headers=bearer(KEY_A))
    work_id = generated.json()["workId"]
    udio = mock_api.get("/api/v2/feed", params={"workId": work_id}, headers=bearer(KEY_A))
    assert (udio.status_code, udio.json()) == (
        500,
        spec_examples.answer("udio", None, rule="server-error"),
    )
    kie = mock_api.get(
        "/api/v1/generate/record-info", params={"taskId": "x"}, headers=bearer(KEY_A)
    )
    assert (kie.status_code, kie.json()) == (
        200,
        spec_examples.answer("kie", None, rule="server-error"),
    )
    assert "boom" not in udio.text + kie.text
    mock_api.close()
    app.state.segue.close()


def test_a_spec_the_mock_cannot_render_from_fails_at_start_up(tmp_path: Any) -> None:
    for vendor in paths.VENDORS:
        shutil.copy(paths.spec_path(vendor), tmp_path)
    udio = speclib.load_spec(tmp_path / "udio.openapi.yaml")
    del udio["paths"]["/v2/extend"]["post"]["responses"]["200"]["content"]["application/json"][
        "examples"
    ]
    (tmp_path / "udio.openapi.yaml").write_text(json.dumps(udio))
    with pytest.raises(SpecError, match="extendSong needs a 2xx response example"):
        create_app(MockConfig(spec_dir=tmp_path))
    (tmp_path / "kie.openapi.yaml").write_text("openapi: 3.1.0\npaths: [unclosed\n")
    with pytest.raises(SpecError, match=r"kie\.openapi\.yaml"):
        create_app(MockConfig(spec_dir=tmp_path))


class RecordingTransport:
    """What `CoalescedWrites` hands on: each write() and close(), in order."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.calls.append(data)

    def close(self) -> None:
        self.calls.append("close")
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", 8787) if name == "sockname" else None


def test_writes_of_one_turn_leave_together_and_later_ones_as_written() -> None:
    async def scenario() -> list[Any]:
        transport = RecordingTransport()
        writes = CoalescedWrites(transport, asyncio.get_running_loop())  # type: ignore[arg-type]
        writes.write(b"HTTP/1.1 200 OK\r\n\r\n")
        writes.write(b"head's body")
        assert transport.calls == []  # nothing leaves before the turn ends
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        writes.write(b"a later chunk")  # a streamed body: its own send, in its own turn
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        writes.write(b"last words")
        writes.close()  # what was written before a close leaves before it
        writes.write(b"after the close")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert writes.get_extra_info("sockname") == ("127.0.0.1", 8787)
        return transport.calls

    assert asyncio.run(scenario()) == [
        b"HTTP/1.1 200 OK\r\n\r\nhead's body",
        b"a later chunk",
        b"last words",
        "close",
    ]
