"""Test-only behaviour mutations: deliberate mock bugs that `segue mutate` switches on.

Never used in real serving: `MockConfig.mutations` is empty unless a test (or `segue mutate`)
fills it. Each mutation id makes the mock misbehave in one small, observable way, so the
contract suite can show it notices (mutation testing of the suite, not of the mock):

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

The mock consults this object at five points only: the stateful checks (`models.MockState`), the
documented error answers (`routes.VendorErrors`), the callback payload, the callback signature and
the poll answer (`backend.MockBackend`). An unknown id is an error, so a typo cannot silently
test nothing.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from segue.mock.config import MockConfig

# Test-only environment overrides, read by `create_app`: `segue mutate` runs the contract suite
# (whose in-process mock it does not construct) against a mutant spec folder and/or mutations.
# The suite's oracle never reads them: it keeps loading the true specs.
SPEC_DIR_ENV = "SEGUE_MOCK_SPEC_DIR"
MUTATIONS_ENV = "SEGUE_MOCK_MUTATIONS"  # a JSON list of mutation ids

# Stateful rules the mock can stop enforcing and still serve the request.
SKIPPABLE_RULES = frozenset(
    {"model-mismatch", "continue-at-beyond-duration", "origin-not-complete"}
)
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
                if family == "rule-off" and len(parts) == 2 and parts[1] in SKIPPABLE_RULES:
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

    # ------------------------------------------------------------------ the five points

    def enforces(self, vendor: str, rule: str) -> bool:
        """Whether the stateful check of `rule` is on (it always is, unless switched off here)."""
        return (vendor, rule) not in self.rules_off

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
        from segue.mock.models import PROGRESS  # models imports this module

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


NONE = Mutations()


def from_environment(config: MockConfig) -> MockConfig:
    """`config` with the test-only overrides of `SEGUE_MOCK_SPEC_DIR` / `SEGUE_MOCK_MUTATIONS`."""
    changes: dict[str, Any] = {}
    if os.environ.get(SPEC_DIR_ENV):
        changes["spec_dir"] = Path(os.environ[SPEC_DIR_ENV])
    if os.environ.get(MUTATIONS_ENV):
        ids = json.loads(os.environ[MUTATIONS_ENV])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise UnknownMutation(f"{MUTATIONS_ENV} must be a JSON list of mutation ids")
        changes["mutations"] = config.mutations | frozenset(ids)
    return replace(config, **changes) if changes else config
