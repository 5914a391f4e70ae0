"""The vendor endpoints: parse HTTP, validate with the spec, call the backend, answer.

One Starlette route per spec operation, at the spec's path under its server's base path
(KIE `/api/v1/...`, Udio `https://udioapi.pro/api` + `/v2/...` = `/api/v2/...`).

Order of checks: injected fault -> API key -> body (content type, size, JSON) -> query and body
schemas -> the backend's stateful rules. Every error is a documented example body found by its
`x-segue-when` (a schema failure keeps the example's shape and gets a message naming the field and
the rule). KIE answers errors with HTTP 200 and the code in the envelope, as the vendor does
(`http_errors` setting: HTTP status = code); Udio's HTTP status always equals the code.
Anything unexpected is logged and answered with the vendor's documented 500 body, never a trace.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from segue import schema_errors
from segue.mock import jsonio, models
from segue.mock.backend import MockBackend
from segue.mock.models import RuleViolation
from segue.mock.spec import OperationSpec, VendorSpec

log = logging.getLogger("segue.mock")

DEFAULT_RETRY_AFTER = 10


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        jsonio.dumps(body), status_code=status, headers=headers, media_type="application/json"
    )


class VendorErrors:
    """Builds each vendor's documented error answers."""

    def __init__(self, backend: MockBackend) -> None:
        self.backend = backend

    def for_rule(
        self,
        spec: VendorSpec,
        operation: OperationSpec | None,
        rule: str,
        *,
        message: str | None = None,
        retry_after: int | None = None,
        last_resort: bool = False,
    ) -> Response:
        """The documented answer for `rule`. `last_resort`: the answer to a crash, which skips
        the outbound hook (a crashing hook must not turn it into a bare 500)."""
        answer = spec.answer_for_rule(rule, operation)
        if answer is None:
            log.warning(
                "%s documents no answer for rule %r; answering its server error", spec.path, rule
            )
            return self._undocumented(spec, operation, rule)
        body = copy.deepcopy(answer.body)
        if message is not None:
            _set_message(body, message)
        if not last_resort:
            body = self.backend.outbound_error(spec.vendor, _operation_id(operation), rule, body)
        return self._send(spec, body, retry_after if rule == models.RATE_LIMITED else None)

    def for_invalid(
        self,
        spec: VendorSpec,
        operation: OperationSpec,
        problem: schema_errors.Problem,
        request: Any = None,
    ) -> Response:
        """A schema failure: the property's own documented answer, else validation-failed.
        An answer documented for a missing property only (`only-when: absent`) is not given
        for one that is present but invalid."""
        answer = spec.answer_for_invalid(problem.prop, operation) if problem.prop else None
        present = isinstance(request, dict) and problem.prop in request
        if answer is not None and not (answer.only_when_absent and present):
            return self._invalid(spec, operation, f"invalid={problem.prop}", answer.body)
        return self.for_rule(spec, operation, models.VALIDATION_FAILED, message=problem.message)

    def for_violation(
        self, spec: VendorSpec, operation: OperationSpec, violation: RuleViolation
    ) -> Response:
        if violation.invalid:
            answer = spec.answer_for_invalid(violation.invalid, operation)
            if answer is not None:
                return self._invalid(spec, operation, f"invalid={violation.invalid}", answer.body)
        return self.for_rule(spec, operation, violation.rule, retry_after=violation.retry_after)

    def _invalid(
        self, spec: VendorSpec, operation: OperationSpec, situation: str, body: Any
    ) -> Response:
        body = copy.deepcopy(body)
        body = self.backend.outbound_error(spec.vendor, operation.operation_id, situation, body)
        return self._send(spec, body)

    def not_found(self, spec: VendorSpec, method: str, path: str) -> Response:
        """An unknown path or method: the spec's `not-found` example (code and message), with
        what was asked appended so the caller sees which request missed; without such an
        example, the vendor's envelope with code 404."""
        asked = f"{method} {path}"
        answer = spec.answer_for_rule(models.NOT_FOUND)
        if answer is None:
            return self._send(spec, self._envelope(spec, 404, f"No such endpoint: {asked}"))
        body = copy.deepcopy(answer.body)
        message_key = "msg" if "msg" in body else "message"
        body[message_key] = f"{body[message_key]}: {asked}"
        return self._send(spec, body)

    def _undocumented(
        self, spec: VendorSpec, operation: OperationSpec | None, rule: str
    ) -> Response:
        body = self._envelope(
            spec, 500, f"segue mock: {spec.path.name} documents no answer for {rule!r}"
        )
        return self._send(spec, body)

    def _envelope(self, spec: VendorSpec, code: int, message: str) -> Any:
        """The vendor's error envelope (its server-error example) with another code and message."""
        answer = spec.answer_for_rule(models.SERVER_ERROR)
        body = (
            copy.deepcopy(answer.body) if answer is not None else {"code": code, "message": message}
        )
        body["code"] = code
        _set_message(body, message)
        return body

    def _send(self, spec: VendorSpec, body: Any, retry_after: int | None = None) -> Response:
        code = body.get("code") if isinstance(body, dict) else None
        http_200 = spec.errors_in_envelope and not self.backend.settings.http_errors
        status = 200 if http_200 or not isinstance(code, int) else code
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return json_response(body, status, headers)


def _operation_id(operation: OperationSpec | None) -> str:
    return operation.operation_id if operation is not None else ""


def _set_message(body: Any, message: str) -> None:
    if isinstance(body, dict):
        body["msg" if "msg" in body else "message"] = message


def log_disconnect(request: Request) -> None:
    """A client that went away mid-request is the client's business: one line, no traceback."""
    client = request.client.host if request.client else "?"
    log.info("client %s went away during %s %s", client, request.method, request.url.path)


def bearer_key(request: Request) -> str | None:
    """The key of `Authorization: Bearer <key>` (scheme case-insensitive), or None."""
    scheme, _, key = request.headers.get("authorization", "").strip().partition(" ")
    return key.strip() or None if scheme.lower() == "bearer" else None


class BodyProblem(Exception):
    """The body cannot be read as JSON (wrong type, too large, malformed)."""


async def read_json_body(request: Request, limit: int, required: bool) -> Any:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise BodyProblem(
            f"body: Content-Type must be application/json, not {media_type or 'missing'}"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyProblem(f"body: {int(declared)} bytes, at most {limit} allowed")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyProblem(f"body: more than {limit} bytes, at most {limit} allowed")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        if required:
            raise BodyProblem("body: is required")
        return None
    try:
        return jsonio.loads(raw)
    except jsonio.UnsafeJSON as error:
        raise BodyProblem(str(error)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BodyProblem(f"body: malformed JSON ({error})") from None


class VendorEndpoint:
    """The ASGI endpoint of one operation."""

    def __init__(
        self, backend: MockBackend, errors: VendorErrors, spec: VendorSpec, operation: OperationSpec
    ) -> None:
        self.backend = backend
        self.errors = errors
        self.spec = spec
        self.operation = operation
        self.documented_props = frozenset(operation.invalid_answers)

    async def handle(self, request: Request) -> Response:
        try:
            return await self._serve(request)
        except ClientDisconnect:
            log_disconnect(request)
            return Response(status_code=400)  # nobody is left to read it
        except Exception:
            log.exception("unexpected error serving %s %s", request.method, request.url.path)
            return self.errors.for_rule(
                self.spec, self.operation, models.SERVER_ERROR, last_resort=True
            )

    async def _serve(self, request: Request) -> Response:
        spec, operation, backend = self.spec, self.operation, self.backend
        backend.served_at(request.scope.get("server"))
        key = bearer_key(request)
        fault = backend.faults.take_request_fault(
            spec.vendor,
            operation.operation_id,
            key,
            lambda rule: spec.answer_for_rule(rule, operation) is not None,
        )
        if fault is not None:
            if fault.delay_ms:
                await asyncio.sleep(fault.delay_ms / 1000)
            if fault.rule is not None:
                retry_after = (
                    fault.retry_after if fault.retry_after is not None else DEFAULT_RETRY_AFTER
                )
                return self.errors.for_rule(spec, operation, fault.rule, retry_after=retry_after)
        try:
            backend.authenticate(key)
        except RuleViolation as violation:
            return self.errors.for_violation(spec, operation, violation)
        assert key is not None
        body: Any = None
        if operation.body_pointer is not None:
            try:
                body = await read_json_body(
                    request, backend.config.max_body_bytes, operation.body_required
                )
            except BodyProblem as bad_body:
                return self.errors.for_rule(
                    spec, operation, models.VALIDATION_FAILED, message=str(bad_body)
                )
        query, problem = self._query(request)
        if (
            problem is None
            and operation.body_validator is not None
            and operation.body_pointer is not None
            and backend.config.validate_requests
        ):
            problem = schema_errors.first_problem(
                operation.body_validator,
                body,
                spec.document,
                operation.body_pointer,
                self.documented_props,
            )
        if problem is not None:
            return self.errors.for_invalid(spec, operation, problem, body)
        if not backend.handles(operation.operation_id):
            log.error("the mock has no handler for %s", operation.operation_id)
            return self.errors.for_rule(spec, operation, models.SERVER_ERROR)
        try:
            answer = backend.handle(operation, key, body, query)
        except RuleViolation as violation:
            return self.errors.for_violation(spec, operation, violation)
        return json_response(answer)

    def _query(self, request: Request) -> tuple[dict[str, str], schema_errors.Problem | None]:
        values: dict[str, str] = {}
        for parameter in self.operation.query:
            value = request.query_params.get(parameter.name)
            if value is None:
                if parameter.required:
                    return values, schema_errors.Problem(
                        parameter.name, parameter.name, f"{parameter.name}: is required"
                    )
                continue
            if parameter.validator is not None and parameter.schema_pointer is not None:
                problem = schema_errors.first_problem(
                    parameter.validator,
                    value,
                    self.spec.document,
                    parameter.schema_pointer,
                    root_name=parameter.name,
                )
                if problem is not None:
                    return values, problem
            values[parameter.name] = value
        return values, None


def vendor_routes(backend: MockBackend, errors: VendorErrors) -> list[Route]:
    routes = []
    for spec in backend.specs.values():
        for operation in spec.operations.values():
            endpoint = VendorEndpoint(backend, errors, spec, operation)
            routes.append(
                Route(
                    operation.full_path,
                    endpoint.handle,
                    methods=[operation.method],
                    name=operation.operation_id,
                )
            )
    return routes


def vendor_for_path(specs: dict[str, VendorSpec], path: str) -> VendorSpec:
    """The vendor whose paths share the longest prefix with `path` (KIE when none does)."""
    best, best_length = next(iter(specs.values())), -1
    for spec in specs.values():
        for operation in spec.operations.values():
            length = _common_segments(operation.full_path, path)
            if length > best_length:
                best, best_length = spec, length
    return best


def _common_segments(a: str, b: str) -> int:
    count = 0
    for left, right in zip(a.strip("/").split("/"), b.strip("/").split("/"), strict=False):
        if left != right:
            break
        count += 1
    return count
