"""The rules that need server state, each answered with the spec's documented message.

The specs state these in prose (operation descriptions) and document each answer as an example
marked `x-segue-when: {rule: …}`; the expected code, HTTP status and message are read from there.

KIE extend: unknown clip (audio-not-found), model differing from the source clip's
(model-mismatch), `continueAt` at or beyond the source duration (continue-at-beyond-duration),
and just below it (accepted). Upload-extend: `continueAt` beyond any upload. Polls of unknown ids
(task-not-found / work-not-found). Udio extend: unknown origin (origin-not-found), origin not
complete (origin-not-complete).
"""

from __future__ import annotations

from typing import Any

import pytest
from segue.contract.kit import EXTEND, GENERATE
from segue.contract.rules import ABSENT, Scenario

UNKNOWN_ID = "segue-contract-no-such-id"
# Longer than any audio the vendors accept (KIE uploads: at most 8 minutes).
BEYOND_ANY_UPLOAD = 100_000


def assert_documented(kit: Any, operation_id: str, outcome: Any, rule: str) -> None:
    operation = kit.op(operation_id)
    answer = kit.oracle.answer(operation, rule=rule)
    problems = kit.style.rejection_problems(operation, outcome, answer, exact_message=True)
    assert not problems, f"{operation_id} [{rule}]: " + "; ".join(problems)


def kie_extend_body(kit: Any, source_model: str, **overrides: Any) -> dict[str, Any]:
    """A custom-mode extend of a finished source of `source_model`, then `overrides`."""
    body = kit.builder("extendMusic").valid(
        Scenario((("defaultParamFlag", True), ("model", source_model)))
    )
    body = kit.fit("extendMusic", body)
    body.update(overrides)
    return body


kie = pytest.mark.vendor("kie")
udio = pytest.mark.vendor("udio")


@kie
@pytest.mark.check("state rule", operation="extendMusic")
def test_kie_extend_of_an_unknown_clip(kits: Any) -> None:
    kit = kits("kie")
    body = kit.builder("extendMusic").valid(Scenario(()))
    body = {**body, "audioId": UNKNOWN_ID, "callBackUrl": kit.callback_url() or body["callBackUrl"]}
    assert_documented(
        kit, "extendMusic", kit.create("extendMusic", body, expect="rejected"), "audio-not-found"
    )


@kie
@pytest.mark.check("state rule", operation="extendMusic")
def test_kie_extend_with_another_model_than_the_source(kits: Any) -> None:
    kit = kits("kie")
    first, other = kit.models()[0], kit.models()[-1]
    body = kie_extend_body(kit, first, model=other)
    assert_documented(
        kit, "extendMusic", kit.create("extendMusic", body, expect="rejected"), "model-mismatch"
    )


@kie
@pytest.mark.check("state rule", operation="extendMusic")
@pytest.mark.parametrize("where", ["at", "beyond"])
def test_kie_extend_from_the_end_of_the_source(kits: Any, where: str) -> None:
    kit = kits("kie")
    model = kit.models()[0]
    duration = kit.source(model).clip_duration(0)
    body = kie_extend_body(kit, model, continueAt=duration if where == "at" else duration + 1)
    outcome = kit.create("extendMusic", body, expect="rejected")
    assert_documented(kit, "extendMusic", outcome, "continue-at-beyond-duration")


@kie
@pytest.mark.check("state rule", operation="extendMusic")
def test_kie_extend_just_before_the_end_of_the_source(kits: Any) -> None:
    kit = kits("kie")
    model = kit.models()[0]
    duration = kit.source(model).clip_duration(0)
    body = kie_extend_body(kit, model, continueAt=round(duration - 0.5, 2))
    outcome = kit.create("extendMusic", body)
    assert outcome.created, (
        f"continueAt {body['continueAt']} < duration {duration}: {outcome.summary()}"
    )


@kie
@pytest.mark.check("state rule", operation="uploadAndExtendAudio")
def test_kie_upload_extend_beyond_the_uploaded_audio(kits: Any) -> None:
    kit = kits("kie")
    body = kit.builder("uploadAndExtendAudio").valid(Scenario((("defaultParamFlag", True),)))
    body = {**kit.fit("uploadAndExtendAudio", body), "continueAt": BEYOND_ANY_UPLOAD}
    outcome = kit.create("uploadAndExtendAudio", body, expect="rejected")
    assert_documented(kit, "uploadAndExtendAudio", outcome, "continue-at-beyond-duration")


@pytest.mark.check("state rule")
@pytest.mark.parametrize(
    ("vendor", "operation_id", "rule"),
    [
        pytest.param("kie", "getMusicTaskDetails", "task-not-found", marks=kie, id="kie"),
        pytest.param("udio", "getFeed", "work-not-found", marks=udio, id="udio"),
    ],
)
def test_poll_of_an_unknown_id(kits: Any, vendor: str, operation_id: str, rule: str) -> None:
    kit = kits(vendor)
    assert kit.poll_operation.operation_id == operation_id
    outcome, _ = kit.poll(UNKNOWN_ID)
    assert_documented(kit, operation_id, outcome, rule)


@udio
@pytest.mark.check("state rule", operation="extendSong")
def test_udio_extend_of_an_unknown_origin(kits: Any) -> None:
    kit = kits("udio")
    body = {**kit.builder("extendSong").valid(Scenario(())), "origin_task_id": UNKNOWN_ID}
    assert_documented(
        kit, "extendSong", kit.create("extendSong", body, expect="rejected"), "origin-not-found"
    )


@udio
@pytest.mark.check("state rule", operation="extendSong")
def test_udio_extend_of_an_origin_not_yet_complete(kits: Any) -> None:
    kit = kits("udio")
    generate = kit.builder(GENERATE["udio"]).valid(Scenario((("model", ABSENT),)))
    created = kit.create(GENERATE["udio"], kit.fit(GENERATE["udio"], generate))
    assert created.created, created.summary()
    body = {**kit.builder(EXTEND["udio"]).valid(Scenario(())), "origin_task_id": created.task_id}
    _, view = kit.poll(str(created.task_id))
    if view.terminal:
        pytest.skip("the server finished the origin before it could be extended early")
    assert_documented(
        kit, "extendSong", kit.create("extendSong", body, expect="rejected"), "origin-not-complete"
    )
