"""A field's values on the real line: bounds, grid, and the conversions both ways.

Every declared distribution is drawn as a real number x and then turned into a field value on a
grid: integers, multipleOf, dates as day numbers, date-times as seconds, and other numbers on
steps of 10^-decimals. x is rounded to the nearest grid point inside the bounds, so the truncation
interval runs half a step past the outer points: each point, the end points included, receives
exactly the probability of its own cell, never a spike.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

from synth_gradio.schema.distributions.math import INF
from synth_gradio.schema.jsontypes import type_list

EPOCH = dt.datetime(1970, 1, 1)
DAY_S = 86400.0
_DATE_LO, _DATE_HI = dt.date(1, 1, 2).toordinal(), dt.date(9999, 12, 30).toordinal()
_TIME_LO, _TIME_HI = -62135510400.0, 253402214399.0  # 0001-01-02 .. 9999-12-30, in seconds


def text_key(value: Any) -> str:
    """How a value is written as a `weights` or `cases` key: strings as they are, others as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def decimals_of(step: float) -> int:
    """Decimal places of a step such as 0.25 (2) or 5 (0)."""
    text = f"{step:.12f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


@dataclass(frozen=True)
class Space:
    """Where a field's values live: kind ("integer", "number", "date", "date-time", "boolean",
    "string", "other"), inclusive bounds on the real line, the grid step (None: continuous)."""

    kind: str
    lo: float = -INF
    hi: float = INF
    lo_open: bool = False
    hi_open: bool = False
    step: float | None = None
    decimals: int | None = None  # the schema's own x-decimals
    enum: tuple[Any, ...] | None = None
    nullable: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("integer", "number", "date", "date-time")

    @property
    def temporal(self) -> bool:
        return self.kind in ("date", "date-time")

    def grid(self, low: float = -INF, high: float = INF, step: float | None = None) -> tuple[float, float]:
        """First and last grid index inside the bounds and [low, high]."""
        step = step or self.step or 1.0
        lo, hi = max(self.lo, low), min(self.hi, high)
        k_lo = math.ceil(lo / step - 1e-9) if lo > -INF else -INF
        k_hi = math.floor(hi / step + 1e-9) if hi < INF else INF
        if self.lo_open and k_lo > -INF and abs(k_lo * step - self.lo) < 1e-9 * max(1.0, abs(self.lo)):
            k_lo += 1
        if self.hi_open and k_hi < INF and abs(k_hi * step - self.hi) < 1e-9 * max(1.0, abs(self.hi)):
            k_hi -= 1
        return k_lo, k_hi

    def interval(self, low: float = -INF, high: float = INF, step: float | None = None) -> tuple[float, float]:
        """The truncation interval on the real line: grid cells widened by half a step (none: continuous)."""
        step = step or self.step
        if step is None:
            return max(self.lo, low), min(self.hi, high)
        k_lo, k_hi = self.grid(low, high, step)
        return k_lo * step - step / 2, k_hi * step + step / 2

    def to_real(self, value: Any) -> float:
        """A field value as a real number (dates as day numbers, date-times as epoch seconds)."""
        if self.kind == "date":
            return float(dt.date.fromisoformat(str(value)[:10]).toordinal())
        if self.kind == "date-time":
            return parse_moment(str(value))
        return float(value)

    def from_grid(self, k: int, step: float | None = None) -> Any:
        """The field value at grid index k (numbers: on the given step, such as 0.01)."""
        if self.kind == "date":
            return dt.date.fromordinal(int(k)).isoformat()
        if self.kind == "date-time":
            return (EPOCH + dt.timedelta(seconds=int(k))).strftime("%Y-%m-%dT%H:%M:%SZ")
        step = step or self.step or 1.0
        if self.kind == "integer":
            return round(k * step)
        return round(k * step, decimals_of(step))


def parse_moment(text: str) -> float:
    """An ISO date or date-time as epoch seconds (naive times are UTC)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return (moment - EPOCH).total_seconds()


def field_space(node: dict[str, Any]) -> Space:
    """The Space of a top-level field schema."""
    types = type_list(node)
    enum = tuple(node["enum"]) if isinstance(node.get("enum"), list) else None
    nullable = "null" in types or (enum is not None and None in enum)
    main = next((t for t in types if t != "null"), "null")
    if main == "string" and node.get("format") in ("date", "date-time"):
        if node["format"] == "date":
            return Space("date", _DATE_LO, _DATE_HI, step=1.0, enum=enum, nullable=nullable)
        return Space("date-time", _TIME_LO, _TIME_HI, step=1.0, enum=enum, nullable=nullable)
    if main not in ("integer", "number"):
        kind = main if main in ("boolean", "string") else "other"
        return Space(kind, enum=enum, nullable=nullable)
    lo, lo_open = _bound(node, "minimum", "exclusiveMinimum", max)
    hi, hi_open = _bound(node, "maximum", "exclusiveMaximum", min)
    mult = node.get("multipleOf")
    if main == "integer":
        step = float(mult) if mult and float(mult).is_integer() else 1.0
        if lo_open:
            lo, lo_open = math.floor(lo) + 1.0, False
        if hi_open:
            hi, hi_open = math.ceil(hi) - 1.0, False
        return Space("integer", lo, hi, step=step, enum=enum, nullable=nullable)
    decimals = node.get("x-decimals")
    return Space(
        "number",
        lo,
        hi,
        lo_open,
        hi_open,
        step=float(mult) if mult else None,
        decimals=int(decimals) if isinstance(decimals, int) else None,
        enum=enum,
        nullable=nullable,
    )


def _bound(node: dict[str, Any], inclusive: str, exclusive: str, pick: Any) -> tuple[float, bool]:
    found = [(float(node[inclusive]), False)] if inclusive in node else []
    if exclusive in node:
        found.append((float(node[exclusive]), True))
    if not found:
        return (-INF if pick is max else INF), False
    value = pick(v for v, _ in found)
    return value, any(v == value and is_open for v, is_open in found)
