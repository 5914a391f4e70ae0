from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.generate_song_request import GenerateSongRequest
from ...models.work_created_response import WorkCreatedResponse
from ...types import Response


def _get_kwargs(
    *,
    body: GenerateSongRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/generate",
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
    body: GenerateSongRequest,
) -> Response[ErrorResponse | WorkCreatedResponse]:
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
        body (GenerateSongRequest): Body of `generateSong`. Send **exactly one** of
            `gpt_description_prompt` (inspiration
            mode) or `prompt` (custom mode). `style`, `title` and `tags` only take effect in custom
            mode, and their limits hold there only: in inspiration mode they are accepted with any
            length (DECISIONS U-25). Length limits per model are enforced by the conditionals below
            (an omitted `model` means `chirp-v3-5`).

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
    body: GenerateSongRequest,
) -> ErrorResponse | WorkCreatedResponse | None:
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
        body (GenerateSongRequest): Body of `generateSong`. Send **exactly one** of
            `gpt_description_prompt` (inspiration
            mode) or `prompt` (custom mode). `style`, `title` and `tags` only take effect in custom
            mode, and their limits hold there only: in inspiration mode they are accepted with any
            length (DECISIONS U-25). Length limits per model are enforced by the conditionals below
            (an omitted `model` means `chirp-v3-5`).

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
    body: GenerateSongRequest,
) -> Response[ErrorResponse | WorkCreatedResponse]:
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
        body (GenerateSongRequest): Body of `generateSong`. Send **exactly one** of
            `gpt_description_prompt` (inspiration
            mode) or `prompt` (custom mode). `style`, `title` and `tags` only take effect in custom
            mode, and their limits hold there only: in inspiration mode they are accepted with any
            length (DECISIONS U-25). Length limits per model are enforced by the conditionals below
            (an omitted `model` means `chirp-v3-5`).

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
    body: GenerateSongRequest,
) -> ErrorResponse | WorkCreatedResponse | None:
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
        body (GenerateSongRequest): Body of `generateSong`. Send **exactly one** of
            `gpt_description_prompt` (inspiration
            mode) or `prompt` (custom mode). `style`, `title` and `tags` only take effect in custom
            mode, and their limits hold there only: in inspiration mode they are accepted with any
            length (DECISIONS U-25). Length limits per model are enforced by the conditionals below
            (an omitted `model` means `chirp-v3-5`).

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
