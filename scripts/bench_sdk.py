"""Benchmark the SDK facade against the raw generated client: microseconds per call.

    uv run python scripts/bench_sdk.py [--calls N] [--rounds R]

Both clients call the same local `segue mock` (a subprocess on 127.0.0.1, rate limit and credits
off) over HTTP with keep-alive: the raw openapi-python-client call (`sync_detailed` with its
attrs body model) and the facade method (preflight with the full schema, typed errors, pydantic
answer, a `Task`). The two clients' calls alternate one by one; reported is the median over
rounds of each round's median call time. A second table repeats it over `httpx.MockTransport`
(no network, no server), i.e. what the layer itself costs.
Goal: facade overhead <= 10 % on the local mock.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import kie_client
import udio_client
from kie_client.api.generate import generate_music
from kie_client.api.tasks import get_music_task_details
from kie_client.models import GenerateMusicRequest
from segue.mock_process import running_mock
from udio_client.api.feed import get_feed
from udio_client.api.songs import generate_song
from udio_client.models import GenerateSongRequest

KEY = "bench-key"
CALLBACK = "http://127.0.0.1:9/cb"  # never reached: the mock records such callbacks refused
KIE_BODY = {
    "customMode": False,
    "instrumental": True,
    "model": "V4",
    "prompt": "calm piano",
    "callBackUrl": CALLBACK,
}
UDIO_BODY = {"gpt_description_prompt": "a summer pop song", "callback_url": CALLBACK}
GOAL = 10.0


def pairs(
    kie_base: str, udio_base: str, transport: httpx.BaseTransport | None
) -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    """(operation, raw call, facade call) for a create and a poll of each vendor."""

    def http(base: str) -> httpx.Client:
        return httpx.Client(
            base_url=base, transport=transport, headers={"Authorization": f"Bearer {KEY}"}
        )

    raw_kie = kie_client.AuthenticatedClient(base_url=kie_base, token=KEY)
    raw_kie.set_httpx_client(http(kie_base))
    raw_udio = udio_client.AuthenticatedClient(base_url=udio_base, token=KEY)
    raw_udio.set_httpx_client(http(udio_base))
    kie = kie_client.Kie(api_key=KEY, base_url=kie_base, http_client=http(kie_base))
    udio = udio_client.Udio(api_key=KEY, base_url=udio_base, http_client=http(udio_base))
    task = kie.generate_music(
        custom_mode=False,
        instrumental=True,
        model="V4",
        prompt="calm piano",
        call_back_url=CALLBACK,
    )
    work = udio.generate_song(gpt_description_prompt="a summer pop song", callback_url=CALLBACK)
    return [
        (
            "kie generateMusic",
            lambda: generate_music.sync_detailed(
                client=raw_kie, body=GenerateMusicRequest.from_dict(KIE_BODY)
            ),
            lambda: kie.generate_music(
                custom_mode=False,
                instrumental=True,
                model="V4",
                prompt="calm piano",
                call_back_url=CALLBACK,
            ),
        ),
        (
            "kie getMusicTaskDetails",
            lambda: get_music_task_details.sync_detailed(client=raw_kie, task_id=task.id),
            lambda: kie.get_music_task_details(task_id=task.id),
        ),
        (
            "udio generateSong",
            lambda: generate_song.sync_detailed(
                client=raw_udio, body=GenerateSongRequest.from_dict(UDIO_BODY)
            ),
            lambda: udio.generate_song(
                gpt_description_prompt="a summer pop song", callback_url=CALLBACK
            ),
        ),
        (
            "udio getFeed",
            lambda: get_feed.sync_detailed(client=raw_udio, work_id=work.id),
            lambda: udio.get_feed(work_id=work.id),
        ),
    ]


def timed_us(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1e6


def measure(
    rows: list[tuple[str, Callable[[], Any], Callable[[], Any]]], calls: int, rounds: int
) -> list[tuple[str, float, float]]:
    """Per operation: the median of each round's median call time, raw and facade.

    The two clients' calls alternate one by one (which goes first alternates too), so a mock
    that slows down as its task store grows slows both alike.
    """
    results = []
    for name, raw, facade in rows:
        for _ in range(max(5, calls // 10)):  # warm-up: connections, validators, imports
            raw()
            facade()
        raw_medians, facade_medians = [], []
        for _ in range(rounds):
            raw_times, facade_times = [], []
            for index in range(calls):
                if index % 2:
                    facade_times.append(timed_us(facade))
                    raw_times.append(timed_us(raw))
                else:
                    raw_times.append(timed_us(raw))
                    facade_times.append(timed_us(facade))
            raw_medians.append(statistics.median(raw_times))
            facade_medians.append(statistics.median(facade_times))
        results.append((name, statistics.median(raw_medians), statistics.median(facade_medians)))
    return results


def print_table(title: str, results: list[tuple[str, float, float]], goal: bool) -> None:
    print(f"\n{title}\n")
    print(
        "| operation | raw client µs/call | facade µs/call | overhead |"
        + (" ≤ 10 % |" if goal else "")
    )
    print("|---|---:|---:|---:|" + ("---|" if goal else ""))
    for name, raw, facade in results:
        overhead = (facade - raw) / raw * 100
        verdict = (" yes |" if overhead <= GOAL else " **no** |") if goal else ""
        print(f"| {name} | {raw:.0f} | {facade:.0f} | {overhead:+.1f} % |{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per round and client")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    command = f"uv run python scripts/bench_sdk.py --calls {args.calls} --rounds {args.rounds}"
    options = ("--api-key", KEY, "--rate-limit", "0", "--credits", "-1")
    with running_mock(*options) as base:
        over_http = measure(pairs(base, f"{base}/api", None), args.calls, args.rounds)
    offline = measure(
        pairs("http://mock", "http://mock/api", _canned_transport()), args.calls, args.rounds
    )
    print(f"$ {command}")
    print_table("Over HTTP, the same local segue mock (127.0.0.1, keep-alive):", over_http, True)
    print_table(
        "Without network (httpx.MockTransport, canned answers): the layer's own cost",
        offline,
        False,
    )
    return 0


def _canned_transport() -> httpx.MockTransport:
    """The spec's own example answers, per path (what the mock would answer, without it)."""
    examples = {
        "/api/v1/generate": kie_client.sdk.BUNDLE["components"]["examples"]["TaskCreated"],
        "/api/v1/generate/record-info": kie_client.sdk.BUNDLE["components"]["examples"][
            "TaskDetailsGenerated"
        ],
        "/api/v2/generate": udio_client.sdk.BUNDLE["components"]["examples"]["GenerateWorkCreated"],
        "/api/v2/feed": udio_client.sdk.BUNDLE["components"]["examples"]["FeedComplete"],
    }
    return httpx.MockTransport(
        lambda request: httpx.Response(200, json=examples[request.url.path]["value"])
    )


if __name__ == "__main__":
    sys.exit(main())
