"""The mock's thin core: the lock, the clock, the events, the dispatcher, the outbound seam.

`create_app(config).state.segue` is a `MockCore`. The vendors' responses modules
(`segue.mock.kie.responses`, `segue.mock.udio.responses`) run their state calls through
`run`/`create`; the control API (`segue.mock.control`) calls the methods below the line
"for the control API". The core knows which vendor renders a task's callbacks (a `Renderer`
per vendor, handed in by `create_app`) but no HTTP of the vendors' own.

Threading: the state is guarded by one re-entrant lock. Stage changes found while holding it are
rendered at once (so a payload shows the task as it was at that stage), one event at a time, and
handed to the dispatcher after the lock is released.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from segue.mock import jsonio, models, snapshot
from segue.mock.callback_process import ProcessDispatcher
from segue.mock.callbacks import (
    ABANDONED,
    FINAL_STATES,
    AttemptRecord,
    CallbackDispatcher,
    Delivery,
    Signer,
    host_and_port,
    is_loopback,
)
from segue.mock.clock import FakeClock, RealClock
from segue.mock.config import MockConfig, Outbound
from segue.mock.faults import FaultBook
from segue.mock.models import Event, Failure, MockState, RuleViolation, Settings, Task
from segue.mock.spec import VendorSpec

log = logging.getLogger("segue.mock")
T = TypeVar("T")
TICK_SECONDS = 0.05
UNCHANGED: Any = object()
BACKLOG_RETRY_AFTER = 1  # seconds: the sender clears the default bound in about three


class Renderer(Protocol):
    """What the core needs of a vendor's renderer (`segue.mock.<vendor>.responses`)."""

    def callback(self, task: Task, stage: str, status: str) -> Any:
        """The payload announcing that `task` reached `stage` (with `status`)."""

    def failure_message(self, code: int | None) -> str | None:
        """The message the spec shows for a failed task with errorCode `code`, if any."""


class MockCore:
    """Lock, clock, state, faults, events and the callback dispatcher of one mock (module doc)."""

    def __init__(
        self, config: MockConfig, specs: dict[str, VendorSpec], renderers: dict[str, Renderer]
    ) -> None:
        self.config = config
        self.specs = specs
        self.renderers = renderers
        self.clock = config.clock or RealClock()
        self.settings = Settings(
            **{f.name: getattr(config, f.name) for f in dataclasses.fields(Settings)}
        )
        self.lock = threading.RLock()
        self.state = MockState(
            self.settings,
            self.clock.now,
            random.Random(config.seed),
            config.credits,
            config.state_checks,
            {model: top for spec in specs.values() for model, top in spec.max_clip_seconds.items()},
        )
        self.api_keys = list(config.api_keys)
        for key in self.api_keys:
            self.state.add_key(key)
        self.faults = FaultBook()
        self.dispatcher = self._dispatcher(config)
        resumed = self._restore(config.state_file)
        if not self.api_keys:  # neither given nor restored: one generated
            self.api_keys.append(models.new_api_key())
            self.state.add_key(self.api_keys[0])
        self._ticker = False
        # (host, port) the mock was reached at (ASGI `scope["server"]`): callbacks never go there.
        self.own_addresses: set[tuple[str, int]] = set()
        self.clock.subscribe(self.tick)
        for delivery in resumed:
            self.dispatcher.submit(delivery)
        self._start_ticker()

    def _restore(self, path: Path | None) -> list[Delivery]:
        """Restore a previous run's state from `path` (if it exists); its pending deliveries."""
        saved = snapshot.load(path) if path is not None else None
        if saved is None:
            return []
        snapshot.restore_state(saved, self.state, self.settings)
        self.api_keys += [key for key in self.state.accounts if key not in self.api_keys]
        return snapshot.deliveries(saved)

    def _signers(self, key: str | None) -> dict[str, Signer]:
        """Per vendor whose spec signs callbacks (`x-segue-signature`), its signer; none without
        a key."""
        if not key:
            return {}
        return {
            vendor: Signer(spec.signature, key)
            for vendor, spec in self.specs.items()
            if spec.signature is not None
        }

    def _dispatcher(self, config: MockConfig) -> CallbackDispatcher:
        settings: dict[str, Any] = {
            "timeout": config.callback_timeout,
            "retries": config.callback_retries,
            "backoff": config.callback_backoff,
            "allow": tuple(config.callback_allow),
            "signers": self._signers(config.webhook_hmac_key),
            "on_gave_up": self._gave_up,
        }
        if not config.callback_process:
            return CallbackDispatcher(clock=self.clock, **settings)
        if not isinstance(self.clock, RealClock):
            raise ValueError("callback_process needs the real clock: a FakeClock stays in-process")
        return ProcessDispatcher(**settings)

    # ------------------------------------------------------------------ for the vendors' responses

    def create(self, action: Callable[[], Task]) -> Task:
        """Run a create (`action` calls the state) once the backlog has room for its callbacks."""
        self.admit_create()
        return self.run(action)

    def admit_create(self) -> None:
        """Backpressure: past the pending-callback bound a create is refused as rate-limited
        (the vendor's documented 429, with Retry-After) until the sender has caught up.
        `VendorResponses` asks before reading the body too, so that a refusal under overload
        costs no parsing or validation; `create` asks again, when it counts."""
        if self.backlog_full():
            raise RuleViolation(models.RATE_LIMITED, retry_after=BACKLOG_RETRY_AFTER)

    def backlog_full(self) -> bool:
        """Whether one more create's callbacks would take the backlog past its bound."""
        owed = len(models.STAGE_OF_STATUS)  # what one more create will owe, at most
        return self.dispatcher.pending() + owed > self.settings.max_pending_callbacks

    def authenticate(self, key: str | None) -> None:
        with self.lock:
            self.state.authenticate(key)

    # ------------------------------------------------------------------ what leaves the mock

    def outbound_error(self, vendor: str, operation: str, situation: str, body: Any) -> Any:
        """An error body as it leaves (through MockConfig.outbound, when one is set)."""
        hook = self.config.outbound
        if hook is None:
            return body
        sent = hook(Outbound("error", vendor, operation, situation, body))
        return body if sent is None else sent.body

    def outbound_poll(self, task: Task, body: Any) -> Any:
        hook = self.config.outbound
        if hook is None:
            return body
        outbound = Outbound("poll", task.vendor, task.operation, "", body, task.polls_at_status)
        sent = hook(outbound)
        return body if sent is None else sent.body

    # ------------------------------------------------------------------ the lock, events, callbacks

    def run(self, action: Callable[[], T]) -> T:
        """Run `action` on the state under the lock (after catching up with the clock), then send
        the callbacks of every stage reached meanwhile."""
        deliveries: list[Delivery] = []
        try:
            with self.lock:
                self.state.tick()
                try:
                    return action()
                finally:
                    for event in self.state.drain_events():
                        deliveries += self._deliveries_or_failure(event)
                    forgotten = self.state.prune()
                    if forgotten:
                        self.dispatcher.forget_tasks(forgotten)
        finally:
            # Also when `action` raised (a rule violation answered 4xx): the stages the clock
            # moved tasks through before it still owe their callbacks. The submits of one run
            # usually share one wake-up of the dispatcher's thread (CallbackDispatcher.submit).
            for delivery in deliveries:
                self.dispatcher.submit(delivery)
            self._start_ticker()

    def tick(self) -> None:
        """Apply every stage change that is due (called by the ticker and by FakeClock.advance)."""
        self.run(lambda: None)

    def _start_ticker(self) -> None:
        # Time-driven stages need someone to notice time passing when nobody polls; a FakeClock
        # notifies on advance() instead.
        if (
            not self._ticker
            and self.settings.timed()
            and not isinstance(self.clock, FakeClock)
            and self.state.tasks
        ):
            self._ticker = True
            self.dispatcher.run_periodically(TICK_SECONDS, self.tick)

    def _deliveries_or_failure(self, event: Event) -> list[Delivery]:
        """The event's deliveries; one that cannot be rendered is recorded as failed, with its
        reason, and never takes another event's callbacks with it (every owed callback is
        delivered or recorded)."""
        try:
            return self._deliveries(event)
        except Exception as error:
            log.warning("could not render the %s callback of %s", event.stage, event.task.id)
            task = event.task
            return [
                Delivery(
                    task_id=task.id,
                    vendor=task.vendor,
                    stage=event.stage,
                    url=task.callback_url or "",
                    body=b"",
                    unsendable=f"could not render the callback: {type(error).__name__}: {error}",
                )
            ]

    def _deliveries(self, event: Event) -> list[Delivery]:
        task = event.task
        operation = self.specs[task.vendor].operations.get(task.operation)
        if operation is None or not operation.is_create:
            return []
        callback = operation.callbacks[0]
        url = _at_pointer(task.params, callback.url_pointer)
        if not isinstance(url, str) or not url:
            return []
        task.callback_url = url
        payload: Any = self.renderers[task.vendor].callback(task, event.stage, event.status)
        signed = callback.signed
        if self.config.outbound is not None:
            sent = self.config.outbound(
                Outbound("callback", task.vendor, task.operation, event.stage, payload, 0, signed)
            )
            if sent is None:
                return []
            payload, signed = sent.body, sent.signed
        body = jsonio.dumps(payload)
        plan = self.faults.callback_plan(task.id)
        refusal = (
            "the mock's own address: a callback never calls the mock"
            if self._own_address(url)
            else None
        )
        return [
            Delivery(
                task_id=task.id,
                vendor=task.vendor,
                stage=event.stage,
                url=url,
                body=body,
                signed=signed,
                copy=copy,
                delay=plan.delay,
                fail_attempts=plan.fail_attempts,
                refusal=refusal,
            )
            for copy in range(plan.duplicates + 1)
        ]

    def served_at(self, server: Any) -> None:
        """Remember an address a request reached the mock at (`scope["server"]`)."""
        if server and tuple(server) not in self.own_addresses:
            host, port = server
            self.own_addresses.add((str(host).lower(), int(port or 80)))

    def _own_address(self, url: str) -> bool:
        """Whether `url` points at this mock: its port, on a loopback host or its own name."""
        host, port = host_and_port(url)
        return any(
            port == own_port and (host == own_host or is_loopback(host))
            for own_host, own_port in self.own_addresses
        )

    def _gave_up(self, delivery: Delivery) -> None:
        with self.lock:
            self.state.callback_undeliverable(delivery.task_id, delivery.stage)

    # ------------------------------------------------------------- for the control API

    def task(self, task_id: str) -> Task:
        with self.lock:
            self.state.tick()
            try:
                return self.state.tasks[task_id]
            except KeyError:
                raise KeyError(f"no task {task_id!r}") from None

    def tasks(self) -> list[Task]:
        with self.lock:
            self.state.tick()
            return list(self.state.tasks.values())

    def advance(self, task_id: str | None = None, stages: int | None = 1) -> list[Task]:
        """Move one task (or every unfinished task) `stages` stages on; None = to the end."""

        def action() -> list[Task]:
            if task_id is not None:
                targets = [self.state.tasks[task_id]] if task_id in self.state.tasks else []
                if not targets:
                    raise KeyError(f"no task {task_id!r}")
            else:
                targets = [t for t in self.state.tasks.values() if not t.terminal]
            for task in targets:
                self.state.advance(task, stages)
            return targets

        return self.run(action)

    def fail(
        self,
        task_id: str,
        status: str = "GENERATE_AUDIO_FAILED",
        code: int | None = None,
        message: str | None = None,
        now: bool = True,
    ) -> Task:
        """Fail a task now (or at its next step) with a failure status, errorCode and message.

        Defaults: the status's usual code; the message an example of the spec shows for that
        code (KIE) or for a failed clip (Udio). A code no example documents needs a message.
        """
        if status not in models.FAILURE_DEFAULT_CODES:
            raise ValueError(f"status must be one of {', '.join(models.FAILURE_DEFAULT_CODES)}")
        code = models.FAILURE_DEFAULT_CODES[status] if code is None else code

        def action() -> Task:
            task = self.state.tasks.get(task_id)
            if task is None:
                raise KeyError(f"no task {task_id!r}")
            text = message or self.renderers[task.vendor].failure_message(code)
            if not text:
                raise ValueError(f"the spec shows no message for errorCode {code}: give one")
            self.state.plan_failure(task, Failure(status, code, text), now)
            return task

        return self.run(action)

    def add_key(self, key: str | None = None, credits: Any = UNCHANGED) -> str:
        """Accept `key` (generated when None); `credits` sets its balance (None = unlimited)."""
        key = key or models.new_api_key()
        with self.lock:
            account = self.state.add_key(key)
            if credits is not UNCHANGED:
                account.credits = credits
            if key not in self.api_keys:
                self.api_keys.append(key)
        return key

    def credits(self) -> dict[str, int | None]:
        """Every accepted key and its credits (None = unlimited)."""
        with self.lock:
            return {key: account.credits for key, account in self.state.accounts.items()}

    def pending_callbacks(self) -> int:
        """Callback deliveries queued or under way (the backlog `max_pending_callbacks` bounds)."""
        return self.dispatcher.pending()

    def set_credits(self, key: str, credits: int | None) -> None:
        with self.lock:
            self.state.authenticate(key).credits = credits

    def update_settings(self, **changes: Any) -> Settings:
        with self.lock:
            for name, value in changes.items():
                if not hasattr(self.settings, name):
                    raise ValueError(f"unknown setting {name!r}")
                setattr(self.settings, name, value)
            if "stage_seconds" in changes:
                self.state.reschedule()
        self._start_ticker()
        return self.settings

    def reset(self) -> None:
        """Forget tasks, callback records and faults; restore credits. Keys stay."""
        with self.lock:
            self.state.reset()
            self.faults.clear()
            self.dispatcher.forget()

    def callback_attempts(self, task_id: str | None = None) -> list[AttemptRecord]:
        return self.dispatcher.attempts(task_id)

    def wait_for_callbacks(self, timeout: float = 5.0) -> bool:
        """Wait until every callback was delivered or given up (True) or `timeout` passed."""
        return self.dispatcher.wait_idle(timeout)

    def close(self) -> None:
        """Stop the callback thread; anything still queued is recorded as abandoned, and their
        number said in one line on stderr (so a stop that costs callbacks is never silent)."""
        self.clock.unsubscribe(self.tick)
        path = self.config.state_file
        if path is not None:
            with self.lock:
                pending = [d for d in self.dispatcher.deliveries() if d.state not in FINAL_STATES]
                snapshot.save(path, self.state, self.settings, pending)
            print(
                f"segue mock: state saved to {path} ({len(self.state.tasks)} tasks,"
                f" {len(pending)} pending callback deliveries to resume)",
                file=sys.stderr,
                flush=True,
            )
        self.dispatcher.close()
        abandoned = sum(1 for d in self.dispatcher.deliveries() if d.state == ABANDONED)
        if abandoned and path is None:
            print(
                f"segue mock: {abandoned} callback deliveries still pending at shutdown were"
                " recorded as abandoned",
                file=sys.stderr,
                flush=True,
            )


def _at_pointer(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.lstrip("/").split("/") if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or token not in node:
            return None
        node = node[token]
    return node


__all__ = ["MockCore", "Renderer", "RuleViolation"]
