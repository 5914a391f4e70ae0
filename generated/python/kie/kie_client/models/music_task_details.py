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
    (docs.kie.ai and docs.sunoapi.org get-music-details, the docs.kie.ai quickstart's status
    answer): `operationType` is missing from the get-music-details example, and
    `parentMusicId`, `param`, `type`, `errorCode` and `errorMessage` from the quickstart's,
    so they are optional (DECISIONS K-7). The mock sends them all.

        Attributes:
            task_id (str):  Example: 5c79****be8e.
            response (None | TaskClips): The clips so far (`null` before any exist).
            status (str | TaskStatus): A `TaskStatus`, or a status KIE has not documented yet (kept as sent).
            parent_music_id (str | Unset): For extensions, the `audioId` that was extended; `""` otherwise.
            param (str | Unset): The original request body, JSON-encoded as a string. Example: {"prompt":"A calm piano
                track","customMode":false,"instrumental":false,"model":"V4","callBackUrl":"https://api.example.com/callback"}.
            type_ (str | Unset): Task kind as the vendor labels it (documented as `chirp-v3-5`/`chirp-v4`, shown as
                `GENERATE`). Example: GENERATE.
            operation_type (OperationType | str | Unset): An `OperationType`, or one KIE has not documented yet. Optional:
                the vendor's own
                record-info example leaves it out.
            error_code (int | None | TaskErrorCode | Unset): A `TaskErrorCode`, or a code KIE has not documented yet (kept
                as sent).
            error_message (None | str | Unset): Why the task failed; `null` or `""` otherwise.
    """

    task_id: str
    response: None | TaskClips
    status: str | TaskStatus
    parent_music_id: str | Unset = UNSET
    param: str | Unset = UNSET
    type_: str | Unset = UNSET
    operation_type: OperationType | str | Unset = UNSET
    error_code: int | None | TaskErrorCode | Unset = UNSET
    error_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_clips import TaskClips

        task_id = self.task_id

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

        parent_music_id = self.parent_music_id

        param = self.param

        type_ = self.type_

        operation_type: str | Unset
        if isinstance(self.operation_type, Unset):
            operation_type = UNSET
        elif isinstance(self.operation_type, OperationType):
            operation_type = self.operation_type.value
        else:
            operation_type = self.operation_type

        error_code: int | None | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        elif isinstance(self.error_code, TaskErrorCode):
            error_code = self.error_code.value
        else:
            error_code = self.error_code

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taskId": task_id,
                "response": response,
                "status": status,
            }
        )
        if parent_music_id is not UNSET:
            field_dict["parentMusicId"] = parent_music_id
        if param is not UNSET:
            field_dict["param"] = param
        if type_ is not UNSET:
            field_dict["type"] = type_
        if operation_type is not UNSET:
            field_dict["operationType"] = operation_type
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_clips import TaskClips

        d = dict(src_dict)
        task_id = d.pop("taskId")

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

        parent_music_id = d.pop("parentMusicId", UNSET)

        param = d.pop("param", UNSET)

        type_ = d.pop("type", UNSET)

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

        def _parse_error_code(data: object) -> int | None | TaskErrorCode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                componentsschemas_task_error_code_type_1 = TaskErrorCode(data)

                return componentsschemas_task_error_code_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | None | TaskErrorCode | Unset, data)

        error_code = _parse_error_code(d.pop("errorCode", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("errorMessage", UNSET))

        music_task_details = cls(
            task_id=task_id,
            response=response,
            status=status,
            parent_music_id=parent_music_id,
            param=param,
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
