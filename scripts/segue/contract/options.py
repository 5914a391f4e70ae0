"""The suite's options (same names for `segue contract` and `pytest contract_tests`), profiles.

The options are parsed once, by the pytest plugin, into a frozen `ContractOptions`. Test modules
read them at import time through `active()`, because Schemathesis builds one test per operation
when the module is collected, and the number of examples must be known by then.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from segue.paths import VENDORS

API_KEY_ENV = "SEGUE_API_KEY"
WEBHOOK_KEY_ENV = "SEGUE_WEBHOOK_KEY"
# The key of the in-process mock when no --api-key is given; never a real credential.
IN_PROCESS_KEY = "segue-contract-in-process-key"
IN_PROCESS_WEBHOOK_KEY = "segue-contract-webhook-key"


@dataclass(frozen=True)
class Profile:
    """How hard the suite tries: example counts and step bounds.

    `schemathesis_examples`: fuzzing examples per operation (the examples and coverage phases
    are finite by themselves). `rule_examples`: Hypothesis examples per zero-cost rule property.
    `lifecycle_*`: the lifecycle state machine's runs and steps per run.
    """

    name: str
    schemathesis_examples: int
    coverage_phase: bool
    stateful_phase: bool
    stateful_steps: int
    rule_examples: int
    lifecycle_examples: int
    lifecycle_steps: int


PROFILES = {
    "quick": Profile("quick", 15, True, False, 6, 2, 5, 12),
    "default": Profile("default", 150, True, True, 15, 10, 25, 25),
    "thorough": Profile("thorough", 500, True, True, 25, 25, 60, 30),
}


@dataclass(frozen=True)
class ContractOptions:
    """Everything the suite was told. `api_key` stays out of `repr` (reports print options)."""

    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    vendors: tuple[str, ...] = VENDORS
    max_credits: int | None = None
    profile: Profile = PROFILES["default"]
    report_dir: Path | None = None
    seed: int = 0
    seed_given: bool = False
    webhook_key: str | None = field(default=None, repr=False)
    task_wait: float = 600.0

    @property
    def in_process(self) -> bool:
        """True when the target is the in-process mock (ASGI, fake clock)."""
        return self.base_url is None

    @property
    def effective_api_key(self) -> str:
        """The key requests carry: the given one, or the in-process mock's own."""
        return self.api_key or IN_PROCESS_KEY

    @property
    def effective_webhook_key(self) -> str | None:
        """The HMAC key callbacks are signed with, when the suite knows it."""
        if self.webhook_key:
            return self.webhook_key
        return IN_PROCESS_WEBHOOK_KEY if self.in_process else None

    def secrets(self) -> list[str]:
        """Strings that must never appear in output or reports."""
        return [s for s in (self.api_key, self.webhook_key) if s]


def parse_vendor(value: str) -> tuple[str, ...]:
    """`kie`, `udio` or `all` (also a comma list) -> the vendors to test."""
    names = [part.strip().lower() for part in value.split(",") if part.strip()]
    if not names or "all" in names:
        return VENDORS
    unknown = [name for name in names if name not in VENDORS]
    if unknown:
        raise ValueError(
            f"unknown vendor {', '.join(unknown)}: choose from {', '.join(VENDORS)}, all"
        )
    return tuple(name for name in VENDORS if name in names)


def default_max_credits(base_url: str | None, given: int | None) -> int | None:
    """`--max-credits` default: unlimited in process (credits are free there), 0 against a URL."""
    if given is not None:
        return given
    return None if base_url is None else 0


def build(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    vendor: str = "all",
    max_credits: int | None = None,
    profile: str = "quick",
    report_dir: str | Path | None = None,
    seed: int | None = None,
    webhook_key: str | None = None,
    task_wait: float = 600.0,
) -> ContractOptions:
    """Validate raw option values into `ContractOptions` (ValueError names the bad option)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: choose from {', '.join(PROFILES)}")
    if max_credits is not None and max_credits < 0:
        raise ValueError("--max-credits must be 0 or more")
    base_url = base_url.rstrip("/") if base_url else None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ValueError(f"--base-url must start with http:// or https://, got {base_url!r}")
    return ContractOptions(
        base_url=base_url,
        api_key=api_key or os.environ.get(API_KEY_ENV) or None,
        vendors=parse_vendor(vendor),
        max_credits=default_max_credits(base_url, max_credits),
        profile=PROFILES[profile],
        report_dir=Path(report_dir) if report_dir else None,
        seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
        seed_given=seed is not None,
        webhook_key=webhook_key or os.environ.get(WEBHOOK_KEY_ENV) or None,
        task_wait=task_wait,
    )


_ACTIVE: ContractOptions | None = None


def activate(options: ContractOptions) -> None:
    """Make `options` the ones `active()` returns (the plugin does this in `pytest_configure`)."""
    global _ACTIVE
    _ACTIVE = options


def active() -> ContractOptions:
    """The options of the running session (defaults when no session configured any)."""
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = build(seed=0)
    return _ACTIVE
