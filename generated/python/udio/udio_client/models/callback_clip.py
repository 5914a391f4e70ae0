from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.clip_status import ClipStatus
from ..models.model import Model
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallbackClip")


@_attrs_define
class CallbackClip:
    """One clip in a stage callback: every `FeedClip` field, plus `createTime` (ISO 8601).

    Attributes:
        id (str): Clip id (UUID). May be an empty string at the `text` stage.
        audio_url (str): Audio URL: a stream (`https://audiopipe.suno.ai/?item_id=…`) before completion, the
            final file after. May be an empty string before audio exists.
        image_url (str): Cover image URL (may be empty at early stages).
        created_at (datetime.datetime): When the clip was created (ISO 8601).
        timestamp (int): Creation time in milliseconds since the Unix epoch.
        status (ClipStatus | str): A `ClipStatus`, or a stage udioapi.pro has not documented yet (kept as sent).
        title (str): Song title (empty until known).
        prompt (str): Lyrics / prompt used (empty until known).
        tags (str): Style tags of the clip (empty until known).
        duration (float | str): Length in seconds; an empty string until the audio exists.
        model_name (Model | str): Model that produced the clip: a `Model` id, or one udioapi.pro has not documented
            yet (kept as sent).
        extra_message (str): Progress note, e.g. `Text generated successfully.` or `All generated successfully.`.
        fail_message (str): Non-empty when generation failed, e.g. `Does Not Meet Guidelines`,
            `Prompt contained inappropriate material`,
            `This song violates Suno's content moderation policy`.
        error_message (str): Non-empty when an error occurred.
        create_time (datetime.datetime): Creation time, ISO 8601 (same instant as `created_at`).
        image_large_url (str | Unset): Large cover image URL; the vendor marks it "now unused".
    """

    id: str
    audio_url: str
    image_url: str
    created_at: datetime.datetime
    timestamp: int
    status: ClipStatus | str
    title: str
    prompt: str
    tags: str
    duration: float | str
    model_name: Model | str
    extra_message: str
    fail_message: str
    error_message: str
    create_time: datetime.datetime
    image_large_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        audio_url = self.audio_url

        image_url = self.image_url

        created_at = self.created_at.isoformat()

        timestamp = self.timestamp

        status: str
        if isinstance(self.status, ClipStatus):
            status = self.status.value
        else:
            status = self.status

        title = self.title

        prompt = self.prompt

        tags = self.tags

        duration: float | str
        duration = self.duration

        model_name: str
        if isinstance(self.model_name, Model):
            model_name = self.model_name.value
        else:
            model_name = self.model_name

        extra_message = self.extra_message

        fail_message = self.fail_message

        error_message = self.error_message

        create_time = self.create_time.isoformat()

        image_large_url = self.image_large_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "audio_url": audio_url,
                "image_url": image_url,
                "created_at": created_at,
                "timestamp": timestamp,
                "status": status,
                "title": title,
                "prompt": prompt,
                "tags": tags,
                "duration": duration,
                "model_name": model_name,
                "extra_message": extra_message,
                "fail_message": fail_message,
                "error_message": error_message,
                "createTime": create_time,
            }
        )
        if image_large_url is not UNSET:
            field_dict["image_large_url"] = image_large_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        audio_url = d.pop("audio_url")

        image_url = d.pop("image_url")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        timestamp = d.pop("timestamp")

        def _parse_status(data: object) -> ClipStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = ClipStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClipStatus | str, data)

        status = _parse_status(d.pop("status"))

        title = d.pop("title")

        prompt = d.pop("prompt")

        tags = d.pop("tags")

        def _parse_duration(data: object) -> float | str:
            return cast(float | str, data)

        duration = _parse_duration(d.pop("duration"))

        def _parse_model_name(data: object) -> Model | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_name_type_0 = Model(data)

                return model_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Model | str, data)

        model_name = _parse_model_name(d.pop("model_name"))

        extra_message = d.pop("extra_message")

        fail_message = d.pop("fail_message")

        error_message = d.pop("error_message")

        create_time = datetime.datetime.fromisoformat(d.pop("createTime"))

        image_large_url = d.pop("image_large_url", UNSET)

        callback_clip = cls(
            id=id,
            audio_url=audio_url,
            image_url=image_url,
            created_at=created_at,
            timestamp=timestamp,
            status=status,
            title=title,
            prompt=prompt,
            tags=tags,
            duration=duration,
            model_name=model_name,
            extra_message=extra_message,
            fail_message=fail_message,
            error_message=error_message,
            create_time=create_time,
            image_large_url=image_large_url,
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
