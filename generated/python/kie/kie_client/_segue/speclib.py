"""Load a spec and walk it: JSON pointers, local `$ref`s, operations, schemas, examples.

Shared by every component that reads `specs/*.openapi.yaml`. The specs are self-contained
(only local `#/...` refs), so resolving is a JSON-pointer lookup in the one document.

Why hand-written: the walking is OpenAPI-shaped (which keys hold operations, media types,
named examples), and the libraries we use only validate (openapi-spec-validator) or resolve
while validating (jsonschema-rs, jsonschema-path); none yields "every place an example can be,
with the schema it must match and the pointer where it is written".

Pointers are JSON Pointers (RFC 6901) without the leading `#`: `""` is the document root,
`/components/schemas/Model` a schema. `$ref` values are URI fragments (`#/components/...`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import jsonschema_rs
import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords whose value is one sub-schema, a list of sub-schemas, or a map name -> sub-schema.
_SUBSCHEMA_KEYWORDS = (
    "items", "contains", "additionalProperties", "propertyNames", "unevaluatedItems",
    "unevaluatedProperties", "not", "if", "then", "else", "contentSchema",
)  # fmt: skip
_SUBSCHEMA_LIST_KEYWORDS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAP_KEYWORDS = ("properties", "patternProperties", "dependentSchemas", "$defs")

# Keys whose (mapping) value is keyed by names chosen by the author, not by keywords: a property
# named `default` or a response named `default` is not the `default` keyword.
_NAME_MAP_KEYS = frozenset(
    {
        *_SUBSCHEMA_MAP_KEYWORDS, "definitions", "paths", "webhooks", "callbacks", "responses",
        "content", "headers", "examples", "links", "encoding", "variables", "schemas",
        "parameters", "requestBodies", "securitySchemes", "pathItems", "mapping", "scopes",
    }
)  # fmt: skip
# Keys whose value is instance data (or an extension), never OpenAPI/JSON Schema structure.
_DATA_KEYS = frozenset({"example", "const", "enum", "default", "value"})


class SpecLoadError(Exception):
    """The file is not a spec: I/O error, YAML syntax error, duplicate or non-string key."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")
        self.line = line
        self.column = column


class UnresolvableRef(LookupError):
    """A `$ref` or pointer that names nothing in the document (or is not local)."""


# --------------------------------------------------------------------------- loading


class _SpecLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML loader that yields JSON-compatible data.

    Unlike `yaml.safe_load` it keeps `2025-01-01` a string (OpenAPI is JSON: no dates), and
    rejects duplicate keys (YAML silently keeps the last, losing half a schema) and non-string
    keys (OpenAPI says to quote status codes: `'200':`, not `200:`).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise _marked(f"duplicate key {key_node.value!r}", key_node)
                seen.add(key_node.value)
        mapping = super().construct_mapping(node, deep=deep)
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str) and key_node.tag != "tag:yaml.org,2002:merge":
                raise _marked(
                    f"key {key!r} is not a string: quote it (OpenAPI keys are strings)", key_node
                )
        return mapping


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _marked(message: str, node: yaml.Node) -> SpecLoadError:
    return SpecLoadError(message, node.start_mark.line + 1, node.start_mark.column + 1)


def load_spec(path: Path) -> dict[str, Any]:
    """Parse a YAML (or JSON) spec into plain JSON data; raise SpecLoadError, never a yaml error."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecLoadError(f"cannot read file: {error}") from error
    return parse_spec_text(text)


def parse_spec_text(text: str) -> dict[str, Any]:
    """Parse the text of a spec (e.g. a file at a git revision) as `load_spec` parses a file."""
    try:
        document = yaml.load(text, Loader=_SpecLoader)  # a safe loader (see _SpecLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part)
        if mark is None:
            raise SpecLoadError(f"YAML syntax error: {message}") from error
        raise SpecLoadError(
            f"YAML syntax error: {message}", mark.line + 1, mark.column + 1
        ) from error
    except yaml.YAMLError as error:
        raise SpecLoadError(f"YAML error: {error}") from error
    if not isinstance(document, dict):
        raise SpecLoadError(f"top level is a {type(document).__name__}, not a mapping")
    return document


# --------------------------------------------------------------------------- pointers and refs


def escape_token(token: str | int) -> str:
    """One reference token of a JSON pointer: `~` -> `~0`, `/` -> `~1`."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """`join_pointer("/paths", "/api/v1/generate")` -> `/paths/~1api~1v1~1generate`."""
    return pointer + "".join("/" + escape_token(token) for token in tokens)


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer (`""` -> `[]`)."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise UnresolvableRef(f"{pointer!r} is not a JSON pointer")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def ref_to_pointer(ref: str) -> str:
    """`#/components/schemas/A%20B` -> `/components/schemas/A B`; only local refs are allowed."""
    if not ref.startswith("#"):
        raise UnresolvableRef(f"{ref!r} is not a local reference (specs are self-contained)")
    return unquote(ref[1:])


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at `pointer`; UnresolvableRef names the first token that is missing."""
    node = document
    for token in split_pointer(pointer):
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise UnresolvableRef(f"{pointer!r} does not exist (no {token!r})")
    return node


def is_ref(node: Any) -> bool:
    """Whether `node` is a Reference Object / `$ref` schema (a mapping with a string `$ref`)."""
    return isinstance(node, Mapping) and isinstance(node.get("$ref"), str)


def follow_ref(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow a chain of `$ref`s from `node` (found at `pointer`) to the object it stands for.

    Returns the target and the pointer where it is written; a node without `$ref` is returned
    as it is. Raises UnresolvableRef on a dangling or cyclic chain.
    """
    seen = {pointer}
    while is_ref(node):
        pointer = ref_to_pointer(node["$ref"])
        if pointer in seen:
            raise UnresolvableRef(f"$ref cycle through {'#' + pointer!r}")
        seen.add(pointer)
        node = resolve_pointer(document, pointer)
    return node, pointer


def locate(document: Any, tokens: list[str | int] | tuple[str | int, ...]) -> str:
    """Where a logical path (one that walks through `$ref`s, as validators report) is written."""
    node, pointer = document, ""
    for token in tokens:
        while is_ref(node) and str(token) not in node:
            node, pointer = follow_ref(document, node, pointer)
        node = node[int(token)] if isinstance(node, list) else node[str(token)]
        pointer = join_pointer(pointer, token)
    return pointer


def iter_refs(document: Any) -> Iterator[tuple[str, str]]:
    """Every `$ref` string in the document, as (pointer of the object holding it, ref).

    Skips instance data (`example`, `value`, `const`, `enum`, `default`, list-valued `examples`)
    and `x-` extensions, so a `$ref` key inside an example is not mistaken for a reference.
    """
    stack: list[tuple[Any, str, bool]] = [(document, "", False)]
    while stack:
        node, pointer, keys_are_names = stack.pop()
        if isinstance(node, list):
            stack.extend((item, join_pointer(pointer, i), False) for i, item in enumerate(node))
            continue
        if not isinstance(node, Mapping):
            continue
        if not keys_are_names and isinstance(node.get("$ref"), str):
            yield pointer, node["$ref"]
        for key, value in node.items():
            if not keys_are_names and _is_data(key, value):
                continue
            stack.append(
                (value, join_pointer(pointer, key), not keys_are_names and key in _NAME_MAP_KEYS)
            )


def _is_data(key: str, value: Any) -> bool:
    return (
        key in _DATA_KEYS or key.startswith("x-") or (key == "examples" and isinstance(value, list))
    )


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Operation:
    """One operation: under `paths`, under an operation's `callbacks`, or a `webhooks` entry.

    `kind` is "path", "callback", "webhook" (or "component": a `components/pathItems` entry
    nothing references); `route` is the path template, the callback's runtime expression or
    the webhook name; `pointer` is where the operation is written. For a callback, `owner`
    is the pointer of the operation declaring it and `callback` its key there (e.g.
    `audioGenerate`).
    """

    kind: str
    route: str
    method: str
    pointer: str
    node: dict[str, Any]
    path_item: dict[str, Any]
    path_item_pointer: str
    owner: str | None = None
    callback: str | None = None


def iter_operations(document: dict[str, Any], unique: bool = True) -> Iterator[Operation]:
    """Every operation of the document; callbacks right after the operation declaring them.

    Path items and callbacks are followed through `$ref`; a dangling `$ref` is skipped (the
    caller's ref check reports it). With `unique` (what a linter wants) each operation comes
    once, by where it is written: a path item shared by a callback and a webhook comes as the
    callback, the first use. With `unique=False` it comes once per use (every webhook, every
    declaring operation), e.g. to list what each operation calls back. Operations that only
    `components/callbacks` or `components/pathItems` hold come last.
    """
    seen: set[str] | None = set() if unique else None

    def visit(
        kind: str, route: str, path_item: Any, pointer: str, ancestors: frozenset[str], **via: str
    ) -> Iterator[Operation]:
        path_item, pointer = _follow_or_none(document, path_item, pointer)
        if not isinstance(path_item, Mapping) or pointer in ancestors:
            return  # dangling, or a callback that calls back its own path item
        for method in HTTP_METHODS:
            node = path_item.get(method)
            op_pointer = join_pointer(pointer, method)
            if not isinstance(node, dict) or (seen is not None and op_pointer in seen):
                continue
            if seen is not None:
                seen.add(op_pointer)
            yield Operation(kind, route, method, op_pointer, node, dict(path_item), pointer, **via)
            for name, callback in _items(node.get("callbacks")):
                callback, cb_pointer = _follow_or_none(
                    document, callback, join_pointer(op_pointer, "callbacks", name)
                )
                for expression, cb_item in _items(callback):
                    cb_item_pointer = join_pointer(cb_pointer, expression)
                    yield from visit(
                        "callback", expression, cb_item, cb_item_pointer, ancestors | {pointer},
                        owner=op_pointer, callback=name,
                    )  # fmt: skip

    for route, path_item in _items(document.get("paths")):
        yield from visit("path", route, path_item, join_pointer("/paths", route), frozenset())
    for name, path_item in _items(document.get("webhooks")):
        yield from visit("webhook", name, path_item, join_pointer("/webhooks", name), frozenset())
    if seen is None:
        return
    components = document.get("components")
    components = components if isinstance(components, Mapping) else {}
    for name, callback in _items(components.get("callbacks")):
        pointer = join_pointer("/components/callbacks", name)
        for expression, path_item in _items(callback):
            item_pointer = join_pointer(pointer, expression)
            yield from visit("callback", expression, path_item, item_pointer, frozenset())
    for name, path_item in _items(components.get("pathItems")):
        pointer = join_pointer("/components/pathItems", name)
        yield from visit("component", name, path_item, pointer, frozenset())


_BODY_EXPRESSION = re.compile(r"^\{\$request\.body#(?P<pointer>/[^}]*)\}$")


@dataclass(frozen=True)
class CallbackPost:
    """A callback an operation declares, whose URL is a field of its request body.

    `name` is the callback's key (`audioExtend`); `url_pointer` points into the request body at
    the URL (`/callBackUrl`); `operation` is the callback's `post`; `header_names` are its header
    parameters as written (e.g. `X-Webhook-Signature`).
    """

    name: str
    url_pointer: str
    operation: Operation
    header_names: tuple[str, ...]


def iter_callback_posts(document: dict[str, Any], operation: Operation) -> Iterator[CallbackPost]:
    """The `post` callbacks of `operation` whose URL is `{$request.body#/...}`, refs followed.

    The mock (which sends them) and the contract suite (which receives them) both need this walk.
    """
    for name, callback in _items(operation.node.get("callbacks")):
        callback, pointer = _follow_or_none(
            document, callback, join_pointer(operation.pointer, "callbacks", name)
        )
        for expression, path_item in _items(callback):
            match = _BODY_EXPRESSION.match(expression)
            item, item_pointer = _follow_or_none(
                document, path_item, join_pointer(pointer, expression)
            )
            post = item.get("post") if isinstance(item, Mapping) else None
            if match is None or not isinstance(post, dict):
                continue
            cb_operation = Operation(
                "callback",
                expression,
                "post",
                join_pointer(item_pointer, "post"),
                post,
                dict(item),
                item_pointer,
                owner=operation.pointer,
                callback=name,
            )
            headers = tuple(
                str(parameter.get("name"))
                for _, parameter in operation_parameters(document, cb_operation)
                if parameter.get("in") == "header"
            )
            url_pointer = ref_to_pointer("#" + match["pointer"])
            yield CallbackPost(name, url_pointer, cb_operation, headers)


def _items(node: Any) -> list[tuple[str, Any]]:
    """The (key, value) pairs of a mapping (none for anything else), `x-` extensions left out."""
    if not isinstance(node, Mapping):
        return []
    return [(key, value) for key, value in node.items() if not str(key).startswith("x-")]


def _follow_or_none(document: Any, node: Any, pointer: str) -> tuple[Any, str]:
    try:
        return follow_ref(document, node, pointer)
    except UnresolvableRef:
        return None, pointer


def operation_parameters(
    document: dict[str, Any], operation: Operation
) -> list[tuple[str, dict[str, Any]]]:
    """The operation's parameters, path-level ones included, as (pointer where written, object)."""
    found = []
    for owner, owner_pointer in (
        (operation.path_item, operation.path_item_pointer),
        (operation.node, operation.pointer),
    ):
        parameters = owner.get("parameters")
        for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
            parameter, pointer = _follow_or_none(
                document, parameter, join_pointer(owner_pointer, "parameters", index)
            )
            if isinstance(parameter, dict):
                found.append((pointer, parameter))
    return found


def request_body(
    document: dict[str, Any], operation: Operation
) -> tuple[dict[str, Any], str] | None:
    """The operation's request body (through `$ref`) and where it is written, or None."""
    if "requestBody" not in operation.node:
        return None
    body, pointer = _follow_or_none(
        document, operation.node["requestBody"], join_pointer(operation.pointer, "requestBody")
    )
    return (body, pointer) if isinstance(body, dict) else None


def responses(
    document: dict[str, Any], operation: Operation
) -> list[tuple[str, dict[str, Any], str]]:
    """The operation's responses (through `$ref`): (status key, response, pointer where written)."""
    found = []
    for status, response in _items(operation.node.get("responses")):
        response, pointer = _follow_or_none(
            document, response, join_pointer(operation.pointer, "responses", status)
        )
        if isinstance(response, dict):
            found.append((str(status), response, pointer))
    return found


def media_types(
    holder: dict[str, Any], holder_pointer: str
) -> list[tuple[str, dict[str, Any], str]]:
    """The `content` of a request body, response, parameter or header: (type, object, pointer)."""
    return [
        (media_type, node, join_pointer(holder_pointer, "content", media_type))
        for media_type, node in _items(holder.get("content"))
        if isinstance(node, dict)
    ]


# --------------------------------------------------------------------------- examples


@dataclass(frozen=True)
class Example:
    """One example value and where it comes from.

    `pointer` is where it is used (`.../example`, `.../examples/<name>`); `source` is where the
    value is written (differs when a named example is a `$ref` to `components/examples`);
    `name` is the named example's key (None for a bare `example`); `extensions` holds the
    named Example Object's `x-` keys (e.g. `x-segue-when`).
    """

    pointer: str
    source: str
    name: str | None
    value: Any
    extensions: dict[str, Any]


def iter_examples(document: Any, holder: dict[str, Any], holder_pointer: str) -> Iterator[Example]:
    """The examples of a media type, parameter or header: its `example` and each named `examples`.

    Named examples are followed through `$ref`; one without a `value` (e.g. `externalValue`
    only) or with a dangling `$ref` is skipped.
    """
    if "example" in holder:
        pointer = join_pointer(holder_pointer, "example")
        yield Example(pointer, pointer, None, holder["example"], {})
    named = holder.get("examples")
    for name, example in _items(named) if isinstance(named, Mapping) else []:
        pointer = join_pointer(holder_pointer, "examples", name)
        target, source = _follow_or_none(document, example, pointer)
        if isinstance(target, Mapping) and "value" in target:
            extensions = {key: value for key, value in target.items() if str(key).startswith("x-")}
            yield Example(pointer, join_pointer(source, "value"), name, target["value"], extensions)


# --------------------------------------------------------------------------- slots and schemas


@dataclass(frozen=True)
class Slot:
    """A place that carries a `schema` and examples: a media type, a parameter or a header.

    `kind` is "media type", "parameter" or "header"; `pointer` is where the object is written.
    """

    kind: str
    pointer: str
    node: dict[str, Any]


def iter_slots(document: dict[str, Any]) -> Iterator[Slot]:
    """Every media type, parameter and header of the document, each once (by where it is written).

    Walks operations (callbacks and webhooks included), then `components` for what no operation
    references.
    """
    seen: set[str] = set()
    for operation in iter_operations(document):
        for pointer, parameter in operation_parameters(document, operation):
            yield from _parameter_like_slots(document, "parameter", parameter, pointer, seen)
        body = request_body(document, operation)
        if body is not None:
            yield from _content_slots(document, body[0], body[1], seen)
        for _, response, pointer in responses(document, operation):
            yield from _response_slots(document, response, pointer, seen)
    components = document.get("components")
    components = components if isinstance(components, Mapping) else {}
    for name, parameter in _items(components.get("parameters")):
        pointer = join_pointer("/components/parameters", name)
        yield from _parameter_like_slots(document, "parameter", parameter, pointer, seen)
    for name, header in _items(components.get("headers")):
        yield from _parameter_like_slots(
            document, "header", header, join_pointer("/components/headers", name), seen
        )
    for name, body in _items(components.get("requestBodies")):
        if isinstance(body, dict) and not is_ref(body):
            yield from _content_slots(
                document, body, join_pointer("/components/requestBodies", name), seen
            )
    for name, response in _items(components.get("responses")):
        if isinstance(response, dict) and not is_ref(response):
            yield from _response_slots(
                document, response, join_pointer("/components/responses", name), seen
            )


def _response_slots(
    document: Any, response: dict[str, Any], pointer: str, seen: set[str]
) -> Iterator[Slot]:
    yield from _content_slots(document, response, pointer, seen)
    for name, header in _items(response.get("headers")):
        yield from _parameter_like_slots(
            document, "header", header, join_pointer(pointer, "headers", name), seen
        )


def _parameter_like_slots(
    document: Any, kind: str, node: Any, pointer: str, seen: set[str]
) -> Iterator[Slot]:
    node, pointer = _follow_or_none(document, node, pointer)
    if isinstance(node, dict) and pointer not in seen:
        seen.add(pointer)
        yield Slot(kind, pointer, node)
        yield from _content_slots(document, node, pointer, seen)


def _content_slots(
    document: Any, holder: dict[str, Any], pointer: str, seen: set[str]
) -> Iterator[Slot]:
    for _, media, media_pointer in media_types(holder, pointer):
        if media_pointer not in seen:
            seen.add(media_pointer)
            yield Slot("media type", media_pointer, media)


def iter_schemas(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every schema written in the document (not through `$ref`), as (pointer, schema), each once.

    Starts from `components/schemas` and the `schema` of every slot, and descends through the
    JSON Schema keywords that hold sub-schemas.
    """
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    roots = [
        (join_pointer("/components/schemas", name), schema) for name, schema in _items(schemas)
    ]
    roots += [
        (join_pointer(slot.pointer, "schema"), slot.node["schema"])
        for slot in iter_slots(document)
        if "schema" in slot.node
    ]
    seen: set[str] = set()
    stack = list(reversed(roots))
    while stack:
        pointer, schema = stack.pop()
        if pointer in seen or not isinstance(schema, (Mapping, bool)):
            continue
        seen.add(pointer)
        yield pointer, schema
        if isinstance(schema, Mapping):
            stack.extend(reversed(list(subschemas(schema, pointer))))


def open_enum_known(schema: Any) -> Any:
    """The documented branch of an open enum, else None.

    The specs' one form for "these values are documented, others may come" (DECISIONS X-5):
    `anyOf: [<the documented enum, or a $ref to it>, {type: <its type>}]`. Generated clients and
    models parse any value of the type and keep it; the first branch keeps the list readable.
    """
    branches = schema.get("anyOf") if isinstance(schema, Mapping) else None
    if not (isinstance(branches, list) and len(branches) == 2):
        return None
    known, fallback = branches
    if not (isinstance(fallback, Mapping) and set(fallback) == {"type"}):
        return None
    if isinstance(known, Mapping) and (is_ref(known) or "enum" in known):
        return known
    return None


def documented_values_only(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of `document` whose open enums accept only their documented values.

    What segue itself sends must validate against it (strict speaker); a vendor answer that
    validates against `document` but not against this copy carries an undocumented value.
    """
    closed = copy.deepcopy(document)
    for _, schema in list(iter_schemas(closed)):
        known = open_enum_known(schema)
        if known is not None:  # the documented branch in place of the choice
            del schema["anyOf"]
            schema.update(known)
    return closed


def subschemas(schema: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, Any]]:
    """The immediate sub-schemas of a schema, as (pointer, sub-schema); `$ref`s are not followed."""
    for keyword in _SUBSCHEMA_KEYWORDS:
        if keyword in schema:
            yield join_pointer(pointer, keyword), schema[keyword]
    for keyword in _SUBSCHEMA_LIST_KEYWORDS:
        if isinstance(schema.get(keyword), list):
            for index, sub in enumerate(schema[keyword]):
                yield join_pointer(pointer, keyword, index), sub
    for keyword in _SUBSCHEMA_MAP_KEYWORDS:
        if isinstance(schema.get(keyword), Mapping):
            for name, sub in schema[keyword].items():
                yield join_pointer(pointer, keyword, name), sub


class SchemaValidators:
    """Compiled jsonschema-rs validators (Draft 2020-12, formats checked) for schemas inside one
    OpenAPI document, so the document's local `$ref`s resolve through a registry holding it.

    The mock, the contract suite and preflight all validate against the same specs; this is the
    one place that knows how. Validators are compiled once per pointer.
    """

    def __init__(self, document: Any, name: str) -> None:
        self.document = document
        self.base_uri = f"urn:segue:{name}"
        self.registry = jsonschema_rs.Registry(
            [(self.base_uri, document)], draft=jsonschema_rs.Draft202012
        )
        self._compiled: dict[tuple[str, str | None], jsonschema_rs.Validator] = {}

    def at(self, pointer: str, mask: str | None = None) -> jsonschema_rs.Validator:
        """The validator of the schema written at `pointer` (e.g. `/components/schemas/X`).

        `mask` stands in for the instance's values in error messages (jsonschema-rs's `mask`):
        cheaper errors, for callers that word their own messages.
        """
        if (pointer, mask) not in self._compiled:
            reference = {"$ref": f"{self.base_uri}#{quote(pointer, safe='/~')}"}
            # No base_uri here: it would register this wrapper under the document's URI.
            self._compiled[pointer, mask] = jsonschema_rs.validator_for(
                reference, registry=self.registry, validate_formats=True, mask=mask
            )
        return self._compiled[pointer, mask]

    def for_schema(self, schema: Any) -> jsonschema_rs.Validator:
        """A validator for a schema fragment whose `$ref`s point into this document."""
        return jsonschema_rs.validator_for(
            schema, registry=self.registry, base_uri=self.base_uri, validate_formats=True
        )
