"""The same generator, given the sunoapi.org flavour of KIE (overlay/kie-sunoapi.yaml), makes
an SDK that maps that brand's codes: 429 is insufficient credits, 405 and 430 rate limiting.

The flavour is generated into a temporary folder (`generate.build_python_sdk`, no code
change, only another bundle) and exercised in a subprocess (its `kie_client` would clash with
the workspace's) over `httpx.MockTransport`. Expected classes come from the flavour's bundle.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from segue import generate
from segue.paths import GENERATED_DIR

PROBE = textwrap.dedent(
    """
    import json, sys
    import httpx, kie_client

    def answer(code):
        def handler(request):
            handler.calls += 1
            headers = {"Retry-After": "0"}
            if handler.calls > 1:
                return httpx.Response(200, json={"code": 200, "msg": "success",
                                                 "data": {"taskId": "t1"}})
            return httpx.Response(200, json={"code": code, "msg": "m", "data": None},
                                  headers=headers)
        handler.calls = 0
        return handler

    def create(code, max_retries):
        handler = answer(code)
        http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://x")
        kie = kie_client.Kie(api_key="k", http_client=http, max_retries=max_retries)
        try:
            kie.generate_music(custom_mode=False, instrumental=True, model="V4",
                               prompt="p", call_back_url="https://example.com/cb")
            raised = None
        except kie_client.KieError as error:
            raised = type(error).__name__
        return raised, handler.calls

    results = {}
    for code in json.loads(sys.argv[1]):
        raised, _ = create(code, 0)
        _, requests = create(code, 1)
        results[code] = {"raised": raised, "requests": requests}
    print(json.dumps({"server": kie_client.sdk.FACTS.server_url, "results": results}))
    """
)


@pytest.fixture(scope="module")
def sunoapi_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kie = next(sdk for sdk in generate.PYTHON_SDKS if sdk.vendor == "kie")
    flavour = dataclasses.replace(kie, bundle="kie-sunoapi")
    return generate.build_python_sdk(flavour, tmp_path_factory.mktemp("sunoapi"))


def _probe(sdk_dir: Path, codes: list[int]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(codes)],
        env={**os.environ, "PYTHONPATH": str(sdk_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_sunoapi_flavour_maps_its_own_code_table(sunoapi_sdk: Path) -> None:
    bundle = json.loads((GENERATED_DIR / "openapi" / "kie-sunoapi.json").read_text("utf-8"))
    table = bundle["x-segue-errors"]["codes"]
    probe = _probe(sunoapi_sdk, [int(code) for code in table])
    assert probe["server"] == bundle["servers"][0]["url"]
    results = probe["results"]
    assert isinstance(results, dict)
    for code, entry in table.items():
        retried = entry.get("transient") and entry.get("task-created") is False
        assert results[code] == {"raised": entry["error"], "requests": 2 if retried else 1}, code
    # What the issue states of the brand, checked against the table the SDK followed:
    assert table["429"]["error"] == "InsufficientCredits"
    assert table["405"]["error"] == table["430"]["error"] == "RateLimited"


def test_the_kie_sdk_maps_the_same_codes_otherwise() -> None:
    probe = _probe(GENERATED_DIR / "python" / "kie", [429, 402])
    assert probe["results"] == {
        "429": {"raised": "RateLimited", "requests": 2},  # retried: no task was made
        "402": {"raised": "InsufficientCredits", "requests": 1},
    }
