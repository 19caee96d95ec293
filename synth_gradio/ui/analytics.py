"""Analytics tab: charts over the stored runs (volume per day, templates, speed and score per model,
tokens and cost per backend and month). Each chart exports as PNG; /analytics returns the numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr
import pandas as pd

from synth_gradio.ui.access import Access
from synth_gradio.ui.common import guarded

BUTTONS = ["export", "fullscreen"]
FROM_ZERO = {"buttons": BUTTONS, "y_lim": [0, None]}  # bars start at 0, also with one day of data
EMPTY = "No runs yet: the charts fill in as you generate records."


def frames(data: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The numbers as the tables the charts draw."""
    per_day = pd.DataFrame(data["per_day"], columns=["day", "runs", "records"])
    models = pd.DataFrame(data["models"], columns=["day", "model", "runs", "records_per_s", "score"])
    usage = pd.DataFrame(data["usage"], columns=["month", "backend", "runs", "tokens", "prompt_tokens", "cost_usd"])
    return {
        "per_day": per_day,
        "templates": pd.DataFrame(data["templates"], columns=["template", "runs", "records"]),
        "score": models.dropna(subset=["score"]),
        "speed": models.dropna(subset=["records_per_s"]),
        "usage": usage,
        "cost": usage.dropna(subset=["cost_usd"]),
    }


def summary_text(data: dict[str, Any]) -> str:
    t = data["totals"]
    if not t["runs"]:
        return EMPTY
    cost = f" · about **${t['cost_usd']:,.4f}** on priced backends" if t["cost_usd"] else ""
    top = data["templates"][0]["template"] if data["templates"] else "-"
    return (
        f"**{t['runs']}** runs · **{t['records']:,}** records · **{t['tokens']:,}** generated tokens{cost} · "
        f"most used: **{top}**"
    )


def build(access: Access) -> Any:
    """Returns the refresh function and its outputs, so the tab can refresh when it is opened."""
    with gr.Row():
        since = gr.DateTime(label="From (empty: all runs)", include_time=False, type="string", scale=1)
        refresh = gr.Button("Refresh", scale=1)
    summary = gr.Markdown(EMPTY, label="summary", show_label=False)
    with gr.Row():
        runs_day = gr.BarPlot(x="day", y="runs", title="Runs per day", **FROM_ZERO, x_label_angle=-30)
        records_day = gr.BarPlot(x="day", y="records", title="Records per day", **FROM_ZERO, x_label_angle=-30)
    with gr.Row():
        templates = gr.BarPlot(
            x="template", y="runs", title="Most-used templates", sort="-y", **FROM_ZERO, x_label_angle=-30
        )
        tokens = gr.BarPlot(x="month", y="tokens", color="backend", title="Generated tokens per month", **FROM_ZERO)
    with gr.Row():
        score = gr.ScatterPlot(
            x="day", y="score", color="model", title="Quality score per model", buttons=BUTTONS, y_lim=[0, 100]
        )
        speed = gr.ScatterPlot(
            x="day", y="records_per_s", color="model", title="Records per second per model", **FROM_ZERO
        )
    cost = gr.BarPlot(x="month", y="cost_usd", color="backend", title="Estimated cost (USD) per month", **FROM_ZERO)
    numbers = gr.JSON(label="The numbers (also at the /analytics API endpoint)", visible=False)

    def since_day(value: Any) -> dt.datetime | None:
        if not value:
            return None
        return dt.datetime.fromisoformat(str(value).strip()[:10])

    @guarded
    def analytics(since_: str | None = None, request: gr.Request = None) -> dict[str, Any]:
        """Numbers over the stored runs (with logins: the caller's own): runs and records per day, most-used templates, quality score and records/s per backend:model and day, tokens and estimated cost per backend and month.

        Args:
            since_: only runs created on or after this day, e.g. "2026-01-31" (empty: all runs).

        Returns:
            JSON with totals, per_day, templates, models and usage lists.
        """
        return access.view(request).analytics(since=since_day(since_))

    @guarded
    def show(since_: str | None, request: gr.Request) -> tuple[Any, ...]:
        data = analytics(since_, request)
        f = frames(data)
        return (
            summary_text(data),
            f["per_day"],
            f["per_day"],
            f["templates"],
            f["usage"],
            f["score"],
            f["speed"],
            f["cost"],
            data,
        )

    outputs = [summary, runs_day, records_day, templates, tokens, score, speed, cost, numbers]
    refresh.click(show, since, outputs, api_visibility="private")
    gr.Button(visible=False).click(analytics, since, numbers, api_name="analytics")
    return show, since, outputs
