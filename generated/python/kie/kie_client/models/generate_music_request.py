from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model import Model
from ..models.vocal_gender import VocalGender
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateMusicRequest")


@_attrs_define
class GenerateMusicRequest:
    """A generate request, in custom or simple mode.

    Attributes:
        custom_mode (bool): `true`: you give style, title (and lyrics); `false`: simple mode, lyrics written from
            `prompt`. Example: True.
        instrumental (bool): `true`: no vocals (in custom mode, then no `prompt` is needed). Example: False.
        model (Model): Suno model version. Extension must use the source clip's model.
            * `V4` — improved vocals, up to 4 minutes.
            * `V4_5` — smarter prompts, up to 8 minutes.
            * `V4_5PLUS` — richer sound, up to 8 minutes.
            * `V4_5ALL` — smarter prompts, faster generations, up to 8 minutes.
            * `V5` — up to 8 minutes.
            * `V5_5` — newest, named by the newest docs.kie.ai render; no page gives all its limits,
              so it has V5's (its nearest documented family, DECISIONS K-1), up to 8 minutes.
             Example: V4.
        call_back_url (str): Where KIE POSTs each stage of the task. Required on every create call:
            omitting it answers `{"code": 422, "msg": "Please enter callBackUrl."}`.
             Example: https://api.example.com/callback.
        prompt (str | Unset): Custom mode, vocal: the lyrics, sung verbatim. Simple mode: the idea (≤ 500 characters).
            Example: A calm and relaxing piano track with soft melodies.
        style (str | Unset): Custom mode: music style (≤ 200 characters for V4, ≤ 1000 otherwise). Example: Classical.
        title (str | Unset): Custom mode: title (≤ 80 characters). Example: Peaceful Piano Meditation.
        negative_tags (str | Unset): Styles or traits to keep out. Example: Heavy Metal, Upbeat Drums.
        vocal_gender (VocalGender | Unset): Preferred vocal gender (`m` male, `f` female); raises the probability only.
            Example: m.
        style_weight (float | Unset): A weight in [0, 1] with at most two decimals. Example: 0.65.
        weirdness_constraint (float | Unset): A weight in [0, 1] with at most two decimals. Example: 0.65.
        audio_weight (float | Unset): A weight in [0, 1] with at most two decimals. Example: 0.65.
        persona_id (str | Unset): Custom mode only: a persona from Generate Persona. Example: persona_123.
    """

    custom_mode: bool
    instrumental: bool
    model: Model
    call_back_url: str
    prompt: str | Unset = UNSET
    style: str | Unset = UNSET
    title: str | Unset = UNSET
    negative_tags: str | Unset = UNSET
    vocal_gender: VocalGender | Unset = UNSET
    style_weight: float | Unset = UNSET
    weirdness_constraint: float | Unset = UNSET
    audio_weight: float | Unset = UNSET
    persona_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        custom_mode = self.custom_mode

        instrumental = self.instrumental

        model = self.model.value

        call_back_url = self.call_back_url

        prompt = self.prompt

        style = self.style

        title = self.title

        negative_tags = self.negative_tags

        vocal_gender: str | Unset = UNSET
        if not isinstance(self.vocal_gender, Unset):
            vocal_gender = self.vocal_gender.value

        style_weight = self.style_weight

        weirdness_constraint = self.weirdness_constraint

        audio_weight = self.audio_weight

        persona_id = self.persona_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customMode": custom_mode,
                "instrumental": instrumental,
                "model": model,
                "callBackUrl": call_back_url,
            }
        )
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if style is not UNSET:
            field_dict["style"] = style
        if title is not UNSET:
            field_dict["title"] = title
        if negative_tags is not UNSET:
            field_dict["negativeTags"] = negative_tags
        if vocal_gender is not UNSET:
            field_dict["vocalGender"] = vocal_gender
        if style_weight is not UNSET:
            field_dict["styleWeight"] = style_weight
        if weirdness_constraint is not UNSET:
            field_dict["weirdnessConstraint"] = weirdness_constraint
        if audio_weight is not UNSET:
            field_dict["audioWeight"] = audio_weight
        if persona_id is not UNSET:
            field_dict["personaId"] = persona_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        custom_mode = d.pop("customMode")

        instrumental = d.pop("instrumental")

        model = Model(d.pop("model"))

        call_back_url = d.pop("callBackUrl")

        prompt = d.pop("prompt", UNSET)

        style = d.pop("style", UNSET)

        title = d.pop("title", UNSET)

        negative_tags = d.pop("negativeTags", UNSET)

        _vocal_gender = d.pop("vocalGender", UNSET)
        vocal_gender: VocalGender | Unset
        if isinstance(_vocal_gender, Unset):
            vocal_gender = UNSET
        else:
            vocal_gender = VocalGender(_vocal_gender)

        style_weight = d.pop("styleWeight", UNSET)

        weirdness_constraint = d.pop("weirdnessConstraint", UNSET)

        audio_weight = d.pop("audioWeight", UNSET)

        persona_id = d.pop("personaId", UNSET)

        generate_music_request = cls(
            custom_mode=custom_mode,
            instrumental=instrumental,
            model=model,
            call_back_url=call_back_url,
            prompt=prompt,
            style=style,
            title=title,
            negative_tags=negative_tags,
            vocal_gender=vocal_gender,
            style_weight=style_weight,
            weirdness_constraint=weirdness_constraint,
            audio_weight=audio_weight,
            persona_id=persona_id,
        )

        generate_music_request.additional_properties = d
        return generate_music_request

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
