"""`segue receive`: a callback receiver on 127.0.0.1 that prints every callback it gets.

For trying the mock (or a tunnelled vendor) by hand, and as the reference receiver of
`segue contract --receiver`: point `callBackUrl` / `callback_url` at it and watch the stages
arrive. It answers what the specs document: the callback operation's acknowledgement example
(KIE `{"status": "received"}`, Udio `{"received": true}`) with HTTP 200. With `--hmac-key`, each
KIE callback's signature is checked as the KIE spec's `x-segue-signature` states it
(`segue.signature`), and a callback whose signature fails gets HTTP 401 instead, so that a
forged or stale delivery is never acknowledged.

A KIE payload is a JSON object, a Udio payload a bare array of clips: that is how a delivery's
vendor is told here, whatever path it comes to.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

from segue import speclib
from segue.contract.receiver import Delivery, Receiver
from segue.paths import spec_path
from segue.signature import SignatureScheme

REJECTED_STATUS = 401


class ReceiverPolicy:
    """What to answer each delivery: the spec's acknowledgement, or a 401 for a bad signature."""

    def __init__(self, hmac_key: str | None) -> None:
        self.hmac_key = hmac_key
        documents = {vendor: speclib.load_spec(spec_path(vendor)) for vendor in ("kie", "udio")}
        self.scheme = SignatureScheme.from_spec(documents["kie"])
        self.acknowledgements = {
            vendor: json.dumps(acknowledgement_example(document)).encode()
            for vendor, document in documents.items()
        }

    def signature_problems(self, headers: dict[str, str], body: Any) -> list[str]:
        if not self.hmac_key or self.scheme is None or not isinstance(body, dict):
            return []
        return self.scheme.problems(self.hmac_key, body, headers, time.time())

    def answer(self, headers: dict[str, str], raw: bytes) -> tuple[int, bytes]:
        body = _json(raw)
        if self.signature_problems(headers, body):
            return REJECTED_STATUS, b'{"error": "signature rejected"}'
        return 200, self.acknowledgements["udio" if isinstance(body, list) else "kie"]


def acknowledgement_example(document: dict[str, Any]) -> Any:
    """The first example of the first callback operation's 2xx response."""
    for operation in speclib.iter_operations(document):
        if operation.kind != "callback":
            continue
        for status, response, pointer in speclib.responses(document, operation):
            if not status.startswith("2"):
                continue
            for _, media, media_pointer in speclib.media_types(response, pointer):
                for example in speclib.iter_examples(document, media, media_pointer):
                    return example.value
    return {}


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def describe_delivery(delivery: Delivery, policy: ReceiverPolicy) -> str:
    """One line per callback: path, what it reports, and the signature verdict."""
    body = _json(delivery.body)
    if body is None:
        return f"{delivery.path}: not JSON ({len(delivery.body)} bytes)"
    if isinstance(body, list):  # Udio: a bare array of clips
        stages = sorted({str(clip.get("status")) for clip in body if isinstance(clip, dict)})
        return f"{delivery.path}: udio, {len(body)} clip(s), status {'/'.join(stages) or '-'}"
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return f"{delivery.path}: {json.dumps(body)[:200]}"
    clips = data.get("data") or []
    line = (
        f"{delivery.path}: kie task {data.get('task_id')} {data.get('callbackType')} "
        f"(code {body.get('code')}), {len(clips) if isinstance(clips, list) else 0} clip(s)"
    )
    if policy.hmac_key:
        problems = policy.signature_problems(delivery.headers, body)
        line += (
            ", signature ok"
            if not problems
            else f", SIGNATURE BAD (answered {delivery.answered}): {'; '.join(problems)}"
        )
    return line


def start_receiver(host: str, port: int, hmac_key: str | None, *, quiet: bool = False) -> Receiver:
    """`segue receive`'s receiver, started (`quiet`: print nothing, for the contract suite)."""
    policy = ReceiverPolicy(hmac_key)
    printing = threading.Lock()

    def show(delivery: Delivery) -> None:
        # Deliveries arrive on concurrent handler threads; `print` writes the text and the
        # newline separately, so two callbacks could share a line. One write under a lock.
        line = describe_delivery(delivery, policy) + "\n"
        with printing:
            sys.stdout.write(line)
            sys.stdout.flush()

    return Receiver(host, port, listener=None if quiet else show, answer=policy.answer).start()


def receive_command(host: str, port: int, hmac_key: str | None) -> int:
    """Serve until interrupted, printing each callback as it arrives."""
    receiver = start_receiver(host, port, hmac_key)
    print(f"segue receive: listening on http://{receiver.host}:{receiver.port}/", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()
    return 0
