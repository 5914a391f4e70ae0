"""The facade's engine: preflight, sending, reading answers into typed errors, retries, waiting.

`Core` holds what sync and async share (no I/O): building a request, reading an answer, the
retry decision, the wait decision. `SyncClient`/`AsyncClient` and `Task`/`AsyncTask` add only
the sending and the sleeping, once each way. The generated facade (`<vendor>_client.sdk`)
subclasses the clients with one typed method per operation.

Why hand-written: openapi-python-client has no retries, no typed errors and no waiters (its
maintainers point to custom httpx clients), and httpx's transport retries only connection
failures, blindly for every method; a paid create must be retried only on an answer that
proves no task was made (`facts.ErrorTable.retry_safe`).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import httpx
import pydantic

from segue import request_validation

from . import errors, facts

# Backoff between retries when the vendor gives no Retry-After: 0.5 s doubling, at most 8 s,
# each drawn from [half, full] so that many clients do not retry in step.
BACKOFF_START_S = 0.5
BACKOFF_CAP_S = 8.0
# `Task.wait` without `poll_interval`: the first wait, its growth per poll and its cap.
WAIT_START_S = 0.5
WAIT_GROWTH = 1.5
WAIT_CAP_S = 5.0
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_RETRIES = 2

UNSET: Any = type("Unset", (), {"__repr__": lambda self: "UNSET", "__bool__": lambda self: False})()

Answer = TypeVar("Answer", bound=pydantic.BaseModel)
# The task object `Task.wait` returns (the generated facade names its class).
Polled = TypeVar("Polled")


def body_of(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body: every keyword argument the caller set, under its wire name."""
    return {name: value for name, value in fields.items() if value is not UNSET}


class Core:
    """What a client knows about its vendor, and every decision that needs no I/O."""

    def __init__(
        self,
        vendor: facts.VendorFacts,
        validator: Callable[[], request_validation.RequestValidator],
        poll_model: type[pydantic.BaseModel],
    ) -> None:
        self.vendor = vendor
        self._validator = validator
        self.poll_model = poll_model
        self.poll = vendor.operations[vendor.lifecycle.poll]
        # What `Task.wait` returns: the object of the poll answer that holds the status (KIE's
        # `data`) or the clips (Udio's `data`), as the lifecycle's pointers say.
        lifecycle = vendor.lifecycle
        held = lifecycle.clips if lifecycle.clips is not None else lifecycle.status
        self._task_path = tuple(t for t in held.split("/")[1:-1] if t)

    def task_view(self, answer: pydantic.BaseModel) -> Any:
        """The task inside a typed poll answer (the answer itself if the status is at its root)."""
        node: Any = answer
        for token in self._task_path:
            node = _field(node, token)
        return node

    # ------------------------------------------------------------------ before sending

    def preflight(self, operation: facts.Operation, body: Any) -> None:
        """Raise `InvalidRequest` (field, rule, `.problems`) before anything is sent."""
        try:
            self._validator().validate(operation.operation_id, body)
        except request_validation.PreflightError as error:
            rejected = error  # `error` is unbound after the except block; the lambda reads later
            raise errors.InvalidRequest(str(rejected), problems=lambda: rejected.problems) from None

    # ------------------------------------------------------------------ reading answers

    def read(self, response: httpx.Response, model: type[Answer]) -> tuple[Answer, Any]:
        """The typed answer and its JSON, or the typed error the spec maps its code to."""
        content = response.content
        try:
            data = json.loads(content)
        except ValueError:
            raise self._error(
                response.status_code, response, None, "the answer is not JSON"
            ) from None
        code = self.vendor.errors.error_code(response.status_code, data)
        if code is not None:
            message = facts.pointer_get(data, self.vendor.errors.message_pointer)
            raise self._error(code, response, data, message)
        try:
            return model.model_validate(data), data
        except pydantic.ValidationError as problem:
            raise errors.VendorError(
                f"the answer does not match the spec's {model.__name__}: {problem}",
                http_status=response.status_code,
                body=content,
                headers=dict(response.headers),
            ) from None

    def _error(
        self, code: int, response: httpx.Response, data: Any, message: Any
    ) -> errors.VendorError:
        entry = self.vendor.errors.entries.get(code)
        if entry is not None:
            cls = errors.BY_NAME.get(entry.error, errors.VendorError)
        else:
            cls = errors.ServerError if code >= 500 else errors.VendorError
        text = message if isinstance(message, str) and message else f"HTTP {response.status_code}"
        extra: dict[str, Any] = {}
        if issubclass(cls, errors.RateLimited):
            extra["retry_after"] = retry_after(response.headers)
        return cls(
            text,
            code=code,
            http_status=response.status_code,
            body=response.content,
            headers=dict(response.headers),
            **extra,
        )

    # ------------------------------------------------------------------ retrying

    def retry_delay(
        self,
        operation: facts.Operation,
        failure: errors.VendorError,
        attempt: int,
        max_retries: int,
        deadline: float | None,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None: raise `failure`."""
        if attempt >= max_retries:
            return None
        if isinstance(failure, errors.ConnectionFailed):
            if operation.creates:
                return None  # the task may exist: never send a paid create twice
        elif failure.code is None or not self.vendor.errors.retry_safe(
            failure.code, operation.creates
        ):
            return None
        delay = getattr(failure, "retry_after", None)
        if delay is None:
            delay = min(BACKOFF_CAP_S, BACKOFF_START_S * 2**attempt) * random.uniform(0.5, 1)
        if deadline is not None and time.monotonic() + delay >= deadline:
            return None
        return delay

    # ------------------------------------------------------------------ waiting

    def until_index(self, until: str | None) -> int:
        lifecycle = self.vendor.lifecycle
        return lifecycle.stage_index(until or lifecycle.success[0])

    def first_interval(self, poll_interval: float | None) -> float:
        floor = self.vendor.lifecycle.min_poll_interval
        return max(floor, poll_interval if poll_interval is not None else WAIT_START_S)

    @staticmethod
    def next_interval(interval: float, poll_interval: float | None) -> float:
        return interval if poll_interval is not None else min(WAIT_CAP_S, interval * WAIT_GROWTH)

    def judge(self, task_id: str, answer: Any, data: Any, target: int) -> bool:
        """True when the task reached the target stage; raise `TaskFailed` on a failure."""
        progress = self.vendor.lifecycle.progress(data)
        if progress.failed:
            raise errors.TaskFailed(
                f"task {task_id} failed: {progress.status} "
                f"{progress.error_code if progress.error_code is not None else ''} "
                f"{progress.error_message or ''}".strip(),
                status=progress.status,
                error_code=progress.error_code,
                error_message=progress.error_message,
                answer=answer,
            )
        return progress.reached >= target

    def status_of(self, data: Any) -> str | None:
        return self.vendor.lifecycle.progress(data).status

    def task_id(self, data: Any) -> str:
        value = facts.pointer_get(data, self.vendor.lifecycle.task_id_answer)
        if not isinstance(value, str) or not value:
            raise errors.VendorError(
                f"the create answer has no task id at {self.vendor.lifecycle.task_id_answer}",
                body=json.dumps(data).encode(),
            )
        return value


def _field(model: Any, wire_name: str) -> Any:
    """A pydantic model's field by its JSON name (its alias, or its own name)."""
    for name, info in type(model).model_fields.items():
        if wire_name in (info.alias, name):
            return getattr(model, name)
    raise errors.VendorError(f"the poll answer has no field {wire_name!r}")


def retry_after(headers: Mapping[str, str]) -> float | None:
    """`Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in seconds; None if absent."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _connection_failed(error: httpx.TransportError) -> errors.ConnectionFailed:
    failure = errors.ConnectionFailed(f"no answer: {type(error).__name__}: {error}")
    failure.__cause__ = error
    return failure


def _timeout(default: float | None, deadline: float | None) -> float | None:
    if deadline is None:
        return default
    remaining = max(0.001, deadline - time.monotonic())
    return remaining if default is None else min(default, remaining)


class _Settings:
    """Constructor arguments both clients take; defaults from the environment and the spec."""

    def __init__(
        self,
        vendor: facts.VendorFacts,
        api_key: str | None,
        base_url: str | None,
        env_prefix: str,
    ) -> None:
        self.api_key = api_key if api_key is not None else os.environ.get(f"{env_prefix}_API_KEY")
        if not self.api_key:
            raise errors.Unauthorized(
                f"no API key: pass api_key=… or set ${env_prefix}_API_KEY", code=None
            )
        self.base_url = (
            base_url or os.environ.get(f"{env_prefix}_BASE_URL") or vendor.server_url
        ).rstrip("/")
        self.headers = {"Authorization": f"Bearer {self.api_key}"}


class SyncClient:
    """Base of the generated sync facade (`Kie`, `Udio`)."""

    _core: Core
    _env_prefix: str
    _low_level_class: Any

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
    ) -> None:
        settings = _Settings(self._core.vendor, api_key, base_url, self._env_prefix)
        self.base_url = settings.base_url
        self.max_retries = max_retries
        self.timeout = timeout
        self._http = http_client or httpx.Client(base_url=settings.base_url, timeout=timeout)
        self._http.headers.update(settings.headers)
        self._http.base_url = httpx.URL(settings.base_url)
        self.low_level = self._low_level_class(base_url=settings.base_url, token=settings.api_key)
        self.low_level.set_httpx_client(self._http)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(
        self,
        operation_id: str,
        model: type[Answer],
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> tuple[Answer, Any]:
        core = self._core
        operation = core.vendor.operations[operation_id]
        if body is not None:
            core.preflight(operation, body)
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    operation.method,
                    operation.path,
                    json=body,
                    params=params,
                    timeout=_timeout(self.timeout, deadline),
                )
            except httpx.TransportError as error:
                failure: errors.VendorError = _connection_failed(error)
            else:
                try:
                    return core.read(response, model)
                except errors.VendorError as error:
                    failure = error
            delay = core.retry_delay(
                operation,
                failure,
                attempt,
                self.max_retries if max_retries is None else max_retries,
                deadline,
            )
            if delay is None:
                raise failure
            time.sleep(delay)
            attempt += 1

    def _create(
        self, operation_id: str, model: type[Answer], body: Any, max_retries: int | None
    ) -> Task[Answer, Any]:
        answer, data = self._call(operation_id, model, body=body, max_retries=max_retries)
        return Task(self, self._core.task_id(data), answer)

    def _poll(
        self, task_id: str, max_retries: int | None = None, deadline: float | None = None
    ) -> tuple[Any, Any]:
        parameter = self._core.vendor.lifecycle.task_id_parameter
        return self._call(
            self._core.poll.operation_id,
            self._core.poll_model,
            params={parameter: task_id},
            max_retries=max_retries,
            deadline=deadline,
        )

    def task(self, task_id: str) -> Task[Any, Any]:
        """A `Task` for an id from elsewhere (a callback, a database), to `wait` on."""
        return Task(self, task_id, None)


class Task(Generic[Answer, Polled]):
    """A created task: `.id`, `.answer` (the typed create answer), `refresh()`, `wait()`."""

    def __init__(self, client: SyncClient, task_id: str, answer: Answer | None) -> None:
        self._client = client
        self.id = task_id
        self.answer = answer

    def __repr__(self) -> str:
        return f"Task(id={self.id!r})"

    def refresh(self, *, max_retries: int | None = None) -> Polled:
        """One poll (retried on transient answers); the task, typed (see `wait`)."""
        return self._client._core.task_view(self._client._poll(self.id, max_retries)[0])

    def wait(
        self,
        timeout: float = 600.0,
        until: str | None = None,
        poll_interval: float | None = None,
        on_update: Callable[[Polled], object] | None = None,
    ) -> Polled:
        """Poll until the task reaches `until` (default: success); return the task, typed: the
        object of the poll answer holding its status (KIE: `MusicTaskDetails`) or its clips
        (Udio: the feed's `data`), as x-segue-lifecycle points. `on_update`, `TaskFailed.answer`
        and `WaitTimeout.last_answer` get the same object.

        Polls no faster than the vendor's documented limit, backing off from 0.5 s to 5 s
        unless `poll_interval` is given; transient answers and lost connections are retried
        (honouring Retry-After) until `timeout` seconds have passed, never beyond. Raises
        `TaskFailed` on a failure status and `WaitTimeout` at the deadline. `on_update` is
        called when the status changed.
        """
        core = self._client._core
        target = core.until_index(until)
        deadline = time.monotonic() + timeout
        interval = core.first_interval(poll_interval)
        last: Any = None
        last_status: Any = UNSET
        while True:
            try:
                answer, data = self._client._poll(self.id, max_retries=1 << 30, deadline=deadline)
            except errors.VendorError as failure:
                if _retryable(core, failure):
                    raise _timed_out(self.id, timeout, last) from failure
                raise
            last = answer = core.task_view(answer)
            status = core.status_of(data)
            if on_update is not None and status != last_status:
                on_update(answer)
            last_status = status
            if core.judge(self.id, answer, data, target):
                return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _timed_out(self.id, timeout, last)
            time.sleep(min(interval, remaining))
            interval = core.next_interval(interval, poll_interval)


def _retryable(core: Core, failure: errors.VendorError) -> bool:
    """A poll failure that `_call` (retrying without a count) gave up on only because its next
    attempt would have come after the deadline."""
    if isinstance(failure, errors.ConnectionFailed):
        return True
    return failure.code is not None and core.vendor.errors.retry_safe(failure.code, False)


def _timed_out(task_id: str, timeout: float, last: Any) -> errors.WaitTimeout:
    return errors.WaitTimeout(
        f"task {task_id} did not finish within {timeout:g} s", last_answer=last
    )


class AsyncClient:
    """Base of the generated async facade (`AsyncKie`, `AsyncUdio`): the same, awaitable."""

    _core: Core
    _env_prefix: str
    _low_level_class: Any

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        settings = _Settings(self._core.vendor, api_key, base_url, self._env_prefix)
        self.base_url = settings.base_url
        self.max_retries = max_retries
        self.timeout = timeout
        self._http = http_client or httpx.AsyncClient(base_url=settings.base_url, timeout=timeout)
        self._http.headers.update(settings.headers)
        self._http.base_url = httpx.URL(settings.base_url)
        self.low_level = self._low_level_class(base_url=settings.base_url, token=settings.api_key)
        self.low_level.set_async_httpx_client(self._http)

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _call(
        self,
        operation_id: str,
        model: type[Answer],
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> tuple[Answer, Any]:
        core = self._core
        operation = core.vendor.operations[operation_id]
        if body is not None:
            core.preflight(operation, body)
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    operation.method,
                    operation.path,
                    json=body,
                    params=params,
                    timeout=_timeout(self.timeout, deadline),
                )
            except httpx.TransportError as error:
                failure: errors.VendorError = _connection_failed(error)
            else:
                try:
                    return core.read(response, model)
                except errors.VendorError as error:
                    failure = error
            delay = core.retry_delay(
                operation,
                failure,
                attempt,
                self.max_retries if max_retries is None else max_retries,
                deadline,
            )
            if delay is None:
                raise failure
            await asyncio.sleep(delay)
            attempt += 1

    async def _create(
        self, operation_id: str, model: type[Answer], body: Any, max_retries: int | None
    ) -> AsyncTask[Answer, Any]:
        answer, data = await self._call(operation_id, model, body=body, max_retries=max_retries)
        return AsyncTask(self, self._core.task_id(data), answer)

    async def _poll(
        self, task_id: str, max_retries: int | None = None, deadline: float | None = None
    ) -> tuple[Any, Any]:
        parameter = self._core.vendor.lifecycle.task_id_parameter
        return await self._call(
            self._core.poll.operation_id,
            self._core.poll_model,
            params={parameter: task_id},
            max_retries=max_retries,
            deadline=deadline,
        )

    def task(self, task_id: str) -> AsyncTask[Any, Any]:
        return AsyncTask(self, task_id, None)


class AsyncTask(Generic[Answer, Polled]):
    """`Task`, awaitable: `await task.refresh()`, `await task.wait(…)`."""

    def __init__(self, client: AsyncClient, task_id: str, answer: Answer | None) -> None:
        self._client = client
        self.id = task_id
        self.answer = answer

    def __repr__(self) -> str:
        return f"AsyncTask(id={self.id!r})"

    async def refresh(self, *, max_retries: int | None = None) -> Polled:
        core = self._client._core
        return core.task_view((await self._client._poll(self.id, max_retries))[0])

    async def wait(
        self,
        timeout: float = 600.0,
        until: str | None = None,
        poll_interval: float | None = None,
        on_update: Callable[[Polled], object] | None = None,
    ) -> Polled:
        """See `Task.wait`; `on_update` may be a coroutine function."""
        core = self._client._core
        target = core.until_index(until)
        deadline = time.monotonic() + timeout
        interval = core.first_interval(poll_interval)
        last: Any = None
        last_status: Any = UNSET
        while True:
            try:
                answer, data = await self._client._poll(
                    self.id, max_retries=1 << 30, deadline=deadline
                )
            except errors.VendorError as failure:
                if _retryable(core, failure):
                    raise _timed_out(self.id, timeout, last) from failure
                raise
            last = answer = core.task_view(answer)
            status = core.status_of(data)
            if on_update is not None and status != last_status:
                result = on_update(answer)
                if isinstance(result, Awaitable):
                    await result
            last_status = status
            if core.judge(self.id, answer, data, target):
                return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _timed_out(self.id, timeout, last)
            await asyncio.sleep(min(interval, remaining))
            interval = core.next_interval(interval, poll_interval)
