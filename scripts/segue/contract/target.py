"""Where the suite's requests go: the in-process mock (ASGI) or a server at `--base-url` (HTTP).

Both are an `httpx.Client`, so every test sends the same way. `Target.send` adds the API key in
the vendor's form (`Authorization: Bearer <key>`), honours `429` + `Retry-After` with a bounded
number of waits, and logs each request so a failing test can print a curl command that
reproduces it (the request the test blamed, else the last) — with the key replaced by
`${SEGUE_API_KEY}`, so the command still works for whoever has the key and leaks nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from segue.contract.options import API_KEY_ENV

# Label of the in-process target in reproducing commands: `segue mock`'s default address, so a
# command copied from a report reproduces against `segue mock` as it is.
IN_PROCESS_BASE_URL = "http://127.0.0.1:8787"
MAX_RETRY_AFTER_WAITS = 3
MAX_RETRY_AFTER_SECONDS = 30.0
REDACTED = f"${{{API_KEY_ENV}}}"


class SyncASGITransport(httpx.BaseTransport):
    """Calls an ASGI app from a sync `httpx.Client`, on an anyio portal thread (no socket) whose
    loop lives as long as the transport; `close()` it (the client does). The suite's in-process
    target and the mock's tests (`segue.mock.testing`) both use it.

    The answer is a stream the client reads and closes: only then does httpx set
    `response.elapsed`, which Schemathesis reads when it validates a response. A sync request
    body (a generator: chunked, no Content-Length) is handed to the app as an async one.
    """

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._portal_cm = start_blocking_portal()
        self._portal: BlockingPortal = self._portal_cm.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.AsyncByteStream):
            request.stream = _AsyncStream(request.stream)

        async def call() -> httpx.Response:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=httpx.ByteStream(content),
                request=request,
            )

        return self._portal.call(call)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._portal_cm.__exit__(None, None, None)


class _AsyncStream(httpx.AsyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> Any:
        for chunk in self._stream:
            yield chunk


@dataclass(frozen=True)
class SentRequest:
    """One request as sent (headers included) and the status it got."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    status: int | None = None

    def curl(self, secrets: list[str]) -> str:
        """A shell command reproducing the request, every secret replaced by `${SEGUE_API_KEY}`."""
        parts = ["curl", "-sS", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.headers.items():
            if name.lower() in (
                "content-length",
                "host",
                "accept-encoding",
                "connection",
                "user-agent",
                "accept",
            ):
                continue
            header = f"{name}: {value}"
            if (
                any(secret and secret in header for secret in secrets)
                or name.lower() == "authorization"
            ):
                for secret in secrets:
                    header = header.replace(secret, REDACTED) if secret else header
                parts += ["-H", f'"{header}"']
            else:
                parts += ["-H", shlex.quote(header)]
        if self.body:
            text = self.body.decode("utf-8", "replace")
            for secret in secrets:
                text = text.replace(secret, REDACTED) if secret else text
            parts += ["--data-raw", shlex.quote(text)]
        return " ".join(parts)


@dataclass
class Target:
    """An `httpx.Client` aimed at the server under test, plus the key and a request log.

    `base_url` is the origin (`http://127.0.0.1:8787`); operations carry their full path (the
    spec's server path + route), so one origin serves both vendors as the mock does.
    """

    client: httpx.Client
    base_url: str
    api_key: str
    in_process: bool
    sleep: Callable[[float], None] = time.sleep
    log: list[SentRequest] = field(default_factory=list)
    retry_waits: int = 0
    sent: int = 0
    # Parts of requests that differ between runs of the same seed (the receiver's port): left
    # out of the fingerprint, which is a hash of every request sent, to show runs repeat.
    volatile: list[str] = field(default_factory=list)
    _fingerprint: Any = field(default_factory=hashlib.sha256, repr=False)
    # The request a test judged failing (receiver mode: the delivery the receiver mishandled),
    # which its report reproduces instead of the last one sent.
    blamed: SentRequest | None = None

    @property
    def fingerprint(self) -> str:
        return self._fingerprint.hexdigest()[:16]

    def _remember(self, request: SentRequest) -> None:
        self.log.append(request)
        self.sent += 1
        text = f"{request.method} {request.url.removeprefix(self.base_url)} ".encode() + (
            request.body or b""
        )
        for part in self.volatile:
            text = text.replace(part.encode(), b"{volatile}")
        self._fingerprint.update(text + b"\n")

    def auth_headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key if key is not None else self.api_key}"}

    def send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        authorization: str | None = "key",
        honour_retry_after: bool = True,
        record: bool = True,
    ) -> httpx.Response:
        """Send one request. `authorization`: "key" (the configured key), None (no header), or
        any other string (sent as `Bearer <string>`). `record=False` keeps the request out of the
        log and the fingerprint (the control API's calls are plumbing)."""
        all_headers = {"Accept": "application/json"}
        if authorization == "key":
            all_headers.update(self.auth_headers())
        elif authorization is not None:
            all_headers.update(self.auth_headers(authorization))
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        url = self.base_url + path + (("?" + urlencode(params)) if params else "")
        for waits in range(MAX_RETRY_AFTER_WAITS + 1):
            response = self.client.request(method, url, content=content, headers=all_headers)
            if record:
                self._remember(
                    SentRequest(method, url, dict(all_headers), content, response.status_code)
                )
            delay = _retry_after(response)
            if not honour_retry_after or delay is None or waits == MAX_RETRY_AFTER_WAITS:
                return response
            self.retry_waits += 1
            self.sleep(min(delay, MAX_RETRY_AFTER_SECONDS))
        return response  # pragma: no cover - the loop always returns

    def last_requests(self, count: int = 3) -> list[SentRequest]:
        return self.log[-count:]

    def new_test(self) -> None:
        """Forget the previous test's requests and blame."""
        self.log.clear()
        self.blamed = None

    def blame(self, request: SentRequest | None) -> None:
        """Name the request a failure is about; the first blamed in a test is kept."""
        if self.blamed is None:
            self.blamed = request

    def reproducing_request(self) -> SentRequest | None:
        """The request a failing test's report reproduces: the one blamed, else the last."""
        return self.blamed or (self.log[-1] if self.log else None)

    @property
    def host_is_loopback(self) -> bool:
        return self.in_process or is_loopback(self.base_url)


def is_loopback(url: str) -> bool:
    """Whether `url` names this machine (127.0.0.0/8, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait when the answer is a rate limit (HTTP 429, or code 429 in the body)."""
    limited = response.status_code == 429
    if not limited:
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        limited = isinstance(body, dict) and body.get("code") == 429
    if not limited:
        return None
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0
