"""How each vendor wraps its answers, read into one shape the checks can compare.

KIE answers errors with HTTP 200 (or the documented status) and the real code in the body's
`code`; Udio's HTTP status equals `code`. Which HTTP statuses an error may come with is derived
from the spec (the statuses each documented example is listed under), and so are the status
orders (the `TaskStatus`, `CallbackType` and `ClipStatus` enums, whose order the specs declare to
be the only direction of travel). What is written here is only the *shape*: where the new task id
and the clips are, which JSON field holds the message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from segue.contract import undocumented
from segue.contract.oracle import DocumentedAnswer, OperationContract, SpecOracle

# Udio's feed page calls a clip finished at `first` with this note (spec: ClipStatus description).
UDIO_FINISHED_NOTE = "All generated successfully."


@dataclass(frozen=True)
class Outcome:
    """A response, read the vendor's way."""

    http_status: int
    code: int | None
    message: str | None
    task_id: str | None
    body: Any
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.code == 200 and 200 <= self.http_status < 300

    @property
    def created(self) -> bool:
        """A create call that made a task: code 200 and a task id."""
        return self.ok and bool(self.task_id)

    def summary(self) -> str:
        return f"HTTP {self.http_status}, code {self.code}, message {self.message!r}"


@dataclass(frozen=True)
class TaskView:
    """A polled task: its status rank (position in the spec's status enum) and its clips."""

    status: str
    rank: int
    terminal: bool
    succeeded: bool
    clips: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class StageView:
    """One callback payload: its stage, the stage's rank and the clips it carries."""

    stage: str
    rank: int
    task_id: str | None
    clips: list[dict[str, Any]]
    final: bool
    failed: bool


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _dig(body: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


class VendorStyle:
    """The common part: the message field, documented statuses, outcome checks."""

    name: str
    created_id_path: tuple[str, ...]
    # The stages (in order) a succeeded task must have called back: the spec's words, see the
    # subclasses. Empty: only a final stage is required.
    required_stages: tuple[str, ...] = ()

    def __init__(self, oracle: SpecOracle) -> None:
        self.oracle = oracle
        unauthorized = next(
            (
                a
                for op in oracle.operations.values()
                for a in op.answers
                if a.rule == "unauthorized"
            ),
            None,
        )
        body = unauthorized.body if unauthorized is not None else {}
        self.message_field = next(
            (k for k, v in body.items() if k != "code" and isinstance(v, str)), "message"
        )

    def read(self, response: httpx.Response) -> Outcome:
        body = _json(response)
        code = body.get("code") if isinstance(body, dict) else None
        message = body.get(self.message_field) if isinstance(body, dict) else None
        task_id = _dig(body, *self.created_id_path)
        return Outcome(
            http_status=response.status_code,
            code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            message=message if isinstance(message, str) else None,
            task_id=task_id if isinstance(task_id, str) and task_id else None,
            body=body,
            retry_after=response.headers.get("retry-after"),
        )

    def rejection_problems(
        self,
        operation: OperationContract,
        outcome: Outcome,
        answer: DocumentedAnswer | None,
        *,
        exact_message: bool,
    ) -> list[str]:
        """Why `outcome` is not the documented rejection `answer` (empty list: it is).

        The code must be the answer's; the HTTP status one the answer is documented under (KIE:
        200 or the code; Udio: the code); the message the answer's own when `exact_message`.
        """
        if answer is None:
            return [f"the spec documents no answer for this situation on {operation.operation_id}"]
        problems = []
        if outcome.code != answer.code:
            problems.append(f"code {outcome.code}, the spec documents {answer.code}")
        statuses = {int(s) for s in answer.statuses if s.isdigit()}
        if outcome.http_status not in statuses and not self._error_as_http_200(operation, outcome):
            problems.append(
                f"HTTP {outcome.http_status}, the spec documents this answer under "
                f"{', '.join(map(str, sorted(statuses)))}"
            )
        expected_message = answer.body.get(self.message_field)
        if exact_message and outcome.message != expected_message:
            problems.append(f"message {outcome.message!r}, the spec documents {expected_message!r}")
        if not problems:
            problems += self.body_problems(operation, outcome)
        return problems

    def invalid_request_problems(
        self,
        operation: OperationContract,
        outcome: Outcome,
        answer: DocumentedAnswer | None,
        *,
        exact_message: bool,
    ) -> list[str]:
        """Why `outcome` is not the documented answer to a request the spec calls invalid.

        As `rejection_problems`, and the answer must not be one the spec documents for a state
        rule (`{rule: X}`, X needing server state): several rejections share a code (KIE's 422s,
        Udio's 400s), so only the message tells "continueAt missing" (validation) from
        "continueAt beyond the source" (state) — a server that checks state before the schema,
        or not the schema at all, is caught here.
        """
        problems = self.rejection_problems(operation, outcome, answer, exact_message=exact_message)
        for state in self.oracle.state_answers():
            if outcome.message is not None and outcome.message == state.body.get(
                self.message_field
            ):
                problems.append(
                    f"the answer is the spec's answer to state rule {state.rule!r} "
                    f"({state.name}), but the request breaks the schema: expected the "
                    f"validation answer"
                )
        return problems

    def _error_as_http_200(self, operation: OperationContract, outcome: Outcome) -> bool:
        """HTTP 200 carrying an error envelope is documented when the operation's 200 response
        schema admits it (KIE: `oneOf` success / `ErrorResponse`; Udio's does not)."""
        if outcome.http_status != 200:
            return False
        pointer = response_schema_pointer(self.oracle, operation, 200)
        return pointer is not None and not self.oracle.errors(pointer, outcome.body)

    def body_problems(self, operation: OperationContract, outcome: Outcome) -> list[str]:
        """How the body breaks the schema the operation documents for its HTTP status."""
        pointer = response_schema_pointer(self.oracle, operation, outcome.http_status)
        if pointer is None:
            return [
                f"{operation.operation_id} documents no response for HTTP {outcome.http_status}"
            ]
        undocumented.record(
            f"{operation.operation_id} response",
            self.oracle.undocumented_values(pointer, outcome.body),
        )
        return [f"response {line}" for line in self.oracle.errors(pointer, outcome.body)]

    # vendor-specific views, below
    def poll_query(self, operation: OperationContract, task_id: str) -> dict[str, str]:
        required = [q.name for q in operation.query if q.required]
        return {required[0]: task_id}

    def task_view(self, body: Any) -> TaskView:
        raise NotImplementedError

    def stage_view(self, payload: Any, url_task: str | None) -> StageView:
        raise NotImplementedError


def response_schema_pointer(
    oracle: SpecOracle, operation: OperationContract, status: int
) -> str | None:
    """Where the JSON schema of `operation`'s response for `status` is written."""
    from segue import speclib

    for candidate in (str(status), f"{str(status)[0]}XX", "default"):
        node = oracle.resolve(
            speclib.join_pointer("/paths", operation.route, operation.method.lower())
        )
        response = node.get("responses", {}).get(candidate)
        if response is None:
            continue
        response, pointer = oracle.follow(
            response,
            speclib.join_pointer(
                "/paths", operation.route, operation.method.lower(), "responses", candidate
            ),
        )
        for media_type, media in (response.get("content") or {}).items():
            if "json" in media_type and "schema" in media:
                schema = media["schema"]
                media_pointer = speclib.join_pointer(pointer, "content", media_type)
                if speclib.is_ref(schema) and len(schema) == 1:
                    return oracle.follow(schema, media_pointer)[1]
                return speclib.join_pointer(media_pointer, "schema")
    return None


class KieStyle(VendorStyle):
    name = "kie"
    created_id_path = ("data", "taskId")

    def __init__(self, oracle: SpecOracle) -> None:
        super().__init__(oracle)
        self.statuses = oracle.component_enum("TaskStatus")
        self.stages = oracle.component_enum("CallbackType")
        # "Status only moves forward along this list": SUCCESS and everything after it are final.
        self.final_from = self.statuses.index("SUCCESS")

    def task_view(self, body: Any) -> TaskView:
        data = _dig(body, "data") or {}
        status = str(data.get("status"))
        rank = self.statuses.index(status) if status in self.statuses else -1
        clips = _dig(data, "response", "sunoData") or []
        return TaskView(status, rank, rank >= self.final_from, status == "SUCCESS", list(clips))

    def stage_view(self, payload: Any, url_task: str | None) -> StageView:
        data = _dig(payload, "data") or {}
        stage = str(data.get("callbackType"))
        clips = data.get("data") or []
        rank = self.stages.index(stage) if stage in self.stages else -1
        return StageView(
            stage,
            rank,
            data.get("task_id"),
            list(clips),
            final=stage in ("complete", "error"),
            failed=stage == "error",
        )


class UdioStyle(VendorStyle):
    name = "udio"
    created_id_path = ("workId",)

    def __init__(self, oracle: SpecOracle) -> None:
        super().__init__(oracle)
        self.clip_statuses = oracle.component_enum("ClipStatus")
        # The spec's callback (`receiveSongStage`) is POSTed "once per stage (text, first audio,
        # complete)": every `ClipStatus`, none skipped. (KIE's spec lets `text` and `first` be
        # skipped, so KIE requires only a final stage.)
        self.required_stages = tuple(self.clip_statuses)

    def _clip_rank(self, clip: dict[str, Any]) -> int:
        status = clip.get("status")
        if status == self.clip_statuses[-2] and clip.get("extra_message") == UDIO_FINISHED_NOTE:
            return len(self.clip_statuses) - 1
        return self.clip_statuses.index(status) if status in self.clip_statuses else -1

    def _summarise(self, clips: list[dict[str, Any]]) -> tuple[str, int, bool, bool]:
        ranks = [self._clip_rank(c) for c in clips] or [-1]
        failed = any(c.get("fail_message") or c.get("error_message") for c in clips)
        rank = min(ranks)
        done = bool(clips) and rank == len(self.clip_statuses) - 1
        status = self.clip_statuses[rank] if rank >= 0 else "none"
        return status, rank, done, failed

    def task_view(self, body: Any) -> TaskView:
        clips = list(_dig(body, "data", "response_data") or [])
        status, rank, done, failed = self._summarise(clips)
        return TaskView(status, rank, done or failed, done and not failed, clips)

    def stage_view(self, payload: Any, url_task: str | None) -> StageView:
        clips = list(payload) if isinstance(payload, list) else []
        status, rank, done, failed = self._summarise(clips)
        return StageView(status, rank, url_task, clips, final=done or failed, failed=failed)


def style_for(oracle: SpecOracle) -> VendorStyle:
    return {"kie": KieStyle, "udio": UdioStyle}[oracle.vendor](oracle)


def normalised_clip(clip: dict[str, Any]) -> dict[str, Any]:
    """A clip with keys compared case- and underscore-blind (`audio_url` = `audioUrl`)."""
    return {key.replace("_", "").lower(): value for key, value in clip.items()}


def clip_differences(polled: list[dict[str, Any]], called_back: list[dict[str, Any]]) -> list[str]:
    """How the clips a poll shows differ from the ones a callback carried (shared fields only)."""
    left = {c.get("id"): normalised_clip(c) for c in polled}
    right = {c.get("id"): normalised_clip(c) for c in called_back}
    if set(left) != set(right):
        return [
            f"clip ids differ: poll {sorted(map(str, left))}, callback {sorted(map(str, right))}"
        ]
    problems = []
    for clip_id, poll_clip in left.items():
        for key in sorted(set(poll_clip) & set(right[clip_id])):
            polled, called_back = poll_clip[key], right[clip_id][key]
            if polled != called_back:
                problems.append(f"clip {clip_id} {key}: poll {polled!r}, callback {called_back!r}")
    return problems
