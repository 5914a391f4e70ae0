"""KIE Suno API — music extension 2026.11.0: the spec-derived facade (`segue generate`; do not edit).

`Kie` and `AsyncKie`: one method per operation, keyword arguments from the request
schema, preflight before sending, typed errors, retries, and `Task.wait` for creates.
The low-level client is `Kie(...).low_level` (`kie_client.api`).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import kie_models

from ._segue import facts, request_validation
from ._segue.client import UNSET, AsyncClient, AsyncTask, Core, SyncClient, Task, body_of
from .client import AuthenticatedClient

__all__ = ["BUNDLE", "FACTS", "UNSET", "AsyncKie", "AsyncTask", "Kie", "Task"]

# The bundled spec this package was generated from: every fact the runtime acts on.
BUNDLE: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("_segue/bundle.json").read_text("utf-8")
)
FACTS = facts.load("kie", BUNDLE)


@functools.cache
def _validator() -> request_validation.RequestValidator:
    """Compiled on the first request: importing the package stays cheap."""
    return request_validation.RequestValidator("kie", BUNDLE)


_CORE = Core(FACTS, _validator, kie_models.TaskDetailsResponse)


class Kie(SyncClient):
    """KIE Suno API — music extension (sync).

    `api_key` defaults to $KIE_API_KEY, `base_url` to $KIE_BASE_URL or
    https://api.kie.ai (the spec's server). `max_retries` applies to every call unless one
    passes its own.
    """

    _core = _CORE
    _env_prefix = "KIE"
    _low_level_class = AuthenticatedClient

    def generate_music(
        self,
        *,
        custom_mode: bool,
        instrumental: bool,
        model: str,
        call_back_url: str,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        negative_tags: str = UNSET,
        vocal_gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        persona_id: str = UNSET,
        max_retries: int | None = None,
    ) -> Task[kie_models.TaskCreatedResponse, kie_models.MusicTaskDetails]:
        """Generate music (source track)

        Creates a music generation task; it normally yields two clips whose
        `id`s are the `audioId`s that `extendMusic` continues.

        * **Custom mode** (`customMode: true`): `style` and `title` are
          required, and `prompt` too unless `instrumental` is true (the prompt
          is sung verbatim as lyrics). Limits depend on `model`: `prompt`
          3000 (V4) or 5000 characters, `style` 200 (V4) or 1000, `title` 80.
        * **Simple mode** (`customMode: false`): only `prompt` (≤ 500
          characters), an idea from which lyrics are written; `style` and
          `title` are ignored.

        V4 tracks last up to 4 minutes; the other models up to 8 minutes.

        Args:
            custom_mode (customMode): `true`: you give style, title (and lyrics); `false`: simple
                mode, lyrics written from `prompt`.
            instrumental (instrumental): `true`: no vocals (in custom mode, then no `prompt` is
                needed).
            model (model): Suno model version. Extension must use the source clip's model. * `V4` —
                improved vocals, up to 4 minutes. * `V4_5` — smarter prompts, up to 8 minutes. *
                `V4_5PLUS` — richer sound, up to 8 minutes. * `V4_5ALL` — smarter prompts, faster
                generations, up to 8 minutes. * `V5` — up to 8 minutes. * `V5_5` — newest, named by
                the newest docs.kie.ai render; no page gives all its limits, so it has V5's (its
                nearest documented family, DECISIONS K-1), up to 8 minutes. Limits: one of "V4",
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5".
            call_back_url (callBackUrl): Where KIE POSTs each stage of the task. Required on every
                create call: omitting it answers `{"code": 422, "msg": "Please enter
                callBackUrl."}`. Limits: format uri.
            prompt (prompt): Custom mode, vocal: the lyrics, sung verbatim. Simple mode: the idea (≤
                500 characters). Rules: at most 3000 characters when customMode is true, model is
                "V4"; at most 5000 characters when customMode is true, model in "V4_5", "V4_5PLUS",
                "V4_5ALL", "V5"; at most 5000 characters when customMode is true, model is "V5_5";
                required when customMode is true, instrumental is false; at most 500 characters when
                not customMode is true; required when not customMode is true.
            style (style): Custom mode: music style (≤ 200 characters for V4, ≤ 1000 otherwise).
                Rules: required when customMode is true; at most 200 characters when customMode is
                true, model is "V4"; at most 1000 characters when customMode is true, model in
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5"; at most 1000 characters when customMode is
                true, model is "V5_5".
            title (title): Custom mode: title (≤ 80 characters). Rules: at most 80 characters when
                customMode is true; required when customMode is true.
            negative_tags (negativeTags): Styles or traits to keep out.
            vocal_gender (vocalGender): Preferred vocal gender (`m` male, `f` female); raises the
                probability only. Limits: one of "m", "f".
            style_weight (styleWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            weirdness_constraint (weirdnessConstraint): A weight in [0, 1] with at most two
                decimals. Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audioWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            persona_id (personaId): Custom mode only: a persona from Generate Persona.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return self._create(
            "generateMusic",
            kie_models.TaskCreatedResponse,
            body_of(
                {
                    "customMode": custom_mode,
                    "instrumental": instrumental,
                    "model": model,
                    "callBackUrl": call_back_url,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "negativeTags": negative_tags,
                    "vocalGender": vocal_gender,
                    "styleWeight": style_weight,
                    "weirdnessConstraint": weirdness_constraint,
                    "audioWeight": audio_weight,
                    "personaId": persona_id,
                }
            ),
            max_retries,
        )

    def extend_music(
        self,
        *,
        default_param_flag: bool,
        audio_id: str,
        model: str,
        call_back_url: str,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        continue_at: float = UNSET,
        negative_tags: str = UNSET,
        vocal_gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        persona_id: str = UNSET,
        max_retries: int | None = None,
    ) -> Task[kie_models.TaskCreatedResponse, kie_models.MusicTaskDetails]:
        """Extend music

        Creates a task that continues a clip (`audioId`, an `id` from a
        generate task's `sunoData` or callback `data`). Returns a **new**
        `taskId`.

        * **Custom mode** (`defaultParamFlag: true`): `prompt`, `style`,
          `title` and `continueAt` are required. Limits by model: `prompt`
          3000 (V4) / 5000 (V4_5, V4_5PLUS, V4_5ALL, V5, V5_5); `style` 200 (V4) /
          1000; `title` 80 (V4, V4_5ALL) / 100 (V4_5, V4_5PLUS, V5, V5_5);
          `continueAt` above 0.
        * **Inherit mode** (`defaultParamFlag: false`): only `audioId` (plus
          `model` and `callBackUrl`); everything else comes from the source clip.
          The custom-mode fields may still be sent, with any value (`""`, `0`):
          they are not used, and no limit of the custom mode applies.

        Rules that depend on state, checked by the server (and by segue's
        mock): the clip exists and belongs to your account (else `404`),
        `model` equals the source clip's model (else `422`), and in custom
        mode `continueAt` is below the source clip's duration (else `422`).

        Args:
            default_param_flag (defaultParamFlag): `true`: use this request's prompt, style, title
                and continueAt; `false`: inherit everything from the source clip.
            audio_id (audioId): The clip to continue (`sunoData[].id` or callback `data[].id`).
                Limits: at least 1 characters.
            model (model): Suno model version. Extension must use the source clip's model. * `V4` —
                improved vocals, up to 4 minutes. * `V4_5` — smarter prompts, up to 8 minutes. *
                `V4_5PLUS` — richer sound, up to 8 minutes. * `V4_5ALL` — smarter prompts, faster
                generations, up to 8 minutes. * `V5` — up to 8 minutes. * `V5_5` — newest, named by
                the newest docs.kie.ai render; no page gives all its limits, so it has V5's (its
                nearest documented family, DECISIONS K-1), up to 8 minutes. Limits: one of "V4",
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5".
            call_back_url (callBackUrl): Where KIE POSTs each stage of the task. Required on every
                create call: omitting it answers `{"code": 422, "msg": "Please enter
                callBackUrl."}`. Limits: format uri.
            prompt (prompt): Custom mode: how the music continues (lyrics for vocal tracks). Rules:
                required when defaultParamFlag is true; at most 3000 characters when
                defaultParamFlag is true, model is "V4"; at most 5000 characters when
                defaultParamFlag is true, model is "V4_5"; at most 5000 characters when
                defaultParamFlag is true, model is "V4_5PLUS"; at most 5000 characters when
                defaultParamFlag is true, model is "V4_5ALL"; at most 5000 characters when
                defaultParamFlag is true, model is "V5"; at most 5000 characters when
                defaultParamFlag is true, model is "V5_5".
            style (style): Custom mode: music style. Rules: required when defaultParamFlag is true;
                at most 200 characters when defaultParamFlag is true, model is "V4"; at most 1000
                characters when defaultParamFlag is true, model is "V4_5"; at most 1000 characters
                when defaultParamFlag is true, model is "V4_5PLUS"; at most 1000 characters when
                defaultParamFlag is true, model is "V4_5ALL"; at most 1000 characters when
                defaultParamFlag is true, model is "V5"; at most 1000 characters when
                defaultParamFlag is true, model is "V5_5".
            title (title): Custom mode: title of the extended track. Rules: required when
                defaultParamFlag is true; at most 80 characters when defaultParamFlag is true, model
                is "V4"; at most 100 characters when defaultParamFlag is true, model is "V4_5"; at
                most 100 characters when defaultParamFlag is true, model is "V4_5PLUS"; at most 80
                characters when defaultParamFlag is true, model is "V4_5ALL"; at most 100 characters
                when defaultParamFlag is true, model is "V5"; at most 100 characters when
                defaultParamFlag is true, model is "V5_5".
            continue_at (continueAt): Custom mode: second of the source clip where the extension
                starts; above 0 and below the clip's duration. Not used (any number accepted, `0`
                included) in inherit mode. Rules: > 0 when defaultParamFlag is true; required when
                defaultParamFlag is true.
            negative_tags (negativeTags): Styles or traits to keep out.
            vocal_gender (vocalGender): Preferred vocal gender (`m` male, `f` female); raises the
                probability only. Limits: one of "m", "f".
            style_weight (styleWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            weirdness_constraint (weirdnessConstraint): A weight in [0, 1] with at most two
                decimals. Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audioWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            persona_id (personaId): Custom mode only: a persona from Generate Persona.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return self._create(
            "extendMusic",
            kie_models.TaskCreatedResponse,
            body_of(
                {
                    "defaultParamFlag": default_param_flag,
                    "audioId": audio_id,
                    "model": model,
                    "callBackUrl": call_back_url,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "continueAt": continue_at,
                    "negativeTags": negative_tags,
                    "vocalGender": vocal_gender,
                    "styleWeight": style_weight,
                    "weirdnessConstraint": weirdness_constraint,
                    "audioWeight": audio_weight,
                    "personaId": persona_id,
                }
            ),
            max_retries,
        )

    def upload_and_extend_audio(
        self,
        *,
        upload_url: str,
        default_param_flag: bool,
        model: str,
        call_back_url: str,
        instrumental: bool = UNSET,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        continue_at: float = UNSET,
        negative_tags: str = UNSET,
        vocal_gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        persona_id: str = UNSET,
        max_retries: int | None = None,
    ) -> Task[kie_models.TaskCreatedResponse, kie_models.MusicTaskDetails]:
        """Upload and extend audio

        Creates a task that continues an audio file you host (`uploadUrl`,
        any publicly reachable audio URL, e.g. the `downloadUrl` of KIE's
        File Upload API; at most 8 minutes long).

        * **Custom mode** (`defaultParamFlag: true`): `instrumental`, `style`,
          `title` and `continueAt` are required, and `prompt` too when
          `instrumental` is false (sung verbatim as lyrics). Limits by model
          as for `extendMusic`.
        * **Inherit mode** (`defaultParamFlag: false`): `uploadUrl` and
          `prompt` (a guide: an uploaded file has no parameters to inherit).
          The custom-mode fields may still be sent, with any value (`""`, `0`):
          they are not used, and no limit of the custom mode applies.

        Checked by the server against the uploaded audio: `continueAt` is
        below its duration (else `422`).

        Args:
            upload_url (uploadUrl): Publicly reachable audio file to continue, at most 8 minutes
                long. Limits: format uri.
            default_param_flag (defaultParamFlag): `true`: use this request's parameters; `false`:
                only `uploadUrl` and a `prompt` guide.
            model (model): Suno model version. Extension must use the source clip's model. * `V4` —
                improved vocals, up to 4 minutes. * `V4_5` — smarter prompts, up to 8 minutes. *
                `V4_5PLUS` — richer sound, up to 8 minutes. * `V4_5ALL` — smarter prompts, faster
                generations, up to 8 minutes. * `V5` — up to 8 minutes. * `V5_5` — newest, named by
                the newest docs.kie.ai render; no page gives all its limits, so it has V5's (its
                nearest documented family, DECISIONS K-1), up to 8 minutes. Limits: one of "V4",
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5".
            call_back_url (callBackUrl): Where KIE POSTs each stage of the task. Required on every
                create call: omitting it answers `{"code": 422, "msg": "Please enter
                callBackUrl."}`. Limits: format uri.
            instrumental (instrumental): Custom mode: `true` for no vocals (then `prompt` is not
                needed). Rules: required when defaultParamFlag is true.
            prompt (prompt): Custom mode, vocal: the lyrics. Inherit mode: a guide for the
                continuation. Rules: at most 3000 characters when defaultParamFlag is true, model is
                "V4"; at most 5000 characters when defaultParamFlag is true, model is "V4_5"; at
                most 5000 characters when defaultParamFlag is true, model is "V4_5PLUS"; at most
                5000 characters when defaultParamFlag is true, model is "V4_5ALL"; at most 5000
                characters when defaultParamFlag is true, model is "V5"; at most 5000 characters
                when defaultParamFlag is true, model is "V5_5"; required when defaultParamFlag is
                true, instrumental is false; required when not defaultParamFlag is true.
            style (style): Custom mode: music style. Rules: required when defaultParamFlag is true;
                at most 200 characters when defaultParamFlag is true, model is "V4"; at most 1000
                characters when defaultParamFlag is true, model is "V4_5"; at most 1000 characters
                when defaultParamFlag is true, model is "V4_5PLUS"; at most 1000 characters when
                defaultParamFlag is true, model is "V4_5ALL"; at most 1000 characters when
                defaultParamFlag is true, model is "V5"; at most 1000 characters when
                defaultParamFlag is true, model is "V5_5".
            title (title): Custom mode: title of the extended track. Rules: required when
                defaultParamFlag is true; at most 80 characters when defaultParamFlag is true, model
                is "V4"; at most 100 characters when defaultParamFlag is true, model is "V4_5"; at
                most 100 characters when defaultParamFlag is true, model is "V4_5PLUS"; at most 80
                characters when defaultParamFlag is true, model is "V4_5ALL"; at most 100 characters
                when defaultParamFlag is true, model is "V5"; at most 100 characters when
                defaultParamFlag is true, model is "V5_5".
            continue_at (continueAt): Custom mode: second of the uploaded audio where the extension
                starts; above 0 and below its duration. Not used (any number accepted, `0` included)
                in inherit mode. Rules: > 0 when defaultParamFlag is true; required when
                defaultParamFlag is true.
            negative_tags (negativeTags): Styles or traits to keep out.
            vocal_gender (vocalGender): Preferred vocal gender (`m` male, `f` female); raises the
                probability only. Limits: one of "m", "f".
            style_weight (styleWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            weirdness_constraint (weirdnessConstraint): A weight in [0, 1] with at most two
                decimals. Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audioWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            persona_id (personaId): Custom mode only: a persona from Generate Persona.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return self._create(
            "uploadAndExtendAudio",
            kie_models.TaskCreatedResponse,
            body_of(
                {
                    "uploadUrl": upload_url,
                    "defaultParamFlag": default_param_flag,
                    "model": model,
                    "callBackUrl": call_back_url,
                    "instrumental": instrumental,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "continueAt": continue_at,
                    "negativeTags": negative_tags,
                    "vocalGender": vocal_gender,
                    "styleWeight": style_weight,
                    "weirdnessConstraint": weirdness_constraint,
                    "audioWeight": audio_weight,
                    "personaId": persona_id,
                }
            ),
            max_retries,
        )

    def get_music_task_details(
        self,
        *,
        task_id: str,
        max_retries: int | None = None,
    ) -> kie_models.TaskDetailsResponse:
        """Get music task details

        Polls a generate, extend or upload-extend task: its status, the
        original request (`param`, a JSON-encoded string), and the clips
        produced so far (`response.sunoData`, camelCase). At most 3 requests
        per second per task; poll every 10–30 seconds or use callbacks.
        An unknown task id, or one created with another key, answers `404`.

        Args:
            task_id (taskId): The `taskId` a create call returned. Limits: at least 1 characters.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        answer, _ = self._call(
            "getMusicTaskDetails",
            kie_models.TaskDetailsResponse,
            params=body_of({"taskId": task_id}),
            max_retries=max_retries,
        )
        return answer


class AsyncKie(AsyncClient):
    """KIE Suno API — music extension (async).

    `api_key` defaults to $KIE_API_KEY, `base_url` to $KIE_BASE_URL or
    https://api.kie.ai (the spec's server). `max_retries` applies to every call unless one
    passes its own.
    """

    _core = _CORE
    _env_prefix = "KIE"
    _low_level_class = AuthenticatedClient

    async def generate_music(
        self,
        *,
        custom_mode: bool,
        instrumental: bool,
        model: str,
        call_back_url: str,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        negative_tags: str = UNSET,
        vocal_gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        persona_id: str = UNSET,
        max_retries: int | None = None,
    ) -> AsyncTask[kie_models.TaskCreatedResponse, kie_models.MusicTaskDetails]:
        """Generate music (source track)

        Creates a music generation task; it normally yields two clips whose
        `id`s are the `audioId`s that `extendMusic` continues.

        * **Custom mode** (`customMode: true`): `style` and `title` are
          required, and `prompt` too unless `instrumental` is true (the prompt
          is sung verbatim as lyrics). Limits depend on `model`: `prompt`
          3000 (V4) or 5000 characters, `style` 200 (V4) or 1000, `title` 80.
        * **Simple mode** (`customMode: false`): only `prompt` (≤ 500
          characters), an idea from which lyrics are written; `style` and
          `title` are ignored.

        V4 tracks last up to 4 minutes; the other models up to 8 minutes.

        Args:
            custom_mode (customMode): `true`: you give style, title (and lyrics); `false`: simple
                mode, lyrics written from `prompt`.
            instrumental (instrumental): `true`: no vocals (in custom mode, then no `prompt` is
                needed).
            model (model): Suno model version. Extension must use the source clip's model. * `V4` —
                improved vocals, up to 4 minutes. * `V4_5` — smarter prompts, up to 8 minutes. *
                `V4_5PLUS` — richer sound, up to 8 minutes. * `V4_5ALL` — smarter prompts, faster
                generations, up to 8 minutes. * `V5` — up to 8 minutes. * `V5_5` — newest, named by
                the newest docs.kie.ai render; no page gives all its limits, so it has V5's (its
                nearest documented family, DECISIONS K-1), up to 8 minutes. Limits: one of "V4",
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5".
            call_back_url (callBackUrl): Where KIE POSTs each stage of the task. Required on every
                create call: omitting it answers `{"code": 422, "msg": "Please enter
                callBackUrl."}`. Limits: format uri.
            prompt (prompt): Custom mode, vocal: the lyrics, sung verbatim. Simple mode: the idea (≤
                500 characters). Rules: at most 3000 characters when customMode is true, model is
                "V4"; at most 5000 characters when customMode is true, model in "V4_5", "V4_5PLUS",
                "V4_5ALL", "V5"; at most 5000 characters when customMode is true, model is "V5_5";
                required when customMode is true, instrumental is false; at most 500 characters when
                not customMode is true; required when not customMode is true.
            style (style): Custom mode: music style (≤ 200 characters for V4, ≤ 1000 otherwise).
                Rules: required when customMode is true; at most 200 characters when customMode is
                true, model is "V4"; at most 1000 characters when customMode is true, model in
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5"; at most 1000 characters when customMode is
                true, model is "V5_5".
            title (title): Custom mode: title (≤ 80 characters). Rules: at most 80 characters when
                customMode is true; required when customMode is true.
            negative_tags (negativeTags): Styles or traits to keep out.
            vocal_gender (vocalGender): Preferred vocal gender (`m` male, `f` female); raises the
                probability only. Limits: one of "m", "f".
            style_weight (styleWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            weirdness_constraint (weirdnessConstraint): A weight in [0, 1] with at most two
                decimals. Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audioWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            persona_id (personaId): Custom mode only: a persona from Generate Persona.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return await self._create(
            "generateMusic",
            kie_models.TaskCreatedResponse,
            body_of(
                {
                    "customMode": custom_mode,
                    "instrumental": instrumental,
                    "model": model,
                    "callBackUrl": call_back_url,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "negativeTags": negative_tags,
                    "vocalGender": vocal_gender,
                    "styleWeight": style_weight,
                    "weirdnessConstraint": weirdness_constraint,
                    "audioWeight": audio_weight,
                    "personaId": persona_id,
                }
            ),
            max_retries,
        )

    async def extend_music(
        self,
        *,
        default_param_flag: bool,
        audio_id: str,
        model: str,
        call_back_url: str,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        continue_at: float = UNSET,
        negative_tags: str = UNSET,
        vocal_gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        persona_id: str = UNSET,
        max_retries: int | None = None,
    ) -> AsyncTask[kie_models.TaskCreatedResponse, kie_models.MusicTaskDetails]:
        """Extend music

        Creates a task that continues a clip (`audioId`, an `id` from a
        generate task's `sunoData` or callback `data`). Returns a **new**
        `taskId`.

        * **Custom mode** (`defaultParamFlag: true`): `prompt`, `style`,
          `title` and `continueAt` are required. Limits by model: `prompt`
          3000 (V4) / 5000 (V4_5, V4_5PLUS, V4_5ALL, V5, V5_5); `style` 200 (V4) /
          1000; `title` 80 (V4, V4_5ALL) / 100 (V4_5, V4_5PLUS, V5, V5_5);
          `continueAt` above 0.
        * **Inherit mode** (`defaultParamFlag: false`): only `audioId` (plus
          `model` and `callBackUrl`); everything else comes from the source clip.
          The custom-mode fields may still be sent, with any value (`""`, `0`):
          they are not used, and no limit of the custom mode applies.

        Rules that depend on state, checked by the server (and by segue's
        mock): the clip exists and belongs to your account (else `404`),
        `model` equals the source clip's model (else `422`), and in custom
        mode `continueAt` is below the source clip's duration (else `422`).

        Args:
            default_param_flag (defaultParamFlag): `true`: use this request's prompt, style, title
                and continueAt; `false`: inherit everything from the source clip.
            audio_id (audioId): The clip to continue (`sunoData[].id` or callback `data[].id`).
                Limits: at least 1 characters.
            model (model): Suno model version. Extension must use the source clip's model. * `V4` —
                improved vocals, up to 4 minutes. * `V4_5` — smarter prompts, up to 8 minutes. *
                `V4_5PLUS` — richer sound, up to 8 minutes. * `V4_5ALL` — smarter prompts, faster
                generations, up to 8 minutes. * `V5` — up to 8 minutes. * `V5_5` — newest, named by
                the newest docs.kie.ai render; no page gives all its limits, so it has V5's (its
                nearest documented family, DECISIONS K-1), up to 8 minutes. Limits: one of "V4",
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5".
            call_back_url (callBackUrl): Where KIE POSTs each stage of the task. Required on every
                create call: omitting it answers `{"code": 422, "msg": "Please enter
                callBackUrl."}`. Limits: format uri.
            prompt (prompt): Custom mode: how the music continues (lyrics for vocal tracks). Rules:
                required when defaultParamFlag is true; at most 3000 characters when
                defaultParamFlag is true, model is "V4"; at most 5000 characters when
                defaultParamFlag is true, model is "V4_5"; at most 5000 characters when
                defaultParamFlag is true, model is "V4_5PLUS"; at most 5000 characters when
                defaultParamFlag is true, model is "V4_5ALL"; at most 5000 characters when
                defaultParamFlag is true, model is "V5"; at most 5000 characters when
                defaultParamFlag is true, model is "V5_5".
            style (style): Custom mode: music style. Rules: required when defaultParamFlag is true;
                at most 200 characters when defaultParamFlag is true, model is "V4"; at most 1000
                characters when defaultParamFlag is true, model is "V4_5"; at most 1000 characters
                when defaultParamFlag is true, model is "V4_5PLUS"; at most 1000 characters when
                defaultParamFlag is true, model is "V4_5ALL"; at most 1000 characters when
                defaultParamFlag is true, model is "V5"; at most 1000 characters when
                defaultParamFlag is true, model is "V5_5".
            title (title): Custom mode: title of the extended track. Rules: required when
                defaultParamFlag is true; at most 80 characters when defaultParamFlag is true, model
                is "V4"; at most 100 characters when defaultParamFlag is true, model is "V4_5"; at
                most 100 characters when defaultParamFlag is true, model is "V4_5PLUS"; at most 80
                characters when defaultParamFlag is true, model is "V4_5ALL"; at most 100 characters
                when defaultParamFlag is true, model is "V5"; at most 100 characters when
                defaultParamFlag is true, model is "V5_5".
            continue_at (continueAt): Custom mode: second of the source clip where the extension
                starts; above 0 and below the clip's duration. Not used (any number accepted, `0`
                included) in inherit mode. Rules: > 0 when defaultParamFlag is true; required when
                defaultParamFlag is true.
            negative_tags (negativeTags): Styles or traits to keep out.
            vocal_gender (vocalGender): Preferred vocal gender (`m` male, `f` female); raises the
                probability only. Limits: one of "m", "f".
            style_weight (styleWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            weirdness_constraint (weirdnessConstraint): A weight in [0, 1] with at most two
                decimals. Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audioWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            persona_id (personaId): Custom mode only: a persona from Generate Persona.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return await self._create(
            "extendMusic",
            kie_models.TaskCreatedResponse,
            body_of(
                {
                    "defaultParamFlag": default_param_flag,
                    "audioId": audio_id,
                    "model": model,
                    "callBackUrl": call_back_url,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "continueAt": continue_at,
                    "negativeTags": negative_tags,
                    "vocalGender": vocal_gender,
                    "styleWeight": style_weight,
                    "weirdnessConstraint": weirdness_constraint,
                    "audioWeight": audio_weight,
                    "personaId": persona_id,
                }
            ),
            max_retries,
        )

    async def upload_and_extend_audio(
        self,
        *,
        upload_url: str,
        default_param_flag: bool,
        model: str,
        call_back_url: str,
        instrumental: bool = UNSET,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        continue_at: float = UNSET,
        negative_tags: str = UNSET,
        vocal_gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        persona_id: str = UNSET,
        max_retries: int | None = None,
    ) -> AsyncTask[kie_models.TaskCreatedResponse, kie_models.MusicTaskDetails]:
        """Upload and extend audio

        Creates a task that continues an audio file you host (`uploadUrl`,
        any publicly reachable audio URL, e.g. the `downloadUrl` of KIE's
        File Upload API; at most 8 minutes long).

        * **Custom mode** (`defaultParamFlag: true`): `instrumental`, `style`,
          `title` and `continueAt` are required, and `prompt` too when
          `instrumental` is false (sung verbatim as lyrics). Limits by model
          as for `extendMusic`.
        * **Inherit mode** (`defaultParamFlag: false`): `uploadUrl` and
          `prompt` (a guide: an uploaded file has no parameters to inherit).
          The custom-mode fields may still be sent, with any value (`""`, `0`):
          they are not used, and no limit of the custom mode applies.

        Checked by the server against the uploaded audio: `continueAt` is
        below its duration (else `422`).

        Args:
            upload_url (uploadUrl): Publicly reachable audio file to continue, at most 8 minutes
                long. Limits: format uri.
            default_param_flag (defaultParamFlag): `true`: use this request's parameters; `false`:
                only `uploadUrl` and a `prompt` guide.
            model (model): Suno model version. Extension must use the source clip's model. * `V4` —
                improved vocals, up to 4 minutes. * `V4_5` — smarter prompts, up to 8 minutes. *
                `V4_5PLUS` — richer sound, up to 8 minutes. * `V4_5ALL` — smarter prompts, faster
                generations, up to 8 minutes. * `V5` — up to 8 minutes. * `V5_5` — newest, named by
                the newest docs.kie.ai render; no page gives all its limits, so it has V5's (its
                nearest documented family, DECISIONS K-1), up to 8 minutes. Limits: one of "V4",
                "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5".
            call_back_url (callBackUrl): Where KIE POSTs each stage of the task. Required on every
                create call: omitting it answers `{"code": 422, "msg": "Please enter
                callBackUrl."}`. Limits: format uri.
            instrumental (instrumental): Custom mode: `true` for no vocals (then `prompt` is not
                needed). Rules: required when defaultParamFlag is true.
            prompt (prompt): Custom mode, vocal: the lyrics. Inherit mode: a guide for the
                continuation. Rules: at most 3000 characters when defaultParamFlag is true, model is
                "V4"; at most 5000 characters when defaultParamFlag is true, model is "V4_5"; at
                most 5000 characters when defaultParamFlag is true, model is "V4_5PLUS"; at most
                5000 characters when defaultParamFlag is true, model is "V4_5ALL"; at most 5000
                characters when defaultParamFlag is true, model is "V5"; at most 5000 characters
                when defaultParamFlag is true, model is "V5_5"; required when defaultParamFlag is
                true, instrumental is false; required when not defaultParamFlag is true.
            style (style): Custom mode: music style. Rules: required when defaultParamFlag is true;
                at most 200 characters when defaultParamFlag is true, model is "V4"; at most 1000
                characters when defaultParamFlag is true, model is "V4_5"; at most 1000 characters
                when defaultParamFlag is true, model is "V4_5PLUS"; at most 1000 characters when
                defaultParamFlag is true, model is "V4_5ALL"; at most 1000 characters when
                defaultParamFlag is true, model is "V5"; at most 1000 characters when
                defaultParamFlag is true, model is "V5_5".
            title (title): Custom mode: title of the extended track. Rules: required when
                defaultParamFlag is true; at most 80 characters when defaultParamFlag is true, model
                is "V4"; at most 100 characters when defaultParamFlag is true, model is "V4_5"; at
                most 100 characters when defaultParamFlag is true, model is "V4_5PLUS"; at most 80
                characters when defaultParamFlag is true, model is "V4_5ALL"; at most 100 characters
                when defaultParamFlag is true, model is "V5"; at most 100 characters when
                defaultParamFlag is true, model is "V5_5".
            continue_at (continueAt): Custom mode: second of the uploaded audio where the extension
                starts; above 0 and below its duration. Not used (any number accepted, `0` included)
                in inherit mode. Rules: > 0 when defaultParamFlag is true; required when
                defaultParamFlag is true.
            negative_tags (negativeTags): Styles or traits to keep out.
            vocal_gender (vocalGender): Preferred vocal gender (`m` male, `f` female); raises the
                probability only. Limits: one of "m", "f".
            style_weight (styleWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            weirdness_constraint (weirdnessConstraint): A weight in [0, 1] with at most two
                decimals. Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audioWeight): A weight in [0, 1] with at most two decimals. Limits: ≥ 0; ≤
                1; a multiple of 0.01.
            persona_id (personaId): Custom mode only: a persona from Generate Persona.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return await self._create(
            "uploadAndExtendAudio",
            kie_models.TaskCreatedResponse,
            body_of(
                {
                    "uploadUrl": upload_url,
                    "defaultParamFlag": default_param_flag,
                    "model": model,
                    "callBackUrl": call_back_url,
                    "instrumental": instrumental,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "continueAt": continue_at,
                    "negativeTags": negative_tags,
                    "vocalGender": vocal_gender,
                    "styleWeight": style_weight,
                    "weirdnessConstraint": weirdness_constraint,
                    "audioWeight": audio_weight,
                    "personaId": persona_id,
                }
            ),
            max_retries,
        )

    async def get_music_task_details(
        self,
        *,
        task_id: str,
        max_retries: int | None = None,
    ) -> kie_models.TaskDetailsResponse:
        """Get music task details

        Polls a generate, extend or upload-extend task: its status, the
        original request (`param`, a JSON-encoded string), and the clips
        produced so far (`response.sunoData`, camelCase). At most 3 requests
        per second per task; poll every 10–30 seconds or use callbacks.
        An unknown task id, or one created with another key, answers `404`.

        Args:
            task_id (taskId): The `taskId` a create call returned. Limits: at least 1 characters.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        answer, _ = await self._call(
            "getMusicTaskDetails",
            kie_models.TaskDetailsResponse,
            params=body_of({"taskId": task_id}),
            max_retries=max_retries,
        )
        return answer
