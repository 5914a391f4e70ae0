"""segue's stateful mock of the KIE and Udio APIs (`segue mock`), driven by specs/*.openapi.yaml.

In-process::

    from segue.mock import FakeClock, MockConfig, create_app
    clock = FakeClock()
    app = create_app(MockConfig(clock=clock, api_keys=("k",)))
    httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
    clock.advance(2)                   # every task moves one stage (stage_seconds=2)

Steer it through the control API (`/_segue/`, segue.mock.control) as a test would over HTTP.
Over HTTP: `with LiveServer(MockConfig(...)) as server: server.base_url`.

What one KIE extend request walks: server (uvicorn; its parser's refusals in the vendor envelope)
-> app (Starlette routing) -> routes (faults, key, body via jsonio, schema via schema_errors,
error answers from spec's examples) -> backend (the lock, the clock, events -> deliveries, the
outbound seam) -> models (state and rules, no HTTP) -> render (vendor shapes) -> callbacks
(the dispatcher). `snapshot` saves and restores the state (`--state`); `config` holds the two
seams mutation testing builds a misbehaving mock with (`state_checks`, `outbound`).
"""

from segue.mock.app import create_app
from segue.mock.backend import MockBackend
from segue.mock.callbacks import signature
from segue.mock.clock import FakeClock, RealClock
from segue.mock.config import MockConfig
from segue.mock.server import LiveServer

__all__ = [
    "FakeClock",
    "LiveServer",
    "MockBackend",
    "MockConfig",
    "RealClock",
    "create_app",
    "signature",
]
