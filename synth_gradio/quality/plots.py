"""Matplotlib figures for the Quality tab; headless (Agg), returned as Figure objects."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def field_figure(name: str, values: list[Any]) -> Figure:
    """A histogram for numbers, a bar chart of the most common values otherwise."""
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    present = [v for v in values if v is not None]
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if present and len(numbers) == len(present):
        ax.hist(numbers, bins=min(30, max(5, len(set(numbers)))), color="#4C72B0")
        ax.set_ylabel("records")
    else:
        counts = Counter(json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else str(v) for v in present)
        top = counts.most_common(12)
        labels = [k if len(k) <= 28 else k[:25] + "..." for k, _ in top]
        ax.barh(labels[::-1], [c for _, c in top][::-1], color="#55A868")
        ax.set_xlabel("records")
        if len(counts) > 12:
            ax.set_title(f"{name}: top 12 of {len(counts)} distinct values", fontsize=10)
    if not ax.get_title():
        ax.set_title(name, fontsize=10)
    return fig


def close(fig: Figure) -> None:
    plt.close(fig)
