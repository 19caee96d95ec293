"""Per-run quality metrics as pure functions over records (no I/O, no UI)."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import numpy as np

from synth_gradio.quality.adherence import declared_adherence
from synth_gradio.quality.neardup import near_duplicate_pairs
from synth_gradio.quality.plausibility import plausibility
from synth_gradio.quality.textcheck import text_agreement

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


class FieldAccumulator:
    """Running counts for one field, updated batch by batch while a run streams."""

    def __init__(self) -> None:
        self.count = 0
        self.counts: Counter = Counter()
        self.numbers: list[float] = []
        self.non_numeric = 0
        self.lengths: list[int] = []
        self.non_string = 0
        self.texts: list[str] = []  # kept for near-duplicate search at the end

    def add(self, value: Any) -> None:
        self.count += 1
        if value is None:
            return
        self.counts[_hashable(value)] += 1
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.numbers.append(float(value))
        else:
            self.non_numeric += 1
        if isinstance(value, str):
            self.lengths.append(len(value))
            self.texts.append(value)
        else:
            self.non_string += 1

    def stats(self, node: dict[str, Any] | None = None) -> dict[str, Any]:
        node = node or {}
        present = sum(self.counts.values())
        out: dict[str, Any] = {
            "count": self.count,
            "distinct": len(self.counts),
            "distinct_share": round(len(self.counts) / present, 4) if present else 0.0,
            "null_rate": round(1 - present / self.count, 4) if self.count else 0.0,
            "simpson": round(simpson(self.counts), 4),
            "shannon_norm": round(shannon_normalized(self.counts), 4),
            "top": [[str(k), c] for k, c in self.counts.most_common(5)],
        }
        allowed = node.get("enum") or (node.get("items") or {}).get("enum")
        if allowed:
            used = set()
            for key in self.counts:
                used.update(json.loads(key) if isinstance(key, str) and key.startswith("[") else [key])
            out["enum_coverage"] = round(len(used & set(allowed)) / len(allowed), 4)
        if self.numbers and not self.non_numeric:
            arr = np.asarray(self.numbers)
            out["numeric"] = {
                "mean": round(float(arr.mean()), 4),
                "std": round(float(arr.std()), 4),
                "min": float(arr.min()),
                "max": float(arr.max()),
                "quantiles": {f"p{int(q * 100)}": round(float(np.quantile(arr, q)), 4) for q in QUANTILES},
            }
        if self.lengths and not self.non_string:
            lengths = np.asarray(self.lengths)
            out["length"] = {
                "mean": round(float(lengths.mean()), 2),
                "min": int(lengths.min()),
                "max": int(lengths.max()),
                "p50": float(np.median(lengths)),
            }
        return out


class RunAccumulator:
    """Per-field accumulators for a whole run: `add(records)` after every batch."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = {name: FieldAccumulator() for name in fields}
        # Record-aligned values: declared distributions are checked per case of another field at the end.
        self.columns: dict[str, list[Any]] = {name: [] for name in fields}
        self.records = 0

    def add(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            self.records += 1
            for name, acc in self.fields.items():
                value = record.get(name)
                acc.add(value)
                self.columns[name].append(value)


def field_stats(values: list[Any], node: dict[str, Any] | None = None) -> dict[str, Any]:
    """Diversity, nulls, coverage of allowed values, and length or numeric summaries of one field."""
    acc = FieldAccumulator()
    for value in values:
        acc.add(value)
    return acc.stats(node)


def text_fields(accumulator: RunAccumulator, props: dict[str, Any]) -> list[str]:
    """Free-text fields: strings without enum, format or pattern whose values average 20+ characters."""
    out = []
    for name, acc in accumulator.fields.items():
        node = props.get(name, {})
        if "enum" in node or "format" in node or "pattern" in node or acc.non_string > acc.count - len(acc.texts):
            continue
        if acc.texts and sum(map(len, acc.texts[:500])) / len(acc.texts[:500]) >= 20:
            out.append(name)
    return out


def run_metrics(
    records: list[dict[str, Any]] | None,
    run: dict[str, Any],
    coherence: dict[str, int] | None = None,
    accumulator: RunAccumulator | None = None,
    judge: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validity, duplicates and near-duplicates, reject reasons, coherence, per-field statistics, adherence
    to declared distributions (x-distribution) and plausibility checks.

    Pass the run's `accumulator` (filled while it streamed) instead of the records to skip a second pass.
    `text` says how far model-written text agrees with its record (textcheck.py); `judge` is the LLM
    judge's tally when one judged the run (kept with the run, so a later recomputation keeps it).
    """
    props = (run.get("schema") or {}).get("properties", {})
    if accumulator is None:
        records = records or []
        accumulator = RunAccumulator(list(props) or sorted({k for r in records for k in r}))
        accumulator.add(records)
    n_records = accumulator.records
    candidates = max(1, int(run.get("candidates") or n_records))
    rejects = run.get("reject_counts") or {}
    duplicates = sum(c for reason, c in rejects.items() if reason.startswith("duplicate"))
    near: dict[str, Any] = {}
    for name in text_fields(accumulator, props):
        texts = accumulator.fields[name].texts
        pairs = near_duplicate_pairs(texts)
        involved = {i for p in pairs for i in p[:2]}
        near[name] = {
            "pairs": len(pairs),
            "records_share": round(len(involved) / max(1, n_records), 4),
            "examples": [[texts[i], texts[j], sim] for i, j, sim in pairs[:3]],
        }
    coherence = coherence or {}
    checked = coherence.get("checked", 0)
    # a learned field is drawn from its fitted model; its x-distribution is only the inferred marginal
    # shown for editing, so it is not a declaration to hold it to (realism against the table measures it)
    learned = {name for name, how in (run.get("strategies") or {}).items() if how == "learned"}
    adherence = declared_adherence(accumulator.columns, {k: v for k, v in props.items() if k not in learned})
    return {
        "records": n_records,
        "candidates": candidates,
        "validity_rate": round(n_records / candidates, 4) if n_records else 0.0,
        "duplicate_rate": round(duplicates / candidates, 4),
        "near_duplicates": near,
        "reject_counts": rejects,
        "coherence": {
            **coherence,
            "pass_rate_before_fix": round(coherence.get("passed_before_fix", 0) / checked, 4) if checked else None,
            "pass_rate_after_fix": round(coherence.get("passed_after_fix", 0) / checked, 4) if checked else None,
        },
        "fields": {name: acc.stats(props.get(name)) for name, acc in accumulator.fields.items()},
        "adherence": adherence,
        "plausibility": plausibility(accumulator.columns, props, adherence),
        "text": text_agreement(accumulator.columns, run.get("schema") or {}),
        **({"judge": judge} if judge else {}),
    }


def mean_diversity(metrics: dict[str, Any]) -> float:
    """Mean normalized Shannon entropy over fields with more than one value (constants excluded)."""
    shares = [f["shannon_norm"] for f in metrics["fields"].values() if f["count"] and f["distinct"] > 1]
    return sum(shares) / len(shares) if shares else 0.0


def near_duplicate_share(metrics: dict[str, Any]) -> float:
    shares = [v["records_share"] for v in metrics.get("near_duplicates", {}).values()]
    return max(shares) if shares else 0.0
