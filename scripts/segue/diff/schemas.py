"""Compare two JSON Schemas (2020-12, inside OpenAPI documents) at one place, by the rules table.

A schema is read as a *view*: the schema and, recursively, its `allOf` branches, with `$ref`s
followed on the way, merged into one set of constraints (the most restrictive bound wins,
`required` and `properties` are the union, `type`s intersect). So moving a property into a
shared `allOf` component is no change, and a limit is compared with the limit it replaces
wherever each is written. What a view cannot merge stays a list: its conditionals
(`if`/`then`/`else`, matched by their `if`), its `oneOf`/`anyOf` groups (variants matched by
`$ref`, then by equality, then by order) and its `not`s.

Types and enums are also read through `oneOf`/`anyOf` (the union of the variants', when every
variant has one), so an open enum is an enum removed, not a type change; a `oneOf`/`anyOf` on
one side only is reported when every variant narrows (or, removed, NEW is looser than every
variant was), found by comparing each variant on a scratch Collector.

Inside a `then` or `else` a change is reported with its condition ("when model is V4"); the
branch is read with its parent's schemas of the properties it names, so a limit moved into the
conditional is compared with the one it replaces, and a finding that touches neither branch is
the parent's (reported outside). There a property's schema present on one side only is a set
of constraints added or removed, not a property added or removed (the object's shape is defined
outside the conditional).

Why hand-written: no Python library compares schemas by direction; the tools that do (oasdiff,
openapi-changes, Go) do not check callbacks or webhooks and cannot be installed here, and
jsonschema libraries only validate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from segue.diff.findings import Collector
from segue.diff.rules import Level
from segue.diff.views import (
    Conditional,
    Fragment,
    Place,
    View,
    canonical,
    conditionals,
    describe_condition,
    is_number,
    show,
)
from segue.speclib import UnresolvableRef, join_pointer, ref_to_pointer, resolve_pointer

_ALL_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
# Upper bounds (a lower value is stricter) and lower bounds (a higher value is stricter), with
# the rule family each belongs to.
_UPPER = {
    "maxLength": "max-length",
    "maximum": "maximum",
    "exclusiveMaximum": "maximum",
    "maxItems": "max-items",
    "maxProperties": "max-items",
}
_LOWER = {
    "minLength": "min-length",
    "minimum": "minimum",
    "exclusiveMinimum": "minimum",
    "minItems": "min-items",
    "minProperties": "min-items",
}
_TEXT = ("title", "description")


class SchemaComparer:
    """Compares schemas of OLD and NEW documents and adds what changed to a Collector."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any], collector: Collector) -> None:
        self.old = old
        self.new = new
        self.collector = collector
        # (old component pointer, new component pointer) of component schemas renamed.
        self.renames: dict[tuple[str, str], None] = {}
        self._done: set[tuple[Any, ...]] = set()
        self._old_names = _component_schema_pointers(old)
        self._new_names = _component_schema_pointers(new)

    # ------------------------------------------------------------------ views

    def view(self, document: Any, fragments: list[Fragment], holder: str) -> View:
        """The view of the schemas `fragments` (read together, as an allOf)."""
        result = View(fragments[0][1] if fragments else holder)
        seen: set[str] = set()
        for index, (schema, pointer) in enumerate(fragments):
            self._expand(document, schema, pointer, result, seen, top=index == 0)
        if result.fragments:
            result.pointer = result.fragments[0][1]
        return result

    def _expand(
        self, document: Any, schema: Any, pointer: str, view: View, seen: set[str], top: bool
    ) -> None:
        hops = 0
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            if pointer in seen or hops > 64:
                return
            seen.add(pointer)
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if siblings:  # 2020-12: keywords beside `$ref` apply as well
                view.fragments.append((siblings, pointer))
            try:
                pointer = ref_to_pointer(schema["$ref"])
                schema = resolve_pointer(document, pointer)
            except UnresolvableRef:
                return
            if top and hops == 0:
                view.top_ref = pointer
            hops += 1
        if pointer in seen:
            return
        seen.add(pointer)
        if schema is False:
            view.fragments.append(({"not": {}}, pointer))
            return
        if not isinstance(schema, Mapping):
            return  # `true`, or not a schema: no constraint
        view.fragments.append((schema, pointer))
        branches = schema.get("allOf")
        for index, branch in enumerate(branches if isinstance(branches, list) else []):
            self._expand(document, branch, join_pointer(pointer, "allOf", index), view, seen, False)

    # ------------------------------------------------------------------ entry point

    def compare(
        self,
        old: list[Fragment],
        new: list[Fragment],
        place: Place,
        holders: tuple[str, str],
        stack: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        """Compare OLD schemas `old` with NEW schemas `new` (each read as one allOf) at `place`.

        `holders` are the pointers to report when one side has no schema at all.
        """
        old_view = self.view(self.old, old, holders[0])
        new_view = self.view(self.new, new, holders[1])
        key = (old_view.pointer, new_view.pointer)
        if key in stack:
            return  # a recursive schema: this pair is being compared further up
        stack = stack | {key}
        # The same pair compared again for the same subject and direction can only find what
        # the Collector already holds (it keeps one finding per rule, subject, direction and
        # pointers): a shared component is walked once per operation and direction.
        done = (
            place.subject, place.direction, bool(place.conditions),
            tuple(pointer for _, pointer in old_view.fragments),
            tuple(pointer for _, pointer in new_view.fragments),
        )  # fmt: skip
        if done in self._done:
            return
        self._done.add(done)
        place = replace(place, stand_ins=(old_view.pointer, new_view.pointer))
        if not place.conditions and (old_view.properties() or new_view.properties()):
            place = replace(place, objects=(old_view, new_view))
        self._renamed(old_view, new_view)
        self._texts(old_view, new_view, place)
        self._types(old_view, new_view, place)
        self._enums(old_view, new_view, place)
        self._single_values(old_view, new_view, place)
        self._default(old_view, new_view, place)
        self._bounds(old_view, new_view, place)
        self._multiple_of(old_view, new_view, place)
        self._flags(old_view, new_view, place)
        self._properties(old_view, new_view, place, stack)
        self._items(old_view, new_view, place, stack)
        self._dependent_required(old_view, new_view, place)
        self._dependent_schemas(old_view, new_view, place, stack)
        self._conditionals(old_view, new_view, place, stack)
        self._alternatives(old_view, new_view, place, stack)
        self._nots(old_view, new_view, place)
        self._max_durations(old_view, new_view, place)

    def _add(self, rule: str, place: Place, old: str | None, new: str | None, text: str) -> None:
        # Inside a conditional, a change the parent's own schemas show (same rule, same value
        # written at the same place) was reported outside it already.
        if place.conditions and self.collector.reported(
            rule, place.subject, place.direction, *place.present(old, new)
        ):
            return
        self.collector.add(
            rule, place.direction, place.subject, old, new, f"{place.label()} {text}{place.when()}"
        )

    def _keyword(
        self,
        rule: str,
        place: Place,
        views: tuple[View, View],
        found: tuple[tuple[Any, str] | None, tuple[Any, str] | None],
        text: str,
    ) -> None:
        """A finding on a keyword found in OLD and/or NEW (`found`: (value, pointer) or None);
        where it is absent, the schema's pointer stands in."""
        (old, new), (before, after) = views, found
        old_at = before[1] if before else old.pointer
        new_at = after[1] if after else new.pointer
        self._add(rule, place, old_at, new_at, text)

    # ------------------------------------------------------------------ through oneOf/anyOf

    def _types_of(self, document: Any, view: View, depth: int = 0) -> frozenset[str] | None:
        """The types a value may have: the view's own, narrowed by each `oneOf`/`anyOf` whose
        variants all constrain the type (to the union of theirs). So an open enum
        (`anyOf: [{$ref: Status}, {type: string}]`) is still a string."""
        allowed = view.types()
        for branches in self._groups(document, view, depth):
            union: frozenset[str] = frozenset()
            for branch in branches:
                types = self._types_of(document, branch, depth + 1)
                if types is None:
                    break
                union |= types
            else:
                allowed = union if allowed is None else allowed & union
        return allowed

    def _enum_of(self, document: Any, view: View, depth: int = 0) -> dict[str, Any] | None:
        """The values allowed, when an enum (or `oneOf`/`anyOf` of enums) limits them; an open
        enum (a variant without one) leaves them unlimited."""
        values = view.enum()
        for branches in self._groups(document, view, depth):
            union: dict[str, Any] = {}
            for branch in branches:
                these = self._enum_of(document, branch, depth + 1)
                if these is None:
                    break
                union |= these
            else:
                values = (
                    union if values is None else {k: v for k, v in values.items() if k in union}
                )
        return values

    def _groups(self, document: Any, view: View, depth: int) -> list[list[View]]:
        if depth > 8:
            return []
        return [
            [self.view(document, [(branch, join_pointer(pointer, i))], pointer)
             for i, branch in enumerate(value)]
            for keyword in ("oneOf", "anyOf")
            for value, pointer in view.all(keyword)
            if isinstance(value, list) and value
        ]  # fmt: skip

    def _narrows(self, base: View, group: list[Fragment], other: View, direction: str) -> bool:
        """Whether a `oneOf`/`anyOf` (its variants `group`) that only one side has changes what
        is valid: True when *every* variant, read with `base` (the view without the group),
        makes a `direction`-breaking difference against `other` (the side without it)."""
        for branch in group:
            scratch = SchemaComparer(self.old, self.new, Collector())
            place = Place("", direction, "")
            with_branch = [*_without_groups(base.fragments), branch]
            if direction == "request":  # the group is NEW's: does every variant narrow OLD?
                scratch.compare(other.fragments, with_branch, place, (other.pointer, base.pointer))
            else:  # the group is OLD's: does NEW accept more than every variant did?
                scratch.compare(with_branch, other.fragments, place, (base.pointer, other.pointer))
            if not any(f.level is Level.BREAKING for f in scratch.collector.findings):
                return False
        return True

    # ------------------------------------------------------------------ keywords

    def _renamed(self, old: View, new: View) -> None:
        if old.top_ref is None or new.top_ref is None or old.top_ref == new.top_ref:
            return
        old_gone = old.top_ref in self._old_names and old.top_ref not in self._new_names
        new_fresh = new.top_ref in self._new_names and new.top_ref not in self._old_names
        if old_gone and new_fresh:
            self.renames[old.top_ref, new.top_ref] = None

    def _texts(self, old: View, new: View, place: Place) -> None:
        if not old.fragments or not new.fragments:
            return
        (old_top, old_pointer), (new_top, new_pointer) = old.fragments[0], new.fragments[0]
        for keyword in _TEXT:
            if old_top.get(keyword) != new_top.get(keyword):
                self._add(
                    "description-changed", place, join_pointer(old_pointer, keyword),
                    join_pointer(new_pointer, keyword), f"{keyword} changed",
                )  # fmt: skip
        old_example = [old_top.get(k) for k in ("example", "examples")]
        if old_example != [new_top.get(k) for k in ("example", "examples")]:
            self._add("example-changed", place, old_pointer, new_pointer, "example changed")

    def _types(self, old: View, new: View, place: Place) -> None:
        before, after = self._types_of(self.old, old), self._types_of(self.new, new)
        if before == after:
            return
        was, now = before or _ALL_TYPES, after or _ALL_TYPES
        if was == now:
            return
        pointers = old.at("type"), new.at("type")
        text = f"type {_types_text(before)} → {_types_text(after)}"
        if now > was:
            rule = "type-nullable-added" if now - was == {"null"} else "type-widened"
        elif now < was and was - now == {"null"}:
            rule = "type-nullable-removed"
        else:
            rule = "type-changed"
        self._add(rule, place, *pointers, text)

    def _enums(self, old: View, new: View, place: Place) -> None:
        before, after = self._enum_of(self.old, old), self._enum_of(self.new, new)
        if before is None and after is None:
            return
        pointers = old.at("enum"), new.at("enum")
        if before is None:
            self._add("enum-added", place, *pointers, f"enum added: {_values(after or {})}")
            return
        if after is None:
            self._add("enum-removed", place, *pointers, f"enum removed (was {_values(before)})")
            return
        for key in before.keys() - after.keys():
            self._add(
                "enum-value-removed", place, *pointers, f"enum value {show(before[key])} removed"
            )
        for key in after.keys() - before.keys():
            self._add("enum-value-added", place, *pointers, f"enum value {show(after[key])} added")

    def _single_values(self, old: View, new: View, place: Place) -> None:
        """`const`, `pattern` and `format`: added, removed or changed (rules `<keyword>-…`)."""
        for keyword in ("const", "pattern", "format"):
            before, after = old.first(keyword), new.first(keyword)
            if before is None and after is None:
                continue
            if before is None:
                assert after is not None
                change, text = "added", f"{show(after[0])} added"
            elif after is None:
                change, text = "removed", f"{show(before[0])} removed"
            elif canonical(before[0]) != canonical(after[0]):
                change, text = "changed", f"{show(before[0])} → {show(after[0])}"
            else:
                continue
            self._keyword(
                f"{keyword}-{change}", place, (old, new), (before, after), f"{keyword} {text}"
            )

    def _default(self, old: View, new: View, place: Place) -> None:
        before, after = old.first("default"), new.first("default")
        was = None if before is None else canonical(before[0])
        now = None if after is None else canonical(after[0])
        if was != now:
            text = f"default {_maybe(before)} → {_maybe(after)}"
            self._keyword("default-changed", place, (old, new), (before, after), text)

    def _bounds(self, old: View, new: View, place: Place) -> None:
        for table, upper in ((_UPPER, True), (_LOWER, False)):
            for keyword, family in table.items():
                before, after = old.bound(keyword, upper), new.bound(keyword, upper)
                if before is None and after is None:
                    continue
                if before is not None and after is not None and before[0] == after[0]:
                    continue
                if before is None:
                    stricter = True
                elif after is None:
                    stricter = False
                else:
                    stricter = after[0] < before[0] if upper else after[0] > before[0]
                rule = f"{family}-{'decreased' if stricter == upper else 'increased'}"
                text = f"{keyword} {_maybe(before)} → {_maybe(after)}"
                self._keyword(rule, place, (old, new), (before, after), text)

    def _multiple_of(self, old: View, new: View, place: Place) -> None:
        before, after = old.first("multipleOf"), new.first("multipleOf")
        if before is None and after is None:
            return
        if before is not None and after is not None:
            if before[0] == after[0] or not (is_number(before[0]) and is_number(after[0])):
                return
            ratio = Fraction(str(after[0])) / Fraction(str(before[0]))
            rule = "multiple-of-tightened" if ratio.denominator == 1 else "multiple-of-loosened"
            if ratio.denominator != 1 and (1 / ratio).denominator != 1:
                rule = "multiple-of-tightened"  # neither divides the other: other values
        else:
            rule = "multiple-of-tightened" if before is None else "multiple-of-loosened"
        text = f"multipleOf {_maybe(before)} → {_maybe(after)}"
        self._keyword(rule, place, (old, new), (before, after), text)

    def _flags(self, old: View, new: View, place: Place) -> None:
        before = any(value is True for value, _ in old.all("uniqueItems"))
        after = any(value is True for value, _ in new.all("uniqueItems"))
        pointers = old.at("uniqueItems"), new.at("uniqueItems")
        if before != after:
            rule = "unique-items-added" if after else "unique-items-removed"
            self._add(rule, place, *pointers, f"uniqueItems {str(after).lower()}")
        closed_before = any(value is False for value, _ in old.all("additionalProperties"))
        closed_after = any(value is False for value, _ in new.all("additionalProperties"))
        pointers = old.at("additionalProperties"), new.at("additionalProperties")
        if closed_before != closed_after:
            rule = (
                "additional-properties-restricted" if closed_after
                else "additional-properties-allowed"
            )  # fmt: skip
            word = "forbidden" if closed_after else "allowed"
            self._add(rule, place, *pointers, f"additional properties {word}")
        old_extra = [(v, p) for v, p in old.all("additionalProperties") if isinstance(v, Mapping)]
        new_extra = [(v, p) for v, p in new.all("additionalProperties") if isinstance(v, Mapping)]
        if old_extra and new_extra:
            self.compare(old_extra, new_extra, place.child("*"), (old.pointer, new.pointer))

    def _properties(
        self, old: View, new: View, place: Place, stack: frozenset[tuple[str, str]]
    ) -> None:
        before, after = old.properties(), new.properties()
        required_before, required_after = old.required(), new.required()
        conditional = bool(place.conditions)
        for name in before.keys() | after.keys():
            if name in before and name in after:
                self.compare(
                    before[name], after[name], place.child(name),
                    (before[name][0][1], after[name][0][1]), stack,
                )  # fmt: skip
            elif conditional:
                holders = (
                    before[name][0][1] if name in before else old.at("properties"),
                    after[name][0][1] if name in after else new.at("properties"),
                )
                self.compare(
                    before.get(name, []), after.get(name, []), place.child(name), holders, stack
                )
            elif name in before:
                rule = "required" if name in required_before else "optional"
                self._add(
                    f"{rule}-property-removed", place.child(name), before[name][0][1],
                    new.at("properties"), f"removed (was {rule})",
                )  # fmt: skip
            else:
                rule = "required" if name in required_after else "optional"
                self._add(
                    f"{rule}-property-added", place.child(name), old.at("properties"),
                    after[name][0][1], f"added ({rule})",
                )  # fmt: skip
        for name in required_after.keys() - required_before.keys():
            if conditional or name in before or name not in after:
                self._add(
                    "property-became-required", place.child(name), old.at("required"),
                    required_after[name], "became required",
                )  # fmt: skip
        for name in required_before.keys() - required_after.keys():
            if conditional or name in after or name not in before:
                self._add(
                    "property-became-optional", place.child(name), required_before[name],
                    new.at("required"), "became optional",
                )  # fmt: skip

    def _items(self, old: View, new: View, place: Place, stack: frozenset[tuple[str, str]]) -> None:
        before = [(v, p) for v, p in old.all("items") if isinstance(v, (Mapping, bool))]
        after = [(v, p) for v, p in new.all("items") if isinstance(v, (Mapping, bool))]
        if before or after:
            holders = (old.at("items"), new.at("items"))
            self.compare(before, after, place.items(), holders, stack)

    def _dependent_required(self, old: View, new: View, place: Place) -> None:
        before, after = _dependencies(old), _dependencies(new)
        for key in before.keys() | after.keys():
            was, was_at = before.get(key, (frozenset(), old.at("dependentRequired")))
            now, now_at = after.get(key, (frozenset(), new.at("dependentRequired")))
            if now - was:
                self._add(
                    "dependent-required-added", place, was_at, now_at,
                    f"{', '.join(sorted(now - was))} required when {key} is present",
                )  # fmt: skip
            if was - now:
                self._add(
                    "dependent-required-removed", place, was_at, now_at,
                    f"{', '.join(sorted(was - now))} no longer required when {key} is present",
                )  # fmt: skip

    def _dependent_schemas(
        self, old: View, new: View, place: Place, stack: frozenset[tuple[str, str]]
    ) -> None:
        before, after = _dependent_schemas(old), _dependent_schemas(new)
        for key in before.keys() | after.keys():
            condition = f"{key} is present"
            if key in before and key in after:
                self.compare(
                    [before[key]], [after[key]], place.under(condition),
                    (before[key][1], after[key][1]), stack,
                )  # fmt: skip
            elif key in before:
                self._add(
                    "conditional-removed", place, before[key][1], new.pointer,
                    f"dependentSchemas rule for {key} removed",
                )  # fmt: skip
            else:
                self._add(
                    "conditional-added", place, old.pointer, after[key][1],
                    f"dependentSchemas rule for {key} added",
                )  # fmt: skip

    def _conditionals(
        self, old: View, new: View, place: Place, stack: frozenset[tuple[str, str]]
    ) -> None:
        before, after = conditionals(old), conditionals(new)
        pairs, lone_old, lone_new = _match(before, after, lambda c: canonical(c.if_schema))
        # Conditionals whose `if` changed but still tests the same properties, for values that
        # overlap, are one rule whose condition changed; the others were removed or added.
        changed, lone_old, lone_new = _pair_changed(lone_old, lone_new)
        for old_cond, new_cond in pairs + changed:
            old_text = describe_condition(self.old, old_cond.if_schema, old_cond.if_pointer)
            new_text = describe_condition(self.new, new_cond.if_schema, new_cond.if_pointer)
            if canonical(old_cond.if_schema) != canonical(new_cond.if_schema):
                self._add(
                    "condition-changed", place, old_cond.if_pointer, new_cond.if_pointer,
                    f"condition changed: when {old_text} → when {new_text}",
                )  # fmt: skip
            for branch, text in (("then", new_text), ("else", f"not ({new_text})")):
                old_branch = old_cond.branches.get(branch)
                new_branch = new_cond.branches.get(branch)
                if old_branch is None and new_branch is None:
                    continue
                holders = (
                    old_branch[1] if old_branch else old_cond.holder,
                    new_branch[1] if new_branch else new_cond.holder,
                )
                shared = _mentioned(old_branch) | _mentioned(new_branch)
                self.compare(
                    _in_context(old_branch, old, new, shared),
                    _in_context(new_branch, new, old, shared),
                    place.under(text), holders, stack,
                )  # fmt: skip
        for cond in lone_old:
            text = describe_condition(self.old, cond.if_schema, cond.if_pointer)
            gone = not self._reachable(self.new, cond.if_schema, place.objects[1])
            self._add(
                "conditional-removed-for-gone-values" if gone else "conditional-removed", place,
                cond.holder, new.pointer, f"conditional rule (when {text}) removed",
            )  # fmt: skip
        for cond in lone_new:
            text = describe_condition(self.new, cond.if_schema, cond.if_pointer)
            fresh = not self._reachable(self.old, cond.if_schema, place.objects[0])
            self._add(
                "conditional-added-for-new-values" if fresh else "conditional-added", place,
                old.pointer, cond.holder, f"conditional rule (when {text}) added",
            )  # fmt: skip

    def _reachable(self, document: Any, if_schema: Any, holder: View | None) -> bool:
        """Whether an `if` can match a value the other side's schema allows: False when a
        property it tests with `const`/`enum` only has values outside that property's enum
        there (e.g. the limits of a model the other side does not have)."""
        if holder is None or not isinstance(if_schema, Mapping):
            return True
        tested = if_schema.get("properties")
        properties = holder.properties()
        for name, test in tested.items() if isinstance(tested, Mapping) else []:
            wanted = _tested_values(test)
            if wanted is None or name not in properties:
                continue
            allowed = self._enum_of(document, self.view(document, properties[name], holder.pointer))
            if allowed is not None and not wanted & allowed.keys():
                return False
        return True

    def _alternatives(
        self, old: View, new: View, place: Place, stack: frozenset[tuple[str, str]]
    ) -> None:
        for keyword in ("oneOf", "anyOf"):
            before = [(v, p) for v, p in old.all(keyword) if isinstance(v, list)]
            after = [(v, p) for v, p in new.all(keyword) if isinstance(v, list)]
            for index in range(max(len(before), len(after))):
                if index < len(before) and index < len(after):
                    self._variants(keyword, before[index], after[index], place, stack)
                elif index < len(after):
                    group = _branches(after[index])
                    if self._narrows(new, group, old, "request"):
                        self._add(
                            "alternatives-added", place, old.pointer, after[index][1],
                            f"{keyword} added",
                        )  # fmt: skip
                else:
                    group = _branches(before[index])
                    if self._narrows(old, group, new, "response"):
                        self._add(
                            "alternatives-removed", place, before[index][1], new.pointer,
                            f"{keyword} removed",
                        )  # fmt: skip

    def _variants(
        self,
        keyword: str,
        old_group: tuple[list[Any], str],
        new_group: tuple[list[Any], str],
        place: Place,
        stack: frozenset[tuple[str, str]],
    ) -> None:
        old_branches, new_branches = _branches(old_group), _branches(new_group)
        pairs, lone_old, lone_new = _match(old_branches, new_branches, _variant_key)
        more, lone_old, lone_new = _match(lone_old, lone_new, lambda b: canonical(b[0]))
        pairs += more
        if len(lone_old) == len(lone_new):
            pairs += list(zip(lone_old, lone_new, strict=True))
            lone_old, lone_new = [], []
        for old_branch, new_branch in pairs:
            self.compare([old_branch], [new_branch], place, (old_branch[1], new_branch[1]), stack)
        for branch, pointer in lone_old:
            self._add(
                "variant-removed", place, pointer, new_group[1],
                f"{keyword} variant {_variant_name(branch)} removed",
            )  # fmt: skip
        for branch, pointer in lone_new:
            self._add(
                "variant-added", place, old_group[1], pointer,
                f"{keyword} variant {_variant_name(branch)} added",
            )  # fmt: skip

    def _nots(self, old: View, new: View, place: Place) -> None:
        before = {canonical(v): p for v, p in old.all("not")}
        after = {canonical(v): p for v, p in new.all("not")}
        lone_old = [k for k in before if k not in after]
        lone_new = [k for k in after if k not in before]
        for old_key, new_key in zip(lone_old, lone_new, strict=False):
            self._add("not-changed", place, before[old_key], after[new_key], "not changed")
        for key in lone_old[len(lone_new) :]:
            self._add("not-removed", place, before[key], new.pointer, f"not {key} removed")
        for key in lone_new[len(lone_old) :]:
            self._add("not-added", place, old.pointer, after[key], f"not {key} added")

    def _max_durations(self, old: View, new: View, place: Place) -> None:
        keyword = "x-segue-max-duration-seconds"
        before, after = old.first(keyword), new.first(keyword)
        if before is None and after is None:
            return
        was = before[0] if before and isinstance(before[0], Mapping) else {}
        now = after[0] if after and isinstance(after[0], Mapping) else {}
        changes = [
            f"{name} {_maybe_value(was.get(name))} → {_maybe_value(now.get(name))}"
            for name in sorted(was.keys() | now.keys(), key=str)
            if was.get(name) != now.get(name)
        ]
        if changes:
            self._add(
                "max-duration-changed", place, before[1] if before else old.pointer,
                after[1] if after else new.pointer,
                f"{keyword}: {', '.join(changes)}",
            )  # fmt: skip


# ---------------------------------------------------------------------- helpers


def _tested(schema: Any) -> str | None:
    """The property names an `if` tests (to pair conditionals whose condition changed)."""
    if not isinstance(schema, Mapping):
        return None
    properties = schema.get("properties")
    names = set(properties) if isinstance(properties, Mapping) else set()
    names |= {str(n) for n in schema.get("required") or [] if isinstance(n, str)}
    return canonical(sorted(names)) if names else None


def _pair_changed(
    before: list[Conditional], after: list[Conditional]
) -> tuple[list[tuple[Conditional, Conditional]], list[Conditional], list[Conditional]]:
    remaining = list(after)
    pairs, lone = [], []
    for old in before:
        match = next((new for new in remaining if _same_rule(old.if_schema, new.if_schema)), None)
        if match is None:
            lone.append(old)
        else:
            remaining.remove(match)
            pairs.append((old, match))
    return pairs, lone, remaining


def _same_rule(old: Any, new: Any) -> bool:
    """Two `if`s test the same properties, and no property for disjoint values."""
    if _tested(old) is None or _tested(old) != _tested(new):
        return False
    old_tests, new_tests = old.get("properties") or {}, new.get("properties") or {}
    for name in old_tests.keys() & new_tests.keys():
        was, now = _tested_values(old_tests[name]), _tested_values(new_tests[name])
        if was is not None and now is not None and not was & now:
            return False
    return True


def _tested_values(test: Any) -> set[str] | None:
    """The values (canonical) an `if` accepts for one property via `const`/`enum`, else None."""
    if not isinstance(test, Mapping):
        return None
    if "const" in test:
        return {canonical(test["const"])}
    if isinstance(test.get("enum"), list):
        return {canonical(value) for value in test["enum"]}
    return None


def _mentioned(branch: Fragment | None) -> set[str]:
    properties = branch[0].get("properties") if branch and isinstance(branch[0], Mapping) else None
    return set(properties) if isinstance(properties, Mapping) else set()


def _in_context(
    branch: Fragment | None, parent: View, other: View, names: set[str]
) -> list[Fragment]:
    """A `then`/`else` read with what its parent says of the properties it names (those the
    parent has on both sides): a limit moved from a property into a conditional is compared
    with the limit it replaces, not reported as new. The branch comes first, so the view is
    known by the branch's pointer."""
    names = names & set(parent.properties()) & set(other.properties())
    fragments = [branch] if branch is not None else []
    for schema, pointer in parent.fragments:
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        if isinstance(properties, Mapping) and names & set(properties):
            kept = {name: properties[name] for name in names if name in properties}
            fragments.append(({"properties": kept}, pointer))
    return fragments


def _branches(group: tuple[list[Any], str]) -> list[Fragment]:
    return [(branch, join_pointer(group[1], i)) for i, branch in enumerate(group[0])]


def _without_groups(fragments: list[Fragment]) -> list[Fragment]:
    """The fragments with their `oneOf`/`anyOf` left out (the variants are read one by one),
    and their `allOf` (already expanded into the fragments: read again, it would bring the
    groups back)."""
    return [
        ({k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "allOf")}, pointer)
        if isinstance(schema, Mapping) else (schema, pointer)
        for schema, pointer in fragments
    ]  # fmt: skip


def _dependencies(view: View) -> dict[str, tuple[frozenset[str], str]]:
    found: dict[str, tuple[frozenset[str], str]] = {}
    for value, pointer in view.all("dependentRequired"):
        for key, names in value.items() if isinstance(value, Mapping) else []:
            names = frozenset(str(n) for n in names) if isinstance(names, list) else frozenset()
            was = found.get(key, (frozenset(), join_pointer(pointer, key)))
            found[key] = (was[0] | names, was[1])
    return found


def _dependent_schemas(view: View) -> dict[str, Fragment]:
    found: dict[str, Fragment] = {}
    for value, pointer in view.all("dependentSchemas"):
        for key, sub in value.items() if isinstance(value, Mapping) else []:
            found.setdefault(key, (sub, join_pointer(pointer, key)))
    return found


def _match(
    before: list[Any], after: list[Any], key: Any
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pair items of two lists whose `key` is equal (in order); also return the unpaired."""
    remaining = list(after)
    pairs, lone = [], []
    for item in before:
        wanted = key(item)
        match = next((other for other in remaining if key(other) == wanted), None)
        if match is None or wanted is None:
            lone.append(item)
        else:
            remaining.remove(match)
            pairs.append((item, match))
    return pairs, lone, remaining


def _variant_key(branch: Fragment) -> str | None:
    schema = branch[0]
    return schema["$ref"] if isinstance(schema, Mapping) and "$ref" in schema else None


def _variant_name(schema: Any) -> str:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return schema["$ref"].rsplit("/", 1)[-1]
    text = canonical(schema)
    return text if len(text) <= 60 else text[:57] + "…"


def _component_schema_pointers(document: Any) -> frozenset[str]:
    components = document.get("components") if isinstance(document, Mapping) else None
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    if not isinstance(schemas, Mapping):
        return frozenset()
    return frozenset(join_pointer("/components/schemas", name) for name in schemas)


def _types_text(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    return "|".join(sorted(types)) or "none"


def _values(values: dict[str, Any]) -> str:
    return ", ".join(show(value) for value in values.values())


def _maybe(found: tuple[Any, str] | None) -> str:
    return "none" if found is None else show(found[0])


def _maybe_value(value: Any) -> str:
    return "none" if value is None else show(value)
