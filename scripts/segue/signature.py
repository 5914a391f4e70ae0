"""Callback signatures as a spec's `x-segue-signature` states them: sign, and verify.

One small module, so that whoever signs (the contract suite sending callbacks to a receiver, the
mock) and whoever verifies (`segue receive`, the suite reading the mock's callbacks) reads the
scheme from the spec instead of retyping it. The signed `message` is a template of OpenAPI runtime
expressions over the callback request, e.g.
`{$request.body#/data/task_id}.{$request.header.X-Webhook-Timestamp}`; this module evaluates the
two sources a callback has, its JSON body and its headers (hand-written: no library evaluates
runtime expressions outside a link).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from segue import speclib

EXTENSION = "x-segue-signature"
_EXPRESSION = re.compile(r"\{\$request\.(?:body#(?P<pointer>/[^}]*)|header\.(?P<header>[^}]+))\}")
_ENCODINGS = {"base64": lambda raw: base64.b64encode(raw).decode(), "hex": bytes.hex}
_UNITS = {"seconds": 1.0, "milliseconds": 1000.0}


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value, its name compared case-insensitively (RFC 9110 §5.1)."""
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class SignatureScheme:
    """A spec's `x-segue-signature` (DECISIONS X-3), read once."""

    algorithm: str
    encoding: str
    message: str
    signature_header: str
    timestamp_header: str
    timestamp_unit: str
    tolerance_seconds: float

    @classmethod
    def from_spec(cls, document: Mapping[str, Any]) -> SignatureScheme | None:
        """The document's scheme, or None when it says callbacks are not signed (`none`)."""
        node = document.get(EXTENSION)
        if node is None or node == "none":
            return None
        return cls(
            algorithm=str(node["algorithm"]),
            encoding=str(node["encoding"]),
            message=str(node["message"]),
            signature_header=str(node["signature-header"]),
            timestamp_header=str(node["timestamp-header"]),
            timestamp_unit=str(node.get("timestamp-unit", "seconds")),
            tolerance_seconds=float(node["tolerance-seconds"]),
        )

    @property
    def headers(self) -> tuple[str, str]:
        return self.timestamp_header, self.signature_header

    def timestamp(self, now: float) -> str:
        """`now` (unix seconds) in the scheme's unit, as the header carries it."""
        return str(int(now * _UNITS[self.timestamp_unit]))

    def signed_message(self, body: Any, headers: Mapping[str, str]) -> str | None:
        """The message the signature covers, or None when a part it names is missing."""
        parts: list[str] = []
        position = 0
        for match in _EXPRESSION.finditer(self.message):
            parts.append(self.message[position : match.start()])
            value = _body_value(body, match["pointer"]) if match["pointer"] else None
            if match["header"]:
                value = header(headers, match["header"])
            if value is None:
                return None
            parts.append(value)
            position = match.end()
        return "".join(parts) + self.message[position:]

    def signature(self, key: str, message: str) -> str:
        digest = hmac.new(key.encode(), message.encode(), self._hash_name()).digest()
        return str(_ENCODINGS[self.encoding](digest))

    def sign(self, key: str, body: Any, now: float) -> dict[str, str]:
        """The headers that sign `body` at `now` (unix seconds)."""
        headers = {self.timestamp_header: self.timestamp(now)}
        message = self.signed_message(body, headers)
        if message is None:
            raise ValueError(f"the body lacks what {self.message!r} signs")
        return {**headers, self.signature_header: self.signature(key, message)}

    def problems(self, key: str, body: Any, headers: Mapping[str, str], now: float) -> list[str]:
        """Why a callback's signature is not acceptable at `now` (empty list: it is)."""
        timestamp = header(headers, self.timestamp_header)
        signature = header(headers, self.signature_header)
        present = zip(self.headers, (timestamp, signature), strict=True)
        missing = [name for name, value in present if not value]
        if missing:
            return [f"no {' and no '.join(missing)} header although a webhook key is set"]
        message = self.signed_message(body, headers)
        problems = []
        expected = self.signature(key, message) if message is not None else None
        if expected is None or not hmac.compare_digest(expected, signature or ""):
            problems.append(f"{self.signature_header} does not sign {self.message}")
        try:
            age = abs(now - int(str(timestamp)) / _UNITS[self.timestamp_unit])
        except ValueError:
            unit = self.timestamp_unit
            return [*problems, f"{self.timestamp_header} {timestamp!r} is not unix {unit}"]
        if age > self.tolerance_seconds:
            problems.append(
                f"{self.timestamp_header} is {age:.0f} s from now, "
                f"beyond the {self.tolerance_seconds:g} s tolerance"
            )
        return problems

    def _hash_name(self) -> str:
        name = self.algorithm.removeprefix("hmac-")
        if not self.algorithm.startswith("hmac-") or name not in hashlib.algorithms_available:
            raise ValueError(f"unsupported signature algorithm {self.algorithm!r}")
        return name


def _body_value(body: Any, pointer: str) -> str | None:
    try:
        value = speclib.resolve_pointer(body, pointer)
    except (KeyError, IndexError, TypeError, ValueError, LookupError):
        return None
    return value if isinstance(value, str) else None
