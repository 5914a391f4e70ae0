"""segue's stateful mock of the KIE and Udio APIs (`segue mock`), driven by specs/*.openapi.yaml.

In-process::

    from segue.mock import FakeClock, MockConfig, create_app
    clock = FakeClock()
    app = create_app(MockConfig(clock=clock, api_keys=("k",)))
    httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
    clock.advance(2)                   # every task moves one stage (stage_seconds=2)

Steer it through the control API (`/_segue/`, segue.mock.control) as a test would over HTTP.
Over HTTP: `with LiveServer(MockConfig(...)) as server: server.base_url`.

The moto layout. What one KIE extend request walks, in one direction: `kie/urls` (which handler
serves `extendMusic`) -> `responses` (`BackpressureGate`: a full backlog's 429 before anything
else; `ExactRoutes`: the operation's endpoint by method and path; `VendorResponses`: fault, key,
body, query and body schemas, and every error answer, from the spec's examples) ->
`kie/responses` (the handler: calls the state through the core, renders the answer) -> `core`
(`MockCore`: the lock, the clock, events rendered one at a time into deliveries, the outbound
seam) -> `models` (state and rules, no HTTP) -> `callbacks` (the dispatcher, after the lock).
Over HTTP, `server` (uvicorn, its parser's refusals in the vendor envelope, each response's
writes in one send) comes first. `app` wires them once; `control` is the control
API; `snapshot` saves and restores the state (`--state`); `config` holds the two seams mutation
testing builds a misbehaving mock with (`state_checks`, `outbound`).
"""

from segue.mock.app import create_app
from segue.mock.clock import FakeClock, RealClock
from segue.mock.config import MockConfig
from segue.mock.core import MockCore
from segue.mock.server import LiveServer

__all__ = [
    "FakeClock",
    "LiveServer",
    "MockConfig",
    "MockCore",
    "RealClock",
    "create_app",
]
