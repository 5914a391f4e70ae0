from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.extend_song_request import ExtendSongRequest
from ...models.work_created_response import WorkCreatedResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ExtendSongRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/extend",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | WorkCreatedResponse | None:
    if response.status_code == 200:
        response_200 = WorkCreatedResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | WorkCreatedResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendSongRequest,
) -> Response[ErrorResponse | WorkCreatedResponse]:
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
        body (ExtendSongRequest): Body of `extendSong`. Inherit mode needs only `origin_task_id`
            and
            `extend_audio_index`; `custom_mode: true` requires `prompt`. `style`, `title`, `tags`
            and `extensionStartTime` only take effect in custom mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WorkCreatedResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendSongRequest,
) -> ErrorResponse | WorkCreatedResponse | None:
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
        body (ExtendSongRequest): Body of `extendSong`. Inherit mode needs only `origin_task_id`
            and
            `extend_audio_index`; `custom_mode: true` requires `prompt`. `style`, `title`, `tags`
            and `extensionStartTime` only take effect in custom mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WorkCreatedResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendSongRequest,
) -> Response[ErrorResponse | WorkCreatedResponse]:
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
        body (ExtendSongRequest): Body of `extendSong`. Inherit mode needs only `origin_task_id`
            and
            `extend_audio_index`; `custom_mode: true` requires `prompt`. `style`, `title`, `tags`
            and `extensionStartTime` only take effect in custom mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WorkCreatedResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ExtendSongRequest,
) -> ErrorResponse | WorkCreatedResponse | None:
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
        body (ExtendSongRequest): Body of `extendSong`. Inherit mode needs only `origin_task_id`
            and
            `extend_audio_index`; `custom_mode: true` requires `prompt`. `style`, `title`, `tags`
            and `extensionStartTime` only take effect in custom mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WorkCreatedResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
