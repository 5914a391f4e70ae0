"""Callback verification (signed vendors) and parsing, as the spec's `x-segue-signature` says.

KIE signs `taskId.timestamp`, not the body (DECISIONS X-3): a valid signature proves the sender
knew the key and the task id at that time, not that the body is the one signed. So `verify`
checks the headers are present (fail closed), the timestamp is an integer within the tolerance
window either way, the HMAC over the body's own task id and the header timestamp in constant
time, and (with a `ReplayGuard`) that the same task id, stage and timestamp arrive only once.

Why hand-written: no library verifies a signature over OpenAPI runtime expressions.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

import pydantic

from . import errors, facts

_DIGESTS = {"hmac-sha256": hashlib.sha256, "hmac-sha1": hashlib.sha1, "hmac-sha512": hashlib.sha512}


class ReplayGuard:
    """Remembers the (task id, stage, timestamp) of verified callbacks for `window_seconds`.

    In memory, one process; bounded by `max_entries` (oldest forgotten first). Share one guard
    between calls; with several processes, pass an object with the same `check_and_remember`
    backed by a shared store.
    """

    def __init__(self, window_seconds: float = 600.0, max_entries: int = 100_000) -> None:
        self.window_seconds = window_seconds
        self.max_entries = max_entries
        self._seen: OrderedDict[Hashable, float] = OrderedDict()
        self._lock = threading.Lock()

    def check_and_remember(self, key: Hashable, now: float) -> bool:
        """True when `key` was seen within the window (a replay); remembers it otherwise."""
        with self._lock:
            while self._seen and (
                len(self._seen) >= self.max_entries
                or next(iter(self._seen.values())) < now - self.window_seconds
            ):
                self._seen.popitem(last=False)
            if key in self._seen:
                return True
            self._seen[key] = now
            return False


def verify(
    signature: facts.Signature,
    callback_stage: str | None,
    adapter: pydantic.TypeAdapter[Any],
    raw_body: bytes | str,
    headers: Mapping[str, str],
    *,
    key: str | bytes,
    tolerance: float | None = None,
    replay_guard: ReplayGuard | None = None,
    now: float | None = None,
) -> Any:
    """The typed callback, or `InvalidSignature` (`ReplayedCallback` for a replay)."""
    body_bytes = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body)
    lowered = {name.lower(): value for name, value in headers.items()}
    timestamp = _timestamp(signature, lowered)
    current = time.time() if now is None else now
    window = signature.tolerance_seconds if tolerance is None else tolerance
    if abs(current - timestamp) > window:
        raise errors.InvalidSignature(
            f"{signature.timestamp_header} {timestamp} is more than {window:g} s from now"
        )
    body = _json(body_bytes)
    message = signature.signed_message(body, lowered)
    if message is None:
        raise errors.InvalidSignature(
            f"the body lacks what the signed message {signature.message} names", body=body_bytes
        )
    expected = _sign(signature, key, message)
    given = lowered.get(signature.signature_header.lower(), "")
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise errors.InvalidSignature(
            f"{signature.signature_header} does not match", body=body_bytes
        )
    if replay_guard is not None:
        pointer = signature.body_pointer() or ""
        replay_key = (
            facts.pointer_get(body, pointer),
            facts.pointer_get(body, callback_stage or ""),
            timestamp,
        )
        if replay_guard.check_and_remember(replay_key, current):
            raise errors.ReplayedCallback(
                f"callback replayed: task {replay_key[0]}, stage {replay_key[1]}, "
                f"timestamp {timestamp} seen before",
                body=body_bytes,
            )
    return _typed(adapter, body, body_bytes)


def parse(adapter: pydantic.TypeAdapter[Any], raw_body: bytes | str) -> Any:
    """The typed callback (no signature is documented); `InvalidCallback` if it is not one."""
    body_bytes = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body)
    return _typed(adapter, _json(body_bytes), body_bytes)


def sign(signature: facts.Signature, key: str | bytes, body: Any, timestamp: int) -> str:
    """The signature header value the vendor would send (for tests and local senders)."""
    headers = {signature.timestamp_header.lower(): str(timestamp)}
    message = signature.signed_message(body, headers)
    if message is None:
        raise ValueError(f"the body lacks what {signature.message} names")
    return _sign(signature, key, message)


def _timestamp(signature: facts.Signature, headers: Mapping[str, str]) -> int:
    for name in (signature.signature_header, signature.timestamp_header):
        if not headers.get(name.lower()):
            raise errors.InvalidSignature(f"missing header {name}")
    raw = headers[signature.timestamp_header.lower()].strip()
    if not raw.isdigit():
        raise errors.InvalidSignature(f"{signature.timestamp_header} {raw!r} is not an integer")
    value = int(raw)
    return value // 1000 if signature.timestamp_unit == "milliseconds" else value


def _sign(signature: facts.Signature, key: str | bytes, message: str) -> str:
    digest = _DIGESTS.get(signature.algorithm)
    if digest is None:
        raise ValueError(f"unsupported signature algorithm {signature.algorithm}")
    secret = key.encode() if isinstance(key, str) else key
    mac = hmac.new(secret, message.encode(), digest).digest()
    if signature.encoding == "hex":
        return mac.hex()
    return base64.b64encode(mac).decode()


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, binascii.Error) as error:
        raise errors.InvalidCallback(f"the callback body is not JSON: {error}", body=body) from None


def _typed(adapter: pydantic.TypeAdapter[Any], body: Any, body_bytes: bytes) -> Any:
    try:
        return adapter.validate_python(body)
    except pydantic.ValidationError as problem:
        raise errors.InvalidCallback(
            f"the callback does not match the spec: {problem}", body=body_bytes
        ) from None
