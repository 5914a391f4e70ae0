"""`segue lint`, the mock's part: every situation the mock can answer is documented for its
operation.

The mock answers each refusal with the example whose `x-segue-when` names the situation
(`segue.mock.spec`); `segue.mock.models.SITUATIONS_BY_OPERATION` lists, per operation, the rule
ids (and `invalid=<property>` answers) it can raise. Each must be one of the operation's own
response examples, so that a spec change dropping one fails here, not with a mock answering an
undocumented 500 at run time. `not-found` (any path, no operation) may be documented anywhere in
the document (`components/examples`).
"""

from __future__ import annotations

from typing import Any

from segue import speclib
from segue.mock.models import ANY_PATH, SITUATIONS_BY_OPERATION

Problem = tuple[str, str]


def check_mock_situations(document: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for operation in speclib.iter_operations(document):
        operation_id = operation.node.get("operationId")
        if operation.kind != "path" or operation_id not in SITUATIONS_BY_OPERATION:
            continue
        documented = _documented(document, operation)
        for situation in SITUATIONS_BY_OPERATION[operation_id]:
            if situation not in documented:
                problems.append(
                    (
                        speclib.join_pointer(operation.pointer, "responses"),
                        f"the mock can answer {operation_id} with {situation!r}, but no response"
                        " example of the operation documents it (x-segue-when)",
                    )
                )
    if any(op.node.get("operationId") in SITUATIONS_BY_OPERATION for op in _paths(document)):
        anywhere = _documented_anywhere(document)
        problems += [
            ("/components/examples", f"the mock answers any unknown path with {rule!r}, but no"
             " example documents it (x-segue-when)")
            for rule in ANY_PATH
            if rule not in anywhere
        ]  # fmt: skip
    return problems


def _paths(document: dict[str, Any]) -> list[speclib.Operation]:
    return [op for op in speclib.iter_operations(document) if op.kind == "path"]


def _situation(when: Any) -> str | None:
    if not isinstance(when, dict):
        return None
    if "rule" in when:
        return str(when["rule"])
    return f"invalid={when['invalid']}" if "invalid" in when else None


def _documented(document: dict[str, Any], operation: speclib.Operation) -> set[str]:
    """The situations the operation's own response examples carry in `x-segue-when`."""
    found = set()
    for _, response, pointer in speclib.responses(document, operation):
        for _, media, media_pointer in speclib.media_types(response, pointer):
            for example in speclib.iter_examples(document, media, media_pointer):
                situation = _situation(example.extensions.get("x-segue-when"))
                if situation is not None:
                    found.add(situation)
    return found


def _documented_anywhere(document: dict[str, Any]) -> set[str]:
    examples = document.get("components", {}).get("examples", {})
    return {
        situation
        for example in (examples.values() if isinstance(examples, dict) else [])
        if isinstance(example, dict)
        and (situation := _situation(example.get("x-segue-when"))) is not None
    }
