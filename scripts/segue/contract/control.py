"""The mock's control API (`/_segue/`), when the target offers it.

Against segue's mock (in process or `segue mock` over HTTP) the suite moves tasks on, injects
faults and reads callback attempts through it; against a live server it is absent, so lifecycle
tests poll with a bounded wait instead and fault tests are skipped. Another language's mock that
serves the same control API gets the same treatment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx

from segue.contract.target import Target

PREFIX = "/_segue"
CONTROL_TOKEN_ENV = "SEGUE_CONTROL_TOKEN"
TOKEN_HEADER = "X-Segue-Control-Token"


class ControlError(AssertionError):
    """The control API refused a call the suite needed."""


@dataclass
class Control:
    target: Target
    token: str | None = None

    @classmethod
    def detect(cls, target: Target) -> Control | None:
        """The control API of `target`, or None when `GET /_segue/health` does not answer `ok`."""
        control = cls(target, os.environ.get(CONTROL_TOKEN_ENV) or None)
        try:
            health = control.call("GET", "/health")
        except (ControlError, httpx.HTTPError):
            return None
        return control if isinstance(health, dict) and health.get("ok") is True else None

    def call(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        headers = {TOKEN_HEADER: self.token} if self.token else {}
        response = self.target.send(
            method,
            PREFIX + path,
            json_body=body,
            params=params,
            headers=headers,
            authorization=None,
            honour_retry_after=False,
            record=False,
        )
        try:
            answer = response.json()
        except ValueError:
            raise ControlError(
                f"{method} {PREFIX}{path}: HTTP {response.status_code}, not JSON"
            ) from None
        if response.status_code != 200:
            raise ControlError(f"{method} {PREFIX}{path}: HTTP {response.status_code} {answer}")
        return answer

    def health(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("GET", "/health")
        return answer

    def finish(self, task_id: str) -> dict[str, Any]:
        """Move a task through every remaining stage."""
        answer: dict[str, Any] = self.call("POST", f"/tasks/{task_id}/advance", {"to_end": True})
        return answer

    def advance(self, task_id: str, stages: int = 1) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("POST", f"/tasks/{task_id}/advance", {"stages": stages})
        return answer

    def task(self, task_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("GET", f"/tasks/{task_id}")
        return answer

    def fail(self, task_id: str, **body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("POST", f"/tasks/{task_id}/fail", body)
        return answer

    def fault(self, **body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("POST", "/faults", body)
        return answer

    def callback_fault(self, **body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("POST", "/callback-faults", body)
        return answer

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    def callbacks(self, task_id: str, wait: float = 5.0) -> dict[str, Any]:
        """Every delivery attempt for `task_id`, after waiting (bounded) until none is pending."""
        answer: dict[str, Any] = self.call(
            "GET", "/callbacks", params={"task_id": task_id, "wait": wait}
        )
        return answer

    def settings(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("GET", "/settings")
        return answer

    def update_settings(self, **changes: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("PATCH", "/settings", changes)
        return answer
