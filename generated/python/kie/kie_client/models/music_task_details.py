from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_type import OperationType
from ..models.task_error_code import TaskErrorCode
from ..models.task_status import TaskStatus

if TYPE_CHECKING:
    from ..models.task_clips import TaskClips


T = TypeVar("T", bound="MusicTaskDetails")


@_attrs_define
class MusicTaskDetails:
    """A task, as polled.

    Attributes:
        task_id (str):  Example: 5c79****be8e.
        parent_music_id (str): For extensions, the `audioId` that was extended; `""` otherwise.
        param (str): The original request body, JSON-encoded as a string. Example: {"prompt":"A calm piano
            track","customMode":false,"instrumental":false,"model":"V4","callBackUrl":"https://api.example.com/callback"}.
        response (None | TaskClips): The clips so far (`null` before any exist).
        status (TaskStatus): * `PENDING` — waiting or generating.
            * `TEXT_SUCCESS` — lyrics done.
            * `FIRST_SUCCESS` — first clip done.
            * `SUCCESS` — all clips done (terminal).
            * `CREATE_TASK_FAILED`, `GENERATE_AUDIO_FAILED`, `SENSITIVE_WORD_ERROR` — failed (terminal).
            * `CALLBACK_EXCEPTION` — delivering the callback failed; results may exist (terminal for polling).

            Status only moves forward along this list.
        type_ (str): Task kind as the vendor labels it (documented as `chirp-v3-5`/`chirp-v4`, shown as `GENERATE`).
            Example: GENERATE.
        operation_type (OperationType): Which create call made the task.
        error_code (None | TaskErrorCode): Why a task failed (`null` while it has not):
            400 lyrics contained copyrighted material or content was rejected;
            408 timed out; 413 uploaded audio matches an existing work;
            500 server error; 501 audio generation failed;
            531 generation failed, credits refunded, retry allowed.
        error_message (None | str): Why the task failed; `null` or `""` otherwise.
    """

    task_id: str
    parent_music_id: str
    param: str
    response: None | TaskClips
    status: TaskStatus
    type_: str
    operation_type: OperationType
    error_code: None | TaskErrorCode
    error_message: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_clips import TaskClips

        task_id = self.task_id

        parent_music_id = self.parent_music_id

        param = self.param

        response: dict[str, Any] | None
        if isinstance(self.response, TaskClips):
            response = self.response.to_dict()
        else:
            response = self.response

        status = self.status.value

        type_ = self.type_

        operation_type = self.operation_type.value

        error_code: int | None
        if isinstance(self.error_code, TaskErrorCode):
            error_code = self.error_code.value
        else:
            error_code = self.error_code

        error_message: None | str
        error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taskId": task_id,
                "parentMusicId": parent_music_id,
                "param": param,
                "response": response,
                "status": status,
                "type": type_,
                "operationType": operation_type,
                "errorCode": error_code,
                "errorMessage": error_message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_clips import TaskClips

        d = dict(src_dict)
        task_id = d.pop("taskId")

        parent_music_id = d.pop("parentMusicId")

        param = d.pop("param")

        def _parse_response(data: object) -> None | TaskClips:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_task_clips = TaskClips.from_dict(data)

                return response_task_clips
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskClips, data)

        response = _parse_response(d.pop("response"))

        status = TaskStatus(d.pop("status"))

        type_ = d.pop("type")

        operation_type = OperationType(d.pop("operationType"))

        def _parse_error_code(data: object) -> None | TaskErrorCode:
            if data is None:
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                componentsschemas_task_error_code_type_1 = TaskErrorCode(data)

                return componentsschemas_task_error_code_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskErrorCode, data)

        error_code = _parse_error_code(d.pop("errorCode"))

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("errorMessage"))

        music_task_details = cls(
            task_id=task_id,
            parent_music_id=parent_music_id,
            param=param,
            response=response,
            status=status,
            type_=type_,
            operation_type=operation_type,
            error_code=error_code,
            error_message=error_message,
        )

        music_task_details.additional_properties = d
        return music_task_details

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
