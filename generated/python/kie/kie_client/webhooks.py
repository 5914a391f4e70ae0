"""Callbacks of KIE Suno API — music extension (`segue generate`; do not edit)."""

from __future__ import annotations

import os
from collections.abc import Mapping

import kie_models
import pydantic

from ._segue import webhooks as _webhooks
from ._segue.webhooks import ReplayGuard
from .sdk import FACTS

__all__ = ["ReplayGuard", "parse", "sign", "verify"]

Callback = kie_models.MusicCallback | kie_models.UploadExtendCallback
_ADAPTER: pydantic.TypeAdapter[Callback] = pydantic.TypeAdapter(Callback)


def parse(raw_body: bytes | str) -> Callback:
    """The callback body, validated and typed; `InvalidCallback` if it is not one."""
    return _webhooks.parse(_ADAPTER, raw_body)


def verify(
    raw_body: bytes | str,
    headers: Mapping[str, str],
    *,
    key: str | bytes | None = None,
    tolerance: float | None = None,
    replay_guard: ReplayGuard | None = None,
    now: float | None = None,
) -> Callback:
    """The verified, typed callback, or `InvalidSignature`.

    `key` defaults to $KIE_WEBHOOK_HMAC_KEY. The signature headers must be present, the timestamp
    an integer within `tolerance` seconds of `now` either way (default: the spec's
    tolerance), the HMAC over the signed message equal (constant-time compare). With
    a `replay_guard`, the same task id, stage and timestamp twice raises
    `ReplayedCallback`.
    """
    secret = key if key is not None else os.environ.get("KIE_WEBHOOK_HMAC_KEY")
    if not secret:
        raise ValueError("no webhook key: pass key=… or set $KIE_WEBHOOK_HMAC_KEY")
    assert FACTS.signature is not None
    return _webhooks.verify(
        FACTS.signature,
        FACTS.callback_stage,
        _ADAPTER,
        raw_body,
        headers,
        key=secret,
        tolerance=tolerance,
        replay_guard=replay_guard,
        now=now,
    )


def sign(raw_body: bytes | str, key: str | bytes, timestamp: int) -> dict[str, str]:
    """The headers the vendor would send with this body (for tests and relays)."""
    import json

    assert FACTS.signature is not None
    body = json.loads(raw_body)
    return {
        FACTS.signature.timestamp_header: str(timestamp),
        FACTS.signature.signature_header: _webhooks.sign(FACTS.signature, key, body, timestamp),
    }
