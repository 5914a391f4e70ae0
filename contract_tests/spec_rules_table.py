"""The independent oracle: every request rule the vendor docs state, typed here a second time.

This is the one place in segue where a limit is written twice on purpose. Everything else
(the mock, the SDKs, the contract suite) derives its rules from the specs; this table is read
from the vendor docs instead, so a wrong number in a spec makes `test_spec_rules.py` fail
instead of silently spreading to the mock and the SDKs.

Every rule carries its `Source`: the reference tag of /work/shared/vendor-facts.md §4, the page
URL, and where the fact sheet or specs/DECISIONS.md discusses it. Where the docs contradict
themselves, the row follows the choice recorded in specs/DECISIONS.md (entry named in `where`).

Rules the docs state only as prose about server state (the clip exists, the model matches the
source, `continueAt` below the source's duration) are not here: no request schema can hold them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# --- sources


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: fact-sheet tag, page URL, and the section discussing it."""

    tag: str
    url: str
    where: str

    def __str__(self) -> str:
        return f"[{self.tag}] {self.url} ({self.where})"


KIE_GENERATE = Source(
    "K2",
    "https://docs.kie.ai/suno-api/generate-music",
    "vendor-facts §1.3, §1.10; DECISIONS K-4, K-5, K-7",
)
KIE_EXTEND = Source(
    "K3",
    "https://docs.kie.ai/suno-api/extend-music",
    "vendor-facts §1.4, §1.10; DECISIONS K-3, K-7",
)
KIE_UPLOAD_EXTEND = Source(
    "K4",
    "https://docs.kie.ai/suno-api/upload-and-extend-audio",
    "vendor-facts §1.5, §1.10; DECISIONS K-3, K-6, K-7",
)
KIE_MODEL_ENUM = Source(
    "K2–K4, K21",
    "https://docs.kie.ai/suno-api/extend-music",
    "vendor-facts §1.3–§1.5, §1.10, §1.11.1; DECISIONS K-1 (V5_5 supported with V5's limits; "
    "V3_5 only on replaced pages)",
)
# V5_5: the newest docs.kie.ai render lists it with prompt 5000 / style 1000 on generate and a
# 100-character title on upload-and-cover (vendor-facts §1.10, row V5_5); no page gives its
# extension limits, so the row is V5's, its nearest documented family (DECISIONS K-1).
KIE_V5_5 = Source(
    "K21",
    "https://docs.kie.ai/suno-api/generate-music",
    "vendor-facts §1.3, §1.10 (row V5_5); DECISIONS K-1 (V5's limits where none is given)",
)
KIE_CALLBACK_URL = Source(
    "K2–K4, X1, X2",
    "https://docs.kie.ai/suno-api/extend-music",
    "vendor-facts §1.4, §1.11.10; DECISIONS K-10 (required, format uri)",
)
KIE_INHERIT_UNLIMITED = Source(
    "K3, K4",
    "https://docs.kie.ai/suno-api/extend-music",
    "DECISIONS K-3: limits are stated for custom mode only; in inherit mode no limit applies",
)
KIE_PERSONA_IN_INHERIT = Source(
    "K3",
    "https://docs.kie.ai/suno-api/extend-music",
    "DECISIONS K-8: personaId is custom-only in meaning, not rejected in inherit mode",
)
UDIO_GENERATE = Source(
    "U5",
    "https://udioapi.pro/docs/v2-generate",
    "vendor-facts §2.2; DECISIONS U-6 (default chirp-v3-5), U-13 (one mode), U-14 (limits)",
)
UDIO_EXTEND = Source(
    "U1",
    "https://udioapi.pro/docs/v2-extend",
    "vendor-facts §2.3; DECISIONS U-15 (index 0|1, required), U-17 (custom fields allowed)",
)
UDIO_EXTENSION_START = Source(
    "U1",
    "https://udioapi.pro/docs/v2-extend",
    "vendor-facts §2.3; DECISIONS U-16 (extensionStartTime > 0, as KIE's continueAt)",
)
UDIO_MODEL_ENUM = Source(
    "U5, U5b, U6",
    "https://udioapi.pro/docs/v2-generate",
    "vendor-facts §2.2, §2.7.6, §2.7.12; DECISIONS U-6, U-12 (chirp-v5 and chirp-v5-5 "
    "supported, the v5-5 being the vendor client's default; dotted ids are the legacy v1 API)",
)
# chirp-v5: the giftasong mirror of v2-generate lists it with a 1000-character style [U5b];
# chirp-v5-5: the generate-callback example and udioapi.pro's own client default [U6]. No page
# gives either's prompt limit: both take the v4.5 family's row (DECISIONS U-12).
UDIO_V5 = Source(
    "U5b, U6",
    "https://udioapi-pro-v2-for-giftasong.pages.dev/ru/docs/v2-generate",
    "vendor-facts §2.2, §2.7.12; DECISIONS U-12 (the v4.5 family's limits)",
)

# --- the limits, as the docs give them

# Custom-mode limits of generate, by model: (prompt, style, title).
# [K2]; DECISIONS K-5 (title 80 for every model).
KIE_GENERATE_CUSTOM_LIMITS: Mapping[str, tuple[int, int, int]] = {
    "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 80),
    "V4_5PLUS": (5000, 1000, 80),
    "V4_5ALL": (5000, 1000, 80),
    "V5": (5000, 1000, 80),
    "V5_5": (5000, 1000, 80),  # [K21]: 5000 / 1000 on generate; title 80 as every model (K-5)
}
# Simple-mode prompt limit of generate, every model. [K2]; DECISIONS K-4.
KIE_GENERATE_SIMPLE_PROMPT_LIMIT = 500

# Custom-mode limits of extend and of upload-extend, by model: (prompt, style, title).
# The kie export's per-model table [K3], [K4]; DECISIONS K-3.
KIE_EXTENSION_CUSTOM_LIMITS: Mapping[str, tuple[int, int, int]] = {
    "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 100),
    "V4_5PLUS": (5000, 1000, 100),
    "V4_5ALL": (5000, 1000, 80),
    "V5": (5000, 1000, 100),
    "V5_5": (5000, 1000, 100),  # KIE_V5_5: V5's row (no extension limits documented)
}

# The supported KIE models are the rows of the limit table. DECISIONS K-1.
KIE_MODELS: tuple[str, ...] = tuple(KIE_EXTENSION_CUSTOM_LIMITS)
KIE_UNSUPPORTED_MODELS: tuple[str, ...] = ("V3_5", "V5_5PLUS", "v5_5")

# Udio generate, by model: (gpt_description_prompt, prompt, style, title); None = no limit
# documented. [U5], vendor-facts §2.2.
UDIO_GENERATE_LIMITS: Mapping[str, tuple[int | None, int, int, int]] = {
    "chirp-v3-5": (400, 3000, 200, 80),
    "chirp-v4-0": (400, 3000, 200, 80),
    "chirp-v4-5": (None, 5000, 1000, 80),
    "chirp-v4-5-plus": (None, 5000, 1000, 80),
    "chirp-v5": (None, 5000, 1000, 80),  # UDIO_V5: style 1000 [U5b], the rest as v4.5
    "chirp-v5-5": (None, 5000, 1000, 80),  # UDIO_V5: as chirp-v5
}
UDIO_DEFAULT_MODEL = "chirp-v3-5"  # what an omitted `model` means [U5]
UDIO_MODELS: tuple[str, ...] = tuple(UDIO_GENERATE_LIMITS)
UDIO_UNSUPPORTED_MODELS: tuple[str, ...] = ("chirp-v3.5", "chirp-v3.0", "chirp-v5.5", "udio-130")

KIE_WEIGHT_FIELDS = ("styleWeight", "weirdnessConstraint", "audioWeight")
UDIO_WEIGHT_FIELDS = ("style_weight", "weirdness_constraint", "audio_weight")

# --- modes: what each needs

CALLBACK = "https://api.example.com/callback"


@dataclass(frozen=True)
class Mode:
    """One documented way to call an operation.

    `body` is the smallest valid request of this mode as the docs describe it; removing any of
    `required` must make it invalid (fields that only select the mode, like Udio's
    `custom_mode`, are in `body` but not in `required`). `optional` holds documented optional
    fields with valid values: adding any of them must keep the body valid.
    """

    vendor: str
    operation: str
    name: str
    body: Mapping[str, Any]
    required: tuple[str, ...]
    optional: Mapping[str, Any]
    source: Source

    @property
    def label(self) -> str:
        return f"{self.operation}[{self.name}]"


def _kie_optional(*extra: tuple[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "negativeTags": "Heavy Metal, Upbeat Drums",
        "vocalGender": "f",
        "styleWeight": 0.65,
        "weirdnessConstraint": 0.07,
        "audioWeight": 1,
    }
    fields.update(extra)
    return fields


def _all_required(body: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(body)


_GEN_CUSTOM_VOCAL = {
    "customMode": True,
    "instrumental": False,
    "prompt": "[Verse] night city lights",
    "style": "Classical",
    "title": "Peaceful Piano",
    "model": "V4",
    "callBackUrl": CALLBACK,
}
_GEN_CUSTOM_INSTRUMENTAL = {k: v for k, v in _GEN_CUSTOM_VOCAL.items() if k != "prompt"} | {
    "instrumental": True
}
_GEN_SIMPLE = {
    "customMode": False,
    "instrumental": False,
    "prompt": "A calm piano track",
    "model": "V4",
    "callBackUrl": CALLBACK,
}
_EXT_CUSTOM = {
    "defaultParamFlag": True,
    "audioId": "e231-clip",
    "prompt": "Continue with a gentle bridge",
    "style": "Classical",
    "title": "Peaceful Piano Extended",
    "continueAt": 60,
    "model": "V4",
    "callBackUrl": CALLBACK,
}
# DECISIONS K-7: inherit mode needs only these four (the kie export's `prompt` is not required).
_EXT_INHERIT = {
    "defaultParamFlag": False,
    "audioId": "e231-clip",
    "model": "V4",
    "callBackUrl": CALLBACK,
}
_UPL_CUSTOM_VOCAL = {
    "uploadUrl": "https://storage.example.com/upload.mp3",
    "defaultParamFlag": True,
    "instrumental": False,
    "prompt": "Continue with a gentle bridge",
    "style": "Classical",
    "title": "Peaceful Piano Extended",
    "continueAt": 60,
    "model": "V4",
    "callBackUrl": CALLBACK,
}
_UPL_CUSTOM_INSTRUMENTAL = {k: v for k, v in _UPL_CUSTOM_VOCAL.items() if k != "prompt"} | {
    "instrumental": True
}
_UPL_INHERIT = {
    "uploadUrl": "https://storage.example.com/upload.mp3",
    "defaultParamFlag": False,
    "prompt": "Continue with a gentle bridge",
    "model": "V4",
    "callBackUrl": CALLBACK,
}

GEN_CUSTOM_VOCAL = Mode(
    "kie",
    "generateMusic",
    "custom-vocal",
    _GEN_CUSTOM_VOCAL,
    _all_required(_GEN_CUSTOM_VOCAL),
    _kie_optional(("personaId", "persona_123")),
    KIE_GENERATE,
)
GEN_CUSTOM_INSTRUMENTAL = Mode(
    "kie",
    "generateMusic",
    "custom-instrumental",
    _GEN_CUSTOM_INSTRUMENTAL,
    _all_required(_GEN_CUSTOM_INSTRUMENTAL),
    _kie_optional(("personaId", "persona_123"), ("prompt", "an optional idea")),
    KIE_GENERATE,
)
GEN_SIMPLE = Mode(
    "kie",
    "generateMusic",
    "simple",
    _GEN_SIMPLE,
    _all_required(_GEN_SIMPLE),
    _kie_optional(),
    KIE_GENERATE,
)
EXT_CUSTOM = Mode(
    "kie",
    "extendMusic",
    "custom",
    _EXT_CUSTOM,
    _all_required(_EXT_CUSTOM),
    _kie_optional(("personaId", "persona_123")),
    KIE_EXTEND,
)
EXT_INHERIT = Mode(
    "kie",
    "extendMusic",
    "inherit",
    _EXT_INHERIT,
    _all_required(_EXT_INHERIT),
    _kie_optional(("personaId", "persona_123")),
    KIE_EXTEND,
)
UPL_CUSTOM_VOCAL = Mode(
    "kie",
    "uploadAndExtendAudio",
    "custom-vocal",
    _UPL_CUSTOM_VOCAL,
    _all_required(_UPL_CUSTOM_VOCAL),
    _kie_optional(("personaId", "persona_123")),
    KIE_UPLOAD_EXTEND,
)
UPL_CUSTOM_INSTRUMENTAL = Mode(
    "kie",
    "uploadAndExtendAudio",
    "custom-instrumental",
    _UPL_CUSTOM_INSTRUMENTAL,
    _all_required(_UPL_CUSTOM_INSTRUMENTAL),
    _kie_optional(("personaId", "persona_123"), ("prompt", "optional guide")),
    KIE_UPLOAD_EXTEND,
)
UPL_INHERIT = Mode(
    "kie",
    "uploadAndExtendAudio",
    "inherit",
    _UPL_INHERIT,
    _all_required(_UPL_INHERIT),
    _kie_optional(),
    KIE_UPLOAD_EXTEND,
)

_UDIO_COMMON_OPTIONAL = {
    "model": "chirp-v4-5",
    "make_instrumental": True,
    "gender": "female",
    "style_weight": 0.5,
    "weirdness_constraint": 0.29,
    "audio_weight": 0,
    "callback_url": "https://your-domain.com/api/callback",
}
UDIO_GEN_INSPIRATION = Mode(
    "udio",
    "generateSong",
    "inspiration",
    {"gpt_description_prompt": "An upbeat pop song about summer"},
    ("gpt_description_prompt",),
    _UDIO_COMMON_OPTIONAL,
    UDIO_GENERATE,
)
UDIO_GEN_CUSTOM = Mode(
    "udio",
    "generateSong",
    "custom",
    {"prompt": "Verse 1: walking down the street"},
    ("prompt",),
    _UDIO_COMMON_OPTIONAL | {"style": "pop, upbeat", "title": "Summer Dreams", "tags": "sad, slow"},
    UDIO_GENERATE,
)
UDIO_EXT_INHERIT = Mode(
    "udio",
    "extendSong",
    "inherit",
    {"origin_task_id": "gen20e094aeaadfe494ea33a5c80ee596083bksv", "extend_audio_index": 0},
    ("origin_task_id", "extend_audio_index"),
    {
        "custom_mode": False,
        "callback_url": "https://your-domain.com/webhook",
        # DECISIONS U-17: custom-mode fields are accepted (and ignored) in inherit mode.
        "prompt": "ignored here",
        "style": "lyrical",
        "title": "lyrical song",
        "tags": "war",
        "extensionStartTime": 150,
    },
    UDIO_EXTEND,
)
UDIO_EXT_CUSTOM = Mode(
    "udio",
    "extendSong",
    "custom",
    {
        "origin_task_id": "gen20e094aeaadfe494ea33a5c80ee596083bksv",
        "extend_audio_index": 1,
        "custom_mode": True,
        "prompt": "Change the music style to be calm and lyrical.",
    },
    ("origin_task_id", "extend_audio_index", "prompt"),
    {
        "style": "lyrical",
        "title": "lyrical song",
        "tags": "war",
        "extensionStartTime": 150,
        "callback_url": "https://your-domain.com/webhook",
    },
    UDIO_EXTEND,
)

KIE_MODES: tuple[Mode, ...] = (
    GEN_CUSTOM_VOCAL,
    GEN_CUSTOM_INSTRUMENTAL,
    GEN_SIMPLE,
    EXT_CUSTOM,
    EXT_INHERIT,
    UPL_CUSTOM_VOCAL,
    UPL_CUSTOM_INSTRUMENTAL,
    UPL_INHERIT,
)
UDIO_MODES: tuple[Mode, ...] = (
    UDIO_GEN_INSPIRATION,
    UDIO_GEN_CUSTOM,
    UDIO_EXT_INHERIT,
    UDIO_EXT_CUSTOM,
)
MODES: tuple[Mode, ...] = KIE_MODES + UDIO_MODES


@dataclass(frozen=True)
class Case:
    """A single documented body and whether it is valid (rules no other row expresses)."""

    mode: Mode
    name: str
    body: Mapping[str, Any]
    valid: bool
    source: Source


CASES: tuple[Case, ...] = (
    Case(
        UDIO_GEN_CUSTOM,
        "both modes at once",
        {"prompt": "Verse 1", "gpt_description_prompt": "a pop song"},
        False,
        Source("U5", "https://udioapi.pro/docs/v2-generate", "DECISIONS U-13: exactly one mode"),
    ),
    Case(UDIO_GEN_CUSTOM, "neither mode", {"title": "Summer Dreams"}, False, UDIO_GENERATE),
    Case(
        UDIO_EXT_INHERIT,
        "custom_mode false needs no prompt",
        {"origin_task_id": "gen1bksv", "extend_audio_index": 1, "custom_mode": False},
        True,
        UDIO_EXTEND,
    ),
)

# --- derived rows


@dataclass(frozen=True)
class LengthLimit:
    """`field` may hold `limit` characters (code points) and not one more, in `mode` with `model`.

    `model` None means the request omits `model` (Udio's default then applies).
    """

    mode: Mode
    model: str | None
    field: str
    limit: int
    source: Source

    @property
    def label(self) -> str:
        return f"{self.mode.label}-{self.model or 'default'}-{self.field}-{self.limit}"


@dataclass(frozen=True)
class NoLimit:
    """In `mode`, `field` is not limited: `probe_length` characters (above every limit the field
    has in another mode) still validate. The other mode's rule must not leak into this one."""

    mode: Mode
    model: str
    field: str
    probe_length: int
    source: Source

    @property
    def label(self) -> str:
        return f"{self.mode.label}-{self.model}-{self.field}-{self.probe_length}"


def _kie_limits() -> list[LengthLimit]:
    rows: list[LengthLimit] = []
    for model, (prompt, style, title) in KIE_GENERATE_CUSTOM_LIMITS.items():
        for fld, limit in (("prompt", prompt), ("style", style), ("title", title)):
            rows.append(LengthLimit(GEN_CUSTOM_VOCAL, model, fld, limit, KIE_GENERATE))
    for model in KIE_MODELS:
        rows.append(
            LengthLimit(GEN_SIMPLE, model, "prompt", KIE_GENERATE_SIMPLE_PROMPT_LIMIT, KIE_GENERATE)
        )
    for mode, source in ((EXT_CUSTOM, KIE_EXTEND), (UPL_CUSTOM_VOCAL, KIE_UPLOAD_EXTEND)):
        for model, (prompt, style, title) in KIE_EXTENSION_CUSTOM_LIMITS.items():
            for fld, limit in (("prompt", prompt), ("style", style), ("title", title)):
                rows.append(LengthLimit(mode, model, fld, limit, source))
    return rows


def _udio_limits() -> list[LengthLimit]:
    rows: list[LengthLimit] = []
    for model in (None, *UDIO_MODELS):
        gpt, prompt, style, title = UDIO_GENERATE_LIMITS[model or UDIO_DEFAULT_MODEL]
        if gpt is not None:
            rows.append(
                LengthLimit(
                    UDIO_GEN_INSPIRATION, model, "gpt_description_prompt", gpt, UDIO_GENERATE
                )
            )
        for fld, limit in (("prompt", prompt), ("style", style), ("title", title)):
            rows.append(LengthLimit(UDIO_GEN_CUSTOM, model, fld, limit, UDIO_GENERATE))
    return rows


def _kie_unlimited() -> list[NoLimit]:
    """Inherit (and simple) modes do not use the custom-mode fields, so no limit applies."""
    longest = {
        fld: max(
            max(row[i] for row in table.values())
            for table in (KIE_GENERATE_CUSTOM_LIMITS, KIE_EXTENSION_CUSTOM_LIMITS)
        )
        for i, fld in enumerate(("prompt", "style", "title"))
    }
    rows: list[NoLimit] = []
    for model in KIE_MODELS:
        for fld in ("prompt", "style", "title"):
            rows.append(NoLimit(EXT_INHERIT, model, fld, longest[fld] + 1, KIE_INHERIT_UNLIMITED))
            rows.append(NoLimit(UPL_INHERIT, model, fld, longest[fld] + 1, KIE_INHERIT_UNLIMITED))
        for fld in ("style", "title"):  # simple mode ignores style and title [K2]
            rows.append(NoLimit(GEN_SIMPLE, model, fld, longest[fld] + 1, KIE_GENERATE))
    return rows


UDIO_INSPIRATION_UNUSED = Source(
    "U5, U6",
    "https://udioapi.pro/docs/generate-callback",
    "vendor-facts §2.2 (style and title limits listed under Custom Mode); DECISIONS U-25",
)


def _udio_unlimited() -> list[NoLimit]:
    """Inspiration mode does not use `style` and `title`: the custom-mode limits do not apply."""
    longest_style = max(row[2] for row in UDIO_GENERATE_LIMITS.values())
    longest_title = max(row[3] for row in UDIO_GENERATE_LIMITS.values())
    return [
        NoLimit(UDIO_GEN_INSPIRATION, model, fld, probe + 1, UDIO_INSPIRATION_UNUSED)
        for model in UDIO_MODELS
        for fld, probe in (("style", longest_style), ("title", longest_title))
    ]


LENGTH_LIMITS: tuple[LengthLimit, ...] = (*_kie_limits(), *_udio_limits())
NO_LIMITS: tuple[NoLimit, ...] = (*_kie_unlimited(), *_udio_unlimited())


@dataclass(frozen=True)
class UnusedValue:
    """In `mode`, `field` is not used, so `value` (which the field's own mode rejects: `""`, 0)
    is accepted: the inherit modes take these fields from the source."""

    mode: Mode
    field: str
    value: Any
    source: Source

    @property
    def label(self) -> str:
        return f"{self.mode.label}-{self.field}={self.value!r}"


KIE_INHERIT_ANY_VALUE = Source(
    "K3, K4",
    "https://docs.kie.ai/suno-api/extend-music",
    "vendor-facts §1.4, §1.5 (`0 < continueAt` listed under defaultParamFlag: true); DECISIONS "
    "K-33: a published client sends continueAt 0 and empty texts in inherit mode",
)
UDIO_INHERIT_ANY_VALUE = Source(
    "U1",
    "https://udioapi.pro/docs/v2-extend",
    "vendor-facts §2.3 (extensionStartTime under custom mode); DECISIONS U-16, U-17",
)
UNUSED_VALUES: tuple[UnusedValue, ...] = (
    *(
        UnusedValue(mode, fld, value, KIE_INHERIT_ANY_VALUE)
        for mode in (EXT_INHERIT, UPL_INHERIT)
        for fld, value in (("continueAt", 0), ("continueAt", -1), ("style", ""), ("title", ""))
    ),
    UnusedValue(EXT_INHERIT, "prompt", "", KIE_INHERIT_ANY_VALUE),
    *(
        UnusedValue(UDIO_EXT_INHERIT, fld, value, UDIO_INHERIT_ANY_VALUE)
        for fld, value in (("extensionStartTime", 0), ("extensionStartTime", -5), ("prompt", ""))
    ),
)

# --- enums, ranges, callbacks


@dataclass(frozen=True)
class EnumRule:
    """`field` accepts exactly `members` in every mode of `modes`; `rejected` are values the docs
    mention elsewhere (other versions, other brands) that must not be accepted."""

    vendor: str
    field: str
    members: tuple[Any, ...]
    rejected: tuple[Any, ...]
    modes: tuple[Mode, ...]
    source: Source
    spec_schema: str | None = None  # component whose `enum` must equal `members`, if any

    @property
    def label(self) -> str:
        return f"{self.vendor}-{self.field}"


ENUM_RULES: tuple[EnumRule, ...] = (
    EnumRule(
        "kie", "model", KIE_MODELS, KIE_UNSUPPORTED_MODELS, KIE_MODES, KIE_MODEL_ENUM, "Model"
    ),
    EnumRule("kie", "vocalGender", ("m", "f"), ("male", "female"), KIE_MODES, KIE_EXTEND),
    EnumRule(
        "udio",
        "model",
        UDIO_MODELS,
        UDIO_UNSUPPORTED_MODELS,
        (UDIO_GEN_INSPIRATION, UDIO_GEN_CUSTOM),
        UDIO_MODEL_ENUM,
        "Model",
    ),
    EnumRule(
        "udio",
        "gender",
        ("male", "female"),
        ("m", "f"),
        (UDIO_GEN_INSPIRATION, UDIO_GEN_CUSTOM),
        UDIO_GENERATE,
    ),
    EnumRule(
        "udio",
        "extend_audio_index",
        (0, 1),
        (2, -1, "0", "1", 0.5, True, False, None),
        (UDIO_EXT_INHERIT, UDIO_EXT_CUSTOM),
        UDIO_EXTEND,
    ),
)


@dataclass(frozen=True)
class WeightRule:
    """Each of `fields` is a number in [0, 1] with at most two decimals, in every mode."""

    vendor: str
    fields: tuple[str, ...]
    modes: tuple[Mode, ...]
    source: Source


WEIGHT_RULES: tuple[WeightRule, ...] = (
    WeightRule(
        "kie",
        KIE_WEIGHT_FIELDS,
        KIE_MODES,
        Source(
            "K2–K4",
            "https://docs.kie.ai/suno-api/extend-music",
            "vendor-facts §1.3–§1.5; DECISIONS K-29",
        ),
    ),
    WeightRule(
        "udio",
        UDIO_WEIGHT_FIELDS,
        (UDIO_GEN_INSPIRATION, UDIO_GEN_CUSTOM),
        Source("U5", "https://udioapi.pro/docs/v2-generate", "vendor-facts §2.2; DECISIONS U-24"),
    ),
)
WEIGHT_ACCEPTED: tuple[float, ...] = (0, 0.0, 0.01, 0.07, 0.29, 0.5, 0.57, 0.65, 0.99, 1, 1.0)
WEIGHT_REJECTED: tuple[float, ...] = (-0.01, 1.01, 0.655, 0.001, 0.005, 0.999, -1, 2, 100)


@dataclass(frozen=True)
class PositiveRule:
    """`field` must be above 0 (exclusive) in `mode`."""

    mode: Mode
    field: str
    source: Source

    @property
    def label(self) -> str:
        return f"{self.mode.label}-{self.field}"


POSITIVE_RULES: tuple[PositiveRule, ...] = (
    PositiveRule(EXT_CUSTOM, "continueAt", KIE_EXTEND),
    PositiveRule(UPL_CUSTOM_VOCAL, "continueAt", KIE_UPLOAD_EXTEND),
    PositiveRule(UPL_CUSTOM_INSTRUMENTAL, "continueAt", KIE_UPLOAD_EXTEND),
    PositiveRule(UDIO_EXT_CUSTOM, "extensionStartTime", UDIO_EXTENSION_START),
)
POSITIVE_ACCEPTED: tuple[float, ...] = (5e-324, 1e-9, 0.001, 0.5, 60, 479.99)
POSITIVE_REJECTED: tuple[float, ...] = (0, 0.0, -0.0, -1e-9, -60)


@dataclass(frozen=True)
class CallbackUrlRule:
    """`field` is a URI; `required` says whether every mode must send it."""

    vendor: str
    field: str
    required: bool
    modes: tuple[Mode, ...]
    source: Source


CALLBACK_URL_RULES: tuple[CallbackUrlRule, ...] = (
    CallbackUrlRule("kie", "callBackUrl", True, KIE_MODES, KIE_CALLBACK_URL),
    CallbackUrlRule(
        "udio",
        "callback_url",
        False,
        UDIO_MODES,
        Source(
            "U1, U5",
            "https://udioapi.pro/docs/v2-extend",
            "vendor-facts §2.2, §2.3, §2.7.8; DECISIONS U-8 (optional, format uri)",
        ),
    ),
)
NOT_URIS: tuple[str, ...] = (
    "not a url",
    "",
    "/callback",
    "api.example.com/callback",
    "https://a b",
)

# --- x-segue-when (project convention)

# Rule ids an error example may name, per vendor (/work/briefs/common.md, "x-segue-when").
X_SEGUE_WHEN_COMMON_RULES = frozenset(
    {
        "unauthorized",
        "insufficient-credits",
        "rate-limited",
        "maintenance",
        "server-error",
        "validation-failed",
    }
)
X_SEGUE_WHEN_RULES: Mapping[str, frozenset[str]] = {
    "kie": X_SEGUE_WHEN_COMMON_RULES
    | {"audio-not-found", "model-mismatch", "continue-at-beyond-duration", "task-not-found"},
    "udio": X_SEGUE_WHEN_COMMON_RULES
    | {"origin-not-found", "origin-not-complete", "work-not-found"},
}

VENDORS: tuple[str, ...] = ("kie", "udio")
OPERATIONS: Mapping[str, tuple[str, ...]] = {
    vendor: tuple(dict.fromkeys(m.operation for m in MODES if m.vendor == vendor))
    for vendor in VENDORS
}
