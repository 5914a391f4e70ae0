"""The rules table of `segue diff`: every rule id, its level in each direction, and what it means.

Direction is the point of view of the user's code:

- **request**: data the user sends: an operation's parameters and request body, and the
  acknowledgement the user's callback endpoint returns (a callback's `responses`);
- **response**: data the vendor sends: an operation's responses and their headers, and every
  callback and webhook payload (the callback's `requestBody`) and header parameter.

A change that narrows what may be sent breaks the sender's counterpart only when the user is the
sender (request direction); a change that widens what may arrive breaks the user only when the
vendor is the sender (response direction). The README's rule table is this table; a test checks
that the two agree.

Where the issue's table is silent (choices made here, documented in the README as well):

- `enum-added`/`enum-removed`: a whole enum appearing narrows (like a value removed); one
  disappearing widens, a warning for readers (like a value added: tolerant readers cope).
- `type-widened`: a type added beside the old ones (not `null`) loosens: info for requests,
  breaking for responses (the reader gets a type it never handled).
- `max-items-increased`, `min-*-decreased` in responses: info, as the issue's table says for
  every loosened limit other than maxLength/maximum; `exclusiveMaximum` counts as `maximum`,
  `exclusiveMinimum` as `minimum`, `maxProperties`/`minProperties` as `maxItems`/`minItems`.
- `format-changed`: breaking for requests; a warning for responses (generated models parse
  some formats, e.g. `date-time`).
- `condition-changed`: the `if` of a conditional changed (still testing the same properties),
  so its rule holds for other values; whether that is stricter cannot be told in general, so it
  is breaking either way. Its `then`/`else` are still compared, under the new condition, each
  read with its parent's constraints on the properties it names.
- `conditional-added-for-new-values` / `conditional-removed-for-gone-values`: a conditional
  whose `if` tests a property for values (`const`/`enum`) that the other side's enum of that
  property does not have (a new model and its limits, a model dropped with its limits) binds
  nothing the other side allowed: info; the enum change itself is reported on its own.
- `allOf` is flattened: its branches (through `$ref`) are read as one schema, so moving a
  property into a shared `allOf` component is no change, and a branch's constraints are
  reported by their own rules. `variant-added`/`removed` (`oneOf`/`anyOf`): a variant added
  widens, one removed narrows; `alternatives-added`/`removed`: a whole `oneOf`/`anyOf` on one
  side only, reported when every variant narrows (added) or NEW is looser than every variant
  (removed); types and enums are read through the variants (an open enum is `enum-removed`).
- `response-status-*`: a documented status code the vendor answers with, added or removed, is a
  warning (a client's error mapping changes); for a callback acknowledgement (request
  direction) a removed status breaks receivers that answer it.
- `media-type-*`: a request media type removed breaks senders; a response media type added is
  a warning.
- Bodies and parameters (headers included) follow the property rules.
- `x-segue-…` extensions (what SDKs derive, DECISIONS X-1…X-4): a code's error class,
  `task-created` or `transient` changed, or a documented code removed, is breaking
  (`error-mapping-changed`: callers catch classes, retries depend on it); a code added is a
  warning; the envelope's `outcome`/`code`/`message` changed is breaking; a signature change
  is breaking (receivers verify with it), except its tolerance (a warning); lifecycle and
  per-model duration changes are warnings (the regenerated waiters follow; callers' code
  does not change). A whole document-level extension added is a warning (`extension-added`:
  SDKs gain derived behaviour, e.g. typed errors), one removed is breaking.
- `default-changed`: what the server assumes for an omitted field changes behaviour for callers
  who omit it (a warning for requests); in responses a default is an annotation (info).
- `spec-added`/`spec-removed` (only with `--base`): a spec file new since, or gone since, REV.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """How much a change matters; ordered so that `--fail-on` compares."""

    INFO = 0
    WARNING = 1
    BREAKING = 2

    def __str__(self) -> str:
        return self.name.lower()


B, W, I = Level.BREAKING, Level.WARNING, Level.INFO  # noqa: E741 (the table reads better)
# `both`: a change to the document as a whole (servers, security schemes, x-segue extensions).
DIRECTIONS = ("request", "response", "both")


@dataclass(frozen=True)
class Rule:
    """One rule: its id, its level in request and in response direction, and what it means."""

    id: str
    request: Level
    response: Level
    meaning: str
    documentation: bool = False

    def level(self, direction: str) -> Level:
        """The level in `direction`; `both` (a document-wide change) takes the higher."""
        if direction == "request":
            return self.request
        if direction == "response":
            return self.response
        return max(self.request, self.response)


_TABLE: tuple[tuple[str, Level, Level, str], ...] = (
    # documents, operations, callbacks, webhooks
    ("spec-added", I, I, "a spec file exists in NEW only (`--base`)"),
    ("spec-removed", B, B, "a spec file exists in OLD only (`--base`)"),
    ("path-removed", B, B, "a path (and so each of its operations) removed"),
    ("operation-removed", B, B, "an operation (a method of a path that remains) removed"),
    ("operation-added", I, I, "an operation added"),
    ("callback-removed", B, B, "a callback of an operation removed"),
    ("callback-added", I, I, "a callback added to an operation"),
    ("webhook-removed", B, B, "a webhook removed"),
    ("webhook-added", I, I, "a webhook added"),
    ("callback-url-changed", B, B, "a callback's URL expression changed"),
    ("operation-id-changed", W, W, "an operationId renamed: regenerated method names change"),
    ("operation-deprecated", W, W, "an operation marked deprecated"),
    ("security-changed", B, B, "a security requirement added or changed"),
    ("security-removed", I, I, "every security requirement removed"),
    ("security-scheme-changed", B, B, "a security scheme's type, name, location or scheme"),
    ("server-changed", W, W, "a server URL changed: the SDK's default base URL moves"),
    ("schema-renamed", W, W, "a component schema renamed: regenerated class names change"),
    # bodies, parameters, headers, media types, responses
    ("required-body-added", B, I, "a required request body added"),
    ("optional-body-added", I, I, "an optional request body added"),
    ("body-removed", W, B, "a request body (or callback payload) removed"),
    ("body-became-required", B, I, "a request body became required"),
    ("body-became-optional", I, B, "a request body became optional"),
    ("required-parameter-added", B, I, "a required parameter or header added"),
    ("optional-parameter-added", I, I, "an optional parameter or header added"),
    ("required-parameter-removed", W, B, "a required parameter or header removed"),
    ("optional-parameter-removed", W, W, "an optional parameter or header removed"),
    ("parameter-became-required", B, I, "a parameter or header became required"),
    ("parameter-became-optional", I, B, "a parameter or header became optional"),
    ("media-type-removed", B, I, "a media type of a body removed"),
    ("media-type-added", I, W, "a media type of a body added"),
    ("response-status-removed", B, W, "a documented response status removed"),
    ("response-status-added", I, W, "a documented response status added"),
    # schemas
    ("required-property-added", B, I, "a property added as required"),
    ("optional-property-added", I, I, "a property added as optional"),
    ("required-property-removed", W, B, "a required property removed"),
    ("optional-property-removed", W, W, "an optional property removed"),
    ("property-became-required", B, I, "a property became required"),
    ("property-became-optional", I, B, "a property became optional"),
    ("enum-value-removed", B, I, "an enum value removed"),
    ("enum-value-added", I, W, "an enum value added"),
    ("enum-added", B, I, "an enum added where any value was allowed"),
    ("enum-removed", I, W, "an enum removed: any value allowed"),
    ("const-added", B, I, "a `const` added"),
    ("const-removed", I, B, "a `const` removed"),
    ("const-changed", B, B, "a `const` changed"),
    ("type-changed", B, B, "a type changed (narrowed, or replaced)"),
    ("type-widened", I, B, "a type added beside the old ones (or `type` removed)"),
    ("type-nullable-added", I, B, "a value became nullable"),
    ("type-nullable-removed", B, I, "a value is no longer nullable"),
    ("max-length-decreased", B, I, "maxLength lowered or added"),
    ("max-length-increased", I, B, "maxLength raised or removed"),
    ("maximum-decreased", B, I, "maximum/exclusiveMaximum lowered or added"),
    ("maximum-increased", I, B, "maximum/exclusiveMaximum raised or removed"),
    ("max-items-decreased", B, I, "maxItems/maxProperties lowered or added"),
    ("max-items-increased", I, I, "maxItems/maxProperties raised or removed"),
    ("min-length-increased", B, I, "minLength raised or added"),
    ("min-length-decreased", I, I, "minLength lowered or removed"),
    ("minimum-increased", B, I, "minimum/exclusiveMinimum raised or added"),
    ("minimum-decreased", I, I, "minimum/exclusiveMinimum lowered or removed"),
    ("min-items-increased", B, I, "minItems/minProperties raised or added"),
    ("min-items-decreased", I, I, "minItems/minProperties lowered or removed"),
    ("pattern-added", B, I, "a pattern added"),
    ("pattern-removed", I, I, "a pattern removed"),
    ("pattern-changed", B, I, "a pattern changed"),
    ("format-added", B, I, "a format added"),
    ("format-removed", I, I, "a format removed"),
    ("format-changed", B, W, "a format changed"),
    ("multiple-of-tightened", B, I, "multipleOf added, or changed to a step the old one divides"),
    ("multiple-of-loosened", I, I, "multipleOf removed, or changed to a divisor of the old"),
    ("unique-items-added", B, I, "uniqueItems required"),
    ("unique-items-removed", I, I, "uniqueItems no longer required"),
    ("additional-properties-restricted", B, I, "additionalProperties now false (was allowed)"),
    ("additional-properties-allowed", I, I, "additionalProperties no longer false"),
    ("conditional-added", B, I, "an `if`/`then`/`else` (or `dependentSchemas` entry) added"),
    ("conditional-removed", I, B, "an `if`/`then`/`else` (or `dependentSchemas` entry) removed"),
    ("conditional-added-for-new-values", I, I,
     "a conditional for values OLD lacked (a new model's)"),
    ("conditional-removed-for-gone-values", I, I,
     "a conditional for values NEW lacks, removed"),
    ("condition-changed", B, B, "the `if` of a conditional changed"),
    ("dependent-required-added", B, I, "a `dependentRequired` entry added or extended"),
    ("dependent-required-removed", I, B, "a `dependentRequired` entry removed or shortened"),
    ("alternatives-added", B, I, "a `oneOf`/`anyOf` added where there was none"),
    ("alternatives-removed", I, B, "a `oneOf`/`anyOf` removed (its variants no longer bind)"),
    ("variant-added", I, B, "a `oneOf`/`anyOf` variant added"),
    ("variant-removed", B, I, "a `oneOf`/`anyOf` variant removed"),
    ("not-added", B, I, "a `not` added"),
    ("not-removed", I, B, "a `not` removed"),
    ("not-changed", B, B, "a `not` changed"),
    ("default-changed", W, I, "a default added, removed or changed"),
    # messages and documentation
    ("error-message-changed", W, W, "a documented error message (example with x-segue-when)"),
    ("description-changed", I, I, "a description, summary or title changed"),
    ("example-changed", I, I, "an example added, removed or changed"),
    # x-segue extensions
    ("extension-added", W, W, "an x-segue extension added: SDKs derive new behaviour from it"),
    ("extension-removed", B, B, "an x-segue extension removed: SDKs lose what they derived"),
    ("error-mapping-changed", B, B, "x-segue-errors: a code's class or flags changed, or removed"),
    ("error-code-added", W, W, "x-segue-errors: a code added"),
    ("error-envelope-changed", B, B, "x-segue-errors: outcome, code or message pointer changed"),
    ("signature-changed", B, B, "x-segue-signature changed (algorithm, message, headers…)"),
    ("signature-tolerance-changed", W, W, "x-segue-signature: tolerance-seconds changed"),
    ("lifecycle-changed", W, W, "x-segue-lifecycle changed: regenerated waiters follow"),
    ("max-duration-changed", W, W, "x-segue-max-duration-seconds changed"),
)  # fmt: skip

_DOCUMENTATION = frozenset({"description-changed", "example-changed"})

RULES: dict[str, Rule] = {
    rule_id: Rule(rule_id, request, response, meaning, rule_id in _DOCUMENTATION)
    for rule_id, request, response, meaning in _TABLE
}


def markdown_table() -> str:
    """The rules as the README's Markdown table (between its `segue-diff-rules` markers; a test
    keeps the two equal). A documentation-only rule's change says so once, from its flag."""
    rows = ["| rule id | request | response | change |", "|---|---|---|---|"]
    for rule in RULES.values():
        change = f"{rule.meaning} (documentation)" if rule.documentation else rule.meaning
        rows.append(f"| `{rule.id}` | {rule.request} | {rule.response} | {change} |")
    return "\n".join(rows) + "\n"


def parse_level(name: str) -> Level:
    """`breaking` -> Level.BREAKING; ValueError names the levels."""
    try:
        return Level[name.upper()]
    except KeyError:
        raise ValueError(
            f"unknown level {name!r} (choose {', '.join(str(level) for level in Level)})"
        ) from None
