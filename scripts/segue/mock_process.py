"""`segue mock` as a real process on a free 127.0.0.1 port, for clients that must talk to it
over HTTP from another runtime (a clean virtualenv, node) and for benchmarks. Stopped when the
block ends.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx

from segue.paths import PROJECT_ROOT

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_mock(*options: str) -> Iterator[str]:
    """Start `segue mock --port P OPTIONS…`; yield its base URL once /_segue/health answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "segue.cli", "mock", "--port", str(port), *options],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(url):
            if process.poll() is not None:
                raise RuntimeError(
                    f"segue mock exited: {process.stderr.read() if process.stderr else ''}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"segue mock did not answer within {START_TIMEOUT_S} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/_segue/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
