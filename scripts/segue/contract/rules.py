"""The documented request rules of an operation, derived from its request schema (never re-typed).

A request schema states its rules as JSON Schema 2020-12: base `properties` (types, enums, ranges,
lengths), `required`, and `allOf` entries whose `if` looks at a few *discriminating* properties
(`customMode`, `defaultParamFlag`, `instrumental`, `model`, `custom_mode`) and whose `then`/`else`
add limits and requirements. This module:

1. finds the discriminators and their domains (every enum member / both booleans / absent),
2. enumerates the scenarios (one value per discriminator) and, for each, evaluates every `if`
   with jsonschema-rs to learn the limits and requirements in force there,
3. turns those into rules (`LengthRule`, `RequiredRule`, `OptionalRule`, `ExactlyOneRule`,
   `EnumRule`, `RangeRule`, `MinLengthRule`, `FormatRule`), each with a stable id for test
   names and reports,
4. builds requests that satisfy every rule but the one under test, from the spec's own examples,
   and checks with the spec's validator that the request is valid (or invalid) as intended.

Why hand-written: no library enumerates the conditional branches of a schema; hypothesis-jsonschema
generates valid instances but cannot aim at "the title limit when model is V4 in custom mode".
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from segue import speclib
from segue.contract.oracle import OperationContract, SpecOracle


class _Absent:
    """A discriminator value meaning "the property is not in the request"."""

    def __repr__(self) -> str:
        return "absent"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Present:
    """A discriminator value meaning "the property is in the request", whatever its value: the
    selector of a mode chosen by which field is sent (Udio's `prompt` = custom mode). `example`
    is what a request that lacks it gets (the property's documented example)."""

    example: Any

    def __repr__(self) -> str:
        return "present"


def show(value: Any) -> str:
    if value is ABSENT:
        return "absent"
    if isinstance(value, Present):
        return "present"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Scenario:
    """One value per discriminating property (ABSENT: left out of the request)."""

    values: tuple[tuple[str, Any], ...]

    def label(self) -> str:
        return ", ".join(f"{name}={show(value)}" for name, value in self.values) or "any"

    def get(self, name: str) -> Any:
        return dict(self.values).get(name, ABSENT)

    def apply(self, request: dict[str, Any]) -> dict[str, Any]:
        result = dict(request)
        for name, value in self.values:
            if value is ABSENT:
                result.pop(name, None)
            elif isinstance(value, Present):
                result.setdefault(name, value.example)
            else:
                result[name] = value
        return result

    def present(self) -> set[str]:
        """The properties this scenario needs in the request (Present or a value)."""
        return {name for name, value in self.values if value is not ABSENT}

    def fixes(self, name: str) -> bool:
        return name in dict(self.values)

    def project(self, names: list[str]) -> Scenario:
        return Scenario(tuple((n, v) for n, v in self.values if n in names))

    def matches(self, other: Scenario) -> bool:
        """Whether every value of `other` agrees with this scenario."""
        mine = dict(self.values)
        return all(
            mine.get(name, ABSENT) is value or mine.get(name) == value
            for name, value in other.values
        )


# Numeric keywords a scenario may add to a property, and how two of them combine (tightest wins).
_BOUND_KEYWORDS = {
    "minimum": max,
    "exclusiveMinimum": max,
    "maximum": min,
    "exclusiveMaximum": min,
    "multipleOf": min,
}


@dataclass(frozen=True)
class InForce:
    """What a scenario makes apply: maximum lengths, numeric bounds, required properties."""

    max_length: dict[str, int]
    required: frozenset[str]
    bounds: dict[str, dict[str, float]]


# --------------------------------------------------------------------------- walking the schema


def _applicable(
    oracle: SpecOracle, node: Any, pointer: str, instance: dict[str, Any], everything: bool = False
) -> Iterator[tuple[dict[str, Any], str]]:
    """Every schema node that applies to `instance` (all of them with `everything`), refs followed.

    Goes through `allOf` and `if`/`then`/`else`; `oneOf`/`anyOf` are choices between request
    shapes (modes), reported by `exactly_one_rules`, not limits.
    """
    node, pointer = oracle.follow(node, pointer)
    if not isinstance(node, dict):
        return
    yield node, pointer
    for index, sub in enumerate(node.get("allOf", [])):
        yield from _applicable(
            oracle, sub, speclib.join_pointer(pointer, "allOf", index), instance, everything
        )
    if "if" in node:
        holds = oracle.validator(speclib.join_pointer(pointer, "if")).is_valid(instance)
        for branch in ("then", "else"):
            if branch in node and (everything or holds == (branch == "then")):
                yield from _applicable(
                    oracle,
                    node[branch],
                    speclib.join_pointer(pointer, branch),
                    instance,
                    everything,
                )


def _root(oracle: SpecOracle, pointer: str) -> dict[str, Any]:
    node = oracle.resolve(pointer)
    return node if isinstance(node, dict) else {}


def property_schema(oracle: SpecOracle, pointer: str, name: str) -> dict[str, Any]:
    """The base schema of top-level property `name` (`$ref` followed, sibling keywords kept)."""
    node = _root(oracle, pointer).get("properties", {}).get(name, {})
    target, _ = oracle.follow(node, "")
    merged = dict(target) if isinstance(target, dict) else {}
    if isinstance(node, dict):
        merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


def discriminators(oracle: SpecOracle, pointer: str) -> dict[str, list[Any]]:
    """Properties some `if` looks at (by `const`/`enum`), with every value they can take."""
    root = _root(oracle, pointer)
    top_required = set(root.get("required", []))
    found: dict[str, list[Any]] = {}
    by_presence: set[str] = set()
    for node, _ in _applicable(oracle, {"$ref": "#" + pointer}, "", {}, everything=True):
        condition = node.get("if")
        tested = condition.get("properties", {}) if isinstance(condition, dict) else {}
        for name, sub in tested.items():
            if isinstance(sub, dict) and ("const" in sub or "enum" in sub):
                found.setdefault(name, [])
        # `if: {required: [prompt]}` alone: the mode is chosen by sending the field.
        for name in condition.get("required", []) if isinstance(condition, dict) else []:
            if name not in tested:
                found.setdefault(name, [])
                by_presence.add(name)
    for name, values in found.items():
        base = property_schema(oracle, pointer, name)
        if name in by_presence:
            values.append(Present(_example_of(base)))
        elif "enum" in base:
            values.extend(base["enum"])
        elif base.get("type") == "boolean":
            values.extend([True, False])
        if name not in top_required:
            values.append(ABSENT)
    return found


def _example_of(schema: dict[str, Any]) -> Any:
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return schema.get("example", "x")


def scenarios(oracle: SpecOracle, pointer: str) -> list[Scenario]:
    """Every possible combination of discriminator values (a handful per operation).

    A combination that leaves out a property it makes required (`instrumental` absent in
    custom mode) describes no valid request and is dropped.
    """
    domains = discriminators(oracle, pointer)
    names = list(domains)
    found = []
    for combo in itertools.product(*(domains[n] for n in names)):
        scenario = Scenario(tuple(zip(names, combo, strict=True)))
        absent = {name for name, value in scenario.values if value is ABSENT}
        if not absent & in_force(oracle, pointer, scenario).required:
            found.append(scenario)
    return found


def in_force(oracle: SpecOracle, pointer: str, scenario: Scenario) -> InForce:
    """The limits and requirements that apply in `scenario` (the tightest limit wins)."""
    instance = scenario.apply({})
    max_length: dict[str, int] = {}
    required: set[str] = set()
    bounds: dict[str, dict[str, float]] = {}
    for node, _ in _applicable(oracle, {"$ref": "#" + pointer}, "", instance):
        required.update(node.get("required", []))
        for name, sub in (node.get("properties") or {}).items():
            sub, _ = oracle.follow(sub, "")
            if not isinstance(sub, dict):
                continue
            if isinstance(sub.get("maxLength"), int):
                max_length[name] = min(sub["maxLength"], max_length.get(name, sub["maxLength"]))
            for keyword, tightest in _BOUND_KEYWORDS.items():
                value = sub.get(keyword)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    known = bounds.setdefault(name, {})
                    known[keyword] = tightest(value, known.get(keyword, value))
    return InForce(max_length, frozenset(required), bounds)


def relevant_discriminators(oracle: SpecOracle, pointer: str, aspect: str) -> list[str]:
    """The discriminators that change `aspect` ("max_length" or "required") somewhere.

    A discriminator is relevant when two scenarios that differ only in it have different
    `aspect`s; the others can take any value for rules about that aspect.
    """
    domains = discriminators(oracle, pointer)
    every = scenarios(oracle, pointer)
    table = {s: getattr(in_force(oracle, pointer, s), aspect) for s in every}
    relevant = []
    for name in domains:
        for scenario in every:
            for value in domains[name]:
                other = _with(scenario, name, value)
                if other in table and table[other] != table[scenario]:
                    relevant.append(name)
                    break
            if name in relevant:
                break
    return relevant


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class LengthRule:
    """`field` may hold at most `limit` characters when `scenario` holds."""

    operation_id: str
    field: str
    limit: int
    scenario: Scenario

    @property
    def id(self) -> str:
        return f"{self.operation_id}: {self.field} <= {self.limit} [{self.scenario.label()}]"


@dataclass(frozen=True)
class UnlimitedRule:
    """`field` is limited in other scenarios but not when `scenario` holds (an inherit or
    simple mode does not use it): there `length` characters, one more than its longest limit
    anywhere, are accepted."""

    operation_id: str
    field: str
    length: int
    scenario: Scenario

    @property
    def id(self) -> str:
        return (
            f"{self.operation_id}: {self.field} of {self.length} accepted, "
            f"no limit [{self.scenario.label()}]"
        )


@dataclass(frozen=True)
class RequiredRule:
    """`field` must be present when `scenario` holds; `documented` is its own error answer."""

    operation_id: str
    field: str
    scenario: Scenario

    @property
    def id(self) -> str:
        return f"{self.operation_id}: {self.field} required [{self.scenario.label()}]"


@dataclass(frozen=True)
class OptionalRule:
    """`field`, required in other scenarios, may be left out when `scenario` holds."""

    operation_id: str
    field: str
    scenario: Scenario

    @property
    def id(self) -> str:
        return f"{self.operation_id}: {self.field} optional [{self.scenario.label()}]"


@dataclass(frozen=True)
class ExactlyOneRule:
    """Exactly one of `fields` (a `oneOf` of required-sets): none or several are rejected."""

    operation_id: str
    fields: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.operation_id}: exactly one of {' / '.join(self.fields)}"


@dataclass(frozen=True)
class EnumRule:
    """`field` takes one of `members`."""

    operation_id: str
    field: str
    members: tuple[Any, ...]

    @property
    def id(self) -> str:
        return f"{self.operation_id}: {self.field} in {{{', '.join(map(show, self.members))}}}"

    @property
    def near_misses(self) -> tuple[Any, ...]:
        """Values a client sends by mistake that are not members, derived from the members.

        Strings: each member case-swapped, upper-cased and lower-cased (`V4` -> `v4`,
        `male` -> `MALE`) — a server that compares case-blind accepts them. Integers: one below
        the smallest and one above the largest (an index out of range).
        """
        ints = [m for m in self.members if isinstance(m, int) and not isinstance(m, bool)]
        found: list[Any] = []
        if ints and len(ints) == len(self.members):
            found = [min(ints) - 1, max(ints) + 1]
        for member in self.members:
            if isinstance(member, str):
                found += [member.swapcase(), member.upper(), member.lower()]
        return tuple(v for v in dict.fromkeys(found) if v not in self.members)


@dataclass(frozen=True)
class MinLengthRule:
    """`field` holds at least `limit` characters: `limit - 1` is rejected."""

    operation_id: str
    field: str
    limit: int

    @property
    def id(self) -> str:
        return f"{self.operation_id}: {self.field} >= {self.limit} characters"


@dataclass(frozen=True)
class FormatRule:
    """`field` is a string of format `format`; `violation` breaks only that format."""

    operation_id: str
    field: str
    format: str
    violation: str

    @property
    def id(self) -> str:
        return f"{self.operation_id}: {self.field} format {self.format}"


@dataclass(frozen=True)
class RangeRule:
    """A numeric bound on `field` when `scenario` holds: `accepted` is the edge inside,
    `rejected` the edge outside."""

    operation_id: str
    field: str
    keyword: str
    bound: float
    accepted: float | None
    rejected: float
    scenario: Scenario = Scenario(())

    @property
    def id(self) -> str:
        where = f" [{self.scenario.label()}]" if self.scenario.values else ""
        return f"{self.operation_id}: {self.field} {self.keyword} {self.bound}{where}"


@dataclass(frozen=True)
class UnboundedRule:
    """`field` has a bound in other scenarios but none when `scenario` holds: there the value
    the bound rejects (`value`) is accepted (`continueAt: 0` in KIE's inherit mode)."""

    operation_id: str
    field: str
    keyword: str
    value: float
    scenario: Scenario

    @property
    def id(self) -> str:
        return (
            f"{self.operation_id}: {self.field} = {self.value} accepted, "
            f"no {self.keyword} [{self.scenario.label()}]"
        )


def length_rules(oracle: SpecOracle, operation: OperationContract) -> list[LengthRule]:
    """Every (field, limit) for every combination of the discriminators that change limits.

    Grouped as a whole (every field's rules named by the discriminators that change any limit:
    `title <= 80 [defaultParamFlag=true, model=V4]`), except where the scenario rules the field
    out: it leaves the field itself out, or sends the other field of an "exactly one of" pair
    (Udio's `prompt` present = custom mode, where `gpt_description_prompt` cannot be).
    """
    pointer = operation.body_pointer
    if pointer is None:
        return []
    relevant = relevant_discriminators(oracle, pointer, "max_length")
    seen: dict[Scenario, InForce] = {}
    for scenario in scenarios(oracle, pointer):
        projected = scenario.project(relevant)
        seen.setdefault(projected, in_force(oracle, pointer, scenario))
    return [
        LengthRule(operation.operation_id, name, limit, projected)
        for projected, force in seen.items()
        for name, limit in sorted(force.max_length.items())
        if not _ruled_out(oracle, operation, name, projected)
    ]


def _ruled_out(
    oracle: SpecOracle, operation: OperationContract, name: str, scenario: Scenario
) -> bool:
    """Whether `scenario` leaves `name` out, or sends its rival of an "exactly one of" pair."""
    if scenario.fixes(name) and scenario.get(name) is ABSENT:
        return True
    rivals = {
        other
        for rule in exactly_one_rules(oracle, operation)
        if name in rule.fields
        for other in rule.fields
        if other != name
    }
    return bool(rivals & scenario.present())


def unlimited_rules(oracle: SpecOracle, operation: OperationContract) -> list[UnlimitedRule]:
    """Each field some scenario limits, in each scenario that does not (a rule the docs give
    for one mode holds in that mode only: KIE's inherit mode, Udio's inspiration mode)."""
    pointer = operation.body_pointer
    if pointer is None:
        return []
    longest: dict[str, int] = {}
    for rule in length_rules(oracle, operation):
        longest[rule.field] = max(rule.limit, longest.get(rule.field, 0))
    relevant = relevant_discriminators(oracle, pointer, "max_length")
    found: dict[tuple[str, Scenario], UnlimitedRule] = {}
    for scenario in scenarios(oracle, pointer):
        projected = scenario.project(relevant)
        limited = in_force(oracle, pointer, scenario).max_length
        for name, limit in sorted(longest.items()):
            if name in limited or _ruled_out(oracle, operation, name, projected):
                continue
            found.setdefault(
                (name, projected),
                UnlimitedRule(operation.operation_id, name, limit + 1, projected),
            )
    return list(found.values())


def requirement_rules(
    oracle: SpecOracle, operation: OperationContract
) -> tuple[list[RequiredRule], list[OptionalRule]]:
    """Each required field where it is required, and each conditional one where it is not.

    Per field, only the discriminators that change whether *it* is required name the scenario
    (`prompt required [customMode=true, instrumental=false]`); a field required everywhere is
    one rule (`[any]`).
    """
    pointer = operation.body_pointer
    if pointer is None:
        return [], []
    domains = discriminators(oracle, pointer)
    every = scenarios(oracle, pointer)
    required_in = {s: in_force(oracle, pointer, s).required for s in every}
    fields = sorted(frozenset().union(*required_in.values()))
    required: list[RequiredRule] = []
    optional: list[OptionalRule] = []
    for name in fields:
        relevant = [
            d
            for d in domains
            if d != name
            and any(
                (name in required_in[s]) != (name in required_in[_with(s, d, v)])
                for s in every
                for v in domains[d]
                if _with(s, d, v) in required_in
            )
        ]
        verdicts: dict[Scenario, set[bool]] = {}
        for scenario in every:
            verdicts.setdefault(scenario.project(relevant), set()).add(
                name in required_in[scenario]
            )
        for projected, seen in verdicts.items():
            if seen == {True}:
                required.append(RequiredRule(operation.operation_id, name, projected))
            elif seen == {False}:
                optional.append(OptionalRule(operation.operation_id, name, projected))
    return required, optional


def _with(scenario: Scenario, name: str, value: Any) -> Scenario:
    return Scenario(tuple((n, value if n == name else v) for n, v in scenario.values))


def exactly_one_rules(oracle: SpecOracle, operation: OperationContract) -> list[ExactlyOneRule]:
    """`oneOf`s whose branches only require properties: "send exactly one of these"."""
    if operation.body_pointer is None:
        return []
    rules = []
    for node, _ in _applicable(
        oracle, {"$ref": "#" + operation.body_pointer}, "", {}, everything=True
    ):
        branches = node.get("oneOf")
        if not isinstance(branches, list):
            continue
        sets = [oracle.follow(b, "")[0].get("required", []) for b in branches]
        if all(len(s) == 1 for s in sets):
            rules.append(ExactlyOneRule(operation.operation_id, tuple(s[0] for s in sets)))
    return rules


def enum_rules(oracle: SpecOracle, operation: OperationContract) -> list[EnumRule]:
    if operation.body_pointer is None:
        return []
    rules = []
    for name in _root(oracle, operation.body_pointer).get("properties", {}):
        schema = property_schema(oracle, operation.body_pointer, name)
        if isinstance(schema.get("enum"), list):
            rules.append(EnumRule(operation.operation_id, name, tuple(schema["enum"])))
    return rules


def min_length_rules(oracle: SpecOracle, operation: OperationContract) -> list[MinLengthRule]:
    """Each top-level string property with a `minLength` of at least 1 (an id, a text)."""
    if operation.body_pointer is None:
        return []
    rules = []
    for name in _root(oracle, operation.body_pointer).get("properties", {}):
        limit = property_schema(oracle, operation.body_pointer, name).get("minLength")
        if isinstance(limit, int) and limit >= 1:
            rules.append(MinLengthRule(operation.operation_id, name, limit))
    return rules


# Strings tried, in turn, as a value breaking a `format` and nothing else: the first one the
# spec's validator rejects with the format and accepts without it is the rule's violation. Not a
# table of formats: any format the validator checks (uri, email, date-time, …) rejects one of them.
FORMAT_VIOLATIONS = ("not a valid value", "::", "@@", "-1")


def format_rules(oracle: SpecOracle, operation: OperationContract) -> list[FormatRule]:
    """Each top-level property with a `format` the spec's validator enforces."""
    if operation.body_pointer is None:
        return []
    rules = []
    for name in _root(oracle, operation.body_pointer).get("properties", {}):
        schema = property_schema(oracle, operation.body_pointer, name)
        if not isinstance(schema.get("format"), str):
            continue
        strict = oracle.validator_for_schema(schema)
        loose = oracle.validator_for_schema({k: v for k, v in schema.items() if k != "format"})
        violation = next(
            (v for v in FORMAT_VIOLATIONS if loose.is_valid(v) and not strict.is_valid(v)), None
        )
        if violation is not None:
            rules.append(FormatRule(operation.operation_id, name, schema["format"], violation))
    return rules


def _bounds_by_scenario(
    oracle: SpecOracle, operation: OperationContract
) -> dict[str, dict[Scenario, dict[str, float]]]:
    """Per numeric property, its bounds in each scenario, the scenario projected onto the
    discriminators that change *that property's* bounds (weights: `[any]`; KIE's
    `continueAt`: by `defaultParamFlag`)."""
    pointer = operation.body_pointer
    if pointer is None:
        return {}
    domains = discriminators(oracle, pointer)
    every = scenarios(oracle, pointer)
    bounds_in = {s: in_force(oracle, pointer, s).bounds for s in every}
    found: dict[str, dict[Scenario, dict[str, float]]] = {}
    for name in sorted({n for bounds in bounds_in.values() for n in bounds}):
        if property_schema(oracle, pointer, name).get("type") not in ("number", "integer"):
            continue
        relevant = [
            d
            for d in domains
            if any(
                bounds_in[s].get(name) != bounds_in[_with(s, d, v)].get(name)
                for s in every
                for v in domains[d]
                if _with(s, d, v) in bounds_in
            )
        ]
        per_scenario: dict[Scenario, dict[str, float]] = {}
        for scenario in every:
            per_scenario.setdefault(scenario.project(relevant), bounds_in[scenario].get(name, {}))
        found[name] = per_scenario
    return found


def range_rules(oracle: SpecOracle, operation: OperationContract) -> list[RangeRule]:
    """The numeric edges, in each scenario where they hold: at a bound (accepted) and one step
    beyond it (rejected).

    The step is the property's `multipleOf` when it has one (0.01 for weights), else 1; an
    exclusive bound is rejected *at* the bound and accepted half a step inside it. A
    `multipleOf` alone gives the rule "half a step is rejected".
    """
    rules = []
    op = operation.operation_id
    for name, per_scenario in _bounds_by_scenario(oracle, operation).items():
        for scenario, schema in per_scenario.items():
            step = schema.get("multipleOf", 1)
            if "minimum" in schema:
                low = schema["minimum"]
                rejected = _round(low - step, step)
                rules.append(RangeRule(op, name, "minimum", low, low, rejected, scenario))
            if "maximum" in schema:
                high = schema["maximum"]
                rejected = _round(high + step, step)
                rules.append(RangeRule(op, name, "maximum", high, high, rejected, scenario))
            if "exclusiveMinimum" in schema:
                low = schema["exclusiveMinimum"]
                inside = _round(low + step, step) if "multipleOf" in schema else low + 0.5
                rules.append(RangeRule(op, name, "exclusiveMinimum", low, inside, low, scenario))
            if "exclusiveMaximum" in schema:
                high = schema["exclusiveMaximum"]
                inside = _round(high - step, step) if "multipleOf" in schema else high - 0.5
                rules.append(RangeRule(op, name, "exclusiveMaximum", high, inside, high, scenario))
            if "multipleOf" in schema:
                base = schema.get("minimum", schema.get("exclusiveMinimum", 0))
                half = base + step / 2
                rules.append(RangeRule(op, name, "multipleOf", step, None, half, scenario))
    return rules


def unbounded_rules(oracle: SpecOracle, operation: OperationContract) -> list[UnboundedRule]:
    """Each bound some scenario has and another has not: in the other, the value the bound
    rejects at its edge is accepted (a rule the docs give for one mode holds in that mode only)."""
    rules = []
    for rule in range_rules(oracle, operation):
        if rule.keyword == "multipleOf" or not rule.scenario.values:
            continue
        per_scenario = _bounds_by_scenario(oracle, operation)[rule.field]
        for scenario, schema in per_scenario.items():
            if rule.keyword not in schema:
                rules.append(
                    UnboundedRule(
                        operation.operation_id, rule.field, rule.keyword, rule.rejected, scenario
                    )
                )
    return list(dict.fromkeys(rules))


def _round(value: float, step: float) -> float:
    """`value` written with as many decimals as `step` (0.01 -> 2): no 1.0100000000000002."""
    decimals = max(0, len(repr(float(step)).split(".")[1].rstrip("0"))) if step < 1 else 0
    return round(value, decimals)


# --------------------------------------------------------------------------- building requests


class UnbuildableRequest(Exception):
    """No example of the operation can be turned into a request for this rule."""


@dataclass
class RequestBuilder:
    """Builds valid requests for an operation from the spec's request examples.

    `valid(scenario, with_fields=…, overrides=…)` starts from each example in turn (the ones
    holding every field in `with_fields` first), applies the scenario and the overrides, adds
    missing required fields from the other examples, drops fields that break a `oneOf` mode, and
    returns the first result the spec's validator accepts. Raises UnbuildableRequest otherwise.
    """

    oracle: SpecOracle
    operation: OperationContract

    def valid(
        self,
        scenario: Scenario,
        *,
        with_fields: tuple[str, ...] = (),
        overrides: dict[str, Any] | None = None,
        without: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        pointer = self.operation.body_pointer
        if pointer is None:
            raise UnbuildableRequest(f"{self.operation.operation_id} has no request body")
        examples = [
            dict(value) for _, value in self.operation.request_examples if isinstance(value, dict)
        ]
        examples.sort(key=lambda example: -sum(field in example for field in with_fields))
        force = in_force(self.oracle, pointer, scenario)
        validator = self.oracle.validator(pointer)
        for example in examples:
            request = scenario.apply(copy.deepcopy(example))
            for other in examples:
                for name in force.required - set(request) - set(without):
                    if name in other:
                        request[name] = copy.deepcopy(other[name])
            request = scenario.apply(request)
            request.update(copy.deepcopy(overrides or {}))
            for name in without:
                request.pop(name, None)
            keep = set(with_fields) | set(overrides or {}) | scenario.present()
            request = self._settle_modes(request, keep=keep)
            if validator.is_valid(request):
                return request
        raise UnbuildableRequest(
            f"{self.operation.operation_id}: no example can be made valid for "
            f"[{scenario.label()}] with {', '.join(with_fields) or 'no extra fields'}"
        )

    def _settle_modes(self, request: dict[str, Any], keep: set[str]) -> dict[str, Any]:
        """Drop the fields of other `oneOf` modes ("exactly one of") that `keep` does not need."""
        for rule in exactly_one_rules(self.oracle, self.operation):
            present = [name for name in rule.fields if name in request]
            if len(present) > 1:
                chosen = next((name for name in present if name in keep), present[0])
                for name in present:
                    if name != chosen:
                        request.pop(name)
        return request

    def is_valid(self, request: Any) -> bool:
        assert self.operation.body_pointer is not None
        return self.oracle.validator(self.operation.body_pointer).is_valid(request)

    def problems(self, request: Any) -> list[str]:
        assert self.operation.body_pointer is not None
        return self.oracle.errors(self.operation.body_pointer, request)
