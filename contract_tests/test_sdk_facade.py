"""The generated facade follows its spec: a method per operation, its keyword arguments and
docstring from the request schema, the distribution's version from `info.version`."""

from __future__ import annotations

import inspect
import json
import re
import tomllib
from typing import Any

import kie_client
import pytest
import udio_client
from segue.paths import GENERATED_DIR

FACADES = {
    "kie": (kie_client.Kie, kie_client.AsyncKie),
    "udio": (udio_client.Udio, udio_client.AsyncUdio),
}


def bundle(vendor: str) -> dict[str, Any]:
    return json.loads((GENERATED_DIR / "openapi" / f"{vendor}.json").read_text(encoding="utf-8"))


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        op
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]


def body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


@pytest.mark.parametrize("vendor", sorted(FACADES))
def test_one_method_per_operation_with_the_schemas_required_arguments(vendor: str) -> None:
    document = bundle(vendor)
    for facade in FACADES[vendor]:
        for operation in operations(document):
            method = getattr(facade, snake(operation["operationId"]))
            parameters = inspect.signature(method).parameters
            required = {n for n, p in parameters.items() if p.default is inspect.Parameter.empty}
            if "requestBody" in operation:
                schema = body_schema(document, operation)
                assert required - {"self"} == {snake(n) for n in schema.get("required", [])}
                assert set(parameters) - {"self", "max_retries"} == {
                    snake(n) for n in schema["properties"]
                } | {
                    snake(n) for part in schema.get("allOf", []) for n in part.get("properties", {})
                }
            assert inspect.iscoroutinefunction(method) == facade.__name__.startswith("Async")
            assert operation["summary"] in (method.__doc__ or "")


def test_docstrings_carry_the_conditional_limits() -> None:
    doc = kie_client.Kie.generate_music.__doc__ or ""
    title_limit = bundle("kie")["components"]["schemas"]["GenerateMusicRequest"]["allOf"][0][
        "then"
    ]["properties"]["title"]["maxLength"]
    assert f"at most {title_limit} characters when customMode is true" in " ".join(doc.split())


@pytest.mark.parametrize("vendor", sorted(FACADES))
def test_the_distribution_is_versioned_by_the_spec_and_needs_no_segue(vendor: str) -> None:
    project = tomllib.loads(
        (GENERATED_DIR / "python" / vendor / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    assert project["version"] == bundle(vendor)["info"]["version"]
    names = {re.split(r"[<>=!~ ]", d, maxsplit=1)[0] for d in project["dependencies"]}
    assert names <= {"httpx", "attrs", "pydantic", "jsonschema-rs", "pyyaml"}
