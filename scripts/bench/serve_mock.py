"""Serve segue's mock for scripts/bench_mock.py: `segue mock`, plus the benchmark's switches.

    python scripts/bench/serve_mock.py --port 8787 --api-key KEY [--no-validate] [--stage-seconds 0]
                                       [--callbacks-in-thread] [--no-backpressure]

The same `segue.mock.server.serve(MockConfig(...))` that `segue mock` runs, with unlimited credits
and no rate limit (the benchmark measures the server, not the 402/429 answers) and, with
`--no-validate`, `MockConfig.validate_requests=False` (no request-body schema check), which the
CLI does not offer because a served mock must always validate. Callbacks are sent from a process
of their own, as `segue mock` sends them; `--callbacks-in-thread` sends them from a thread of the
serving process instead (what in-process tests do), to price the difference.
`--no-backpressure` lifts the backlog bound and the task cap (`max_pending_callbacks`,
`max_tasks`), so that every create of the first table is served, as that table says; the
sustained table runs with the defaults, as `segue mock` serves.
"""

from __future__ import annotations

import argparse
import sys

from segue.mock.config import MockConfig
from segue.mock.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--stage-seconds", type=float, default=0.0)
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--callbacks-in-thread", action="store_true")
    parser.add_argument("--no-backpressure", action="store_true")
    args = parser.parse_args()
    unbounded = {"max_pending_callbacks": sys.maxsize, "max_tasks": sys.maxsize}
    config = MockConfig(
        api_keys=(args.api_key,),
        credits=None,
        rate_limit=0,
        stage_seconds=args.stage_seconds,
        validate_requests=not args.no_validate,
        callback_process=not args.callbacks_in_thread,
        **(unbounded if args.no_backpressure else {}),
    )
    serve(config, "127.0.0.1", args.port, log_level="warning")


if __name__ == "__main__":
    main()
