"""Quality tab: a run's score with its components, per-field statistics and charts.

Sections are plain functions so later additions (coherence, reference comparison) are new
sections, not rewrites.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.engine.workbench import Workbench
from synth_gradio.errors import InputError
from synth_gradio.quality.plots import close, field_figure
from synth_gradio.quality.score import WEIGHTS
from synth_gradio.ui.common import guarded, opt_int


def score_text(quality: dict[str, Any]) -> str:
    score = quality["score"]
    m = quality["metrics"]
    parts = [f"## Quality score: {score['score']} / 100"]
    parts.append(" + ".join(f"{WEIGHTS[k]:.0%} x {k} {v:.1%}" for k, v in score["components"].items()))
    parts.append(
        f"\n{m['records']} records from {m['candidates']} candidates: validity {m['validity_rate']:.1%}, duplicate rate {m['duplicate_rate']:.1%}"
    )
    if m["reject_counts"]:
        parts.append("\nReject reasons: " + ", ".join(f"{k} ({v})" for k, v in m["reject_counts"].items()))
    return "\n".join(parts)


def fields_frame(metrics: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for name, f in metrics["fields"].items():
        num = f.get("numeric") or {}
        length = f.get("length") or {}
        rows.append(
            {
                "field": name,
                "distinct": f["distinct"],
                "distinct share": f["distinct_share"],
                "null rate": f["null_rate"],
                "mean": num.get("mean", ""),
                "std": num.get("std", ""),
                "min": num.get("min", length.get("min", "")),
                "max": num.get("max", length.get("max", "")),
                "top values": "; ".join(f"{v} ({c})" for v, c in f["top"][:3]),
            }
        )
    return pd.DataFrame(rows)


def field_charts(workbench: Workbench, run_id: int, fields: list[str]) -> list[tuple[str, str]]:
    """PNG files, one chart per field, for the gallery (PNG so users can download them)."""
    records = workbench.preview(run_id, limit=10_000)
    folder = Path(tempfile.mkdtemp(prefix="synth_quality_"))
    out = []
    for name in fields:
        fig = field_figure(name, [r.get(name) for r in records])
        path = folder / f"run{run_id}_{name}.png"
        fig.savefig(path, dpi=100)
        close(fig)
        out.append((str(path), name))
    return out


def build(workbench: Workbench) -> None:
    with gr.Row():
        run_id = gr.Number(None, label="Run id", precision=0)
        show = gr.Button("Show quality", variant="primary")
    summary = gr.Markdown("Pick a run (its id is in the History tab).")
    fields = gr.Dataframe(label="Per-field statistics", interactive=False)
    charts = gr.Gallery(label="Distributions (click to enlarge and download)", columns=3, height="auto")
    raw = gr.JSON(label="Metrics (JSON)", visible=False)

    @guarded
    def get_quality(run: float | None) -> tuple[Any, ...]:
        if opt_int(run) is None:
            raise InputError("enter a run id")
        quality = workbench.quality(int(run))
        return (
            score_text(quality),
            fields_frame(quality["metrics"]),
            field_charts(workbench, int(run), list(quality["metrics"]["fields"])),
            quality,
        )

    show.click(get_quality, run_id, [summary, fields, charts, raw], api_name="get_quality")
    run_id.submit(get_quality, run_id, [summary, fields, charts, raw], api_visibility="private")
