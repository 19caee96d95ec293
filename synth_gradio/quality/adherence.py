"""How well generated values held to the distributions their schema declares (x-distribution).

Per declared field, per case of its `by` field (or once, without `by`):
- numbers and dates: the Kolmogorov-Smirnov distance D between the values and the declared law,
  truncated to the field's bounds; score = 1 - (D - c) / 0.4, clipped to [0, 1], where c = 1.36 / sqrt(n)
  is what sampling alone stays under 95% of the time;
- categories: the total variation distance between frequencies and declared weights, less twice what
  sampling alone gives on average; score = 1 - excess / 0.15, clipped.
A field's adherence is the record-weighted mean over its cases, times the share of its values inside
the declared bounds (enum). The run's adherence is the mean over declared fields, None when nothing is
declared: a schema that declares nothing has nothing to break. Costs one pass over each declared column.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from synth_gradio.quality.declared import (
    bounds,
    case_key,
    case_params,
    day_text,
    declaration,
    distribution,
    is_date,
    ks_distance,
    numbers,
    on_grid,
    weights,
)

MIN_GROUP = 10
KS_SLACK = 0.4
TV_SLACK = 0.15
SHOWN_BELOW = 0.9
CATEGORICAL = ("categorical", "constant")


def declared_adherence(columns: dict[str, list[Any]], props: dict[str, Any]) -> dict[str, Any]:
    """Adherence per declared field and overall, with a sentence for each field that strayed."""
    fields: dict[str, dict[str, Any]] = {}
    for name, node in props.items():
        decl = declaration(node) if isinstance(node, dict) else None
        if decl is None or name not in columns:
            continue
        by = decl.get("by") if decl.get("by") in columns else None
        keys = [case_key(v) for v in columns[by]] if by else [None] * len(columns[name])
        groups: dict[str | None, list[Any]] = defaultdict(list)
        for key, value in zip(keys, columns[name], strict=False):
            if value is not None:
                groups[key].append(value)
        cases, inside, total = [], 0, 0
        for key, values in groups.items():
            params = case_params(decl, key)
            check = _categorical if params.get("kind") in CATEGORICAL else _numeric
            case, n_inside, n_total = check(key, values, params, node)
            inside, total = inside + n_inside, total + n_total
            if case is not None:
                cases.append(case)
        if cases:
            weight = sum(c["n"] for c in cases)
            share = inside / total if total else 1.0
            score = sum(c["score"] * c["n"] for c in cases) / weight * share
            result = {"kind": decl["kind"], "by": by, "score": round(score, 4), "inside_bounds": round(share, 4)}
            result.update(date=is_date(node), cases=cases)
            result["sentence"] = _sentence(name, result) if score < SHOWN_BELOW else None
            fields[name] = result
    scores = [f["score"] for f in fields.values()]
    return {
        "score": round(float(np.mean(scores)), 4) if scores else None,
        "fields": fields,
        "sentences": [f["sentence"] for f in fields.values() if f["sentence"]],
    }


def _clip01(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def _categorical(
    key: str | None, values: list[Any], params: dict[str, Any], node: dict[str, Any]
) -> tuple[dict[str, Any] | None, int, int]:
    keyed = [case_key(v) for v in values]
    allowed = {case_key(v) for v in node.get("enum") or []}
    inside = sum(k in allowed for k in keyed) if allowed else len(keyed)
    declared = weights(params)
    n = len(keyed)
    if declared is None or n < MIN_GROUP:
        return None, inside, n
    observed = {k: c / n for k, c in Counter(keyed).most_common(50)}
    tvd = 0.5 * sum(abs(observed.get(k, 0.0) - declared.get(k, 0.0)) for k in set(observed) | set(declared))
    noise = 0.5 * sum(math.sqrt(2 * p * (1 - p) / (math.pi * n)) for p in declared.values())
    case = {
        "case": key,
        "kind": params["kind"],
        "n": n,
        "tvd": round(tvd, 4),
        "score": round(1 - _clip01((tvd - 2 * noise) / TV_SLACK), 4),
        "observed": {k: round(v, 4) for k, v in observed.items()},
        "declared": {k: round(v, 4) for k, v in declared.items()},
    }
    return case, inside, n


def _numeric(
    key: str | None, values: list[Any], params: dict[str, Any], node: dict[str, Any]
) -> tuple[dict[str, Any] | None, int, int]:
    date = is_date(node)
    arr = numbers(values, date)
    try:
        lo, hi = bounds(node, params, date)
    except (TypeError, ValueError):
        lo, hi = -math.inf, math.inf
    inside = int(((arr >= lo) & (arr <= hi)).sum())
    dist = distribution(params, node)
    if dist is None or len(arr) < MIN_GROUP:
        return None, inside, len(arr)
    distance = ks_distance(arr, dist, on_grid(node))
    case = {
        "case": key,
        "kind": params["kind"],
        "n": len(arr),
        "ks": round(distance, 4),
        "score": round(1 - _clip01((distance - 1.36 / math.sqrt(len(arr))) / KS_SLACK), 4),
        "median": round(float(np.median(arr)), 4),
        "declared_median": round(dist.quantile(0.5), 4),
        "mean": round(float(arr.mean()), 4),
        "bounds": [lo if math.isfinite(lo) else None, hi if math.isfinite(hi) else None],
    }
    return case, inside, len(arr)


def fmt(value: float, date: bool = False) -> str:
    """Numbers as people read them: 45,000 or 3.2; days as ISO dates."""
    if date:
        return day_text(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _sentence(name: str, field: dict[str, Any]) -> str:
    worst = min(field["cases"], key=lambda c: c["score"])
    where = f" for {field['by']}={worst['case']}" if field["by"] and worst["case"] is not None else ""
    if worst["kind"] in CATEGORICAL:
        shown = sorted(worst["declared"], key=lambda k: -worst["declared"][k])[:4]
        parts = ", ".join(f"{k} {worst['observed'].get(k, 0):.0%} vs {worst['declared'][k]:.0%}" for k in shown)
        text = (
            f"{name}: frequencies{where} differ from the declared weights by {worst['tvd']:.0%} "
            f"(adherence {field['score']:.2f}): {parts}."
        )
    else:
        date = field["date"]
        text = (
            f"{name}: values{where} do not follow the declared {worst['kind']} (adherence {field['score']:.2f}): "
            f"median {fmt(worst['median'], date)} against {fmt(worst['declared_median'], date)} declared, "
            f"KS distance {worst['ks']:.2f} over {worst['n']} records."
        )
    if field["inside_bounds"] < 0.995:
        text += f" {1 - field['inside_bounds']:.1%} of its values fall outside the declared bounds."
    return text
