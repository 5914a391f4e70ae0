from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.task_created_response_data import TaskCreatedResponseData


T = TypeVar("T", bound="TaskCreatedResponse")


@_attrs_define
class TaskCreatedResponse:
    """The envelope of a successful create call.

    Attributes:
        code (int):
        msg (str):  Example: success.
        data (TaskCreatedResponseData):
    """

    code: int
    msg: str
    data: TaskCreatedResponseData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        msg = self.msg

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "msg": msg,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_created_response_data import TaskCreatedResponseData

        d = dict(src_dict)
        code = d.pop("code")

        msg = d.pop("msg")

        data = TaskCreatedResponseData.from_dict(d.pop("data"))

        task_created_response = cls(
            code=code,
            msg=msg,
            data=data,
        )

        task_created_response.additional_properties = d
        return task_created_response

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
