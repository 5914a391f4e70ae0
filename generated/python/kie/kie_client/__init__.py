"""KIE Suno API — music extension 2026.11.0, from its OpenAPI spec (`segue generate`; do not edit).

    import kie_client
    client = kie_client.Kie(api_key=KEY)

`Kie`/`AsyncKie` are the facade; `AuthenticatedClient` and `kie_client.api`
the low-level generated client; `kie_models` the pydantic models.
"""

from . import webhooks
from .client import AuthenticatedClient, Client
from .exceptions import (
    Conflict,
    ConnectionFailed,
    InsufficientCredits,
    InvalidCallback,
    InvalidRequest,
    InvalidSignature,
    KieError,
    Maintenance,
    NotFound,
    RateLimited,
    ReplayedCallback,
    ServerError,
    TaskFailed,
    Unauthorized,
    WaitTimeout,
)
from .sdk import UNSET, AsyncKie, AsyncTask, Kie, Task

__all__ = (
    "UNSET",
    "AsyncKie",
    "AsyncTask",
    "AuthenticatedClient",
    "Client",
    "Conflict",
    "ConnectionFailed",
    "InsufficientCredits",
    "InvalidCallback",
    "InvalidRequest",
    "InvalidSignature",
    "Kie",
    "KieError",
    "Maintenance",
    "NotFound",
    "RateLimited",
    "ReplayedCallback",
    "ServerError",
    "Task",
    "TaskFailed",
    "Unauthorized",
    "WaitTimeout",
    "webhooks",
)
