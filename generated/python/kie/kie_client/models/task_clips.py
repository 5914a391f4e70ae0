from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.suno_clip import SunoClip


T = TypeVar("T", bound="TaskClips")


@_attrs_define
class TaskClips:
    """
    Attributes:
        suno_data (list[SunoClip]):
        task_id (str | Unset): Optional; the quickstart's status answer leaves it out (K-7).
    """

    suno_data: list[SunoClip]
    task_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        suno_data = []
        for suno_data_item_data in self.suno_data:
            suno_data_item = suno_data_item_data.to_dict()
            suno_data.append(suno_data_item)

        task_id = self.task_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sunoData": suno_data,
            }
        )
        if task_id is not UNSET:
            field_dict["taskId"] = task_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.suno_clip import SunoClip

        d = dict(src_dict)
        suno_data = []
        _suno_data = d.pop("sunoData")
        for suno_data_item_data in _suno_data:
            suno_data_item = SunoClip.from_dict(suno_data_item_data)

            suno_data.append(suno_data_item)

        task_id = d.pop("taskId", UNSET)

        task_clips = cls(
            suno_data=suno_data,
            task_id=task_id,
        )

        task_clips.additional_properties = d
        return task_clips

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
