"""Plausibility checks that can fail without a reference; each failure is a sentence with its numbers.

Names are matched by word (`base_salary`, `unitPrice`, `seat_count`). Checks, with their severity:
- range by name (1): age below 0 or above 120, a rating above 10, a percent outside 0-100;
- flat and wide by name: values spread evenly (Kolmogorov-Smirnov distance to a uniform on their
  [min, max] under max(0.05, 1.36 / sqrt(n))) over a range wider than the name suggests: money over
  a 5x range (1), counts reaching 1,000 over a 100x range (1), durations over a 100x range (1), ages
  over more than 80 years (0.5). A field declared uniform is exempt: the user asked for it;
- money skew (0.5): money amounts not right-skewed (skewness under 0.3) across a 5x range, when no
  distribution is declared for them;
- declared weights ignored (1): an enum whose values come out about equally often although unequal
  weights were declared;
- declared order ignored (share of pairs out of order, 1 when medians barely differ): group medians
  that do not follow the order of the declared medians.
plausibility = max(0, 1 - 0.3 * sum of severities): one full failure costs 0.3; nothing checkable is 1.
"""

from __future__ import annotations

import math
import re
from itertools import combinations
from typing import Any

import numpy as np
from scipy import stats

from synth_gradio.quality.adherence import fmt
from synth_gradio.quality.declared import Truncated, declaration, is_date, ks_distance

COST = 0.3
MIN_VALUES = 30
AGE, RATING, PERCENT = {"age"}, {"rating", "stars"}, {"percent", "percentage", "pct"}
COUNT = {
    "quantity",
    "qty",
    "seats",
    "units",
    "count",
    "items",
    "orders",
    "visits",
    "employees",
    "headcount",
    "licenses",
}
DURATION = {"duration", "minutes", "seconds", "hours", "days", "mins", "secs", "tenure", "latency"}
MONEY = {
    "price", "salary", "amount", "cost", "revenue", "income", "balance", "fee", "fees", "wage", "wages", "pay",
    "payment", "spend", "budget", "mrr", "arr", "total", "subtotal", "premium", "sales", "profit", "rent", "bonus",
}  # fmt: skip


def words(name: str) -> set[str]:
    return set(re.findall(r"[a-z]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).lower()))


def flatness(arr: np.ndarray) -> float:
    """KS distance to a uniform over the values' own range (each integer equally likely for integers)."""
    lo, hi = float(arr.min()), float(arr.max())
    integers = bool(np.all(arr == np.round(arr)))
    pad = 0.5 if integers else 0.0
    uniform = Truncated(stats.uniform(lo - pad, hi - lo + 2 * pad), -math.inf, math.inf, False)
    return ks_distance(arr, uniform, integers)


def _fail(field: str, check: str, severity: float, sentence: str) -> dict[str, Any]:
    return {"field": field, "check": check, "severity": round(severity, 4), "sentence": sentence}


def _by_name(name: str, arr: np.ndarray, declared_kind: str | None) -> list[dict[str, Any]]:
    tokens = words(name)
    lo, hi = float(arr.min()), float(arr.max())
    flat = declared_kind != "uniform" and flatness(arr) < max(0.05, 1.36 / math.sqrt(len(arr)))
    ratio = hi / lo if lo > 0 else math.inf
    spread = f"spread evenly from {fmt(lo)} to {fmt(hi)}"
    if tokens & AGE:
        if lo < 0 or hi > 120:
            return [_fail(name, "range", 1.0, f"{name} ranges from {fmt(lo)} to {fmt(hi)}; ages lie within 0 to 120.")]
        if flat and hi - lo > 80:
            return [_fail(name, "flat", 0.5, f"{name} is {spread}; real ages bunch, they are not spread evenly.")]
    elif tokens & RATING and hi > 10:
        return [_fail(name, "range", 1.0, f"{name} reaches {fmt(hi)}; ratings use a 1-5 or 1-10 scale.")]
    elif tokens & PERCENT and (lo < 0 or hi > 100):
        return [_fail(name, "range", 1.0, f"{name} ranges from {fmt(lo)} to {fmt(hi)}; a percent lies in 0-100.")]
    elif tokens & COUNT:
        if flat and hi >= 1000 and hi / max(lo, 1.0) >= 100:
            return [_fail(name, "flat", 1.0, f"{name} is {spread}; counts like this are mostly small, few large.")]
    elif tokens & DURATION:
        if flat and hi / max(lo, 1.0) >= 100:
            return [_fail(name, "flat", 1.0, f"{name} is {spread}; durations are mostly short, few long.")]
    elif tokens & MONEY and lo >= 0 and ratio >= 5:
        if flat:
            return [_fail(name, "flat", 1.0, f"{name} is {spread}; money amounts are right-skewed, few large.")]
        skew = float(stats.skew(arr))
        if declared_kind is None and skew < 0.3:
            return [
                _fail(
                    name,
                    "skew",
                    0.5,
                    f"{name} is not right-skewed (skewness {skew:.2f}) from {fmt(lo)} to {fmt(hi)}; "
                    "money amounts usually are.",
                )
            ]
    return []


def _weights_ignored(name: str, field: dict[str, Any]) -> list[dict[str, Any]]:
    cases = [c for c in field["cases"] if "declared" in c]
    total = sum(c["n"] for c in cases)
    keys = sorted({k for c in cases for k, p in c["declared"].items() if p > 0})
    if len(keys) < 2:
        return []
    declared = {k: sum(c["declared"].get(k, 0) * c["n"] for c in cases) / total for k in keys}
    observed = {k: sum(c["observed"].get(k, 0) * c["n"] for c in cases) / total for k in keys}
    if max(declared.values()) < 1.5 * min(declared.values()):
        return []  # declared about equal: equal frequencies are right
    tolerance = 0.02 + 2 * 0.5 * sum(math.sqrt(2 * p * (1 - p) / (math.pi * total)) for p in declared.values())
    to_equal = 0.5 * sum(abs(observed[k] - 1 / len(keys)) for k in keys)
    to_declared = 0.5 * sum(abs(observed[k] - declared[k]) for k in keys)
    if to_equal > tolerance or to_declared <= tolerance:
        return []
    shown = sorted(keys, key=lambda k: -declared[k])[:5]
    return [
        _fail(
            name,
            "weights",
            1.0,
            f"{name}: its {len(keys)} values come out about equally often "
            f"({', '.join(f'{k} {observed[k]:.0%}' for k in shown)}) although the declared weights are "
            f"{', '.join(f'{declared[k]:.0%}' for k in shown)}.",
        )
    ]


def _order_ignored(name: str, field: dict[str, Any]) -> list[dict[str, Any]]:
    medians = (c for c in field["cases"] if c["case"] is not None and "declared_median" in c)
    cases = sorted(medians, key=lambda c: c["declared_median"])
    if len(cases) < 2 or not field["by"]:
        return []
    pairs = [
        (a, b)
        for a, b in combinations(cases, 2)
        if abs(b["declared_median"] - a["declared_median"])
        >= 0.1 * max(abs(a["declared_median"]), abs(b["declared_median"]))
    ]
    if not pairs:
        return []
    out_of_order = sum(
        (b["median"] - a["median"]) * (b["declared_median"] - a["declared_median"]) <= 0 for a, b in pairs
    )
    declared_spread = cases[-1]["declared_median"] - cases[0]["declared_median"]
    observed_spread = max(c["median"] for c in cases) - min(c["median"] for c in cases)
    severity = 1.0 if observed_spread < 0.25 * declared_spread else out_of_order / len(pairs)
    if severity == 0:
        return []
    date = field["date"]
    declared = ", ".join(f"{c['case']} {fmt(c['declared_median'], date)}" for c in cases)
    observed = ", ".join(f"{c['case']} {fmt(c['median'], date)}" for c in cases)
    return [
        _fail(
            name,
            "order",
            severity,
            f"{name} medians by {field['by']} do not follow the declared order: declared {declared}; "
            f"generated {observed}.",
        )
    ]


def plausibility(columns: dict[str, list[Any]], props: dict[str, Any], adherence: dict[str, Any]) -> dict[str, Any]:
    """Every check over every field; the score and a sentence per failure."""
    failures: list[dict[str, Any]] = []
    checked = 0
    for name, values in columns.items():
        node = props.get(name) if isinstance(props.get(name), dict) else {}
        if is_date(node):
            continue
        arr = np.asarray([v for v in values if isinstance(v, int | float) and not isinstance(v, bool)], dtype=float)
        if len(arr) >= MIN_VALUES and np.isfinite(arr).all() and arr.max() > arr.min():
            checked += 1
            decl = declaration(node)
            failures += _by_name(name, arr, decl["kind"] if decl else None)
    for name, field in (adherence.get("fields") or {}).items():
        checked += 1
        failures += _weights_ignored(name, field) + _order_ignored(name, field)
    score = max(0.0, 1 - COST * sum(f["severity"] for f in failures))
    return {
        "score": round(score, 4),
        "fields_checked": checked,
        "failures": failures,
        "sentences": [f["sentence"] for f in failures],
    }
