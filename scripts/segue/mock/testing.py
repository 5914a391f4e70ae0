"""Helpers for tests that talk to the mock: a sync httpx transport over ASGI, a callback receiver.

`SyncASGITransport` lets a plain (sync) `httpx.Client` call the app in-process through
`httpx.ASGITransport`, running it on an anyio portal thread whose loop lives as long as the
transport: sync tests, real ASGI, no socket.

`CallbackReceiver` is a real HTTP server on 127.0.0.1 (free port) that records every request
(method, path, headers, body) and can be told to fail the next N requests or to answer slowly.
It is the stdlib's ThreadingHTTPServer on purpose: the receiver must not share the stack under
test (Starlette/uvicorn), and it needs nothing more.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal


class SyncASGITransport(httpx.BaseTransport):
    """`httpx.ASGITransport` for a sync `httpx.Client`; call `close()` (the client does)."""

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._portal_cm = start_blocking_portal()
        self._portal: BlockingPortal = self._portal_cm.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.AsyncByteStream):
            request.stream = _AsyncStream(request.stream)

        async def call() -> httpx.Response:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, request=request
            )

        return self._portal.call(call)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._portal_cm.__exit__(None, None, None)


class _AsyncStream(httpx.AsyncByteStream):
    """A sync request body (a generator: chunked, no Content-Length) for the async transport."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> Any:
        for chunk in self._stream:
            yield chunk


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    answered: int

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class _Behaviour:
    fail_remaining: int = 0
    fail_status: int = 500
    delay: float = 0.0
    received: list[ReceivedRequest] = field(default_factory=list)


class CallbackReceiver:
    """A recording HTTP receiver: `.url("/cb")`, `.fail_next(2)`, `.wait_for(3)`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._behaviour = _Behaviour()
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                receiver._handle(self)

            do_PUT = do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read `received` instead."""

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="callback-receiver",
            daemon=True,
        )  # a short poll interval makes stop() quick

    def url(self, path: str = "/callback") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next `count` requests with `status` (still recording them)."""
        with self._changed:
            self._behaviour.fail_remaining, self._behaviour.fail_status = count, status

    def answer_slowly(self, seconds: float) -> None:
        with self._changed:
            self._behaviour.delay = seconds

    @property
    def received(self) -> list[ReceivedRequest]:
        with self._changed:
            return list(self._behaviour.received)

    def delivered(self) -> list[ReceivedRequest]:
        """The requests answered with a 2xx."""
        return [r for r in self.received if 200 <= r.answered < 300]

    def wait_for(
        self, count: int, timeout: float = 5.0, *, delivered: bool = False
    ) -> list[ReceivedRequest]:
        """Wait until `count` requests arrived (or were answered 2xx); return them all."""

        def enough() -> bool:
            requests = self._behaviour.received
            return len([r for r in requests if not delivered or 200 <= r.answered < 300]) >= count

        with self._changed:
            if not self._changed.wait_for(enough, timeout):
                raise AssertionError(
                    f"expected {count} callbacks in {timeout}s, got {len(self._behaviour.received)}"
                )
            return list(self._behaviour.received)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self._changed:
            status = 200
            if self._behaviour.fail_remaining > 0:
                self._behaviour.fail_remaining -= 1
                status = self._behaviour.fail_status
            delay = self._behaviour.delay
            # Recorded before answering, so whoever sees the answer also finds the record.
            record = ReceivedRequest(
                handler.command,
                handler.path,
                dict(handler.headers.items()),
                body,
                time.time(),
                status,
            )
            self._behaviour.received.append(record)
            self._changed.notify_all()
        if delay:
            time.sleep(delay)
        payload = json.dumps(
            {"status": "received"} if status == 200 else {"error": "told to fail"}
        ).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the caller gave up (timeout); the request is recorded all the same

    def start(self) -> CallbackReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> CallbackReceiver:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def bearer(key: str) -> dict[str, str]:
    """Headers of an authenticated JSON request."""
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def request_example(spec: Any, operation_id: str, name: str | None = None) -> dict[str, Any]:
    """A copy of one of the operation's request examples in the spec (by name, else the first)."""
    from segue import speclib

    operation = spec.operations[operation_id]
    pointer = next(p for p in _request_media_pointers(spec, operation))
    media = speclib.resolve_pointer(spec.document, pointer)
    for example in speclib.iter_examples(spec.document, media, pointer):
        if name is None or example.name == name:
            return json.loads(json.dumps(example.value))
    raise KeyError(f"{operation_id} has no request example {name!r}")


def _request_media_pointers(spec: Any, operation: Any) -> list[str]:
    from segue import speclib

    for candidate in speclib.iter_operations(spec.document):
        if candidate.node.get("operationId") == operation.operation_id:
            found = speclib.request_body(spec.document, candidate)
            if found is not None:
                return [pointer for _, _, pointer in speclib.media_types(found[0], found[1])]
    return []
