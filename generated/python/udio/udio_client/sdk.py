"""Udio API (udioapi.pro) — v2 songs 2.0.0: the spec-derived facade (`segue generate`; do not edit).

`Udio` and `AsyncUdio`: one method per operation, keyword arguments from the request
schema, preflight before sending, typed errors, retries, and `Task.wait` for creates.
The low-level client is `Udio(...).low_level` (`udio_client.api`).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import udio_models

from ._segue import facts, request_validation
from ._segue.client import UNSET, AsyncClient, AsyncTask, Core, SyncClient, Task, body_of
from .client import AuthenticatedClient

__all__ = ["BUNDLE", "FACTS", "UNSET", "AsyncTask", "AsyncUdio", "Task", "Udio"]

# The bundled spec this package was generated from: every fact the runtime acts on.
BUNDLE: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("_segue/bundle.json").read_text("utf-8")
)
FACTS = facts.load("udio", BUNDLE)


@functools.cache
def _validator() -> request_validation.RequestValidator:
    """Compiled on the first request: importing the package stays cheap."""
    return request_validation.RequestValidator("udio", BUNDLE)


_CORE = Core(FACTS, _validator, udio_models.FeedResponse)


class Udio(SyncClient):
    """Udio API (udioapi.pro) — v2 songs (sync).

    `api_key` defaults to $UDIO_API_KEY, `base_url` to $UDIO_BASE_URL or
    https://udioapi.pro/api (the spec's server). `max_retries` applies to every call unless one
    passes its own.
    """

    _core = _CORE
    _env_prefix = "UDIO"
    _low_level_class = AuthenticatedClient

    def generate_song(
        self,
        *,
        gpt_description_prompt: str = UNSET,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        tags: str = UNSET,
        model: str = UNSET,
        make_instrumental: bool = UNSET,
        gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        callback_url: str = UNSET,
        max_retries: int | None = None,
    ) -> Task[udio_models.WorkCreatedResponse, udio_models.FeedResponseData]:
        """Generate a song

        Starts a generation work and returns its `workId`. Two modes, chosen by which text field
        you send — **exactly one** of them:

        * **Inspiration mode** — `gpt_description_prompt`: describe the song; lyrics, style and
          title are written for you.
        * **Custom mode** — `prompt`: your own lyrics or detailed prompt, optionally with `style`,
          `title` and `tags` (negative tags: what to avoid).

        Length limits depend on `model` (default `chirp-v3-5`):

        | model | gpt_description_prompt | prompt | style | title |
        |---|---|---|---|---|
        | chirp-v3-5, chirp-v4-0 | 400 | 3000 | 200 | 80 |
        | chirp-v4-5, chirp-v4-5-plus, chirp-v5, chirp-v5-5 | – | 5000 | 1000 | 80 |

        A work yields two clips (index 0 and 1). Poll `GET /v2/feed?workId=…` or pass
        `callback_url` to receive each stage (see the `stageResult` callback).

        Args:
            gpt_description_prompt (gpt_description_prompt): Inspiration mode: a description of the
                song to write. At most 400 characters for chirp-v3-5 / chirp-v4-0; udioapi.pro
                documents no limit for the v4.5 and v5 models. Rules: at most 400 characters when
                model is "chirp-v3-5"; at most 400 characters when model is "chirp-v4-0".
            prompt (prompt): Custom mode: your lyrics or detailed prompt. At most 3000 characters
                for chirp-v3-5 / chirp-v4-0, 5000 for the v4.5 and v5 models. Rules: at most 3000
                characters when a condition holds, model is "chirp-v3-5"; at most 3000 characters
                when a condition holds, model is "chirp-v4-0"; at most 5000 characters when a
                condition holds, model is "chirp-v4-5"; at most 5000 characters when a condition
                holds, model is "chirp-v4-5-plus"; at most 5000 characters when a condition holds,
                model is "chirp-v5"; at most 5000 characters when a condition holds, model is
                "chirp-v5-5".
            style (style): Custom mode: musical style / genre. At most 200 characters for chirp-v3-5
                / chirp-v4-0, 1000 for the v4.5 and v5 models. Not used in inspiration mode. Rules:
                at most 200 characters when a condition holds, model is "chirp-v3-5"; at most 200
                characters when a condition holds, model is "chirp-v4-0"; at most 1000 characters
                when a condition holds, model is "chirp-v4-5"; at most 1000 characters when a
                condition holds, model is "chirp-v4-5-plus"; at most 1000 characters when a
                condition holds, model is "chirp-v5"; at most 1000 characters when a condition
                holds, model is "chirp-v5-5".
            title (title): Custom mode: song title, at most 80 characters. Not used in inspiration
                mode. Rules: at most 80 characters when a condition holds.
            tags (tags): Custom mode: **negative** tags — styles to avoid.
            model (model): Generation model. Limits on text lengths depend on it (see
                `GenerateSongRequest`). `chirp-v5` and `chirp-v5-5` (the default of udioapi.pro's
                own client) have the limits of the v4.5 family, their nearest documented one
                (DECISIONS U-12). Limits: one of "chirp-v3-5", "chirp-v4-0", "chirp-v4-5",
                "chirp-v4-5-plus", "chirp-v5", "chirp-v5-5"; default "chirp-v3-5".
            make_instrumental (make_instrumental): Generate instrumental music without vocals.
                Limits: default false.
            gender (gender): Preferred vocal gender. Limits: one of "male", "female".
            style_weight (style_weight): Strength of adherence to `style` (0–1, two decimals).
                Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            weirdness_constraint (weirdness_constraint): Creative deviation (0–1, two decimals).
                Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audio_weight): Balance of audio features (0–1, two decimals). Limits: ≥ 0;
                ≤ 1; a multiple of 0.01.
            callback_url (callback_url): Where to POST each stage result (see the `stageResult`
                callback). udioapi.pro requires a publicly reachable URL (no localhost or private
                addresses). Limits: format uri.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return self._create(
            "generateSong",
            udio_models.WorkCreatedResponse,
            body_of(
                {
                    "gpt_description_prompt": gpt_description_prompt,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "tags": tags,
                    "model": model,
                    "make_instrumental": make_instrumental,
                    "gender": gender,
                    "style_weight": style_weight,
                    "weirdness_constraint": weirdness_constraint,
                    "audio_weight": audio_weight,
                    "callback_url": callback_url,
                }
            ),
            max_retries,
        )

    def extend_song(
        self,
        *,
        origin_task_id: str,
        extend_audio_index: int,
        custom_mode: bool = UNSET,
        callback_url: str = UNSET,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        extension_start_time: float = UNSET,
        tags: str = UNSET,
        max_retries: int | None = None,
    ) -> Task[udio_models.WorkCreatedResponse, udio_models.FeedResponseData]:
        """Extend a song

        Continues one clip of a finished work and returns the new work's `workId`
        (ids start with `ext`). Two modes:

        * **Inherit mode** (`custom_mode` false or omitted) — send only `origin_task_id` and
          `extend_audio_index`; every other parameter is taken from the original work.
        * **Custom mode** (`custom_mode: true`) — `prompt` is required; `style`, `title`, `tags`
          (additional tags) and `extensionStartTime` are optional. These fields only take effect
          in custom mode.

        Rules that depend on server state (checked by the server, not expressible in the schema):

        * `origin_task_id` must name a work created with **the same API key** → otherwise 400
          (`origin_task_id` invalid or not found).
        * That work must be **complete** → otherwise 400 (audio not yet completed).
        * `extend_audio_index` must name one of the work's clips (0 = first, 1 = second) →
          otherwise 400 (the `extend_audio_index` message).
        * `extensionStartTime`, when given, should lie inside the chosen clip (below its
          `duration`); udioapi.pro documents no error for a later start.

        Args:
            origin_task_id (origin_task_id): `workId` of a **completed** generation (or extension)
                created with the same API key. Limits: at least 1 characters.
            extend_audio_index (extend_audio_index): Which clip of the origin work to extend — `0`
                the first, `1` the second. Limits: one of 0, 1.
            custom_mode (custom_mode): `false` or omitted: inherit every parameter of the original
                work. `true`: use `prompt` (required) and the optional `style`, `title`, `tags`,
                `extensionStartTime`. Limits: default false.
            callback_url (callback_url): Where to POST each stage result (see the `stageResult`
                callback). Limits: format uri.
            prompt (prompt): Custom mode (required there): new lyrics or a description of the
                change. Rules: required when custom_mode is true.
            style (style): Custom mode: musical style.
            title (title): Custom mode: track title.
            extension_start_time (extensionStartTime): Custom mode: second of the origin clip at
                which the extension starts. Greater than 0 in custom mode; should be below the
                clip's `duration`. Not used (any number accepted, `0` included) in inherit mode.
                Note the camelCase name. Rules: > 0 when custom_mode is true.
            tags (tags): Custom mode: additional style tags.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return self._create(
            "extendSong",
            udio_models.WorkCreatedResponse,
            body_of(
                {
                    "origin_task_id": origin_task_id,
                    "extend_audio_index": extend_audio_index,
                    "custom_mode": custom_mode,
                    "callback_url": callback_url,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "extensionStartTime": extension_start_time,
                    "tags": tags,
                }
            ),
            max_retries,
        )

    def get_feed(
        self,
        *,
        work_id: str,
        max_retries: int | None = None,
    ) -> udio_models.FeedResponse:
        """Get a work's progress

        Returns the work's request parameters and its clips. Poll every 5–10 s until every clip
        is complete (`status: complete`, or `first` with `extra_message`
        `All generated successfully.`) or has a non-empty `fail_message` / `error_message`.
        `data.type` is informational (the vendor shows `SUCCESS` while clips are still at `text`):
        read the stage from each clip's `status`.

        Args:
            work_id (workId): The `workId` returned by `generateSong` or `extendSong`. Limits: at
                least 1 characters.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        answer, _ = self._call(
            "getFeed",
            udio_models.FeedResponse,
            params=body_of({"workId": work_id}),
            max_retries=max_retries,
        )
        return answer


class AsyncUdio(AsyncClient):
    """Udio API (udioapi.pro) — v2 songs (async).

    `api_key` defaults to $UDIO_API_KEY, `base_url` to $UDIO_BASE_URL or
    https://udioapi.pro/api (the spec's server). `max_retries` applies to every call unless one
    passes its own.
    """

    _core = _CORE
    _env_prefix = "UDIO"
    _low_level_class = AuthenticatedClient

    async def generate_song(
        self,
        *,
        gpt_description_prompt: str = UNSET,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        tags: str = UNSET,
        model: str = UNSET,
        make_instrumental: bool = UNSET,
        gender: str = UNSET,
        style_weight: float = UNSET,
        weirdness_constraint: float = UNSET,
        audio_weight: float = UNSET,
        callback_url: str = UNSET,
        max_retries: int | None = None,
    ) -> AsyncTask[udio_models.WorkCreatedResponse, udio_models.FeedResponseData]:
        """Generate a song

        Starts a generation work and returns its `workId`. Two modes, chosen by which text field
        you send — **exactly one** of them:

        * **Inspiration mode** — `gpt_description_prompt`: describe the song; lyrics, style and
          title are written for you.
        * **Custom mode** — `prompt`: your own lyrics or detailed prompt, optionally with `style`,
          `title` and `tags` (negative tags: what to avoid).

        Length limits depend on `model` (default `chirp-v3-5`):

        | model | gpt_description_prompt | prompt | style | title |
        |---|---|---|---|---|
        | chirp-v3-5, chirp-v4-0 | 400 | 3000 | 200 | 80 |
        | chirp-v4-5, chirp-v4-5-plus, chirp-v5, chirp-v5-5 | – | 5000 | 1000 | 80 |

        A work yields two clips (index 0 and 1). Poll `GET /v2/feed?workId=…` or pass
        `callback_url` to receive each stage (see the `stageResult` callback).

        Args:
            gpt_description_prompt (gpt_description_prompt): Inspiration mode: a description of the
                song to write. At most 400 characters for chirp-v3-5 / chirp-v4-0; udioapi.pro
                documents no limit for the v4.5 and v5 models. Rules: at most 400 characters when
                model is "chirp-v3-5"; at most 400 characters when model is "chirp-v4-0".
            prompt (prompt): Custom mode: your lyrics or detailed prompt. At most 3000 characters
                for chirp-v3-5 / chirp-v4-0, 5000 for the v4.5 and v5 models. Rules: at most 3000
                characters when a condition holds, model is "chirp-v3-5"; at most 3000 characters
                when a condition holds, model is "chirp-v4-0"; at most 5000 characters when a
                condition holds, model is "chirp-v4-5"; at most 5000 characters when a condition
                holds, model is "chirp-v4-5-plus"; at most 5000 characters when a condition holds,
                model is "chirp-v5"; at most 5000 characters when a condition holds, model is
                "chirp-v5-5".
            style (style): Custom mode: musical style / genre. At most 200 characters for chirp-v3-5
                / chirp-v4-0, 1000 for the v4.5 and v5 models. Not used in inspiration mode. Rules:
                at most 200 characters when a condition holds, model is "chirp-v3-5"; at most 200
                characters when a condition holds, model is "chirp-v4-0"; at most 1000 characters
                when a condition holds, model is "chirp-v4-5"; at most 1000 characters when a
                condition holds, model is "chirp-v4-5-plus"; at most 1000 characters when a
                condition holds, model is "chirp-v5"; at most 1000 characters when a condition
                holds, model is "chirp-v5-5".
            title (title): Custom mode: song title, at most 80 characters. Not used in inspiration
                mode. Rules: at most 80 characters when a condition holds.
            tags (tags): Custom mode: **negative** tags — styles to avoid.
            model (model): Generation model. Limits on text lengths depend on it (see
                `GenerateSongRequest`). `chirp-v5` and `chirp-v5-5` (the default of udioapi.pro's
                own client) have the limits of the v4.5 family, their nearest documented one
                (DECISIONS U-12). Limits: one of "chirp-v3-5", "chirp-v4-0", "chirp-v4-5",
                "chirp-v4-5-plus", "chirp-v5", "chirp-v5-5"; default "chirp-v3-5".
            make_instrumental (make_instrumental): Generate instrumental music without vocals.
                Limits: default false.
            gender (gender): Preferred vocal gender. Limits: one of "male", "female".
            style_weight (style_weight): Strength of adherence to `style` (0–1, two decimals).
                Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            weirdness_constraint (weirdness_constraint): Creative deviation (0–1, two decimals).
                Limits: ≥ 0; ≤ 1; a multiple of 0.01.
            audio_weight (audio_weight): Balance of audio features (0–1, two decimals). Limits: ≥ 0;
                ≤ 1; a multiple of 0.01.
            callback_url (callback_url): Where to POST each stage result (see the `stageResult`
                callback). udioapi.pro requires a publicly reachable URL (no localhost or private
                addresses). Limits: format uri.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return await self._create(
            "generateSong",
            udio_models.WorkCreatedResponse,
            body_of(
                {
                    "gpt_description_prompt": gpt_description_prompt,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "tags": tags,
                    "model": model,
                    "make_instrumental": make_instrumental,
                    "gender": gender,
                    "style_weight": style_weight,
                    "weirdness_constraint": weirdness_constraint,
                    "audio_weight": audio_weight,
                    "callback_url": callback_url,
                }
            ),
            max_retries,
        )

    async def extend_song(
        self,
        *,
        origin_task_id: str,
        extend_audio_index: int,
        custom_mode: bool = UNSET,
        callback_url: str = UNSET,
        prompt: str = UNSET,
        style: str = UNSET,
        title: str = UNSET,
        extension_start_time: float = UNSET,
        tags: str = UNSET,
        max_retries: int | None = None,
    ) -> AsyncTask[udio_models.WorkCreatedResponse, udio_models.FeedResponseData]:
        """Extend a song

        Continues one clip of a finished work and returns the new work's `workId`
        (ids start with `ext`). Two modes:

        * **Inherit mode** (`custom_mode` false or omitted) — send only `origin_task_id` and
          `extend_audio_index`; every other parameter is taken from the original work.
        * **Custom mode** (`custom_mode: true`) — `prompt` is required; `style`, `title`, `tags`
          (additional tags) and `extensionStartTime` are optional. These fields only take effect
          in custom mode.

        Rules that depend on server state (checked by the server, not expressible in the schema):

        * `origin_task_id` must name a work created with **the same API key** → otherwise 400
          (`origin_task_id` invalid or not found).
        * That work must be **complete** → otherwise 400 (audio not yet completed).
        * `extend_audio_index` must name one of the work's clips (0 = first, 1 = second) →
          otherwise 400 (the `extend_audio_index` message).
        * `extensionStartTime`, when given, should lie inside the chosen clip (below its
          `duration`); udioapi.pro documents no error for a later start.

        Args:
            origin_task_id (origin_task_id): `workId` of a **completed** generation (or extension)
                created with the same API key. Limits: at least 1 characters.
            extend_audio_index (extend_audio_index): Which clip of the origin work to extend — `0`
                the first, `1` the second. Limits: one of 0, 1.
            custom_mode (custom_mode): `false` or omitted: inherit every parameter of the original
                work. `true`: use `prompt` (required) and the optional `style`, `title`, `tags`,
                `extensionStartTime`. Limits: default false.
            callback_url (callback_url): Where to POST each stage result (see the `stageResult`
                callback). Limits: format uri.
            prompt (prompt): Custom mode (required there): new lyrics or a description of the
                change. Rules: required when custom_mode is true.
            style (style): Custom mode: musical style.
            title (title): Custom mode: track title.
            extension_start_time (extensionStartTime): Custom mode: second of the origin clip at
                which the extension starts. Greater than 0 in custom mode; should be below the
                clip's `duration`. Not used (any number accepted, `0` included) in inherit mode.
                Note the camelCase name. Rules: > 0 when custom_mode is true.
            tags (tags): Custom mode: additional style tags.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        return await self._create(
            "extendSong",
            udio_models.WorkCreatedResponse,
            body_of(
                {
                    "origin_task_id": origin_task_id,
                    "extend_audio_index": extend_audio_index,
                    "custom_mode": custom_mode,
                    "callback_url": callback_url,
                    "prompt": prompt,
                    "style": style,
                    "title": title,
                    "extensionStartTime": extension_start_time,
                    "tags": tags,
                }
            ),
            max_retries,
        )

    async def get_feed(
        self,
        *,
        work_id: str,
        max_retries: int | None = None,
    ) -> udio_models.FeedResponse:
        """Get a work's progress

        Returns the work's request parameters and its clips. Poll every 5–10 s until every clip
        is complete (`status: complete`, or `first` with `extra_message`
        `All generated successfully.`) or has a non-empty `fail_message` / `error_message`.
        `data.type` is informational (the vendor shows `SUCCESS` while clips are still at `text`):
        read the stage from each clip's `status`.

        Args:
            work_id (workId): The `workId` returned by `generateSong` or `extendSong`. Limits: at
                least 1 characters.
            max_retries: retries of this call (default: the client's).

        Every rule of the request schema (conditionals too) is checked before sending:
        InvalidRequest is raised with nothing sent.
        """
        answer, _ = await self._call(
            "getFeed",
            udio_models.FeedResponse,
            params=body_of({"workId": work_id}),
            max_retries=max_retries,
        )
        return answer
