"""`segue mutate`: the mutants it derives from the specs, and (slow, opt-in) whole runs.

Fast tests (default run): the derivation finds every kind of constraint the specs state, names
each mutant readably and the same way every time, and a spec mutant changes exactly one keyword;
the mock's behaviour mutations are all understood by the mock and change what it sends.

End-to-end tests run the real command (a baseline suite run plus the mutant's: ~30 s each), so
they only run with `SEGUE_MUTATE_E2E=1` (`.ci/run` runs `segue mutate --profile quick` itself):

    SEGUE_MUTATE_E2E=1 uv run pytest contract_tests/test_mutate.py
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import spec_examples
from segue import speclib
from segue.mock import FakeClock, MockConfig, create_app
from segue.mock.testing import CallbackReceiver, SyncASGITransport, bearer, request_example
from segue.mutate.command import PROFILES, choose, likeliest_killers, matches
from segue.mutate.equivalence import observable, split_equivalent
from segue.mutate.mock_mutations import Mutations, UnknownMutation, mock_changes
from segue.mutate.mutants import (
    BEHAVIOUR,
    NON_RULE,
    REMOVED,
    RULE,
    Mutant,
    derive,
    renamed_field,
)
from segue.mutate.workspace import true_spec, write_spec_dir
from segue.paths import PROJECT_ROOT, VENDORS

E2E = pytest.mark.skipif(
    os.environ.get("SEGUE_MUTATE_E2E") != "1", reason="slow end-to-end run: set SEGUE_MUTATE_E2E=1"
)


@pytest.fixture(scope="module")
def mutants() -> dict[str, list[Mutant]]:
    return {vendor: derive(vendor, true_spec(vendor)) for vendor in VENDORS}


def schema(vendor: str, name: str) -> dict[str, Any]:
    node: dict[str, Any] = true_spec(vendor)["components"]["schemas"][name]
    return node


def branch_of(vendor: str, name: str, prop: str, value: Any) -> int:
    """The index of the `allOf` entry of schema `name` whose `if` says `prop` is `value`."""
    for index, entry in enumerate(schema(vendor, name)["allOf"]):
        if entry.get("if", {}).get("properties", {}).get(prop, {}).get("const") == value:
            return index
    raise AssertionError(f"{name} has no branch for {prop}={value}")


# --------------------------------------------------------------------------- derivation


def test_kie_has_a_loosened_and_a_tightened_mutant_of_the_v4_5all_title_limit(
    mutants: dict[str, list[Mutant]],
) -> None:
    index = branch_of("kie", "ExtensionCustomModeLimits", "model", "V4_5ALL")
    holder = f"/components/schemas/ExtensionCustomModeLimits/allOf/{index}/then/properties/title"
    limit = speclib.resolve_pointer(true_spec("kie"), holder)["maxLength"]
    found = {m.operator: m for m in mutants["kie"] if m.edit and m.edit.pointer == holder}
    loosened, tightened = found["maxLength-loosened"], found["maxLength-tightened"]
    assert (loosened.edit and loosened.edit.new, tightened.edit and tightened.edit.new) == (
        limit + 1,
        limit - 1,
    )
    assert (
        loosened.name
        == f"kie: ExtensionCustomModeLimits model=V4_5ALL title maxLength {limit}→{limit + 1}"
    )
    assert loosened.kind == RULE
    assert set(loosened.operations) == {"extendMusic", "uploadAndExtendAudio"}
    assert {"V4_5ALL", "title"} <= set(loosened.hints)


def test_udio_extend_audio_index_enum_loses_each_member_and_gains_the_next_index(
    mutants: dict[str, list[Mutant]],
) -> None:
    members = schema("udio", "ExtendSongRequest")["properties"]["extend_audio_index"]["enum"]
    pointer = "/components/schemas/ExtendSongRequest/properties/extend_audio_index/enum"
    found = [m for m in mutants["udio"] if m.pointer == pointer]
    removed = sorted(
        set(members) - set(m.edit.new)
        for m in found
        if m.operator == "enum-member-removed" and m.edit
    )
    added = [
        set(m.edit.new) - set(members)
        for m in found
        if m.operator == "enum-member-added" and m.edit
    ]
    assert removed == [{member} for member in sorted(members)]
    assert added == [{max(members) + 1}]
    assert {m.kind for m in found} == {RULE}


@pytest.mark.parametrize(
    ("vendor", "clip"),
    [
        ("kie", "CallbackClip"),
        ("kie", "UploadExtendCallbackClip"),
        ("udio", "FeedClip"),
        ("udio", "CallbackClip"),
    ],
)
def test_one_rename_mutant_per_callback_clip_field(
    vendor: str, clip: str, mutants: dict[str, list[Mutant]]
) -> None:
    declared: dict[str, str] = {}
    node = schema(vendor, clip)
    parts = [(f"/components/schemas/{clip}", node)]
    parts += [
        (f"/components/schemas/{clip}/allOf/{i}", sub)
        for i, sub in enumerate(node.get("allOf", []))
    ]
    optional: set[str] = set()
    for pointer, part in parts:
        for name in part.get("properties", {}):
            where = speclib.join_pointer(pointer, "properties", name)
            (
                declared.__setitem__(where, name)
                if name in part.get("required", [])
                else optional.add(where)
            )
    renames = {m.pointer: m for m in mutants[vendor] if m.operator == "callback-field-renamed"}
    assert declared and set(declared) <= set(renames)
    assert not optional & set(
        renames
    )  # an optional field may be missing: renaming it proves nothing
    for pointer, name in declared.items():
        mutant = renames[pointer]
        assert mutant.kind == RULE and mutant.fields == (name,)
        assert all(m.endswith(f"/{name}:{renamed_field(name)}") for m in mutant.mock_mutations)


def test_every_constraint_kind_is_found(mutants: dict[str, list[Mutant]]) -> None:
    operators = {m.operator for vendor in VENDORS for m in mutants[vendor]}
    assert {
        "maxLength-loosened",
        "maxLength-tightened",
        "minLength-loosened",
        "minLength-tightened",
        "enum-member-removed",
        "enum-member-added",
        "required-dropped",
        "minimum-loosened",
        "maximum-loosened",
        "exclusiveMinimum-loosened",
        "multipleOf-loosened",
        "const-changed",
        "format-removed",
        "callback-field-renamed",
        "wrong-code",
        "wrong-message",
        "rule-off",
        "callback-skipped",
        "status-backward",
        "callback-unsigned",
    } <= operators


def test_required_entries_of_then_branches_are_dropped_but_never_those_of_an_if(
    mutants: dict[str, list[Mutant]],
) -> None:
    dropped = [m for vendor in VENDORS for m in mutants[vendor] if m.operator == "required-dropped"]
    assert not [m.pointer for m in dropped if "/if/" in m.pointer]
    then = next(
        m
        for m in dropped
        if m.pointer.startswith("/components/schemas/UploadAndExtendAudioRequest/")
        and m.pointer.endswith("/then/required")
        and m.fields[-1] == "instrumental"
    )
    assert (
        then.name
        == "kie: UploadAndExtendAudioRequest defaultParamFlag=true required drops instrumental"
    )


def test_kinds_follow_where_a_constraint_is_read(mutants: dict[str, list[Mutant]]) -> None:
    by_pointer = {m.pointer: m.kind for m in mutants["kie"]}
    assert by_pointer["/components/schemas/Model/enum"] == RULE  # a request schema
    assert by_pointer["/components/schemas/TaskStatus/enum"] == NON_RULE  # only polled answers
    assert by_pointer["/components/schemas/CallbackClip/required"] == NON_RULE  # only callbacks
    assert {
        m.kind
        for m in mutants["kie"]
        if m.mock_mutations and m.operator != "callback-field-renamed"
    } == {BEHAVIOUR}


def test_names_are_unique_and_the_same_in_another_process(mutants: dict[str, list[Mutant]]) -> None:
    names = [m.name for vendor in VENDORS for m in mutants[vendor]]
    assert len(names) == len(set(names))
    code = (
        "import json; from segue.mutate.command import all_mutants; "
        "print(json.dumps([m.name for m in all_mutants(('kie', 'udio'))]))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert json.loads(other.stdout) == names


def _differences(left: Any, right: Any, pointer: str = "") -> Iterator[str]:
    """Pointers where two JSON documents differ; lists of values (`required`, `enum`) count whole,
    lists of schemas (`allOf`) are walked item by item."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                yield speclib.join_pointer(pointer, key)
            else:
                yield from _differences(left[key], right[key], speclib.join_pointer(pointer, key))
    elif (
        isinstance(left, list)
        and isinstance(right, list)
        and len(left) == len(right)
        and any(isinstance(item, dict) for item in left)
    ):
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            yield from _differences(a, b, speclib.join_pointer(pointer, index))
    elif left != right or type(left) is not type(right):
        yield pointer


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_spec_mutant_changes_exactly_one_keyword(
    vendor: str, mutants: dict[str, list[Mutant]]
) -> None:
    original = true_spec(vendor)
    pristine = copy.deepcopy(original)
    for mutant in mutants[vendor]:
        if mutant.edit is None:
            continue
        mutated = mutant.edit.apply(original)
        assert list(_differences(original, mutated)) == [mutant.edit.keyword_pointer], mutant.name
        if mutant.edit.new is REMOVED:
            assert mutant.edit.keyword not in speclib.resolve_pointer(mutated, mutant.edit.pointer)
    assert original == pristine  # applying never touches the true spec


def test_the_mock_serves_a_mutant_spec_folder(
    mutants: dict[str, list[Mutant]], tmp_path: Path
) -> None:
    """The mock loads what the workspace writes, and the mutated limit is the one it enforces."""
    mutant = next(
        m
        for m in mutants["kie"]
        if m.name.startswith("kie: ExtensionCustomModeLimits model=V4 title maxLength")
    )
    assert mutant.edit is not None
    folder = write_spec_dir(tmp_path / "m", "kie", mutant.edit)
    app = create_app(MockConfig(spec_dir=folder, api_keys=("k",), clock=FakeClock()))
    try:
        served = app.state.segue.specs["kie"].resolve(mutant.edit.pointer)[mutant.edit.keyword]
        assert served == mutant.edit.new
        assert app.state.segue.specs["udio"].document == true_spec("udio")
    finally:
        app.state.segue.close()


def _tiny_spec(base_limit: int, branch_modes: list[str]) -> dict[str, Any]:
    """An API capping `title` at `base_limit`, and at 10 when `mode` is in `branch_modes`."""
    condition = {"required": ["mode"], "properties": {"mode": {"enum": branch_modes}}}
    request = {
        "type": "object",
        "required": ["mode"],
        "properties": {
            "mode": {"enum": ["a", "b"]},
            "title": {"type": "string", "maxLength": base_limit},
        },
        "allOf": [{"if": condition, "then": {"properties": {"title": {"maxLength": 10}}}}],
    }
    media = {
        "schema": {"$ref": "#/components/schemas/Request"},
        "example": {"mode": "a", "title": "hi"},
    }
    operation = {
        "operationId": "post",
        "requestBody": {"content": {"application/json": media}},
        "responses": {"200": {"description": "ok"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "tiny", "version": "1"},
        "paths": {"/x": {"post": operation}},
        "components": {"schemas": {"Request": request}},
    }


def _loosened_title_limits(document: dict[str, Any]) -> tuple[set[str], set[str]]:
    kept, equivalent = split_equivalent(document, derive("tiny", document))
    pick = {m.pointer for m in kept if m.operator == "maxLength-loosened"}
    return pick, {m.pointer for m in equivalent if m.operator == "maxLength-loosened"}


def test_a_redundant_limit_is_set_aside_as_equivalent() -> None:
    base = "/components/schemas/Request/properties/title/maxLength"
    branch = "/components/schemas/Request/allOf/0/then/properties/title/maxLength"
    # 10 overall and 10 in a branch every mode takes: loosening either one alone changes nothing.
    assert _loosened_title_limits(_tiny_spec(10, ["a", "b"])) == (set(), {base, branch})
    # 20 overall, 10 for mode a: mode b shows the first, mode a the second.
    assert _loosened_title_limits(_tiny_spec(20, ["a"])) == ({base, branch}, set())


def test_the_v4_5all_limits_and_their_condition_are_observable(
    mutants: dict[str, list[Mutant]],
) -> None:
    index = branch_of("kie", "ExtensionCustomModeLimits", "model", "V4_5ALL")
    branch = f"/components/schemas/ExtensionCustomModeLimits/allOf/{index}/"
    found = [m for m in mutants["kie"] if m.pointer.startswith(branch)]
    assert {m.operator for m in found} >= {"maxLength-loosened", "const-changed"}
    assert all(observable(true_spec("kie"), m) for m in found)


# --------------------------------------------------------------------------- behaviour hooks


def test_every_behaviour_mutation_is_understood_by_the_mock(
    mutants: dict[str, list[Mutant]],
) -> None:
    ids = [mutation for vendor in VENDORS for m in mutants[vendor] for mutation in m.mock_mutations]
    Mutations.parse(ids)  # raises on an id the mock does not know
    with pytest.raises(UnknownMutation):
        Mutations.parse(["rule-off:kie:no-such-rule"])


@pytest.fixture
def mutated_mock(request: pytest.FixtureRequest) -> Iterator[tuple[httpx.Client, Any]]:
    config = MockConfig(
        api_keys=("k",),
        clock=FakeClock(),
        stage_seconds=None,
        **mock_changes(request.param),
        webhook_hmac_key="hmac",
        callback_backoff=0.01,
    )
    app = create_app(config)
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://mock") as client:
        yield client, app
    app.state.segue.close()


def _generate(client: httpx.Client, callback_url: str) -> str:
    body = {
        **request_example(true_spec_obj("kie"), "generateMusic", "customVocal"),
        "callBackUrl": callback_url,
    }
    answer = client.post("/api/v1/generate", json=body, headers=bearer("k")).json()
    task_id: str = answer["data"]["taskId"]
    return task_id


def true_spec_obj(vendor: str) -> Any:
    from segue.mock.spec import load_vendor_spec

    return load_vendor_spec(vendor)


@pytest.mark.parametrize(
    "mutated_mock",
    [
        [
            "rename-callback-field:kie:generateMusic:data/data/*/audio_url:audioUrl",
            "unsigned-callbacks:kie",
            "skip-callback:kie:first",
        ]
    ],
    indirect=True,
)
def test_behaviour_mutations_change_what_the_mock_sends(
    mutated_mock: tuple[httpx.Client, Any],
) -> None:
    client, _ = mutated_mock
    with CallbackReceiver() as receiver:
        task_id = _generate(client, receiver.url("/cb"))
        client.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
        received = receiver.wait_for(2)  # text and complete: first was skipped
        assert client.get("/_segue/callbacks", params={"wait": "5"}).json()["idle"]
    stages = [r.json()["data"]["callbackType"] for r in received]
    assert stages == ["text", "complete"]
    clip = received[-1].json()["data"]["data"][0]
    assert "audioUrl" in clip and "audio_url" not in clip
    assert all(r.header("X-Webhook-Signature") is None for r in received)


@pytest.mark.parametrize(
    "mutated_mock", [["wrong-message:kie:task-not-found", "status-backward:kie"]], indirect=True
)
def test_answer_and_poll_mutations(mutated_mock: tuple[httpx.Client, Any]) -> None:
    client, _ = mutated_mock
    missing = client.get(
        "/api/v1/generate/record-info", params={"taskId": "nope"}, headers=bearer("k")
    ).json()
    documented = spec_examples.answer("kie", "getMusicTaskDetails", rule="task-not-found")
    assert missing["code"] == documented["code"] and missing["msg"] != documented["msg"]
    task_id = _generate(client, "http://127.0.0.1:9/never")
    client.post(f"/_segue/tasks/{task_id}/advance", json={"to_end": True})
    statuses = [
        client.get(
            "/api/v1/generate/record-info", params={"taskId": task_id}, headers=bearer("k")
        ).json()["data"]["status"]
        for _ in range(2)
    ]
    assert statuses == ["SUCCESS", "FIRST_SUCCESS"]


# --------------------------------------------------------------------------- choosing and ordering


def test_only_matches_exact_names_and_patterns(mutants: dict[str, list[Mutant]]) -> None:
    every = mutants["kie"] + mutants["udio"]
    name = next(m.name for m in every if m.operator == "maxLength-loosened")
    assert [m.name for m in every if matches(m, [name])] == [name]
    assert {m.operator for m in choose(every, PROFILES["quick"], ["*maxLength*"])} == {
        "maxLength-loosened",
        "maxLength-tightened",
    }
    assert {m.kind for m in choose(every, PROFILES["quick"], [])} == {RULE, BEHAVIOUR}
    assert NON_RULE in {m.kind for m in choose(every, PROFILES["exhaustive"], [])}


def test_the_likeliest_killers_name_the_mutant(mutants: dict[str, list[Mutant]]) -> None:
    prefix = "kie: ExtensionCustomModeLimits model=V4_5ALL title maxLength"
    mutant = next(m for m in mutants["kie"] if m.name.startswith(prefix))
    length = "suite/test_rules.py::test_length[kie-extendMusic:title<={}[custom=true,model={}]]"
    checks = {
        "suite/test_rules.py::test_enum[kie-extendMusic:model]": "enum",
        length.format(80, "V4_5ALL"): "length limit",
        length.format(100, "V5"): "length limit",
        "suite/test_other.py::test_unrelated[udio]": "lifecycle",
    }
    ids = list(checks)
    first = likeliest_killers(
        [(nodeid, f"{nodeid} {check}") for nodeid, check in checks.items()], mutant
    )
    assert first[:2] == (ids[1], ids[2])
    assert ids[3] not in first


# --------------------------------------------------------------------------- end to end (opt-in)


def _segue_mutate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segue.cli", "mutate", "--jobs", "2", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _limit_mutant(mutants: dict[str, list[Mutant]]) -> str:
    return next(
        m.name
        for m in mutants["kie"]
        if m.name.startswith("kie: ExtensionCustomModeLimits model=V4_5ALL title maxLength")
        and m.operator == "maxLength-loosened"
    )


@E2E
def test_a_limit_mutant_is_killed(mutants: dict[str, list[Mutant]], tmp_path: Path) -> None:
    name = _limit_mutant(mutants)
    run = _segue_mutate("--only", name, "--report", str(tmp_path / "r.json"))
    assert run.returncode == 0, run.stdout + run.stderr
    [row] = json.loads((tmp_path / "r.json").read_text())["mutants"]
    assert (row["name"], row["result"]) == (name, "killed")
    assert "title" in row["killed_by"] and "V4_5ALL" in row["killed_by"]


@E2E
def test_a_weak_suite_lets_the_mutant_survive_and_fails_the_command(
    mutants: dict[str, list[Mutant]],
) -> None:
    name = _limit_mutant(mutants)
    # Only the "every enum member is accepted" tests: they pass whatever the title limit is.
    run = _segue_mutate("--only", name, "--select", "test_every_enum_member_is_accepted")
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"SURVIVED (rule) {name}" in run.stdout
