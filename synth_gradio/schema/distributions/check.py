"""Checking one parameter set of an x-distribution against its field, and resolving it for drawing.

A "group" is the base parameters, or the base merged with one `cases` entry. Each is checked on its
own, so an error names the exact JSON path where the offending value was written (the base or the
case). The result is the group on the field's real line: converted parameters, the truncation
interval, and for categorical draws the values and their weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from synth_gradio.errors import SchemaError
from synth_gradio.schema.distributions.clock import check_clock
from synth_gradio.schema.distributions.math import INF, mass, pdf
from synth_gradio.schema.distributions.space import DAY_S, Space, parse_moment, text_key

MIN_MASS = 1e-6
_POSITIVE = ("std", "sigma", "lam", "scale")
_CENTER = {"normal": "mean", "lognormal": "median", "poisson": "lam", "exponential": "loc"}
_FITS = {
    "integer": ("categorical", "constant", "uniform", "normal", "lognormal", "poisson", "exponential"),
    "number": ("categorical", "constant", "uniform", "normal", "lognormal", "poisson", "exponential"),
    "date": ("categorical", "constant", "uniform", "normal"),
    "date-time": ("categorical", "constant", "uniform", "normal"),
    "boolean": ("categorical", "constant"),
    "string": ("categorical", "constant"),
    "other": (),
}


@dataclass(frozen=True)
class Group:
    """One resolved parameter set: `params` as written, `real` on the field's real line."""

    kind: str
    params: dict[str, Any]
    real: dict[str, float] = field(default_factory=dict)
    lo: float = -INF  # truncation interval on the real line
    hi: float = INF
    values: tuple[Any, ...] = ()  # categorical draws (also a numeric enum under a continuous kind)
    weights: tuple[float, ...] = ()
    step: float | None = None  # the grid the real line is rounded to (None for categorical draws)

    @property
    def discrete(self) -> bool:
        return bool(self.values)


def show(space: Space, x: float) -> str:
    """A real-line number written as the user wrote values (ISO for dates)."""
    if space.temporal and math.isfinite(x):
        return space.from_grid(round(x))
    if math.isfinite(x) and float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def check_group(name: str, kind: str, params: dict[str, Any], paths: dict[str, str], space: Space, validator) -> Group:
    """Check a merged parameter set against the field; raise SchemaError at the offending path."""
    where = paths.get("kind", "$")
    if kind not in _FITS[space.kind]:
        fits = ", ".join(_FITS[space.kind]) or "none"
        what = "an array or object" if space.kind == "other" else f"{article(space.kind)} field"
        raise SchemaError(f"{article(kind)} distribution does not fit {what} ('{name}'); it takes: {fits}", where)
    if "decimals" in params:
        d = params["decimals"]
        if space.kind != "number":
            raise SchemaError("'decimals' applies to number fields only", paths["decimals"])
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 12:
            raise SchemaError(f"'decimals' must be a whole number from 0 to 12, got {d!r}", paths["decimals"])
    if "nulls" in params:
        _check_nulls(kind, params["nulls"], paths["nulls"], space)
    check_clock(params, paths, space, kind)
    if kind == "categorical":
        return _categorical(params, paths, space, validator)
    if kind == "constant":
        value = params["value"]
        _check_value(value, paths["value"], validator, "the constant value")
        return Group(kind, params, values=(value,), weights=(1.0,))
    real = _real_params(kind, params, paths, space)
    low, high = _limits(params, paths, space)
    if kind == "uniform":
        if space.temporal and not {"low", "high"} <= set(params):
            raise SchemaError(f"a uniform distribution over {space.kind}s needs ISO 'low' and 'high'", where)
        a, b = space.interval(low, high)
        if not (math.isfinite(a) and math.isfinite(b)):
            raise SchemaError("a uniform distribution needs 'low' and 'high' or the field's minimum and maximum", where)
        real.update(low=a, high=b)
    if kind == "lognormal" and min(space.hi, high) <= 0:
        raise SchemaError(f"a lognormal draws positive values, but '{name}' allows none above 0", where)
    if space.enum is not None:
        a, b = space.interval(low, high)
        return _enum_weights(kind, params, real, a, b, paths, space)
    step = space.step or 10.0 ** -_decimals(kind, params, real, space)
    a, b = space.interval(low, high, step)
    if a > b:
        raise SchemaError(f"no value on steps of {step:g} lies within the bounds", paths.get("decimals", where))
    if kind == "uniform":
        real.update(low=a, high=b)  # uniform over whole grid cells
    _check_center(kind, real, paths, space, low, high)
    if mass(kind, real, a, b, step) < MIN_MASS:
        path = paths.get(_CENTER.get(kind, ""), paths.get("low", where))
        raise SchemaError(
            f"the {kind} distribution puts less than one draw in a million inside the bounds "
            f"[{show(space, a + step / 2)}, {show(space, b - step / 2)}]; move it inside the bounds or widen them",
            path,
        )
    return Group(kind, params, real, a, b, step=step)


def _decimals(kind: str, params: dict[str, Any], real: dict[str, float], space: Space) -> int:
    """Declared decimals, else the schema's x-decimals, else enough to keep the spread visible (>= 2)."""
    if "decimals" in params:
        return int(params["decimals"])
    if space.decimals is not None:
        return space.decimals
    spread = {
        "normal": lambda: real["std"],
        "lognormal": lambda: real["median"] * real["sigma"],
        "exponential": lambda: real["scale"],
        "uniform": lambda: (real["high"] - real["low"]) / 4,
    }.get(kind, lambda: 1.0)()
    if not spread > 0 or not math.isfinite(spread):
        return 2
    return min(12, max(2, 2 - math.floor(math.log10(spread))))


def _check_nulls(kind: str, share: Any, path: str, space: Space) -> None:
    if kind in ("categorical", "constant"):
        raise SchemaError("a categorical draws null through a \"null\" weight, not 'nulls'", path)
    if not space.nullable:
        raise SchemaError("'nulls' needs a field whose type allows null", path)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share < 1:
        raise SchemaError(f"'nulls' must be a share from 0 up to (not including) 1, got {share!r}", path)


def _check_value(value: Any, path: str, validator, what: str) -> None:
    errors = list(validator.iter_errors(value))
    if errors:
        raise SchemaError(f"{what} {json.dumps(value)} is not allowed by the field: {errors[0].message}", path)


def key_value(key: str, space: Space, path: str) -> Any:
    """The field value a `weights` key stands for (strings as written, others as JSON text)."""
    if space.enum is not None:
        for v in space.enum:
            if text_key(v) == key:
                return v
        shown = ", ".join(text_key(v) for v in space.enum[:12])
        raise SchemaError(f"a weight for {key!r}, which is not one of the field's values ({shown})", path)
    if key == "null" and space.nullable:
        return None
    if space.kind in ("string", "date", "date-time"):
        return key
    try:
        return json.loads(key)
    except json.JSONDecodeError:
        raise SchemaError(f"the weight key {key!r} is not {article(space.kind)} written as JSON text", path) from None


def _categorical(params: dict[str, Any], paths: dict[str, str], space: Space, validator) -> Group:
    weights = params["weights"]
    where = paths["weights"]
    if not isinstance(weights, dict) or not weights:
        raise SchemaError("'weights' must be an object mapping each value to its weight", where)
    values, ws = [], []
    for key, w in weights.items():
        value = key_value(key, space, f"{where}.{key}")
        if space.enum is None and value is not None:
            _check_value(value, f"{where}.{key}", validator, "the weighted value")
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise SchemaError(f"the weight for {key!r} must be a number >= 0, got {w!r}", f"{where}.{key}")
        if w > 0:
            values.append(value)
            ws.append(float(w))
    if not values:
        raise SchemaError("the weights sum to 0; give at least one value a positive weight", where)
    return Group("categorical", params, values=tuple(values), weights=tuple(ws))


def _number(params: dict[str, Any], key: str, paths: dict[str, str], space: Space) -> float:
    """A location parameter on the real line: a number, or an ISO date/time on temporal fields."""
    value = params[key]
    if space.temporal:
        if not isinstance(value, str):
            raise SchemaError(f"'{key}' must be an ISO {space.kind} string on a {space.kind} field", paths[key])
        try:
            return space.to_real(value) if space.kind == "date" else parse_moment(value)
        except ValueError:
            raise SchemaError(f"'{key}' {value!r} is not an ISO {space.kind}", paths[key]) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SchemaError(f"'{key}' must be a number, got {value!r}", paths[key])
    return float(value)


def _real_params(kind: str, params: dict[str, Any], paths: dict[str, str], space: Space) -> dict[str, float]:
    real: dict[str, float] = {}
    for key in ("mean", "median", "loc"):
        if key in params:
            real[key] = _number(params, key, paths, space)
    for key in _POSITIVE:
        if key in params:
            v = params[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v <= 0:
                raise SchemaError(f"'{key}' must be a number greater than 0, got {v!r}", paths[key])
            real[key] = float(v) * (DAY_S if space.kind == "date-time" and key == "std" else 1.0)
    if kind == "lognormal" and real["median"] <= 0:
        raise SchemaError(f"a lognormal 'median' must be greater than 0, got {params['median']!r}", paths["median"])
    if kind == "poisson" and real["lam"] > 1e8:
        raise SchemaError("'lam' above 100,000,000 is better declared as a normal", paths["lam"])
    return real


def _limits(params: dict[str, Any], paths: dict[str, str], space: Space) -> tuple[float, float]:
    """`low`/`high` on the real line, which must lie within the field's own bounds."""
    low = _number(params, "low", paths, space) if "low" in params else -INF
    high = _number(params, "high", paths, space) if "high" in params else INF
    if low > -INF and low < space.lo:
        raise SchemaError(
            f"'low' {params['low']} is below the field's lower bound {show(space, space.lo)}", paths["low"]
        )
    if high < INF and high > space.hi:
        raise SchemaError(
            f"'high' {params['high']} is above the field's upper bound {show(space, space.hi)}", paths["high"]
        )
    if low > high:
        raise SchemaError(f"'low' {params['low']} is above 'high' {params['high']}", paths["low"])
    return low, high


def _check_center(
    kind: str, real: dict[str, float], paths: dict[str, str], space: Space, low: float, high: float
) -> None:
    """'Far outside' means more than one range width beyond the (finite) bounds."""
    key = _CENTER.get(kind)
    lo, hi = max(space.lo, low), min(space.hi, high)
    if key not in real or key == "loc" or not (math.isfinite(lo) and math.isfinite(hi)):
        return
    width = max(hi - lo, space.step or 0.0)
    c = real[key]
    if c < lo - width or c > hi + width:
        raise SchemaError(
            f"'{key}' {show(space, c)} is far outside the bounds [{show(space, lo)}, {show(space, hi)}] "
            "(more than one range width away)",
            paths[key],
        )


def _enum_weights(
    kind: str, params: dict[str, Any], real: dict[str, float], a: float, b: float, paths: dict[str, str], space: Space
) -> Group:
    """A continuous kind over a numeric (or date) enum: each value weighted by the density there."""
    where = paths.get("kind", "$")
    values, ws = [], []
    for v in space.enum or ():
        if v is None:
            continue
        try:
            x = space.to_real(v)
        except (TypeError, ValueError):
            raise SchemaError(
                f"a {kind} distribution needs numeric enum values; use categorical weights", where
            ) from None
        w = pdf(kind, real, x) if a <= x <= b else 0.0
        if w > 0:
            values.append(v)
            ws.append(w)
    if not values:
        raise SchemaError(f"the {kind} distribution leaves no probability on the field's enum values", where)
    return Group(kind, params, real, a, b, tuple(values), tuple(ws))
