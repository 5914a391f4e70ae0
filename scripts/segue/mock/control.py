# ruff: noqa: E501 - the docstring is a markdown table (the README section is written from it)
"""The control API under `/_segue/`: how a test (or a person with curl) steers a running mock.

JSON in, JSON out. No vendor auth; when the mock runs with a control token (`--control-token`),
every call must carry it in `X-Segue-Control-Token`. Without a token, only loopback Host names
(`localhost`, `*.localhost`, 127.0.0.0/8, `::1`, and `mock`, the in-process tests' name) and no
foreign `Origin` are served (403), so a web page cannot reach it by DNS rebinding or a
cross-origin form. Writes (POST, PATCH) need `Content-Type: application/json` (415), which a
cross-origin page cannot send without a preflight the mock never answers. Every number is
bounded (400 beyond). API keys are masked in listings unless `?reveal=true`.
Errors: 400 `{"error": …}` for a bad body, 404 for an unknown task, 401 for a missing/wrong
control token, 403 for a foreign Host or Origin, 415 for a write that is not JSON.

| method | path | body / query | does |
|---|---|---|---|
| GET | `/_segue/health` | – | vendors, base paths, operations, rules each spec documents, settings, pending callbacks |
| GET | `/_segue/keys` | `?reveal=true` | every accepted API key (masked unless `reveal`) and its credits (`null` = unlimited) |
| POST | `/_segue/keys` | `{"key"?: str, "credits"?: int\\|null}` | accept a key (generated if omitted) and/or set its credits |
| POST | `/_segue/reset` | – | forget tasks, callback records and faults; restore credits and rate windows |
| GET | `/_segue/tasks` | `?key=&vendor=&status=&reveal=true` | list tasks (status, clips, polls, history, failure, callback URL; key masked unless `reveal`) |
| GET | `/_segue/tasks/{id}` | – | one task |
| POST | `/_segue/tasks/{id}/advance` | `{"stages"?: int≥1 (default 1), "to_end"?: bool}` | move one task on (status only moves forward) |
| POST | `/_segue/advance` | same | move every unfinished task on |
| POST | `/_segue/tasks/{id}/fail` | `{"status"?: CREATE_TASK_FAILED\\|GENERATE_AUDIO_FAILED\\|SENSITIVE_WORD_ERROR, "code"?: int, "message"?: str, "when"?: "now"\\|"next"}` | fail a task now, or instead of its next step (`error` callback follows) |
| GET | `/_segue/faults` | – | request and callback faults in force |
| POST | `/_segue/faults` | `{"status"?: 401\\|402\\|429\\|455\\|500…, "rule"?: id, "delay_ms"?: int, "retry_after"?: int, "count"?: int\\|null, "key"?, "vendor"?, "operation"?}` | answer the next `count` (default 1; null = until cleared) matching requests with the documented error for `status`/`rule`, after `delay_ms`; `delay_ms` alone = slow but normal answer |
| DELETE | `/_segue/faults` | – | clear request and callback faults |
| POST | `/_segue/callback-faults` | `{"delay_ms"?: int, "duplicates"?: int, "fail_attempts"?: int, "count"?: int\\|null, "task_id"?: str}` | make the next `count` (default: all) callbacks late, duplicated, or fail their first attempts |
| GET | `/_segue/callbacks` | `?task_id=&wait=<seconds ≤ 60>&offset=&limit=<≤ 5000>` | delivery attempts (url, stage, attempt, outcome, status code or error, time) and each delivery's state, a page at a time (`next_offset`: the next page's `offset`, null on the last); `wait` first waits until none is pending |
| POST | `/_segue/clock` | `{"advance": seconds}` | move a FakeClock (400 on the wall clock) |
| GET | `/_segue/settings` | – | lifecycle and limit settings |
| PATCH | `/_segue/settings` | `{"stage_seconds"?, "polls_per_stage"?, "rate_limit"?, "rate_window"?, "credits_per_task"?, "upload_duration"?, "http_errors"?, "max_pending_callbacks"?, "task_retention_seconds"?, "max_tasks"?}` | change them while running |
"""

from __future__ import annotations

import ipaddress
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

import jsonschema_rs
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from segue.mock import jsonio, models
from segue.mock.clock import FakeClock
from segue.mock.core import MockCore
from segue.mock.faults import CallbackFault, RequestFault
from segue.mock.responses import json_response, log_disconnect

log = logging.getLogger("segue.mock")
PREFIX = "/_segue"
TOKEN_HEADER = "x-segue-control-token"
# Preferred when a status code matches several documented rules (e.g. KIE's 422s).
FAULT_RULES = (
    models.UNAUTHORIZED,
    models.INSUFFICIENT_CREDITS,
    models.RATE_LIMITED,
    models.MAINTENANCE,
    models.SERVER_ERROR,
)

# Host names the control API answers without a token: loopback ones, and the name in-process
# clients use (`http://mock`: no socket, so nothing a browser could reach).
IN_PROCESS_HOSTS = frozenset({"mock", "testserver"})
WRITE_METHODS = frozenset({"POST", "PATCH"})
# Bounds of every control input: each fault and wait ends within a minute, and no counter
# makes the mock do unbounded work (issue 12: `duplicates: 100000`, `delay_ms` of hours).
MAX_DELAY_MS = 60_000
MAX_COUNT = 10_000
MAX_COPIES = 10
MAX_WAIT_SECONDS = 60.0
MAX_STAGES = 100
MAX_SECONDS = 10 * 365 * 86_400.0
MAX_AMOUNT = 10**12
# `GET /_segue/callbacks` answers at most this many attempts (and deliveries) a page: a long
# run's log is read page by page (`offset`, `next_offset`), never as one 182 MB answer.
PAGE_SIZE = 5_000

_COUNT = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_COUNT}
_NON_NEGATIVE = {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT}
_DELAY_MS = {"type": "integer", "minimum": 0, "maximum": MAX_DELAY_MS}
_COPIES = {"type": "integer", "minimum": 0, "maximum": MAX_COPIES}
_SECONDS = {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_SECONDS}
_ADVANCE = {
    "type": "object",
    "properties": {
        "stages": {"type": "integer", "minimum": 1, "maximum": MAX_STAGES},
        "to_end": {"type": "boolean"},
    },
    "additionalProperties": False,
}
_FAIL = {
    "type": "object",
    "properties": {
        "status": {"enum": list(models.FAILURE_DEFAULT_CODES)},
        "code": {"type": "integer"},
        "message": {"type": "string", "minLength": 1},
        "when": {"enum": ["now", "next"]},
    },
    "additionalProperties": False,
}
_FAULT = {
    "type": "object",
    "properties": {
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "rule": {"type": "string", "minLength": 1},
        "delay_ms": _DELAY_MS,
        "retry_after": {"type": "integer", "minimum": 0, "maximum": 86_400},
        "count": _COUNT,
        "key": {"type": "string"},
        "vendor": {"enum": [models.KIE, models.UDIO]},
        "operation": {"type": "string"},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["status"]}, {"required": ["rule"]}, {"required": ["delay_ms"]}],
}
_CALLBACK_FAULT = {
    "type": "object",
    "properties": {
        "delay_ms": _DELAY_MS,
        "duplicates": _COPIES,
        "fail_attempts": _COPIES,
        "count": _COUNT,
        "task_id": {"type": "string"},
    },
    "additionalProperties": False,
}
_KEYS = {
    "type": "object",
    "properties": {
        "key": {"type": "string", "minLength": 1},
        "credits": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_AMOUNT},
    },
    "additionalProperties": False,
}
_CLOCK = {
    "type": "object",
    "properties": {"advance": {"type": "number", "minimum": 0, "maximum": MAX_SECONDS}},
    "required": ["advance"],
}
_SETTINGS = {
    "type": "object",
    "properties": {
        "stage_seconds": {"type": ["number", "null"], "minimum": 0, "maximum": MAX_SECONDS},
        "polls_per_stage": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_COUNT},
        "rate_limit": _NON_NEGATIVE,
        "rate_window": _SECONDS,
        "credits_per_task": _NON_NEGATIVE,
        "upload_duration": _SECONDS,
        "http_errors": {"type": "boolean"},
        "max_pending_callbacks": {"type": "integer", "minimum": 1, "maximum": 10_000_000},
        "task_retention_seconds": _SECONDS,
        "max_tasks": {"type": "integer", "minimum": 1, "maximum": 10_000_000},
    },
    "additionalProperties": False,
}
_VALIDATORS = {
    id(schema): jsonschema_rs.validator_for(schema)
    for schema in (_ADVANCE, _FAIL, _FAULT, _CALLBACK_FAULT, _KEYS, _CLOCK, _SETTINGS)
}


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def mask(key: str) -> str:
    """An API key as listings show it: enough to tell keys apart, too little to use one."""
    return f"{key[:4]}…{key[-2:]}" if len(key) >= 16 else "…"


def loopback_host(host: str) -> bool:
    """`localhost`, `*.localhost`, 127.0.0.0/8 or ::1 (a Host header's name, port stripped)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    """The name of a Host header or an Origin (`http://a:1` -> `a`, `[::1]:8787` -> `[::1]`)."""
    value = value.partition("://")[2] or value
    if value.startswith("["):
        return value.partition("]")[0] + "]"
    return value.rpartition(":")[0] if value.count(":") == 1 else value


def task_json(task: models.Task, reveal: bool = False) -> dict[str, Any]:
    failure = task.failure
    return {
        "id": task.id,
        "vendor": task.vendor,
        "operation": task.operation,
        "key": task.key if reveal else mask(task.key),
        "model": task.model,
        "status": task.status,
        "terminal": task.terminal,
        "created_at": task.created_at,
        "polls": task.polls,
        "parent_audio_id": task.parent_audio_id or None,
        "origin_task_id": task.origin_task_id,
        "extend_index": task.extend_index,
        "upload_url": task.upload_url,
        "callback_url": task.callback_url,
        "failure": {"status": failure.status, "code": failure.code, "message": failure.message}
        if failure
        else None,
        "clips": [
            {
                "id": c.id,
                "index": c.index,
                "model": c.model,
                "duration": c.duration,
                "title": c.title,
            }
            for c in task.clips
        ],
        "history": [{"status": status, "at": at} for status, at in task.history],
        "params": task.params,
    }


class Control:
    def __init__(self, core: MockCore) -> None:
        self.core = core

    def routes(self) -> list[Route]:
        table: list[tuple[str, list[str], Callable[[Request], Awaitable[Any]]]] = [
            ("/health", ["GET"], self.health),
            ("/keys", ["GET", "POST"], self.keys),
            ("/reset", ["POST"], self.reset),
            ("/tasks", ["GET"], self.list_tasks),
            ("/tasks/{task_id}", ["GET"], self.get_task),
            ("/tasks/{task_id}/advance", ["POST"], self.advance_task),
            ("/advance", ["POST"], self.advance_all),
            ("/tasks/{task_id}/fail", ["POST"], self.fail_task),
            ("/faults", ["GET", "POST", "DELETE"], self.faults),
            ("/callback-faults", ["GET", "POST", "DELETE"], self.callback_faults),
            ("/callbacks", ["GET"], self.callbacks),
            ("/clock", ["POST"], self.clock),
            ("/settings", ["GET", "PATCH"], self.settings),
        ]
        return [
            Route(PREFIX + path, self._wrap(handler), methods=methods)
            for path, methods, handler in table
        ]

    def _wrap(
        self, handler: Callable[[Request], Awaitable[Any]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                self._admit(request)
                return json_response(await handler(request))
            except ControlError as error:
                return json_response({"error": str(error)}, error.status)
            except KeyError as error:
                return json_response(
                    {"error": str(error.args[0]) if error.args else "not found"}, 404
                )
            except ValueError as error:
                return json_response({"error": str(error)}, 400)
            except ClientDisconnect:
                log_disconnect(request)
                return Response(status_code=400)
            except Exception:
                log.exception("control API failed on %s %s", request.method, request.url.path)
                return json_response({"error": "internal error in the segue mock (logged)"}, 500)

        return endpoint

    def _admit(self, request: Request) -> None:
        """The token when one is set, else loopback Host and Origin only; JSON on writes."""
        token = self.core.config.control_token
        if token:
            if request.headers.get(TOKEN_HEADER) != token:
                raise ControlError(401, f"missing or wrong {TOKEN_HEADER}")
        else:
            host = _host_name(request.headers.get("host", ""))
            if not (loopback_host(host) or host in IN_PROCESS_HOSTS):
                raise ControlError(
                    403, "the control API answers loopback Host names only (no --control-token)"
                )
            origin = request.headers.get("origin")
            if origin is not None and not loopback_host(_host_name(origin)):
                raise ControlError(403, "the control API answers no foreign Origin")
        if request.method in WRITE_METHODS:
            media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json":
                raise ControlError(415, "Content-Type must be application/json")

    async def _body(self, request: Request, schema: dict[str, Any]) -> dict[str, Any]:
        raw = await request.body()
        try:
            body = jsonio.loads(raw) if raw.strip() else {}
        except jsonio.UnsafeJSON as error:
            raise ControlError(400, str(error)) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ControlError(400, f"malformed JSON: {error}") from None
        errors = [
            f"{'/'.join(map(str, e.instance_path)) or 'body'}: {e.message}"
            for e in _VALIDATORS[id(schema)].iter_errors(body)
        ]
        if errors:
            raise ControlError(400, "; ".join(errors))
        return dict(body)

    # ------------------------------------------------------------------ endpoints

    async def health(self, request: Request) -> Any:
        core = self.core
        return {
            "ok": True,
            "vendors": {
                name: {
                    "spec": str(spec.path),
                    "base_path": spec.base_path,
                    "operations": {
                        op.operation_id: f"{op.method} {op.full_path}"
                        for op in spec.operations.values()
                    },
                    "documented_rules": sorted(spec.documented_rules()),
                }
                for name, spec in core.specs.items()
            },
            "keys": len(core.api_keys),
            "pending_callbacks": core.pending_callbacks(),
            "settings": vars(core.settings),
            "clock": type(core.clock).__name__,
            "now": core.clock.now(),
        }

    async def keys(self, request: Request) -> Any:
        if request.method == "POST":
            body = await self._body(request, _KEYS)
            key = (
                self.core.add_key(body.get("key"), body["credits"])
                if "credits" in body
                else self.core.add_key(body.get("key"))
            )
            return {"key": key, "credits": self.core.credits()[key]}
        reveal = _reveal(request)
        return [
            {"key": key if reveal else mask(key), "credits": credits}
            for key, credits in self.core.credits().items()
        ]

    async def reset(self, request: Request) -> Any:
        self.core.reset()
        return {"reset": True}

    async def list_tasks(self, request: Request) -> Any:
        wanted = request.query_params
        reveal = _reveal(request)
        tasks = self.core.tasks()
        with self.core.lock:
            return [
                task_json(t, reveal)
                for t in tasks
                if all(
                    wanted.get(name) in (None, value)
                    for name, value in (("key", t.key), ("vendor", t.vendor), ("status", t.status))
                )
            ]

    async def get_task(self, request: Request) -> Any:
        task = self.core.task(request.path_params["task_id"])
        with self.core.lock:
            return task_json(task, _reveal(request))

    async def advance_task(self, request: Request) -> Any:
        body = await self._body(request, _ADVANCE)
        stages = None if body.get("to_end") else body.get("stages", 1)
        tasks = self.core.advance(request.path_params["task_id"], stages)
        with self.core.lock:
            return task_json(tasks[0])

    async def advance_all(self, request: Request) -> Any:
        body = await self._body(request, _ADVANCE)
        stages = None if body.get("to_end") else body.get("stages", 1)
        tasks = self.core.advance(None, stages)
        with self.core.lock:
            return {"advanced": [{"id": t.id, "status": t.status} for t in tasks]}

    async def fail_task(self, request: Request) -> Any:
        body = await self._body(request, _FAIL)
        task = self.core.fail(
            request.path_params["task_id"],
            status=body.get("status", "GENERATE_AUDIO_FAILED"),
            code=body.get("code"),
            message=body.get("message"),
            now=body.get("when", "now") == "now",
        )
        with self.core.lock:
            return task_json(task)

    async def faults(self, request: Request) -> Any:
        book = self.core.faults
        if request.method == "POST":
            body = await self._body(request, _FAULT)
            rule = self._fault_rule(body)
            fault = RequestFault(
                rule=rule,
                delay_ms=body.get("delay_ms", 0),
                retry_after=body.get("retry_after"),
                count=body.get("count", 1),
                key=body.get("key"),
                vendor=body.get("vendor"),
                operation=body.get("operation"),
            )
            return book.add_request_fault(fault).as_json()
        if request.method == "DELETE":
            book.clear()
        return {
            "request_faults": [f.as_json() for f in book.request_faults],
            "callback_faults": [f.as_json() for f in book.callback_faults],
        }

    def _fault_rule(self, body: dict[str, Any]) -> str | None:
        """The documented rule a fault answers: named, or found by the status code of its example."""
        specs = [s for name, s in self.core.specs.items() if body.get("vendor") in (None, name)]
        if "rule" in body:
            if not any(s.answer_for_rule(body["rule"]) for s in specs):
                raise ControlError(400, f"no spec documents rule {body['rule']!r}")
            return str(body["rule"])
        if "status" not in body:
            return None
        status = body["status"]
        rules = {
            rule
            for s in specs
            for rule, answer in s.rule_answers.items()
            if isinstance(answer.body, dict) and answer.body.get("code") == status
        }
        preferred = [rule for rule in FAULT_RULES if rule in rules]
        if preferred:
            return preferred[0]
        if len(rules) == 1:
            return rules.pop()
        if not rules:
            raise ControlError(400, f"no spec documents an error with code {status}")
        raise ControlError(
            400,
            f"code {status} is documented for several rules ({', '.join(sorted(rules))}): name one as 'rule'",
        )

    async def callback_faults(self, request: Request) -> Any:
        book = self.core.faults
        if request.method == "POST":
            body = await self._body(request, _CALLBACK_FAULT)
            return book.add_callback_fault(CallbackFault(**body)).as_json()
        if request.method == "DELETE":
            book.callback_faults.clear()
        return [f.as_json() for f in book.callback_faults]

    async def callbacks(self, request: Request) -> Any:
        task_id = request.query_params.get("task_id")
        wait = request.query_params.get("wait")
        idle = True
        if wait:
            idle = await self.core.dispatcher.wait_idle_async(_wait_seconds(wait))
        offset = _bounded_int(request, "offset", 0, 0, 10**12)
        limit = _bounded_int(request, "limit", PAGE_SIZE, 1, PAGE_SIZE)
        attempts = self.core.callback_attempts(task_id)
        deliveries = self.core.dispatcher.deliveries(task_id)
        more = max(len(attempts), len(deliveries)) > offset + limit
        attempts, deliveries = (
            attempts[offset : offset + limit],
            deliveries[offset : offset + limit],
        )
        return {
            "idle": idle,
            "next_offset": offset + limit if more else None,
            "attempts": [a.as_json() for a in attempts],
            "deliveries": [
                {
                    "id": d.id,
                    "task_id": d.task_id,
                    "stage": d.stage,
                    "url": d.url,
                    "copy": d.copy,
                    "state": d.state,
                    "attempts": d.attempts,
                }
                for d in deliveries
            ],
        }

    async def clock(self, request: Request) -> Any:
        body = await self._body(request, _CLOCK)
        clock = self.core.clock
        if not isinstance(clock, FakeClock):
            raise ControlError(
                400, "the mock runs on the wall clock; create it with a FakeClock to move time"
            )
        return {"now": clock.advance(float(body["advance"]))}

    async def settings(self, request: Request) -> Any:
        if request.method == "PATCH":
            body = await self._body(request, _SETTINGS)
            self.core.update_settings(**body)
        return vars(self.core.settings)


def _reveal(request: Request) -> bool:
    return request.query_params.get("reveal", "").lower() in ("1", "true", "yes")


def _wait_seconds(text: str) -> float:
    """`?wait=`: a finite number of seconds, 0 to MAX_WAIT_SECONDS (NaN, inf refused)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_WAIT_SECONDS:  # False for NaN as well
        raise ControlError(400, f"wait: must be 0 to {MAX_WAIT_SECONDS:g} seconds")
    return seconds


def _bounded_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ControlError(400, f"{name}: must be an integer from {low} to {high}")
    return int(text)
