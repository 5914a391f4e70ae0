"""Helpers the suite's test modules share: per-vendor parameters and Hypothesis settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck

from segue.contract.deliveries import CallbackRoute, DeliveryKit, catalogue
from segue.contract.options import active
from segue.contract.oracle import load_oracle
from segue.paths import VENDORS


def vendor_params(entries: Iterable[tuple[str, Any]], ident: Callable[[Any], str]) -> list[Any]:
    """`pytest.param(vendor, value)` marked with its vendor; ids `kie-extendMusic:title<=80[…]`."""
    return [
        pytest.param(
            vendor,
            value,
            marks=pytest.mark.vendor(vendor),
            id=compact_id(f"{vendor}-{ident(value)}"),
        )
        for vendor, value in entries
    ]


def compact_id(text: str) -> str:
    """A test id without spaces: `title <= 80 [model=V4, x=y]` -> `title<=80[model=V4,x=y]`,
    `style_weight maximum 1` -> `style_weight-maximum-1`."""
    for spaced, tight in ((": ", ":"), (" <= ", "<="), (" [", "["), (", ", ","), (" = ", "=")):
        text = text.replace(spaced, tight)
    return text.replace(" ", "-")


def every_operation(select: Callable[[Any], bool] = lambda op: True) -> list[tuple[str, Any]]:
    """(vendor, operation) for every path operation of both specs that `select` keeps."""
    return [
        (vendor, op)
        for vendor in VENDORS
        for op in load_oracle(vendor).operations.values()
        if select(op)
    ]


def zero_cost_settings(examples: int | None = None) -> hypothesis.settings:
    """Settings of a property whose requests create nothing: the profile's example count."""
    return _settings(examples if examples is not None else active().profile.rule_examples)


def creating_settings() -> hypothesis.settings:
    """Settings of a property whose requests create tasks: one example against a real server
    (each costs a credit), the profile's count in process (credits are free there)."""
    options = active()
    return _settings(options.profile.rule_examples if options.in_process else 1)


def _settings(examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max(1, examples),
        database=None,
        deadline=None,
        derandomize=False,
        print_blob=False,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink],
    )


def receiver_params(
    cases: Callable[[DeliveryKit, CallbackRoute], Iterable[str]],
) -> list[Any]:
    """`pytest.param(vendor, operation_id, case)` for every case `cases` names, for every create
    operation's callback of both specs (those of `--spec-dir` when given); marked by vendor."""
    spec_dir = active().spec_dir
    params = []
    for vendor in VENDORS:
        kit = catalogue(vendor, str(spec_dir) if spec_dir else None)
        for route in kit.routes:
            params += [
                pytest.param(
                    vendor,
                    route.operation_id,
                    case,
                    marks=pytest.mark.vendor(vendor),
                    id=compact_id(f"{vendor}-{route.operation_id}-{case}"),
                )
                for case in cases(kit, route)
            ]
    return params


def receiver_vendor_params(select: Callable[[DeliveryKit], bool] = lambda kit: True) -> list[Any]:
    """`pytest.param(vendor)` for each vendor whose catalogue `select` keeps."""
    spec_dir = active().spec_dir
    return [
        pytest.param(vendor, marks=pytest.mark.vendor(vendor), id=vendor)
        for vendor in VENDORS
        if select(catalogue(vendor, str(spec_dir) if spec_dir else None))
    ]
