from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_type import OperationType
from ..models.task_error_code import TaskErrorCode
from ..models.task_status import TaskStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_clips import TaskClips


T = TypeVar("T", bound="MusicTaskDetails")


@_attrs_define
class MusicTaskDetails:
    """A task, as polled. `required` lists what every documented record-info example carries
    (docs.kie.ai, docs.sunoapi.org get-music-details): `operationType` is documented but
    missing from the vendor's own example, so it is optional (DECISIONS K-7).

        Attributes:
            task_id (str):  Example: 5c79****be8e.
            parent_music_id (str): For extensions, the `audioId` that was extended; `""` otherwise.
            param (str): The original request body, JSON-encoded as a string. Example: {"prompt":"A calm piano
                track","customMode":false,"instrumental":false,"model":"V4","callBackUrl":"https://api.example.com/callback"}.
            response (None | TaskClips): The clips so far (`null` before any exist).
            status (str | TaskStatus): A `TaskStatus`, or a status KIE has not documented yet (kept as sent).
            type_ (str): Task kind as the vendor labels it (documented as `chirp-v3-5`/`chirp-v4`, shown as `GENERATE`).
                Example: GENERATE.
            error_code (int | None | TaskErrorCode): A `TaskErrorCode`, or a code KIE has not documented yet (kept as sent).
            error_message (None | str): Why the task failed; `null` or `""` otherwise.
            operation_type (OperationType | str | Unset): An `OperationType`, or one KIE has not documented yet. Optional:
                the vendor's own
                record-info example leaves it out.
    """

    task_id: str
    parent_music_id: str
    param: str
    response: None | TaskClips
    status: str | TaskStatus
    type_: str
    error_code: int | None | TaskErrorCode
    error_message: None | str
    operation_type: OperationType | str | Unset = UNSET
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

        status: str
        if isinstance(self.status, TaskStatus):
            status = self.status.value
        else:
            status = self.status

        type_ = self.type_

        error_code: int | None
        if isinstance(self.error_code, TaskErrorCode):
            error_code = self.error_code.value
        else:
            error_code = self.error_code

        error_message: None | str
        error_message = self.error_message

        operation_type: str | Unset
        if isinstance(self.operation_type, Unset):
            operation_type = UNSET
        elif isinstance(self.operation_type, OperationType):
            operation_type = self.operation_type.value
        else:
            operation_type = self.operation_type

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
                "errorCode": error_code,
                "errorMessage": error_message,
            }
        )
        if operation_type is not UNSET:
            field_dict["operationType"] = operation_type

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

        def _parse_status(data: object) -> str | TaskStatus:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = TaskStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskStatus, data)

        status = _parse_status(d.pop("status"))

        type_ = d.pop("type")

        def _parse_error_code(data: object) -> int | None | TaskErrorCode:
            if data is None:
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                componentsschemas_task_error_code_type_1 = TaskErrorCode(data)

                return componentsschemas_task_error_code_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | None | TaskErrorCode, data)

        error_code = _parse_error_code(d.pop("errorCode"))

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("errorMessage"))

        def _parse_operation_type(data: object) -> OperationType | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                operation_type_type_0 = OperationType(data)

                return operation_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(OperationType | str | Unset, data)

        operation_type = _parse_operation_type(d.pop("operationType", UNSET))

        music_task_details = cls(
            task_id=task_id,
            parent_music_id=parent_music_id,
            param=param,
            response=response,
            status=status,
            type_=type_,
            error_code=error_code,
            error_message=error_message,
            operation_type=operation_type,
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
