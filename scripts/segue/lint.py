"""`segue lint`: check that the specs are sound before anything is generated from them.

Each finding is printed as `FILE: /json/pointer: message` (`/` is the document root), sorted;
the exit code is 1 when there is any, else 0 with `OK: N files, M examples validated`.

The checks, and the rules chosen where OpenAPI itself is silent:

1. **Valid OpenAPI 3.1** (openapi-spec-validator's 3.1 validator, structural then semantic).
   The file must parse as YAML with string keys and no duplicate keys.
2. **Examples match their schemas** (jsonschema-rs, Draft 2020-12, format checks off because
   vendor examples carry non-RFC 3339 times): media-type `example`/`examples` (through
   `$ref`s to `components/examples`), parameter and header examples, and the `examples`
   (and deprecated `example`) keyword of every schema - callbacks and webhooks included.
3. **Operations are complete** (operations under `paths`): an `operationId`; a request body
   (when there is one) with an example on a media type; at least one 2XX response; every
   response that has `content` carries an example, and a 2XX one a *success* example (one
   without `x-segue-when`); and an error documented: a `4XX`/`5XX`/`default` response, or,
   for APIs that answer errors with HTTP 200 (KIE), a named example carrying `x-segue-when`
   in a 2XX response.
4. **Callbacks have a payload schema**: every callback operation (under `callbacks`) and
   every `webhooks` operation has a request body, each of whose media types has a `schema`.
5. **Conditionals name real properties**: for every object schema with properties (its own
   `properties`, plus those of its `allOf` entries and `$ref`, followed), every name in a
   `required` list, a `properties` key or a `dependentRequired`/`dependentSchemas` key or
   value inside its `allOf`/`anyOf`/`oneOf`/`not`/`if`/`then`/`else`/`dependentSchemas`
   subtree (local `$ref`s followed, the sub-schemas of single properties not entered) must
   be one of those properties.
6. **Every `$ref` resolves** (anywhere outside example data), without a `$ref`-only cycle.
7. **Error examples say when they apply**: each example of a 4XX/5XX/`default` response is a
   named example carrying `x-segue-when`, and every `x-segue-when` is `{rule: <kebab-case
   id>}` or `{invalid: <property>}` (optionally with `only-when: absent`: the answer for a
   missing property, not for a present but invalid one), the property being a top-level
   property of the request body of the operation whose response uses the example.
8. **`x-segue-delivery`**, when present, is well-formed and covers a documented response of
   every callback operation (`segue.delivery.lint_problems`).
9. **The mock's answers are documented** (`segue.lint_mock`): every situation the mock can
   answer an operation with (`segue.mock.models.SITUATIONS_BY_OPERATION`) is an `x-segue-when`
   example of that operation's responses.

Why the walking is hand-written: see `segue.speclib`. Validation itself is left to
openapi-spec-validator and jsonschema-rs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema_rs
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV31SpecValidator

from segue import delivery, speclib
from segue.lint_extensions import check_extensions
from segue.lint_mock import check_mock_situations
from segue.paths import VENDORS, spec_path
from segue.speclib import Operation, join_pointer

Problem = tuple[str, str]  # (JSON pointer, message) inside one document

_MESSAGE_LIMIT = 300
_RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_CONDITIONAL_ONE = ("not", "if", "then", "else")
_CONDITIONAL_LIST = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, order=True)
class Finding:
    """One defect: the file, the JSON pointer where it is written, and what is wrong."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.message}"


@dataclass
class LintResult:
    """The problems found in one document and how many example validations were run."""

    problems: list[Problem]
    examples_validated: int


def lint_command(files: list[Path] | None) -> int:
    """Lint `files` (default: every vendor's spec), print the findings; return the exit code."""
    paths = files or [spec_path(vendor) for vendor in VENDORS]
    findings: list[Finding] = []
    examples = 0
    for path in paths:
        result = lint_file(path)
        findings += [
            Finding(_display(path), pointer, message) for pointer, message in result.problems
        ]
        examples += result.examples_validated
    unique = sorted(set(findings))
    for finding in unique:
        print(finding)
    if unique:
        plural = "" if len(unique) == 1 else "s"
        print(f"FAILED: {len(unique)} finding{plural} in {len(paths)} files")
        return 1
    print(f"OK: {len(paths)} files, {examples} examples validated")
    return 0


def lint_file(path: Path) -> LintResult:
    """Load and lint one spec file; a file that cannot be loaded is one problem at `/`."""
    try:
        document = speclib.load_spec(path)
    except speclib.SpecLoadError as error:
        return LintResult([("", str(error))], 0)
    return lint_document(document)


def lint_document(document: dict[str, Any]) -> LintResult:
    """Run every check on a loaded document."""
    dangling = check_refs(document)
    openapi = check_openapi(document, refs_are_broken=bool(dangling))
    explained = bool(dangling or openapi)
    problems = dangling + openapi
    quiet_examples = partial(check_examples, report_compile_errors=not explained)
    examples, crash = _guarded(quiet_examples, document, explained)
    example_problems, validated = examples or ([], 0)
    problems += example_problems + crash
    for check in (
        check_operations,
        check_callbacks,
        check_conditionals,
        check_error_examples,
        check_extensions,
        delivery.lint_problems,
        check_mock_situations,
    ):
        found, crash = _guarded(check, document, explained)
        problems += (found or []) + crash
    return LintResult(sorted(set(problems)), validated)


def _guarded(
    check: Callable[[dict[str, Any]], Any], document: dict[str, Any], explained: bool
) -> tuple[Any, list[Problem]]:
    """Run a check; (its result or None, problems describing a crash).

    A check may trip over a document of the wrong shape, which the OpenAPI or `$ref` findings
    already explain (`explained`). Otherwise the crash is our bug: it becomes a finding, so
    the user still gets an exit code and a line, never a traceback.
    """
    try:
        return check(document), []
    except Exception as error:
        if explained:
            return None, []
        name = getattr(check, "func", check).__name__  # a functools.partial names its func
        return None, [("", f"internal error in {name}: {type(error).__name__}: {error}")]


def _display(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _short(message: str) -> str:
    """The first line of a library's message, capped (some repeat the whole instance)."""
    line = message.strip().splitlines()[0] if message.strip() else message
    return line if len(line) <= _MESSAGE_LIMIT else line[: _MESSAGE_LIMIT - 1] + "…"


# --------------------------------------------------------------------------- 1. OpenAPI 3.1


def _located(validator_class: type, suffix: tuple[str, ...] = ()) -> type:
    """A keyword validator of openapi-spec-validator that tags its errors with where it ran.

    Its semantic errors (schema meta-check, duplicate operationId, unresolved path parameter,
    invalid `default`) carry no document path; the keyword validator's `SchemaPath` argument
    has it, so the innermost validator records it on the error.
    """

    class Located(validator_class):
        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((arg for arg in args if isinstance(arg, SchemaPath)), None)
            for error in super().__call__(*args, **kwargs):
                if where is not None and not hasattr(error, "segue_where"):
                    error.segue_where = (*where.parts, *suffix)
                yield error

    return Located


class _LocatingV31Validator(OpenAPIV31SpecValidator):
    keyword_validators = {  # noqa: RUF012 - the library's own class attribute, overridden
        name: _located(cls, ("default",) if name == "default" else ())
        for name, cls in OpenAPIV31SpecValidator.keyword_validators.items()
    }


def check_openapi(document: dict[str, Any], refs_are_broken: bool = False) -> list[Problem]:
    """Validate against the OpenAPI 3.1 schema, then (if that passed) the library's semantic checks.

    The semantic pass walks through `$ref`s and stops with an exception on a dangling one; that
    is reported by `check_refs`, so the exception is only reported when the refs are sound.
    """
    validator = _LocatingV31Validator(document)
    structural = [
        (join_pointer("", *error.absolute_path), _short(error.message))
        for error in validator.schema_validator.iter_errors(document)
    ]
    if structural:
        return structural
    problems = []
    try:
        for error in validator.root_validator(validator.schema_path):
            where = [*getattr(error, "segue_where", ()), *error.path]
            problems.append((_locate(document, where), _short(error.message)))
    except Exception as error:  # the library raises on dangling refs and odd shapes
        if not refs_are_broken:
            problems.append(
                (
                    "",
                    f"openapi-spec-validator stopped: {type(error).__name__}: {_short(str(error))}",
                )
            )
    return problems


def _locate(document: Any, tokens: list[Any]) -> str:
    try:
        return speclib.locate(document, tokens)
    except (LookupError, ValueError, TypeError):
        return join_pointer("", *tokens)


# --------------------------------------------------------------------------- 2. examples


class _SchemaValidators:
    """Compiled Draft 2020-12 validators, one per schema pointer, with the document's refs in reach.

    The validated schema is `{"$ref": "#<pointer>", **document}`: the document is the root
    resource, so every local `$ref` in the schema resolves as it does in the spec.
    """

    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.cache: dict[str, jsonschema_rs.Validator | Problem | None] = {}

    def get(self, schema_pointer: str) -> jsonschema_rs.Validator | Problem | None:
        """The validator; else the problem that stops the schema compiling, or None for a
        dangling `$ref` (which `check_refs` reports)."""
        if schema_pointer not in self.cache:
            root = {**self.document, "$ref": "#" + quote(schema_pointer, safe="/~")}
            try:
                compiled: Any = jsonschema_rs.Draft202012Validator(root, validate_formats=False)
            except jsonschema_rs.ValidationError as error:
                compiled = None
                if error.kind.name not in ("$ref", "Referencing"):
                    where = join_pointer("", *error.schema_path)
                    compiled = (where, f"schema does not compile: {_short(error.message)}")
            except jsonschema_rs.ReferencingError:
                compiled = None
            self.cache[schema_pointer] = compiled
        return self.cache[schema_pointer]


def check_examples(
    document: dict[str, Any], report_compile_errors: bool = True
) -> tuple[list[Problem], int]:
    """Validate every example against its schema; return the problems and the number validated.

    A schema that jsonschema-rs cannot compile (e.g. a `pattern` that is no regex) is a problem
    unless `report_compile_errors` is off (when the OpenAPI check already explains it).
    """
    validators = _SchemaValidators(document)
    problems: list[Problem] = []
    validated = 0
    for pointer, source, value, schema_pointer in _example_sites(document):
        validator = validators.get(schema_pointer)
        if not isinstance(validator, jsonschema_rs.Validator):
            if validator is not None and report_compile_errors:
                problems.append(validator)
            continue
        validated += 1
        via = f" ({source})" if not source.startswith(pointer) else ""
        for error in validator.iter_errors(value):
            at = join_pointer("", *error.instance_path) or "/"
            problems.append(
                (
                    pointer,
                    f"example{via} does not match its schema {schema_pointer}: "
                    f"at {at}: {_short(error.message)}",
                )
            )
    return problems, validated


def _example_sites(document: dict[str, Any]) -> Iterator[tuple[str, str, Any, str]]:
    """Every (pointer where used, pointer where written, value, pointer of the schema to match)."""
    for slot in speclib.iter_slots(document):
        if "schema" in slot.node:
            schema_pointer = join_pointer(slot.pointer, "schema")
            for example in speclib.iter_examples(document, slot.node, slot.pointer):
                yield example.pointer, example.source, example.value, schema_pointer
    for schema_pointer, schema in speclib.iter_schemas(document):
        if not isinstance(schema, Mapping):
            continue
        if isinstance(schema.get("examples"), list):
            for index, value in enumerate(schema["examples"]):
                pointer = join_pointer(schema_pointer, "examples", index)
                yield pointer, pointer, value, schema_pointer
        if "example" in schema:
            pointer = join_pointer(schema_pointer, "example")
            yield pointer, pointer, schema["example"], schema_pointer


# --------------------------------------------------------------------------- 3. operations


def _is_success(status: str) -> bool:
    return status.startswith("2")


def _is_error(status: str) -> bool:
    return status[:1] in ("4", "5") or status == "default"


def _examples_of(document: Any, holder: dict[str, Any], pointer: str) -> list[speclib.Example]:
    return [
        example
        for _, media, media_pointer in speclib.media_types(holder, pointer)
        for example in speclib.iter_examples(document, media, media_pointer)
    ]


def _has_example_entries(holder: dict[str, Any], pointer: str) -> bool:
    """Whether a media type declares an example at all (even one whose `$ref` dangles)."""
    return any(
        "example" in media or bool(media.get("examples"))
        for _, media, _ in speclib.media_types(holder, pointer)
    )


def check_operations(document: dict[str, Any]) -> list[Problem]:
    """Rule 3 (see the module docstring) for every operation under `paths`."""
    problems: list[Problem] = []
    for operation in speclib.iter_operations(document):
        if operation.kind == "path":
            problems += _operation_problems(document, operation)
    return problems


def _operation_problems(document: dict[str, Any], operation: Operation) -> list[Problem]:
    problems: list[Problem] = []
    operation_id = operation.node.get("operationId")
    if not isinstance(operation_id, str) or not operation_id:
        problems.append((operation.pointer, "operation has no operationId"))
    body = speclib.request_body(document, operation)
    if body is not None and not _has_example_entries(*body):
        problems.append(
            (body[1], "request body has no example: give a media type `example` or `examples`")
        )
    responses = speclib.responses(document, operation)
    responses_pointer = join_pointer(operation.pointer, "responses")
    if not any(_is_success(status) for status, _, _ in responses):
        problems.append((responses_pointer, "operation documents no success (2XX) response"))
    has_error = False
    for status, response, pointer in responses:
        used_at = join_pointer(responses_pointer, status)
        examples = _examples_of(document, response, pointer)
        if response.get("content") and not _has_example_entries(response, pointer):
            problems.append((used_at, f"response {status} has no example"))
        elif (
            _is_success(status)
            and examples
            and all("x-segue-when" in e.extensions for e in examples)
        ):
            problems.append(
                (
                    used_at,
                    f"response {status} has only error examples (x-segue-when), no success example",
                )
            )
        has_error = (
            has_error or _is_error(status) or any("x-segue-when" in e.extensions for e in examples)
        )
    if not has_error:
        problems.append(
            (
                responses_pointer,
                "operation documents no error response: add a 4XX/5XX/default response, "
                "or a named example with x-segue-when (errors answered as HTTP 200)",
            )
        )
    return problems


# --------------------------------------------------------------------------- 4. callbacks


def check_callbacks(document: dict[str, Any]) -> list[Problem]:
    """Rule 4: every callback and webhook operation describes its payload with a schema."""
    problems: list[Problem] = []
    for operation in speclib.iter_operations(document):
        if operation.kind not in ("callback", "webhook"):
            continue
        if "requestBody" not in operation.node:
            problems.append(
                (operation.pointer, f"{operation.kind} has no request body: describe its payload")
            )
            continue
        body = speclib.request_body(document, operation)
        if body is None:
            continue  # a dangling $ref, reported by check_refs
        media = speclib.media_types(*body)
        if not media:
            problems.append(
                (body[1], f"{operation.kind} request body has no content: describe its payload")
            )
        for _, node, pointer in media:
            if "schema" not in node:
                problems.append((pointer, f"{operation.kind} payload has no schema"))
    return problems


# --------------------------------------------------------------------------- 5. conditionals


def check_conditionals(document: dict[str, Any]) -> list[Problem]:
    """Rule 5: conditionals of an object schema only name properties that the object defines.

    Candidates are the schemas with properties (own, `allOf` or `$ref`) that are not themselves
    a branch of a conditional. A candidate without `type: object` that another candidate's
    conditional subtree references (a fragment such as KIE's `GenerateCustomModeLimits`, which
    only adds limits to its user's properties) is checked as part of that user, not alone.
    """
    schemas = list(speclib.iter_schemas(document))
    branches = {
        sub_pointer
        for pointer, schema in schemas
        if isinstance(schema, Mapping)
        for sub_pointer, _ in _conditional_children(schema, pointer)
    }
    candidates = []
    for pointer, schema in schemas:
        if pointer in branches or not isinstance(schema, Mapping):
            continue
        defined = _defined_properties(document, schema, pointer, set())
        if defined:
            candidates.append(
                (pointer, schema, defined, _conditional_subtree(document, schema, pointer))
            )
    used_by_others = {
        used for pointer, _, _, subtree in candidates for used in subtree if used != pointer
    }
    problems: list[Problem] = []
    for pointer, schema, defined, subtree in candidates:
        if pointer in used_by_others and not _declares_object(schema):
            continue
        names = [*_dependent_names(schema, pointer)]
        names += [
            name for sub_pointer, node in subtree.items() for name in _names_used(node, sub_pointer)
        ]
        problems += [
            (
                name_pointer,
                f"`{keyword}` names property {name!r}, "
                f"which the object schema at {pointer} does not define",
            )
            for name_pointer, keyword, name in names
            if name not in defined
        ]
    return problems


def _declares_object(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind)


def _conditional_children(schema: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, Any]]:
    """(pointer, sub-schema) under the conditional keywords of `schema`."""
    for keyword in _CONDITIONAL_LIST:
        if isinstance(schema.get(keyword), list):
            for index, sub in enumerate(schema[keyword]):
                yield join_pointer(pointer, keyword, index), sub
    for keyword in _CONDITIONAL_ONE:
        if keyword in schema:
            yield join_pointer(pointer, keyword), schema[keyword]
    if isinstance(schema.get("dependentSchemas"), Mapping):
        for name, sub in schema["dependentSchemas"].items():
            yield join_pointer(pointer, "dependentSchemas", name), sub


def _defined_properties(document: Any, schema: Any, pointer: str, seen: set[str]) -> set[str]:
    """The schema's `properties` names, merged with its `allOf` entries' and `$ref` target's."""
    if pointer in seen or not isinstance(schema, Mapping):
        return set()
    seen.add(pointer)
    names = set(schema["properties"]) if isinstance(schema.get("properties"), Mapping) else set()
    parts: list[tuple[Any, str]] = []
    if isinstance(schema.get("allOf"), list):
        parts += [(sub, join_pointer(pointer, "allOf", i)) for i, sub in enumerate(schema["allOf"])]
    if speclib.is_ref(schema):
        parts.append(_resolved_target(document, schema["$ref"]))
    for sub, sub_pointer in parts:
        names |= _defined_properties(document, sub, sub_pointer, seen)
    return names


def _resolved_target(document: Any, ref: str) -> tuple[Any, str]:
    try:
        pointer = speclib.ref_to_pointer(ref)
        return speclib.resolve_pointer(document, pointer), pointer
    except speclib.UnresolvableRef:
        return None, ""


def _conditional_subtree(
    document: Any, root: Mapping[str, Any], root_pointer: str
) -> dict[str, Mapping[str, Any]]:
    """Every schema under the root's conditional keywords, local `$ref`s followed, by pointer.

    Stops at `properties` (a single property's sub-schema is another object's business).
    """
    stack = [(sub, pointer) for pointer, sub in _conditional_children(root, root_pointer)]
    subtree: dict[str, Mapping[str, Any]] = {}
    while stack:
        node, pointer = stack.pop()
        if pointer in subtree or not isinstance(node, Mapping):
            continue
        subtree[pointer] = node
        if speclib.is_ref(node):
            stack.append(_resolved_target(document, node["$ref"]))
        stack += [(sub, sub_pointer) for sub_pointer, sub in _conditional_children(node, pointer)]
    return subtree


def _names_used(node: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, str, str]]:
    """(pointer, keyword, property name) for each property a conditional branch names."""
    if isinstance(node.get("required"), list):
        for index, name in enumerate(node["required"]):
            yield join_pointer(pointer, "required", index), "required", str(name)
    if isinstance(node.get("properties"), Mapping):
        for name in node["properties"]:
            yield join_pointer(pointer, "properties", name), "properties", str(name)
    yield from _dependent_names(node, pointer)


def _dependent_names(node: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, str, str]]:
    dependent_required = node.get("dependentRequired")
    if isinstance(dependent_required, Mapping):
        for name, needed in dependent_required.items():
            yield join_pointer(pointer, "dependentRequired", name), "dependentRequired", str(name)
            for index, other in enumerate(needed if isinstance(needed, list) else []):
                yield (
                    join_pointer(pointer, "dependentRequired", name, index),
                    "dependentRequired",
                    str(other),
                )
    if isinstance(node.get("dependentSchemas"), Mapping):
        for name in node["dependentSchemas"]:
            yield join_pointer(pointer, "dependentSchemas", name), "dependentSchemas", str(name)


# --------------------------------------------------------------------------- 6. refs


def check_refs(document: dict[str, Any]) -> list[Problem]:
    """Rule 6: every `$ref` names something in this document (and is not a `$ref`-only cycle)."""
    problems: list[Problem] = []
    for pointer, ref in speclib.iter_refs(document):
        try:
            speclib.follow_ref(document, {"$ref": ref}, join_pointer(pointer, "$ref"))
        except speclib.UnresolvableRef as error:
            problems.append(
                (join_pointer(pointer, "$ref"), f"$ref {ref!r} does not resolve: {error}")
            )
    return problems


# --------------------------------------------------------------------------- 7. x-segue-when


def check_error_examples(document: dict[str, Any]) -> list[Problem]:
    """Rule 7: error examples carry a well-formed `x-segue-when`."""
    problems: list[Problem] = []
    for operation in speclib.iter_operations(document):
        body = speclib.request_body(document, operation)
        for status, response, pointer in speclib.responses(document, operation):
            used_at = join_pointer(operation.pointer, "responses", status)
            for example in _examples_of(document, response, pointer):
                where = used_at + example.pointer[len(pointer) :]
                problems += _when_problems(document, example, where, status, body)
    when_at: dict[str, Any] = {}  # pointer of each x-segue-when -> its value
    for slot in speclib.iter_slots(document):
        for example in speclib.iter_examples(document, slot.node, slot.pointer):
            if "x-segue-when" in example.extensions:
                written_at = example.source.removesuffix("/value")
                when_at[join_pointer(written_at, "x-segue-when")] = example.extensions[
                    "x-segue-when"
                ]
    for name, component in _component_examples(document):
        if "x-segue-when" in component:
            when_at[join_pointer("/components/examples", name, "x-segue-when")] = component[
                "x-segue-when"
            ]
    for pointer, when in when_at.items():
        problems += [(pointer, message) for message in _when_form_problems(when)]
    return problems


def _component_examples(document: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    components = document.get("components")
    examples = components.get("examples") if isinstance(components, Mapping) else None
    if not isinstance(examples, Mapping):
        return []
    return [(name, example) for name, example in examples.items() if isinstance(example, Mapping)]


def _when_problems(
    document: Any,
    example: speclib.Example,
    where: str,
    status: str,
    body: tuple[dict[str, Any], str] | None,
) -> list[Problem]:
    when = example.extensions.get("x-segue-when")
    if when is None:
        if not _is_error(status):
            return []
        if example.name is None:
            return [
                (
                    where,
                    f"error example of response {status} is a bare `example`: "
                    "make it a named example with x-segue-when",
                )
            ]
        return [(where, f"error example of response {status} has no x-segue-when")]
    invalid = when.get("invalid") if isinstance(when, Mapping) else None
    if isinstance(invalid, str) and invalid and body is not None:
        properties = _request_properties(document, *body)
        if properties is not None and invalid not in properties:
            return [
                (
                    where,
                    f"x-segue-when names invalid: {invalid!r}, "
                    "which the request body does not define",
                )
            ]
    return []


def _request_properties(document: Any, body: dict[str, Any], pointer: str) -> set[str] | None:
    """Top-level property names of the request body's schemas (None: no object schema)."""
    names: set[str] = set()
    for _, media, media_pointer in speclib.media_types(body, pointer):
        if "schema" in media:
            names |= _defined_properties(
                document, media["schema"], join_pointer(media_pointer, "schema"), set()
            )
    return names or None


def _when_form_problems(when: Any) -> list[str]:
    """The ways `x-segue-when` differs from `{rule: <kebab-case id>}` or `{invalid: <property>}`
    (the latter optionally with `only-when: absent`: the answer for a missing property only)."""
    if isinstance(when, Mapping) and "invalid" in when and "only-when" in when:
        if when["only-when"] != "absent" or len(when) != 2:
            return ["x-segue-when `only-when` must be `absent`, beside `invalid` only"]
        when = {"invalid": when["invalid"]}
    if (
        not isinstance(when, Mapping)
        or len(when) != 1
        or next(iter(when)) not in ("rule", "invalid")
    ):
        return ["x-segue-when must be a mapping with exactly one key, `rule` or `invalid`"]
    ((key, value),) = when.items()
    if not isinstance(value, str) or not value:
        return [f"x-segue-when `{key}` must be a non-empty string"]
    if key == "rule" and not _RULE_ID.match(value):
        return [f"x-segue-when rule {value!r} is not a kebab-case id (e.g. insufficient-credits)"]
    return []
