"""The typed errors of kie_client (`segue generate`; do not edit)."""

from ._segue.errors import (
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

__all__ = [
    "Conflict",
    "ConnectionFailed",
    "InsufficientCredits",
    "InvalidCallback",
    "InvalidRequest",
    "InvalidSignature",
    "KieError",
    "Maintenance",
    "NotFound",
    "RateLimited",
    "ReplayedCallback",
    "ServerError",
    "TaskFailed",
    "Unauthorized",
    "WaitTimeout",
]
