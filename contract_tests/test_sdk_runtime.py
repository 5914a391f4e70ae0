"""The SDK facade's retries, waiting, typed errors and webhook verification, over
`httpx.MockTransport` (answers scripted per test, every request counted).

Expected values come from the bundled specs (generated/openapi/*.json): the error table, the
lifecycle, the signature scheme and the documented examples; the SDK under test reads the copy
it carries, the tests read the bundle. The end-to-end flow against `segue mock` is
test_sdk_standalone.py.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import kie_client
import pytest
import udio_client
from segue.paths import GENERATED_DIR

KIE = json.loads((GENERATED_DIR / "openapi" / "kie.json").read_text(encoding="utf-8"))
UDIO = json.loads((GENERATED_DIR / "openapi" / "udio.json").read_text(encoding="utf-8"))
CALLBACK = "https://example.com/cb"
SIMPLE = dict(
    custom_mode=False, instrumental=True, model="V4", prompt="calm", call_back_url=CALLBACK
)


def example(spec: dict[str, Any], name: str) -> Any:
    return copy.deepcopy(spec["components"]["examples"][name]["value"])


Answer = tuple[int, Any, dict[str, str]]


class Script:
    """Answers requests in order (the last one repeats) and records when each arrived."""

    def __init__(self, *answers: Answer | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[float, httpx.Request]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((time.monotonic(), request))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        status, body, headers = answer
        return httpx.Response(status, json=body, headers=headers)

    async def async_call(self, request: httpx.Request) -> httpx.Response:
        return self(request)


def kie_with(script: Script, **options: Any) -> kie_client.Kie:
    http = httpx.Client(transport=httpx.MockTransport(script), base_url="http://kie.test")
    return kie_client.Kie(api_key="k", base_url="http://kie.test", http_client=http, **options)


def udio_with(script: Script, **options: Any) -> udio_client.Udio:
    http = httpx.Client(transport=httpx.MockTransport(script), base_url="http://udio.test/api")
    return udio_client.Udio(
        api_key="k", base_url="http://udio.test/api", http_client=http, **options
    )


def envelope(code: int, message: str = "spec message") -> dict[str, Any]:
    return {"code": code, "msg": message, "data": None}


NO_WAIT = {"Retry-After": "0"}
CREATED: Answer = (200, example(KIE, "TaskCreated"), {})
PENDING: Answer = (200, example(KIE, "TaskDetailsPending"), {})
GENERATED: Answer = (200, example(KIE, "TaskDetailsGenerated"), {})

# --------------------------------------------------------------------------- typed errors

KIE_CODES = sorted(KIE["x-segue-errors"]["codes"].items())
UDIO_CODES = sorted(UDIO["x-segue-errors"]["codes"].items())


@pytest.mark.parametrize(("code", "entry"), KIE_CODES, ids=[c for c, _ in KIE_CODES])
def test_kie_envelope_codes_in_a_200_raise_the_error_the_spec_names(code: str, entry: Any) -> None:
    script = Script((200, envelope(int(code)), {}))
    with pytest.raises(kie_client.KieError) as raised:
        kie_with(script, max_retries=0).generate_music(**SIMPLE)
    error = raised.value
    assert type(error).__name__ == entry["error"]
    assert (error.code, error.message, error.http_status) == (int(code), "spec message", 200)
    assert json.loads(error.body) == envelope(int(code))


@pytest.mark.parametrize(("code", "entry"), KIE_CODES, ids=[c for c, _ in KIE_CODES])
def test_kie_codes_as_http_status_raise_the_same_error(code: str, entry: Any) -> None:
    script = Script((int(code), envelope(int(code)), {}))
    with pytest.raises(kie_client.KieError) as raised:
        kie_with(script, max_retries=0).generate_music(**SIMPLE)
    assert type(raised.value).__name__ == entry["error"]
    assert raised.value.http_status == int(code)


@pytest.mark.parametrize(("code", "entry"), UDIO_CODES, ids=[c for c, _ in UDIO_CODES])
def test_udio_http_status_codes_raise_the_error_the_spec_names(code: str, entry: Any) -> None:
    script = Script((int(code), {"code": int(code), "message": "spec message"}, {}))
    with pytest.raises(udio_client.UdioError) as raised:
        udio_with(script, max_retries=0).generate_song(gpt_description_prompt="x")
    assert type(raised.value).__name__ == entry["error"]
    assert (raised.value.code, raised.value.message) == (int(code), "spec message")


def test_rate_limited_carries_retry_after_seconds_or_http_date() -> None:
    script = Script((200, envelope(429), {"Retry-After": "12"}))
    with pytest.raises(kie_client.RateLimited) as raised:
        kie_with(script, max_retries=0).generate_music(**SIMPLE)
    assert raised.value.retry_after == 12
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    script = Script((429, {"code": 429, "message": "slow down"}, {"Retry-After": date}))
    with pytest.raises(udio_client.RateLimited) as raised_udio:
        udio_with(script, max_retries=0).generate_song(gpt_description_prompt="x")
    assert raised_udio.value.retry_after is not None and 25 < raised_udio.value.retry_after <= 30


# --------------------------------------------------------------------------- retries


def _create_retried(code: str, entry: Any) -> bool:
    return bool(entry.get("transient")) and entry.get("task-created") is False


@pytest.mark.parametrize(("code", "entry"), KIE_CODES, ids=[c for c, _ in KIE_CODES])
def test_a_create_is_retried_only_when_the_spec_proves_no_task_was_made(
    code: str, entry: Any
) -> None:
    script = Script((200, envelope(int(code)), NO_WAIT), CREATED)
    kie = kie_with(script, max_retries=3)
    if _create_retried(code, entry):
        assert kie.generate_music(**SIMPLE).id == example(KIE, "TaskCreated")["data"]["taskId"]
        assert len(script.requests) == 2
    else:
        with pytest.raises(kie_client.KieError):
            kie.generate_music(**SIMPLE)
        assert len(script.requests) == 1


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")], ids=["connect", "read"]
)
def test_a_create_is_never_retried_after_a_lost_connection_or_timeout(failure: Exception) -> None:
    script = Script(failure, CREATED)
    with pytest.raises(kie_client.ConnectionFailed):
        kie_with(script, max_retries=5).generate_music(**SIMPLE)
    assert len(script.requests) == 1


def test_a_poll_is_retried_on_transient_codes_and_lost_connections() -> None:
    transient = [int(c) for c, e in KIE_CODES if e.get("transient")]
    answers: list[Answer | Exception] = [(200, envelope(c), NO_WAIT) for c in transient]
    script = Script(*answers, httpx.ConnectError("refused"), GENERATED)
    answer = kie_with(script, max_retries=len(transient) + 1).get_music_task_details(task_id="t")
    assert answer.data.status == example(KIE, "TaskDetailsGenerated")["data"]["status"]
    assert len(script.requests) == len(transient) + 2


def test_a_poll_is_not_retried_on_a_code_the_spec_does_not_mark_transient() -> None:
    final = [int(c) for c, e in KIE_CODES if not e.get("transient")]
    script = Script((200, envelope(final[0]), NO_WAIT), GENERATED)
    with pytest.raises(kie_client.KieError):
        kie_with(script, max_retries=3).get_music_task_details(task_id="t")
    assert len(script.requests) == 1


def test_max_retries_per_client_and_per_call() -> None:
    rate_limited = (200, envelope(429), NO_WAIT)
    script = Script(rate_limited)
    kie = kie_with(script, max_retries=0)
    with pytest.raises(kie_client.RateLimited):
        kie.generate_music(**SIMPLE)
    assert len(script.requests) == 1
    with pytest.raises(kie_client.RateLimited):
        kie.generate_music(**SIMPLE, max_retries=2)
    assert len(script.requests) == 1 + 3


def test_retries_wait_the_retry_after_the_vendor_asked_for() -> None:
    script = Script((200, envelope(429), {"Retry-After": "0.3"}), CREATED)
    kie_with(script).generate_music(**SIMPLE)
    (first, _), (second, _) = script.requests
    assert second - first >= 0.3


# --------------------------------------------------------------------------- preflight


def test_an_invalid_request_raises_before_anything_is_sent() -> None:
    script = Script(CREATED)
    with pytest.raises(kie_client.InvalidRequest) as raised:
        kie_with(script).generate_music(
            custom_mode=True,
            instrumental=True,
            model="V4",
            style="s",
            title="t" * 10_000,
            call_back_url=CALLBACK,
            negative_tags=123,  # type: ignore[arg-type]
        )
    assert script.requests == []
    assert raised.value.field in ("title", "negativeTags")
    assert len(raised.value.problems) == 2


# --------------------------------------------------------------------------- waiting


def test_wait_polls_within_the_documented_limit_and_returns_at_the_stage() -> None:
    lifecycle = KIE["x-segue-lifecycle"]
    stages = [PENDING]
    for status in lifecycle["stages"][1:]:
        answer = example(KIE, "TaskDetailsGenerated")
        answer["data"]["status"] = status
        stages.append((200, answer, {}))
    script = Script(CREATED, *stages)
    kie = kie_with(script)
    updates: list[Any] = []
    task = kie.generate_music(**SIMPLE)
    done = task.wait(
        timeout=30, until=lifecycle["stages"][2], poll_interval=0, on_update=updates.append
    )
    assert done.status == lifecycle["stages"][2]
    assert [u.status for u in updates] == lifecycle["stages"][:3]
    polls = [at for at, request in script.requests if request.method == "GET"]
    gaps = [b - a for a, b in itertools.pairwise(polls)]
    assert gaps and min(gaps) >= 1 / lifecycle["max-polls-per-second"] - 0.01


def test_wait_raises_task_failed_with_the_vendors_code_and_message() -> None:
    failed = example(KIE, "TaskDetailsFailed")
    script = Script(CREATED, (200, failed, {}))
    with pytest.raises(kie_client.TaskFailed) as raised:
        kie_with(script).generate_music(**SIMPLE).wait(timeout=10)
    assert raised.value.status == failed["data"]["status"]
    assert raised.value.error_code == failed["data"]["errorCode"]
    assert raised.value.error_message == failed["data"]["errorMessage"]


def test_wait_never_waits_past_its_deadline() -> None:
    script = Script(CREATED, PENDING)
    task = kie_with(script).generate_music(**SIMPLE)
    started = time.monotonic()
    with pytest.raises(kie_client.WaitTimeout) as raised:
        task.wait(timeout=1.5, poll_interval=1.0)  # the second sleep is cut to 0.5 s
    elapsed = time.monotonic() - started
    assert 1.5 <= elapsed < 1.75
    assert raised.value.last_answer.status == "PENDING"


def test_wait_gives_up_at_once_when_retry_after_lies_beyond_the_deadline() -> None:
    script = Script(CREATED, (200, envelope(429), {"Retry-After": "60"}))
    task = kie_with(script).generate_music(**SIMPLE)
    started = time.monotonic()
    with pytest.raises(kie_client.WaitTimeout):
        task.wait(timeout=5)
    assert time.monotonic() - started < 1


def test_wait_retries_polls_honouring_retry_after() -> None:
    script = Script(
        CREATED, (200, envelope(455), {"Retry-After": "0.2"}), (503, {}, NO_WAIT), GENERATED
    )
    done = kie_with(script, max_retries=0).generate_music(**SIMPLE).wait(timeout=10)
    assert done.status == "SUCCESS"


def test_unknown_stage_is_refused_naming_the_documented_ones() -> None:
    task = kie_with(Script(CREATED)).generate_music(**SIMPLE)
    with pytest.raises(ValueError, match=KIE["x-segue-lifecycle"]["stages"][0]):
        task.wait(until="DONE")


def _udio_feed(name: str) -> Answer:
    return (200, example(UDIO, name), {})


def test_udio_completion_and_failure_follow_the_lifecycle_extension() -> None:
    lifecycle = UDIO["x-segue-lifecycle"]
    created = (200, example(UDIO, "GenerateWorkCreated"), {})
    # Every clip at `first` with the success message counts as complete (U-4).
    first_but_done = example(UDIO, "FeedTextStage")
    for clip in first_but_done["data"]["response_data"]:
        clip["status"] = lifecycle["stages"][1]
        clip[lifecycle["success-message"]["field"]] = lifecycle["success-message"]["value"]
    script = Script(created, _udio_feed("FeedTextStage"), (200, first_but_done, {}))
    udio_with(script).generate_song(gpt_description_prompt="x").wait(timeout=10, poll_interval=0)
    assert len(script.requests) == 3
    # One clip complete and one still at `text`: not done yet.
    mixed = example(UDIO, "FeedComplete")
    mixed["data"]["response_data"][1]["status"] = lifecycle["stages"][0]
    mixed["data"]["response_data"][1][lifecycle["success-message"]["field"]] = ""
    script = Script(created, (200, mixed, {}), _udio_feed("FeedComplete"))
    udio_with(script).generate_song(gpt_description_prompt="x").wait(timeout=10, poll_interval=0)
    assert len(script.requests) == 3
    script = Script(created, _udio_feed("FeedFailed"))
    with pytest.raises(udio_client.TaskFailed) as raised:
        udio_with(script).generate_song(gpt_description_prompt="x").wait(timeout=10)
    failed_clip = example(UDIO, "FeedFailed")["data"]["response_data"][0]
    assert raised.value.error_message == failed_clip["fail_message"]


def test_async_client_waits_retries_and_raises_like_the_sync_one() -> None:
    async def flow() -> None:
        script = Script(CREATED, (200, envelope(500), NO_WAIT), PENDING, GENERATED)
        http = httpx.AsyncClient(
            transport=httpx.MockTransport(script.async_call), base_url="http://kie.test"
        )
        async with kie_client.AsyncKie(api_key="k", http_client=http) as kie:
            task = await kie.generate_music(**SIMPLE)
            done = await task.wait(timeout=10, poll_interval=0)
            assert done.status == "SUCCESS"
            assert (await task.refresh()).taskId == done.taskId
            with pytest.raises(kie_client.InvalidRequest):
                await kie.generate_music(**{**SIMPLE, "prompt": "p" * 10_000})
        assert len(script.requests) == 5  # create, 500, pending, success, refresh

    asyncio.run(flow())


# --------------------------------------------------------------------------- webhooks

SIGNATURE = KIE["x-segue-signature"]
HMAC_KEY = "whsec"


def _signed(body: bytes, timestamp: int, key: str = HMAC_KEY) -> dict[str, str]:
    """Signed as docs.kie.ai says: base64 HMAC-SHA256 of `taskId.timestamp` (vendor-facts K10)."""
    task_id = json.loads(body)["data"]["task_id"]
    mac = hmac.new(key.encode(), f"{task_id}.{timestamp}".encode(), hashlib.sha256).digest()
    return {
        SIGNATURE["timestamp-header"]: str(timestamp),
        SIGNATURE["signature-header"]: base64.b64encode(mac).decode(),
    }


def _callback_body() -> bytes:
    examples = KIE["components"]["examples"]
    name = next(
        n
        for n in examples
        if n.startswith("Callback")
        and "task_id" in json.dumps(examples[n].get("value", {}).get("data", {}))
    )
    return json.dumps(examples[name]["value"]).encode()


def test_verify_accepts_a_signed_callback_within_the_tolerance_either_way() -> None:
    body, now = _callback_body(), 1_800_000_000
    tolerance = SIGNATURE["tolerance-seconds"]
    for timestamp in (now - tolerance, now, now + tolerance):
        stage = kie_client.webhooks.verify(body, _signed(body, timestamp), key=HMAC_KEY, now=now)
        assert stage.data.task_id == json.loads(body)["data"]["task_id"]


@pytest.mark.parametrize(
    "broken",
    [
        lambda body, now, tol: _signed(body, now, key="wrong"),
        lambda body, now, tol: _signed(body, now - tol - 1),
        lambda body, now, tol: _signed(body, now + tol + 1),
        lambda body, now, tol: {SIGNATURE["timestamp-header"]: str(now)},
        lambda body, now, tol: {
            SIGNATURE["signature-header"]: _signed(body, now)[SIGNATURE["signature-header"]]
        },
        lambda body, now, tol: {**_signed(body, now), SIGNATURE["timestamp-header"]: f"{now}.5"},
        lambda body, now, tol: {},
    ],
    ids=["wrong-key", "stale", "future", "no-signature", "no-timestamp", "float-time", "none"],
)
def test_verify_fails_closed(broken: Callable[[bytes, int, int], dict[str, str]]) -> None:
    body, now = _callback_body(), 1_800_000_000
    headers = broken(body, now, SIGNATURE["tolerance-seconds"])
    with pytest.raises(kie_client.InvalidSignature):
        kie_client.webhooks.verify(body, headers, key=HMAC_KEY, now=now)


def test_verify_checks_the_bodys_own_task_id() -> None:
    body, now = _callback_body(), 1_800_000_000
    headers = _signed(body, now)
    other = json.loads(body)
    other["data"]["task_id"] = "another-task"
    with pytest.raises(kie_client.InvalidSignature):
        kie_client.webhooks.verify(json.dumps(other), headers, key=HMAC_KEY, now=now)


def test_the_replay_guard_reports_the_same_task_stage_and_timestamp_twice() -> None:
    body, now = _callback_body(), 1_800_000_000
    guard = kie_client.webhooks.ReplayGuard()
    kie_client.webhooks.verify(body, _signed(body, now), key=HMAC_KEY, now=now, replay_guard=guard)
    with pytest.raises(kie_client.ReplayedCallback):
        kie_client.webhooks.verify(
            body, _signed(body, now), key=HMAC_KEY, now=now, replay_guard=guard
        )
    later = _signed(body, now + 1)
    kie_client.webhooks.verify(body, later, key=HMAC_KEY, now=now, replay_guard=guard)


def test_sign_gives_the_headers_the_vendor_would_send() -> None:
    body, now = _callback_body(), 1_800_000_000
    assert kie_client.webhooks.sign(body, HMAC_KEY, now) == _signed(body, now)


def test_udio_parse_types_the_bare_array_and_rejects_anything_else() -> None:
    body = json.dumps(example(UDIO, "CallbackCompleteStage")).encode()
    clips = udio_client.webhooks.parse(body)
    assert [c.id for c in clips.root] == [c["id"] for c in json.loads(body)]
    with pytest.raises(udio_client.InvalidCallback):
        udio_client.webhooks.parse(b"{}")
    assert not hasattr(udio_client.webhooks, "verify")  # x-segue-signature: none
