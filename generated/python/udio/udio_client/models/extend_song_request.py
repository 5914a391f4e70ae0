from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.clip_index import ClipIndex
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExtendSongRequest")


@_attrs_define
class ExtendSongRequest:
    """Body of `extendSong`. Inherit mode needs only `origin_task_id` and
    `extend_audio_index`; `custom_mode: true` requires `prompt`. `style`, `title`, `tags`
    and `extensionStartTime` only take effect in custom mode.

        Attributes:
            origin_task_id (str): `workId` of a **completed** generation (or extension) created with the same API key.
            extend_audio_index (ClipIndex): Which clip of the origin work to extend — `0` the first, `1` the second.
            custom_mode (bool | Unset): `false` or omitted: inherit every parameter of the original work. `true`: use
                `prompt` (required) and the optional `style`, `title`, `tags`, `extensionStartTime`.
                 Default: False.
            callback_url (str | Unset): Where to POST each stage result (see the `stageResult` callback).
            prompt (str | Unset): Custom mode (required there): new lyrics or a description of the change.
            style (str | Unset): Custom mode: musical style.
            title (str | Unset): Custom mode: track title.
            extension_start_time (float | Unset): Custom mode: second of the origin clip at which the extension starts.
                Greater than 0
                in custom mode; should be below the clip's `duration`. Not used (any number
                accepted, `0` included) in inherit mode. Note the camelCase name.
            tags (str | Unset): Custom mode: additional style tags.
    """

    origin_task_id: str
    extend_audio_index: ClipIndex
    custom_mode: bool | Unset = False
    callback_url: str | Unset = UNSET
    prompt: str | Unset = UNSET
    style: str | Unset = UNSET
    title: str | Unset = UNSET
    extension_start_time: float | Unset = UNSET
    tags: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        origin_task_id = self.origin_task_id

        extend_audio_index = self.extend_audio_index.value

        custom_mode = self.custom_mode

        callback_url = self.callback_url

        prompt = self.prompt

        style = self.style

        title = self.title

        extension_start_time = self.extension_start_time

        tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "origin_task_id": origin_task_id,
                "extend_audio_index": extend_audio_index,
            }
        )
        if custom_mode is not UNSET:
            field_dict["custom_mode"] = custom_mode
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if style is not UNSET:
            field_dict["style"] = style
        if title is not UNSET:
            field_dict["title"] = title
        if extension_start_time is not UNSET:
            field_dict["extensionStartTime"] = extension_start_time
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        origin_task_id = d.pop("origin_task_id")

        extend_audio_index = ClipIndex(d.pop("extend_audio_index"))

        custom_mode = d.pop("custom_mode", UNSET)

        callback_url = d.pop("callback_url", UNSET)

        prompt = d.pop("prompt", UNSET)

        style = d.pop("style", UNSET)

        title = d.pop("title", UNSET)

        extension_start_time = d.pop("extensionStartTime", UNSET)

        tags = d.pop("tags", UNSET)

        extend_song_request = cls(
            origin_task_id=origin_task_id,
            extend_audio_index=extend_audio_index,
            custom_mode=custom_mode,
            callback_url=callback_url,
            prompt=prompt,
            style=style,
            title=title,
            extension_start_time=extension_start_time,
            tags=tags,
        )

        extend_song_request.additional_properties = d
        return extend_song_request

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
