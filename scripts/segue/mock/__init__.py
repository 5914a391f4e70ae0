"""segue's stateful mock of the KIE and Udio APIs (`segue mock`), driven by specs/*.openapi.yaml.

In-process::

    from segue.mock import FakeClock, MockConfig, create_app
    clock = FakeClock()
    app = create_app(MockConfig(clock=clock, api_keys=("k",)))
    backend = app.state.segue          # state, faults, callbacks; backend.advance(task_id)
    httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
    clock.advance(2)                   # every task moves one stage (stage_seconds=2)

Over HTTP: `with LiveServer(MockConfig(...)) as server: server.base_url`.
Module map (moto-style): spec (what the spec says) -> validation (messages) -> models (state and
rules, no HTTP) -> render (vendor shapes) -> backend (lock, events, callbacks) -> routes / control
(HTTP) -> app (Starlette) -> server (uvicorn).
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
