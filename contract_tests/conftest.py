"""Shared fixtures: the mock in-process (ASGI) and over real HTTP, and a callback receiver.

- `mock_config`: a `MockConfig` on a `FakeClock` with two keys, fast callback retries and a
  webhook HMAC key. Override this fixture in a test module to change the mock.
- `mock_app`: the ASGI app (`mock_app.state.segue` is its `MockCore`); closed after the test.
- `mock_client`: a sync `httpx.Client` calling `mock_app` through `httpx.ASGITransport`.
- `live_mock_server`: the same app served by uvicorn on 127.0.0.1 (free port), `.base_url`.
- `mock_api`: parametrized twice, a client of `mock_client` (ASGI) and of `live_mock_server`
  (HTTP): a test using it runs over both.
- `callback_receiver`: a real HTTP receiver on 127.0.0.1 recording every request;
  `.fail_next(n)` makes it answer 500 n times.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from segue.mock import FakeClock, LiveServer, MockConfig, create_app
from segue.mock.testing import CallbackReceiver, SyncASGITransport
from starlette.applications import Starlette

pytest_plugins = ["segue.contract.plugin"]
KEY_A, KEY_B = "test-key-a", "test-key-b"
HMAC_KEY = "test-webhook-hmac-key"


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock(start=1_767_225_600.0)  # 2026-01-01T00:00:00Z


@pytest.fixture
def mock_config(fake_clock: FakeClock) -> MockConfig:
    return MockConfig(
        api_keys=(KEY_A, KEY_B),
        clock=fake_clock,
        stage_seconds=2.0,
        webhook_hmac_key=HMAC_KEY,
        callback_backoff=0.01,
        callback_timeout=2.0,
        seed=1234,
    )


@pytest.fixture
def mock_app(mock_config: MockConfig) -> Iterator[Starlette]:
    app = create_app(mock_config)
    yield app
    app.state.segue.close()


@pytest.fixture
def mock_client(mock_app: Starlette) -> Iterator[httpx.Client]:
    with httpx.Client(transport=SyncASGITransport(mock_app), base_url="http://mock") as client:
        yield client


@pytest.fixture(scope="session")
def _uvicorn() -> Iterator[LiveServer]:
    """One uvicorn for the session (stopping one takes ~0.15 s); each test mounts its own app."""
    with LiveServer(switchable=True) as server:
        yield server


@pytest.fixture
def live_mock_server(_uvicorn: LiveServer, mock_app: Starlette) -> Iterator[LiveServer]:
    _uvicorn.serve_app(mock_app)
    yield _uvicorn
    _uvicorn.serve_app(None)


@pytest.fixture(params=["asgi", "http"])
def mock_api(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    if request.param == "asgi":
        yield request.getfixturevalue("mock_client")
        return
    server: LiveServer = request.getfixturevalue("live_mock_server")
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=10) as client:
        yield client


@pytest.fixture
def callback_receiver() -> Iterator[CallbackReceiver]:
    with CallbackReceiver() as receiver:
        yield receiver
