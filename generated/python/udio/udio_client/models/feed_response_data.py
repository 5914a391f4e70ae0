from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.feed_clip import FeedClip
    from ..models.work_request_body import WorkRequestBody


T = TypeVar("T", bound="FeedResponseData")


@_attrs_define
class FeedResponseData:
    """
    Attributes:
        type_ (str): Request-level result type, e.g. `SUCCESS`, `IN_PROGRESS`. Not a stage indicator:
            read each clip's `status`.
        request_body (WorkRequestBody): The parameters the work was created with (shape varies with the request).
        response_data (list[FeedClip]): The work's clips (normally two).
        created_at (datetime.datetime): When the work was created (ISO 8601).
    """

    type_: str
    request_body: WorkRequestBody
    response_data: list[FeedClip]
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        request_body = self.request_body.to_dict()

        response_data = []
        for response_data_item_data in self.response_data:
            response_data_item = response_data_item_data.to_dict()
            response_data.append(response_data_item)

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "request_body": request_body,
                "response_data": response_data,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.feed_clip import FeedClip
        from ..models.work_request_body import WorkRequestBody

        d = dict(src_dict)
        type_ = d.pop("type")

        request_body = WorkRequestBody.from_dict(d.pop("request_body"))

        response_data = []
        _response_data = d.pop("response_data")
        for response_data_item_data in _response_data:
            response_data_item = FeedClip.from_dict(response_data_item_data)

            response_data.append(response_data_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        feed_response_data = cls(
            type_=type_,
            request_body=request_body,
            response_data=response_data,
            created_at=created_at,
        )

        feed_response_data.additional_properties = d
        return feed_response_data

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
