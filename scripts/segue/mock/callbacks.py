"""Deliver callbacks: real HTTP POSTs, signed, retried, recorded, never blocking a request.

Deliveries run on the dispatcher's own thread and asyncio loop (started on first use), not on the
loop that served the request: an in-process test's loop (httpx.ASGITransport, Starlette's
TestClient) may be gone by the time a retry is due, and uvicorn's loop should only serve. A
request hands a `Delivery` over with `submit` and returns at once.

Per task, deliveries go out one after another in the order the stages happened, so a receiver
sees text before first before complete even while an earlier one is being retried.

Every attempt is recorded (`AttemptRecord`): delivered (2xx), failed (other status, connection
error, timeout), injected-failure (a callback fault said so), refused (host neither loopback nor
allowed: never called) and abandoned (still queued or retrying when the mock shut down).

Why hand-written: what is needed is a small retry loop around httpx; task queues (arq, dramatiq,
celery) need a broker, and tenacity would cover only the backoff.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import functools
import hashlib
import hmac
import ipaddress
import itertools
import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from segue.mock.clock import Clock

log = logging.getLogger("segue.mock.callbacks")

DELIVERED, FAILED, INJECTED, REFUSED, ABANDONED = (
    "delivered",
    "failed",
    "injected-failure",
    "refused",
    "abandoned",
)
QUEUED, SENDING, GAVE_UP = "queued", "sending", "gave-up"
FINAL_STATES = frozenset({DELIVERED, GAVE_UP, REFUSED, ABANDONED})
MAX_IN_FLIGHT = 16  # concurrent callback POSTs (see CallbackDispatcher._post_slots)


def signature(key: str, task_id: str, timestamp: str) -> str:
    """KIE's webhook signature: base64(HMAC-SHA256(key, taskId + "." + timestamp))."""
    digest = hmac.new(key.encode(), f"{task_id}.{timestamp}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def callback_allowed(url: str, allow: tuple[str, ...] | list[str]) -> bool:
    """Only loopback hosts (127.0.0.0/8, ::1, localhost) and hosts on the allow list are called.

    An allow entry is a host name (`hooks.example.com`) or host:port; names are not resolved, so
    a public name pointing at 127.0.0.1 is still refused unless listed.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        if ipaddress.ip_address(host).is_loopback:
            return True
    except ValueError:
        pass
    allowed = {entry.lower() for entry in allow}
    return host in allowed or (port is not None and f"{host}:{port}" in allowed)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context for every dispatcher: building one (loading CA certificates) takes ~0.3 s."""
    return httpx.create_ssl_context()


@dataclass
class Delivery:
    """One POST to make (and retry). `sign_as` is the task id to sign, None for unsigned."""

    task_id: str
    vendor: str
    stage: str
    url: str
    body: bytes
    sign_as: str | None = None
    copy: int = 0
    delay: float = 0.0
    fail_attempts: int = 0
    id: int = 0
    state: str = QUEUED
    attempts: int = 0


@dataclass
class AttemptRecord:
    delivery: int
    task_id: str
    vendor: str
    stage: str
    url: str
    copy: int
    attempt: int
    outcome: str
    status_code: int | None
    error: str | None
    at: float
    elapsed_ms: float | None
    signed: bool
    headers: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class CallbackDispatcher:
    """Runs deliveries on a private thread; thread-safe `submit`, `wait_idle`, `close`."""

    def __init__(
        self,
        *,
        clock: Clock,
        timeout: float,
        retries: int,
        backoff: float,
        allow: tuple[str, ...],
        hmac_key: str | None,
        on_gave_up: Callable[[Delivery], None] | None = None,
    ) -> None:
        self.clock = clock
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.allow = allow
        self.hmac_key = hmac_key
        self.on_gave_up = on_gave_up
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self._deliveries: dict[int, Delivery] = {}
        self._attempts: list[AttemptRecord] = []
        self._in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: httpx.AsyncClient | None = None
        self._slots: asyncio.Semaphore | None = None
        self._chains: dict[str, asyncio.Lock] = {}
        self._chain_users: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    # ------------------------------------------------------------------ public, any thread

    def submit(self, delivery: Delivery) -> Delivery:
        """Queue one delivery (refused ones are recorded at once and never sent)."""
        with self._lock:
            delivery.id = next(self._ids)
            self._deliveries[delivery.id] = delivery
            if self._closed or not callback_allowed(delivery.url, self.allow):
                outcome = ABANDONED if self._closed else REFUSED
                error = (
                    "the mock is shut down"
                    if self._closed
                    else "host is neither loopback nor on --callback-allow"
                )
                delivery.state = outcome
                self._record(delivery, 0, outcome, None, error, None, {})
                return delivery
            self._in_flight += 1
            loop = self._ensure_started()
        asyncio.run_coroutine_threadsafe(self._run(delivery), loop)
        return delivery

    def run_periodically(self, interval: float, function: Callable[[], None]) -> None:
        """Call `function` every `interval` seconds on the dispatcher thread (lifecycle ticker)."""
        with self._lock:
            if self._closed:
                return
            loop = self._ensure_started()
        asyncio.run_coroutine_threadsafe(self._periodic(interval, function), loop)

    def attempts(self, task_id: str | None = None) -> list[AttemptRecord]:
        with self._lock:
            return [a for a in self._attempts if task_id is None or a.task_id == task_id]

    def deliveries(self, task_id: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self._deliveries.values() if task_id is None or d.task_id == task_id]

    def idle(self) -> bool:
        with self._lock:
            return self._in_flight == 0

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until no delivery is queued or retrying (True), or `timeout` passed (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    async def wait_idle_async(self, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while not self.idle():
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    def forget(self) -> None:
        """Drop the record (the control API's reset); deliveries under way go on."""
        with self._lock:
            self._attempts.clear()
            self._deliveries = {
                k: d for k, d in self._deliveries.items() if d.state not in FINAL_STATES
            }

    def close(self, timeout: float = 5.0) -> None:
        """Stop; deliveries queued or retrying are recorded as abandoned, none lost silently."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        except (concurrent.futures.TimeoutError, RuntimeError) as error:
            log.warning("callback dispatcher did not stop cleanly: %s", error)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        with self._lock:
            for delivery in self._deliveries.values():
                if delivery.state not in FINAL_STATES:
                    self._abandon(delivery)

    # ------------------------------------------------------------------ internals

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        """Start the thread and its loop (caller holds the lock)."""
        if self._loop is None:
            loop = asyncio.new_event_loop()
            started = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(started.set)
                loop.run_forever()
                loop.close()

            self._thread = threading.Thread(target=run, name="segue-mock-callbacks", daemon=True)
            self._thread.start()
            started.wait(5)
            self._loop = loop
        return self._loop

    async def _periodic(self, interval: float, function: Callable[[], None]) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                function()
            except Exception:  # the ticker must outlive one bad tick
                log.exception("periodic task failed")

    async def _run(self, delivery: Delivery) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        chain = self._chains.setdefault(delivery.task_id, asyncio.Lock())
        self._chain_users[delivery.task_id] = self._chain_users.get(delivery.task_id, 0) + 1
        try:
            async with chain:
                if delivery.delay > 0:
                    await asyncio.sleep(delivery.delay)
                await self._attempt_all(delivery)
        except asyncio.CancelledError:
            with self._lock:
                self._abandon(delivery)
            raise
        except Exception:
            log.exception("callback delivery %s crashed", delivery.id)
            with self._lock:
                delivery.state = GAVE_UP
        finally:
            self._tasks.discard(task)
            self._chain_users[delivery.task_id] -= 1
            if self._chain_users[delivery.task_id] == 0:  # nobody waits on it: forget the chain
                del self._chain_users[delivery.task_id], self._chains[delivery.task_id]
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    async def _attempt_all(self, delivery: Delivery) -> None:
        for attempt in range(1, self.retries + 2):
            if await self._attempt(delivery, attempt):
                return
            if attempt <= self.retries:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        with self._lock:
            delivery.state = GAVE_UP
        if self.on_gave_up is not None:
            self.on_gave_up(delivery)

    async def _attempt(self, delivery: Delivery, attempt: int) -> bool:
        headers = {"Content-Type": "application/json", "User-Agent": "segue-mock"}
        if delivery.sign_as is not None and self.hmac_key:
            timestamp = str(int(self.clock.now()))
            headers["X-Webhook-Timestamp"] = timestamp
            headers["X-Webhook-Signature"] = signature(self.hmac_key, delivery.sign_as, timestamp)
        with self._lock:
            delivery.state, delivery.attempts = SENDING, attempt
        if attempt <= delivery.fail_attempts:
            with self._lock:
                self._record(
                    delivery,
                    attempt,
                    INJECTED,
                    None,
                    "failure injected by a callback fault",
                    0.0,
                    headers,
                )
            return False
        started = time.perf_counter()
        status: int | None = None
        error: str | None = None
        try:
            async with self._post_slots():
                response = await self._http().post(
                    delivery.url, content=delivery.body, headers=headers
                )
            status = response.status_code
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}".rstrip(": ")
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        delivered = status is not None and 200 <= status < 300
        with self._lock:
            if delivered:
                delivery.state = DELIVERED
            self._record(
                delivery,
                attempt,
                DELIVERED if delivered else FAILED,
                status,
                error,
                elapsed,
                headers,
            )
        return delivered

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # trust_env=False: a proxy from the environment must not intercept loopback callbacks.
            self._client = httpx.AsyncClient(
                timeout=self.timeout,
                trust_env=False,
                follow_redirects=False,
                verify=_tls_context(),
                limits=httpx.Limits(
                    max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT
                ),
            )
        return self._client

    def _post_slots(self) -> asyncio.Semaphore:
        """At most MAX_IN_FLIGHT POSTs at once. httpx's pool slows down quadratically with the
        requests waiting in it (encode/httpx#3215; measured here: 100 queued callbacks 0.5 s,
        300 took 3.8 s): the rest wait on this semaphore instead, which is O(1)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        return self._slots

    async def _shutdown(self) -> None:
        with self._lock:  # record in the order the stages happened, before cancelling
            for delivery in sorted(self._deliveries.values(), key=lambda d: d.id):
                self._abandon(delivery)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()
        if self._client is not None:
            await self._client.aclose()

    def _abandon(self, delivery: Delivery) -> None:
        """Caller holds the lock."""
        if delivery.state in FINAL_STATES:
            return
        delivery.state = ABANDONED
        self._record(
            delivery,
            delivery.attempts,
            ABANDONED,
            None,
            "still pending when the mock shut down",
            None,
            {},
        )

    def _record(
        self,
        delivery: Delivery,
        attempt: int,
        outcome: str,
        status: int | None,
        error: str | None,
        elapsed: float | None,
        headers: dict[str, str],
    ) -> None:
        """Caller holds the lock."""
        self._attempts.append(
            AttemptRecord(
                delivery=delivery.id,
                task_id=delivery.task_id,
                vendor=delivery.vendor,
                stage=delivery.stage,
                url=delivery.url,
                copy=delivery.copy,
                attempt=attempt,
                outcome=outcome,
                status_code=status,
                error=error,
                at=self.clock.now(),
                elapsed_ms=elapsed,
                signed="X-Webhook-Signature" in headers,
                headers={k: v for k, v in headers.items() if k.startswith("X-Webhook")},
            )
        )
