"""The task lifecycle as a state machine: generate -> poll -> (time passes) -> extend -> poll.

Hypothesis chooses the order (bounded steps). Invariants checked on every step:
- a task's status only moves forward (the order of the spec's status enum), and a final status
  stays final;
- when a task succeeds, the clips polling shows equal the clips of its final callback (when the
  server can reach the suite's receiver);
- extending a source that is not finished is refused as documented (Udio: origin-not-complete);
  a finished one can be extended (the new task joins the machine).

Time passes through the control API (the mock: one stage per step) or, against a live server, by
waiting a bounded while between polls. A second, deterministic test walks one task through every
stage, polling twice at each (a status must also hold when polled again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from segue.contract import callbacks
from segue.contract.kit import EXTEND, GENERATE, VendorKit
from segue.contract.options import active
from segue.contract.params import zero_cost_settings
from segue.contract.rules import ABSENT, Scenario
from segue.contract.vendors import TaskView, clip_differences

LIVE_STEP_WAIT = 10.0


@dataclass
class Tracked:
    """What the machine knows about one task."""

    task_id: str
    operation_id: str
    model: Any
    path: str | None
    rank: int = -1
    status: str = "none"
    terminal: bool = False
    callbacks_checked: bool = False
    history: list[str] = field(default_factory=list)


def poll_forward(kit: VendorKit, tracked: Tracked) -> TaskView:
    """Poll `tracked` once; its status must not have gone back, nor left a final status."""
    task_id = tracked.task_id
    outcome, view = kit.poll(task_id)
    assert outcome.ok, f"polling {task_id}: {outcome.summary()}"
    problems = kit.style.body_problems(kit.poll_operation, outcome)
    assert not problems, f"polling {task_id}: " + "; ".join(problems)
    tracked.history.append(view.status)
    assert view.rank >= tracked.rank, f"{task_id}: status went back: {' -> '.join(tracked.history)}"
    assert not tracked.terminal or view.status == tracked.status, (
        f"{task_id}: left its final status: {' -> '.join(tracked.history)}"
    )
    tracked.rank, tracked.status, tracked.terminal = view.rank, view.status, view.terminal
    return view


def machine_for(kit: VendorKit) -> type[RuleBasedStateMachine]:
    generate_id, extend_id = GENERATE[kit.vendor], EXTEND[kit.vendor]
    generate_op = kit.op(generate_id)
    models = kit.models() + (
        [ABSENT]
        if "model" not in kit.oracle.resolve(generate_op.body_pointer or "").get("required", [])
        else []
    )

    class Lifecycle(RuleBasedStateMachine):
        tasks = Bundle("tasks")

        def __init__(self) -> None:
            super().__init__()
            self.tracked: dict[str, Tracked] = {}

        def _create(self, operation_id: str, body: dict[str, Any], model: Any) -> str:
            path = kit.callback_path() if kit.receives_callbacks else None
            url_property = kit.op(operation_id).callbacks[0].url_property
            if path is not None:
                body[url_property] = kit.callback_url(path)
            outcome = kit.create(operation_id, body)
            assert outcome.created, f"{operation_id}: {outcome.summary()}"
            task_id = str(outcome.task_id)
            self.tracked[task_id] = Tracked(task_id, operation_id, model, path)
            return task_id

        @initialize(target=tasks, model=st.sampled_from(models))
        def generate_first(self, model: Any) -> str:
            return self.generate(model)

        @precondition(lambda self: kit.affordable(generate_id))
        @rule(target=tasks, model=st.sampled_from(models))
        def generate(self, model: Any) -> str:
            body = kit.builder(generate_id).valid(Scenario((("model", model),)))
            return self._create(generate_id, kit.fit(generate_id, body), model)

        @rule(task_id=tasks, times=st.integers(1, 2))
        def poll(self, task_id: str, times: int) -> None:
            tracked = self.tracked[task_id]
            for _ in range(times):  # twice: a status must also hold when polled again
                view = poll_forward(kit, tracked)
            if view.succeeded and not tracked.callbacks_checked and tracked.path is not None:
                tracked.callbacks_checked = True
                received = callbacks.delivered(callbacks.collect(kit, task_id, tracked.path))
                finals = [callbacks.view(kit, d, task_id) for d in received]
                finals = [v for v in finals if v.final and not v.failed]
                assert finals, f"{task_id} succeeded but no final callback arrived"
                differences = clip_differences(view.clips, finals[-1].clips)
                assert not differences, (
                    f"{task_id}: poll and final callback disagree: {differences}"
                )
                event("poll and final callback compared")

        @rule(task_id=tasks, stages=st.integers(1, 3))
        def time_passes(self, task_id: str, stages: int) -> None:
            if kit.control is not None:
                if not self.tracked[task_id].terminal:
                    kit.control.advance(task_id, stages)
            else:
                time.sleep(LIVE_STEP_WAIT)

        @precondition(lambda self: kit.affordable(extend_id))
        @rule(target=tasks, task_id=tasks)
        def extend(self, task_id: str) -> Any:
            source = self.tracked[task_id]
            _, view = kit.poll(task_id)
            if kit.vendor == "kie":
                if not view.succeeded or not view.clips:
                    return (
                        multiple()
                    )  # the docs say nothing about extending a clip of an unfinished task
                scenario = Scenario((("defaultParamFlag", False), ("model", source.model)))
                body = kit.builder(extend_id).valid(scenario)
                body.update(audioId=view.clips[0]["id"], model=source.model)
                event("finished source extended")
                return self._create(extend_id, body, source.model)
            body = kit.builder(extend_id).valid(Scenario((("custom_mode", False),)))
            body.update(origin_task_id=task_id, extend_audio_index=0)
            if view.succeeded:
                event("finished source extended")
                return self._create(extend_id, body, source.model)
            if view.terminal:
                return multiple()
            outcome = kit.create(extend_id, body, expect="rejected")
            operation = kit.op(extend_id)
            answer = kit.oracle.answer(operation, rule="origin-not-complete")
            problems = kit.style.rejection_problems(operation, outcome, answer, exact_message=True)
            assert not problems, f"extending unfinished {task_id}: " + "; ".join(problems)
            event("extend of an unfinished origin refused")
            return multiple()

    return Lifecycle


@pytest.mark.check("lifecycle")
@pytest.mark.parametrize(
    "vendor", [pytest.param(v, marks=pytest.mark.vendor(v)) for v in ("kie", "udio")]
)
def test_lifecycle(vendor: str, kits: Any) -> None:
    kit = kits(vendor)
    if not kit.affordable(GENERATE[vendor]):
        left = kit.budget.remaining()
        pytest.skip(f"the lifecycle creates tasks; --max-credits {kit.budget.limit} leaves {left}")
    options = active()
    examples = options.profile.lifecycle_examples if options.in_process else 1
    run_state_machine_as_test(
        machine_for(kit),
        settings=settings(
            zero_cost_settings(examples), stateful_step_count=options.profile.lifecycle_steps
        ),
    )


@pytest.mark.check("lifecycle")
@pytest.mark.parametrize(
    "vendor", [pytest.param(v, marks=pytest.mark.vendor(v)) for v in ("kie", "udio")]
)
def test_status_holds_when_polled_twice_at_every_stage(vendor: str, kits: Any) -> None:
    """Poll twice, move one stage on, poll twice, … until final, then twice more: at every stage
    the status only moves forward (the state machine may never poll twice at one stage).

    Against a live server "one stage on" is a bounded wait, and the whole walk is bounded by
    `--task-wait`.
    """
    kit = kits(vendor)
    generate_id = GENERATE[vendor]
    if not kit.affordable(generate_id):
        pytest.skip(f"creates a task; --max-credits {kit.budget.limit} leaves none")
    body = kit.fit(generate_id, kit.builder(generate_id).valid(Scenario(())))
    outcome = kit.create(generate_id, body)
    assert outcome.created, f"{generate_id}: {outcome.summary()}"
    tracked = Tracked(str(outcome.task_id), generate_id, body.get("model"), None)
    deadline = time.monotonic() + kit.task_wait
    while True:
        for _ in range(2):
            view = poll_forward(kit, tracked)
        if view.terminal:
            break
        assert time.monotonic() < deadline, f"{tracked.task_id} unfinished: {tracked.history}"
        if kit.control is not None:
            kit.control.advance(tracked.task_id, 1)
        else:
            time.sleep(LIVE_STEP_WAIT)
    assert len(set(tracked.history)) > 1 or kit.control is None, (
        f"the walk saw one status only: {tracked.history}"
    )
