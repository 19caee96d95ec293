"""Quality reports for stored runs: metrics and score, optionally against reference data, and charts."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from synth_gradio.engine.run import store_quality
from synth_gradio.errors import InputError
from synth_gradio.export import flatten
from synth_gradio.quality import plots
from synth_gradio.quality.compare import compare_reference
from synth_gradio.quality.realism import realism_report
from synth_gradio.storage.history import History
from synth_gradio.tables import read_table

MAX_RECORDS = 100_000


def run_frame(history: History, run_id: int) -> pd.DataFrame:
    rows = []
    for record in history.iter_records(run_id):
        rows.append(flatten(record))
        if len(rows) >= MAX_RECORDS:
            break
    return pd.DataFrame(rows)


def quality_report(
    history: History, run_id: int, reference: str | Path | None = None, target: str | None = None
) -> dict[str, Any]:
    """The run's score (what pulled it down included) and, with a reference table, how real it looks.

    A run learned from a table is measured against the rows its model never saw (the same
    content-hash holdout the fit used), so copying cannot pass for realism. `headline` names the one
    score that leads: the realism score when a reference was compared and could be scored, with the
    quality (validity) score beneath it; otherwise the quality score.
    """
    run = history.get_run(run_id)
    quality = run["quality"] or store_quality(history, run["id"])
    report: dict[str, Any] = {
        "run_id": run["id"],
        "status": run["status"],
        "score": quality["score"],
        "metrics": quality["metrics"],
        "pulled_down_by": quality["score"].get("pulled_down_by", []),
    }
    if reference is not None:
        real, synthetic = read_table(reference), run_frame(history, run["id"])
        report["reference"] = compare_reference(real, synthetic)
        try:
            report["realism"] = realism(history, run["id"], real, synthetic, target)
        except InputError as exc:  # e.g. a reference too small to hold rows out: the comparison still stands
            report["realism"] = {"error": f"no realism score: {exc}"}
    report["headline"] = headline(report)
    return report


def headline(report: dict[str, Any]) -> dict[str, Any]:
    """{"name", "score", "label"} of the score that leads, and `beneath`: the ones shown under it."""
    quality = {"name": "quality", "score": report["score"]["score"], "label": "quality score (validity of the records)"}
    real = report.get("realism") or {}
    if real.get("score") is None:
        return {**quality, "label": "quality score", "beneath": []}
    return {"name": "realism", "score": real["score"], "label": "realism against the reference", "beneath": [quality]}


def realism(
    history: History, run_id: int, real: pd.DataFrame, synthetic: pd.DataFrame, target: str | None
) -> dict[str, Any]:
    if history.get_learned(run_id) is None:
        return realism_report(real, synthetic, target=target)
    from synth_gradio.learn import split_reference

    real.columns = [str(c) for c in real.columns]
    train, holdout = split_reference(real)
    if len(train) < 2 or len(holdout) < 2:
        return realism_report(real, synthetic, target=target)
    return realism_report(train, synthetic, holdout=holdout, target=target)


def report_figures(history: History, run_id: int, reference: str | Path | None = None) -> list[tuple[str, str]]:
    """PNG files (path, caption): one per field, box plots, correlations, and the score over time."""
    frame = run_frame(history, run_id)
    ref = read_table(reference) if reference is not None else None
    folder = Path(tempfile.mkdtemp(prefix="synth_quality_"))
    out: list[tuple[str, str]] = []
    for col in frame.columns:
        ref_values = ref[col].where(ref[col].notna(), None).tolist() if ref is not None and col in ref else None
        fig = plots.field_figure(col, frame[col].where(frame[col].notna(), None).tolist(), ref_values)
        out.append((plots.save(fig, str(folder / f"field_{len(out)}.png")), col))
    extra = [
        (plots.box_figure(frame, ref), "box plots"),
        (plots.correlation_figure(frame), "correlations (generated)"),
        (
            plots.correlation_figure(ref, "Correlation (reference)") if ref is not None else None,
            "correlations (reference)",
        ),
        (plots.score_history_figure(history.list_runs(limit=200)), "quality score over time"),
    ]
    for fig, caption in extra:
        if fig is not None:
            out.append((plots.save(fig, str(folder / f"chart_{len(out)}.png")), caption))
    return out
