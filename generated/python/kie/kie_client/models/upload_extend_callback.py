from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.callback_code import CallbackCode

if TYPE_CHECKING:
    from ..models.upload_extend_callback_data import UploadExtendCallbackData


T = TypeVar("T", bound="UploadExtendCallback")


@_attrs_define
class UploadExtendCallback:
    """What KIE POSTs to `callBackUrl` at each stage of an upload-extend task:
    as `MusicCallback`, with the uploaded source's URLs on each clip.

        Attributes:
            code (CallbackCode | int): A `CallbackCode`, or a code KIE has not documented yet (kept as sent).
            msg (str):  Example: All generated successfully..
            data (UploadExtendCallbackData):
    """

    code: CallbackCode | int
    msg: str
    data: UploadExtendCallbackData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: int
        if isinstance(self.code, CallbackCode):
            code = self.code.value
        else:
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
        from ..models.upload_extend_callback_data import UploadExtendCallbackData

        d = dict(src_dict)

        def _parse_code(data: object) -> CallbackCode | int:
            try:
                if not isinstance(data, int):
                    raise TypeError()
                code_type_0 = CallbackCode(data)

                return code_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CallbackCode | int, data)

        code = _parse_code(d.pop("code"))

        msg = d.pop("msg")

        data = UploadExtendCallbackData.from_dict(d.pop("data"))

        upload_extend_callback = cls(
            code=code,
            msg=msg,
            data=data,
        )

        upload_extend_callback.additional_properties = d
        return upload_extend_callback

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
