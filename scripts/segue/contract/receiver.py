"""The test-side callback receiver: a real HTTP server on 127.0.0.1, and signature verification.

Every task gets its own path (`/callbacks/<vendor>/<token>`), so deliveries are told apart by path
even for Udio, whose payload (a bare array of clips) names no task. The receiver records every
request; `fail_next(path, n)` makes the next n deliveries *to that path* fail with HTTP 500 (a
per-path switch, so callbacks of other tasks cannot use up the failure — the conftest receiver's
switch is global, which is why this one exists).

It is the stdlib's ThreadingHTTPServer on purpose: the receiver must not share the stack under
test (Starlette/uvicorn), and it needs nothing more.

Signatures are checked by whoever reads the deliveries, with `segue.signature` (the spec's
scheme); the receiver only records.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """One request the receiver got, and the status it answered."""

    path: str
    headers: dict[str, str]
    body: bytes
    answered: int
    at: float

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """`Receiver().start()`; `url(path)`; `deliveries(path)`; `wait_for(path, count, timeout)`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        listener: Callable[[Delivery], None] | None = None,
        answer: Callable[[dict[str, str], bytes], tuple[int, bytes]] | None = None,
    ) -> None:
        self._listener = listener
        # (headers, body) -> (status, body) to answer; default: 200 `{"status": "received"}`.
        self._answer = answer
        self._lock = threading.Condition()
        self._received: list[Delivery] = []
        self._failures: dict[str, int] = defaultdict(int)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The answer goes out in two writes (headers, body); with Nagle's algorithm the
            # second waits for the client's delayed ACK, ~40 ms per delivery on a kept-alive
            # connection (measured here: 44 ms per delivery, 0.7 ms without).
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read the deliveries instead."""

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="contract-receiver", daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def fail_next(self, path: str, count: int) -> None:
        with self._lock:
            self._failures[path] = count

    def deliveries(self, path: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self._received if d.path == path]

    def wait_for(self, path: str, done: Any, timeout: float) -> list[Delivery]:
        """Wait (bounded) until `done(deliveries)` is true; return the deliveries either way."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [d for d in self._received if d.path == path]
                remaining = deadline - time.monotonic()
                if done(found) or remaining <= 0:
                    return found
                self._lock.wait(min(remaining, 0.5))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = dict(handler.headers.items())
        status, payload = (
            self._answer(headers, body) if self._answer else (200, b'{"status": "received"}')
        )
        with self._lock:
            if self._failures.get(handler.path, 0) > 0:
                self._failures[handler.path] -= 1
                status, payload = 500, b'{"error": "failing on purpose"}'
            delivery = Delivery(handler.path, headers, body, status, time.time())
            self._received.append(delivery)
            self._lock.notify_all()
        if self._listener is not None:
            self._listener(delivery)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the sender gave up; the delivery is recorded all the same

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
