"""A client library for accessing Udio API (udioapi.pro) — v2 songs"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
