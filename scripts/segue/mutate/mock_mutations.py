"""Behaviour mutations: deliberate mock bugs that `segue mutate` builds a mock with.

Not part of the mock: `Mutations.mock_changes()` turns a list of ids into the two `MockConfig`
seams (the stateful checks left on, and an outbound hook), which `segue mutate` hands to the mock
the suite builds (`segue.contract.session.MockUnderTest`); `segue mock` never sets them. Each
id makes the mock misbehave in one small, observable way, so the contract suite can show it
notices (mutation testing of the suite, not of the mock):

- `rule-off:<vendor>:<rule>`: stops enforcing a stateful rule (`model-mismatch`,
  `continue-at-beyond-duration`, `origin-not-complete`); the request is served with 200.
- `wrong-code:<vendor>:<situation>:<code>`: answers a documented situation (a rule id, or
  `invalid=<property>`) with another `code`.
- `wrong-message:<vendor>:<situation>`: answers a documented situation with another message.
- `skip-callback:<vendor>:<stage>`: never POSTs the callback of `stage` (text, first, complete,
  error); the task still moves on.
- `status-backward:<vendor>`: a status polled a second time shows the one before it.
- `unsigned-callbacks:<vendor>`: callbacks go without signature headers, even with a key.
- `rename-callback-field:<vendor>:<operationIds>:<path>:<new>`: renames a field of the callback
  payloads of those operations (comma-separated); `path` is `/`-separated keys, `*` = each item.

The stateful checks go through `MockConfig.state_checks`; everything else through
`MockConfig.outbound` (error answers, poll answers, callbacks as they leave). An unknown id is an
error, so a typo cannot silently test nothing.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from segue.mock.config import Outbound
from segue.mock.models import PROGRESS, STATE_CHECKS

FAMILIES = (
    "rule-off", "wrong-code", "wrong-message", "skip-callback", "status-backward",
    "unsigned-callbacks", "rename-callback-field",
)  # fmt: skip
WRONG_MESSAGE_SUFFIX = " (segue mutant)"


class UnknownMutation(ValueError):
    """A mutation id the mock does not know."""


@dataclass(frozen=True)
class _Rename:
    vendor: str
    operations: frozenset[str]
    path: tuple[str, ...]
    new_name: str


@dataclass(frozen=True)
class Mutations:
    """The parsed `MockConfig.mutations`; every query answers "behave normally" when empty."""

    ids: frozenset[str] = frozenset()
    rules_off: frozenset[tuple[str, str]] = frozenset()
    wrong_codes: dict[tuple[str, str], int] = field(default_factory=dict)
    wrong_messages: frozenset[tuple[str, str]] = frozenset()
    skipped_stages: frozenset[tuple[str, str]] = frozenset()
    backward: frozenset[str] = frozenset()
    unsigned: frozenset[str] = frozenset()
    renames: tuple[_Rename, ...] = ()

    @classmethod
    def parse(cls, ids: Iterable[str]) -> Mutations:
        rules_off, wrong_messages, skipped, backward, unsigned = set(), set(), set(), set(), set()
        wrong_codes: dict[tuple[str, str], int] = {}
        renames = []
        for text in sorted(set(ids)):
            family, _, rest = text.partition(":")
            parts = rest.split(":")
            try:
                if family == "rule-off" and len(parts) == 2 and rest in STATE_CHECKS:
                    rules_off.add((parts[0], parts[1]))
                elif family == "wrong-code" and len(parts) == 3:
                    wrong_codes[(parts[0], parts[1])] = int(parts[2])
                elif family == "wrong-message" and len(parts) == 2:
                    wrong_messages.add((parts[0], parts[1]))
                elif family == "skip-callback" and len(parts) == 2:
                    skipped.add((parts[0], parts[1]))
                elif family == "status-backward" and len(parts) == 1:
                    backward.add(parts[0])
                elif family == "unsigned-callbacks" and len(parts) == 1:
                    unsigned.add(parts[0])
                elif (
                    family == "rename-callback-field" and len(parts) == 4 and parts[2] and parts[3]
                ):
                    operations = frozenset(parts[1].split(","))
                    renames.append(
                        _Rename(parts[0], operations, tuple(parts[2].split("/")), parts[3])
                    )
                else:
                    raise ValueError
            except ValueError:
                families = ", ".join(FAMILIES)
                raise UnknownMutation(f"unknown mock mutation {text!r} ({families})") from None
        return cls(
            frozenset(ids), frozenset(rules_off), wrong_codes, frozenset(wrong_messages),
            frozenset(skipped), frozenset(backward), frozenset(unsigned), tuple(renames),
        )  # fmt: skip

    def mock_changes(self) -> dict[str, Any]:
        """The MockConfig fields of a mock that misbehaves as these ids say."""
        checks = STATE_CHECKS - {f"{vendor}:{rule}" for vendor, rule in self.rules_off}
        return {"state_checks": checks, "outbound": self.outbound if self.ids else None}

    def outbound(self, sent: Outbound) -> Outbound | None:
        """The `MockConfig.outbound` hook: what leaves the mock, spoiled as the ids say."""
        if sent.kind == "error":
            return dataclasses.replace(
                sent, body=self.answer(sent.vendor, sent.situation, sent.body)
            )
        if sent.kind == "poll":
            return dataclasses.replace(
                sent, body=self.poll_answer(sent.vendor, sent.polls_at_status, sent.body)
            )
        payload = self.callback_payload(sent.vendor, sent.operation, sent.situation, sent.body)
        if payload is None:
            return None
        return dataclasses.replace(
            sent, body=payload, signed=sent.signed and self.signs(sent.vendor)
        )

    def answer(self, vendor: str, situation: str, body: Any) -> Any:
        """A documented error body (already a copy), spoiled when a mutation says so.

        `situation` is the rule id, or `invalid=<property>` for a property's own answer.
        """
        if not isinstance(body, dict):
            return body
        if (vendor, situation) in self.wrong_codes:
            body["code"] = self.wrong_codes[(vendor, situation)]
        if (vendor, situation) in self.wrong_messages:
            key = "msg" if "msg" in body else "message"
            body[key] = f"{body.get(key, '')}{WRONG_MESSAGE_SUFFIX}"
        return body

    def callback_payload(self, vendor: str, operation: str, stage: str, payload: Any) -> Any | None:
        """The payload to POST for `stage` (None: do not send it), fields renamed as told."""
        if (vendor, stage) in self.skipped_stages:
            return None
        for rename in self.renames:
            if rename.vendor == vendor and operation in rename.operations:
                payload = copy.deepcopy(payload)
                _rename_at(payload, rename.path, rename.new_name)
        return payload

    def signs(self, vendor: str) -> bool:
        return vendor not in self.unsigned

    def poll_answer(self, vendor: str, polls_at_status: int, body: Any) -> Any:
        """A poll body; with `status-backward`, a status polled a second time shows the one
        before it (KIE's task status, Udio's clip statuses)."""
        if vendor not in self.backward or polls_at_status < 2:
            return body
        earlier = dict(zip(PROGRESS[1:], PROGRESS[:-1], strict=True))
        earlier.update({"first": "text", "complete": "first"})
        body = copy.deepcopy(body)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return body
        if data.get("status") in earlier:  # KIE: the task's status
            data["status"] = earlier[data["status"]]
        for clip in data.get("response_data") or []:  # Udio: each clip's status
            if isinstance(clip, dict) and clip.get("status") in earlier:
                clip["status"], clip["extra_message"] = earlier[clip["status"]], ""
        return body


def _rename_at(node: Any, path: tuple[str, ...], new_name: str) -> None:
    """Rename the key at `path` (`*` = every list item) wherever it exists, in place."""
    head, rest = path[0], path[1:]
    if head == "*":
        for item in node if isinstance(node, list) else []:
            _rename_at(item, rest, new_name)
        return
    if not isinstance(node, dict) or head not in node:
        return
    if rest:
        _rename_at(node[head], rest, new_name)
    else:
        node[new_name] = node.pop(head)


def mock_changes(ids: Iterable[str]) -> dict[str, Any]:
    """MockConfig fields of a mock misbehaving as `ids` say (raises UnknownMutation)."""
    return Mutations.parse(ids).mock_changes()
