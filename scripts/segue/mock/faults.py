"""Faults a test switches on: wrong answers for requests, and late, duplicated or failing callbacks.

A request fault answers a documented error (`rule`, e.g. `rate-limited`) and/or waits `delay_ms`
first, for the next `count` matching requests (None: until cleared), optionally only for one key,
vendor or operation. A callback fault delays deliveries, sends extra copies, or makes the first
attempts fail (so the retry path runs), for the next `count` deliveries, optionally of one task.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class RequestFault:
    rule: str | None = None
    delay_ms: int = 0
    retry_after: int | None = None
    count: int | None = 1
    key: str | None = None
    vendor: str | None = None
    operation: str | None = None
    id: int = 0
    hits: int = 0

    def matches(self, vendor: str, operation: str, key: str | None) -> bool:
        return (
            (self.vendor is None or self.vendor == vendor)
            and (self.operation is None or self.operation == operation)
            and (self.key is None or self.key == key)
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CallbackFault:
    delay_ms: int = 0
    duplicates: int = 0
    fail_attempts: int = 0
    count: int | None = None
    task_id: str | None = None
    id: int = 0
    hits: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CallbackPlan:
    delay: float = 0.0
    duplicates: int = 0
    fail_attempts: int = 0


class FaultBook:
    """The faults in force; thread-safe. The first matching fault of each kind applies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.request_faults: list[RequestFault] = []
        self.callback_faults: list[CallbackFault] = []

    def add_request_fault(self, fault: RequestFault) -> RequestFault:
        with self._lock:
            fault.id = next(self._ids)
            self.request_faults.append(fault)
        return fault

    def add_callback_fault(self, fault: CallbackFault) -> CallbackFault:
        with self._lock:
            fault.id = next(self._ids)
            self.callback_faults.append(fault)
        return fault

    def take_request_fault(
        self, vendor: str, operation: str, key: str | None, can_answer: Any
    ) -> RequestFault | None:
        """The fault for this request (its count used up by one); `can_answer(rule)`: documented?"""
        with self._lock:
            for fault in self.request_faults:
                if fault.matches(vendor, operation, key) and (
                    fault.rule is None or can_answer(fault.rule)
                ):
                    self._use(fault, self.request_faults)
                    return fault
        return None

    def callback_plan(self, task_id: str) -> CallbackPlan:
        with self._lock:
            for fault in self.callback_faults:
                if fault.task_id is None or fault.task_id == task_id:
                    self._use(fault, self.callback_faults)
                    return CallbackPlan(
                        fault.delay_ms / 1000, fault.duplicates, fault.fail_attempts
                    )
        return CallbackPlan()

    def clear(self) -> None:
        with self._lock:
            self.request_faults.clear()
            self.callback_faults.clear()

    @staticmethod
    def _use(fault: RequestFault | CallbackFault, book: list[Any]) -> None:
        fault.hits += 1
        if fault.count is not None:
            fault.count -= 1
            if fault.count <= 0:
                book.remove(fault)
