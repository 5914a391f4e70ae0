"""Render tasks in each vendor's shapes: create answers, polls, callback payloads.

Fixed texts come from the spec's examples, not from here: the create answer is the operation's
success example with the new id in place of the example's; the callback `msg` of each stage (KIE)
and each clip's `extra_message` (Udio) are the ones the callback examples show for that stage; a
failure's default message is the one an example shows for that code. The shapes themselves
(which keys, camelCase or snake_case) follow the response and callback schemas, and the test
suite validates every rendered body against them.
"""

from __future__ import annotations

import copy
import functools
import json
from datetime import UTC, datetime
from typing import Any

from segue.mock import models
from segue.mock.models import Clip, Task
from segue.mock.spec import SpecError, VendorSpec

KIE_OPERATION_TYPE = {
    "generateMusic": "generate",
    "extendMusic": "extend",
    "uploadAndExtendAudio": "upload_extend",
}
# URLs on reserved example hosts (RFC 2606): realistic, never fetchable.
KIE_MEDIA = "https://cdn.example.com/kie"
UDIO_MEDIA = "https://cdn.example.com/udio"
UDIO_STREAM = "https://audiopipe.example.com/?item_id="


def kie_time(moment: float) -> str:
    """KIE's `createTime`: `YYYY-MM-DD HH:MM:SS` (UTC)."""
    return _kie_second(int(moment))


@functools.lru_cache(maxsize=256)
def _kie_second(second: int) -> str:
    # Every clip of a task, in every payload of its three stages, shows the same few seconds;
    # strftime costs ~7 us a call on the serving thread.
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%d %H:%M:%S")


def iso_time(moment: float) -> str:
    """ISO 8601 with milliseconds and `Z`, as Udio's examples show."""
    return (
        datetime.fromtimestamp(moment, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def created_answer(spec: VendorSpec, operation_id: str, new_id: str) -> Any:
    """The operation's success example with `new_id` wherever the example's id was."""
    template = spec.operations[operation_id].success_examples[0]
    old_id = _example_id(template)  # present: check_create_templates ran at start-up
    return _replace_string(copy.deepcopy(template), old_id or "", new_id)


def check_create_templates(spec: VendorSpec, operation_ids: list[str]) -> None:
    """Fail at start-up, not per request, when a create operation has no success example to
    render from (or one without an id to replace)."""
    for operation_id in operation_ids:
        operation = spec.operations.get(operation_id)
        if operation is None:
            continue  # not in this spec: the mock does not serve it
        examples = operation.success_examples
        if not examples or _example_id(examples[0]) is None:
            raise SpecError(
                f"{spec.path}: {operation_id} needs a 2xx response example with a taskId/workId:"
                " the mock renders its answer from it"
            )


def _example_id(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("taskId", "workId", "task_id"):
            if isinstance(value.get(key), str):
                return str(value[key])
        for child in value.values():
            found = _example_id(child)
            if found:
                return found
    return None


def _replace_string(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _replace_string(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_string(v, old, new) for v in value]
    return new if value == old else value


def _success_message(spec: VendorSpec, key: str) -> str:
    """`success`, as the success examples say it."""
    for operation in spec.operations.values():
        for example in operation.success_examples:
            if isinstance(example, dict) and isinstance(example.get(key), str):
                return str(example[key])
    return "success"


class KieRenderer:
    """KIE: record-info in camelCase, callbacks in snake_case with `callbackType`."""

    def __init__(self, spec: VendorSpec) -> None:
        self.spec = spec
        self.success_msg = _success_message(spec, "msg")
        self.stage_messages: dict[str, str] = {}
        self.failure_messages: dict[int, str] = {}
        self.task_type = "GENERATE"
        # Strict speaker: a clip names its model as the spec says clips do (`Model`'s
        # `x-segue-clip-model-name`), never a name the mock made up.
        model = spec.document.get("components", {}).get("schemas", {}).get("Model", {})
        self.clip_model_names: dict[str, str] = dict(model.get("x-segue-clip-model-name") or {})
        poll = spec.operations.get("getMusicTaskDetails")
        for example in poll.success_examples if poll else []:
            data = example.get("data") if isinstance(example, dict) else None
            if isinstance(data, dict):
                self.task_type = str(data.get("type", self.task_type))
                if isinstance(data.get("errorCode"), int) and data.get("errorMessage"):
                    self.failure_messages.setdefault(data["errorCode"], str(data["errorMessage"]))
        for operation in spec.operations.values():
            for callback in operation.callbacks:
                for example in callback.examples:
                    self._learn_callback(example)
        # Last resort for a task's errorCode: the spec's error answer with the same code (e.g. 500).
        for answer in spec.rule_answers.values():
            body = answer.body
            if isinstance(body, dict) and isinstance(body.get("code"), int) and body.get("msg"):
                self.failure_messages.setdefault(body["code"], str(body["msg"]))

    def _learn_callback(self, example: Any) -> None:
        if not isinstance(example, dict) or not isinstance(example.get("data"), dict):
            return
        stage, code, msg = (
            example["data"].get("callbackType"),
            example.get("code"),
            example.get("msg"),
        )
        if not isinstance(msg, str):
            return
        if code == 200 and isinstance(stage, str):
            self.stage_messages.setdefault(stage, msg)
        elif isinstance(code, int):
            self.failure_messages.setdefault(code, msg)

    def failure_message(self, code: int | None) -> str | None:
        return self.failure_messages.get(code) if code is not None else None

    # ------------------------------------------------------------------ record-info

    def task_details(self, task: Task) -> dict[str, Any]:
        clips = task.clips_at(task.status)
        failure = task.failure
        return {
            "code": 200,
            "msg": self.success_msg,
            "data": {
                "taskId": task.id,
                "parentMusicId": task.parent_audio_id,
                "param": json.dumps(task.params, ensure_ascii=False, separators=(",", ":")),
                "response": {"taskId": task.id, "sunoData": [self._camel(c) for c in clips]}
                if clips
                else None,
                "status": task.status,
                "type": self.task_type,
                "operationType": KIE_OPERATION_TYPE.get(task.operation, "generate"),
                "errorCode": failure.code if failure else None,
                "errorMessage": failure.message if failure else None,
            },
        }

    def _camel(self, clip: Clip) -> dict[str, Any]:
        return {
            "id": clip.id,
            "audioUrl": f"{KIE_MEDIA}/{clip.id}.mp3",
            "streamAudioUrl": f"{KIE_MEDIA}/stream/{clip.id}",
            "imageUrl": f"{KIE_MEDIA}/{clip.id}.jpeg",
            "prompt": clip.prompt,
            "modelName": self.clip_model_names.get(clip.model, clip.model_name),
            "title": clip.title,
            "tags": clip.tags,
            "createTime": kie_time(clip.created_at),
            "duration": clip.duration,
        }

    # ------------------------------------------------------------------ callbacks

    def callback(self, task: Task, stage: str, status: str) -> dict[str, Any]:
        if stage == models.ERROR_STAGE:
            failure = task.failure
            code = failure.code if failure and failure.code is not None else 500
            message = failure.message if failure else ""
            return {
                "code": code,
                "msg": message,
                "data": {"callbackType": stage, "task_id": task.id, "data": []},
            }
        clips = [self._snake(task, c) for c in task.clips_at(status)]
        return {
            "code": 200,
            "msg": self.stage_messages.get(stage, self.success_msg),
            "data": {"callbackType": stage, "task_id": task.id, "data": clips},
        }

    def _snake(self, task: Task, clip: Clip) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": clip.id,
            "audio_url": f"{KIE_MEDIA}/{clip.id}.mp3",
            "stream_audio_url": f"{KIE_MEDIA}/stream/{clip.id}",
            "image_url": f"{KIE_MEDIA}/{clip.id}.jpeg",
            "prompt": clip.prompt,
            "model_name": self.clip_model_names.get(clip.model, clip.model_name),
            "title": clip.title,
            "tags": clip.tags,
            "createTime": kie_time(clip.created_at),
            "duration": clip.duration,
        }
        if task.upload_url is not None:
            item["source_audio_url"] = task.upload_url
            item["source_stream_audio_url"] = task.upload_url
            item["source_image_url"] = f"{KIE_MEDIA}/{task.id}-source.jpeg"
        return item


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
        self.success_message = _success_message(spec, "message")
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
