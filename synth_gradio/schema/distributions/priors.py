"""Priors: the shape an undeclared number gets from its name or description, as an x-distribution.

Without a declaration a number used to be drawn flat over its bounds, which no real column is. A
top-level integer or number field (no enum, const, x-distribution, x-strategy, sequence, foreign
key or `unique`) whose name (else description) says what it counts or measures gets instead:
- votes, likes, helpful votes, comments, shares: lognormal, median 0.35, sigma 1.8 (about 6 in 10
  are 0, a long tail); views, followers, downloads: median 100, sigma 2; people in an organisation
  (employees, members, seats): median 25, sigma 1.5; other counts: median 1, sigma 1.3;
- quantities (also rooms, nights, guests): lognormal from 1, median 1.8, sigma 0.55 (mostly 1-3);
- ratings and stars on up to 11 points: J-shaped weights (1-5: 15/8/10/22/45%), interpolated for
  other scales (1-5 when unbounded); wider or continuous scales: a normal at 78% of the range (70%
  for scores, 0-100 when unbounded), std 15% of it; stars over more than 100 points are counted;
- ages: lognormal, median 38, sigma 0.32, within 18-90 (mode in the mid 30s) unless the bounds
  say otherwise, then a normal inside them;
- durations: lognormal, sigma 0.9, with a median for the unit in the name (120 ms, 90 seconds, 20
  minutes, 2.5 hours, 4 days ...; tenure 3 years);
- areas (sqft, square feet, sqm, acres): lognormal, median 1,100 square feet (90 sqm, half an
  acre), whole unless the field is finer;
- money: lognormal, median by kind (price 30, amount 60, salary 55,000 with sigma 0.5, rent 1,400
  with sigma 0.45, else sigma 1.1);
- measures (measures.py): a person's height, weight and vital signs, an item's weight, a body's or
  the weather's temperature, in the unit the name gives;
- ordered tiers (an enum of seniority, plans, loyalty tiers, sizes or education; tiers.py): their
  values lowest first, thinning towards the top for ranks, linked to the record's size (linked.py).
Each spec is an ordinary declaration (the Template Builder shows it and a user can accept or
edit it), checked by the same loader, so it always lies inside the field's own bounds, exclusive
ones included, and integers stay whole. A nominal median the stated bounds exclude moves inside
them; bounds that only state a storage type (x-type-bounds, from SQL) do not shape the prior.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from synth_gradio.errors import SchemaError
from synth_gradio.quality.plausibility import AGE, COUNT, DURATION, MONEY, RATING
from synth_gradio.schema.distributions.declared import KEY, Declared, load_distributions
from synth_gradio.schema.distributions.math import INF
from synth_gradio.schema.distributions.measures import PERCENT, Measure, about_a_person, by_sex, measure_of
from synth_gradio.schema.distributions.space import Space, field_space
from synth_gradio.schema.distributions.tiers import tier_prior

if TYPE_CHECKING:
    from synth_gradio.schema.model import Schema

NULLS = 0.1  # the null share of a nullable field, as engine.values.NULL_RATE draws it undeclared
J_SHAPE = (15, 8, 10, 22, 45)  # rating shares (%) from the lowest to the highest point of a 1-5 scale
VOTES = {
    "vote", "votes", "upvote", "upvotes", "downvote", "downvotes", "like", "likes", "helpful", "unhelpful",
    "reaction", "reactions", "retweets", "reposts", "shares", "favorites", "favourites", "faves", "claps",
    "comments", "replies", "bookmarks", "kudos", "hearts",
}  # fmt: skip
REACH = {
    "views", "impressions", "followers", "subscribers", "downloads", "installs", "plays", "streams", "clicks",
    "pageviews", "visitors", "viewers", "reads", "listens",
}  # fmt: skip
SIZE = {"employees", "headcount", "staff", "members", "users", "customers", "students", "patients", "seats",
        "licenses", "attendees", "participants"}  # fmt: skip
QUANTITY = {"quantity", "qty", "units", "items", "pieces", "pcs", "packs", "bedrooms", "bathrooms", "rooms", "nights",
            "guests", "passengers"}  # fmt: skip
COUNTS = (COUNT - QUANTITY - SIZE) | {
    "count", "counts", "num", "orders", "visits", "purchases", "transactions", "logins", "sessions", "tickets",
    "errors", "attempts", "retries", "failures", "incidents", "children", "kids", "dependents", "pets", "reviews",
    "ratings", "messages", "calls", "defects", "bugs", "returns", "refunds", "absences", "complaints", "claims",
}  # fmt: skip
RATINGS = RATING | {"star", "score", "nps"}
AGES = AGE | {"ages"}
UNITS = {
    "ms": 120, "millis": 120, "milliseconds": 120, "latency": 120, "seconds": 90, "secs": 90, "minutes": 20,
    "mins": 20, "hours": 2.5, "days": 4, "weeks": 3, "months": 8, "years": 4, "tenure": 3,
}  # fmt: skip
DURATIONS = DURATION | set(UNITS) | {"elapsed", "wait", "delay", "runtime"}
MONEY_MEDIANS = {
    "salary": 55000, "salaries": 55000, "income": 55000, "wage": 55000, "wages": 55000, "earnings": 55000,
    "compensation": 55000, "pay": 55000, "rent": 1400, "balance": 2500, "bonus": 5000, "premium": 1200,
    "revenue": 20000, "sales": 20000, "profit": 20000, "budget": 20000, "arr": 6000, "mrr": 500,
    "price": 30, "prices": 30, "cost": 30, "costs": 30, "fee": 30, "fees": 30, "charge": 30, "tip": 30, "tax": 30,
}  # fmt: skip
MONIES = MONEY | set(MONEY_MEDIANS) | {"amounts", "spent", "charges"}
AREAS = {"sqft", "sq", "square", "sqm", "m2", "area", "footage", "acres", "acreage", "hectares"}  # a floor or a plot
AREA_MEDIANS = {"sqm": 90, "m2": 90, "meters": 90, "metres": 90, "acres": 0.5, "acreage": 0.5, "hectares": 0.3}
WHOLE = {"bedrooms", "bathrooms", "rooms", "nights", "guests", "passengers", "items", "pieces", "pcs", "packs"}
COUNTED = {"count", "counts", "num", "number", "total", "n", "nb"}  # "number of ...": what follows is counted
VETO = {
    "id", "ids", "uuid", "code", "zip", "year", "lat", "lon", "lng", "latitude", "longitude", "percent",
    "percentage", "pct", "ratio", "rate", "probability", "prob", "fraction", "proportion", "index", "rank",
    "position", "version", "level", "month", "week", "day", "hour", "minute", "second", "identifier",
}  # fmt: skip
DESCRIPTION_VETO = {"percent", "percentage", "pct", "ratio", "rate", "probability", "fraction", "proportion", "id",
                    "identifier"}  # fmt: skip


def tokens(text: str) -> list[str]:
    """The words of a name or description in order (`helpfulVotes` and `helpful_votes` alike)."""
    return re.findall(r"[a-z]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text).lower())


def family(name: str, description: str = "") -> str | None:
    """What a numeric field counts or measures: its name decides, else its description."""
    order = (("votes", VOTES), ("rating", RATINGS), ("age", AGES), ("quantity", QUANTITY), ("reach", REACH),
             ("size", SIZE), ("duration", DURATIONS), ("count", COUNTS), ("area", AREAS), ("money", MONIES))  # fmt: skip
    words = tokens(name)
    if "per" in words[1:]:  # price_per_sqft is a unit price; salary_per_hour or rent_per_sqft is no one shape
        words = words[: words.index("per")] if words[0] in ("price", "cost", "fee", "charge") else []
    if words and not VETO & set(words):
        head = words[-1]  # the head noun decides first: total_votes, order_total
        found = next((f for f, vocab in order if head in vocab and head not in COUNTED), None)
        found = found or next((f for f, vocab in order if set(words) & vocab), None)
        if found == "rating" and COUNTED & set(words):
            return "count"  # num_ratings, star_count: how many, not how good
        if found or head in ("count", "counts", "num"):
            return found or "count"
    described = set(tokens(description))
    if VETO & set(words) or DESCRIPTION_VETO & described:
        return None
    return next((f for f, vocab in order if described & vocab and f != "area"), None)  # "schools in the area"


def _stated(node: dict[str, Any], space: Space) -> tuple[float, float]:
    """The bounds that say something about the values (not those that only state a storage type)."""
    type_bounds = set(node.get("x-type-bounds") or ())
    lo = -INF if "minimum" in type_bounds else space.lo
    hi = INF if "maximum" in type_bounds else space.hi
    return lo, hi


def _num(x: float) -> int | float:
    """A parameter as the user would write it: whole numbers as int, else 4 significant digits."""
    if float(x).is_integer():
        return int(x)
    return float(f"{x:.4g}")


def _lognormal(median: float, sigma: float, lo: float, hi: float) -> dict[str, Any] | None:
    """A lognormal whose median the stated bounds do not exclude (None when no positive value fits)."""
    if hi <= 0:
        return None
    if lo > 0 and median < lo:
        median = lo * 1.5
    if hi < INF and median > hi / 2:
        median = max(hi * 0.35, math.sqrt(lo * hi) if lo > 0 else 0.0)
    return {"kind": "lognormal", "median": _num(median), "sigma": sigma}


def _count(median: float, sigma: float) -> Callable[..., dict[str, Any] | None]:
    def make(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
        spec = _lognormal(median, sigma, lo, hi)
        if spec and space.kind == "number" and space.step is None and space.decimals is None:
            spec["decimals"] = 0  # counted things are whole even in a number field
        return spec

    return make


def _quantity(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
    spec = _lognormal(1.8, 0.55, lo, hi)
    if spec and lo < 1 <= hi:
        spec["low"] = 1  # an order line holds at least one
    if spec and space.kind == "number" and space.step is None and space.decimals is None and words_in(words, WHOLE):
        spec["decimals"] = 0  # rooms and guests are whole even in a number field (not 1.477 bathrooms)
    return spec


def _area(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
    """A floor in square feet (median 1,100) or metres (90), a plot in acres or hectares."""
    unit = next((w for w in reversed(words) if w in AREA_MEDIANS), None)
    median = AREA_MEDIANS[unit] if unit else 1100
    spec = _lognormal(median, 0.5 if median >= 90 else 1.0, lo, hi)
    if spec and space.kind == "number" and space.step is None and space.decimals is None and median >= 90:
        spec["decimals"] = 0
    return spec


def _rating(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
    step = space.step or 1.0
    if lo == -INF and hi == INF:
        lo, hi = (0.0, 100.0) if "score" in words and "star" not in words else (1.0, 5.0)
    elif lo == -INF:
        lo = (1.0 if hi >= 3 else 0.0) if hi <= 10 else 0.0
    elif hi == INF:
        hi = 5.0 if lo in (0, 1) and "score" not in words else lo + 100
    points = round((hi - lo) / step) + 1 if space.kind == "integer" or space.step else 0
    if 2 <= points <= 11:
        return {"kind": "categorical", "weights": _j_weights(lo, step, points)}
    width = hi - lo
    if width > 100 and not words_in(words, {"score", "nps"}):
        return _lognormal(100, 2.0, lo, hi)  # github stars, not a scale
    if not width > 1:
        return None  # a 0-1 score is a probability: nothing to say about it
    centre = 0.7 if words_in(words, {"score", "nps"}) else 0.78  # an average rating sits near 4 of 5
    spec: dict[str, Any] = {"kind": "normal", "mean": _num(lo + centre * width), "std": _num(0.15 * width)}
    if space.kind == "number" and space.step is None and space.decimals is None:
        spec["decimals"] = 1  # 4.3 stars, 71.5 points
    return _within(spec, space, lo, hi)


def _within(spec: dict[str, Any], space: Space, low: float, high: float) -> dict[str, Any]:
    """`low`/`high` added where they narrow the field's own bounds (which always apply)."""
    if low > space.lo:
        spec["low"] = _num(low)
    if high < space.hi:
        spec["high"] = _num(high)
    return spec


def words_in(words: list[str], vocab: set[str]) -> bool:
    return bool(set(words) & vocab)


def _j_weights(lo: float, step: float, points: int) -> dict[str, float]:
    """J_SHAPE interpolated over `points` grid values from `lo`, as shares rounded to 3 decimals."""
    raw = []
    for i in range(points):
        t = i / (points - 1) * (len(J_SHAPE) - 1)
        k = min(int(t), len(J_SHAPE) - 2)
        raw.append(J_SHAPE[k] + (t - k) * (J_SHAPE[k + 1] - J_SHAPE[k]))
    total = sum(raw)
    return {str(_num(round(lo + i * step, 9))): round(w / total, 3) for i, w in enumerate(raw)}


def _age(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
    low, high = max(lo, 18.0), min(hi, 90.0)
    if low <= 38 <= high and high - low >= 20:
        return _within({"kind": "lognormal", "median": 38, "sigma": 0.32}, space, low, high)
    low, high = max(lo, 0.0), min(hi, 110.0)
    if not high > low:
        return None
    width = high - low  # children, or retirees: bunched in the lower part of the stated range
    return _within({"kind": "normal", "mean": _num(low + 0.4 * width), "std": _num(0.3 * width)}, space, low, high)


def _duration(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
    unit = next((w for w in reversed(words) if w in UNITS and w != "tenure"), None)
    median = UNITS[unit] if unit else 3 if "tenure" in words else 30
    if "tenure" in words and unit in ("days", "months"):
        median = {"days": 700, "months": 24}[unit]
    return _lognormal(median, 0.9, lo, hi)


def _money(words: list[str], space: Space, lo: float, hi: float) -> dict[str, Any] | None:
    head = next((w for w in reversed(words) if w in MONEY_MEDIANS), None)
    median = MONEY_MEDIANS[head] if head else 60
    sigma = 0.5 if median >= 55000 else 0.45 if head == "rent" else 1.1
    return _lognormal(median, sigma, lo, hi)


SHAPES: dict[str, Callable[..., dict[str, Any] | None]] = {
    "votes": _count(0.35, 1.8),
    "reach": _count(100, 2.0),
    "size": _count(25, 1.5),
    "count": _count(1, 1.3),
    "quantity": _quantity,
    "rating": _rating,
    "age": _age,
    "duration": _duration,
    "area": _area,
    "money": _money,
}


def eligible(node: dict[str, Any]) -> bool:
    """A plain number nobody said anything about: no enum, const, declaration, strategy, key or id."""
    if not isinstance(node, dict) or node.get("unique"):
        return False
    if any(k in node for k in ("enum", "const", KEY, "x-sequence", "x-foreign-key", "x-faker")):
        return False
    if node.get("x-strategy", "auto") != "auto":
        return False
    space = field_space(node)
    types = node.get("type")
    plain = [t for t in ([types] if isinstance(types, str) else types or []) if t != "null"]
    return space.kind in ("integer", "number") and len(plain) == 1


def prior_for(name: str, node: dict[str, Any], person: bool = False) -> dict[str, Any] | None:
    """The prior x-distribution for one field (unchecked), or None when nothing is implied; `person`:
    the record is about a person's body (measures.about_a_person)."""
    if isinstance(node, dict) and "enum" in node:
        return tier_prior(node, name)  # junior to director, basic to enterprise (tiers.py)
    if not eligible(node):
        return None
    found = measure_of(name, person)  # a credit score is no rating, a heart rate no share
    measured = _measured(found, field_space(node), node) if found is not None else None
    if measured is not None:
        return measured
    kind = family(name, str(node.get("description", "")))
    if kind is None:
        return None
    space = field_space(node)
    lo, hi = _stated(node, space)
    words = tokens(str(node.get("description", ""))) + tokens(name)  # read backwards: the name's head first
    spec = SHAPES[kind](words, space, lo, hi)
    if spec is not None and space.nullable:
        spec["nulls"] = NULLS
    return spec


def _measured(found: Measure, space: Space, node: dict[str, Any]) -> dict[str, Any] | None:
    """A measure's prior inside the range its thing has and the field's own bounds (None when they
    exclude its centre: the field measures something else, or in another unit)."""
    lo, hi = _stated(node, space)
    decimals = found.decimals
    if found.high == PERCENT and min(hi, space.hi) <= 10:  # a share bounded by 1 (or a DECIMAL(5,4)): a fraction
        found = replace(found, centre=found.centre / PERCENT, low=found.low / PERCENT, high=1.0)
        found = replace(found, spread=found.spread / PERCENT) if found.kind == "normal" else found
        decimals += 2
    elif found.high == 1 and 50 <= hi <= PERCENT:  # a probability stated in percent
        scaled = found.centre * PERCENT
        found = replace(found, centre=scaled, low=0.0, high=PERCENT, decimals=max(0, decimals - 2))
        found = replace(found, spread=found.spread * PERCENT) if found.kind == "normal" else found
        decimals = found.decimals
    if (found.high <= 1 and space.kind == "integer") or (hi - lo > 4 * (found.high - found.low) and lo > -INF):
        return None  # a 0-10 likelihood or a 0-100 GPA is measured on another scale
    low, high = max(lo, found.low), min(hi, found.high)
    if found.kind == "uniform":  # a month or an hour: its own range where the field states none
        whole = space.kind == "integer" and lo == -INF and hi == INF
        return {"kind": "uniform", "low": _num(found.centre), "high": _num(found.spread)} if whole else None
    if not low < found.centre < high:
        return None
    spec: dict[str, Any] = (
        {"kind": "normal", "mean": found.centre, "std": found.spread}
        if found.kind == "normal"
        else {"kind": "lognormal", "median": found.centre, "sigma": found.spread}
    )
    if space.kind == "number" and space.step is None and space.decimals is None:
        spec["decimals"] = decimals
    spec = _within(spec, space, low, high)
    if space.nullable:
        spec["nulls"] = NULLS
    return spec


def _checked(schema: Schema) -> dict[str, tuple[dict[str, Any], Declared]]:
    out = {}
    required = set(schema.json_schema.get("required", []))
    person = about_a_person(schema.json_schema)
    for f in schema.fields:
        spec = prior_for(f.name, f.schema, person)
        spec = by_sex(spec, f.name, schema.json_schema) if spec is not None and person else spec
        if spec is None:
            continue
        try:
            own = schema.field(spec["by"]).schema if "by" in spec else {}  # a height's sex, without its own `by`
            by = {spec["by"]: {k: v for k, v in own.items() if k != KEY}} if "by" in spec else {}
            declared = load_distributions({**by, f.name: {**f.schema, KEY: spec}}, required)[f.name]
        except SchemaError:
            continue  # bounds the prior cannot fit: the field stays as it was
        out[f.name] = (spec, declared)
    return out


def implied_priors(schema: Schema) -> dict[str, dict[str, Any]]:
    """field -> the x-distribution its name implies, for undeclared numbers (checked, schema order)."""
    return {name: spec for name, (spec, _) in _checked(schema).items()}


def load_priors(schema: Schema) -> dict[str, Declared]:
    """The implied priors resolved for drawing (see schema/sampling.py)."""
    return {name: declared for name, (_, declared) in _checked(schema).items()}
