"""`segue receive`: a callback receiver on 127.0.0.1 that prints every callback it gets.

For trying the mock (or a tunnelled vendor) by hand: point `callBackUrl` / `callback_url` at it
and watch the stages arrive. With `--hmac-key`, each KIE callback's `X-Webhook-Signature` is
checked with the recipe the KIE spec states (`segue.contract.receiver.verify_kie_signature`, the
same check the contract suite makes). It is the contract suite's receiver, run in the foreground.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

from segue.contract.receiver import Delivery, Receiver, verify_kie_signature


def describe_delivery(delivery: Delivery, hmac_key: str | None) -> str:
    """One line per callback: path, what it reports, and the signature verdict."""
    try:
        body: Any = delivery.json()
    except ValueError:
        return f"{delivery.path}: not JSON ({len(delivery.body)} bytes)"
    if isinstance(body, list):  # Udio: a bare array of clips
        stages = sorted({str(clip.get("status")) for clip in body if isinstance(clip, dict)})
        return f"{delivery.path}: udio, {len(body)} clip(s), status {'/'.join(stages) or '-'}"
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return f"{delivery.path}: {json.dumps(body)[:200]}"
    task_id = str(data.get("task_id"))
    clips = data.get("data") or []
    line = (
        f"{delivery.path}: kie task {task_id} {data.get('callbackType')} "
        f"(code {body.get('code')}), {len(clips)} clip(s)"
    )
    if hmac_key:
        problems = verify_kie_signature(
            hmac_key,
            task_id,
            delivery.header("X-Webhook-Timestamp"),
            delivery.header("X-Webhook-Signature"),
        )
        line += ", signature ok" if not problems else f", SIGNATURE BAD: {'; '.join(problems)}"
    return line


def receive_command(host: str, port: int, hmac_key: str | None) -> int:
    """Serve until interrupted, printing each callback as it arrives."""

    printing = threading.Lock()

    def show(delivery: Delivery) -> None:
        # Deliveries arrive on concurrent handler threads; `print` writes the text and the
        # newline separately, so two callbacks could share a line. One write under a lock.
        line = describe_delivery(delivery, hmac_key) + "\n"
        with printing:
            sys.stdout.write(line)
            sys.stdout.flush()

    receiver = Receiver(host, port, listener=show).start()
    print(f"segue receive: listening on http://{receiver.host}:{receiver.port}/", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()
    return 0
