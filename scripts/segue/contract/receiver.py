"""The one recording callback receiver: a real HTTP server on 127.0.0.1.

It serves the contract suite (every task gets its own path, `/callbacks/<vendor>/<token>`, so
deliveries are told apart by path even for Udio, whose payload names no task), `segue receive`
(with an `answer` that checks signatures) and the mock's tests (`segue.mock.testing`). It records
every request; `fail_next(n, path=…)` makes the next n requests to that path (or to any path)
fail, `answer_slowly(s)` delays every answer.

It is the stdlib's ThreadingHTTPServer on purpose: the receiver must not share the stack under
test (Starlette/uvicorn), and it needs nothing more.

Signatures are checked by whoever reads the deliveries, with `segue.signature` (the spec's
scheme); the receiver only records.
"""

from __future__ import annotations

import json
import threading
import time
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
    method: str = "POST"

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """`Receiver().start()` (or `with Receiver() as r`); `url(path)`; `deliveries(path)`;
    `wait_until(done, timeout, path)`; `fail_next(n)`; `answer_slowly(seconds)`."""

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
        # path (None: any path) -> [requests still to fail, the status to fail them with]
        self._failures: dict[str | None, list[int]] = {}
        self._delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The answer goes out in two writes (headers, body); with Nagle's algorithm the
            # second waits for the client's delayed ACK, ~40 ms per delivery on a kept-alive
            # connection (measured here: 44 ms per delivery, 0.7 ms without).
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                receiver._handle(self)

            do_PUT = do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read the deliveries instead."""

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # a short poll interval makes stop() quick
            name="callback-receiver",
            daemon=True,
        )

    def url(self, path: str = "/callback") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def fail_next(self, count: int, *, path: str | None = None, status: int = 500) -> None:
        """Answer the next `count` requests to `path` (None: to any path) with `status`."""
        with self._lock:
            self._failures[path] = [count, status]

    def answer_slowly(self, seconds: float) -> None:
        with self._lock:
            self._delay = seconds

    @property
    def received(self) -> list[Delivery]:
        with self._lock:
            return list(self._received)

    def deliveries(self, path: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self._received if d.path == path]

    def wait_until(
        self, done: Callable[[list[Delivery]], bool], timeout: float, path: str | None = None
    ) -> list[Delivery]:
        """Wait (bounded) until `done(deliveries)` is true, the deliveries to `path` (None: all);
        return them either way."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [d for d in self._received if path is None or d.path == path]
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
            failing = self._failing(handler.path)
            if failing is not None:
                status, payload = failing, b'{"error": "failing on purpose"}'
            delay = self._delay
            # Recorded before answering, so whoever sees the answer also finds the record.
            delivery = Delivery(handler.path, headers, body, status, time.time(), handler.command)
            self._received.append(delivery)
            self._lock.notify_all()
        if self._listener is not None:
            self._listener(delivery)
        if delay:
            time.sleep(delay)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the sender gave up; the delivery is recorded all the same

    def _failing(self, path: str) -> int | None:
        """The status to fail this request with (using one up), or None; under the lock."""
        for key in (path, None):
            failure = self._failures.get(key)
            if failure is not None and failure[0] > 0:
                failure[0] -= 1
                return failure[1]
        return None

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
