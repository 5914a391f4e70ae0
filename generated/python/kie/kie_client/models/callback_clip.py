from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.suno_model_name import SunoModelName

T = TypeVar("T", bound="CallbackClip")


@_attrs_define
class CallbackClip:
    """A clip as callbacks carry it (snake_case, but `createTime` camelCase).

    Attributes:
        id (str): The clip id, the `audioId` to extend. Example: 8551****662c.
        audio_url (str):  Example: https://example.cn/****.mp3.
        stream_audio_url (str):  Example: https://example.cn/****.
        image_url (str):  Example: https://example.cn/****.jpeg.
        prompt (str):  Example: [Verse] Night city lights shining bright.
        model_name (str | SunoModelName): A `SunoModelName`, or one KIE has not used before (kept as sent). Example:
            chirp-v3-5.
        title (str):  Example: Iron Man.
        tags (str):  Example: electrifying, rock.
        create_time (int | str): When the clip was made: `YYYY-MM-DD HH:MM:SS` (not RFC 3339) in most of the vendor's
            examples, epoch milliseconds (`1786343609818`) in the newest render of its Music Generation Callbacks page
            (DECISIONS K-15). segue's mock sends the string form. Example: 2025-01-01 00:00:00.
        duration (float):  Example: 198.44.
    """

    id: str
    audio_url: str
    stream_audio_url: str
    image_url: str
    prompt: str
    model_name: str | SunoModelName
    title: str
    tags: str
    create_time: int | str
    duration: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        audio_url = self.audio_url

        stream_audio_url = self.stream_audio_url

        image_url = self.image_url

        prompt = self.prompt

        model_name: str
        if isinstance(self.model_name, SunoModelName):
            model_name = self.model_name.value
        else:
            model_name = self.model_name

        title = self.title

        tags = self.tags

        create_time: int | str
        create_time = self.create_time

        duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "audio_url": audio_url,
                "stream_audio_url": stream_audio_url,
                "image_url": image_url,
                "prompt": prompt,
                "model_name": model_name,
                "title": title,
                "tags": tags,
                "createTime": create_time,
                "duration": duration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        audio_url = d.pop("audio_url")

        stream_audio_url = d.pop("stream_audio_url")

        image_url = d.pop("image_url")

        prompt = d.pop("prompt")

        def _parse_model_name(data: object) -> str | SunoModelName:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_name_type_0 = SunoModelName(data)

                return model_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | SunoModelName, data)

        model_name = _parse_model_name(d.pop("model_name"))

        title = d.pop("title")

        tags = d.pop("tags")

        def _parse_create_time(data: object) -> int | str:
            return cast(int | str, data)

        create_time = _parse_create_time(d.pop("createTime"))

        duration = d.pop("duration")

        callback_clip = cls(
            id=id,
            audio_url=audio_url,
            stream_audio_url=stream_audio_url,
            image_url=image_url,
            prompt=prompt,
            model_name=model_name,
            title=title,
            tags=tags,
            create_time=create_time,
            duration=duration,
        )

        callback_clip.additional_properties = d
        return callback_clip

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
