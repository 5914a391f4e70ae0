"""Every vendor fact the SDK acts on, read from the bundled spec it ships with.

The `x-segue-errors`, `x-segue-lifecycle` and `x-segue-signature` extensions (specs/DECISIONS.md
X-1…X-3), the operations (method, path, query parameters, which ones create a task: those whose
answer links to the poll operation) and the server URL. Nothing here names a code, a status or
a header: change the spec, regenerate, and the SDK follows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_MISSING: Any = object()


def pointer_get(document: Any, pointer: str, default: Any = None) -> Any:
    """The value at a JSON Pointer (RFC 6901), or `default` when any step is missing.

    Tolerant on purpose (the vendor may send less than documented); `speclib.resolve_pointer`
    raises instead, which suits spec documents, not answers.
    """
    node = document
    if not pointer:
        return node
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return default
        if node is _MISSING:
            return default
    return node


@dataclass(frozen=True)
class ErrorEntry:
    """One documented code: the error class it raises and what the answer proves."""

    code: int
    error: str
    task_created: bool | None  # False: the answer proves no task was made; None: unknown
    transient: bool


@dataclass(frozen=True)
class ErrorTable:
    """`x-segue-errors`: where an error's code lives and what each code means."""

    outcome: str  # "envelope" (KIE: HTTP 200, code in the body) or "http-status" (Udio)
    code_pointer: str
    message_pointer: str
    entries: Mapping[int, ErrorEntry]

    @classmethod
    def from_extension(cls, extension: Mapping[str, Any]) -> ErrorTable:
        entries = {
            int(code): ErrorEntry(
                code=int(code),
                error=entry["error"],
                task_created=entry.get("task-created"),
                transient=bool(entry.get("transient", False)),
            )
            for code, entry in extension["codes"].items()
        }
        return cls(extension["outcome"], extension["code"], extension["message"], entries)

    def error_code(self, http_status: int, body: Any) -> int | None:
        """The error code of an answer, or None when it is a success."""
        if http_status >= 400:
            return http_status
        if self.outcome == "envelope":
            code = pointer_get(body, self.code_pointer)
            if isinstance(code, int) and not isinstance(code, bool) and not 200 <= code < 300:
                return code
        return None

    def retry_safe(self, code: int, creates: bool) -> bool:
        """Whether an answer with `code` is worth retrying: a create only when the spec marks
        the code transient AND proving no task was made; a read when transient (or an
        undocumented 5xx)."""
        entry = self.entries.get(code)
        if creates:
            return entry is not None and entry.transient and entry.task_created is False
        return entry.transient if entry is not None else code >= 500


@dataclass(frozen=True)
class Progress:
    """Where a polled task stands: its stage's index in `stages` (-1: none yet)."""

    status: str | None
    reached: int
    failed: bool = False
    error_code: Any = None
    error_message: str | None = None


@dataclass(frozen=True)
class Lifecycle:
    """`x-segue-lifecycle`: how a created task is followed to its end."""

    poll: str
    task_id_answer: str
    task_id_parameter: str
    status: str
    stages: tuple[str, ...]
    success: tuple[str, ...]
    failure: tuple[str, ...]
    failure_code: str | None
    failure_message: str | None
    clips: str | None  # Udio: the status is per clip, under this pointer
    success_message: tuple[str, str] | None  # Udio: (field, value) that also means complete
    failure_fields: tuple[str, ...]
    max_polls_per_second: float | None

    @classmethod
    def from_extension(cls, ext: Mapping[str, Any]) -> Lifecycle:
        message = ext.get("success-message")
        return cls(
            poll=ext["poll"],
            task_id_answer=ext["task-id"]["answer"],
            task_id_parameter=ext["task-id"]["parameter"],
            status=ext["status"],
            stages=tuple(ext["stages"]),
            success=tuple(ext["success"]),
            failure=tuple(ext.get("failure", ())),
            failure_code=ext.get("failure-code"),
            failure_message=ext.get("failure-message"),
            clips=ext.get("clips"),
            success_message=(message["field"], message["value"]) if message else None,
            failure_fields=tuple(ext.get("failure-fields", ())),
            max_polls_per_second=ext.get("max-polls-per-second"),
        )

    @property
    def min_poll_interval(self) -> float:
        return 1.0 / self.max_polls_per_second if self.max_polls_per_second else 0.0

    def stage_index(self, stage: str) -> int:
        """Index of a stage `wait(until=…)` may name; ValueError naming the documented ones."""
        if stage in self.stages:
            return self.stages.index(stage)
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(self.stages)}")

    def progress(self, answer: Any) -> Progress:
        if self.clips is not None:
            return self._clips_progress(pointer_get(answer, self.clips))
        status = pointer_get(answer, self.status)
        if status in self.failure:
            return Progress(
                status,
                -1,
                failed=True,
                error_code=pointer_get(answer, self.failure_code or ""),
                error_message=pointer_get(answer, self.failure_message or ""),
            )
        return Progress(status, self._index(status))

    def _index(self, status: Any) -> int:
        if status in self.success:
            return len(self.stages) - 1
        return self.stages.index(status) if status in self.stages else -1

    def _clips_progress(self, clips: Any) -> Progress:
        """Udio: every clip must reach a stage; any clip with a failure field failed the work."""
        if not isinstance(clips, list) or not clips:
            return Progress(None, -1)
        reached = []
        for clip in clips:
            clip = clip if isinstance(clip, Mapping) else {}
            for field in self.failure_fields:
                if clip.get(field):
                    return Progress(clip.get(self.status), -1, True, None, str(clip[field]))
            index = self._index(clip.get(self.status))
            if (
                self.success_message
                and clip.get(self.success_message[0]) == (self.success_message[1])
            ):
                index = len(self.stages) - 1
            reached.append(index)
        least = min(reached)
        return Progress(self.stages[least] if least >= 0 else None, least)


# `{$request.body#/pointer}` or `{$request.header.Name}` inside a signed-message template.
_EXPRESSION = re.compile(r"\{\$request\.(?:body#(?P<pointer>[^}]*)|header\.(?P<header>[^}]+))\}")


@dataclass(frozen=True)
class Signature:
    """`x-segue-signature`: how the vendor signs its callbacks (None when it does not)."""

    algorithm: str
    encoding: str
    message: str  # OpenAPI runtime expressions over the callback request
    signature_header: str
    timestamp_header: str
    timestamp_unit: str
    tolerance_seconds: float

    @classmethod
    def from_extension(cls, ext: Any) -> Signature | None:
        if not isinstance(ext, Mapping):
            return None  # "none": the vendor documents no signature
        return cls(
            ext["algorithm"],
            ext["encoding"],
            ext["message"],
            ext["signature-header"],
            ext["timestamp-header"],
            ext.get("timestamp-unit", "seconds"),
            float(ext["tolerance-seconds"]),
        )

    def signed_message(self, body: Any, headers: Mapping[str, str]) -> str | None:
        """The message as the vendor signs it, or None when a part it names is missing."""
        parts: list[str] = []
        position = 0
        for match in _EXPRESSION.finditer(self.message):
            parts.append(self.message[position : match.start()])
            if match["pointer"] is not None:
                value = pointer_get(body, match["pointer"])
            else:
                value = headers.get(match["header"].lower())
            if value is None or isinstance(value, (dict, list)):
                return None
            parts.append(str(value))
            position = match.end()
        parts.append(self.message[position:])
        return "".join(parts)

    def body_pointer(self) -> str | None:
        """The first body pointer the message names (KIE: the task id), for the replay guard."""
        match = next((m for m in _EXPRESSION.finditer(self.message) if m["pointer"]), None)
        return match["pointer"] if match else None


@dataclass(frozen=True)
class Operation:
    """One HTTP operation as the facade calls it."""

    operation_id: str
    method: str
    path: str
    query: tuple[str, ...]
    creates: bool  # its success answer links to the poll operation: it makes a task


@dataclass(frozen=True)
class VendorFacts:
    name: str
    server_url: str
    errors: ErrorTable
    lifecycle: Lifecycle
    signature: Signature | None
    callback_stage: str | None
    operations: Mapping[str, Operation]


_METHODS = ("get", "put", "post", "delete", "patch")


def load(name: str, document: Mapping[str, Any]) -> VendorFacts:
    lifecycle = Lifecycle.from_extension(document["x-segue-lifecycle"])
    operations = {}
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            node = item.get(method)
            if isinstance(node, Mapping) and "operationId" in node:
                operations[node["operationId"]] = Operation(
                    node["operationId"],
                    method.upper(),
                    path,
                    tuple(
                        p["name"]
                        for p in (_deref(document, p) for p in node.get("parameters", ()))
                        if p.get("in") == "query"
                    ),
                    _links_to(document, node, lifecycle.poll),
                )
    return VendorFacts(
        name=name,
        server_url=document["servers"][0]["url"],
        errors=ErrorTable.from_extension(document["x-segue-errors"]),
        lifecycle=lifecycle,
        signature=Signature.from_extension(document.get("x-segue-signature")),
        callback_stage=document["x-segue-lifecycle"].get("callback-stage"),
        operations=operations,
    )


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        node = pointer_get(document, node["$ref"].removeprefix("#"), {})
    return node


def _links_to(document: Mapping[str, Any], operation: Mapping[str, Any], poll: str) -> bool:
    for response in operation.get("responses", {}).values():
        for link in _deref(document, response).get("links", {}).values():
            if _deref(document, link).get("operationId") == poll:
                return True
    return False
