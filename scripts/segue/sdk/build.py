"""Write one vendor's SDK distribution: generated/python/<vendor>/ (called by `segue generate`).

The generators have already written `<vendor>_client/` (openapi-python-client) and
`<vendor>_models/` (datamodel-code-generator) into the distribution folder. This adds:

    pyproject.toml, README.md            the distribution (version = the spec's info.version)
    <vendor>_client/_segue/              the runtime (`segue/sdk/runtime`) and the preflight engine
                                         (`speclib`, `schema_errors`, `request_validation`), copied
                                         with their `segue` imports made relative; bundle.json
    <vendor>_client/sdk.py               the facade: `Kie`/`AsyncKie`, one typed method per
                                         operation, names, hints and docstrings from the spec
    <vendor>_client/exceptions.py        the typed errors; `webhooks.py`; `__init__.py`

Everything vendor-specific is read from the bundle here or, at run time, from the bundle the
package carries: the same code for every vendor.
"""

from __future__ import annotations

import importlib.util
import json
import keyword
import re
import sys
import textwrap
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segue import speclib

RUNTIME_DIR = Path(__file__).parent / "runtime"
SEGUE_DIR = Path(__file__).parent.parent
# The preflight engine, copied beside the runtime (it imports nothing else of segue).
ENGINE_MODULES = ("speclib.py", "schema_errors.py", "request_validation.py")
RUNTIME_MODULES = ("__init__.py", "errors.py", "facts.py", "client.py", "webhooks.py")

# Runtime dependencies of every SDK (speclib parses YAML specs, so pyyaml comes along).
DEPENDENCIES = (
    "httpx>=0.27,<1",
    "attrs>=23.1",
    "pydantic>=2.8,<3",
    "jsonschema-rs>=0.29",
    "pyyaml>=6",
)

_IMPORT = re.compile(r"^from segue(?:\.sdk\.runtime)?(\.[\w.]+)? import ", re.MULTILINE)


class BuildError(Exception):
    """The spec lacks something the facade needs; the message names it."""


@dataclass(frozen=True)
class Distribution:
    vendor: str  # "kie": kie_client, kie_models, Kie, AsyncKie, KieError, $KIE_API_KEY
    client_package: str
    models_package: str

    @property
    def title(self) -> str:
        return self.vendor.capitalize()

    @property
    def error_base(self) -> str:
        return f"{self.title}Error"


def write_distribution(dist: Distribution, bundle: Mapping[str, Any], root: Path) -> None:
    """Add the facade and the packaging to `root` (holding the two generated packages)."""
    package = root / dist.client_package
    runtime = package / "_segue"
    runtime.mkdir(parents=True, exist_ok=True)
    table_names = sorted({e["error"] for e in bundle["x-segue-errors"]["codes"].values()})
    for name in RUNTIME_MODULES:
        text = _relative(RUNTIME_DIR / name).replace("VendorError", dist.error_base)
        if name == "errors.py":
            text += _extra_errors(dist, table_names, text)
        (runtime / name).write_text(text, encoding="utf-8")
    for name in ENGINE_MODULES:
        (runtime / name).write_text(_relative(SEGUE_DIR / name), encoding="utf-8")
    (runtime / "bundle.json").write_text(
        json.dumps(bundle, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
    api = describe_api(bundle, root / dist.models_package / "__init__.py")
    error_names = _error_names(dist, table_names)
    (package / "sdk.py").write_text(render_facade(dist, bundle, api), encoding="utf-8")
    (package / "exceptions.py").write_text(_exceptions_module(dist, error_names), encoding="utf-8")
    (package / "webhooks.py").write_text(_webhooks_module(dist, bundle, api), encoding="utf-8")
    (package / "__init__.py").write_text(_init_module(dist, bundle, error_names), encoding="utf-8")
    (root / "pyproject.toml").write_text(_pyproject(dist, bundle), encoding="utf-8")
    (root / "README.md").write_text(_readme(dist, bundle), encoding="utf-8")


def _relative(path: Path) -> str:
    """A module's text with `from segue… import` made relative to the copy's package."""
    return _IMPORT.sub(
        lambda m: f"from .{(m[1] or '').lstrip('.')} import ", path.read_text(encoding="utf-8")
    )


# ------------------------------------------------------------------------- what the spec offers


@dataclass(frozen=True)
class Argument:
    name: str  # the Python keyword
    wire: str  # the JSON / query name
    hint: str
    required: bool
    doc: str


@dataclass(frozen=True)
class Method:
    name: str
    operation_id: str
    summary: str
    description: str
    creates: bool
    in_body: bool  # arguments go in the JSON body (else in the query)
    arguments: tuple[Argument, ...]
    model: str  # the class of the success answer in the models package


@dataclass(frozen=True)
class Api:
    methods: tuple[Method, ...]
    poll_model: str
    callback_models: tuple[str, ...]
    task_model: str  # what `Task.wait` returns; "Any" when no model class can be named


def describe_api(bundle: Mapping[str, Any], models_path: Path) -> Api:
    lifecycle = bundle["x-segue-lifecycle"]
    models_source = models_path.read_text(encoding="utf-8")
    classes = set(re.findall(r"^class (\w+)\(", models_source, re.MULTILINE))
    methods = tuple(_method(bundle, op, lifecycle["poll"], classes) for op in _operations(bundle))
    poll = next((m for m in methods if m.operation_id == lifecycle["poll"]), None)
    if poll is None:
        raise BuildError(f"x-segue-lifecycle poll {lifecycle['poll']} is no operation")
    callbacks = tuple(dict.fromkeys(_callback_models(bundle)))
    for name in callbacks:
        _need_class(name, classes, "callback payload")
    return Api(methods, poll.model, callbacks, _task_model(models_path, poll.model, lifecycle))


def _task_model(models_path: Path, poll_model: str, lifecycle: Mapping[str, Any]) -> str:
    """The class of the object holding the status (or the clips) in the poll answer.

    The generated models are imported (under a private name) and their fields followed, since
    datamodel-code-generator names inline objects itself (Udio's `FeedResponseData`).
    """
    held = lifecycle.get("clips") or lifecycle["status"]
    tokens = [t for t in held.split("/")[1:-1] if t]
    module_name = f"_segue_build_models_{abs(hash(models_path))}"
    spec = importlib.util.spec_from_file_location(module_name, models_path)
    if spec is None or spec.loader is None:
        raise BuildError(f"cannot import {models_path.name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # pydantic's generic models look their module up there
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise BuildError(f"the generated models do not import: {error}") from None
    finally:
        del sys.modules[module_name]
    model: Any = getattr(module, poll_model)
    for token in tokens:
        fields: dict[str, Any] = model.model_fields
        field = next((f for n, f in fields.items() if token in (f.alias, n)), None)
        model = _model_class(field.annotation if field is not None else None)
        if model is None:
            return "Any"
    class_name = str(getattr(model, "__name__", ""))
    return class_name if getattr(module, class_name, None) is model else "Any"


def _model_class(annotation: Any) -> Any:
    """The one pydantic model class an annotation allows (through Optional/Annotated)."""
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    candidates = [_model_class(a) for a in typing.get_args(annotation)]
    found = [c for c in candidates if c is not None]
    return found[0] if len(found) == 1 else None


def _operations(bundle: Mapping[str, Any]) -> Iterator[speclib.Operation]:
    for operation in speclib.iter_operations(dict(bundle)):
        if operation.kind == "path" and isinstance(operation.node.get("operationId"), str):
            yield operation


def _method(
    bundle: Mapping[str, Any], operation: speclib.Operation, poll: str, classes: set[str]
) -> Method:
    node = operation.node
    operation_id = node["operationId"]
    body = speclib.request_body(dict(bundle), operation)
    arguments: list[Argument] = []
    in_body = body is not None
    if body is not None:
        schema = _json_schema(bundle, body[0])
        arguments = list(_body_arguments(bundle, schema))
    else:
        for _, parameter in speclib.operation_parameters(dict(bundle), operation):
            if parameter.get("in") == "query":
                schema = _deref(bundle, parameter.get("schema", {}))
                arguments.append(
                    Argument(
                        _python_name(_snake(parameter["name"])),
                        parameter["name"],
                        _hint(bundle, schema),
                        bool(parameter.get("required")),
                        _field_doc(bundle, parameter.get("description", ""), schema, []),
                    )
                )
    model = _success_model(bundle, node)
    _need_class(model, classes, f"{operation_id} answer")
    return Method(
        name=_python_name(_snake(operation_id)),
        operation_id=operation_id,
        summary=str(node.get("summary", "")),
        description=str(node.get("description", "")),
        creates=_links_to(bundle, node, poll),
        in_body=in_body,
        arguments=tuple(sorted(arguments, key=lambda a: not a.required)),
        model=model,
    )


def _need_class(name: str, classes: set[str], what: str) -> None:
    if name not in classes:
        raise BuildError(f"the models have no class {name} for the {what}")


def _json_schema(bundle: Mapping[str, Any], holder: Mapping[str, Any]) -> Any:
    holder = _deref(bundle, holder)
    media = holder.get("content", {}).get("application/json", {})
    return media.get("schema", {})


def _component_name(node: Any) -> str | None:
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    prefix = "#/components/schemas/"
    return ref[len(prefix) :] if isinstance(ref, str) and ref.startswith(prefix) else None


def _success_model(bundle: Mapping[str, Any], operation: Mapping[str, Any]) -> str:
    """The component of the 200 answer; of a `oneOf`, the branch no error response uses."""
    responses = operation.get("responses", {})
    schema = _json_schema(bundle, responses.get("200", {}))
    error_schemas = {
        _component_name(_json_schema(bundle, response))
        for code, response in responses.items()
        if code[:1] in "45"
    }
    name = _component_name(schema)
    resolved = _deref(bundle, schema)
    branches = resolved.get("oneOf") if isinstance(resolved, Mapping) else None
    if isinstance(branches, list):
        kept = [_component_name(b) for b in branches if _component_name(b) not in error_schemas]
        if len(kept) == 1 and kept[0]:
            return kept[0]
    if name is None:
        raise BuildError(f"{operation.get('operationId')}: the 200 answer is no component")
    return name


def _links_to(bundle: Mapping[str, Any], operation: Mapping[str, Any], poll: str) -> bool:
    return any(
        _deref(bundle, link).get("operationId") == poll
        for response in operation.get("responses", {}).values()
        for link in _deref(bundle, response).get("links", {}).values()
    )


def _callback_models(bundle: Mapping[str, Any]) -> Iterator[str]:
    for operation in _operations(bundle):
        for callback in operation.node.get("callbacks", {}).values():
            for item in _deref(bundle, callback).values():
                post = _deref(bundle, item).get("post", {})
                schema = _json_schema(bundle, post.get("requestBody", {}))
                name = _component_name(schema)
                if name is None:
                    raise BuildError(f"a callback of {operation.node['operationId']} has no model")
                yield name


def _deref(bundle: Mapping[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 32:
        node = speclib.resolve_pointer(bundle, speclib.ref_to_pointer(node["$ref"]))
        seen += 1
    return node


# ------------------------------------------------------------------------- arguments and docs

_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_TYPES_ANY = {"array": "list[Any]", "object": "dict[str, Any]", "null": "None"}
_LIMITS = {
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minimum": "≥ {}",
    "maximum": "≤ {}",
    "exclusiveMinimum": "> {}",
    "exclusiveMaximum": "< {}",
    "multipleOf": "a multiple of {}",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "format": "format {}",
}


def _body_arguments(bundle: Mapping[str, Any], schema: Any) -> Iterator[Argument]:
    resolved = _deref(bundle, schema)
    properties: dict[str, Any] = {}
    for part in [resolved, *resolved.get("allOf", [])]:
        properties.update(_deref(bundle, part).get("properties", {}))
    required = set(resolved.get("required", []))
    conditional = list(_conditional_rules(bundle, resolved, ()))
    for wire, prop in properties.items():
        prop_schema = _deref(bundle, prop)
        rules = [f"{rule} when {when}" for name, rule, when in conditional if name == wire]
        yield Argument(
            _python_name(_snake(wire)),
            wire,
            _hint(bundle, prop_schema),
            wire in required,
            _field_doc(
                bundle,
                prop.get("description") or prop_schema.get("description", ""),
                prop_schema,
                rules,
            ),
        )


def _conditional_rules(
    bundle: Mapping[str, Any], schema: Any, conditions: tuple[str, ...]
) -> Iterator[tuple[str, str, str]]:
    """(property, rule, condition) for every limit or requirement under an `if`."""
    schema = _deref(bundle, schema)
    if not isinstance(schema, Mapping):
        return
    if conditions:
        when = ", ".join(conditions)
        for name, prop in schema.get("properties", {}).items():
            for rule in _limit_words(_deref(bundle, prop)):
                yield name, rule, when
        for name in schema.get("required", []):
            yield name, "required", when
    for part in schema.get("allOf", []):
        yield from _conditional_rules(bundle, part, conditions)
    if "if" in schema:
        condition = _condition_words(_deref(bundle, schema["if"]))
        if "then" in schema:
            yield from _conditional_rules(bundle, schema["then"], (*conditions, condition))
        if "else" in schema:
            yield from _conditional_rules(bundle, schema["else"], (*conditions, f"not {condition}"))


def _condition_words(schema: Mapping[str, Any]) -> str:
    words = []
    for name, prop in schema.get("properties", {}).items():
        if "const" in prop:
            words.append(f"{name} is {json.dumps(prop['const'])}")
        elif "enum" in prop:
            words.append(f"{name} in {', '.join(json.dumps(v) for v in prop['enum'])}")
    return " and ".join(words) or "a condition holds"


def _limit_words(schema: Mapping[str, Any]) -> list[str]:
    return [template.format(schema[key]) for key, template in _LIMITS.items() if key in schema]


def _field_doc(
    bundle: Mapping[str, Any], description: str, schema: Mapping[str, Any], rules: list[str]
) -> str:
    parts = [" ".join(description.split())]
    limits = _limit_words(schema)
    if "enum" in schema:
        limits.append("one of " + ", ".join(json.dumps(v) for v in schema["enum"]))
    if "default" in schema:
        limits.append(f"default {json.dumps(schema['default'])}")
    if limits:
        parts.append("Limits: " + "; ".join(limits) + ".")
    if rules:
        parts.append("Rules: " + "; ".join(rules) + ".")
    return " ".join(p for p in parts if p)


def _hint(bundle: Mapping[str, Any], schema: Any) -> str:
    schema = _deref(bundle, schema)
    if not isinstance(schema, Mapping):
        return "Any"
    types = schema.get("type")
    names = types if isinstance(types, list) else [types] if types else []
    hints = [_TYPES.get(t) or _TYPES_ANY.get(t, "Any") for t in names]
    return " | ".join(dict.fromkeys(hints)) if hints else "Any"


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _python_name(name: str) -> str:
    name = re.sub(r"\W", "_", name)
    return f"{name}_" if keyword.iskeyword(name) or name in {"self", "max_retries"} else name


# ------------------------------------------------------------------------- rendering


def _docstring(text: str, indent: str) -> str:
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()
    body = textwrap.indent(safe, indent).lstrip() if safe else ""
    return f'{indent}"""{body}\n{indent}"""\n'


def _method_doc(method: Method) -> str:
    lines = [method.summary or method.operation_id, ""]
    if method.description.strip():
        lines += [method.description.strip(), ""]
    lines.append("Args:")
    for argument in method.arguments:
        wrapped = textwrap.wrap(
            f"{argument.name} ({argument.wire}): {argument.doc}", 88, subsequent_indent="    "
        )
        lines += [f"    {line}" for line in wrapped]
    lines.append("    max_retries: retries of this call (default: the client's).")
    lines += ["", "Every rule of the request schema (conditionals too) is checked before sending:"]
    lines.append("InvalidRequest is raised with nothing sent.")
    return "\n".join(lines)


def _render_method(method: Method, models: str, asynchronous: bool, task_model: str) -> str:
    signature = ["self", "*"]
    for argument in method.arguments:
        default = "" if argument.required else " = UNSET"
        signature.append(f"{argument.name}: {argument.hint}{default}")
    signature.append("max_retries: int | None = None")
    fields = ", ".join(f"{a.wire!r}: {a.name}" for a in method.arguments)
    task = "AsyncTask" if asynchronous else "Task"
    polled = task_model if task_model == "Any" else f"{models}.{task_model}"
    returns = (
        f"{task}[{models}.{method.model}, {polled}]"
        if method.creates
        else f"{models}.{method.model}"
    )
    prefix, wait = ("async def", "await ") if asynchronous else ("def", "")
    head = f"    {prefix} {method.name}(\n        " + ",\n        ".join(signature)
    text = head + f",\n    ) -> {returns}:\n" + _docstring(_method_doc(method), "        ")
    model = f"{models}.{method.model}"
    if method.creates:
        text += (
            f"        return {wait}self._create(\n"
            f"            {method.operation_id!r}, {model}, body_of({{{fields}}}), max_retries\n"
            "        )\n"
        )
    else:
        where = "body" if method.in_body else "params"
        text += (
            f"        answer, _ = {wait}self._call(\n"
            f"            {method.operation_id!r},\n"
            f"            {model},\n"
            f"            {where}=body_of({{{fields}}}),\n"
            "            max_retries=max_retries,\n"
            "        )\n"
            "        return answer\n"
        )
    return text


def render_facade(dist: Distribution, bundle: Mapping[str, Any], api: Api) -> str:
    models = dist.models_package
    info = bundle["info"]
    out = [
        f'"""{info["title"]} {info["version"]}: the spec-derived facade (`segue generate`; do not'
        " edit).\n\n"
        f"`{dist.title}` and `Async{dist.title}`: one method per operation, keyword arguments"
        " from the request\nschema, preflight before sending, typed errors, retries, and"
        " `Task.wait` for creates.\n"
        f"The low-level client is `{dist.title}(...).low_level` (`{dist.client_package}.api`).\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "import functools\n"
        "import json\n"
        "from importlib import resources\n"
        "from typing import Any\n\n"
        f"import {models}\n\n"
        "from ._segue import facts, request_validation\n"
        "from ._segue.client import UNSET, AsyncClient, AsyncTask, Core, SyncClient, Task,"
        " body_of\n"
        "from .client import AuthenticatedClient\n\n"
        '__all__ = ["BUNDLE", "FACTS", "UNSET", "AsyncTask", "Task",'
        f' "{dist.title}", "Async{dist.title}"]\n\n'
        "# The bundled spec this package was generated from: every fact the runtime acts on.\n"
        "BUNDLE: dict[str, Any] = json.loads(\n"
        '    resources.files(__package__).joinpath("_segue/bundle.json").read_text("utf-8")\n'
        ")\n"
        f"FACTS = facts.load({dist.vendor!r}, BUNDLE)\n\n\n"
        "@functools.cache\n"
        "def _validator() -> request_validation.RequestValidator:\n"
        '    """Compiled on the first request: importing the package stays cheap."""\n'
        f"    return request_validation.RequestValidator({dist.vendor!r}, BUNDLE)\n\n\n"
        f"_CORE = Core(FACTS, _validator, {models}.{api.poll_model})\n",
    ]
    for asynchronous in (False, True):
        name = f"Async{dist.title}" if asynchronous else dist.title
        base = "AsyncClient" if asynchronous else "SyncClient"
        doc = (
            f"{info['title']} ({'async' if asynchronous else 'sync'}).\n\n"
            f"`api_key` defaults to ${dist.vendor.upper()}_API_KEY, `base_url` to"
            f" ${dist.vendor.upper()}_BASE_URL or\n{bundle['servers'][0]['url']} (the spec's"
            " server). `max_retries` applies to every call unless one\npasses its own."
        )
        out.append(f"\n\nclass {name}({base}):\n" + _docstring(doc, "    "))
        out.append(
            "\n    _core = _CORE\n"
            f"    _env_prefix = {dist.vendor.upper()!r}\n"
            "    _low_level_class = AuthenticatedClient\n"
        )
        for method in api.methods:
            out.append("\n" + _render_method(method, models, asynchronous, api.task_model))
    return "".join(out)


def _extra_errors(dist: Distribution, table_names: list[str], errors_text: str) -> str:
    """Classes for names the spec's error table uses that the runtime does not define."""
    missing = [n for n in table_names if f"class {n}(" not in errors_text]
    return "".join(
        f"\n\nclass {name}({dist.error_base}):\n"
        f'    """The code the spec maps to {name} (x-segue-errors)."""\n\n\n'
        f"BY_NAME[{name!r}] = {name}\n"
        for name in missing
    )


_RUNTIME_ERRORS = (
    "InvalidRequest",
    "Unauthorized",
    "InsufficientCredits",
    "RateLimited",
    "Maintenance",
    "ServerError",
    "NotFound",
    "ConnectionFailed",
    "TaskFailed",
    "WaitTimeout",
    "InvalidCallback",
    "InvalidSignature",
    "ReplayedCallback",
)


def _error_names(dist: Distribution, table_names: list[str]) -> list[str]:
    return [dist.error_base, *dict.fromkeys([*_RUNTIME_ERRORS, *table_names])]


def _exceptions_module(dist: Distribution, names: list[str]) -> str:
    listed = ",\n    ".join(names)
    return (
        f'"""The typed errors of {dist.client_package} (`segue generate`; do not edit)."""\n\n'
        f"from ._segue.errors import (\n    {listed},\n)\n\n"
        "__all__ = [\n" + "".join(f"    {n!r},\n" for n in names) + "]\n"
    )


def _webhooks_module(dist: Distribution, bundle: Mapping[str, Any], api: Api) -> str:
    models = dist.models_package
    union = " | ".join(f"{models}.{name}" for name in api.callback_models)
    env = f"{dist.vendor.upper()}_WEBHOOK_HMAC_KEY"
    text = (
        f'"""Callbacks of {bundle["info"]["title"]} (`segue generate`; do not edit)."""\n\n'
        "from __future__ import annotations\n\n"
        "import os\n"
        "from collections.abc import Mapping\n\n"
        "import pydantic\n\n"
        f"import {models}\n\n"
        "from ._segue import webhooks as _webhooks\n"
        "from ._segue.webhooks import ReplayGuard\n"
        "from .sdk import FACTS\n\n"
        '__all__ = ["ReplayGuard", "parse"'
        + (
            ', "sign", "verify"]\n\n'
            if isinstance(bundle.get("x-segue-signature"), Mapping)
            else "]\n\n"
        )
        + f"Callback = {union}\n"
        "_ADAPTER: pydantic.TypeAdapter[Callback] = pydantic.TypeAdapter(Callback)\n\n\n"
        "def parse(raw_body: bytes | str) -> Callback:\n"
        '    """The callback body, validated and typed; `InvalidCallback` if it is not one."""\n'
        "    return _webhooks.parse(_ADAPTER, raw_body)\n"
    )
    if not isinstance(bundle.get("x-segue-signature"), Mapping):
        return text
    return text + (
        "\n\n"
        "def verify(\n"
        "    raw_body: bytes | str,\n"
        "    headers: Mapping[str, str],\n"
        "    *,\n"
        "    key: str | bytes | None = None,\n"
        "    tolerance: float | None = None,\n"
        "    replay_guard: ReplayGuard | None = None,\n"
        "    now: float | None = None,\n"
        ") -> Callback:\n"
        '    """The verified, typed callback, or `InvalidSignature`.\n\n'
        f"    `key` defaults to ${env}. The signature headers must be present, the timestamp\n"
        "    an integer within `tolerance` seconds of `now` either way (default: the spec's\n"
        "    tolerance), the HMAC over the signed message equal (constant-time compare). With\n"
        "    a `replay_guard`, the same task id, stage and timestamp twice raises\n"
        "    `ReplayedCallback`.\n"
        '    """\n'
        f"    secret = key if key is not None else os.environ.get({env!r})\n"
        "    if not secret:\n"
        f'        raise ValueError("no webhook key: pass key=… or set ${env}")\n'
        "    assert FACTS.signature is not None\n"
        "    return _webhooks.verify(\n"
        "        FACTS.signature,\n"
        "        FACTS.callback_stage,\n"
        "        _ADAPTER,\n"
        "        raw_body,\n"
        "        headers,\n"
        "        key=secret,\n"
        "        tolerance=tolerance,\n"
        "        replay_guard=replay_guard,\n"
        "        now=now,\n"
        "    )\n\n\n"
        "def sign(raw_body: bytes | str, key: str | bytes, timestamp: int) -> dict[str, str]:\n"
        '    """The headers the vendor would send with this body (for tests and relays)."""\n'
        "    import json\n\n"
        "    assert FACTS.signature is not None\n"
        "    body = json.loads(raw_body)\n"
        "    return {\n"
        "        FACTS.signature.timestamp_header: str(timestamp),\n"
        "        FACTS.signature.signature_header: _webhooks.sign(\n"
        "            FACTS.signature, key, body, timestamp\n"
        "        ),\n"
        "    }\n"
    )


def _init_module(dist: Distribution, bundle: Mapping[str, Any], error_names: list[str]) -> str:
    names = [
        "AuthenticatedClient",
        "Client",
        dist.title,
        f"Async{dist.title}",
        "Task",
        "AsyncTask",
        "UNSET",
        *error_names,
        "webhooks",
    ]
    listed = ",\n    ".join(error_names)
    return (
        f'"""{bundle["info"]["title"]} {bundle["info"]["version"]}, from its OpenAPI spec'
        " (`segue generate`; do not edit).\n\n"
        f"    import {dist.client_package}\n"
        f"    client = {dist.client_package}.{dist.title}(api_key=KEY)\n\n"
        f"`{dist.title}`/`Async{dist.title}` are the facade; `AuthenticatedClient` and"
        f" `{dist.client_package}.api`\nthe low-level generated client;"
        f" `{dist.models_package}` the pydantic models.\n"
        '"""\n\n'
        "from . import webhooks\n"
        "from .client import AuthenticatedClient, Client\n"
        f"from .exceptions import (\n    {listed},\n)\n"
        f"from .sdk import UNSET, Async{dist.title}, AsyncTask, {dist.title}, Task\n\n"
        "__all__ = (\n" + "".join(f"    {n!r},\n" for n in names) + ")\n"
    )


def _pyproject(dist: Distribution, bundle: Mapping[str, Any]) -> str:
    dependencies = "".join(f'    "{d}",\n' for d in DEPENDENCIES)
    return (
        "# Written by `segue generate` from the spec; do not edit.\n"
        "[project]\n"
        f'name = "{dist.client_package.replace("_", "-")}"\n'
        f'version = "{bundle["info"]["version"]}"\n'
        f'description = "{bundle["info"]["title"]}: client, models, errors, waiters, webhooks"\n'
        'readme = "README.md"\n'
        'requires-python = ">=3.11"\n'
        f"dependencies = [\n{dependencies}]\n\n"
        "[build-system]\n"
        'requires = ["hatchling>=1.25"]\n'
        'build-backend = "hatchling.build"\n\n'
        "[tool.hatch.build.targets.wheel]\n"
        f'packages = ["{dist.client_package}", "{dist.models_package}"]\n'
    )


def _readme(dist: Distribution, bundle: Mapping[str, Any]) -> str:
    return (
        f"# {dist.client_package.replace('_', '-')} {bundle['info']['version']}\n\n"
        f"{bundle['info']['title']}, generated by `segue generate` from its OpenAPI spec."
        " Do not edit.\n\n"
        f"- `{dist.client_package}.{dist.title}` / `Async{dist.title}`: typed methods,"
        " preflight, typed errors,\n  retries that never create a second task,"
        " `Task.wait`.\n"
        f"- `{dist.client_package}.webhooks`: callback parsing"
        + (
            " and signature verification"
            if isinstance(bundle.get("x-segue-signature"), Mapping)
            else ""
        )
        + ".\n"
        f"- `{dist.client_package}.api`, `AuthenticatedClient`: the low-level client"
        " (openapi-python-client).\n"
        f"- `{dist.models_package}`: pydantic v2 models of every schema"
        " (datamodel-code-generator).\n"
    )
