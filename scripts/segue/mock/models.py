"""The mock's state and rules, with no HTTP: keys, credits, rate limits, tasks, clips, lifecycle.

Like moto's `models.py`: the vendors' `responses` modules parse and render, this module decides.
A broken rule raises `RuleViolation(rule)` with the rule id the spec's `x-segue-when` examples
use, and `segue.mock.responses` answers that example. Every stage a task reaches is queued as
an `Event` for the callbacks.

Lifecycle (internal names are KIE's `TaskStatus`; Udio shows the same stages per clip):
PENDING -> TEXT_SUCCESS -> FIRST_SUCCESS -> SUCCESS, or a failure status (CREATE_TASK_FAILED,
GENERATE_AUDIO_FAILED, SENSITIVE_WORD_ERROR) from any non-terminal status; SUCCESS becomes
CALLBACK_EXCEPTION when the final callback could not be delivered. Status only moves forward.

Not thread-safe on its own: `MockCore` holds one lock around every call.
"""

from __future__ import annotations

import heapq
import math
import random
import secrets
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS = (
    "PENDING",
    "TEXT_SUCCESS",
    "FIRST_SUCCESS",
    "SUCCESS",
)
PROGRESS = (PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS)
CALLBACK_EXCEPTION = "CALLBACK_EXCEPTION"
# Failure statuses a test may choose, with the task errorCode used when it names none.
FAILURE_DEFAULT_CODES = {
    "CREATE_TASK_FAILED": 500,
    "GENERATE_AUDIO_FAILED": 501,
    "SENSITIVE_WORD_ERROR": 400,
}
TERMINAL = frozenset({SUCCESS, CALLBACK_EXCEPTION, *FAILURE_DEFAULT_CODES})
# The callback stage each status is announced with.
STAGE_OF_STATUS = {TEXT_SUCCESS: "text", FIRST_SUCCESS: "first", SUCCESS: "complete"}
ERROR_STAGE = "error"

KIE, UDIO = "kie", "udio"
# The rule ids (the specs' `x-segue-when: {rule: …}`) the mock answers with; one home.
UNAUTHORIZED, VALIDATION_FAILED, SERVER_ERROR, NOT_FOUND = (
    "unauthorized", "validation-failed", "server-error", "not-found",
)  # fmt: skip
RATE_LIMITED, INSUFFICIENT_CREDITS = "rate-limited", "insufficient-credits"
AUDIO_NOT_FOUND, MODEL_MISMATCH, CONTINUE_AT_BEYOND = (
    "audio-not-found", "model-mismatch", "continue-at-beyond-duration",
)  # fmt: skip
TASK_NOT_FOUND, WORK_NOT_FOUND = "task-not-found", "work-not-found"
MAINTENANCE = "maintenance"  # only ever answered as a fault the control API injects
ORIGIN_NOT_FOUND, ORIGIN_NOT_COMPLETE = "origin-not-found", "origin-not-complete"
EXTEND_INDEX_INVALID = "invalid=extend_audio_index"  # answered with the property's own example
# What each operation the mock serves can answer, besides a 2xx: `segue lint` checks that each
# is documented for that operation (segue.lint_mock). Every operation can also answer
# unauthorized, validation-failed and server-error; any path can answer not-found.
_EVERY_OPERATION = (UNAUTHORIZED, VALIDATION_FAILED, SERVER_ERROR)
_CREATE = (RATE_LIMITED, INSUFFICIENT_CREDITS)
SITUATIONS_BY_OPERATION: dict[str, tuple[str, ...]] = {
    "generateMusic": (*_EVERY_OPERATION, *_CREATE),
    "extendMusic": (
        *_EVERY_OPERATION, *_CREATE, AUDIO_NOT_FOUND, MODEL_MISMATCH, CONTINUE_AT_BEYOND,
    ),
    "uploadAndExtendAudio": (*_EVERY_OPERATION, *_CREATE, CONTINUE_AT_BEYOND),
    "getMusicTaskDetails": (*_EVERY_OPERATION, TASK_NOT_FOUND),
    "generateSong": (*_EVERY_OPERATION, *_CREATE),
    "extendSong": (
        *_EVERY_OPERATION, *_CREATE, ORIGIN_NOT_FOUND, ORIGIN_NOT_COMPLETE, EXTEND_INDEX_INVALID,
    ),
    "getFeed": (*_EVERY_OPERATION, WORK_NOT_FOUND),
}  # fmt: skip
ANY_PATH = (NOT_FOUND,)
# The stateful rules that can be left out of a mock built for mutation testing (MockConfig.
# state_checks), as `vendor:rule` with the rule ids of the specs' `x-segue-when`; without one,
# the request it would refuse is served.
STATE_CHECKS = frozenset(
    {f"{KIE}:{MODEL_MISMATCH}", f"{KIE}:{CONTINUE_AT_BEYOND}", f"{UDIO}:{ORIGIN_NOT_COMPLETE}"}
)
CLIPS_PER_TASK = 2


class RuleViolation(Exception):
    """A stateful rule said no. `rule` is an `x-segue-when` rule id; `invalid` a property whose
    documented answer applies instead (Udio's `extend_audio_index` message)."""

    def __init__(
        self, rule: str, *, invalid: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(rule)
        self.rule = rule
        self.invalid = invalid
        self.retry_after = retry_after


@dataclass
class Settings:
    """What may change while the mock runs (the control API's `/settings`). The defaults live in
    `MockConfig` (one home); `MockCore` copies them from there, field by field."""

    stage_seconds: float | None
    polls_per_stage: int | None
    rate_limit: int
    rate_window: float
    credits_per_task: int
    upload_duration: float
    http_errors: bool
    max_pending_callbacks: int
    task_retention_seconds: float
    max_tasks: int

    def timed(self) -> bool:
        return self.stage_seconds is not None and 0 < self.stage_seconds < math.inf


@dataclass(slots=True)  # one per clip of every task kept: kept small
class Clip:
    id: str
    index: int
    model: str
    model_name: str
    title: str
    prompt: str
    tags: str
    duration: float
    created_at: float


@dataclass
class Failure:
    status: str
    code: int | None
    message: str


@dataclass(slots=True)
class Task:
    id: str
    vendor: str
    operation: str
    key: str
    params: dict[str, Any]
    model: str
    created_at: float
    clips: list[Clip]
    status: str = PENDING
    progress: str = PENDING
    entered_at: float = 0.0
    polls: int = 0
    polls_at_status: int = 0
    history: list[tuple[str, float]] = field(default_factory=list)
    parent_audio_id: str = ""
    origin_task_id: str | None = None
    extend_index: int | None = None
    upload_url: str | None = None
    callback_url: str | None = None
    failure: Failure | None = None
    planned_failure: Failure | None = None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    def clips_at(self, status: str) -> list[Clip]:
        """The clips a poll or callback shows at `status`: one at FIRST_SUCCESS, all when done."""
        if status == FIRST_SUCCESS:
            return self.clips[:1]
        if status in (SUCCESS, CALLBACK_EXCEPTION):
            return list(self.clips)
        return []


@dataclass(frozen=True)
class Event:
    """A stage a task reached: `stage` is text/first/complete/error, `status` the status then."""

    task: Task
    stage: str
    status: str


@dataclass
class Account:
    key: str
    credits: int | None
    creates: dict[str, deque[float]] = field(default_factory=dict)


class MockState:
    """Keys, tasks and clips, and the rules between them."""

    def __init__(
        self,
        settings: Settings,
        now: Any,
        rng: random.Random,
        initial_credits: int | None,
        checks: frozenset[str] = STATE_CHECKS,
        max_clip_seconds: dict[str, float] | None = None,
    ) -> None:
        """`max_clip_seconds`: the longest clip per model, from each spec's `Model` schema
        (`x-segue-max-duration-seconds`); a model missing there gets the longest of them."""
        unknown = checks - STATE_CHECKS
        if unknown:
            raise ValueError(
                f"unknown state checks {sorted(unknown)}: known {sorted(STATE_CHECKS)}"
            )
        self.checks = checks
        self.max_clip_seconds = dict(max_clip_seconds or {})
        self._longest_clip = max(self.max_clip_seconds.values(), default=480.0)
        self.settings = settings
        self._now = now
        self.rng = rng
        self.initial_credits = initial_credits
        self.accounts: dict[str, Account] = {}
        self.tasks: dict[str, Task] = {}
        self.clip_owner: dict[str, tuple[str, int]] = {}
        self._due: list[tuple[float, int, str]] = []
        # Finished tasks, least recently used first, with when they were last used (finished,
        # polled, or extended from): the least recently used are forgotten first (`prune`), so a
        # clip that is still being extended outlives the cap.
        self._finished: OrderedDict[str, float] = OrderedDict()
        self._next_prune = 0.0
        self._sequence = 0
        self._events: list[Event] = []

    # ------------------------------------------------------------------ keys and credits

    def add_key(self, key: str) -> Account:
        """Accept `key` (with the initial credits if it is new)."""
        if key not in self.accounts:
            self.accounts[key] = Account(key, self.initial_credits)
        return self.accounts[key]

    def authenticate(self, key: str | None) -> Account:
        account = self.accounts.get(key or "")
        if account is None:
            raise RuleViolation(UNAUTHORIZED)
        return account

    def reset(self) -> None:
        """Forget every task and clip; restore every key's credits and rate-limit window."""
        self.tasks.clear()
        self.clip_owner.clear()
        self._due.clear()
        self._finished.clear()
        self._events.clear()
        for account in self.accounts.values():
            account.credits = self.initial_credits
            account.creates.clear()

    def _admit(self, account: Account, vendor: str) -> None:
        """Rate limit, then credits; nothing is spent until `_spend`."""
        window = account.creates.setdefault(vendor, deque())
        now = self._now()
        limit, span = self.settings.rate_limit, self.settings.rate_window
        while window and window[0] <= now - span:
            window.popleft()
        if limit > 0 and len(window) >= limit:
            raise RuleViolation(RATE_LIMITED, retry_after=max(1, math.ceil(window[0] + span - now)))

    def _check_credits(self, account: Account) -> None:
        if account.credits is not None and account.credits < self.settings.credits_per_task:
            raise RuleViolation(INSUFFICIENT_CREDITS)

    def _spend(self, account: Account, vendor: str) -> None:
        account.creates.setdefault(vendor, deque()).append(self._now())
        if account.credits is not None:
            account.credits -= self.settings.credits_per_task

    # ------------------------------------------------------------------ create: KIE

    def kie_generate(self, key: str, params: dict[str, Any]) -> Task:
        account = self.authenticate(key)
        self._admit(account, KIE)
        self._check_credits(account)
        model = params["model"]
        custom = bool(params.get("customMode"))
        instrumental = bool(params.get("instrumental"))
        idea = str(params.get("prompt", ""))
        title = str(params.get("title", "")) if custom else _title_from(idea)
        tags = str(params.get("style", "")) if custom else ""
        lyrics = "" if instrumental else (idea if custom else f"[Verse]\n{idea}")
        durations = [self._duration(model, 120.0, 240.0) for _ in range(CLIPS_PER_TASK)]
        return self._create(
            account,
            KIE,
            "generateMusic",
            params,
            model,
            _kie_model_name(model),
            title,
            lyrics,
            tags,
            durations,
        )

    def kie_extend(self, key: str, params: dict[str, Any]) -> Task:
        account = self.authenticate(key)
        self._admit(account, KIE)
        source = self._visible_clip(account.key, KIE, params["audioId"])
        if source is None:
            raise RuleViolation(AUDIO_NOT_FOUND)
        if params["model"] != source.model and f"{KIE}:{MODEL_MISMATCH}" in self.checks:
            raise RuleViolation(MODEL_MISMATCH)
        custom = bool(params.get("defaultParamFlag"))
        start = float(params.get("continueAt", source.duration)) if custom else source.duration
        if custom and start >= source.duration and f"{KIE}:{CONTINUE_AT_BEYOND}" in self.checks:
            raise RuleViolation(CONTINUE_AT_BEYOND)
        self._check_credits(account)
        title = str(params["title"]) if custom else source.title
        lyrics = str(params.get("prompt", "")) if custom else source.prompt
        tags = str(params["style"]) if custom else source.tags
        durations = [self._extended_duration(source.model, start) for _ in range(CLIPS_PER_TASK)]
        task = self._create(
            account,
            KIE,
            "extendMusic",
            params,
            source.model,
            source.model_name,
            title,
            lyrics,
            tags,
            durations,
        )
        task.parent_audio_id = source.id
        return task

    def kie_upload_extend(self, key: str, params: dict[str, Any]) -> Task:
        account = self.authenticate(key)
        self._admit(account, KIE)
        # The mock cannot fetch uploadUrl: every upload is `upload_duration` seconds long.
        upload_duration = self.settings.upload_duration
        custom = bool(params.get("defaultParamFlag"))
        # As on extend, continueAt is a custom-mode field: inherit mode ignores it (DECISIONS K-33).
        start = float(params.get("continueAt", upload_duration)) if custom else upload_duration
        beyond = custom and start >= upload_duration
        if beyond and f"{KIE}:{CONTINUE_AT_BEYOND}" in self.checks:
            raise RuleViolation(CONTINUE_AT_BEYOND)
        self._check_credits(account)
        model = params["model"]
        guide = str(params.get("prompt", ""))
        title = str(params.get("title", "")) if custom else _title_from(guide)
        lyrics = "" if custom and params.get("instrumental") else guide
        tags = str(params.get("style", "")) if custom else ""
        durations = [self._extended_duration(model, start) for _ in range(CLIPS_PER_TASK)]
        task = self._create(
            account,
            KIE,
            "uploadAndExtendAudio",
            params,
            model,
            _kie_model_name(model),
            title,
            lyrics,
            tags,
            durations,
        )
        task.upload_url = str(params["uploadUrl"])
        return task

    # ------------------------------------------------------------------ create: Udio

    def udio_generate(self, key: str, params: dict[str, Any], default_model: str) -> Task:
        account = self.authenticate(key)
        self._admit(account, UDIO)
        self._check_credits(account)
        model = str(params.get("model", default_model))
        if "prompt" in params:
            title = str(params.get("title") or _title_from(str(params["prompt"])))
            lyrics, tags = str(params["prompt"]), str(params.get("style", ""))
        else:
            idea = str(params.get("gpt_description_prompt", ""))
            title, lyrics, tags = _title_from(idea), f"[Verse]\n{idea}", ""
        if params.get("make_instrumental"):
            lyrics = ""
        durations = [self._duration(model, 120.0, 240.0) for _ in range(CLIPS_PER_TASK)]
        return self._create(
            account, UDIO, "generateSong", params, model, model, title, lyrics, tags, durations
        )

    def udio_extend(self, key: str, params: dict[str, Any]) -> Task:
        account = self.authenticate(key)
        self._admit(account, UDIO)
        origin = self.tasks.get(params["origin_task_id"])
        if origin is None or origin.key != account.key or origin.vendor != UDIO:
            raise RuleViolation(ORIGIN_NOT_FOUND)
        if origin.status != SUCCESS and f"{UDIO}:{ORIGIN_NOT_COMPLETE}" in self.checks:
            raise RuleViolation(ORIGIN_NOT_COMPLETE)
        self._used(origin)
        index = params["extend_audio_index"]
        if not isinstance(index, int) or not 0 <= index < len(origin.clips):
            raise RuleViolation(EXTEND_INDEX_INVALID, invalid="extend_audio_index")
        self._check_credits(account)
        source = origin.clips[index]
        custom = bool(params.get("custom_mode"))
        start = (
            float(params.get("extensionStartTime", source.duration)) if custom else source.duration
        )
        title = str(params.get("title", source.title)) if custom else source.title
        lyrics = str(params["prompt"]) if custom else source.prompt
        tags = str(params.get("style", source.tags)) if custom else source.tags
        durations = [
            self._extended_duration(origin.model, min(start, source.duration))
            for _ in range(CLIPS_PER_TASK)
        ]
        task = self._create(
            account,
            UDIO,
            "extendSong",
            params,
            origin.model,
            source.model_name,
            title,
            lyrics,
            tags,
            durations,
        )
        task.origin_task_id, task.extend_index = origin.id, index
        return task

    # ------------------------------------------------------------------ lookups

    def find_task(self, key: str, vendor: str, task_id: str, rule: str) -> Task:
        """The task if it exists, is `vendor`'s and belongs to `key`; else RuleViolation(rule)."""
        task = self.tasks.get(task_id)
        if task is None or task.key != key or task.vendor != vendor:
            raise RuleViolation(rule)
        self._used(task)
        return task

    def _used(self, task: Task) -> None:
        """A finished task was used (polled, extended from): it is the last to be forgotten."""
        if task.id in self._finished:
            self._finished[task.id] = self._now()
            self._finished.move_to_end(task.id)

    def poll(self, key: str, vendor: str, task_id: str, rule: str) -> Task:
        """A poll: counted; the task moves on once its status was seen `polls_per_stage` times."""
        task = self.find_task(key, vendor, task_id, rule)
        per_stage = self.settings.polls_per_stage
        if per_stage and not task.terminal and task.polls_at_status >= per_stage:
            self._step(task, self._now())
        task.polls += 1
        task.polls_at_status += 1
        return task

    def _visible_clip(self, key: str, vendor: str, clip_id: str) -> Clip | None:
        owner = self.clip_owner.get(clip_id)
        if owner is None:
            return None
        task = self.tasks[owner[0]]
        if task.key != key or task.vendor != vendor:
            return None
        visible = task.clips_at(task.status)
        clip = next((clip for clip in visible if clip.id == clip_id), None)
        if clip is not None:
            self._used(task)
        return clip

    # ------------------------------------------------------------------ lifecycle

    def advance(self, task: Task, stages: int | None = 1) -> None:
        """Move `task` on `stages` stages (None: to its end). A terminal task stays as it is."""
        remaining = math.inf if stages is None else stages
        while remaining > 0 and not task.terminal:
            self._step(task, self._now())
            remaining -= 1

    def plan_failure(self, task: Task, failure: Failure, now: bool) -> None:
        """Fail `task` now, or instead of its next step."""
        if task.terminal:
            raise ValueError(f"task {task.id} is already {task.status}")
        if now:
            self._fail(task, failure, self._now())
        else:
            task.planned_failure = failure

    def callback_undeliverable(self, task_id: str, stage: str) -> None:
        """The final callback of a successful task was not delivered: KIE's CALLBACK_EXCEPTION."""
        task = self.tasks.get(task_id)
        if (
            task is not None
            and task.vendor == KIE
            and stage == "complete"
            and task.status == SUCCESS
        ):
            task.status = CALLBACK_EXCEPTION
            task.history.append((CALLBACK_EXCEPTION, self._now()))

    def tick(self) -> None:
        """Apply every stage change whose time has come (stage_seconds after the last one)."""
        if not self.settings.timed():
            return
        now = self._now()
        while self._due and self._due[0][0] <= now:
            due, _, task_id = heapq.heappop(self._due)
            task = self.tasks.get(task_id)
            if task is None or task.terminal or self._next_due(task) != due:
                continue  # stale entry: the task moved on by poll or command since
            self._step(task, due)

    def reschedule(self) -> None:
        """Rebuild the timetable after `stage_seconds` changed."""
        self._due.clear()
        for task in self.tasks.values():
            self._schedule(task)

    def prune(self) -> list[str]:
        """Forget finished tasks unused for longer than the retention, and the least recently
        used beyond `max_tasks` (memory per finished task stays bounded under any load); returns
        their ids.

        Past the cap, each call forgets only the excess (a create past it forgets one task):
        forgetting costs the forgotten tasks alone (the callback log is indexed by task), and
        batches of thousands paused serving for ~15 ms each. The age is checked once a second."""
        now = self._now()
        if len(self.tasks) <= self.settings.max_tasks and now < self._next_prune:
            return []
        self._next_prune = now + 1.0
        horizon = now - self.settings.task_retention_seconds
        keep = self.settings.max_tasks
        gone = []
        while self._finished:
            task_id, used_at = next(iter(self._finished.items()))
            task = self.tasks.get(task_id)
            over = len(self.tasks) > keep
            if task is not None and not over and used_at > horizon:
                break
            self._finished.popitem(last=False)
            if task is not None:
                del self.tasks[task.id]
                for clip in task.clips:
                    self.clip_owner.pop(clip.id, None)
                gone.append(task.id)
        return gone

    def restore_tasks(self, tasks: list[Task]) -> None:
        """Take back tasks saved by a previous run (segue.mock.snapshot), their clips and their
        place in the timetable and the retention order."""
        for task in tasks:
            self.tasks[task.id] = task
            for clip in task.clips:
                self.clip_owner[clip.id] = (task.id, clip.index)
        finished = sorted((t for t in tasks if t.terminal), key=_finished_at)
        self._finished.update((task.id, _finished_at(task)) for task in finished)
        self.reschedule()

    def drain_events(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def _create(
        self,
        account: Account,
        vendor: str,
        operation: str,
        params: dict[str, Any],
        model: str,
        model_name: str,
        title: str,
        lyrics: str,
        tags: str,
        durations: list[float],
    ) -> Task:
        now = self._now()
        task_id = self._task_id(vendor, operation)
        clips = [
            Clip(self._uuid(), index, model, model_name, title, lyrics, tags, duration, now)
            for index, duration in enumerate(durations)
        ]
        task = Task(
            task_id, vendor, operation, account.key, params, model, now, clips, entered_at=now
        )
        task.history.append((PENDING, now))
        self.tasks[task_id] = task
        for clip in clips:
            self.clip_owner[clip.id] = (task_id, clip.index)
        self._spend(account, vendor)
        if self.settings.stage_seconds == 0:
            self.advance(task, None)
        else:
            self._schedule(task)
        return task

    def _step(self, task: Task, at: float) -> None:
        if task.planned_failure is not None:
            self._fail(task, task.planned_failure, at)
            return
        self._enter(task, PROGRESS[PROGRESS.index(task.status) + 1], at)

    def _enter(self, task: Task, status: str, at: float) -> None:
        task.status = task.progress = status
        task.entered_at = at
        task.polls_at_status = 0
        task.history.append((status, at))
        self._events.append(Event(task, STAGE_OF_STATUS[status], status))
        if task.terminal:
            self._finished[task.id] = at
        self._schedule(task)

    def _fail(self, task: Task, failure: Failure, at: float) -> None:
        task.status = failure.status
        task.failure = failure
        task.planned_failure = None
        task.entered_at = at
        task.history.append((failure.status, at))
        self._events.append(Event(task, ERROR_STAGE, failure.status))
        self._finished[task.id] = at

    def _next_due(self, task: Task) -> float:
        return task.entered_at + float(self.settings.stage_seconds or 0)

    def _schedule(self, task: Task) -> None:
        if self.settings.timed() and not task.terminal:
            self._sequence += 1
            heapq.heappush(self._due, (self._next_due(task), self._sequence, task.id))

    # ------------------------------------------------------------------ invented data

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _task_id(self, vendor: str, operation: str) -> str:
        hex_id = uuid.UUID(int=self.rng.getrandbits(128), version=4).hex
        if vendor == UDIO:
            # udioapi.pro ids look like gen…bksv / ext…bksv.
            return f"{'ext' if operation == 'extendSong' else 'gen'}{hex_id}bksv"
        return hex_id

    def _duration(self, model: str, low: float, high: float) -> float:
        top = self.max_clip_seconds.get(model, self._longest_clip)
        return round(self.rng.uniform(min(low, top), min(high, top)), 2)

    def _extended_duration(self, model: str, start: float) -> float:
        """An extension keeps the source up to `start` and adds one to three minutes."""
        top = self.max_clip_seconds.get(model, self._longest_clip)
        return round(min(top, start + self.rng.uniform(60.0, 180.0)), 2)


def new_api_key() -> str:
    """A generated API key (the one format: `segue-` and 32 hex digits)."""
    return f"segue-{secrets.token_hex(16)}"


def _finished_at(task: Task) -> float:
    return task.history[-1][1] if task.history else task.created_at


def _kie_model_name(model: str) -> str:
    """`V4_5PLUS` -> `chirp-v4-5plus`, the form KIE's examples show (`V4` -> `chirp-v4`)."""
    return "chirp-" + model.lower().replace("_", "-")


def _title_from(text: str) -> str:
    words = text.split()
    return " ".join(words[:5]).title()[:60] or "Untitled"
