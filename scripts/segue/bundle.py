"""Bundled specs: a vendor spec with its overlays applied, checked self-contained, written as JSON.

A bundle is what other languages consume (generated/openapi/*.json), so it must stand alone:
every `$ref` is local (`#/...`) and resolves inside the document. The specs are written that
way by convention; this module proves it on every generation instead of trusting it, and
says which reference breaks the rule. Loading and reference walking are `segue.speclib`'s,
the same the linter uses.

JSON is written deterministically: the specs' own key order (stable, and the order a reader
of the YAML expects), two-space indent, UTF-8 without escapes, one trailing newline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from segue.overlay import OverlayError, apply_overlays
from segue.speclib import (
    SpecLoadError,
    UnresolvableRef,
    iter_refs,
    load_spec,
    ref_to_pointer,
    resolve_pointer,
)


class BundleError(Exception):
    """A spec that cannot be bundled: unreadable, an overlay fails, or a `$ref` is not local."""


def load_bundle(spec: Path, overlays: Sequence[Path] = ()) -> dict[str, Any]:
    """Read `spec`, apply `overlays` in order (strictly), check every `$ref` resolves locally."""
    try:
        document = load_spec(spec)
    except SpecLoadError as error:
        raise BundleError(f"{spec.name}: {error}") from None
    try:
        bundled = apply_overlays(document, overlays)
    except OverlayError as error:
        raise BundleError(f"{spec.name}: {error}") from None
    check_refs_local(bundled, source=spec.name)
    return bundled


def check_refs_local(document: dict[str, Any], source: str) -> None:
    """Raise `BundleError` naming the first `$ref` that is not local or does not resolve."""
    for where, ref in iter_refs(document):
        if not ref.startswith("#"):
            raise BundleError(
                f"{source}: $ref {ref!r} at #{where} points outside the document; "
                "specs must be self-contained (only '#/...' references)"
            )
        try:
            resolve_pointer(document, ref_to_pointer(ref))
        except UnresolvableRef:
            raise BundleError(f"{source}: $ref {ref!r} at #{where} resolves to nothing") from None


def dump_json(document: Any) -> str:
    """The deterministic text of a JSON document (see the module docstring)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_json(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_json(document), encoding="utf-8")
