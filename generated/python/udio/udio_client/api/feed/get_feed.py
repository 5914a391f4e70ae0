from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.feed_response import FeedResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    work_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["workId"] = work_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/feed",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | FeedResponse | None:
    if response.status_code == 200:
        response_200 = FeedResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | FeedResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    work_id: str,
) -> Response[ErrorResponse | FeedResponse]:
    """Get a work's progress

     Returns the work's request parameters and its clips. Poll every 5–10 s until every clip
    is complete (`status: complete`, or `first` with `extra_message`
    `All generated successfully.`) or has a non-empty `fail_message` / `error_message`.
    `data.type` is informational (the vendor shows `SUCCESS` while clips are still at `text`):
    read the stage from each clip's `status`.

    Args:
        work_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FeedResponse]
    """

    kwargs = _get_kwargs(
        work_id=work_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    work_id: str,
) -> ErrorResponse | FeedResponse | None:
    """Get a work's progress

     Returns the work's request parameters and its clips. Poll every 5–10 s until every clip
    is complete (`status: complete`, or `first` with `extra_message`
    `All generated successfully.`) or has a non-empty `fail_message` / `error_message`.
    `data.type` is informational (the vendor shows `SUCCESS` while clips are still at `text`):
    read the stage from each clip's `status`.

    Args:
        work_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FeedResponse
    """

    return sync_detailed(
        client=client,
        work_id=work_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    work_id: str,
) -> Response[ErrorResponse | FeedResponse]:
    """Get a work's progress

     Returns the work's request parameters and its clips. Poll every 5–10 s until every clip
    is complete (`status: complete`, or `first` with `extra_message`
    `All generated successfully.`) or has a non-empty `fail_message` / `error_message`.
    `data.type` is informational (the vendor shows `SUCCESS` while clips are still at `text`):
    read the stage from each clip's `status`.

    Args:
        work_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | FeedResponse]
    """

    kwargs = _get_kwargs(
        work_id=work_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    work_id: str,
) -> ErrorResponse | FeedResponse | None:
    """Get a work's progress

     Returns the work's request parameters and its clips. Poll every 5–10 s until every clip
    is complete (`status: complete`, or `first` with `extra_message`
    `All generated successfully.`) or has a non-empty `fail_message` / `error_message`.
    `data.type` is informational (the vendor shows `SUCCESS` while clips are still at `text`):
    read the stage from each clip's `status`.

    Args:
        work_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | FeedResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            work_id=work_id,
        )
    ).parsed
