"""Helpers for tests that talk to the mock: a sync httpx transport over ASGI, a callback receiver.

`SyncASGITransport` (the contract suite's, `segue.contract.target`) lets a plain (sync)
`httpx.Client` call the app in-process: sync tests, real ASGI, no socket.

`CallbackReceiver` is the project's one recording receiver (`segue.contract.receiver`), a real
HTTP server on 127.0.0.1, with the waits by count that the mock's tests use.
"""

from __future__ import annotations

import json
from typing import Any

from segue.contract.receiver import Delivery, Receiver
from segue.contract.target import SyncASGITransport

__all__ = ["CallbackReceiver", "SyncASGITransport", "bearer", "request_example"]


class CallbackReceiver(Receiver):
    """The recording receiver (`segue.contract.receiver.Receiver`) with the counts mock tests
    wait for: `.url("/cb")`, `.fail_next(2)`, `.wait_for(3)`."""

    def delivered(self) -> list[Delivery]:
        """The requests answered with a 2xx."""
        return [r for r in self.received if 200 <= r.answered < 300]

    def wait_for(
        self, count: int, timeout: float = 5.0, *, delivered: bool = False
    ) -> list[Delivery]:
        """Wait until `count` requests arrived (or were answered 2xx); return them all."""

        def enough(requests: list[Delivery]) -> bool:
            return len([r for r in requests if not delivered or 200 <= r.answered < 300]) >= count

        requests = self.wait_until(enough, timeout)
        if not enough(requests):
            raise AssertionError(f"expected {count} callbacks in {timeout}s, got {len(requests)}")
        return requests

    def __enter__(self) -> CallbackReceiver:
        self.start()
        return self


def bearer(key: str) -> dict[str, str]:
    """Headers of an authenticated JSON request."""
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def request_example(spec: Any, operation_id: str, name: str | None = None) -> dict[str, Any]:
    """A copy of one of the operation's request examples in the spec (by name, else the first)."""
    from segue import speclib

    operation = spec.operations[operation_id]
    pointer = next(p for p in _request_media_pointers(spec, operation))
    media = speclib.resolve_pointer(spec.document, pointer)
    for example in speclib.iter_examples(spec.document, media, pointer):
        if name is None or example.name == name:
            return json.loads(json.dumps(example.value))
    raise KeyError(f"{operation_id} has no request example {name!r}")


def _request_media_pointers(spec: Any, operation: Any) -> list[str]:
    from segue import speclib

    for candidate in speclib.iter_operations(spec.document):
        if candidate.node.get("operationId") == operation.operation_id:
            found = speclib.request_body(spec.document, candidate)
            if found is not None:
                return [pointer for _, _, pointer in speclib.media_types(found[0], found[1])]
    return []
