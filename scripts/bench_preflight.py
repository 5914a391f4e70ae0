"""Benchmark `segue.preflight`: microseconds per request body, valid and invalid, per operation.

    uv run python scripts/bench_preflight.py [--iterations N] [--repeats R]

Valid bodies are the spec's own request examples. Two invalid bodies are made from each: one
field less (`without_a_field`) and one text one character over its limit (`over_a_limit`); the
schema, not this script, decides what is invalid and where the limit is. An invalid body is
timed through the whole `validate` call: the PreflightError and its message are built and
caught. Reported: the best of R repeats of N calls (least disturbed by other processes), for
each kind the mean over that operation's examples ("—": no example has such a variant).
Target: <= 20 us per body.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from segue import speclib
from segue.preflight import PreflightError, RequestValidator

BUNDLES = ("kie", "kie-sunoapi", "udio")


def request_examples(document: dict[str, Any]) -> dict[str, list[Any]]:
    """operationId -> the example values of its JSON request body, read from the spec."""
    found: dict[str, list[Any]] = {}
    for operation in speclib.iter_operations(document):
        body = speclib.request_body(document, operation)
        operation_id = operation.node.get("operationId")
        if operation.kind != "path" or body is None or not isinstance(operation_id, str):
            continue
        for media_type, media, pointer in speclib.media_types(*body):
            if media_type == "application/json":
                examples = speclib.iter_examples(document, media, pointer)
                found[operation_id] = [example.value for example in examples]
    return found


def without_a_field(validator: RequestValidator, operation_id: str, body: dict[str, Any]) -> Any:
    """`body` less its first field whose absence the schema rejects (None if there is none)."""
    for key in body:
        candidate = {k: v for k, v in body.items() if k != key}
        if not validator.is_valid(operation_id, candidate):
            return candidate
    return None


def over_a_limit(validator: RequestValidator, operation_id: str, body: dict[str, Any]) -> Any:
    """`body` with its first limited text one character over its limit (None if none is).

    The limit is read from the error jsonschema-rs reports for an over-long text, so no limit
    is restated here and the body is as long as a real mistake would be.
    """
    longest = 1 + max(
        (
            schema["maxLength"]
            for _, schema in speclib.iter_schemas(validator.document)
            if isinstance(schema, dict) and isinstance(schema.get("maxLength"), int)
        ),
        default=0,
    )
    for key, value in body.items():
        if not isinstance(value, str):
            continue
        for error in validator.iter_errors(operation_id, {**body, key: "x" * longest}):
            if error.kind.name == "maxLength" and list(error.instance_path) == [key]:
                return {**body, key: "x" * (error.kind.as_dict()["limit"] + 1)}
    return None


def best_us_per_call(call: Callable[[], None], iterations: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            call()
        best = min(best, (time.perf_counter() - start) / iterations)
    return best * 1e6


def time_valid(validator: RequestValidator, operation_id: str, body: Any, n: int, r: int) -> float:
    return best_us_per_call(lambda: validator.validate(operation_id, body), n, r)


def time_invalid(
    validator: RequestValidator, operation_id: str, body: Any, n: int, r: int
) -> float:
    def call() -> None:
        try:
            validator.validate(operation_id, body)
        except PreflightError:
            return
        raise AssertionError(f"{operation_id}: the invalid body was accepted")

    call()  # the first failure imports the message builder; not part of the steady state
    return best_us_per_call(call, n, r)


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    print(
        f"$ uv run python scripts/bench_preflight.py --iterations {args.iterations} "
        f"--repeats {args.repeats}"
    )
    print()
    print(
        "| bundle | operation | bodies | valid µs/body | missing field µs/body "
        "| over a limit µs/body | message of the over-limit body |"
    )
    print("|---|---|---:|---:|---:|---:|---|")
    worst = 0.0
    for bundle in BUNDLES:
        validator = RequestValidator(bundle)
        for operation_id, bodies in sorted(request_examples(validator.document).items()):
            n, r = args.iterations, args.repeats
            missing = [without_a_field(validator, operation_id, b) for b in bodies]
            over = [over_a_limit(validator, operation_id, b) for b in bodies]
            valid_us = mean([time_valid(validator, operation_id, b, n, r) for b in bodies])
            missing_us = mean(
                [time_invalid(validator, operation_id, b, n, r) for b in missing if b]
            )
            over_us = mean([time_invalid(validator, operation_id, b, n, r) for b in over if b])
            first_over = next((b for b in over if b), None)
            message = validator.problems(operation_id, first_over)[0] if first_over else "—"
            worst = max(worst, valid_us, missing_us or 0.0, over_us or 0.0)
            print(
                f"| {bundle} | {operation_id} | {len(bodies)} | {valid_us:.1f} "
                f"| {_shown(missing_us)} | {_shown(over_us)} | {message} |"
            )
    print()
    print(f"worst mean: {worst:.1f} µs per body (target <= 20 µs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
