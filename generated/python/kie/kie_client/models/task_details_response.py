from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.music_task_details import MusicTaskDetails


T = TypeVar("T", bound="TaskDetailsResponse")


@_attrs_define
class TaskDetailsResponse:
    """The envelope of a successful poll.

    Attributes:
        code (int):
        msg (str):  Example: success.
        data (MusicTaskDetails): A task, as polled. `required` lists what every documented record-info example carries
            (docs.kie.ai and docs.sunoapi.org get-music-details, the docs.kie.ai quickstart's status
            answer): `operationType` is missing from the get-music-details example, and
            `parentMusicId`, `param`, `type`, `errorCode` and `errorMessage` from the quickstart's,
            so they are optional (DECISIONS K-7). The mock sends them all.
    """

    code: int
    msg: str
    data: MusicTaskDetails
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
        from ..models.music_task_details import MusicTaskDetails

        d = dict(src_dict)
        code = d.pop("code")

        msg = d.pop("msg")

        data = MusicTaskDetails.from_dict(d.pop("data"))

        task_details_response = cls(
            code=code,
            msg=msg,
            data=data,
        )

        task_details_response.additional_properties = d
        return task_details_response

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
