from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.work_created_response_data import WorkCreatedResponseData


T = TypeVar("T", bound="WorkCreatedResponse")


@_attrs_define
class WorkCreatedResponse:
    """A work was created; follow it with `getFeed` or the stage callbacks.

    Attributes:
        code (Literal[200]): Always 200 on success (equals the HTTP status).
        message (str): `success` on success.
        work_id (str): Id of the new work: pass it to `getFeed`, or as `origin_task_id` to `extendSong` once
            complete. Generation ids start with `gen`, extension ids with `ext`.
        data (WorkCreatedResponseData | Unset): Present on generation answers only; repeats the id as `task_id`.
    """

    code: Literal[200]
    message: str
    work_id: str
    data: WorkCreatedResponseData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        work_id = self.work_id

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "workId": work_id,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.work_created_response_data import WorkCreatedResponseData

        d = dict(src_dict)
        code = cast(Literal[200], d.pop("code"))
        if code != 200:
            raise ValueError(f"code must match const 200, got '{code}'")

        message = d.pop("message")

        work_id = d.pop("workId")

        _data = d.pop("data", UNSET)
        data: WorkCreatedResponseData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = WorkCreatedResponseData.from_dict(_data)

        work_created_response = cls(
            code=code,
            message=message,
            work_id=work_id,
            data=data,
        )

        work_created_response.additional_properties = d
        return work_created_response

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
