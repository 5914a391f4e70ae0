"""The contract session: the state the suite's tests share, created lazily, closed at the end.

It owns the target (the in-process mock, or an HTTP client for `--base-url`), the credit budget,
the control API (when the target has one), the callback receiver and one `VendorKit` per vendor.
Nothing starts until a test asks for it, so `pytest --collect-only` or a run of non-contract
tests costs nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from segue.contract import report
from segue.contract.budget import CreditBudget
from segue.contract.control import Control
from segue.contract.deliveries import DeliveryKit
from segue.contract.kit import VendorKit
from segue.contract.options import ContractOptions
from segue.contract.oracle import load_oracle
from segue.contract.receiver import Receiver
from segue.contract.target import IN_PROCESS_BASE_URL, SyncASGITransport, Target, is_loopback
from segue.contract.vendors import style_for
from segue.delivery import DeliveryContract


@dataclass(eq=False)  # hashed by identity: pytest keeps its plugins in a set
class MockUnderTest:
    """A pytest plugin object carrying `MockConfig` changes for the in-process mock: how
    `segue mutate` hands the suite a mutant mock (a spec folder, the two mutation seams),
    explicitly, when it runs `pytest.main(..., plugins=[MockUnderTest(...)])`."""

    changes: dict[str, Any] = field(default_factory=dict)


class ContractSession:
    """The suite's shared state, created lazily: nothing starts until a contract test needs it."""

    def __init__(self, options: ContractOptions, mock: MockUnderTest | None = None) -> None:
        self.options = options
        self.mock_changes = dict(mock.changes) if mock is not None else {}
        self.results: list[report.Result] = []
        self.started = time.monotonic()
        self.passed = 0
        self.budget = CreditBudget(options.max_credits)
        self._target: Target | None = None
        self._app: Any = None
        self._receiver: Receiver | None = None
        self._control: Control | None = None
        self._control_checked = False
        self._restore: dict[str, Any] = {}
        self._restore_credits: int | None = None
        self._kits: dict[str, VendorKit] = {}
        # Receiver mode: the user's endpoint (or an in-process `segue receive`) and its kits.
        self._receiver_targets: list[Target] = []
        self._own_receiver: Receiver | None = None
        self._delivery_kits: dict[str, DeliveryKit] = {}
        self.warnings: dict[str, list[str]] = {}

    def target_label(self) -> str:
        if self.options.receiver is not None:
            return f"receiver {self.options.receiver}"
        if self._own_receiver is not None:
            return "receiver: in-process segue receive (127.0.0.1)"
        if self.options.in_process:
            return "in-process mock (ASGI, fake clock)"
        return self.options.base_url or "?"

    @property
    def started_target(self) -> Target | None:
        """The target if a test already needed it (reporting must not start one)."""
        return self._target

    @property
    def started_targets(self) -> list[Target]:
        """Every target a test already needed: the API's and, in receiver mode, the receiver's."""
        return [t for t in (self._target, *self._receiver_targets) if t is not None]

    @property
    def receiver_mode(self) -> bool:
        """Whether the run sent callbacks to a receiver (no credits, no API)."""
        return bool(self._delivery_kits)

    def warn(self, test_id: str, message: str) -> None:
        """Record a warning of a test (the summary lists it; the test still passes)."""
        self.warnings.setdefault(test_id, []).append(message)

    def delivery_kit(self, vendor: str) -> DeliveryKit:
        """Receiver mode: `vendor`'s callbacks aimed at the receiver (started on first use)."""
        if vendor not in self._delivery_kits:
            oracle = load_oracle(vendor, str(self.options.spec_dir or "") or None)
            timeout = DeliveryContract.from_spec(oracle.document).timeout_seconds
            self._delivery_kits[vendor] = DeliveryKit(
                oracle,
                self._receiver_target_for(vendor, timeout),
                webhook_key=self.options.receiver_webhook_key,
                seed=self.options.seed,
            )
        return self._delivery_kits[vendor]

    def _receiver_target_for(self, vendor: str, timeout: float) -> Target:
        url = self.options.receiver
        if url is None:
            if self._own_receiver is None:
                from segue.receive import start_receiver

                key = self.options.receiver_webhook_key
                self._own_receiver = start_receiver("127.0.0.1", 0, key, quiet=True)
            url = self._own_receiver.url(f"/callbacks/{vendor}")
        # The vendor waits `timeout` seconds for an answer; so does the suite.
        client = httpx.Client(timeout=timeout, trust_env=not is_loopback(url))
        target = Target(client, url, "", in_process=False)
        self._receiver_targets.append(target)
        return target

    @property
    def target(self) -> Target:
        if self._target is None:
            self._target = self._make_target()
        return self._target

    def _make_target(self) -> Target:
        options = self.options
        if options.in_process:
            from segue.mock import FakeClock, MockConfig, create_app

            self._app = create_app(
                MockConfig(
                    api_keys=(options.effective_api_key,),
                    clock=FakeClock(),
                    credits=None,
                    rate_limit=0,
                    webhook_hmac_key=options.effective_webhook_key,
                    callback_backoff=0.01,
                    callback_timeout=5.0,
                    seed=options.seed,
                    **self.mock_changes,
                )
            )
            client = httpx.Client(transport=SyncASGITransport(self._app), timeout=30.0)
            return Target(client, IN_PROCESS_BASE_URL, options.effective_api_key, in_process=True)
        assert options.base_url is not None
        # A proxy from the environment must not sit between the suite and a server on loopback.
        trust_env = not is_loopback(options.base_url)
        client = httpx.Client(timeout=60.0, trust_env=trust_env, follow_redirects=False)
        return Target(client, options.base_url, options.effective_api_key, in_process=False)

    @property
    def control(self) -> Control | None:
        if not self._control_checked:
            self._control_checked = True
            self._control = Control.detect(self.target)
            if self._control is not None and not self.options.in_process:
                self._lift_mock_limits(self._control)
        return self._control

    def _lift_mock_limits(self, control: Control) -> None:
        """A mock over HTTP: lift its rate limit and the key's credits for the run (restored at
        the end). The suite sends far more than 20 creates per 10 s and counts credits itself
        (`--max-credits`); both answers are tested through injected faults instead.
        """
        settings = control.settings()
        if settings.get("rate_limit"):
            self._restore["rate_limit"] = settings["rate_limit"]
            control.update_settings(rate_limit=0)
        key = self.options.effective_api_key
        for account in control.call("GET", "/keys"):
            if account.get("key") == key and account.get("credits") is not None:
                self._restore_credits = account["credits"]
                control.call("POST", "/keys", {"key": key, "credits": None})

    @property
    def receiver(self) -> Receiver:
        if self._receiver is None:
            self._receiver = Receiver().start()
            self.target.volatile.append(self._receiver.url(""))
        return self._receiver

    def kit(self, vendor: str) -> VendorKit:
        if vendor not in self._kits:
            oracle = load_oracle(vendor)
            self._kits[vendor] = VendorKit(
                vendor=vendor,
                oracle=oracle,
                style=style_for(oracle),
                target=self.target,
                budget=self.budget,
                control=self.control,
                receiver=self.receiver,
                task_wait=self.options.task_wait,
            )
        return self._kits[vendor]

    def close(self) -> None:
        if self._control is not None:
            try:
                if self._restore:
                    self._control.update_settings(**self._restore)
                if self._restore_credits is not None:
                    key = self.options.effective_api_key
                    self._control.call(
                        "POST", "/keys", {"key": key, "credits": self._restore_credits}
                    )
            except Exception:
                pass
        if self._receiver is not None:
            self._receiver.stop()
        if self._own_receiver is not None:
            self._own_receiver.stop()
        for target in self._receiver_targets:
            target.client.close()
        if self._target is not None:
            self._target.client.close()
        if self._app is not None:
            self._app.state.segue.close()
