from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.generate_music_request import GenerateMusicRequest
from ...models.task_created_response import TaskCreatedResponse
from ...types import Response


def _get_kwargs(
    *,
    body: GenerateMusicRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/generate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TaskCreatedResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ErrorResponse | TaskCreatedResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_create_task_outcome_type_0 = TaskCreatedResponse.from_dict(data)

                return componentsschemas_create_task_outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_create_task_outcome_type_1 = ErrorResponse.from_dict(data)

            return componentsschemas_create_task_outcome_type_1

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = ErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 455:
        response_455 = ErrorResponse.from_dict(response.json())

        return response_455

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | TaskCreatedResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateMusicRequest,
) -> Response[ErrorResponse | TaskCreatedResponse]:
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
        body (GenerateMusicRequest): A generate request, in custom or simple mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse | TaskCreatedResponse]
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
    body: GenerateMusicRequest,
) -> ErrorResponse | TaskCreatedResponse | None:
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
        body (GenerateMusicRequest): A generate request, in custom or simple mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse | TaskCreatedResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateMusicRequest,
) -> Response[ErrorResponse | TaskCreatedResponse]:
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
        body (GenerateMusicRequest): A generate request, in custom or simple mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse | TaskCreatedResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateMusicRequest,
) -> ErrorResponse | TaskCreatedResponse | None:
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
        body (GenerateMusicRequest): A generate request, in custom or simple mode.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse | TaskCreatedResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
