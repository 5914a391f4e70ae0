"""Changes to what the whole document says: servers, security schemes, component renames, and
the `x-segue-…` extensions SDKs derive behaviour from (DECISIONS X-1…X-4).

How each extension change is judged (see `segue.diff.rules`): in `x-segue-errors` a code's
mapping (`error`, `task-created`, `transient`) changed or a code removed is breaking (callers
catch the classes; retries depend on the flags), a code added is a warning, and `outcome`/
`code`/`message` changed is breaking (where SDKs read the outcome moves). Any change to
`x-segue-signature` is breaking (receivers verify with it) except `tolerance-seconds`, a
warning. A change to `x-segue-lifecycle` is a warning: the regenerated waiters follow it and
callers' code does not change. Findings name the key that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from segue.diff.findings import Collector
from segue.diff.views import canonical, show
from segue.diff.walk import compare_servers
from segue.speclib import join_pointer

_SCHEME_KEYS = ("type", "scheme", "in", "name", "flows", "openIdConnectUrl")


def compare_document(old: dict[str, Any], new: dict[str, Any], collector: Collector) -> None:
    """Document-wide changes: servers, security schemes, info texts and x-segue extensions."""
    compare_servers(collector, old.get("servers"), new.get("servers"), "servers", ("/servers",) * 2)
    _security_schemes(old, new, collector)
    _info(old, new, collector)
    for name, compare in _EXTENSIONS.items():
        if name in old and name in new:
            compare(old[name], new[name], collector)
        elif name in old or name in new:
            _presence(name, name in new, collector)


def _presence(name: str, added: bool, collector: Collector) -> None:
    collector.add(
        "extension-added" if added else "extension-removed", "both", name,
        None if added else f"/{name}", f"/{name}" if added else None,
        f"{name} {'added' if added else 'removed'}",
    )  # fmt: skip


def report_renames(renames: dict[tuple[str, str], None], collector: Collector) -> None:
    for old_pointer, new_pointer in renames:
        old_name, new_name = old_pointer.rsplit("/", 1)[-1], new_pointer.rsplit("/", 1)[-1]
        collector.add(
            "schema-renamed", "both", "components", old_pointer, new_pointer,
            f"schema {old_name} renamed {new_name}: regenerated class names change",
        )  # fmt: skip


def _mapping(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}


def _security_schemes(old: dict[str, Any], new: dict[str, Any], collector: Collector) -> None:
    before = _mapping(_mapping(old.get("components")).get("securitySchemes"))
    after = _mapping(_mapping(new.get("components")).get("securitySchemes"))
    for name in before.keys() & after.keys():
        was, now = _mapping(before[name]), _mapping(after[name])
        pointer = join_pointer("/components/securitySchemes", name)
        for key in _SCHEME_KEYS:
            if canonical(was.get(key)) != canonical(now.get(key)):
                collector.add(
                    "security-scheme-changed", "both", "security schemes",
                    join_pointer(pointer, key), join_pointer(pointer, key),
                    f"security scheme {name} {key} {show(was.get(key))} → {show(now.get(key))}",
                )  # fmt: skip


def _info(old: dict[str, Any], new: dict[str, Any], collector: Collector) -> None:
    was, now = _mapping(old.get("info")), _mapping(new.get("info"))
    for key in ("title", "summary", "description"):
        if was.get(key) != now.get(key):
            collector.add(
                "description-changed", "both", "info", f"/info/{key}", f"/info/{key}",
                f"info {key} changed",
            )  # fmt: skip


def _errors(before: Any, after: Any, collector: Collector) -> None:
    was, now = _mapping(before), _mapping(after)
    at = "/x-segue-errors"
    for key in ("outcome", "code", "message"):
        if canonical(was.get(key)) != canonical(now.get(key)):
            collector.add(
                "error-envelope-changed", "both", "x-segue-errors", f"{at}/{key}", f"{at}/{key}",
                f"x-segue-errors {key} {show(was.get(key))} → {show(now.get(key))}",
            )  # fmt: skip
    codes_before, codes_after = _mapping(was.get("codes")), _mapping(now.get("codes"))
    for code in sorted(codes_before.keys() | codes_after.keys(), key=str):
        pointer = join_pointer(at, "codes", code)
        if code not in codes_after:
            collector.add(
                "error-mapping-changed", "both", "x-segue-errors", pointer, f"{at}/codes",
                f"x-segue-errors code {code} removed (was {_code_text(codes_before[code])})",
            )  # fmt: skip
        elif code not in codes_before:
            collector.add(
                "error-code-added", "both", "x-segue-errors", f"{at}/codes", pointer,
                f"x-segue-errors code {code} added: {_code_text(codes_after[code])}",
            )  # fmt: skip
        elif canonical(codes_before[code]) != canonical(codes_after[code]):
            collector.add(
                "error-mapping-changed", "both", "x-segue-errors", pointer, pointer,
                f"x-segue-errors code {code}: {_code_text(codes_before[code])} → "
                f"{_code_text(codes_after[code])}",
            )  # fmt: skip


def _code_text(mapping: Any) -> str:
    if not isinstance(mapping, Mapping):
        return show(mapping)
    return ", ".join(f"{key} {show(value)}" for key, value in mapping.items())


def _signature(before: Any, after: Any, collector: Collector) -> None:
    def rule(key: str | None) -> str:
        return "signature-tolerance-changed" if key == "tolerance-seconds" else "signature-changed"

    _by_key("x-segue-signature", rule, before, after, collector)


def _lifecycle(before: Any, after: Any, collector: Collector) -> None:
    _by_key("x-segue-lifecycle", lambda _: "lifecycle-changed", before, after, collector)


def _by_key(
    name: str, rule: Callable[[str | None], str], before: Any, after: Any, collector: Collector
) -> None:
    """One finding per top-level key of extension `name` that changed (or one for the whole
    value when a side is not a mapping, e.g. `x-segue-signature: none`)."""
    at = f"/{name}"
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        if canonical(before) != canonical(after):
            collector.add(
                rule(None), "both", name, at, at, f"{name} {_short(before)} → {_short(after)}"
            )
        return
    for key in sorted(before.keys() | after.keys()):
        if canonical(before.get(key)) != canonical(after.get(key)):
            collector.add(
                rule(key), "both", name, f"{at}/{key}", f"{at}/{key}",
                f"{name} {key} {_short(before.get(key))} → {_short(after.get(key))}",
            )  # fmt: skip


_EXTENSIONS: dict[str, Callable[[Any, Any, Collector], None]] = {
    "x-segue-errors": _errors,
    "x-segue-signature": _signature,
    "x-segue-lifecycle": _lifecycle,
}


def _short(value: Any) -> str:
    if value is None:
        return "none"
    text = show(value) if not isinstance(value, (Mapping, list)) else canonical(value)
    return text if len(text) <= 80 else text[:77] + "…"
