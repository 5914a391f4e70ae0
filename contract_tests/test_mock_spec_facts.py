"""Facts the mock reads from the specs' `x-segue-…` extensions: change the spec, the mock follows.

`x-segue-errors.outcome` (envelope = errors as HTTP 200, DECISIONS X-1) and
`x-segue-max-duration-seconds` on `Model` (the longest clip per model, X-4).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
from conftest import KEY_A
from segue import paths, speclib
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.testing import SyncASGITransport, bearer

CALLBACK = "https://api.example.com/callback"


def changed_specs(tmp_path: Path, vendor: str, change: Any) -> Path:
    for name in paths.VENDORS:
        shutil.copy(paths.spec_path(name), tmp_path)
    document = speclib.load_spec(tmp_path / f"{vendor}.openapi.yaml")
    change(document)
    (tmp_path / f"{vendor}.openapi.yaml").write_text(json.dumps(document))  # JSON is YAML
    return tmp_path


def serve(spec_dir: Path | None) -> tuple[httpx.Client, Any]:
    app = create_app(
        MockConfig(api_keys=(KEY_A,), clock=FakeClock(), spec_dir=spec_dir, stage_seconds=0)
    )
    return httpx.Client(transport=SyncASGITransport(app), base_url="http://mock"), app


def kie_durations(spec_dir: Path | None, model: str) -> list[float]:
    api, app = serve(spec_dir)
    try:
        body = {"customMode": False, "instrumental": True, "prompt": "x", "model": model}
        task = api.post(
            "/api/v1/generate", json={**body, "callBackUrl": CALLBACK}, headers=bearer(KEY_A)
        ).json()["data"]["taskId"]
        details = api.get(
            "/api/v1/generate/record-info", params={"taskId": task}, headers=bearer(KEY_A)
        ).json()
        return [clip["duration"] for clip in details["data"]["response"]["sunoData"]]
    finally:
        app.state.segue.close()


def test_clip_lengths_follow_the_specs_max_duration(tmp_path: Path) -> None:
    kie = speclib.load_spec(paths.spec_path("kie"))
    longest = kie["components"]["schemas"]["Model"]["x-segue-max-duration-seconds"]
    assert all(d <= longest["V4"] for d in kie_durations(None, "V4"))

    def shorter(document: Any) -> None:
        document["components"]["schemas"]["Model"]["x-segue-max-duration-seconds"]["V4"] = 30

    spec_dir = changed_specs(tmp_path, "kie", shorter)
    assert all(d <= 30 for d in kie_durations(spec_dir, "V4"))


def test_the_error_outcome_follows_x_segue_errors(tmp_path: Path) -> None:
    def by_status(document: Any) -> None:
        document["x-segue-errors"]["outcome"] = "http-status"

    statuses = {}
    for label, spec_dir in (
        ("envelope", None),
        ("http-status", changed_specs(tmp_path, "kie", by_status)),
    ):
        api, app = serve(spec_dir)
        try:
            statuses[label] = api.post(
                "/api/v1/generate", json={}, headers=bearer(KEY_A)
            ).status_code
        finally:
            app.state.segue.close()
    assert statuses == {"envelope": 200, "http-status": 422}
