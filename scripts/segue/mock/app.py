"""`create_app(config)`: the ASGI app serving both vendors and the control API.

It wires, once: each vendor's renderer and `responses` (routes from its `urls`), the core
(`MockCore`: lock, clock, state, events, dispatcher), the control API, and the answers to
what no route serves (unknown path or method, a crash, a request uvicorn could not parse).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route

from segue.mock import models
from segue.mock.config import MockConfig
from segue.mock.control import PREFIX, Control
from segue.mock.core import MockCore
from segue.mock.kie import urls as kie_urls
from segue.mock.responses import (
    BackpressureGate,
    ExactRoutes,
    VendorErrors,
    json_response,
    vendor_for_path,
)
from segue.mock.spec import load_vendor_spec
from segue.mock.udio import urls as udio_urls

log = logging.getLogger("segue.mock")
VENDOR_URLS = {models.KIE: kie_urls, models.UDIO: udio_urls}


def create_app(config: MockConfig | None = None, **overrides: Any) -> Starlette:
    """Build the mock. `app.state.segue` is its `MockCore` (state, clock, faults, callbacks).

    `overrides` replace fields of `config` (`create_app(stage_seconds=0)`). The app stops its
    callback thread on ASGI lifespan shutdown; an in-process user calls `app.state.segue.close()`.
    """
    config = replace(config or MockConfig(), **overrides)
    specs = {vendor: load_vendor_spec(vendor, config.spec_dir) for vendor in VENDOR_URLS}
    renderers = {vendor: urls.RENDERER(specs[vendor]) for vendor, urls in VENDOR_URLS.items()}
    core = MockCore(config, specs, renderers)
    errors = VendorErrors(core)
    vendor_routes = [
        route
        for vendor, urls in VENDOR_URLS.items()
        for route in urls.RESPONSES(core, errors, renderers[vendor]).routes(urls.url_paths)
    ]

    async def unknown_route(request: Request, exc: Exception) -> Response:
        twin = _slash_twin(app, request)
        if twin is not None:
            # A relative Location: the Host header is the client's to choose, never ours to echo.
            query = request.url.query
            return Response(
                status_code=307, headers={"Location": twin + (f"?{query}" if query else "")}
            )
        if request.url.path.startswith(PREFIX):
            status = exc.status_code if isinstance(exc, HTTPException) else 404
            return json_response(
                {"error": f"no control endpoint {request.method} {request.url.path}"}, status
            )
        spec = vendor_for_path(core.specs, request.url.path)
        return errors.not_found(spec, request.method, request.url.path)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        spec = vendor_for_path(core.specs, request.url.path)
        return errors.for_rule(spec, None, models.SERVER_ERROR, last_resort=True)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            core.close()

    app = MockApp(
        BackpressureGate(core, errors),
        vendor_routes,
        routes=[*vendor_routes, *Control(core).routes()],
        exception_handlers={404: unknown_route, 405: unknown_route, Exception: crashed},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # unknown_route redirects, with a relative Location
    app.state.segue = core

    def transport_rejection(path: str, reason: str) -> tuple[int, bytes]:
        """What to answer a request uvicorn's parser refused (segue.mock.server)."""
        spec = vendor_for_path(core.specs, path)
        response = errors.for_rule(
            spec, None, models.VALIDATION_FAILED, message=f"request: not valid HTTP/1.1 ({reason})"
        )
        return response.status_code, bytes(response.body)

    app.state.transport_rejection = transport_rejection
    return app


class MockApp(Starlette):
    """Starlette, with two layers in front of its whole middleware stack: the backlog's gate,
    then the vendors' operations served by exact method and path (`ExactRoutes`).

    Under overload every request is one of those two: the gate's refusals (most of them) and the
    creates it lets through. In front of Starlette's error middleware and router each costs one
    call instead of the layers of wrapped `send`s and a pass over the routes (the sustained
    benchmark's p99, see specs/DECISIONS.md M-6). Everything else (the control API, a trailing
    slash, HEAD, an unknown path) is Starlette's as before. Starlette's error handling is not
    missed: each vendor endpoint answers its own errors (`VendorResponses._endpoint`).
    """

    def __init__(self, gate: BackpressureGate, vendor_routes: list[Route], **settings: Any) -> None:
        super().__init__(**settings)
        self.gate = gate
        self.vendor_routes = vendor_routes

    def build_middleware_stack(self) -> Any:
        self.gate.app = ExactRoutes(self.vendor_routes, super().build_middleware_stack())
        return self.gate


def _slash_twin(app: Starlette, request: Request) -> str | None:
    """The path with its trailing slash added or taken away, when a route serves that one."""
    path = request.url.path
    twin = path.rstrip("/") if path.endswith("/") else path + "/"
    if not twin or twin == path:
        return None
    scope = {**request.scope, "path": twin}
    if any(route.matches(scope)[0] != Match.NONE for route in app.router.routes):
        return twin
    return None
