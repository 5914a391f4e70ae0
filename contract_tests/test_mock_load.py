"""Nothing lost under load: 5,000 creates at concurrency 64 against the mock on a real socket.

The mock runs in its own process (`segue.mock.server.serve`: uvicorn with uvloop and httptools on
127.0.0.1), sending its callbacks from a child process as `segue mock` does. The creates mix KIE
generate, KIE extend, Udio generate and Udio extend, sent by `httpx.AsyncClient`s at a
concurrency of 64 (`Lanes`) within a bounded total time. Every task's
callbacks go to a receiver on 127.0.0.1 that answers 500 to one request in a hundred (the mock
must retry) and always answers 500 on `/down` (the mock must give up after its retries and
record it).

What must hold, counted per task id and stage:

- every create is accepted, or refused with the error the spec documents for a rule the test set
  up (a key short of credits): never a 5xx, a validation failure or a transport error;
- the mock holds exactly the accepted tasks, each retrievable with its key (record-info / feed)
  and terminal;
- every (task, stage) was delivered exactly once (answered 2xx by the receiver) or recorded by the
  mock as given up after its retries, never both, never neither:
  accepted tasks x stages == delivered + recorded-failed;
- the mock's delivery log and the receiver agree on what was delivered.

Why the mock runs in another process: in one process the client, the receiver, uvicorn's loop and
the mock's callback thread fight for one GIL, and each socket call then waits up to the switch
interval for it; the test would measure that convoy, not the mock. The receiver shares the
client's event loop (no thread) for the same reason.

The lifecycle runs by time during the load (`stage_seconds` small), so callbacks flow while
creates arrive. The documented rate limit (20 creates per 10 s per key) would refuse most of
5,000 creates: the test raises it by config (the limiter has its own tests) and refuses creates
honestly through credits instead. `test_reconciliation_catches_a_dropped_callback` makes the mock
lose one callback silently and checks that the reconciliation says which.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import spec_examples
import uvicorn
import uvloop
from segue.mock import MockConfig
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import CallbackReceiver, bearer, request_example

KIE = load_vendor_spec("kie")
UDIO = load_vendor_spec("udio")

CREATES = 5_000
CONCURRENCY = 64
LOAD_DEADLINE = 60.0  # seconds for the creates: the test fails rather than hang
SETTLE_DEADLINE = 90.0  # seconds for every task to end, then again for every callback to settle
STAGES = ("text", "first", "complete")
FULL_KEYS = tuple(f"load-key-{n}" for n in range(8))
SHORT_KEY = "load-key-short"  # few credits: once they are spent, its creates are refused
SHORT_CREDITS = 40
ALL_KEYS = (*FULL_KEYS, SHORT_KEY)
FLAKY_EVERY = 100  # the receiver answers 500 to every 100th request it gets
DOWN_EVERY = 97  # every 97th create names the receiver's /down path: always 500
KINDS = ("kie-generate", "kie-extend", "udio-generate", "udio-extend")
# Terminal TaskStatus values (the spec says which in prose; the enum check keeps the names honest).
KIE_TERMINAL = {
    "SUCCESS",
    "CALLBACK_EXCEPTION",
    "CREATE_TASK_FAILED",
    "GENERATE_AUDIO_FAILED",
    "SENSITIVE_WORD_ERROR",
}
assert set(KIE.enum("TaskStatus")) >= KIE_TERMINAL, "TaskStatus changed in the spec"

# The MockConfig fields this test sets (as JSON, for the child process); the rest are defaults.
MOCK_SETTINGS: dict[str, Any] = {
    "api_keys": FULL_KEYS,
    "credits": None,  # unlimited for FULL_KEYS; SHORT_KEY gets its balance over the control API
    "stage_seconds": 0.1,  # a task ends ~0.3 s after its create, while the load goes on
    "rate_limit": 100_000,  # see the module docstring
    # Backpressure past the backlog bound would refuse creates here as the rate limit does (it
    # has its own test, test_mock_hostile.py); 5,000 creates owe at most 15,000 callbacks.
    "max_pending_callbacks": 100_000,
    "callback_retries": 2,
    "callback_backoff": 0.02,
    "callback_timeout": 10.0,
    "seed": 5,
    "callback_process": True,  # as `segue mock` serves: callbacks sent by a process of their own
}
CALLBACK_RETRIES = MockConfig(**MOCK_SETTINGS).callback_retries


# ---------------------------------------------------------------------------- the mock process

# Runs in the child: the mock's own `serve`, optionally made to lose its N-th callback silently
# (the sabotage that proves the reconciliation can fail) through the mock's outbound seam
# (MockConfig.outbound, None = send nothing); it exits when the test process dies.
LAUNCHER = """
import itertools, json, os, sys, threading, time
from segue.mock.config import MockConfig
from segue.mock.server import serve

def exit_with_parent(parent=os.getppid()):
    while os.getppid() == parent:  # a killed test must not leave its mock serving
        time.sleep(1)
    os._exit(0)

threading.Thread(target=exit_with_parent, daemon=True).start()
settings = json.loads(sys.argv[1])
port, drop = settings.pop("port"), settings.pop("drop_delivery")
settings["api_keys"] = tuple(settings["api_keys"])
if drop:
    rendered = itertools.count(1)
    def losing(sent):
        return None if sent.kind == "callback" and next(rendered) == drop else sent
    settings["outbound"] = losing
serve(MockConfig(**settings), "127.0.0.1", port, log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def mock_process(config: dict[str, Any], drop_delivery: int = 0) -> Iterator[str]:
    """Run the mock (MockConfig(**config)) in a child process on 127.0.0.1; yield its base URL."""
    settings = {**config, "port": free_port(), "drop_delivery": drop_delivery}
    child = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, json.dumps(settings)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base_url = f"http://127.0.0.1:{settings['port']}"
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if (
                    httpx.get(f"{base_url}/_segue/health", timeout=1, trust_env=False).status_code
                    == 200
                ):
                    break
            assert child.poll() is None, f"the mock exited with {child.returncode}"
            assert time.monotonic() < deadline, "the mock did not start within 20 s"
            time.sleep(0.1)
        yield base_url
    finally:
        child.terminate()
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(5)


# ---------------------------------------------------------------------------- the receiver


class CallbackSink:
    """A raw ASGI callback receiver: records each request it answers 2xx, answers at once.

    Raw ASGI (no framework) so that receiving 15,000 callbacks costs little next to the load.
    Every `fail_every`-th request is answered 500, and every request to `/down` is. It runs on
    the test's event loop, so its counters need no lock.
    """

    def __init__(self, fail_every: int) -> None:
        self.fail_every = fail_every
        self.arrivals = 0
        self.refused = 0
        self.delivered: list[bytes] = []  # bodies of the requests answered 200

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        self.arrivals += 1
        ok = scope["path"] != "/down" and self.arrivals % self.fail_every != 0
        if ok:
            self.delivered.append(b"".join(chunks))
        else:
            self.refused += 1
        payload = b'{"status":"received"}' if ok else b'{"error":"told to fail"}'
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send(
            {"type": "http.response.start", "status": 200 if ok else 500, "headers": headers}
        )
        await send({"type": "http.response.body", "body": payload})


async def _lifespan(
    receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


@contextlib.asynccontextmanager
async def serving(sink: CallbackSink) -> AsyncIterator[str]:
    """Serve `sink` with uvicorn on this event loop, 127.0.0.1, a free port; yield its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(sink, http="httptools", log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        while not server.started:
            assert not task.done(), "the callback receiver did not start"
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        listener.close()


# ---------------------------------------------------------------------------- the client


class Lanes:
    """CONCURRENCY `httpx.AsyncClient`s of one connection each; taking a free lane is the
    semaphore that bounds concurrency.

    Why not one client with 64 connections: httpcore 1.0.9's pool does O(connections^2) work on
    every request (each idle connection re-counts all the others, and is probed for expiry with
    a syscall; encode/httpcore#1035). At 64 connections that was ~65% of this process's CPU, and
    the test measured the client. A one-connection pool does O(1) work.
    """

    def __init__(self, base_url: str, count: int = CONCURRENCY) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        self.clients = [
            httpx.AsyncClient(base_url=base_url, limits=limits, timeout=20.0, trust_env=False)
            for _ in range(count)
        ]
        self.free: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()
        for client in self.clients:
            self.free.put_nowait(client)

    @contextlib.asynccontextmanager
    async def take(self) -> AsyncIterator[httpx.AsyncClient]:
        client = await self.free.get()
        try:
            yield client
        finally:
            self.free.put_nowait(client)

    async def aclose(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self.clients))


# ---------------------------------------------------------------------------- the load


@dataclass(frozen=True)
class Created:
    task_id: str
    vendor: str
    key: str
    down: bool  # its callbacks go to /down


@dataclass
class LoadResult:
    sources: list[Created] = field(default_factory=list)
    accepted: list[Created] = field(default_factory=list)
    refused: Counter[tuple[str, int]] = field(default_factory=Counter)  # (key, code) -> count
    unexpected: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[Created]:
        return [*self.sources, *self.accepted]


def refusal_code(spec: Any, rule: str) -> int:
    """The code the spec documents for `rule` (a refusal the test expects, not a loss)."""
    return int(spec_examples.answer(spec.vendor, None, rule=rule)["code"])


REFUSALS = {
    "kie": {refusal_code(KIE, "insufficient-credits"), refusal_code(KIE, "rate-limited")},
    "udio": {refusal_code(UDIO, "insufficient-credits"), refusal_code(UDIO, "rate-limited")},
}


def kie_body(
    operation_id: str, name: str | None, callback: str, **overrides: Any
) -> dict[str, Any]:
    return {**request_example(KIE, operation_id, name), "callBackUrl": callback, **overrides}


def udio_body(
    operation_id: str, name: str | None, callback: str, **overrides: Any
) -> dict[str, Any]:
    return {**request_example(UDIO, operation_id, name), "callback_url": callback, **overrides}


@dataclass(frozen=True)
class Sources:
    """Per key: the first clip of a finished KIE generate, and a finished Udio generate."""

    kie_clip: dict[str, str]
    udio_work: dict[str, str]


async def post_create(
    client: httpx.AsyncClient, vendor: str, path: str, body: dict[str, Any], key: str
) -> tuple[str | None, int, str]:
    """(new id or None, the answer's code, what was answered) of one create."""
    response = await client.post(path, json=body, headers=bearer(key))
    try:
        answer = response.json()
    except ValueError:
        return (
            None,
            response.status_code,
            f"HTTP {response.status_code}, not JSON: {response.text[:200]}",
        )
    code = answer.get("code") if isinstance(answer, dict) else None
    if response.status_code == 200 and code == 200:
        return (
            str(answer["data"]["taskId"] if vendor == "kie" else answer["workId"]),
            200,
            "accepted",
        )
    return (
        None,
        code if isinstance(code, int) else response.status_code,
        f"HTTP {response.status_code} {answer}",
    )


async def make_sources(client: httpx.AsyncClient, callback: str, result: LoadResult) -> Sources:
    """Create one KIE and one Udio source task per key and finish them (control API)."""
    kie_ids: dict[str, str] = {}
    udio_ids: dict[str, str] = {}
    for key in ALL_KEYS:
        kie_id, _, said = await post_create(
            client,
            "kie",
            KIE.operations["generateMusic"].full_path,
            kie_body("generateMusic", None, callback),
            key,
        )
        udio_id, _, said_too = await post_create(
            client,
            "udio",
            UDIO.operations["generateSong"].full_path,
            udio_body("generateSong", None, callback),
            key,
        )
        assert kie_id and udio_id, (said, said_too)
        kie_ids[key], udio_ids[key] = kie_id, udio_id
        result.sources += [Created(kie_id, "kie", key, False), Created(udio_id, "udio", key, False)]
    advanced = await client.post("/_segue/advance", json={"to_end": True})
    assert advanced.status_code == 200, advanced.text
    clips = {}
    for key, task_id in kie_ids.items():
        details = (
            await client.get(
                "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(key)
            )
        ).json()
        clips[key] = str(details["data"]["response"]["sunoData"][0]["id"])
    return Sources(clips, udio_ids)


def planned_create(
    number: int, sources: Sources, receiver_url: str
) -> tuple[str, str, dict[str, Any], str, bool]:
    """Create number `number`: (vendor, path, body, key, down). Keys and kinds rotate evenly."""
    key = ALL_KEYS[number % len(ALL_KEYS)]
    kind = KINDS[(number // len(ALL_KEYS)) % len(KINDS)]
    down = number % DOWN_EVERY == 0
    callback = f"{receiver_url}/down" if down else f"{receiver_url}/cb"
    if kind == "kie-generate":
        return (
            "kie",
            KIE.operations["generateMusic"].full_path,
            kie_body("generateMusic", None, callback),
            key,
            down,
        )
    if kind == "kie-extend":
        # The inherit example with the key's own source clip; `model` must be the source's: the
        # source was made from the generate example, so it is that example's model.
        model = request_example(KIE, "generateMusic")["model"]
        body = kie_body(
            "extendMusic", "inherit", callback, audioId=sources.kie_clip[key], model=model
        )
        return "kie", KIE.operations["extendMusic"].full_path, body, key, down
    if kind == "udio-generate":
        return (
            "udio",
            UDIO.operations["generateSong"].full_path,
            udio_body("generateSong", None, callback),
            key,
            down,
        )
    body = udio_body(
        "extendSong", None, callback, origin_task_id=sources.udio_work[key], extend_audio_index=0
    )
    return "udio", UDIO.operations["extendSong"].full_path, body, key, down


async def run_creates(
    lanes: Lanes, creates: int, sources: Sources, receiver_url: str, result: LoadResult
) -> None:
    async def one(number: int) -> None:
        vendor, path, body, key, down = planned_create(number, sources, receiver_url)
        async with lanes.take() as client:
            try:
                new_id, code, said = await post_create(client, vendor, path, body, key)
            except httpx.HTTPError as error:
                result.unexpected.append(
                    f"create {number} ({path}, {key}): {type(error).__name__}: {error}"
                )
                return
        if new_id is not None:
            result.accepted.append(Created(new_id, vendor, key, down))
        elif code in REFUSALS[vendor]:
            result.refused[(key, code)] += 1
        else:
            result.unexpected.append(f"create {number} ({path}, {key}): {said}")

    async with asyncio.timeout(LOAD_DEADLINE):
        await asyncio.gather(*(one(n) for n in range(creates)))


async def poll_until_terminal(lanes: Lanes, tasks: list[Created]) -> dict[str, dict[str, Any]]:
    """Poll each task (record-info / feed, with its key) until it is terminal: id -> its data."""
    seen: dict[str, dict[str, Any]] = {}

    async def one(task: Created) -> None:
        while True:
            async with lanes.take() as client:
                if task.vendor == "kie":
                    response = await client.get(
                        "/api/v1/generate/record-info",
                        params={"taskId": task.task_id},
                        headers=bearer(task.key),
                    )
                else:
                    response = await client.get(
                        "/api/v2/feed", params={"workId": task.task_id}, headers=bearer(task.key)
                    )
            answer = response.json()
            assert response.status_code == 200 and answer.get("code") == 200, (
                f"{task} not retrievable: {answer}"
            )
            data = seen[task.task_id] = answer["data"]
            if (
                data["status"] in KIE_TERMINAL
                if task.vendor == "kie"
                else data["type"] == "SUCCESS"
            ):
                return
            await asyncio.sleep(0.1)

    async with asyncio.timeout(SETTLE_DEADLINE):
        await asyncio.gather(*(one(task) for task in tasks))
    return seen


async def whole_callback_log(client: httpx.AsyncClient) -> dict[str, Any]:
    """Every page of `GET /_segue/callbacks` (after waiting until idle), joined."""
    answer = await client.get("/_segue/callbacks", params={"wait": "5"}, timeout=30)
    log = dict(answer.json())
    while log["next_offset"] is not None:
        page = (
            await client.get("/_segue/callbacks", params={"offset": log["next_offset"]}, timeout=30)
        ).json()
        log["attempts"] += page["attempts"]
        log["deliveries"] += page["deliveries"]
        log["next_offset"] = page["next_offset"]
    return log


async def callback_log(client: httpx.AsyncClient, expected: int, deadline: float) -> dict[str, Any]:
    """The mock's delivery log once it is idle and holds `expected` deliveries; or once it stays
    idle with fewer (nothing more will come: the reconciliation then says what is missing); or at
    `deadline`."""
    stop = time.monotonic() + deadline
    idle_with: int | None = None  # deliveries seen at the previous idle look
    while True:
        log = await whole_callback_log(client)
        count = len(log["deliveries"])
        if (log["idle"] and (count >= expected or count == idle_with)) or time.monotonic() >= stop:
            return log
        idle_with = count if log["idle"] else None
        await asyncio.sleep(1.0)


# ---------------------------------------------------------------------------- reconciliation


def stage_of_callback(body: bytes, udio_clip_owner: dict[str, str]) -> tuple[str, str]:
    """(task id, stage) a callback announces. A KIE body names both; a Udio body is a bare array
    of clips whose `status` is the stage, its task found from the clip ids the feed showed."""
    payload = json.loads(body)
    if isinstance(payload, dict):
        return str(payload["data"]["task_id"]), str(payload["data"]["callbackType"])
    return udio_clip_owner[str(payload[0]["id"])], str(payload[0]["status"])


def reconcile(
    tasks: list[Created],
    log: dict[str, Any],
    delivered: list[bytes],
    polled: dict[str, dict[str, Any]],
) -> dict[str, int]:
    """Assert each (task, stage) was delivered exactly once or recorded failed; return counts."""
    udio_clip_owner = {
        str(clip["id"]): task_id
        for task_id, data in polled.items()
        for clip in data.get("response_data") or []
    }
    received = Counter(stage_of_callback(body, udio_clip_owner) for body in delivered)
    states: dict[tuple[str, str], list[str]] = {}
    for delivery in log["deliveries"]:
        states.setdefault((delivery["task_id"], delivery["stage"]), []).append(delivery["state"])
    expected = {(task.task_id, stage) for task in tasks for stage in STAGES}

    problems = []
    for pair in sorted(expected):
        times_delivered, times_failed = received[pair], states.get(pair, []).count("gave-up")
        if times_delivered + times_failed != 1:
            problems.append(
                f"{pair}: delivered {times_delivered}x, recorded failed {times_failed}x, "
                f"mock's log: {states.get(pair)}"
            )
    problems += [
        f"{pair}: delivered {n}x, but no accepted task has it"
        for pair, n in received.items()
        if pair not in expected
    ]
    problems += [
        f"{pair}: in the mock's log, but no accepted task has it"
        for pair in states
        if pair not in expected
    ]
    assert not problems, (
        f"{len(problems)} (task, stage) pairs do not reconcile, e.g.:\n" + "\n".join(problems[:20])
    )

    counts = {
        "delivered": received.total(),
        "recorded_failed": sum(s.count("gave-up") for s in states.values()),
        "logged_delivered": sum(s.count("delivered") for s in states.values()),
    }
    assert counts["logged_delivered"] == counts["delivered"], (
        f"the mock's log and the receiver disagree: {counts}"
    )
    assert len(tasks) * len(STAGES) == counts["delivered"] + counts["recorded_failed"]
    return counts


# ---------------------------------------------------------------------------- the tests


@dataclass
class Run:
    result: LoadResult
    log: dict[str, Any]
    polled: dict[str, dict[str, Any]]
    sink: CallbackSink
    held: set[str]  # the task ids the mock holds at the end
    final: dict[str, dict[str, Any]]  # record-info data of KIE tasks calling /down, at the end
    seconds: dict[str, float]  # when each phase ended, from the first create


async def drive(base_url: str, creates: int, settle_deadline: float) -> Run:
    sink = CallbackSink(fail_every=FLAKY_EVERY)
    lanes = Lanes(base_url)
    try:
        async with serving(sink) as receiver_url:
            async with lanes.take() as client:
                short = await client.post(
                    "/_segue/keys", json={"key": SHORT_KEY, "credits": SHORT_CREDITS}
                )
                assert short.status_code == 200, short.text
                result = LoadResult()
                sources = await make_sources(client, f"{receiver_url}/cb", result)
            started = time.monotonic()
            await run_creates(lanes, creates, sources, receiver_url, result)
            seconds = {"creates answered": time.monotonic() - started}
            polled = await poll_until_terminal(lanes, result.tasks)
            seconds["all tasks terminal"] = time.monotonic() - started
            async with lanes.take() as client:
                log = await callback_log(client, len(result.tasks) * len(STAGES), settle_deadline)
            seconds["callbacks settled"] = time.monotonic() - started
            async with lanes.take() as client:
                held = {
                    task["id"] for task in (await client.get("/_segue/tasks", timeout=30)).json()
                }
            # A KIE task whose final callback failed turns CALLBACK_EXCEPTION once the mock gave up:
            # poll those again (any other task whose callback failed breaks the reconciliation).
            final = await poll_until_terminal(
                lanes, [task for task in result.tasks if task.vendor == "kie" and task.down]
            )
    finally:
        await lanes.aclose()
    return Run(result, log, polled, sink, held, final, seconds)


def load(creates: int, settle_deadline: float = SETTLE_DEADLINE, drop_delivery: int = 0) -> Run:
    with (
        mock_process(MOCK_SETTINGS, drop_delivery) as base_url,
        asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner,
    ):
        return runner.run(drive(base_url, creates, settle_deadline))


@pytest.mark.timeout(240)
def test_nothing_is_lost_under_load() -> None:
    started = time.monotonic()
    run = load(CREATES)
    result = run.result

    assert result.unexpected == [], (
        f"{len(result.unexpected)} creates neither accepted nor refused as documented, "
        f"e.g. {result.unexpected[:5]}"
    )
    short_attempts = sum(1 for n in range(CREATES) if ALL_KEYS[n % len(ALL_KEYS)] == SHORT_KEY)
    left_for_the_load = SHORT_CREDITS - 2  # its two source tasks spent two
    no_credits = {refusal_code(spec, "insufficient-credits") for spec in (KIE, UDIO)}
    rate_limited = {refusal_code(spec, "rate-limited") for spec in (KIE, UDIO)}
    short_refused = sum(n for (key, code), n in result.refused.items() if code in no_credits)
    assert short_refused == short_attempts - left_for_the_load, result.refused
    assert all(key == SHORT_KEY for key, code in result.refused if code in no_credits)
    # Any other refusal may only be the rate limit's (honest, counted as not accepted).
    assert all(code in no_credits | rate_limited for _, code in result.refused), result.refused
    assert len(result.accepted) + result.refused.total() == CREATES
    accepted = {task.task_id for task in result.tasks}
    assert run.held == accepted, (
        f"the mock holds {len(run.held - accepted)} tasks nobody was told of "
        f"and lacks {len(accepted - run.held)}"
    )

    counts = reconcile(result.tasks, run.log, run.sink.delivered, run.polled)

    down_tasks = [task for task in result.tasks if task.down]
    assert counts["recorded_failed"] == len(down_tasks) * len(STAGES), (
        "only callbacks to /down may end up recorded failed"
    )
    down_attempts = counts["recorded_failed"] * (CALLBACK_RETRIES + 1)
    assert run.sink.refused > down_attempts, (
        "no flaky 500 outside /down: the retry path went untested"
    )
    for task in result.tasks:
        if task.vendor == "kie":  # KIE marks a task whose final callback failed CALLBACK_EXCEPTION
            status = (run.final if task.down else run.polled)[task.task_id]["status"]
            assert status == ("CALLBACK_EXCEPTION" if task.down else "SUCCESS"), task
    seconds = time.monotonic() - started
    print(
        f"\n{CREATES} creates at concurrency {CONCURRENCY} in {seconds:.1f} s: "
        f"{len(result.accepted)} accepted, {result.refused.total()} refused (no credits left); "
        f"{len(result.tasks)} tasks x {len(STAGES)} stages = {counts['delivered']} delivered + "
        f"{counts['recorded_failed']} recorded failed; receiver answered 500 {run.sink.refused}x; "
        + ", ".join(f"{phase} at {at:.1f} s" for phase, at in run.seconds.items())
    )


@pytest.mark.timeout(60)
def test_reconciliation_catches_a_dropped_callback() -> None:
    """The same load, small, against a mock that loses its 50th callback without a trace."""
    run = load(200, settle_deadline=3.0, drop_delivery=50)
    assert run.result.unexpected == []
    with pytest.raises(AssertionError, match=r"1 \(task, stage\) pairs do not reconcile"):
        reconcile(run.result.tasks, run.log, run.sink.delivered, run.polled)


# ---------------------------------------------------------------------------- fairness

HANGING_TASKS, FAST_TASKS, FAST_WITHIN = 100, 150, 5.0  # more hanging tasks than MAX_IN_FLIGHT


def test_a_hanging_receiver_delays_only_its_own_callbacks() -> None:
    """Phase two of the load test: one receiver hangs (20 s an answer), another is fast; every
    callback to the fast one still arrives within 5 s of its task's create."""
    config = {**MOCK_SETTINGS, "stage_seconds": 0, "callback_timeout": 30.0}
    body = request_example(KIE, "generateMusic", "simple")
    with (
        CallbackReceiver() as hanging,
        CallbackReceiver() as fast,
        mock_process(config) as base_url,
        httpx.Client(base_url=base_url, trust_env=False, timeout=30) as api,
    ):
        hanging.answer_slowly(20)
        key = FULL_KEYS[0]
        for _ in range(HANGING_TASKS):
            api.post(
                "/api/v1/generate", json={**body, "callBackUrl": hanging.url()}, headers=bearer(key)
            ).raise_for_status()
        created: dict[str, float] = {}
        for _ in range(FAST_TASKS):
            answer = api.post(
                "/api/v1/generate", json={**body, "callBackUrl": fast.url()}, headers=bearer(key)
            )
            created[answer.json()["data"]["taskId"]] = time.time()
        fast.wait_for(3 * FAST_TASKS, timeout=FAST_WITHIN + 5)
        late = [
            (r.json()["data"]["task_id"], round(r.at - created[r.json()["data"]["task_id"]], 2))
            for r in fast.received
            if r.at - created[r.json()["data"]["task_id"]] > FAST_WITHIN
        ]
    assert not late, f"{len(late)} fast callbacks later than {FAST_WITHIN} s: {late[:5]}"
    print(
        f"\n{HANGING_TASKS} tasks calling a hanging receiver, {FAST_TASKS} a fast one: all "
        f"{3 * FAST_TASKS} fast callbacks within {FAST_WITHIN} s of their create"
    )
