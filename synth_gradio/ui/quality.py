"""Quality tab: a run's score with its components, per-field statistics and charts, and an optional
comparison with the user's reference data (similarity and privacy).

Each section is a small function, so later additions are new sections rather than rewrites.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.errors import InputError
from synth_gradio.quality.score import WEIGHTS
from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded
from synth_gradio.ui.pickers import hint_frame, need_run, picked, refresh_picker, run_picker


def score_text(report: dict[str, Any], heading: str = "## Quality score") -> str:
    score, m = report["score"], report["metrics"]
    parts = [f"{heading}: {score['score']} / 100"]
    parts.append(" + ".join(f"{WEIGHTS[k]:.0%} x {k} {v:.1%}" for k, v in score["components"].items()))
    parts.append(
        f"\n{m['records']} records from {m['candidates']} candidates: validity {m['validity_rate']:.1%}, duplicate rate {m['duplicate_rate']:.1%}"
    )
    coherence = m.get("coherence") or {}
    if coherence.get("pass_rate_before_fix") is not None:
        parts.append(
            f"\nRules passed: {coherence['pass_rate_before_fix']:.1%} before fixes, {coherence['pass_rate_after_fix']:.1%} after"
        )
    for name, near in (m.get("near_duplicates") or {}).items():
        parts.append(f"\nNear-duplicate `{name}`: {near['pairs']} pairs, {near['records_share']:.1%} of records")
    if m["reject_counts"]:
        parts.append("\nReject reasons: " + ", ".join(f"{k} ({v})" for k, v in m["reject_counts"].items()))
    if report.get("pulled_down_by"):
        parts.append("\n**What pulled the score down:**" + pulled_down(report["pulled_down_by"]))
    return "\n".join(parts)


def lead_text(report: dict[str, Any]) -> str:
    """The top of the tab: with a realism score it leads and the quality (validity) score sits beneath it;
    without one, the quality score alone, as before."""
    head = report.get("headline") or {}
    if head.get("name") != "realism":
        return score_text(report)
    return f"## Realism against your data: {head['score']} / 100\n\n" + score_text(
        report, "### Beneath it, validity of the records. Quality score"
    )


def pulled_down(sentences: list[str]) -> str:
    return "".join(f"\n- {s}" for s in sentences[:8])


def realism_text(real: dict[str, Any]) -> str:
    if "error" in real:
        return f"**Realism:** {real['error']}"
    parts = [f"## Realism against your data: {real['score']} / 100"]
    parts.append(
        " + ".join(
            f"{real['weights'].get(k, 0):.0%} x {k.replace('_', ' ')} {'n/a' if v is None else f'{v:.1%}'}"
            for k, v in real["components"].items()
        )
    )
    detection = real.get("detection") or {}
    if detection.get("auc") is not None:
        parts.append(
            f"\nDetection: a classifier tells generated rows from real ones with ROC AUC {detection['auc']:.2f} "
            "(0.5: it cannot)." + (f" Note: {detection['note']}." if detection.get("note") else "")
        )
    efficacy = real.get("ml_efficacy") or {}
    if efficacy.get("target"):
        parts.append(f"\nML efficacy predicts `{efficacy['target']}` ({efficacy.get('task', '')}).")
    if real["pulled_down_by"]:
        parts.append("\n**What pulled it down:**" + pulled_down(real["pulled_down_by"]))
    return "\n".join(parts)


def reference_text(ref: dict[str, Any]) -> str:
    overall, p = ref["overall"], ref["privacy"]
    lines = [
        f"## Similarity to the reference: {overall['score']} / 100",
        f"Column shapes {overall['column_shapes']:.3f} (KSComplement, TVComplement) · column pair trends {overall['column_pair_trends']:.3f}",
        f"\n**Privacy:** {p['exact_copies']} generated rows copy a reference row ({p['exact_copy_rate']:.1%}); "
        f"{p['rows_too_close']} rows sit closer to a real row than {p['too_close_threshold']} (distance to closest record: median {p['dcr']['median']}, min {p['dcr']['min']})",
    ]
    if ref["reference_only_columns"]:
        lines.append(f"\nReference columns not in this run: {', '.join(ref['reference_only_columns'])}")
    return "\n".join(lines)


def fields_frame(metrics: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for name, f in metrics["fields"].items():
        num = f.get("numeric") or {}
        length = f.get("length") or {}
        rows.append(
            {
                "field": name,
                "distinct": f["distinct"],
                "simpson": f["simpson"],
                "entropy (norm.)": f["shannon_norm"],
                "null rate": f["null_rate"],
                "enum coverage": f.get("enum_coverage", ""),
                "mean": num.get("mean", length.get("mean", "")),
                "min": num.get("min", length.get("min", "")),
                "max": num.get("max", length.get("max", "")),
                "top values": "; ".join(f"{v} ({c})" for v, c in f["top"][:3]),
            }
        )
    return pd.DataFrame(rows)


def shapes_frame(ref: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"column": c, "kind": s["kind"], "metric": s["metric"], "score": s["score"]}
            for c, s in ref["column_shapes"].items()
        ]
    )


def build(access: Access) -> dict[str, Any]:
    with gr.Row():
        pick, run_id = run_picker(access.initial, "Run", scale=3)
        find = gr.Textbox(label="Filter runs", placeholder="title, template or schema words", scale=2)
        show = gr.Button("Show quality", variant="primary", scale=1)
    summary = gr.Markdown(
        "Pick a run to see its quality score, per-field statistics and charts.", label="summary", show_label=False
    )
    fields = gr.Dataframe(
        hint_frame("Pick a run to see per-field statistics"), label="Per-field statistics", interactive=False
    )
    with gr.Accordion("Compare with your real data (CSV, Parquet, JSONL or Excel)", open=False):
        reference = gr.File(
            label="Reference data", file_types=[".csv", ".parquet", ".jsonl", ".json", ".xlsx"], type="filepath"
        )
        target = gr.Textbox(
            label="Column to predict for ML efficacy (empty: a label-like or the last categorical column)"
        )
        compare = gr.Button("Compare with reference")
        ref_summary = gr.Markdown(label="ref_summary", show_label=False)
        shapes = gr.Dataframe(
            hint_frame("Upload a reference table and press Compare"), label="Column shapes", interactive=False
        )
    charts = gr.Gallery(label="Charts (click to enlarge and download PNG)", columns=3, height="auto", visible=False)
    raw = gr.JSON(label="Report (JSON)", visible=False)

    @guarded
    def get_quality(run: float | None, request: gr.Request = None) -> tuple[Any, ...]:
        """A stored run's quality score (0-100) with what pulled it down, per-field statistics and charts.

        Args:
            run: the run id.

        Returns:
            The score as text, a per-field statistics table, chart images and the full report as JSON.
        """
        rid = need_run(run)
        studio = access.view(request)
        report = studio.quality_report(rid)
        figures = [(access.files.keep(charts, path, request), title) for path, title in studio.report_figures(rid)]
        return score_text(report), fields_frame(report["metrics"]), figures, report

    @guarded
    def compare_reference(
        run: float | None, path: str | None, target_: str | None = None, request: gr.Request = None
    ) -> tuple[Any, ...]:
        """Compare a run with real reference data: realism (it leads, the quality score comes beneath it), column
        shapes, detection (can a classifier tell generated rows from real ones), privacy and ML efficacy.

        Args:
            run: the run id.
            path: the reference table (CSV, Parquet, JSONL or Excel).
            target_: the column ML efficacy predicts (empty: a label-like or the last categorical column).
        """
        rid = need_run(run)
        if not path:
            raise InputError("upload a reference file first")
        studio = access.view(request)
        report = studio.quality_report(rid, path, (target_ or "").strip() or None)
        ref = report["reference"]
        text = realism_text(report["realism"]) + "\n\n" + reference_text(ref)
        if report["headline"]["name"] == "realism":  # realism leads; the quality (validity) score comes beneath it
            beneath = f"**Beneath it, quality score (validity of the records): {report['score']['score']} / 100**"
            text = realism_text(report["realism"]) + "\n\n" + beneath + "\n\n" + reference_text(ref)
        figures = [(access.files.keep(charts, p, request), title) for p, title in studio.report_figures(rid, path)]
        return text, shapes_frame(ref), figures, report

    def show_picked(run: float | None, request: gr.Request) -> tuple[Any, ...]:
        if run is None:
            return gr.update(), gr.update(), gr.update(), gr.update()
        return get_quality(run, request)

    def find_runs(text: str, selected: Any, request: gr.Request) -> Any:
        return refresh_picker(access.view(request), selected, text)

    def lead_with_realism(report: Any) -> Any:
        if not isinstance(report, dict) or "headline" not in report:
            return gr.update()  # the comparison failed: the top keeps what it showed
        return lead_text(report)

    def reveal(figures: Any) -> Any:
        return gr.update(visible=bool(figures))  # an empty gallery stays hidden: the summary says what to do

    outputs = [summary, fields, charts, raw]
    show.click(get_quality, run_id, outputs, api_name="get_quality").then(
        reveal, charts, charts, api_visibility="private"
    )
    pick.change(picked, pick, run_id, api_visibility="private").then(
        show_picked, run_id, outputs, api_visibility="private"
    ).then(reveal, charts, charts, api_visibility="private")
    find.submit(find_runs, [find, pick], pick, api_visibility="private")
    find.blur(find_runs, [find, pick], pick, api_visibility="private")
    compare.click(
        compare_reference, [run_id, reference, target], [ref_summary, shapes, charts, raw], api_name="compare_reference"
    ).then(reveal, charts, charts, api_visibility="private").then(
        lead_with_realism, raw, summary, api_visibility="private"
    )
    return {"pick": pick, "find": find, "find_runs": find_runs}
