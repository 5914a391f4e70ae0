"""udioapi.pro's Udio API: its handlers (parse, call the state, answer) and its shapes.

The handlers are named per operation of `specs/udio.openapi.yaml` in `segue.mock.udio.urls`; the
checks every request passes first, and the error answers, are `segue.mock.responses`'. The
rules are the state's (`segue.mock.models`), run under the core's lock (`segue.mock.core`).

Shapes: the feed is `{code, message, data}` with a status per clip; callbacks are a bare array
of clips. Each clip's `extra_message` is the one the callback examples show for its status, and
a failed clip's default `fail_message` the one the feed example shows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from segue.mock import models
from segue.mock.models import Clip, Task
from segue.mock.responses import ParsedRequest, VendorResponses, success_message
from segue.mock.spec import VendorSpec

# URLs on reserved example hosts (RFC 2606): realistic, never fetchable.
UDIO_MEDIA = "https://cdn.example.com/udio"
UDIO_STREAM = "https://audiopipe.example.com/?item_id="


class UdioResponses(VendorResponses["UdioRenderer"]):
    """Udio's handlers: each returns the success body or lets a `RuleViolation` through."""

    vendor = models.UDIO

    def generate_song(self, request: ParsedRequest) -> Any:
        state = self.core.state
        task = self.core.create(
            lambda: state.udio_generate(request.key, request.body, self.renderer.default_model)
        )
        return self.created(request, task.id)

    def extend_song(self, request: ParsedRequest) -> Any:
        task = self.core.create(lambda: self.core.state.udio_extend(request.key, request.body))
        return self.created(request, task.id)

    def get_feed(self, request: ParsedRequest) -> Any:
        return self.poll(request, models.WORK_NOT_FOUND, self.renderer.feed)


def iso_time(moment: float) -> str:
    """ISO 8601 with milliseconds and `Z`, as Udio's examples show."""
    return (
        datetime.fromtimestamp(moment, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


# The per-clip `status` Udio shows for each lifecycle status.
UDIO_CLIP_STATUS = {
    models.TEXT_SUCCESS: "text",
    models.FIRST_SUCCESS: "first",
    models.SUCCESS: "complete",
}


class UdioRenderer:
    """Udio: feed `{code, message, data}` with per-clip status; callbacks a bare array of clips."""

    def __init__(self, spec: VendorSpec) -> None:
        self.spec = spec
        self.success_message = success_message(spec, "message")
        self.extra_messages: dict[str, str] = {}
        self.default_fail_message = ""
        for operation in spec.operations.values():
            for callback in operation.callbacks:
                for example in callback.examples:
                    for clip in example if isinstance(example, list) else []:
                        if (
                            isinstance(clip, dict)
                            and clip.get("status")
                            and clip.get("extra_message")
                        ):
                            self.extra_messages.setdefault(
                                str(clip["status"]), str(clip["extra_message"])
                            )
        feed = spec.operations.get("getFeed")
        for example in feed.success_examples if feed else []:
            for clip in (
                example.get("data", {}).get("response_data", [])
                if isinstance(example, dict)
                else []
            ):
                if (
                    isinstance(clip, dict)
                    and clip.get("fail_message")
                    and not self.default_fail_message
                ):
                    self.default_fail_message = str(clip["fail_message"])
        self.default_model = (
            spec.schema_default("Model") or (spec.enum("Model") or ["chirp-v3-5"])[0]
        )

    def failure_message(self, code: int | None) -> str | None:
        """Udio shows one failure text whatever the code: the feed example's."""
        return self.default_fail_message or None

    def feed(self, task: Task) -> dict[str, Any]:
        shown = self._shown_status(task)
        clips = [self._clip(task, c, shown) for c in task.clips] if shown else []
        return {
            "code": 200,
            "message": self.success_message,
            "data": {
                "type": "SUCCESS" if task.terminal else "IN_PROGRESS",
                "request_body": task.params,
                "response_data": clips,
                "created_at": iso_time(task.created_at),
            },
        }

    def callback(self, task: Task, stage: str, status: str) -> list[dict[str, Any]]:
        shown = UDIO_CLIP_STATUS.get(status) or UDIO_CLIP_STATUS.get(task.progress) or "text"
        clips = [self._clip(task, c, shown, failed=stage == models.ERROR_STAGE) for c in task.clips]
        for clip, source in zip(clips, task.clips, strict=True):
            clip["createTime"] = iso_time(source.created_at)
        return clips

    def _shown_status(self, task: Task) -> str | None:
        """The clips' status now: none before the text stage; a failed task keeps its last stage."""
        if task.failure is not None:
            return UDIO_CLIP_STATUS.get(task.progress, "text")
        return UDIO_CLIP_STATUS.get(task.status)

    def _clip(
        self, task: Task, clip: Clip, status: str, failed: bool | None = None
    ) -> dict[str, Any]:
        failed = task.failure is not None if failed is None else failed
        failure = task.failure if failed else None
        complete = status == "complete" and not failed
        audio = (
            f"{UDIO_MEDIA}/{clip.id}.mp3"
            if complete
            else (f"{UDIO_STREAM}{clip.id}" if status == "first" else "")
        )
        return {
            "id": clip.id,
            "audio_url": audio,
            "image_url": f"{UDIO_MEDIA}/image_{clip.id}.jpeg",
            "image_large_url": f"{UDIO_MEDIA}/image_large_{clip.id}.jpeg",
            "created_at": iso_time(clip.created_at),
            "timestamp": int(clip.created_at * 1000),
            "status": status,
            "title": clip.title,
            "prompt": clip.prompt,
            "tags": clip.tags,
            "duration": clip.duration if complete else "",
            "model_name": clip.model_name,
            "extra_message": "" if failed else self.extra_messages.get(status, ""),
            "fail_message": failure.message if failure else "",
            "error_message": "",
        }
