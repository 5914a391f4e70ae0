from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.callback_type import CallbackType

if TYPE_CHECKING:
    from ..models.callback_clip import CallbackClip


T = TypeVar("T", bound="MusicCallbackData")


@_attrs_define
class MusicCallbackData:
    """
    Attributes:
        callback_type (CallbackType | str): A `CallbackType`, or a stage KIE has not documented yet (kept as sent).
        task_id (str): The `taskId` the create call returned. Example: 2fac****9f72.
        data (list[CallbackClip] | None): The clips (empty at `text`; empty or null at `error`).
    """

    callback_type: CallbackType | str
    task_id: str
    data: list[CallbackClip] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        callback_type: str
        if isinstance(self.callback_type, CallbackType):
            callback_type = self.callback_type.value
        else:
            callback_type = self.callback_type

        task_id = self.task_id

        data: list[dict[str, Any]] | None
        if isinstance(self.data, list):
            data = []
            for data_type_0_item_data in self.data:
                data_type_0_item = data_type_0_item_data.to_dict()
                data.append(data_type_0_item)

        else:
            data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "callbackType": callback_type,
                "task_id": task_id,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.callback_clip import CallbackClip

        d = dict(src_dict)

        def _parse_callback_type(data: object) -> CallbackType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                callback_type_type_0 = CallbackType(data)

                return callback_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallbackType | str, data)

        callback_type = _parse_callback_type(d.pop("callbackType"))

        task_id = d.pop("task_id")

        def _parse_data(data: object) -> list[CallbackClip] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                data_type_0 = []
                _data_type_0 = data
                for data_type_0_item_data in _data_type_0:
                    data_type_0_item = CallbackClip.from_dict(data_type_0_item_data)

                    data_type_0.append(data_type_0_item)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CallbackClip] | None, data)

        data = _parse_data(d.pop("data"))

        music_callback_data = cls(
            callback_type=callback_type,
            task_id=task_id,
            data=data,
        )

        music_callback_data.additional_properties = d
        return music_callback_data

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
