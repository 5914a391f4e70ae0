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
    # Receiver mode (`--receiver URL`): the suite sends callbacks to the user's endpoint.
    receiver: str | None = None
    expect_verification: bool = False
    spec_dir: Path | None = None

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

    @property
    def receiver_webhook_key(self) -> str | None:
        """The key callbacks sent to a receiver are signed with: the given one; for the
        in-process `segue receive` (no `--receiver`), the one it is started with."""
        if self.webhook_key or self.receiver is not None:
            return self.webhook_key
        return IN_PROCESS_WEBHOOK_KEY

    @property
    def verification_expected(self) -> bool:
        """Whether forged deliveries must get a 4xx: `--expect-verification`, or the in-process
        `segue receive`, which verifies (it is started with the key)."""
        return self.expect_verification or self.receiver is None

    def secrets(self) -> list[str]:
        """Strings that must never appear in output or reports."""
        return [s for s in (self.api_key, self.webhook_key) if s]


def check_receiver(
    receiver: str | None, base_url: str | None, vendors: tuple[str, ...], expect_verification: bool
) -> None:
    """`--receiver` names one vendor's endpoint; `--expect-verification` needs a receiver."""
    if receiver is None:
        if expect_verification:
            raise ValueError("--expect-verification needs --receiver")
        return
    if not receiver.startswith(("http://", "https://")):
        raise ValueError(f"--receiver must start with http:// or https://, got {receiver!r}")
    if base_url is not None:
        raise ValueError("--receiver and --base-url exclude each other")
    if len(vendors) != 1:
        raise ValueError("--receiver needs --vendor kie or --vendor udio (an endpoint serves one)")


def check_verification(
    vendors: tuple[str, ...], webhook_key: str | None, spec_dir: str | Path | None
) -> None:
    """`--expect-verification` needs a key, and a vendor whose spec signs its callbacks."""
    from segue import speclib
    from segue.paths import spec_path
    from segue.signature import SignatureScheme

    if not webhook_key:
        raise ValueError("--expect-verification needs --webhook-key (or $SEGUE_WEBHOOK_KEY)")
    for vendor in vendors:
        document = speclib.load_spec(spec_path(vendor, Path(spec_dir) if spec_dir else None))
        if SignatureScheme.from_spec(document) is None:
            raise ValueError(f"--expect-verification: the {vendor} spec documents no signature")


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
    receiver: str | None = None,
    expect_verification: bool = False,
    spec_dir: str | Path | None = None,
) -> ContractOptions:
    """Validate raw option values into `ContractOptions` (ValueError names the bad option)."""
    check_receiver(receiver, base_url, parse_vendor(vendor), expect_verification)
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: choose from {', '.join(PROFILES)}")
    if max_credits is not None and max_credits < 0:
        raise ValueError("--max-credits must be 0 or more")
    base_url = base_url.rstrip("/") if base_url else None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ValueError(f"--base-url must start with http:// or https://, got {base_url!r}")
    webhook_key = webhook_key or os.environ.get(WEBHOOK_KEY_ENV) or None
    if expect_verification:
        check_verification(parse_vendor(vendor), webhook_key, spec_dir)
    return ContractOptions(
        base_url=base_url,
        api_key=api_key or os.environ.get(API_KEY_ENV) or None,
        vendors=parse_vendor(vendor),
        max_credits=default_max_credits(base_url, max_credits),
        profile=PROFILES[profile],
        report_dir=Path(report_dir) if report_dir else None,
        seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
        seed_given=seed is not None,
        webhook_key=webhook_key,
        task_wait=task_wait,
        receiver=receiver,
        expect_verification=expect_verification,
        spec_dir=Path(spec_dir) if spec_dir else None,
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
