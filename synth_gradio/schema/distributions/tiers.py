"""Ordered tiers: an enum whose values are ranks of one ladder (junior to director, basic to
enterprise, bronze to platinum, small to large, high school to doctorate).

Why: drawn uniformly and on its own, such a field gave a director 38,000 a year beside a junior on
59,000, and an enterprise plan for 8 dollars a month beside a basic one for 237. In real records pay
rises with seniority and price with the plan. A tier becomes a prior (an ordinary categorical
x-distribution over its values, lowest rank first) that loads on the record's latent size with the
money, experience and sizes beside it (linked.py), so higher tiers come with larger amounts while
each field keeps its own distribution. Ladders of rank (seniority, plans, loyalty) thin out
towards the top, as staff and customer bases do; sizes and education are drawn evenly.
"""

from __future__ import annotations

import re
from typing import Any

# (ranks, how fast a ladder thins per step, the words a field's name must hold: None, any name)
LADDERS: tuple[tuple[dict[str, float], float, set[str] | None], ...] = (
    (  # seniority
        {"intern": 0, "trainee": 0.5, "apprentice": 0.5, "graduate": 0.5, "junior": 1, "entry": 1, "entry_level": 1,
         "associate": 1.5, "mid": 2, "mid_level": 2, "intermediate": 2, "regular": 2, "experienced": 2.5,
         "senior": 3, "lead": 4, "staff": 4, "principal": 4.5, "manager": 4.5, "head": 5, "director": 5,
         "vp": 6, "vice_president": 6, "c_level": 7, "chief": 7, "partner": 7},
        0.7,
        None,
    ),
    (  # plans
        {"free": 0, "trial": 0, "basic": 1, "starter": 1, "lite": 1, "essential": 1, "essentials": 1,
         "standard": 1.5, "plus": 2, "pro": 2, "professional": 2, "advanced": 2.5, "premium": 2.5, "business": 3,
         "team": 3, "enterprise": 4, "ultimate": 4, "unlimited": 4},
        0.7,
        None,
    ),
    (  # loyalty: only a field named so (silver and gold are colours too)
        {"bronze": 1, "silver": 2, "gold": 3, "platinum": 4, "diamond": 5},
        0.6,
        {"tier", "level", "membership", "loyalty", "status", "rank", "member", "badge", "plan", "class", "card"},
    ),
    (  # sizes
        {"xs": 0, "extra_small": 0, "s": 1, "small": 1, "m": 2, "medium": 2, "l": 3, "large": 3, "xl": 4,
         "extra_large": 4, "xxl": 5},
        1.0,
        {"company", "business", "organization", "organisation", "firm", "account", "customer", "deal", "segment",
         "store", "farm", "household", "client", "market", "city", "project"},  # not a shirt's size beside a salary
    ),
    (  # education
        {"none": 0, "primary": 1, "high_school": 2, "secondary": 2, "diploma": 2.5, "associate": 3,
         "associates": 3, "bachelor": 4, "bachelors": 4, "master": 5, "masters": 5, "mba": 5, "phd": 6,
         "doctorate": 6, "doctoral": 6},
        1.0,
        None,
    ),
)  # fmt: skip
MIN_VALUES = 3  # fewer (basic/premium, small/large) are too easily another kind of choice
_BLOCKING = ("const", "x-distribution", "x-sequence", "x-foreign-key", "x-faker")


def _key(value: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", value.lower()))


def _rank(value: str, ladder: dict[str, float]) -> float | None:
    """A value's rank on a ladder: the whole value ("mid-level"), else the one rank its words name
    ("Senior Engineer", "Bachelor's degree")."""
    key = _key(value)
    if key in ladder:
        return ladder[key]
    hits = {ladder[w] for w in key.split("_") if w in ladder}
    return hits.pop() if len(hits) == 1 else None


def tier_order(node: dict[str, Any], name: str = "") -> tuple[list[str], float] | None:
    """An enum's values lowest rank first and how fast the ladder thins (a weight ratio per step),
    when every value is a distinct rank of one ladder its name allows; None otherwise."""
    values = node.get("enum") if isinstance(node, dict) else None
    if not isinstance(values, list) or len(values) < MIN_VALUES or not all(isinstance(v, str) for v in values):
        return None
    if len(set(values)) != len(values) or any(k in node for k in _BLOCKING) or node.get("unique"):
        return None
    if node.get("x-strategy", "auto") not in ("auto", "sample"):
        return None
    named = set(_key(name).split("_"))
    for ladder, thinning, names in LADDERS:
        if names is not None and not named & names:
            continue
        ranks = [_rank(v, ladder) for v in values]
        if all(r is not None for r in ranks) and len(set(ranks)) == len(ranks):
            return [v for _, v in sorted(zip(ranks, values, strict=True))], thinning
    return None


def tier_prior(node: dict[str, Any], name: str = "") -> dict[str, Any] | None:
    """The categorical prior of a tier enum: its values lowest first, thinning towards the top."""
    found = tier_order(node, name)
    if found is None:
        return None
    order, thinning = found
    return {"kind": "categorical", "weights": {v: round(thinning**i, 4) for i, v in enumerate(order)}}
