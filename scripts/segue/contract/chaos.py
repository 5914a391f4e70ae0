"""Delivery chaos the vendors document or that happens in real life, as sequences of stages.

KIE's spec says stages may be skipped and delivered more than once, and failed deliveries are
retried; a network reorders concurrent POSTs. A receiver must acknowledge every one of these
(DESIGN: "receivers must be idempotent"). The scenarios are written over the spec's stage names
(`x-segue-lifecycle` `callback-stages`), so their names say which stages they move.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from segue.contract.deliveries import Answer, CallbackRoute, Delivery, DeliveryKit

INTERLEAVED_TASKS = 50
CONCURRENCY = 8
MAX_LISTED = 10


@dataclass(frozen=True)
class Step:
    """Deliver `stage`; `resend`: "" a first delivery, "again" the stage delivered once more,
    "identical" the previous delivery retried with a byte-identical body.

    A stage delivered again is signed anew, one second later per repeat, as a sender signs each
    attempt (KIE retries minutes apart, K-20): the same timestamp twice is what a replay guard
    may rightly refuse, and replays are the signature checks' business.
    """

    stage: str
    resend: str = ""

    def label(self) -> str:
        return {"": self.stage, "again": f"{self.stage} again", "identical": f"{self.stage} retry"}[
            self.resend
        ]


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]


def scenarios(stages: tuple[str, ...]) -> list[Scenario]:
    """The chaos scenarios over the stages `first, *middle, last` (KIE and Udio: text, first,
    complete)."""
    head, *middle, last = stages
    mid = middle[-1] if middle else head
    in_order = tuple(Step(s) for s in stages)
    return [
        Scenario(f"same stage twice ({mid})", (*in_order[:-1], Step(mid, "again"), Step(last))),
        Scenario(f"out of order ({last} before {mid})", (Step(head), Step(last), Step(mid))),
        Scenario(f"{head} skipped", tuple(Step(s) for s in (*middle, last))),
        Scenario(f"a stage after {last} ({mid})", (*in_order, Step(mid))),
        Scenario(
            f"retried delivery, identical body ({last})", (*in_order, Step(last, "identical"))
        ),
    ]


def run_scenario(kit: DeliveryKit, route: CallbackRoute, scenario: Scenario) -> list[str]:
    """Play one task's scenario; the failures, each naming its step."""
    sequence = kit.stage_sequence(route)
    subject = kit.new_subject()
    failures: list[str] = []
    previous: Delivery | None = None
    resends = 0
    delivered: set[str] = set()
    for index, step in enumerate(scenario.steps, start=1):
        payload = kit.about(sequence[step.stage], subject)
        if step.resend == "identical" and previous is not None:
            payload = previous.payload
        resends += step.stage in delivered
        delivered.add(step.stage)
        delivery = kit.signed(payload, now=time.time() + resends)
        answer = kit.send(delivery, route)
        failures += [f"step {index} ({step.label()}): {p}" for p in kit.failures(answer)]
        previous = delivery
    return failures


def run_interleaved(kit: DeliveryKit, seed: int) -> tuple[int, list[str]]:
    """50 tasks' stages (round-robin over the create operations), interleaved at random but in
    order per task, sent 8 at a time. (deliveries sent, failures)."""
    shuffle = random.Random(seed)
    queues: list[list[tuple[str, CallbackRoute, Any]]] = []
    for task in range(INTERLEAVED_TASKS):
        route = kit.routes[task % len(kit.routes)]
        subject = kit.new_subject()
        label = f"task {task + 1} ({route.operation_id})"
        queues.append(
            [
                (f"{label} {stage}", route, kit.about(payload, subject))
                for stage, payload in kit.stage_sequence(route).items()
            ]
        )
    plan = []
    while any(queues):
        queue = shuffle.choice([q for q in queues if q])
        plan.append(queue.pop(0))

    def deliver(entry: tuple[str, CallbackRoute, Any]) -> Answer:
        _, route, payload = entry
        return kit.send(kit.signed(payload), route, record=False)

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        answers = list(pool.map(deliver, plan))
    failures = []
    for (label, _, _), answer in zip(plan, answers, strict=True):
        failures += [f"{label}: {p}" for p in kit.failures(kit.remember(answer))]
    if len(failures) > MAX_LISTED:
        failures = [*failures[:MAX_LISTED], f"… and {len(failures) - MAX_LISTED} more"]
    return len(plan), failures
