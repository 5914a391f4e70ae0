"""`--state FILE`: the mock's state saved when it stops and restored when it starts.

What is kept: tasks (with their clips, history and failures), keys and their credits, the
settings, and the callback deliveries still pending (resumed on start, so a restart costs no
callback; one that was being sent when the mock stopped may arrive twice, as a vendor's retry
would). Not kept: the attempt log, faults and rate-limit windows (a restart forgives them).

Why a JSON snapshot and not SQLite: the mock keeps and serves everything from memory; the file
only has to survive a stop. A snapshot written once (to a temporary file, then renamed, so a
crash mid-write leaves the previous one whole) is one `orjson.dumps`; SQLite would need a table
per kind of object and writes on every change, only for everything to be read back into memory
at start. The format is versioned; a file of another version is refused, not half-read.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import orjson

from segue.mock.callbacks import Delivery
from segue.mock.models import Clip, Failure, MockState, Settings, Task

VERSION = 1


class SnapshotError(Exception):
    """The state file cannot be read back."""


def save(path: Path, state: MockState, settings: Settings, pending: list[Delivery]) -> None:
    snapshot = {
        "version": VERSION,
        "settings": dataclasses.asdict(settings),
        "accounts": {key: account.credits for key, account in state.accounts.items()},
        "tasks": [dataclasses.asdict(task) for task in state.tasks.values()],
        "deliveries": [_delivery(d) for d in pending],
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(orjson.dumps(snapshot))
    temporary.replace(path)


def load(path: Path) -> dict[str, Any] | None:
    """The snapshot at `path`, None when there is none yet."""
    try:
        snapshot = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError) as error:
        raise SnapshotError(f"{path}: cannot read the mock's state: {error}") from None
    if not isinstance(snapshot, dict) or snapshot.get("version") != VERSION:
        raise SnapshotError(f"{path}: not a segue mock state file of version {VERSION}")
    return snapshot


def restore_state(snapshot: dict[str, Any], state: MockState, settings: Settings) -> None:
    for name, value in snapshot["settings"].items():
        if hasattr(settings, name):
            setattr(settings, name, value)
    for key, credits in snapshot["accounts"].items():
        state.add_key(key).credits = credits
    state.restore_tasks([_task(fields) for fields in snapshot["tasks"]])


def deliveries(snapshot: dict[str, Any]) -> list[Delivery]:
    """The pending deliveries, as new submissions (ids are the new run's)."""
    return [
        Delivery(**{**fields, "body": bytes.fromhex(fields["body"])})
        for fields in snapshot["deliveries"]
    ]


def _delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "task_id": delivery.task_id,
        "vendor": delivery.vendor,
        "stage": delivery.stage,
        "url": delivery.url,
        "body": delivery.body.hex(),
        "signed": delivery.signed,
        "copy": delivery.copy,
    }


def _task(fields: dict[str, Any]) -> Task:
    failure, planned = fields.pop("failure"), fields.pop("planned_failure")
    task = Task(**{**fields, "clips": [Clip(**clip) for clip in fields["clips"]]})
    task.history = [(status, at) for status, at in fields["history"]]
    task.failure = Failure(**failure) if failure else None
    task.planned_failure = Failure(**planned) if planned else None
    return task
