"""Matplotlib/seaborn figures for the Quality tab; headless (Agg), saved as PNG by the caller."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

GEN, REF = "#4C72B0", "#DD8452"


def _labels(values: list[Any]) -> list[str]:
    return [
        json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else str(v) for v in values if v is not None
    ]


def _numbers(values: list[Any]) -> list[float] | None:
    present = [v for v in values if v is not None]
    nums = [float(v) for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    return nums if present and len(nums) == len(present) else None


def field_figure(name: str, values: list[Any], reference: list[Any] | None = None) -> Figure:
    """Histogram (with the reference overlaid) for numbers, bar chart of top values otherwise."""
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    nums = _numbers(values)
    ref_nums = _numbers(reference) if reference is not None else None
    if nums is not None:
        bins = np.histogram_bin_edges(nums + (ref_nums or []), bins=min(30, max(5, len(set(nums)))))
        ax.hist(nums, bins=bins, color=GEN, alpha=0.6, density=ref_nums is not None, label="generated")
        if ref_nums:
            ax.hist(ref_nums, bins=bins, color=REF, alpha=0.5, density=True, label="reference")
            ax.legend(fontsize=8)
        ax.set_ylabel("density" if ref_nums else "records")
    else:
        counts = Counter(_labels(values))
        top = [k for k, _ in counts.most_common(12)]
        shown = [k if len(k) <= 28 else k[:25] + "..." for k in top]
        y = np.arange(len(top))
        total = max(1, sum(counts.values()))
        ax.barh(
            y + (0.2 if reference else 0),
            [counts[k] / total for k in top],
            height=0.4 if reference else 0.8,
            color=GEN,
            label="generated",
        )
        if reference:
            rc = Counter(_labels(reference))
            rt = max(1, sum(rc.values()))
            ax.barh(y - 0.2, [rc[k] / rt for k in top], height=0.4, color=REF, label="reference")
            ax.legend(fontsize=8)
        ax.set_yticks(y, shown)
        ax.invert_yaxis()
        ax.set_xlabel("share of records")
        if len(counts) > 12:
            ax.set_title(f"{name}: top 12 of {len(counts)} distinct values", fontsize=10)
    if not ax.get_title():
        ax.set_title(name, fontsize=10)
    return fig


def box_figure(frame: pd.DataFrame, reference: pd.DataFrame | None = None) -> Figure | None:
    """Box plots of every numeric column (scaled to the column's range so they share an axis)."""
    cols = [
        c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if not cols:
        return None
    fig, ax = plt.subplots(figsize=(max(4, 1.2 * len(cols)), 3.4), layout="constrained")
    data, labels = [], []
    for c in cols:
        lo, hi = frame[c].min(), frame[c].max()
        span = (hi - lo) or 1
        data.append(((frame[c] - lo) / span).dropna())
        labels.append(c)
        if reference is not None and c in reference:
            data.append(((pd.to_numeric(reference[c], errors="coerce") - lo) / span).dropna())
            labels.append(f"{c} (ref)")
    ax.boxplot(data, tick_labels=labels)
    ax.tick_params(axis="x", rotation=45)
    ax.set_title("Numeric columns, scaled to the generated range", fontsize=10)
    return fig


def correlation_figure(frame: pd.DataFrame, title: str = "Correlation (generated)") -> Figure | None:
    import seaborn as sns

    numeric = frame.select_dtypes("number")
    if numeric.shape[1] < 2:
        return None
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    sns.heatmap(numeric.corr(), vmin=-1, vmax=1, cmap="vlag", annot=numeric.shape[1] <= 8, fmt=".2f", ax=ax)
    ax.set_title(title, fontsize=10)
    return fig


SERIES = {
    "backend": lambda r: f"{r.get('backend')}:{r.get('model')}",
    "template": lambda r: r.get("template") or "(own schema)",
}


def score_history_figure(runs: list[dict[str, Any]], by: tuple[str, ...] = ("template", "backend")) -> Figure | None:
    """Quality score of finished runs over time: one panel per grouping in `by` ("template": one line
    per template, own schemas together; "backend": one line per backend and model)."""
    rows = [
        {"when": pd.Timestamp(r["created_at"]), "score": r["quality"]["score"]["score"], "run": r}
        for r in runs
        if (r.get("quality") or {}).get("score")
    ]
    if not rows:
        return None
    data = pd.DataFrame(rows).sort_values("when")
    fig, axes = plt.subplots(len(by), 1, figsize=(7, 2.8 * len(by)), layout="constrained", squeeze=False)
    for ax, grouping in zip(axes[:, 0], by, strict=True):
        series = data["run"].map(SERIES[grouping])
        for label, group in data.groupby(series):
            ax.plot(group["when"], group["score"], marker="o", label=str(label)[:40])
        ax.set_ylim(0, 100)
        ax.set_ylabel("quality score")
        ax.legend(fontsize=7)
        ax.set_title(f"Quality score over time, by {grouping}", fontsize=10)
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
            tick.set_horizontalalignment("right")
    return fig


def save(fig: Figure, path: str) -> str:
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def field_figure_file(name: str, values: list[Any], prefix: str = "synth_field_") -> str:
    """`field_figure` of these values, saved as a PNG in a new temporary folder (for a page to show)."""
    import tempfile
    from pathlib import Path

    return save(field_figure(name, values), str(Path(tempfile.mkdtemp(prefix=prefix)) / f"{name}.png"))
