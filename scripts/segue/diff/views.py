"""What `segue diff` compares schemas with: the place a comparison is at (subject, direction,
slot, property path, conditions), a schema read as a *view* (its `allOf` merged, see
`segue.diff.schemas`), conditionals, and the sentences they are shown as.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from segue.speclib import UnresolvableRef, join_pointer, ref_to_pointer, resolve_pointer

Fragment = tuple[Any, str]  # a schema (object or boolean) and the pointer where it is written


def canonical(value: Any) -> str:
    """A JSON text equal for equal values (keys sorted), to compare and to match by."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def show(value: Any) -> str:
    """A value as a sentence shows it: strings bare, the rest as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Place:
    """Where a comparison is: whose, which direction, which slot, which property, under what.

    `where` names the slot (`body`, `payload`, `200 body`, `query parameter taskId`); `path` the
    property names from the slot's schema down (`[]` marks array items); `conditions` the
    conditionals' `if`s entered, as sentences.
    """

    subject: str
    direction: str
    where: str
    path: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    # The innermost unconditional object schemas (OLD, NEW) the comparison is inside: what a
    # conditional's `if` tests is looked up there.
    objects: tuple[Any, Any] = field(default=(None, None), compare=False)
    # The pointers of the two schemas being compared: where a keyword is absent they stand in,
    # so they show nothing about where the change is written.
    stand_ins: tuple[str, ...] = ()

    def child(self, name: str) -> Place:
        return replace(self, path=(*self.path, name))

    def items(self) -> Place:
        if not self.path:
            return replace(self, path=("[]",))
        return replace(self, path=(*self.path[:-1], self.path[-1] + "[]"))

    def under(self, condition: str) -> Place:
        return replace(self, conditions=(*self.conditions, condition))

    def present(self, *pointers: str | None) -> tuple[str | None, ...]:
        """The pointers, stand-ins (where a keyword is absent) replaced by None."""
        return tuple(None if pointer in self.stand_ins else pointer for pointer in pointers)

    def label(self) -> str:
        """`title`, `200 body data.taskId`, or the slot itself at its root."""
        path = ".".join(self.path)
        if not path:
            return self.where
        return path if self.where in ("body", "payload") else f"{self.where} {path}"

    def when(self) -> str:
        return f" when {' and '.join(self.conditions)}" if self.conditions else ""


@dataclass
class View:
    """A schema with its `allOf` branches merged (see the module docstring)."""

    pointer: str  # where the schema is written (or, for an absent one, its holder)
    fragments: list[Fragment] = field(default_factory=list)
    top_ref: str | None = None  # the pointer the schema's first `$ref` names, if any

    def first(self, keyword: str) -> tuple[Any, str] | None:
        """The value of `keyword` in the first fragment holding it, and its pointer."""
        for schema, pointer in self.fragments:
            if keyword in schema:
                return schema[keyword], join_pointer(pointer, keyword)
        return None

    def all(self, keyword: str) -> list[tuple[Any, str]]:
        return [
            (schema[keyword], join_pointer(pointer, keyword))
            for schema, pointer in self.fragments
            if keyword in schema
        ]

    def at(self, keyword: str) -> str:
        """The pointer of `keyword`, or of the schema when no fragment holds it."""
        found = self.first(keyword)
        return found[1] if found else self.pointer

    def types(self) -> frozenset[str] | None:
        """The types allowed (intersected over fragments), None when unconstrained."""
        allowed: frozenset[str] | None = None
        for value, _ in self.all("type"):
            these = frozenset([value] if isinstance(value, str) else value or [])
            allowed = these if allowed is None else allowed & these
        return allowed

    def enum(self) -> dict[str, Any] | None:
        """The enum values (canonical text -> value), intersected; None when there is no enum."""
        values: dict[str, Any] | None = None
        for value, _ in self.all("enum"):
            these = {canonical(item): item for item in value} if isinstance(value, list) else {}
            values = these if values is None else {k: v for k, v in values.items() if k in these}
        return values

    def bound(self, keyword: str, upper: bool) -> tuple[Any, str] | None:
        """The most restrictive value of a numeric bound over the fragments, and its pointer."""
        found = [(value, pointer) for value, pointer in self.all(keyword) if is_number(value)]
        if not found:
            return None
        # On a tie the later fragment wins: a conditional's own limit comes first, and one
        # equal to its parent's is the parent's.
        found.reverse()
        return min(found, key=lambda f: f[0]) if upper else max(found, key=lambda f: f[0])

    def properties(self) -> dict[str, list[Fragment]]:
        merged: dict[str, list[Fragment]] = {}
        for value, pointer in self.all("properties"):
            for name, sub in value.items() if isinstance(value, Mapping) else []:
                merged.setdefault(name, []).append((sub, join_pointer(pointer, name)))
        return merged

    def required(self) -> dict[str, str]:
        """Required names -> the pointer of the list naming them (first)."""
        names: dict[str, str] = {}
        for value, pointer in self.all("required"):
            for name in value if isinstance(value, list) else []:
                names.setdefault(str(name), pointer)
        return names

    def subschemas(self, keyword: str) -> list[Fragment]:
        return [(value, pointer) for value, pointer in self.all(keyword)]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Conditional:
    """One `if` and its `then`/`else` fragments, written in the schema at `holder`."""

    holder: str
    if_schema: Any
    if_pointer: str
    branches: dict[str, Fragment]  # "then" / "else" -> fragment


def conditionals(view: View) -> list[Conditional]:
    found = []
    for schema, pointer in view.fragments:
        if "if" in schema:
            branches = {
                key: (schema[key], join_pointer(pointer, key))
                for key in ("then", "else")
                if key in schema
            }
            found.append(Conditional(pointer, schema["if"], join_pointer(pointer, "if"), branches))
    return found


def describe_condition(document: Any, schema: Any, pointer: str) -> str:
    """An `if` schema as a sentence: `defaultParamFlag is true and model is V4`."""
    parts = list(_condition_parts(document, schema, ()))
    return " and ".join(parts) if parts else f"the condition at {pointer or '/'} holds"


def _condition_parts(document: Any, schema: Any, prefix: tuple[str, ...]) -> Iterator[str]:
    schema = _resolved(document, schema)
    if not isinstance(schema, Mapping):
        return
    name = ".".join(prefix)
    if "const" in schema:
        yield f"{name} is {show(schema['const'])}"
    if isinstance(schema.get("enum"), list):
        yield f"{name} is one of {', '.join(show(v) for v in schema['enum'])}"
    if prefix and "type" in schema:
        yield f"{name} is of type {show(schema['type'])}"
    if "not" in schema and prefix:
        yield f"{name} is not {canonical(schema['not'])}"
    properties = schema.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for key, sub in properties.items():
        yield from _condition_parts(document, sub, (*prefix, key))
    required = schema.get("required")
    for key in required if isinstance(required, list) else []:
        if key not in properties:
            yield f"{'.'.join((*prefix, str(key)))} is present"
    for branch in schema.get("allOf") or [] if isinstance(schema.get("allOf"), list) else []:
        yield from _condition_parts(document, branch, prefix)


def _resolved(document: Any, schema: Any) -> Any:
    for _ in range(64):
        if not (isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str)):
            return schema
        try:
            schema = resolve_pointer(document, ref_to_pointer(schema["$ref"]))
        except UnresolvableRef:
            return None
    return None
