"""The SDKs' whole flow, run in a virtualenv holding only the built SDK distributions (no segue).

    python flow.py MOCK_BASE_URL API_KEY WEBHOOK_HMAC_KEY

MOCK_BASE_URL is a running `segue mock --webhook-hmac-key WEBHOOK_HMAC_KEY` (its control API
under /_segue/ sets credits, faults and failures). Each check prints `ok: <what>`; the first
broken one raises (exit status 1). contract_tests/test_sdk_standalone.py runs this.

Expected values come from the spec the SDK carries (`<vendor>_client.sdk.BUNDLE`) or from what
the script itself asked the mock to do, never from the SDK's code.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import kie_client
import udio_client

MOCK, KEY, HMAC_KEY = sys.argv[1], sys.argv[2], sys.argv[3]
CONTROL = httpx.Client(base_url=MOCK, timeout=30)
TOO_LONG = "x" * 20_000  # longer than any limit either spec documents


def ok(what: str) -> None:
    print(f"ok: {what}", flush=True)


def expect(error_type: type[BaseException], call: Any) -> Any:
    try:
        result = call()
    except error_type as error:
        return error
    raise AssertionError(f"expected {error_type.__name__}, got {result!r}")


async def expect_async(error_type: type[BaseException], call: Any) -> Any:
    try:
        result = await call()
    except error_type as error:
        return error
    raise AssertionError(f"expected {error_type.__name__}, got {result!r}")


def control(method: str, path: str, body: Any = None) -> Any:
    answer = CONTROL.request(method, f"/_segue/{path}", json=body)
    assert answer.status_code < 300, (path, answer.status_code, answer.text)
    return answer.json()


def task_count() -> int:
    return len(control("GET", "tasks"))


class Receiver:
    """Records every callback (path, headers, raw body) on 127.0.0.1."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append((self.path, dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "received"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self, path: str) -> list[tuple[dict[str, str], bytes]]:
        return [(headers, body) for p, headers, body in self.received if p == path]


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def one_task_key(name: str) -> str:
    """A new API key of the mock holding the credits of one task."""
    settings = control("GET", "settings")
    control("POST", "keys", {"key": name, "credits": settings["credits_per_task"]})
    return name


def kie_requests(callback: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid simple-mode generate request, and one whose title is over every limit."""
    simple = dict(
        custom_mode=False, instrumental=True, model="V4", prompt="p", call_back_url=callback
    )
    invalid_title = dict(
        custom_mode=True, instrumental=True, model="V4", style="s", title=TOO_LONG,
        call_back_url=callback,
    )  # fmt: skip
    return simple, invalid_title


def kie_failure_code() -> int:
    """A documented task error code (TaskErrorCode in the carried spec)."""
    schema = kie_client.sdk.BUNDLE["components"]["schemas"]["TaskErrorCode"]
    return next(code for code in schema["enum"] if isinstance(code, int))


# --------------------------------------------------------------------------- isolation


def check_no_segue() -> None:
    assert importlib.util.find_spec("segue") is None, "segue is importable here"
    try:
        import segue  # noqa: F401
    except ImportError:
        ok("import segue fails: only the SDK distributions are installed")
    else:
        raise AssertionError("import segue worked")


# --------------------------------------------------------------------------- KIE


def kie_flow(receiver: Receiver) -> None:
    kie = kie_client.Kie(api_key=KEY, base_url=MOCK)
    callback = f"{receiver.url}/kie"
    task = kie.generate_music(
        custom_mode=False,
        instrumental=True,
        model="V4",
        prompt="calm piano",
        call_back_url=callback,
    )
    done = task.wait(timeout=60)
    clip = done.model_dump(mode="json", by_alias=True)["response"]["sunoData"][0]["id"]
    updates: list[Any] = []
    ext = kie.extend_music(
        default_param_flag=False, audio_id=clip, model="V4", call_back_url=callback
    )
    reached = ext.wait(until="FIRST_SUCCESS", on_update=updates.append)
    statuses = [u.status for u in updates]
    stages = kie_client.sdk.FACTS.lifecycle.stages
    assert reached.status in stages[stages.index("FIRST_SUCCESS") :], statuses
    assert statuses == sorted(set(statuses), key=stages.index), statuses
    ok(f"kie sync: generate -> wait -> extend -> wait(until=FIRST_SUCCESS) {statuses}")
    kie_webhooks(receiver, task.id, "/kie", "kie webhooks")
    kie_errors(kie, callback)


def kie_webhooks(receiver: Receiver, task_id: str, path: str, label: str) -> None:
    """The signed callbacks of `task_id` (sent to `path`) verify; a wrong key, a stale
    timestamp, missing headers and a replay are reported (`verify` serves sync and async code)."""
    control("GET", f"callbacks?task_id={task_id}&wait=10")
    deliveries = receiver.bodies(path)
    mine = [(h, b) for h, b in deliveries if json.loads(b)["data"]["task_id"] == task_id]
    assert mine, f"no callback for {task_id} among {len(deliveries)}"
    stages = []
    for headers, body in mine:
        stage = kie_client.webhooks.verify(body, headers, key=HMAC_KEY)
        assert type(stage).__name__ in ("MusicCallback", "UploadExtendCallback"), type(stage)
        stages.append(str(stage.data.callbackType))
    ok(f"{label}: {len(mine)} signed callbacks verify ({', '.join(stages)})")
    headers, body = mine[0]
    signature = kie_client.sdk.FACTS.signature
    assert signature is not None
    timestamp = int(headers[signature.timestamp_header])
    expect(kie_client.InvalidSignature, lambda: kie_client.webhooks.verify(body, headers, key="x"))
    ok(f"{label}: a wrong key is rejected")
    stale = timestamp + signature.tolerance_seconds + 1
    expect(
        kie_client.InvalidSignature,
        lambda: kie_client.webhooks.verify(body, headers, key=HMAC_KEY, now=stale),
    )
    ok(f"{label}: a stale timestamp is rejected")
    for dropped in (signature.signature_header, signature.timestamp_header):
        partial = {k: v for k, v in headers.items() if k.lower() != dropped.lower()}
        expect(
            kie_client.InvalidSignature,
            lambda partial=partial: kie_client.webhooks.verify(body, partial, key=HMAC_KEY),
        )
    ok(f"{label}: missing signature headers are rejected")
    guard = kie_client.webhooks.ReplayGuard()
    kie_client.webhooks.verify(body, headers, key=HMAC_KEY, replay_guard=guard)
    expect(
        kie_client.ReplayedCallback,
        lambda: kie_client.webhooks.verify(body, headers, key=HMAC_KEY, replay_guard=guard),
    )
    ok(f"{label}: the replay guard reports the same task, stage and timestamp twice")


def kie_errors(kie: kie_client.Kie, callback: str) -> None:
    simple, invalid_title = kie_requests(callback)
    before = task_count()
    invalid = expect(kie_client.InvalidRequest, lambda: kie.generate_music(**invalid_title))
    assert invalid.field == "title" and invalid.problems, (invalid.field, invalid.problems)
    assert task_count() == before
    nowhere = kie_client.Kie(api_key=KEY, base_url=closed_port_url())
    expect(kie_client.InvalidRequest, lambda: nowhere.generate_music(**invalid_title))
    expect(kie_client.ConnectionFailed, lambda: nowhere.generate_music(**simple))
    ok(f"kie: invalid title -> InvalidRequest ({invalid}), nothing sent, also with no server")

    poor = kie_client.Kie(api_key=one_task_key("kie-poor"), base_url=MOCK)
    poor.generate_music(**simple)
    credits = expect(kie_client.InsufficientCredits, lambda: poor.generate_music(**simple))
    assert credits.code == 402, credits.code
    ok(f"kie: second create with credits for one -> InsufficientCredits ({credits})")

    control("POST", "faults", {"status": 429, "retry_after": 7, "vendor": "kie"})
    limited = expect(kie_client.RateLimited, lambda: kie.generate_music(**simple, max_retries=0))
    assert limited.retry_after == 7, limited.retry_after
    ok(f"kie: 429 with max_retries=0 -> RateLimited, retry_after={limited.retry_after:g}")
    control("POST", "faults", {"status": 429, "retry_after": 1, "vendor": "kie"})
    before = task_count()
    kie.generate_music(**simple, max_retries=1)
    assert task_count() == before + 1
    ok("kie: a 429 create (no task made, per the spec) is retried after Retry-After: one task")
    control("POST", "faults", {"status": 500, "vendor": "kie"})
    before = task_count()
    expect(kie_client.ServerError, lambda: kie.generate_music(**simple, max_retries=3))
    assert task_count() == before
    ok("kie: a 500 create (the task may exist) is not retried")

    task = kie.generate_music(**simple)
    code = kie_failure_code()
    control(
        "POST",
        f"tasks/{task.id}/fail",
        {"status": "GENERATE_AUDIO_FAILED", "code": code, "message": "boom (kie)"},
    )
    failed = expect(kie_client.TaskFailed, lambda: task.wait(timeout=30))
    assert failed.status == "GENERATE_AUDIO_FAILED", failed.status
    assert failed.error_code == code and failed.error_message == "boom (kie)", vars(failed)
    ok(f"kie: control-API fail -> TaskFailed ({failed.status}, {failed.error_code})")
    control("DELETE", "faults")


async def kie_async_flow(receiver: Receiver) -> None:
    async with kie_client.AsyncKie(api_key=KEY, base_url=MOCK) as kie:
        callback = f"{receiver.url}/kie-async"
        simple, invalid_title = kie_requests(callback)
        task = await kie.generate_music(
            custom_mode=False, instrumental=True, model="V4", prompt="calm", call_back_url=callback
        )
        done = await task.wait(timeout=60)
        clip = done.response.sunoData[0].id
        ext = await kie.extend_music(
            default_param_flag=False, audio_id=clip, model="V4", call_back_url=callback
        )
        await ext.wait(until="FIRST_SUCCESS")
        ok("kie async: generate -> wait -> extend -> wait")
        kie_webhooks(receiver, task.id, "/kie-async", "kie async webhooks")

        before = task_count()
        invalid = await expect_async(
            kie_client.InvalidRequest, lambda: kie.generate_music(**invalid_title)
        )
        assert invalid.field == "title" and invalid.problems, (invalid.field, invalid.problems)
        assert task_count() == before
        async with kie_client.AsyncKie(api_key=KEY, base_url=closed_port_url()) as nowhere:
            await expect_async(
                kie_client.InvalidRequest, lambda: nowhere.generate_music(**invalid_title)
            )
            await expect_async(
                kie_client.ConnectionFailed, lambda: nowhere.generate_music(**simple)
            )
        ok("kie async: invalid title -> InvalidRequest, nothing sent, also with no server")

        async with kie_client.AsyncKie(
            api_key=one_task_key("kie-poor-async"), base_url=MOCK
        ) as poor:
            await poor.generate_music(**simple)
            credits = await expect_async(
                kie_client.InsufficientCredits, lambda: poor.generate_music(**simple)
            )
        assert credits.code == 402, credits.code
        ok(f"kie async: second create with credits for one -> InsufficientCredits ({credits})")

        control("POST", "faults", {"status": 429, "retry_after": 3, "vendor": "kie"})
        limited = await expect_async(
            kie_client.RateLimited, lambda: kie.generate_music(**simple, max_retries=0)
        )
        assert limited.retry_after == 3
        ok(f"kie async: 429 with max_retries=0 -> RateLimited, retry_after={limited.retry_after:g}")
        task = await kie.generate_music(**simple)
        control("POST", f"tasks/{task.id}/fail", {"code": kie_failure_code(), "message": "m"})
        failed = await expect_async(kie_client.TaskFailed, lambda: task.wait(timeout=30))
        assert failed.error_message == "m"
        ok("kie async: control-API fail -> TaskFailed")
        control("DELETE", "faults")


# --------------------------------------------------------------------------- Udio


def udio_flow(receiver: Receiver) -> None:
    base = f"{MOCK}/api"
    udio = udio_client.Udio(api_key=KEY, base_url=base)
    callback = f"{receiver.url}/udio"
    work = udio.generate_song(gpt_description_prompt="a summer pop song", callback_url=callback)
    done = work.wait(timeout=60)
    assert all(c.status == "complete" for c in done.response_data)
    ext = udio.extend_song(origin_task_id=work.id, extend_audio_index=0, callback_url=callback)
    ext.wait(timeout=60)
    ok("udio sync: generate -> wait -> extend -> wait")

    udio_webhooks(receiver, work.id, "/udio", "udio webhooks")

    before = task_count()
    invalid = expect(
        udio_client.InvalidRequest,
        lambda: udio.generate_song(prompt="la la", title=TOO_LONG, callback_url=callback),
    )
    assert invalid.field == "title", invalid
    assert task_count() == before
    nowhere = udio_client.Udio(api_key=KEY, base_url=closed_port_url())
    expect(
        udio_client.InvalidRequest,
        lambda: nowhere.generate_song(prompt="la la", title=TOO_LONG, callback_url=callback),
    )
    ok(f"udio: invalid title -> InvalidRequest ({invalid}), nothing sent, also with no server")

    poor = udio_client.Udio(api_key=one_task_key("udio-poor"), base_url=base)
    poor.generate_song(gpt_description_prompt="one", callback_url=callback)
    credits = expect(
        udio_client.InsufficientCredits,
        lambda: poor.generate_song(gpt_description_prompt="two", callback_url=callback),
    )
    assert credits.http_status == 402
    ok(f"udio: second create with credits for one -> InsufficientCredits ({credits})")

    control("POST", "faults", {"status": 429, "retry_after": 5, "vendor": "udio"})
    limited = expect(
        udio_client.RateLimited,
        lambda: udio.generate_song(
            gpt_description_prompt="x", callback_url=callback, max_retries=0
        ),
    )
    assert limited.retry_after == 5
    ok(f"udio: 429 with max_retries=0 -> RateLimited, retry_after={limited.retry_after:g}")

    work = udio.generate_song(gpt_description_prompt="doomed", callback_url=callback)
    control("POST", f"tasks/{work.id}/fail", {"message": "moderated (udio)"})
    failed = expect(udio_client.TaskFailed, lambda: work.wait(timeout=30))
    assert failed.error_message == "moderated (udio)", vars(failed)
    ok(f"udio: control-API fail -> TaskFailed ({failed.error_message})")
    control("DELETE", "faults")


def udio_webhooks(receiver: Receiver, work_id: str, path: str, label: str) -> None:
    """The callbacks sent to `path` parse into the typed clip array; a wrong body is reported."""
    control("GET", f"callbacks?task_id={work_id}&wait=10")
    bodies = receiver.bodies(path)
    assert bodies, f"no callback at {path}"
    for _, body in bodies:
        clips = udio_client.webhooks.parse(body)
        assert clips.root and clips.root[0].id is not None
    expect(udio_client.InvalidCallback, lambda: udio_client.webhooks.parse(b'{"not": "a list"}'))
    ok(f"{label}: {len(bodies)} callbacks parse; a wrong body -> InvalidCallback")


async def udio_async_flow(receiver: Receiver) -> None:
    async with udio_client.AsyncUdio(api_key=KEY, base_url=f"{MOCK}/api") as udio:
        callback = f"{receiver.url}/udio-async"
        work = await udio.generate_song(gpt_description_prompt="async pop", callback_url=callback)
        await work.wait(timeout=60)
        ext = await udio.extend_song(
            origin_task_id=work.id, extend_audio_index=0, callback_url=callback
        )
        await ext.wait(timeout=60)
        ok("udio async: generate -> wait -> extend -> wait")
        udio_webhooks(receiver, work.id, "/udio-async", "udio async webhooks")

        before = task_count()
        invalid = await expect_async(
            udio_client.InvalidRequest,
            lambda: udio.generate_song(prompt="la la", title=TOO_LONG, callback_url=callback),
        )
        assert invalid.field == "title", invalid
        assert task_count() == before
        async with udio_client.AsyncUdio(api_key=KEY, base_url=closed_port_url()) as nowhere:
            await expect_async(
                udio_client.InvalidRequest,
                lambda: nowhere.generate_song(prompt="la", title=TOO_LONG, callback_url=callback),
            )
        ok("udio async: invalid title -> InvalidRequest, nothing sent, also with no server")

        async with udio_client.AsyncUdio(
            api_key=one_task_key("udio-poor-async"), base_url=f"{MOCK}/api"
        ) as poor:
            await poor.generate_song(gpt_description_prompt="one", callback_url=callback)
            credits = await expect_async(
                udio_client.InsufficientCredits,
                lambda: poor.generate_song(gpt_description_prompt="two", callback_url=callback),
            )
        assert credits.http_status == 402
        ok(f"udio async: second create with credits for one -> InsufficientCredits ({credits})")

        control("POST", "faults", {"status": 429, "retry_after": 2, "vendor": "udio"})
        limited = await expect_async(
            udio_client.RateLimited,
            lambda: udio.generate_song(
                gpt_description_prompt="x", callback_url=callback, max_retries=0
            ),
        )
        assert limited.retry_after == 2
        ok(f"udio async: 429 with max_retries=0 -> RateLimited ({limited.retry_after:g} s)")
        work = await udio.generate_song(gpt_description_prompt="doomed", callback_url=callback)
        control("POST", f"tasks/{work.id}/fail", {"message": "gone"})
        failed = await expect_async(udio_client.TaskFailed, lambda: work.wait(timeout=30))
        assert failed.error_message == "gone"
        ok("udio async: control-API fail -> TaskFailed")
        control("DELETE", "faults")


def main() -> None:
    started = time.monotonic()
    check_no_segue()
    receiver = Receiver()
    kie_flow(receiver)
    udio_flow(receiver)
    asyncio.run(kie_async_flow(receiver))
    asyncio.run(udio_async_flow(receiver))
    print(f"all checks passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
