"""Property-based callbacks: Schemathesis generates payloads from the callback schemas.

Schemathesis tests the operations under `paths` and ignores `callbacks` (its issue #732). So the
suite derives a document in which the callbacks *are* the operations: one path per callback
operation, `/<its operationId>` (KIE `receiveMusicStage`, shared by generate and extend, and
`receiveUploadExtendStage`; Udio `receiveSongStage`), holding its `post` (request body = the
payload schema, responses = the acknowledgement), with the spec's components, so every `$ref`
still resolves; the report files each generated case under that operationId. The signature
headers are left out of the derived operation: the suite signs each payload itself (random header
values would only test that the receiver refuses garbage, which `forgeries` does on purpose).

Generation is positive only: the vendor never sends a payload its own schema forbids. Generated
objects may carry properties no schema declares; they are stripped before sending, because a
receiver's answer to unknown properties is the forward-compatibility check's, a warning.
"""

from __future__ import annotations

import copy
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig

from segue.contract.deliveries import DeliveryKit, catalogue
from segue.contract.options import ContractOptions


def derived_document(kit: DeliveryKit) -> dict[str, Any]:
    """The spec with its callbacks as path operations (see the module docstring)."""
    document = copy.deepcopy(kit.oracle.document)
    document.pop("webhooks", None)
    paths: dict[str, Any] = {}
    for route in kit.routes:
        post = copy.deepcopy(route.operation.node)
        post.pop("parameters", None)
        post["security"] = []
        paths.setdefault(callback_path(route.callback_operation_id), {"post": post})
    document["paths"] = paths
    return document


def callback_path(callback_operation_id: str) -> str:
    return f"/{callback_operation_id}"


def load_callback_schema(vendor: str, options: ContractOptions) -> Any:
    """The derived document of `vendor` as a Schemathesis schema with the run's seed and profile."""
    kit = catalogue(vendor, str(options.spec_dir) if options.spec_dir else None)
    config = SchemathesisConfig.from_dict(
        {
            "seed": options.seed,
            "generation": {
                "database": "none",
                "max-examples": options.profile.schemathesis_examples,
                "mode": "positive",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": False},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        }
    )
    return schemathesis.openapi.from_dict(derived_document(kit), config=config)
