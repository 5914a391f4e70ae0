"""`segue diff` on the project's real specs, changed the way vendor docs change: every limit
found, callbacks judged like responses, and no change at all that makes the engine fail.

The changes are made here generically (whatever the specs hold today); what is expected of each
comes from the rules table of the issue, not from the engine.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest
from segue import speclib
from segue.diff import diff_documents
from segue.paths import VENDORS, spec_path

DOCUMENTS = {vendor: speclib.load_spec(spec_path(vendor)) for vendor in VENDORS}


def reachable(document: dict[str, Any]) -> set[str]:
    """Pointers of the objects `paths` and `webhooks` reach through `$ref`s (a closure)."""
    roots = [pointer for pointer in ("/paths", "/webhooks") if pointer[1:] in document]
    refs = list(speclib.iter_refs(document))
    found, stack = set(roots), list(roots)
    while stack:
        start = stack.pop()
        for holder, ref in refs:
            if holder == start or holder.startswith(start + "/"):
                target = speclib.ref_to_pointer(ref)
                if target not in found:
                    found.add(target)
                    stack.append(target)
    return found


def limits(document: dict[str, Any], keyword: str) -> Iterator[tuple[str, int]]:
    """Every `keyword` (a number) written in a schema that an operation reaches."""
    roots = reachable(document)
    for pointer, schema in speclib.iter_schemas(document):
        value = schema.get(keyword) if isinstance(schema, dict) else None
        if isinstance(value, int) and any(pointer.startswith(root) for root in roots):
            yield speclib.join_pointer(pointer, keyword), value


def changed(document: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    new = copy.deepcopy(document)
    *parent, last = speclib.split_pointer(pointer)
    speclib.resolve_pointer(new, speclib.join_pointer("", *parent))[last] = value
    return new


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_max_length_lowered_is_found(vendor: str) -> None:
    document = DOCUMENTS[vendor]
    found_any = False
    for pointer, value in limits(document, "maxLength"):
        found_any = True
        findings = diff_documents(document, changed(document, pointer, value - 1))
        assert findings, pointer
        assert {f.rule for f in findings} == {"max-length-decreased"}, pointer
        # NEW's limit is the one changed; OLD's pointer is the limit it replaces (in a
        # conditional, an equal unconditional one is that).
        assert {f.new_pointer for f in findings} == {pointer}
        assert all(f"maxLength {value} → {value - 1}" in f.message for f in findings)
        for finding in findings:
            expected = "breaking" if finding.direction == "request" else "info"
            assert str(finding.level) == expected
    if not found_any:
        pytest.skip(f"{vendor} has no maxLength")


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_max_length_raised_is_found(vendor: str) -> None:
    """Outside conditionals (inside one, a raised limit may still be capped by its parent's)."""
    document = DOCUMENTS[vendor]
    for pointer, value in limits(document, "maxLength"):
        if "/then/" in pointer or "/else/" in pointer:
            continue
        findings = diff_documents(document, changed(document, pointer, value + 1))
        assert {f.rule for f in findings} == {"max-length-increased"}, pointer
        for finding in findings:
            expected = "info" if finding.direction == "request" else "breaking"
            assert str(finding.level) == expected


def payload_schemas(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(operation kind, pointer of the schema object) of each callback and webhook payload."""
    for operation in speclib.iter_operations(document, unique=False):
        body = speclib.request_body(document, operation)
        if operation.kind not in ("callback", "webhook") or body is None:
            continue
        for _, media, media_pointer in speclib.media_types(*body):
            if "schema" in media:
                _, pointer = speclib.follow_ref(
                    document, media["schema"], speclib.join_pointer(media_pointer, "schema")
                )
                yield operation.kind, pointer


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_field_the_vendor_stops_promising_in_a_callback_breaks_the_receiver(vendor: str) -> None:
    """The issue's point: a payload is judged like a response, so a required field that becomes
    optional is breaking, for every callback and webhook the payload reaches."""
    document = DOCUMENTS[vendor]
    seen = {pointer for _, pointer in payload_schemas(document)}
    checked = 0
    for pointer in sorted(seen):
        found = first_required(document, speclib.resolve_pointer(document, pointer), pointer)
        if found is None:
            continue
        checked += 1
        required_pointer, required = found
        loosened = changed(document, required_pointer, required[1:])
        findings = diff_documents(document, loosened)
        assert findings, pointer
        assert all(f.rule == "property-became-optional" for f in findings)
        assert all(f.direction == "response" and str(f.level) == "breaking" for f in findings)
        subjects = {f.subject for f in findings}
        assert any(" callback " in s or s.startswith("webhook ") for s in subjects)
    assert checked, f"{vendor}: no callback payload with a required list"


def first_required(document: Any, schema: Any, pointer: str) -> tuple[str, list[Any]] | None:
    """The first non-empty `required` list of a payload schema, through `$ref`, `items` and
    `allOf` (where the object of a bare-array payload, or of a composed one, says it)."""
    schema, pointer = speclib.follow_ref(document, schema, pointer)
    if not isinstance(schema, dict):
        return None
    if schema.get("required"):
        return speclib.join_pointer(pointer, "required"), schema["required"]
    children = [("items", schema["items"])] if "items" in schema else []
    children += [(f"allOf/{i}", sub) for i, sub in enumerate(schema.get("allOf") or [])]
    for token, child in children:
        found = first_required(document, child, f"{pointer}/{token}")
        if found is not None:
            return found
    return None


def random_edits(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """`document` with one node deleted or one scalar replaced, somewhere at random."""
    new = copy.deepcopy(document)
    node, parent, key = new, None, None
    for _ in range(rng.randint(1, 12)):
        children = (
            list(node.items())
            if isinstance(node, dict)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        if not children:
            break
        parent, (key, node) = node, rng.choice(children)
    if parent is None:
        return new
    if rng.random() < 0.5 or not isinstance(node, (str, int, float, bool)):
        del parent[key]  # type: ignore[arg-type]
    else:
        parent[key] = rng.choice([None, 0, -1, "", "x", True, [], {}, {"$ref": "#/nowhere"}])  # type: ignore[index]
    return new


@pytest.mark.parametrize("vendor", VENDORS)
def test_no_edit_makes_the_engine_fail(vendor: str) -> None:
    """Never a traceback: 40 random deletions and replacements (a fixed seed, so repeatable),
    diffed both ways; each must complete, and a document against itself reports nothing."""
    document = DOCUMENTS[vendor]
    rng = random.Random(9)
    for _ in range(40):
        edited = random_edits(document, rng)
        diff_documents(document, edited)
        diff_documents(edited, document)
        assert diff_documents(edited, edited) == []
