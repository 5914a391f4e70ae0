"""JSON in and out of the mock: orjson where it means the same as the standard library.

Every create costs a parse, an answer and three callback bodies; orjson does each in about a tenth
of the time of `json`. It is not a drop-in replacement, so each function falls back to `json`
exactly where the two would disagree, and the mock's behaviour (values, error messages) stays the
standard library's:

- orjson turns integers beyond 64 bits into floats on reading and refuses them on writing; a body
  with a run of 19 or more digits is read by `json`, and a value orjson cannot write is written
  by `json`;
- orjson refuses what `json` reads (lone surrogates, `1e400`) or words errors its own way: any
  body orjson refuses is read again by `json`, whose answer or error is the one given.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# 19 digits can exceed a signed 64-bit integer; orjson would read such a number as a float.
_LONG_NUMBER = re.compile(rb"\d{19,}")


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, non-ASCII kept as is (`json.dumps(ensure_ascii=False)` compact)."""
    try:
        return orjson.dumps(value)
    except TypeError:  # an integer beyond 64 bits, a non-string key: json writes those
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def loads(raw: bytes) -> Any:
    """Parse a request body; raises ValueError (`json`'s own message) when it is not JSON.

    `NaN`, `Infinity` and `-Infinity` are refused: they are not JSON, though `json` reads them.
    """
    if not _LONG_NUMBER.search(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # json decides, and words the error
    return json.loads(raw, parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
