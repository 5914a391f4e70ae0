"""Is a spec mutant observable? Find a request the true and the mutated spec judge differently.

A constraint can be redundant: Udio's `GenerateSongRequest` caps `prompt` at 5000 characters in
its base schema *and* per model (3000 or 5000, every model covered), so loosening either 5000 alone
changes no verdict. Such a mutant is equivalent: no server and no suite can tell it apart, so it
is not run (it is listed, as a hint that the spec repeats itself).

The search is a differential test over a finite set of candidate requests, built for the mutant
from the operation's own request examples: every combination of the values the schema's `if`s
look at (each `const`/`enum` value, both booleans, absent), each with the mutated field set to
the values around the old and the new constraint (lengths at and past both limits, the enum
members old and new, the bounds and half-steps, a non-URI, the field left out). A mutant is
observable when one candidate is valid under one spec and invalid under the other (jsonschema-rs,
Draft 2020-12, formats checked). Not finding one does not prove equivalence in general; for the
constraint kinds derived here the candidates sit exactly at the boundaries they move.

Why hand-written: the generators that exist (hypothesis-jsonschema, Schemathesis) sample valid or
invalid instances of *one* schema; none searches for an instance two schemas disagree on.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from segue import speclib
from segue.mutate.mutants import REMOVED, Mutant

ABSENT: Any = object()
MAX_COMBINATIONS = 400
# operationId -> [(what: "body" or "query:<name>", schema pointer, the spec's examples of it)]
Targets = dict[str, list[tuple[str, str, list[Any]]]]


class _Judge:
    """Says whether an instance is valid against a schema of one document (shared validators)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._validators = speclib.SchemaValidators(document, "segue-mutate")

    def valid(self, pointer: str, instance: Any) -> bool:
        return bool(self._validators.at(pointer).is_valid(instance))


# --------------------------------------------------------------------------- what a request can be


def request_targets(document: dict[str, Any]) -> Targets:
    """operationId -> [(kind, schema pointer, examples)]: its JSON body ("body") and query
    parameters ("query:<name>"), with the examples the spec gives for each."""
    targets: Targets = {}
    for operation in speclib.iter_operations(document):
        if operation.kind != "path":
            continue
        found = targets.setdefault(str(operation.node.get("operationId", operation.route)), [])
        body = speclib.request_body(document, operation)
        for _, media, media_pointer in speclib.media_types(*body) if body else []:
            if "schema" in media:
                examples = [e.value for e in speclib.iter_examples(document, media, media_pointer)]
                found.append(("body", _schema_pointer(document, media, media_pointer), examples))
        for pointer, parameter in speclib.operation_parameters(document, operation):
            if "schema" in parameter:
                examples = [e.value for e in speclib.iter_examples(document, parameter, pointer)]
                found.append(
                    (
                        f"query:{parameter.get('name')}",
                        _schema_pointer(document, parameter, pointer),
                        examples,
                    )
                )
    return targets


def _schema_pointer(document: dict[str, Any], holder: Mapping[str, Any], pointer: str) -> str:
    schema = holder["schema"]
    if speclib.is_ref(schema) and len(schema) == 1:
        return speclib.follow_ref(document, schema, speclib.join_pointer(pointer, "schema"))[1]
    return speclib.join_pointer(pointer, "schema")


def _discriminators(document: dict[str, Any], pointer: str) -> dict[str, list[Any]]:
    """Properties some `if` under the schema looks at, with the values worth trying."""
    found: dict[str, list[Any]] = {}
    stack, seen = [pointer], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        node = speclib.resolve_pointer(document, current)
        if not isinstance(node, Mapping):
            continue
        if speclib.is_ref(node):
            stack.append(speclib.ref_to_pointer(node["$ref"]))
        condition = node.get("if")
        for name, sub in (
            (condition.get("properties") or {}).items() if isinstance(condition, Mapping) else ()
        ):
            values = found.setdefault(name, [])
            if isinstance(sub, Mapping):
                values += [sub["const"]] if "const" in sub else list(sub.get("enum") or [])
        stack.extend(sub for sub, _ in speclib.subschemas(node, current))
    root = speclib.resolve_pointer(document, pointer)
    for name, values in found.items():
        base, _ = speclib.follow_ref(document, (root.get("properties") or {}).get(name, {}), "")
        if isinstance(base, Mapping):
            values += list(base.get("enum") or [])
            values += [True, False] if base.get("type") == "boolean" else []
        values.append(ABSENT)
        found[name] = _unique(values)
    return found


def _unique(values: list[Any]) -> list[Any]:
    kept: list[Any] = []
    for value in values:
        if not any(
            value is other or (type(value) is type(other) and value == other) for other in kept
        ):
            kept.append(value)
    return kept


def _with(instance: Any, name: str, value: Any) -> Any:
    changed = copy.deepcopy(instance)
    if isinstance(changed, dict):
        if value is ABSENT:
            changed.pop(name, None)
        else:
            changed[name] = copy.deepcopy(value)
    return changed


# --------------------------------------------------------------------------- values around the edit


def _around(mutant: Mutant) -> list[Any]:
    """Values for the mutated field that sit on the boundaries the edit moves."""
    assert mutant.edit is not None
    keyword, old, new = mutant.edit.keyword, mutant.edit.old, mutant.edit.new
    if keyword in ("maxLength", "minLength"):
        lengths = {n for limit in (old, new) for n in (limit - 1, limit, limit + 1) if n >= 0}
        return ["a" * n for n in sorted(lengths)]
    if keyword in ("enum",):
        return _unique([*old, *(new or [])])
    if keyword == "const":
        return [old, new]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [old, new, (old + new) / 2]
    if keyword == "multipleOf":
        return [new, old / 2, old, old + new]
    if keyword == "format":
        return ["not a URI", "https://example.com/x", "2026-01-01T00:00:00Z", "yesterday"]
    if keyword == "required":
        return [ABSENT]
    return []


def _fields(mutant: Mutant) -> list[str]:
    assert mutant.edit is not None
    if mutant.edit.keyword == "required" and mutant.edit.new is not REMOVED:
        return sorted(set(mutant.edit.old) - set(mutant.edit.new))
    return [name for name in mutant.fields if name]


def _probes(document: dict[str, Any], mutant: Mutant) -> list[tuple[str, list[Any]]]:
    """(field, values) to try: the mutated field around the edit and, when the edit changes an
    `if`, every field its `then`/`else` constrains, at and past those constraints."""
    probes = [(name, _around(mutant)) for name in _fields(mutant)]
    assert mutant.edit is not None
    tokens = speclib.split_pointer(mutant.edit.pointer)
    if "if" not in tokens:
        return probes
    holder = speclib.join_pointer("", *tokens[: len(tokens) - tokens[::-1].index("if") - 1])
    node = speclib.resolve_pointer(document, holder)
    for branch in ("then", "else"):
        if branch in node:
            probes += _constrained(document, node[branch], speclib.join_pointer(holder, branch))
    return probes


def _constrained(document: dict[str, Any], node: Any, pointer: str) -> list[tuple[str, list[Any]]]:
    """Fields a branch constrains (through `$ref` and `allOf`), with values at its edges."""
    node, pointer = speclib.follow_ref(document, node, pointer)
    if not isinstance(node, Mapping):
        return []
    found: list[tuple[str, list[Any]]] = [(name, [ABSENT]) for name in node.get("required", [])]
    for name, sub in (node.get("properties") or {}).items():
        sub, _ = speclib.follow_ref(document, sub, "")
        if isinstance(sub, Mapping):
            for keyword in ("maxLength", "minLength"):
                if isinstance(sub.get(keyword), int):
                    found.append(
                        (name, ["a" * n for n in (sub[keyword], sub[keyword] + 1) if n >= 0])
                    )
            if isinstance(sub.get("enum"), list):
                found.append((name, list(sub["enum"])))
    for position, entry in enumerate(node.get("allOf") or []):
        found += _constrained(document, entry, speclib.join_pointer(pointer, "allOf", position))
    for branch in ("then", "else"):
        if branch in node:
            found += _constrained(document, node[branch], speclib.join_pointer(pointer, branch))
    return found


def candidates(document: dict[str, Any], pointer: str, examples: list[Any], mutant: Mutant,
               kind: str) -> Iterator[Any]:  # fmt: skip
    """Requests to try: examples × discriminator values × boundary values of the mutated field."""
    if kind != "body":  # a query parameter: the values themselves
        yield from (v for v in _around(mutant) if v is not ABSENT)
        yield from examples
        return
    domains = _discriminators(document, pointer)
    names = list(domains)
    combos = list(
        itertools.islice(itertools.product(*(domains[n] for n in names)), MAX_COMBINATIONS)
    )
    probes = _probes(document, mutant)
    for example in examples:
        for combo in combos:
            base = example
            for name, value in zip(names, combo, strict=True):
                base = _with(base, name, value)
            yield base
            for name, probe_values in probes:
                for value in probe_values:
                    yield _with(base, name, value)


def observable(
    document: dict[str, Any],
    mutant: Mutant,
    judge: _Judge | None = None,
    targets: Targets | None = None,
) -> bool:
    """Whether some candidate request of the mutant's operations is judged differently."""
    if mutant.edit is None:
        return True
    mutated = mutant.edit.apply(document)
    original_judge, mutated_judge = judge or _Judge(document), _Judge(mutated)
    targets = targets if targets is not None else request_targets(document)
    for operation in mutant.operations:
        for kind, pointer, examples in targets.get(operation, []):
            for candidate in candidates(document, pointer, examples, mutant, kind):
                before = original_judge.valid(pointer, candidate)
                if before != mutated_judge.valid(pointer, candidate):
                    return True
    return False


def split_equivalent(
    document: dict[str, Any], mutants: list[Mutant]
) -> tuple[list[Mutant], list[Mutant]]:
    """(observable, equivalent) among one vendor's request-schema mutants; others pass through."""
    judge, targets = _Judge(document), request_targets(document)
    kept, equivalent = [], []
    for mutant in mutants:
        checked = mutant.edit is not None and mutant.kind == "rule"
        if not checked or observable(document, mutant, judge, targets):
            kept.append(mutant)
        else:
            equivalent.append(mutant)
    return kept, equivalent
