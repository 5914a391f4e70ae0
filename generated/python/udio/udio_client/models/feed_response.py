from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.feed_response_data import FeedResponseData


T = TypeVar("T", bound="FeedResponse")


@_attrs_define
class FeedResponse:
    """Answer of `getFeed`.

    Attributes:
        code (Literal[200]): Always 200 on success.
        message (str):
        data (FeedResponseData):
    """

    code: Literal[200]
    message: str
    data: FeedResponseData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.feed_response_data import FeedResponseData

        d = dict(src_dict)
        code = cast(Literal[200], d.pop("code"))
        if code != 200:
            raise ValueError(f"code must match const 200, got '{code}'")

        message = d.pop("message")

        data = FeedResponseData.from_dict(d.pop("data"))

        feed_response = cls(
            code=code,
            message=message,
            data=data,
        )

        feed_response.additional_properties = d
        return feed_response

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
