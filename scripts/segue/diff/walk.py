"""Walk two versions of a spec side by side: operations, their callbacks, webhooks, and the slots
of each (parameters, request body, responses, headers, examples), each with its direction.

Operations are matched by method and path template (parameter names ignored: `/a/{id}` is
`/a/{itemId}`), callbacks by their key under the operation (or, when renamed, by their URL
expression), webhooks by name. Everything is followed through `$ref`, so callbacks written in
`components/callbacks` and `components/pathItems` are compared where operations use them.

Direction (see `segue.diff.rules`): an operation's parameters and body are `request`, its
responses `response`; a callback's or webhook's parameters (headers) and body (the payload) are
`response`, and its responses (the acknowledgement the user's endpoint returns) `request`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from segue import speclib
from segue.diff.findings import Collector
from segue.diff.schemas import SchemaComparer
from segue.diff.views import Place, canonical, show
from segue.speclib import HTTP_METHODS, join_pointer

_TEMPLATE_PARAMETER = re.compile(r"\{[^}]*\}")


class OperationPair:
    """One operation in OLD and NEW (each an Operation), the subject naming it in findings."""

    def __init__(self, subject: str, kind: str, old: speclib.Operation, new: speclib.Operation):
        self.subject = subject
        self.kind = kind
        self.old = old
        self.new = new

    @property
    def outward(self) -> str:
        """The direction of what the operation's own parameters and body carry."""
        return "request" if self.kind == "path" else "response"

    @property
    def inward(self) -> str:
        """The direction of the operation's responses."""
        return "response" if self.kind == "path" else "request"


class DocumentWalk:
    """Compares the operations, callbacks and webhooks of two documents into a Collector."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any], collector: Collector) -> None:
        self.old = old
        self.new = new
        self.collector = collector
        self.schemas = SchemaComparer(old, new, collector)
        # Where an error answer's message is; a side that does not say reads the other's.
        old_message, new_message = _message_pointer(old), _message_pointer(new)
        self.messages = (old_message or new_message, new_message or old_message)

    def run(self) -> None:
        self._paths()
        self._webhooks()

    # ------------------------------------------------------------------ operations

    def _paths(self) -> None:
        old_ops = _operations(self.old, "paths")
        new_ops = _operations(self.new, "paths")
        new_routes = {key[0] for key in new_ops}
        for key, old_op in old_ops.items():
            subject = _operation_subject(old_op)
            if key in new_ops:
                new_op = new_ops[key]
                self._operation(OperationPair(_operation_subject(new_op), "path", old_op, new_op))
            elif key[0] in new_routes:
                self.collector.add(
                    "operation-removed", "request", subject, old_op.pointer,
                    _path_pointer(self.new, old_op.route), f"{_signature(old_op)} removed",
                )  # fmt: skip
            else:
                self.collector.add(
                    "path-removed", "request", subject, old_op.pointer, None,
                    f"path {old_op.route} removed ({_signature(old_op)})",
                )  # fmt: skip
        for key, new_op in new_ops.items():
            if key not in old_ops:
                self.collector.add(
                    "operation-added", "request", _operation_subject(new_op), None, new_op.pointer,
                    f"{_signature(new_op)} added",
                )  # fmt: skip

    def _webhooks(self) -> None:
        old_ops = _operations(self.old, "webhooks")
        new_ops = _operations(self.new, "webhooks")
        for key, old_op in old_ops.items():
            subject = f"webhook {old_op.route}"
            if key in new_ops:
                self._operation(OperationPair(subject, "webhook", old_op, new_ops[key]))
            else:
                self.collector.add(
                    "webhook-removed", "response", subject,
                    join_pointer("/webhooks", old_op.route), None,
                    f"webhook {old_op.route} ({old_op.method.upper()}) removed",
                )  # fmt: skip
        for key, new_op in new_ops.items():
            if key not in old_ops:
                self.collector.add(
                    "webhook-added", "response", f"webhook {new_op.route}", None,
                    join_pointer("/webhooks", new_op.route),
                    f"webhook {new_op.route} ({new_op.method.upper()}) added",
                )  # fmt: skip

    def _operation(self, pair: OperationPair) -> None:
        old, new = pair.old, pair.new
        direction = pair.outward
        if old.node.get("operationId") != new.node.get("operationId"):
            self.collector.add(
                "operation-id-changed", direction, pair.subject,
                join_pointer(old.pointer, "operationId"), join_pointer(new.pointer, "operationId"),
                f"operationId {old.node.get('operationId')} → {new.node.get('operationId')}",
            )  # fmt: skip
        if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
            self.collector.add(
                "operation-deprecated", direction, pair.subject, old.pointer,
                join_pointer(new.pointer, "deprecated"), f"{_signature(new)} deprecated",
            )  # fmt: skip
        for keyword in ("summary", "description"):
            if old.node.get(keyword) != new.node.get(keyword):
                self.collector.add(
                    "description-changed", direction, pair.subject,
                    join_pointer(old.pointer, keyword), join_pointer(new.pointer, keyword),
                    f"{keyword} of {_signature(new)} changed",
                )  # fmt: skip
        self._security(pair)
        self._servers(old.node.get("servers"), new.node.get("servers"), pair, old, new)
        self._servers(
            old.path_item.get("servers"), new.path_item.get("servers"), pair,
            old, new, path_level=True,
        )  # fmt: skip
        self._parameters(pair)
        self._body(pair)
        self._responses(pair)
        self._callbacks(pair)

    def _security(self, pair: OperationPair) -> None:
        def effective(document: dict[str, Any], op: speclib.Operation) -> tuple[Any, str]:
            if "security" in op.node or pair.kind != "path":
                return op.node.get("security"), join_pointer(op.pointer, "security")
            return document.get("security"), "/security"

        before, old_at = effective(self.old, pair.old)
        after, new_at = effective(self.new, pair.new)
        was, now = _requirements(before), _requirements(after)
        if was == now:
            return
        if not now:
            rule, text = "security-removed", "security requirements removed"
        else:
            rule = "security-changed"
            text = f"security {_security_text(was)} → {_security_text(now)}"
        self.collector.add(rule, "request", pair.subject, old_at, new_at, text)

    def _servers(
        self,
        before: Any,
        after: Any,
        pair: OperationPair,
        old: speclib.Operation,
        new: speclib.Operation,
        path_level: bool = False,
    ) -> None:
        old_at = join_pointer(old.path_item_pointer if path_level else old.pointer, "servers")
        new_at = join_pointer(new.path_item_pointer if path_level else new.pointer, "servers")
        compare_servers(self.collector, before, after, pair.subject, (old_at, new_at))

    # ------------------------------------------------------------------ parameters

    def _parameters(self, pair: OperationPair) -> None:
        before = _parameters_by_key(self.old, pair.old)
        after = _parameters_by_key(self.new, pair.new)
        for key in before.keys() | after.keys():
            label = _parameter_label((after.get(key) or before[key])[1])
            if key in before and key in after:
                (old_at, old_param), (new_at, new_param) = before[key], after[key]
                self._parameter_like(
                    pair, pair.outward, label, (old_param, old_at), (new_param, new_at)
                )
            elif key in before:
                old_at, old_param = before[key]
                level = "required" if old_param.get("required") is True else "optional"
                self.collector.add(
                    f"{level}-parameter-removed", pair.outward, pair.subject, old_at,
                    pair.new.pointer, f"{label} removed",
                )  # fmt: skip
            else:
                new_at, new_param = after[key]
                level = "required" if new_param.get("required") is True else "optional"
                self.collector.add(
                    f"{level}-parameter-added", pair.outward, pair.subject, pair.old.pointer,
                    new_at, f"{level} {label} added",
                )  # fmt: skip

    def _parameter_like(
        self,
        pair: OperationPair,
        direction: str,
        label: str,
        old: tuple[dict[str, Any], str],
        new: tuple[dict[str, Any], str],
    ) -> None:
        """A parameter or header present in both: required, description, schema, content."""
        (old_param, old_at), (new_param, new_at) = old, new
        self._required_and_description("parameter", pair.subject, direction, label, old, new)
        place = Place(pair.subject, direction, label)
        if "schema" in old_param or "schema" in new_param:
            self.schemas.compare(
                _schema_fragment(old_param, old_at), _schema_fragment(new_param, new_at),
                place, (old_at, new_at),
            )  # fmt: skip
        self._examples(place, (old_param, old_at), (new_param, new_at))
        self._content(place, (old_param, old_at), (new_param, new_at))

    def _required_and_description(
        self,
        noun: str,
        subject: str,
        direction: str,
        label: str,
        old: tuple[dict[str, Any], str],
        new: tuple[dict[str, Any], str],
    ) -> None:
        """A parameter, header or body whose `required` flag or description changed."""
        (old_node, old_at), (new_node, new_at) = old, new
        now = new_node.get("required") is True
        if (old_node.get("required") is True) != now:
            state = "required" if now else "optional"
            self.collector.add(
                f"{noun}-became-{state}", direction, subject, old_at, new_at,
                f"{label} became {state}",
            )  # fmt: skip
        if old_node.get("description") != new_node.get("description"):
            self.collector.add(
                "description-changed", direction, subject, join_pointer(old_at, "description"),
                join_pointer(new_at, "description"), f"{label} description changed",
            )  # fmt: skip

    # ------------------------------------------------------------------ bodies

    def _body(self, pair: OperationPair) -> None:
        before = speclib.request_body(self.old, pair.old)
        after = speclib.request_body(self.new, pair.new)
        where = "body" if pair.kind == "path" else "payload"
        direction = pair.outward
        if before is None and after is None:
            return
        if before is None:
            assert after is not None
            level = "required" if after[0].get("required") is True else "optional"
            self.collector.add(
                f"{level}-body-added", direction, pair.subject, pair.old.pointer, after[1],
                f"{level} {where} added",
            )  # fmt: skip
            return
        if after is None:
            self.collector.add(
                "body-removed", direction, pair.subject, before[1], pair.new.pointer,
                f"{where} removed",
            )  # fmt: skip
            return
        self._required_and_description("body", pair.subject, direction, where, before, after)
        self._content(Place(pair.subject, direction, where), before, after)

    def _content(
        self, place: Place, old: tuple[dict[str, Any], str], new: tuple[dict[str, Any], str]
    ) -> None:
        """The media types of a body, response, parameter or header, compared by type."""
        before = {name: (node, at) for name, node, at in speclib.media_types(*old)}
        after = {name: (node, at) for name, node, at in speclib.media_types(*new)}
        for name in before.keys() | after.keys():
            if name in before and name in after:
                (old_media, old_at), (new_media, new_at) = before[name], after[name]
                self.schemas.compare(
                    _schema_fragment(old_media, old_at), _schema_fragment(new_media, new_at),
                    place, (old_at, new_at),
                )  # fmt: skip
                self._examples(place, before[name], after[name])
            elif name in before:
                self.collector.add(
                    "media-type-removed", place.direction, place.subject, before[name][1],
                    join_pointer(new[1], "content"), f"{place.label()} media type {name} removed",
                )  # fmt: skip
            else:
                self.collector.add(
                    "media-type-added", place.direction, place.subject,
                    join_pointer(old[1], "content"), after[name][1],
                    f"{place.label()} media type {name} added",
                )  # fmt: skip

    # ------------------------------------------------------------------ responses

    def _responses(self, pair: OperationPair) -> None:
        before = {status: (node, at) for status, node, at in speclib.responses(self.old, pair.old)}
        after = {status: (node, at) for status, node, at in speclib.responses(self.new, pair.new)}
        direction = pair.inward
        noun = "response" if pair.kind == "path" else "acknowledgement"
        for status in sorted(before.keys() | after.keys()):
            if status in before and status in after:
                self._response(pair, status, before[status], after[status])
            elif status in before:
                self.collector.add(
                    "response-status-removed", direction, pair.subject, before[status][1],
                    join_pointer(pair.new.pointer, "responses"), f"{noun} {status} removed",
                )  # fmt: skip
            else:
                self.collector.add(
                    "response-status-added", direction, pair.subject,
                    join_pointer(pair.old.pointer, "responses"), after[status][1],
                    f"{noun} {status} added",
                )  # fmt: skip

    def _response(
        self,
        pair: OperationPair,
        status: str,
        old: tuple[dict[str, Any], str],
        new: tuple[dict[str, Any], str],
    ) -> None:
        direction = pair.inward
        noun = "" if pair.kind == "path" else "acknowledgement "
        (old_response, old_at), (new_response, new_at) = old, new
        if old_response.get("description") != new_response.get("description"):
            self.collector.add(
                "description-changed", direction, pair.subject,
                join_pointer(old_at, "description"), join_pointer(new_at, "description"),
                f"{noun}{status} description changed",
            )  # fmt: skip
        self._content(Place(pair.subject, direction, f"{noun}{status} body"), old, new)
        before = _headers(self.old, old_response, old_at)
        after = _headers(self.new, new_response, new_at)
        for name in before.keys() | after.keys():
            label = f"{noun}{status} header {name}"
            if name in before and name in after:
                self._parameter_like(pair, direction, label, before[name], after[name])
            elif name in before:
                level = "required" if before[name][0].get("required") is True else "optional"
                self.collector.add(
                    f"{level}-parameter-removed", direction, pair.subject, before[name][1],
                    new_at, f"{label} removed",
                )  # fmt: skip
            else:
                level = "required" if after[name][0].get("required") is True else "optional"
                self.collector.add(
                    f"{level}-parameter-added", direction, pair.subject, old_at,
                    after[name][1], f"{level} {label} added",
                )  # fmt: skip

    # ------------------------------------------------------------------ examples

    def _examples(
        self, place: Place, old: tuple[dict[str, Any], str], new: tuple[dict[str, Any], str]
    ) -> None:
        """Examples of a media type, parameter or header: documented error messages by the
        situation they document (`x-segue-when`), the rest by name (documentation)."""
        before = list(speclib.iter_examples(self.old, *old))
        after = list(speclib.iter_examples(self.new, *new))
        matched = self._error_examples(place, before, after)
        # Error examples matched by their situation are compared above, whatever their names.
        by_name_before = {e.name: e for e in before if _when_key(e) not in matched}
        by_name_after = {e.name: e for e in after if _when_key(e) not in matched}
        for name in by_name_before.keys() | by_name_after.keys():
            was, now = by_name_before.get(name), by_name_after.get(name)
            label = "example" if name is None else f"example {name}"
            if was is not None and now is not None:
                if canonical(was.value) != canonical(now.value):
                    self._example_changed(place, was.source, now.source, f"{label} changed")
            elif was is not None:
                self._example_changed(place, was.pointer, new[1], f"{label} removed")
            elif now is not None:
                self._example_changed(place, old[1], now.pointer, f"{label} added")

    def _error_examples(
        self, place: Place, before: list[speclib.Example], after: list[speclib.Example]
    ) -> set[str]:
        """Documented errors matched by `x-segue-when`: a changed message is a warning.

        Returns the situations matched (their canonical `x-segue-when`)."""
        errors_before = {key: e for e in before if (key := _when_key(e)) is not None}
        errors_after = {key: e for e in after if (key := _when_key(e)) is not None}
        for key in errors_before.keys() & errors_after.keys():
            was, now = errors_before[key], errors_after[key]
            old_message = _message(was.value, self.messages[0])
            new_message = _message(now.value, self.messages[1])
            if canonical(old_message) != canonical(new_message):
                self.collector.add(
                    "error-message-changed", place.direction, place.subject,
                    _message_at(was, self.messages[0]), _message_at(now, self.messages[1]),
                    f"{place.label()} documented error ({_when_text(was)}) message "
                    f"{show(old_message)!r} → {show(new_message)!r}",
                )  # fmt: skip
            elif canonical(was.value) != canonical(now.value):
                self._example_changed(place, was.source, now.source, f"example {was.name} changed")
        return errors_before.keys() & errors_after.keys()

    def _example_changed(self, place: Place, old_at: str, new_at: str, text: str) -> None:
        self.collector.add(
            "example-changed", place.direction, place.subject, old_at, new_at,
            f"{place.label()} {text}",
        )  # fmt: skip

    # ------------------------------------------------------------------ callbacks

    def _callbacks(self, pair: OperationPair) -> None:
        before = _callbacks(self.old, pair.old)
        after = _callbacks(self.new, pair.new)
        renamed = {
            old_name: new_name
            for old_name in before.keys() - after.keys()
            for new_name in after.keys() - before.keys()
            if set(before[old_name]) == set(after[new_name])
        }
        for name, expressions in before.items():
            target = name if name in after else renamed.get(name)
            subject = f"{pair.subject} callback {name}"
            if target is None:
                self.collector.add(
                    "callback-removed", "response", subject, _first(expressions), None,
                    f"callback {name} removed",
                )  # fmt: skip
                continue
            self._callback(pair, subject, expressions, after[target])
        for name in after.keys() - before.keys() - set(renamed.values()):
            self.collector.add(
                "callback-added", "response", f"{pair.subject} callback {name}", None,
                _first(after[name]), f"callback {name} added",
            )  # fmt: skip

    def _callback(
        self,
        pair: OperationPair,
        subject: str,
        before: dict[str, tuple[Any, str]],
        after: dict[str, tuple[Any, str]],
    ) -> None:
        if len(before) == 1 and len(after) == 1 and before.keys() != after.keys():
            (old_expression, old_item), (new_expression, new_item) = (
                next(iter(before.items())), next(iter(after.items()))
            )  # fmt: skip
            self.collector.add(
                "callback-url-changed", "response", subject, old_item[1], new_item[1],
                f"callback URL {old_expression} → {new_expression}",
            )  # fmt: skip
            self._callback_item(pair, subject, old_expression, old_item, new_item)
            return
        for expression in before.keys() | after.keys():
            if expression in before and expression in after:
                self._callback_item(
                    pair, subject, expression, before[expression], after[expression]
                )
            elif expression in before:
                self.collector.add(
                    "callback-removed", "response", subject, before[expression][1], None,
                    f"callback URL {expression} removed",
                )  # fmt: skip
            else:
                self.collector.add(
                    "callback-added", "response", subject, None, after[expression][1],
                    f"callback URL {expression} added",
                )  # fmt: skip

    def _callback_item(
        self,
        pair: OperationPair,
        subject: str,
        expression: str,
        old: tuple[Any, str],
        new: tuple[Any, str],
    ) -> None:
        for method in HTTP_METHODS:
            old_node = old[0].get(method)
            new_node = new[0].get(method)
            if not isinstance(old_node, dict) and not isinstance(new_node, dict):
                continue
            if not isinstance(new_node, dict):
                self.collector.add(
                    "callback-removed", "response", subject, join_pointer(old[1], method), new[1],
                    f"callback {method.upper()} {expression} removed",
                )  # fmt: skip
            elif not isinstance(old_node, dict):
                self.collector.add(
                    "callback-added", "response", subject, old[1], join_pointer(new[1], method),
                    f"callback {method.upper()} {expression} added",
                )  # fmt: skip
            else:
                old_op = _callback_operation(old, method, old_node, pair.old)
                new_op = _callback_operation(new, method, new_node, pair.new)
                self._operation(OperationPair(subject, "callback", old_op, new_op))


# ---------------------------------------------------------------------- document parts


def compare_servers(
    collector: Collector, before: Any, after: Any, subject: str, pointers: tuple[str, str]
) -> None:
    """Server URLs added, removed or changed (a warning: the SDK's default base URL moves)."""
    was, now = _server_urls(before), _server_urls(after)
    if was == now:
        return
    removed = [url for url in was if url not in now]
    added = [url for url in now if url not in was]
    text = f"server URL {', '.join(removed) or 'none'} → {', '.join(added) or 'none'}"
    if not removed and not added:
        text = "server order changed: the first is the default"
    collector.add("server-changed", "both", subject, *pointers, text)


def _server_urls(servers: Any) -> list[str]:
    listed = servers if isinstance(servers, list) else []
    return [str(server.get("url")) for server in listed if isinstance(server, Mapping)]


def _operations(document: dict[str, Any], where: str) -> dict[tuple[str, str], speclib.Operation]:
    kind = "path" if where == "paths" else "webhook"
    found: dict[tuple[str, str], speclib.Operation] = {}
    for op in speclib.iter_operations(document, unique=False):
        if op.kind == kind:
            route = _TEMPLATE_PARAMETER.sub("{}", op.route) if kind == "path" else op.route
            found.setdefault((route, op.method), op)
    return found


def _operation_subject(op: speclib.Operation) -> str:
    operation_id = op.node.get("operationId")
    return str(operation_id) if isinstance(operation_id, str) and operation_id else _signature(op)


def _signature(op: speclib.Operation) -> str:
    return f"{op.method.upper()} {op.route}"


def _path_pointer(document: dict[str, Any], route: str) -> str | None:
    normal = _TEMPLATE_PARAMETER.sub("{}", route)
    for name in document.get("paths") or {}:
        if _TEMPLATE_PARAMETER.sub("{}", str(name)) == normal:
            return join_pointer("/paths", name)
    return None


def _requirements(security: Any) -> frozenset[str]:
    if not isinstance(security, list):
        return frozenset()
    return frozenset(canonical(item) for item in security if isinstance(item, Mapping) and item)


def _security_text(requirements: frozenset[str]) -> str:
    return " or ".join(sorted(requirements)) if requirements else "none"


def _parameters_by_key(
    document: dict[str, Any], op: speclib.Operation
) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """Parameters by (location, name); header names ignore case, and a path parameter is known
    by its place in the template (`/a/{id}` and `/a/{itemId}` send the same request)."""
    found: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    template = [match.group(0)[1:-1] for match in _TEMPLATE_PARAMETER.finditer(op.route)]
    for pointer, parameter in speclib.operation_parameters(document, op):
        location, name = str(parameter.get("in")), str(parameter.get("name"))
        if location == "header":
            name = name.lower()
        elif location == "path" and name in template:
            name = f"#{template.index(name) + 1}"
        found[location, name] = (pointer, parameter)
    return found


def _parameter_label(parameter: dict[str, Any]) -> str:
    location, name = parameter.get("in"), parameter.get("name")
    return f"header {name}" if location == "header" else f"{location} parameter {name}"


def _headers(
    document: dict[str, Any], response: dict[str, Any], pointer: str
) -> dict[str, tuple[dict[str, Any], str]]:
    found: dict[str, tuple[dict[str, Any], str]] = {}
    headers = response.get("headers")
    for name, header in headers.items() if isinstance(headers, Mapping) else []:
        target, at = _follow(document, header, join_pointer(pointer, "headers", name))
        if isinstance(target, dict):
            found[str(name).lower()] = (target, at)
    return found


def _follow(document: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    try:
        return speclib.follow_ref(document, node, pointer)
    except speclib.UnresolvableRef:
        return None, pointer


def _schema_fragment(holder: dict[str, Any], pointer: str) -> list[tuple[Any, str]]:
    return [(holder["schema"], join_pointer(pointer, "schema"))] if "schema" in holder else []


def _callbacks(
    document: dict[str, Any], op: speclib.Operation
) -> dict[str, dict[str, tuple[Any, str]]]:
    """Callback name -> {URL expression -> (path item, where it is written)}, refs followed."""
    found: dict[str, dict[str, tuple[Any, str]]] = {}
    callbacks = op.node.get("callbacks")
    for name, callback in callbacks.items() if isinstance(callbacks, Mapping) else []:
        if str(name).startswith("x-"):
            continue
        callback, at = _follow(document, callback, join_pointer(op.pointer, "callbacks", name))
        items: dict[str, tuple[Any, str]] = {}
        for expression, item in callback.items() if isinstance(callback, Mapping) else []:
            if str(expression).startswith("x-"):
                continue
            target, item_at = _follow(document, item, join_pointer(at, expression))
            if isinstance(target, Mapping):
                items[str(expression)] = (target, item_at)
        found[str(name)] = items
    return found


def _callback_operation(
    item: tuple[Any, str], method: str, node: dict[str, Any], owner: speclib.Operation
) -> speclib.Operation:
    path_item, pointer = item
    return speclib.Operation(
        "callback", "", method, join_pointer(pointer, method), node, dict(path_item), pointer,
        owner=owner.pointer,
    )  # fmt: skip


def _first(expressions: dict[str, tuple[Any, str]]) -> str | None:
    return next((at for _, at in expressions.values()), None)


def _message_pointer(document: dict[str, Any]) -> str | None:
    """Where an error's message is in an error answer (`x-segue-errors.message`), if said."""
    errors = document.get("x-segue-errors")
    message = errors.get("message") if isinstance(errors, Mapping) else None
    return message if isinstance(message, str) else None


def _message(value: Any, pointer: str | None) -> Any:
    if pointer is None:
        return value
    try:
        return speclib.resolve_pointer(value, pointer)
    except speclib.UnresolvableRef:
        return value


def _message_at(example: speclib.Example, pointer: str | None) -> str:
    if pointer is None:
        return example.source
    try:
        speclib.resolve_pointer(example.value, pointer)
    except speclib.UnresolvableRef:
        return example.source
    return example.source + pointer


def _when_key(example: speclib.Example) -> str | None:
    """The situation an error example documents (canonical `x-segue-when`), None if none."""
    if "x-segue-when" not in example.extensions:
        return None
    return canonical(example.extensions["x-segue-when"])


def _when_text(example: speclib.Example) -> str:
    when = example.extensions.get("x-segue-when")
    if isinstance(when, Mapping):
        return ", ".join(f"{key} {show(value)}" for key, value in when.items())
    return show(when)
