"""Callbacks of Udio API (udioapi.pro) — v2 songs (`segue generate`; do not edit)."""

from __future__ import annotations

import pydantic
import udio_models

from ._segue import webhooks as _webhooks
from ._segue.webhooks import ReplayGuard

__all__ = ["ReplayGuard", "parse"]

Callback = udio_models.CallbackPayload
_ADAPTER: pydantic.TypeAdapter[Callback] = pydantic.TypeAdapter(Callback)


def parse(raw_body: bytes | str) -> Callback:
    """The callback body, validated and typed; `InvalidCallback` if it is not one."""
    return _webhooks.parse(_ADAPTER, raw_body)
