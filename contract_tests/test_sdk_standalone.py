"""The SDK distributions, installed alone into a clean virtualenv, against `segue mock` over HTTP.

`uv venv` + `uv pip install generated/python/kie generated/python/udio` (from uv's cache; no
segue, no test tools), then `contract_tests/sdk_standalone/flow.py` runs there against a
`segue mock` subprocess on 127.0.0.1: both vendors, sync and async, the "Done when" list of
issue 10 (signed callbacks, 402, 429 with max_retries=0, InvalidRequest with nothing sent,
TaskFailed from the control API's `fail`), and `import segue` failing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from segue.mock_process import running_mock
from segue.paths import GENERATED_DIR

FLOW = Path(__file__).parent / "sdk_standalone" / "flow.py"
API_KEY, HMAC_KEY = "standalone-key", "standalone-hmac"


@pytest.fixture(scope="module")
def sdk_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    venv = tmp_path_factory.mktemp("sdk-venv") / "venv"
    python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    subprocess.run(
        [uv, "venv", "--quiet", "--python", python_version, str(venv)],
        check=True,
        timeout=120,
        env=env,
        cwd=venv.parent,
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            str(GENERATED_DIR / "python" / "kie"),
            str(GENERATED_DIR / "python" / "udio"),
        ],
        check=True,
        timeout=300,
        env=env,
        cwd=venv.parent,
    )
    return python


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    options = ("--api-key", API_KEY, "--webhook-hmac-key", HMAC_KEY, "--polls-per-stage", "1")
    with running_mock(*options) as url:
        yield url


def test_installed_sdks_run_the_whole_flow_without_segue(sdk_venv: Path, mock_url: str) -> None:
    result = subprocess.run(
        [str(sdk_venv), str(FLOW), mock_url, API_KEY, HMAC_KEY],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=sdk_venv.parent.parent,  # not the project: nothing of it on sys.path
        env={"PATH": os.environ.get("PATH", ""), "NO_PROXY": "127.0.0.1"},
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout
    for expected in (
        "import segue fails",
        "InsufficientCredits",
        "RateLimited",
        "TaskFailed",
        "a stale timestamp is rejected",
        "nothing sent, also with no server",
    ):
        assert expected in result.stdout, expected


def test_the_sdk_venv_has_no_test_or_generator_tools(sdk_venv: Path) -> None:
    installed = subprocess.run(
        [
            str(sdk_venv),
            "-c",
            "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'].lower() "
            "for d in m.distributions()))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert {"kie-client", "udio-client"} <= set(installed)
    for forbidden in (
        "segue",
        "schemathesis",
        "hypothesis",
        "pytest",
        "openapi-python-client",
        "datamodel-code-generator",
    ):
        assert forbidden not in installed, forbidden
