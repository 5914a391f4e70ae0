from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.suno_model_name import SunoModelName
from ..types import UNSET, Unset

T = TypeVar("T", bound="SunoClip")


@_attrs_define
class SunoClip:
    """A clip as `getMusicTaskDetails` shows it (camelCase). `modelName` is documented but the
    quickstart's status answer (docs.kie.ai/suno-api/quickstart) leaves it out, so it is
    optional (DECISIONS K-7).

        Attributes:
            id (str): The clip id, the `audioId` to extend. Example: 8551****662c.
            audio_url (str): MP3 of the clip (empty until it is ready). Example: https://example.cn/****.mp3.
            stream_audio_url (str):  Example: https://example.cn/****.
            image_url (str):  Example: https://example.cn/****.jpeg.
            prompt (str): The lyrics or prompt. Example: [Verse] Night city lights shining bright.
            title (str):  Example: Iron Man.
            tags (str):  Example: electrifying, rock.
            create_time (str): When the clip was made, as `YYYY-MM-DD HH:MM:SS` (not RFC 3339). Example: 2025-01-01
                00:00:00.
            duration (float): Length in seconds. Example: 198.44.
            model_name (str | SunoModelName | Unset): A `SunoModelName`, or one KIE has not used before (kept as sent).
                Example: chirp-v3-5.
    """

    id: str
    audio_url: str
    stream_audio_url: str
    image_url: str
    prompt: str
    title: str
    tags: str
    create_time: str
    duration: float
    model_name: str | SunoModelName | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        audio_url = self.audio_url

        stream_audio_url = self.stream_audio_url

        image_url = self.image_url

        prompt = self.prompt

        title = self.title

        tags = self.tags

        create_time = self.create_time

        duration = self.duration

        model_name: str | Unset
        if isinstance(self.model_name, Unset):
            model_name = UNSET
        elif isinstance(self.model_name, SunoModelName):
            model_name = self.model_name.value
        else:
            model_name = self.model_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "audioUrl": audio_url,
                "streamAudioUrl": stream_audio_url,
                "imageUrl": image_url,
                "prompt": prompt,
                "title": title,
                "tags": tags,
                "createTime": create_time,
                "duration": duration,
            }
        )
        if model_name is not UNSET:
            field_dict["modelName"] = model_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        audio_url = d.pop("audioUrl")

        stream_audio_url = d.pop("streamAudioUrl")

        image_url = d.pop("imageUrl")

        prompt = d.pop("prompt")

        title = d.pop("title")

        tags = d.pop("tags")

        create_time = d.pop("createTime")

        duration = d.pop("duration")

        def _parse_model_name(data: object) -> str | SunoModelName | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_name_type_0 = SunoModelName(data)

                return model_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | SunoModelName | Unset, data)

        model_name = _parse_model_name(d.pop("modelName", UNSET))

        suno_clip = cls(
            id=id,
            audio_url=audio_url,
            stream_audio_url=stream_audio_url,
            image_url=image_url,
            prompt=prompt,
            title=title,
            tags=tags,
            create_time=create_time,
            duration=duration,
            model_name=model_name,
        )

        suno_clip.additional_properties = d
        return suno_clip

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
