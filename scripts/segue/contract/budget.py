"""What creating a task costs, and the `--max-credits` guard.

The cost table is the one place that says what spends credits: each operation that creates a
task costs one credit (a credit here = one created task; the vendors bill per task in their own
units, so `--max-credits N` means "create at most N tasks"). Polling and every rejected request
cost nothing.

A test that expects a task to be created reserves its cost first and is skipped when the budget
cannot pay; a reservation whose request was rejected is refunded. A request the test expects to be
rejected is sent regardless (it is free on a correct server); if the server creates a task anyway,
the credit is charged as *unexpected*, and once the budget is exhausted no further create request
of any kind is sent.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

# operationId -> credits spent when the call creates a task. Every create operation of both specs
# must be listed (contract_tests/test_contract_cli.py checks it against the specs).
CREDIT_COST: dict[str, int] = {
    "generateMusic": 1,
    "extendMusic": 1,
    "uploadAndExtendAudio": 1,
    "generateSong": 1,
    "extendSong": 1,
}


def cost_of(operation_id: str) -> int:
    return CREDIT_COST.get(operation_id, 0)


@dataclass
class CreditBudget:
    """Credits the run may spend (`limit` None = unlimited), counted thread-safely."""

    limit: int | None
    spent: int = 0
    unexpected: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.spent)

    def reserve(self, operation_id: str, count: int = 1) -> bool:
        """Set aside the cost of `count` creates; False (nothing reserved) when it does not fit."""
        cost = cost_of(operation_id) * count
        with self._lock:
            if self.limit is not None and self.spent + cost > self.limit:
                return False
            self.spent += cost
            return True

    def require(self, operation_id: str, count: int = 1) -> None:
        """Reserve or skip the test, saying what the budget allows."""
        if not self.reserve(operation_id, count):
            pytest.skip(
                f"needs {cost_of(operation_id) * count} credit(s) for {operation_id}; "
                f"--max-credits {self.limit} has {self.remaining()} left"
            )

    def refund(self, operation_id: str) -> None:
        with self._lock:
            self.spent = max(0, self.spent - cost_of(operation_id))

    def charge_unexpected(self, operation_id: str) -> None:
        """The server created a task for a request the spec rejects."""
        with self._lock:
            self.spent += cost_of(operation_id)
            self.unexpected += cost_of(operation_id)

    @property
    def exhausted(self) -> bool:
        return self.limit is not None and self.spent >= self.limit and self.unexpected > 0
