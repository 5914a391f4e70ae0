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

What neither should let in is refused here with `UnsafeJSON` naming the top-level property: values
nested deeper than MAX_DEPTH (jsonschema-rs and `json` both recurse, and hit their limits with
a server error), lone surrogates in strings or property names (they cannot be written back as
UTF-8, so every later answer and callback showing them would fail), and numbers too large for a
float (`json` reads `1e400` as infinity, which no schema rule names).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

# The deepest nesting a request body may have. The vendors' bodies are at most 3 levels deep; a
# bound far below Python's recursion limit keeps every recursive walk (validation, copies,
# rendering) safe.
MAX_DEPTH = 32

# 19 digits can exceed a signed 64-bit integer; orjson would read such a number as a float.
_LONG_NUMBER = re.compile(rb"\d{19,}")


class UnsafeJSON(ValueError):
    """A body that parses but must not enter the mock (see the module doc)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, non-ASCII kept as is (`json.dumps(ensure_ascii=False)` compact).

    Never raises for a string: a lone surrogate (refused at the door, so never expected) is
    written escaped rather than failing the answer it is in."""
    try:
        return orjson.dumps(value)
    except TypeError:  # an integer beyond 64 bits, a non-string key: json writes those
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        try:
            return text.encode()
        except UnicodeEncodeError:
            return json.dumps(value, separators=(",", ":")).encode()


def loads(raw: bytes) -> Any:
    """Parse a request body; raises ValueError (`json`'s own message) when it is not JSON.

    `NaN`, `Infinity` and `-Infinity` are refused: they are not JSON, though `json` reads them.
    """
    if not _LONG_NUMBER.search(raw):
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # json decides, and words the error
        else:
            _check(value, strings=False)  # orjson refuses surrogates and infinities itself
            return value
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise UnsafeJSON("body", f"nested deeper than {MAX_DEPTH} levels") from None
    _check(value, strings=True)
    return value


def _check(value: Any, strings: bool) -> None:
    """Raise UnsafeJSON for nesting beyond MAX_DEPTH and, with `strings`, for lone surrogates
    and non-finite numbers; the field named is the top-level property they are under."""
    stack: list[tuple[Any, int, str]] = [(value, 0, "body")]
    while stack:
        node, depth, field = stack.pop()
        if depth > MAX_DEPTH:
            raise UnsafeJSON(field, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            for key, child in node.items():
                if strings and not _encodable(key):
                    raise UnsafeJSON(field, "a property name holds a lone surrogate (not UTF-8)")
                stack.append((child, depth + 1, key if depth == 0 else field))
        elif isinstance(node, list):
            stack.extend((child, depth + 1, field) for child in node)
        elif strings and isinstance(node, str) and not _encodable(node):
            raise UnsafeJSON(field, "holds a lone surrogate (not UTF-8)")
        elif strings and isinstance(node, float) and not math.isfinite(node):
            raise UnsafeJSON(field, "number out of range (too large for a float)")


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
