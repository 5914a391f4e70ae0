"""The SDK's typed errors. `VendorError` is renamed to the vendor's base (`KieError`, `UdioError`).

Which error an answer raises is read from the spec's `x-segue-errors` table (`facts.ErrorTable`);
this module only says what each error carries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class VendorError(Exception):
    """Base of every error this SDK raises: the vendor's code and message, the HTTP status, the
    raw answer body (bytes; empty when nothing was received)."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.body = body
        self.headers = headers or {}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code is not None else self.message


class InvalidRequest(VendorError):
    """The request breaks the operation's schema: raised by preflight before anything is sent,
    or from the vendor's own validation answer. `.field`, `.rule` and `.problems` say what."""

    def __init__(
        self,
        message: str,
        *,
        problems: Callable[[], list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self._problems = problems
        field, separator, rule = message.partition(": ")
        self.field: str | None = field if separator else None
        self.rule: str = rule if separator else message

    @functools.cached_property
    def problems(self) -> list[str]:
        """Every broken rule (computed when first read: a second pass over the body)."""
        return self._problems() if self._problems is not None else [self.message]


class Unauthorized(VendorError):
    """The API key is missing or wrong."""


class InsufficientCredits(VendorError):
    """The account has not enough credits for this task."""


class RateLimited(VendorError):
    """Too many requests; `.retry_after` is the wait the vendor asked for, in seconds (or None)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Maintenance(VendorError):
    """The vendor is under maintenance."""


class ServerError(VendorError):
    """The vendor failed (5xx or a code it documents as a server error)."""


class NotFound(VendorError):
    """The task, clip or work does not exist (for this key)."""


class ConnectionFailed(VendorError):
    """No answer arrived (connection refused or dropped, timeout). `__cause__` is httpx's error.

    A create is never retried after this: the task may exist.
    """


class TaskFailed(VendorError):
    """The task ended in a failure state: `.status`, `.error_code`, `.error_message` as the
    vendor reported them; `.answer` is the poll answer (typed)."""

    def __init__(
        self,
        message: str,
        *,
        status: str | None,
        error_code: Any,
        error_message: str | None,
        answer: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.status = status
        self.error_code = error_code
        self.error_message = error_message
        self.answer = answer


class WaitTimeout(VendorError):
    """`Task.wait` reached its deadline; `.last_answer` is the last poll answer (or None)."""

    def __init__(self, message: str, *, last_answer: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.last_answer = last_answer


class InvalidCallback(VendorError):
    """A callback body is not what the spec describes."""


class InvalidSignature(InvalidCallback):
    """A callback's signature headers are missing, stale or do not match."""


class ReplayedCallback(InvalidSignature):
    """The replay guard saw this task id, stage and timestamp before."""


# The classes the spec's `x-segue-errors` table may name, by name; `build` adds a subclass of
# `VendorError` for any other name the table uses (KIE's Conflict).
BY_NAME: dict[str, type[VendorError]] = {
    cls.__name__: cls
    for cls in (
        InvalidRequest,
        Unauthorized,
        InsufficientCredits,
        RateLimited,
        Maintenance,
        ServerError,
        NotFound,
    )
}
