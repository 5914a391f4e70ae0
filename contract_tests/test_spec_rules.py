"""The documented request rules are really encoded in the specs' own JSON Schemas.

No server: each operation's request schema is compiled from the spec with jsonschema-rs
(Draft 2020-12, formats checked, local `$ref`s resolved against the spec's `components`) and
probed at the edges of every rule in `spec_rules_table` — the independent oracle that cites
the vendor docs. A wrong limit, a missing conditional or a leaking mode in a spec fails here.

Each rule family is a reusable `check_*(doc, vendor) -> list[str]` (an empty list: the spec
encodes the rule). The tests run them on the real specs, Hypothesis varies the content at
each edge, and the meta-tests at the bottom run the same checks on deliberately broken copies
of the specs to prove every check can fail. `SEGUE_SPEC_DIR=/dir` runs it all on other copies.

Why hand-written walking (deref, operations, examples; a few dozen lines) rather than
`segue.speclib`: this module is the oracle that judges the specs and the code built on them,
so it depends on no project code but `segue.paths`.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import spec_rules_table as table
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from segue.paths import spec_path
from spec_rules_table import (
    CallbackUrlRule,
    Case,
    EnumRule,
    LengthLimit,
    Mode,
    NoLimit,
    PositiveRule,
    Source,
    WeightRule,
)

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# 1-, 2-, 3- and 4-byte UTF-8 characters, the last one two UTF-16 units: a maxLength counted in
# bytes or in UTF-16 units instead of code points fails the limit checks.
FILLER = "aé漢😀"

# Fixed seed, no example database (it would write .hypothesis/ into the tree), no deadline.
quick = settings(max_examples=25, deadline=None, database=None, derandomize=True)
thorough = settings(max_examples=100, deadline=None, database=None, derandomize=True)


# --- the spec as validators


# libyaml when present: the pure-Python loader takes ~0.2 s per spec.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_spec(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        doc = yaml.load(handle, Loader=YAML_LOADER)
    assert isinstance(doc, dict), f"{path}: not a YAML mapping"
    return doc


def deref(doc: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/a/b`) until a node without one."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unresolvable $ref {ref!r}")
        seen.add(ref)
        node = doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def compile_schema(doc: Mapping[str, Any], schema: Mapping[str, Any]) -> Any:
    """A jsonschema-rs validator for `schema`, its `#/components/...` refs resolved in `doc`."""
    root = {
        "$schema": doc.get("jsonSchemaDialect", DRAFT_2020_12),
        "components": doc.get("components", {}),
        **schema,
    }
    return jsonschema_rs.validator_for(root, validate_formats=True)


def iter_path_operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, operation) for every operation under `paths`."""
    for path, item in (doc.get("paths") or {}).items():
        item = deref(doc, item)
        for method in HTTP_METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def iter_all_operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Operations under `paths`, their callbacks, and `webhooks`."""
    for label, operation in iter_path_operations(doc):
        yield label, operation
        for name, callback in (operation.get("callbacks") or {}).items():
            for expression, item in deref(doc, callback).items():
                item = deref(doc, item)
                for method in HTTP_METHODS:
                    if method in item:
                        yield f"{label} callback {name} {expression} {method}", item[method]
    for name, item in (doc.get("webhooks") or {}).items():
        item = deref(doc, item)
        for method in HTTP_METHODS:
            if method in item:
                yield f"webhook {name} {method}", item[method]


def request_schema(doc: Mapping[str, Any], operation: Mapping[str, Any]) -> dict[str, Any] | None:
    body = operation.get("requestBody")
    if body is None:
        return None
    media = deref(doc, body).get("content", {}).get("application/json")
    return None if media is None else media.get("schema")


class RequestValidators:
    """Each operation's JSON request-body validator, compiled once, looked up by operationId."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self._schemas = {
            op["operationId"]: schema
            for _, op in iter_path_operations(doc)
            if "operationId" in op and (schema := request_schema(doc, op)) is not None
        }
        self._compiled: dict[str, Any] = {}

    @property
    def operation_ids(self) -> set[str]:
        return set(self._schemas)

    def top_level_properties(self, operation_id: str) -> set[str]:
        schema = self._schemas.get(operation_id)
        return set(deref(self.doc, schema).get("properties", {})) if schema is not None else set()

    def validator(self, operation_id: str) -> Any:
        if operation_id not in self._compiled:
            if operation_id not in self._schemas:
                raise KeyError(
                    f"no operation {operation_id!r} with a JSON request body in the spec"
                )
            self._compiled[operation_id] = compile_schema(self.doc, self._schemas[operation_id])
        return self._compiled[operation_id]

    def first_error(self, operation_id: str, body: Mapping[str, Any]) -> str | None:
        """None when `body` validates, else the first validation error's message (shortened)."""
        for error in self.validator(operation_id).iter_errors(dict(body)):
            return shorten(f"{error.message} at /{'/'.join(map(str, error.instance_path))}")
        return None


# Point the suite at other copies of the specs (a draft, a deliberately broken copy) with
# SEGUE_SPEC_DIR=/some/dir; the default is the project's specs/.
SPEC_DIR = Path(os.environ["SEGUE_SPEC_DIR"]) if os.environ.get("SEGUE_SPEC_DIR") else None


@functools.cache
def real_spec(vendor: str) -> tuple[dict[str, Any], RequestValidators]:
    doc = load_spec(spec_path(vendor, SPEC_DIR))
    return doc, RequestValidators(doc)


# --- bodies and verdicts


def shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def describe(body: Mapping[str, Any]) -> str:
    """The body with long strings replaced by their length, for readable failures."""
    return repr(
        {
            k: f"<{len(v)} chars>" if isinstance(v, str) and len(v) > 40 else v
            for k, v in body.items()
        }
    )


def text_of_length(content: str, length: int) -> str:
    """`content` repeated or cut to exactly `length` code points."""
    return (content * (length // len(content) + 1))[:length]


def body_for(mode: Mode, model: str | None, field: str, value: Any) -> dict[str, Any]:
    """The mode's minimal documented body with `model` set (None: omitted) and `field` = `value`."""
    body = dict(mode.body)
    if model is None:
        body.pop("model", None)
    else:
        body["model"] = model
    body[field] = value
    return body


def with_field(mode: Mode, field: str, value: Any) -> dict[str, Any]:
    """The mode's minimal documented body with `field` = `value`."""
    return dict(mode.body) | {field: value}


def verdict(
    validators: RequestValidators,
    mode: Mode,
    body: Mapping[str, Any],
    *,
    valid: bool,
    what: str,
    source: Source,
) -> list[str]:
    """[] when the spec judges `body` as the docs do, else one message saying what and why."""
    error = validators.first_error(mode.operation, body)
    if (error is None) == valid:
        return []
    outcome = f"rejected ({error})" if error else "accepted"
    expected = "valid" if valid else "invalid"
    return [
        f"{mode.label}: {what}: expected {expected}, {outcome}; body {describe(body)}; {source}"
    ]


# --- one row of the table


def limit_failures(validators: RequestValidators, row: LengthLimit, content: str) -> list[str]:
    """`field` at exactly the limit validates; one code point more does not."""
    failures: list[str] = []
    for length, valid in ((row.limit, True), (row.limit + 1, False)):
        body = body_for(row.mode, row.model, row.field, text_of_length(content, length))
        what = f"model {row.model or 'omitted'}, {row.field} of {length} chars (limit {row.limit})"
        failures += verdict(validators, row.mode, body, valid=valid, what=what, source=row.source)
    return failures


def no_limit_failures(validators: RequestValidators, row: NoLimit, content: str) -> list[str]:
    """A limit of another mode does not apply in this one."""
    body = body_for(row.mode, row.model, row.field, text_of_length(content, row.probe_length))
    what = f"model {row.model}, {row.field} of {row.probe_length} chars (no limit in this mode)"
    return verdict(validators, row.mode, body, valid=True, what=what, source=row.source)


def without_required_failures(
    validators: RequestValidators, mode: Mode, removed: Collection[str]
) -> list[str]:
    body = {k: v for k, v in mode.body.items() if k not in removed}
    what = f"without {sorted(removed)}"
    return verdict(validators, mode, body, valid=False, what=what, source=mode.source)


def with_optional_failures(
    validators: RequestValidators, mode: Mode, added: Collection[str]
) -> list[str]:
    body = dict(mode.body) | {k: mode.optional[k] for k in added}
    what = f"minimal body plus optional {sorted(added)}"
    return verdict(validators, mode, body, valid=True, what=what, source=mode.source)


def enum_value_failures(
    validators: RequestValidators, rule: EnumRule, mode: Mode, value: Any, *, valid: bool
) -> list[str]:
    body = with_field(mode, rule.field, value)
    what = f"{rule.field} = {value!r}"
    return verdict(validators, mode, body, valid=valid, what=what, source=rule.source)


def number_failures(
    validators: RequestValidators,
    mode: Mode,
    field: str,
    value: float,
    *,
    valid: bool,
    source: Source,
) -> list[str]:
    body = with_field(mode, field, value)
    return verdict(validators, mode, body, valid=valid, what=f"{field} = {value!r}", source=source)


def callback_url_failures(
    validators: RequestValidators, rule: CallbackUrlRule, mode: Mode, value: str | None
) -> list[str]:
    """`value` None: the field is omitted (invalid exactly when required)."""
    body = {k: v for k, v in mode.body.items() if k != rule.field}
    if value is None:
        what = f"{rule.field} omitted"
        return verdict(
            validators, mode, body, valid=not rule.required, what=what, source=rule.source
        )
    body[rule.field] = value
    what = f"{rule.field} = {value!r} (not a URI)"
    return verdict(validators, mode, body, valid=False, what=what, source=rule.source)


def near_misses(members: Collection[Any]) -> list[Any]:
    """Strings one slip away from a member: case changed, stray whitespace."""
    misses: list[Any] = []
    for member in members:
        if not isinstance(member, str):
            continue
        for miss in (
            member.swapcase(),
            member.upper(),
            member.lower(),
            member.capitalize(),
            member + " ",
            " " + member,
            member + "\n",
        ):
            if miss not in members and miss not in misses:
                misses.append(miss)
    return misses


def is_json_member(value: Any, members: Collection[Any]) -> bool:
    """JSON equality: `true` is not `1`, but `1.0` is `1`."""
    return any(
        isinstance(value, bool) == isinstance(member, bool) and value == member
        for member in members
    )


# --- checks over a whole spec


def rows_of(vendor: str, rows: Collection[Any]) -> list[Any]:
    return [row for row in rows if (getattr(row, "mode", None) or row).vendor == vendor]


def check_operations_covered(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """The table covers every operation with a request body, and each exists in the spec."""
    in_spec = RequestValidators(doc).operation_ids
    in_table = set(table.OPERATIONS[vendor])
    return [
        f"operation {op} has a request body but no rows in the table" for op in in_spec - in_table
    ] + [
        f"operation {op} is in the table but has no JSON request body in the spec"
        for op in in_table - in_spec
    ]


def check_limits(doc: Mapping[str, Any], vendor: str, content: str = FILLER) -> list[str]:
    validators = RequestValidators(doc)
    return [
        f
        for row in rows_of(vendor, table.LENGTH_LIMITS)
        for f in limit_failures(validators, row, content)
    ]


def check_mode_isolation(doc: Mapping[str, Any], vendor: str, content: str = FILLER) -> list[str]:
    """No limit of another mode applies, and a field this mode does not use takes any value."""
    validators = RequestValidators(doc)
    unused = [
        f
        for row in rows_of(vendor, table.UNUSED_VALUES)
        for f in verdict(
            validators,
            row.mode,
            with_field(row.mode, row.field, row.value),
            valid=True,
            what=f"{row.field} = {row.value!r} (not used in this mode)",
            source=row.source,
        )
    ]
    return unused + [
        f
        for row in rows_of(vendor, table.NO_LIMITS)
        for f in no_limit_failures(validators, row, content)
    ]


def check_required(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Each mode's minimal body validates; dropping any one required field invalidates it."""
    validators = RequestValidators(doc)
    failures: list[str] = []
    for mode in rows_of(vendor, table.MODES):
        failures += verdict(
            validators,
            mode,
            mode.body,
            valid=True,
            what="minimal documented body",
            source=mode.source,
        )
        for name in mode.required:
            failures += without_required_failures(validators, mode, {name})
    for case in rows_of(vendor, table.CASES):
        failures += verdict(
            validators, case.mode, case.body, valid=case.valid, what=case.name, source=case.source
        )
    return failures


def check_optional(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Every documented optional field, alone and all together, keeps a minimal body valid."""
    validators = RequestValidators(doc)
    failures: list[str] = []
    for mode in rows_of(vendor, table.MODES):
        failures += with_optional_failures(validators, mode, list(mode.optional))
        for name in mode.optional:
            failures += with_optional_failures(validators, mode, [name])
    return failures


def check_enums(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Members accepted; near misses and other versions' values rejected; `Model` = the table."""
    validators = RequestValidators(doc)
    failures: list[str] = []
    for rule in (r for r in table.ENUM_RULES if r.vendor == vendor):
        if rule.spec_schema is not None:
            declared = deref(doc, {"$ref": f"#/components/schemas/{rule.spec_schema}"}).get("enum")
            if declared is None or set(declared) != set(rule.members):
                failures.append(
                    f"components.schemas.{rule.spec_schema}.enum is {declared}, the docs say "
                    f"{list(rule.members)}; {rule.source}"
                )
        for mode in rule.modes:
            for member in rule.members:
                failures += enum_value_failures(validators, rule, mode, member, valid=True)
            for miss in (*near_misses(rule.members), *rule.rejected):
                failures += enum_value_failures(validators, rule, mode, miss, valid=False)
    return failures


def check_ranges(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Weights in [0, 1] with two decimals (every k/100 accepted); positive numbers above 0."""
    validators = RequestValidators(doc)
    failures: list[str] = []
    every_hundredth = tuple(k / 100 for k in range(101))
    for weight in (r for r in table.WEIGHT_RULES if r.vendor == vendor):
        for mode in weight.modes:
            for name in weight.fields:
                for value in (*table.WEIGHT_ACCEPTED, *every_hundredth):
                    failures += number_failures(
                        validators, mode, name, value, valid=True, source=weight.source
                    )
                for value in table.WEIGHT_REJECTED:
                    failures += number_failures(
                        validators, mode, name, value, valid=False, source=weight.source
                    )
    for positive in rows_of(vendor, table.POSITIVE_RULES):
        for value in table.POSITIVE_ACCEPTED:
            failures += number_failures(
                validators, positive.mode, positive.field, value, valid=True, source=positive.source
            )
        for value in table.POSITIVE_REJECTED:
            failures += number_failures(
                validators,
                positive.mode,
                positive.field,
                value,
                valid=False,
                source=positive.source,
            )
    return failures


def check_callback_urls(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Missing: invalid where required (every KIE create call); not a URI: always invalid."""
    validators = RequestValidators(doc)
    failures: list[str] = []
    for rule in (r for r in table.CALLBACK_URL_RULES if r.vendor == vendor):
        for mode in rule.modes:
            for value in (None, *table.NOT_URIS):
                failures += callback_url_failures(validators, rule, mode, value)
    return failures


def check_request_examples(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Every named request example (operations, callbacks, webhooks) validates."""
    failures: list[str] = []
    count = 0
    for label, operation in iter_all_operations(doc):
        body = operation.get("requestBody")
        if body is None:
            continue
        for media_type, media in deref(doc, body).get("content", {}).items():
            if "schema" not in media:
                continue
            validator = compile_schema(doc, media["schema"])
            for name, example in (media.get("examples") or {}).items():
                count += 1
                value = deref(doc, example).get("value")
                for error in validator.iter_errors(value):
                    failures.append(
                        f"{vendor} {label} {media_type} example {name!r}: {shorten(error.message)} "
                        f"at /{'/'.join(map(str, error.instance_path))}"
                    )
                    break
    if count == 0:
        failures.append(f"{vendor}: no named request examples at all")
    return failures


def _error_examples(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, Any, dict[str, Any]]]:
    """(example name, operationId, raw example, resolved example) for every error example of
    an operation under `paths`: under an HTTP status >= 400, or an envelope whose `code` is
    not 200 (KIE answers errors with HTTP 200)."""
    for label, operation in iter_path_operations(doc):
        op_id = operation.get("operationId", label)
        for status, response in (operation.get("responses") or {}).items():
            http_error = str(status)[:1] in "45"
            for media in (deref(doc, response).get("content") or {}).values():
                for name, raw in (media.get("examples") or {}).items():
                    example = deref(doc, raw)
                    value = example.get("value")
                    code = value.get("code") if isinstance(value, Mapping) else None
                    envelope_error = (
                        isinstance(code, int) and not isinstance(code, bool) and code != 200
                    )
                    if http_error or envelope_error:
                        ref_name = raw.get("$ref", name).rsplit("/", 1)[-1]
                        yield ref_name, op_id, raw, example


def check_error_examples(doc: Mapping[str, Any], vendor: str) -> list[str]:
    """Every error example says when it applies: `x-segue-when` with a known `rule`, or `invalid`
    naming a top-level request property of each operation that answers with it."""
    validators = RequestValidators(doc)
    known_rules = table.X_SEGUE_WHEN_RULES[vendor]
    problems: dict[str, str] = {}
    seen = 0
    for name, op_id, _raw, example in _error_examples(doc):
        seen += 1
        when = example.get("x-segue-when")
        key = f"{vendor} error example {name} (answer of {op_id})"
        if isinstance(when, Mapping) and "invalid" in when and when.get("only-when") == "absent":
            when = {"invalid": when["invalid"]}  # DECISIONS X-9: the answer for absence only
        if not isinstance(when, Mapping) or len(when) != 1 or not set(when) <= {"rule", "invalid"}:
            problems.setdefault(name, f"{key}: x-segue-when missing or malformed: {when!r}")
        elif "rule" in when and when["rule"] not in known_rules:
            problems.setdefault(
                name, f"{key}: unknown rule {when['rule']!r}; known {sorted(known_rules)}"
            )
        elif "invalid" in when and when["invalid"] not in validators.top_level_properties(op_id):
            problems.setdefault(
                f"{name}/{op_id}",
                f"{key}: invalid {when['invalid']!r} is not a top-level request property",
            )
    if seen == 0:
        return [f"{vendor}: no error examples found at all"]
    return list(problems.values())


Check = Callable[[Mapping[str, Any], str], list[str]]
CHECKS: tuple[Check, ...] = (
    check_operations_covered,
    check_limits,
    check_mode_isolation,
    check_required,
    check_optional,
    check_enums,
    check_ranges,
    check_callback_urls,
    check_request_examples,
    check_error_examples,
)


# --- tests on the real specs


def test_table_models_agree_across_operations() -> None:
    """The oracle itself: every KIE limit table lists the same models, as does Udio's."""
    assert set(table.KIE_GENERATE_CUSTOM_LIMITS) == set(table.KIE_MODELS)
    assert set(table.KIE_EXTENSION_CUSTOM_LIMITS) == set(table.KIE_MODELS)
    assert not set(table.KIE_UNSUPPORTED_MODELS) & set(table.KIE_MODELS)
    assert table.UDIO_DEFAULT_MODEL in table.UDIO_MODELS
    assert not set(table.UDIO_UNSUPPORTED_MODELS) & set(table.UDIO_MODELS)


@pytest.mark.parametrize(
    ("vendor", "schema", "models"),
    [
        ("kie", "Model", table.KIE_MODELS),
        ("udio", "Model", table.UDIO_MODELS),
    ],
)
def test_spec_model_enum_equals_the_table(
    vendor: str, schema: str, models: tuple[str, ...]
) -> None:
    doc, _ = real_spec(vendor)
    assert sorted(doc["components"]["schemas"][schema]["enum"]) == sorted(models)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("vendor", table.VENDORS)
def test_spec_passes_check(vendor: str, check: Check) -> None:
    doc, _ = real_spec(vendor)
    failures = check(doc, vendor)
    assert not failures, f"{len(failures)} failure(s):\n" + "\n".join(failures[:20])


# --- Hypothesis at each edge

any_content = st.text(min_size=1, max_size=12)


@pytest.mark.parametrize("row", table.LENGTH_LIMITS, ids=lambda r: r.label)
@quick
@given(content=any_content)
def test_length_limit_is_exact_for_any_text(row: LengthLimit, content: str) -> None:
    _, validators = real_spec(row.mode.vendor)
    assert limit_failures(validators, row, content) == []


@pytest.mark.parametrize("row", table.NO_LIMITS, ids=lambda r: r.label)
@quick
@given(content=any_content)
def test_custom_mode_limit_does_not_leak(row: NoLimit, content: str) -> None:
    _, validators = real_spec(row.mode.vendor)
    assert no_limit_failures(validators, row, content) == []


@pytest.mark.parametrize("mode", table.MODES, ids=lambda m: f"{m.vendor}-{m.label}")
@quick
@given(data=st.data())
def test_dropping_required_fields_invalidates(mode: Mode, data: st.DataObject) -> None:
    removed = data.draw(st.sets(st.sampled_from(mode.required), min_size=1), label="removed")
    _, validators = real_spec(mode.vendor)
    assert without_required_failures(validators, mode, removed) == []


@pytest.mark.parametrize("mode", table.MODES, ids=lambda m: f"{m.vendor}-{m.label}")
@quick
@given(data=st.data())
def test_optional_fields_keep_the_body_valid(mode: Mode, data: st.DataObject) -> None:
    added = data.draw(st.sets(st.sampled_from(list(mode.optional))), label="added")
    _, validators = real_spec(mode.vendor)
    assert with_optional_failures(validators, mode, added) == []


@pytest.mark.parametrize("case", table.CASES, ids=lambda c: f"{c.mode.label}-{c.name}")
def test_documented_case(case: Case) -> None:
    _, validators = real_spec(case.mode.vendor)
    assert (
        verdict(
            validators, case.mode, case.body, valid=case.valid, what=case.name, source=case.source
        )
        == []
    )


def _not_a_member(rule: EnumRule) -> st.SearchStrategy[Any]:
    if all(isinstance(m, str) for m in rule.members):
        candidates = st.one_of(
            st.sampled_from(near_misses(rule.members) + list(rule.rejected)), st.text(max_size=20)
        )
    else:
        candidates = st.one_of(
            st.sampled_from(list(rule.rejected)),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
            st.text(max_size=4),
            st.booleans(),
            st.none(),
        )
    return candidates.filter(lambda value: not is_json_member(value, rule.members))


@pytest.mark.parametrize("rule", table.ENUM_RULES, ids=lambda r: r.label)
@thorough
@given(data=st.data())
def test_enum_rejects_every_other_value(rule: EnumRule, data: st.DataObject) -> None:
    mode = data.draw(st.sampled_from(rule.modes), label="mode")
    value = data.draw(_not_a_member(rule), label="value")
    _, validators = real_spec(rule.vendor)
    assert enum_value_failures(validators, rule, mode, value, valid=False) == []


@pytest.mark.parametrize("rule", table.WEIGHT_RULES, ids=lambda r: r.vendor)
@thorough
@given(data=st.data(), k=st.integers(0, 100))
def test_weight_with_two_decimals_is_accepted(
    rule: WeightRule, data: st.DataObject, k: int
) -> None:
    mode = data.draw(st.sampled_from(rule.modes), label="mode")
    name = data.draw(st.sampled_from(rule.fields), label="field")
    _, validators = real_spec(rule.vendor)
    assert number_failures(validators, mode, name, k / 100, valid=True, source=rule.source) == []


@pytest.mark.parametrize("rule", table.WEIGHT_RULES, ids=lambda r: r.vendor)
@thorough
@given(data=st.data(), k=st.integers(-2000, 2000).filter(lambda k: k % 10 != 0))
def test_weight_with_three_decimals_is_rejected(
    rule: WeightRule, data: st.DataObject, k: int
) -> None:
    mode = data.draw(st.sampled_from(rule.modes), label="mode")
    name = data.draw(st.sampled_from(rule.fields), label="field")
    _, validators = real_spec(rule.vendor)
    assert number_failures(validators, mode, name, k / 1000, valid=False, source=rule.source) == []


@pytest.mark.parametrize("rule", table.WEIGHT_RULES, ids=lambda r: r.vendor)
@thorough
@given(
    data=st.data(),
    value=st.one_of(
        st.floats(max_value=0, exclude_max=True, allow_infinity=False, allow_nan=False),
        st.floats(min_value=1, exclude_min=True, allow_infinity=False, allow_nan=False),
    ),
)
def test_weight_outside_zero_to_one_is_rejected(
    rule: WeightRule, data: st.DataObject, value: float
) -> None:
    mode = data.draw(st.sampled_from(rule.modes), label="mode")
    name = data.draw(st.sampled_from(rule.fields), label="field")
    _, validators = real_spec(rule.vendor)
    assert number_failures(validators, mode, name, value, valid=False, source=rule.source) == []


@pytest.mark.parametrize("rule", table.POSITIVE_RULES, ids=lambda r: r.label)
@thorough
@given(value=st.floats(min_value=0, exclude_min=True, max_value=1e9, allow_subnormal=True))
def test_any_positive_start_is_accepted(rule: PositiveRule, value: float) -> None:
    _, validators = real_spec(rule.mode.vendor)
    assert (
        number_failures(validators, rule.mode, rule.field, value, valid=True, source=rule.source)
        == []
    )


@pytest.mark.parametrize("rule", table.POSITIVE_RULES, ids=lambda r: r.label)
@thorough
@given(value=st.floats(max_value=0, allow_nan=False, allow_infinity=False))
def test_zero_or_negative_start_is_rejected(rule: PositiveRule, value: float) -> None:
    _, validators = real_spec(rule.mode.vendor)
    assert (
        number_failures(validators, rule.mode, rule.field, value, valid=False, source=rule.source)
        == []
    )


@pytest.mark.parametrize("rule", table.CALLBACK_URL_RULES, ids=lambda r: r.vendor)
@thorough
@given(data=st.data(), text=st.text(max_size=40).filter(lambda s: ":" not in s))
def test_callback_url_without_scheme_is_rejected(
    rule: CallbackUrlRule, data: st.DataObject, text: str
) -> None:
    """An absolute URI needs `scheme:`; text without a colon can never be one."""
    mode = data.draw(st.sampled_from(rule.modes), label="mode")
    _, validators = real_spec(rule.vendor)
    assert callback_url_failures(validators, rule, mode, text) == []


@pytest.mark.parametrize("mode", table.KIE_MODES, ids=lambda m: m.label)
def test_kie_create_call_without_callback_url_is_invalid(mode: Mode) -> None:
    _, validators = real_spec("kie")
    rule = table.CALLBACK_URL_RULES[0]
    assert rule.vendor == "kie" and rule.required
    assert callback_url_failures(validators, rule, mode, None) == []


# --- one test per documented edge (readable reports; the Hypothesis tests roam around them)


def _mode_id(mode: Mode) -> str:
    return f"{mode.vendor}-{mode.label}"


@pytest.mark.parametrize("mode", table.MODES, ids=_mode_id)
def test_minimal_documented_body_is_valid(mode: Mode) -> None:
    """E.g. extend inherit mode with only defaultParamFlag, audioId, model and callBackUrl."""
    _, validators = real_spec(mode.vendor)
    what = "minimal documented body"
    assert verdict(validators, mode, mode.body, valid=True, what=what, source=mode.source) == []


@pytest.mark.parametrize(
    ("mode", "field"),
    [pytest.param(m, f, id=f"{_mode_id(m)}-{f}") for m in table.MODES for f in m.required],
)
def test_mode_without_required_field_is_invalid(mode: Mode, field: str) -> None:
    _, validators = real_spec(mode.vendor)
    assert without_required_failures(validators, mode, {field}) == []


def _edges(accepted: Collection[Any], rejected: Collection[Any]) -> list[tuple[Any, bool]]:
    return [(value, True) for value in accepted] + [(value, False) for value in rejected]


@pytest.mark.parametrize(
    ("rule", "value", "valid"),
    [
        pytest.param(rule, value, valid, id=f"{rule.label}-{value!r}-{'ok' if valid else 'no'}")
        for rule in table.ENUM_RULES
        for value, valid in _edges(rule.members, (*near_misses(rule.members), *rule.rejected))
    ],
)
def test_enum_edge(rule: EnumRule, value: Any, valid: bool) -> None:
    """Every member accepted, in every mode; case slips, stray spaces, other versions rejected."""
    _, validators = real_spec(rule.vendor)
    failures = [
        f
        for mode in rule.modes
        for f in enum_value_failures(validators, rule, mode, value, valid=valid)
    ]
    assert failures == []


@pytest.mark.parametrize(
    ("rule", "value", "valid"),
    [
        pytest.param(rule, value, valid, id=f"{rule.vendor}-{value!r}-{'ok' if valid else 'no'}")
        for rule in table.WEIGHT_RULES
        for value, valid in _edges(table.WEIGHT_ACCEPTED, table.WEIGHT_REJECTED)
    ],
)
def test_weight_edge(rule: WeightRule, value: float, valid: bool) -> None:
    _, validators = real_spec(rule.vendor)
    failures = [
        f
        for mode in rule.modes
        for name in rule.fields
        for f in number_failures(validators, mode, name, value, valid=valid, source=rule.source)
    ]
    assert failures == []


@pytest.mark.parametrize(
    ("rule", "value", "valid"),
    [
        pytest.param(rule, value, valid, id=f"{rule.label}-{value!r}-{'ok' if valid else 'no'}")
        for rule in table.POSITIVE_RULES
        for value, valid in _edges(table.POSITIVE_ACCEPTED, table.POSITIVE_REJECTED)
    ],
)
def test_positive_edge(rule: PositiveRule, value: float, valid: bool) -> None:
    """continueAt (and Udio's extensionStartTime): 0 rejected, the tiniest positive accepted."""
    _, validators = real_spec(rule.mode.vendor)
    failures = number_failures(
        validators, rule.mode, rule.field, value, valid=valid, source=rule.source
    )
    assert failures == []


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        pytest.param(rule, value, id=f"{rule.vendor}-{value!r}")
        for rule in table.CALLBACK_URL_RULES
        for value in table.NOT_URIS
    ],
)
def test_callback_url_that_is_not_a_uri_is_rejected(rule: CallbackUrlRule, value: str) -> None:
    _, validators = real_spec(rule.vendor)
    failures = [
        f for mode in rule.modes for f in callback_url_failures(validators, rule, mode, value)
    ]
    assert failures == []


# --- the checks can fail

# Each mutation breaks one documented rule in a copy of a spec, the way a careless edit would;
# the named check must then report it (mentioning `expect`). A mutation whose target is gone
# (the spec was restructured) raises MutationTargetMissing: update the mutation, don't drop it.


class MutationTargetMissingError(LookupError):
    pass


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from walk(child)


def model_branches(schema: Any, model: str) -> list[dict[str, Any]]:
    """The `then` of every `if` in `schema` that selects `model` (by const or enum)."""
    found = []
    for node in walk(schema):
        condition = node.get("if", {}).get("properties", {}).get("model", {})
        if model == condition.get("const") or model in condition.get("enum", ()):
            found.append(node["then"])
    if not found:
        raise MutationTargetMissingError(f"no if/then branch for model {model}")
    return found


def set_in_branches(schema: Any, model: str, field: str, **keywords: Any) -> None:
    for branch in model_branches(schema, model):
        branch.setdefault("properties", {}).setdefault(field, {}).update(keywords)


def custom_mode_then(schema: dict[str, Any], selector: str) -> dict[str, Any]:
    """The `then` of the `if` that selects custom mode by `selector: true`."""
    for node in walk(schema):
        condition = node.get("if", {}).get("properties", {}).get(selector, {})
        if condition.get("const") is True:
            return node
    raise MutationTargetMissingError(f"no if {selector}: true in schema")


def drop_from_required(node: dict[str, Any], name: str) -> None:
    if name not in node.get("required", []):
        raise MutationTargetMissingError(f"{name} not in required {node.get('required')}")
    node["required"] = [n for n in node["required"] if n != name]


def _weaken_v4_5all_extension_title(doc: dict[str, Any]) -> None:
    set_in_branches(schemas(doc)["ExtensionCustomModeLimits"], "V4_5ALL", "title", maxLength=100)


def _tighten_v4_extension_prompt(doc: dict[str, Any]) -> None:
    set_in_branches(schemas(doc)["ExtensionCustomModeLimits"], "V4", "prompt", maxLength=2999)


def _simple_prompt_501(doc: dict[str, Any]) -> None:
    simple = custom_mode_then(schemas(doc)["GenerateMusicRequest"], "customMode")["else"]
    simple["properties"]["prompt"]["maxLength"] = 501


def _generate_title_unlimited(doc: dict[str, Any]) -> None:
    """Drop every `title` maxLength of generate, wherever the spec keeps it."""
    dropped = 0
    for name in ("GenerateMusicRequest", "GenerateCustomModeLimits"):
        for node in walk(schemas(doc).get(name, {})):
            title = node.get("properties", {}).get("title", {})
            dropped += title.pop("maxLength", None) is not None
    if not dropped:
        raise MutationTargetMissingError("no maxLength on generate's title")


def _limits_leak_into_inherit(doc: dict[str, Any]) -> None:
    schemas(doc)["ExtendMusicRequest"].setdefault("allOf", []).append(
        {"$ref": "#/components/schemas/ExtensionCustomModeLimits"}
    )


def _extend_custom_without_continue_at(doc: dict[str, Any]) -> None:
    drop_from_required(
        custom_mode_then(schemas(doc)["ExtendMusicRequest"], "defaultParamFlag")["then"],
        "continueAt",
    )


def _extend_inherit_requires_prompt(doc: dict[str, Any]) -> None:
    schemas(doc)["ExtendMusicRequest"]["required"].append("prompt")


def _upload_inherit_without_prompt(doc: dict[str, Any]) -> None:
    del custom_mode_then(schemas(doc)["UploadAndExtendAudioRequest"], "defaultParamFlag")["else"]


def _model_enum_gains_v3_5(doc: dict[str, Any]) -> None:
    schemas(doc)["Model"]["enum"].append("V3_5")


def _vocal_gender_accepts_upper_case(doc: dict[str, Any]) -> None:
    schemas(doc)["VocalGender"]["enum"].append("M")


def _continue_at_allows_zero(doc: dict[str, Any]) -> None:
    for name in ("ExtendMusicRequest", "UploadAndExtendAudioRequest"):
        prop = custom_mode_then(schemas(doc)[name], "defaultParamFlag")["then"]["properties"]
        del prop["continueAt"]["exclusiveMinimum"]
        prop["continueAt"]["minimum"] = 0


def _continue_at_positive_in_every_mode(doc: dict[str, Any]) -> None:
    """The custom-mode rule `0 < continueAt` moved to the base property: inherit mode too."""
    for name in ("ExtendMusicRequest", "UploadAndExtendAudioRequest"):
        schemas(doc)[name]["properties"]["continueAt"]["exclusiveMinimum"] = 0


def _weight_three_decimals(doc: dict[str, Any]) -> None:
    schemas(doc)["Weight"]["multipleOf"] = 0.001


def _weight_no_maximum(doc: dict[str, Any]) -> None:
    del schemas(doc)["Weight"]["maximum"]


def _callback_url_any_string(doc: dict[str, Any]) -> None:
    del schemas(doc)["CallbackUrl"]["format"]


def _upload_callback_url_optional(doc: dict[str, Any]) -> None:
    drop_from_required(schemas(doc)["UploadAndExtendAudioRequest"], "callBackUrl")


def _example_breaks_schema(doc: dict[str, Any]) -> None:
    doc["components"]["examples"]["ExtendCustom"]["value"]["continueAt"] = 0


def _error_example_without_when(doc: dict[str, Any]) -> None:
    del doc["components"]["examples"]["ModelMismatch"]["x-segue-when"]


def _error_example_unknown_rule(doc: dict[str, Any]) -> None:
    doc["components"]["examples"]["AudioNotFound"]["x-segue-when"] = {"rule": "audio-missing"}


def _udio_v4_0_prompt_5000(doc: dict[str, Any]) -> None:
    set_in_branches(
        schemas(doc)["GenerateCustomModeLimits"], "chirp-v4-0", "prompt", maxLength=5000
    )


def _udio_default_model_unlimited(doc: dict[str, Any]) -> None:
    """The chirp-v3-5 branch applies only when `model` is sent: an omitted model escapes it."""
    for node in walk(schemas(doc)["GenerateSongRequest"]):
        if node.get("if", {}).get("properties", {}).get("model", {}).get("const") == "chirp-v3-5":
            node["if"]["required"] = ["model"]
            return
    raise MutationTargetMissingError("no chirp-v3-5 branch")


def _udio_style_limited_in_inspiration_mode(doc: dict[str, Any]) -> None:
    """The custom-mode style limit moved back to the base property: inspiration mode too."""
    schemas(doc)["GenerateSongRequest"]["properties"]["style"]["maxLength"] = 1000


def _udio_both_modes_allowed(doc: dict[str, Any]) -> None:
    """The mode `oneOf` becomes `anyOf`: both mode fields at once would pass."""
    for node in walk(schemas(doc)["GenerateSongRequest"]):
        alternatives = node.get("oneOf", [])
        if any("gpt_description_prompt" in alt.get("required", []) for alt in alternatives):
            node["anyOf"] = node.pop("oneOf")
            return
    raise MutationTargetMissingError("no oneOf selecting the generate mode")


def _udio_custom_extend_without_prompt(doc: dict[str, Any]) -> None:
    drop_from_required(
        custom_mode_then(schemas(doc)["ExtendSongRequest"], "custom_mode")["then"], "prompt"
    )


def _udio_index_accepts_2(doc: dict[str, Any]) -> None:
    schemas(doc)["ExtendSongRequest"]["properties"]["extend_audio_index"]["enum"].append(2)


def _udio_index_optional(doc: dict[str, Any]) -> None:
    drop_from_required(schemas(doc)["ExtendSongRequest"], "extend_audio_index")


def _udio_model_enum_gains_dotted(doc: dict[str, Any]) -> None:
    schemas(doc)["Model"]["enum"].append("chirp-v3.5")


def _udio_weight_minimum_negative(doc: dict[str, Any]) -> None:
    schemas(doc)["WeightBetweenZeroAndOne"]["minimum"] = -1


def _udio_callback_url_any_string(doc: dict[str, Any]) -> None:
    del schemas(doc)["ExtendSongRequest"]["properties"]["callback_url"]["format"]


# (id, vendor, mutation, check, a string the check's report must contain)
MUTATIONS: tuple[tuple[str, str, Callable[[dict[str, Any]], None], Check, str], ...] = (
    (
        "kie-V4_5ALL-extension-title-80-to-100",
        "kie",
        _weaken_v4_5all_extension_title,
        check_limits,
        "V4_5ALL, title of 81",
    ),
    (
        "kie-V4-extension-prompt-3000-to-2999",
        "kie",
        _tighten_v4_extension_prompt,
        check_limits,
        "V4, prompt of 3000",
    ),
    ("kie-simple-prompt-500-to-501", "kie", _simple_prompt_501, check_limits, "prompt of 501"),
    ("kie-generate-title-unlimited", "kie", _generate_title_unlimited, check_limits, "title of 81"),
    (
        "kie-limits-leak-into-inherit",
        "kie",
        _limits_leak_into_inherit,
        check_mode_isolation,
        "extendMusic[inherit]",
    ),
    (
        "kie-extend-custom-continueAt-optional",
        "kie",
        _extend_custom_without_continue_at,
        check_required,
        "without ['continueAt']",
    ),
    (
        "kie-extend-inherit-requires-prompt",
        "kie",
        _extend_inherit_requires_prompt,
        check_required,
        "extendMusic[inherit]: minimal documented body",
    ),
    (
        "kie-upload-inherit-prompt-optional",
        "kie",
        _upload_inherit_without_prompt,
        check_required,
        "uploadAndExtendAudio[inherit]: without ['prompt']",
    ),
    ("kie-model-enum-gains-V3_5", "kie", _model_enum_gains_v3_5, check_enums, "'V3_5'"),
    (
        "kie-vocalGender-accepts-M",
        "kie",
        _vocal_gender_accepts_upper_case,
        check_enums,
        "vocalGender = 'M'",
    ),
    ("kie-continueAt-allows-0", "kie", _continue_at_allows_zero, check_ranges, "continueAt = 0"),
    (
        "kie-continueAt-positive-in-inherit-mode",
        "kie",
        _continue_at_positive_in_every_mode,
        check_mode_isolation,
        "extendMusic[inherit]: continueAt = 0 (not used in this mode)",
    ),
    ("kie-weight-step-0.001", "kie", _weight_three_decimals, check_ranges, "= 0.655"),
    ("kie-weight-no-maximum", "kie", _weight_no_maximum, check_ranges, "= 1.01"),
    (
        "kie-callBackUrl-any-string",
        "kie",
        _callback_url_any_string,
        check_callback_urls,
        "(not a URI)",
    ),
    (
        "kie-upload-callBackUrl-optional",
        "kie",
        _upload_callback_url_optional,
        check_callback_urls,
        "uploadAndExtendAudio[custom-vocal]: callBackUrl omitted",
    ),
    (
        "kie-example-continueAt-0",
        "kie",
        _example_breaks_schema,
        check_request_examples,
        "example 'custom'",
    ),
    (
        "kie-error-example-without-when",
        "kie",
        _error_example_without_when,
        check_error_examples,
        "ModelMismatch",
    ),
    (
        "kie-error-example-unknown-rule",
        "kie",
        _error_example_unknown_rule,
        check_error_examples,
        "audio-missing",
    ),
    (
        "udio-v4-0-prompt-3000-to-5000",
        "udio",
        _udio_v4_0_prompt_5000,
        check_limits,
        "chirp-v4-0, prompt of 3001",
    ),
    (
        "udio-default-model-unlimited",
        "udio",
        _udio_default_model_unlimited,
        check_limits,
        "model omitted, gpt_description_prompt of 401",
    ),
    (
        "udio-both-modes-allowed",
        "udio",
        _udio_both_modes_allowed,
        check_required,
        "both modes at once",
    ),
    (
        "udio-custom-extend-prompt-optional",
        "udio",
        _udio_custom_extend_without_prompt,
        check_required,
        "without ['prompt']",
    ),
    ("udio-index-accepts-2", "udio", _udio_index_accepts_2, check_enums, "extend_audio_index = 2"),
    (
        "udio-style-limited-in-inspiration-mode",
        "udio",
        _udio_style_limited_in_inspiration_mode,
        check_mode_isolation,
        "generateSong[inspiration]: model chirp-v3-5, style of 1001 chars",
    ),
    (
        "udio-index-optional",
        "udio",
        _udio_index_optional,
        check_required,
        "without ['extend_audio_index']",
    ),
    (
        "udio-model-enum-gains-chirp-v3.5",
        "udio",
        _udio_model_enum_gains_dotted,
        check_enums,
        "chirp-v3.5",
    ),
    (
        "udio-weight-minimum-negative",
        "udio",
        _udio_weight_minimum_negative,
        check_ranges,
        "= -0.01",
    ),
    (
        "udio-extend-callback_url-any-string",
        "udio",
        _udio_callback_url_any_string,
        check_callback_urls,
        "extendSong[inherit]: callback_url = 'not a url'",
    ),
)


@pytest.mark.parametrize(
    ("vendor", "mutate", "check", "expect"),
    [pytest.param(*m[1:], id=m[0]) for m in MUTATIONS],
)
def test_check_catches_mutated_spec(
    tmp_path: Path, vendor: str, mutate: Callable[[dict[str, Any]], None], check: Check, expect: str
) -> None:
    original, _ = real_spec(vendor)
    mutated = copy.deepcopy(original)
    mutate(mutated)
    path = spec_path(vendor, tmp_path)
    path.write_text(
        yaml.dump(mutated, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    # Only what the mutation added counts: a defect already in the spec is reported by
    # test_spec_passes_check, and must not make this test pass (or fail) on its own.
    new_failures = sorted(set(check(load_spec(path), vendor)) - set(check(original, vendor)))
    assert new_failures, f"{check.__name__} did not notice the mutation"
    assert any(expect in failure for failure in new_failures), (
        f"{check.__name__} reported something else than the mutation:\n"
        + "\n".join(new_failures[:5])
    )


def test_limit_checks_count_code_points_not_bytes() -> None:
    """The filler mixes 1- to 4-byte characters, so a byte-counting maxLength would be caught."""
    assert len(FILLER.encode("utf-8")) > len(FILLER) * 2
    assert len(FILLER.encode("utf-16-le")) // 2 > len(FILLER)
    assert len(text_of_length(FILLER, 5001)) == 5001
