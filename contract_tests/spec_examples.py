"""The documented answers, read from the spec files by example name, for the mock's own tests.

Independent of the mock's lookup (`segue.mock.spec`): an answer swapped or mis-indexed inside the
mock then fails the tests instead of moving the expected value along with it. Each answer is the
named example whose `x-segue-when` names the situation: the operation's own response examples
first, else any under `components/examples` (as the specs document shared answers).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from segue import paths, speclib


@functools.cache
def spec_document(vendor: str) -> dict[str, Any]:
    return speclib.load_spec(paths.spec_path(vendor))


def example(vendor: str, name: str) -> Any:
    """A copy of the value of `components/examples/<name>`."""
    return copy.deepcopy(spec_document(vendor)["components"]["examples"][name]["value"])


def documented(
    vendor: str, operation_id: str | None, *, rule: str | None = None, invalid: str | None = None
) -> tuple[str, Any]:
    """(name, copy of the value) of the example documenting `rule` (or property `invalid`)."""
    wanted = {"rule": rule} if rule is not None else {"invalid": invalid}
    document = spec_document(vendor)
    for operation in speclib.iter_operations(document):
        if operation.kind != "path" or operation.node.get("operationId") != operation_id:
            continue
        for _, response, pointer in speclib.responses(document, operation):
            for _, media, media_pointer in speclib.media_types(response, pointer):
                for found in speclib.iter_examples(document, media, media_pointer):
                    when = found.extensions.get("x-segue-when") or {}
                    if all(when.get(k) == v for k, v in wanted.items()):
                        return str(found.name), copy.deepcopy(found.value)
    for name, component in document["components"]["examples"].items():
        when = component.get("x-segue-when") or {}
        if all(when.get(k) == v for k, v in wanted.items()):
            return str(name), copy.deepcopy(component["value"])
    raise KeyError(f"{vendor} documents no answer for {wanted} ({operation_id})")


def answer(
    vendor: str, operation_id: str | None, *, rule: str | None = None, invalid: str | None = None
) -> Any:
    """The body the spec documents for the situation (see `documented`)."""
    return documented(vendor, operation_id, rule=rule, invalid=invalid)[1]
