"""Drawing strings that match a `pattern` within the field's length, and checking that one exists.

The check runs when a schema is loaded, so a pattern no value can satisfy (or none code can find)
is a SchemaError naming the field at validation time, not a failure halfway through a run.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import rstr

from synth_gradio.errors import SchemaError

DEFAULT_TRIES = 20
# Repeat limits tried after rstr's default (100) produced nothing that fits: short ones for nested
# repeats such as (a+)+ under a maxLength, long ones for a minLength above 100.
_FALLBACK_LIMITS = (12, 4, 1)
_FALLBACK_TRIES = 8
_CHECK_SEED = 0x9A77


class _LimitedXeger(rstr.Rstr):
    """rstr's generator with a per-instance cap on `*`, `+` and `{n,m}` repeats."""

    def __init__(self, rng: random.Random, limit: int) -> None:
        super().__init__(rng)
        self.limit = limit

    def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
        end = max(start_range, min(end_range, self.limit))
        times = self._random.randint(start_range, end)
        return "".join("".join(self._handle_state(i) for i in value) for _ in range(times))


def anchored(pattern: str) -> str:
    """JSON Schema patterns search; generators need a full match. Anchoring only narrows the set."""
    body = pattern
    if body.startswith("^"):
        body = body[1:]
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    return f"^(?:{body})$"


def fits_length(value: str, node: dict[str, Any]) -> bool:
    return node.get("minLength", 0) <= len(value) <= node.get("maxLength", 10**9)


def _generators(node: dict[str, Any], rng: random.Random) -> Iterator[rstr.Rstr]:
    default = rstr.Rstr(rng)
    for _ in range(DEFAULT_TRIES):
        yield default  # first the plain generator: runs that worked before draw the same values
    low = int(node.get("minLength", 0))
    limits = list(_FALLBACK_LIMITS) + ([low, 2 * low] if low > 100 else [])
    for limit in limits:
        gen = _LimitedXeger(rng, limit)
        for _ in range(_FALLBACK_TRIES):
            yield gen


def sample_pattern(pattern: str, node: dict[str, Any], rng: random.Random) -> str | None:
    """A string matching `pattern` within minLength..maxLength, or None when none was found."""
    regex = re.compile(pattern)
    full = anchored(pattern)
    for gen in _generators(node, rng):
        value = gen.xeger(full)
        if fits_length(value, node) and regex.search(value):
            return value
    return None


def check_pattern_drawable(node: dict[str, Any], path: str) -> None:
    """Raise a SchemaError when no value matching the node's pattern and length can be made."""
    pattern = node["pattern"]
    if sample_pattern(pattern, node, random.Random(_CHECK_SEED)) is not None:
        return
    low, high = node.get("minLength"), node.get("maxLength")
    span = (
        f"between {low} and {high} characters"
        if low is not None and high is not None
        else f"of at most {high} characters"
        if high is not None
        else f"of at least {low} characters"
        if low is not None
        else "at all"
    )
    raise SchemaError(
        f"no value {span} matching pattern {pattern!r} could be made; widen minLength/maxLength "
        "or simplify the pattern (for example '^a{1,10}$' instead of nested repeats such as '(a+)+')",
        f"{path}.pattern",
    )
