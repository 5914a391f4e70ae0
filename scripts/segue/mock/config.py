"""The mock's settings: one frozen dataclass, filled by `segue mock` flags or by a test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segue.mock.clock import Clock
from segue.mock.models import STATE_CHECKS

MIB = 1024 * 1024


@dataclass(frozen=True)
class Outbound:
    """Something the mock is about to send: an error answer, a poll answer or a callback.

    `kind` is `error`, `poll` or `callback`; `situation` the documented situation (a rule id,
    `invalid=<property>`) of an error, or the stage of a callback; `polls_at_status` how often
    the task's current status was polled (poll answers); `signed` whether a callback will carry
    the signature headers.
    """

    kind: str
    vendor: str
    operation: str
    situation: str
    body: Any
    polls_at_status: int = 0
    signed: bool = False


# Sees everything the mock sends and returns what to send instead (None: send nothing, for a
# callback). The one outbound seam: `segue mutate` builds its misbehaving mocks with it.
OutboundHook = Callable[[Outbound], Outbound | None]


@dataclass(frozen=True)
class MockConfig:
    """Everything `create_app` needs; every field has a realistic default.

    Lifecycle: a task moves one stage every `stage_seconds` of clock time (0 = it finishes at
    once, `None` or `inf` = never by time), and/or after its current status has been polled
    `polls_per_stage` times (`None` = never by polls); the control API moves it on command.

    Limits: `credits` per key (`None` = unlimited), each create costing `credits_per_task`;
    `rate_limit` creates per `rate_window` seconds per key and vendor (0 = no limit).

    Load: past `max_pending_callbacks` callbacks queued or under way, creates get the vendor's
    documented 429 with `Retry-After` (backpressure instead of a backlog growing without end);
    a finished task is kept `task_retention_seconds` (KIE keeps its files 14 days, DECISIONS
    K-21) and at most `max_tasks` tasks are kept (the least recently used finished go first).

    Callbacks: POSTed with `callback_timeout`; a failed attempt is retried `callback_retries`
    times after `callback_backoff * 2**(n-1)` seconds. Only loopback hosts and `callback_allow`
    are ever called. `webhook_hmac_key` signs, as the spec's `x-segue-signature` says, the
    callbacks that declare that scheme's headers.
    """

    spec_dir: Path | None = None
    api_keys: tuple[str, ...] = ()
    credits: int | None = 1000
    credits_per_task: int = 1
    stage_seconds: float | None = 2.0
    polls_per_stage: int | None = None
    rate_limit: int = 20
    rate_window: float = 10.0
    http_errors: bool = False
    webhook_hmac_key: str | None = None
    callback_allow: tuple[str, ...] = ()
    callback_timeout: float = 15.0
    callback_retries: int = 3
    callback_backoff: float = 1.0
    max_body_bytes: int = MIB
    upload_duration: float = 120.0
    # ~3 s of what the sender delivers on a 2-core machine (~3,000 callbacks/s, issue 12).
    max_pending_callbacks: int = 10_000
    task_retention_seconds: float = 14 * 86_400.0
    max_tasks: int = 15_000
    control_token: str | None = None
    # `--state FILE`: restore from it at start, save to it at stop (segue.mock.snapshot); None:
    # the state lives in memory only and is gone when the mock stops.
    state_file: Path | None = None
    seed: int | None = None
    clock: Clock | None = field(default=None, compare=False)
    # Send callbacks from a child process (segue.mock.callback_process), as `segue mock` does, so
    # that sending them never takes CPU from serving; False: from a thread of this process (what
    # in-process tests need: a FakeClock cannot cross a process boundary).
    callback_process: bool = False
    # Benchmark-only: False skips the request-body schema check (scripts/bench_mock.py measures
    # what validation costs). Never off when serving: bad input would then reach the state.
    validate_requests: bool = True
    # The two seams through which `segue mutate` (segue.mutate.mock_mutations) hands a mock its
    # misbehaviour, explicitly, when it builds one; `segue mock` never sets them. `state_checks`:
    # the stateful rules enforced (`vendor:rule` ids from models.STATE_CHECKS, all by default);
    # `outbound`: a hook that sees every error answer, poll answer and callback before it leaves.
    state_checks: frozenset[str] = STATE_CHECKS
    outbound: OutboundHook | None = field(default=None, compare=False)
