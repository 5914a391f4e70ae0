"""Send callbacks from a process of their own, so that sending them never slows serving.

A served mock (`segue mock`) runs on one interpreter, and the GIL lets it use one core. Sending a
callback costs ~0.2 ms of CPU (aiohttp), three per create, more than serving the create itself:
on the dispatcher's thread, the sending took the GIL from the requests being served (the
benchmark showed p99 latency three times higher with callbacks on). `ProcessDispatcher` keeps
everything the mock knows about its callbacks where it was (ids, the attempt log, waiting until
idle, giving up, the ticker) and hands the POSTs to a `CallbackDispatcher` in a child process:

    mock process                                    sender process
    submit -> dispatcher thread --("deliver", [Delivery, ...])--> reader thread -> submit
              (the log, wait_idle)  <--[("attempt", AttemptRecord) | ("done", id, state)]-- loop

The child does exactly what the in-process dispatcher does (per-task order, retries, backoff,
signatures, the in-flight limit) because it is one; it keeps nothing and passes every attempt
record back. Records travel in batches, one pickled message per turn of the child's loop.

Only for a real clock: a test's FakeClock cannot be shared with another process, and in-process
tests keep the thread (`MockConfig.callback_process`). When the mock stops, the child records
what it still had as abandoned and says so before it exits; if the child dies, every delivery
still under way is recorded as abandoned by the mock, never dropped. If the mock dies, the child
sees its pipe close and exits.

Why hand-written: multiprocessing's Pipe is the transport; a task queue (celery, dramatiq, arq)
would need a broker, and concurrent.futures' process pool cannot stream records back.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from segue.mock.callbacks import (
    FINAL_STATES,
    GAVE_UP,
    SENDING,
    AttemptRecord,
    CallbackDispatcher,
    Delivery,
)
from segue.mock.clock import RealClock

log = logging.getLogger("segue.mock.callbacks")

CLOSE_TIMEOUT = 10.0  # how long the mock waits for the sender to record what it abandons


class ProcessDispatcher(CallbackDispatcher):
    """A `CallbackDispatcher` whose POSTs are made by a child process (see the module doc)."""

    def __init__(
        self, *, on_gave_up: Callable[[Delivery], None] | None = None, **settings: Any
    ) -> None:
        """`settings`: CallbackDispatcher's timeout, retries, backoff, allow and signers."""
        super().__init__(clock=RealClock(), on_gave_up=on_gave_up, **settings)
        self._pipe, child_end = multiprocessing.Pipe()
        # spawn, not fork: the mock has threads (uvicorn's, the dispatcher's) a fork would copy.
        self._child = multiprocessing.get_context("spawn").Process(
            target=run_sender,
            args=(child_end, settings),
            name="segue-mock-sender",
            daemon=True,
        )
        self._child.start()
        child_end.close()
        self._send_lock = threading.Lock()  # the dispatcher's loop and `close` both send
        self._sender_closed = threading.Event()
        self._reader = threading.Thread(
            target=self._listen, name="segue-mock-sender-reports", daemon=True
        )
        self._reader.start()

    @property
    def sender_pid(self) -> int | None:
        """The sender process's id (to watch it, or to kill it in a test)."""
        return self._child.pid

    # ------------------------------------------------------------------ in the mock process

    def _start_handed_over(self) -> None:
        """On the dispatcher's loop: hand every delivery submitted since the last wake-up to the
        sender, in one message."""
        with self._lock:
            batch, self._handed_over = self._handed_over, []
            self._wake_pending = False
        try:
            self._send(("deliver", batch))
        except OSError as error:  # the sender is gone: nothing it was given will be sent
            log.error("callback sender is gone (%s); abandoning %d deliveries", error, len(batch))
            self._sender_gone()

    def _send(self, message: tuple[Any, ...]) -> None:
        with self._send_lock:
            self._pipe.send(message)

    def _listen(self) -> None:
        """The reader thread: apply what the sender reports until it closes its end.

        A thread of its own, not the loop's `add_reader`: that makes the pipe non-blocking, and
        multiprocessing's Connection then writes large messages in part.
        """
        try:
            while True:
                self._receive(self._pipe.recv())
        except (EOFError, OSError):
            self._sender_gone()

    def _receive(self, events: list[tuple[Any, ...]]) -> None:
        gave_up: list[Delivery] = []
        with self._idle:
            for event in events:
                gave_up += self._apply(event)
            self._idle.notify_all()
        for delivery in gave_up:
            if self.on_gave_up is not None:
                self.on_gave_up(delivery)

    def _apply(self, event: tuple[Any, ...]) -> list[Delivery]:
        """Caller holds the lock. Returns the delivery the sender gave up on, if any."""
        kind = event[0]
        if kind == "attempt":
            record: AttemptRecord = event[1]
            self._keep(record)
            delivery = self._deliveries.get(record.delivery)
            if delivery is not None:
                delivery.attempts = record.attempt
                delivery.state = record.outcome if record.outcome in FINAL_STATES else SENDING
        elif kind == "done":
            self._in_flight -= 1
            delivery = self._deliveries.get(event[1])
            if delivery is not None:
                delivery.state, delivery.body = event[2], b""
                if delivery.state == GAVE_UP:
                    return [delivery]
        elif kind == "closed":
            self._sender_closed.set()
        return []

    def _sender_gone(self) -> None:
        """The sender closed its end: whatever it had not finished is abandoned, and said so."""
        with self._idle:
            for delivery in sorted(self._deliveries.values(), key=lambda d: d.id):
                if delivery.state not in FINAL_STATES:
                    self._abandon(delivery)
            self._handed_over.clear()
            self._in_flight = 0
            self._idle.notify_all()
        self._sender_closed.set()

    def _before_shutdown(self) -> None:
        """Ask the sender to stop and wait (bounded) for its last records: it records what it
        still had as abandoned. Whatever it does not report in time, `close` abandons here."""
        with contextlib.suppress(OSError):  # already gone: `_listen` recorded what it had
            self._send(("close",))
        if not self._sender_closed.wait(CLOSE_TIMEOUT):
            log.warning("callback sender did not report its last deliveries in time")

    def close(self, timeout: float = 5.0) -> None:
        super().close(timeout)
        self._child.join(timeout)
        if self._child.is_alive():
            self._child.terminate()
            self._child.join(timeout)
        self._pipe.close()
        self._reader.join(timeout)


class _SenderSide(CallbackDispatcher):
    """The child's dispatcher: sends as the in-process one does, keeps nothing, reports all."""

    def __init__(self, pipe: Connection, **settings: Any) -> None:
        super().__init__(clock=RealClock(), **settings)
        self._pipe = pipe
        self._report_lock = threading.Lock()  # the reader thread and the loop both report
        self._outbox: list[tuple[Any, ...]] = []
        self._flush_pending = False

    def _keep(self, record: AttemptRecord) -> None:
        self._report(("attempt", record))

    async def _run(self, delivery: Delivery) -> None:
        try:
            await super()._run(delivery)
        finally:
            with self._lock:
                self._deliveries.pop(delivery.id, None)
                self._by_task.pop(delivery.task_id, None)  # the child keeps nothing
            self._report(("done", delivery.id, delivery.state))

    def _report(self, event: tuple[Any, ...]) -> None:
        with self._report_lock:
            self._outbox.append(event)
            if self._flush_pending or self._loop is None or self._closed:
                return
            self._flush_pending = True
        # One message per turn of the loop: the records of every POST that ended meanwhile.
        with contextlib.suppress(RuntimeError):  # the loop closed: `flush` sends them
            self._loop.call_soon_threadsafe(self.flush)

    def flush(self) -> None:
        with self._report_lock:
            events, self._outbox = self._outbox, []
            self._flush_pending = False
            if events:
                with contextlib.suppress(OSError):  # the mock is gone; nobody to tell
                    self._pipe.send(events)

    def finish(self) -> None:
        """Abandon what is left (recorded), send the last records, say closed."""
        self.close()
        self.flush()
        with self._report_lock, contextlib.suppress(OSError):
            self._pipe.send([("closed",)])


def run_sender(pipe: Connection, settings: dict[str, Any]) -> None:
    """The child process: take deliveries from the mock until it says close or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the mock; it closes us
    sender = _SenderSide(pipe, **settings)
    while True:
        try:
            message = pipe.recv()
        except (EOFError, OSError):  # the mock died: nobody is left to report to
            sender.close()
            return
        if message[0] == "deliver":
            for delivery in message[1]:
                sender.submit(delivery)
        elif message[0] == "close":
            sender.finish()
            return
