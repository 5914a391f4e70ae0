"""Benchmark segue's mock against Prism: validated KIE extend creates per second, p50/p99 latency.

    uv run python scripts/bench_mock.py [--duration 10] [--warmup 3] [--connections 32]
                                        [--stage-seconds 0] [--profile DIR] [--diagnose]
                                        [--sustained 60 [--sustained-only]]

Needs wrk (`apt-get install -y wrk`) and Prism (`npm ci --prefix scripts/bench/node`, which pins
@stoplight/prism-cli 5.16.0). Not a test: the figures depend on the machine.

In one run, one after another, each on 127.0.0.1 and driven by the same wrk command (one thread,
`--connections` connections, a warm-up then `--duration` seconds measured, scripts/bench/extend.lua
POSTing one valid extend body):

1. segue's mock, validating every request body with the spec (what `segue mock` serves);
2. the same mock with request validation off (`MockConfig.validate_requests=False`), to price
   validation;
3. Prism (`prism mock specs/kie.openapi.yaml`), the yardstick.

Callbacks are on for all three, to one fast receiver (scripts/bench/receiver.py, its own
process): the body's callBackUrl points at it. segue's mock runs with unlimited credits, no
rate limit, no backlog bound and no task cap, so every create is served, not answered 402/429
(the sustained table below keeps the bound and the cap); its tasks finish at once
(`--stage-seconds 0`: each create queues its three stage callbacks at once; Prism sends one), and
it sends callbacks from a process of its own, as `segue mock` does.
The extend names the first clip of a KIE generate task made and finished (control API) before
the run, owned by the benchmark's key. A response is an error unless it is HTTP 200 with
`"code":200` in its body (KIE answers errors with HTTP 200).

Targets: segue validated >= 10x Prism's throughput, p99 <= 20 ms, validation costing <= 20 %.
`--profile DIR` records segue's validated run with py-spy (raw samples in DIR, hottest frames
printed) to show where the time goes. `--diagnose` adds three rows: segue validated sending its
callbacks from a thread of the serving process (what in-process tests do), which prices the
sender process; segue validated with no callbacks sent (tasks never advance), which prices the
callbacks; and a no-op ASGI app on uvicorn (the receiver's /floor), the most a Python server does
on this machine at that moment: on a shared machine, read the other rows against it. It also
prints the bound the floor sets: how many callbacks per second 10x Prism would owe, next to how
many requests per second the fastest Python server answers on a whole core.

`--sustained SECONDS` (default 60; 0 = skip) adds the sustained table: creates for that long at
concurrency 64 against segue (validated, its default backlog bound, as `segue mock` serves) and
Prism, in the same run. It prints accepted creates/s (answered `"code":200`; past the bound segue
answers the documented 429), callbacks delivered/s during the run, segue's peak pending-callback
backlog (sampled every 0.25 s through `GET /_segue/health`) against its bound, the peak RSS of
the mock and its sender process together (/proc), the p99 of all answers, and how many owed
callbacks were lost: 3 per accepted create, counted at the receiver once the mock is idle again.
Goals: callbacks/s >= 2.5x Prism's, backlog <= its bound, RSS <= 400 MB, p99 <= 20 ms, none lost.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from segue.mock.models import STAGE_OF_STATUS
from segue.mock.spec import load_vendor_spec
from segue.mock.testing import bearer, request_example
from segue.paths import PROJECT_ROOT, spec_path

# One callback per lifecycle stage a task reaches (text, first, complete).
CALLBACKS_PER_CREATE = len(STAGE_OF_STATUS)
BENCH_DIR = PROJECT_ROOT / "scripts" / "bench"
PRISM = BENCH_DIR / "node" / "node_modules" / ".bin" / "prism"
LUA_SCRIPT = BENCH_DIR / "extend.lua"
API_KEY = "bench-key"
TARGET_RATIO, TARGET_P99_MS, TARGET_VALIDATION_COST = 10.0, 20.0, 0.20
VALIDATED, UNVALIDATED, PRISM_NAME = "segue (validated)", "segue (validation off)", "Prism 5.16.0"
NO_CALLBACKS = "segue (validated, no cb)"
IN_THREAD = "segue (validated, cb thread)"
FLOOR = "no-op ASGI app (floor)"
SUSTAINED_CONNECTIONS = 64
SUSTAINED_RATIO, SUSTAINED_RSS_MB, SUSTAINED_P99_MS = 2.5, 400.0, 20.0
SAMPLE_SECONDS = 0.25


@dataclass
class Result:
    server: str
    requests: int
    seconds: float
    errors: int  # non-2xx, envelope code != 200, socket errors
    p50_ms: float
    p99_ms: float
    callbacks: int  # received by the receiver during the measured run
    note: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def process(
    command: list[str], ready_url: str, name: str, timeout: float = 60.0
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `command` in its own process group; wait until `ready_url` answers; stop it after."""
    child = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(ready_url, timeout=1, trust_env=False)
                break
            if child.poll() is not None:
                error = child.stderr.read().decode(errors="replace") if child.stderr else ""
                raise SystemExit(f"{name} exited with {child.returncode}: {error[-2000:]}")
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not answer {ready_url} within {timeout:.0f} s")
            time.sleep(0.2)
        yield child
    finally:
        stop(child)


def stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group (Prism forks), then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, sig)
        try:
            child.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def received(receiver_url: str) -> int:
    return int(httpx.get(f"{receiver_url}/count", trust_env=False).json()["received"])


# ---------------------------------------------------------------------------- wrk


def run_wrk(url: str, body_file: Path, seconds: float, connections: int) -> dict[str, int]:
    command = wrk_command(url, seconds, connections)
    environment = {**os.environ, "SEGUE_BENCH_BODY": str(body_file), "SEGUE_BENCH_KEY": API_KEY}
    finished = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=seconds + 60
    )
    line = next((x for x in finished.stdout.splitlines() if x.startswith("SEGUE_BENCH ")), None)
    if finished.returncode != 0 or line is None:
        raise SystemExit(
            f"wrk failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}"
        )
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}


def wrk_command(url: str, seconds: float, connections: int) -> list[str]:
    return [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA_SCRIPT),
        url,
    ]


def measure(
    name: str,
    url: str,
    body_file: Path,
    receiver_url: str,
    args: argparse.Namespace,
    pid: int | None = None,
) -> Result:
    run_wrk(url, body_file, args.warmup, args.connections)  # warm-up: connections, caches, JIT
    before = received(receiver_url)
    profiler = start_profiler(pid, args) if args.profile and pid is not None else None
    stats = run_wrk(url, body_file, args.duration, args.connections)
    callbacks = received(receiver_url) - before
    if profiler is not None:
        profiler.wait(args.duration + 30)
    errors = (
        stats["envelope_errors"]
        + stats["connect"]
        + stats["read"]
        + stats["write"]
        + stats["timeout"]
    )
    return Result(
        name,
        stats["requests"],
        stats["duration_us"] / 1e6,
        errors,
        stats["p50_us"] / 1000,
        stats["p99_us"] / 1000,
        callbacks,
    )


# ---------------------------------------------------------------------------- the servers


def extend_body(callback_url: str, audio_id: str | None, model: str | None) -> dict[str, Any]:
    """The spec's custom-mode extend example (the one with the most rules to check), calling back
    to the receiver, extending `audio_id` when given."""
    kie = load_vendor_spec("kie")
    body = {**request_example(kie, "extendMusic", "custom"), "callBackUrl": callback_url}
    if audio_id is not None:
        body |= {"audioId": audio_id, "model": model}
    return body


def segue_source_clip(base_url: str, callback_url: str) -> tuple[str, str]:
    """Create a KIE generate task with the benchmark's key, finish it (control API): its first
    clip id and model, which the extend body must name."""
    kie = load_vendor_spec("kie")
    generate = {**request_example(kie, "generateMusic"), "callBackUrl": callback_url}
    with httpx.Client(base_url=base_url, trust_env=False, timeout=10) as client:
        created = client.post(
            kie.operations["generateMusic"].full_path, json=generate, headers=bearer(API_KEY)
        ).json()
        task_id = created["data"]["taskId"]
        client.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True}).raise_for_status()
        details = client.get(
            "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer(API_KEY)
        ).json()
    return str(details["data"]["response"]["sunoData"][0]["id"]), str(generate["model"])


def check_answer(base_url: str, body: dict[str, Any], name: str) -> None:
    """One request by hand first: the body must be accepted, or the run would measure errors."""
    path = load_vendor_spec("kie").operations["extendMusic"].full_path
    answer = httpx.post(
        base_url + path, json=body, headers=bearer(API_KEY), trust_env=False, timeout=10
    )
    if answer.status_code != 200 or answer.json().get("code") != 200:
        said = f"HTTP {answer.status_code} {answer.text[:500]}"
        raise SystemExit(f"{name} refused the benchmark's extend body: {said}")


def segue_command(port: int, stage_seconds: float, *switches: str) -> list[str]:
    return [
        sys.executable, str(BENCH_DIR / "serve_mock.py"), "--port", str(port),
        "--api-key", API_KEY, "--stage-seconds", str(stage_seconds), *switches,
    ]  # fmt: skip


def prism_command(port: int) -> list[str]:
    return [
        str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "--verboseLevel", "error",
        str(spec_path("kie")),
    ]  # fmt: skip


def segue_extend(base_url: str, receiver_url: str, name: str, workdir: Path) -> tuple[str, Path]:
    """The extend URL of a started segue mock, and a file holding a body it accepts (extending a
    clip made and finished first)."""
    audio_id, model = segue_source_clip(base_url, f"{receiver_url}/callback")
    body = extend_body(f"{receiver_url}/callback", audio_id, model)
    check_answer(base_url, body, name)
    body_file = workdir / f"segue-{urlsplit(base_url).port}.json"
    body_file.write_text(json.dumps(body))
    return base_url + load_vendor_spec("kie").operations["extendMusic"].full_path, body_file


def bench_segue(
    name: str,
    validate: bool,
    stage_seconds: float,
    receiver_url: str,
    workdir: Path,
    args: argparse.Namespace,
    callbacks_in_thread: bool = False,
) -> Result:
    port = free_port()
    switches = ["--no-backpressure"] + ([] if validate else ["--no-validate"])
    switches += ["--callbacks-in-thread"] if callbacks_in_thread else []
    base_url = f"http://127.0.0.1:{port}"
    with process(
        segue_command(port, stage_seconds, *switches), f"{base_url}/_segue/health", name
    ) as child:
        url, body_file = segue_extend(base_url, receiver_url, name, workdir)
        profiled = child.pid if name == VALIDATED else None
        return measure(name, url, body_file, receiver_url, args, profiled)


def bench_prism(receiver_url: str, workdir: Path, args: argparse.Namespace) -> Result:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with process(prism_command(port), f"{base_url}/", "Prism"):
        body = extend_body(f"{receiver_url}/callback", None, None)
        check_answer(base_url, body, "Prism")
        body_file = workdir / "prism.json"
        body_file.write_text(json.dumps(body))
        path = load_vendor_spec("kie").operations["extendMusic"].full_path
        return measure(PRISM_NAME, base_url + path, body_file, receiver_url, args)


def bench_floor(receiver_url: str, workdir: Path, args: argparse.Namespace) -> Result:
    """The same wrk command against a no-op raw ASGI app on uvicorn (the receiver's /floor): the
    most any Python server can do here, now; context for the other rows."""
    body_file = workdir / "floor.json"
    body_file.write_text(json.dumps(extend_body(f"{receiver_url}/callback", None, None)))
    result = measure(FLOOR, f"{receiver_url}/floor", body_file, receiver_url, args)
    result.callbacks = 0  # the run itself is not callbacks
    return result


# ---------------------------------------------------------------------------- sustained load


@dataclass
class Sustained:
    server: str
    seconds: float
    accepted: int  # answered HTTP 200 with "code":200
    callbacks: int  # received during the run
    p99_ms: float
    owed: int  # callbacks the accepted creates owe (segue: 3 each; Prism: 1)
    delivered: int  # received once the mock was idle again
    peak_backlog: int | None = None
    bound: int | None = None
    peak_rss_mb: float | None = None

    @property
    def lost(self) -> int:
        return max(0, self.owed - self.delivered)


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its children (the mock and its sender process), in MB."""
    total = 0
    for candidate in [pid, *children(pid)]:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{candidate}/status").read_text()
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(match.group(1)) if match else 0
    return total / 1024


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


class Sampler:
    """Samples segue's backlog (`GET /_segue/health`) and RSS every SAMPLE_SECONDS, bounded by
    `seconds` plus a margin, on a thread of its own."""

    def __init__(self, base_url: str, pid: int, seconds: float) -> None:
        import threading

        self.base_url, self.pid = base_url, pid
        self.deadline = time.monotonic() + seconds + 30
        self.peak_backlog, self.peak_rss = 0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base_url, trust_env=False, timeout=5) as client:
            while not self._stop.is_set() and time.monotonic() < self.deadline:
                with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                    pending = client.get("/_segue/health").json()["pending_callbacks"]
                    self.peak_backlog = max(self.peak_backlog, int(pending))
                self.peak_rss = max(self.peak_rss, rss_mb(self.pid))
                self._stop.wait(SAMPLE_SECONDS)


def wait_until_settled(receiver_url: str, base_url: str | None, seconds: float = 120.0) -> int:
    """The receiver's count once segue is idle (when given) and the count stopped moving."""
    deadline = time.monotonic() + seconds
    if base_url is not None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(
                f"{base_url}/_segue/callbacks",
                params={"wait": "60", "limit": "1"},
                trust_env=False,
                timeout=70,
            )
    count = received(receiver_url)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = received(receiver_url)
        if now == count:
            return now
        count = now
    return count


def sustain(
    name: str,
    url: str,
    body_file: Path,
    receiver_url: str,
    args: argparse.Namespace,
    segue: tuple[str, int] | None,
    per_create: int,
) -> Sustained:
    """Warm up, settle, then `args.sustained` seconds of creates at SUSTAINED_CONNECTIONS."""
    base_url = segue[0] if segue else None
    run_wrk(url, body_file, args.warmup, SUSTAINED_CONNECTIONS)
    before = wait_until_settled(receiver_url, base_url)
    sampler = Sampler(segue[0], segue[1], args.sustained) if segue else None
    with sampler or contextlib.nullcontext():
        stats = run_wrk(url, body_file, args.sustained, SUSTAINED_CONNECTIONS)
        during = received(receiver_url) - before
    delivered = wait_until_settled(receiver_url, base_url) - before
    accepted = stats["answered"] - stats["envelope_errors"]
    bound = None
    if base_url is not None:
        settings = httpx.get(f"{base_url}/_segue/settings", trust_env=False).json()
        bound = int(settings["max_pending_callbacks"])
    return Sustained(
        name,
        stats["duration_us"] / 1e6,
        accepted,
        during,
        stats["p99_us"] / 1000,
        accepted * per_create,
        delivered,
        sampler.peak_backlog if sampler else None,
        bound,
        sampler.peak_rss if sampler else None,
    )


def sustained_segue(receiver_url: str, workdir: Path, args: argparse.Namespace) -> Sustained:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = segue_command(port, args.stage_seconds)
    with process(command, f"{base_url}/_segue/health", VALIDATED) as child:
        url, body_file = segue_extend(base_url, receiver_url, VALIDATED, workdir)
        segue = (base_url, child.pid)
        return sustain(VALIDATED, url, body_file, receiver_url, args, segue, CALLBACKS_PER_CREATE)


def sustained_prism(receiver_url: str, workdir: Path, args: argparse.Namespace) -> Sustained:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with process(prism_command(port), f"{base_url}/", "Prism"):
        body = extend_body(f"{receiver_url}/callback", None, None)
        body_file = workdir / "sustained-prism.json"
        body_file.write_text(json.dumps(body))
        url = base_url + load_vendor_spec("kie").operations["extendMusic"].full_path
        return sustain(PRISM_NAME, url, body_file, receiver_url, args, None, 1)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report_sustained(rows: list[Sustained], args: argparse.Namespace) -> None:
    segue = next(r for r in rows if r.server == VALIDATED)
    prism = next(r for r in rows if r.server == PRISM_NAME)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nSustained: {args.sustained:g} s of KIE extend creates at concurrency "
        f"{SUSTAINED_CONNECTIONS} (wrk -t1 -c{SUSTAINED_CONNECTIONS}), segue with its default "
        f"backlog bound, --stage-seconds {args.stage_seconds:g}; load average {load} at the end."
    )
    row = "{:<22} {:>10} {:>12} {:>15} {:>10} {:>8} {:>6}"
    header = row.format(
        "server", "creates/s", "callbacks/s", "peak backlog", "peak RSS", "p99 ms", "lost"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        backlog = f"{r.peak_backlog}/{r.bound}" if r.peak_backlog is not None else "–"
        rss = f"{r.peak_rss_mb:.0f} MB" if r.peak_rss_mb is not None else "–"
        print(
            row.format(
                r.server,
                f"{r.accepted / r.seconds:.0f}",
                f"{r.callbacks / r.seconds:.0f}",
                backlog,
                rss,
                f"{r.p99_ms:.1f}",
                r.lost,
            )
        )
    ratio = (segue.callbacks / segue.seconds) / (prism.callbacks / prism.seconds or 1)

    print(
        f"goals (segue): callbacks/s >= {SUSTAINED_RATIO:g}x Prism: {ratio:.1f}x "
        f"{verdict(ratio >= SUSTAINED_RATIO)}; backlog <= bound: "
        f"{verdict((segue.peak_backlog or 0) <= (segue.bound or 0))}; RSS <= "
        f"{SUSTAINED_RSS_MB:g} MB: {verdict((segue.peak_rss_mb or 0) <= SUSTAINED_RSS_MB)}; p99 <= "
        f"{SUSTAINED_P99_MS:g} ms: {verdict(segue.p99_ms <= SUSTAINED_P99_MS)}; nothing lost: "
        f"{verdict(segue.lost == 0)}"
    )
    print(
        'creates/s: answered "code":200 (segue answers the documented 429 past its backlog '
        "bound); callbacks/s: received during the run; lost: owed (segue 3, Prism 1 per accepted "
        "create) minus received once idle; peak RSS: the mock and its sender process"
    )


# ---------------------------------------------------------------------------- profiling


def start_profiler(pid: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    py_spy = [shutil.which("py-spy")] if shutil.which("py-spy") else ["uvx", "py-spy@0.4.3"]
    out = Path(args.profile) / "segue-validated.raw.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [
        *py_spy,
        "record",
        "-p",
        str(pid),
        "-d",
        f"{args.duration:g}",
        "--threads",
        "--nonblocking",
        "-f",
        "raw",
        "-o",
        str(out),
    ]
    return subprocess.Popen(
        [c for c in command if c], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def print_profile(directory: Path, top: int = 25) -> None:
    """Per thread: its share of the samples, then the frames most often on its stack."""
    path = directory / "segue-validated.raw.txt"
    if not path.exists():
        print(
            f"\n(no profile: {path} was not written; is py-spy installed? `uv tool install py-spy`)"
        )
        return
    threads: Counter[str] = Counter()
    inclusive: dict[str, Counter[str]] = {}
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        threads[frames[0]] += int(count)
        for frame in set(frames[1:]):
            inclusive.setdefault(frames[0], Counter())[frame] += int(count)
    total = sum(threads.values())
    print(f"\nProfile of segue (validated), {total} samples, raw stacks in {path}:")
    for thread, samples in threads.most_common():
        print(
            f"  {thread}: {100 * samples / total:.0f}% of samples; frames most often on its stack:"
        )
        for frame, samples_in in inclusive[thread].most_common(top):
            print(f"    {100 * samples_in / total:5.1f}%  {frame}")


# ---------------------------------------------------------------------------- report


def preflight() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    if not PRISM.exists():
        raise SystemExit(f"Prism is not installed: npm ci --prefix {BENCH_DIR / 'node'}")


def version(command: list[str]) -> str:
    """The first words of the tool's version line (`wrk debian/4.1.0-3+b2`)."""
    with contextlib.suppress(OSError, subprocess.SubprocessError, IndexError):
        finished = subprocess.run(command, capture_output=True, text=True, timeout=30)
        return (finished.stdout or finished.stderr).strip().splitlines()[0].split(" [")[0]
    return "?"


def report(results: list[Result], args: argparse.Namespace) -> None:
    prism = next(r for r in results if r.server == PRISM_NAME)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n$ uv run python {shlex.join(sys.argv)}")
    print(
        f"KIE POST /api/v1/generate/extend (custom mode); wrk -t1 -c{args.connections}, "
        f"{args.warmup:g} s warm-up + {args.duration:g} s measured, 127.0.0.1; "
        f"{os.cpu_count()} cores, load average {load} (1/5/15 min) at the end; "
        f"Python {platform.python_version()}; {version(['wrk', '-v'])}.\n"
        "Callbacks on, to a local receiver. segue: unlimited credits, rate limit, backlog bound "
        "and task cap off (every create is served, no 402/429 answers), "
        f"--stage-seconds {args.stage_seconds:g}."
    )
    columns = ("server", "req/s", "p50 ms", "p99 ms", "errors", "callbacks", "x Prism")
    row = "{:<26} {:>8} {:>8} {:>8} {:>7} {:>10} {:>8}"
    header = row.format(*columns)
    print(header)
    print("-" * len(header))
    for r in results:
        times = f"{r.rate / prism.rate:.1f}" if prism.rate else "?"
        cells = (
            f"{r.rate:.0f}",
            f"{r.p50_ms:.2f}",
            f"{r.p99_ms:.2f}",
            r.errors,
            r.callbacks,
            times,
        )
        print(row.format(r.server, *cells))
    validated = next(r for r in results if r.server == VALIDATED)
    unvalidated = next(r for r in results if r.server == UNVALIDATED)
    ratio = validated.rate / prism.rate if prism.rate else 0.0
    cost = 1 - validated.rate / unvalidated.rate if unvalidated.rate else float("nan")

    print(
        f"\ntargets (segue validated): >= {TARGET_RATIO:g}x Prism: {ratio:.1f}x "
        f"{verdict(ratio >= TARGET_RATIO)}; p99 <= {TARGET_P99_MS:g} ms: {validated.p99_ms:.1f} ms "
        f"{verdict(validated.p99_ms <= TARGET_P99_MS)}; validation cost <= "
        f"{TARGET_VALIDATION_COST:.0%}: {cost:.0%} {verdict(cost <= TARGET_VALIDATION_COST)}"
    )
    print(
        'errors: socket errors, timeouts, and answers other than HTTP 200 with "code":200; '
        "callbacks: received during the measured run"
    )
    print(
        f"segue owes {CALLBACKS_PER_CREATE} callbacks per create (one per stage), Prism sends 1; "
        "segue sends them from a process of its own, as `segue mock` does"
    )
    floor = next((r for r in results if r.server == FLOOR), None)
    if floor is not None:
        print(f"{IN_THREAD}: callbacks sent from a thread of the serving process (diagnostic row)")
        print(f"{NO_CALLBACKS}: --stage-seconds inf, no task reaches a stage (diagnostic row)")
        print(
            f"{FLOOR}: the callback receiver's uncounted /floor, same wrk command (diagnostic row)"
        )
        needed = TARGET_RATIO * prism.rate * CALLBACKS_PER_CREATE
        print(
            f"bound: {TARGET_RATIO:g}x Prism is {TARGET_RATIO * prism.rate:.0f} creates/s, so "
            f"{needed:.0f} callbacks/s to send and to receive; the floor row (a no-op Python "
            f"server, a whole core to itself) answers {floor.rate:.0f} requests/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds measured per server (default 10)"
    )
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of warm-up per server (default 3)"
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument(
        "--stage-seconds",
        type=float,
        default=0.0,
        help="segue's lifecycle step (default 0: finish at once)",
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="record segue's validated run with py-spy into DIR"
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="add rows: callbacks from a thread, no callbacks, a no-op server (the floor)",
    )
    parser.add_argument(
        "--sustained",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="the sustained table: this long at concurrency 64 (default 60; 0 = skip)",
    )
    parser.add_argument("--sustained-only", action="store_true", help="only the sustained table")
    args = parser.parse_args()
    preflight()
    receiver_port = free_port()
    receiver_url = f"http://127.0.0.1:{receiver_port}"
    receiver = [sys.executable, str(BENCH_DIR / "receiver.py"), "--port", str(receiver_port)]
    with (
        process(receiver, f"{receiver_url}/count", "the callback receiver"),
        tempfile.TemporaryDirectory() as workdir,
    ):
        sustained = (
            [
                sustained_segue(receiver_url, Path(workdir), args),
                sustained_prism(receiver_url, Path(workdir), args),
            ]
            if args.sustained > 0
            else []
        )
        if args.sustained_only:
            print(f"\n$ uv run python {shlex.join(sys.argv)}")
            report_sustained(sustained, args)
            return
        results = [
            bench_segue(VALIDATED, True, args.stage_seconds, receiver_url, Path(workdir), args),
            bench_segue(UNVALIDATED, False, args.stage_seconds, receiver_url, Path(workdir), args),
            bench_prism(receiver_url, Path(workdir), args),
        ]
        if args.diagnose:
            results.append(
                bench_segue(
                    IN_THREAD, True, args.stage_seconds, receiver_url, Path(workdir), args, True
                )
            )
            # Tasks never reach a stage during the run: no callback is sent.
            results.append(
                bench_segue(NO_CALLBACKS, True, math.inf, receiver_url, Path(workdir), args)
            )
            results.append(bench_floor(receiver_url, Path(workdir), args))
    report(results, args)
    if sustained:
        report_sustained(sustained, args)
    if args.profile:
        print_profile(Path(args.profile))


if __name__ == "__main__":
    main()
