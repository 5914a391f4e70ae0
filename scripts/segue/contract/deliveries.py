"""Receiver mode: send a vendor's callbacks to the user's endpoint and judge its answers.

Everything comes from the spec under test: which callbacks each create operation declares (its
`callbacks`), their payload schemas and examples, the stages and where a payload carries its stage
(`x-segue-lifecycle`), the timeout, the acknowledgement and the idempotency key
(`x-segue-delivery`), and the signing scheme (`x-segue-signature`). What is written here is only
how to turn an example into the payload of another stage or task:

- a *fresh* payload gets new subject ids (the first `idempotency-key` pointer: KIE's task id,
  Udio's clip ids), derived from the seed, so that no case is a duplicate of another by accident;
- a *re-staged* payload is an example with another stage value at the stage pointer, sent only
  if it still validates (a stage without an example of its own, e.g. upload-extend's `first`);
- a *failed* Udio payload sets a clip failure field (`failure-fields`) to the value the spec's own
  examples carry;
- a *failure code* payload (KIE) is a failure-stage example with another of the codes the payload
  schema documents at `callback-failure-code` (its enum, whatever it holds), and the message an
  example gives that code at `callback-failure-message` (else a placeholder), sent only if it
  validates (the schema decides which codes go with a failure stage).

Every payload the suite sends as documented validates against the callback's schema (strict in
what it sends); forward-compatibility payloads are the deliberate exception.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from segue import speclib
from segue.contract.oracle import SpecOracle, load_oracle
from segue.contract.target import SentRequest, Target
from segue.delivery import DeliveryContract, replace_at, values_at
from segue.lint_extensions import enum_values, schemas_at
from segue.signature import SignatureScheme

UNKNOWN_PROPERTY = "segueUnknownProperty"
UNDOCUMENTED_VALUE = "segue-undocumented"


@dataclass(frozen=True)
class CallbackRoute:
    """One create operation's callback: the payload schema, its examples, the acknowledgement."""

    vendor: str
    operation_id: str  # the create operation (the report's row)
    create_route: str
    callback_operation_id: str
    payload_pointer: str
    media_type: str
    examples: tuple[tuple[str, Any], ...]
    acknowledgement_pointer: str | None
    operation: speclib.Operation = field(repr=False)


@dataclass(frozen=True)
class Answer:
    """What the receiver answered one delivery (or why it did not)."""

    status: int | None
    elapsed: float
    body: bytes = b""
    content_type: str = ""
    error: str | None = None
    # The delivery as sent, with the status it got (None: not sent): the report's curl line.
    request: SentRequest | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        if self.status is None:
            return f"no answer ({self.error}) after {self.elapsed:.1f} s"
        text = self.body[:120].decode("utf-8", "replace")
        return f"HTTP {self.status} after {self.elapsed:.2f} s, body {text!r}"


@dataclass(frozen=True)
class Delivery:
    """One POST to send: the payload, and the headers that go with it (signature included)."""

    payload: Any
    headers: dict[str, str]


class DeliveryKit:
    """One vendor's callbacks, aimed at one receiver URL."""

    def __init__(
        self,
        oracle: SpecOracle,
        target: Target | None,
        *,
        webhook_key: str | None,
        seed: int,
    ) -> None:
        self.oracle = oracle
        self.vendor = oracle.vendor
        self.target = target
        self.webhook_key = webhook_key
        self.seed = seed
        document = oracle.document
        self.contract = DeliveryContract.from_spec(document)
        self.scheme = SignatureScheme.from_spec(document)
        lifecycle = document["x-segue-lifecycle"]
        self.stage_pointer = str(lifecycle["callback-stage"])
        self.stages = tuple(str(s) for s in lifecycle["callback-stages"])
        self.failure_stages = tuple(str(s) for s in lifecycle.get("callback-failure", ()))
        self.failure_fields = tuple(str(s) for s in lifecycle.get("failure-fields", ()))
        self.failure_code_pointer = lifecycle.get("callback-failure-code")
        self.failure_message_pointer = lifecycle.get("callback-failure-message")
        self.routes = tuple(callback_routes(oracle))
        self._issued = 0

    # ------------------------------------------------------------------ payloads

    def route(self, operation_id: str) -> CallbackRoute:
        return next(r for r in self.routes if r.operation_id == operation_id)

    def stage_of(self, payload: Any) -> str | None:
        found = {str(v) for v in values_at(payload, self.stage_pointer)}
        return found.pop() if len(found) == 1 else None

    def problems_of(self, route: CallbackRoute, payload: Any) -> list[str]:
        return self.oracle.errors(route.payload_pointer, payload)

    def new_subject(self) -> int:
        """A token for a subject (task, clips) no other case used."""
        self._issued += 1
        return self._issued

    def about(self, payload: Any, subject: int) -> Any:
        """A copy of `payload` about `subject`: its subject ids (the first `idempotency-key`
        pointer) derived from the seed and the token, so one subject's stages share them."""
        rewritten = copy.deepcopy(payload)

        def new_id(_old: Any, index: int) -> str:
            digest = hashlib.sha256(f"{self.seed}:{subject}:{index}".encode()).hexdigest()
            return digest[:32]

        replace_at(rewritten, self.contract.subject, new_id)
        return rewritten

    def fresh(self, payload: Any) -> Any:
        """A copy of `payload` about a subject no other case used."""
        return self.about(payload, self.new_subject())

    def at_stage(self, payload: Any, stage: str) -> Any:
        return self.with_value(payload, self.stage_pointer, stage)

    @staticmethod
    def with_value(payload: Any, pointer: str, value: Any) -> Any:
        """A copy of `payload` with `value` at every place `pointer` names."""
        changed = copy.deepcopy(payload)
        replace_at(changed, pointer, lambda _old, _index: value)
        return changed

    def stage_payloads(self, route: CallbackRoute) -> list[tuple[str, Any]]:
        """Every documented stage's payloads: the examples, re-staged examples for stages
        without one, and the failure payloads. Each validates against the route's schema."""
        cases = [(f"example {name}", value) for name, value in route.examples]
        for name, value in route.examples:
            minimal = self.without_optional(route, value)
            if minimal != value:
                cases.append((f"example {name}, optional properties left out", minimal))
        covered = {self.stage_of(value) for _, value in cases}
        for stage in (*self.stages, *self.failure_stages):
            if stage in covered:
                continue
            for name, value in route.examples:
                staged = self.at_stage(value, stage)
                if not self.problems_of(route, staged):
                    cases.append((f"example {name} as stage {stage}", staged))
                    break
        for failure_field in self.failure_fields:
            message = _documented_value(self.oracle.document, failure_field)
            for name, value in route.examples if message is not None else ():
                failed = self.with_value(value, f"/*/{failure_field}", message)
                cases.append((f"example {name} failed ({failure_field})", failed))
        return cases + self.failure_code_payloads(route, cases)

    def failure_codes(self, route: CallbackRoute) -> list[Any]:
        """The codes the payload schema documents at `callback-failure-code` (its enum)."""
        if self.failure_code_pointer is None:
            return []
        schema = self.oracle.resolve(route.payload_pointer)
        at = schemas_at(self.oracle.document, schema, self.failure_code_pointer)
        return enum_values(self.oracle.document, at)

    def failure_code_payloads(
        self, route: CallbackRoute, cases: list[tuple[str, Any]]
    ) -> list[tuple[str, Any]]:
        """One failure-stage payload per documented code that the schema lets a failure carry
        (`… failed (code 501)`), with the message an example gives that code."""
        failed = [
            (name, value) for name, value in cases if self.stage_of(value) in self.failure_stages
        ]
        if not failed or self.failure_code_pointer is None:
            return []
        name, base = failed[0]
        payloads = []
        for code in self.failure_codes(route):
            payload = self.with_value(base, self.failure_code_pointer, code)
            if self.failure_message_pointer is not None:
                message = self._example_message(route, code)
                payload = self.with_value(payload, self.failure_message_pointer, message)
            if not self.problems_of(route, payload):
                payloads.append((f"{name} failed (code {code})", payload))
        return payloads

    def _example_message(self, route: CallbackRoute, code: Any) -> str:
        """The message the first example with `code` carries, else a placeholder."""
        assert self.failure_code_pointer is not None and self.failure_message_pointer is not None
        for _, example in route.examples:
            codes = list(values_at(example, self.failure_code_pointer))
            messages = [m for m in values_at(example, self.failure_message_pointer) if m]
            if codes == [code] and messages and isinstance(messages[0], str):
                return messages[0]
        return f"segue: no example documents the message of code {code}"

    def without_optional(self, route: CallbackRoute, payload: Any) -> Any:
        """`payload` without every property the schema lets it leave out (the validator
        decides, one property at a time, so conditional requirements are honoured)."""
        current = copy.deepcopy(payload)
        for path in _property_paths(payload):
            candidate = copy.deepcopy(current)
            parent = candidate
            for token in path[:-1]:
                parent = parent[token] if isinstance(parent, (dict, list)) else None
            if not isinstance(parent, dict) or path[-1] not in parent:
                continue  # already gone with its parent
            del parent[path[-1]]
            if not self.problems_of(route, candidate):
                current = candidate
        return current

    def stage_sequence(self, route: CallbackRoute) -> dict[str, Any]:
        """One payload per success stage, in the spec's order (the happy path of one task)."""
        sequence: dict[str, Any] = {}
        for _, payload in self.stage_payloads(route):
            stage = self.stage_of(payload)
            if stage in self.stages and stage not in sequence and not self._failed(payload):
                sequence[stage] = payload
        return {stage: sequence[stage] for stage in self.stages if stage in sequence}

    def _failed(self, payload: Any) -> bool:
        return any(
            value for name in self.failure_fields for value in values_at(payload, f"/*/{name}")
        )

    def missing_stages(self, route: CallbackRoute) -> list[str]:
        """Stages the spec documents for which it offers no valid payload (a spec gap)."""
        covered = {self.stage_of(payload) for _, payload in self.stage_payloads(route)}
        return [s for s in (*self.stages, *self.failure_stages) if s not in covered]

    # ------------------------------------------------------------------ sending

    def signed(self, payload: Any, now: float | None = None, key: str | None = None) -> Delivery:
        """`payload` with the signature headers the scheme and key call for (none without)."""
        key = key if key is not None else self.webhook_key
        headers: dict[str, str] = {}
        if self.scheme is not None and key:
            headers = self.scheme.sign(key, payload, time.time() if now is None else now)
        return Delivery(payload, headers)

    def send(self, delivery: Delivery, route: CallbackRoute, *, record: bool = True) -> Answer:
        """POST the delivery to the receiver. The answer carries the request as sent (the
        report's curl line); `record=False` leaves logging it to `remember`."""
        assert self.target is not None, "a catalogue kit sends nothing"
        content = json.dumps(delivery.payload, ensure_ascii=False).encode()
        headers = {"Content-Type": route.media_type, **delivery.headers}
        started = time.monotonic()
        try:
            response = self.target.send(
                "POST",
                "",
                content=content,
                headers=headers,
                authorization=None,
                honour_retry_after=False,
                record=record,
            )
        except httpx.TimeoutException:
            limit = self.contract.timeout_seconds
            answer = Answer(None, time.monotonic() - started, error=f"timed out at {limit:g} s")
        except httpx.HTTPError as error:
            answer = Answer(None, time.monotonic() - started, error=f"{type(error).__name__}")
        else:
            answer = Answer(
                response.status_code,
                time.monotonic() - started,
                response.content,
                response.headers.get("content-type", ""),
            )
        request = SentRequest("POST", self.target.base_url, headers, content, answer.status)
        return replace(answer, request=request)

    def remember(self, answer: Answer) -> Answer:
        """Log a delivery sent with `record=False` (concurrent sends log in their planned order)."""
        assert self.target is not None and answer.request is not None, "an answer of `send`"
        self.target._remember(answer.request)  # the target's log and fingerprint
        return answer

    # ------------------------------------------------------------------ judging

    def failures(self, answer: Answer) -> list[str]:
        """How the answer breaks the delivery contract: late, not acknowledged, a 5xx. A failed
        delivery is blamed (`Target.blame`): the first in a test is the report's curl line."""
        return self._blame(answer, self._failures(answer))

    def _failures(self, answer: Answer) -> list[str]:
        limit = self.contract.timeout_seconds
        if answer.status is None:
            return [f"{answer.describe()}: the vendor gives up after {limit:g} s"]
        problems = []
        if answer.elapsed > limit:
            problems.append(f"answered after {answer.elapsed:.1f} s, the vendor waits {limit:g} s")
        if answer.status >= 500:
            problems.append(f"{answer.describe()}: a receiver must never answer 5xx")
        elif not self.contract.acknowledges(answer.status):
            problems.append(
                f"{answer.describe()}: not acknowledged (the spec's acknowledgement is "
                f"{self.contract.acknowledgement})"
            )
        return problems

    def acknowledgement_warnings(self, route: CallbackRoute, answer: Answer) -> list[str]:
        """An acknowledged answer whose body is not the documented acknowledgement: a warning,
        since both vendors state that they do not read it (DECISIONS X-7)."""
        if route.acknowledgement_pointer is None or answer.status is None:
            return []
        if not self.contract.acknowledges(answer.status) or not answer.body:
            return []
        try:
            body = json.loads(answer.body)
        except ValueError:
            return [f"acknowledgement body is not JSON ({answer.describe()})"]
        problems = self.oracle.errors(route.acknowledgement_pointer, body)
        return [f"acknowledgement body: {problem}" for problem in problems]

    def deliver(self, route: CallbackRoute, payload: Any) -> tuple[Answer, list[str], list[str]]:
        """Send `payload` signed now; (answer, failures, warnings)."""
        answer = self.send(self.signed(payload), route)
        return answer, self.failures(answer), self.acknowledgement_warnings(route, answer)

    def rejection_failures(self, answer: Answer) -> list[str]:
        """A forged delivery must get a 4xx (acknowledging it, or a 5xx, fails; blamed)."""
        if answer.status is not None and 400 <= answer.status < 500:
            return []
        return self._blame(answer, [f"{answer.describe()}: expected a 4xx"])

    def _blame(self, answer: Answer, failures: list[str]) -> list[str]:
        if failures and self.target is not None:
            self.target.blame(answer.request)
        return failures


def catalogue(vendor: str, spec_dir: str | None = None) -> DeliveryKit:
    """A kit that sends nothing: what test modules list when they are collected."""
    return DeliveryKit(load_oracle(vendor, spec_dir), None, webhook_key=None, seed=0)


def callback_routes(oracle: SpecOracle) -> Iterator[CallbackRoute]:
    """Each create operation's callback in `oracle`'s spec: payload, examples, acknowledgement."""
    document = oracle.document
    for operation in speclib.iter_operations(document):
        if operation.kind != "path" or "operationId" not in operation.node:
            continue
        for post in speclib.iter_callback_posts(document, operation):
            payload_pointer, _, examples = oracle._request_body(post.operation)
            found = speclib.request_body(document, post.operation)
            if payload_pointer is None or found is None:
                continue
            media_types = speclib.media_types(*found)
            yield CallbackRoute(
                vendor=oracle.vendor,
                operation_id=str(operation.node["operationId"]),
                create_route=operation.route,
                callback_operation_id=str(post.operation.node.get("operationId", post.name)),
                payload_pointer=payload_pointer,
                media_type=media_types[0][0] if media_types else "application/json",
                examples=tuple(examples),
                acknowledgement_pointer=_acknowledgement_pointer(oracle, post.operation),
                operation=post.operation,
            )


def _acknowledgement_pointer(oracle: SpecOracle, operation: speclib.Operation) -> str | None:
    for status, response, pointer in speclib.responses(oracle.document, operation):
        if not status.startswith("2"):
            continue
        for media_type, media, media_pointer in speclib.media_types(response, pointer):
            if "json" in media_type and "schema" in media:
                schema = media["schema"]
                if speclib.is_ref(schema) and len(schema) == 1:
                    return oracle.follow(schema, speclib.join_pointer(media_pointer, "schema"))[1]
                return speclib.join_pointer(media_pointer, "schema")
    return None


def _documented_value(document: Any, name: str) -> str | None:
    """The first non-empty string the spec's examples give the property `name` (None: none)."""
    stack = [document.get("components", {}).get("examples", {})]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            value = node.get(name)
            if isinstance(value, str) and value:
                return value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _property_paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every property of every object in `node`, parents before children."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _property_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _property_paths(value, (*prefix, index))


def with_unknown_property(payload: Any) -> Any:
    """`payload` with a property no schema declares added to every object in it."""
    extended = copy.deepcopy(payload)
    stack = [extended]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            node[UNKNOWN_PROPERTY] = "a field the vendor may add tomorrow"
        elif isinstance(node, list):
            stack.extend(node)
    return extended


def declared_properties(oracle: SpecOracle, pointer: str) -> set[str]:
    """Every property name the schema at `pointer` declares, anywhere below it, refs followed."""
    names: set[str] = set()
    seen: set[str] = set()
    stack = [pointer]
    while stack:
        current = stack.pop()
        node = oracle.resolve(current)
        if current in seen or not isinstance(node, dict):
            continue
        seen.add(current)
        if speclib.is_ref(node):
            stack.append(speclib.ref_to_pointer(node["$ref"]))
        if isinstance(node.get("properties"), dict):
            names.update(node["properties"])
        stack.extend(sub_pointer for sub_pointer, _ in speclib.subschemas(node, current))
    return names


def only_declared(payload: Any, declared: set[str]) -> Any:
    """`payload` without the properties the schema does not declare (generated cases carry
    arbitrary extra properties; unknown properties are the forward-compatibility check's)."""
    if isinstance(payload, dict):
        return {k: only_declared(v, declared) for k, v in payload.items() if k in declared}
    if isinstance(payload, list):
        return [only_declared(v, declared) for v in payload]
    return payload
