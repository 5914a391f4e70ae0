"""Clocks: the wall clock, and a fake one a test moves by hand.

Every time the mock reads (task ages, rate-limit windows, timestamps in payloads and signatures)
comes from one of these, so a test with a `FakeClock` sees the same lifecycle every run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """What the mock needs from a clock."""

    def now(self) -> float:
        """Unix time in seconds."""
        ...

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        """Stop calling `listener` (a closed mock)."""
        ...

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` after the clock jumps (FakeClock.advance; the wall clock never jumps)."""
        ...


class RealClock:
    """The wall clock (`time.time`)."""

    def now(self) -> float:
        return time.time()

    def subscribe(self, listener: Callable[[], None]) -> None:
        """The wall clock never jumps: nothing to notify."""

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        """Nothing was subscribed."""


class FakeClock:
    """A clock that stands still until `advance(seconds)`; then the mock catches up at once.

    Starts at `start` (default: the wall clock's now, so timestamps in payloads look current and
    a receiver checking signature freshness accepts them).
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move forward `seconds` (never back), let subscribers catch up, return the new time."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._now += seconds
            now = self._now
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
        return now

    def subscribe(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners = [known for known in self._listeners if known != listener]
