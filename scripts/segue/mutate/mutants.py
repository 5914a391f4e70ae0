"""Derive the mutants: one per constraint a spec states, plus the mock's behaviour mutants.

**Spec mutants** come from walking every schema of a spec (`speclib.iter_schemas`), never from a
list: each `maxLength`/`minLength` (loosened by one, and tightened by one), each `enum` member
(removed) plus one near-miss member (added: a member in the other case, or the next integer —
a value a client could plausibly send, so a good suite can probe it), each `required` entry
(dropped; not inside an `if`, where `required` only shapes the condition), each `minimum`/
`maximum`/`exclusiveMinimum`/`exclusiveMaximum` (loosened by one step: the schema's
`multipleOf`, else 1), each `multipleOf` (loosened to a tenth), each `const` (changed) and each
`format` (removed). Inside an `if` only its `const`s and `enum` members are mutated (they decide
which limits apply). A mutant is one `SpecEdit`: one keyword of one schema object, so applying
it changes exactly one thing. Descriptions, examples and other annotations are never mutated:
they change nothing observable. A mutant no request can tell apart from the true spec (a
redundant constraint) is set aside by `segue.mutate.equivalence`.

Kinds:
- `rule`: the constraint is reachable from a request schema (a path operation's body or query
  parameters): the mock validates requests with it, the suite must notice it changed.
- `non-rule`: reachable only from response or callback schemas. The mock never validates what it
  sends with them (its shapes are in `segue.mock.<vendor>.responses`, checked by its tests),
  so such a mutant changes nothing the mock does; it is derived and reported, run only by the
  `exhaustive` profile, and never fails the command.

**Callback field names** are documented rules too, but a renamed property in a callback schema
is invisible through the mock (it renders the same keys whatever the schema says). So each
required field name of the callback payload schemas is mutated where it *is* observable: the
mock sends the payload with that field renamed (`rename-callback-field`,
`segue.mutate.mock_mutations`). An optional field is skipped: the spec allows a payload without
it and with extra keys.

**Behaviour mutants** are mock bugs (`segue.mutate.mock_mutations`): per documented error situation
(`x-segue-when` in the spec) a wrong code and a wrong message; stateful checks switched off; a
required callback stage skipped; status moving backward; KIE callbacks unsigned.

Why hand-written: mutation tools (mutmut, cosmic-ray) mutate Python code, not documents; nothing
derives JSON Schema constraint mutants from an OpenAPI file.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from segue import speclib
from segue.mock.models import STATE_CHECKS

RULE, BEHAVIOUR, NON_RULE = "rule", "behaviour", "non-rule"
KINDS = (RULE, BEHAVIOUR, NON_RULE)


class _Removed:
    """Marks an edit that deletes its keyword (a singleton that survives pickling)."""

    def __repr__(self) -> str:
        return "<removed>"

    def __reduce__(self) -> str:
        return "REMOVED"


REMOVED: Any = _Removed()


@dataclass(frozen=True)
class SpecEdit:
    """Set (or remove, `new is REMOVED`) one keyword of the schema object at `pointer`."""

    pointer: str
    keyword: str
    old: Any
    new: Any

    @property
    def keyword_pointer(self) -> str:
        return speclib.join_pointer(self.pointer, self.keyword)

    def apply(self, document: dict[str, Any]) -> dict[str, Any]:
        """A mutated deep copy of `document` (the original is left alone)."""
        mutated = copy.deepcopy(document)
        node = speclib.resolve_pointer(mutated, self.pointer)
        if node.get(self.keyword, REMOVED) != self.old:
            raise ValueError(
                f"{self.keyword_pointer} is {node.get(self.keyword)!r}, not {self.old!r}"
            )
        if self.new is REMOVED:
            del node[self.keyword]
        else:
            node[self.keyword] = copy.deepcopy(self.new)
        return mutated


@dataclass(frozen=True)
class Mutant:
    """One mutant. `edit` for spec mutants; `mock_mutations` for mock behaviour mutants.

    `operations`: the operationIds it concerns; `fields`: the property names involved;
    `keywords`: other words naming it (a condition's value, a rule id, a stage). All three only
    order the suite's tests (likeliest killers first); none decides a verdict.
    """

    name: str
    vendor: str
    kind: str
    operator: str
    pointer: str
    operations: tuple[str, ...]
    fields: tuple[str, ...] = ()
    edit: SpecEdit | None = None
    mock_mutations: frozenset[str] = field(default_factory=frozenset)
    keywords: tuple[str, ...] = ()

    @property
    def hints(self) -> tuple[str, ...]:
        """Words a test id that would notice this mutant probably contains (ordering only)."""
        return tuple(dict.fromkeys((*self.keywords, *self.fields, *self.operations)))

    @property
    def fails_command(self) -> bool:
        """Whether surviving fails `segue mutate`: mutants of documented rules and behaviours."""
        return self.kind in (RULE, BEHAVIOUR)


# --------------------------------------------------------------------------- where things are


@dataclass
class _Index:
    """What the walk needs to know about a document: who reaches each schema, and labels."""

    document: dict[str, Any]
    request_reach: dict[str, set[str]]
    payload_reach: dict[str, set[str]]
    response_reach: dict[str, set[str]]
    referred_as: dict[str, set[str]]
    slot_labels: dict[str, str]


def _operation_ids(document: dict[str, Any]) -> dict[str, str]:
    """Pointer of each operation (and of its path item) -> its label (operationId)."""
    labels: dict[str, str] = {}
    for operation in speclib.iter_operations(document, unique=False):
        label = operation.node.get("operationId") or f"{operation.method.upper()} {operation.route}"
        labels.setdefault(operation.pointer, label)
    return labels


def _schema_roots(
    document: dict[str, Any],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """(schema pointer, operationId) of every request, callback payload and response schema."""
    requests, payloads, answers = [], [], []
    owners = {
        op.pointer: op.node.get("operationId", "") for op in speclib.iter_operations(document)
    }
    for operation in speclib.iter_operations(document, unique=False):
        if operation.kind == "path":
            op_id = operation.node.get("operationId", operation.route)
            for pointer, parameter in speclib.operation_parameters(document, operation):
                if "schema" in parameter:
                    requests.append((speclib.join_pointer(pointer, "schema"), op_id))
            for pointer in _body_schema_pointers(document, operation):
                requests.append((pointer, op_id))
            for _, response, response_pointer in speclib.responses(document, operation):
                for _, media, media_pointer in speclib.media_types(response, response_pointer):
                    if "schema" in media:
                        answers.append((speclib.join_pointer(media_pointer, "schema"), op_id))
        elif operation.kind == "callback":
            owner = owners.get(operation.owner or "", "") or operation.route
            for pointer in _body_schema_pointers(document, operation):
                payloads.append((pointer, owner))
    return requests, payloads, answers


def _body_schema_pointers(document: dict[str, Any], operation: speclib.Operation) -> list[str]:
    found = speclib.request_body(document, operation)
    if found is None:
        return []
    return [
        speclib.join_pointer(pointer, "schema")
        for _, media, pointer in speclib.media_types(found[0], found[1])
        if "schema" in media
    ]


def _reach(document: dict[str, Any], roots: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Every schema pointer reachable from each root (through `$ref`s) -> the roots' operations."""
    reached: dict[str, set[str]] = defaultdict(set)
    for root, operation in roots:
        stack, seen = [root], set()
        while stack:
            pointer = stack.pop()
            if pointer in seen:
                continue
            seen.add(pointer)
            reached[pointer].add(operation)
            node = speclib.resolve_pointer(document, pointer)
            if not isinstance(node, Mapping):
                continue
            if speclib.is_ref(node):
                stack.append(speclib.ref_to_pointer(node["$ref"]))
            stack.extend(sub for sub, _ in speclib.subschemas(node, pointer))
    return reached


def _slot_labels(document: dict[str, Any], operations: dict[str, str]) -> dict[str, str]:
    """`<slot pointer>/schema` -> a label (`getFeed query workId`, `generateSong response 200`)."""
    labels = {}
    for slot in speclib.iter_slots(document):
        if "schema" not in slot.node:
            continue
        tokens = speclib.split_pointer(slot.pointer)
        owner = next((operations[p] for p in _prefixes(slot.pointer) if p in operations), None)
        if slot.kind == "parameter":
            what = f"{slot.node.get('in', 'parameter')} {slot.node.get('name', tokens[-1])}"
        elif slot.kind == "header":
            what = f"header {tokens[tokens.index('headers') + 1]}"
        elif "responses" in tokens:
            what = f"response {tokens[tokens.index('responses') + 1]}"
        else:
            what = "request"
        labels[speclib.join_pointer(slot.pointer, "schema")] = f"{owner} {what}" if owner else what
    return labels


def _referred_as(document: dict[str, Any]) -> dict[str, set[str]]:
    """Schema pointer -> the property names that `$ref` it (`Weight` -> styleWeight, …)."""
    names: dict[str, set[str]] = defaultdict(set)
    for _, schema in speclib.iter_schemas(document):
        properties = schema.get("properties") if isinstance(schema, Mapping) else None
        for name, sub in properties.items() if isinstance(properties, Mapping) else ():
            if speclib.is_ref(sub):
                names[speclib.ref_to_pointer(sub["$ref"])].add(name)
    return names


def _prefixes(pointer: str) -> Iterator[str]:
    tokens = speclib.split_pointer(pointer)
    for end in range(len(tokens), 0, -1):
        yield speclib.join_pointer("", *tokens[:end])


def _index(document: dict[str, Any]) -> _Index:
    requests, payloads, answers = _schema_roots(document)
    operations = _operation_ids(document)
    return _Index(
        document=document,
        request_reach=_reach(document, requests),
        payload_reach=_reach(document, payloads),
        response_reach=_reach(document, answers),
        referred_as=_referred_as(document),
        slot_labels=_slot_labels(document, operations),
    )


# --------------------------------------------------------------------------- readable names


def show(value: Any) -> str:
    if value == "":
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _condition(node: Any) -> str:
    """An `if` as a short label: `model=V4`, `model in V4_5|V5`, `has custom_mode`."""
    if not isinstance(node, Mapping):
        return "if"
    parts = []
    found = node.get("properties")
    properties: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    for name, sub in properties.items():
        if isinstance(sub, Mapping) and "const" in sub:
            parts.append(f"{name}={show(sub['const'])}")
        elif isinstance(sub, Mapping) and isinstance(sub.get("enum"), list):
            parts.append(f"{name} in {'|'.join(show(v) for v in sub['enum'])}")
        else:
            parts.append(f"{name} matches")
    parts += [f"has {name}" for name in node.get("required", []) if name not in properties]
    return ",".join(parts) or "if"


@dataclass(frozen=True)
class _Place:
    """Where a schema object sits: its root label, the conditions around it, its property path."""

    root: str
    context: tuple[str, ...]
    path: str
    in_condition: bool

    def label(self) -> str:
        return " ".join(part for part in (self.root, *self.context, self.path) if part)


def _place(index: _Index, pointer: str) -> _Place:
    """Describe `pointer` by walking the tokens from its schema root."""
    tokens = speclib.split_pointer(pointer)
    if tokens[:2] == ["components", "schemas"]:
        root, rest, node = tokens[2], tokens[3:], index.document["components"]["schemas"][tokens[2]]
    else:
        slot = next((p for p in _prefixes(pointer) if p in index.slot_labels), None)
        if slot is None:
            return _Place(pointer, (), "", False)
        root, node = index.slot_labels[slot], speclib.resolve_pointer(index.document, slot)
        rest = tokens[len(speclib.split_pointer(slot)) :]
    context: list[str] = []
    path = ""
    in_condition = False
    position = 0
    while position < len(rest):
        keyword = rest[position]
        argument = rest[position + 1] if position + 1 < len(rest) else None
        if keyword in ("properties", "patternProperties", "dependentSchemas", "$defs") and argument:
            path = f"{path}.{argument}" if path else argument
            node, position = node[keyword][argument], position + 2
        elif keyword in ("allOf", "anyOf", "oneOf", "prefixItems") and argument is not None:
            branch = node[keyword][int(argument)]
            if keyword != "allOf":
                title = branch.get("title") if isinstance(branch, Mapping) else None
                context.append(title or f"{keyword}[{argument}]")
            node, position = branch, position + 2
        elif keyword in ("then", "else"):
            condition = _condition(node.get("if"))
            context.append(condition if keyword == "then" else f"not({condition})")
            node, position = node[keyword], position + 1
        elif keyword == "if":
            in_condition = True
            context.append("if")
            node, position = node[keyword], position + 1
        elif keyword == "items":
            path += "[]"
            node, position = node[keyword], position + 1
        else:
            context.append(keyword)
            node, position = node[keyword], position + 1
    if path:  # conditions first, then where in the instance
        return _Place(root, tuple(context), path, in_condition)
    return _Place(root, tuple(context), "", in_condition)


# --------------------------------------------------------------------------- the operators


def _round(value: float, step: float) -> float:
    """`value` written with as many decimals as `step` has (-0.01, not -0.010000000000000009)."""
    if isinstance(value, int) and isinstance(step, int):
        return value
    decimals = len(f"{step:.12f}".rstrip("0").split(".")[1])
    return round(value, decimals)


def near_miss(members: list[Any]) -> Any:
    """A value a client could plausibly send by mistake, not in `members` (None: none found).

    Integers: one past the largest (an index out of range). Strings: a member in the other case
    (`V4` -> `v4`), the classic "the server is case-insensitive" drift.
    """
    ints = [m for m in members if isinstance(m, int) and not isinstance(m, bool)]
    if ints and len(ints) == len(members):
        return max(ints) + 1
    for member in members:
        if isinstance(member, str):
            for candidate in (member.lower(), member.upper(), member + "_"):
                if candidate not in members:
                    return candidate
    return None


def _changed_const(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return f"{value}-mutant" if value else "mutant"
    return "mutant"


def _edits(
    schema: Mapping[str, Any], pointer: str, in_condition: bool
) -> Iterator[tuple[str, SpecEdit, str]]:
    """(operator, edit, description) for every constraint of one schema object."""

    def edit(keyword: str, new: Any) -> SpecEdit:
        return SpecEdit(pointer, keyword, schema[keyword], new)

    if in_condition:  # only what decides the condition: its consts and enums
        if "const" in schema:
            new = _changed_const(schema["const"])
            yield "const-changed", edit("const", new), f"const {show(schema['const'])}→{show(new)}"
        for member in schema.get("enum") or [] if isinstance(schema.get("enum"), list) else []:
            rest = [m for m in schema["enum"] if m != member]
            yield "enum-member-removed", edit("enum", rest), f"enum drops {show(member)}"
        return
    for keyword in ("maxLength", "minLength"):
        limit = schema.get(keyword)
        if isinstance(limit, int) and not isinstance(limit, bool):
            looser, tighter = (
                (limit + 1, limit - 1) if keyword == "maxLength" else (limit - 1, limit + 1)
            )
            if looser >= 0:
                yield f"{keyword}-loosened", edit(keyword, looser), f"{keyword} {limit}→{looser}"
            if tighter >= 0:
                yield f"{keyword}-tightened", edit(keyword, tighter), f"{keyword} {limit}→{tighter}"
    if isinstance(schema.get("enum"), list):
        members = schema["enum"]
        for member in members if len(members) > 1 else []:
            rest = [m for m in members if m != member]
            yield "enum-member-removed", edit("enum", rest), f"enum drops {show(member)}"
        bogus = near_miss(members)
        if bogus is not None:
            yield "enum-member-added", edit("enum", [*members, bogus]), f"enum adds {show(bogus)}"
    for name in schema.get("required") or [] if isinstance(schema.get("required"), list) else []:
        rest = [n for n in schema["required"] if n != name]
        yield "required-dropped", edit("required", rest), f"required drops {name}"
    step = schema.get("multipleOf", 1)
    for keyword, direction in (
        ("minimum", -1),
        ("exclusiveMinimum", -1),
        ("maximum", 1),
        ("exclusiveMaximum", 1),
    ):
        bound = schema.get(keyword)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            new = _round(bound + direction * step, step)
            yield f"{keyword}-loosened", edit(keyword, new), f"{keyword} {show(bound)}→{show(new)}"
    multiple = schema.get("multipleOf")
    if isinstance(multiple, int | float) and not isinstance(multiple, bool):
        new = _round(multiple / 10, multiple / 10)
        yield (
            "multipleOf-loosened",
            edit("multipleOf", new),
            f"multipleOf {show(multiple)}→{show(new)}",
        )
    if "const" in schema:
        new = _changed_const(schema["const"])
        yield "const-changed", edit("const", new), f"const {show(schema['const'])}→{show(new)}"
    if isinstance(schema.get("format"), str):
        yield "format-removed", edit("format", REMOVED), f"format {schema['format']} removed"


def spec_mutants(vendor: str, document: dict[str, Any]) -> list[Mutant]:
    """Every spec mutant of one spec, in document order, with unique stable names."""
    index = _index(document)
    mutants = []
    for pointer, schema in speclib.iter_schemas(document):
        if not isinstance(schema, Mapping):
            continue
        place = _place(index, pointer)
        request_ops = index.request_reach.get(pointer, set())
        other_ops = index.payload_reach.get(pointer, set()) | index.response_reach.get(
            pointer, set()
        )
        kind = RULE if request_ops else NON_RULE
        operations = tuple(sorted(request_ops or other_ops))
        fields = tuple(place.path.replace("[]", "").split(".")) if place.path else ()
        fields += tuple(sorted(index.referred_as.get(pointer, ())))
        for operator, edit, description in _edits(schema, pointer, place.in_condition):
            mutants.append(
                Mutant(
                    name=f"{vendor}: {place.label()} {description}",
                    vendor=vendor,
                    kind=kind,
                    operator=operator,
                    pointer=edit.keyword_pointer,
                    operations=operations,
                    fields=_fields_of(edit, fields),
                    edit=edit,
                    keywords=(*_condition_values(place.context), *_words(edit.keyword)),
                )
            )
    return _unique(mutants)


# Words a test of each kind of constraint is likely to carry in its id or `check` marker.
_KEYWORD_WORDS = {
    "maxLength": ("length",), "minLength": ("length",), "enum": ("enum",),
    "required": ("required",), "minimum": ("minimum", "range"), "maximum": ("maximum", "range"),
    "exclusiveMinimum": ("exclusiveMinimum", "range"), "multipleOf": ("multipleOf", "range"),
    "exclusiveMaximum": ("exclusiveMaximum", "range"), "const": ("mode",), "format": ("format",),
}  # fmt: skip


def _words(keyword: str) -> tuple[str, ...]:
    return _KEYWORD_WORDS.get(keyword, (keyword,))


def _condition_values(context: tuple[str, ...]) -> tuple[str, ...]:
    """`model=V4_5ALL` -> `V4_5ALL`; `model in V4|V5` -> `V4`, `V5` (booleans say too little)."""
    values = []
    for part in context:
        for clause in part.removeprefix("not(").removesuffix(")").split(","):
            _, found, value = clause.partition("=") if "=" in clause else clause.partition(" in ")
            if found:
                values += [v for v in value.split("|") if v not in ("true", "false")]
    return tuple(values)


def _fields_of(edit: SpecEdit, fields: tuple[str, ...]) -> tuple[str, ...]:
    if edit.keyword == "required":
        dropped = set(edit.old) - set(edit.new)
        return (*fields, *sorted(dropped))
    return fields


def _unique(mutants: list[Mutant]) -> list[Mutant]:
    """Names must identify a mutant: a repeated name gets its JSON pointer appended."""
    counts: dict[str, int] = defaultdict(int)
    for mutant in mutants:
        counts[mutant.name] += 1
    return [
        mutant if counts[mutant.name] == 1 else _renamed(mutant, f"{mutant.name} @{mutant.pointer}")
        for mutant in mutants
    ]


def _renamed(mutant: Mutant, name: str) -> Mutant:
    return replace(mutant, name=name)


# --------------------------------------------------------------------------- callback field names


def _payload_fields(
    document: dict[str, Any], node: Any, pointer: str, path: tuple[str, ...], seen: frozenset[str]
) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(pointer of the property, its name, its instance path) for every field a payload declares.

    Follows `$ref`, `allOf`/`oneOf`/`anyOf`, `properties` and `items`; conditionals only restate
    fields declared elsewhere, so `then`/`else` are not walked.
    """
    node, pointer = speclib.follow_ref(document, node, pointer)
    if not isinstance(node, Mapping) or pointer in seen:
        return
    seen = seen | {pointer}
    for keyword in ("allOf", "oneOf", "anyOf"):
        for position, branch in enumerate(node.get(keyword) or []):
            branch_pointer = speclib.join_pointer(pointer, keyword, position)
            yield from _payload_fields(document, branch, branch_pointer, path, seen)
    for name, sub in (node.get("properties") or {}).items():
        property_pointer = speclib.join_pointer(pointer, "properties", name)
        yield property_pointer, name, (*path, name)
        yield from _payload_fields(document, sub, property_pointer, (*path, name), seen)
    if "items" in node:
        yield from _payload_fields(
            document, node["items"], speclib.join_pointer(pointer, "items"), (*path, "*"), seen
        )


def renamed_field(name: str) -> str:
    """The drifted name: snake_case <-> camelCase (`audio_url` <-> `audioUrl`), or a suffix.

    A case flip is the drift these APIs really show (KIE polls in camelCase, calls back in
    snake_case); a suffix where the name has no case to flip.
    """
    if "_" in name.strip("_"):
        head, *rest = name.split("_")
        return head + "".join(part[:1].upper() + part[1:] for part in rest)
    if any(c.isupper() for c in name):
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
    return f"{name}_renamed"


def _required_where_declared(document: dict[str, Any], property_pointer: str) -> bool:
    """Whether the object schema declaring a property also lists it in its `required`."""
    tokens = speclib.split_pointer(property_pointer)
    holder = speclib.resolve_pointer(document, speclib.join_pointer("", *tokens[:-2]))
    return isinstance(holder, Mapping) and tokens[-1] in (holder.get("required") or [])


def callback_field_mutants(vendor: str, document: dict[str, Any]) -> list[Mutant]:
    """One mutant per required field name a callback payload schema declares (where declared).

    An optional field is left out: renaming it leaves a payload the spec still accepts (it may be
    absent, and extra keys are allowed), so no contract check could notice.
    """
    payloads = _schema_roots(document)[1]
    index = _index(document)
    by_declaration: dict[str, tuple[str, set[tuple[str, ...]], set[str]]] = {}
    for root, operation in payloads:
        for pointer, name, path in _payload_fields(
            document, {"$ref": "#" + root}, "", (), frozenset()
        ):
            entry = by_declaration.setdefault(pointer, (name, set(), set()))
            entry[1].add(path)
            entry[2].add(operation)
    mutants = []
    for pointer, (name, paths, operations) in by_declaration.items():
        if not _required_where_declared(document, pointer):
            continue
        place = _place(index, pointer)
        new_name = renamed_field(name)
        ops = tuple(sorted(operations))
        mock_mutations = frozenset(
            f"rename-callback-field:{vendor}:{','.join(ops)}:{'/'.join(path)}:{new_name}"
            for path in sorted(paths)
        )
        mutants.append(
            Mutant(
                name=f"{vendor}: callback {place.label()} renamed→{new_name}",
                vendor=vendor,
                kind=RULE,
                operator="callback-field-renamed",
                pointer=pointer,
                operations=ops,
                fields=(name,),
                mock_mutations=mock_mutations,
                keywords=("callback", "payload"),
            )
        )
    return _unique(mutants)


# --------------------------------------------------------------------------- behaviour mutants


@dataclass(frozen=True)
class _Situation:
    """A documented error answer: situation (`rule` or `invalid=<prop>`), code, operations."""

    situation: str
    code: int | None
    operations: tuple[str, ...]


def _documented_situations(document: dict[str, Any]) -> list[_Situation]:
    """Every `x-segue-when` answer the spec's operations list, in document order."""
    found: dict[str, tuple[int | None, set[str]]] = {}
    for operation in speclib.iter_operations(document):
        if operation.kind != "path":
            continue
        op_id = operation.node.get("operationId", operation.route)
        for _, response, pointer in speclib.responses(document, operation):
            for _, media, media_pointer in speclib.media_types(response, pointer):
                for example in speclib.iter_examples(document, media, media_pointer):
                    when = example.extensions.get("x-segue-when")
                    if not isinstance(when, Mapping) or not isinstance(example.value, Mapping):
                        continue
                    situation = when.get("rule") or f"invalid={when.get('invalid')}"
                    code = example.value.get("code")
                    entry = found.setdefault(
                        situation, (code if isinstance(code, int) else None, set())
                    )
                    entry[1].add(op_id)
    return [_Situation(s, code, tuple(sorted(ops))) for s, (code, ops) in found.items()]


# Rules whose error message the mock writes itself (naming the field): a wrong message is not a bug.
GENERATED_MESSAGES = frozenset({"validation-failed"})
# Callback stages each vendor must send. KIE's spec says `text` and `first` may be skipped, so
# only `complete` is required there; Udio documents no skipping.
REQUIRED_STAGES = {"kie": ("complete",), "udio": ("text", "first", "complete")}


def behaviour_mutants(vendor: str, document: dict[str, Any]) -> list[Mutant]:
    """The mock's behaviour mutants for one vendor, derived from what its spec documents."""
    situations = _documented_situations(document)
    codes = [s.code for s in situations if s.code is not None]
    creates = tuple(sorted({op for _, op in _schema_roots(document)[1]}))
    polls = tuple(
        sorted(
            str(op.node.get("operationId", op.route))
            for op in speclib.iter_operations(document)
            if op.kind == "path" and op.method == "get"
        )
    )
    mutants = []
    for situation in situations:
        name, ops = situation.situation, situation.operations
        words = _situation_words(name)
        other = next((code for code in codes if code != situation.code), None)
        if other is not None:
            what = f"answers {name} with code {situation.code}→{other}"
            mutation = f"wrong-code:{vendor}:{name}:{other}"
            mutants.append(_behaviour(vendor, what, "wrong-code", mutation, ops, words))
        if name not in GENERATED_MESSAGES:
            mutation = f"wrong-message:{vendor}:{name}"
            what = f"answers {name} with another message"
            mutants.append(_behaviour(vendor, what, "wrong-message", mutation, ops, words))
        if f"{vendor}:{name}" in STATE_CHECKS:  # a stateful check a mock can be built without
            what = f"does not enforce {name} (serves 200)"
            mutants.append(
                _behaviour(vendor, what, "rule-off", f"rule-off:{vendor}:{name}", ops, words)
            )
    for stage in REQUIRED_STAGES.get(vendor, ()):
        mutation = f"skip-callback:{vendor}:{stage}"
        words = ("callback", "lifecycle", stage)
        mutants.append(
            _behaviour(
                vendor, f"skips the {stage} callback", "callback-skipped", mutation, creates, words
            )
        )
    mutation = f"status-backward:{vendor}"
    words = ("lifecycle", "status", "poll", "forward")
    what = "shows the previous status when a status is polled a second time"
    mutants.append(_behaviour(vendor, what, "status-backward", mutation, polls, words))
    if _signs_callbacks(document):
        mutation = f"unsigned-callbacks:{vendor}"
        words = ("signature", "signed", "callback")
        mutants.append(
            _behaviour(
                vendor, "sends callbacks unsigned", "callback-unsigned", mutation, creates, words
            )
        )
    return mutants


# Situations the mock answers when a test injects a fault or breaks the schema, not from state.
_NOT_STATEFUL = frozenset({"unauthorized", "insufficient-credits", "rate-limited", "maintenance",
                           "server-error", "validation-failed"})  # fmt: skip


def _situation_words(situation: str) -> tuple[str, ...]:
    """Ordering hints for a documented situation: its own words, and what kind of test shows it."""
    name = situation.removeprefix("invalid=")
    words = [situation, name, *(w for w in name.replace("_", "-").split("-") if len(w) >= 4)]
    stateful = situation not in _NOT_STATEFUL and not situation.startswith("invalid=")
    words.append("state" if stateful else "documented")
    return tuple(dict.fromkeys(words))


def _signs_callbacks(document: dict[str, Any]) -> bool:
    """Whether any callback declares the KIE signature header."""
    for operation in speclib.iter_operations(document):
        if operation.kind == "callback":
            for _, parameter in speclib.operation_parameters(document, operation):
                if str(parameter.get("name", "")).lower() == "x-webhook-signature":
                    return True
    return False


def _behaviour(
    vendor: str,
    what: str,
    operator: str,
    mutation: str,
    operations: tuple[str, ...],
    words: tuple[str, ...],
) -> Mutant:
    return Mutant(
        name=f"{vendor}: mock {what}",
        vendor=vendor,
        kind=BEHAVIOUR,
        operator=operator,
        pointer="",
        operations=operations,
        mock_mutations=frozenset({mutation}),
        keywords=words,
    )


# --------------------------------------------------------------------------- all of them


def derive(vendor: str, document: dict[str, Any]) -> list[Mutant]:
    """Every mutant of one vendor: spec constraints, callback field names, mock behaviours."""
    return [
        *spec_mutants(vendor, document),
        *callback_field_mutants(vendor, document),
        *behaviour_mutants(vendor, document),
    ]
