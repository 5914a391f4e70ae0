"""Udio API (udioapi.pro) — v2 songs 2.0.0, from its OpenAPI spec (`segue generate`; do not edit).

    import udio_client
    client = udio_client.Udio(api_key=KEY)

`Udio`/`AsyncUdio` are the facade; `AuthenticatedClient` and `udio_client.api`
the low-level generated client; `udio_models` the pydantic models.
"""

from . import webhooks
from .client import AuthenticatedClient, Client
from .exceptions import (
    ConnectionFailed,
    InsufficientCredits,
    InvalidCallback,
    InvalidRequest,
    InvalidSignature,
    Maintenance,
    NotFound,
    RateLimited,
    ReplayedCallback,
    ServerError,
    TaskFailed,
    UdioError,
    Unauthorized,
    WaitTimeout,
)
from .sdk import UNSET, AsyncTask, AsyncUdio, Task, Udio

__all__ = (
    "UNSET",
    "AsyncTask",
    "AsyncUdio",
    "AuthenticatedClient",
    "Client",
    "ConnectionFailed",
    "InsufficientCredits",
    "InvalidCallback",
    "InvalidRequest",
    "InvalidSignature",
    "Maintenance",
    "NotFound",
    "RateLimited",
    "ReplayedCallback",
    "ServerError",
    "Task",
    "TaskFailed",
    "Udio",
    "UdioError",
    "Unauthorized",
    "WaitTimeout",
    "webhooks",
)
