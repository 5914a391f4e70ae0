"""contract_tests/typescript/client.mts, a real openapi-fetch client on the generated types,
compiled with the pinned tsc and run with node against `segue mock` over HTTP: generate ->
wait -> extend -> wait for both vendors, and KIE callback signatures checked with node:crypto.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from segue.mock_process import running_mock
from segue.paths import GENERATED_DIR, NODE_DIR

CLIENT_DIR = Path(__file__).parent / "typescript"
API_KEY, HMAC_KEY = "ts-client-key", "ts-client-hmac"


@pytest.fixture(scope="module")
def compiled_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm are not installed")
    if not (NODE_DIR / "node_modules" / "openapi-fetch").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)
    out = tmp_path_factory.mktemp("ts-client")
    result = subprocess.run(
        [
            "npx",
            "--no-install",
            "tsc",
            "--pretty",
            "false",
            "-p",
            str(CLIENT_DIR / "tsconfig.client.json"),
            "--outDir",
            str(out),
        ],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (out / "node_modules").symlink_to(NODE_DIR / "node_modules")  # ESM resolves from the file
    return out / "client.mjs"


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    options = ("--api-key", API_KEY, "--webhook-hmac-key", HMAC_KEY, "--polls-per-stage", "1")
    with running_mock(*options) as url:
        yield url


def test_the_typescript_client_runs_both_flows_against_the_mock(
    compiled_client: Path, mock_url: str
) -> None:
    result = subprocess.run(
        ["node", str(compiled_client), mock_url, API_KEY, HMAC_KEY, str(GENERATED_DIR / "openapi")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "all checks passed", lines
    assert any(line.startswith("ok: kie:") and "signatures verified" in line for line in lines)
    assert any(line.startswith("ok: udio:") for line in lines)
