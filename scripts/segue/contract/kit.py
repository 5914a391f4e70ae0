"""Per-vendor toolkit for the tests: send, create within the budget, poll, finish, fit requests.

`VendorKit` bundles a vendor's oracle, its answer style, the target, the budget, the control API
(when present) and the callback receiver, and offers the few verbs every test module needs:

- `create(operation, body, expect=…)` — send a create request; spends (or refuses to spend) credits;
- `poll(task_id)` / `finish(task_id)` — read a task; drive it to the end (control API) or wait for
  it with a bounded wait (a live server);
- `fit(operation, body)` — make a spec-valid request also pass the rules that depend on server
  state: a real clip / origin work of the right model, a start time below its duration, and the
  suite's own callback URL (the spec states these rules in prose; they live here, in one place);
- `source(model)` — a finished generation to extend (created once per model, then reused).
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

import pytest

from segue.contract.budget import CreditBudget, cost_of
from segue.contract.control import Control
from segue.contract.oracle import OperationContract, SpecOracle
from segue.contract.receiver import Receiver
from segue.contract.rules import ABSENT, RequestBuilder, Scenario
from segue.contract.target import Target
from segue.contract.vendors import Outcome, TaskView, VendorStyle

# The operations each vendor's lifecycle uses (operationIds of the common brief).
GENERATE = {"kie": "generateMusic", "udio": "generateSong"}
EXTEND = {"kie": "extendMusic", "udio": "extendSong"}
POLL_INTERVAL = 5.0


@dataclass(frozen=True)
class SourceTask:
    """A finished generation: its id, model and clips (as polled)."""

    task_id: str
    model: str | None
    clips: list[dict[str, Any]]

    def clip_duration(self, index: int = 0) -> float:
        duration = self.clips[index].get("duration")
        return float(duration) if isinstance(duration, (int, float)) else 0.0


@dataclass
class VendorKit:
    vendor: str
    oracle: SpecOracle
    style: VendorStyle
    target: Target
    budget: CreditBudget
    control: Control | None
    receiver: Receiver | None
    task_wait: float
    _sources: dict[Any, SourceTask] = field(default_factory=dict)
    _paths: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # ------------------------------------------------------------------ the spec

    def op(self, operation_id: str) -> OperationContract:
        return self.oracle.operations[operation_id]

    @property
    def poll_operation(self) -> OperationContract:
        """The vendor's polling call: the GET operation with a required query parameter."""
        return next(
            op
            for op in self.oracle.operations.values()
            if op.method == "GET" and any(q.required for q in op.query)
        )

    def builder(self, operation_id: str) -> RequestBuilder:
        return RequestBuilder(self.oracle, self.op(operation_id))

    def models(self) -> list[Any]:
        return self.oracle.component_enum("Model")

    # ------------------------------------------------------------------ sending

    def send(
        self,
        operation_id: str,
        body: Any = None,
        query: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Outcome:
        operation = self.op(operation_id)
        response = self.target.send(
            operation.method, operation.full_path, json_body=body, params=query, **kwargs
        )
        return self.style.read(response)

    def create(
        self, operation_id: str, body: Any, *, expect: str = "created", **kwargs: Any
    ) -> Outcome:
        """Send a create request within the budget.

        `expect="created"`: reserve the credit first (skip the test when the budget cannot pay),
        refund it if no task was made. `expect="rejected"`: send (free on a correct server); a task
        made anyway is charged as unexpected, and after the budget is exhausted that way no
        create request is sent any more.
        """
        if expect == "created":
            self.budget.require(operation_id)
            outcome = self.send(operation_id, body, **kwargs)
            if not outcome.created:
                self.budget.refund(operation_id)
            return outcome
        if self.budget.exhausted:
            pytest.skip("the budget was spent by tasks the server created for invalid requests")
        outcome = self.send(operation_id, body, **kwargs)
        if outcome.created:
            self.budget.charge_unexpected(operation_id)
        return outcome

    def poll(self, task_id: str) -> tuple[Outcome, TaskView]:
        operation = self.poll_operation
        outcome = self.send(operation.operation_id, query=self.style.poll_query(operation, task_id))
        return outcome, self.style.task_view(outcome.body)

    def finish(self, task_id: str) -> TaskView:
        """Drive the task to a final state: the control API when present, else a bounded wait."""
        if self.control is not None:
            self.control.finish(task_id)
            outcome, view = self.poll(task_id)
            assert outcome.ok, f"polling {task_id}: {outcome.summary()}"
            return view
        deadline = time.monotonic() + self.task_wait
        while True:
            outcome, view = self.poll(task_id)
            assert outcome.ok, f"polling {task_id}: {outcome.summary()}"
            if view.terminal:
                return view
            if time.monotonic() >= deadline:
                waited = f"{self.task_wait:.0f} s"
                pytest.fail(
                    f"task {task_id} not finished after {waited} (last status {view.status})"
                )
            time.sleep(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))

    # ------------------------------------------------------------------ callbacks

    @property
    def receives_callbacks(self) -> bool:
        """Whether the server can reach the suite's receiver on 127.0.0.1."""
        return self.receiver is not None and self.target.host_is_loopback

    def callback_path(self) -> str:
        """A fresh receiver path: one per task, so callbacks are told apart by path (numbered,
        not random, so a run with a given seed sends the same requests again)."""
        return f"/callbacks/{self.vendor}/{next(self._paths):06d}"

    def callback_url(self, path: str | None = None) -> str | None:
        """The receiver URL of `path` (a fresh one by default); None when unreachable."""
        if not self.receives_callbacks or self.receiver is None:
            return None
        return self.receiver.url(path or self.callback_path())

    # ------------------------------------------------------------------ state-dependent fields

    def fit(
        self,
        operation_id: str,
        body: dict[str, Any],
        *,
        spend: bool = True,
        use_source: bool = True,
    ) -> dict[str, Any]:
        """`body` made to pass the server-state rules too (see the module docstring).

        `spend=False` (for requests the server must reject anyway): use a source task only if one
        exists or the budget can pay for it; otherwise leave the example's ids in place.
        `use_source=False`: only the callback URL; the example's ids (unknown to any server) stay.
        """
        body = copy.deepcopy(body)
        for callback in self.op(operation_id).callbacks:
            if callback.url_property in body:
                body[callback.url_property] = self.callback_url() or body[callback.url_property]
        if not use_source:
            return body
        if operation_id == EXTEND["kie"] and self.vendor == "kie":
            source = self.source(body.get("model"), spend=spend)
            if source is not None:
                body["audioId"] = source.clips[0]["id"]
                if isinstance(body.get("continueAt"), (int, float)):
                    body["continueAt"] = _below(body["continueAt"], source.clip_duration(0))
        elif operation_id == EXTEND["udio"] and self.vendor == "udio":
            source = self.source(None, spend=spend)
            if source is not None:
                body["origin_task_id"] = source.task_id
                index = body.get("extend_audio_index")
                if (
                    isinstance(index, int)
                    and 0 <= index < len(source.clips)
                    and "extensionStartTime" in body
                ):
                    start = body["extensionStartTime"]
                    if isinstance(start, (int, float)):
                        body["extensionStartTime"] = _below(start, source.clip_duration(index))
        return body

    def points_at_real_state(self, operation_id: str, body: Any) -> bool:
        """Whether `body` names real server state where the operation needs it (an extend's
        source). False when `fit(spend=False)` had to leave the example's ids in place."""
        if operation_id not in (EXTEND["kie"], EXTEND["udio"]) or not isinstance(body, dict):
            return True
        known: set[Any] = {s.task_id for s in self._sources.values()}
        known |= {c.get("id") for s in self._sources.values() for c in s.clips}
        return body.get("audioId") in known or body.get("origin_task_id") in known

    def affordable(self, operation_id: str) -> bool:
        remaining = self.budget.remaining()
        return remaining is None or remaining >= cost_of(operation_id)

    @overload
    def source(self, model: Any) -> SourceTask: ...
    @overload
    def source(self, model: Any, *, spend: bool) -> SourceTask | None: ...

    def source(self, model: Any, *, spend: bool = True) -> SourceTask | None:
        """A finished generation of `model` (None: the spec's default), made once and reused.

        With `spend=False`, None when none exists yet and the budget cannot pay for one.
        """
        if model in self._sources:
            return self._sources[model]
        operation_id = GENERATE[self.vendor]
        if not spend and not self.affordable(operation_id):
            return None
        pointer = self.op(operation_id).body_pointer
        assert pointer is not None
        scenario = Scenario((("model", model if model is not None else ABSENT),))
        body = self.builder(operation_id).valid(scenario)
        body = self.fit(operation_id, body)
        outcome = self.create(operation_id, body)
        assert outcome.created, f"could not create a source task: {outcome.summary()}"
        assert outcome.task_id is not None
        view = self.finish(outcome.task_id)
        if not view.succeeded or not view.clips:
            pytest.fail(f"source task {outcome.task_id} ended {view.status} without clips")
        self._sources[model] = SourceTask(outcome.task_id, model, view.clips)
        return self._sources[model]


def _below(value: float, duration: float) -> float:
    """`value` if it is below `duration`, else a point inside the clip (half of it)."""
    return value if value < duration else round(duration / 2, 2)
