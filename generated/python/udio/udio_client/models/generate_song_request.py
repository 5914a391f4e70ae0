from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model import Model
from ..models.vocal_gender import VocalGender
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateSongRequest")


@_attrs_define
class GenerateSongRequest:
    """Body of `generateSong`. Send **exactly one** of `gpt_description_prompt` (inspiration
    mode) or `prompt` (custom mode). `style`, `title` and `tags` only take effect in custom
    mode, and their limits hold there only: in inspiration mode they are accepted with any
    length (DECISIONS U-25). Length limits per model are enforced by the conditionals below
    (an omitted `model` means `chirp-v3-5`).

        Attributes:
            gpt_description_prompt (str | Unset): Inspiration mode: a description of the song to write. At most 400
                characters for
                chirp-v3-5 / chirp-v4-0; udioapi.pro documents no limit for the v4.5 and v5 models.
            prompt (str | Unset): Custom mode: your lyrics or detailed prompt. At most 3000 characters for
                chirp-v3-5 / chirp-v4-0, 5000 for the v4.5 and v5 models.
            style (str | Unset): Custom mode: musical style / genre. At most 200 characters for chirp-v3-5 /
                chirp-v4-0, 1000 for the v4.5 and v5 models. Not used in inspiration mode.
            title (str | Unset): Custom mode: song title, at most 80 characters. Not used in inspiration mode.
            tags (str | Unset): Custom mode: **negative** tags — styles to avoid.
            model (Model | Unset): Generation model. Limits on text lengths depend on it (see `GenerateSongRequest`).
                `chirp-v5` and `chirp-v5-5` (the default of udioapi.pro's own client) have the limits
                of the v4.5 family, their nearest documented one (DECISIONS U-12).
            make_instrumental (bool | Unset): Generate instrumental music without vocals. Default: False.
            gender (VocalGender | Unset): Preferred vocal gender.
            style_weight (float | Unset): A value from 0 to 1 with at most two decimals.
            weirdness_constraint (float | Unset): A value from 0 to 1 with at most two decimals.
            audio_weight (float | Unset): A value from 0 to 1 with at most two decimals.
            callback_url (str | Unset): Where to POST each stage result (see the `stageResult` callback). udioapi.pro
                requires a publicly reachable URL (no localhost or private addresses).
    """

    gpt_description_prompt: str | Unset = UNSET
    prompt: str | Unset = UNSET
    style: str | Unset = UNSET
    title: str | Unset = UNSET
    tags: str | Unset = UNSET
    model: Model | Unset = UNSET
    make_instrumental: bool | Unset = False
    gender: VocalGender | Unset = UNSET
    style_weight: float | Unset = UNSET
    weirdness_constraint: float | Unset = UNSET
    audio_weight: float | Unset = UNSET
    callback_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gpt_description_prompt = self.gpt_description_prompt

        prompt = self.prompt

        style = self.style

        title = self.title

        tags = self.tags

        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        make_instrumental = self.make_instrumental

        gender: str | Unset = UNSET
        if not isinstance(self.gender, Unset):
            gender = self.gender.value

        style_weight = self.style_weight

        weirdness_constraint = self.weirdness_constraint

        audio_weight = self.audio_weight

        callback_url = self.callback_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if gpt_description_prompt is not UNSET:
            field_dict["gpt_description_prompt"] = gpt_description_prompt
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if style is not UNSET:
            field_dict["style"] = style
        if title is not UNSET:
            field_dict["title"] = title
        if tags is not UNSET:
            field_dict["tags"] = tags
        if model is not UNSET:
            field_dict["model"] = model
        if make_instrumental is not UNSET:
            field_dict["make_instrumental"] = make_instrumental
        if gender is not UNSET:
            field_dict["gender"] = gender
        if style_weight is not UNSET:
            field_dict["style_weight"] = style_weight
        if weirdness_constraint is not UNSET:
            field_dict["weirdness_constraint"] = weirdness_constraint
        if audio_weight is not UNSET:
            field_dict["audio_weight"] = audio_weight
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        gpt_description_prompt = d.pop("gpt_description_prompt", UNSET)

        prompt = d.pop("prompt", UNSET)

        style = d.pop("style", UNSET)

        title = d.pop("title", UNSET)

        tags = d.pop("tags", UNSET)

        _model = d.pop("model", UNSET)
        model: Model | Unset
        if isinstance(_model, Unset):
            model = UNSET
        else:
            model = Model(_model)

        make_instrumental = d.pop("make_instrumental", UNSET)

        _gender = d.pop("gender", UNSET)
        gender: VocalGender | Unset
        if isinstance(_gender, Unset):
            gender = UNSET
        else:
            gender = VocalGender(_gender)

        style_weight = d.pop("style_weight", UNSET)

        weirdness_constraint = d.pop("weirdness_constraint", UNSET)

        audio_weight = d.pop("audio_weight", UNSET)

        callback_url = d.pop("callback_url", UNSET)

        generate_song_request = cls(
            gpt_description_prompt=gpt_description_prompt,
            prompt=prompt,
            style=style,
            title=title,
            tags=tags,
            model=model,
            make_instrumental=make_instrumental,
            gender=gender,
            style_weight=style_weight,
            weirdness_constraint=weirdness_constraint,
            audio_weight=audio_weight,
            callback_url=callback_url,
        )

        generate_song_request.additional_properties = d
        return generate_song_request

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
