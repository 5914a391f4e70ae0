"""KIE's Suno API: its handlers (parse, call the state, answer) and its shapes.

The handlers are named per operation of `specs/kie.openapi.yaml` in `segue.mock.kie.urls`; the
checks every request passes first, and the error answers, are `segue.mock.responses`'. The
rules are the state's (`segue.mock.models`), run under the core's lock (`segue.mock.core`).

Shapes: record-info in camelCase; callbacks in snake_case with `callbackType`. Fixed texts come
from the spec's examples, not from here: the create answer is the operation's success example
with the new id in place of the example's; each stage's callback `msg` is the one the callback
examples show for that stage; a failure's default message is the one an example shows for that
code. The test suite validates every rendered body against the response and callback schemas.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from typing import Any

from segue.mock import models
from segue.mock.models import Clip, Task
from segue.mock.responses import ParsedRequest, VendorResponses, success_message
from segue.mock.spec import VendorSpec

KIE_OPERATION_TYPE = {
    "generateMusic": "generate",
    "extendMusic": "extend",
    "uploadAndExtendAudio": "upload_extend",
}
# URLs on reserved example hosts (RFC 2606): realistic, never fetchable.
KIE_MEDIA = "https://cdn.example.com/kie"


class KieResponses(VendorResponses["KieRenderer"]):
    """KIE's handlers: each returns the success body or lets a `RuleViolation` through."""

    vendor = models.KIE

    def generate_music(self, request: ParsedRequest) -> Any:
        task = self.core.create(lambda: self.core.state.kie_generate(request.key, request.body))
        return self.created(request, task.id)

    def extend_music(self, request: ParsedRequest) -> Any:
        task = self.core.create(lambda: self.core.state.kie_extend(request.key, request.body))
        return self.created(request, task.id)

    def upload_and_extend_audio(self, request: ParsedRequest) -> Any:
        state = self.core.state
        task = self.core.create(lambda: state.kie_upload_extend(request.key, request.body))
        return self.created(request, task.id)

    def get_music_task_details(self, request: ParsedRequest) -> Any:
        return self.poll(request, models.TASK_NOT_FOUND, self.renderer.task_details)


def kie_time(moment: float) -> str:
    """KIE's `createTime`: `YYYY-MM-DD HH:MM:SS` (UTC)."""
    return _kie_second(int(moment))


@functools.lru_cache(maxsize=256)
def _kie_second(second: int) -> str:
    # Every clip of a task, in every payload of its three stages, shows the same few seconds;
    # strftime costs ~7 us a call on the serving thread.
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%d %H:%M:%S")


class KieRenderer:
    """KIE: record-info in camelCase, callbacks in snake_case with `callbackType`."""

    def __init__(self, spec: VendorSpec) -> None:
        self.spec = spec
        self.success_msg = success_message(spec, "msg")
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
