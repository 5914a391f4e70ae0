from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model import Model
from ..models.vocal_gender import VocalGender
from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadAndExtendAudioRequest")


@_attrs_define
class UploadAndExtendAudioRequest:
    """An upload-and-extend request, in custom (`defaultParamFlag` true) or inherit mode.

    Attributes:
        upload_url (str): Publicly reachable audio file to continue, at most 8 minutes long. Example:
            https://storage.example.com/upload.
        default_param_flag (bool): `true`: use this request's parameters; `false`: only `uploadUrl` and a `prompt`
            guide. Example: True.
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
        instrumental (bool | Unset): Custom mode: `true` for no vocals (then `prompt` is not needed). Example: False.
        prompt (str | Unset): Custom mode, vocal: the lyrics. Inherit mode: a guide for the continuation. Example:
            Extend the music with more relaxing notes.
        style (str | Unset): Custom mode: music style. Example: Classical.
        title (str | Unset): Custom mode: title of the extended track. Example: Peaceful Piano Extended.
        continue_at (float | Unset): Custom mode: second of the uploaded audio where the extension starts; above 0 and
            below its duration. Not used (any number accepted, `0` included) in inherit mode. Example: 60.
        negative_tags (str | Unset): Styles or traits to keep out. Example: Relaxing Piano.
        vocal_gender (VocalGender | Unset): Preferred vocal gender (`m` male, `f` female); raises the probability only.
            Example: m.
        style_weight (float | Unset): A weight in [0, 1] with at most two decimals. Example: 0.65.
        weirdness_constraint (float | Unset): A weight in [0, 1] with at most two decimals. Example: 0.65.
        audio_weight (float | Unset): A weight in [0, 1] with at most two decimals. Example: 0.65.
        persona_id (str | Unset): Custom mode only: a persona from Generate Persona. Example: persona_123.
    """

    upload_url: str
    default_param_flag: bool
    model: Model
    call_back_url: str
    instrumental: bool | Unset = UNSET
    prompt: str | Unset = UNSET
    style: str | Unset = UNSET
    title: str | Unset = UNSET
    continue_at: float | Unset = UNSET
    negative_tags: str | Unset = UNSET
    vocal_gender: VocalGender | Unset = UNSET
    style_weight: float | Unset = UNSET
    weirdness_constraint: float | Unset = UNSET
    audio_weight: float | Unset = UNSET
    persona_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        upload_url = self.upload_url

        default_param_flag = self.default_param_flag

        model = self.model.value

        call_back_url = self.call_back_url

        instrumental = self.instrumental

        prompt = self.prompt

        style = self.style

        title = self.title

        continue_at = self.continue_at

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
                "uploadUrl": upload_url,
                "defaultParamFlag": default_param_flag,
                "model": model,
                "callBackUrl": call_back_url,
            }
        )
        if instrumental is not UNSET:
            field_dict["instrumental"] = instrumental
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if style is not UNSET:
            field_dict["style"] = style
        if title is not UNSET:
            field_dict["title"] = title
        if continue_at is not UNSET:
            field_dict["continueAt"] = continue_at
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
        upload_url = d.pop("uploadUrl")

        default_param_flag = d.pop("defaultParamFlag")

        model = Model(d.pop("model"))

        call_back_url = d.pop("callBackUrl")

        instrumental = d.pop("instrumental", UNSET)

        prompt = d.pop("prompt", UNSET)

        style = d.pop("style", UNSET)

        title = d.pop("title", UNSET)

        continue_at = d.pop("continueAt", UNSET)

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

        upload_and_extend_audio_request = cls(
            upload_url=upload_url,
            default_param_flag=default_param_flag,
            model=model,
            call_back_url=call_back_url,
            instrumental=instrumental,
            prompt=prompt,
            style=style,
            title=title,
            continue_at=continue_at,
            negative_tags=negative_tags,
            vocal_gender=vocal_gender,
            style_weight=style_weight,
            weirdness_constraint=weirdness_constraint,
            audio_weight=audio_weight,
            persona_id=persona_id,
        )

        upload_and_extend_audio_request.additional_properties = d
        return upload_and_extend_audio_request

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
