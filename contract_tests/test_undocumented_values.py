"""Tolerant reader, strict speaker: a vendor answer with a value no page documents.

The case of issue 8: KIE's record-info answers `status: "QUEUED_FOR_MASTERING"` (a status KIE
may add) for clips whose `modelName` nobody has seen. The specs leave those enums open
(DECISIONS X-5), so

- both generated Python clients and the pydantic models parse such an answer, served over HTTP
  (an httpx transport), and keep both values as sent;
- `segue contract` against a server sending it reports both values by name as warnings in
  summary.md and junit.xml, and does not fail because of them.

The documented values come from the spec (the open enum's known branch), never from here; the
unseen ones are made up so that no spec can ever list them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import KEY_A
from segue.contract.oracle import load_oracle
from segue.mock import LiveServer
from segue.paths import PROJECT_ROOT
from starlette.applications import Starlette

UNSEEN_STATUS = "QUEUED_FOR_MASTERING"
UNSEEN_MODEL = "chirp-never-seen-9000"
UNSEEN_CLIP_STATUS = "mastering"
RECORD_INFO = "/api/v1/generate/record-info"
FEED = "/api/v2/feed"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


def kie_answer() -> dict[str, Any]:
    """The spec's own record-info success example, with the two unseen values put in."""
    operation = load_oracle("kie").operations["getMusicTaskDetails"]
    example = next(
        value
        for name, value in documented_responses("kie", operation.route, "get")
        if name == "generated"
    )
    answer = json.loads(json.dumps(example))
    answer["data"]["status"] = UNSEEN_STATUS
    for clip in answer["data"]["response"]["sunoData"]:
        clip["modelName"] = UNSEEN_MODEL
    return answer


def udio_answer() -> dict[str, Any]:
    """The spec's own complete feed example, with an unseen clip stage and model."""
    example = next(
        value
        for name, value in documented_responses("udio", "/v2/feed", "get")
        if name == "complete"
    )
    answer = json.loads(json.dumps(example))
    for clip in answer["data"]["response_data"]:
        clip["status"] = UNSEEN_CLIP_STATUS
        clip["model_name"] = UNSEEN_MODEL
    return answer


def documented_responses(vendor: str, route: str, method: str) -> list[tuple[str, Any]]:
    from segue import speclib

    oracle = load_oracle(vendor)
    pointer = speclib.join_pointer("/paths", route, method, "responses", "200")
    response, pointer = oracle.follow(oracle.resolve(pointer), pointer)
    media = response["content"]["application/json"]
    media_pointer = speclib.join_pointer(pointer, "content", "application/json")
    return [
        (example.name or "", example.value)
        for example in speclib.iter_examples(oracle.document, media, media_pointer)
    ]


def serving(answer: dict[str, Any]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json=answer))


# --------------------------------------------------------------------------- the SDKs


def test_the_unseen_values_are_not_documented() -> None:
    """Guard: the spec must not list the made-up values (else the tests below prove nothing)."""
    oracle = load_oracle("kie")
    assert UNSEEN_STATUS not in oracle.component_enum("TaskStatus")
    assert UNSEEN_MODEL not in oracle.component_enum("SunoModelName")
    assert UNSEEN_CLIP_STATUS not in load_oracle("udio").component_enum("ClipStatus")


def test_kie_client_parses_and_keeps_unseen_values() -> None:
    from kie_client import Client
    from kie_client.api.tasks import get_music_task_details

    client = Client(base_url="https://api.kie.ai")
    client.set_httpx_client(
        httpx.Client(base_url="https://api.kie.ai", transport=serving(kie_answer()))
    )
    parsed = get_music_task_details.sync(client=client, task_id="5c79****be8e")
    details = parsed.data  # type: ignore[union-attr]
    assert details.status == UNSEEN_STATUS
    assert {clip.model_name for clip in details.response.suno_data} == {UNSEEN_MODEL}
    assert parsed.to_dict()["data"]["status"] == UNSEEN_STATUS  # type: ignore[union-attr]


def test_kie_models_parse_and_keep_unseen_values() -> None:
    import kie_models

    parsed = kie_models.TaskDetailsResponse.model_validate(kie_answer())
    assert parsed.data.status == UNSEEN_STATUS
    dumped = parsed.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert dumped["data"]["status"] == UNSEEN_STATUS
    assert {clip["modelName"] for clip in dumped["data"]["response"]["sunoData"]} == {UNSEEN_MODEL}


def test_udio_client_and_models_parse_and_keep_unseen_values() -> None:
    import udio_models
    from udio_client import Client
    from udio_client.api.feed import get_feed

    client = Client(base_url="https://udioapi.pro/api")
    client.set_httpx_client(
        httpx.Client(base_url="https://udioapi.pro/api", transport=serving(udio_answer()))
    )
    parsed = get_feed.sync(client=client, work_id="gen2abc123def456bksv")
    clips = parsed.data.response_data  # type: ignore[union-attr]
    assert {(c.status, c.model_name) for c in clips} == {(UNSEEN_CLIP_STATUS, UNSEEN_MODEL)}
    model = udio_models.FeedResponse.model_validate(udio_answer())
    assert {(c.status, c.model_name) for c in model.data.response_data} == {
        (UNSEEN_CLIP_STATUS, UNSEEN_MODEL)
    }


def test_documented_values_still_parse_as_the_enum() -> None:
    """The open form keeps the documented list usable: a known status is the client's enum."""
    from kie_client.models import TaskDetailsResponse, TaskStatus

    answer = kie_answer()
    answer["data"]["status"] = load_oracle("kie").component_enum("TaskStatus")[0]
    parsed = TaskDetailsResponse.from_dict(answer)
    assert isinstance(parsed.data.status, TaskStatus)


# --------------------------------------------------------------------------- the suite


class RewriteAnswers:
    """ASGI middleware: the mock, but its JSON answers on `path` pass through `rewrite` — a
    server that sends values the mock (a strict speaker) never would."""

    def __init__(self, app: Starlette, path: str, rewrite: Callable[[Any], Any]) -> None:
        self.app, self.path, self.rewrite = app, path, rewrite

    async def __call__(
        self, scope: Scope, receive: Callable[[], Awaitable[Message]], send: Any
    ) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = json.dumps(self.rewrite(json.loads(b"".join(chunks)))).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", b"%d" % len(body))]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def with_unseen_values(answer: Any) -> Any:
    """A record-info answer as a KIE that added a status and a model would send it."""
    data = answer.get("data") if isinstance(answer, dict) else None
    if isinstance(data, dict) and data.get("status") == "PENDING":
        data["status"] = UNSEEN_STATUS
    for clip in ((data or {}).get("response") or {}).get("sunoData") or []:
        clip["modelName"] = UNSEEN_MODEL
    return answer


@pytest.fixture
def vendor_like_server(_uvicorn: LiveServer, mock_app: Starlette) -> Iterator[str]:
    _uvicorn.serve_app(RewriteAnswers(mock_app, RECORD_INFO, with_unseen_values))
    yield _uvicorn.base_url
    _uvicorn.serve_app(None)


def run_suite_against(server: str, report: Path, selection: str) -> list[str]:
    """`segue contract --base-url server` (KIE, quick, seed 8) on the `-k` selection; it must
    pass. Returns the Warnings section of summary.md and the JUnit `undocumented-value`s."""
    result = subprocess.run(
        [sys.executable, "-m", "segue.cli", "contract", "--base-url", server, "--vendor", "kie",
         "--profile", "quick", "--max-credits", "20", "--report", str(report), "--seed", "8",
         "-k", selection],
        capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT,
        env={**os.environ, "SEGUE_API_KEY": KEY_A},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    summary = (report / "summary.md").read_text()
    assert "# segue contract: PASSED" in summary
    properties = [
        prop.get("value", "")
        for prop in ET.parse(report / "junit.xml").iter("property")
        if prop.get("name") == "undocumented-value"
    ]
    return [summary.split("## Warnings (not failures)")[1], *properties]


def test_suite_reports_unseen_values_as_warnings(tmp_path: Path, vendor_like_server: str) -> None:
    summary_warnings, *properties = run_suite_against(
        vendor_like_server, tmp_path / "report", "test_lifecycle"
    )
    assert f'data/status: undocumented value "{UNSEEN_STATUS}"' in summary_warnings
    assert f'modelName: undocumented value "{UNSEEN_MODEL}"' in summary_warnings
    assert any(UNSEEN_STATUS in value for value in properties), properties
    assert any(UNSEEN_MODEL in value for value in properties), properties


def test_schemathesis_answers_feed_the_same_warnings(
    tmp_path: Path, vendor_like_server: str
) -> None:
    """Only the Schemathesis tests run: the fuzzed polls' 2xx answers carry the unseen model."""
    summary_warnings, *properties = run_suite_against(
        vendor_like_server, tmp_path / "report", "test_kie_operation and record"
    )
    line = (
        "getMusicTaskDetails response: data/response/sunoData/0/modelName: "
        f'undocumented value "{UNSEEN_MODEL}"'
    )
    assert line in summary_warnings, summary_warnings
    assert "test_schemathesis.py::test_kie_operation" in summary_warnings
    assert line in properties, properties
