"""Declared distributions: are they honoured, and what do they cost? (prints JSON lines; asserts nothing)

    python bench/distributions.py [-n 400] [--cost-records 20000]

For an HR-like schema (level, department, salary by level, tenure by level) and a review-like
schema (rating weights, sentiment by rating), draws n records through the real Planner and prints,
per declared field and group, the declared median/mean (of the parameters as written), the
expected ones after truncation to the bounds, the observed ones and the deltas; for categories the
declared and observed shares and the delta in points. Targets: medians and means within 10%,
shares within 5 points, every value inside its bounds.

Then the sampling cost: Planner.plan() on the declared schema against the same schema with its
x-distribution keys removed (today's column-by-column uniform draw), best of several interleaved
rounds in one run. Target: ratio <= 1.10.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth_gradio.engine.plan import Planner
from synth_gradio.schema.distributions.math import mass, truncated_quantile
from synth_gradio.schema.distributions.space import text_key
from synth_gradio.schema.model import Schema, load_schema
from synth_gradio.schema.sampling import expected

D = "x-distribution"
HR = {
    "title": "employee",
    "type": "object",
    "properties": {
        "level": {
            "enum": ["junior", "mid", "senior"],
            D: {"kind": "categorical", "weights": {"junior": 0.5, "mid": 0.3, "senior": 0.2}},
        },
        "department": {
            "enum": ["engineering", "sales", "support", "finance"],
            D: {"kind": "categorical", "weights": {"engineering": 0.4, "sales": 0.3, "support": 0.2, "finance": 0.1}},
        },
        "salary": {
            "type": "integer",
            "minimum": 20000,
            "maximum": 300000,
            D: {
                "kind": "lognormal",
                "median": 60000,
                "sigma": 0.2,
                "by": "level",
                "cases": {"junior": {"median": 45000}, "senior": {"median": 90000}},
            },
        },
        "tenure_years": {
            "type": "number",
            "minimum": 0,
            "maximum": 40,
            D: {"kind": "exponential", "scale": 3, "decimals": 1, "by": "level", "cases": {"senior": {"scale": 8}}},
        },
    },
    "required": ["level", "department", "salary", "tenure_years"],
}
REVIEWS = {
    "title": "product review",
    "type": "object",
    "properties": {
        "rating": {
            "enum": [1, 2, 3, 4, 5],
            D: {"kind": "categorical", "weights": {"1": 0.08, "2": 0.07, "3": 0.15, "4": 0.3, "5": 0.4}},
        },
        "sentiment": {
            "enum": ["negative", "neutral", "positive"],
            D: {
                "kind": "categorical",
                "weights": {"negative": 0.1, "neutral": 0.8, "positive": 0.1},
                "by": "rating",
                "cases": {
                    "1": {"weights": {"negative": 0.95, "neutral": 0.05}},
                    "2": {"weights": {"negative": 0.8, "neutral": 0.2}},
                    "4": {"weights": {"positive": 0.8, "neutral": 0.2}},
                    "5": {"weights": {"positive": 0.95, "neutral": 0.05}},
                },
            },
        },
        "helpful_votes": {"type": "integer", "minimum": 0, D: {"kind": "poisson", "lam": 3}},
    },
    "required": ["rating", "sentiment", "helpful_votes"],
}


def declared_stats(kind: str, p: dict[str, Any]) -> dict[str, float]:
    """Median and mean of the distribution as written (before truncation to the bounds)."""
    if kind == "lognormal":
        return {"median": p["median"], "mean": p["median"] * math.exp(p["sigma"] ** 2 / 2)}
    if kind == "normal":
        return {"median": p["mean"], "mean": p["mean"]}
    if kind == "exponential":
        return {"median": p.get("loc", 0) + p["scale"] * math.log(2), "mean": p.get("loc", 0) + p["scale"]}
    if kind == "poisson":
        return {"median": truncated_quantile("poisson", p, -math.inf, math.inf, 0.5), "mean": p["lam"]}
    return {"median": (p["low"] + p["high"]) / 2, "mean": (p["low"] + p["high"]) / 2}


def pct(observed: float, want: float) -> float:
    return round(100 * (observed / want - 1), 2) if want else float("nan")


def honoured(name: str, schema: Schema, n: int, seed: int) -> list[dict[str, Any]]:
    planner = Planner(schema, seed=seed)
    records = [planner.plan().fixed for _ in range(n)]
    lines = []
    for field, d in schema.distributions.items():
        groups: dict[str, list[Any]] = defaultdict(list)
        by_value: dict[str, Any] = {}
        for r in records:
            key = text_key(r.get(d.by)) if d.by else "all"
            groups[key].append(r[field])
            by_value[key] = r.get(d.by)
        for key in sorted(groups):
            values = groups[key]
            group = d.group(by_value[key]) if d.by else d.base
            base = {"schema": name, "field": field, "group": key, "n": len(values)}
            want = expected(d, group)
            if "weights" in want:
                counts = Counter(text_key(v) for v in values)
                for value, share in want["weights"].items():
                    seen = counts[value] / len(values)
                    lines.append(
                        {
                            **base,
                            "value": value,
                            "declared_share": round(share, 4),
                            "observed_share": round(seen, 4),
                            "delta_points": round(100 * (seen - share), 2),
                        }
                    )
                continue
            decl = declared_stats(group.kind, group.real)
            med, mean = statistics.median(values), statistics.fmean(values)
            inside = all(group.lo <= x <= group.hi for x in values)
            at_bound = sum(x in (d.space.lo, d.space.hi) for x in values) / len(values)
            # What the declared distribution itself puts on the bound values (their grid cells).
            cell = (group.step or 0.0) / 2
            natural = sum(
                mass(group.kind, group.real, max(group.lo, x - cell), min(group.hi, x + cell), group.step)
                for x in (d.space.lo, d.space.hi)
                if math.isfinite(x)
            ) / mass(group.kind, group.real, group.lo, group.hi, group.step)
            lines.append(
                {
                    **base,
                    "kind": group.kind,
                    "declared_median": round(decl["median"], 3),
                    "expected_median": round(want["median"], 3),
                    "observed_median": med,
                    "median_delta_pct": pct(med, decl["median"]),
                    "declared_mean": round(decl["mean"], 3),
                    "expected_mean": round(want["mean"], 3),
                    "observed_mean": round(mean, 3),
                    "mean_delta_pct": pct(mean, decl["mean"]),
                    "mean_delta_vs_expected_pct": pct(mean, want["mean"]),
                    "all_inside_bounds": inside,
                    "share_at_a_bound": round(at_bound, 4),
                    "declared_share_at_a_bound": round(natural, 4),
                }
            )
    return lines


def plain(schema: Schema) -> Schema:
    raw = copy.deepcopy(schema.json_schema)
    for node in raw["properties"].values():
        node.pop(D, None)
    return load_schema(raw)


def cost(schemas: list[Schema], records: int, rounds: int = 7) -> dict[str, Any]:
    """Seconds per 1,000 plans, declared vs plain, best of `rounds` interleaved rounds."""
    best = {"declared": math.inf, "plain": math.inf}
    pairs = [(s, plain(s)) for s in schemas]
    for r in range(rounds):
        for label in ("declared", "plain") if r % 2 else ("plain", "declared"):
            t0 = time.perf_counter()
            for declared, stripped in pairs:
                planner = Planner(declared if label == "declared" else stripped, seed=r)
                for _ in range(records):
                    planner.plan()
            best[label] = min(best[label], time.perf_counter() - t0)
    per_k = {k: round(v / (records * len(pairs)) * 1000, 5) for k, v in best.items()}
    return {
        "cost": "plan() seconds per 1,000 records (best of rounds)",
        "declared_s": per_k["declared"],
        "plain_s": per_k["plain"],
        "ratio": round(best["declared"] / best["plain"], 3),
        "target": 1.10,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=400)
    parser.add_argument("--cost-records", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    schemas = {"hr": load_schema(HR), "reviews": load_schema(REVIEWS)}
    for name, schema in schemas.items():
        for line in honoured(name, schema, args.n, args.seed):
            print(json.dumps(line))
    print(json.dumps(cost(list(schemas.values()), args.cost_records)))


if __name__ == "__main__":
    main()
