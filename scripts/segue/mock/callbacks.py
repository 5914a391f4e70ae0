"""Deliver callbacks: real HTTP POSTs, signed, retried, recorded, never blocking a request.

Deliveries run on the dispatcher's own thread and asyncio loop (started on first use), not on the
loop that served the request: an in-process test's loop (httpx.ASGITransport, Starlette's
TestClient) may be gone by the time a retry is due, and uvicorn's loop should only serve. A
request hands its `Delivery`s over with `submit` and returns at once. Waking the other thread's
loop costs a write to its self-pipe and a GIL hand-over, so `submit` only queues, and wakes the
loop when no wake-up is already pending: the deliveries of one request (three stages with
`stage_seconds=0`), and of every request served while the loop is busy, take one wake-up.

Per task, deliveries go out one after another in the order the stages happened, so a receiver
sees text before first before complete even while an earlier one is being retried: each task
with deliveries under way has one queue and one asyncio task working through it.

The HTTP client is aiohttp: one `ClientSession` per dispatcher, on its loop (uvloop when
installed), at most MAX_IN_FLIGHT POSTs at once, and at most PER_DESTINATION to one host:port, so
a hanging receiver holds only its own slots and delays only its own callbacks (issue 12: a fast
receiver waited 131 s behind slow ones under one global cap of 16). httpx was the bottleneck of
the mock under load (httpcore's pool does work quadratic in its connections,
encode/httpcore#1035): this dispatcher delivered ~430 callbacks/s to a local receiver at ~2.3 ms
of CPU each with httpx, and delivers ~5,000/s at ~0.19 ms each with aiohttp (same machine and
receiver, one after the other). The errors recorded keep their own names (`ConnectError`,
`ConnectTimeout`, `ReadTimeout`), not the client's class names, so what a test reads in the log
does not depend on the client.

Every attempt is recorded (`AttemptRecord`): delivered (2xx), failed (other status, connection
error, timeout), injected-failure (a callback fault said so), refused (host neither loopback nor
allowed: never called) and abandoned (still queued or retrying when the mock shut down).

Why hand-written: what is needed is a small retry loop around an HTTP client; task queues (arq,
dramatiq, celery) need a broker, and tenacity would cover only the backoff.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import ipaddress
import itertools
import json
import logging
import operator
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from segue.mock.clock import Clock
from segue.signature import SignatureScheme

if TYPE_CHECKING:  # imported on first use (~0.25 s): only a mock that sends callbacks pays it
    import aiohttp

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
MAX_IN_FLIGHT = 64  # concurrent callback POSTs (see CallbackDispatcher._post_slots)
PER_DESTINATION = 8  # of which at most this many to one host:port


@dataclass(frozen=True)
class Signer:
    """How one vendor's callbacks are signed: its spec's scheme (`x-segue-signature`) and key."""

    scheme: SignatureScheme
    key: str

    def headers(self, body: bytes, now: float) -> dict[str, str]:
        """The signature headers of `body` at `now`; none when the body lacks what is signed
        (a body changed on its way out by the outbound seam): it then goes out unsigned."""
        try:
            return self.scheme.sign(self.key, json.loads(body), now)
        except ValueError:
            return {}


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


@functools.lru_cache(maxsize=1024)
def host_and_port(url: str) -> tuple[str, int | None]:
    """(lower-case host, port with the scheme's default) of a URL; ("", None) when unreadable."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return "", None
    return (parts.hostname or "").lower(), port


@functools.lru_cache(maxsize=1024)  # as host_and_port: asked for every callback owed
def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=1024)
def _allowed(url: str, allow: tuple[str, ...]) -> bool:
    """`callback_allowed`, remembered: a mock calls back the same few URLs over and over, and
    parsing one (urlsplit, ipaddress) costs ~10 us on the serving thread, per delivery."""
    return callback_allowed(url, allow)


def describe_failure(error: BaseException) -> str:
    """`Name: detail` for a failed POST, in the log's own words (see the module doc)."""
    import aiohttp

    if isinstance(error, aiohttp.ConnectionTimeoutError):
        name = "ConnectTimeout"
    elif isinstance(error, aiohttp.SocketTimeoutError):
        name = "ReadTimeout"
    elif isinstance(error, aiohttp.ClientConnectorError):
        name = "ConnectError"
    elif isinstance(error, TimeoutError):
        name = "Timeout"
    else:
        name = type(error).__name__
    return f"{name}: {error}".rstrip(": ")


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where installed (uvicorn[standard] brings it): 5-10 % less CPU per POST here."""
    try:
        import uvloop
    except ImportError:  # e.g. Windows
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


@dataclass(slots=True)  # one per callback owed: kept small
class Delivery:
    """One POST to make (and retry); `signed`: with its vendor's signature headers."""

    task_id: str
    vendor: str
    stage: str
    url: str
    body: bytes
    signed: bool = False
    copy: int = 0
    delay: float = 0.0
    fail_attempts: int = 0
    id: int = 0
    state: str = QUEUED
    attempts: int = 0
    # Set when the delivery must not be sent (e.g. to the mock's own address): recorded as
    # refused with this reason, never called.
    refusal: str | None = None
    # Set when the callback could not even be made (rendering failed): recorded as failed with
    # this reason and given up at once.
    unsendable: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return Delivery, _DELIVERY_VALUES(self)


@dataclass(slots=True)
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

    def __reduce__(self) -> tuple[Any, ...]:
        return AttemptRecord, _ATTEMPT_VALUES(self)


# Deliveries and attempt records are pickled as their class and their field values in order
# (their `__init__`'s): they cross the pipe to and from the sender process thousands of times a
# second under load, pickled by threads sharing the interpreter with serving, and by default
# (a dict of field names per object) each cost ~3 us there and back; so, about a third of that.
_DELIVERY_VALUES = operator.attrgetter(*Delivery.__slots__)
_ATTEMPT_VALUES = operator.attrgetter(*AttemptRecord.__slots__)


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
        signers: dict[str, Signer],
        on_gave_up: Callable[[Delivery], None] | None = None,
    ) -> None:
        self.clock = clock
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.allow = allow
        self.signers = signers
        self.on_gave_up = on_gave_up
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self._deliveries: dict[int, Delivery] = {}
        # Attempt records in the order they happened, by a running number; per task, the
        # numbers of its records and the ids of its deliveries, so that forgetting a batch of
        # tasks costs those tasks, not a pass over the whole log under the lock (a pass over
        # ~60,000 records paused serving for tens of ms at every batch: the p99 of creates).
        self._attempts: dict[int, AttemptRecord] = {}
        self._attempt_numbers = itertools.count()
        self._by_task: dict[str, tuple[list[int], list[int]]] = {}
        self._in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None
        self._destination_slots: dict[tuple[str, int | None], asyncio.Semaphore] = {}
        # Handed over by `submit`, not yet started on the loop; a wake-up is pending while True.
        self._handed_over: list[Delivery] = []
        self._wake_pending = False
        # Per task id with deliveries under way: the queue its one worker task goes through.
        self._chains: dict[str, deque[Delivery]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    # ------------------------------------------------------------------ public, any thread

    def submit(self, delivery: Delivery) -> Delivery:
        """Queue one delivery; one that must not or cannot be sent is recorded at once.

        Wakes the dispatcher's loop only if no wake-up is pending yet: consecutive submits (one
        request's stages, and every request served before the loop got round to them) share
        one `call_soon_threadsafe`.
        """
        loop: asyncio.AbstractEventLoop | None = None
        with self._lock:
            delivery.id = delivery.id or next(self._ids)  # a sender process keeps the mock's ids
            self._deliveries[delivery.id] = delivery
            self._index(delivery.task_id)[1].append(delivery.id)
            wake = False
            if not self._record_unsent(delivery):
                self._in_flight += 1
                loop = self._ensure_started()
                self._handed_over.append(delivery)
                wake = not self._wake_pending
                self._wake_pending = True
        if delivery.state == GAVE_UP and self.on_gave_up is not None:
            self.on_gave_up(delivery)
        if wake and loop is not None:
            # RuntimeError: the loop closed meanwhile; `close` records the delivery as abandoned.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._start_handed_over)
        return delivery

    def _record_unsent(self, delivery: Delivery) -> bool:
        """Caller holds the lock. Record a delivery that is not to be sent (the mock is shut
        down, the host is refused, the body could not be made); False: it is to be sent."""
        if delivery.refusal is None and not _allowed(delivery.url, self.allow):
            delivery.refusal = "host is neither loopback nor on --callback-allow"
        if self._closed:
            outcome, state, error = ABANDONED, ABANDONED, "the mock is shut down"
        elif delivery.unsendable is not None:
            outcome, state, error = FAILED, GAVE_UP, delivery.unsendable
        elif delivery.refusal is not None:
            outcome, state, error = REFUSED, REFUSED, delivery.refusal
        else:
            return False
        delivery.state, delivery.body = state, b""  # never sent: its body is not needed
        self._record(delivery, 0, outcome, None, error, None, {})
        return True

    def run_periodically(self, interval: float, function: Callable[[], None]) -> None:
        """Call `function` every `interval` seconds on the dispatcher thread (lifecycle ticker)."""
        with self._lock:
            if self._closed:
                return
            loop = self._ensure_started()
        asyncio.run_coroutine_threadsafe(self._periodic(interval, function), loop)

    def attempts(self, task_id: str | None = None) -> list[AttemptRecord]:
        with self._lock:
            if task_id is None:
                return list(self._attempts.values())
            numbers = self._by_task.get(task_id, ([], []))[0]
            return [self._attempts[n] for n in numbers if n in self._attempts]

    def deliveries(self, task_id: str | None = None) -> list[Delivery]:
        with self._lock:
            if task_id is None:
                return list(self._deliveries.values())
            ids = self._by_task.get(task_id, ([], []))[1]
            return [self._deliveries[i] for i in ids if i in self._deliveries]

    def pending(self) -> int:
        """Deliveries queued or under way (the backlog the mock bounds)."""
        with self._lock:
            return self._in_flight

    def forget_tasks(self, task_ids: list[str]) -> None:
        """Drop the finished deliveries and attempt records of tasks the mock forgot."""
        with self._lock:
            for task_id in task_ids:
                numbers, ids = self._by_task.pop(task_id, ([], []))
                for number in numbers:
                    self._attempts.pop(number, None)
                kept = [i for i in ids if i in self._deliveries and not self._drop_if_final(i)]
                if kept:  # still under way: forgotten once it ends, with the next reset
                    self._by_task[task_id] = ([], kept)

    def _drop_if_final(self, delivery_id: int) -> bool:
        """Caller holds the lock. Forget a delivery that has ended; whether it was."""
        if self._deliveries[delivery_id].state in FINAL_STATES:
            del self._deliveries[delivery_id]
            return True
        return False

    def _index(self, task_id: str) -> tuple[list[int], list[int]]:
        """Caller holds the lock. The task's attempt numbers and delivery ids."""
        entry = self._by_task.get(task_id)
        if entry is None:
            entry = self._by_task[task_id] = ([], [])
        return entry

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
            self._by_task.clear()
            for delivery in self._deliveries.values():
                self._index(delivery.task_id)[1].append(delivery.id)

    def close(self, timeout: float = 5.0) -> None:
        """Stop; deliveries queued or retrying are recorded as abandoned, none lost silently."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop, thread = self._loop, self._thread
        self._before_shutdown()
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        except (concurrent.futures.TimeoutError, RuntimeError) as error:
            log.warning("callback dispatcher did not stop cleanly: %r", error)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        with self._idle:
            for delivery in self._deliveries.values():
                if delivery.state not in FINAL_STATES:
                    self._abandon(delivery)
            # Nothing is under way any more: a waiter must not wait for deliveries never ended.
            self._handed_over.clear()
            self._in_flight = 0
            self._idle.notify_all()

    # ------------------------------------------------------------------ internals

    def _before_shutdown(self) -> None:
        """Called once by `close`, new submits already refused, before anything stops."""

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        """Start the thread and its loop (caller holds the lock)."""
        if self._loop is None:
            loop = new_event_loop()
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

    def _start_handed_over(self) -> None:
        """On the loop: put every delivery handed over since the last wake-up in its task's
        queue, starting a worker for a task that has none."""
        with self._lock:
            batch, self._handed_over = self._handed_over, []
            self._wake_pending = False
        for delivery in batch:
            chain = self._chains.get(delivery.task_id)
            if chain is not None:
                chain.append(delivery)
                continue
            self._chains[delivery.task_id] = deque([delivery])
            worker = asyncio.get_running_loop().create_task(self._work_through(delivery.task_id))
            self._tasks.add(worker)
            worker.add_done_callback(self._tasks.discard)

    async def _periodic(self, interval: float, function: Callable[[], None]) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                function()
            except Exception:  # the ticker must outlive one bad tick
                log.exception("periodic task failed")

    async def _work_through(self, task_id: str) -> None:
        """Deliver one task's queue in order; the queue is dropped once it is empty."""
        chain = self._chains[task_id]
        try:
            while chain:
                await self._run(chain[0])
                chain.popleft()
        finally:
            del self._chains[task_id]

    async def _run(self, delivery: Delivery) -> None:
        try:
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
            with self._idle:
                self._in_flight -= 1
                delivery.body = b""  # sent or given up: memory per finished delivery stays small
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
        import aiohttp  # the first attempt imports it (once, ~0.25 s); then a dict look-up

        signer = self.signers.get(delivery.vendor) if delivery.signed else None
        signature = signer.headers(delivery.body, self.clock.now()) if signer is not None else {}
        headers = {"Content-Type": "application/json", "User-Agent": "segue-mock", **signature}
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
                    signature,
                )
            return False
        started = time.perf_counter()
        status: int | None = None
        error: str | None = None
        try:
            async with self._destination(delivery.url), self._post_slots():
                session = self._http()
                async with session.post(
                    delivery.url, data=delivery.body, headers=headers, allow_redirects=False
                ) as response:
                    await response.read()  # the whole answer, so the connection is reused
                    status = response.status
        except (aiohttp.ClientError, TimeoutError, OSError) as failure:
            error = describe_failure(failure)
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
                signature,
            )
        return delivered

    def _http(self) -> aiohttp.ClientSession:
        """The dispatcher's one session, made on its loop at the first POST.

        Timeouts per phase, as before with httpx: `timeout` to connect and `timeout` between
        reads (waiting for the answer included); no `connect`/pool timeout, since POSTs wait
        for a slot in `_post_slots`, outside the client. No cookie jar (a receiver's cookies must
        not ride on the next callback), no proxy from the environment (it must not intercept
        loopback callbacks), TLS verified with aiohttp's default context (system CAs).
        """
        if self._session is None:
            import aiohttp

            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=MAX_IN_FLIGHT, limit_per_host=PER_DESTINATION),
                timeout=aiohttp.ClientTimeout(
                    total=None, sock_connect=self.timeout, sock_read=self.timeout
                ),
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
            )
        return self._session

    def _destination(self, url: str) -> asyncio.Semaphore:
        """The slots of one host:port (taken before a global slot, so a POST waiting for a busy
        destination holds no global slot)."""
        where = host_and_port(url)
        slots = self._destination_slots.get(where)
        if slots is None:
            slots = self._destination_slots[where] = asyncio.Semaphore(PER_DESTINATION)
        return slots

    def _post_slots(self) -> asyncio.Semaphore:
        """At most MAX_IN_FLIGHT POSTs at once; the rest wait here, outside the client's pool
        (so a long backlog never runs into a pool timeout, and waiting costs O(1))."""
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
        if self._session is not None:
            await self._session.close()

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
        signature: dict[str, str],
    ) -> None:
        """Caller holds the lock. `signature`: the signature headers the attempt carried."""
        self._keep(
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
                signed=bool(signature),
                headers=signature,
            )
        )

    def _keep(self, record: AttemptRecord) -> None:
        """Caller holds the lock. A sender process passes its records on instead."""
        number = next(self._attempt_numbers)
        self._attempts[number] = record
        self._index(record.task_id)[0].append(number)
