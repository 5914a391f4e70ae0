"""The generated SDKs work: models parse every example of the specs, clients talk to the mock.

- Every example of every media type (request bodies, responses, callbacks, webhooks) in the
  bundled specs parses with the generated pydantic models; the model is found from the schema
  the spec puts beside the example (a `$ref` names the model, a `oneOf` of `$ref`s a union of
  them), not from a hand-kept list.
- Every operation of the generated clients (kie_client, udio_client), sync and async, is called
  over HTTP against segue's stateful mock on 127.0.0.1 (`live_mock_server`), with the spec's
  request examples, and answers parse into the documented models. A KIE error answered as
  HTTP 200 `{"code": 422, ...}` parses into an ErrorResponse, not an exception.
- The TypeScript types compile together with a typed usage file (tsc --noEmit).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import httpx
import kie_client
import kie_models
import pytest
import udio_client
import udio_models
from openapi_python_client.strings import snake_case
from pydantic import TypeAdapter, ValidationError
from segue import speclib
from segue.mock import FakeClock, LiveServer, MockConfig
from segue.paths import GENERATED_DIR, NODE_DIR, PROJECT_ROOT

VENDORS: dict[str, tuple[ModuleType, ModuleType]] = {
    "kie": (kie_client, kie_models),
    "udio": (udio_client, udio_models),
}


def bundle(vendor: str) -> dict[str, Any]:
    return json.loads((GENERATED_DIR / "openapi" / f"{vendor}.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- models vs examples


@dataclass(frozen=True)
class ExampleCase:
    vendor: str
    pointer: str  # where the example is used
    value: Any
    schema: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.vendor}:{self.pointer}"


def example_cases() -> Iterator[ExampleCase]:
    """Every named or inline example of every media type, with the schema beside it."""
    for vendor in VENDORS:
        document = bundle(vendor)
        for slot in speclib.iter_slots(document):
            if slot.kind != "media type" or "schema" not in slot.node:
                continue
            for example in speclib.iter_examples(document, slot.node, slot.pointer):
                yield ExampleCase(vendor, example.pointer, example.value, slot.node["schema"])


def model_names(schema: dict[str, Any]) -> list[str]:
    """The component names a media-type schema stands for: itself, or its oneOf/anyOf branches."""
    if speclib.is_ref(schema):
        return [speclib.ref_to_pointer(schema["$ref"]).rsplit("/", 1)[-1]]
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    if branches and all(speclib.is_ref(branch) for branch in branches):
        return [name for branch in branches for name in model_names(branch)]
    raise AssertionError(f"no generated model stands for the inline schema {schema}")


EXAMPLES = list(example_cases())


def test_the_specs_have_examples_of_every_kind() -> None:
    """Guards the parametrization below against silently finding nothing."""
    pointers = [case.pointer for case in EXAMPLES]
    assert any("/requestBody/" in p and "/callbacks/" not in p for p in pointers)
    assert any("/responses/" in p for p in pointers)
    assert any(p.startswith(("/webhooks/", "/components/pathItems/")) for p in pointers)
    assert {case.vendor for case in EXAMPLES} == set(VENDORS)


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda case: case.id)
def test_every_example_parses_with_its_generated_model(case: ExampleCase) -> None:
    models = VENDORS[case.vendor][1]
    classes = [getattr(models, name) for name in model_names(case.schema)]
    accepting = []
    for cls in classes:
        try:
            TypeAdapter(cls).validate_python(case.value)
        except ValidationError:
            continue
        accepting.append(cls.__name__)
    # One model, or exactly one branch of a oneOf: the parsed type tells the caller what came.
    assert len(accepting) == 1, (
        f"accepted by {accepting or 'none'} of {[c.__name__ for c in classes]}"
    )


def test_models_reject_what_the_spec_rejects() -> None:
    """The models are not accept-anything: a success envelope is not an error, and back."""
    document = bundle("kie")
    examples = document["components"]["examples"]
    created, missing_url = examples["TaskCreated"]["value"], examples["CallBackUrlMissing"]["value"]
    with pytest.raises(ValidationError):
        kie_models.TaskCreatedResponse.model_validate(missing_url)
    with pytest.raises(ValidationError):
        kie_models.ErrorResponse.model_validate(created)
    outcome = kie_models.CreateTaskOutcome.model_validate(missing_url).root
    assert isinstance(outcome, kie_models.ErrorResponse)
    assert outcome.code == missing_url["code"] != 200
    clip = dict(examples["CallbackComplete"]["value"]["data"]["data"][0])
    del clip["audio_url"]
    with pytest.raises(ValidationError, match="audio_url"):
        kie_models.CallbackClip.model_validate(clip)


# --------------------------------------------------------------------------- clients vs the mock


@dataclass(frozen=True)
class Operation:
    vendor: str
    operation_id: str
    module: ModuleType  # kie_client.api.<tag>.<operation>
    body_model: type | None  # the client model of the JSON request body
    request_examples: list[Any]


def client_operations(vendor: str) -> dict[str, Operation]:
    """Every operation of the vendor's paths, with its generated function module and examples."""
    package, _ = VENDORS[vendor]
    document = bundle(vendor)
    found = {}
    for op in speclib.iter_operations(document):
        if op.kind != "path":
            continue
        operation_id = op.node["operationId"]
        module = importlib.import_module(
            f"{package.__name__}.api.{snake_case(op.node['tags'][0])}.{snake_case(operation_id)}"
        )
        body_model, examples = None, []
        body = speclib.request_body(document, op)
        if body is not None:
            media = body[0]["content"]["application/json"]
            body_model = getattr(package.models, model_names(media["schema"])[0])
            pointer = speclib.join_pointer(body[1], "content", "application/json")
            examples = [e.value for e in speclib.iter_examples(document, media, pointer)]
        found[operation_id] = Operation(vendor, operation_id, module, body_model, examples)
    return found


class Caller:
    """Calls a generated operation sync (`sync_detailed`) or async (`asyncio_detailed`).

    The mock serves each vendor under its spec's server path (Udio's `https://udioapi.pro/api`
    is the mock's `/api`), so the client's base URL is the mock's plus that path.
    """

    def __init__(self, mode: str, base_url: str, token: str) -> None:
        self.mode, self.base_url, self.token = mode, base_url, token
        self.called: set[str] = set()

    def client(self, package: ModuleType, token: str | None = None) -> Any:
        vendor = package.__name__.removesuffix("_client")
        server_path = urlsplit(bundle(vendor)["servers"][0]["url"]).path.rstrip("/")
        return package.AuthenticatedClient(
            base_url=self.base_url + server_path,
            token=token or self.token,
            timeout=httpx.Timeout(10.0),
            httpx_args={"trust_env": False},
        )

    def __call__(self, operation: Operation, token: str | None = None, **kwargs: Any) -> Any:
        self.called.add(operation.operation_id)
        package = VENDORS[operation.vendor][0]
        if self.mode == "sync":
            with self.client(package, token) as client:
                return operation.module.sync_detailed(client=client, **kwargs)

        async def call() -> Any:
            async with self.client(package, token) as client:
                return await operation.module.asyncio_detailed(client=client, **kwargs)

        return asyncio.run(call())

    def body(self, operation: Operation, value: dict[str, Any]) -> Any:
        assert operation.body_model is not None
        return operation.body_model.from_dict(value)


@pytest.fixture(params=["sync", "async"])
def caller(
    request: pytest.FixtureRequest, live_mock_server: LiveServer, mock_config: MockConfig
) -> Caller:
    return Caller(request.param, live_mock_server.base_url, mock_config.api_keys[0])


def longest_limit(document: dict[str, Any]) -> int:
    """The largest `maxLength` of any schema in the document."""
    limits = [
        schema["maxLength"]
        for _, schema in speclib.iter_schemas(document)
        if isinstance(schema, dict) and isinstance(schema.get("maxLength"), int)
    ]
    return max(limits)


def finish_every_task(clock: FakeClock) -> None:
    clock.advance(3600)  # far beyond every stage (stage_seconds=2 in conftest's mock_config)


def test_kie_client_calls_every_operation(caller: Caller, fake_clock: FakeClock) -> None:
    ops = client_operations("kie")
    models = kie_client.models

    created = {}
    for example in ops["generateMusic"].request_examples:
        answer = caller(ops["generateMusic"], body=caller.body(ops["generateMusic"], example))
        assert answer.status_code == 200, answer.content
        assert isinstance(answer.parsed, models.TaskCreatedResponse), answer.content
        created[answer.parsed.data.task_id] = example["model"]
    finish_every_task(fake_clock)

    clips = []
    for task_id, model in created.items():
        answer = caller(ops["getMusicTaskDetails"], task_id=task_id)
        assert isinstance(answer.parsed, models.TaskDetailsResponse), answer.content
        assert answer.parsed.data.status == models.TaskStatus.SUCCESS
        clips += [(clip.id, model) for clip in answer.parsed.data.response.suno_data]

    for example in ops["extendMusic"].request_examples:
        audio_id, model = clips[0]  # an extension continues a clip of the same model
        body = caller.body(ops["extendMusic"], {**example, "audioId": audio_id, "model": model})
        answer = caller(ops["extendMusic"], body=body)
        assert isinstance(answer.parsed, models.TaskCreatedResponse), answer.content

    for example in ops["uploadAndExtendAudio"].request_examples:
        body = caller.body(ops["uploadAndExtendAudio"], example)
        answer = caller(ops["uploadAndExtendAudio"], body=body)
        assert isinstance(answer.parsed, models.TaskCreatedResponse), answer.content

    assert caller.called == set(ops), "an operation of the spec was not called"


def test_kie_error_with_http_200_parses_into_an_error_response(caller: Caller) -> None:
    """KIE answers errors with HTTP 200 and the code in the envelope: the caller gets a value."""
    ops = client_operations("kie")
    operation = ops["extendMusic"]
    example = operation.request_examples[0]
    too_long = "x" * (longest_limit(bundle("kie")) + 1)  # over every limit of the spec
    body = caller.body(operation, {**example, "title": too_long})

    answer = caller(operation, body=body)

    assert answer.status_code == 200
    assert isinstance(answer.parsed, kie_client.models.ErrorResponse), answer.content
    assert answer.parsed.code == 422
    assert answer.parsed.msg.startswith("title: ")

    unauthorized = caller(ops["getMusicTaskDetails"], token="not-a-key", task_id="whatever")
    assert unauthorized.status_code == 200
    assert isinstance(unauthorized.parsed, kie_client.models.ErrorResponse)
    assert unauthorized.parsed.code == 401


def test_udio_client_calls_every_operation(caller: Caller, fake_clock: FakeClock) -> None:
    ops = client_operations("udio")
    models = udio_client.models

    work_ids = []
    for example in ops["generateSong"].request_examples:
        answer = caller(ops["generateSong"], body=caller.body(ops["generateSong"], example))
        assert answer.status_code == 200, answer.content
        assert isinstance(answer.parsed, models.WorkCreatedResponse), answer.content
        work_ids.append(answer.parsed.work_id)
    finish_every_task(fake_clock)

    for work_id in work_ids:
        answer = caller(ops["getFeed"], work_id=work_id)
        assert isinstance(answer.parsed, models.FeedResponse), answer.content
        statuses = {clip.status for clip in answer.parsed.data.response_data}
        assert statuses == {models.ClipStatus.COMPLETE}

    for example in ops["extendSong"].request_examples:
        body = caller.body(ops["extendSong"], {**example, "origin_task_id": work_ids[0]})
        answer = caller(ops["extendSong"], body=body)
        assert isinstance(answer.parsed, models.WorkCreatedResponse), answer.content

    unknown = {**ops["extendSong"].request_examples[0], "origin_task_id": "gen-unknown"}
    answer = caller(ops["extendSong"], body=caller.body(ops["extendSong"], unknown))
    assert answer.status_code == 400
    assert isinstance(answer.parsed, models.ErrorResponse)
    assert answer.parsed.code == 400

    assert caller.called == set(ops), "an operation of the spec was not called"


# --------------------------------------------------------------------------- TypeScript


TYPESCRIPT_DIR = PROJECT_ROOT / "contract_tests" / "typescript"

# A use of the types that must not compile: callback clips are snake_case (`audio_url`).
WRONG_USE = """\
import type {{ components }} from "{types}";
export const url = (clip: components["schemas"]["CallbackClip"]): string => clip.audioUrl;
"""


@pytest.fixture(scope="module")
def tsc_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One `tsc --noEmit` (~5 s) over usage.ts and a file that must fail, in a scratch project."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm are not installed")
    if not (NODE_DIR / "node_modules" / ".bin" / "tsc").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)
    project = tmp_path_factory.mktemp("tsc")
    types = (GENERATED_DIR / "typescript" / "kie").as_posix()
    (project / "wrong.ts").write_text(WRONG_USE.format(types=types), encoding="utf-8")
    config = json.loads((TYPESCRIPT_DIR / "tsconfig.json").read_text(encoding="utf-8"))
    config["files"] = [(TYPESCRIPT_DIR / "usage.ts").as_posix(), "wrong.ts"]
    (project / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(
        ["npx", "--no-install", "tsc", "--noEmit", "--pretty", "false", "-p", str(project)],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout + result.stderr


def test_typescript_types_compile_with_the_usage_file(tsc_output: str) -> None:
    """usage.ts (an extend request, callback payloads, its @ts-expect-error rules) type-checks."""
    errors = [line for line in tsc_output.splitlines() if "error TS" in line]
    assert errors, "tsc reported nothing, not even the wrong use: did it run?"
    assert [line for line in errors if not line.split("(", 1)[0].endswith("wrong.ts")] == []


def test_tsc_rejects_a_wrong_use_of_the_types(tsc_output: str) -> None:
    """The compile check can fail: reading a callback clip's camelCase field is an error."""
    assert "wrong.ts" in tsc_output
    assert "audioUrl" in tsc_output
