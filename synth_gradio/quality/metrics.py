"""Per-run quality metrics as pure functions over records (no I/O, no UI)."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import numpy as np

from synth_gradio.quality.neardup import near_duplicate_pairs

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, list | dict) else value


def simpson(counts: Counter) -> float:
    """Simpson's diversity index 1 - sum(p^2): the chance two random records differ in this field."""
    total = sum(counts.values())
    return 1 - sum((c / total) ** 2 for c in counts.values()) if total else 0.0


def shannon_normalized(counts: Counter) -> float:
    """Shannon entropy divided by its maximum ln(k): 1 when all k distinct values are equally common."""
    total = sum(counts.values())
    k = len(counts)
    if total == 0 or k < 2:
        return 0.0
    h = -sum((c / total) * math.log(c / total) for c in counts.values())
    return h / math.log(k)


def field_stats(values: list[Any], node: dict[str, Any] | None = None) -> dict[str, Any]:
    """Diversity, nulls, coverage of allowed values, and length or numeric summaries of one field."""
    node = node or {}
    n = len(values)
    present = [v for v in values if v is not None]
    counts = Counter(_hashable(v) for v in present)
    stats: dict[str, Any] = {
        "count": n,
        "distinct": len(counts),
        "distinct_share": round(len(counts) / len(present), 4) if present else 0.0,
        "null_rate": round(1 - len(present) / n, 4) if n else 0.0,
        "simpson": round(simpson(counts), 4),
        "shannon_norm": round(shannon_normalized(counts), 4),
        "top": [[str(k), c] for k, c in counts.most_common(5)],
    }
    allowed = node.get("enum") or (node.get("items") or {}).get("enum")
    if allowed:
        used = {v for v in present for v in (v if isinstance(v, list) else [v])}
        stats["enum_coverage"] = round(len(used & set(allowed)) / len(allowed), 4)
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers and len(numbers) == len(present):
        arr = np.asarray(numbers, dtype=float)
        stats["numeric"] = {
            "mean": round(float(arr.mean()), 4),
            "std": round(float(arr.std()), 4),
            "min": float(arr.min()),
            "max": float(arr.max()),
            "quantiles": {f"p{int(q * 100)}": round(float(np.quantile(arr, q)), 4) for q in QUANTILES},
        }
    strings = [v for v in present if isinstance(v, str)]
    if strings and len(strings) == len(present):
        lengths = np.asarray([len(v) for v in strings])
        stats["length"] = {
            "mean": round(float(lengths.mean()), 2),
            "min": int(lengths.min()),
            "max": int(lengths.max()),
            "p50": float(np.median(lengths)),
        }
    return stats


def text_fields(records: list[dict[str, Any]], props: dict[str, Any]) -> list[str]:
    """Free-text fields: strings without enum or format whose values average 20+ characters."""
    out = []
    for name, node in props.items():
        if "enum" in node or "format" in node or "pattern" in node:
            continue
        values = [r.get(name) for r in records[:500] if isinstance(r.get(name), str)]
        if values and sum(map(len, values)) / len(values) >= 20:
            out.append(name)
    return out


def run_metrics(
    records: list[dict[str, Any]], run: dict[str, Any], coherence: dict[str, int] | None = None
) -> dict[str, Any]:
    """Validity, duplicates and near-duplicates, reject reasons, coherence and per-field statistics."""
    candidates = max(1, int(run.get("candidates") or len(records)))
    rejects = run.get("reject_counts") or {}
    duplicates = sum(c for reason, c in rejects.items() if reason.startswith("duplicate"))
    props = (run.get("schema") or {}).get("properties", {})
    fields = list(props) or sorted({k for r in records for k in r})
    near: dict[str, Any] = {}
    for name in text_fields(records, props):
        pairs = near_duplicate_pairs([str(r.get(name) or "") for r in records])
        involved = {i for p in pairs for i in p[:2]}
        near[name] = {
            "pairs": len(pairs),
            "records_share": round(len(involved) / max(1, len(records)), 4),
            "examples": [[records[i][name], records[j][name], s] for i, j, s in pairs[:3]],
        }
    coherence = coherence or {}
    checked = coherence.get("checked", 0)
    return {
        "records": len(records),
        "candidates": candidates,
        "validity_rate": round(len(records) / candidates, 4) if records else 0.0,
        "duplicate_rate": round(duplicates / candidates, 4),
        "near_duplicates": near,
        "reject_counts": rejects,
        "coherence": {
            **coherence,
            "pass_rate_before_fix": round(coherence.get("passed_before_fix", 0) / checked, 4) if checked else None,
            "pass_rate_after_fix": round(coherence.get("passed_after_fix", 0) / checked, 4) if checked else None,
        },
        "fields": {name: field_stats([r.get(name) for r in records], props.get(name)) for name in fields},
    }


def mean_diversity(metrics: dict[str, Any]) -> float:
    """Mean normalized Shannon entropy over fields with more than one value (constants excluded)."""
    shares = [f["shannon_norm"] for f in metrics["fields"].values() if f["count"] and f["distinct"] > 1]
    return sum(shares) / len(shares) if shares else 0.0


def near_duplicate_share(metrics: dict[str, Any]) -> float:
    shares = [v["records_share"] for v in metrics.get("near_duplicates", {}).values()]
    return max(shares) if shares else 0.0
