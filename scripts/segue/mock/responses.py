"""The vendors' HTTP side, shared: parse a request, validate it with the spec, answer it.

Like moto's `BaseResponse`: each vendor's `responses` module (`segue.mock.kie.responses`,
`segue.mock.udio.responses`) subclasses `VendorResponses` with one handler per operation, which
its `urls` module names. A handler gets a `ParsedRequest` (key, body and query, all valid by the
spec), calls the state through the core (`MockCore.run`/`create`) and returns the success body;
a `RuleViolation` it lets through is answered here with the documented error. One Starlette
route per spec operation, at the spec's path under its server's base path (KIE `/api/v1/...`,
Udio `https://udioapi.pro/api` + `/v2/...` = `/api/v2/...`).

Order of checks: injected fault -> API key -> room in the callback backlog (creates) -> body
(content type, size, JSON) -> query and body schemas -> the handler (the state's rules). Every
error is a documented example body found by its `x-segue-when` (a schema failure keeps the
example's shape and gets a message naming the field and the rule). KIE answers errors with HTTP
200 and the code in the envelope, as the vendor does (`http_errors` setting: HTTP status = code);
Udio's HTTP status always equals the code.
Anything unexpected is logged and answered with the vendor's documented 500 body, never a trace.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from segue import schema_errors
from segue.mock import jsonio, models
from segue.mock.core import BACKLOG_RETRY_AFTER, MockCore
from segue.mock.models import RuleViolation, Task
from segue.mock.spec import OperationSpec, SpecError, VendorSpec

log = logging.getLogger("segue.mock")

DEFAULT_RETRY_AFTER = 10


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        jsonio.dumps(body), status_code=status, headers=headers, media_type="application/json"
    )


class VendorErrors:
    """Builds each vendor's documented error answers."""

    def __init__(self, core: MockCore) -> None:
        self.core = core

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
            body = self.core.outbound_error(spec.vendor, _operation_id(operation), rule, body)
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
        body = self.core.outbound_error(spec.vendor, operation.operation_id, situation, body)
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
        http_200 = spec.errors_in_envelope and not self.core.settings.http_errors
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
    return _bearer(request.headers.get("authorization", ""))


def _bearer(authorization: str) -> str | None:
    scheme, _, key = authorization.strip().partition(" ")
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


@dataclass(frozen=True)
class ParsedRequest:
    """A request that passed every check of the spec: what a handler works with."""

    operation: OperationSpec
    key: str
    body: Any
    query: dict[str, str]


Handler = Callable[[Any, ParsedRequest], Any]  # (the vendor's responses, request) -> body


R = TypeVar("R")


class VendorResponses(Generic[R]):
    """One vendor's endpoints: the checks every request passes, then the vendor's handler.
    `renderer` (R) renders the vendor's shapes; the core renders callbacks with the same one."""

    vendor: ClassVar[str]

    def __init__(self, core: MockCore, errors: VendorErrors, renderer: R) -> None:
        self.core = core
        self.errors = errors
        self.renderer = renderer
        self.spec = core.specs[self.vendor]
        creates = [op.operation_id for op in self.spec.operations.values() if op.is_create]
        check_create_templates(self.spec, creates)  # fail before serving anything

    def routes(self, url_paths: Mapping[str, Handler]) -> list[Route]:
        """A route per operation of the spec, served by its handler in `url_paths`."""
        return [
            Route(
                operation.full_path,
                self._endpoint(operation, url_paths.get(operation.operation_id)),
                methods=[operation.method],
                name=operation.operation_id,
            )
            for operation in self.spec.operations.values()
        ]

    def poll(self, request: ParsedRequest, missing_rule: str, render: Callable[[Task], Any]) -> Any:
        """A poll of the task its required query parameter names (KIE `taskId`, Udio `workId`,
        as the spec says; else `missing_rule`), rendered under the lock, so the answer shows the
        task as it is at this instant."""
        id_parameter = next(p.name for p in request.operation.query if p.required)

        def answer() -> Any:
            task_id = request.query[id_parameter]
            task = self.core.state.poll(request.key, self.vendor, task_id, missing_rule)
            return self.core.outbound_poll(task, render(task))

        return self.core.run(answer)

    def created(self, request: ParsedRequest, new_id: str) -> Any:
        """A create's answer: the operation's success example with `new_id` for its id."""
        return created_answer(self.spec, request.operation.operation_id, new_id)

    def _endpoint(self, operation: OperationSpec, handler: Handler | None) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                return await self._serve(request, operation, handler)
            except ClientDisconnect:
                log_disconnect(request)
                return Response(status_code=400)  # nobody is left to read it
            except Exception:
                log.exception("unexpected error serving %s %s", request.method, request.url.path)
                return self.errors.for_rule(
                    self.spec, operation, models.SERVER_ERROR, last_resort=True
                )

        return endpoint

    async def _serve(
        self, request: Request, operation: OperationSpec, handler: Handler | None
    ) -> Response:
        spec, core, errors = self.spec, self.core, self.errors
        core.served_at(request.scope.get("server"))
        key = bearer_key(request)
        fault = core.faults.take_request_fault(
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
                return errors.for_rule(spec, operation, fault.rule, retry_after=retry_after)
        try:
            core.authenticate(key)
            if operation.is_create:  # refused at once while the backlog is full
                core.admit_create()
        except RuleViolation as violation:
            return errors.for_violation(spec, operation, violation)
        assert key is not None
        body: Any = None
        if operation.body_pointer is not None:
            try:
                body = await read_json_body(
                    request, core.config.max_body_bytes, operation.body_required
                )
            except BodyProblem as bad_body:
                return errors.for_rule(
                    spec, operation, models.VALIDATION_FAILED, message=str(bad_body)
                )
        query, problem = self._query(request, operation)
        if problem is None and core.config.validate_requests:
            problem = self._body_problem(operation, body)
        if problem is not None:
            return errors.for_invalid(spec, operation, problem, body)
        if handler is None:
            log.error("the mock has no handler for %s", operation.operation_id)
            return errors.for_rule(spec, operation, models.SERVER_ERROR)
        try:
            answer = handler(self, ParsedRequest(operation, key, body, query))
        except RuleViolation as violation:
            return errors.for_violation(spec, operation, violation)
        return json_response(answer)

    def _body_problem(self, operation: OperationSpec, body: Any) -> schema_errors.Problem | None:
        if operation.body_validator is None or operation.body_pointer is None:
            return None
        return schema_errors.first_problem(
            operation.body_validator,
            body,
            self.spec.document,
            operation.body_pointer,
            frozenset(operation.invalid_answers),
        )

    def _query(
        self, request: Request, operation: OperationSpec
    ) -> tuple[dict[str, str], schema_errors.Problem | None]:
        values: dict[str, str] = {}
        for parameter in operation.query:
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


class BackpressureGate:
    """ASGI middleware in front of everything (`MockApp`): while the callback backlog is full, a
    create by a known key gets its documented 429 (`VendorErrors.for_violation`, rendered once per
    path and `http_errors` setting) before routing, reading or validating anything.

    Under overload most requests are these refusals (the sustained benchmark: ~85 %), and every
    microsecond one costs is taken from the creates and the callbacks the mock is catching up
    on. Anything else goes on to the app as usual: another request, an unknown key (its 401
    comes first), and every request while a fault is in force or an outbound hook is set (a
    mutant or a fault must see each request)."""

    def __init__(self, core: MockCore, errors: VendorErrors) -> None:
        self.app: Any = None  # the app behind the gate (`MockApp.build_middleware_stack`)
        self.core = core
        self.errors = errors
        self.creates = {
            (operation.method, operation.full_path): (spec, operation)
            for spec in core.specs.values()
            for operation in spec.operations.values()
            if operation.is_create
        }
        self._rendered: dict[tuple[str, bool], tuple[int, list[Any], bytes]] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        refusal = self._refusal(scope) if scope["type"] == "http" else None
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = refusal
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _refusal(self, scope: Any) -> tuple[int, list[Any], bytes] | None:
        target = self.creates.get((scope["method"], scope["path"]))
        core = self.core
        if target is None or core.config.outbound is not None or not core.backlog_full():
            return None
        if core.faults.request_faults or _scope_key(scope) not in core.state.accounts:
            return None
        cache_key = (scope["path"], core.settings.http_errors)
        if cache_key not in self._rendered:
            spec, operation = target
            violation = RuleViolation(models.RATE_LIMITED, retry_after=BACKLOG_RETRY_AFTER)
            response = self.errors.for_violation(spec, operation, violation)
            self._rendered[cache_key] = (
                response.status_code,
                response.raw_headers,
                bytes(response.body),
            )
        return self._rendered[cache_key]


class ExactRoutes:
    """ASGI: a request whose method and path are exactly a route's goes to its endpoint; any
    other to `app`. For routes without path parameters whose endpoints never raise."""

    def __init__(self, routes: list[Route], app: Any) -> None:
        self.app = app
        self.endpoints = {
            (method, route.path): route.endpoint
            for route in routes
            for method in route.methods or ()
            if method != "HEAD" and "{" not in route.path  # HEAD: Starlette answers it from GET
        }

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        endpoint = (
            self.endpoints.get((scope["method"], scope["path"]))
            if scope["type"] == "http"
            else None
        )
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        response = await endpoint(Request(scope, receive, send))
        await response(scope, receive, send)


def _scope_key(scope: Any) -> str | None:
    """The Bearer key of an ASGI request's headers (`bearer_key` for a raw scope)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return _bearer(value.decode("latin-1"))
    return None


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


# ---------------------------------------------------------------------- rendering from examples


def created_answer(spec: VendorSpec, operation_id: str, new_id: str) -> Any:
    """The operation's success example with `new_id` wherever the example's id was."""
    template = spec.operations[operation_id].success_examples[0]
    old_id = _example_id(template)  # present: check_create_templates ran at start-up
    return _replace_string(copy.deepcopy(template), old_id or "", new_id)


def check_create_templates(spec: VendorSpec, operation_ids: list[str]) -> None:
    """Fail at start-up, not per request, when a create operation has no success example to
    render from (or one without an id to replace)."""
    for operation_id in operation_ids:
        operation = spec.operations.get(operation_id)
        if operation is None:
            continue  # not in this spec: the mock does not serve it
        examples = operation.success_examples
        if not examples or _example_id(examples[0]) is None:
            raise SpecError(
                f"{spec.path}: {operation_id} needs a 2xx response example with a taskId/workId:"
                " the mock renders its answer from it"
            )


def success_message(spec: VendorSpec, key: str) -> str:
    """`success`, as the success examples say it (under `key`: `msg` or `message`)."""
    for operation in spec.operations.values():
        for example in operation.success_examples:
            if isinstance(example, dict) and isinstance(example.get(key), str):
                return str(example[key])
    return "success"


def _example_id(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("taskId", "workId", "task_id"):
            if isinstance(value.get(key), str):
                return str(value[key])
        for child in value.values():
            found = _example_id(child)
            if found:
                return found
    return None


def _replace_string(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _replace_string(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_string(v, old, new) for v in value]
    return new if value == old else value
