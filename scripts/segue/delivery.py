"""How a callback delivery counts as received: a spec's `x-segue-delivery` (DECISIONS X-7).

OpenAPI has no keyword for a sender's timeout, for "any 2xx acknowledges", or for the fields a
receiver must key a stage on to stay idempotent; the specs state them once, at the root, and the
contract suite's receiver mode (`segue contract --receiver`) reads them here. `segue lint` calls
`lint_problems`.

Pointers may hold `*` for "every element of this array" (Udio's payload is a bare array of clips),
as `x-segue-lifecycle`'s `callback-stage` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from segue import speclib

EXTENSION = "x-segue-delivery"
_STATUS = re.compile(r"^[1-5](XX|\d\d)$")


@dataclass(frozen=True)
class DeliveryContract:
    """`timeout-seconds`, `acknowledgement` (a status or an OpenAPI range such as `2XX`) and
    `idempotency-key` (pointers into the payload: the subject first, e.g. the task id, then what
    tells its stages apart)."""

    timeout_seconds: float
    acknowledgement: str
    idempotency_key: tuple[str, ...]

    @classmethod
    def from_spec(cls, document: Mapping[str, Any]) -> DeliveryContract:
        node = document.get(EXTENSION)
        if not isinstance(node, Mapping):
            raise LookupError(f"the spec has no {EXTENSION} at its root")
        return cls(
            timeout_seconds=float(node["timeout-seconds"]),
            acknowledgement=str(node["acknowledgement"]),
            idempotency_key=tuple(str(p) for p in node["idempotency-key"]),
        )

    @property
    def subject(self) -> str:
        return self.idempotency_key[0]

    def acknowledges(self, status: int) -> bool:
        return status_matches(self.acknowledgement, status)


def status_matches(pattern: str, status: int) -> bool:
    """Whether `status` is `pattern` (`200`) or in its range (`2XX`)."""
    text = str(status)
    return all(p in ("X", t) for p, t in zip(pattern.upper(), text, strict=True))


def values_at(document: Any, pointer: str) -> Iterator[Any]:
    """Every value at `pointer`, `*` standing for each element of an array."""
    yield from (parent[key] for parent, key in _slots(document, speclib.split_pointer(pointer)))


def replace_at(document: Any, pointer: str, new: Callable[[Any, int], Any]) -> int:
    """Set every value at `pointer` to `new(old, index)`, in place; return how many were set."""
    slots = list(_slots(document, speclib.split_pointer(pointer)))
    for index, (parent, key) in enumerate(slots):
        parent[key] = new(parent[key], index)
    return len(slots)


def _slots(node: Any, tokens: list[str]) -> Iterator[tuple[Any, Any]]:
    if not tokens:
        return
    head, rest = tokens[0], tokens[1:]
    if head == "*" and isinstance(node, list):
        keys: list[Any] = list(range(len(node)))
    elif isinstance(node, Mapping) and head in node:
        keys = [head]
    elif isinstance(node, list) and head.isdigit() and int(head) < len(node):
        keys = [int(head)]
    else:
        return
    for key in keys:
        if rest:
            yield from _slots(node[key], rest)
        else:
            yield node, key


def lint_problems(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """`x-segue-delivery`, when present: its shape, and that every callback operation documents
    a response the acknowledgement covers (else the spec would contradict itself)."""
    node = document.get(EXTENSION)
    if node is None:
        return []
    where = f"/{EXTENSION}"
    if not isinstance(node, Mapping):
        return [(where, "must be a mapping")]
    problems = []
    timeout = node.get("timeout-seconds")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        problems.append((f"{where}/timeout-seconds", "must be a number of seconds above 0"))
    acknowledgement = str(node.get("acknowledgement", ""))
    if not _STATUS.match(acknowledgement.upper()):
        problems.append((f"{where}/acknowledgement", "must be a status such as 200 or 2XX"))
    keys = node.get("idempotency-key")
    if (
        not isinstance(keys, list)
        or not keys
        or not all(isinstance(k, str) and k.startswith("/") for k in keys)
    ):
        problems.append((f"{where}/idempotency-key", "must be a list of JSON pointers"))
    if problems:
        return problems
    for operation in speclib.iter_operations(dict(document)):
        if operation.kind != "callback":
            continue
        statuses = [status for status, _, _ in speclib.responses(dict(document), operation)]
        if not any(_covers(acknowledgement, status) for status in statuses):
            problems.append(
                (operation.pointer, f"no response within the acknowledgement {acknowledgement}")
            )
    return problems


def _covers(pattern: str, status: str) -> bool:
    if status.isdigit():
        return status_matches(pattern, int(status))
    return status.upper() == pattern.upper()
