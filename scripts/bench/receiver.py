"""A fast callback receiver for scripts/bench_mock.py: answers every POST 200 and counts it.

    python scripts/bench/receiver.py --port 9100

Raw ASGI served by uvicorn (uvloop, httptools) in its own process, so that receiving callbacks
costs the servers under test as little as possible and the same for each. `GET /count` answers
`{"received": N}`: the callbacks received so far (the benchmark reads it before and after a run).
`POST /floor` is answered like a callback but not counted: the benchmark's `--diagnose` drives it
with the same wrk command, as the floor (a no-op app on uvicorn, on this machine, now).
Not a framework app on purpose: a framework's routing would be most of its cost.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
JSON_HEADERS = [(b"content-type", b"application/json")]
# "code":200 so that wrk's script (scripts/bench/extend.lua) counts /floor answers as successes.
ACKNOWLEDGEMENT = b'{"code":200,"msg":"received"}'


class CountingReceiver:
    def __init__(self) -> None:
        self.received = 0

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        while (await receive()).get("more_body"):
            pass
        if scope["method"] == "GET" and scope["path"] == "/count":
            payload = json.dumps({"received": self.received}).encode()
        else:
            self.received += scope["path"] != "/floor"
            payload = ACKNOWLEDGEMENT
        headers = [*JSON_HEADERS, (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        CountingReceiver(),
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
