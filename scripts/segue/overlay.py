"""Apply OpenAPI Overlay documents (Overlay Specification 1.0.x and 1.1.x) to an OpenAPI document.

Why hand-written (compared 2026-11 from their sources): the npm appliers `openapi-overlays`
(lornajane/openapi-overlays-js) and its copy in `bump-cli` use pre-RFC JSONPath (`jsonpath`,
`jsonpathly`), treat any `remove` key as a removal (so `remove: false` removes), only warn when a
target matches nothing, and `bump-cli` splices array elements front to back (index shifting).
`openapi-format` also uses `jsonpathly`, reports zero matches as "unused" instead of failing,
merges `parameters` by name+in (not in the spec) and spells 1.1's copy `copy: true` + `from`.
Speakeasy's Go `openapi-overlay` is pre-RFC too and ignores zero matches; oas-patch 0.6.0 (PyPI)
is out for the reasons in DESIGN.md. Each would also need node or Go at generate time, and none
is strict. Overlay 1.1 requires full RFC 9535 JSONPath, which `jsonpath-rfc9535` gives us, so the
applier left to write is the merge/remove logic below.

Semantics (the version in the overlay's `overlay` field picks the merge rule):
- `update` on an object merges recursively: new keys are appended (key order stays stable), nested
  objects merge. A key present on both sides with another kind of value is, in 1.0.x, replaced by
  the update's value (arrays included); in 1.1.x arrays concatenate, primitives replace and other
  pairs are an error (1.1.0, "Action Object").
- `update` on an array appends the value; in 1.1.x an array value is concatenated. In 1.0.x an
  array value is refused (1.0.0 says "an entry to append", which would nest the array).
- `update` on a primitive: replaced in 1.1.x; an error in 1.0.x (targets must be objects/arrays).
- `copy` (1.1.x): a JSONPath that must select exactly one node, merged into the targets like an
  update. `remove: true` removes every selected node; `remove: false` removes nothing.
- Strict, unlike 1.1.0 (which lets a target match nothing): a target or copy source that matches
  nothing, an invalid JSONPath, or an overlay that is not an Overlay raise `OverlayError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonpath_rfc9535
import yaml
from jsonpath_rfc9535 import JSONPathError

# Overlay documents this applier understands; the captured digit is the minor version.
_SUPPORTED_VERSION = re.compile(r"^1\.([01])\.\d+$")
_OVERLAY_FIELDS = frozenset({"overlay", "info", "extends", "actions"})
_INFO_FIELDS = frozenset({"title", "version", "description"})
_ACTION_FIELDS = frozenset({"target", "description", "update", "remove", "copy"})

Location = tuple[int | str, ...]


class OverlayError(Exception):
    """An overlay that is malformed or cannot be applied; the message says which action and why."""


class _Conflict(Exception):
    """A merge that the overlay version forbids; `_apply_action` adds the action's name."""


# --------------------------------------------------------------------------- public API


def load_overlay(path: Path | str) -> dict[str, Any]:
    """Read an Overlay document (YAML or JSON) and check that it is a supported Overlay."""
    overlay = read_document(path)
    try:
        check_overlay(overlay)
    except OverlayError as error:
        raise OverlayError(f"{path}: {error}") from None
    return overlay  # check_overlay proved it is a mapping


def apply_overlay(document: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `document` with the overlay's actions applied in order.

    Neither argument is changed. Raises `OverlayError` naming the first action that fails.
    """
    minor = check_overlay(overlay)
    if not isinstance(document, dict):
        raise OverlayError(f"the target document must be a JSON object, got {_a_kind(document)}")
    result: dict[str, Any] = _fresh_copy(document)
    for index, action in enumerate(overlay["actions"]):
        _apply_action(result, action, index, minor)
    return result


def apply_overlays(document: dict[str, Any], overlay_paths: Iterable[Path | str]) -> dict[str, Any]:
    """Apply several overlay files in order, each to the result of the previous one."""
    result = document
    for path in overlay_paths:
        overlay = load_overlay(path)
        try:
            result = apply_overlay(result, overlay)
        except OverlayError as error:
            raise OverlayError(f"{path}: {error}") from None
    return _fresh_copy(result)  # a copy even when no overlay is given


def check_overlay(overlay: Any) -> int:
    """Raise `OverlayError` unless `overlay` is a 1.0.x/1.1.x Overlay; return its minor version."""
    if not isinstance(overlay, dict):
        raise OverlayError(f"an Overlay document must be a mapping, got {_a_kind(overlay)}")
    missing = [field for field in ("overlay", "info", "actions") if field not in overlay]
    if missing:
        raise OverlayError(f"not an Overlay document: missing {', '.join(missing)}")
    _reject_unknown_fields(overlay, _OVERLAY_FIELDS, "the Overlay object")
    version = overlay["overlay"]
    match = _SUPPORTED_VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise OverlayError(
            f"unsupported Overlay version {version!r} (supported: 1.0.x and 1.1.x, as a string)"
        )
    _check_info(overlay["info"])
    if "extends" in overlay and not isinstance(overlay["extends"], str):
        raise OverlayError("`extends` must be a string (a URI reference)")
    actions = overlay["actions"]
    if not isinstance(actions, list) or not actions:
        raise OverlayError("`actions` must be a non-empty list")
    minor = int(match.group(1))
    for index, action in enumerate(actions):
        _check_action(action, index, minor)
    return minor


def read_document(path: Path | str) -> Any:
    """Parse a JSON or YAML file; mapping keys stay as written (`200:` is "200"), dates stay text.

    PyYAML's defaults would turn `200:` into an int key, which no JSONPath name selector matches
    and which `json.dumps` would write next to a "200" key as a duplicate.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise OverlayError(f"{path}: cannot read: {error.strerror or error}") from None
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise OverlayError(f"{path}: not valid JSON: {error}") from None
    try:
        return yaml.load(text, Loader=_KeysAsWrittenLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        # PyYAML calls the text "<unicode string>"; the path is already in front.
        detail = str(error).replace('in "<unicode string>", ', "")
        raise OverlayError(f"{path}: not valid YAML: {detail}") from None


# --------------------------------------------------------------------------- validation


def _check_info(info: Any) -> None:
    if not isinstance(info, dict):
        raise OverlayError(f"`info` must be a mapping, got {_a_kind(info)}")
    for field in ("title", "version"):
        if not isinstance(info.get(field), str):
            raise OverlayError(f"`info.{field}` is required and must be a string")
    _reject_unknown_fields(info, _INFO_FIELDS, "`info`")


def _check_action(action: Any, index: int, minor: int) -> None:
    if not isinstance(action, dict):
        raise OverlayError(f"actions[{index}]: an action must be a mapping, got {_a_kind(action)}")
    label = _label(index, action)
    if not isinstance(action.get("target"), str):
        raise OverlayError(f"{label}: `target` is required and must be a JSONPath string")
    _reject_unknown_fields(action, _ACTION_FIELDS, label)
    if "remove" in action and not isinstance(action["remove"], bool):
        raise OverlayError(f"{label}: `remove` must be true or false")
    if "copy" in action:
        if minor == 0:
            raise OverlayError(f"{label}: `copy` needs an Overlay 1.1.x document")
        if not isinstance(action["copy"], str):
            raise OverlayError(f"{label}: `copy` must be a JSONPath string")
        if "update" in action:
            raise OverlayError(f"{label}: give `update` or `copy`, not both")
    if not {"update", "copy", "remove"} & action.keys():
        raise OverlayError(f"{label}: an action needs `update`, `copy` or `remove`")


def _reject_unknown_fields(mapping: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    """Catch typos such as `udpate`, which would otherwise make an action silently do nothing."""
    unknown = [k for k in mapping if k not in allowed and not str(k).startswith("x-")]
    if unknown:
        raise OverlayError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}")


# --------------------------------------------------------------------------- applying


def _apply_action(document: dict[str, Any], action: dict[str, Any], index: int, minor: int) -> None:
    label = _label(index, action)
    targets = _select(document, action["target"], label, "target")
    try:
        if action.get("remove") is True:
            _remove_all(document, targets)
        elif "copy" in action:
            sources = _select(document, action["copy"], label, "copy source")
            if len(sources) != 1:
                raise _Conflict(
                    f"copy source {action['copy']!r} selects {len(sources)} nodes, not 1"
                )
            # A copy first: the source may contain a target, or be inside one.
            source_value = _fresh_copy(_value_at(document, sources[0]))
            _update_all(document, targets, source_value, minor)
        elif "update" in action:
            _update_all(document, targets, action["update"], minor)
        # `remove: false` alone changes nothing, but its target still had to match.
    except _Conflict as conflict:
        raise OverlayError(f"{label}: {conflict}") from None


def _select(document: Any, query: str, label: str, role: str) -> list[Location]:
    """Locations of the nodes `query` selects, each once, in document order; never empty."""
    try:
        nodes = jsonpath_rfc9535.compile(query).find(document)
    except JSONPathError as error:
        raise OverlayError(f"{label}: invalid JSONPath {role} {query!r}: {error}") from None
    # RFC 9535 lets one query select a node twice (`$['a','a']`); acting twice would append twice.
    locations = list(dict.fromkeys(node.location for node in nodes))
    if not locations:
        raise OverlayError(f"{label}: {role} {query!r} matches nothing (overlays are strict)")
    return locations


def _remove_all(document: dict[str, Any], locations: list[Location]) -> None:
    if () in locations:
        raise _Conflict("cannot remove the document root")
    # Resolve every parent before deleting anything, so no deletion can shift another's path
    # (a parent inside a removed node is then just detached, and deleting from it is harmless).
    by_parent: dict[int, tuple[Any, list[int | str]]] = {}
    for location in locations:
        parent = _value_at(document, location[:-1])
        by_parent.setdefault(id(parent), (parent, []))[1].append(location[-1])
    for parent, keys in by_parent.values():
        if isinstance(parent, list):
            # Highest index first: deleting it leaves the lower indices where they were.
            for array_index in sorted((int(k) for k in keys), reverse=True):
                del parent[array_index]
        else:
            for key in keys:
                del parent[key]


def _update_all(
    document: dict[str, Any], locations: list[Location], update: Any, minor: int
) -> None:
    # 1.1: all objects, all arrays or all primitives (a string and a number may mix).
    kinds = {
        _kind(value) if not _is_primitive(value) else "primitive"
        for value in (_value_at(document, loc) for loc in locations)
    }
    if minor == 1 and len(kinds) > 1:
        mix = " and ".join(f"{kind}s" for kind in sorted(kinds))
        raise _Conflict(f"target selects a mix of {mix} (Overlay 1.1 forbids it)")
    for location in locations:
        # Looked up again for each node: an earlier node of the same action may contain this one.
        try:
            current = _value_at(document, location)
        except (KeyError, IndexError, TypeError):
            raise _Conflict(f"{_path(location)} was replaced by an earlier match") from None
        merged = _merge_into(current, update, minor, location)
        if merged is not current:
            parent = _value_at(document, location[:-1])
            parent[location[-1]] = merged


def _merge_into(target: Any, update: Any, minor: int, location: Location) -> Any:
    """Merge `update` into `target`, changing containers in place; return the resulting value."""
    if isinstance(target, dict):
        if not isinstance(update, dict):
            raise _Conflict(
                f"{_path(location)} is an object, so the update must be an object, "
                f"not {_a_kind(update)}"
            )
        _merge_object(target, update, minor, location)
        return target
    if isinstance(target, list):
        if not isinstance(update, list):
            target.append(_fresh_copy(update))
        elif minor == 1:
            target.extend(_fresh_copy(update))
        else:
            raise _Conflict(
                f"{_path(location)} is an array and the update is an array: Overlay 1.0 "
                "appends it as one nested entry; use overlay: 1.1.0 to concatenate"
            )
        return target
    if minor == 0:
        raise _Conflict(
            f"{_path(location)} is {_a_kind(target)}: Overlay 1.0 targets must be "
            "objects or arrays (target the containing object, or use overlay: 1.1.0)"
        )
    if not _is_primitive(update):
        raise _Conflict(f"{_path(location)} is {_a_kind(target)} and cannot take {_a_kind(update)}")
    return update


def _merge_object(
    target: dict[str, Any], update: dict[str, Any], minor: int, location: Location
) -> None:
    for key, new in update.items():
        here = (*location, key)
        if key not in target:
            target[key] = _fresh_copy(new)  # appended: existing keys keep their order
        elif isinstance(target[key], dict) and isinstance(new, dict):
            _merge_object(target[key], new, minor, here)
        elif minor == 0:
            target[key] = _fresh_copy(new)  # 1.0: arrays and primitives replace
        elif isinstance(target[key], list) and isinstance(new, list):
            target[key].extend(_fresh_copy(new))  # 1.1: arrays concatenate
        elif _is_primitive(target[key]) and _is_primitive(new):
            target[key] = new
        else:
            raise _Conflict(
                f"{_path(here)} is {_a_kind(target[key])}, the update gives {_a_kind(new)}: "
                "Overlay 1.1 cannot merge them (remove it first)"
            )


# --------------------------------------------------------------------------- helpers


def _fresh_copy(value: Any) -> Any:
    """Copy JSON data without the sharing that `copy.deepcopy` keeps.

    YAML aliases load as one shared object; merging in place into one place must not change the
    other. Each inserted update value gets its own copy for the same reason.
    """
    if isinstance(value, dict):
        return {key: _fresh_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh_copy(item) for item in value]
    return value


def _value_at(document: Any, location: Location) -> Any:
    node = document
    for step in location:
        node = node[step]
    return node


def _is_primitive(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _a_kind(value: Any) -> str:
    """`_kind` with its article, for messages: "an object", "a string", "null"."""
    kind = _kind(value)
    if kind == "null":
        return kind
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _path(location: Location) -> str:
    """RFC 9535 normalized path of a location, for messages."""
    parts = [
        f"[{step}]" if isinstance(step, int) else f"[{json.dumps(step)[1:-1]!r}]"
        for step in location
    ]
    return "$" + "".join(parts)


def _label(index: int, action: dict[str, Any]) -> str:
    """How an error names an action: its index, target and the first line of its description."""
    label = f"actions[{index}] (target {action.get('target')!r}"
    description = action.get("description")
    if isinstance(description, str) and description.strip():
        first_line = description.strip().splitlines()[0]
        label += f", {first_line[:80]!r}"
    return label + ")"


class _KeysAsWrittenLoader(yaml.SafeLoader):
    """SafeLoader whose mapping keys are the text as written and which loads no dates."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # honour `<<` merge keys as SafeLoader does
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain strings", key_node.start_mark
                )
            if key_node.value in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


# Dates stay strings: JSON has no date type, and `version: 2024-01-01` must survive as written.
_KeysAsWrittenLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
