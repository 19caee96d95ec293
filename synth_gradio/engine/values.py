"""Code-side value drawing: realistic values that satisfy a field's constraints, with no model.

Everything takes an explicit `random.Random`, so a run's seed reproduces it exactly.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from typing import Any

import rstr

from synth_gradio.engine.strategies import normalize_name
from synth_gradio.errors import SchemaError
from synth_gradio.schema.formats import FORMAT_PATTERNS, check_format
from synth_gradio.schema.idforms import code_pattern
from synth_gradio.schema.model import type_list
from synth_gradio.schema.patterns import anchored, fits_length, sample_pattern

_EPOCH = dt.date(2015, 1, 1)
_TODAY = dt.date(2025, 12, 31)
_MONEY = ("price", "amount", "total", "cost", "balance", "salary", "revenue", "fee", "value", "income", "spend")
NULL_RATE = 0.1
OPTIONAL_RATE = 0.85
FORMAT_TRIES = 10


def _numeric_range(name: str, node: dict[str, Any], integer: bool) -> tuple[float, float]:
    key = normalize_name(name)
    lo, hi = 0.0, 1000.0
    if "age" in key.split("_"):
        lo, hi = 18, 90
    elif "year" in key:
        lo, hi = 1970, 2025
    elif any(k in key for k in ("quantity", "qty", "count", "units")):
        lo, hi = 1, 50
    elif any(k in key for k in ("percent", "pct", "rate")):
        lo, hi = 0, 100
    elif "rating" in key or "score" in key:
        lo, hi = 1, 5
    elif key == "lat" or "latitude" in key:
        lo, hi = -90, 90
    elif "lon" in key or "lng" in key:
        lo, hi = -180, 180
    step = 1 if integer else 0.01
    default = (lo, hi)
    if "minimum" in node:
        lo = node["minimum"]
    if "exclusiveMinimum" in node:
        lo = node["exclusiveMinimum"] + step
    if "maximum" in node:
        hi = node["maximum"]
    if "exclusiveMaximum" in node:
        hi = node["exclusiveMaximum"] - step
    if lo > hi:  # only one bound given and it lies outside the default window
        lo, hi = (lo, lo + 1000) if "minimum" in node or "exclusiveMinimum" in node else (hi - 1000, hi)
    type_bounds = set(node.get("x-type-bounds", []))
    if type_bounds or hi - lo > 1e7:
        # Bounds that only state a storage type (INT, NUMERIC(10,2)) say nothing about realistic
        # values: use the name-based window inside them.
        if "minimum" in type_bounds or hi - lo > 1e7:
            lo = max(lo, default[0])
        if "maximum" in type_bounds or hi - lo > 1e7:
            hi = min(hi, default[1])
        if lo > hi:
            lo, hi = (lo, lo + 1000)
    return lo, hi


def sample_number(name: str, node: dict[str, Any], rng: random.Random, integer: bool) -> int | float:
    lo, hi = _numeric_range(name, node, integer)
    mult = node.get("multipleOf")
    if integer:
        lo_i, hi_i = math.ceil(lo), math.floor(hi)
        if mult:
            k_lo, k_hi = math.ceil(lo_i / mult), math.floor(hi_i / mult)
            return int(rng.randint(k_lo, k_hi) * mult)
        return rng.randint(lo_i, hi_i)
    if mult:
        k = rng.randint(math.ceil(lo / mult), math.floor(hi / mult))
        return round(k * mult, max(0, -math.floor(math.log10(mult))) if mult < 1 else 0)
    key = normalize_name(name)
    decimals = int(node.get("x-decimals", 2))
    if any(m in key for m in _MONEY) and lo >= 0:
        # Money is skewed: many small amounts, few large ones (log-uniform within the bounds).
        value = math.exp(rng.uniform(math.log(max(lo, 0.01) + 1), math.log(hi + 1))) - 1
    else:
        value = rng.uniform(lo, hi)
    return min(max(round(value, decimals), lo), hi)


def _date_window(name: str) -> tuple[dt.date, dt.date]:
    key = normalize_name(name)
    if "birth" in key or key in ("dob", "birthday"):
        return _TODAY.replace(year=_TODAY.year - 90), _TODAY.replace(year=_TODAY.year - 18)
    return _EPOCH, _TODAY


def sample_format(name: str, fmt: str, rng: random.Random) -> str:
    lo, hi = _date_window(name)
    day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
    clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    if fmt == "date":
        return day.isoformat()
    if fmt == "date-time":
        return f"{day.isoformat()}T{clock}Z"
    if fmt == "time":
        return clock
    if fmt == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if fmt == "ipv4":
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    return rstr.Rstr(rng).xeger(anchored(FORMAT_PATTERNS[fmt]))


def sample_value(name: str, node: dict[str, Any], rng: random.Random) -> Any:
    """Draw one value for `node`; a SchemaError naming the field when code cannot produce a valid one."""
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return rng.choice(node["enum"])
    types = type_list(node)
    if "null" in types and (len(types) == 1 or rng.random() < NULL_RATE):
        return None
    t = next(x for x in types if x != "null")
    if t == "boolean":
        return rng.random() < 0.5
    if t in ("integer", "number"):
        return sample_number(name, node, rng, integer=t == "integer")
    if t == "string":
        value = None
        if pattern := node.get("pattern") or code_pattern(name, node):
            value = sample_pattern(pattern, node, rng)
        elif "format" in node:
            for _ in range(FORMAT_TRIES):  # the first draw fits unless the length limits are tight
                value = sample_format(name, node["format"], rng)
                if fits_length(value, node):
                    break
        if (
            value is None
            or not fits_length(value, node)
            or ("format" in node and not check_format(node["format"], value))
        ):
            raise undrawable(name, node)
        return value
    if t == "array":
        return sample_array(name, node, rng)
    if t == "object":
        return sample_object(node, rng)
    raise undrawable(name, node)


def undrawable(name: str, node: dict[str, Any]) -> SchemaError:
    """Why code could not fill a field, and what to change (the schema check catches most cases earlier)."""
    if "pattern" in node:
        limits = ", ".join(f"{k} {node[k]}" for k in ("minLength", "maxLength") if k in node)
        hint = f"no value matching pattern {node['pattern']!r}" + (f" fits {limits}" if limits else " was found")
        hint += "; widen the length limits or simplify the pattern"
    elif "format" in node:
        hint = f"no {node['format']} value fits the length limits; widen minLength/maxLength"
    else:
        hint = (
            "code cannot invent this text; give it a pattern, a format or an enum, widen its length "
            'limits, or let the model write it ("x-strategy": "model")'
        )
    return SchemaError(f"cannot draw a value for {name!r}: {hint}", f"$.properties.{name}")


def sample_array(name: str, node: dict[str, Any], rng: random.Random) -> list[Any]:
    items = node.get("items", {})
    lo = node.get("minItems", 1)
    hi = node.get("maxItems", max(lo, 3))
    size = rng.randint(lo, hi)
    if node.get("uniqueItems") and "enum" in items:
        return rng.sample(items["enum"], min(size, len(items["enum"])))
    out: list[Any] = []
    for _ in range(size * 5):
        if len(out) >= size:
            break
        value = sample_value(name, items, rng)
        if not node.get("uniqueItems") or value not in out:
            out.append(value)
    return out


def sample_object(node: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    required = set(node.get("required", []))
    out = {}
    for key, child in node.get("properties", {}).items():
        if key in required or rng.random() < OPTIONAL_RATE:
            out[key] = sample_value(key, child, rng)
    return out
