"""Serve the mock with uvicorn: in the foreground (`segue mock`) or on a thread (tests, benchmarks).

`LiveServer` binds 127.0.0.1 on a free port (the socket is bound before uvicorn starts, so there
is no race for the port), runs uvicorn with uvloop and httptools on a daemon thread, and stops
it on `stop()` / leaving the `with` block.

`serve` (a process of its own) also tunes the interpreter for serving: its garbage collector
(`tune_gc_for_serving`) and its thread switching (`tune_threads_for_serving`); `LiveServer` runs
inside someone else's process (a test) and leaves it be.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from segue.mock.app import create_app
from segue.mock.config import MockConfig
from segue.mock.core import MockCore

# How long a stopping server waits for requests under way (a slow fault, a client that declared
# more body than it sends) before cancelling them: SIGTERM always stops the mock within this
# plus the callback dispatcher's bounded close.
GRACEFUL_SHUTDOWN_SECONDS = 3


def uvicorn_config(app: Any, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http=_protocol_answering_in_envelopes(lambda: app),
        log_level=log_level,
        proxy_headers=False,  # nobody stands in front of a mock: X-Forwarded-* is not to be trusted
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _protocol_answering_in_envelopes(current_app: Callable[[], Any]) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, answering what the parser refuses (a NUL in a header, an
    unknown method, a malformed request line) in the vendor's envelope instead of plain text.

    uvicorn writes that answer itself, before any app sees the request; `send_400_response` is
    the one place it does, so this overrides only that. The app (`create_app`) says what to
    answer for the path read so far (`app.state.transport_rejection`).
    """

    class EnvelopeProtocol(HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(CoalescedWrites(transport, self.loop))  # type: ignore[arg-type]

        def send_400_response(self, msg: str) -> None:
            app = current_app()
            app = getattr(app, "app", app)  # an AppSwitch: the app it serves now
            reject = getattr(getattr(app, "state", None), "transport_rejection", None)
            if reject is None:
                super().send_400_response(msg)
                return
            path = self.url.split(b"?")[0].decode("latin-1")
            status, body = reject(path, msg)
            reason = "OK" if status == 200 else "Bad Request"
            self.transport.write(
                b"".join(
                    [
                        f"HTTP/1.1 {status} {reason}\r\n".encode(),
                        b"content-type: application/json\r\n",
                        b"content-length: " + str(len(body)).encode() + b"\r\n",
                        b"connection: close\r\n\r\n",
                        body,
                    ]
                )
            )
            self.transport.close()

    return EnvelopeProtocol


class CoalescedWrites:
    """A connection's transport whose writes made in one turn of the loop leave in one send().

    uvicorn writes a response's head and its body with a write each, and uvloop sends each at
    once: two send() calls, two TCP segments. On loopback a send() also runs the receiver's side
    of TCP, so under load those calls were about a quarter of the serving thread's time (py-spy,
    scripts/bench_mock.py --sustained). Buffering until the end of the turn halves them and
    changes nothing a client sees: a response written across turns (a streamed body, a delay)
    still leaves as it is written. Everything else is the transport's own.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending and not self._transport.is_closing():
            self._transport.write(b"".join(pending))

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


# Collection thresholds for serving: (young, middle, old) as `gc.set_threshold` takes them.
# CPython's default is (700, 10, 10). A created task leaves about 11 objects the collector
# tracks (task, clips, callback deliveries and attempt records), and a collection's pause grows
# with the generation it walks: a middle collection walks up to young x middle new objects, a
# full one (survivors being frozen, see below) up to young x middle x old. These keep the
# largest walk at ~10,000 objects, ~10 ms here (CPython's default: 70,000, up to 0.1 s).
GC_THRESHOLDS = (1_000, 5, 2)


def tune_gc_for_serving() -> None:
    """Keep garbage-collection pauses off the served requests' latency.

    The mock keeps every task, delivery and callback attempt until a reset, so the heap grows
    for as long as it serves, and each full collection walked all of it: in the benchmark
    (scripts/bench_mock.py) full collections took up to 0.4 s once some 20,000 tasks were held,
    and every request waiting meanwhile showed it in its latency. So:

    - start-up objects (specs, modules) are frozen (`gc.freeze`): no collection walks them again;
    - each full collection's survivors are frozen as it ends, so the next full collection walks
      only what was kept since, not the whole state again. Right after a full collection the
      younger generations are empty and every garbage cycle was just collected, so only live
      objects are frozen. Frozen objects are still freed by reference counting (a reset frees
      its tasks); only a reference cycle among them would outlive its use (after a benchmark
      run of 26,000 tasks and 79,000 callbacks, unfreezing and collecting found no garbage);
    - GC_THRESHOLDS bound the other collections' walks.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    gc.callbacks.append(_freeze_survivors_of_full_collections)


# How long the serving thread may keep the GIL while another thread asks for it (CPython's
# default: 5 ms). See tune_threads_for_serving.
SWITCH_INTERVAL_SECONDS = 0.05


def tune_threads_for_serving() -> None:
    """Let a turn of the serving loop run through, rather than be cut every 5 ms.

    Beside the serving thread, the mock has two threads that hand deliveries to the sender
    process and apply what it reports (segue.mock.callback_process). Each wants the GIL for a
    moment, often; CPython's default makes the serving thread drop it 5 ms after one asks, in
    the middle of whatever turn it is serving, and then wait to get it back. With a longer
    interval they take it when the serving thread gives it up by itself, between turns, while
    it waits for the network. In the sustained benchmark (scripts/bench_mock.py --sustained) the
    p99 of creates fell from ~23 ms to ~18 ms, and callbacks per second did not change (DECISIONS
    M-6 has the runs). A thread that holds the GIL in pure Python can keep the serving thread
    waiting this long at most.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def _freeze_survivors_of_full_collections(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def serve(
    config: MockConfig, host: str = "127.0.0.1", port: int = 8787, log_level: str = "info"
) -> None:
    """Run the mock in the foreground until interrupted."""
    app = create_app(config)
    tune_gc_for_serving()
    tune_threads_for_serving()
    uvicorn.Server(uvicorn_config(app, host, port, log_level)).run()


class AppSwitch:
    """An ASGI app that hands each request to whichever app is set now; answers lifespan itself.

    Lets one uvicorn server (slow to stop: ~0.15 s) serve a fresh mock per test.
    """

    def __init__(self, app: Any = None) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if self.app is None:
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"text/plain")],
                }
            )
            await send({"type": "http.response.body", "body": b"no mock mounted"})
            return
        await self.app(scope, receive, send)


class LiveServer:
    """The mock on a real socket: `with LiveServer(MockConfig(...)) as server: server.base_url`.

    With `switchable=True` the served app can be replaced while running (`serve_app`); the app's
    own lifespan then does not run, so its owner closes its core.
    """

    def __init__(
        self,
        config: MockConfig | None = None,
        app: Any = None,
        host: str = "127.0.0.1",
        switchable: bool = False,
    ) -> None:
        self.app = app if app is not None or switchable else create_app(config)
        self.host = host
        self._switch = AppSwitch(self.app) if switchable else None
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port = self._socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn_config(self._switch or self.app, host, self.port))
        self._thread: threading.Thread | None = None

    def serve_app(self, app: Any) -> None:
        """Serve `app` from the next request on (only when created with switchable=True)."""
        if self._switch is None:
            raise RuntimeError("this LiveServer was not created switchable")
        self.app = self._switch.app = app

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def core(self) -> MockCore:
        core: MockCore = self.app.state.segue
        return core

    def start(self, timeout: float = 10.0) -> LiveServer:
        self._thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self._socket]},
            daemon=True,
            name="segue-mock-uvicorn",
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock server did not start")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._socket.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
