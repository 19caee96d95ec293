"""Per-run quality metrics as pure functions over records (no I/O, no UI)."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import pandas as pd


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, list | dict) else value


def field_stats(values: list[Any]) -> dict[str, Any]:
    """Distinct count and share, null rate, most common values, and numeric summaries."""
    n = len(values)
    present = [v for v in values if v is not None]
    counts = Counter(_hashable(v) for v in present)
    stats: dict[str, Any] = {
        "count": n,
        "distinct": len(counts),
        "distinct_share": round(len(counts) / len(present), 4) if present else 0.0,
        "null_rate": round(1 - len(present) / n, 4) if n else 0.0,
        "top": [[str(k), c] for k, c in counts.most_common(5)],
    }
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers and len(numbers) == len(present):
        s = pd.Series(numbers, dtype="float64")
        stats["numeric"] = {
            "mean": round(float(s.mean()), 4),
            "std": round(float(s.std(ddof=0)), 4),
            "min": float(s.min()),
            "max": float(s.max()),
        }
    strings = [v for v in present if isinstance(v, str)]
    if strings and len(strings) == len(present):
        lengths = [len(v) for v in strings]
        stats["length"] = {"mean": round(sum(lengths) / len(lengths), 2), "min": min(lengths), "max": max(lengths)}
    return stats


def run_metrics(records: list[dict[str, Any]], run: dict[str, Any]) -> dict[str, Any]:
    """Validity, duplicate rate, reject reasons and per-field statistics for one stored run."""
    candidates = max(1, int(run.get("candidates") or len(records)))
    rejects = run.get("reject_counts") or {}
    duplicates = sum(c for reason, c in rejects.items() if reason.startswith("duplicate"))
    fields = list((run.get("schema") or {}).get("properties", {})) or sorted({k for r in records for k in r})
    return {
        "records": len(records),
        "candidates": candidates,
        "validity_rate": round(len(records) / candidates, 4) if records else 0.0,
        "duplicate_rate": round(duplicates / candidates, 4),
        "reject_counts": rejects,
        "fields": {name: field_stats([r.get(name) for r in records]) for name in fields},
    }


def mean_distinct_share(metrics: dict[str, Any]) -> float:
    shares = [f["distinct_share"] for f in metrics["fields"].values() if f["count"]]
    return sum(shares) / len(shares) if shares else 0.0


def finite(x: float) -> float:
    return x if math.isfinite(x) else 0.0
