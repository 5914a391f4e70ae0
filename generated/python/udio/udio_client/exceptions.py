"""The typed errors of udio_client (`segue generate`; do not edit)."""

from ._segue.errors import (
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

__all__ = [
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
    "TaskFailed",
    "UdioError",
    "Unauthorized",
    "WaitTimeout",
]
