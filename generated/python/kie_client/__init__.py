"""A client library for accessing KIE Suno API — music extension"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
