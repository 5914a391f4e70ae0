"""Callback receivers for testing `segue contract --receiver`: correct ones, and broken ones.

`receiver_app(vendor, defect, key)` is a Starlette callback endpoint that does what a team's
endpoint should (verify the signature with the spec's scheme when it has a key, answer the
spec's acknowledgement) except for one defect:

- `crash-on-error`: raises on a failure stage (KIE `callbackType: error`) — HTTP 500;
- `knows-only-example-codes`: raises on a failure whose code (`callback-failure-code`) none of
  the spec's examples shows, though the payload schema documents it;
- `requires-optional-field`: reads a property the spec makes optional (Udio `image_large_url`);
- `conflict-on-duplicate`: answers 409 to a stage it has seen (by the spec's idempotency key);
- `slow-on-complete`: answers the final stage after `delay` seconds;
- `accepts-any-signature`: never checks the signature;
- `crash-on-unknown-property`: answers 500 to a property no schema declares.

`serve(app)` runs an app with uvicorn on a free 127.0.0.1 port in a thread (a context manager
yielding its base URL).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn
from segue import speclib
from segue.contract.deliveries import catalogue, declared_properties
from segue.delivery import DeliveryContract, values_at
from segue.paths import spec_path
from segue.receive import acknowledgement_example
from segue.signature import SignatureScheme
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

DEFECTS = (
    "crash-on-error",
    "knows-only-example-codes",
    "requires-optional-field",
    "conflict-on-duplicate",
    "slow-on-complete",
    "accepts-any-signature",
    "crash-on-unknown-property",
)


def receiver_app(
    vendor: str, defect: str | None = None, key: str | None = None, delay: float = 0.0
) -> Starlette:
    document = speclib.load_spec(spec_path(vendor))
    scheme = SignatureScheme.from_spec(document)
    delivery = DeliveryContract.from_spec(document)
    lifecycle = document["x-segue-lifecycle"]
    acknowledgement = acknowledgement_example(document)
    kit = catalogue(vendor)
    declared = set().union(
        *(declared_properties(kit.oracle, r.payload_pointer) for r in kit.routes)
    )
    seen: set[str] = set()
    code_pointer = lifecycle.get("callback-failure-code")
    example_codes = {
        code
        for route in kit.routes
        for _, example in route.examples
        for code in (values_at(example, code_pointer) if code_pointer else ())
    }

    def stages_of(body: Any) -> set[Any]:
        return set(values_at(body, lifecycle["callback-stage"]))

    async def receive(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        verifies = scheme is not None and key and defect != "accepts-any-signature"
        if verifies and scheme.problems(key, body, request.headers, time.time()):
            return JSONResponse({"error": "signature rejected"}, status_code=401)
        if defect == "crash-on-error" and stages_of(body) & set(lifecycle["callback-failure"]):
            raise RuntimeError("nobody expected the error stage")
        failed = stages_of(body) & set(lifecycle.get("callback-failure", ()))
        if defect == "knows-only-example-codes" and code_pointer and failed:
            (code,) = values_at(body, code_pointer)
            if code not in example_codes:
                raise KeyError(f"no handler for failure code {code}")
        if defect == "requires-optional-field":
            _ = [clip["image_large_url"] for clip in body]
        if defect == "conflict-on-duplicate":
            identity = json.dumps([list(values_at(body, p)) for p in delivery.idempotency_key])
            if identity in seen:
                return JSONResponse({"error": "duplicate"}, status_code=409)
            seen.add(identity)
        if defect == "slow-on-complete" and lifecycle["callback-stages"][-1] in stages_of(body):
            await asyncio.sleep(delay)
        if defect == "crash-on-unknown-property" and _keys(body) - declared:
            return JSONResponse({"error": "unexpected field"}, status_code=500)
        return JSONResponse(acknowledgement)

    return Starlette(routes=[Route("/callback", receive, methods=["POST"])])


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys(v) for v in node))
    return set()


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """`app` on uvicorn, 127.0.0.1, a free port, in a thread; yields `http://127.0.0.1:PORT`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="broken-receiver", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
