"""Every documented request rule at its boundary, sent through the target (HTTP or ASGI).

The rules come from the request schemas (`segue.contract.rules`): for every model and mode, each
length limit (limit accepted, limit + 1 rejected), each conditional requirement (missing -> rejected
where required, accepted where not), "exactly one of" modes, enum members and non-members, numeric
edges, near misses of enum members (`v4` for `V4`, index 2 of {0, 1}), minimum lengths and
string formats. Nothing is re-typed: change a limit in the spec and these tests follow.

"Accepted" = a task was created (KIE: code 200 + taskId; Udio: HTTP 200 + workId).
"Rejected" = the spec's documented answer: its code, an HTTP status it is documented under (KIE:
200 or the code), and its exact message when the spec documents one for that field
(`x-segue-when: {invalid: field}`), else the generic validation answer's code — and never the
message the spec documents for a state rule (several rejections share a code).

Before sending, each test asks the spec's own validator whether its request is valid (or not), so a
test can only fail because the server disagrees with the spec, never because the test built the
wrong request.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from segue.contract.oracle import OperationContract, load_oracle
from segue.contract.params import creating_settings, vendor_params, zero_cost_settings
from segue.contract.rules import (
    EnumRule,
    ExactlyOneRule,
    FormatRule,
    LengthRule,
    MinLengthRule,
    OptionalRule,
    RangeRule,
    RequiredRule,
    Scenario,
    UnboundedRule,
    UnlimitedRule,
    enum_rules,
    exactly_one_rules,
    format_rules,
    length_rules,
    min_length_rules,
    range_rules,
    requirement_rules,
    unbounded_rules,
    unlimited_rules,
)
from segue.paths import VENDORS


def _collect(derive: Any) -> list[tuple[str, Any]]:
    found = []
    for vendor in VENDORS:
        oracle = load_oracle(vendor)
        for operation in oracle.operations.values():
            if operation.creates_task:
                found += [(vendor, rule) for rule in derive(oracle, operation)]
    return found


LENGTH = _collect(length_rules)
REQUIRED = _collect(lambda o, op: requirement_rules(o, op)[0])
OPTIONAL = _collect(lambda o, op: requirement_rules(o, op)[1])
EXACTLY_ONE = _collect(exactly_one_rules)
ENUMS = _collect(enum_rules)
ENUM_MEMBERS = [(v, (rule, member)) for v, rule in ENUMS for member in rule.members]
ENUM_NEAR_MISSES = [(v, (rule, value)) for v, rule in ENUMS for value in rule.near_misses]
RANGES = _collect(range_rules)
UNBOUNDED = _collect(unbounded_rules)
UNLIMITED = _collect(unlimited_rules)
MIN_LENGTHS = _collect(min_length_rules)
FORMATS = _collect(format_rules)

# Text of any script, BMP only (servers in UTF-16 languages count astral characters twice).
TEXT = st.text(
    st.characters(categories=("L", "N", "P", "Zs"), max_codepoint=0xFFFF), min_size=1, max_size=12
)


def padded(seed: str, length: int) -> str:
    """`seed` repeated to exactly `length` characters (a Hypothesis draw of any size would not)."""
    return (seed * (length // len(seed) + 1))[:length]


def rejection_answer(
    kit: Any, operation: OperationContract, field: str | None, body: Any = None
) -> tuple[Any, bool]:
    """The documented answer to a schema failure at `field`, and whether its message is exact
    (a field's own answer documented for its absence only does not answer a wrong value)."""
    own = kit.oracle.answer(operation, invalid=field) if field else None
    present = isinstance(body, dict) and field in body
    if own is not None and not (own.only_when_absent and present):
        return own, True
    return kit.oracle.answer(operation, rule="validation-failed"), False


def assert_rejected(
    kit: Any,
    rule_id: str,
    operation_id: str,
    body: Any,
    field: str | None,
    *,
    real_state: bool | None = None,
) -> None:
    """The server rejects `body` with the documented answer to a schema failure — never with the
    answer the spec documents for a state rule (same code, other message: see
    `VendorStyle.invalid_request_problems`).

    When the budget left no real source to point an extend at (`real_state` False: say so when
    the broken field is the source's id itself), the request also names an unknown clip/origin;
    the spec does not say which check comes first, so the documented answer to that
    (`audio-not-found`, `origin-not-found`) is accepted as well.
    """
    operation = kit.op(operation_id)
    assert not kit.builder(operation_id).is_valid(body), "test bug: the spec accepts this request"
    if real_state is None:
        real_state = kit.points_at_real_state(operation_id, body)
    outcome = kit.create(operation_id, body, expect="rejected")
    answer, exact = rejection_answer(kit, operation, field, body)
    problems = kit.style.invalid_request_problems(operation, outcome, answer, exact_message=exact)
    if problems and not real_state:
        for rule in ("audio-not-found", "origin-not-found"):
            other = kit.oracle.answer(operation, rule=rule)
            if other is None or other not in operation.answers:
                continue
            if not kit.style.rejection_problems(operation, outcome, other, exact_message=True):
                return
    reasons = "; ".join(problems)
    assert not problems, f"{rule_id}: the server did not reject as documented: {reasons}"


def assert_created(kit: Any, rule_id: str, operation_id: str, body: Any) -> None:
    builder = kit.builder(operation_id)
    assert builder.is_valid(body), (
        f"test bug: the spec rejects this request: {builder.problems(body)}"
    )
    outcome = kit.create(operation_id, kit.fit(operation_id, body), expect="created")
    assert outcome.created, f"{rule_id}: the server rejected a valid request: {outcome.summary()}"
    problems = kit.style.body_problems(kit.op(operation_id), outcome)
    assert not problems, f"{rule_id}: the answer breaks the spec: " + "; ".join(problems)


def source_variants(
    kit: Any, operation_id: str, body: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """`body` pointed at a real source (when one exists or the budget pays for it) and, for an
    operation that needs one (an extend), also at an unknown source.

    A schema failure is answered as such whatever the server state (the spec documents it as
    `validation-failed` / the property's `{invalid: …}` answer, never a state rule's): with an
    unknown source, a server that checks the source first answers "not found"; with a real one,
    a server whose state check happens to give the same body (Udio's index beyond the origin's
    clips) would go unnoticed.
    """
    real = kit.fit(operation_id, body, spend=False)
    variants = [("real source", real)] if kit.points_at_real_state(operation_id, real) else []
    unknown = kit.fit(operation_id, body, use_source=False)
    if not kit.points_at_real_state(operation_id, unknown):
        variants.append(("unknown source", unknown))
    return variants or [("no source needed", real)]


# --------------------------------------------------------------------------- lengths


@pytest.mark.check("length limit")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(LENGTH, lambda r: r.id))
@creating_settings()
@given(seed=TEXT)
def test_length_at_the_limit_is_accepted(
    vendor: str, rule: LengthRule, seed: str, kits: Any
) -> None:
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(rule.scenario, with_fields=(rule.field,))
    body[rule.field] = padded(seed, rule.limit)
    assert_created(kit, f"{rule.id}: {rule.limit} characters", rule.operation_id, body)


@pytest.mark.check("length limit")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(LENGTH, lambda r: r.id))
@zero_cost_settings()
@given(seed=TEXT)
def test_length_over_the_limit_is_rejected(
    vendor: str, rule: LengthRule, seed: str, kits: Any
) -> None:
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(rule.scenario, with_fields=(rule.field,))
    body = kit.fit(rule.operation_id, body, spend=False)
    body[rule.field] = padded(seed, rule.limit + 1)
    assert_rejected(
        kit, f"{rule.id}: {rule.limit + 1} characters", rule.operation_id, body, rule.field
    )


@pytest.mark.check("length limit")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(UNLIMITED, lambda r: r.id))
def test_limit_of_another_mode_does_not_apply(vendor: str, rule: UnlimitedRule, kits: Any) -> None:
    """A mode that does not use a field (KIE inherit, Udio inspiration) accepts it longer than
    any limit the field has elsewhere: the other mode's rule must not leak into this one."""
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(rule.scenario, with_fields=(rule.field,))
    body[rule.field] = padded("ab", rule.length)
    assert_created(kit, rule.id, rule.operation_id, body)


# --------------------------------------------------------------------------- requirements


@pytest.mark.check("required field")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(REQUIRED, lambda r: r.id))
def test_missing_required_field_is_rejected(vendor: str, rule: RequiredRule, kits: Any) -> None:
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(rule.scenario, with_fields=(rule.field,))
    body = kit.fit(rule.operation_id, body, spend=False)
    del body[rule.field]
    assert_rejected(kit, rule.id, rule.operation_id, body, rule.field)


@pytest.mark.check("required field")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(OPTIONAL, lambda r: r.id))
def test_field_required_elsewhere_may_be_left_out(
    vendor: str, rule: OptionalRule, kits: Any
) -> None:
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(rule.scenario, without=(rule.field,))
    assert_created(kit, rule.id, rule.operation_id, body)


@pytest.mark.check("mode")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(EXACTLY_ONE, lambda r: r.id))
@pytest.mark.parametrize("given_fields", ["none", "all"])
def test_exactly_one_mode_field(
    vendor: str, rule: ExactlyOneRule, given_fields: str, kits: Any
) -> None:
    kit = kits(vendor)
    builder = kit.builder(rule.operation_id)
    body = builder.valid(Scenario(()), with_fields=rule.fields[:1])
    if given_fields == "none":
        for name in rule.fields:
            body.pop(name, None)
    else:
        examples = [value for _, value in kit.op(rule.operation_id).request_examples]
        for name in rule.fields:
            body.setdefault(name, next(e[name] for e in examples if name in e))
    assert_rejected(
        kit,
        f"{rule.id} ({given_fields} given)",
        rule.operation_id,
        kit.fit(rule.operation_id, body, spend=False),
        None,
    )


# --------------------------------------------------------------------------- enums


def _non_members(rule: EnumRule) -> st.SearchStrategy[Any]:
    if all(isinstance(m, int) and not isinstance(m, bool) for m in rule.members):
        return st.integers(-(2**31), 2**31).filter(lambda v: v not in rule.members)
    return st.text(max_size=20).filter(lambda v: v not in rule.members)


@pytest.mark.check("enum")
@pytest.mark.parametrize(
    ("vendor", "pair"),
    vendor_params(ENUM_MEMBERS, lambda p: f"{p[0].operation_id}:{p[0].field}={p[1]}"),
)
def test_every_enum_member_is_accepted(vendor: str, pair: tuple[EnumRule, Any], kits: Any) -> None:
    rule, member = pair
    kit = kits(vendor)
    scenario = Scenario(((rule.field, member),))
    body = kit.builder(rule.operation_id).valid(
        scenario, with_fields=(rule.field,), overrides={rule.field: member}
    )
    assert_created(kit, f"{rule.id}: {member}", rule.operation_id, body)


@pytest.mark.check("enum")
@pytest.mark.parametrize(
    ("vendor", "pair"),
    vendor_params(ENUM_NEAR_MISSES, lambda p: f"{p[0].operation_id}:{p[0].field}={p[1]}"),
)
def test_enum_near_miss_is_rejected(vendor: str, pair: tuple[EnumRule, Any], kits: Any) -> None:
    """A member in another case (`v4`, `MALE`) or the integer next to the range (`2`) is not a
    member: a server comparing case-blind or indexing without a bound accepts it."""
    rule, value = pair
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(Scenario(()), with_fields=(rule.field,))
    for label, variant in source_variants(kit, rule.operation_id, body):
        variant[rule.field] = value
        assert_rejected(
            kit,
            f"{rule.id}: near miss {value!r}, {label}",
            rule.operation_id,
            variant,
            rule.field,
            real_state=True,
        )


@pytest.mark.check("enum")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(ENUMS, lambda r: r.id))
@zero_cost_settings()
@given(data=st.data())
def test_enum_non_member_is_rejected(
    vendor: str, rule: EnumRule, data: st.DataObject, kits: Any
) -> None:
    kit = kits(vendor)
    value = data.draw(_non_members(rule), label=rule.field)
    body = kit.builder(rule.operation_id).valid(Scenario(()), with_fields=(rule.field,))
    body = kit.fit(rule.operation_id, body, spend=False)
    body[rule.field] = value
    assert_rejected(kit, f"{rule.id}: {value!r}", rule.operation_id, body, rule.field)


# --------------------------------------------------------------------------- numeric edges


def _beyond(rule: RangeRule) -> st.SearchStrategy[float]:
    """Values on the wrong side of the bound; the edge itself comes first."""
    finite: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}
    region: st.SearchStrategy[float]
    if rule.keyword == "minimum":
        region = st.floats(min_value=-1e6, max_value=rule.bound, exclude_max=True, **finite)
    elif rule.keyword == "maximum":
        region = st.floats(min_value=rule.bound, max_value=1e6, exclude_min=True, **finite)
    elif rule.keyword == "exclusiveMinimum":
        region = st.floats(min_value=-1e6, max_value=rule.bound, **finite)
    elif rule.keyword == "exclusiveMaximum":
        region = st.floats(min_value=rule.bound, max_value=1e6, **finite)
    else:  # multipleOf: half-steps
        region = st.integers(0, 199).map(lambda n: round((n + 0.5) * rule.bound, 6))
    return st.one_of(st.just(rule.rejected), region)


@pytest.mark.check("range")
@pytest.mark.parametrize(
    ("vendor", "rule"),
    vendor_params([(v, r) for v, r in RANGES if r.accepted is not None], lambda r: r.id),
)
def test_value_at_the_edge_is_accepted(vendor: str, rule: RangeRule, kits: Any) -> None:
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(
        rule.scenario, with_fields=(rule.field,), overrides={rule.field: rule.accepted}
    )
    assert_created(kit, f"{rule.id}: {rule.accepted}", rule.operation_id, body)


@pytest.mark.check("range")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(UNBOUNDED, lambda r: r.id))
def test_bound_of_another_mode_does_not_apply(vendor: str, rule: UnboundedRule, kits: Any) -> None:
    """Where the spec states no bound (an inherit mode, whose fields come from the source), the
    value the other mode rejects is accepted: a client sending `continueAt: 0` there is served."""
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(
        rule.scenario, with_fields=(rule.field,), overrides={rule.field: rule.value}
    )
    assert_created(kit, rule.id, rule.operation_id, body)


@pytest.mark.check("range")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(RANGES, lambda r: r.id))
@zero_cost_settings()
@given(data=st.data())
def test_value_beyond_the_edge_is_rejected(
    vendor: str, rule: RangeRule, data: st.DataObject, kits: Any
) -> None:
    kit = kits(vendor)
    value = data.draw(_beyond(rule), label=rule.field)
    body = kit.builder(rule.operation_id).valid(rule.scenario, with_fields=(rule.field,))
    body = kit.fit(rule.operation_id, body, spend=False)
    body[rule.field] = value
    assume(
        not kit.builder(rule.operation_id).is_valid(body)
    )  # float rounding may land on a valid value
    assert_rejected(kit, f"{rule.id}: {value!r}", rule.operation_id, body, rule.field)


# --------------------------------------------------------------------------- minLength and format


@pytest.mark.check("length limit")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(MIN_LENGTHS, lambda r: r.id))
def test_below_the_minimum_length_is_rejected(vendor: str, rule: MinLengthRule, kits: Any) -> None:
    """`limit - 1` characters (the empty id) in an otherwise valid request: a schema failure,
    not "no such source" — which check comes first is the spec's order, schema before state."""
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(Scenario(()), with_fields=(rule.field,))
    body = kit.fit(rule.operation_id, body, spend=False)
    real_state = kit.points_at_real_state(rule.operation_id, body)
    body[rule.field] = padded("a", rule.limit - 1)
    assert_rejected(
        kit,
        f"{rule.id}: {rule.limit - 1} characters",
        rule.operation_id,
        body,
        rule.field,
        real_state=real_state,
    )


@pytest.mark.check("format")
@pytest.mark.parametrize(("vendor", "rule"), vendor_params(FORMATS, lambda r: r.id))
def test_value_breaking_the_format_is_rejected(vendor: str, rule: FormatRule, kits: Any) -> None:
    kit = kits(vendor)
    body = kit.builder(rule.operation_id).valid(Scenario(()), with_fields=(rule.field,))
    for label, variant in source_variants(kit, rule.operation_id, body):
        variant[rule.field] = rule.violation
        assert_rejected(
            kit,
            f"{rule.id}: {rule.violation!r}, {label}",
            rule.operation_id,
            variant,
            rule.field,
            real_state=True,
        )
